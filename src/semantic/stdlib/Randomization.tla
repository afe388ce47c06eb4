---------------------------- MODULE Randomization ----------------------------
(* The operators of TLC's Randomization module.  TLC picks their values at  *)
(* random; for a proof they are arbitrary operators (nothing is known of    *)
(* their results), which is what declaring them as operator constants      *)
(* says.                                                                     *)
CONSTANTS RandomSubset(_, _), RandomSetOfSubsets(_, _, _),
          RandomSubsetSet(_, _, _), TestRandomSetOfSubsets(_, _, _)
=============================================================================
