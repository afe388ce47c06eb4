------------------------ MODULE WellFoundedInduction ------------------------
(* Well-founded relations, induction over them and recursive definitions  *)
(* justified by them.  A relation is a set of pairs: <<x, y>> \in R reads  *)
(* "x is below y".  The definitions are the standard ones, hidden unless   *)
(* cited with DEF.  The theorems are trusted library facts: tlasmt does    *)
(* not prove them, and every report that uses one lists it.                *)
EXTENDS NaturalsInduction

IsTransitivelyClosedOn(R, S) ==
  \A i, j, k \in S : <<i, j>> \in R /\ <<j, k>> \in R => <<i, k>> \in R

\* No infinite descending chain of elements of S.
IsWellFoundedOn(R, S) ==
  ~ \E f \in [Nat -> S] : \A n \in Nat : <<f[n + 1], f[n]>> \in R

\* The elements of S below x.
SetLessThan(x, R, S) == {y \in S : <<y, x>> \in R}

LEMMA EmptyIsWellFounded == \A S : IsWellFoundedOn({}, S)

LEMMA IsWellFoundedOnSubset ==
  ASSUME NEW R, NEW S, NEW T \in SUBSET S, IsWellFoundedOn(R, S)
  PROVE  IsWellFoundedOn(R, T)

LEMMA IsWellFoundedOnSubrelation ==
  ASSUME NEW S, NEW R, NEW RR, RR \cap (S \X S) \subseteq R,
         IsWellFoundedOn(R, S)
  PROVE  IsWellFoundedOn(RR, S)

THEOREM WFMin ==
  ASSUME NEW R, NEW S, IsWellFoundedOn(R, S), NEW T, T \subseteq S, T # {}
  PROVE  \E x \in T : \A y \in T : <<y, x>> \notin R

THEOREM MinWF ==
  ASSUME NEW R, NEW S,
         \A T \in SUBSET S :
           T # {} => \E x \in T : \A y \in T : <<y, x>> \notin R
  PROVE  IsWellFoundedOn(R, S)

LEMMA WellFoundedIsIrreflexive ==
  ASSUME NEW R, NEW S, NEW x \in S, IsWellFoundedOn(R, S)
  PROVE  <<x, x>> \notin R

LEMMA WellFoundedIsAsymmetric ==
  ASSUME NEW R, NEW S, NEW x \in S, NEW y \in S, IsWellFoundedOn(R, S),
         <<x, y>> \in R, <<y, x>> \in R
  PROVE  FALSE

LEMMA WFSetLessThanIrreflexive ==
  ASSUME NEW R, NEW S, NEW x \in S, IsWellFoundedOn(R, S)
  PROVE  x \notin SetLessThan(x, R, S)

LEMMA SetLessTransitive ==
  ASSUME NEW R, NEW S, NEW x \in S, NEW y \in SetLessThan(x, R, S),
         IsTransitivelyClosedOn(R, S)
  PROVE  SetLessThan(y, R, S) \subseteq SetLessThan(x, R, S)

THEOREM WFInduction ==
  ASSUME NEW P(_), NEW R, NEW S, IsWellFoundedOn(R, S),
         \A x \in S : (\A y \in SetLessThan(x, R, S) : P(y)) => P(x)
  PROVE  \A x \in S : P(x)

\* Def(g, x) depends only on the values of g below x.
WFDefOn(R, S, Def(_, _)) ==
  \A g, h : \A x \in S :
    (\A y \in SetLessThan(x, R, S) : g[y] = h[y]) => Def(g, x) = Def(h, x)

OpDefinesFcn(f, S, Def(_, _)) == f = CHOOSE g : g = [x \in S |-> Def(g, x)]

WFInductiveDefines(f, S, Def(_, _)) == f = [x \in S |-> Def(f, x)]

WFInductiveUnique(S, Def(_, _)) ==
  \A g, h : WFInductiveDefines(g, S, Def) /\ WFInductiveDefines(h, S, Def)
              => g = h

THEOREM WFDefOnUnique ==
  ASSUME NEW Def(_, _), NEW R, NEW S, IsWellFoundedOn(R, S), WFDefOn(R, S, Def)
  PROVE  WFInductiveUnique(S, Def)

LEMMA WFInductiveDefLemma ==
  ASSUME NEW Def(_, _), NEW R, NEW S, NEW f,
         IsWellFoundedOn(R, S), IsTransitivelyClosedOn(R, S),
         WFDefOn(R, S, Def), OpDefinesFcn(f, S, Def)
  PROVE  WFInductiveDefines(f, S, Def)

\* The least transitively closed relation on S containing R restricted to S.
TransitiveClosureOn(R, S) ==
  {p \in S \X S :
     \A U \in SUBSET (S \X S) :
       (R \cap (S \X S)) \subseteq U /\ IsTransitivelyClosedOn(U, S) => p \in U}

LEMMA TransitiveClosureThm ==
  \A R, S : /\ (R \cap (S \X S)) \subseteq TransitiveClosureOn(R, S)
            /\ IsTransitivelyClosedOn(TransitiveClosureOn(R, S), S)

LEMMA TransitiveClosureMinimal ==
  ASSUME NEW R, NEW S, NEW U \in SUBSET (S \X S),
         (R \cap (S \X S)) \subseteq U, IsTransitivelyClosedOn(U, S)
  PROVE  TransitiveClosureOn(R, S) \subseteq U

LEMMA TCTCTC ==
  ASSUME NEW R, NEW S, NEW i \in S, NEW j \in S, NEW k \in S,
         <<i, j>> \in TransitiveClosureOn(R, S),
         <<j, k>> \in TransitiveClosureOn(R, S)
  PROVE  <<i, k>> \in TransitiveClosureOn(R, S)

LEMMA TCRTC ==
  ASSUME NEW R, NEW S, NEW i \in S, NEW j \in S, NEW k \in S,
         <<i, j>> \in TransitiveClosureOn(R, S), <<j, k>> \in R
  PROVE  <<i, k>> \in TransitiveClosureOn(R, S)

LEMMA RTCTC ==
  ASSUME NEW R, NEW S, NEW i \in S, NEW j \in S, NEW k \in S,
         <<i, j>> \in R, <<j, k>> \in TransitiveClosureOn(R, S)
  PROVE  <<i, k>> \in TransitiveClosureOn(R, S)

LEMMA TransitiveClosureChopLast ==
  ASSUME NEW R, NEW S, NEW i \in S, NEW k \in S,
         <<i, k>> \in TransitiveClosureOn(R, S)
  PROVE  \E j \in S : /\ <<j, k>> \in R
                      /\ (i = j \/ <<i, j>> \in TransitiveClosureOn(R, S))

THEOREM TransitiveClosureWF ==
  ASSUME NEW R, NEW S, IsWellFoundedOn(R, S)
  PROVE  IsWellFoundedOn(TransitiveClosureOn(R, S), S)

THEOREM WFInductiveDef ==
  ASSUME NEW Def(_, _), NEW R, NEW S, NEW f,
         IsWellFoundedOn(R, S), WFDefOn(R, S, Def), OpDefinesFcn(f, S, Def)
  PROVE  WFInductiveDefines(f, S, Def)

THEOREM WFInductiveDefType ==
  ASSUME NEW Def(_, _), NEW f, NEW R, NEW S, NEW T, T # {},
         IsWellFoundedOn(R, S), WFDefOn(R, S, Def),
         WFInductiveDefines(f, S, Def),
         \A g \in [S -> T], s \in S : Def(g, s) \in T
  PROVE  f \in [S -> T]

\* The relation on S given by a binary operator.
OpToRel(_\prec_, S) == {p \in S \X S : p[1] \prec p[2]}

\* Published as OpToRel(<, Nat): tlasmt does not yet take a built-in infix
\* symbol as an operator argument, so the same relation is written as a LAMBDA.
THEOREM NatLessThanWellFounded ==
  IsWellFoundedOn(OpToRel(LAMBDA a, b : a < b, Nat), Nat)

\* Pairs of S ordered by the R-order of their images under f.
PreImage(f(_), S, R) == {p \in S \X S : <<f(p[1]), f(p[2])>> \in R}

THEOREM PreImageWellFounded ==
  ASSUME NEW S, NEW T, NEW R, NEW f(_),
         \A s \in S : f(s) \in T, IsWellFoundedOn(R, T)
  PROVE  IsWellFoundedOn(PreImage(f, S, R), S)

\* Lexicographic order on S1 \X S2: first components by R1, then by R2.
LexPairOrdering(R1, R2, S1, S2) ==
  {p \in (S1 \X S2) \X (S1 \X S2) :
     \/ <<p[1][1], p[2][1]>> \in R1
     \/ p[1][1] = p[2][1] /\ <<p[1][2], p[2][2]>> \in R2}

THEOREM WFLexPairOrdering ==
  ASSUME NEW R1, NEW R2, NEW S1, NEW S2,
         IsWellFoundedOn(R1, S1), IsWellFoundedOn(R2, S2)
  PROVE  IsWellFoundedOn(LexPairOrdering(R1, R2, S1, S2), S1 \X S2)

\* Lexicographic order on the n-tuples of S (functions from 1 .. n).
LexProductOrdering(R, S, n) ==
  {p \in [1 .. n -> S] \X [1 .. n -> S] :
     \E j \in 1 .. n : /\ \A i \in 1 .. (j - 1) : p[1][i] = p[2][i]
                       /\ <<p[1][j], p[2][j]>> \in R}

THEOREM WFLexProductOrdering ==
  ASSUME NEW R, NEW S, NEW n \in Nat, IsWellFoundedOn(R, S)
  PROVE  IsWellFoundedOn(LexProductOrdering(R, S, n), [1 .. n -> S])
=============================================================================
