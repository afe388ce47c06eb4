---------------------------- MODULE Randomization ----------------------------
(* The operators of TLC's standard module Randomization, with the module's *)
(* own definitions (TLC replaces them by random choices).  Hidden unless   *)
(* cited with DEF, they are arbitrary values for a proof; a DEF gets what  *)
(* the standard module says (RandomSubset's CHOOSE compares a number with a *)
(* set there, as it does here).                                             *)
LOCAL INSTANCE Naturals
LOCAL INSTANCE FiniteSets

RandomSubset(k, S) == CHOOSE T \in SUBSET S : Cardinality(T) = T

RandomSetOfSubsets(k, n, S) == CHOOSE T \in SUBSET SUBSET S : Cardinality(T) \leq k

TestRandomSetOfSubsets(k, n, S) == [i \in 1 .. 5 |-> Cardinality(RandomSetOfSubsets(k, n, S))]
=============================================================================
