//! Command-line interface: `tlasmt prove <theorem>|all [options]`.

use clap::{Parser, Subcommand};
use std::path::PathBuf;
use std::process::ExitCode;
use std::time::Duration;
use tlasmt::driver::{self, Request};
use tlasmt::solve::Limits;

#[derive(Parser)]
#[command(name = "tlasmt", version, about = "Prove TLA+ safety theorems with Z3")]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Check the proofs of theorems: `prove invariance`, `prove all`.
    Prove {
        /// Theorem names (case-insensitive), or `all` for every theorem of the module.
        #[arg(required_unless_present = "line")]
        theorems: Vec<String>,
        /// Check only the theorem (named or not) whose text contains this
        /// line of the module, as tlapm's `--line`.
        #[arg(long)]
        line: Option<usize>,
        /// The proof module.
        #[arg(long, default_value = "proofs/BPConProof.tla")]
        module: PathBuf,
        /// Extra directories to search for EXTENDS / INSTANCE modules
        /// (the module's directory, ../encodings, ../proofs and the
        /// directories of the environment variable TLA_PATH are searched;
        /// a library module found there replaces the built-in one).
        #[arg(long = "path")]
        search: Vec<PathBuf>,
        /// Print the report as JSON.
        #[arg(long)]
        json: bool,
        /// Wall-clock budget of an obligation's main try, in seconds (its
        /// shorter and inlined tries add up to 0.9 times more).
        #[arg(long, default_value_t = 10.0, value_parser = parse_timeout)]
        timeout: f64,
        /// Deterministic Z3 resource limit per obligation (0 = none).
        #[arg(long, default_value_t = 0)]
        rlimit: u32,
        /// Write every obligation's SMT-LIB2 script into this directory.
        #[arg(long)]
        dump_smt: Option<PathBuf>,
        /// Ignore the proof: check `Init => C` and `Inv /\ A => C'` for every
        /// action A of Next and conjunct C of Inv, all definitions expanded.
        #[arg(long)]
        auto: bool,
        /// Z3 global parameter `key=value` (repeatable), e.g. `--z3 sat.euf=true`.
        #[arg(long = "z3")]
        z3_params: Vec<String>,
        /// Solver processes run at the same time, 1 or more [default: one
        /// per core].
        #[arg(long, value_parser = parse_jobs)]
        jobs: Option<usize>,
    },
}

/// Longest accepted `--timeout`: one day per try.
const MAX_TIMEOUT: f64 = 86_400.0;

/// A `--timeout` in seconds: a finite number from 1 ms to a day (`inf`,
/// `nan`, negative or tiny values are refused, not silently changed).
fn parse_timeout(s: &str) -> Result<f64, String> {
    let t: f64 = s
        .trim()
        .parse()
        .map_err(|_| format!("`{s}` is not a number of seconds"))?;
    if !t.is_finite() || !(0.001..=MAX_TIMEOUT).contains(&t) {
        return Err(format!(
            "`{s}` is out of range: give seconds from 0.001 to {MAX_TIMEOUT}"
        ));
    }
    Ok(t)
}

/// A `--jobs` count: at least one (0 would run nothing; it is refused,
/// not silently taken as 1).
fn parse_jobs(s: &str) -> Result<usize, String> {
    match s.trim().parse::<usize>() {
        Ok(0) => Err(format!(
            "`{s}` solver processes would run nothing: give 1 or more (without --jobs: one per core)"
        )),
        Ok(n) => Ok(n),
        Err(_) => Err(format!("`{s}` is not a number of solver processes")),
    }
}

fn main() -> ExitCode {
    tracing_subscriber::fmt()
        .with_env_filter(tracing_subscriber::EnvFilter::from_default_env())
        .with_writer(std::io::stderr)
        .init();
    let cli = Cli::parse();
    match cli.command {
        Command::Prove {
            theorems,
            line,
            module,
            search,
            json,
            timeout,
            rlimit,
            dump_smt,
            auto,
            z3_params,
            jobs,
        } => {
            if let Err(e) = tlasmt::solve::set_z3_params(&z3_params) {
                eprintln!("error: {e}");
                return ExitCode::from(2);
            }
            let all = theorems.iter().any(|t| t.eq_ignore_ascii_case("all"));
            let mut dirs = search;
            if let Some(parent) = module.parent() {
                let parent = if parent.as_os_str().is_empty() {
                    PathBuf::from(".")
                } else {
                    parent.to_path_buf()
                };
                dirs.push(parent.join("../encodings"));
                dirs.push(parent.join("../proofs"));
            }
            // Installed module libraries, as for the other TLA+ tools.
            if let Some(path) = std::env::var_os("TLA_PATH") {
                dirs.extend(std::env::split_paths(&path));
            }
            let req = Request {
                module,
                search: dirs,
                theorems,
                all,
                limits: Limits {
                    timeout: Duration::from_secs_f64(timeout),
                    rlimit,
                    portfolio: !z3_params
                        .iter()
                        .any(|p| p.trim_start().starts_with("sat.euf")),
                },
                dump_smt,
                auto,
                line,
                jobs: jobs.unwrap_or_else(driver::default_jobs),
            };
            match driver::run(&req) {
                Ok(report) => {
                    if json {
                        println!(
                            "{}",
                            serde_json::to_string_pretty(&report.to_json()).unwrap_or_default()
                        );
                    } else {
                        print!("{}", report.to_text());
                    }
                    if report.all_proved() {
                        ExitCode::SUCCESS
                    } else {
                        ExitCode::from(1)
                    }
                }
                Err(e) => {
                    eprintln!("{e}");
                    ExitCode::from(2)
                }
            }
        }
    }
}
