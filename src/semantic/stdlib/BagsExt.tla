------------------------------- MODULE BagsExt -------------------------------
(* The community module BagsExt: adding and removing one copy of an       *)
(* element, and folds over a bag.  Ordinary definitions, hidden unless     *)
(* cited with DEF; the folds rest on the RECURSIVE MapThenFoldSet, so the  *)
(* solver learns about them only from facts stated about them.            *)
LOCAL INSTANCE Bags
LOCAL INSTANCE Integers
LOCAL INSTANCE Folds

\* One more copy of x in B.
BagAdd(B, x) ==
  IF x \in DOMAIN B
  THEN [e \in DOMAIN B |-> IF e = x THEN B[e] + 1 ELSE B[e]]
  ELSE [e \in DOMAIN B \cup {x} |-> IF e = x THEN 1 ELSE B[e]]

\* One copy of x fewer in B (B itself if x is not in it).
BagRemove(B, x) ==
  IF x \in DOMAIN B
  THEN IF B[x] = 1
       THEN [e \in DOMAIN B \ {x} |-> B[e]]
       ELSE [e \in DOMAIN B |-> IF e = x THEN B[e] - 1 ELSE B[e]]
  ELSE B

\* No copy of x in B.
BagRemoveAll(B, x) == [e \in DOMAIN B \ {x} |-> B[e]]

\* Fold op over f of every copy of every element of B, the copies of one
\* element one after the other, the elements in the order choose picks them.
MapThenFoldBag(op(_, _), base, f(_), choose(_), B) ==
  LET handle(x) ==
        LET pow[n \in Nat \ {0}] == op(IF n = 1 THEN base ELSE pow[n - 1], f(x))
        IN  pow[B[x]]
  IN  MapThenFoldSet(op, base, handle, LAMBDA S : CHOOSE x \in S : TRUE, DOMAIN B)

FoldBag(op(_, _), base, B) ==
  MapThenFoldBag(op, base, LAMBDA x : x, LAMBDA S : CHOOSE x \in S : TRUE, B)

SumBag(B) == FoldBag(LAMBDA x, y : x + y, 0, B)

ProductBag(B) == FoldBag(LAMBDA x, y : x * y, 1, B)
===============================================================================
