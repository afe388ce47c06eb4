------------------------------- MODULE TLAPS -------------------------------
(* The theorems of the TLAPS standard module that proofs cite.  Backend     *)
(* pragmas (Zenon, Isa, SMT, PTL ...) are built into tlasmt and ignored.    *)
(* NoSetContainsEverything is stated here; tlasmt instantiates it at the   *)
(* universe, at each array sort, and at the sets an obligation writes.      *)
THEOREM NoSetContainsEverything == \A S : \E x : x \notin S
=============================================================================
