//! Re-checking proved obligations with another solver (cvc5): which dumped
//! files belong to proved obligations, what the solver's answer means, and
//! the tally. `examples/crosscheck.rs` and `scripts/crosscheck.sh` drive it.
//!
//! An obligation agrees when the solver answers `unsat` on one of its
//! dumps; a `sat` on any of them is a disagreement: Z3 proved a formula the
//! other solver has a model of, so one of them (or the translation) is
//! wrong. Both encodings of an obligation (definitions as symbols, and
//! `_inlined`) are complete, so either one's model would refute it.

use serde_json::Value;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

/// One proved obligation and its dump files (one per encoding tried).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Proved {
    /// The obligation's path as the report prints it (`Invariance <1>2 <2>1`).
    pub path: String,
    pub files: Vec<PathBuf>,
}

/// The proved obligations of a `--json` report, matched to the files of
/// its `--dump-smt` directory, and the obligations that could not be
/// matched, with why.
#[derive(Debug, Default)]
pub struct Selection {
    pub proved: Vec<Proved>,
    pub skipped: Vec<(String, String)>,
}

/// The dump's name (driver: `{theorem}_{id}_{step path}[_inlined].smt2`)
/// sanitizes the step path: every character but ASCII letters and digits
/// becomes `_`.
fn sanitize(s: &str) -> String {
    s.chars()
        .map(|c| if c.is_ascii_alphanumeric() { c } else { '_' })
        .collect()
}

/// Split a dump's file name into (obligation id, sanitized step path) if
/// it belongs to `theorem`.
fn parse_name<'a>(file: &'a str, theorem: &str) -> Option<(usize, &'a str)> {
    let rest = file.strip_suffix(".smt2")?;
    let rest = rest.strip_suffix("_inlined").unwrap_or(rest);
    let rest = rest.strip_prefix(theorem)?.strip_prefix('_')?;
    let (id, step) = rest.split_once('_')?;
    Some((id.parse().ok()?, step))
}

/// Pair the report's proved obligations with the dump files. The report
/// has no obligation ids, so obligations are told apart by theorem and
/// step path; where several share both (a step with several obligations)
/// and not all of them are proved, their files cannot be told apart and
/// are skipped.
pub fn select(report: &Value, dumps: &Path) -> Result<Selection, String> {
    let mut names: Vec<String> = std::fs::read_dir(dumps)
        .map_err(|e| format!("{}: {e}", dumps.display()))?
        .filter_map(|e| e.ok()?.file_name().into_string().ok())
        .filter(|n| n.ends_with(".smt2"))
        .collect();
    names.sort();
    let theorems = report["theorems"]
        .as_array()
        .ok_or("the report has no `theorems` (not a --json report?)")?;
    let mut out = Selection::default();
    for t in theorems {
        let theorem = t["name"].as_str().ok_or("a theorem without a name")?;
        // (step path) -> statuses of its obligations, in report order.
        let mut steps: BTreeMap<String, Vec<(String, bool)>> = BTreeMap::new();
        collect(theorem, &t["tree"], &mut steps);
        for (step, obs) in steps {
            // id -> files of that obligation
            let mut by_id: BTreeMap<usize, Vec<PathBuf>> = BTreeMap::new();
            for n in &names {
                if parse_name(n, theorem).is_some_and(|(_, s)| s == step) {
                    let (id, _) = parse_name(n, theorem).unwrap_or_default();
                    by_id.entry(id).or_default().push(dumps.join(n));
                }
            }
            let proved: Vec<&String> = obs.iter().filter(|(_, p)| *p).map(|(s, _)| s).collect();
            if proved.is_empty() {
                continue;
            }
            if proved.len() < obs.len() && !by_id.is_empty() {
                for path in proved {
                    out.skipped.push((
                        path.clone(),
                        "shares its step path with an obligation that is not proved".into(),
                    ));
                }
                continue;
            }
            // Obligations decided without Z3 (a built-in rule) have no file.
            if by_id.is_empty() {
                continue;
            }
            if by_id.len() != proved.len() {
                for path in proved {
                    out.skipped.push((
                        path.clone(),
                        format!(
                            "{} obligations with this step path, dumps of {} ids",
                            obs.len(),
                            by_id.len()
                        ),
                    ));
                }
                continue;
            }
            for (path, files) in proved.into_iter().zip(by_id.into_values()) {
                out.proved.push(Proved {
                    path: path.clone(),
                    files,
                });
            }
        }
    }
    Ok(out)
}

/// The report tree's obligations by sanitized step path: (path, proved by
/// Z3). Built-in rules count as not proved here: they have no dump.
fn collect(theorem: &str, node: &Value, out: &mut BTreeMap<String, Vec<(String, bool)>>) {
    for ob in node["obligations"].as_array().into_iter().flatten() {
        let path = ob["path"].as_str().unwrap_or_default();
        // The path's first element is the theorem's name, except for a
        // termination obligation, whose path is one label.
        let step = path
            .strip_prefix(theorem)
            .and_then(|r| r.strip_prefix(' '))
            .map(sanitize)
            .unwrap_or_default();
        let proved = ob["status"].as_str() == Some("proved");
        out.entry(step)
            .or_default()
            .push((path.to_string(), proved));
    }
    for c in node["children"].as_array().into_iter().flatten() {
        collect(theorem, c, out);
    }
}

/// A solver's answer on one file.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Verdict {
    Unsat,
    Sat,
    Unknown(String),
    /// The solver rejected the file (a parse or sort error), with its message.
    Unreadable(String),
}

/// The verdict in a solver's output: the first line that is an answer or
/// an `(error ...)`.
pub fn classify(stdout: &str, stderr: &str, killed: bool) -> Verdict {
    for line in stdout.lines().map(str::trim) {
        match line {
            "unsat" => return Verdict::Unsat,
            "sat" => return Verdict::Sat,
            "unknown" => return Verdict::Unknown("unknown".into()),
            l if l.starts_with("(error") => return Verdict::Unreadable(l.to_string()),
            _ => {}
        }
    }
    if killed {
        return Verdict::Unknown("killed at the time limit".into());
    }
    let why = stderr
        .lines()
        .chain(stdout.lines())
        .find(|l| !l.trim().is_empty())
        .unwrap_or("no answer");
    Verdict::Unreadable(why.to_string())
}

/// One solver configuration of the portfolio.
#[derive(Clone, Debug)]
pub struct Try {
    pub millis: u64,
    pub options: Vec<String>,
}

impl Try {
    /// `"MILLIS [OPTION ...]"`.
    pub fn parse(s: &str) -> Result<Try, String> {
        let mut words = s.split_whitespace();
        let millis = words
            .next()
            .and_then(|m| m.parse().ok())
            .ok_or_else(|| format!("`{s}`: expected milliseconds, then options"))?;
        Ok(Try {
            millis,
            options: words.map(String::from).collect(),
        })
    }

    pub fn label(&self) -> String {
        let opts = if self.options.is_empty() {
            "defaults".to_string()
        } else {
            self.options.join(" ")
        };
        format!("{opts}, {} s", self.millis as f64 / 1000.0)
    }
}

/// Run `solver` on `file` with `t`'s options and a per-query limit; the
/// process is killed 10 s after the limit if it has not stopped by itself.
pub fn run(solver: &str, t: &Try, file: &Path) -> (Verdict, Duration) {
    let start = Instant::now();
    let child = Command::new(solver)
        .args(&t.options)
        .arg(format!("--tlimit-per={}", t.millis))
        .arg(file)
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn();
    let mut child = match child {
        Ok(c) => c,
        Err(e) => {
            return (
                Verdict::Unreadable(format!("cannot run {solver}: {e}")),
                start.elapsed(),
            );
        }
    };
    let deadline = start + Duration::from_millis(t.millis) + Duration::from_secs(10);
    let mut killed = false;
    loop {
        match child.try_wait() {
            Ok(Some(_)) => break,
            Ok(None) if Instant::now() >= deadline => {
                let _ = child.kill();
                killed = true;
                break;
            }
            Ok(None) => std::thread::sleep(Duration::from_millis(10)),
            Err(_) => break,
        }
    }
    let out = child.wait_with_output();
    let elapsed = start.elapsed();
    match out {
        Ok(o) => (
            classify(
                &String::from_utf8_lossy(&o.stdout),
                &String::from_utf8_lossy(&o.stderr),
                killed,
            ),
            elapsed,
        ),
        Err(e) => (Verdict::Unreadable(format!("{solver}: {e}")), elapsed),
    }
}

/// A file's outcome: the verdict of the first try that decided it (or the
/// last try's), which try that was, and the solver time spent on it.
#[derive(Clone, Debug)]
pub struct FileResult {
    pub file: PathBuf,
    pub verdict: Verdict,
    pub decided_by: Option<usize>,
    pub time: Duration,
}

/// Run the portfolio on one file: each try in turn until one answers
/// `unsat` or `sat`, or the solver rejects the file.
pub fn check_file(solver: &str, tries: &[Try], file: &Path) -> FileResult {
    let mut time = Duration::ZERO;
    let mut verdict = Verdict::Unknown("no try".into());
    for (i, t) in tries.iter().enumerate() {
        let (v, spent) = run(solver, t, file);
        time += spent;
        let decided = !matches!(v, Verdict::Unknown(_));
        verdict = v;
        if decided {
            let by = matches!(verdict, Verdict::Unsat | Verdict::Sat).then_some(i);
            return FileResult {
                file: file.to_path_buf(),
                verdict,
                decided_by: by,
                time,
            };
        }
    }
    FileResult {
        file: file.to_path_buf(),
        verdict,
        decided_by: None,
        time,
    }
}

/// The counts over obligations and files.
#[derive(Debug, Default, PartialEq, Eq)]
pub struct Tally {
    pub files: usize,
    pub readable: usize,
    pub agree: usize,
    pub unknown: usize,
    pub disagree: usize,
    /// Obligations with a file the solver rejected.
    pub unreadable: usize,
}

/// Count obligation outcomes: disagree if any file is `sat`, else
/// unreadable if any file was rejected, else agree if any file is `unsat`,
/// else unknown.
pub fn tally(obligations: &[(Proved, Vec<FileResult>)]) -> Tally {
    let mut t = Tally::default();
    for (_, results) in obligations {
        t.files += results.len();
        t.readable += results
            .iter()
            .filter(|r| !matches!(r.verdict, Verdict::Unreadable(_)))
            .count();
        let any = |f: fn(&Verdict) -> bool| results.iter().any(|r| f(&r.verdict));
        if any(|v| *v == Verdict::Sat) {
            t.disagree += 1;
        } else if any(|v| matches!(v, Verdict::Unreadable(_))) {
            t.unreadable += 1;
        } else if any(|v| *v == Verdict::Unsat) {
            t.agree += 1;
        } else {
            t.unknown += 1;
        }
    }
    t
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dump_names_split_into_id_and_step() {
        assert_eq!(
            parse_name("Invariance_100__1_2__2_3__3_1.smt2", "Invariance"),
            Some((100, "_1_2__2_3__3_1"))
        );
        assert_eq!(
            parse_name("NextDef_0__1_1_inlined.smt2", "NextDef"),
            Some((0, "_1_1"))
        );
        assert_eq!(parse_name("Chosen_0_.smt2", "Chosen"), Some((0, "")));
        // Another theorem whose name starts the same way.
        assert_eq!(parse_name("MsgsLemma_3_.smt2", "Msgs"), None);
    }

    #[test]
    fn answers_and_errors_are_told_apart() {
        assert_eq!(classify("unsat\n", "", false), Verdict::Unsat);
        assert_eq!(classify("sat\n", "", false), Verdict::Sat);
        assert!(matches!(
            classify("unknown\n", "", false),
            Verdict::Unknown(_)
        ));
        assert!(matches!(classify("", "", true), Verdict::Unknown(_)));
        let e = "(error \"Arrays cannot be indexed by array types\")";
        assert_eq!(classify(e, "", false), Verdict::Unreadable(e.into()));
        assert_eq!(
            classify("", "segfault\n", false),
            Verdict::Unreadable("segfault".into())
        );
    }

    fn result(v: Verdict) -> FileResult {
        FileResult {
            file: PathBuf::new(),
            verdict: v,
            decided_by: None,
            time: Duration::ZERO,
        }
    }

    #[test]
    fn one_sat_makes_a_disagreement_and_one_unsat_an_agreement() {
        let ob = || Proved {
            path: "T".into(),
            files: vec![],
        };
        let obligations = vec![
            (
                ob(),
                vec![result(Verdict::Unknown("t".into())), result(Verdict::Unsat)],
            ),
            (ob(), vec![result(Verdict::Unsat), result(Verdict::Sat)]),
            (ob(), vec![result(Verdict::Unknown("t".into()))]),
            (
                ob(),
                vec![
                    result(Verdict::Unreadable("e".into())),
                    result(Verdict::Unsat),
                ],
            ),
        ];
        assert_eq!(
            tally(&obligations),
            Tally {
                files: 7,
                readable: 6,
                agree: 1,
                unknown: 1,
                disagree: 1,
                unreadable: 1,
            }
        );
    }

    #[test]
    fn report_obligations_are_matched_to_their_files() {
        let dir = std::env::temp_dir().join(format!("tlasmt-crosscheck-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).unwrap();
        for f in [
            "T_0__1_1.smt2",
            "T_0__1_1_inlined.smt2",
            "T_1__1_2.smt2",
            "T_2__1_3.smt2",
            "T_3__1_3.smt2",
            "TT_0__1_1.smt2",
        ] {
            std::fs::write(dir.join(f), "").unwrap();
        }
        let ob = |path: &str, status: &str| serde_json::json!({"path": path, "status": status});
        let report = serde_json::json!({"theorems": [{"name": "T", "tree": {
        "obligations": [],
        "children": [
            {"obligations": [ob("T <1>1", "proved")], "children": []},
            {"obligations": [ob("T <1>2", "failed")], "children": []},
            {"obligations": [ob("T <1>3", "proved"), ob("T <1>3", "timeout")], "children": []},
            {"obligations": [ob("T <1>4", "temporal-rule")], "children": []},
        ]}}]});
        let sel = select(&report, &dir).unwrap();
        let _ = std::fs::remove_dir_all(&dir);
        assert_eq!(sel.proved.len(), 1, "{sel:?}");
        assert_eq!(sel.proved[0].path, "T <1>1");
        let names: Vec<_> = sel.proved[0]
            .files
            .iter()
            .map(|f| f.file_name().unwrap().to_string_lossy().into_owned())
            .collect();
        assert_eq!(names, ["T_0__1_1.smt2", "T_0__1_1_inlined.smt2"]);
        assert_eq!(sel.skipped.len(), 1, "{sel:?}");
        assert_eq!(sel.skipped[0].0, "T <1>3");
    }
}
