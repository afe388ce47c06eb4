//! Circular citations. A theorem's proof that cites the theorem itself, or a
//! theorem whose proof (transitively) cites it back, assumes what it proves:
//! `THEOREM Bad == FALSE  BY Bad` would otherwise be "proved".
//!
//! The resolver binds a theorem's name before its proof (the seed's
//! `NextDef!2!1` names a subexpression of NextDef inside its own proof, as
//! SANY allows), so a self-citation resolves; a later theorem's name is not
//! in scope yet, so within one module only self-citations get this far. The
//! check is nevertheless over the whole citation graph (BY and USE at every
//! depth, across EXTENDS; theorems of instanced modules have no resolved
//! proof, so no outgoing citation), so a cycle stays caught whatever the
//! resolver lets through.
//!
//! A theorem on a cycle keeps its statement (a later theorem may still cite
//! it, relying on it as on an omitted proof) but its proof is refused with
//! the located diagnostic stored in [`TheoremItem::circular`]; the other
//! theorems are still checked.
//!
//! [`TheoremItem::circular`]: super::program::TheoremItem::circular

use super::program::{Program, TheoremOrigin, ThmId};
use super::proof::{Fact, RProof, RStepKind};
use crate::source::{Diagnostic, Span};
use std::collections::{BTreeMap, HashMap, VecDeque};

/// For each theorem with a checked proof: the theorems it cites, each with
/// the span of its first citation, in order of appearance.
type Graph = BTreeMap<ThmId, Vec<(ThmId, Span)>>;

/// Record a [`TheoremItem::circular`](super::program::TheoremItem::circular)
/// diagnostic on every theorem that lies on a citation cycle.
pub fn check(prog: &mut Program) {
    let graph = graph(prog);
    for &start in graph.keys() {
        let Some(cycle) = shortest_cycle(&graph, start) else {
            continue;
        };
        let diag = Diagnostic::new(cycle[0].1, message(prog, start, &cycle));
        prog.theorems[start.0 as usize].circular = Some(diag);
    }
}

/// `circular citation: A cites B, which cites A (...)`.
fn message(prog: &Program, start: ThmId, cycle: &[(ThmId, Span)]) -> String {
    let name = |t: ThmId| prog.theorem(t).name.as_deref().unwrap_or("<unnamed>");
    let mut chain = format!("{} cites {}", name(start), name(cycle[0].0));
    for (t, _) in &cycle[1..] {
        chain.push_str(&format!(", which cites {}", name(*t)));
    }
    format!("circular citation: {chain} (a theorem cannot be used in its own proof)")
}

/// The citation graph of the user theorems' proofs.
fn graph(prog: &Program) -> Graph {
    let mut g = Graph::new();
    for (i, t) in prog.theorems.iter().enumerate() {
        if t.origin != TheoremOrigin::User {
            continue;
        }
        if let Some(p) = &t.proof {
            let mut out = Vec::new();
            cited(p, &mut out);
            g.insert(ThmId(i as u32), out);
        }
    }
    g
}

/// Theorems a proof cites in BY and USE, at every depth. `HIDE` removes a
/// fact rather than using it, and a formula among the facts (`BY Thm!1`) is
/// proved as a goal of its own, so neither is a citation.
fn cited(p: &RProof, out: &mut Vec<(ThmId, Span)>) {
    fn add(facts: &[Fact], out: &mut Vec<(ThmId, Span)>) {
        for f in facts {
            if let Fact::Theorem(t, sp) = f
                && !out.iter().any(|(u, _)| u == t)
            {
                out.push((*t, *sp));
            }
        }
    }
    match p {
        RProof::By(by) => add(&by.facts, out),
        RProof::Steps(steps, _) => {
            for s in steps {
                if let RStepKind::Use {
                    hide: false, facts, ..
                } = &s.kind
                {
                    add(facts, out);
                }
                if let Some(p) = &s.proof {
                    cited(p, out);
                }
            }
        }
        RProof::Obvious(_) | RProof::Omitted(_) => {}
    }
}

/// The shortest cycle through `start`, as the citations along it (each the
/// cited theorem and where the previous theorem cites it), ending at `start`.
fn shortest_cycle(g: &Graph, start: ThmId) -> Option<Vec<(ThmId, Span)>> {
    // Breadth-first from `start`; `via[t]` is the citation that reached `t`.
    let mut via: HashMap<ThmId, (ThmId, Span)> = HashMap::new();
    let mut queue = VecDeque::from([start]);
    while let Some(t) = queue.pop_front() {
        for &(u, sp) in g.get(&t).map(Vec::as_slice).unwrap_or_default() {
            if via.contains_key(&u) {
                continue;
            }
            via.insert(u, (t, sp));
            if u == start {
                // Walk back from `start` to the first citation.
                let mut cycle = vec![(u, sp)];
                let mut cur = t;
                while cur != start {
                    let (prev, sp) = via[&cur];
                    cycle.push((cur, sp));
                    cur = prev;
                }
                cycle.reverse();
                return Some(cycle);
            }
            queue.push_back(u);
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::source::FileId;

    fn sp(n: usize) -> Span {
        Span::new(FileId(0), n, n + 1)
    }

    fn graph(edges: &[(u32, u32)]) -> Graph {
        let mut g = Graph::new();
        for (i, &(a, b)) in edges.iter().enumerate() {
            g.entry(ThmId(a)).or_default().push((ThmId(b), sp(i)));
            g.entry(ThmId(b)).or_default();
        }
        g
    }

    fn ids(cycle: &[(ThmId, Span)]) -> Vec<u32> {
        cycle.iter().map(|(t, _)| t.0).collect()
    }

    #[test]
    fn self_citation_is_a_cycle_of_one() {
        let g = graph(&[(0, 0)]);
        assert_eq!(shortest_cycle(&g, ThmId(0)), Some(vec![(ThmId(0), sp(0))]));
    }

    #[test]
    fn two_and_three_theorem_cycles_start_at_the_first_citation() {
        let g = graph(&[(0, 1), (1, 0)]);
        let c = shortest_cycle(&g, ThmId(0)).unwrap();
        assert_eq!(ids(&c), [1, 0]);
        assert_eq!(c[0].1, sp(0), "located at 0's citation of 1");
        assert_eq!(ids(&shortest_cycle(&g, ThmId(1)).unwrap()), [0, 1]);
        let g = graph(&[(0, 1), (1, 2), (2, 0)]);
        let c = shortest_cycle(&g, ThmId(1)).unwrap();
        assert_eq!(ids(&c), [2, 0, 1]);
        assert_eq!(
            c.iter().map(|x| x.1).collect::<Vec<_>>(),
            [sp(1), sp(2), sp(0)]
        );
    }

    #[test]
    fn citing_into_a_cycle_is_not_being_on_it() {
        // 3 cites 0, which is on the cycle 0 <-> 1; 3 is not on a cycle.
        let g = graph(&[(0, 1), (1, 0), (3, 0), (4, 3)]);
        assert!(shortest_cycle(&g, ThmId(3)).is_none());
        assert!(shortest_cycle(&g, ThmId(4)).is_none());
        // A chain and a diamond without a cycle.
        let g = graph(&[(1, 0), (2, 0), (3, 1), (3, 2)]);
        assert!(g.keys().all(|t| shortest_cycle(&g, *t).is_none()));
    }

    #[test]
    fn the_shortest_of_several_cycles_is_named() {
        // 0 -> 1 -> 2 -> 0 and 0 -> 2 -> 0.
        let g = graph(&[(0, 1), (1, 2), (2, 0), (0, 2)]);
        assert_eq!(ids(&shortest_cycle(&g, ThmId(0)).unwrap()), [2, 0]);
    }
}
