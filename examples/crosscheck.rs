//! Re-check the obligations Z3 proved with another solver (cvc5): reads a
//! `prove --json` report and the `--dump-smt` directory of the same run,
//! runs the solver on every proved obligation's dumps, prints
//! agree (unsat) / unknown / disagree (sat) counts, and exits 1 on any
//! disagreement or any file the solver cannot read. See
//! `scripts/crosscheck.sh`, which makes the report and the dumps.
//!
//! `crosscheck --report FILE --dumps DIR [--solver cvc5] [--jobs N]
//!            [--try "MILLIS [OPTION ...]"]...`
//!
//! Each `--try` is one solver configuration; a file gets them in order
//! until one answers (default: cvc5's defaults for 5 s, then
//! `--enum-inst` for 10 s).

use std::path::PathBuf;
use std::process::ExitCode;
use std::sync::Mutex;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};
use tlasmt::smtlib::crosscheck::{self, FileResult, Proved, Try, Verdict};

struct Args {
    report: PathBuf,
    dumps: PathBuf,
    solver: String,
    jobs: usize,
    tries: Vec<Try>,
}

fn parse_args() -> Result<Args, String> {
    let mut args = std::env::args().skip(1);
    let (mut report, mut dumps, mut solver, mut jobs) = (None, None, "cvc5".to_string(), 2);
    let mut tries = Vec::new();
    while let Some(a) = args.next() {
        let mut value = || args.next().ok_or(format!("{a} needs a value"));
        match a.as_str() {
            "--report" => report = Some(PathBuf::from(value()?)),
            "--dumps" => dumps = Some(PathBuf::from(value()?)),
            "--solver" => solver = value()?,
            "--jobs" => {
                jobs = value()?
                    .parse::<usize>()
                    .map_err(|e| format!("--jobs: {e}"))?
                    .max(1)
            }
            "--try" => tries.push(Try::parse(&value()?)?),
            _ => return Err(format!("unknown argument {a}")),
        }
    }
    if tries.is_empty() {
        tries = vec![Try::parse("5000")?, Try::parse("10000 --enum-inst")?];
    }
    Ok(Args {
        report: report.ok_or("--report FILE is required")?,
        dumps: dumps.ok_or("--dumps DIR is required")?,
        solver,
        jobs,
        tries,
    })
}

fn main() -> ExitCode {
    let args = match parse_args() {
        Ok(a) => a,
        Err(e) => {
            eprintln!("crosscheck: {e}");
            return ExitCode::from(2);
        }
    };
    let report = std::fs::read_to_string(&args.report)
        .map_err(|e| e.to_string())
        .and_then(|t| serde_json::from_str(&t).map_err(|e| e.to_string()));
    let selection = report.and_then(|r| crosscheck::select(&r, &args.dumps));
    let selection = match selection {
        Ok(s) => s,
        Err(e) => {
            eprintln!("crosscheck: {}: {e}", args.report.display());
            return ExitCode::from(2);
        }
    };
    if selection.proved.is_empty() {
        eprintln!("crosscheck: no proved obligation has a dump: nothing was checked");
        return ExitCode::from(2);
    }
    let files: Vec<(usize, PathBuf)> = selection
        .proved
        .iter()
        .enumerate()
        .flat_map(|(i, p)| p.files.iter().map(move |f| (i, f.clone())))
        .collect();
    let start = Instant::now();
    let results = run_all(&args, &files);
    let wall = start.elapsed();
    let mut per_ob: Vec<(Proved, Vec<FileResult>)> = selection
        .proved
        .iter()
        .map(|p| (p.clone(), Vec::new()))
        .collect();
    for ((i, _), r) in files.iter().zip(results) {
        per_ob[*i].1.push(r);
    }
    print_report(&args, &per_ob, &selection.skipped, wall)
}

/// Every file through the portfolio, `jobs` solver processes at a time.
fn run_all(args: &Args, files: &[(usize, PathBuf)]) -> Vec<FileResult> {
    let next = AtomicUsize::new(0);
    let out: Mutex<Vec<Option<FileResult>>> = Mutex::new(vec![None; files.len()]);
    std::thread::scope(|s| {
        for _ in 0..args.jobs {
            s.spawn(|| {
                loop {
                    let k = next.fetch_add(1, Ordering::SeqCst);
                    let Some((_, file)) = files.get(k) else {
                        break;
                    };
                    let r = crosscheck::check_file(&args.solver, &args.tries, file);
                    if let Ok(mut out) = out.lock() {
                        out[k] = Some(r);
                    }
                }
            });
        }
    });
    out.into_inner()
        .unwrap_or_default()
        .into_iter()
        .flatten()
        .collect()
}

fn pct(n: usize, of: usize) -> f64 {
    100.0 * n as f64 / of.max(1) as f64
}

fn print_report(
    args: &Args,
    per_ob: &[(Proved, Vec<FileResult>)],
    skipped: &[(String, String)],
    wall: Duration,
) -> ExitCode {
    let name = |r: &FileResult| {
        r.file
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default()
    };
    for (ob, results) in per_ob {
        // An obligation one of whose encodings is proved needs no word on
        // the other.
        let agreed = results.iter().any(|r| r.verdict == Verdict::Unsat);
        for r in results {
            match &r.verdict {
                Verdict::Sat => println!(
                    "DISAGREE  {}  {}: {} answers sat",
                    ob.path,
                    name(r),
                    args.solver
                ),
                Verdict::Unreadable(e) => println!("UNREADABLE  {}  {}: {e}", ob.path, name(r)),
                Verdict::Unknown(why) if !agreed => {
                    println!("unknown  {}  {}: {why}", ob.path, name(r))
                }
                Verdict::Unknown(_) => {}
                Verdict::Unsat => {}
            }
        }
    }
    for (path, why) in skipped {
        println!("skipped  {path}: {why}");
    }
    let t = crosscheck::tally(per_ob);
    let obs = per_ob.len();
    let time: Duration = per_ob.iter().flat_map(|(_, rs)| rs).map(|r| r.time).sum();
    let mut by_try = vec![0usize; args.tries.len()];
    for r in per_ob.iter().flat_map(|(_, rs)| rs) {
        if let (Verdict::Unsat, Some(i)) = (&r.verdict, r.decided_by) {
            by_try[i] += 1;
        }
    }
    println!(
        "{} on {obs} proved obligations ({} files) of {}",
        args.solver,
        t.files,
        args.report.display()
    );
    println!(
        "  files read without error: {}/{} ({:.1}%)",
        t.readable,
        t.files,
        pct(t.readable, t.files)
    );
    println!(
        "  agree (unsat):    {:4} ({:.1}%)",
        t.agree,
        pct(t.agree, obs)
    );
    for (i, tr) in args.tries.iter().enumerate() {
        println!("    files proved with {}: {}", tr.label(), by_try[i]);
    }
    println!(
        "  unknown:          {:4} ({:.1}%)",
        t.unknown,
        pct(t.unknown, obs)
    );
    println!("  unreadable:       {:4}", t.unreadable);
    println!("  disagree (sat):   {:4}", t.disagree);
    println!("  skipped (no unambiguous dump): {}", skipped.len());
    println!(
        "  {} time {:.1} s (sum over processes), wall {:.1} s with {} jobs",
        args.solver,
        time.as_secs_f64(),
        wall.as_secs_f64(),
        args.jobs
    );
    if t.disagree > 0 || t.unreadable > 0 {
        println!(
            "crosscheck FAILED: {} disagreement(s), {} obligation(s) with a file {} cannot read",
            t.disagree, t.unreadable, args.solver
        );
        return ExitCode::from(1);
    }
    println!("crosscheck passed: no disagreement, every file read");
    ExitCode::SUCCESS
}
