------------------------------- MODULE TLAPS -------------------------------
(* The theorems of the TLAPS standard module that proofs cite.  Backend     *)
(* pragmas (Zenon, Isa, SMT, PTL ...) are built into tlasmt and ignored.    *)
(* NoSetContainsEverything is stated here but tlasmt refuses to use it: a   *)
(* fact about every set cannot be encoded soundly with sets as arrays.     *)
THEOREM NoSetContainsEverything == \A S : \E x : x \notin S
=============================================================================
