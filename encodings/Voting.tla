------------------------------- MODULE Voting -------------------------------
\* Transcription notes:
\*   Source: seed 000 ("The PlusCal Code for Byzantizing Paxos by
\*   Refinement", Section 2, algorithm Voting).  The PlusCal text is in the
\*   seed; this module is its TLA+ translation.  The macros
\*   IncreaseMaxBal(b) and VoteFor(b, v) of process acceptor become the
\*   actions IncreaseMaxBal(self, b) and VoteFor(self, b, v), and
\*   acceptor(self) is the body of the single-label while loop (so no pc
\*   variable is needed).
\*   SafeAt is the recursive-function version of the seed (the RECURSIVE
\*   operator version is given in the seed only for exposition).
\*   The quorum assumption QA and chosen are not in the PlusCal text of the
\*   seed; they are stated as the lead engineer's brief specifies.
\*   No typos needed fixing in this part of the seed.
EXTENDS Integers, FiniteSets

CONSTANTS
    \* @type: Set(VALUE);
    Value,
    \* @type: Set(ACC);
    Acceptor,
    \* @type: Set(Set(ACC));
    Quorum

ASSUME QA == /\ \A Q \in Quorum : Q \subseteq Acceptor
             /\ \A Q1, Q2 \in Quorum : Q1 \cap Q2 # {}

Ballot == Nat

VARIABLES
    \* @type: ACC -> Set(<<Int, VALUE>>);
    votes,
    \* @type: ACC -> Int;
    maxBal

vars == << votes, maxBal >>

(***************************************************************************)
(* VotedFor(a, b, v) is true iff acceptor a has voted for v in ballot b.   *)
(***************************************************************************)
VotedFor(a, b, v) == <<b, v>> \in votes[a]

DidNotVoteIn(a, b) == \A v \in Value : ~ VotedFor(a, b, v)

(***************************************************************************)
(* SafeAt(b, v) is defined with a recursive function, because TLAPS does   *)
(* not support recursive operator definitions: SA[bb] equals               *)
(* SafeAt(bb, v).                                                          *)
(***************************************************************************)
SafeAt(b, v) ==
  LET SA[bb \in Ballot] ==
        \/ bb = 0
        \/ \E Q \in Quorum :
             /\ \A a \in Q : maxBal[a] >= bb
             /\ \E c \in -1 .. (bb - 1) :
                  /\ (c # -1) => /\ SA[c]
                                 /\ \A a \in Q :
                                      \A w \in Value :
                                         VotedFor(a, c, w) => (w = v)
                  /\ \A d \in (c + 1) .. (bb - 1), a \in Q : DidNotVoteIn(a, d)
  IN  SA[b]

Init == /\ votes = [a \in Acceptor |-> {}]
        /\ maxBal = [a \in Acceptor |-> -1]

(***************************************************************************)
(* Macro IncreaseMaxBal(b), executed by acceptor self.                     *)
(***************************************************************************)
IncreaseMaxBal(self, b) ==
  /\ b > maxBal[self]
  /\ maxBal' = [maxBal EXCEPT ![self] = b]
  /\ UNCHANGED votes

(***************************************************************************)
(* Macro VoteFor(b, v), executed by acceptor self.                         *)
(***************************************************************************)
VoteFor(self, b, v) ==
  /\ maxBal[self] =< b
  /\ DidNotVoteIn(self, b)
  /\ \A p \in Acceptor \ {self} :
        \A w \in Value : VotedFor(p, b, w) => (w = v)
  /\ SafeAt(b, v)
  /\ votes' = [votes EXCEPT ![self] = votes[self] \cup {<<b, v>>}]
  /\ maxBal' = [maxBal EXCEPT ![self] = b]

(***************************************************************************)
(* The body of process acceptor's while loop (label acc).                  *)
(***************************************************************************)
acceptor(self) == \E b \in Ballot :
                     \/ IncreaseMaxBal(self, b)
                     \/ \E v \in Value : VoteFor(self, b, v)

Next == \E self \in Acceptor : acceptor(self)

Spec == Init /\ [][Next]_vars

(***************************************************************************)
(* A value is chosen iff a quorum of acceptors have voted for it in the    *)
(* same ballot.                                                            *)
(***************************************************************************)
chosen == {v \in Value : \E Q \in Quorum, b \in Ballot :
                            \A a \in Q : VotedFor(a, b, v)}
=============================================================================
