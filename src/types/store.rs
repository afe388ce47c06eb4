//! Type terms and their unification store.
//!
//! Records are *families*: one record type stands for every record shape
//! that flows into the same place (the `1a`, `1b`, `2av` ... messages of
//! `bmsgs` form one family). A family maps each field name to one type;
//! unifying two families merges their field maps. The encoder turns a family
//! into one datatype with a constructor per shape seen.

use crate::semantic::ir::TyVar;
use std::collections::{BTreeMap, BTreeSet};
use std::fmt;
use std::rc::Rc;
use std::sync::Arc;

/// A resolved type.
#[derive(
    Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, serde::Serialize, serde::Deserialize,
)]
pub enum Type {
    Bool,
    Int,
    Str,
    /// An uninterpreted sort named in an annotation (`ACC`, `VALUE`).
    /// (`Arc`: scripts with types are sent to a solver thread.)
    Atom(Arc<str>),
    Set(Box<Type>),
    Fun(Box<Type>, Box<Type>),
    Tuple(Vec<Type>),
    /// A record family, identified by its representative variable.
    Rec(TyVar),
    /// The universe of all values: the element type of a set that mixes
    /// sorts (`(Ballot \cup {-1}) \cap Acceptor`). Every base sort embeds
    /// into it injectively; nothing says two sorts' images are disjoint.
    Univ,
    /// Not determined by the program (a generic library theorem).
    Var(TyVar),
}

impl Type {
    /// Sorts whose values embed into `Univ`: sets of different base sorts
    /// may be combined (as sets of `Univ`).
    pub fn is_base(&self) -> bool {
        matches!(self, Type::Int | Type::Str | Type::Atom(_) | Type::Univ)
    }
}

impl fmt::Display for Type {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Type::Bool => write!(f, "Bool"),
            Type::Int => write!(f, "Int"),
            Type::Str => write!(f, "Str"),
            Type::Atom(a) => write!(f, "{a}"),
            Type::Set(t) => write!(f, "Set({t})"),
            Type::Fun(a, b) => write!(f, "({a} -> {b})"),
            Type::Tuple(ts) => {
                let parts: Vec<String> = ts.iter().map(|t| t.to_string()).collect();
                write!(f, "<<{}>>", parts.join(", "))
            }
            Type::Rec(v) => write!(f, "Rec#{}", v.0),
            Type::Univ => write!(f, "Univ"),
            Type::Var(v) => write!(f, "t{}", v.0),
        }
    }
}

#[derive(Clone, Debug)]
enum Term {
    Bool,
    Int,
    Str,
    Atom(Arc<str>),
    Set(TyVar),
    Fun(TyVar, TyVar),
    Tuple(Vec<TyVar>),
    Rec(BTreeMap<Rc<str>, TyVar>),
    Univ,
}

#[derive(Clone, Debug)]
enum Node {
    Link(TyVar),
    Unbound,
    Bound(Term),
}

/// A unification failure, described with the two resolved types.
#[derive(Debug, Clone)]
pub struct Mismatch {
    pub left: String,
    pub right: String,
}

#[derive(Debug, Default)]
pub struct TypeStore {
    nodes: Vec<Node>,
    /// Union-by-rank: an upper bound on the height of each root's tree, so
    /// that `find` stays logarithmic (unifying 40,000 set elements one by one
    /// into a chain made every `find` walk it). Not undone on failure: it
    /// only guides which root becomes the parent.
    rank: Vec<u8>,
    /// Undo log of node mutations during one `unify` call.
    trail: Vec<(usize, Node)>,
    in_unify: bool,
    /// Field sets of record literals and record sets, per family variable.
    shapes: Vec<(TyVar, BTreeSet<Rc<str>>)>,
}

impl TypeStore {
    pub fn fresh(&mut self) -> TyVar {
        self.nodes.push(Node::Unbound);
        self.rank.push(0);
        TyVar(self.nodes.len() as u32 - 1)
    }

    fn bind(&mut self, term: Term) -> TyVar {
        self.nodes.push(Node::Bound(term));
        self.rank.push(0);
        TyVar(self.nodes.len() as u32 - 1)
    }

    /// A variable standing for a resolved type.
    pub fn of(&mut self, ty: Type) -> TyVar {
        match ty {
            Type::Bool => self.bind(Term::Bool),
            Type::Int => self.bind(Term::Int),
            Type::Str => self.bind(Term::Str),
            Type::Atom(a) => self.bind(Term::Atom(a)),
            Type::Univ => self.bind(Term::Univ),
            Type::Set(t) => {
                let t = self.of(*t);
                self.bind(Term::Set(t))
            }
            Type::Fun(a, b) => {
                let a = self.of(*a);
                let b = self.of(*b);
                self.bind(Term::Fun(a, b))
            }
            Type::Tuple(ts) => {
                let ts = ts.into_iter().map(|t| self.of(t)).collect();
                self.bind(Term::Tuple(ts))
            }
            Type::Rec(v) | Type::Var(v) => v,
        }
    }

    /// Copies of the types `vs` with every type variable in them replaced
    /// by a fresh one (the same variable by the same fresh one): a generic
    /// definition's type instantiated for one use. Record families are
    /// shared, not copied.
    pub fn instantiate(&mut self, vs: &[TyVar]) -> Vec<TyVar> {
        let mut fresh: BTreeMap<TyVar, TyVar> = BTreeMap::new();
        vs.iter().map(|&v| self.copy(v, &mut fresh, 0)).collect()
    }

    fn copy(&mut self, v: TyVar, fresh: &mut BTreeMap<TyVar, TyVar>, depth: usize) -> TyVar {
        let r = self.find(v);
        // Types are finite trees; the bound only guards the call stack.
        if depth > 64 {
            return r;
        }
        let term = match &self.nodes[r.0 as usize] {
            Node::Unbound => {
                if let Some(&f) = fresh.get(&r) {
                    return f;
                }
                let f = self.fresh();
                fresh.insert(r, f);
                return f;
            }
            Node::Link(_) => return r,
            Node::Bound(t) => t.clone(),
        };
        match term {
            Term::Set(e) => {
                let e = self.copy(e, fresh, depth + 1);
                self.set_of(e)
            }
            Term::Fun(a, b) => {
                let a = self.copy(a, fresh, depth + 1);
                let b = self.copy(b, fresh, depth + 1);
                self.fun(a, b)
            }
            Term::Tuple(ts) => {
                let ts = ts
                    .into_iter()
                    .map(|t| self.copy(t, fresh, depth + 1))
                    .collect();
                self.tuple(ts)
            }
            _ => r,
        }
    }

    pub fn set_of(&mut self, elem: TyVar) -> TyVar {
        self.bind(Term::Set(elem))
    }

    pub fn fun(&mut self, a: TyVar, b: TyVar) -> TyVar {
        self.bind(Term::Fun(a, b))
    }

    pub fn tuple(&mut self, ts: Vec<TyVar>) -> TyVar {
        self.bind(Term::Tuple(ts))
    }

    pub fn record(&mut self, fields: BTreeMap<Rc<str>, TyVar>) -> TyVar {
        self.bind(Term::Rec(fields))
    }

    /// Remember that a record of exactly these fields exists in `family`.
    pub fn add_shape(&mut self, family: TyVar, fields: BTreeSet<Rc<str>>) {
        self.shapes.push((family, fields));
    }

    pub fn find(&self, mut v: TyVar) -> TyVar {
        while let Node::Link(next) = self.nodes[v.0 as usize] {
            v = next;
        }
        v
    }

    fn set_node(&mut self, i: usize, n: Node) {
        if self.in_unify {
            self.trail.push((i, self.nodes[i].clone()));
        }
        self.nodes[i] = n;
    }

    /// Unify two types; on failure nothing is changed.
    pub fn unify(&mut self, a: TyVar, b: TyVar) -> Result<(), Mismatch> {
        self.trail.clear();
        self.in_unify = true;
        let r = self.unify_inner(a, b);
        self.in_unify = false;
        if r.is_err() {
            while let Some((i, n)) = self.trail.pop() {
                self.nodes[i] = n;
            }
        }
        self.trail.clear();
        r
    }

    fn unify_inner(&mut self, a: TyVar, b: TyVar) -> Result<(), Mismatch> {
        let (ra, rb) = (self.find(a), self.find(b));
        if ra == rb {
            return Ok(());
        }
        let ta = self.nodes[ra.0 as usize].clone();
        let tb = self.nodes[rb.0 as usize].clone();
        let mismatch = |s: &Self| Mismatch {
            left: s.resolve(ra).to_string(),
            right: s.resolve(rb).to_string(),
        };
        match (ta, tb) {
            // A variable never stands for a type containing itself
            // (`S = Set(S)` from `SUBSET S \subseteq S`): that has no
            // finite type, and resolving it would not terminate.
            (Node::Unbound, _) if self.occurs(ra, rb) => Err(mismatch(self)),
            (_, Node::Unbound) if self.occurs(rb, ra) => Err(mismatch(self)),
            (Node::Unbound, _) => {
                self.merge(ra, rb);
                Ok(())
            }
            (_, Node::Unbound) => {
                self.merge(rb, ra);
                Ok(())
            }
            (Node::Bound(_), Node::Bound(_)) if self.occurs(ra, rb) || self.occurs(rb, ra) => {
                Err(mismatch(self))
            }
            (Node::Bound(x), Node::Bound(y)) => {
                if !same_constructor(&x, &y) {
                    return Err(mismatch(self));
                }
                // Link first so recursive types terminate.
                let root = self.merge(ra, rb);
                match (x, y) {
                    (Term::Set(p), Term::Set(q)) => self.unify_inner(p, q),
                    (Term::Fun(p1, p2), Term::Fun(q1, q2)) => {
                        self.unify_inner(p1, q1)?;
                        self.unify_inner(p2, q2)
                    }
                    (Term::Tuple(ps), Term::Tuple(qs)) => {
                        for (p, q) in ps.into_iter().zip(qs) {
                            self.unify_inner(p, q)?;
                        }
                        Ok(())
                    }
                    (Term::Rec(pf), Term::Rec(mut qf)) => {
                        for (name, p) in pf {
                            match qf.get(&name) {
                                Some(&q) => self.unify_inner(p, q)?,
                                None => {
                                    qf.insert(name, p);
                                }
                            }
                        }
                        self.set_node(root.0 as usize, Node::Bound(Term::Rec(qf)));
                        Ok(())
                    }
                    // Base types: equal constructors are equal types.
                    _ => Ok(()),
                }
            }
            (Node::Link(_), _) | (_, Node::Link(_)) => unreachable!("find returns roots"),
        }
    }

    /// Make the roots `a` and `b` one class whose term is `b`'s, and return
    /// its root: the root of lower rank becomes the child (when that is `b`,
    /// its term moves up to `a`).
    fn merge(&mut self, a: TyVar, b: TyVar) -> TyVar {
        let (ia, ib) = (a.0 as usize, b.0 as usize);
        if self.rank[ia] <= self.rank[ib] {
            if self.rank[ia] == self.rank[ib] {
                self.rank[ib] = self.rank[ib].saturating_add(1);
            }
            self.set_node(ia, Node::Link(b));
            b
        } else {
            let term = self.nodes[ib].clone();
            self.set_node(ia, term);
            self.set_node(ib, Node::Link(a));
            a
        }
    }

    /// Does variable `v` occur in the type `t` (through sets, functions and
    /// tuples; record families may contain themselves)?
    fn occurs(&self, v: TyVar, t: TyVar) -> bool {
        // Unification links a node before unifying its parts, so the graph
        // may be cyclic meanwhile: visit each node once.
        let mut seen = std::collections::HashSet::new();
        let mut todo = vec![t];
        while let Some(t) = todo.pop() {
            let t = self.find(t);
            if t == v {
                return true;
            }
            if !seen.insert(t) {
                continue;
            }
            match &self.nodes[t.0 as usize] {
                Node::Bound(Term::Set(e)) => todo.push(*e),
                Node::Bound(Term::Fun(a, b)) => todo.extend([*a, *b]),
                Node::Bound(Term::Tuple(ts)) => todo.extend(ts.iter().copied()),
                _ => {}
            }
        }
        false
    }

    /// Fields of a record family (empty if `v` is not a record).
    pub fn record_fields(&self, v: TyVar) -> BTreeMap<Rc<str>, TyVar> {
        match &self.nodes[self.find(v).0 as usize] {
            Node::Bound(Term::Rec(f)) => f.clone(),
            _ => BTreeMap::new(),
        }
    }

    /// Make `v` a record family with at least `field`, returning the field's type.
    pub fn field_of(&mut self, v: TyVar, field: &Rc<str>) -> Result<TyVar, Mismatch> {
        let r = self.find(v);
        match self.nodes[r.0 as usize].clone() {
            Node::Bound(Term::Rec(mut fields)) => {
                if let Some(&t) = fields.get(field) {
                    return Ok(t);
                }
                let t = self.fresh();
                fields.insert(field.clone(), t);
                self.nodes[r.0 as usize] = Node::Bound(Term::Rec(fields));
                Ok(t)
            }
            Node::Unbound => {
                let t = self.fresh();
                let mut fields = BTreeMap::new();
                fields.insert(field.clone(), t);
                self.nodes[r.0 as usize] = Node::Bound(Term::Rec(fields));
                Ok(t)
            }
            _ => Err(Mismatch {
                left: self.resolve(r).to_string(),
                right: format!("a record with field `{field}`"),
            }),
        }
    }

    /// The resolved type of a variable.
    pub fn resolve(&self, v: TyVar) -> Type {
        let r = self.find(v);
        match &self.nodes[r.0 as usize] {
            Node::Unbound => Type::Var(r),
            Node::Link(_) => unreachable!(),
            Node::Bound(t) => match t {
                Term::Bool => Type::Bool,
                Term::Int => Type::Int,
                Term::Str => Type::Str,
                Term::Atom(a) => Type::Atom(a.clone()),
                Term::Set(e) => Type::Set(Box::new(self.resolve(*e))),
                Term::Fun(a, b) => {
                    Type::Fun(Box::new(self.resolve(*a)), Box::new(self.resolve(*b)))
                }
                Term::Tuple(ts) => Type::Tuple(ts.iter().map(|t| self.resolve(*t)).collect()),
                Term::Rec(_) => Type::Rec(r),
                Term::Univ => Type::Univ,
            },
        }
    }

    /// All shapes recorded for the family whose root is `family`.
    pub fn shapes_of(&self, family: TyVar) -> BTreeSet<BTreeSet<Rc<str>>> {
        let root = self.find(family);
        self.shapes
            .iter()
            .filter(|(v, _)| self.find(*v) == root)
            .map(|(_, s)| s.clone())
            .collect()
    }
}

/// Whether two terms have the same head (so unifying them means unifying
/// their parts).
fn same_constructor(x: &Term, y: &Term) -> bool {
    match (x, y) {
        (Term::Atom(p), Term::Atom(q)) => p == q,
        (Term::Tuple(ps), Term::Tuple(qs)) => ps.len() == qs.len(),
        _ => std::mem::discriminant(x) == std::mem::discriminant(y),
    }
}
