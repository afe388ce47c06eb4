------------------------ MODULE FunctionTheorems ----------------------------
(* Facts about restriction, range, inverse, injections, surjections and    *)
(* bijections (operators of module Functions).  Trusted library facts:     *)
(* tlasmt does not prove them, and every report that uses one lists it.    *)
EXTENDS Functions, Integers

THEOREM Fun_RestrictProperties ==
  ASSUME NEW S, NEW T, NEW f \in [S -> T], NEW A \in SUBSET S
  PROVE  /\ Restrict(f, A) \in [A -> T]
         /\ \A x \in A : Restrict(f, A)[x] = f[x]

THEOREM Fun_RangeProperties ==
  ASSUME NEW S, NEW T, NEW f \in [S -> T]
  PROVE  /\ Range(f) \subseteq T
         /\ \A y \in Range(f) : \E x \in S : f[x] = y
         /\ f \in Surjection(S, Range(f))

THEOREM Fun_InverseProperties ==
  ASSUME NEW S, NEW T, NEW f \in [S -> T]
  PROVE  /\ (S = {} => T = {}) => Inverse(f, S, T) \in [T -> S]
         /\ \A y \in Range(f) : f[Inverse(f, S, T)[y]] = y

\* Introduction rules.
THEOREM Fun_IsInj ==
  ASSUME NEW S, NEW T, NEW F \in [S -> T], \A a, b \in S : F[a] = F[b] => a = b
  PROVE  F \in Injection(S, T)

THEOREM Fun_IsSurj ==
  ASSUME NEW S, NEW T, NEW F \in [S -> T], \A t \in T : \E s \in S : F[s] = t
  PROVE  F \in Surjection(S, T)

THEOREM Fun_IsBij ==
  ASSUME NEW S, NEW T, NEW F,
         F \in Injection(S, T)
           \/ (F \in [S -> T] /\ \A a, b \in S : F[a] = F[b] => a = b),
         F \in Surjection(S, T)
           \/ (F \in [S -> T] /\ \A t \in T : \E s \in S : F[s] = t)
  PROVE  F \in Bijection(S, T)

\* Elimination rules.
THEOREM Fun_InjectionProperties ==
  ASSUME NEW S, NEW T, NEW F \in Injection(S, T)
  PROVE  /\ F \in [S -> T]
         /\ \A a, b \in S : F[a] = F[b] => a = b

THEOREM Fun_SurjectionProperties ==
  ASSUME NEW S, NEW T, NEW F \in Surjection(S, T)
  PROVE  /\ F \in [S -> T]
         /\ \A t \in T : \E s \in S : F[s] = t
         /\ Range(F) = T

THEOREM Fun_BijectionProperties ==
  ASSUME NEW S, NEW T, NEW F \in Bijection(S, T)
  PROVE  /\ F \in [S -> T]
         /\ F \in Injection(S, T)
         /\ F \in Surjection(S, T)
         /\ \A a, b \in S : F[a] = F[b] => a = b
         /\ \A t \in T : \E s \in S : F[s] = t

THEOREM Fun_SmallestSurjectionIsBijection ==
  ASSUME NEW S, NEW T, NEW f \in Surjection(S, T),
         \A U \in SUBSET S : U # S => Surjection(U, T) = {}
  PROVE  f \in Bijection(S, T)

\* Composition.
THEOREM Fun_InjTransitive ==
  ASSUME NEW S, NEW T, NEW U, NEW F \in Injection(S, T), NEW G \in Injection(T, U)
  PROVE  [s \in S |-> G[F[s]]] \in Injection(S, U)

THEOREM Fun_SurjTransitive ==
  ASSUME NEW S, NEW T, NEW U, NEW F \in Surjection(S, T), NEW G \in Surjection(T, U)
  PROVE  [s \in S |-> G[F[s]]] \in Surjection(S, U)

THEOREM Fun_BijTransitive ==
  ASSUME NEW S, NEW T, NEW U, NEW F \in Bijection(S, T), NEW G \in Bijection(T, U)
  PROVE  [s \in S |-> G[F[s]]] \in Bijection(S, U)

\* Inverses.
THEOREM Fun_SurjInverse ==
  ASSUME NEW S, NEW T, NEW f \in Surjection(S, T)
  PROVE  Inverse(f, S, T) \in Injection(T, S)

THEOREM Fun_InjInverse ==
  ASSUME NEW S, NEW T, NEW f \in Injection(S, T), S = {} => T = {}
  PROVE  Inverse(f, S, T) \in Surjection(T, S)

THEOREM Fun_BijInverse ==
  ASSUME NEW S, NEW T, NEW f \in Bijection(S, T)
  PROVE  /\ Inverse(f, S, T) \in Bijection(T, S)
         /\ \A s \in S : Inverse(f, S, T)[f[s]] = s
         /\ Inverse(Inverse(f, S, T), T, S) = f

THEOREM Fun_BijRestrict ==
  ASSUME NEW S, NEW T, NEW F \in Bijection(S, T), NEW R \in SUBSET S
  PROVE  Restrict(F, R) \in Bijection(R, Range(Restrict(F, R)))

THEOREM Fun_InjMeansBijImage ==
  ASSUME NEW S, NEW T, NEW F \in Injection(S, T)
  PROVE  F \in Bijection(S, Range(F))

\* Existence of injections, surjections and bijections.
THEOREM Fun_ExistsInj == \A S, T : ExistsInjection(S, T) <=> Injection(S, T) # {}

THEOREM Fun_ExistsSurj == \A S, T : ExistsSurjection(S, T) <=> Surjection(S, T) # {}

THEOREM Fun_ExistsBij == \A S, T : ExistsBijection(S, T) <=> Bijection(S, T) # {}

THEOREM Fun_ExistsSurjSubset ==
  ASSUME NEW S, NEW T \in SUBSET S, T # {}
  PROVE  ExistsSurjection(S, T)

THEOREM Fun_ExistsSurjMeansExistsRevInj ==
  ASSUME NEW S, NEW T, ExistsSurjection(S, T)
  PROVE  ExistsInjection(T, S)

THEOREM Fun_ExistsBijReflexive ==
  ASSUME NEW S
  PROVE  ExistsBijection(S, S)

THEOREM Fun_ExistsBijSymmetric ==
  ASSUME NEW S, NEW T, ExistsBijection(S, T)
  PROVE  ExistsBijection(T, S)

THEOREM Fun_ExistsBijTransitive ==
  ASSUME NEW S, NEW T, NEW U, ExistsBijection(S, T), ExistsBijection(T, U)
  PROVE  ExistsBijection(S, U)

THEOREM Fun_ExistsInjReflexive ==
  ASSUME NEW S
  PROVE  ExistsInjection(S, S)

THEOREM Fun_ExistsSurjReflexive ==
  ASSUME NEW S
  PROVE  ExistsSurjection(S, S)

THEOREM Fun_ExistsInjTransitive ==
  ASSUME NEW S, NEW T, NEW U, ExistsInjection(S, T), ExistsInjection(T, U)
  PROVE  ExistsInjection(S, U)

THEOREM Fun_ExistsSurjTransitive ==
  ASSUME NEW S, NEW T, NEW U, ExistsSurjection(S, T), ExistsSurjection(T, U)
  PROVE  ExistsSurjection(S, U)

\* Cantor-Bernstein-Schroeder and its consequences.
THEOREM Fun_CantorBernsteinSchroeder_Lemma ==
  ASSUME NEW S, NEW T, T \subseteq S, ExistsInjection(S, T)
  PROVE  ExistsBijection(S, T)

THEOREM Fun_CantorBernsteinSchroeder ==
  ASSUME NEW S, NEW T, ExistsInjection(S, T), ExistsInjection(T, S)
  PROVE  ExistsBijection(S, T)

THEOREM Fun_ExistInjAndSurjThenBij ==
  ASSUME NEW S, NEW T, ExistsInjection(S, T), ExistsSurjection(S, T)
  PROVE  ExistsBijection(S, T)

THEOREM Fun_ExistSurjAndSurjThenBij ==
  ASSUME NEW S, NEW T, ExistsSurjection(S, T), ExistsSurjection(T, S)
  PROVE  ExistsBijection(S, T)

THEOREM Fun_ExistsBijEquiv ==
  ASSUME NEW S, NEW T
  PROVE  /\ ExistsBijection(S, T) <=> ExistsBijection(T, S)
         /\ ExistsBijection(S, T) <=> ExistsInjection(S, T) /\ ExistsInjection(T, S)
         /\ ExistsBijection(S, T) <=> ExistsInjection(S, T) /\ ExistsSurjection(S, T)
         /\ ExistsBijection(S, T) <=> ExistsInjection(T, S) /\ ExistsSurjection(T, S)
         /\ ExistsBijection(S, T) <=> ExistsSurjection(S, T) /\ ExistsSurjection(T, S)

\* Bijections with intervals of naturals.
THEOREM Fun_ExistsBijInterval ==
  ASSUME NEW a \in Int, NEW b \in Int, a <= b
  PROVE  ExistsBijection(1 .. (b - a + 1), a .. b)

THEOREM Fun_NatInjLeq ==
  ASSUME NEW n \in Nat, NEW m \in Nat
  PROVE  ExistsInjection(1 .. n, 1 .. m) <=> n <= m

THEOREM Fun_NatSurjImpliesNatBij ==
  ASSUME NEW S, NEW n \in Nat, ExistsSurjection(1 .. n, S)
  PROVE  \E m \in Nat : ExistsBijection(1 .. m, S) /\ m <= n

THEOREM Fun_NatSurjEquivNatBij ==
  ASSUME NEW S
  PROVE  (\E n \in Nat : ExistsSurjection(1 .. n, S))
           <=> (\E m \in Nat : ExistsBijection(1 .. m, S))

THEOREM Fun_NatBijSame ==
  ASSUME NEW S, NEW n \in Nat, ExistsBijection(1 .. n, S),
         NEW m \in Nat, ExistsBijection(1 .. m, S)
  PROVE  n = m

THEOREM Fun_NatBijEmpty ==
  ASSUME NEW S
  PROVE  ExistsBijection(1 .. 0, S) <=> S = {}

THEOREM Fun_NatBijSingleton ==
  ASSUME NEW S
  PROVE  ExistsBijection(1 .. 1, S) <=> \E s : S = {s}

THEOREM Fun_NatBijSubset ==
  ASSUME NEW S, NEW m \in Nat, ExistsBijection(1 .. m, S), NEW T \in SUBSET S
  PROVE  \E n \in Nat : ExistsBijection(1 .. n, T) /\ n <= m

THEOREM Fun_NatBijAddElem ==
  ASSUME NEW S, NEW m \in Nat, ExistsBijection(1 .. m, S), NEW x, x \notin S
  PROVE  ExistsBijection(1 .. (m + 1), S \cup {x})

THEOREM Fun_NatBijSubElem ==
  ASSUME NEW S, NEW m \in Nat, ExistsBijection(1 .. m, S), NEW x, x \in S
  PROVE  ExistsBijection(1 .. (m - 1), S \ {x})
=============================================================================
