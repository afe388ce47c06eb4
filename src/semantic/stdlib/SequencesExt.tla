---------------------------- MODULE SequencesExt ----------------------------
(* Operators of the community module SequencesExt, as definitions hidden   *)
(* unless cited with DEF.  Only the non-recursive ones are here: the folds *)
(* (FoldLeft, FoldRight, FoldSeq ...) are recursive.  IsPrefix is the      *)
(* module's current definition (an older one, s = SubSeq(t, 1, Len(s)),    *)
(* differs when s is longer than t); a library module on the search path  *)
(* takes precedence for a user who needs the other.                        *)
EXTENDS Sequences, Integers

\* The set of elements of s.
ToSet(s) == {s[i] : i \in DOMAIN s}

\* Sequences of elements of set: of length n; of length at most n.
TupleOf(set, n) == [1 .. n -> set]
SeqOf(set, n) == UNION {[1 .. m -> set] : m \in 0 .. n}
BoundedSeq(S, n) == SeqOf(S, n)

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

\* s is a prefix (suffix) of t; strictly: and not t itself.
IsPrefix(s, t) == Len(s) <= Len(t) /\ SubSeq(s, 1, Len(s)) = SubSeq(t, 1, Len(s))
IsStrictPrefix(s, t) == IsPrefix(s, t) /\ s # t
IsSuffix(s, t) == IsPrefix(Reverse(s), Reverse(t))
IsStrictSuffix(s, t) == IsSuffix(s, t) /\ s # t
=============================================================================
