------------------------------ MODULE Functions ------------------------------
(* The operators of the library module Functions: restriction, range,      *)
(* inverse, injections, surjections and bijections, folds.  Ordinary      *)
(* definitions, hidden unless cited with DEF.                              *)
LOCAL INSTANCE Folds

\* The function f with its domain cut down to S.
Restrict(f, S) == [x \in S |-> f[x]]

\* The set of values f takes.
Range(f) == {f[x] : x \in DOMAIN f}

\* A function from T to S sending each value of f to some argument that f
\* maps to it (anything in S for values f does not take).
Inverse(f, S, T) == [t \in T |-> CHOOSE s \in S : t \in Range(f) => f[s] = t]

IsInjective(f) == \A a, b \in DOMAIN f : f[a] = f[b] => a = b

Injection(S, T) == {m \in [S -> T] : IsInjective(m)}

Surjection(S, T) == {m \in [S -> T] : \A t \in T : \E s \in S : m[s] = t}

Bijection(S, T) == Injection(S, T) \cap Surjection(S, T)

ExistsInjection(S, T) == Injection(S, T) # {}

ExistsSurjection(S, T) == Surjection(S, T) # {}

ExistsBijection(S, T) == Bijection(S, T) # {}

\* Fold the values of fun at the arguments in indices with op, from base.
FoldFunctionOnSet(op(_, _), base, fun, indices) ==
  MapThenFoldSet(op, base, LAMBDA i : fun[i], LAMBDA s : CHOOSE x \in s : TRUE, indices)

\* Fold all the values of fun with op, from base.
FoldFunction(op(_, _), base, fun) == FoldFunctionOnSet(op, base, fun, DOMAIN fun)
=============================================================================
