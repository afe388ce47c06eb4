//! A decision procedure for propositional linear temporal logic (PTL) over
//! infinite sequences: `[]`, `<>`, next and the Boolean connectives over
//! atoms. This is what TLAPS's `PTL` backend decides (there with LS4); the
//! TLA+ side (which subformulas are atoms, primes as next, which facts hold
//! in every state) is `obligations::temporal`.
//!
//! Validity of `f` is decided as unsatisfiability of `~f`: the negation is
//! put in negation normal form with until/release, turned into a
//! generalized Büchi automaton by the tableau construction of Gerth, Peled,
//! Vardi and Wolper (1995), and the automaton is empty iff no reachable
//! strongly connected component with a cycle meets every acceptance set.
//! A non-empty automaton gives a lasso-shaped countermodel.

use std::collections::{BTreeSet, HashMap};

/// A PTL formula over numbered atoms.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Ltl {
    True,
    False,
    Atom(usize),
    Not(Box<Ltl>),
    And(Vec<Ltl>),
    Or(Vec<Ltl>),
    Implies(Box<Ltl>, Box<Ltl>),
    Equiv(Box<Ltl>, Box<Ltl>),
    /// True in the next position.
    Next(Box<Ltl>),
    Always(Box<Ltl>),
    Eventually(Box<Ltl>),
}

impl Ltl {
    pub fn negate(a: Ltl) -> Ltl {
        Ltl::Not(Box::new(a))
    }
    pub fn implies(a: Ltl, b: Ltl) -> Ltl {
        Ltl::Implies(Box::new(a), Box::new(b))
    }
    pub fn always(a: Ltl) -> Ltl {
        Ltl::Always(Box::new(a))
    }
    pub fn eventually(a: Ltl) -> Ltl {
        Ltl::Eventually(Box::new(a))
    }
    pub fn next(a: Ltl) -> Ltl {
        Ltl::Next(Box::new(a))
    }
}

/// A position of a countermodel: the atoms known true and known false
/// there (the others may take either value).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Position {
    pub truths: Vec<(usize, bool)>,
}

/// The answer for a formula.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Verdict {
    Valid,
    /// A sequence falsifying the formula: `prefix` then `cycle` repeated
    /// forever.
    Invalid {
        prefix: Vec<Position>,
        cycle: Vec<Position>,
    },
    /// The tableau outgrew the budget (number of tableau nodes).
    TooLarge,
}

/// Expansion steps allowed per tableau node of the budget.
const STEPS_PER_NODE: usize = 64;

/// From 2 million expansion steps on (checked at powers of two), a tableau
/// must have found a state per this many steps, or it is given up as too
/// large. Measured on the published examples: the valid liveness steps
/// find one per 1,000-1,250 steps (ReachableProofs Thm3 7,461 states in
/// 9.3 million steps, SimpleEventually 2,111 in 2.1 million); Dekker's
/// undecided StarvationFreedom steps one per 2,400-3,100 and ran to the
/// 12.8 million-step cap, 4-8 s each, 339 s for the module.
const MIN_STATE_RATE: usize = 2_000;

/// Decide whether `f` holds at the first position of every sequence.
pub fn decide(f: &Ltl, budget: usize) -> Verdict {
    let mut arena = Arena::default();
    let root = arena.nnf(f, false);
    arena.close_literals();
    let Some(graph) = Tableau::build(&arena, root, budget) else {
        return Verdict::TooLarge;
    };
    match graph.accepting_lasso(&arena) {
        None => Verdict::Valid,
        Some((prefix, cycle)) => {
            let label = |n: usize| graph.label(&arena, n);
            Verdict::Invalid {
                prefix: prefix.into_iter().map(label).collect(),
                cycle: cycle.into_iter().map(label).collect(),
            }
        }
    }
}

/// Formulas in negation normal form, hash-consed.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
struct Fid(u32);

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
enum Node {
    True,
    False,
    Lit(usize, bool),
    And(Fid, Fid),
    Or(Fid, Fid),
    Next(Fid),
    /// `a U b`: `b` eventually, `a` until then.
    Until(Fid, Fid),
    /// `a R b`: `b` until and including the first `a` (forever if none).
    Release(Fid, Fid),
}

#[derive(Default)]
struct Arena {
    nodes: Vec<Node>,
    index: HashMap<Node, Fid>,
}

impl Arena {
    fn get(&self, f: Fid) -> Node {
        self.nodes[f.0 as usize]
    }

    fn mk(&mut self, n: Node) -> Fid {
        let n = match n {
            Node::And(a, b) => match (self.get(a), self.get(b)) {
                (Node::False, _) | (_, Node::False) => Node::False,
                (Node::True, _) => return b,
                (_, Node::True) => return a,
                _ if a == b => return a,
                _ => n,
            },
            Node::Or(a, b) => match (self.get(a), self.get(b)) {
                (Node::True, _) | (_, Node::True) => Node::True,
                (Node::False, _) => return b,
                (_, Node::False) => return a,
                _ if a == b => return a,
                _ => n,
            },
            _ => n,
        };
        if let Some(&f) = self.index.get(&n) {
            return f;
        }
        let f = Fid(self.nodes.len() as u32);
        self.nodes.push(n);
        self.index.insert(n, f);
        f
    }

    fn fold(&mut self, parts: &[Ltl], positive: bool, conj: bool) -> Fid {
        let unit = self.mk(if conj { Node::True } else { Node::False });
        let mut acc = unit;
        for p in parts {
            let g = self.nnf(p, positive);
            acc = self.mk(if conj {
                Node::And(acc, g)
            } else {
                Node::Or(acc, g)
            });
        }
        acc
    }

    /// `f` (if `positive`) or `~f` in negation normal form. The recursion
    /// depth is the formula's depth, bounded by the abstraction that built it.
    fn nnf(&mut self, f: &Ltl, positive: bool) -> Fid {
        match (f, positive) {
            (Ltl::True, true) | (Ltl::False, false) => self.mk(Node::True),
            (Ltl::True, false) | (Ltl::False, true) => self.mk(Node::False),
            (Ltl::Atom(a), p) => self.mk(Node::Lit(*a, p)),
            (Ltl::Not(a), p) => self.nnf(a, !p),
            (Ltl::And(xs), true) | (Ltl::Or(xs), false) => self.fold(xs, positive, true),
            (Ltl::Or(xs), true) | (Ltl::And(xs), false) => self.fold(xs, positive, false),
            (Ltl::Implies(a, b), true) => {
                let (na, b) = (self.nnf(a, false), self.nnf(b, true));
                self.mk(Node::Or(na, b))
            }
            (Ltl::Implies(a, b), false) => {
                let (a, nb) = (self.nnf(a, true), self.nnf(b, false));
                self.mk(Node::And(a, nb))
            }
            (Ltl::Equiv(a, b), p) => {
                // (a /\ b) \/ (~a /\ ~b), negated: (a /\ ~b) \/ (~a /\ b).
                let (pa, na) = (self.nnf(a, true), self.nnf(a, false));
                let (pb, nb) = (self.nnf(b, p), self.nnf(b, !p));
                let both = self.mk(Node::And(pa, pb));
                let neither = self.mk(Node::And(na, nb));
                self.mk(Node::Or(both, neither))
            }
            (Ltl::Next(a), p) => {
                // On infinite sequences ~X a = X ~a.
                let g = self.nnf(a, p);
                self.mk(Node::Next(g))
            }
            (Ltl::Always(a), true) | (Ltl::Eventually(a), false) => {
                let g = self.nnf(a, positive && matches!(f, Ltl::Always(_)));
                let never = self.mk(Node::False);
                self.mk(Node::Release(never, g))
            }
            (Ltl::Eventually(a), true) | (Ltl::Always(a), false) => {
                let g = self.nnf(a, positive && matches!(f, Ltl::Eventually(_)));
                let t = self.mk(Node::True);
                self.mk(Node::Until(t, g))
            }
        }
    }

    /// The disjuncts of a (nested) disjunction.
    fn disjuncts(&self, f: Fid) -> Vec<Fid> {
        let mut out = Vec::new();
        let mut stack = vec![f];
        while let Some(g) = stack.pop() {
            match self.get(g) {
                Node::Or(a, b) => {
                    stack.push(b);
                    stack.push(a);
                }
                _ => out.push(g),
            }
        }
        out
    }

    /// Every literal's negation is a node too (the tableau adds it to the
    /// later branches of a disjunction).
    fn close_literals(&mut self) {
        let lits: Vec<(usize, bool)> = self
            .nodes
            .iter()
            .filter_map(|n| match n {
                Node::Lit(a, p) => Some((*a, *p)),
                _ => None,
            })
            .collect();
        for (a, p) in lits {
            self.mk(Node::Lit(a, !p));
        }
    }

    fn negates(&self, a: Fid, b: Fid) -> bool {
        matches!((self.get(a), self.get(b)), (Node::Lit(x, p), Node::Lit(y, q)) if x == y && p != q)
    }
}

/// A node of the automaton: the formulas that hold at its position and
/// those that must hold at the next.
struct State {
    incoming: BTreeSet<usize>,
    old: BTreeSet<Fid>,
}

/// The automaton; node `INIT` is the initial pseudo-node.
struct Tableau {
    states: Vec<State>,
    untils: Vec<(Fid, Fid)>,
}

const INIT: usize = usize::MAX;

struct Pending {
    incoming: BTreeSet<usize>,
    new: Vec<Fid>,
    old: BTreeSet<Fid>,
    next: BTreeSet<Fid>,
}

impl Tableau {
    /// The tableau of `root`; `None` beyond `budget` nodes.
    fn build(arena: &Arena, root: Fid, budget: usize) -> Option<Tableau> {
        let mut states: Vec<State> = Vec::new();
        let mut index: HashMap<(Vec<Fid>, Vec<Fid>), usize> = HashMap::new();
        let mut work = vec![Pending {
            incoming: BTreeSet::from([INIT]),
            new: vec![root],
            old: BTreeSet::new(),
            next: BTreeSet::new(),
        }];
        // Formulas a state must remember: literals, untils, and the right
        // sides of untils.
        let mut relevant = vec![false; arena.nodes.len()];
        for (i, n) in arena.nodes.iter().enumerate() {
            match n {
                Node::Lit(..) => relevant[i] = true,
                Node::Until(_, b) => {
                    relevant[i] = true;
                    relevant[b.0 as usize] = true;
                }
                _ => {}
            }
        }
        let mut steps = 0usize;
        while let Some(mut p) = work.pop() {
            steps += 1;
            if steps.is_power_of_two() && steps >= 1 << 21 && states.len() * MIN_STATE_RATE < steps
            {
                // Expansion that finds few new states is branching without
                // end (see MIN_STATE_RATE): give up early.
                tracing::debug!(
                    "tableau: {} states at {} steps, stalled",
                    states.len(),
                    steps
                );
                return None;
            }
            if steps > budget.saturating_mul(STEPS_PER_NODE) || states.len() > budget {
                tracing::debug!(
                    "tableau: {} states, {} steps, {} pending, next {:?}",
                    states.len(),
                    steps,
                    work.len(),
                    p.next.len()
                );
                return None;
            }
            // Expand what does not split first: the literals it adds let
            // the splits below drop branches that contradict them.
            let next_new = match p.new.iter().rposition(|&g| {
                !matches!(
                    arena.get(g),
                    Node::Or(..) | Node::Until(..) | Node::Release(..)
                )
            }) {
                Some(i) => Some(p.new.swap_remove(i)),
                None => p.new.pop(),
            };
            let Some(f) = next_new else {
                // Two nodes that agree on their literals, their untils and
                // the untils' right sides (all the acceptance condition
                // reads) and on what must hold next are the same state:
                // the other formulas of `old` were only steps of the
                // expansion. Keying by them alone keeps the automaton small.
                let key: (Vec<Fid>, Vec<Fid>) = (
                    p.old
                        .iter()
                        .copied()
                        .filter(|&f| relevant[f.0 as usize])
                        .collect(),
                    p.next.iter().copied().collect(),
                );
                p.old.retain(|&f| relevant[f.0 as usize]);
                if let Some(&s) = index.get(&key) {
                    states[s].incoming.extend(p.incoming);
                } else {
                    let s = states.len();
                    index.insert(key, s);
                    work.push(Pending {
                        incoming: BTreeSet::from([s]),
                        new: p.next.iter().copied().collect(),
                        old: BTreeSet::new(),
                        next: BTreeSet::new(),
                    });
                    states.push(State {
                        incoming: p.incoming,
                        old: p.old,
                    });
                }
                continue;
            };
            if p.old.contains(&f) {
                work.push(p);
                continue;
            }
            match arena.get(f) {
                Node::False => {}
                Node::True => {
                    p.old.insert(f);
                    work.push(p);
                }
                Node::Lit(..) => {
                    if !p.old.iter().any(|&g| arena.negates(f, g)) {
                        p.old.insert(f);
                        work.push(p);
                    }
                }
                Node::And(a, b) => {
                    p.old.insert(f);
                    p.new.extend([a, b]);
                    work.push(p);
                }
                Node::Next(a) => {
                    p.old.insert(f);
                    p.next.insert(a);
                    work.push(p);
                }
                Node::Or(..) => {
                    // All the disjuncts at once; branch i also assumes the
                    // literals among the earlier ones false, so that no two
                    // branches describe the same states (measured: a
                    // liveness step's tableau went from 12.8 million
                    // expansion steps, over budget, to a few thousand).
                    p.old.insert(f);
                    let ds = arena.disjuncts(f);
                    if ds.iter().any(|d| p.old.contains(d)) {
                        work.push(p);
                        continue;
                    }
                    let refuted =
                        |x: Fid, old: &BTreeSet<Fid>| old.iter().any(|&g| arena.negates(x, g));
                    let mut earlier: Vec<Fid> = Vec::new();
                    for &d in &ds {
                        if !refuted(d, &p.old) {
                            let mut q = clone_pending(&p);
                            q.new.push(d);
                            q.new.extend(earlier.iter().copied());
                            work.push(q);
                        }
                        if let Node::Lit(x, pos) = arena.get(d)
                            && let Some(&n) = arena.index.get(&Node::Lit(x, !pos))
                        {
                            earlier.push(n);
                        }
                    }
                }
                Node::Until(a, b) => {
                    // a U b  =  b \/ (a /\ X(a U b))
                    p.old.insert(f);
                    let mut q = clone_pending(&p);
                    p.new.push(a);
                    p.next.insert(f);
                    q.new.push(b);
                    work.push(p);
                    work.push(q);
                }
                Node::Release(a, b) => {
                    // a R b  =  (a /\ b) \/ (b /\ X(a R b))
                    p.old.insert(f);
                    let mut q = clone_pending(&p);
                    p.new.push(b);
                    p.next.insert(f);
                    q.new.extend([a, b]);
                    work.push(q);
                    work.push(p);
                }
            }
        }
        tracing::debug!("tableau built: {} states, {} steps", states.len(), steps);
        let untils = arena
            .nodes
            .iter()
            .filter_map(|n| match n {
                Node::Until(a, b) => Some((*a, *b)),
                _ => None,
            })
            .collect();
        Some(Tableau { states, untils })
    }

    fn successors(&self) -> (Vec<usize>, Vec<Vec<usize>>) {
        let mut succ = vec![Vec::new(); self.states.len()];
        let mut initial = Vec::new();
        for (s, st) in self.states.iter().enumerate() {
            for &i in &st.incoming {
                if i == INIT {
                    initial.push(s);
                } else {
                    succ[i].push(s);
                }
            }
        }
        (initial, succ)
    }

    /// Does state `s` satisfy the acceptance condition of `a U b`?
    fn fulfils(&self, arena: &Arena, s: usize, (a, b): (Fid, Fid)) -> bool {
        let old = &self.states[s].old;
        let until = arena.index.get(&Node::Until(a, b));
        until.is_none_or(|u| !old.contains(u)) || old.contains(&b)
    }

    /// A path from an initial state to an accepting cycle, and the cycle.
    fn accepting_lasso(&self, arena: &Arena) -> Option<(Vec<usize>, Vec<usize>)> {
        let (initial, succ) = self.successors();
        for comp in strongly_connected(&succ) {
            let inside: BTreeSet<usize> = comp.iter().copied().collect();
            let cyclic = comp.len() > 1 || succ[comp[0]].contains(&comp[0]);
            if !cyclic {
                continue;
            }
            let witnesses: Option<Vec<usize>> = self
                .untils
                .iter()
                .map(|&u| comp.iter().copied().find(|&s| self.fulfils(arena, s, u)))
                .collect();
            let Some(witnesses) = witnesses else { continue };
            let all: BTreeSet<usize> = (0..self.states.len()).collect();
            let Some(prefix) = path(&succ, &initial, comp[0], &all) else {
                continue;
            };
            // Around the component through every witness, then back to
            // the entry along at least one edge.
            let entry = comp[0];
            let mut cycle = vec![entry];
            let mut at = entry;
            for &w in &witnesses {
                if w != at {
                    let leg = path(&succ, &[at], w, &inside)?;
                    cycle.extend(leg.into_iter().skip(1));
                    at = w;
                }
            }
            let leg = path(&succ, &succ[at], entry, &inside)?;
            cycle.extend(leg);
            cycle.pop();
            let mut prefix = prefix;
            prefix.pop();
            let lasso_cycle = cycle;
            return Some((prefix, lasso_cycle));
        }
        None
    }

    fn label(&self, arena: &Arena, s: usize) -> Position {
        let truths = self.states[s]
            .old
            .iter()
            .filter_map(|&f| match arena.get(f) {
                Node::Lit(a, p) => Some((a, p)),
                _ => None,
            })
            .collect();
        Position { truths }
    }
}

fn clone_pending(p: &Pending) -> Pending {
    Pending {
        incoming: p.incoming.clone(),
        new: p.new.clone(),
        old: p.old.clone(),
        next: p.next.clone(),
    }
}

/// Breadth-first path from one of `from` to `to` inside `within`
/// (both ends included).
fn path(
    succ: &[Vec<usize>],
    from: &[usize],
    to: usize,
    within: &BTreeSet<usize>,
) -> Option<Vec<usize>> {
    let mut parent: HashMap<usize, usize> = HashMap::new();
    let mut queue: std::collections::VecDeque<usize> = std::collections::VecDeque::new();
    for &f in from {
        if within.contains(&f) && !parent.contains_key(&f) {
            parent.insert(f, f);
            queue.push_back(f);
        }
    }
    while let Some(s) = queue.pop_front() {
        if s == to {
            let mut out = vec![s];
            let mut at = s;
            while parent[&at] != at {
                at = parent[&at];
                out.push(at);
            }
            out.reverse();
            return Some(out);
        }
        for &t in &succ[s] {
            if within.contains(&t) && !parent.contains_key(&t) {
                parent.insert(t, s);
                queue.push_back(t);
            }
        }
    }
    None
}

/// Strongly connected components (Tarjan, with an explicit stack so that
/// a long chain of states cannot overflow the call stack).
fn strongly_connected(succ: &[Vec<usize>]) -> Vec<Vec<usize>> {
    let n = succ.len();
    let mut index = vec![usize::MAX; n];
    let mut low = vec![0; n];
    let mut on_stack = vec![false; n];
    let mut stack = Vec::new();
    let mut comps = Vec::new();
    let mut counter = 0;
    for root in 0..n {
        if index[root] != usize::MAX {
            continue;
        }
        let mut calls: Vec<(usize, usize)> = vec![(root, 0)];
        index[root] = counter;
        low[root] = counter;
        counter += 1;
        stack.push(root);
        on_stack[root] = true;
        while let Some(&mut (v, ref mut next_edge)) = calls.last_mut() {
            if let Some(&w) = succ[v].get(*next_edge) {
                *next_edge += 1;
                if index[w] == usize::MAX {
                    index[w] = counter;
                    low[w] = counter;
                    counter += 1;
                    stack.push(w);
                    on_stack[w] = true;
                    calls.push((w, 0));
                } else if on_stack[w] {
                    low[v] = low[v].min(index[w]);
                }
                continue;
            }
            calls.pop();
            if let Some(&(parent, _)) = calls.last() {
                low[parent] = low[parent].min(low[v]);
            }
            if low[v] == index[v] {
                let mut comp = Vec::new();
                while let Some(w) = stack.pop() {
                    on_stack[w] = false;
                    comp.push(w);
                    if w == v {
                        break;
                    }
                }
                comps.push(comp);
            }
        }
    }
    comps
}

#[cfg(test)]
mod tests {
    use super::*;

    fn a(i: usize) -> Ltl {
        Ltl::Atom(i)
    }
    fn and(xs: Vec<Ltl>) -> Ltl {
        Ltl::And(xs)
    }
    fn valid(f: &Ltl) -> bool {
        match decide(f, 100_000) {
            Verdict::Valid => true,
            Verdict::Invalid { .. } => false,
            Verdict::TooLarge => panic!("too large"),
        }
    }

    #[test]
    fn invariance_rule_is_valid() {
        // Init /\ [](Init => I) /\ [](I /\ N => X I) /\ []N => []I
        let (init, inv, next) = (a(0), a(1), a(2));
        let f = Ltl::implies(
            and(vec![
                init.clone(),
                Ltl::always(Ltl::implies(init, inv.clone())),
                Ltl::always(Ltl::implies(
                    and(vec![inv.clone(), next.clone()]),
                    Ltl::next(inv.clone()),
                )),
                Ltl::always(next),
            ]),
            Ltl::always(inv),
        );
        assert!(valid(&f));
    }

    #[test]
    fn step_fact_only_at_first_position_is_not_enough() {
        // Init /\ (I /\ N => X I) /\ []N  does not give []I.
        let (inv, next) = (a(1), a(2));
        let f = Ltl::implies(
            and(vec![
                inv.clone(),
                Ltl::implies(and(vec![inv.clone(), next.clone()]), Ltl::next(inv.clone())),
                Ltl::always(next),
            ]),
            Ltl::always(inv),
        );
        match decide(&f, 100_000) {
            Verdict::Invalid { prefix, cycle } => {
                assert!(!cycle.is_empty());
                // Some position of the countermodel makes I false.
                let all: Vec<&Position> = prefix.iter().chain(&cycle).collect();
                assert!(all.iter().any(|p| p.truths.contains(&(1, false))));
            }
            other => panic!("expected a countermodel, got {other:?}"),
        }
    }

    #[test]
    fn classic_equivalences() {
        let (p, q) = (a(0), a(1));
        // []<>P does not imply <>[]P; the converse holds.
        let ev_always = Ltl::eventually(Ltl::always(p.clone()));
        let inf_often = Ltl::always(Ltl::eventually(p.clone()));
        assert!(valid(&Ltl::implies(ev_always.clone(), inf_often.clone())));
        assert!(!valid(&Ltl::implies(inf_often, ev_always)));
        // ~[]P <=> <>~P
        assert!(valid(&Ltl::Equiv(
            Box::new(Ltl::negate(Ltl::always(p.clone()))),
            Box::new(Ltl::eventually(Ltl::negate(p.clone())))
        )));
        // leads-to is transitive, not symmetric.
        let r = a(2);
        let leads =
            |x: &Ltl, y: &Ltl| Ltl::always(Ltl::implies(x.clone(), Ltl::eventually(y.clone())));
        let trans = Ltl::implies(and(vec![leads(&p, &q), leads(&q, &r)]), leads(&p, &r));
        assert!(valid(&trans));
        assert!(!valid(&Ltl::implies(leads(&p, &q), leads(&q, &p))));
        // <>P does not give []P; X distributes over /\.
        assert!(!valid(&Ltl::implies(
            Ltl::eventually(p.clone()),
            Ltl::always(p.clone())
        )));
        assert!(valid(&Ltl::Equiv(
            Box::new(Ltl::next(and(vec![p.clone(), q.clone()]))),
            Box::new(and(vec![Ltl::next(p), Ltl::next(q)]))
        )));
    }

    #[test]
    fn budget_is_reported() {
        let mut parts = Vec::new();
        for i in 0..40 {
            parts.push(Ltl::always(Ltl::eventually(Ltl::Or(vec![
                a(2 * i),
                a(2 * i + 1),
            ]))));
        }
        let f = Ltl::implies(and(parts), Ltl::False);
        assert_eq!(decide(&f, 50), Verdict::TooLarge);
    }

    #[test]
    fn long_chains_do_not_overflow() {
        // X X X ... X p with 5,000 nexts: a chain of 5,000 states.
        let mut f = a(0);
        for _ in 0..5_000 {
            f = Ltl::next(f);
        }
        assert!(!valid(&f));
    }
}
