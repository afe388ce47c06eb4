//! Developer tool: run Z3 (the pinned library) on an SMT-LIB2 file.
//! `cargo run --release --example check_smt -- FILE [timeout_ms] [param=value ...]`

use std::time::Instant;

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let Some(file) = args.first() else {
        eprintln!("usage: check_smt FILE [timeout_ms] [param=value ...]");
        std::process::exit(2);
    };
    let text = std::fs::read_to_string(file).expect("readable file");
    let text = text.replace("(check-sat)", "");
    let timeout: u32 = args.get(1).and_then(|t| t.parse().ok()).unwrap_or(10_000);
    z3::set_global_param("warning", "false");
    let mut params = z3::Params::new();
    for kv in args.iter().skip(2) {
        if let Some((k, v)) = kv.split_once('=') {
            if let Some(k) = k.strip_prefix("solver:") {
                match (v.parse::<bool>(), v.parse::<u32>()) {
                    (Ok(b), _) => params.set_bool(k, b),
                    (_, Ok(n)) => params.set_u32(k, n),
                    _ => params.set_symbol(k, v),
                }
            } else {
                z3::set_global_param(k, v);
            }
        }
    }
    let solver = z3::Solver::new();
    params.set_u32("timeout", timeout);
    solver.set_params(&params);
    solver.from_string(text);
    let start = Instant::now();
    let r = solver.check();
    if r == z3::SatResult::Sat && std::env::var("SHOW_MODEL").is_ok() {
        println!(
            "{}",
            solver
                .get_model()
                .map(|m| m.to_string())
                .unwrap_or_default()
        );
    }
    if std::env::var("SHOW_STATS").is_ok() {
        println!("{:?}", solver.get_statistics());
    }
    println!(
        "{r:?} in {:.3} s {}",
        start.elapsed().as_secs_f64(),
        solver.get_reason_unknown().unwrap_or_default()
    );
}
