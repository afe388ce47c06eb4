//! Confirmed counterexamples (issue 9): an obligation is FAILED only if
//! the solver's model, read as TLA+ values, makes its hypotheses TRUE and
//! its goal FALSE with every definition expanded; otherwise it is
//! `UNKNOWN (model not confirmed: <why>)`. Values are printed in TLA+ only.
//!
//! Each case writes a small module into a fresh temporary directory and
//! runs the driver on it.

mod prove_support;

use std::time::Duration;
use tlasmt::confirm::Counterexample;
use tlasmt::driver::{Report, Status};
use tlasmt::eval::Value;

/// Write `body` as module `name` in a fresh directory and check every
/// theorem; the directory is removed before returning.
fn prove(name: &str, body: &str) -> Report {
    prove_support::prove_body("confirm", name, body, Duration::from_secs(5), 1)
        .unwrap_or_else(|e| panic!("rejected: {e}"))
}

/// The status of a theorem's only obligation.
fn status<'r>(report: &'r Report, theorem: &str) -> &'r Status {
    let t = report
        .theorems
        .iter()
        .find(|t| t.name == theorem)
        .unwrap_or_else(|| panic!("no theorem {theorem}"));
    assert_eq!(t.results.len(), 1, "{theorem}: {}", report.to_text());
    &t.results[0].status
}

fn counterexample<'r>(report: &'r Report, theorem: &str) -> &'r Counterexample {
    match status(report, theorem) {
        Status::Failed(cx) => cx,
        other => panic!(
            "{theorem}: expected a confirmed counterexample, got {}\n{}",
            tlasmt::report::status_text(other),
            report.to_text()
        ),
    }
}

fn value(cx: &Counterexample, name: &str) -> Value {
    match cx.get(name).map(|b| &b.value) {
        Some(Ok(v)) => v.clone(),
        other => panic!("no value for {name}: {other:?}"),
    }
}

/// No SMT-LIB text in a report: values are shown in TLA+ only.
#[track_caller]
fn assert_tla_only(text: &str) {
    for smt in [
        "(symbolic)",
        "as const",
        "Array",
        "store",
        "!val!",
        "lambda",
        "mk_",
    ] {
        assert!(
            !text.contains(smt),
            "SMT text `{smt}` in the report:\n{text}"
        );
    }
}

const TYPED: &str = r#"EXTENDS Naturals
CONSTANTS
  \* @type: Set(ACC);
  Acceptor,
  \* @type: ACC -> Int;
  f
THEOREM AllEqual == \A a, b \in Acceptor : a = b
  OBVIOUS
THEOREM ValueZero == ASSUME NEW a \in Acceptor, f \in [Acceptor -> Nat] PROVE f[a] = 0
  OBVIOUS
THEOREM MessageType == ASSUME NEW m \in [type : {"1a", "1b"}, bal : Nat] PROVE m.type = "1a"
  OBVIOUS
THEOREM AboveThree == \A x \in Nat : x > 3
  OBVIOUS"#;

#[test]
fn invalid_theorems_fail_with_confirmed_tla_values() {
    let report = prove("Typed", TYPED);
    let text = report.to_text();
    eprintln!("{text}");
    assert_tla_only(&text);
    assert!(text.contains("FAILED (confirmed counterexample)"), "{text}");

    // Two different acceptors, and no more (the model is minimised).
    let cx = counterexample(&report, "AllEqual");
    let acc = value(cx, "Acceptor");
    assert_eq!(acc.as_set().map(|s| s.len()), Some(2), "{acc}");
    assert_eq!(acc.to_string(), "{a1, a2}");

    // f[a] # 0 for the acceptor a of the model, a natural number.
    let cx = counterexample(&report, "ValueZero");
    let (a, f) = (value(cx, "a"), value(cx, "f"));
    let fa = f.as_fun().and_then(|m| m.get(&a)).and_then(Value::as_int);
    assert!(
        fa.is_some_and(|n| n > 0),
        "f = {f}, a = {a}: not a counterexample"
    );
    assert!(
        text.contains(&format!("f = [a1 |-> {}]", fa.unwrap())),
        "{text}"
    );

    // A record with the other type.
    let cx = counterexample(&report, "MessageType");
    let m = value(cx, "m");
    let ty = m.as_fun().and_then(|r| r.get(&Value::str("type")));
    assert_eq!(ty, Some(&Value::str("1b")), "m = {m}");

    // Z3 does not name the witness of a refuted `\A x \in Nat`; the
    // evaluator finds one among the integers the obligation suggests.
    let cx = counterexample(&report, "AboveThree");
    let x = value(cx, "x").as_int();
    assert!(x.is_some_and(|x| (0..=3).contains(&x)), "x = {x:?}");
    assert!(text.contains("the goal is false at:"), "{text}");
}

const HIDDEN: &str = r#"EXTENDS Naturals
CONSTANT c, S
P == TRUE
Op == c
Q == c \in S
THEOREM HiddenTrue == P
  OBVIOUS
THEOREM HiddenAlias == Op = c
  OBVIOUS
THEOREM HiddenMember == ASSUME c \in S PROVE Q
  OBVIOUS
THEOREM CitedMember == ASSUME c \in S PROVE Q
  BY DEF Q"#;

/// A model that needs a hidden definition to take a value its body does
/// not give is no counterexample to the theorem: UNKNOWN, naming the
/// definition to cite, never FAILED.
#[test]
fn models_relying_on_hidden_definitions_are_not_counterexamples() {
    let report = prove("Hidden", HIDDEN);
    let text = report.to_text();
    eprintln!("{text}");
    assert_tla_only(&text);
    for (thm, def) in [
        ("HiddenTrue", "P"),
        ("HiddenAlias", "Op"),
        ("HiddenMember", "Q"),
    ] {
        match status(&report, thm) {
            Status::Unconfirmed { why, .. } => {
                assert!(
                    why.contains(&format!("cite `{def}` with DEF")),
                    "{thm}: {why}"
                );
                assert!(
                    why.contains(&format!(
                        "hidden definitions {def} expanded, the obligation is proved"
                    )),
                    "{thm}: {why}"
                );
            }
            other => panic!("{thm}: {}", tlasmt::report::status_text(other)),
        }
    }
    assert!(status(&report, "CitedMember").is_proved());
    assert!(
        text.contains("UNKNOWN (model not confirmed: "),
        "the report must say why: {text}"
    );
    let json = report.to_json().to_string();
    assert!(
        json.contains("\"detail\":\"model not confirmed: "),
        "{json}"
    );
    assert!(!json.contains("\"failed\""), "{json}");
}

/// A valid theorem on which the solver finds a model (its encoding of
/// `NoSetContainsEverything` is weaker than TLA+'s): the model does not
/// confirm, so it is not reported FAILED.
#[test]
fn a_model_of_a_valid_theorem_is_not_a_counterexample() {
    let report = prove(
        "Valid",
        "EXTENDS TLAPS\nTHEOREM OutsideAnySet == ASSUME NEW T PROVE \\E y : y \\notin T\nBY NoSetContainsEverything",
    );
    let text = report.to_text();
    eprintln!("{text}");
    match status(&report, "OutsideAnySet") {
        Status::Failed(_) => panic!("a valid theorem reported FAILED:\n{text}"),
        Status::Unconfirmed { why, .. } => {
            assert!(why.contains("the goal is TRUE in the model"), "{why}")
        }
        _ => {}
    }
}
