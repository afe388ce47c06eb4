----------------------------- MODULE Consensus -----------------------------
\* Transcription notes:
\*   Source: seed 000 ("The PlusCal Code for Byzantizing Paxos by
\*   Refinement", Section 1, algorithm Consensus).  The PlusCal text is in
\*   the seed and is not repeated here; this module is its TLA+ translation.
\*   The algorithm's body is a single-label while(TRUE) loop, so the
\*   translation needs no pc variable.  The macro Choose() becomes the
\*   action Choose, and Next == Choose.
\*   Spec uses the subscript chosen, as Lamport writes it ([Next]_chosen
\*   is the same as [Next]_vars).
\*   No typos needed fixing in this part of the seed.
(***************************************************************************)
(* The safety property of consensus, written as a trivial algorithm: the  *)
(* variable chosen changes at most once, from {} to {v} for some v in      *)
(* Value.                                                                  *)
(***************************************************************************)
EXTENDS Naturals, FiniteSets

CONSTANT
    \* @type: Set(VALUE);
    Value

VARIABLE
    \* @type: Set(VALUE);
    chosen

vars == << chosen >>

Init == chosen = {}

(***************************************************************************)
(* Macro Choose(): when chosen = {}, set chosen to {v} for some v in Value. *)
(***************************************************************************)
Choose == /\ chosen = {}
          /\ \E v \in Value : chosen' = {v}

Next == Choose

Spec == Init /\ [][Next]_chosen
=============================================================================
