//! Unit tests of the evaluator, one or more per construct: small modules
//! are analysed by the project's front end, and definitions are evaluated
//! in a hand-made model. Expected values are worked out by hand from
//! TLA+'s definitions.

use super::*;
use crate::semantic::ir::{DefBody, DefId, E};
use crate::semantic::{self, Program};
use std::collections::{BTreeSet, HashMap};
use std::sync::atomic::{AtomicUsize, Ordering};

static COUNTER: AtomicUsize = AtomicUsize::new(0);

/// Analyse the module `text` (named `T`).
fn analyze(text: &str) -> Program {
    let n = COUNTER.fetch_add(1, Ordering::SeqCst);
    let dir = std::env::temp_dir().join(format!("tlasmt-eval-unit-{}-{n}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join("T.tla");
    std::fs::write(&path, text).unwrap();
    let r = semantic::analyze(&path, &[]);
    let _ = std::fs::remove_dir_all(&dir);
    match r {
        Ok((prog, _)) => prog,
        Err(e) => panic!("analysis failed:\n{}", e.rendered.join("\n")),
    }
}

/// A model given by names.
#[derive(Default)]
struct Model {
    consts: HashMap<u32, Value>,
    vars: HashMap<(u32, bool), Value>,
    symbols: HashMap<String, Value>,
    opaque: HashMap<DefId, Value>,
    universe: Option<Vec<Value>>,
}

impl Interp for Model {
    fn constant(&self, c: ConstId) -> Option<Value> {
        self.consts.get(&c.0).cloned()
    }
    fn variable(&self, v: VarId, primed: bool) -> Option<Value> {
        self.vars.get(&(v.0, primed)).cloned()
    }
    fn symbol(&self, v: &BVar, args: &[Value]) -> Option<Value> {
        args.is_empty()
            .then(|| self.symbols.get(&*v.name).cloned())
            .flatten()
    }
    fn opaque(&self, d: DefId, _args: &[Value], _primed: bool) -> Option<Value> {
        self.opaque.get(&d).cloned()
    }
    fn universe(&self, _v: &BVar) -> Option<&[Value]> {
        self.universe.as_deref()
    }
}

impl Model {
    fn constant(mut self, prog: &Program, name: &str, v: Value) -> Self {
        let i = prog.consts.iter().position(|c| &*c.name == name).unwrap();
        self.consts.insert(i as u32, v);
        self
    }
    fn variable(mut self, prog: &Program, name: &str, now: Value, next: Value) -> Self {
        let i = prog.vars.iter().position(|c| &*c.name == name).unwrap() as u32;
        self.vars.insert((i, false), now);
        self.vars.insert((i, true), next);
        self
    }
}

fn def_id(prog: &Program, name: &str) -> DefId {
    let i = prog.defs.iter().position(|d| &*d.name == name);
    DefId(i.unwrap_or_else(|| panic!("no definition {name}")) as u32)
}

fn body(prog: &Program, name: &str) -> E {
    match &prog.def(def_id(prog, name)).body {
        DefBody::Expr(e) => e.clone(),
        _ => panic!("{name} is not an operator definition"),
    }
}

/// A result as text: the printed value, or the kind of error.
fn show(r: &Result<Value, EvalError>) -> String {
    match r {
        Ok(v) => v.to_string(),
        Err(EvalError::Unspecified { .. }) => "UNSPECIFIED".into(),
        Err(EvalError::Unsupported { .. }) => "UNSUPPORTED".into(),
    }
}

/// Evaluate each named definition (all definitions expanded) and compare.
fn check(prog: &Program, model: &Model, cases: &[(&str, &str)]) {
    let all: BTreeSet<DefId> = (0..prog.defs.len() as u32).map(DefId).collect();
    check_with(prog, model, &all, Limits::default(), cases);
}

fn check_with(
    prog: &Program,
    model: &Model,
    expand: &BTreeSet<DefId>,
    limits: Limits,
    cases: &[(&str, &str)],
) {
    let mut bad = Vec::new();
    for (name, want) in cases {
        let mut ev = Evaluator::new(prog, model, expand).with_limits(limits);
        let r = ev.eval(&body(prog, name));
        let got = show(&r);
        if got != *want {
            bad.push(format!("{name}: expected {want}, got {got} ({r:?})"));
        }
    }
    assert!(bad.is_empty(), "{}", bad.join("\n"));
}

const HEADER: &str = "EXTENDS Naturals, Integers, FiniteSets\n";

fn module(body: &str) -> String {
    format!("---- MODULE T ----\n{HEADER}{body}\n====\n")
}

#[test]
fn arithmetic() {
    let prog = analyze(&module(
        r#"
Add == 2 + 3 * 4
Sub == 2 - 5
Neg == -(3)
DivPos == 7 \div 2
DivNegDividend == (-7) \div 2
ModNegDividend == (-7) % 2
\* Prefix minus binds tighter than % and looser than \div.
Precedence == -7 % 2
DivPrecedence == -7 \div 2
DivZero == 7 \div 0
DivNegDivisor == 7 \div (-2)
ModNegDivisor == 7 % (-2)
AddStr == 1 + "a"
Overflow == 9223372036854775807 + 1
Cmp == 1 < 2 /\ 2 <= 2 /\ 3 > 2 /\ 3 >= 4
CmpStr == "a" < 1
Interval == 3 .. 1
Interval2 == -1 .. 1
"#,
    ));
    check(
        &prog,
        &Model::default(),
        &[
            ("Add", "14"),
            ("Sub", "-3"),
            ("Neg", "-3"),
            ("DivPos", "3"),
            ("DivNegDividend", "-4"),
            ("ModNegDividend", "1"),
            ("Precedence", "1"),
            ("DivPrecedence", "-3"),
            ("DivZero", "UNSPECIFIED"),
            ("DivNegDivisor", "UNSPECIFIED"),
            ("ModNegDivisor", "UNSPECIFIED"),
            ("AddStr", "UNSPECIFIED"),
            ("Overflow", "UNSUPPORTED"),
            ("Cmp", "FALSE"),
            ("CmpStr", "UNSPECIFIED"),
            ("Interval", "{}"),
            ("Interval2", "{-1, 0, 1}"),
        ],
    );
}

#[test]
fn connectives_are_lazy_but_tla_valued() {
    let prog = analyze(&module(
        r#"
U == 1 + "a" = 2
AndFalseFirst == FALSE /\ U
AndFalseLast == U /\ FALSE
AndUnspec == TRUE /\ U
AndNonBool == TRUE /\ 3
AndNonBoolFalse == 3 /\ FALSE
AndAll == /\ 1 = 1
          /\ 2 = 2
OrTrue == U \/ TRUE
OrUnspec == FALSE \/ U
ImpliesFalse == FALSE => 3
ImpliesTrueRight == U => TRUE
ImpliesUnspec == TRUE => U
Equiv == TRUE <=> FALSE
EquivNonBool == TRUE <=> 3
NotNonBool == ~ 3
NotOk == ~ FALSE
IfNonBool == IF 3 THEN 1 ELSE 2
IfOk == IF 1 < 2 THEN "a" ELSE U
IfElse == IF 1 > 2 THEN U ELSE "b"
"#,
    ));
    check(
        &prog,
        &Model::default(),
        &[
            ("AndFalseFirst", "FALSE"),
            ("AndFalseLast", "FALSE"),
            ("AndUnspec", "UNSPECIFIED"),
            ("AndNonBool", "UNSPECIFIED"),
            ("AndNonBoolFalse", "FALSE"),
            ("AndAll", "TRUE"),
            ("OrTrue", "TRUE"),
            ("OrUnspec", "UNSPECIFIED"),
            ("ImpliesFalse", "TRUE"),
            ("ImpliesTrueRight", "TRUE"),
            ("ImpliesUnspec", "UNSPECIFIED"),
            ("Equiv", "FALSE"),
            ("EquivNonBool", "UNSPECIFIED"),
            ("NotNonBool", "UNSPECIFIED"),
            ("NotOk", "TRUE"),
            ("IfNonBool", "UNSPECIFIED"),
            ("IfOk", "\"a\""),
            ("IfElse", "\"b\""),
        ],
    );
}

#[test]
fn equality_is_tla_equality() {
    let prog = analyze(&module(
        r#"
TupleIsFun == <<1, 2>> = [i \in 1..2 |-> i]
RecIsFun == [a |-> 1] = [k \in {"a"} |-> 1]
RecDiffDom == [a |-> 1] = [b |-> 1]
SetEq == {1, 2} = {2, 1, 1}
EmptyStr == "" = <<>>
StrNeq == "a" = "b"
StrNotSeq == "a" = <<"a">>
Kinds == 1 = TRUE
EmptySetNotEmptyFun == {} = <<>>
EqNat == {1, 2} = Nat
NeqNat == Nat # {1}
NatNat == Nat = Nat
DomTuple == DOMAIN <<1, 2>> = 1..2
DomRec == DOMAIN [a |-> 1, b |-> 2] = {"a", "b"}
Unspec == <<1>>[2] = 1
"#,
    ));
    check(
        &prog,
        &Model::default(),
        &[
            ("TupleIsFun", "TRUE"),
            ("RecIsFun", "TRUE"),
            ("RecDiffDom", "FALSE"),
            ("SetEq", "TRUE"),
            ("EmptyStr", "TRUE"),
            ("StrNeq", "FALSE"),
            ("StrNotSeq", "FALSE"),
            ("Kinds", "FALSE"),
            ("EmptySetNotEmptyFun", "FALSE"),
            ("EqNat", "FALSE"),
            ("NeqNat", "TRUE"),
            ("NatNat", "UNSUPPORTED"),
            ("DomTuple", "TRUE"),
            ("DomRec", "TRUE"),
            ("Unspec", "UNSPECIFIED"),
        ],
    );
}

#[test]
fn choose_and_case_are_deterministic() {
    let prog = analyze(&module(
        r#"
Ch1 == (CHOOSE v \in {1, 2} : v > 0) = (CHOOSE v \in {2, 1} : v > 0)
Ch2 == CHOOSE v \in {3, 1, 2} : v > 1
ChEquiv == (CHOOSE v \in 1..5 : v > 2) = (CHOOSE v \in 1..5 : v >= 3 /\ v # 0)
ChNone == CHOOSE v \in {1, 2} : v > 5
ChUnspecFirst == CHOOSE v \in {1, 2} : <<TRUE>>[3 - v]
ChUnspecLast == CHOOSE v \in {1, 2} : <<TRUE>>[v] \/ v = 1
ChUnbounded == CHOOSE v : v \in {2} /\ v > 1
Case2 == CASE TRUE -> 2 [] TRUE -> 1
CaseFirst == CASE 1 = 1 -> "x" [] 1 = 2 -> "y"
CaseNone == CASE FALSE -> 1
CaseOther == CASE FALSE -> 1 [] OTHER -> 5
CaseUnspecGuard == CASE 3 -> 1 [] TRUE -> 2
"#,
    ));
    let model = Model {
        universe: Some(vec![
            Value::bool(false),
            Value::int(0),
            Value::int(1),
            Value::int(2),
            Value::int(3),
        ]),
        ..Model::default()
    };
    check(
        &prog,
        &model,
        &[
            ("Ch1", "TRUE"),
            ("Ch2", "2"),
            ("ChEquiv", "TRUE"),
            ("ChNone", "UNSPECIFIED"),
            ("ChUnspecFirst", "UNSPECIFIED"),
            ("ChUnspecLast", "1"),
            ("ChUnbounded", "2"),
            ("Case2", "1"),
            ("CaseFirst", "\"x\""),
            ("CaseNone", "UNSPECIFIED"),
            ("CaseOther", "5"),
            ("CaseUnspecGuard", "UNSPECIFIED"),
        ],
    );
}

#[test]
fn quantifiers() {
    let prog = analyze(&module(
        r#"
AllIn == \A v \in {1, 2} : v \in {1, 2}
ExSq == \E v \in 1..3 : v * v = 4
AllMulti == \A i \in 1..2, j \in 1..2 : i + j <= 4
AllMultiNo == \A i \in 1..2, j \in 1..3 : i + j <= 4
VacuousAll == \A i \in {}, j \in Nat : FALSE
VacuousEx == \E i \in Nat, j \in {} : TRUE
AllNat == \A i \in Nat : i >= 0
Unbounded == \E v : v = 3
UnboundedAll == \A v : v # 7
AllUnspec == \A i \in {1, 2} : <<1>>[i] = 1
ExPastUnspec == \E i \in {2, 1} : <<1>>[i] = 1
AllFalseDecides == \A i \in {1, 2} : <<1>>[i] = 1 /\ i = 1
NonSetBound == \A i \in 3 : TRUE
"#,
    ));
    let model = Model {
        universe: Some((0..5).map(Value::int).collect()),
        ..Model::default()
    };
    check(
        &prog,
        &model,
        &[
            ("AllIn", "TRUE"),
            ("ExSq", "TRUE"),
            ("AllMulti", "TRUE"),
            ("AllMultiNo", "FALSE"),
            ("VacuousAll", "TRUE"),
            ("VacuousEx", "FALSE"),
            ("AllNat", "UNSUPPORTED"),
            ("Unbounded", "TRUE"),
            ("UnboundedAll", "TRUE"),
            ("AllUnspec", "UNSPECIFIED"),
            ("ExPastUnspec", "TRUE"),
            ("AllFalseDecides", "FALSE"),
            ("NonSetBound", "UNSPECIFIED"),
        ],
    );
    // Without a universe, unbounded quantifiers cannot be evaluated.
    check(&prog, &Model::default(), &[("Unbounded", "UNSUPPORTED")]);
}

#[test]
fn set_constructions() {
    let prog = analyze(&module(
        r#"
Filter == {i \in 1..5 : i % 2 = 0}
FilterUnspec == {i \in 1..2 : <<TRUE>>[i]}
Map == {i * i : i \in -1..1}
MapMulti == {<<i, j>> : i \in 1..2, j \in {"a"}}
Sub == SUBSET {1, 2}
Uni == UNION {{1}, {2, 3}}
UniNonSet == UNION {{1}, 2}
Ops == ({1, 2} \cup {3}) \ ({1} \cap {1, 2})
CapNat == {-1, 0, 1} \cap Nat
NatCap == Nat \cap {-1, 0, 1}
MinusNat == {-1, 0, 1} \ Nat
CupNat == {1} \cup Nat
Subseteq == {1} \subseteq {1, 2} /\ ~({3} \subseteq {1})
SubNat == {1, 2} \subseteq Nat
NatSubFinite == Nat \subseteq {1, 2}
FnSetEnum == [{1, 2} -> {TRUE}]
FnSetEmpty == [{} -> {1}]
FnSetToEmpty == [{1} -> {}]
RecSet == [a : {1, 2}, b : {"x"}]
Prod == {1} \X {2, 3}
Card == Cardinality({1, 2}) = 2
CardMap == Cardinality({i % 2 : i \in 1..10})
CardNat == Cardinality(Nat)
CardNonSet == Cardinality(3)
Fin == IsFiniteSet({1, 2, 3}) /\ ~IsFiniteSet(Nat)
FinPower == IsFiniteSet(SUBSET Nat)
FinFnSet == IsFiniteSet([{1} -> Nat])
FinFnSetEmptyDom == IsFiniteSet([{} -> Nat])
FinRecSet == IsFiniteSet([a : Int, b : {}])
BigSubset == SUBSET (1..30)
Bools == BOOLEAN
EnumNat == {i \in Nat : i < 3}
"#,
    ));
    check(
        &prog,
        &Model::default(),
        &[
            ("Filter", "{2, 4}"),
            ("FilterUnspec", "UNSPECIFIED"),
            ("Map", "{0, 1}"),
            ("MapMulti", "{<<1, \"a\">>, <<2, \"a\">>}"),
            ("Sub", "{{}, {1}, {1, 2}, {2}}"),
            ("Uni", "{1, 2, 3}"),
            ("UniNonSet", "UNSPECIFIED"),
            ("Ops", "{2, 3}"),
            ("CapNat", "{0, 1}"),
            ("NatCap", "{0, 1}"),
            ("MinusNat", "{-1}"),
            ("CupNat", "UNSUPPORTED"),
            ("Subseteq", "TRUE"),
            ("SubNat", "TRUE"),
            ("NatSubFinite", "FALSE"),
            ("FnSetEnum", "{<<TRUE, TRUE>>}"),
            ("FnSetEmpty", "{<<>>}"),
            ("FnSetToEmpty", "{}"),
            ("RecSet", "{[a |-> 1, b |-> \"x\"], [a |-> 2, b |-> \"x\"]}"),
            ("Prod", "{<<1, 2>>, <<1, 3>>}"),
            ("Card", "TRUE"),
            ("CardMap", "2"),
            ("CardNat", "UNSPECIFIED"),
            ("CardNonSet", "UNSPECIFIED"),
            ("Fin", "TRUE"),
            ("FinPower", "FALSE"),
            ("FinFnSet", "FALSE"),
            ("FinFnSetEmptyDom", "UNSUPPORTED"),
            ("FinRecSet", "UNSUPPORTED"),
            ("BigSubset", "UNSUPPORTED"),
            ("Bools", "{FALSE, TRUE}"),
            ("EnumNat", "UNSUPPORTED"),
        ],
    );
}

#[test]
fn membership_needs_no_enumeration() {
    let prog = analyze(&module(
        r#"
InNat == 3 \in Nat /\ -1 \notin Nat /\ -1 \in Int /\ "a" \notin Int
InStr == "a" \in STRING /\ 1 \notin STRING /\ "" \in STRING
InBool == TRUE \in BOOLEAN /\ 1 \notin BOOLEAN
InFnSet == [i \in 1..2 |-> i] \in [1..2 -> Nat]
InFnSetNo == [i \in 1..2 |-> -i] \in [1..2 -> Nat]
InFnSetInfDom == <<1>> \in [Nat -> Nat]
InFnSetNonFun == 3 \in [Nat -> Nat]
InFnSetStr == "ab" \in [1..2 -> STRING]
InSubsetNat == {1, 2} \in SUBSET Nat /\ 3 \notin SUBSET Nat
InSubsetSubset == {{1}} \in SUBSET SUBSET Nat
InRecSet == [a |-> 1, b |-> "x"] \in [a : Nat, b : STRING]
InRecSetMissing == [a |-> 1] \in [a : Nat, b : STRING]
InProd == <<1, "a">> \in Nat \X STRING
InProdLen == <<1>> \in Nat \X Nat
InFilterInf == 4 \in {i \in Nat : i % 2 = 0} /\ 3 \notin {i \in Nat : i % 2 = 0}
InUnionInf == -3 \in Nat \cup {-3}
InMinusInf == 3 \in Int \ {3}
InNonSet == 1 \in 3
InRange == 5 \in 1..1000000000
InDomainLit == 7 \in DOMAIN [i \in Nat |-> i]
InEnumUnspec == 1 \in {1, <<1>>[2]}
InEnumUnspecNo == 3 \in {1, <<1>>[2]}
InUnion == 2 \in UNION {{1}, {2}}
"#,
    ));
    check(
        &prog,
        &Model::default(),
        &[
            ("InNat", "TRUE"),
            ("InStr", "TRUE"),
            ("InBool", "TRUE"),
            ("InFnSet", "TRUE"),
            ("InFnSetNo", "FALSE"),
            ("InFnSetInfDom", "FALSE"),
            ("InFnSetNonFun", "FALSE"),
            ("InFnSetStr", "FALSE"),
            ("InSubsetNat", "TRUE"),
            ("InSubsetSubset", "TRUE"),
            ("InRecSet", "TRUE"),
            ("InRecSetMissing", "FALSE"),
            ("InProd", "TRUE"),
            ("InProdLen", "FALSE"),
            ("InFilterInf", "TRUE"),
            ("InUnionInf", "TRUE"),
            ("InMinusInf", "FALSE"),
            ("InNonSet", "UNSPECIFIED"),
            ("InRange", "TRUE"),
            ("InDomainLit", "TRUE"),
            ("InEnumUnspec", "TRUE"),
            ("InEnumUnspecNo", "UNSPECIFIED"),
            ("InUnion", "TRUE"),
        ],
    );
}

#[test]
fn functions_records_tuples() {
    let prog = analyze(&module(
        r#"
FnApp == [i \in Nat |-> i * 2][21]
FnAppOut == [i \in 1..2 |-> i][3]
FnLitWhole == [i \in 1..3 |-> i * i]
FnLitNat == [i \in Nat |-> i]
FnMulti == [i \in 1..2, j \in 1..2 |-> i * 10 + j][2, 1]
FnMultiTuple == [i \in 1..2, j \in 1..2 |-> i * 10 + j][<<1, 2>>]
FnMultiDom == DOMAIN [i \in 1..2, j \in {0} |-> i]
TupleApp == <<5, 6>>[2]
FieldOk == [a |-> 1, b |-> 2].b
FieldMissing == [a |-> 1].c
FieldNonFun == (3).c
ApplyNonFun == 3[1]
DomNonFun == DOMAIN 3
DomLit == DOMAIN [i \in {3, 4} |-> i]
Except1 == [[a |-> 1, b |-> 2] EXCEPT !.a = @ + 10]
ExceptNested == [[i \in 1..2 |-> [a |-> i]] EXCEPT ![2].a = @ * 5]
ExceptOutside == [<<1, 2>> EXCEPT ![5] = 0] = <<1, 2>>
ExceptMulti == [<<1, 2, 3>> EXCEPT ![1] = 0, ![3] = @ + 1]
ExceptTwoArgs == [[i \in 1..2, j \in 1..2 |-> 0] EXCEPT ![1, 2] = 7][1, 2]
ExceptNonFun == [3 EXCEPT ![1] = 0]
ExceptInnerNonFun == [<<3>> EXCEPT ![1].a = 0]
StrDom == DOMAIN "abc"
StrChar == "abc"[1]
FnOnInts == [i \in {2, 3} |-> i]
"#,
    ));
    check(
        &prog,
        &Model::default(),
        &[
            ("FnApp", "42"),
            ("FnAppOut", "UNSPECIFIED"),
            ("FnLitWhole", "<<1, 4, 9>>"),
            ("FnLitNat", "UNSUPPORTED"),
            ("FnMulti", "21"),
            ("FnMultiTuple", "12"),
            ("FnMultiDom", "{<<1, 0>>, <<2, 0>>}"),
            ("TupleApp", "6"),
            ("FieldOk", "2"),
            ("FieldMissing", "UNSPECIFIED"),
            ("FieldNonFun", "UNSPECIFIED"),
            ("ApplyNonFun", "UNSPECIFIED"),
            ("DomNonFun", "UNSPECIFIED"),
            ("DomLit", "{3, 4}"),
            ("Except1", "[a |-> 11, b |-> 2]"),
            ("ExceptNested", "<<[a |-> 1], [a |-> 10]>>"),
            ("ExceptOutside", "TRUE"),
            ("ExceptMulti", "<<0, 2, 4>>"),
            ("ExceptTwoArgs", "7"),
            ("ExceptNonFun", "UNSPECIFIED"),
            ("ExceptInnerNonFun", "UNSPECIFIED"),
            ("StrDom", "{1, 2, 3}"),
            ("StrChar", "UNSUPPORTED"),
            ("FnOnInts", "(2 :> 2 @@ 3 :> 3)"),
        ],
    );
}

#[test]
fn recursive_functions() {
    let prog = analyze(&module(
        r#"
fact[n \in Nat] == IF n = 0 THEN 1 ELSE n * fact[n - 1]
Fact5 == fact[5]
FactNeg == fact[-1]
FactWhole == fact
fib[n \in 0..90] == IF n < 2 THEN n ELSE fib[n - 1] + fib[n - 2]
Fib90 == fib[90]
small[n \in 0..3] == IF n = 0 THEN 1 ELSE n * small[n - 1]
SmallWhole == small
bad[n \in Nat] == bad[n + 1]
Bad == bad[0]
InDom == 4 \in DOMAIN fact
"#,
    ));
    check(
        &prog,
        &Model::default(),
        &[
            ("Fact5", "120"),
            ("FactNeg", "UNSPECIFIED"),
            ("FactWhole", "UNSUPPORTED"),
            ("Fib90", "2880067194370816120"),
            ("SmallWhole", "(0 :> 1 @@ 1 :> 1 @@ 2 :> 2 @@ 3 :> 6)"),
            ("Bad", "UNSUPPORTED"),
            ("InDom", "TRUE"),
        ],
    );
}

#[test]
fn state_primes_and_definitions() {
    let prog = analyze(&module(
        r#"
\* @type: Int;
CONSTANT N
\* @type: Int;
VARIABLE x
\* @type: Int;
VARIABLE z
\* @type: Int -> Int;
VARIABLE y
Op(p) == p'
OpX == Op(x)
OpEq == x = z /\ Op(x) # Op(z)
Unch == UNCHANGED y
UnchX == UNCHANGED x
UnchOp(p) == UNCHANGED p
UnchOpX == UnchOp(x)
UnchTuple == UNCHANGED <<y, x>>
Box == [FALSE]_y
BoxX == [x' = 3]_x
Angle == <<TRUE>>_y
AngleX == <<x' = 2>>_x
PrimedExpr == (x + N)'
ConstPrime == N' = N
Plus(a, b) == a + b
Twice(a) == Plus(a, a)
Call == Twice(x')
LetDefs == LET a == 2
               b(q) == q * a
           IN b(5)
LetCapture == \A i \in 1..3 : LET d == i * 2 IN d % 2 = 0
Temporal == [](x = 1)
Enabled == ENABLED (x' = 1)
"#,
    ));
    let model = Model::default()
        .constant(&prog, "N", Value::int(10))
        .variable(&prog, "x", Value::int(1), Value::int(2))
        .variable(&prog, "z", Value::int(1), Value::int(3))
        .variable(
            &prog,
            "y",
            Value::tuple([1.into()]),
            Value::tuple([1.into()]),
        );
    check(
        &prog,
        &model,
        &[
            ("OpX", "2"),
            ("OpEq", "TRUE"),
            ("Unch", "TRUE"),
            ("UnchX", "FALSE"),
            ("UnchOpX", "FALSE"),
            ("UnchTuple", "FALSE"),
            ("Box", "TRUE"),
            ("BoxX", "FALSE"),
            ("Angle", "FALSE"),
            ("AngleX", "TRUE"),
            ("PrimedExpr", "12"),
            ("ConstPrime", "TRUE"),
            ("Call", "4"),
            ("LetDefs", "10"),
            ("LetCapture", "TRUE"),
            ("Temporal", "UNSUPPORTED"),
            ("Enabled", "UNSUPPORTED"),
        ],
    );
    // Without the model's values, no value.
    check(
        &prog,
        &Model::default(),
        &[("OpX", "UNSUPPORTED"), ("PrimedExpr", "UNSUPPORTED")],
    );
}

#[test]
fn hidden_definitions_come_from_the_model() {
    let prog = analyze(&module(
        r#"
Hidden == 5
Inc(a) == a + 1
UseHidden == Hidden + Inc(1)
"#,
    ));
    let mut model = Model::default();
    model.opaque.insert(def_id(&prog, "Hidden"), Value::int(7));
    // `Hidden` is not expanded: the model's 7; `Inc` has no model value:
    // expanded.
    let expand: BTreeSet<DefId> = [def_id(&prog, "UseHidden")].into();
    check_with(
        &prog,
        &model,
        &expand,
        Limits::default(),
        &[("UseHidden", "9")],
    );
    // Expanded: its body.
    let expand: BTreeSet<DefId> = [def_id(&prog, "UseHidden"), def_id(&prog, "Hidden")].into();
    check_with(
        &prog,
        &model,
        &expand,
        Limits::default(),
        &[("UseHidden", "7")],
    );
}

#[test]
fn runaway_evaluation_is_unsupported() {
    let prog = analyze(&module(
        r#"
Many == \A i \in 1..5000 : i > 0
Huge == \A i \in 1..100000, j \in 1..100000 : TRUE
bad[n \in Nat] == bad[n + 1]
Bad == bad[0]
"#,
    ));
    let small = Limits {
        max_steps: 1000,
        ..Limits::default()
    };
    let all: BTreeSet<DefId> = (0..prog.defs.len() as u32).map(DefId).collect();
    check_with(
        &prog,
        &Model::default(),
        &all,
        small,
        &[("Many", "UNSUPPORTED")],
    );
    check(
        &prog,
        &Model::default(),
        &[("Many", "TRUE"), ("Huge", "UNSUPPORTED")],
    );
    // A deep recursion ends in `Unsupported`, not a stack overflow: with
    // the default limits on a 2 MiB thread stack, and with a nesting limit
    // far above what the stack holds but a stack limit that fits.
    let runs = [
        (2 << 20, Limits::default()),
        (
            512 << 10,
            Limits {
                max_depth: 1_000_000,
                max_stack: 256 << 10,
                ..Limits::default()
            },
        ),
    ];
    for (stack, limits) in runs {
        let handle = std::thread::Builder::new()
            .stack_size(stack)
            .spawn(move || {
                let prog = analyze(&module("bad[n \\in Nat] == bad[n + 1]\nBad == bad[0]"));
                let all: BTreeSet<DefId> = (0..prog.defs.len() as u32).map(DefId).collect();
                let model = Model::default();
                let mut ev = Evaluator::new(&prog, &model, &all).with_limits(limits);
                // Values hold `Rc`s: send the outcome back as text.
                ev.eval(&body(&prog, "Bad"))
                    .map(|v| v.to_string())
                    .map_err(|e| e.to_string())
            })
            .unwrap();
        let r = handle.join().unwrap();
        assert!(
            matches!(&r, Err(e) if e.starts_with("cannot evaluate") && e.contains("nests deeper")),
            "{r:?}"
        );
    }
}

#[test]
fn operator_parameters() {
    // The front end passes operators to operator parameters as LAMBDAs
    // (a definition's name as an argument is refused): the parameter is
    // applied by substituting the LAMBDA's body, in the caller's state.
    let prog = analyze(&module(
        r#"
\* @type: Int;
VARIABLE x
Apply2(F(_), v) == F(v)
HO == Apply2(LAMBDA q : q + 1, 4)
HOPrime == Apply2(LAMBDA q : q', x)
HOState == Apply2(LAMBDA q : q + x, 1)'
"#,
    ));
    let model = Model::default().variable(&prog, "x", Value::int(1), Value::int(5));
    check(
        &prog,
        &model,
        &[("HO", "5"), ("HOPrime", "5"), ("HOState", "6")],
    );
}
