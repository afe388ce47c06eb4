--------------------------------- MODULE Bags --------------------------------
(* The operators of the standard module Bags (Specifying Systems, section *)
(* 18.6): a bag is a function from its elements to positive naturals.     *)
(* Ordinary definitions, hidden unless cited with DEF.  BagUnion, BagOfAll *)
(* and BagCardinality, which sum over sets, are left out.                  *)
EXTENDS Naturals

IsABag(B) == B \in [DOMAIN B -> {n \in Nat : n > 0}]

BagToSet(B) == DOMAIN B

SetToBag(S) == [e \in S |-> 1]

BagIn(e, B) == e \in BagToSet(B)

EmptyBag == SetToBag({})

CopiesIn(e, B) == IF BagIn(e, B) THEN B[e] ELSE 0

B1 (+) B2 ==
  [e \in (DOMAIN B1) \cup (DOMAIN B2) |-> CopiesIn(e, B1) + CopiesIn(e, B2)]

\* Copies of B1 less those of B2, keeping only elements left at least once.
B1 (-) B2 ==
  LET D == [e \in DOMAIN B1 |-> IF e \in DOMAIN B2 THEN B1[e] - B2[e] ELSE B1[e]]
  IN  [e \in {d \in DOMAIN D : D[d] > 0} |-> D[e]]

B1 \sqsubseteq B2 ==
  /\ (DOMAIN B1) \subseteq (DOMAIN B2)
  /\ \A e \in DOMAIN B1 : B1[e] <= B2[e]

SubBag(B) ==
  LET Candidates == UNION {[D -> {n \in Nat : n > 0}] : D \in SUBSET BagToSet(B)}
  IN  {SB \in Candidates : \A e \in DOMAIN SB : SB[e] <= B[e]}
=============================================================================
