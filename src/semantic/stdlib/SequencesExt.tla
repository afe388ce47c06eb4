---------------------------- MODULE SequencesExt ----------------------------
(* Operators of the community module SequencesExt, as definitions hidden   *)
(* unless cited with DEF.  Only the non-recursive ones whose definition is *)
(* settled are here: the folds (FoldLeft, FoldRight, FoldSeq ...) are      *)
(* recursive, and IsPrefix has had two definitions that differ on          *)
(* sequences longer than the other, so it and the operators built on it   *)
(* are left out.                                                           *)
EXTENDS Sequences, Integers

\* The set of elements of s.
ToSet(s) == {s[i] : i \in DOMAIN s}

\* s with elt added in front / at the end.
Cons(elt, s) == << elt >> \o s
Snoc(elt, s) == Append(s, elt)

\* s without its last element, and that element.
Front(s) == SubSeq(s, 1, Len(s) - 1)
Last(s) == s[Len(s)]

Reverse(s) == [i \in 1 .. Len(s) |-> s[(Len(s) - i) + 1]]

\* Whether e occurs in s.
Contains(s, e) == \E i \in 1 .. Len(s) : s[i] = e

\* Insert e at position i (shifting the rest), replace or remove position i.
InsertAt(s, i, e) == SubSeq(s, 1, i - 1) \o << e >> \o SubSeq(s, i, Len(s))
ReplaceAt(s, i, e) == [s EXCEPT ![i] = e]
RemoveAt(s, i) == SubSeq(s, 1, i - 1) \o SubSeq(s, i + 1, Len(s))
=============================================================================
