------------------------- MODULE FiniteSetTheorems -------------------------
(* Statements of the finite-set facts that TLAPS proofs cite.  tlasmt does  *)
(* not prove these: they are trusted library facts and are listed as such  *)
(* in every report that uses them.                                         *)
EXTENDS FiniteSets, Integers

THEOREM FS_EmptySet == IsFiniteSet({}) /\ Cardinality({}) = 0

THEOREM FS_Singleton == \A x : IsFiniteSet({x}) /\ Cardinality({x}) = 1

THEOREM FS_AddElement ==
  ASSUME NEW S, IsFiniteSet(S), NEW x
  PROVE  /\ IsFiniteSet(S \cup {x})
         /\ Cardinality(S \cup {x}) = IF x \in S THEN Cardinality(S)
                                                 ELSE Cardinality(S) + 1

THEOREM FS_RemoveElement ==
  ASSUME NEW S, IsFiniteSet(S), NEW x
  PROVE  /\ IsFiniteSet(S \ {x})
         /\ Cardinality(S \ {x}) = IF x \in S THEN Cardinality(S) - 1
                                               ELSE Cardinality(S)

THEOREM FS_Subset ==
  ASSUME NEW S, IsFiniteSet(S), NEW T, T \subseteq S
  PROVE  /\ IsFiniteSet(T)
         /\ Cardinality(T) =< Cardinality(S)

THEOREM FS_Union ==
  ASSUME NEW S, IsFiniteSet(S), NEW T, IsFiniteSet(T)
  PROVE  /\ IsFiniteSet(S \cup T)
         /\ Cardinality(S \cup T) =
              Cardinality(S) + Cardinality(T) - Cardinality(S \cap T)

THEOREM FS_Intersection ==
  ASSUME NEW S, IsFiniteSet(S), NEW T
  PROVE  /\ IsFiniteSet(S \cap T)
         /\ IsFiniteSet(T \cap S)

THEOREM FS_Difference ==
  ASSUME NEW S, IsFiniteSet(S), NEW T
  PROVE  IsFiniteSet(S \ T)

THEOREM FS_CardinalityType ==
  ASSUME NEW S, IsFiniteSet(S)
  PROVE  Cardinality(S) \in Nat

THEOREM FS_Interval ==
  ASSUME NEW a \in Int, NEW b \in Int
  PROVE  /\ IsFiniteSet(a .. b)
         /\ Cardinality(a .. b) = IF a > b THEN 0 ELSE b - a + 1

THEOREM FS_Image ==
  ASSUME NEW S, IsFiniteSet(S), NEW F(_)
  PROVE  IsFiniteSet({F(x) : x \in S})

THEOREM FS_Induction ==
  ASSUME NEW S, IsFiniteSet(S), NEW P(_), P({}),
         ASSUME NEW T, NEW x, IsFiniteSet(T), P(T), x \notin T
         PROVE  P(T \cup {x})
  PROVE  P(S)
=============================================================================
