//! Helpers shared by the `syntax_*` integration tests: parsing shortcuts and
//! a compact S-expression rendering of the AST, so that tests can assert the
//! lowered shape in one line.

#![allow(dead_code)] // Each test binary uses a different subset.

use std::path::{Path, PathBuf};

use tlasmt::source::SourceMap;
use tlasmt::syntax::ast::{
    Bound, BoundPattern, DefKind, Definition, ExceptKey, Expr, ExprKind, Module, NamePath,
    PathSegment, StepLabel, Unit,
};
use tlasmt::syntax::parse_module;

pub fn fixture_path(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/syntax")
        .join(name)
}

pub fn read_fixture(name: &str) -> String {
    std::fs::read_to_string(fixture_path(name))
        .unwrap_or_else(|e| panic!("cannot read fixture {name}: {e}"))
}

/// Parse, panicking with the rendered diagnostics on failure.
pub fn parse_ok(name: &str, text: &str) -> Module {
    let mut map = SourceMap::new();
    match parse_module(&mut map, Path::new(name), text.to_string()) {
        Ok(m) => m,
        Err(diags) => {
            let rendered: Vec<String> = diags.iter().map(|d| map.render(d)).collect();
            panic!("{name} failed to parse:\n{}", rendered.join("\n"))
        }
    }
}

/// Parse, expecting failure; returns the rendered diagnostics.
pub fn parse_err(name: &str, text: &str) -> Vec<String> {
    let mut map = SourceMap::new();
    match parse_module(&mut map, Path::new(name), text.to_string()) {
        Ok(_) => panic!("{name} parsed, but errors were expected"),
        Err(diags) => diags.iter().map(|d| map.render(d)).collect(),
    }
}

pub fn parse_fixture(name: &str) -> Module {
    parse_ok(name, &read_fixture(name))
}

/// Wrap definitions in a module.
pub fn module_text(body: &str) -> String {
    format!("---- MODULE T ----\n{body}\n====\n")
}

/// The lowered body of `E == <expr>` as an S-expression.
pub fn expr_sexp(expr: &str) -> String {
    let module = parse_ok("expr.tla", &module_text(&format!("E == {expr}")));
    sexp(operator_body(&module, "E"))
}

pub fn definition<'m>(module: &'m Module, name: &str) -> &'m Definition {
    module
        .units
        .iter()
        .find_map(|u| match u {
            Unit::Definition(d) if d.name.name == name => Some(d),
            _ => None,
        })
        .unwrap_or_else(|| panic!("no definition {name}"))
}

pub fn operator_body<'m>(module: &'m Module, name: &str) -> &'m Expr {
    match &definition(module, name).kind {
        DefKind::Operator { body, .. } => body,
        other => panic!("{name} is not an operator definition: {other:?}"),
    }
}

pub fn label(l: &StepLabel) -> String {
    l.display()
}

pub fn path(p: &NamePath) -> String {
    p.segments.iter().map(segment).collect::<Vec<_>>().join("!")
}

fn segment(s: &PathSegment) -> String {
    match s {
        PathSegment::Name { name, args } if args.is_empty() => name.name.clone(),
        PathSegment::Name { name, args } => format!("{}({})", name.name, list(args)),
        PathSegment::Index(i) => i.to_string(),
        PathSegment::Args(args) => format!("({})", list(args)),
        PathSegment::Left => "<<".into(),
        PathSegment::Right => ">>".into(),
        PathSegment::Colon => ":".into(),
        PathSegment::At => "@".into(),
        PathSegment::Step(l) => l.display(),
    }
}

fn list(es: &[Expr]) -> String {
    es.iter().map(sexp).collect::<Vec<_>>().join(" ")
}

pub fn bound(b: &Bound) -> String {
    let names = |ns: &[tlasmt::syntax::ast::Ident]| {
        ns.iter()
            .map(|n| n.name.as_str())
            .collect::<Vec<_>>()
            .join(" ")
    };
    let pattern = match &b.pattern {
        BoundPattern::Names(ns) => names(ns),
        BoundPattern::Tuple(ns) => format!("<<{}>>", names(ns)),
    };
    match &b.set {
        Some(s) => format!("{pattern} \\in {}", sexp(s)),
        None => pattern,
    }
}

fn bounds(bs: &[Bound]) -> String {
    let parts: Vec<String> = bs.iter().map(bound).collect();
    format!("[{}]", parts.join(", "))
}

/// A compact rendering of an expression, e.g. `(Forall [x y \in S] P)`.
pub fn sexp(e: &Expr) -> String {
    match &e.kind {
        ExprKind::Name(p) => path(p),
        ExprKind::StepRef(l) => l.display(),
        ExprKind::Number(n) => n.to_string(),
        ExprKind::String(s) => format!("{s:?}"),
        ExprKind::Bool(b) => if *b { "TRUE" } else { "FALSE" }.into(),
        ExprKind::BuiltinSet(s) => format!("{s:?}"),
        ExprKind::Unary(op, a) => format!("({op:?} {})", sexp(a)),
        ExprKind::Binary(op, a, b) => format!("({op:?} {} {})", sexp(a), sexp(b)),
        ExprKind::UserOp(op, args) => format!("(user {} {})", op.name, list(args)),
        ExprKind::ConjList(es) => format!("(conj {})", list(es)),
        ExprKind::DisjList(es) => format!("(disj {})", list(es)),
        ExprKind::If(c, t, f) => format!("(if {} {} {})", sexp(c), sexp(t), sexp(f)),
        ExprKind::Case { arms, other } => {
            let mut parts: Vec<String> = arms
                .iter()
                .map(|(g, v)| format!("({} {})", sexp(g), sexp(v)))
                .collect();
            if let Some(o) = other {
                parts.push(format!("(OTHER {})", sexp(o)));
            }
            format!("(case {})", parts.join(" "))
        }
        ExprKind::Let(defs, body) => {
            let names: Vec<&str> = defs.iter().map(|d| d.name.name.as_str()).collect();
            format!("(let [{}] {})", names.join(" "), sexp(body))
        }
        ExprKind::Quant(q, bs, body) => format!("({q:?} {} {})", bounds(bs), sexp(body)),
        ExprKind::Choose(b, body) => format!("(choose [{}] {})", bound(b), sexp(body)),
        ExprKind::SetEnum(es) => format!("{{{}}}", list(es)),
        ExprKind::SetFilter(b, p) => format!("(filter [{}] {})", bound(b), sexp(p)),
        ExprKind::SetMap(e, bs) => format!("(map {} {})", sexp(e), bounds(bs)),
        ExprKind::FnLiteral(bs, e) => format!("(fn {} {})", bounds(bs), sexp(e)),
        ExprKind::FnSet(a, b) => format!("(fnset {} {})", sexp(a), sexp(b)),
        ExprKind::Record(fs) => format!("(record {})", fields(fs, "|->")),
        ExprKind::RecordSet(fs) => format!("(recset {})", fields(fs, ":")),
        ExprKind::Apply(f, args) => format!("(apply {} {})", sexp(f), list(args)),
        ExprKind::Field(r, f) => format!("(field {} {})", sexp(r), f.name),
        ExprKind::Except(f, updates) => {
            let ups: Vec<String> = updates
                .iter()
                .map(|u| {
                    let keys: String = u
                        .path
                        .iter()
                        .map(|k| match k {
                            ExceptKey::Field(f) => format!(".{}", f.name),
                            ExceptKey::Index(es) => format!("[{}]", list(es)),
                        })
                        .collect();
                    format!("(!{keys} {})", sexp(&u.value))
                })
                .collect();
            format!("(except {} {})", sexp(f), ups.join(" "))
        }
        ExprKind::At => "@".into(),
        ExprKind::Tuple(es) => format!("<<{}>>", list(es)),
        ExprKind::Product(es) => format!("(X {})", list(es)),
        ExprKind::BoxAction(a, v) => format!("(box {} {})", sexp(a), sexp(v)),
        ExprKind::AngleAction(a, v) => format!("(angle {} {})", sexp(a), sexp(v)),
        ExprKind::Fairness {
            strong,
            sub,
            action,
        } => {
            let kind = if *strong { "SF" } else { "WF" };
            format!("({kind} {} {})", sexp(sub), sexp(action))
        }
        ExprKind::Lambda(params, body) => {
            let ps: Vec<&str> = params.iter().map(|p| p.name.as_str()).collect();
            format!("(lambda [{}] {})", ps.join(" "), sexp(body))
        }
    }
}

fn fields(fs: &[(tlasmt::syntax::ast::Ident, Expr)], sep: &str) -> String {
    fs.iter()
        .map(|(n, e)| format!("{} {sep} {}", n.name, sexp(e)))
        .collect::<Vec<_>>()
        .join(", ")
}

/// A theorem by name.
pub fn theorem<'m>(module: &'m Module, name: &str) -> &'m tlasmt::syntax::ast::Theorem {
    module
        .units
        .iter()
        .find_map(|u| match u {
            Unit::Theorem(t) if t.name.as_ref().is_some_and(|n| n.name == name) => Some(t),
            _ => None,
        })
        .unwrap_or_else(|| panic!("no theorem {name}"))
}

/// The `i`-th theorem of a module (named or not).
pub fn theorem_by_index(module: &Module, i: usize) -> &tlasmt::syntax::ast::Theorem {
    module
        .units
        .iter()
        .filter_map(|u| match u {
            Unit::Theorem(t) => Some(t),
            _ => None,
        })
        .nth(i)
        .unwrap_or_else(|| panic!("no theorem #{i}"))
}

/// One line per proof step (indented by nesting) plus one per leaf proof.
pub fn proof_outline(proof: &tlasmt::syntax::ast::Proof) -> Vec<String> {
    let mut lines = Vec::new();
    outline_into(proof, 0, &mut lines);
    lines
}

fn outline_into(proof: &tlasmt::syntax::ast::Proof, indent: usize, out: &mut Vec<String>) {
    use tlasmt::syntax::ast::{Proof, TerminalProof};
    let pad = "  ".repeat(indent);
    match proof {
        Proof::Terminal(TerminalProof::Obvious(_)) => out.push(format!("{pad}OBVIOUS")),
        Proof::Terminal(TerminalProof::Omitted(_)) => out.push(format!("{pad}OMITTED")),
        Proof::Terminal(TerminalProof::By(by)) => {
            let only = if by.only { "ONLY " } else { "" };
            out.push(format!(
                "{pad}BY {only}{}",
                facts_and_defs(&by.facts, &by.defs)
            ));
        }
        Proof::Steps(steps, _) => {
            for step in steps {
                out.push(format!(
                    "{pad}{} {}",
                    step.label.display(),
                    step_kind(&step.kind)
                ));
                if let Some(p) = &step.proof {
                    outline_into(p, indent + 1, out);
                }
            }
        }
    }
}

pub fn facts_and_defs(facts: &[Expr], defs: &[NamePath]) -> String {
    let facts: Vec<String> = facts.iter().map(sexp).collect();
    let defs: Vec<String> = defs.iter().map(path).collect();
    format!("[{}] DEF [{}]", facts.join(", "), defs.join(", "))
}

pub fn statement(s: &tlasmt::syntax::ast::Statement) -> String {
    use tlasmt::syntax::ast::{Assumption, NewLevel, Statement};
    match s {
        Statement::Expr(e) => sexp(e),
        Statement::AssumeProve(ap) => {
            let assumptions: Vec<String> = ap
                .assumptions
                .iter()
                .map(|a| match a {
                    Assumption::New(n) => {
                        let level = match n.level {
                            NewLevel::Constant => "CONSTANT",
                            NewLevel::Variable => "VARIABLE",
                            NewLevel::State => "STATE",
                            NewLevel::Action => "ACTION",
                            NewLevel::Temporal => "TEMPORAL",
                        };
                        let domain = n.domain.as_ref().map(|d| format!(" \\in {}", sexp(d)));
                        format!(
                            "NEW {level} {}/{}{}",
                            n.name.name,
                            n.arity,
                            domain.unwrap_or_default()
                        )
                    }
                    Assumption::Fact(e) => sexp(e),
                    Assumption::Nested(inner) => statement(&Statement::AssumeProve(inner.clone())),
                    Assumption::Definition(d) => format!("DEFINE {}", d.name.name),
                })
                .collect();
            format!(
                "(ASSUME {} PROVE {})",
                assumptions.join(", "),
                sexp(&ap.goal)
            )
        }
    }
}

fn step_kind(kind: &tlasmt::syntax::ast::StepKind) -> String {
    use tlasmt::syntax::ast::StepKind;
    match kind {
        StepKind::Assert(s) => statement(s),
        StepKind::Suffices(s) => format!("SUFFICES {}", statement(s)),
        StepKind::Case(e) => format!("CASE {}", sexp(e)),
        StepKind::Pick { bounds, body } => {
            let bs: Vec<String> = bounds.iter().map(bound).collect();
            format!("PICK [{}] {}", bs.join(", "), sexp(body))
        }
        StepKind::Witness(es) => format!("WITNESS {}", list(es)),
        StepKind::Have(e) => format!("HAVE {}", sexp(e)),
        StepKind::Take(bs) => {
            let bs: Vec<String> = bs.iter().map(bound).collect();
            format!("TAKE [{}]", bs.join(", "))
        }
        StepKind::Define(defs) => {
            let names: Vec<&str> = defs.iter().map(|d| d.name.name.as_str()).collect();
            format!("DEFINE {}", names.join(" "))
        }
        StepKind::UseHide(uh) => {
            let verb = if uh.hide { "HIDE" } else { "USE" };
            format!("{verb} {}", facts_and_defs(&uh.facts, &uh.defs))
        }
        StepKind::Qed => "QED".into(),
    }
}
