//! Large and malformed input (issue 10, found by mutation fuzzing): each
//! either works or is a located error, within seconds, and never overflows
//! the stack or takes minutes.
//!
//! The time bounds are generous (the machine is shared); what they catch is
//! a quadratic algorithm, which took minutes on these inputs.

use std::path::PathBuf;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};
use tlasmt::driver::{self, Report, Request, Status};
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
            std::env::temp_dir().join(format!("tlasmt-robust-{}-{n}-{tag}", std::process::id()));
        let _ = std::fs::remove_dir_all(&root);
        std::fs::create_dir_all(&root).unwrap();
        TmpDir { root }
    }

    fn write(&self, name: &str, text: impl AsRef<[u8]>) -> PathBuf {
        let path = self.root.join(name);
        std::fs::write(&path, text).unwrap();
        path
    }
}

impl Drop for TmpDir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.root);
    }
}

/// Run the driver on the module `name` (written from `text`) with a short
/// solver budget; the result and how long it took.
fn run(name: &str, text: impl AsRef<[u8]>) -> (Result<Report, String>, Duration) {
    let dir = TmpDir::new(name);
    let module = dir.write(&format!("{name}.tla"), text);
    let req = Request {
        module,
        search: vec![],
        theorems: vec![],
        all: true,
        limits: Limits {
            timeout: Duration::from_secs(2),
            rlimit: 0,
            portfolio: true,
        },
        dump_smt: None,
        auto: false,
        line: None,
        jobs: 1,
    };
    let start = Instant::now();
    let result = driver::run(&req).map_err(|e| format!("{e:#}"));
    (result, start.elapsed())
}

/// The statuses of every obligation of the report.
fn statuses(report: &Report) -> Vec<&Status> {
    report
        .theorems
        .iter()
        .flat_map(|t| t.results.iter().map(|r| &r.status))
        .collect()
}

#[track_caller]
fn assert_within(elapsed: Duration, seconds: u64) {
    assert!(
        elapsed < Duration::from_secs(seconds),
        "took {elapsed:?}, more than {seconds} s"
    );
}

/// `n` numbers from 0, separated by `sep`.
fn numbers(n: usize, sep: &str) -> String {
    (0..n).map(|i| i.to_string()).collect::<Vec<_>>().join(sep)
}

#[test]
fn a_set_literal_of_40000_elements_is_proved() {
    // Encoded as 40,000 nested array stores: the binder renaming recursed
    // once per level and overflowed the stack.
    let text = format!(
        "---- MODULE BigSet ----\nEXTENDS Naturals\nS == {{{}}}\n\
         THEOREM T == 1 \\in S BY DEF S\n====\n",
        numbers(40_000, ",\n")
    );
    let (report, elapsed) = run("BigSet", text);
    let report = report.expect("the module loads");
    assert!(
        matches!(statuses(&report)[..], [Status::Proved]),
        "{:?}",
        statuses(&report)
    );
    assert_within(elapsed, 60);
}

#[test]
fn a_set_literal_of_40000_elements_on_one_line_is_proved() {
    // The 270 KB line took 45 s to parse (a column counted from the start
    // of the line for every token).
    let text = format!(
        "---- MODULE WideSet ----\nEXTENDS Naturals\n\
         THEOREM T == 1 \\in {{{}}} OBVIOUS\n====\n",
        numbers(40_000, ", ")
    );
    let (report, elapsed) = run("WideSet", text);
    let report = report.expect("the module loads");
    assert!(
        matches!(statuses(&report)[..], [Status::Proved]),
        "{:?}",
        statuses(&report)
    );
    assert_within(elapsed, 30);
}

#[test]
fn a_case_of_40000_arms_is_checked_without_crashing() {
    // Quadratic before: a type-variable chain walked per arm, and a scan of
    // the noted universe equalities per arm (233 s).
    let arms: Vec<String> = (0..40_000).map(|i| format!("c = {i} -> {i}")).collect();
    let text = format!(
        "---- MODULE BigCase ----\nEXTENDS Naturals\nCONSTANT c\n\
         THEOREM T == (CASE {} [] OTHER -> 0) \\in Nat OBVIOUS\n====\n",
        arms.join("\n  [] ")
    );
    let (report, elapsed) = run("BigCase", text);
    let report = report.expect("the module loads");
    // Valid, but large: proved or out of time, never failed.
    assert!(
        matches!(
            statuses(&report)[..],
            [Status::Proved | Status::Timeout | Status::Unknown(_)]
        ),
        "{:?}",
        statuses(&report)
    );
    assert_within(elapsed, 90);
}

#[test]
fn invalid_utf8_is_located_at_its_first_byte() {
    let text = b"---- MODULE Bytes ----\nA == 1\nB == \"ab\xff\xfe\"\n====\n";
    let (report, _) = run("Bytes", text);
    let Err(err) = report else { panic!("accepted") };
    assert!(
        err.contains("/Bytes.tla:3:9: error: invalid UTF-8 (byte 38)"),
        "{err}"
    );
}

#[test]
fn a_root_module_named_unlike_its_file_is_refused() {
    // SANY refuses it; it was accepted without a word.
    let (report, _) = run(
        "Named",
        "---- MODULE Other ----\nTHEOREM T == TRUE OBVIOUS\n====\n",
    );
    let Err(err) = report else { panic!("accepted") };
    assert!(
        err.contains("/Named.tla:1:13: error: module `Other` is in file `Named.tla`"),
        "{err}"
    );
    // Named as its file: accepted.
    let (report, _) = run(
        "Same",
        "---- MODULE Same ----\nTHEOREM T == TRUE OBVIOUS\n====\n",
    );
    assert!(report.is_ok());
}

#[test]
fn a_field_no_record_has_is_accepted_with_a_located_warning() {
    let (report, _) = run(
        "Fields",
        "---- MODULE Fields ----\nEXTENDS Naturals\nCONSTANT r\n\
         THEOREM T == r \\in [a : Nat, b : Nat] => r.Undefined751 = r.Undefined751 OBVIOUS\n\
         THEOREM U == r \\in [a : Nat, b : Nat] => r.a \\in Nat OBVIOUS\n====\n",
    );
    let report = report.expect("legal TLA+: accepted");
    assert!(
        statuses(&report).iter().all(|s| s.is_proved()),
        "{:?}",
        statuses(&report)
    );
    let text = report.to_text();
    let warnings: Vec<&str> = text.lines().filter(|l| l.contains("warning")).collect();
    assert_eq!(warnings.len(), 2, "{text}");
    assert!(
        warnings[0].contains(
            "/Fields.tla:4:42: warning: no record here has a field `Undefined751` (fields: a, b)"
        ),
        "{text}"
    );
    assert!(warnings[1].contains("/Fields.tla:4:59: warning:"), "{text}");
}
