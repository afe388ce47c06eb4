-------------------------------- MODULE Folds --------------------------------
(* The community module Folds: one general fold over a finite set.  It is  *)
(* RECURSIVE, so for the solver it is an opaque operator: a proof learns   *)
(* about it only from facts stated and proved about it.                    *)

\* Combine f(x) for every x of S with op, starting from base and taking the
\* elements in the order the operator choose picks them.
RECURSIVE MapThenFoldSet(_, _, _, _, _)
MapThenFoldSet(op(_, _), base, f(_), choose(_), S) ==
  IF S = {}
  THEN base
  ELSE LET picked == choose(S)
       IN  op(f(picked), MapThenFoldSet(op, base, f, choose, S \ {picked}))
=============================================================================
