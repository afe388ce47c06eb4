//! The negative suite: soundness evidence for `tlasmt`.
//!
//! Each case copies the shipped modules (`encodings/*.tla`, `proofs/*.tla`)
//! into a fresh temporary directory with the same layout, applies ONE
//! textual mutation that breaks the mathematics (a dropped conjunct of the
//! invariant, a weakened action guard, a weakened assumption, a wrong DEF
//! list, a wrong cited fact, a wrong invariant conjunct, an action that
//! changes a variable it must leave unchanged, a fake acceptor that may
//! impersonate a good one, a wrong temporal formula), runs the checker on
//! THEOREM Invariance of `proofs/BPConProof.tla`, and asserts that
//!   * the theorem is NOT fully proved, and
//!   * the proof step that the mutation really invalidates is not proved
//!     (its obligation is located through `Obligation::path`).
//!
//! Every search string must occur exactly once in the module it mutates, so
//! an edit of the modules makes the case fail loudly instead of silently
//! testing the unmutated modules.
//!
//! Positive controls: the unmutated copies prove everything.
//!
//! What the mutations can and cannot break: THEOREM Invariance cites
//! MsgsLemma and NextDef as facts (separate theorems, checked separately, as
//! in TLAPS), so a mutated action makes Invariance fail only through the
//! steps that expand the action's definition.  Invariance uses only the
//! first clause of assumption BQA (Acceptor \cap FakeAcceptor = {}): the
//! quorum-intersection and weak-quorum clauses are needed for agreement,
//! not for the bookkeeping invariant Inv.  Those two weakenings are
//! therefore checked against the fixture module
//! `tests/fixtures/negative/QuorumFacts.tla`, whose theorems depend on them.
//!
//! `cargo test --release --test negative -- --nocapture` prints each case's
//! unproved obligations, its time, and the counterexamples.

use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};
use tlasmt::confirm::{Binding, Counterexample};
use tlasmt::driver::{self, ObResult, Report, Request, Status};
use tlasmt::solve::Limits;

/// Per-obligation solver timeout.
const TIMEOUT: Duration = Duration::from_secs(5);

const SPEC: &str = "encodings/BPCon.tla";
const PROOF: &str = "proofs/BPConProof.tla";
const QUORUM_FACTS: &str = "proofs/QuorumFacts.tla";

/// One exact search/replace in one module (path relative to the copy root).
struct Mutation {
    file: &'static str,
    search: &'static str,
    replace: &'static str,
}

// ---------------------------------------------------------------------------
// Harness.
// ---------------------------------------------------------------------------

/// A private copy of the modules; removed on drop.
struct Workspace {
    root: PathBuf,
}

static COUNTER: AtomicUsize = AtomicUsize::new(0);

impl Workspace {
    fn new(case: &str) -> Workspace {
        let n = COUNTER.fetch_add(1, Ordering::SeqCst);
        let tag: String = case
            .chars()
            .map(|c| if c.is_ascii_alphanumeric() { c } else { '_' })
            .collect();
        let root =
            std::env::temp_dir().join(format!("tlasmt-negative-{}-{n}-{tag}", std::process::id()));
        let _ = std::fs::remove_dir_all(&root);
        let manifest = Path::new(env!("CARGO_MANIFEST_DIR"));
        for dir in ["encodings", "proofs"] {
            std::fs::create_dir_all(root.join(dir)).unwrap();
            for entry in std::fs::read_dir(manifest.join(dir)).unwrap() {
                let path = entry.unwrap().path();
                if path.extension().is_some_and(|e| e == "tla") {
                    std::fs::copy(&path, root.join(dir).join(path.file_name().unwrap())).unwrap();
                }
            }
        }
        for required in [SPEC, PROOF, "encodings/PCon.tla", "proofs/PConProof.tla"] {
            assert!(
                root.join(required).is_file(),
                "{required} missing from the copy"
            );
        }
        Workspace { root }
    }

    /// Copy a file of tests/fixtures/negative into the copy's proofs/.
    fn add_fixture(&self, name: &str) {
        let src = Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("tests/fixtures/negative")
            .join(name);
        std::fs::copy(&src, self.root.join("proofs").join(name)).unwrap();
    }

    fn mutate(&self, m: &Mutation) {
        let path = self.root.join(m.file);
        let text = std::fs::read_to_string(&path).unwrap();
        let count = text.matches(m.search).count();
        assert_eq!(
            count, 1,
            "the mutation's search string must occur exactly once in {} (found {count}):\n{}",
            m.file, m.search
        );
        assert_ne!(m.search, m.replace);
        std::fs::write(&path, text.replacen(m.search, m.replace, 1)).unwrap();
    }

    fn run(&self, module: &str, theorems: &[&str]) -> Report {
        let req = Request {
            module: self.root.join(module),
            search: vec![self.root.join("encodings"), self.root.join("proofs")],
            theorems: theorems.iter().map(|s| s.to_string()).collect(),
            all: false,
            limits: Limits {
                timeout: TIMEOUT,
                rlimit: 0,
                portfolio: true,
            },
            dump_smt: None,
            auto: false,
            line: None,
            jobs: 1,
        };
        match driver::run(&req) {
            Ok(r) => r,
            Err(e) => panic!(
                "the checker rejected the modules in {}: {e:#}",
                self.root.display()
            ),
        }
    }
}

impl Drop for Workspace {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.root);
    }
}

fn status_name(s: &Status) -> String {
    tlasmt::report::status_text(s)
}

/// The obligations that are not proved, one per line.
fn unproved(report: &Report) -> String {
    let mut out = String::new();
    for t in &report.theorems {
        for r in &t.results {
            if !r.status.is_proved() {
                out.push_str(&format!(
                    "  {:<44} {:<26} {:.3} s\n",
                    r.obligation.path.join(" "),
                    status_name(&r.status),
                    r.time.as_secs_f64()
                ));
            }
        }
    }
    out
}

/// The obligations at exactly `step` (theorem name first).
fn at<'a>(report: &'a Report, step: &[&str]) -> Vec<&'a ObResult> {
    report
        .theorems
        .iter()
        .flat_map(|t| t.results.iter())
        .filter(|r| {
            r.obligation
                .path
                .iter()
                .map(String::as_str)
                .eq(step.iter().copied())
        })
        .collect()
}

/// Copy, mutate, run THEOREM Invariance, assert it is broken at each of the
/// `expected` steps.
fn check_case(case: &str, m: Mutation, expected: &[&[&str]]) -> Report {
    check_case_on(case, m, PROOF, None, &["Invariance"], expected)
}

fn check_case_on(
    case: &str,
    m: Mutation,
    module: &str,
    fixture: Option<&str>,
    theorems: &[&str],
    expected: &[&[&str]],
) -> Report {
    let ws = Workspace::new(case);
    if let Some(f) = fixture {
        ws.add_fixture(f);
    }
    ws.mutate(&m);
    let start = Instant::now();
    let report = ws.run(module, theorems);
    let failing = unproved(&report);
    eprintln!(
        "[{case}] {}: {}/{} proved in {:.2} s; not proved:\n{failing}",
        theorems.join(", "),
        report.proved(),
        report.total(),
        start.elapsed().as_secs_f64()
    );
    assert!(report.total() > 0, "[{case}] no obligations were generated");
    assert!(
        !report.all_proved(),
        "[{case}] SOUNDNESS: the mutated {} was fully proved ({}/{})",
        theorems.join(", "),
        report.proved(),
        report.total()
    );
    for step in expected {
        let hits = at(&report, step);
        assert!(
            !hits.is_empty(),
            "[{case}] no obligation at step {} (has the proof been restructured?)",
            step.join(" ")
        );
        for r in hits {
            assert!(
                !r.status.is_proved(),
                "[{case}] SOUNDNESS: step {} is {} although the mutation invalidates it; not proved:\n{failing}",
                step.join(" "),
                status_name(&r.status)
            );
        }
    }
    report
}

/// The counterexample of the (unique) obligation at `step`; panics if the
/// obligation did not fail with a model.  Prints the rendered report.
fn counterexample<'a>(case: &str, report: &'a Report, step: &[&str]) -> &'a Counterexample {
    eprintln!("[{case}] report:\n{}", report.to_text());
    let hits = at(report, step);
    assert_eq!(
        hits.len(),
        1,
        "[{case}] expected one obligation at {}",
        step.join(" ")
    );
    match &hits[0].status {
        Status::Failed(cx) => cx,
        other => panic!(
            "[{case}] expected a counterexample at {}, got {}",
            step.join(" "),
            status_name(other)
        ),
    }
}

fn binding(bs: &[Binding], name: &str) -> Option<String> {
    bs.iter().find(|b| b.name == name).map(Binding::text)
}

/// A rendered TLA+ value made of set braces and plain names.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord)]
enum Val {
    Atom(String),
    Set(Vec<Val>),
}

fn parse_val(s: &str) -> Option<Val> {
    fn go(s: &[u8], i: &mut usize) -> Option<Val> {
        while *i < s.len() && s[*i] == b' ' {
            *i += 1;
        }
        if *i < s.len() && s[*i] == b'{' {
            *i += 1;
            let mut elems = Vec::new();
            loop {
                while *i < s.len() && s[*i] == b' ' {
                    *i += 1;
                }
                if *i < s.len() && s[*i] == b'}' {
                    *i += 1;
                    return Some(Val::Set(elems));
                }
                elems.push(go(s, i)?);
                while *i < s.len() && s[*i] == b' ' {
                    *i += 1;
                }
                match s.get(*i) {
                    Some(b',') => *i += 1,
                    Some(b'}') => {}
                    _ => return None,
                }
            }
        }
        let start = *i;
        while *i < s.len() && (s[*i].is_ascii_alphanumeric() || s[*i] == b'_') {
            *i += 1;
        }
        (*i > start).then(|| Val::Atom(String::from_utf8_lossy(&s[start..*i]).into_owned()))
    }
    let bytes = s.trim().as_bytes();
    let mut i = 0;
    let v = go(bytes, &mut i)?;
    (i == bytes.len()).then_some(v)
}

fn atoms(v: &Val) -> Option<Vec<String>> {
    match v {
        Val::Set(es) => es
            .iter()
            .map(|e| match e {
                Val::Atom(a) => Some(a.clone()),
                Val::Set(_) => None,
            })
            .collect(),
        Val::Atom(_) => None,
    }
}

fn set_of_sets(v: &Val) -> Option<Vec<Vec<String>>> {
    match v {
        Val::Set(es) => es.iter().map(atoms).collect(),
        Val::Atom(_) => None,
    }
}

/// A constant of the counterexample that must be a set of plain elements.
fn cx_set(case: &str, cx: &Counterexample, name: &str) -> Vec<String> {
    let raw = binding(&cx.constants, name)
        .unwrap_or_else(|| panic!("[{case}] counterexample has no {name}"));
    parse_val(&raw)
        .as_ref()
        .and_then(atoms)
        .unwrap_or_else(|| panic!("[{case}] {name} = {raw} is not a finite set of acceptors"))
}

// ---------------------------------------------------------------------------
// Positive controls.
// ---------------------------------------------------------------------------

#[test]
fn control_unmutated_invariance_is_proved() {
    let ws = Workspace::new("control");
    let start = Instant::now();
    let report = ws.run(PROOF, &["Invariance"]);
    eprintln!(
        "[control] Invariance: {}/{} proved in {:.2} s",
        report.proved(),
        report.total(),
        start.elapsed().as_secs_f64()
    );
    assert!(report.total() >= 100, "only {} obligations", report.total());
    assert!(report.all_proved(), "not proved:\n{}", unproved(&report));
}

#[test]
fn control_unmutated_quorum_facts_are_proved() {
    let ws = Workspace::new("control-quorum");
    ws.add_fixture("QuorumFacts.tla");
    let report = ws.run(
        QUORUM_FACTS,
        &["ByzQuorumsShareGoodAcceptor", "WeakQuorumHasGoodAcceptor"],
    );
    assert_eq!(report.total(), 2);
    assert!(report.all_proved(), "not proved:\n{}", unproved(&report));
}

// ---------------------------------------------------------------------------
// Dropped conjuncts of Inv.
// ---------------------------------------------------------------------------

/// Without knowsSentInv in Inv, step <4>11 of the Phase1b case still claims
/// knowsSentInv' but can only use the weakened Inv: knowsSent is unchanged
/// and may hold non-1b messages.
#[test]
fn inv_without_knows_sent_inv() {
    check_case(
        "Inv without knowsSentInv",
        Mutation {
            file: PROOF,
            search: "    /\\ 2avInv3 /\\ accInv /\\ knowsSentInv\n",
            replace: "    /\\ 2avInv3 /\\ accInv\n",
        },
        &[&["Invariance", "<1>2", "<2>1", "<3>1", "<4>11"]],
    );
}

/// Without 2avInv2, Inv is not inductive: a good acceptor may already have
/// sent a 2av message for ballot b that 2avSent does not record, and Phase2av
/// then sends a second one for b with another value (2avInv1 breaks).
#[test]
fn inv_without_2av_inv2() {
    check_case(
        "Inv without 2avInv2",
        Mutation {
            file: PROOF,
            search: "/\\ maxBalInv /\\ 2avInv1 /\\ 2avInv2\n",
            replace: "/\\ maxBalInv /\\ 2avInv1\n",
        },
        &[&["Invariance", "<1>2", "<2>1", "<3>2", "<4>10"]],
    );
}

// ---------------------------------------------------------------------------
// Weakened action guards (encodings/BPCon.tla).
// ---------------------------------------------------------------------------

/// Phase1b with b >= maxBal[self] instead of b > maxBal[self]: after
/// Phase1b(a, b) and Phase2b(a, b), a sends a second 1b message for ballot b
/// with a different mbal (1bInv2 breaks).
#[test]
fn phase1b_ballot_guard_off_by_one() {
    check_case(
        "Phase1b with b >= maxBal",
        Mutation {
            file: SPEC,
            search: "Phase1b(self, b) ==\n  /\\ (b > maxBal[self])",
            replace: "Phase1b(self, b) ==\n  /\\ (b >= maxBal[self])",
        },
        &[&["Invariance", "<1>2", "<2>1", "<3>1", "<4>5"]],
    );
}

/// Phase2av without KnowsSafeAt: a 2av message may vouch for a 1c message
/// that no good acceptor knows to be safe (2avInv3 breaks); the PICK of step
/// <4>1 asserts KnowsSafeAt(self, b, mc.val).
#[test]
fn phase2av_without_knows_safe_at() {
    check_case(
        "Phase2av without KnowsSafeAt",
        Mutation {
            file: SPEC,
            search: "  /\\ \\E m \\in {ms \\in sentMsgs(\"1c\", b) : KnowsSafeAt(self, b, ms.val)}:\n        /\\ bmsgs' = bmsgs \\cup\n",
            replace: "  /\\ \\E m \\in sentMsgs(\"1c\", b):\n        /\\ bmsgs' = bmsgs \\cup\n",
        },
        &[&["Invariance", "<1>2", "<2>1", "<3>2", "<4>1"]],
    );
}

/// Phase2av without \A r \in 2avSent[self] : r.bal < b: a good acceptor may
/// send two 2av messages with different values for one ballot (2avInv1).
#[test]
fn phase2av_without_2av_sent_guard() {
    check_case(
        "Phase2av without the 2avSent guard",
        Mutation {
            file: SPEC,
            search: "  /\\ maxBal[self] =< b\n  /\\ \\A r \\in 2avSent[self] : r.bal < b\n",
            replace: "  /\\ maxBal[self] =< b\n",
        },
        &[&["Invariance", "<1>2", "<2>1", "<3>2", "<4>10"]],
    );
}

/// Phase2av keeping the 2avSent entries with the SAME value instead of the
/// others: the entries that justify the acceptor's earlier 2av messages for
/// other values disappear (2avInv2); step <4>1's PICK states the original
/// update of 2avSent.
#[test]
fn phase2av_2av_sent_filter_inverted() {
    check_case(
        "Phase2av keeps the wrong 2avSent entries",
        Mutation {
            file: SPEC,
            search: "                          ![self] = {r \\in 2avSent[self] : r.val # m.val}\n",
            replace: "                          ![self] = {r \\in 2avSent[self] : r.val = m.val}\n",
        },
        &[&["Invariance", "<1>2", "<2>1", "<3>2", "<4>1"]],
    );
}

/// Phase2b without maxBal[self] =< b lowers maxBal[self] to b, below the
/// ballots of the acceptor's earlier messages (maxBalInv breaks).
#[test]
fn phase2b_without_max_bal_guard() {
    check_case(
        "Phase2b without maxBal =< b",
        Mutation {
            file: SPEC,
            search: "Phase2b(self, b) ==\n  /\\ maxBal[self] =< b\n",
            replace: "Phase2b(self, b) ==\n",
        },
        &[&["Invariance", "<1>2", "<2>1", "<3>3", "<4>6"]],
    );
}

/// LearnsSent learning arbitrary messages: knowsSent may then hold non-1b
/// messages (TypeOK, knowsSentInv); step <4>2's PICK S \subseteq
/// sentMsgs("1b", b) is false.
#[test]
fn learns_sent_from_any_message() {
    check_case(
        "LearnsSent from SUBSET bmsgs",
        Mutation {
            file: SPEC,
            search: "LearnsSent(self, b) ==\n  /\\ \\E S \\in SUBSET sentMsgs(\"1b\", b):\n",
            replace: "LearnsSent(self, b) ==\n  /\\ \\E S \\in SUBSET bmsgs:\n",
        },
        &[&["Invariance", "<1>2", "<2>1", "<3>4", "<4>2"]],
    );
}

// ---------------------------------------------------------------------------
// Broken assumptions.
// ---------------------------------------------------------------------------

/// BQA without Acceptor \cap FakeAcceptor = {}: a faulty acceptor may also
/// be a good one and send arbitrary messages in its own (good) name (1bInv1,
/// 1bInv2, maxBalInv... break).  Step <2>3 <3>1 claims m.acc \notin
/// Acceptor from BQA.
#[test]
fn bqa_without_disjointness() {
    let case = "BQA without Acceptor \\cap FakeAcceptor = {}";
    let step: &[&str] = &["Invariance", "<1>2", "<2>3", "<3>1"];
    let report = check_case(
        case,
        Mutation {
            file: SPEC,
            search: "ASSUME BQA ==\n          /\\ Acceptor \\cap FakeAcceptor = {}\n          /\\ ",
            replace: "ASSUME BQA ==\n          /\\ ",
        },
        &[step],
    );
    // A model is not required here (today Z3 answers `unknown` within the
    // timeout: the hypotheses quantify over sets of acceptors); print it if
    // there is one.
    if let [r] = at(&report, step)[..]
        && let Status::Failed(_) = r.status
    {
        eprintln!("[{case}] report:\n{}", report.to_text());
    }
}

/// BQA with Q1 \cap Q2 # {} instead of Q1 \cap Q2 \cap Acceptor # {}: two
/// Byzantine quorums may meet only in faulty acceptors.  The counterexample
/// must be a real one: constants satisfying the weakened BQA, with two
/// quorums whose intersection has no good acceptor.
#[test]
fn bqa_intersection_without_good_acceptor() {
    let case = "BQA with Q1 \\cap Q2 # {}";
    let step: &[&str] = &["ByzQuorumsShareGoodAcceptor"];
    let report = check_case_on(
        case,
        Mutation {
            file: SPEC,
            search: "/\\ \\A Q1, Q2 \\in ByzQuorum : Q1 \\cap Q2 \\cap Acceptor # {}\n",
            replace: "/\\ \\A Q1, Q2 \\in ByzQuorum : Q1 \\cap Q2 # {}\n",
        },
        QUORUM_FACTS,
        Some("QuorumFacts.tla"),
        &["ByzQuorumsShareGoodAcceptor"],
        &[step],
    );
    let cx = counterexample(case, &report, step);
    let acc = cx_set(case, cx, "Acceptor");
    let fake = cx_set(case, cx, "FakeAcceptor");
    let raw = binding(&cx.constants, "ByzQuorum").expect("counterexample has no ByzQuorum");
    let quorums = parse_val(&raw)
        .as_ref()
        .and_then(set_of_sets)
        .unwrap_or_else(|| panic!("[{case}] ByzQuorum = {raw} is not a finite set of sets"));
    let good = |a: &String| acc.contains(a);
    let byz = |a: &String| acc.contains(a) || fake.contains(a);
    // The constants satisfy the weakened BQA ...
    assert!(
        !acc.iter().any(|a| fake.contains(a)),
        "[{case}] Acceptor and FakeAcceptor overlap"
    );
    for q in &quorums {
        assert!(
            q.iter().all(byz),
            "[{case}] quorum {q:?} is not a subset of ByzAcceptor"
        );
        for q2 in &quorums {
            assert!(
                q.iter().any(|a| q2.contains(a)),
                "[{case}] quorums {q:?} and {q2:?} are disjoint"
            );
        }
    }
    // ... and falsify the theorem.
    assert!(
        quorums.iter().any(|q1| quorums
            .iter()
            .any(|q2| !q1.iter().any(|a| q2.contains(a) && good(a)))),
        "[{case}] every two quorums of {quorums:?} share a good acceptor of {acc:?}: not a counterexample"
    );
}

/// WeakQuorum without Q \cap Acceptor # {}: a weak quorum may consist of
/// faulty acceptors only.
#[test]
fn weak_quorum_without_good_acceptor() {
    let case = "WeakQuorum without Q \\cap Acceptor # {}";
    let step: &[&str] = &["WeakQuorumHasGoodAcceptor"];
    let report = check_case_on(
        case,
        Mutation {
            file: SPEC,
            search: "          /\\ \\A Q \\in WeakQuorum : /\\ Q \\subseteq ByzAcceptor\n                                   /\\ Q \\cap Acceptor # {}\n",
            replace: "          /\\ \\A Q \\in WeakQuorum : Q \\subseteq ByzAcceptor\n",
        },
        QUORUM_FACTS,
        Some("QuorumFacts.tla"),
        &["WeakQuorumHasGoodAcceptor"],
        &[step],
    );
    // A model is not required (Z3's model search for this obligation is
    // hit-or-miss within the timeout), but one that is given must be right.
    let [r] = at(&report, step)[..] else {
        panic!("[{case}] expected one obligation")
    };
    if let Status::Failed(cx) = &r.status {
        eprintln!("[{case}] report:\n{}", report.to_text());
        let acc = cx_set(case, cx, "Acceptor");
        let raw = binding(&cx.parameters, "Q").expect("counterexample has no value for Q");
        let q = parse_val(&raw)
            .as_ref()
            .and_then(atoms)
            .unwrap_or_else(|| panic!("[{case}] Q = {raw} is not a finite set"));
        assert!(
            !q.iter().any(|a| acc.contains(a)),
            "[{case}] Q = {q:?} meets Acceptor = {acc:?}: not a counterexample"
        );
    }
}

// ---------------------------------------------------------------------------
// Wrong DEF lists.
// ---------------------------------------------------------------------------

/// <1>1 (Init => Inv) without DEF knowsSentInv: the conjunct is opaque.
#[test]
fn init_step_without_def_knows_sent_inv() {
    check_case(
        "<1>1 without DEF knowsSentInv",
        Mutation {
            file: PROOF,
            search: "maxBalInv, 2avInv1, 2avInv2, 2avInv3, accInv, knowsSentInv\n<1>2. ",
            replace: "maxBalInv, 2avInv1, 2avInv2, 2avInv3, accInv\n<1>2. ",
        },
        &[&["Invariance", "<1>1"]],
    );
}

/// Phase2b's TypeOK' step without DEF 2bMessage: the new 2b message cannot
/// be shown to be in BMessage.
#[test]
fn phase2b_type_ok_without_def_2b_message() {
    check_case(
        "Phase2b TypeOK' without DEF 2bMessage",
        Mutation {
            file: PROOF,
            search: "DEF Phase2b, Inv, TypeOK, BMessage, 2bMessage, ByzAcceptor\n",
            replace: "DEF Phase2b, Inv, TypeOK, BMessage, ByzAcceptor\n",
        },
        &[&["Invariance", "<1>2", "<2>1", "<3>3", "<4>2"]],
    );
}

/// <2>3 <3>1 without DEF FakingAcceptor: the action is opaque, nothing is
/// known about bmsgs'.
#[test]
fn faking_step_without_def_faking_acceptor() {
    check_case(
        "<2>3 <3>1 without DEF FakingAcceptor",
        Mutation {
            file: PROOF,
            search: "      BY <2>3, BQA DEF FakingAcceptor\n",
            replace: "      BY <2>3, BQA\n",
        },
        &[&["Invariance", "<1>2", "<2>3", "<3>1"]],
    );
}

// ---------------------------------------------------------------------------
// Wrong cited facts.
// ---------------------------------------------------------------------------

/// <2>5 (QED of Inv /\ [Next]_vars => Inv') without the FakingAcceptor case.
#[test]
fn next_qed_without_faking_case() {
    check_case(
        "<2>5 without <2>3",
        Mutation {
            file: PROOF,
            search: "    BY <2>1, <2>2, <2>3, <2>4, NextDef\n",
            replace: "    BY <2>1, <2>2, <2>4, NextDef\n",
        },
        &[&["Invariance", "<1>2", "<2>5"]],
    );
}

/// Phase2av's 2avInv3' step without <4>1 (the PICK that says what bmsgs'
/// is): the new 2av message is unknown.
#[test]
fn phase2av_2av_inv3_without_pick() {
    check_case(
        "Phase2av 2avInv3' without <4>1",
        Mutation {
            file: PROOF,
            search: "        BY <4>1, <4>2, <4>4 DEF Inv, 2avInv3, sentMsgs, msgs, 1cmsgs, msgsOfType\n",
            replace: "        BY <4>2, <4>4 DEF Inv, 2avInv3, sentMsgs, msgs, 1cmsgs, msgsOfType\n",
        },
        &[&["Invariance", "<1>2", "<2>1", "<3>2", "<4>12"]],
    );
}

/// Phase1b's msgs' step without MsgsLemma: msgs is opaque.
#[test]
fn phase1b_msgs_step_without_msgs_lemma() {
    check_case(
        "Phase1b msgs' without MsgsLemma",
        Mutation {
            file: PROOF,
            search: "      <4>1. msgs' = msgs \\cup {mc}\n        BY <3>1, MsgsLemma DEF Inv\n",
            replace: "      <4>1. msgs' = msgs \\cup {mc}\n        BY <3>1 DEF Inv\n",
        },
        &[&["Invariance", "<1>2", "<2>1", "<3>1", "<4>1"]],
    );
}

/// <1>3 (Spec => []Inv) without <1>1 (Init => Inv): the invariance rule
/// needs the base case.
#[test]
fn invariance_qed_without_init_step() {
    check_case(
        "<1>3 without <1>1",
        Mutation {
            file: PROOF,
            search: "<1>3. QED\n  BY <1>1, <1>2, PTL DEF Spec\n",
            replace: "<1>3. QED\n  BY <1>2, PTL DEF Spec\n",
        },
        &[&["Invariance", "<1>3"]],
    );
}

// ---------------------------------------------------------------------------
// Wrong invariant conjuncts.
// ---------------------------------------------------------------------------

/// maxBalInv with < instead of =<: Phase1b sends a 1b message with
/// bal = b = maxBal'[self].
#[test]
fn max_bal_inv_strict() {
    check_case(
        "maxBalInv with <",
        Mutation {
            file: PROOF,
            search: "                => m.bal =< maxBal[m.acc]\n",
            replace: "                => m.bal < maxBal[m.acc]\n",
        },
        &[&["Invariance", "<1>2", "<2>1", "<3>1", "<4>6"]],
    );
}

/// 1bInv2 without m1.acc \in Acceptor: it then claims uniqueness of 1b
/// messages per ballot for faulty acceptors too, which FakingAcceptor
/// violates.
#[test]
fn one_b_inv2_for_fake_acceptors() {
    check_case(
        "1bInv2 without m1.acc \\in Acceptor",
        Mutation {
            file: PROOF,
            search: "             /\\ m2.type = \"1b\"\n             /\\ m1.acc \\in Acceptor\n",
            replace: "             /\\ m2.type = \"1b\"\n",
        },
        &[&["Invariance", "<1>2", "<2>3", "<3>6"]],
    );
}

/// TypeOK with maxVVal \in [Acceptor -> Value]: Init sets maxVVal to None,
/// and None == CHOOSE v : v \notin Value is not in Value.
#[test]
fn type_ok_without_none() {
    check_case(
        "TypeOK without None",
        Mutation {
            file: PROOF,
            search: "          /\\ maxVVal \\in [Acceptor -> Value \\cup {None}]\n",
            replace: "          /\\ maxVVal \\in [Acceptor -> Value]\n",
        },
        &[&["Invariance", "<1>1"]],
    );
}

// ---------------------------------------------------------------------------
// Actions changing variables they must leave unchanged.
// ---------------------------------------------------------------------------

/// FakingAcceptor leaving knowsSent unconstrained: knowsSent' may be
/// anything (TypeOK and knowsSentInv break).
#[test]
fn faking_acceptor_changes_knows_sent() {
    check_case(
        "FakingAcceptor changes knowsSent",
        Mutation {
            file: SPEC,
            search: "  /\\ UNCHANGED << maxBal, maxVBal, maxVVal, 2avSent, knowsSent >>\n=====",
            replace: "  /\\ UNCHANGED << maxBal, maxVBal, maxVVal, 2avSent >>\n=====",
        },
        &[
            &["Invariance", "<1>2", "<2>3", "<3>3"],
            &["Invariance", "<1>2", "<2>3", "<3>12"],
        ],
    );
}

/// FakingAcceptor leaving maxBal unconstrained: maxBalInv breaks.
#[test]
fn faking_acceptor_changes_max_bal() {
    check_case(
        "FakingAcceptor changes maxBal",
        Mutation {
            file: SPEC,
            search: "  /\\ UNCHANGED << maxBal, maxVBal, maxVVal, 2avSent, knowsSent >>\n=====",
            replace: "  /\\ UNCHANGED << maxVBal, maxVVal, 2avSent, knowsSent >>\n=====",
        },
        &[&["Invariance", "<1>2", "<2>3", "<3>7"]],
    );
}

// ---------------------------------------------------------------------------
// A fake acceptor impersonating a good one.
// ---------------------------------------------------------------------------

/// FakingAcceptor sending messages with mm.acc \in ByzAcceptor: a faulty
/// acceptor forges a good acceptor's 1b/2av/2b messages.  Step <2>3 <3>1
/// (m.acc \notin Acceptor) is false.
#[test]
fn fake_acceptor_impersonates_good_acceptor() {
    check_case(
        "FakingAcceptor with mm.acc \\in ByzAcceptor",
        Mutation {
            file: SPEC,
            search: "  /\\ \\E m \\in { mm \\in 1bMessage \\cup 2avMessage \\cup 2bMessage : mm.acc = self } :\n",
            replace: "  /\\ \\E m \\in { mm \\in 1bMessage \\cup 2avMessage \\cup 2bMessage : mm.acc \\in ByzAcceptor } :\n",
        },
        &[&["Invariance", "<1>2", "<2>3", "<3>1"]],
    );
}

// ---------------------------------------------------------------------------
// Wrong temporal formula.
// ---------------------------------------------------------------------------

/// Spec == Init /\ [][Next]_<<maxBal>>: steps that keep maxBal may change
/// every other variable arbitrarily, so <1>2 (about [Next]_vars) does not
/// give Spec => []Inv.
#[test]
fn spec_with_wrong_subscript() {
    check_case(
        "Spec with [][Next]_<<maxBal>>",
        Mutation {
            file: SPEC,
            search: "Spec == Init /\\ [][Next]_vars\n",
            replace: "Spec == Init /\\ [][Next]_<<maxBal>>\n",
        },
        &[&["Invariance", "<1>3"]],
    );
}

/// The same weakening on the shipped proof module: QuorumTheorem (which the
/// refinement proof relies on) breaks, with a counterexample; Invariance does
/// not, because the inductive invariant does not depend on quorums meeting in
/// a good acceptor (its proof cites only BQA's first conjunct).
#[test]
fn bqa_intersection_weakened_breaks_quorum_theorem_not_invariance() {
    let case = "BQA with Q1 \\cap Q2 # {} (shipped module)";
    let m = || Mutation {
        file: SPEC,
        search: "/\\ \\A Q1, Q2 \\in ByzQuorum : Q1 \\cap Q2 \\cap Acceptor # {}\n",
        replace: "/\\ \\A Q1, Q2 \\in ByzQuorum : Q1 \\cap Q2 # {}\n",
    };
    let step: &[&str] = &["QuorumTheorem"];
    let report = check_case_on(case, m(), PROOF, None, &["QuorumTheorem"], &[step]);
    let cx = counterexample(case, &report, step);
    assert!(
        binding(&cx.constants, "ByzQuorum").is_some(),
        "[{case}] the counterexample names no ByzQuorum"
    );
    let ws = Workspace::new("BQA weakened, Invariance");
    ws.mutate(&m());
    let inv = ws.run(PROOF, &["Invariance"]);
    assert!(
        inv.all_proved(),
        "[{case}] Invariance should not depend on quorum intersection:\n{}",
        unproved(&inv)
    );
}

// ---------------------------------------------------------------------------
// Refinement.
// ---------------------------------------------------------------------------

const REFINEMENT_FACTS: &str = "proofs/RefinementFacts.tla";
const TINY_REFINEMENT: &str = "proofs/TinyRefinement.tla";
const REFINEMENT_FACT_NAMES: [&str; 3] = [
    "Phase2avKeepsPmaxBal",
    "FakingKeeps2bMsgs",
    "Phase1cSendsOnlySafe1c",
];

#[test]
fn control_unmutated_refinement_facts_are_proved() {
    let ws = Workspace::new("control-refinement");
    ws.add_fixture("RefinementFacts.tla");
    let report = ws.run(REFINEMENT_FACTS, &REFINEMENT_FACT_NAMES);
    assert_eq!(report.total(), 3);
    assert!(report.all_proved(), "not proved:\n{}", unproved(&report));
}

/// A broken refinement mapping breaks exactly the action step that
/// depends on it: the other steps of the fixture stay proved.
fn check_refinement_case(case: &str, m: Mutation, broken: &str) -> Report {
    let report = check_case_on(
        case,
        m,
        REFINEMENT_FACTS,
        Some("RefinementFacts.tla"),
        &REFINEMENT_FACT_NAMES,
        &[&[broken]],
    );
    for name in REFINEMENT_FACT_NAMES.iter().filter(|n| **n != broken) {
        for r in at(&report, &[name]) {
            assert!(
                r.status.is_proved(),
                "[{case}] {name} should not depend on the mutation: {}",
                status_name(&r.status)
            );
        }
    }
    report
}

/// `check_refinement_case`, and the counterexample at the broken step.
fn refinement_counterexample(case: &str, m: Mutation, broken: &str) -> Counterexample {
    let report = check_refinement_case(case, m, broken);
    counterexample(case, &report, &[broken]).clone()
}

/// PmaxBal built from the 2av messages instead of the 1b and 2b ones:
/// Phase2av, which sends a 2av message, changes it, so P's maxBal would
/// change in a step that maps to P!Phase2a or stuttering. (Z3 answers
/// timeout here, not a model: the model would need MaxBallot of two
/// different sets of ballots.)
#[test]
fn refinement_pmaxbal_from_2av_messages() {
    check_refinement_case(
        "PmaxBal from 2av messages",
        Mutation {
            file: PROOF,
            search: "PmaxBal == [a \\in Acceptor |-> MaxBallot({m.bal : m \\in {ma \\in 1bOr2bMsgs :",
            replace: "PmaxBal == [a \\in Acceptor |-> MaxBallot({m.bal : m \\in {ma \\in msgsOfType(\"2av\") :",
        },
        "Phase2avKeepsPmaxBal",
    );
}

/// 1bRestrict with a wrong field (`mbal |-> m.bal`): the 1b messages an
/// acceptor sends no longer map to P's Phase1b messages, so MsgsLemma's
/// Phase1b case (the refinement of Phase1b) breaks, with a counterexample
/// naming the acceptor and ballot of the action.
#[test]
#[ignore = "open (issue 9): since justified typing Z3 times out instead of finding a model of this mutant"]
fn refinement_1b_restrict_with_a_wrong_field() {
    let case = "1bRestrict with mbal |-> m.bal";
    let step: &[&str] = &["MsgsLemma", "<1>1", "<2>"];
    let report = check_case_on(
        case,
        Mutation {
            file: PROOF,
            search: "                  mbal |-> m.mbal, mval |-> m.mval]",
            replace: "                  mbal |-> m.bal, mval |-> m.mval]",
        },
        PROOF,
        None,
        &["MsgsLemma"],
        &[step],
    );
    let cx = counterexample(case, &report, step);
    assert!(
        binding(&cx.parameters, "self").is_some() && binding(&cx.parameters, "b").is_some(),
        "[{case}] the counterexample should name Phase1b's self and b"
    );
}

/// acceptorMsgsOfType keeping messages of every Byzantine acceptor: the 2b
/// messages of a fake acceptor enter msgs, so FakingAcceptor is no longer a
/// stuttering step of PCon. The counterexample names the fake acceptor
/// (`self`), whose 2b message is new in bmsgs'.
#[test]
#[ignore = "open (issue 9): since justified typing Z3 times out instead of finding a model of this mutant"]
fn refinement_fake_acceptor_messages_enter_msgs() {
    let case = "acceptorMsgsOfType over ByzAcceptor";
    let cx = refinement_counterexample(
        case,
        Mutation {
            file: PROOF,
            search: "acceptorMsgsOfType(t) == {m \\in msgsOfType(t) : m.acc \\in Acceptor}",
            replace: "acceptorMsgsOfType(t) == {m \\in msgsOfType(t) : m.acc \\in ByzAcceptor}",
        },
        "FakingKeeps2bMsgs",
    );
    let fake = binding(&cx.parameters, "self").expect("the fake acceptor parameter");
    let sent = binding(&cx.post_state, "bmsgs'").expect("bmsgs' in the post-state");
    // Records print their fields in order: `[acc |-> a, bal |-> .., type
    // |-> "2b", val |-> ..]` (a 2b message has no nested record).
    let own_2b = sent
        .split('[')
        .any(|r| r.starts_with(&format!("acc |-> {fake},")) && r.contains("type |-> \"2b\""));
    assert!(
        own_2b,
        "[{case}] bmsgs' should hold a 2b message of {fake}: {sent}"
    );
}

/// 1cmsgs without the KnowsSafeAt check: every 1c message a leader sends
/// enters msgs, including ones for values no acceptor knows to be safe.
/// The counterexample names the leader (`self`, a ballot).
#[test]
#[ignore = "open (issue 9): the finite-universe model reads `self` as a universe atom outside Ballot, so it is not confirmed"]
fn refinement_1c_msgs_without_knows_safe_at() {
    let case = "1cmsgs without KnowsSafeAt";
    let cx = refinement_counterexample(
        case,
        Mutation {
            file: PROOF,
            search: "1cmsgs == {m \\in msgsOfType(\"1c\") :\n                \\E a \\in Acceptor : KnowsSafeAt(a, m.bal, m.val)}",
            replace: "1cmsgs == {m \\in msgsOfType(\"1c\") : TRUE}",
        },
        "Phase1cSendsOnlySafe1c",
    );
    let leader = binding(&cx.parameters, "self").expect("the leader parameter");
    assert!(
        leader.parse::<i64>().is_ok(),
        "[{case}] the leader is a ballot number, got {leader}"
    );
}

#[test]
fn control_tiny_refinement_is_proved_by_ptl() {
    let ws = Workspace::new("control-tiny-refinement");
    ws.add_fixture("TinyRefinement.tla");
    let report = ws.run(
        TINY_REFINEMENT,
        &["Invariance", "Refinement", "Excluded", "ExcludedPrime"],
    );
    assert!(report.all_proved(), "not proved:\n{}", unproved(&report));
    let qed = at(&report, &["Refinement", "<1>3"]);
    assert!(
        matches!(qed[..], [r] if matches!(r.status, Status::TemporalRule(rule) if rule.starts_with("PTL"))),
        "Refinement's QED is not checked by PTL"
    );
}

/// The refinement step needs every premise: without the initial-state
/// step, or without the invariance theorem that backs `Inv /\ Inv'`, PTL
/// does not prove the QED.
#[test]
fn refinement_without_init_step() {
    check_case_on(
        "refinement without Init => AInit",
        Mutation {
            file: TINY_REFINEMENT,
            search: "  BY <1>1, <1>2, Invariance, PTL DEF Spec, ASpec\n",
            replace: "  BY <1>2, Invariance, PTL DEF Spec, ASpec\n",
        },
        TINY_REFINEMENT,
        Some("TinyRefinement.tla"),
        &["Refinement"],
        &[&["Refinement", "<1>3"]],
    );
}

#[test]
fn refinement_without_invariance() {
    check_case_on(
        "refinement without Spec => []Inv",
        Mutation {
            file: TINY_REFINEMENT,
            search: "  BY <1>1, <1>2, Invariance, PTL DEF Spec, ASpec\n",
            replace: "  BY <1>1, <1>2, PTL DEF Spec, ASpec\n",
        },
        TINY_REFINEMENT,
        Some("TinyRefinement.tla"),
        &["Refinement"],
        &[&["Refinement", "<1>3"]],
    );
}

/// An abstract next-state relation the counter does not implement: the
/// step case fails with a counterexample (x and x').
#[test]
fn tiny_refinement_with_wrong_abstract_step() {
    let case = "ANext == x' > x + 5";
    let step: &[&str] = &["Refinement", "<1>2"];
    let report = check_case_on(
        case,
        Mutation {
            file: TINY_REFINEMENT,
            search: "ANext == x' > x\n",
            replace: "ANext == x' > x + 5\n",
        },
        TINY_REFINEMENT,
        Some("TinyRefinement.tla"),
        &["Refinement"],
        &[step],
    );
    let cx = counterexample(case, &report, step);
    assert!(
        binding(&cx.pre_state, "x").is_some(),
        "[{case}] no x in the pre-state"
    );
    assert!(
        binding(&cx.post_state, "x'").is_some(),
        "[{case}] no x' in the post-state"
    );
}

/// `F'` follows from a cited theorem `F`, not from a step or hypothesis `F`
/// (x = 0 now says nothing about x').
#[test]
fn prime_rule_not_for_hypotheses() {
    let ws = Workspace::new("prime rule and hypotheses");
    ws.add_fixture("TinyRefinement.tla");
    let report = ws.run(TINY_REFINEMENT, &["PrimedHypothesis"]);
    let qed = at(&report, &["PrimedHypothesis", "<1>2"]);
    assert!(
        matches!(qed[..], [r] if !r.status.is_proved()),
        "SOUNDNESS: (x = 0)' proved from the hypothesis x = 0:\n{}",
        report.to_text()
    );
}

/// FS_Induction is instantiated with the hidden predicate of the proof;
/// without the induction step among the facts, the schema's premise is
/// missing and the QED must not be proved.
#[test]
fn finite_set_induction_without_step_case() {
    check_case_on(
        "FS_Induction without the step case",
        Mutation {
            file: PROOF,
            search: "  <2>. QED BY <1>1, <1>2, FS_Induction, IsaM(\"blast\")\n",
            replace: "  <2>. QED BY <1>1, FS_Induction, IsaM(\"blast\")\n",
        },
        PROOF,
        None,
        &["FiniteSetHasMax"],
        &[&["FiniteSetHasMax", "<1>3", "<2>"]],
    );
}

#[test]
fn control_finite_set_has_max_is_proved() {
    let ws = Workspace::new("control FiniteSetHasMax");
    let report = ws.run(PROOF, &["FiniteSetHasMax"]);
    assert!(report.all_proved(), "not proved:\n{}", unproved(&report));
}

/// `--auto` proposes "Fresh stays true as S grows" for a predicate that is
/// not monotone: the lemma must come out unproved, and the step obligation
/// that assumed it is checked again without it (here it fails for real:
/// the fixture's Inv is not inductive).
#[test]
fn auto_monotonicity_lemma_is_checked() {
    let ws = Workspace::new("non-monotone predicate");
    ws.add_fixture("MonotoneFixture.tla");
    let module = ws.root.join("proofs/MonotoneFixture.tla");
    let req = Request {
        module,
        search: vec![ws.root.join("encodings"), ws.root.join("proofs")],
        theorems: vec!["Invariance".into()],
        all: false,
        limits: Limits {
            timeout: TIMEOUT,
            rlimit: 0,
            portfolio: true,
        },
        dump_smt: None,
        auto: true,
        line: None,
        jobs: 1,
    };
    let report = driver::run(&req).expect("the fixture is accepted");
    eprintln!("{}", report.to_text());
    let lemma = at(&report, &["Invariance (auto)", "monotonicity", "Fresh"]);
    assert!(
        matches!(lemma[..], [r] if !r.status.is_proved()),
        "SOUNDNESS: the false monotonicity lemma of Fresh is proved"
    );
    let step = at(&report, &["Invariance (auto)", "Add(n)", "Inv'"]);
    assert!(!step.is_empty(), "no obligation for Add(n) / Inv'");
    for r in step {
        assert!(
            !r.status.is_proved() || r.obligation.relies_on.is_empty(),
            "SOUNDNESS: a step relying on an unproved lemma counts as proved"
        );
        // Checked again without the lemma: Inv is not inductive (Add(n)
        // may add an element of T to S), so a genuine failure remains.
        assert!(
            matches!(r.status, Status::Failed(_)),
            "Add(n) / Inv' should fail with a counterexample: {}",
            status_name(&r.status)
        );
    }
    // The stuttering step leaves S unchanged: it never assumes the lemma.
    let stutter = at(
        &report,
        &["Invariance (auto)", "stuttering (UNCHANGED vars)", "Inv'"],
    );
    assert!(
        matches!(stutter[..], [r] if r.status.is_proved() && r.obligation.relies_on.is_empty()),
        "the stuttering step should be proved without the lemma"
    );
}

/// Are all obligations of the theorem `name` proved (and is there one)?
fn theorem_proved(report: &Report, name: &str) -> bool {
    let results: Vec<&ObResult> = report
        .theorems
        .iter()
        .flat_map(|t| t.results.iter())
        .filter(|r| r.obligation.path.first().is_some_and(|p| p == name))
        .collect();
    assert!(!results.is_empty(), "no obligation for {name}");
    results.iter().all(|r| r.status.is_proved())
}

/// Sets of two sorts combine in the universe of values. Every sort embeds
/// into it injectively, and no two sorts are assumed disjoint: only an
/// assumption (like BPCon's BallotAssump) makes them so.
#[test]
fn universe_of_sorts_stays_sound() {
    let ws = Workspace::new("universe facts");
    ws.add_fixture("UniverseFacts.tla");
    let names = [
        "SortsNotDisjoint",
        "DisjointFromSuperset",
        "DisjointFromAnother",
        "NumberMayBeAcceptor",
        "NumbersStayApart",
        "MixedMembership",
    ];
    let report = ws.run("proofs/UniverseFacts.tla", &names);
    for name in [
        "DisjointFromSuperset",
        "NumbersStayApart",
        "MixedMembership",
    ] {
        assert!(
            theorem_proved(&report, name),
            "{name}: {}",
            unproved(&report)
        );
    }
    for (name, why) in [
        ("SortsNotDisjoint", "two sorts were taken to be disjoint"),
        (
            "DisjointFromAnother",
            "disjointness from one set carried over to an unrelated one",
        ),
        (
            "NumberMayBeAcceptor",
            "a number was taken to be no acceptor",
        ),
    ] {
        assert!(!theorem_proved(&report, name), "SOUNDNESS: {why}");
    }
}

/// Proof mode adds a definition's monotonicity lemma to a step that reads
/// it primed in the goal and unprimed in the hypotheses. The lemma is an
/// obligation of its own: a false one (Fresh says `n \notin S`) must not
/// make the step proved, which then fails for real without it; a true one
/// (Seen) proves, and so does its step.
#[test]
fn proof_mode_monotonicity_lemma_is_checked() {
    let ws = Workspace::new("proof-mode monotonicity");
    ws.add_fixture("MonotoneFixture.tla");
    let report = ws.run("proofs/MonotoneFixture.tla", &["FreshStays", "SeenStays"]);
    let lemma = at(&report, &["FreshStays", "monotonicity", "Fresh"]);
    assert!(
        matches!(lemma[..], [r] if !r.status.is_proved()),
        "SOUNDNESS: the false monotonicity lemma of Fresh is proved"
    );
    let step = at(&report, &["FreshStays"]);
    assert!(
        matches!(step[..], [r] if matches!(r.status, Status::Failed(_))),
        "FreshStays should fail with a counterexample: {}",
        unproved(&report)
    );
    let mut seen = at(&report, &["SeenStays"]);
    seen.extend(at(&report, &["SeenStays", "monotonicity", "Seen"]));
    assert!(
        seen.len() == 2 && seen.iter().all(|r| r.status.is_proved()),
        "SeenStays and its lemma should be proved: {}",
        unproved(&report)
    );
}

/// Function values outside the domain: nothing about them may be proved
/// (the EXCEPT encoding once kept f's values there); equalities TLA+ has
/// (a function equals a literal that agrees on its domain) are proved.
#[test]
fn function_values_outside_the_domain() {
    let ws = Workspace::new("function facts");
    ws.add_fixture("FunctionFacts.tla");
    let report = ws.run(
        "proofs/FunctionFacts.tla",
        &["OutsideExcept", "InsideExcept", "LiteralEqualsOnDomain"],
    );
    let status = |name: &str| {
        at(&report, &[name])
            .first()
            .map(|r| r.status.is_proved())
            .unwrap_or_else(|| panic!("no obligation for {name}"))
    };
    assert!(
        !status("OutsideExcept"),
        "SOUNDNESS: a value of [f EXCEPT ..] outside its domain was related to f's"
    );
    assert!(status("InsideExcept"), "{}", unproved(&report));
    assert!(status("LiteralEqualsOnDomain"), "{}", unproved(&report));
}

/// `\E x \in {e : y \in S} : P(x)` is encoded as `\E y \in S : P(e)`: the
/// true statements prove, the false ones do not.
#[test]
fn quantifiers_over_set_maps() {
    let ws = Workspace::new("set map quantifiers");
    ws.add_fixture("SetMapFacts.tla");
    let report = ws.run(
        "proofs/SetMapFacts.tla",
        &["SomeImage", "NoSuchImage", "AllImages", "NotAllImages"],
    );
    let proved = |name: &str| at(&report, &[name]).iter().all(|r| r.status.is_proved());
    assert!(proved("SomeImage"), "{}", unproved(&report));
    assert!(proved("AllImages"), "{}", unproved(&report));
    assert!(!proved("NoSuchImage"), "SOUNDNESS: 4 is not in {{2, 3}}");
    assert!(!proved("NotAllImages"), "SOUNDNESS: 2 is in {{2, 3}}");
}

/// Encoding choices made for speed must not prove more than TLA+ does:
/// function equality with TLA+'s extensionality (same domain, same values
/// on it), candidate witnesses taken from the context, WITNESS's
/// membership obligation, subset goals normalized to a fresh element, and
/// instanced theorems cited under the instanced module's assumptions.
#[test]
fn encoding_shortcuts_stay_sound() {
    let ws = Workspace::new("encoding facts");
    ws.add_fixture("InstanceAssumptions.tla");
    ws.add_fixture("EncodingFacts.tla");
    let names = [
        "ExceptSameValue",
        "ExceptOtherValue",
        "SameValuesOtherDomain",
        "WitnessFromContext",
        "NoWitnessInContext",
        "WitnessOutsideTheSet",
        "FilterInItsSet",
        "FilterInAnotherSet",
        "FieldWitness",
        "FieldAndRecord",
        "AllFieldValues",
        "FieldsDisagree",
        "BrokenAssumption",
        "KeptAssumption",
    ];
    let report = ws.run("proofs/EncodingFacts.tla", &names);
    let proved = |name: &str| theorem_proved(&report, name);
    for name in [
        "ExceptSameValue",
        "WitnessFromContext",
        "FilterInItsSet",
        "FieldWitness",
        "KeptAssumption",
    ] {
        assert!(proved(name), "{name}: {}", unproved(&report));
    }
    for (name, why) in [
        ("ExceptOtherValue", "an updated function equals the old one"),
        (
            "SameValuesOtherDomain",
            "functions with different domains are equal",
        ),
        (
            "NoWitnessInContext",
            "a context constant witnessed a false existential",
        ),
        (
            "WitnessOutsideTheSet",
            "WITNESS used a witness outside the set",
        ),
        (
            "FilterInAnotherSet",
            "a subset goal was proved for an unrelated set",
        ),
        (
            "FieldAndRecord",
            "a record read whole was treated as its fields",
        ),
        ("AllFieldValues", "a field of any value was taken as a Nat"),
        ("FieldsDisagree", "two fields were taken as one"),
        (
            "BrokenAssumption",
            "an instanced theorem was used where its assumption fails",
        ),
    ] {
        assert!(!proved(name), "SOUNDNESS: {why}");
    }
}
