//! Smoke test: the pinned, project-local Z3 is linked and usable (see build.rs).

use z3::ast::Int;
use z3::{SatResult, Solver};

#[test]
fn linked_z3_is_the_pinned_version() {
    // Z3_get_full_version() returns e.g. "5.4.0.0".
    let full = z3::full_version();
    assert!(
        full.trim_start_matches("Z3 ").starts_with("5.4."),
        "expected the pinned Z3 5.4.x (scripts/z3-requirements.txt), got {full:?}"
    );
}

#[test]
fn simple_int_constraints_are_unsat() {
    let solver = Solver::new();
    let x = Int::new_const("x");
    solver.assert(x.gt(2));
    solver.assert(x.lt(1));
    assert_eq!(solver.check(), SatResult::Unsat);
}

#[test]
fn simple_int_constraints_are_sat() {
    let solver = Solver::new();
    let x = Int::new_const("x");
    solver.assert(x.gt(2));
    solver.assert(x.lt(4));
    assert_eq!(solver.check(), SatResult::Sat);
    let model = solver.get_model().expect("model");
    let value = model.eval(&x, true).and_then(|v| v.as_i64());
    assert_eq!(value, Some(3));
}
