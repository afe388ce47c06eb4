//! The soundness suite of issue 9: small modules of theorems whose validity
//! in untyped TLA+ is known, checked as TLAPS would pose them (definitions
//! hidden unless cited, BY gives only the cited facts).
//!
//! * `tests/fixtures/soundness/invalid/*.tla`: every theorem is NOT valid.
//!   None may be fully proved (all of its obligations proved). FAILED,
//!   UNKNOWN, TIMEOUT, UNSUPPORTED, OMITTED all count as not proved; a module
//!   marked `\* soundness-suite: input error accepted` (citation cycles) may
//!   also be rejected as a whole with an input error.
//! * `tests/fixtures/soundness/valid/*.tla`: every theorem is valid and
//!   carries the proof TLAPS would need. Each must be fully proved; a FAILED
//!   obligation there means a valid fact was reported false.
//! * `tests/fixtures/soundness/lib/*.tla`: modules the fixtures instance.
//!
//! Every FAILED anywhere must be a confirmed counterexample (the report
//! says `FAILED (confirmed counterexample)`): a FAILED without one is an
//! `UNCONFIRMED FAILED` row.
//!
//! Every theorem is named and has a one-line `\* Invalid: <countermodel>` or
//! `\* Valid: <why>` comment right above it; the suite checks this and the
//! theorem counts (at least 150 invalid, 60 valid) before running anything,
//! so it cannot silently shrink.
//!
//! Each module runs in a child process (this test binary re-invoked with
//! `--worker`), several at once: a crash of the checker on one module (a
//! stack overflow aborts the whole process) then shows as a CRASH of that
//! module's theorems, which are re-run one by one to find the culprit,
//! instead of hiding every other result. The test has `harness = false`, so
//! the table is always printed:
//!
//!     cargo test --release --test soundness
//!
//! Environment: `SOUNDNESS_TIMEOUT` (seconds per obligation, default 3),
//! `SOUNDNESS_ONLY` (comma-separated substrings of fixture file names: run
//! only those modules; the counts are still checked over all fixtures).

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::{Command, ExitCode};
use std::sync::Mutex;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};
use tlasmt::driver::{self, Request, Status};
use tlasmt::report::status_text;
use tlasmt::solve::Limits;

const MIN_INVALID: usize = 150;
const MIN_VALID: usize = 60;
const ERROR_ACCEPTED: &str = "\\* soundness-suite: input error accepted";
/// How the report states a FAILED obligation: every counterexample it
/// shows has been confirmed by evaluating the obligation in the model.
const CONFIRMED_FAILED: &str = "FAILED (confirmed counterexample)";
const DEFAULT_TIMEOUT_SECS: f64 = 3.0;

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().collect();
    if let Some(i) = args.iter().position(|a| a == "--worker") {
        let module = PathBuf::from(&args[i + 1]);
        return worker(&module, args.get(i + 2).map(String::as_str));
    }
    parent()
}

// ---------------------------------------------------------------------------
// Fixtures.
// ---------------------------------------------------------------------------

#[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
enum Expect {
    Invalid,
    Valid,
}

impl Expect {
    fn dir(self) -> &'static str {
        match self {
            Expect::Invalid => "invalid",
            Expect::Valid => "valid",
        }
    }

    fn comment(self) -> &'static str {
        match self {
            Expect::Invalid => "\\* Invalid:",
            Expect::Valid => "\\* Valid:",
        }
    }
}

struct Fixture {
    path: PathBuf,
    module: String,
    expect: Expect,
    /// Theorem names in file order.
    theorems: Vec<String>,
    error_accepted: bool,
}

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/soundness")
}

/// The name of a theorem declared on this line, if it declares one:
/// `Some(None)` for an unnamed theorem.
fn declared_theorem(line: &str) -> Option<Option<String>> {
    let rest = ["THEOREM ", "LEMMA ", "PROPOSITION ", "COROLLARY "]
        .iter()
        .find_map(|kw| line.strip_prefix(kw))?;
    let (name, after) = rest.split_once("==")?;
    let name = name.trim();
    let is_name = !name.is_empty()
        && !after.starts_with('=')
        && name.chars().all(|c| c.is_ascii_alphanumeric() || c == '_');
    Some(is_name.then(|| name.to_string()))
}

/// Read a fixture and check its hygiene; problems are returned as messages.
fn load_fixture(path: &Path, expect: Expect, problems: &mut Vec<String>) -> Fixture {
    let text = std::fs::read_to_string(path)
        .unwrap_or_else(|e| panic!("cannot read {}: {e}", path.display()));
    let module = path.file_stem().unwrap().to_string_lossy().to_string();
    let shown = format!("{}/{}.tla", expect.dir(), module);
    let header_ok = text
        .lines()
        .find(|l| l.contains("MODULE"))
        .is_some_and(|l| l.split_whitespace().any(|w| w == module));
    if !header_ok {
        problems.push(format!(
            "{shown}: the MODULE header does not name `{module}`"
        ));
    }
    let lines: Vec<&str> = text.lines().collect();
    let mut theorems = Vec::new();
    for (i, line) in lines.iter().enumerate() {
        let Some(name) = declared_theorem(line) else {
            continue;
        };
        let Some(name) = name else {
            problems.push(format!("{shown}:{}: every theorem must be named", i + 1));
            continue;
        };
        let above = if i > 0 { lines[i - 1].trim_start() } else { "" };
        if !above.starts_with(expect.comment()) {
            problems.push(format!(
                "{shown}:{}: theorem {name} needs a `{} ...` comment on the line above",
                i + 1,
                expect.comment()
            ));
        }
        if theorems.contains(&name) {
            problems.push(format!("{shown}:{}: theorem {name} declared twice", i + 1));
        }
        theorems.push(name);
    }
    if theorems.is_empty() {
        problems.push(format!("{shown}: no theorem found"));
    }
    let error_accepted = text.lines().any(|l| l.trim() == ERROR_ACCEPTED);
    if error_accepted && expect == Expect::Valid {
        problems.push(format!(
            "{shown}: a valid module may not accept input errors"
        ));
    }
    Fixture {
        path: path.to_path_buf(),
        module,
        expect,
        theorems,
        error_accepted,
    }
}

fn load_fixtures(problems: &mut Vec<String>) -> Vec<Fixture> {
    let mut out = Vec::new();
    for expect in [Expect::Invalid, Expect::Valid] {
        let dir = root().join(expect.dir());
        let mut paths: Vec<PathBuf> = std::fs::read_dir(&dir)
            .unwrap_or_else(|e| panic!("cannot list {}: {e}", dir.display()))
            .map(|e| e.unwrap().path())
            .filter(|p| p.extension().is_some_and(|e| e == "tla"))
            .collect();
        paths.sort();
        out.extend(paths.iter().map(|p| load_fixture(p, expect, problems)));
    }
    out
}

// ---------------------------------------------------------------------------
// Worker: one module (or one theorem of it) in this child process.
// ---------------------------------------------------------------------------

/// Tabs and newlines would break the line protocol between worker and parent.
fn one_line(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

fn status_kind(s: &Status) -> (&'static str, String) {
    match s {
        Status::Proved => ("proved", String::new()),
        Status::TemporalRule(r) => ("proved", format!("built-in rule {r}")),
        // The report's own words: the parent checks that FAILED says confirmed.
        Status::Failed(_) => ("FAILED", status_text(s)),
        Status::Unconfirmed { why, .. } => ("UNKNOWN", format!("model not confirmed: {why}")),
        Status::Unknown(why) => ("UNKNOWN", why.clone()),
        Status::Timeout => ("TIMEOUT", String::new()),
        Status::Omitted => ("OMITTED", String::new()),
        Status::Unsupported(why) => ("UNSUPPORTED", why.clone()),
        Status::Error(why) => ("ERROR", why.clone()),
    }
}

fn timeout() -> Duration {
    let secs = std::env::var("SOUNDNESS_TIMEOUT")
        .ok()
        .and_then(|s| s.parse::<f64>().ok())
        .filter(|s| *s > 0.0)
        .unwrap_or(DEFAULT_TIMEOUT_SECS);
    Duration::from_secs_f64(secs)
}

/// Prints `THM <name>` per theorem, `OB <theorem> <step> <kind> <detail>`
/// per obligation and `END`, or `INPUT_ERROR <message>`.
fn worker(module: &Path, theorem: Option<&str>) -> ExitCode {
    let dir = module.parent().unwrap_or(Path::new(".")).to_path_buf();
    let req = Request {
        module: module.to_path_buf(),
        search: vec![dir, root().join("lib")],
        theorems: theorem.map(|t| vec![t.to_string()]).unwrap_or_default(),
        all: theorem.is_none(),
        limits: Limits {
            timeout: timeout(),
            rlimit: 0,
            portfolio: true,
        },
        dump_smt: None,
        auto: false,
        line: None,
        jobs: 1,
    };
    match driver::run(&req) {
        Ok(report) => {
            for t in &report.theorems {
                println!("THM\t{}", t.name);
                for r in &t.results {
                    let (kind, detail) = status_kind(&r.status);
                    // Paths start with the theorem's name; the table shows it already.
                    let path = &r.obligation.path;
                    let step = match path.split_first() {
                        Some((first, rest)) if *first == t.name => rest,
                        _ => &path[..],
                    };
                    println!(
                        "OB\t{}\t{}\t{kind}\t{}",
                        t.name,
                        one_line(&step.join(" ")),
                        one_line(&detail)
                    );
                }
            }
            println!("END");
        }
        Err(e) => println!("INPUT_ERROR\t{}", one_line(&format!("{e:#}"))),
    }
    ExitCode::SUCCESS
}

// ---------------------------------------------------------------------------
// Parent: run the workers, judge, print.
// ---------------------------------------------------------------------------

struct Ob {
    step: String,
    kind: String,
    detail: String,
}

/// What happened to one theorem.
enum Outcome {
    Obligations(Vec<Ob>),
    InputError(String),
    Crash(String),
    Missing,
}

enum Run {
    Ran(BTreeMap<String, Vec<Ob>>),
    InputError(String),
    Crashed(String),
}

fn spawn_worker(module: &Path, theorem: Option<&str>) -> Run {
    let exe = std::env::current_exe().expect("the test binary's path");
    let mut cmd = Command::new(exe);
    cmd.arg("--worker").arg(module);
    if let Some(t) = theorem {
        cmd.arg(t);
    }
    let out = match cmd.output() {
        Ok(out) => out,
        Err(e) => return Run::Crashed(format!("cannot start the worker: {e}")),
    };
    let stdout = String::from_utf8_lossy(&out.stdout);
    let mut theorems: BTreeMap<String, Vec<Ob>> = BTreeMap::new();
    let mut ended = false;
    for line in stdout.lines() {
        let fields: Vec<&str> = line.split('\t').collect();
        match fields.as_slice() {
            ["THM", name] => {
                theorems.entry(name.to_string()).or_default();
            }
            ["OB", name, step, kind, detail] => {
                theorems.entry(name.to_string()).or_default().push(Ob {
                    step: step.to_string(),
                    kind: kind.to_string(),
                    detail: detail.to_string(),
                });
            }
            ["END"] => ended = true,
            ["INPUT_ERROR", msg] if out.status.success() => {
                return Run::InputError(msg.to_string());
            }
            _ => {}
        }
    }
    if ended && out.status.success() {
        return Run::Ran(theorems);
    }
    let stderr = String::from_utf8_lossy(&out.stderr);
    let last = stderr
        .lines()
        .rev()
        .find(|l| !l.trim().is_empty())
        .unwrap_or("");
    Run::Crashed(one_line(&format!("{} ({last})", out.status)))
}

/// Run a module; if the checker crashes on it, run its theorems one by one
/// so that only the theorems that crash it are reported as crashes.
fn run_fixture(f: &Fixture) -> BTreeMap<String, Outcome> {
    let mut out = BTreeMap::new();
    match spawn_worker(&f.path, None) {
        Run::Ran(mut found) => {
            for t in &f.theorems {
                let o = found
                    .remove(t)
                    .map_or(Outcome::Missing, Outcome::Obligations);
                out.insert(t.clone(), o);
            }
        }
        Run::InputError(msg) => {
            for t in &f.theorems {
                out.insert(t.clone(), Outcome::InputError(msg.clone()));
            }
        }
        Run::Crashed(_) => {
            for t in &f.theorems {
                let o = match spawn_worker(&f.path, Some(t)) {
                    Run::Ran(mut found) => found
                        .remove(t)
                        .map_or(Outcome::Missing, Outcome::Obligations),
                    Run::InputError(msg) => Outcome::InputError(msg),
                    Run::Crashed(why) => Outcome::Crash(why),
                };
                out.insert(t.clone(), o);
            }
        }
    }
    out
}

/// The verdict on one theorem: `None` if it behaves as expected, otherwise
/// the kind of problem (a table label).
fn judge(f: &Fixture, o: &Outcome) -> Option<&'static str> {
    let all_proved = |obs: &[Ob]| obs.iter().all(|ob| ob.kind == "proved");
    if let Outcome::Obligations(obs) = o
        && obs
            .iter()
            .any(|ob| ob.kind == "FAILED" && ob.detail != CONFIRMED_FAILED)
    {
        return Some("UNCONFIRMED FAILED");
    }
    match (f.expect, o) {
        (Expect::Invalid, Outcome::Obligations(obs)) => all_proved(obs).then_some("PROVED"),
        (Expect::Invalid, Outcome::InputError(_)) => {
            (!f.error_accepted).then_some("MODULE REJECTED")
        }
        (Expect::Valid, Outcome::Obligations(obs)) => {
            if obs.is_empty() {
                Some("NO OBLIGATIONS")
            } else if obs.iter().any(|ob| ob.kind == "FAILED") {
                Some("REFUTED")
            } else if !all_proved(obs) {
                Some("NOT PROVED")
            } else {
                None
            }
        }
        (Expect::Valid, Outcome::InputError(_)) => Some("MODULE REJECTED"),
        (_, Outcome::Crash(_)) => Some("CRASH"),
        (_, Outcome::Missing) => Some("NOT REPORTED"),
    }
}

/// `proved` for a one-obligation theorem, otherwise `<step> kind; ...`.
fn statuses(o: &Outcome) -> String {
    match o {
        Outcome::Obligations(obs) if obs.len() == 1 && obs[0].step.is_empty() => {
            obs[0].kind.clone()
        }
        Outcome::Obligations(obs) if obs.is_empty() => "(no obligations)".into(),
        Outcome::Obligations(obs) => obs
            .iter()
            .map(|ob| {
                let step = if ob.step.is_empty() {
                    "(proof)"
                } else {
                    &ob.step
                };
                format!("{step} {}", ob.kind)
            })
            .collect::<Vec<_>>()
            .join("; "),
        Outcome::InputError(_) => "input error".into(),
        Outcome::Crash(_) => "crash".into(),
        Outcome::Missing => "not in the report".into(),
    }
}

/// Reasons worth showing under a row that is not as expected.
fn details(o: &Outcome) -> Vec<String> {
    match o {
        Outcome::Obligations(obs) => obs
            .iter()
            .filter(|ob| !ob.detail.is_empty() && ob.kind != "proved")
            .map(|ob| format!("{} {}: {}", ob.step, ob.kind, ob.detail))
            .collect(),
        Outcome::InputError(msg) | Outcome::Crash(msg) => vec![msg.clone()],
        Outcome::Missing => Vec::new(),
    }
}

fn selected(f: &Fixture) -> bool {
    match std::env::var("SOUNDNESS_ONLY") {
        Ok(only) if !only.trim().is_empty() => only
            .split(',')
            .any(|s| !s.trim().is_empty() && f.path.to_string_lossy().contains(s.trim())),
        _ => true,
    }
}

/// Fixture problems (hygiene and counts) that stop the suite before it runs.
fn check_fixtures(fixtures: &[Fixture], problems: &mut Vec<String>) {
    let count = |e: Expect| -> usize {
        fixtures
            .iter()
            .filter(|f| f.expect == e)
            .map(|f| f.theorems.len())
            .sum()
    };
    let (n_invalid, n_valid) = (count(Expect::Invalid), count(Expect::Valid));
    println!("soundness suite: {n_invalid} invalid and {n_valid} valid theorems");
    if n_invalid < MIN_INVALID {
        problems.push(format!(
            "only {n_invalid} invalid theorems (at least {MIN_INVALID} required)"
        ));
    }
    if n_valid < MIN_VALID {
        problems.push(format!(
            "only {n_valid} valid theorems (at least {MIN_VALID} required)"
        ));
    }
}

struct ModuleResult {
    outcomes: BTreeMap<String, Outcome>,
    time: Duration,
}

/// Run the modules, `workers` at a time; results in the order of `todo`.
fn run_all(todo: &[&Fixture], workers: usize) -> Vec<ModuleResult> {
    let results: Mutex<Vec<Option<ModuleResult>>> =
        Mutex::new((0..todo.len()).map(|_| None).collect());
    let next = AtomicUsize::new(0);
    std::thread::scope(|s| {
        for _ in 0..workers {
            s.spawn(|| {
                loop {
                    let i = next.fetch_add(1, Ordering::SeqCst);
                    let Some(f) = todo.get(i) else { break };
                    let t0 = Instant::now();
                    let outcomes = run_fixture(f);
                    let time = t0.elapsed();
                    results.lock().unwrap()[i] = Some(ModuleResult { outcomes, time });
                }
            });
        }
    });
    results
        .into_inner()
        .unwrap()
        .into_iter()
        .map(|r| r.expect("every module was run"))
        .collect()
}

/// Print one row per theorem; count the unexpected verdicts by folder and
/// kind, and the expected ones by folder.
fn print_table(
    todo: &[&Fixture],
    results: &[ModuleResult],
) -> (BTreeMap<(&'static str, &'static str), usize>, [usize; 2]) {
    let mut failures = BTreeMap::new();
    let mut passed = [0usize; 2];
    println!(
        "\n{:<28} {:<32} {:<8} {:<16} statuses",
        "module", "theorem", "expect", "verdict"
    );
    for (f, r) in todo.iter().zip(results) {
        for t in &f.theorems {
            let o = &r.outcomes[t];
            let verdict = judge(f, o);
            match verdict {
                None => passed[f.expect as usize] += 1,
                Some(v) => *failures.entry((f.expect.dir(), v)).or_default() += 1,
            }
            println!(
                "{:<28} {:<32} {:<8} {:<16} {}",
                f.module,
                t,
                f.expect.dir(),
                verdict.unwrap_or("ok"),
                statuses(o)
            );
            // An accepted input error is shown too: it should be the cycle.
            if verdict.is_some() || matches!(o, Outcome::InputError(_)) {
                for d in details(o) {
                    println!("{:>30}{d}", "");
                }
            }
        }
        println!("{:<28} ({:.1} s)", "", r.time.as_secs_f64());
    }
    (failures, passed)
}

fn parent() -> ExitCode {
    let mut problems = Vec::new();
    let fixtures = load_fixtures(&mut problems);
    check_fixtures(&fixtures, &mut problems);
    if !problems.is_empty() {
        println!("fixture problems:");
        for p in &problems {
            println!("  {p}");
        }
        return ExitCode::FAILURE;
    }
    let todo: Vec<&Fixture> = fixtures.iter().filter(|f| selected(f)).collect();
    let workers = driver::default_jobs().clamp(1, todo.len().max(1));
    let start = Instant::now();
    let results = run_all(&todo, workers);
    let (failures, passed) = print_table(&todo, &results);
    println!(
        "\n{} modules in {:.1} s ({workers} at a time, {:.1} s per obligation)",
        todo.len(),
        start.elapsed().as_secs_f64(),
        timeout().as_secs_f64()
    );
    println!(
        "invalid: {} as expected (not proved); valid: {} as expected (proved)",
        passed[Expect::Invalid as usize],
        passed[Expect::Valid as usize]
    );
    if failures.is_empty() {
        println!("soundness suite passed");
        return ExitCode::SUCCESS;
    }
    println!("soundness suite FAILED:");
    for ((dir, what), n) in &failures {
        println!("  {dir}: {n} {what}");
    }
    ExitCode::FAILURE
}
