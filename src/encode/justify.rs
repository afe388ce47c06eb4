//! What the obligation itself says about its symbols: the facts that
//! justify a sort other than the universe, and the facts the encoder uses
//! to see that an operator is applied inside its domain.
//!
//! A symbol (constant, state variable before or after the step, NEW
//! constant) is a value nothing is known about but what the obligation's
//! hypotheses say. Its sort is the universe's, or a flexible sort its
//! candidate type names (see `synth::flex`), unless a *usable top-level
//! fact* of the obligation puts it in a sort: `x \in S`, `x \subseteq S`,
//! `x = e` (the sort of `S`'s elements, of `SUBSET S`, of `e`). Usable
//! top-level facts are the hypotheses, NEW domains and their conjuncts,
//! through definitions the obligation may expand, primes, and
//! existentials; a disjunction gives the sorts all its disjuncts agree on.
//! Annotations and the way a symbol is used add nothing.
//!
//! The same facts, kept as TLA+ expressions with primes pushed onto the
//! variables, tell the encoder where `f[x]` is inside `DOMAIN f` (a fact
//! `f \in [S -> T]` or `f = [y \in S |-> ..]` gives the domain, `x \in S`
//! or an enclosing `\A x \in S` the membership) and which sets are finite.

use super::Encoder;
use crate::obligations::Obligation;
use crate::semantic::ir::*;
use crate::syntax::ast::{BinOp, UnOp};
use crate::types::Type;
use std::collections::HashMap;
use std::rc::Rc;

/// Rounds of the sort fixpoint (a fact's set may be typed by another).
const ROUNDS: usize = 6;
/// How deep facts are looked for through definitions.
const FACT_DEPTH: usize = 12;

/// A symbol of the obligation.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub(crate) enum Sym {
    Const(ConstId),
    Var(VarId, bool),
    Context(u32),
}

/// Sorts the obligation's facts justify.
#[derive(Default, Clone)]
pub(crate) struct SymbolSorts {
    pub consts: HashMap<ConstId, Type>,
    pub vars: HashMap<(VarId, bool), Type>,
}

/// Facts in primed form (primes pushed onto the variables).
#[derive(Default, Clone)]
pub(crate) struct Facts {
    /// `x \in S`.
    pub member: Vec<(E, E)>,
    /// `A \subseteq B`.
    pub subset: Vec<(E, E)>,
    /// `x = e` (both orientations are stored).
    pub equal: Vec<(E, E)>,
    /// `IsFiniteSet(S)`.
    pub finite: Vec<E>,
}

impl Encoder<'_> {
    /// Collect the obligation's top-level facts and the sorts they justify.
    pub(crate) fn justify(&mut self, ob: &Obligation) {
        let mut facts = Facts::default();
        let mut disjunctions = Vec::new();
        for (v, dom) in &ob.news {
            if let Some(d) = dom {
                let x = Expr::bound(v, d.span);
                let d = self.primed_form(d, false);
                facts.member.push((x, d));
            }
        }
        for h in &ob.hyps {
            if let crate::obligations::Hypothesis::Formula(f) = h {
                self.collect_facts(f, false, FACT_DEPTH, &mut facts, &mut disjunctions);
            }
        }
        self.facts = facts;
        for _ in 0..ROUNDS {
            let mut changed = false;
            let facts = self.facts.clone();
            for (x, s) in &facts.member {
                let t = super::synth::elem(&self.ty(s));
                changed |= self.justify_symbol(x, t);
            }
            for (x, s) in &facts.subset {
                let t = Type::Set(Box::new(super::synth::elem(&self.ty(s))));
                changed |= self.justify_symbol(x, t);
            }
            for (x, e) in &facts.equal {
                let t = self.ty(e);
                changed |= self.justify_symbol(x, t);
            }
            for branches in &disjunctions {
                changed |= self.justify_disjunction(branches);
            }
            if !changed {
                break;
            }
        }
        if std::env::var("TLASMT_DEBUG_SORTS").is_ok() {
            let mut shown: Vec<String> = self
                .justified
                .iter()
                .map(|(k, t)| format!("{k:?}: {t}"))
                .collect();
            shown.sort();
            eprintln!("{:?} justified: {}", ob.path, shown.join(", "));
        }
    }

    /// The sorts every branch of a disjunction justifies the same way.
    fn justify_disjunction(&mut self, branches: &[Facts]) -> bool {
        let mut per_branch: Vec<HashMap<Sym, Type>> = Vec::new();
        for b in branches {
            let mut m = HashMap::new();
            for (x, s) in &b.member {
                if let Some(k) = sym_key(x) {
                    let t = super::synth::elem(&self.ty(s));
                    m.entry(k).or_insert(t);
                }
            }
            for (x, e) in &b.equal {
                if let Some(k) = sym_key(x) {
                    let t = self.ty(e);
                    m.entry(k).or_insert(t);
                }
            }
            per_branch.push(m);
        }
        let Some((first, rest)) = per_branch.split_first() else {
            return false;
        };
        let mut changed = false;
        for (k, t) in first {
            if rest.iter().all(|m| m.get(k) == Some(t)) {
                changed |= self.set_symbol(*k, t.clone());
            }
        }
        changed
    }

    fn justify_symbol(&mut self, x: &E, t: Type) -> bool {
        match sym_key(x) {
            Some(k) => self.set_symbol(k, t),
            None => false,
        }
    }

    /// Give symbol `k` sort `t`, unless a fact already gave it one or `t`
    /// says nothing (the universe).
    fn set_symbol(&mut self, k: Sym, t: Type) -> bool {
        if t == Type::Univ || self.justified.contains_key(&k) {
            return false;
        }
        self.justified.insert(k, t.clone());
        match k {
            Sym::Const(c) => {
                self.symbols.consts.insert(c, t);
            }
            Sym::Var(v, p) => {
                self.symbols.vars.insert((v, p), t);
            }
            Sym::Context(id) => {
                self.bvar_types.insert(id, t);
            }
        }
        true
    }

    /// The facts of formula `f` (under a prime if `primed`).
    fn collect_facts(
        &mut self,
        f: &E,
        primed: bool,
        depth: usize,
        out: &mut Facts,
        disjunctions: &mut Vec<Vec<Facts>>,
    ) {
        if depth == 0 {
            return;
        }
        match &f.kind {
            Kind::And(items) => {
                for i in items {
                    self.collect_facts(i, primed, depth, out, disjunctions);
                }
            }
            Kind::Binary(BinOp::And, a, b) => {
                self.collect_facts(a, primed, depth, out, disjunctions);
                self.collect_facts(b, primed, depth, out, disjunctions);
            }
            Kind::Or(items) => {
                let mut branches = Vec::new();
                for i in items {
                    let mut b = Facts::default();
                    // A disjunction inside a branch holds only in that
                    // branch: it is not a fact of the obligation, so its
                    // facts are dropped (sound: fewer facts).
                    let mut inner = Vec::new();
                    self.collect_facts(i, primed, depth - 1, &mut b, &mut inner);
                    branches.push(b);
                }
                disjunctions.push(branches);
            }
            Kind::Unary(UnOp::Prime, a) => {
                self.collect_facts(a, true, depth, out, disjunctions);
            }
            Kind::Let(_, body) => self.collect_facts(body, primed, depth, out, disjunctions),
            Kind::App(d, args) if self.is_expanded(*d) => {
                if let Some(body) = crate::semantic::subst::instantiate(self.prog, *d, args) {
                    self.collect_facts(&body, primed, depth - 1, out, disjunctions);
                }
            }
            Kind::Exists(bs, body) => {
                for (v, s) in bs {
                    let t = match s {
                        Some(s) => super::synth::elem(&self.ty(s)),
                        None => Type::Univ,
                    };
                    self.bvar_types.insert(v.id, t);
                    if let Some(s) = s {
                        let x = Expr::bound(v, s.span);
                        let s = self.primed_form(s, primed);
                        out.member.push((x, s));
                    }
                }
                self.collect_facts(body, primed, depth - 1, out, disjunctions);
            }
            Kind::Binary(BinOp::In, x, s) => {
                let (x, s) = (self.primed_form(x, primed), self.primed_form(s, primed));
                out.member.push((x, s));
            }
            Kind::Binary(BinOp::Subseteq, a, b) => {
                let (a, b) = (self.primed_form(a, primed), self.primed_form(b, primed));
                out.subset.push((a, b));
            }
            Kind::Binary(BinOp::Eq, a, b) => {
                let (a, b) = (self.primed_form(a, primed), self.primed_form(b, primed));
                out.equal.push((a.clone(), b.clone()));
                out.equal.push((b, a));
            }
            Kind::Unary(UnOp::Unchanged, v) => {
                for x in unchanged_parts(self, v) {
                    let post = self.primed_form(&x, true);
                    let pre = self.primed_form(&x, primed);
                    out.equal.push((post.clone(), pre.clone()));
                    out.equal.push((pre, post));
                }
            }
            Kind::Builtin(Builtin::IsFiniteSet, args) => {
                let s = self.primed_form(&args[0], primed);
                out.finite.push(s);
            }
            _ => {}
        }
    }

    /// `e` with primes pushed onto its state variables (`(f[x])'` is
    /// `f'[x]`), under a prime if `primed`: the form facts are kept in and
    /// compared with.
    pub(crate) fn primed_form(&mut self, e: &E, primed: bool) -> E {
        if !primed && !has_prime(e) {
            return e.clone();
        }
        crate::semantic::subst::push_primes(self.prog, e, primed)
    }

    /// Is `x` (a term of the current context) known to be in `s`?
    pub(crate) fn known_member(&mut self, x: &E, s: &E) -> bool {
        if self.literal_member(x, s, 4) {
            return true;
        }
        let primed = self.primed;
        let x = self.primed_form(x, primed);
        let s = self.primed_form(s, primed);
        let facts: Vec<(E, E)> = self
            .local_members
            .iter()
            .chain(self.facts.member.iter())
            .cloned()
            .collect();
        facts
            .iter()
            .any(|(y, t)| same(&x, y) && self.known_subset(t, &s, 4))
    }

    /// Is the literal `x` evidently in `s` (a built-in set, an
    /// enumeration that lists it, an interval of literals, a union)?
    fn literal_member(&mut self, x: &E, s: &E, depth: usize) -> bool {
        if depth == 0 || !matches!(x.kind, Kind::Int(_) | Kind::Str(_) | Kind::Bool(_)) {
            return false;
        }
        let s = self.unfold_expanded(s, 0);
        match (&x.kind, &s.kind) {
            (Kind::Int(n), Kind::NatSet) => *n >= 0,
            (Kind::Int(_), Kind::IntSet) | (Kind::Str(_), Kind::StringSet) => true,
            (Kind::Bool(_), Kind::BoolSet) => true,
            (Kind::Int(n), Kind::Binary(BinOp::Range, lo, hi)) => {
                matches!((&lo.kind, &hi.kind), (Kind::Int(l), Kind::Int(h)) if l <= n && n <= h)
            }
            (_, Kind::SetEnum(items)) => items.iter().any(|i| same_literal(x, i)),
            (_, Kind::Binary(BinOp::Cup, a, b)) => {
                self.literal_member(x, a, depth - 1) || self.literal_member(x, b, depth - 1)
            }
            _ => false,
        }
    }

    /// Is `a \subseteq b` evident: equal sets, a part of a union, a filter
    /// of a subset, a fact, or through definitions the obligation expands?
    fn known_subset(&mut self, a: &E, b: &E, depth: usize) -> bool {
        if same(a, b) {
            return true;
        }
        if depth == 0 {
            return false;
        }
        if let Kind::Binary(BinOp::Cup, b1, b2) = &b.kind
            && (self.known_subset(a, b1, depth - 1) || self.known_subset(a, b2, depth - 1))
        {
            return true;
        }
        match &a.kind {
            Kind::Binary(BinOp::Cap, a1, a2)
                if self.known_subset(a1, b, depth - 1) || self.known_subset(a2, b, depth - 1) =>
            {
                return true;
            }
            Kind::Binary(BinOp::SetMinus, a1, _) | Kind::SetFilter(_, a1, _)
                if self.known_subset(a1, b, depth - 1) =>
            {
                return true;
            }
            _ => {}
        }
        // `DOMAIN g` is the set the obligation shows `g`'s domain is.
        if let Kind::Unary(UnOp::Domain, g) = &a.kind
            && let Some(d) = self.domain_of(g, 4)
            && self.known_subset(&d, b, depth - 1)
        {
            return true;
        }
        let subsets = self.facts.subset.clone();
        if subsets
            .iter()
            .any(|(x, y)| same(x, a) && self.known_subset(y, b, depth - 1))
        {
            return true;
        }
        let (ua, ub) = (self.unfold_expanded(a, 0), self.unfold_expanded(b, 0));
        if !Rc::ptr_eq(&ua, a) || !Rc::ptr_eq(&ub, b) {
            return self.known_subset(&ua, &ub, depth - 1);
        }
        false
    }

    /// The domain of the function `f`, as a set expression, if the
    /// obligation shows it.
    pub(crate) fn domain_of(&mut self, f: &E, depth: usize) -> Option<E> {
        if depth == 0 {
            return None;
        }
        let f = self.unfold_expanded(f, 0);
        match &f.kind {
            Kind::FnLit(bs, _) if bs.len() == 1 => return Some(bs[0].1.clone()),
            Kind::Except(g, _) => return self.domain_of(g, depth - 1),
            Kind::Unary(UnOp::Prime, g) if matches!(g.kind, Kind::Var(_)) => {}
            Kind::Unary(UnOp::Prime, g) => {
                let saved = self.primed;
                self.primed = true;
                let d = self.domain_of(g, depth - 1);
                self.primed = saved;
                return d;
            }
            _ => {}
        }
        let key = self.primed_form(&f, self.primed);
        let facts = self.facts.clone();
        let members: Vec<(E, E)> = self
            .local_members
            .iter()
            .chain(facts.member.iter())
            .cloned()
            .collect();
        for (x, s) in &members {
            if same(x, &key)
                && let Kind::FnSet(dom, _) = &self.unfold_expanded(s, 0).kind
            {
                return Some(dom.clone());
            }
        }
        for (x, e) in &facts.equal {
            if same(x, &key) && !same(e, &key) {
                // `e` is in primed form: read it unprimed.
                let saved = self.primed;
                self.primed = false;
                let d = self.domain_of(e, depth - 1);
                self.primed = saved;
                if d.is_some() {
                    return d;
                }
            }
        }
        None
    }

    /// Is `f[args]` inside `DOMAIN f`, as the obligation shows?
    pub(crate) fn in_domain(&mut self, f: &E, args: &[E]) -> bool {
        let [x] = args else {
            return false;
        };
        let dom_f = Rc::new(Expr {
            kind: Kind::Unary(UnOp::Domain, f.clone()),
            span: f.span,
            ty: f.ty,
        });
        if self.known_member(x, &dom_f) {
            return true;
        }
        let Some(dom) = self.domain_of(f, 8) else {
            return false;
        };
        // The domain came out in primed form when it was found through a
        // fact; compare unprimed.
        let saved = self.primed;
        let x_form = self.primed_form(x, saved);
        self.primed = false;
        let r = self.known_member(&x_form, &dom);
        self.primed = saved;
        r
    }

    /// Is the set `s` finite, as the obligation shows?
    pub(crate) fn statically_finite(&mut self, s: &E) -> bool {
        let u = self.unfold_expanded(s, 0);
        if matches!(u.kind, Kind::SetEnum(_) | Kind::Binary(BinOp::Range, ..)) {
            return true;
        }
        let key = self.primed_form(s, self.primed);
        self.facts.finite.iter().any(|t| same(t, &key))
    }
}

/// The symbol a fact is about, if it is one.
fn sym_key(x: &E) -> Option<Sym> {
    match &x.kind {
        Kind::Const(c) => Some(Sym::Const(*c)),
        Kind::Var(v) => Some(Sym::Var(*v, false)),
        Kind::Unary(UnOp::Prime, a) => match &a.kind {
            Kind::Var(v) => Some(Sym::Var(*v, true)),
            _ => None,
        },
        Kind::Bound(v) => Some(Sym::Context(v.id)),
        _ => None,
    }
}

/// The components `UNCHANGED v` equates: a tuple's items, through expanded
/// 0-ary definitions (`vars`).
fn unchanged_parts(enc: &mut Encoder<'_>, v: &E) -> Vec<E> {
    match &v.kind {
        Kind::Tuple(es) => es.iter().flat_map(|x| unchanged_parts(enc, x)).collect(),
        Kind::App(d, args) if args.is_empty() && enc.is_expanded(*d) => {
            match crate::semantic::subst::instantiate(enc.prog, *d, args) {
                Some(b) => unchanged_parts(enc, &b),
                None => vec![v.clone()],
            }
        }
        _ => vec![v.clone()],
    }
}

fn same(a: &E, b: &E) -> bool {
    crate::obligations::same(a, b)
}

fn has_prime(e: &E) -> bool {
    matches!(e.kind, Kind::Unary(UnOp::Prime, _))
        || crate::semantic::level::children(e)
            .into_iter()
            .any(has_prime)
}

/// Are `a` and `b` the same literal?
fn same_literal(a: &E, b: &E) -> bool {
    match (&a.kind, &b.kind) {
        (Kind::Int(m), Kind::Int(n)) => m == n,
        (Kind::Str(m), Kind::Str(n)) => m == n,
        (Kind::Bool(m), Kind::Bool(n)) => m == n,
        _ => false,
    }
}
