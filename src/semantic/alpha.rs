//! Equality of resolved expressions up to the names of their bound
//! variables (alpha-equivalence); spans and types are ignored.
//!
//! Two occurrences of `\E k \in 0 .. m : P(k)` in different steps bind
//! different variables (ids are unique in a program) but are the same
//! formula: the PTL abstraction must make them one atom, and citing a fact
//! that restates the goal must be recognised as such.

use crate::semantic::ir::*;

/// Are `a` and `b` the same expression up to renaming of bound variables?
pub fn same(a: &E, b: &E) -> bool {
    Alpha { pairs: Vec::new() }.eq(a, b)
}

/// Are `a` and `b` the same once their free bound variables `a_free` and
/// `b_free` are renamed to one another, position by position? (The same
/// formula of its free variables: `[]P(m)` of a NEW `m` and of a
/// quantified `k` are one function, applied to `m` and to `k`.)
pub fn same_with_free(a: &E, b: &E, a_free: &[BVar], b_free: &[BVar]) -> bool {
    if a_free.len() != b_free.len() {
        return false;
    }
    let pairs = a_free
        .iter()
        .zip(b_free)
        .map(|(x, y)| (x.id, y.id))
        .collect();
    Alpha { pairs }.eq(a, b)
}

/// Deepest comparison: beyond it, expressions are called different (never
/// wrongly equal), so pathological nesting cannot overflow the stack.
const MAX_DEPTH: usize = 2000;

struct Alpha {
    /// Bound variables of `a` and of `b` bound at the same place, innermost
    /// last.
    pairs: Vec<(u32, u32)>,
}

impl Alpha {
    fn bound(&self, x: u32, y: u32) -> bool {
        for &(p, q) in self.pairs.iter().rev() {
            if p == x || q == y {
                return p == x && q == y;
            }
        }
        x == y
    }

    fn eq(&mut self, a: &E, b: &E) -> bool {
        if std::rc::Rc::ptr_eq(a, b) && self.pairs.is_empty() {
            return true;
        }
        if self.pairs.len() > MAX_DEPTH {
            return false;
        }
        self.eq_kind(&a.kind, &b.kind)
    }

    fn all(&mut self, xs: &[E], ys: &[E]) -> bool {
        xs.len() == ys.len() && xs.iter().zip(ys).all(|(x, y)| self.eq(x, y))
    }

    /// Compare under binders `xs`/`ys` (their bounds compared outside).
    fn under(
        &mut self,
        xs: &[(BVar, Option<E>)],
        ys: &[(BVar, Option<E>)],
        body: (&E, &E),
    ) -> bool {
        if xs.len() != ys.len() {
            return false;
        }
        let mark = self.pairs.len();
        let mut ok = true;
        for ((x, s), (y, t)) in xs.iter().zip(ys) {
            ok = match (s, t) {
                (Some(s), Some(t)) => self.eq(s, t),
                (None, None) => true,
                _ => false,
            };
            if !ok {
                break;
            }
            // TLA+'s `\A x \in S, y \in T` binds y outside T: pushing each
            // pair after its bound is compared keeps that scoping.
            self.pairs.push((x.id, y.id));
        }
        ok = ok && self.eq(body.0, body.1);
        self.pairs.truncate(mark);
        ok
    }

    fn eq_kind(&mut self, a: &Kind, b: &Kind) -> bool {
        use Kind::*;
        let bounded = |vs: &[(BVar, E)]| -> Vec<(BVar, Option<E>)> {
            vs.iter()
                .map(|(v, s)| (v.clone(), Some(s.clone())))
                .collect()
        };
        match (a, b) {
            (Bound(x), Bound(y)) => self.bound(x.id, y.id),
            (Const(x), Const(y)) => x == y,
            (Var(x), Var(y)) => x == y,
            (App(d, xs), App(e, ys)) => d == e && self.all(xs, ys),
            (OpParamApp(v, xs), OpParamApp(w, ys)) => self.bound(v.id, w.id) && self.all(xs, ys),
            (Lambda(xs, x), Lambda(ys, y)) => {
                let xs: Vec<_> = xs.iter().map(|v| (v.clone(), None)).collect();
                let ys: Vec<_> = ys.iter().map(|v| (v.clone(), None)).collect();
                self.under(&xs, &ys, (x, y))
            }
            (Int(x), Int(y)) => x == y,
            (Str(x), Str(y)) => x == y,
            (Bool(x), Bool(y)) => x == y,
            (NatSet, NatSet) | (IntSet, IntSet) | (BoolSet, BoolSet) | (StringSet, StringSet) => {
                true
            }
            (Unary(o, x), Unary(p, y)) => o == p && self.eq(x, y),
            (Binary(o, x1, x2), Binary(p, y1, y2)) => o == p && self.eq(x1, y1) && self.eq(x2, y2),
            (And(xs), And(ys))
            | (Or(xs), Or(ys))
            | (Tuple(xs), Tuple(ys))
            | (SetEnum(xs), SetEnum(ys))
            | (Product(xs), Product(ys)) => self.all(xs, ys),
            (BoxAction(x1, x2), BoxAction(y1, y2))
            | (AngleAction(x1, x2), AngleAction(y1, y2))
            | (FnSet(x1, x2), FnSet(y1, y2)) => self.eq(x1, y1) && self.eq(x2, y2),
            (If(c, t, f), If(d, u, g)) => self.eq(c, d) && self.eq(t, u) && self.eq(f, g),
            (Case(xs, x), Case(ys, y)) => {
                xs.len() == ys.len()
                    && xs
                        .iter()
                        .zip(ys)
                        .all(|((c, v), (d, w))| self.eq(c, d) && self.eq(v, w))
                    && match (x, y) {
                        (Some(x), Some(y)) => self.eq(x, y),
                        (None, None) => true,
                        _ => false,
                    }
            }
            (Forall(xs, x), Forall(ys, y)) | (Exists(xs, x), Exists(ys, y)) => {
                self.under(xs, ys, (x, y))
            }
            (Choose(v, s, x), Choose(w, t, y)) => {
                self.under(&[(v.clone(), s.clone())], &[(w.clone(), t.clone())], (x, y))
            }
            (SetFilter(v, s, x), SetFilter(w, t, y)) => self.under(
                &[(v.clone(), Some(s.clone()))],
                &[(w.clone(), Some(t.clone()))],
                (x, y),
            ),
            (SetMap(x, xs), SetMap(y, ys)) | (FnLit(xs, x), FnLit(ys, y)) => {
                self.under(&bounded(xs), &bounded(ys), (x, y))
            }
            (Apply(f, xs), Apply(g, ys)) => self.eq(f, g) && self.all(xs, ys),
            (Field(r, n), Field(s, m)) => n == m && self.eq(r, s),
            (Builtin(b, xs), Builtin(c, ys)) => b == c && self.all(xs, ys),
            (Record(xs), Record(ys)) | (RecordSet(xs), RecordSet(ys)) => {
                xs.len() == ys.len()
                    && xs
                        .iter()
                        .zip(ys)
                        .all(|((n, x), (m, y))| n == m && self.eq(x, y))
            }
            (RecFnRef(d), RecFnRef(e)) => d == e,
            (Temporal(o, xs), Temporal(p, ys)) => o == p && self.all(xs, ys),
            // EXCEPT and LET: compared only when identical in structure
            // and bound variables (rare in atoms; never wrongly equal).
            _ => false,
        }
    }
}
