-------------------------------- MODULE BPCon --------------------------------
\* Transcription notes:
\*   Source: seed 002 (module BPConProof, typeset), the specification part:
\*   everything up to and including the rewritten actions Phase1b ..
\*   FakingAcceptor.  Lemma BMessageLemma and everything after the rewritten
\*   actions are in proofs/BPConProof.tla, which EXTENDS this module.  The
\*   PlusCal algorithm (seed 000 Section 4 and seed 002) is not repeated
\*   here; this module has its TLA+ translation.
\*   Typo fixes relative to the seed:
\*   - VARIABLES maxBal, maxVVal, maxVVal -> maxBal, maxVBal, maxVVal.
\*   - knownSent -> knowsSent (the PlusCal variable list and define section).
\*   - leader(self), facceptor(self): UNCHANGED <<maxBal, maxVVal, maxVVal,
\*     ...>> -> <<maxBal, maxVBal, maxVVal, ...>>.
\*   - acceptor(self), Phase1b branch: the typeset record ended in an extra
\*     "]" ("mval |-> maxVVal[self]]])"); the extra bracket is dropped.
\*   - Phase1b(self, b): "mbal |-> maxVVal[self]" -> "mbal |-> maxVBal[self]"
\*     (as in the translation acceptor(self)), and UNCHANGED <<maxVVal,
\*     maxVVal, 2avSent, knowsSent>> -> <<maxVBal, maxVVal, 2avSent,
\*     knowsSent>>.
\*   - Phase2av(self, b): UNCHANGED <<maxVVal, maxVVal, knowsSent>> ->
\*     <<maxVBal, maxVVal, knowsSent>>.
\*   - In KnowsSafeAt the typesetting shows the two disjunction bullets as
\*     "\forall"; they are \/ (the subexpression names KnowsSafeAt(..)!1!1
\*     and !1!2 used in the proofs confirm a two-item disjunction).
\*   - Bullet alignment lost in typesetting is restored from the logical
\*     structure, e.g. leader(self) is
\*     /\ \/ (Phase1a branch) \/ (Phase1c branch)  /\ UNCHANGED <<...>>.
\*   With these fixes, every UNCHANGED lists exactly the variables its
\*   action does not change (checked action by action).
EXTENDS Integers, FiniteSets

(***************************************************************************)
(* The sets Value and Ballot are the same as in the Voting and PConProof   *)
(* specs.                                                                  *)
(***************************************************************************)
CONSTANT
    \* @type: Set(VALUE);
    Value

Ballot == Nat

(***************************************************************************)
(* As in module PConProof, None is an unspecified value that is not an     *)
(* element of Value.                                                       *)
(***************************************************************************)
None == CHOOSE v : v \notin Value

(***************************************************************************)
(* Acceptor is the set of good (non-faulty) acceptors, FakeAcceptor the    *)
(* set of possibly malicious (faulty) acceptors.  A Byzantine quorum is a  *)
(* set of acceptors that includes a quorum of good ones; a weak quorum is  *)
(* a set of acceptors that includes at least one good one.                 *)
(***************************************************************************)
CONSTANTS
    \* @type: Set(ACC);
    Acceptor,
    \* @type: Set(ACC);
    FakeAcceptor,
    \* @type: Set(Set(ACC));
    ByzQuorum,
    \* @type: Set(Set(ACC));
    WeakQuorum

(***************************************************************************)
(* The set of all real or fake acceptors.                                  *)
(***************************************************************************)
ByzAcceptor == Acceptor \cup FakeAcceptor

(***************************************************************************)
(* The set of ballot numbers and -1 is disjoint from the set of all (real  *)
(* and fake) acceptors.                                                    *)
(***************************************************************************)
ASSUME BallotAssump == (Ballot \cup {-1}) \cap ByzAcceptor = {}

(***************************************************************************)
(* The assumptions about acceptors and quorums needed for safety.          *)
(***************************************************************************)
ASSUME BQA ==
          /\ Acceptor \cap FakeAcceptor = {}
          /\ \A Q \in ByzQuorum : Q \subseteq ByzAcceptor
          /\ \A Q1, Q2 \in ByzQuorum : Q1 \cap Q2 \cap Acceptor # {}
          /\ \A Q \in WeakQuorum : /\ Q \subseteq ByzAcceptor
                                   /\ Q \cap Acceptor # {}

(***************************************************************************)
(* An assumption not needed for safety, but needed for liveness.           *)
(***************************************************************************)
ASSUME BQLA ==
          /\ \E Q \in ByzQuorum : Q \subseteq Acceptor
          /\ \E Q \in WeakQuorum : Q \subseteq Acceptor

(***************************************************************************)
(* The set BMessage of all possible messages.                              *)
(***************************************************************************)
1aMessage == [type : {"1a"}, bal : Ballot]

1bMessage ==
  [type : {"1b"}, bal : Ballot,
   mbal : Ballot \cup {-1}, mval : Value \cup {None},
   m2av : SUBSET [val : Value, bal : Ballot],
   acc : ByzAcceptor]

1cMessage ==
  [type : {"1c"}, bal : Ballot, val : Value]

2avMessage ==
  [type : {"2av"}, bal : Ballot, val : Value, acc : ByzAcceptor]

2bMessage == [type : {"2b"}, acc : ByzAcceptor, bal : Ballot, val : Value]

BMessage ==
  1aMessage \cup 1bMessage \cup 1cMessage \cup 2avMessage \cup 2bMessage

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
    \* @type: ACC -> Set([val: VALUE, bal: Int]);
    2avSent,
    \* @type: ACC -> Set([type: Str, bal: Int, mbal: Int, mval: VALUE, m2av: Set([val: VALUE, bal: Int]), acc: ACC, val: VALUE]);
    knowsSent,
    \* @type: Set([type: Str, bal: Int, mbal: Int, mval: VALUE, m2av: Set([val: VALUE, bal: Int]), acc: ACC, val: VALUE]);
    bmsgs

(* define statement *)
sentMsgs(type, bal) == {m \in bmsgs : m.type = type /\ m.bal = bal}

(***************************************************************************)
(* KnowsSafeAt(ac, b, v) is true iff the set of 1b messages in             *)
(* knowsSent[ac] implies that value v is safe at ballot b in the PCon      *)
(* algorithm being emulated by the good acceptors.                         *)
(***************************************************************************)
KnowsSafeAt(ac, b, v) ==
  LET S == {m \in knowsSent[ac] : m.bal = b}
  IN  \/ \E BQ \in ByzQuorum :
           \A a \in BQ : \E m \in S : /\ m.acc = a
                                      /\ m.mbal = -1
      \/ \E c \in 0 .. (b - 1) :
           /\ \E BQ \in ByzQuorum :
                \A a \in BQ : \E m \in S : /\ m.acc = a
                                           /\ m.mbal =< c
                                           /\ (m.mbal = c) => (m.mval = v)
           /\ \E WQ \in WeakQuorum :
                \A a \in WQ :
                  \E m \in S : /\ m.acc = a
                               /\ \E r \in m.m2av : /\ r.bal >= c
                                                    /\ r.val = v

vars == << maxBal, maxVBal, maxVVal, 2avSent, knowsSent, bmsgs >>

ProcSet == (Acceptor) \cup (Ballot) \cup (FakeAcceptor)

Init == (* Global variables *)
        /\ maxBal = [a \in Acceptor |-> -1]
        /\ maxVBal = [a \in Acceptor |-> -1]
        /\ maxVVal = [a \in Acceptor |-> None]
        /\ 2avSent = [a \in Acceptor |-> {}]
        /\ knowsSent = [a \in Acceptor |-> {}]
        /\ bmsgs = {}

acceptor(self) == \E b \in Ballot:
                    \/ /\ (b > maxBal[self]) /\ (sentMsgs("1a", b) # {})
                       /\ maxBal' = [maxBal EXCEPT ![self] = b]
                       /\ bmsgs' = (bmsgs \cup {([type |-> "1b", bal |-> b, acc |-> self, m2av |-> 2avSent[self],
                                                  mbal |-> maxVBal[self], mval |-> maxVVal[self]])})
                       /\ UNCHANGED << maxVBal, maxVVal, 2avSent, knowsSent >>
                    \/ /\ /\ maxBal[self] =< b
                          /\ \A r \in 2avSent[self] : r.bal < b
                       /\ \E m \in {ms \in sentMsgs("1c", b) : KnowsSafeAt(self, b, ms.val)}:
                            /\ bmsgs' = (bmsgs \cup {([type |-> "2av", bal |-> b, val |-> m.val, acc |-> self])})
                            /\ 2avSent' = [2avSent EXCEPT ![self] = {r \in 2avSent[self] : r.val # m.val}
                                                                      \cup {[val |-> m.val, bal |-> b]}]
                       /\ maxBal' = [maxBal EXCEPT ![self] = b]
                       /\ UNCHANGED << maxVBal, maxVVal, knowsSent >>
                    \/ /\ maxBal[self] =< b
                       /\ \E v \in {vv \in Value :
                                      \E Q \in ByzQuorum :
                                         \A aa \in Q :
                                            \E m \in sentMsgs("2av", b) : /\ m.val = vv
                                                                          /\ m.acc = aa}:
                            /\ bmsgs' = (bmsgs \cup {([type |-> "2b", acc |-> self, bal |-> b, val |-> v])})
                            /\ maxVVal' = [maxVVal EXCEPT ![self] = v]
                       /\ maxBal' = [maxBal EXCEPT ![self] = b]
                       /\ maxVBal' = [maxVBal EXCEPT ![self] = b]
                       /\ UNCHANGED << 2avSent, knowsSent >>
                    \/ /\ \E S \in SUBSET sentMsgs("1b", b):
                            knowsSent' = [knowsSent EXCEPT ![self] = knowsSent[self] \cup S]
                       /\ UNCHANGED << maxBal, maxVBal, maxVVal, 2avSent, bmsgs >>

leader(self) == /\ \/ /\ bmsgs' = (bmsgs \cup {([type |-> "1a", bal |-> self])})
                   \/ /\ \E S \in SUBSET [type : {"1c"}, bal : {self}, val : Value]:
                           bmsgs' = (bmsgs \cup S)
                /\ UNCHANGED << maxBal, maxVBal, maxVVal, 2avSent, knowsSent >>

facceptor(self) == /\ \E m \in { mm \in 1bMessage \cup 2avMessage \cup 2bMessage :
                                   mm.acc = self }:
                        bmsgs' = (bmsgs \cup {m})
                   /\ UNCHANGED << maxBal, maxVBal, maxVVal, 2avSent,
                                   knowsSent >>

Next == (\E self \in Acceptor: acceptor(self))
           \/ (\E self \in Ballot: leader(self))
           \/ (\E self \in FakeAcceptor: facceptor(self))

Spec == Init /\ [][Next]_vars

(***************************************************************************)
(* END TRANSLATION                                                         *)
(***************************************************************************)

(***************************************************************************)
(* As in module PConProof, the next-state relation rewritten in a form     *)
(* more convenient for writing proofs.                                     *)
(***************************************************************************)
Phase1b(self, b) ==
  /\ (b > maxBal[self]) /\ (sentMsgs("1a", b) # {})
  /\ maxBal' = [maxBal EXCEPT ![self] = b]
  /\ bmsgs' = bmsgs \cup {[type  |-> "1b", bal |-> b, acc |-> self,
                           m2av |-> 2avSent[self],
                           mbal |-> maxVBal[self], mval |-> maxVVal[self]]}
  /\ UNCHANGED << maxVBal, maxVVal, 2avSent, knowsSent >>

Phase2av(self, b) ==
  /\ maxBal[self] =< b
  /\ \A r \in 2avSent[self] : r.bal < b
  /\ \E m \in {ms \in sentMsgs("1c", b) : KnowsSafeAt(self, b, ms.val)}:
        /\ bmsgs' = bmsgs \cup
                     {[type |-> "2av", bal |-> b, val |-> m.val, acc |-> self]}
        /\ 2avSent' = [2avSent EXCEPT
                          ![self] = {r \in 2avSent[self] : r.val # m.val}
                                      \cup {[val |-> m.val, bal |-> b]}]
  /\ maxBal' = [maxBal EXCEPT ![self] = b]
  /\ UNCHANGED << maxVBal, maxVVal, knowsSent >>

Phase2b(self, b) ==
  /\ maxBal[self] =< b
  /\ \E v \in {vv \in Value :
                 \E Q \in ByzQuorum :
                    \A a \in Q :
                       \E m \in sentMsgs("2av", b) : /\ m.val = vv
                                                     /\ m.acc = a} :
        /\ bmsgs' = (bmsgs \cup
                      {[type |-> "2b", acc |-> self, bal |-> b, val |-> v]})
        /\ maxVVal' = [maxVVal EXCEPT ![self] = v]
  /\ maxBal' = [maxBal EXCEPT ![self] = b]
  /\ maxVBal' = [maxVBal EXCEPT ![self] = b]
  /\ UNCHANGED << 2avSent, knowsSent >>

LearnsSent(self, b) ==
  /\ \E S \in SUBSET sentMsgs("1b", b):
        knowsSent' = [knowsSent EXCEPT ![self] = knowsSent[self] \cup S]
  /\ UNCHANGED << maxBal, maxVBal, maxVVal, 2avSent, bmsgs >>

Phase1a(self) ==
  /\ bmsgs' = (bmsgs \cup {[type |-> "1a", bal |-> self]})
  /\ UNCHANGED << maxBal, maxVBal, maxVVal, 2avSent, knowsSent >>

Phase1c(self) ==
  /\ \E S \in SUBSET [type : {"1c"}, bal : {self}, val : Value]:
        bmsgs' = (bmsgs \cup S)
  /\ UNCHANGED << maxBal, maxVBal, maxVVal, 2avSent, knowsSent >>

FakingAcceptor(self) ==
  /\ \E m \in { mm \in 1bMessage \cup 2avMessage \cup 2bMessage : mm.acc = self } :
        bmsgs' = (bmsgs \cup {m})
  /\ UNCHANGED << maxBal, maxVBal, maxVVal, 2avSent, knowsSent >>
=============================================================================
