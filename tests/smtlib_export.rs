//! `--dump-smt` on the shipped proofs: every dump of an obligation Z3
//! proved is standard SMT-LIB 2.6 (no lambda, no `(_ map ..)`, no array
//! indexed by arrays, a logic set) and Z3 proves the translated text too:
//! the same answer as on the encoder's own script, which is what proved the
//! obligation. The theorems are chosen to cover the translations: lambdas
//! (BMessageLemma, PmaxBalLemma4, MsgsTypeLemma), maps (FiniteMsgsLemma,
//! FiniteSetHasMax), constant arrays, and sets of sets (QuorumTheorem,
//! Chosen, PNextDef).

use std::path::Path;
use tlasmt::driver::{self, Request, Status};
use tlasmt::smtlib::crosscheck;
use tlasmt::smtlib::sexpr::{self, Kind, Sexp};
use tlasmt::solve::Limits;

const THEOREMS: &[&str] = &[
    "BMessageLemma",
    "Chosen",
    "FiniteMsgsLemma",
    "FiniteSetHasMax",
    "QuorumTheorem",
    "PNextDef",
    "PmaxBalLemma4",
    "MsgsTypeLemma",
    "MaxBallotLemma1",
    "MaxBallotProp",
    "PMaxBalLemma3",
];

/// Z3's answer on a script in a fresh context, 10 s at most; a script Z3
/// rejects fails the test.
fn z3(script: &str, file: &Path) -> z3::SatResult {
    let text = script.replace("(check-sat)", "");
    z3::with_z3_config(&z3::Config::new(), || {
        let solver = z3::Solver::new();
        let mut params = z3::Params::new();
        params.set_u32("timeout", 10_000);
        solver.set_params(&params);
        solver.from_string(text);
        let raw = z3::Context::thread_local().get_z3_context();
        // SAFETY: `raw` is the live thread-local context.
        let code = unsafe { z3_sys::Z3_get_error_code(raw) };
        assert_eq!(code, z3_sys::ErrorCode::Ok, "Z3 rejects {}", file.display());
        solver.check()
    })
}

/// A construct of Z3's dialect that SMT-LIB 2.6 (or cvc5) lacks.
fn non_standard(s: &Sexp) -> Option<String> {
    let items = s.as_list()?;
    let bad = match (items.first().map(|h| &h.kind), items) {
        (Some(Kind::Word(w)), _) if w == "lambda" => true,
        (Some(Kind::List(h)), _) if h.len() == 3 && h[1].is_symbol("map") => true,
        (Some(Kind::Symbol(a)), [_, index, _]) if a == "Array" => {
            index.as_list().is_some_and(|l| l[0].is_symbol("Array"))
        }
        _ => false,
    };
    if bad {
        return Some(s.to_string());
    }
    items.iter().find_map(non_standard)
}

#[test]
fn dumps_of_proved_obligations_are_standard_and_z3_proves_them_again() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let dir = std::env::temp_dir().join(format!("tlasmt-smtlib-export-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    let req = Request {
        module: root.join("proofs/BPConProof.tla"),
        search: vec![root.join("encodings"), root.join("proofs")],
        theorems: THEOREMS.iter().map(|s| s.to_string()).collect(),
        all: false,
        limits: Limits::default(),
        dump_smt: Some(dir.clone()),
        auto: false,
        line: None,
        jobs: 2,
    };
    let report = driver::run(&req).expect("the shipped proofs load");
    let by_z3 = report
        .theorems
        .iter()
        .flat_map(|t| &t.results)
        .filter(|r| matches!(r.status, Status::Proved))
        .count();
    let selection = crosscheck::select(&report.to_json(), &dir).expect("dumps are listed");
    assert!(selection.skipped.is_empty(), "{:?}", selection.skipped);
    assert_eq!(
        selection.proved.len(),
        by_z3,
        "every obligation Z3 proved has its dump"
    );
    assert!(by_z3 >= 20, "only {by_z3} obligations proved by Z3");
    let mut checked = 0;
    for ob in &selection.proved {
        for file in &ob.files {
            let text = std::fs::read_to_string(file).unwrap();
            assert!(
                text.starts_with("(set-logic ALL)\n") && text.ends_with("(check-sat)\n"),
                "{}: not framed:\n{text}",
                file.display()
            );
            let parsed = sexpr::parse(&text).unwrap_or_else(|e| panic!("{}:{e}", file.display()));
            if let Some(bad) = parsed.iter().find_map(non_standard) {
                panic!("{}: non-standard {bad}", file.display());
            }
            assert_eq!(
                z3(&text, file),
                z3::SatResult::Unsat,
                "{} ({}): Z3 proved the encoder's script, not its translation",
                file.display(),
                ob.path
            );
            checked += 1;
        }
    }
    let _ = std::fs::remove_dir_all(&dir);
    eprintln!("{checked} dumps of {by_z3} proved obligations: standard, and proved by Z3");
    assert!(checked >= by_z3);
}
