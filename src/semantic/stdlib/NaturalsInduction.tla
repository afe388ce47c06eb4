------------------------ MODULE NaturalsInduction ------------------------
(* Statements of the induction principles over the naturals that TLAPS    *)
(* proofs cite.  tlasmt does not prove these: they are trusted library    *)
(* facts and are listed as such in every report that uses them.           *)
EXTENDS Naturals

THEOREM NatInduction ==
  ASSUME NEW P(_),
         P(0),
         \A n \in Nat : P(n) => P(n + 1)
  PROVE  \A n \in Nat : P(n)

THEOREM GeneralNatInduction ==
  ASSUME NEW P(_),
         \A n \in Nat : (\A m \in 0 .. (n - 1) : P(m)) => P(n)
  PROVE  \A n \in Nat : P(n)

THEOREM DownwardNatInduction ==
  ASSUME NEW P(_), NEW m \in Nat, P(m),
         \A n \in 1 .. m : P(n) => P(n - 1)
  PROVE  P(0)
=============================================================================
