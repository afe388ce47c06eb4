//! Standard SMT-LIB 2.6 out of the Z3 scripts the encoder writes, so any
//! solver can re-check an obligation (`--dump-smt`, `scripts/crosscheck.sh`).
//!
//! `to_standard` reads a script, replaces Z3's extensions by equivalent
//! standard constructs (see `elim`: array lambdas, `(_ map f)`, constant
//! arrays of a non-value, one-argument `and`/`or`), drops Z3's solver
//! options and term attributes, checks the sort of every term against
//! SMT-LIB 2.6 (so nothing non-standard gets through silently), and frames
//! the result with `(set-logic ALL)` and `(check-sat)` when missing.

mod boxing;
pub mod crosscheck;
mod elim;
pub mod sexpr;
mod sorts;

#[cfg(test)]
mod tests;

use sexpr::{Kind, Sexp};
use sorts::{Rank, Scope};
use std::collections::HashSet;
use std::fmt;

/// A script the translator cannot read or cannot express in SMT-LIB 2.6;
/// the position is in the input script (1-based).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Error {
    pub line: u32,
    pub col: u32,
    pub message: String,
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}:{}: {}", self.line, self.col, self.message)
    }
}

impl std::error::Error for Error {}

/// Options of the standard (§4.1.7); others are one solver's and mean
/// nothing for the problem, so they are dropped.
const STANDARD_OPTIONS: &[&str] = &[
    "diagnostic-output-channel",
    "global-declarations",
    "interactive-mode",
    "print-success",
    "produce-assertions",
    "produce-assignments",
    "produce-models",
    "produce-proofs",
    "produce-unsat-assumptions",
    "produce-unsat-cores",
    "random-seed",
    "regular-output-channel",
    "reproducible-resource-limit",
    "verbosity",
];

/// The script `text` in standard SMT-LIB 2.6, one command a line.
pub fn to_standard(text: &str) -> Result<String, Error> {
    let commands = sexpr::parse(text)?;
    let mut taken = HashSet::new();
    for c in &commands {
        collect_symbols(c, &mut taken);
    }
    let mut rw = elim::Rewriter::new(taken);
    let mut out: Vec<Sexp> = Vec::new();
    let has_logic = commands.iter().any(|c| head(c) == Some("set-logic"));
    if !has_logic {
        out.push(command("set-logic", vec![Sexp::sym("ALL")]));
    }
    let mut checked = false;
    for cmd in &commands {
        let translated = translate(&mut rw, cmd)?;
        for extra in std::mem::take(&mut rw.pending) {
            validate(&rw, &extra)?;
            out.push(extra);
        }
        if let Some(t) = translated {
            validate(&rw, &t)?;
            checked |= matches!(head(&t), Some("check-sat" | "check-sat-assuming"));
            out.push(t);
        }
    }
    if !checked {
        out.push(command("check-sat", vec![]));
    }
    if out.iter().any(boxing::Boxer::needed) {
        out = box_indices(&mut rw, out)?;
    }
    let mut text = String::new();
    for c in out {
        text.push_str(&c.to_string());
        text.push('\n');
    }
    Ok(text)
}

/// Replace arrays indexed by arrays (see `boxing`), then check the result
/// again from scratch. The signature of the whole script serves every
/// command: names are global and declared once (the encoder never pops).
fn box_indices(rw: &mut elim::Rewriter, commands: Vec<Sexp>) -> Result<Vec<Sexp>, Error> {
    let sig = rw.sig.clone();
    let mut boxer = boxing::Boxer::default();
    let mut fresh = |prefix: &str| rw.fresh(prefix);
    let mut out = Vec::new();
    for cmd in &commands {
        if matches!(head(cmd), Some("push" | "pop")) {
            return Err(cmd.error("push/pop with arrays indexed by arrays is not supported"));
        }
        let boxed = boxer.command(&sig, cmd, &mut fresh)?;
        out.append(&mut boxer.sorts_before);
        let declares_sorts = matches!(
            head(cmd),
            Some("declare-sort" | "declare-datatypes" | "declare-datatype")
        );
        if !declares_sorts {
            out.append(&mut boxer.funs);
        }
        out.push(boxed);
        out.append(&mut boxer.funs);
    }
    let mut check = elim::Rewriter::new(HashSet::new());
    for cmd in &out {
        translate(&mut check, cmd)?;
        validate(&check, cmd)?;
    }
    Ok(out)
}

/// What `--dump-smt` writes for an encoder script: its standard form, or,
/// where the translator cannot give one, Z3's text under a comment that
/// says why (a standard solver then rejects the file, and
/// `scripts/crosscheck.sh` counts it as unreadable).
pub fn dump(z3_script: &str) -> String {
    match to_standard(z3_script) {
        Ok(text) => text,
        Err(e) => format!(
            "; not translated to SMT-LIB 2.6 (at line:col of the Z3 script below): {e}\n{z3_script}(check-sat)\n"
        ),
    }
}

/// Every symbol anywhere (sorts, heads, declared names), so fresh names
/// cannot collide with any of them.
fn collect_symbols(s: &Sexp, out: &mut HashSet<String>) {
    match &s.kind {
        Kind::Symbol(n) => {
            out.insert(n.clone());
        }
        Kind::List(items) => items.iter().for_each(|i| collect_symbols(i, out)),
        _ => {}
    }
}

/// A command's name (a reserved word).
fn head(cmd: &Sexp) -> Option<&str> {
    cmd.as_list()?.first()?.as_word()
}

fn command(name: &str, args: Vec<Sexp>) -> Sexp {
    let mut items = vec![Sexp::word(name)];
    items.extend(args);
    Sexp::list(items)
}

/// One command in standard form (`None`: dropped), declarations recorded.
fn translate(rw: &mut elim::Rewriter, cmd: &Sexp) -> Result<Option<Sexp>, Error> {
    let items = cmd
        .as_list()
        .ok_or_else(|| cmd.error(format!("{cmd} is not a command")))?;
    let name = head(cmd).ok_or_else(|| cmd.error(format!("{cmd} is not a command")))?;
    let args = &items[1..];
    let rebuilt = |args: Vec<Sexp>| Some(command(name, args));
    match (name, args) {
        ("assert", [t]) => Ok(rebuilt(vec![rw.term(t, &mut Scope::new())?])),
        ("declare-sort", [n, arity]) => {
            let arity = match &arity.kind {
                Kind::Numeral(k) => k.parse().map_err(|_| arity.error("arity too large"))?,
                _ => return Err(arity.error("a sort's arity is a numeral")),
            };
            rw.sig.sorts.insert(symbol(n)?.to_string(), arity);
            Ok(Some(cmd.clone()))
        }
        ("declare-fun", [n, params, result]) => {
            let params = params
                .as_list()
                .ok_or_else(|| params.error("expected a list of sorts"))?;
            declare(rw, n, params.to_vec(), result)?;
            Ok(Some(cmd.clone()))
        }
        ("declare-const", [n, result]) => {
            declare(rw, n, vec![], result)?;
            Ok(Some(cmd.clone()))
        }
        ("define-fun", [n, params, result, body]) => define(rw, n, params, result, body),
        // Z3's define-const is the standard's define-fun of no parameters.
        ("define-const", [n, result, body]) => define(rw, n, &Sexp::list(vec![]), result, body),
        ("declare-datatypes", _) => {
            rw.sig.declare_datatypes(cmd, args)?;
            Ok(Some(cmd.clone()))
        }
        ("declare-datatype", [n, body]) => {
            let decl = Sexp::list(vec![Sexp::list(vec![
                n.clone(),
                Sexp::new(Kind::Numeral("0".into())),
            ])]);
            rw.sig
                .declare_datatypes(cmd, &[decl, Sexp::list(vec![body.clone()])])?;
            Ok(Some(cmd.clone()))
        }
        ("set-option", [key, ..]) => Ok(match &key.kind {
            Kind::Keyword(k) if STANDARD_OPTIONS.contains(&k.as_str()) => Some(cmd.clone()),
            _ => None,
        }),
        ("pop" | "reset" | "reset-assertions", _) => {
            rw.forget_definitions();
            Ok(Some(cmd.clone()))
        }
        (
            "set-logic"
            | "set-info"
            | "check-sat"
            | "push"
            | "get-model"
            | "get-info"
            | "get-option"
            | "get-assertions"
            | "get-proof"
            | "get-unsat-core"
            | "get-unsat-assumptions"
            | "get-assignment"
            | "echo"
            | "exit",
            _,
        ) => Ok(Some(cmd.clone())),
        _ => Err(cmd.error(format!(
            "the translator does not support the command `{name}` with these arguments"
        ))),
    }
}

fn symbol(n: &Sexp) -> Result<&str, Error> {
    n.as_symbol()
        .ok_or_else(|| n.error(format!("expected a symbol, found {n}")))
}

fn declare(rw: &mut elim::Rewriter, n: &Sexp, args: Vec<Sexp>, result: &Sexp) -> Result<(), Error> {
    for s in args.iter().chain([result]) {
        rw.sig.check_sort(s)?;
    }
    let rank = Rank {
        args,
        result: result.clone(),
    };
    rw.sig.funs.insert(symbol(n)?.to_string(), rank);
    Ok(())
}

fn define(
    rw: &mut elim::Rewriter,
    n: &Sexp,
    params: &Sexp,
    result: &Sexp,
    body: &Sexp,
) -> Result<Option<Sexp>, Error> {
    let vars = sorts::sorted_vars(params)?;
    let mut scope: Scope = vars
        .iter()
        .map(|(v, s)| (v.to_string(), Ok((*s).clone())))
        .collect();
    let body = rw.term(body, &mut scope)?;
    let arg_sorts: Vec<Sexp> = vars.iter().map(|(_, s)| (*s).clone()).collect();
    let out = command(
        "define-fun",
        vec![n.clone(), params.clone(), result.clone(), body],
    );
    // Validated before it is recorded: the body may not use the function.
    validate(rw, &out)?;
    declare(rw, n, arg_sorts, result)?;
    Ok(Some(out))
}

/// Check an output command: asserted terms are Boolean, a definition's
/// body has its declared sort, and every term is well-sorted SMT-LIB 2.6.
fn validate(rw: &elim::Rewriter, cmd: &Sexp) -> Result<(), Error> {
    let items = cmd.as_list().unwrap_or_default();
    match (head(cmd), items.get(1..).unwrap_or_default()) {
        (Some("assert"), [t]) => {
            let s = rw.sig.sort_of(t, &mut Scope::new())?;
            if !s.is_symbol("Bool") {
                return Err(t.error(format!("asserted term of sort {s}")));
            }
        }
        (Some("define-fun"), [_, params, result, body]) => {
            for (_, s) in sorts::sorted_vars(params)? {
                rw.sig.check_sort(s)?;
            }
            rw.sig.check_sort(result)?;
            let mut scope: Scope = sorts::sorted_vars(params)?
                .iter()
                .map(|(v, s)| (v.to_string(), Ok((*s).clone())))
                .collect();
            let s = rw.sig.sort_of(body, &mut scope)?;
            if s != *result {
                return Err(body.error(format!("body of sort {s}, declared {result}")));
            }
        }
        _ => {}
    }
    Ok(())
}
