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
