---------------------------- MODULE FiniteSetsExt ----------------------------
(* Operators of the community module FiniteSetsExt, as definitions hidden  *)
(* unless cited with DEF.  The folds (FoldSet, Sum, Product, ReduceSet,    *)
(* FlattenSet, SumSet, MapThenSumSet) are left out: they are recursive.    *)
(* The community module instances Naturals and FiniteSets locally; here    *)
(* they are extended.                                                      *)
EXTENDS Naturals, FiniteSets

\* How many elements of S satisfy P.
Quantify(S, P(_)) == Cardinality({s \in S : P(s)})

\* The subsets of S with k elements.
kSubset(k, S) == {s \in SUBSET S : Cardinality(s) = k}

\* Greatest and least element (meaningful for a finite nonempty set of numbers).
Max(S) == CHOOSE x \in S : \A y \in S : x >= y
Min(S) == CHOOSE x \in S : \A y \in S : x =< y

\* The sets made of one element picked from each set of Sets.
Choices(Sets) ==
  LET Picks == {f \in [Sets -> UNION Sets] : \A T \in Sets : f[T] \in T}
  IN  {{f[T] : T \in Sets} : f \in Picks}

\* The element of S satisfying P, when there is exactly one.
ChooseUnique(S, P(_)) == CHOOSE x \in S : P(x) /\ \A y \in S : P(y) => y = x
=============================================================================
