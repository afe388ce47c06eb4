//! Developer tool: print an SMT-LIB2 file (Z3's dialect, as the encoder
//! writes it) in standard SMT-LIB 2.6, the form `--dump-smt` writes.
//! `cargo run --release --example to_standard -- FILE`

fn main() {
    let Some(file) = std::env::args().nth(1) else {
        eprintln!("usage: to_standard FILE");
        std::process::exit(2);
    };
    let text = match std::fs::read_to_string(&file) {
        Ok(t) => t,
        Err(e) => {
            eprintln!("{file}: {e}");
            std::process::exit(2);
        }
    };
    match tlasmt::smtlib::to_standard(&text) {
        Ok(out) => print!("{out}"),
        Err(e) => {
            eprintln!("{file}:{e}");
            std::process::exit(1);
        }
    }
}
