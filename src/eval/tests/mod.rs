//! Unit tests of the evaluator, one or more per construct: small modules
//! are analysed by the project's front end, and definitions are evaluated
//! in a hand-made model. Expected values are worked out by hand from
//! TLA+'s definitions.

use super::*;
use crate::semantic::ir::{DefBody, DefId, E};
use crate::semantic::{self, Program};
use std::collections::{BTreeSet, HashMap};
use std::sync::atomic::{AtomicUsize, Ordering};

mod definitions;
mod structures;

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
fn results_that_rely_on_the_universe_are_flagged() {
    let prog = analyze(&module(
        r#"
ExWitness == \E v : v = 3
AllCounter == \A v : v # 3
ChooseWitness == CHOOSE v : v > 2
AllExhaustive == \A v : v # 7
ExExhaustive == \E v : v = 9
Bounded == \A v \in {1, 2} : v > 0
Nested == ~(\A v : v # 7)
"#,
    ));
    let model = Model {
        universe: Some((0..5).map(Value::int).collect()),
        ..Model::default()
    };
    let all: BTreeSet<DefId> = (0..prog.defs.len() as u32).map(DefId).collect();
    for (name, want, relied) in [
        ("ExWitness", "TRUE", false),
        ("AllCounter", "FALSE", false),
        ("ChooseWitness", "3", false),
        ("Bounded", "TRUE", false),
        ("AllExhaustive", "TRUE", true),
        ("ExExhaustive", "FALSE", true),
        ("Nested", "FALSE", true),
    ] {
        let mut ev = Evaluator::new(&prog, &model, &all);
        let r = ev.eval(&body(&prog, name));
        assert_eq!(show(&r), want, "{name}");
        assert_eq!(ev.relied_on_universe(), relied, "{name}");
    }
}
