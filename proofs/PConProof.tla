------------------------------ MODULE PConProof ------------------------------
\* Transcription notes:
\*   The spec of algorithm PCon (seed 000, Section 3) lives in
\*   encodings/PCon.tla; this module adds the proof that the rewritten
\*   next-state relation TLANext is equivalent to the translation's Next.
\*   Module BPConProof instantiates this module (P == INSTANCE PConProof WITH
\*   maxBal <- PmaxBal) and uses P!NextDef, P!QA, P!BallotAssump, P!TLANext,
\*   P!Phase1a .. P!Phase2b, P!ShowsSafeAt, P!sentMsgs, P!chosen, P!Init,
\*   P!Spec, P!vars, P!ProcSet, P!Ballot, P!None.
\*   The proof of NextDef is written in the style of BPConProof's NextDef
\*   proof.  Because NextDef is stated as TLANext <=> Next, with TLANext an
\*   operator name, the subexpressions used are those of TLANext's
\*   definition: TLANext!1!(self) is the acceptor disjunct's body and
\*   TLANext!2!(self) the leader disjunct's body.  (The seeds do not give
\*   this proof; it is written here, not transcribed.)
\*   The other theorems of PCon's refinement of Voting are left out for now.
EXTENDS PCon, TLAPS

LEMMA NextDef == TLANext <=> Next
<1>1. \A self : acceptor(self) <=> TLANext!1!(self)
  BY DEF acceptor, Phase1b, Phase2b
<1>2. \A self : leader(self) <=> TLANext!2!(self)
  BY DEF leader, Phase1a, Phase1c, Phase2a
<1>3. QED
  BY <1>1, <1>2, Zenon DEF TLANext, Next
=============================================================================
