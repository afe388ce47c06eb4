//! Facts TLAPS's SMT backend knows natively: the Sequences operators'
//! properties (`stdlib/SequencesFacts.tla`). An obligation that mentions a
//! Sequences operator (directly or through a definition it may expand)
//! gets the trusted facts about the operators it mentions, as cited
//! library facts: a proof need not cite the Sequences definitions to use
//! `Len(Append(s, e)) = Len(s) + 1`, as with TLAPS.

use crate::semantic::ir::*;
use crate::semantic::program::{Program, ThmId};
use std::collections::{BTreeSet, HashSet};

/// Expansion depth followed when looking for the operators (deeper
/// definitions are not looked into: fewer facts is always sound).
const MAX_DEPTH: usize = 24;

/// The sequence facts relevant to an obligation with these formulas.
pub fn sequence_facts(prog: &Program, formulas: &[&E], expand: &BTreeSet<DefId>) -> Vec<ThmId> {
    if prog.sequence_facts.is_empty() {
        return Vec::new();
    }
    let mut mentioned = Mentioned::default();
    let mut visited = HashSet::new();
    for f in formulas {
        collect_apps(prog, f, expand, &mut mentioned, &mut visited, 0);
    }
    prog.sequence_facts
        .iter()
        .copied()
        .filter(|&t| relevant(prog, t, &mentioned, expand))
        .collect()
}

/// The definitions an expression applies and the lengths of the tuples it
/// writes.
#[derive(Default)]
struct Mentioned {
    defs: HashSet<DefId>,
    tuples: HashSet<usize>,
}

/// A fact is relevant when the obligation mentions one of its operators
/// and every one besides `Seq` and `Len` (which every fact states things
/// about): the `Append` facts only where `Append` occurs; a fact about
/// tuples of some length only where one is written.
fn relevant(prog: &Program, t: ThmId, mentioned: &Mentioned, expand: &BTreeSet<DefId>) -> bool {
    let st = &prog.theorem(t).statement;
    let mut ops = Mentioned::default();
    let mut visited = HashSet::new();
    let none = BTreeSet::new();
    let mut formulas: Vec<&E> = vec![&st.goal];
    formulas.extend(st.news.iter().filter_map(|(_, d)| d.as_ref()));
    for h in &st.hyps {
        if let Hyp::Fact(f) = h {
            formulas.push(f);
        }
    }
    for f in formulas {
        collect_apps(prog, f, &none, &mut ops, &mut visited, 0);
    }
    let basic = |d: &DefId| {
        let name = &prog.def(*d).name;
        let base = name.rsplit('!').next().unwrap_or(name);
        base == "Seq" || base == "Len"
    };
    let (ops, tuples) = (&ops.defs, &ops.tuples);
    ops.iter().any(|d| mentioned.defs.contains(d))
        && ops.iter().filter(|d| !basic(d)).all(|d| mentioned.defs.contains(d))
        && tuples.iter().all(|n| mentioned.tuples.contains(n))
        // A proof that expands the definitions (BY DEF Seq, Len) reasons
        // from them; the fact, expanded too, would only slow Z3 down.
        && !ops.iter().any(|d| expand.contains(d))
}

/// Collect the definitions `e` applies and the tuples it writes (through
/// the expanded definitions).
fn collect_apps(
    prog: &Program,
    e: &E,
    expand: &BTreeSet<DefId>,
    out: &mut Mentioned,
    visited: &mut HashSet<DefId>,
    depth: usize,
) {
    if depth > MAX_DEPTH {
        return;
    }
    let mut stack: Vec<&E> = vec![e];
    while let Some(e) = stack.pop() {
        if let Kind::Tuple(xs) = &e.kind {
            out.tuples.insert(xs.len());
        }
        if let Kind::App(d, _) = &e.kind {
            out.defs.insert(*d);
            let def = prog.def(*d);
            let expanded = expand.contains(d) || def.origin == DefOrigin::Let;
            if expanded && !prog.recursive_ops.contains(d) && visited.insert(*d) {
                match &def.body {
                    DefBody::Expr(b) | DefBody::RecFn(_, b) => {
                        collect_apps(prog, b, expand, out, visited, depth + 1)
                    }
                    DefBody::Pending => {}
                }
            }
        }
        stack.extend(crate::semantic::level::children(e));
    }
}
