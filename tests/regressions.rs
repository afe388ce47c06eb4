//! Regressions met on published proofs (issue 10): each a small module of
//! our own whose theorems named `Ok*` must be proved and `Bad*` must not.

mod prove_support;

use prove_support::assert_outcomes_in;
use std::time::Duration;

fn assert_outcomes(name: &str, body: &str) {
    assert_outcomes_in("regressions", name, body, Duration::from_secs(5));
}

/// A state function whose value is an integer before the step and a value
/// of the universe after it (its primed variables are untyped): the frame
/// split compared the two symbols at different sorts and Z3 rejected the
/// script ("Sorts U_ALL and Int are incompatible").
#[test]
fn a_state_function_of_two_sorts_across_a_step() {
    assert_outcomes(
        "TwoSorts",
        r#"EXTENDS Naturals
CONSTANT Act(_, _, _)
VARIABLE p, c, x
Flip == p = c /\ Act(0, x, x') /\ p' = (p + 1) % 2 /\ c' = c
Sum2 == (p + c) % 2
Low == Sum2' = (Sum2 + 1) % 2 /\ Act(Sum2, x, x')
THEOREM OkRefines == p \in {0, 1} /\ c \in {0, 1} /\ [Flip]_<<p, c, x>> => [Low]_<<Sum2, x>>
  BY DEF Flip, Low, Sum2
THEOREM BadNoGuard == [Flip]_<<p, c, x>> => [Low]_<<Sum2, x>>
  BY DEF Flip, Low, Sum2"#,
    );
}

/// Citing a SUFFICES step in its own proof gives its assertion (the new
/// goal as a sequent), as in `<1>1. SUFFICES ASSUME H PROVE FALSE BY <1>1`:
/// it was refused as "cited before it is proved" (GraphTheorem).
#[test]
fn a_suffices_step_cited_in_its_own_proof() {
    assert_outcomes(
        "SufficesSelf",
        r#"THEOREM OkContradiction == ASSUME NEW S, NEW x \in S PROVE \E y \in S : y = x
<1>1. SUFFICES ASSUME \A y \in S : y # x PROVE FALSE
  BY <1>1
<1>. QED  BY <1>1
THEOREM BadNotMember == ASSUME NEW S, NEW x PROVE \E y \in S : y = x
<1>1. SUFFICES ASSUME \A y \in S : y # x PROVE FALSE
  BY <1>1
<1>. QED  BY <1>1"#,
    );
}

/// A name the user's module defines and a library module also defines
/// (SchedulingAllocator's `Range`, imported beside SequenceTheorems, which
/// extends Functions): the module loads when the two definitions are the
/// same, and the clash stays an error when they differ (the library's
/// theorems about its `Range` would otherwise speak of the user's).
#[test]
fn a_library_definition_repeated_by_the_user() {
    use prove_support::{fresh_dir, request};
    let dir = fresh_dir("regressions-range");
    let write = |name: &str, body: &str| {
        let text = format!("---- MODULE {name} ----\n{body}\n====\n");
        std::fs::write(dir.join(format!("{name}.tla")), text).unwrap();
    };
    write(
        "SameRange",
        "EXTENDS Naturals\nRange(f) == {f[x] : x \\in DOMAIN f}",
    );
    write("OtherRange", "EXTENDS Naturals\nRange(f) == DOMAIN f");
    write(
        "UsesSame",
        "EXTENDS SameRange, Functions\nTHEOREM T == Range(<<7>>) = {7}\n  BY DEF Range",
    );
    write(
        "UsesOther",
        "EXTENDS OtherRange, Functions\nTHEOREM T == TRUE\n  OBVIOUS",
    );
    let timeout = Duration::from_secs(5);
    let same = tlasmt::driver::run(&request(dir.join("UsesSame.tla"), timeout, 1))
        .unwrap_or_else(|e| panic!("the same definition refused: {e:#}"));
    assert!(
        same.theorems[0]
            .results
            .iter()
            .all(|r| r.status.is_proved())
    );
    let other = tlasmt::driver::run(&request(dir.join("UsesOther.tla"), timeout, 1));
    let Err(e) = other else {
        panic!("a different Range must be refused");
    };
    let message = format!("{e:#}");
    assert!(
        message.contains("multiple definitions of `Range`"),
        "{message}"
    );
    let _ = std::fs::remove_dir_all(&dir);
}
