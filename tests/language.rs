//! Language constructs of published TLAPS proofs (issue 10), each in a
//! small module whose theorems must all be proved, with a control that
//! must not be where that makes sense.

mod prove_support;

use prove_support::{assert_outcomes_in, fresh_dir, prove_body, proved};
use std::time::Duration;
use tlasmt::driver::Report;

/// Check every theorem of module `name` with `body`; `Err` with the
/// message if the module is refused.
fn prove(name: &str, body: &str) -> Result<Report, String> {
    prove_body("language", name, body, Duration::from_secs(5), 1)
}

/// Every theorem named `Ok*` is proved and every one named `Bad*` is not.
fn assert_outcomes(name: &str, body: &str) {
    assert_outcomes_in("language", name, body, Duration::from_secs(5));
}

#[test]
fn labels_are_transparent() {
    assert_outcomes(
        "Labels",
        r#"EXTENDS Naturals
VARIABLE x
Inc == inc :: x' = x + 1
Pick(S) == pick(S) :: \E s \in S : lbl :: x' = s
THEOREM OkInc == x \in Nat /\ Inc => x' \in Nat
  BY DEF Inc
THEOREM OkPick == Pick({1, 2}) => x' > 0
  BY DEF Pick
THEOREM BadPick == Pick({0, 2}) => x' > 0
  BY DEF Pick"#,
    );
}

/// Module-level USE/HIDE hold for the theorems after them, until the end
/// of the module; HIDE takes back definitions and facts.
#[test]
fn module_level_use_and_hide() {
    assert_outcomes(
        "ModuleUse",
        r#"EXTENDS Naturals
CONSTANT N
ASSUME NInNat == N \in Nat
Double == 2 * N
USE NInNat DEF Double
THEOREM OkDouble == Double >= N
  OBVIOUS
HIDE DEF Double
THEOREM BadDoubleHidden == Double >= N
  OBVIOUS
USE DEF Double
HIDE NInNat
THEOREM BadNatHidden == Double >= N
  OBVIOUS"#,
    );
}

/// A formula cited as a fact that restates an assumption (unnamed here) is
/// that assumption, as in TLAPS; any other formula must be proved.
#[test]
fn a_cited_formula_that_restates_an_assumption_is_that_assumption() {
    assert_outcomes(
        "Restated",
        r#"EXTENDS Naturals
CONSTANT N, M
ASSUME N \in Nat
THEOREM OkStep == N + 1 > N
  <1>. USE N   \in Nat
  <1>. QED OBVIOUS
USE N \in Nat
THEOREM OkModule == N * 1 = N
  OBVIOUS
THEOREM BadOther == M + 1 > M
  <1>. USE M \in Nat
  <1>. QED OBVIOUS"#,
    );
}

/// `@` in a proof step is the right side of the previous step's assertion
/// (calculational proofs); inside EXCEPT it keeps its own meaning.
#[test]
fn at_in_a_step_is_the_previous_right_side() {
    assert_outcomes(
        "Calc",
        r#"EXTENDS Naturals
CONSTANT N
ASSUME NAT == N \in Nat
THEOREM OkCalc == N + 0 = N
  <1>1. N + 0 = 0 + N  BY NAT
  <1>2. @ = N  BY NAT
  <1>. QED BY <1>1, <1>2
THEOREM BadCalc == N + 1 = N
  <1>1. N + 1 = 1 + N  BY NAT
  <1>2. @ = N  BY NAT
  <1>. QED BY <1>1, <1>2
THEOREM OkExceptAt == ASSUME NEW f \in [{1} -> Nat] PROVE [f EXCEPT ![1] = @ + 1][1] = f[1] + 1
  <1>1. f[1] + 5 = 5 + f[1] OBVIOUS
  <1>2. [f EXCEPT ![1] = @ + 1][1] = f[1] + 1 OBVIOUS
  <1>. QED BY <1>2"#,
    );
}

/// A step name used as a formula stands for the formula that step
/// asserts (not for its truth).
#[test]
fn a_step_name_used_as_a_formula_is_its_assertion() {
    assert_outcomes(
        "StepNames",
        r#"EXTENDS Naturals
VARIABLE x
THEOREM OkStepName == x \in Nat => x + 0 = x
  <1>1. x \in Nat => x + 0 = x  OBVIOUS
  <1>2. <1>1 <=> TRUE  BY <1>1
  <1>. QED BY <1>2
THEOREM BadStepName == x \in Nat => x + 0 = x
  <1>1. x \in Nat => x + 0 = x  OBVIOUS
  <1>2. <1>1 <=> FALSE  BY <1>1
  <1>. QED BY <1>1"#,
    );
}

/// Modules are found on TLA_PATH, and a library module found on the search
/// path replaces the built-in one (a user's installed library).
#[test]
fn tla_path_and_installed_library_modules() {
    let root = fresh_dir("tlapath");
    let (lib, work) = (root.join("lib"), root.join("work"));
    std::fs::create_dir_all(&lib).unwrap();
    std::fs::create_dir_all(&work).unwrap();
    std::fs::write(
        lib.join("Helpers.tla"),
        "---- MODULE Helpers ----\nEXTENDS Naturals\nTwice(n) == n + n\n====\n",
    )
    .unwrap();
    // An installed FiniteSetTheorems with a theorem the built-in one lacks.
    std::fs::write(
        lib.join("FiniteSetTheorems.tla"),
        "---- MODULE FiniteSetTheorems ----\nEXTENDS Naturals\nTHEOREM Installed_Fact == \\A n \\in Nat : n + 0 = n\n====\n",
    )
    .unwrap();
    std::fs::write(
        work.join("UsesLib.tla"),
        "---- MODULE UsesLib ----\nEXTENDS Helpers, FiniteSetTheorems\nTHEOREM T == Twice(2) = 4\n  BY DEF Twice\nTHEOREM U == 3 + 0 = 3\n  BY Installed_Fact\n====\n",
    )
    .unwrap();
    let run = |tla_path: Option<&std::path::Path>| {
        let mut cmd = std::process::Command::new(env!("CARGO_BIN_EXE_tlasmt"));
        cmd.args(["prove", "all", "--module", "UsesLib.tla"])
            .current_dir(&work)
            .env_remove("TLA_PATH");
        if let Some(p) = tla_path {
            cmd.env("TLA_PATH", p);
        }
        let out = cmd.output().unwrap();
        (
            out.status.code(),
            String::from_utf8_lossy(&out.stdout).into_owned()
                + &String::from_utf8_lossy(&out.stderr),
        )
    };
    let (code, text) = run(Some(&lib));
    assert_eq!(code, Some(0), "{text}");
    let (code, text) = run(None);
    assert_eq!(code, Some(2), "{text}");
    assert!(text.contains("cannot find module `Helpers`"), "{text}");
    let _ = std::fs::remove_dir_all(&root);
}

/// `LOCAL INSTANCE` of a built-in standard module and LOCAL definitions.
#[test]
fn local_instance_of_a_standard_module() {
    assert_outcomes(
        "LocalInst",
        r#"LOCAL INSTANCE Naturals
LOCAL INSTANCE FiniteSets
LOCAL Double(n) == 2 * n
THEOREM OkDouble == Double(2) = 4
  BY DEF Double
THEOREM OkCard == Cardinality({1, 2}) = 2
  OBVIOUS
THEOREM BadDouble == Double(2) = 5
  BY DEF Double"#,
    );
}

/// `prove --line N` checks the theorem (named or not) at that line.
#[test]
fn a_theorem_is_selected_by_line() {
    let dir = fresh_dir("line");
    std::fs::write(
        dir.join("Lines.tla"),
        "---- MODULE Lines ----\nEXTENDS Naturals\nTHEOREM 1 + 1 = 2\n  OBVIOUS\n\nTHEOREM Named == 2 + 2 = 5\n  <1>1. 2 + 2 = 4 OBVIOUS\n  <1>. QED BY <1>1\n====\n",
    )
    .unwrap();
    let run = |line: &str| {
        let out = std::process::Command::new(env!("CARGO_BIN_EXE_tlasmt"))
            .args(["prove", "--line", line, "--module", "Lines.tla"])
            .current_dir(&dir)
            .output()
            .unwrap();
        let text = String::from_utf8_lossy(&out.stdout).into_owned()
            + &String::from_utf8_lossy(&out.stderr);
        (out.status.code(), text)
    };
    // The unnamed theorem, by its statement's line and by its proof's.
    for line in ["3", "4"] {
        let (code, text) = run(line);
        assert_eq!(code, Some(0), "{text}");
        assert!(text.contains("1/1 obligations proved"), "{text}");
        assert!(!text.contains("Named"), "{text}");
    }
    // The named one, from a line inside its proof: its QED fails.
    let (code, text) = run("7");
    assert_eq!(code, Some(1), "{text}");
    assert!(text.contains("THEOREM Named"), "{text}");
    // A line outside every theorem: a located input error.
    let (code, text) = run("5");
    assert_eq!(code, Some(2), "{text}");
    assert!(text.contains("Lines.tla:5:1: error: no theorem"), "{text}");
    let _ = std::fs::remove_dir_all(&dir);
}

/// Operator arguments: an operator name or a LAMBDA passed for a
/// parameter `F(_)`; the higher-order definition is expanded (a hidden one
/// is not a function of values, so it is not encoded).
#[test]
fn operator_arguments_and_lambda() {
    assert_outcomes(
        "HigherOrder",
        r#"EXTENDS Naturals
Double(n) == 2 * n
Apply(F(_), x) == F(x)
Twice(F(_), x) == F(F(x))
Both(R(_, _), a, b) == R(a, b) /\ R(b, a)
THEOREM OkName == Apply(Double, 2) = 4
  BY DEF Apply, Double
THEOREM OkLambda == Apply(LAMBDA y : y + 1, 2) = 3
  BY DEF Apply
THEOREM OkNested == Twice(Double, 3) = 12
  BY DEF Twice, Double
THEOREM OkBuiltinRelation == Both(LAMBDA u, v : u = v, 1, 1)
  BY DEF Both
THEOREM BadName == Apply(Double, 2) = 5
  BY DEF Apply, Double
THEOREM BadHidden == Apply(Double, 2) = 4
  BY DEF Double"#,
    );
}

/// An operator symbol standing alone is the operator it names: built-in
/// (`+`, `\cup`, prefix `-.`) or the module's own (`\prec`).
#[test]
fn operator_symbols_as_arguments() {
    assert_outcomes(
        "SymbolArguments",
        r#"EXTENDS Integers
a \prec b == a < b
Apply2(Op(_, _), x, y) == Op(x, y)
Apply1(Op(_), x) == Op(x)
Commutes(Op(_, _), S) == \A x, y \in S : Op(x, y) = Op(y, x)
THEOREM OkPlus == Apply2(+, 3, 4) = 7
  BY DEF Apply2
THEOREM OkUnion == Apply2(\cup, {1}, {2}) = {1, 2}
  BY DEF Apply2
THEOREM OkOwn == Apply2(\prec, 1, 2)
  BY DEF Apply2, \prec
THEOREM OkNegate == Apply1(-., 3) = -3
  BY DEF Apply1
THEOREM OkCommutes == Commutes(+, Int)
  BY DEF Commutes
THEOREM BadMinus == Commutes(-, Int)
  BY DEF Commutes
THEOREM BadPlus == Apply2(+, 3, 4) = 8
  BY DEF Apply2"#,
    );
}

/// The NaturalsInduction library: NatInduction and GeneralNatInduction
/// instantiated with the proof's own predicate; without the induction
/// step, or without citing the principle, the goal is not proved.
#[test]
fn naturals_induction_library() {
    assert_outcomes(
        "NatInd",
        r#"EXTENDS Naturals, NaturalsInduction
CONSTANT f
ASSUME FAsm == f \in [Nat -> Nat] /\ f[0] = 0 /\ \A n \in Nat : f[n + 1] = f[n] + 2
P(n) == f[n] = 2 * n
THEOREM OkNat == \A n \in Nat : P(n)
  <1>1. P(0) BY FAsm DEF P
  <1>2. \A n \in Nat : P(n) => P(n + 1) BY FAsm DEF P
  <1>. QED BY <1>1, <1>2, NatInduction
THEOREM OkGeneral == \A n \in Nat : P(n)
  <1>1. \A n \in Nat : (\A m \in 0 .. (n - 1) : P(m)) => P(n)
    <2>. SUFFICES ASSUME NEW n \in Nat, \A m \in 0 .. (n - 1) : P(m) PROVE P(n) OBVIOUS
    <2>1. CASE n = 0 BY <2>1, FAsm DEF P
    <2>2. CASE n # 0
      <3>1. P(n - 1) BY <2>2
      <3>. QED BY <3>1, <2>2, FAsm DEF P
    <2>. QED BY <2>1, <2>2
  <1>. QED BY <1>1, GeneralNatInduction
THEOREM OkDownward == ASSUME NEW k \in Nat, f[k] = 2 * k PROVE f[0] = 0
  <1>1. \A n \in 1 .. k : P(n) => P(n - 1) BY FAsm DEF P
  <1>. QED BY <1>1, DownwardNatInduction DEF P
THEOREM BadNoStep == \A n \in Nat : P(n)
  <1>1. P(0) BY FAsm DEF P
  <1>. QED BY <1>1, NatInduction
THEOREM BadNotCited == \A n \in Nat : P(n)
  <1>1. P(0) BY FAsm DEF P
  <1>2. \A n \in Nat : P(n) => P(n + 1) BY FAsm DEF P
  <1>. QED BY <1>1, <1>2"#,
    );
}

/// The standard module Sequences is built in, as definitions (hidden
/// unless cited, like any definition).
#[test]
fn sequences_module_as_definitions() {
    assert_outcomes(
        "Seqs",
        r#"EXTENDS Naturals, Sequences
THEOREM OkLen == Len(<<1, 2>>) = 2
  BY DEF Len
THEOREM OkHead == Head(<<3, 4>>) = 3
  BY DEF Head
THEOREM BadLen == Len(<<1, 2>>) = 3
  BY DEF Len
THEOREM BadNative == Len(<<1, 2>>) = 1
  OBVIOUS"#,
    );
}

/// The standard module TLC is built in, as definitions: `:>` and `@@`
/// build functions, Print is the identity.
#[test]
fn tlc_module_as_definitions() {
    assert_outcomes(
        "TLCOps",
        r#"EXTENDS Naturals, TLC
THEOREM OkColon == (1 :> 2)[1] = 2
  BY DEF :>
THEOREM OkPrint == Print("x", 3) = 3
  BY DEF Print
THEOREM OkMerge == ((1 :> 2) @@ (3 :> 4))[3] = 4
  BY DEF :>, @@
THEOREM BadMergeLeftWins == ((1 :> 2) @@ (1 :> 4))[1] = 4
  BY DEF :>, @@
THEOREM BadHidden == (1 :> 2)[1] = 2
  OBVIOUS"#,
    );
}

/// `RECURSIVE` operators load and are used as opaque operators (hidden);
/// citing one in DEF is UNSUPPORTED with the reason: a non-terminating
/// one (`Bad(x) == Bad(x) + 1`) expanded would prove FALSE.
#[test]
fn recursive_operators_are_opaque() {
    let report = prove(
        "Recursive",
        r#"EXTENDS Naturals
RECURSIVE Sum(_), IsEven(_), IsOdd(_)
Sum(n) == IF n = 0 THEN 0 ELSE n + Sum(n - 1)
IsEven(n) == IF n = 0 THEN TRUE ELSE IsOdd(n - 1)
IsOdd(n) == IF n = 0 THEN FALSE ELSE IsEven(n - 1)
RECURSIVE Bad(_)
Bad(x) == Bad(x) + 1
Double(n) == Sum(n) + Sum(n)
THEOREM OkOpaque == Sum(3) = Sum(3) /\ (IsEven(2) => IsEven(2))
  OBVIOUS
THEOREM OkThroughDefinition == Double(2) = Sum(2) + Sum(2)
  BY DEF Double
THEOREM BadFalse == FALSE
<1>1. Bad(0) = Bad(0) + 1
  BY DEF Bad
<1>. QED  BY <1>1
THEOREM BadExpand == Sum(0) = 0
  OBVIOUS"#,
    )
    .unwrap_or_else(|e| panic!("Recursive refused: {e}"));
    for (theorem, ok) in proved(&report) {
        assert_eq!(
            ok,
            theorem.starts_with("Ok"),
            "{theorem}\n{}",
            report.to_text()
        );
    }
    let text = report.to_text();
    assert!(
        text.contains("`Bad` is a RECURSIVE operator"),
        "no reason given:\n{text}"
    );
}

/// A first-order step under temporal hypotheses goes to Z3 with its
/// temporal subformulas opaque; a model is then no counterexample: never
/// FAILED for the valid `[](x \in Nat) => x \in Nat` (Z3 cannot see it).
#[test]
fn temporal_subformulas_are_opaque_for_z3() {
    let report = prove(
        "DroppedTemporal",
        r#"EXTENDS Naturals
VARIABLE x
THEOREM OkFirstOrder == ASSUME [](x \in Nat), NEW n \in Nat PROVE n + 0 = n
  OBVIOUS
THEOREM BadNotByZ3 == ASSUME [](x \in Nat) PROVE x \in Nat
  OBVIOUS"#,
    )
    .unwrap_or_else(|e| panic!("DroppedTemporal refused: {e}"));
    for (theorem, ok) in proved(&report) {
        assert_eq!(
            ok,
            theorem.starts_with("Ok"),
            "{theorem}\n{}",
            report.to_text()
        );
    }
    for t in &report.theorems {
        for r in &t.results {
            assert!(
                !matches!(r.status, tlasmt::driver::Status::Failed(_)),
                "{}: FAILED although valid\n{}",
                t.name,
                report.to_text()
            );
        }
    }
}

/// `<1>1!2`: inside an ASSUME/PROVE step's proof, its second assumption;
/// of a step asserting a formula, the subformula (proved from the step).
#[test]
fn step_subexpression_names() {
    assert_outcomes(
        "StepSubexpressions",
        r#"EXTENDS Naturals
VARIABLE x
TypeOK == x \in Nat
Next == x' = x + 1
THEOREM OkAssumption == ASSUME TypeOK, Next PROVE TypeOK'
<1>1. ASSUME TypeOK, Next PROVE TypeOK'
  BY <1>1!1, <1>1!2 DEF Next, TypeOK
<1>. QED  BY <1>1
THEOREM OkConjunct == ASSUME NEW S, NEW T, S \subseteq T, T \subseteq S PROVE S = T
<1>1. S \subseteq T /\ T \subseteq S
  OBVIOUS
<1>2. T \subseteq S
  BY ONLY <1>1!2
<1>3. S \subseteq T
  BY ONLY <1>1!1
<1>. QED  BY <1>2, <1>3
THEOREM BadOnlyOneAssumption == ASSUME TypeOK, Next PROVE TypeOK'
<1>1. ASSUME TypeOK, Next PROVE TypeOK'
  BY ONLY <1>1!2 DEF Next, TypeOK
<1>. QED  BY <1>1"#,
    );
    let refused = prove(
        "StepSubexpressionMissing",
        r#"VARIABLE x
THEOREM T == ASSUME x = 1 PROVE x = 1
<1>1. ASSUME x = 1 PROVE x = 1
  BY <1>1!3
<1>. QED  BY <1>1"#,
    )
    .err()
    .unwrap_or_default();
    assert!(
        refused.contains(":5:6:") && refused.contains("has no assumption 3"),
        "{refused}"
    );
}

/// An operator constant of an instanced module (`CONSTANT Init(_)`) is
/// substituted by `WITH Init <- LAMBDA ...`, `WITH Init <- Name`, or
/// implicitly by the operator of the same name in scope.
#[test]
fn operator_constants_substituted_by_instance() {
    let dir = fresh_dir("language-opinst");
    std::fs::write(
        dir.join("Alt.tla"),
        "---- MODULE Alt ----\nEXTENDS Naturals\nCONSTANT Init(_), K\nVARIABLE v\nStart == Init(v) /\\ K > 0\n====\n",
    )
    .unwrap();
    let body = r#"---- MODULE Use ----
EXTENDS Naturals
VARIABLE w
Init(x) == x = 0
A == INSTANCE Alt WITH v <- w, K <- 3
B == INSTANCE Alt WITH v <- w, K <- 1, Init <- LAMBDA y : y = 5
IsOne(y) == y = 1
C == INSTANCE Alt WITH v <- w, K <- 1, Init <- IsOne
THEOREM OkImplicit == A!Start <=> w = 0
  BY DEF A!Start, Init
THEOREM OkLambda == B!Start <=> w = 5
  BY DEF B!Start
THEOREM OkNamed == C!Start <=> w = 1
  BY DEF C!Start, IsOne
THEOREM BadWrong == C!Start <=> w = 0
  BY DEF C!Start, IsOne
====
"#;
    let file = dir.join("Use.tla");
    std::fs::write(&file, body).unwrap();
    let report = tlasmt::driver::run(&prove_support::request(file, Duration::from_secs(5), 1))
        .unwrap_or_else(|e| panic!("refused: {e:#}"));
    for (theorem, ok) in proved(&report) {
        assert_eq!(
            ok,
            theorem.starts_with("Ok"),
            "{theorem}\n{}",
            report.to_text()
        );
    }
    let _ = std::fs::remove_dir_all(&dir);
}

/// `Op!lbl`: the subexpression labelled `lbl` in Op's definition, with
/// Op's arguments substituted.
#[test]
fn labels_select_subexpressions() {
    assert_outcomes(
        "LabelSelect",
        r#"EXTENDS Naturals
VARIABLE x
Inv == /\ P1 :: x \in Nat
       /\ P2 :: x > 0
Step(n) == /\ lo :: n > 1
           /\ hi :: n < 10
THEOREM OkLabel == ~Inv!P2 => ~Inv
  BY DEF Inv
THEOREM OkLabelArgs == Step(5)!hi
  OBVIOUS
THEOREM BadLabelArgs == Step(50)!hi
  OBVIOUS
THEOREM BadLabel == Inv!P1 => Inv
  BY DEF Inv"#,
    );
}

/// Operators named by symbols that SMT-LIB does not allow in a quoted
/// symbol (`|`, `\`) or that mean something else there: each is its own
/// legal symbol, hidden (a symbol of its own) or expanded.
#[test]
fn user_operator_symbols_become_legal_smt_symbols() {
    assert_outcomes(
        "OpSymbols",
        r#"EXTENDS Naturals
a | b == a + b
a \prec b == a < b
a (+) b == a + b + 1
a %% b == a * b
a ^^ b == a - b
a ::= b == a = b
a |- b == a <= b
a -| b == a >= b
a \sqsubseteq b == a \subseteq b
a ## b == a
a @@ b == b
THEOREM 1 | 2 = 3 BY DEF |
THEOREM OkBar == 1 | 2 = 3 BY DEF |
THEOREM OkPrec == 1 \prec 2 BY DEF \prec
THEOREM OkOplus == 1 \oplus 2 = 4 BY DEF (+)
THEOREM OkMany == 2 %% 3 = 6 /\ 5 ^^ 3 = 2 /\ 3 ::= 3 /\ 2 |- 3 /\ 3 -| 2 /\ {1} \sqsubseteq {1, 2}
  BY DEF %%, ^^, ::=, |-, -|, \sqsubseteq
THEOREM OkHidden == \A x, y : (x | y) = (x | y) /\ (x \prec y => x \prec y) /\ (x |- y => x |- y)
  OBVIOUS
THEOREM OkHiddenDistinct == ASSUME NEW x, NEW y, x | y = 1, x ## y = 2, x @@ y = 3, x (+) y = 4 PROVE x | y # x @@ y
  OBVIOUS
THEOREM BadBar == 1 | 2 = 4 BY DEF |
THEOREM BadHiddenSame == ASSUME NEW x, NEW y PROVE x | y = x |- y
  OBVIOUS"#,
    );
}

/// `--dump-smt` of obligations over such operators is standard SMT-LIB:
/// tlasmt's reader (which refuses `\` in a quoted symbol, as SMT-LIB 2.6
/// does), Z3 and, where installed, cvc5 read every script and prove it.
#[test]
fn dumps_over_operator_symbols_are_read_by_z3_and_cvc5() {
    let dir = fresh_dir("opdump");
    let file = dir.join("OpDump.tla");
    std::fs::write(
        &file,
        "---- MODULE OpDump ----\nEXTENDS Naturals\na | b == a + b\na \\prec b == a < b\na |- b == a <= b\n\
         a \\sqsubseteq b == a \\subseteq b\n\
         THEOREM T1 == 1 | 2 = 3 BY DEF |\nTHEOREM T2 == 1 \\prec 2 /\\ 1 |- 2 BY DEF \\prec, |-\n\
         THEOREM T3 == \\A x, y : x | y = y | y => x | y = y | y\n  OBVIOUS\n\
         THEOREM T4 == {1} \\sqsubseteq {1} BY DEF \\sqsubseteq\n====\n",
    )
    .unwrap();
    let smt = dir.join("smt");
    let mut req = prove_support::request(file, Duration::from_secs(5), 1);
    req.dump_smt = Some(smt.clone());
    let report = tlasmt::driver::run(&req).unwrap();
    assert!(report.all_proved(), "{}", report.to_text());
    let cvc5 = std::process::Command::new("cvc5")
        .arg("--version")
        .output()
        .is_ok_and(|o| o.status.success());
    let mut files = 0;
    for entry in std::fs::read_dir(&smt).unwrap() {
        let path = entry.unwrap().path();
        let text = std::fs::read_to_string(&path).unwrap();
        tlasmt::smtlib::sexpr::parse(&text).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
        assert_eq!(z3_answer(&text), z3::SatResult::Unsat, "{}", path.display());
        if cvc5 {
            let out = std::process::Command::new("cvc5")
                .args(["--tlimit=20000"])
                .arg(&path)
                .output()
                .unwrap();
            let answer = String::from_utf8_lossy(&out.stdout).into_owned()
                + &String::from_utf8_lossy(&out.stderr);
            assert_eq!(answer.trim(), "unsat", "cvc5 on {}", path.display());
        }
        files += 1;
    }
    assert!(files >= 4, "only {files} dumps");
    let _ = std::fs::remove_dir_all(&dir);
}

/// Z3's answer on a script; a script Z3 rejects fails the test.
fn z3_answer(script: &str) -> z3::SatResult {
    let text = script.replace("(check-sat)", "");
    z3::with_z3_config(&z3::Config::new(), || {
        let solver = z3::Solver::new();
        let mut params = z3::Params::new();
        params.set_u32("timeout", 20_000);
        solver.set_params(&params);
        solver.from_string(text);
        let raw = z3::Context::thread_local().get_z3_context();
        // SAFETY: `raw` is the live thread-local context.
        let code = unsafe { z3_sys::Z3_get_error_code(raw) };
        assert_eq!(code, z3_sys::ErrorCode::Ok, "Z3 rejects the script");
        solver.check()
    })
}

/// `..`, `+`, `<` and prefix `-` are the Naturals/Integers module's
/// operators: a module that does not extend them may define its own, and
/// then they mean that definition (the built-in range once made the false
/// `(1 .. 2) = {1, 2}` provable here).
#[test]
fn a_module_may_define_the_arithmetic_operators() {
    assert_outcomes(
        "OwnArith",
        r#"a .. b == {a}
a + b == <<a, b>>
a < b == b
-. a == {a}
THEOREM OkDots == (1 .. 2) = {1} BY DEF ..
THEOREM OkPlus == (1 + 2)[2] = 2 BY DEF +
THEOREM OkLess == (1 < 2) = 2 BY DEF <
THEOREM OkNeg == -(3) = {3} BY DEF -.
THEOREM BadBuiltinRange == (1 .. 2) = {1, 2} BY DEF ..
THEOREM BadBuiltinPlus == (1 + 2) = 3 BY DEF +"#,
    );
}

/// A CHOOSE (or CASE) under a bound name is a symbol of that name's value,
/// at the name's sort. `@` in EXCEPT once had none recorded, and the
/// witness was declared over `Int` (`CHOOSE!3 (Int) U_VALUE`), which Z3
/// refused. Also one definition's CHOOSE used at two sorts, and in a LET.
#[test]
fn choose_witnesses_take_their_free_names_at_their_sorts() {
    assert_outcomes(
        "ChooseSorts",
        r#"EXTENDS Integers
CONSTANT
    \* @type: Set(VALUE);
    Value,
    \* @type: Set(ACC);
    Acceptor
VARIABLE
    \* @type: ACC -> VALUE;
    maxVal,
    \* @type: ACC -> ACC;
    next
Pick(S) == CHOOSE x \in S : TRUE
THEOREM OkExceptValue == ASSUME NEW a \in Acceptor, NEW v \in Value, NEW w \in Value, v # w,
                                maxVal \in [Acceptor -> Value]
   PROVE [maxVal EXCEPT ![a] = CHOOSE x \in Value : x # @][a] # maxVal[a]
  OBVIOUS
THEOREM OkExceptAcc == ASSUME NEW a \in Acceptor, NEW b \in Acceptor, a # b, next \in [Acceptor -> Acceptor]
   PROVE \A c \in Acceptor : [next EXCEPT ![c] = CHOOSE x \in Acceptor : x # @][c] # next[c]
  OBVIOUS
THEOREM OkExceptCase == ASSUME NEW a \in Acceptor, NEW v \in Value, maxVal \in [Acceptor -> Value]
   PROVE [maxVal EXCEPT ![a] = CASE @ = v -> v [] OTHER -> @][a] = maxVal[a]
  OBVIOUS
THEOREM OkTwoSorts == ASSUME NEW a \in Acceptor, NEW v \in Value
   PROVE Pick(Acceptor) \in Acceptor /\ Pick(Value) \in Value /\ Pick({1}) = 1 /\ Pick({"s"}) = "s"
  BY DEF Pick
THEOREM OkLet == ASSUME NEW a \in Acceptor, NEW v \in Value
   PROVE \A b \in Int : LET P(S) == CHOOSE x \in S : b = b IN P(Acceptor) \in Acceptor /\ P(Value) \in Value
  OBVIOUS
THEOREM BadExcept == ASSUME NEW a \in Acceptor, NEW v \in Value, maxVal \in [Acceptor -> Value]
   PROVE [maxVal EXCEPT ![a] = CHOOSE x \in Value : x # @][a] # maxVal[a]
  OBVIOUS
THEOREM BadPick == Pick({1, 2}) = 1
  BY DEF Pick"#,
    );
}

/// A recursive function defined in a LET and one DEFINEd in the proof
/// under the same name are two functions: sharing one symbol gave it both
/// defining equations, and with them a proof of FALSE.
#[test]
fn a_let_function_and_a_defined_one_of_the_same_name_are_distinct() {
    let report = prove_body(
        "language",
        "LetDefine",
        r#"EXTENDS Naturals
THEOREM OkBoth == TRUE
  <1> DEFINE f[n \in Nat] == IF n = 0 THEN 0 ELSE f[n-1] + 2
  <1>1. f[2] = 4 BY DEF f
  <1>2. (LET f[n \in Nat] == IF n = 0 THEN 0 ELSE f[n-1] + 1 IN f[2]) = 2 OBVIOUS
  <1>3. (LET f[n \in Nat] == IF n = 0 THEN 0 ELSE f[n-1] + 1 IN f[2]) = f[2] - 2 BY DEF f
  <1> QED OBVIOUS
THEOREM BadClash == FALSE
  <1> DEFINE f[n \in 0..2] == IF n = 0 THEN 0 ELSE f[n-1] + 2
  <1>1. (LET f[n \in 0..2] == IF n = 0 THEN 0 ELSE f[n-1] + 1 IN f[1]) = 1 OBVIOUS
  <1>2. f[1] = 2 BY DEF f
  <1> QED BY <1>1, <1>2 DEF f"#,
        Duration::from_secs(2),
        1,
    )
    .unwrap_or_else(|e| panic!("refused: {e}"));
    let outcomes = proved(&report);
    assert_eq!(
        outcomes,
        vec![
            ("OkBoth".to_string(), true),
            ("BadClash".to_string(), false)
        ],
        "{}",
        report.to_text()
    );
    // Only the step that would need the two functions to be one fails.
    let bad = &report.theorems[1];
    let unproved: Vec<_> = bad
        .results
        .iter()
        .filter(|r| !r.status.is_proved())
        .collect();
    assert_eq!(unproved.len(), 1, "{}", report.to_text());
}

/// `--jobs 0` and a Z3 parameter Z3 does not know, or a value it cannot
/// read, are refused before anything is proved, naming the text.
#[test]
fn bad_jobs_and_z3_parameters_are_refused() {
    let dir = fresh_dir("cliargs");
    std::fs::write(
        dir.join("Args.tla"),
        "---- MODULE Args ----\nTHEOREM T == TRUE\n  OBVIOUS\n====\n",
    )
    .unwrap();
    let run = |extra: &[&str]| {
        let out = std::process::Command::new(env!("CARGO_BIN_EXE_tlasmt"))
            .args(["prove", "all", "--module", "Args.tla"])
            .args(extra)
            .current_dir(&dir)
            .output()
            .unwrap();
        (
            out.status.code(),
            String::from_utf8_lossy(&out.stdout).into_owned(),
            String::from_utf8_lossy(&out.stderr).into_owned(),
        )
    };
    for (args, expected) in [
        (
            &["--jobs", "0"][..],
            "`0` solver processes would run nothing",
        ),
        (
            &["--z3", "foo=bar"][..],
            "`foo=bar`: Z3 has no parameter `foo`",
        ),
        (
            &["--z3", "smt.random_seed=abc"][..],
            "Z3 does not accept `abc` for `smt.random_seed`",
        ),
        (
            &["--z3", "sat.euf"][..],
            "`sat.euf` is not of the form key=value",
        ),
    ] {
        let (code, stdout, stderr) = run(args);
        assert_eq!(code, Some(2), "{args:?}: {stdout}{stderr}");
        assert!(stderr.contains(expected), "{args:?}: {stderr}");
        assert!(!stdout.contains("THEOREM"), "{args:?} proved: {stdout}");
    }
    let (code, stdout, stderr) = run(&["--jobs", "1", "--z3", "smt.random_seed=7"]);
    assert_eq!(code, Some(0), "{stdout}{stderr}");
    let _ = std::fs::remove_dir_all(&dir);
}

/// WITNESS and TAKE see through usable definitions at the top of the goal
/// (`USE DEF P` then `WITNESS` on a goal `P == \E n : ...`); not through
/// hidden ones.
#[test]
fn witness_and_take_through_usable_definitions() {
    assert_outcomes(
        "WitnessDef",
        r#"EXTENDS Naturals
P == \E n \in Nat : n > 3
Q == \A n \in Nat : n + 0 = n
THEOREM OkWitness == P
<1>. USE DEF P
<1>. WITNESS 4 \in Nat
<1>. QED  OBVIOUS
THEOREM OkTake == Q
<1>. USE DEF Q
<1>. TAKE n \in Nat
<1>. QED  OBVIOUS
THEOREM BadHidden == P
<1>. WITNESS 4 \in Nat
<1>. QED  OBVIOUS"#,
    );
}
