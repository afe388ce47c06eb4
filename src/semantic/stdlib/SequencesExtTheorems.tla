------------------------ MODULE SequencesExtTheorems ------------------------
(* Recursive definitions over sequences (primitive recursion along Tail or *)
(* Front), stated as trusted library facts: tlasmt does not prove them.     *)
(* The community module's other theorems are not stated yet: a proof that  *)
(* cites one gets an unknown-name error, never an unchecked fact.           *)
EXTENDS SequencesExt, SequenceTheorems

\* f is the function on Seq(S) defined by recursion on the tail ...
TailInductiveDefHypothesis(f, S, f0, Def(_, _)) ==
  f = CHOOSE g :
        g = [s \in Seq(S) |-> IF s = << >> THEN f0 ELSE Def(g[Tail(s)], s)]

\* ... and it satisfies its recursion equation.
TailInductiveDefConclusion(f, S, f0, Def(_, _)) ==
  f = [s \in Seq(S) |-> IF s = << >> THEN f0 ELSE Def(f[Tail(s)], s)]

THEOREM TailInductiveDef ==
  ASSUME NEW S, NEW Def(_, _), NEW f, NEW f0,
         TailInductiveDefHypothesis(f, S, f0, Def)
  PROVE  TailInductiveDefConclusion(f, S, f0, Def)

THEOREM TailInductiveDefType ==
  ASSUME NEW S, NEW Def(_, _), NEW f, NEW f0, NEW T,
         TailInductiveDefConclusion(f, S, f0, Def),
         f0 \in T,
         \A v \in T, s \in Seq(S) : s # << >> => Def(v, s) \in T
  PROVE  f \in [Seq(S) -> T]

\* The same along Front (all elements but the last).
FrontInductiveDefHypothesis(f, S, f0, Def(_, _)) ==
  f = CHOOSE g :
        g = [s \in Seq(S) |-> IF s = << >> THEN f0 ELSE Def(g[Front(s)], s)]

FrontInductiveDefConclusion(f, S, f0, Def(_, _)) ==
  f = [s \in Seq(S) |-> IF s = << >> THEN f0 ELSE Def(f[Front(s)], s)]

THEOREM FrontInductiveDef ==
  ASSUME NEW S, NEW Def(_, _), NEW f, NEW f0,
         FrontInductiveDefHypothesis(f, S, f0, Def)
  PROVE  FrontInductiveDefConclusion(f, S, f0, Def)

THEOREM FrontInductiveDefType ==
  ASSUME NEW S, NEW Def(_, _), NEW f, NEW f0, NEW T,
         FrontInductiveDefConclusion(f, S, f0, Def),
         f0 \in T,
         \A v \in T, s \in Seq(S) : s # << >> => Def(v, s) \in T
  PROVE  f \in [Seq(S) -> T]
=============================================================================
