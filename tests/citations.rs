//! Circular citations (issue 9, class 1): a theorem whose proof cites the
//! theorem itself, or a theorem that cites it back, must never be proved.
//!
//! A self-citation (BY, USE, a nested step's BY) resolves, since a theorem's
//! name is in scope in its own proof for subexpression names; its proof is
//! refused at the citation with `file:line:col: error: circular citation:
//! ...`, and the other theorems are still checked. A longer cycle needs a
//! proof that cites a later theorem, which TLA+ scoping forbids: that is an
//! input error of the whole module (exit code 2), located at the citation.
//!
//! Harness as in `tests/errors.rs`: each case writes a tiny module into a
//! fresh temporary directory and analyses it, proves it through
//! `driver::run`, or runs the built binary.

use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Duration;
use tlasmt::driver::{self, Report, Request, Status};
use tlasmt::semantic;
use tlasmt::solve::Limits;

/// A fresh temporary directory, removed on drop.
struct TmpDir {
    root: PathBuf,
}

static COUNTER: AtomicUsize = AtomicUsize::new(0);

impl TmpDir {
    fn new(tag: &str) -> TmpDir {
        let n = COUNTER.fetch_add(1, Ordering::SeqCst);
        let root =
            std::env::temp_dir().join(format!("tlasmt-cite-{}-{n}-{tag}", std::process::id()));
        let _ = std::fs::remove_dir_all(&root);
        std::fs::create_dir_all(&root).unwrap();
        TmpDir { root }
    }

    fn write(&self, name: &str, text: &str) {
        std::fs::write(self.root.join(name), text).unwrap();
    }

    fn path(&self, name: &str) -> PathBuf {
        self.root.join(name)
    }
}

impl Drop for TmpDir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.root);
    }
}

/// One module text from its body lines (the body starts on line 2).
fn module(name: &str, body: &str) -> String {
    format!("---- MODULE {name} ----\n{body}\n====\n")
}

/// Write the modules (`(name, body)`, the first is the root).
fn write_modules(tag: &str, modules: &[(&str, &str)]) -> TmpDir {
    let dir = TmpDir::new(tag);
    for (name, body) in modules {
        dir.write(&format!("{name}.tla"), &module(name, body));
    }
    dir
}

/// Analyse the root module, expecting an error; the rendered diagnostics.
fn analyze_err(tag: &str, modules: &[(&str, &str)]) -> Vec<String> {
    let dir = write_modules(tag, modules);
    match semantic::analyze(&dir.path(&format!("{}.tla", modules[0].0)), &[]) {
        Ok(_) => panic!("{tag}: the module was accepted, but an error was expected"),
        Err(e) => e.rendered,
    }
}

/// Prove the given theorems of the root module (`all` if empty).
fn prove(tag: &str, modules: &[(&str, &str)], theorems: &[&str]) -> (TmpDir, Report) {
    let dir = write_modules(tag, modules);
    let req = Request {
        module: dir.path(&format!("{}.tla", modules[0].0)),
        search: vec![],
        theorems: theorems.iter().map(|s| s.to_string()).collect(),
        all: theorems.is_empty(),
        limits: Limits {
            timeout: Duration::from_secs(10),
            rlimit: 0,
            portfolio: true,
        },
        dump_smt: None,
        auto: false,
        line: None,
        jobs: 1,
    };
    let report = driver::run(&req).unwrap_or_else(|e| panic!("{tag}: driver rejected: {e:#}"));
    (dir, report)
}

fn statuses<'r>(report: &'r Report, theorem: &str) -> Vec<&'r Status> {
    let t = report
        .theorems
        .iter()
        .find(|t| t.name == theorem)
        .unwrap_or_else(|| panic!("no theorem {theorem} in the report"));
    t.results.iter().map(|r| &r.status).collect()
}

#[track_caller]
fn assert_all_proved(report: &Report, theorem: &str) {
    let st = statuses(report, theorem);
    assert!(
        !st.is_empty() && st.iter().all(|s| s.is_proved()),
        "{theorem}: {st:?}\n{}",
        report.to_text()
    );
}

/// The theorem is refused, with exactly one obligation, UNSUPPORTED with
/// the circular-citation message; and the report's text carries the
/// located error line.
#[track_caller]
fn assert_refused(report: &Report, theorem: &str, error_line: &str, reason: &str) {
    let st = statuses(report, theorem);
    assert!(
        matches!(st.as_slice(), [Status::Unsupported(w)] if w.contains(reason)),
        "{theorem}: expected one UNSUPPORTED obligation with {reason:?}, got {st:?}"
    );
    let text = report.to_text();
    assert!(
        text.lines().any(|l| l.ends_with(error_line)),
        "no line ends with {error_line:?} in:\n{text}"
    );
    assert!(!report.all_proved());
}

#[track_caller]
fn assert_reported(rendered: &[String], needles: &[&str]) {
    assert!(
        rendered
            .iter()
            .any(|r| needles.iter().all(|n| r.contains(n))),
        "no diagnostic contains all of {needles:?}; got:\n{}",
        rendered.join("\n")
    );
}

/// `/Name.tla:line:col: error:` (the slash keeps `A.tla` from matching `BA.tla`).
fn at(file: &str, line: usize, col: usize) -> String {
    format!("/{file}:{line}:{col}: error:")
}

const OWN: &str = "(a theorem cannot be used in its own proof)";

// ---------------------------------------------------------------------------
// Self-citation: the theorem is refused, the others are still checked.
// ---------------------------------------------------------------------------

#[test]
fn self_citation_via_by_is_refused_at_the_citation() {
    let (_dir, report) = prove(
        "by",
        &[(
            "Cyc",
            "EXTENDS Naturals\nTHEOREM Good == 1 + 1 = 2\n  OBVIOUS\nTHEOREM Bad == FALSE\n  BY Good, Bad",
        )],
        &[],
    );
    assert_refused(
        &report,
        "Bad",
        &format!("Cyc.tla:6:12: error: circular citation: Bad cites Bad {OWN}: `Bad`"),
        "circular citation: Bad cites Bad",
    );
    assert_all_proved(&report, "Good");
    // The refusal in the proof tree is located too.
    let text = report.to_text();
    assert!(
        text.contains("Cyc.tla:6:12: circular citation: Bad cites Bad"),
        "{text}"
    );
}

#[test]
fn self_citation_via_use_is_refused() {
    let (_dir, report) = prove(
        "use",
        &[(
            "Cyc",
            "EXTENDS Naturals\nTHEOREM Bad == 1 = 2\n<1> USE Bad\n<1> QED\n  OBVIOUS",
        )],
        &[],
    );
    assert_refused(
        &report,
        "Bad",
        &format!("Cyc.tla:4:9: error: circular citation: Bad cites Bad {OWN}: `Bad`"),
        "Bad cites Bad",
    );
}

#[test]
fn self_citation_from_a_nested_step_is_refused() {
    let (_dir, report) = prove(
        "nested",
        &[(
            "Cyc",
            "EXTENDS Naturals\n\
             THEOREM Deep == \\A n \\in Nat : n < 0\n\
             <1> TAKE n \\in Nat\n\
             <1>1. FALSE\n  \
               <2>1. 0 = 1\n    \
                 BY Deep\n  \
               <2> QED\n    \
                 BY <2>1\n\
             <1> QED\n  \
               BY <1>1",
        )],
        &[],
    );
    assert_refused(
        &report,
        "Deep",
        &format!("Cyc.tla:7:8: error: circular citation: Deep cites Deep {OWN}: `Deep`"),
        "Deep cites Deep",
    );
}

#[test]
fn self_citation_in_an_extended_module_is_located_in_that_file() {
    let (_dir, report) = prove(
        "ext",
        &[
            ("Top", "EXTENDS Lib\nTHEOREM Main == 2 = 2\n  OBVIOUS"),
            ("Lib", "EXTENDS Naturals\nLEMMA Loop == 1 = 2\n  BY Loop"),
        ],
        &["Loop", "Main"],
    );
    assert_refused(
        &report,
        "Loop",
        &format!("Lib.tla:4:6: error: circular citation: Loop cites Loop {OWN}: `Loop`"),
        "Loop cites Loop",
    );
    assert_all_proved(&report, "Main");
}

#[test]
fn citing_a_circular_theorem_relies_on_it_like_an_unproved_one() {
    // G's own proof is sound relative to Bad (as with an OMITTED Bad), so G
    // is checked; Bad is refused and the run is not all proved.
    let (_dir, report) = prove(
        "relies",
        &[(
            "Cyc",
            "EXTENDS Naturals\nTHEOREM Bad == FALSE\n  BY Bad\nTHEOREM G == 1 = 2\n  BY Bad",
        )],
        &[],
    );
    assert_refused(
        &report,
        "Bad",
        &format!("Cyc.tla:4:6: error: circular citation: Bad cites Bad {OWN}: `Bad`"),
        "Bad cites Bad",
    );
    assert_all_proved(&report, "G");
    assert_eq!(
        report
            .theorems
            .iter()
            .map(|t| t.errors.len())
            .sum::<usize>(),
        1
    );
}

#[test]
fn a_subexpression_of_the_own_theorem_is_not_a_citation() {
    // `Conj!1` names a formula, which a BY must prove itself: sound, and
    // used by the shipped proofs (`NextDef!2!1`), so it is not circular.
    let (_dir, report) = prove(
        "subexpr",
        &[(
            "Sub",
            "EXTENDS Naturals\nTHEOREM Conj == 1 + 1 = 2 /\\ 2 + 2 = 4\n<1>1. Conj!1\n  OBVIOUS\n<1> QED\n  BY <1>1, Conj!2",
        )],
        &[],
    );
    assert_all_proved(&report, "Conj");
    assert!(report.theorems.iter().all(|t| t.errors.is_empty()));
    // The same shape with a false conjunct is not proved by citing it.
    let (_dir, report) = prove(
        "subexpr2",
        &[(
            "Sub",
            "EXTENDS Naturals\nTHEOREM Conj == 1 = 1 /\\ 1 = 2\n<1> QED\n  BY Conj!2",
        )],
        &[],
    );
    assert!(!report.all_proved(), "{}", report.to_text());
}

// ---------------------------------------------------------------------------
// Longer cycles need a citation of a later theorem: a located input error.
// ---------------------------------------------------------------------------

#[test]
fn two_theorem_cycle_is_an_error_at_the_forward_citation() {
    let errs = analyze_err(
        "two",
        &[(
            "Two",
            "EXTENDS Naturals\nTHEOREM A == FALSE\n  BY B\nTHEOREM B == FALSE\n  BY A",
        )],
    );
    assert_reported(
        &errs,
        &[
            &at("Two.tla", 4, 6),
            "theorem `B` is used before it is stated",
            "a proof may cite only earlier theorems",
            ": `B`",
        ],
    );
}

#[test]
fn three_theorem_cycle_is_an_error_at_the_forward_citation() {
    let errs = analyze_err(
        "three",
        &[(
            "Three",
            "EXTENDS Naturals\nLEMMA A == FALSE\n  BY C\nLEMMA B == FALSE\n  BY A\nLEMMA C == FALSE\n<1> USE B\n<1> QED\n  OBVIOUS",
        )],
    );
    assert_reported(
        &errs,
        &[
            &at("Three.tla", 4, 6),
            "theorem `C` is used before it is stated",
            ": `C`",
        ],
    );
    assert_eq!(errs.len(), 1, "{errs:?}");
}

#[test]
fn forward_citation_from_a_nested_use_is_located() {
    let errs = analyze_err(
        "fwduse",
        &[(
            "Fwd",
            "EXTENDS Naturals\nTHEOREM A == FALSE\n<1>1. FALSE\n  <2> USE Later\n  <2> QED\n    OBVIOUS\n<1> QED\n  BY <1>1\nTHEOREM Later == FALSE\n  OMITTED",
        )],
    );
    assert_reported(
        &errs,
        &[
            &at("Fwd.tla", 5, 11),
            "theorem `Later` is used before it is stated",
        ],
    );
}

#[test]
fn an_extended_module_cannot_cite_its_extender() {
    // Lib is loaded before Top, and cannot see Top's names at all.
    let errs = analyze_err(
        "extback",
        &[
            ("Top", "EXTENDS Lib\nTHEOREM T == FALSE\n  BY L"),
            ("Lib", "EXTENDS Naturals\nLEMMA L == FALSE\n  BY T"),
        ],
    );
    assert_reported(&errs, &[&at("Lib.tla", 4, 6), "unknown name `T`"]);
}

// ---------------------------------------------------------------------------
// Positive controls.
// ---------------------------------------------------------------------------

#[test]
fn citing_earlier_and_instanced_theorems_is_fine() {
    let (_dir, report) = prove(
        "ok",
        &[
            (
                "Ok",
                "EXTENDS Naturals\nP == INSTANCE Lib\n\
                 THEOREM One == 1 + 1 = 2\n  OBVIOUS\n\
                 THEOREM Two == 2 + 2 = 4\n<1> USE One\n<1> QED\n  OBVIOUS\n\
                 THEOREM Three == 1 + 1 = 2 /\\ 3 > 0\n  BY One, Two, P!Pos",
            ),
            ("Lib", "EXTENDS Naturals\nTHEOREM Pos == 3 > 0\n  OBVIOUS"),
        ],
        &[],
    );
    assert!(report.all_proved(), "{}", report.to_text());
    assert!(report.theorems.iter().all(|t| t.errors.is_empty()));
    assert!(!report.to_text().contains("error:"), "{}", report.to_text());
}

#[test]
fn the_shipped_proofs_have_no_circular_citation() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    for m in ["proofs/BPConProof.tla", "proofs/PConProof.tla"] {
        let search = [root.join("encodings"), root.join("proofs")];
        let (prog, map) =
            semantic::analyze(&root.join(m), &search).unwrap_or_else(|e| panic!("{m}: {e}"));
        let circular: Vec<String> = prog
            .theorems
            .iter()
            .filter_map(|t| t.circular.as_ref().map(|d| map.render(d)))
            .collect();
        assert!(circular.is_empty(), "{m}: {circular:?}");
        assert!(
            prog.theorems.iter().any(|t| t.proof.is_some()),
            "{m}: no proofs"
        );
    }
}

// ---------------------------------------------------------------------------
// The command line.
// ---------------------------------------------------------------------------

fn cli(args: &[&str], cwd: &Path) -> (i32, String, String) {
    let out = Command::new(env!("CARGO_BIN_EXE_tlasmt"))
        .args(args)
        .current_dir(cwd)
        .output()
        .expect("run tlasmt");
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

#[test]
fn cli_self_citation_exits_1_with_the_error_and_json() {
    let dir = write_modules(
        "cli1",
        &[(
            "Cyc",
            "EXTENDS Naturals\nTHEOREM Good == 1 = 1\n  OBVIOUS\nTHEOREM Bad == FALSE\n  BY Bad",
        )],
    );
    let (code, out, err) = cli(&["prove", "all", "--module", "Cyc.tla"], &dir.root);
    assert_eq!(code, 1, "stdout:\n{out}\nstderr:\n{err}");
    assert!(
        out.starts_with(&format!(
            "Cyc.tla:6:6: error: circular citation: Bad cites Bad {OWN}: `Bad`\n"
        )),
        "{out}"
    );
    assert!(out.contains("1/2 obligations proved"), "{out}");
    let (code, out, _) = cli(
        &["prove", "all", "--module", "Cyc.tla", "--json"],
        &dir.root,
    );
    assert_eq!(code, 1);
    let v: serde_json::Value = serde_json::from_str(&out).expect("JSON report");
    assert_eq!(v["proved"], 1);
    assert_eq!(v["total"], 2);
    let errors = v["errors"].as_array().expect("errors array");
    assert_eq!(errors.len(), 1, "{errors:?}");
    assert!(
        errors[0]
            .as_str()
            .is_some_and(|e| e.starts_with("Cyc.tla:6:6: error: circular citation")),
        "{errors:?}"
    );
}

#[test]
fn cli_forward_citation_exits_2_with_the_location() {
    let dir = write_modules(
        "cli2",
        &[(
            "Two",
            "EXTENDS Naturals\nTHEOREM A == FALSE\n  BY B\nTHEOREM B == FALSE\n  BY A",
        )],
    );
    let (code, out, err) = cli(&["prove", "all", "--module", "Two.tla"], &dir.root);
    assert_eq!(code, 2, "stdout:\n{out}\nstderr:\n{err}");
    assert!(
        err.contains("Two.tla:4:6: error: theorem `B` is used before it is stated"),
        "{err}"
    );
    assert!(!out.contains("proved"), "{out}");
}
