//! Theorems, ASSUME/PROVE and proofs.

mod syntax_support;

use syntax_support::{parse_fixture, proof_outline, statement, theorem};
use tlasmt::syntax::ast::{Proof, StepKind, TerminalProof};

fn outline(name: &str) -> Vec<String> {
    let m = parse_fixture("proofs.tla");
    let t = theorem(&m, name);
    proof_outline(t.proof.as_ref().expect("theorem has a proof"))
}

#[test]
fn terminal_proofs() {
    assert_eq!(outline("Obvious"), ["OBVIOUS"]);
    assert_eq!(outline("Omitted"), ["OMITTED"]);
    assert_eq!(outline("ByOnly"), ["BY ONLY [Inv] DEF [Inv, NextDef]"]);
}

#[test]
fn backend_pragmas_and_module_facts_are_names() {
    assert_eq!(
        outline("Pragmas"),
        [r#"BY [Zenon, IsaM("blast"), Z3T(10), PTL, SMT, Isa, Naturals] DEF []"#]
    );
}

#[test]
fn assume_prove_with_new_declarations() {
    let m = parse_fixture("proofs.tla");
    assert_eq!(
        statement(&theorem(&m, "Big").statement),
        "(ASSUME NEW CONSTANT a/0 \\in S, NEW CONSTANT b/0, NEW VARIABLE v/0, \
         NEW STATE St/0, NEW ACTION Act/0, NEW TEMPORAL Tmp/0, NEW CONSTANT F/2, \
         NEW CONSTANT c/0, Inv, (ASSUME NEW CONSTANT d/0 PROVE (In d S)) \
         PROVE (In a S))"
    );
}

#[test]
fn structured_proof_outline() {
    let expected = [
        r"<1>1 (In a S)",
        r"  BY [<1>1, Inv!1, NextDef!2, (Eq (field m acc) a), (Forall [y \in S] (Eq y y)), Zenon] DEF [Inv, NextDef]",
        r"<1>a SUFFICES (ASSUME NEW CONSTANT e/0 \in S PROVE (In e S))",
        r"  OBVIOUS",
        r"<1> SUFFICES (In a S)",
        r"  OBVIOUS",
        r"<1>2 CASE (Eq a 1)",
        r"  <2>1 (Eq a 1)",
        r"    OBVIOUS",
        r"  <2> QED",
        r"    BY [<2>1] DEF []",
        r"<1>3 PICK [y \in S, z \in T] (Eq y z)",
        r"  BY [<1>2] DEF []",
        r"<1>4 PICK [w] (Eq w 1)",
        r"<1> WITNESS 1 (In 2 S)",
        r"<1> HAVE (Eq a 1)",
        r"<1> TAKE [p q \in S]",
        r"<1>5 TAKE [r]",
        r"<1> DEFINE D1 D2",
        r"<1> DEFINE D3",
        r"<1> USE [<1>1, Inv] DEF [Inv]",
        r"<1> HIDE [] DEF [Inv]",
        r"<1>7 TRUE",
        r"  <2>1 TRUE",
        r"    <3>1 TRUE",
        r"      <4> DEFINE mb",
        r#"      <4>1 (Eq (field mb type) "1b")"#,
        r"        OBVIOUS",
        r"      <4> QED",
        r"        BY [<4>1, <3>1!1] DEF []",
        r"    <3> QED",
        r"      OBVIOUS",
        r"  <2> QED",
        r"    OBVIOUS",
        r"<1>6 QED",
        r"  <2> DEFINE Q",
        r"  <2>1 (In Q(a) S)",
        r"    BY [<1>1!1, <2>a] DEF [P!Init]",
        r"  <2> QED",
        r"    BY [<2>1] DEF []",
    ];
    assert_eq!(outline("Big"), expected);
}

#[test]
fn relative_step_levels_resolve_against_the_enclosing_proof() {
    assert_eq!(
        outline("Relative"),
        [
            "<1> TRUE",
            "  OBVIOUS",
            "<1> QED",
            "  <2>1 TRUE",
            "    OBVIOUS",
            "  <2> QED",
            "    BY [<2>1] DEF []",
        ]
    );
}

#[test]
fn define_step_at_level_four_keeps_its_definition_body() {
    let m = parse_fixture("proofs.tla");
    let t = theorem(&m, "Big");
    let Some(Proof::Steps(steps, _)) = &t.proof else {
        panic!("structured proof");
    };
    // <1>7 -> <2>1 -> <3>1 -> first step.
    let mut step = steps
        .iter()
        .find(|s| s.label.display() == "<1>7")
        .expect("<1>7");
    for _ in 0..2 {
        let Some(Proof::Steps(inner, _)) = &step.proof else {
            panic!("nested steps under {}", step.label.display());
        };
        step = &inner[0];
    }
    let Some(Proof::Steps(level4, _)) = &step.proof else {
        panic!("level 4 steps");
    };
    assert_eq!(level4[0].label.level, 4);
    assert_eq!(level4[0].label.name, None);
    let StepKind::Define(defs) = &level4[0].kind else {
        panic!("DEFINE step");
    };
    assert_eq!(defs.len(), 1);
    assert_eq!(defs[0].name.name, "mb");
}

#[test]
fn step_spans_cover_the_step_and_its_proof() {
    let m = parse_fixture("proofs.tla");
    let text = syntax_support::read_fixture("proofs.tla");
    let t = theorem(&m, "Big");
    let Some(Proof::Steps(steps, _)) = &t.proof else {
        panic!("structured proof");
    };
    let first = &steps[0];
    let covered = &text[first.span.start as usize..first.span.end as usize];
    assert!(covered.starts_with("<1>1. a \\in S"));
    assert!(covered.trim_end().ends_with("Zenon DEF Inv, NextDef"));
    let Some(Proof::Terminal(TerminalProof::By(by))) = &first.proof else {
        panic!("BY proof");
    };
    assert!(!by.only);
    let label = &text[first.label.span.start as usize..first.label.span.end as usize];
    assert_eq!(label, "<1>1.");
}
