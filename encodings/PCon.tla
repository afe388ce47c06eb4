-------------------------------- MODULE PCon --------------------------------
\* Transcription notes:
\*   Source: seed 000 ("The PlusCal Code for Byzantizing Paxos by
\*   Refinement", Section 3, algorithm PCon), plus the facts about module
\*   PConProof that seed 002 (module BPConProof) relies on: the assumptions
\*   QA and BallotAssump, None, ProcSet, the conjunct order of Init (P!Init!1
\*   .. P!Init!3 are the maxBal, maxVBal, maxVVal conjuncts), the actions
\*   Phase1a .. Phase2b with their parameters, TLANext, ShowsSafeAt (with
\*   the subexpression P!ShowsSafeAt(Q, b, v)!1!1 and !1!2!2!(m1c)) and
\*   chosen.  The PlusCal text is in seed 000 and is not repeated here.
\*   The translation: both processes have a single-label while(TRUE) body,
\*   so there is no pc variable; the macros are expanded in acceptor(self)
\*   and leader(self) as the translator does.
\*   Fixes / guesses:
\*   - Seed 000's layout of ShowsSafeAt does not show the nesting of its
\*     last conjunct; it is nested under \A m \in Q1b, as the BPConProof
\*     proof (step <2>6 <4>5 <5>6 of the refinement theorem) requires.
\*   - PMessage and TypeOK are not in the seeds; they are written from the
\*     message shapes of the PlusCal code, as the brief specifies.
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

(***************************************************************************)
(* The set of ballot numbers and -1 is disjoint from the set of acceptors. *)
(***************************************************************************)
ASSUME BallotAssump == (Ballot \cup {-1}) \cap Acceptor = {}

(***************************************************************************)
(* None is an unspecified value that is not an element of Value.           *)
(***************************************************************************)
None == CHOOSE v : v \notin Value

(***************************************************************************)
(* The set of all possible messages.                                       *)
(***************************************************************************)
PMessage ==
       [type : {"1a"}, bal : Ballot]
  \cup [type : {"1b"}, acc : Acceptor, bal : Ballot,
        mbal : Ballot \cup {-1}, mval : Value \cup {None}]
  \cup [type : {"1c"}, bal : Ballot, val : Value]
  \cup [type : {"2a"}, bal : Ballot, val : Value]
  \cup [type : {"2b"}, acc : Acceptor, bal : Ballot, val : Value]

(***************************************************************************)
(* BEGIN TRANSLATION                                                       *)
(***************************************************************************)
VARIABLES
    \* @type: ACC -> Int;
    maxBal,
    \* @type: ACC -> Int;
    maxVBal,
    \* @type: ACC -> VALUE;
    maxVVal,
    \* @type: Set([type: Str, bal: Int, mbal: Int, mval: VALUE, acc: ACC, val: VALUE]);
    msgs

(* define statement *)
sentMsgs(t, b) == {m \in msgs : (m.type = t) /\ (m.bal = b)}

(***************************************************************************)
(* ShowsSafeAt(Q, b, v) is true for a quorum Q iff msgs contains ballot-b  *)
(* 1b messages from the acceptors in Q showing that v is safe at b.        *)
(***************************************************************************)
ShowsSafeAt(Q, b, v) ==
  LET Q1b == {m \in sentMsgs("1b", b) : m.acc \in Q}
  IN  /\ \A a \in Q : \E m \in Q1b : m.acc = a
      /\ \/ \A m \in Q1b : m.mbal = -1
         \/ \E m1c \in msgs :
              /\ m1c = [type |-> "1c", bal |-> m1c.bal, val |-> v]
              /\ \A m \in Q1b : /\ m1c.bal >= m.mbal
                                /\ (m1c.bal = m.mbal) => (m.mval = v)

vars == << maxBal, maxVBal, maxVVal, msgs >>

ProcSet == (Acceptor) \cup (Ballot)

Init == (* Global variables *)
        /\ maxBal = [a \in Acceptor |-> -1]
        /\ maxVBal = [a \in Acceptor |-> -1]
        /\ maxVVal = [a \in Acceptor |-> None]
        /\ msgs = {}

acceptor(self) == \E b \in Ballot:
                    \/ /\ (b > maxBal[self]) /\ (sentMsgs("1a", b) # {})
                       /\ maxBal' = [maxBal EXCEPT ![self] = b]
                       /\ msgs' = (msgs \cup {[type |-> "1b", acc |-> self, bal |-> b,
                                               mbal |-> maxVBal[self], mval |-> maxVVal[self]]})
                       /\ UNCHANGED << maxVBal, maxVVal >>
                    \/ /\ b >= maxBal[self]
                       /\ \E m \in sentMsgs("2a", b):
                            /\ maxBal' = [maxBal EXCEPT ![self] = b]
                            /\ maxVBal' = [maxVBal EXCEPT ![self] = b]
                            /\ maxVVal' = [maxVVal EXCEPT ![self] = m.val]
                            /\ msgs' = (msgs \cup {[type |-> "2b", acc |-> self,
                                                    bal |-> b, val |-> m.val]})

leader(self) == /\ \/ /\ msgs' = (msgs \cup {[type |-> "1a", bal |-> self]})
                   \/ /\ \E S \in SUBSET Value:
                           /\ \A v \in S : \E Q \in Quorum : ShowsSafeAt(Q, self, v)
                           /\ msgs' = (msgs \cup {[type |-> "1c", bal |-> self, val |-> v] : v \in S})
                   \/ /\ \E v \in Value:
                           /\ /\ sentMsgs("2a", self) = {}
                              /\ [type |-> "1c", bal |-> self, val |-> v] \in msgs
                           /\ msgs' = (msgs \cup {[type |-> "2a", bal |-> self, val |-> v]})
                /\ UNCHANGED << maxBal, maxVBal, maxVVal >>

Next == (\E self \in Acceptor: acceptor(self))
           \/ (\E self \in Ballot: leader(self))

Spec == Init /\ [][Next]_vars

(***************************************************************************)
(* END TRANSLATION                                                         *)
(***************************************************************************)

(***************************************************************************)
(* The next-state relation rewritten as a disjunction of actions, in a     *)
(* form more convenient for writing proofs.                                *)
(***************************************************************************)
Phase1a(self) == /\ msgs' = (msgs \cup {[type |-> "1a", bal |-> self]})
                 /\ UNCHANGED << maxBal, maxVBal, maxVVal >>

Phase1b(self, b) ==
  /\ (b > maxBal[self]) /\ (sentMsgs("1a", b) # {})
  /\ maxBal' = [maxBal EXCEPT ![self] = b]
  /\ msgs' = msgs \cup {[type |-> "1b", acc |-> self, bal |-> b,
                         mbal |-> maxVBal[self], mval |-> maxVVal[self]]}
  /\ UNCHANGED << maxVBal, maxVVal >>

Phase1c(self, S) ==
  /\ \A v \in S : \E Q \in Quorum : ShowsSafeAt(Q, self, v)
  /\ msgs' = msgs \cup {[type |-> "1c", bal |-> self, val |-> v] : v \in S}
  /\ UNCHANGED << maxBal, maxVBal, maxVVal >>

Phase2a(self, v) ==
  /\ sentMsgs("2a", self) = {}
  /\ [type |-> "1c", bal |-> self, val |-> v] \in msgs
  /\ msgs' = msgs \cup {[type |-> "2a", bal |-> self, val |-> v]}
  /\ UNCHANGED << maxBal, maxVBal, maxVVal >>

Phase2b(self, b) ==
  /\ b >= maxBal[self]
  /\ \E m \in sentMsgs("2a", b) :
        /\ maxBal' = [maxBal EXCEPT ![self] = b]
        /\ maxVBal' = [maxVBal EXCEPT ![self] = b]
        /\ maxVVal' = [maxVVal EXCEPT ![self] = m.val]
        /\ msgs' = msgs \cup {[type |-> "2b", acc |-> self, bal |-> b, val |-> m.val]}

TLANext ==
  \/ \E self \in Acceptor :
       \E b \in Ballot : \/ Phase1b(self, b)
                         \/ Phase2b(self, b)
  \/ \E self \in Ballot :
       \/ Phase1a(self)
       \/ \E S \in SUBSET Value : Phase1c(self, S)
       \/ \E v \in Value : Phase2a(self, v)

(***************************************************************************)
(* The type-correctness invariant.                                         *)
(***************************************************************************)
TypeOK == /\ maxBal \in [Acceptor -> Ballot \cup {-1}]
          /\ maxVBal \in [Acceptor -> Ballot \cup {-1}]
          /\ maxVVal \in [Acceptor -> Value \cup {None}]
          /\ msgs \subseteq PMessage

(***************************************************************************)
(* A value is chosen iff a quorum of acceptors have voted for it (sent 2b  *)
(* messages for it) in the same ballot.                                    *)
(***************************************************************************)
chosen == {v \in Value : \E Q \in Quorum, b \in Ballot :
                            \A a \in Q : \E m \in msgs : /\ m.type = "2b"
                                                         /\ m.acc = a
                                                         /\ m.bal = b
                                                         /\ m.val = v}
=============================================================================
