//! Library modules of published TLAPS proofs (issue 10): each built-in
//! module loads, and a small module extending it proves a theorem that cites
//! one of its theorems or definitions, with a control that must not be
//! proved where that makes sense.

mod prove_support;

use prove_support::{assert_outcomes_in, prove_body};
use std::time::Duration;

/// Every theorem named `Ok*` is proved and every one named `Bad*` is not.
fn assert_outcomes(name: &str, body: &str) {
    assert_outcomes_in("library", name, body, Duration::from_secs(3));
}

#[test]
fn functions_definitions() {
    assert_outcomes(
        "UseFunctions",
        r#"EXTENDS Functions, Naturals
THEOREM OkRestrict == Restrict([x \in 1 .. 3 |-> x + 1], {2})[2] = 3
  BY DEF Restrict
THEOREM OkRange == Range([x \in {1, 2} |-> 7]) = {7}
  BY DEF Range
THEOREM OkInjective == IsInjective([x \in 1 .. 3 |-> x + 1])
  BY DEF IsInjective
THEOREM BadInjective == IsInjective([x \in 1 .. 3 |-> 0])
  BY DEF IsInjective
THEOREM BadHidden == IsInjective([x \in 1 .. 3 |-> x + 1])
  OBVIOUS"#,
    );
}

#[test]
fn function_theorems() {
    assert_outcomes(
        "UseFunctionTheorems",
        r#"EXTENDS FunctionTheorems
THEOREM OkSymmetric ==
  ASSUME NEW A \in SUBSET Nat, NEW B \in SUBSET Nat, ExistsBijection(A, B)
  PROVE  ExistsBijection(B, A)
  BY Fun_ExistsBijSymmetric
THEOREM BadSymmetric ==
  ASSUME NEW A \in SUBSET Nat, NEW B \in SUBSET Nat, ExistsInjection(A, B)
  PROVE  ExistsBijection(B, A)
  BY Fun_ExistsBijSymmetric
THEOREM OkInjection ==
  ASSUME NEW F \in Injection(1 .. 3, Nat), NEW a \in 1 .. 3, NEW b \in 1 .. 3,
         F[a] = F[b]
  PROVE  a = b
  BY Fun_InjectionProperties"#,
    );
}

#[test]
fn well_founded_induction() {
    assert_outcomes(
        "UseWellFounded",
        r#"EXTENDS WellFoundedInduction
THEOREM OkEmpty == IsWellFoundedOn({}, Nat)
  BY EmptyIsWellFounded
THEOREM BadHidden == IsWellFoundedOn({<<1, 1>>}, Nat)
  BY EmptyIsWellFounded
THEOREM OkLess == SetLessThan(2, {<<1, 2>>, <<3, 4>>}, Nat) = {1}
  BY DEF SetLessThan
THEOREM BadLess == SetLessThan(2, {<<1, 2>>, <<3, 2>>}, 0 .. 5) = {1}
  BY DEF SetLessThan"#,
    );
}

#[test]
fn naturals_induction() {
    assert_outcomes(
        "UseNaturalsInduction",
        r#"EXTENDS NaturalsInduction
P(n) == n * n >= 4
THEOREM OkSmallest == P(5) => \E m \in Nat : P(m) /\ \A k \in 0 .. (m - 1) : ~ P(k)
  BY SmallestNatural
THEOREM BadSmallest ==
  P(5) => \E m \in Nat : P(m) /\ m > 2 /\ \A k \in 0 .. (m - 1) : ~ P(k)
  BY SmallestNatural
THEOREM OkConclusion ==
  ASSUME NEW f, NatInductiveDefConclusion(f, 1, LAMBDA v, n : 2 * v)
  PROVE  f[2] = 4
  BY DEF NatInductiveDefConclusion"#,
    );
}

#[test]
fn sequence_theorems() {
    assert_outcomes(
        "UseSequenceTheorems",
        r#"EXTENDS SequenceTheorems
THEOREM OkElement ==
  ASSUME NEW s \in Seq(Nat), NEW i \in 1 .. Len(s)
  PROVE  s[i] \in Nat
  BY ElementOfSeq
THEOREM OkTail ==
  ASSUME NEW s \in Seq(Nat), s # << >>
  PROVE  Len(Tail(s)) = Len(s) - 1
  BY HeadTailProperties
THEOREM BadTail ==
  ASSUME NEW s \in Seq(Nat)
  PROVE  Len(Tail(s)) = Len(s) - 1
  BY HeadTailProperties
THEOREM OkRange ==
  ASSUME NEW s \in Seq(Nat), NEW e \in Nat
  PROVE  e \in Range(Append(s, e))
  BY AppendProperties"#,
    );
}

#[test]
fn finite_set_theorems() {
    assert_outcomes(
        "UseFiniteSetTheorems",
        r#"EXTENDS FiniteSetTheorems
THEOREM OkFinite == ASSUME NEW S \in SUBSET Nat, \A s \in S : s <= 7 PROVE IsFiniteSet(S)
  BY FS_BoundedSetOfNaturals
THEOREM BadFinite == ASSUME NEW S \in SUBSET Nat PROVE IsFiniteSet(S)
  BY FS_BoundedSetOfNaturals
THEOREM OkCardinality == ASSUME NEW S \in SUBSET (0 .. 7) PROVE Cardinality(S) <= 8
  BY FS_BoundedSetOfNaturals"#,
    );
}

#[test]
fn bags() {
    assert_outcomes(
        "UseBags",
        r#"EXTENDS Bags
THEOREM OkCopies == CopiesIn(3, SetToBag({3, 4})) = 1
  BY DEF CopiesIn, BagIn, BagToSet, SetToBag
THEOREM OkSum == CopiesIn(3, SetToBag({3}) (+) SetToBag({3})) = 2
  BY DEF (+), CopiesIn, BagIn, BagToSet, SetToBag
THEOREM BadCopies == CopiesIn(5, SetToBag({3, 4})) = 1
  BY DEF CopiesIn, BagIn, BagToSet, SetToBag"#,
    );
}

#[test]
fn finite_sets_ext() {
    assert_outcomes(
        "UseFiniteSetsExt",
        r#"EXTENDS FiniteSetsExt
THEOREM OkMax == Max({1, 5, 3}) = 5
  BY DEF Max
THEOREM OkMin == Min({4, 2, 9}) = 2
  BY DEF Min
THEOREM BadMax == Max({1, 5, 3}) = 3
  BY DEF Max"#,
    );
}

#[test]
fn sequences_ext() {
    assert_outcomes(
        "UseSequencesExt",
        r#"EXTENDS SequencesExt
THEOREM OkLast ==
  ASSUME NEW s \in Seq(Nat), Len(s) = 3, s[3] = 7
  PROVE  Last(s) = 7
  BY DEF Last
THEOREM OkToSet == ToSet(<< 1, 2, 1 >>) = {1, 2}
  BY DEF ToSet
THEOREM BadToSet == ToSet(<< 1, 2, 1 >>) = {1}
  BY DEF ToSet
THEOREM OkReplace == ReplaceAt(<< 1, 2 >>, 1, 5) = << 5, 2 >>
  BY DEF ReplaceAt"#,
    );
}

/// An opaque operator spelled with a backslash (`\o` here, kept hidden
/// inside an expanded Cons) is encoded under a name SMT-LIB accepts: the
/// obligation is decided instead of being rejected by the solver.
#[test]
fn backslash_operator_names_encode() {
    let report = prove_body(
        "library",
        "OpaqueConcat",
        "EXTENDS SequencesExt\nTHEOREM T == Cons(0, << 1 >>)[1] = 0\n  BY DEF Cons",
        Duration::from_secs(3),
        1,
    )
    .unwrap_or_else(|e| panic!("OpaqueConcat refused: {e}"));
    let text = report.to_text();
    assert!(!text.contains("ERROR"), "{text}");
    assert!(!text.contains("quoted symbol"), "{text}");
}

/// SequencesExtTheorems (recursion along Tail/Front) and TLC's
/// Randomization (hidden definitions) load; a recursion equation gives
/// the base case, and nothing is known of a random subset.
#[test]
fn sequences_ext_theorems_and_randomization() {
    assert_outcomes(
        "SeqExtThms",
        r#"EXTENDS Naturals, SequencesExtTheorems, Randomization
THEOREM OkBase == ASSUME NEW S, NEW f,
                         TailInductiveDefConclusion(f, S, 0, LAMBDA v, s : v + 1)
                  PROVE  f[<< >>] = 0
  BY DEF TailInductiveDefConclusion
THEOREM BadBase == ASSUME NEW S, NEW f,
                          TailInductiveDefConclusion(f, S, 0, LAMBDA v, s : v + 1)
                   PROVE  f[<< >>] = 1
  BY DEF TailInductiveDefConclusion
THEOREM BadRandom == RandomSubset(1, {1, 2}) \in SUBSET {1, 2}
  OBVIOUS"#,
    );
}

/// Functions' folds rest on Folds' recursive MapThenFoldSet: opaque, so a
/// fold's value is known only through what a proof states about it, while
/// FoldFunction unfolds to FoldFunctionOnSet over the domain.
#[test]
fn functions_folds() {
    assert_outcomes(
        "UseFolds",
        r#"EXTENDS Functions, Integers
Sum(f) == FoldFunction(+, 0, f)
THEOREM OkDomain == \A f : Sum(f) = FoldFunctionOnSet(+, 0, f, DOMAIN f)
  BY DEF Sum, FoldFunction
THEOREM BadEmpty == FoldFunctionOnSet(+, 0, [x \in {} |-> 0], {}) = 0
  BY DEF FoldFunctionOnSet
THEOREM BadValue == Sum([x \in {1} |-> 5]) = 5
  BY DEF Sum, FoldFunction, FoldFunctionOnSet"#,
    );
}

/// The community modules Graphs and BagsExt load (ewd687a, EWD998PCal use
/// them) and their definitions say what they say when cited; an instance
/// of a module extending Randomization needs no substitution for it.
#[test]
fn graphs_and_bags_ext() {
    assert_outcomes(
        "UseGraphs",
        r#"EXTENDS Naturals, Graphs, Bags, BagsExt, SequencesExt
THEOREM OkTransposeNodes == \A G : Transpose(G).node = G.node
  BY DEF Transpose
THEOREM OkBagAddDomain == ASSUME NEW B, NEW x PROVE DOMAIN BagAdd(B, x) = DOMAIN B \cup {x}
  BY DEF BagAdd
THEOREM OkTupleOf == \A S : TupleOf(S, 2) = [1 .. 2 -> S]
  BY DEF TupleOf
THEOREM BadBagRemoveDomain == ASSUME NEW B, NEW x PROVE DOMAIN BagRemove(B, x) = DOMAIN B \ {x}
  BY DEF BagRemove
THEOREM BadTranspose == \A G : Transpose(G) = G
  BY DEF Transpose
THEOREM BadHidden == \A G : Transpose(G).node = G.node
  OBVIOUS"#,
    );
}
