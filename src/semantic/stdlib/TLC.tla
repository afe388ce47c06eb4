--------------------------------- MODULE TLC ---------------------------------
(* The operators of the standard module TLC as TLA+ gives them meaning:   *)
(* printing and assertions are identities for a proof, the model checker's *)
(* registers and clock are unspecified values.  Ordinary definitions,      *)
(* hidden unless cited.  ToString is left out: its value is not a TLA+  *)
(* fact a proof can use.                                                   *)
EXTENDS Naturals, Sequences

Print(out, val) == val
PrintT(out) == TRUE
Assert(val, out) == IF val = TRUE THEN TRUE ELSE CHOOSE v : TRUE
JavaTime == CHOOSE n : n \in Nat
TLCGet(i) == CHOOSE n : TRUE
TLCSet(i, v) == TRUE
TLCEval(v) == v
Any == CHOOSE x : TRUE
RandomElement(s) == CHOOSE x \in s : TRUE

d :> e == [x \in {d} |-> e]
f @@ g == [x \in (DOMAIN f) \cup (DOMAIN g) |->
             IF x \in DOMAIN f THEN f[x] ELSE g[x]]

Permutations(S) == {f \in [S -> S] : \A w \in S : \E v \in S : f[v] = w}

SortSeq(s, Op(_, _)) ==
  LET Perm == CHOOSE p \in Permutations(1 .. Len(s)) :
                \A i, j \in 1 .. Len(p) :
                  (i < j) => Op(s[p[i]], s[p[j]]) \/ (s[p[i]] = s[p[j]])
  IN  [i \in 1 .. Len(s) |-> s[Perm[i]]]
=============================================================================
