//! Encoding of expressions: the dispatch on the construct, primes,
//! UNCHANGED, equality. One submodule per kind of construct.
//!
//! Every term is encoded at the sort `ty` gives it (see `synth`): an
//! operator whose operands have the sorts of its typed version is encoded
//! with it; otherwise its operands go to the universe and the operator is
//! the universe's (see `univ`).

mod abstraction;
mod arith;
mod defs;
mod functions;
mod logic;
mod operator_args;
mod quant;
mod records;
mod sets;
mod temporal_atoms;

use super::univ::UOp;
use super::{Encoder, Res, unsupported};
use crate::semantic::ir::*;
use crate::semantic::subst;
use crate::syntax::ast::{BinOp, UnOp};
use crate::types::Type;

/// Expansion depth at which we assume a cycle.
pub(crate) const MAX_DEPTH: usize = 200;

impl Encoder<'_> {
    /// The truth of `e` as a formula: `e` itself if it is a Boolean term,
    /// otherwise "`e` equals TRUE".
    pub(crate) fn formula(&mut self, e: &E) -> Res<String> {
        if self.hidden_formula(e) {
            return self.hidden_truth(e);
        }
        let t = self.ty(e);
        // Connectives and quantifiers pass the polarity on (see
        // `polarity`); inside any other term a formula may occur either way.
        let keeps = matches!(
            e.kind,
            Kind::And(_)
                | Kind::Or(_)
                | Kind::Forall(..)
                | Kind::Exists(..)
                | Kind::Let(..)
                | Kind::Unary(UnOp::Not, _)
                | Kind::Binary(
                    BinOp::And | BinOp::Or | BinOp::Implies | BinOp::Equiv | BinOp::Eq | BinOp::Neq,
                    ..
                )
        ) || matches!(&e.kind, Kind::App(d, _) if self.is_expanded(*d));
        let saved = self.polarity;
        if !keeps {
            self.polarity = 0;
        }
        let x = self.term(e);
        self.polarity = saved;
        let x = x?;
        if t == Type::Bool {
            return Ok(x);
        }
        let u = self.univ_of(&x, &t, e.span)?;
        let tr = self.u_true(e.span)?;
        Ok(format!("(= {u} {tr})"))
    }

    /// `e` as a value of the universe.
    pub(crate) fn univ(&mut self, e: &E) -> Res<String> {
        let t = self.ty(e);
        let x = self.term(e)?;
        self.univ_of(&x, &t, e.span)
    }

    /// `e` as a term of sort `t`: its own term, its image in the universe,
    /// or (a set) the array of its elements of sort `t`'s element sort.
    pub(crate) fn term_as(&mut self, e: &E, t: &Type) -> Res<String> {
        let own = self.ty(e);
        if own == *t {
            return self.term(e);
        }
        match t {
            Type::Univ => self.univ(e),
            Type::Set(el) => self.set_term_as(e, el),
            _ => unsupported(e.span, format!("a value of sort {own} where {t} is needed")),
        }
    }

    pub(crate) fn list(&mut self, es: &[E]) -> Res<Vec<String>> {
        es.iter().map(|e| self.term(e)).collect()
    }

    /// The symbol of a `NEW VARIABLE/STATE/ACTION/TEMPORAL` parameter in
    /// the next state: a symbol of its own (its value there is unrelated
    /// to its value now), for a parameter of the obligation's context
    /// only; one bound by a cited fact would need its own quantifier.
    fn next_state_param(&mut self, v: &BVar, sp: crate::source::Span) -> Res<String> {
        if !self.context_ids.contains(&v.id) {
            return unsupported(
                sp,
                format!(
                    "the next-state value of `{}`, a NEW parameter of a cited fact",
                    v.name
                ),
            );
        }
        let base = self.bname(v);
        Ok(format!("{}'|", base.trim_end_matches('|')))
    }

    pub(crate) fn term(&mut self, e: &E) -> Res<String> {
        let sp = e.span;
        Ok(match &e.kind {
            Kind::Bound(v) if self.primed && self.prog.flexible_params.contains_key(&v.id) => {
                let name = self.next_state_param(v, sp)?;
                let s = self.sort_of(e)?;
                self.declare(&name, &[], &s);
                name
            }
            Kind::Bound(v) => match self.env.get(&v.id) {
                Some(n) => n.clone(),
                None => return unsupported(sp, format!("`{}` is not bound here", v.name)),
            },
            Kind::Const(c) => self.constant(*c, sp)?,
            Kind::Var(v) => self.variable(*v, self.primed, sp)?,
            Kind::App(d, args) => self.app(e, *d, args)?,
            Kind::OpParamApp(v, args) if self.prog.op_constants.contains(&v.id) => {
                // An operator constant: a function of the arguments'
                // values, whatever their sorts at this use; its result is
                // of a flexible sort (see `synth`).
                let name = self.bname(v);
                let u = self.sort(&Type::Univ, sp)?;
                let sorts = vec![u; args.len()];
                let rs = self.sort_of(e)?;
                self.declare(&name, &sorts, &rs);
                let mut a = Vec::new();
                for x in args {
                    a.push(self.univ(x)?);
                }
                format!("({name} {})", a.join(" "))
            }
            Kind::OpParamApp(v, args) => {
                let name = if self.primed && self.prog.flexible_params.contains_key(&v.id) {
                    self.next_state_param(v, sp)?
                } else {
                    self.bname(v)
                };
                let mut sorts = Vec::new();
                for a in args {
                    sorts.push(self.sort_of(a)?);
                }
                let rs = self.sort_of(e)?;
                self.declare(&name, &sorts, &rs);
                let a = self.list(args)?;
                format!("({name} {})", a.join(" "))
            }
            Kind::Lambda(..) => return unsupported(sp, "LAMBDA"),
            Kind::Builtin(b, args) => self.builtin(e, *b, &args[0])?,
            Kind::Int(n) => int_lit(*n),
            Kind::Str(s) => self.string_lit(s),
            Kind::Bool(b) => b.to_string(),
            Kind::NatSet
            | Kind::IntSet
            | Kind::BoolSet
            | Kind::StringSet
            | Kind::SetEnum(_)
            | Kind::SetFilter(..)
            | Kind::SetMap(..)
            | Kind::FnSet(..)
            | Kind::RecordSet(_)
            | Kind::Product(_) => self.set_term(e)?,
            Kind::Unary(op, a) => match op {
                UnOp::Not => self.connective(e, "not", &[a])?,
                UnOp::Neg => self.negation(e, a)?,
                UnOp::Prime => self.primed_term(a)?,
                UnOp::Subset | UnOp::Union => self.set_or_univ(e)?,
                UnOp::Domain => self.domain(e, a)?,
                UnOp::Unchanged => self.unchanged(a)?,
                UnOp::Enabled => self.enabled_atom(e)?,
                UnOp::Always | UnOp::Eventually => self.temporal_atom(e)?,
            },
            Kind::Binary(op, a, b) => self.binary(e, *op, a, b)?,
            Kind::And(es) => self.connective(e, "and", &es.iter().collect::<Vec<_>>())?,
            Kind::Or(es) => self.connective(e, "or", &es.iter().collect::<Vec<_>>())?,
            Kind::If(c, t, f) => self.if_term(e, c, t, f)?,
            Kind::Case(arms, other) => self.case_term(e, arms, other.as_ref())?,
            Kind::Forall(bs, body) => self.quant(true, bs, body)?,
            Kind::Exists(bs, body) => self.quant(false, bs, body)?,
            Kind::Choose(v, s, p) => self.choose(e, v, s.as_ref(), p)?,
            Kind::FnLit(bs, body) => self.fn_lit(e, bs, body)?,
            Kind::RecFnRef(_) => return unsupported(sp, "recursive function reference"),
            Kind::Record(fs) => self.record(e, fs)?,
            Kind::Apply(f, args) => self.apply(e, f, args)?,
            Kind::Field(r, n) => self.field(e, r, n)?,
            Kind::Except(f, ups) => self.except(e, f, ups)?,
            Kind::Tuple(es) => self.tuple(e, es)?,
            Kind::BoxAction(a, v) => {
                format!("(or {} {})", self.formula(a)?, self.unchanged(v)?)
            }
            Kind::AngleAction(a, v) => {
                format!("(and {} (not {}))", self.formula(a)?, self.unchanged(v)?)
            }
            Kind::Temporal(..) => self.temporal_atom(e)?,
            Kind::Let(_, body) => self.term(body)?,
        })
    }

    /// A set-valued construct: an array if it has a set sort, else (an
    /// operator applied to values of the universe) its value there.
    fn set_or_univ(&mut self, e: &E) -> Res<String> {
        match self.ty(e) {
            Type::Set(_) => self.set_term(e),
            _ => self.univ_set(e),
        }
    }

    pub(crate) fn primed_term(&mut self, a: &E) -> Res<String> {
        if self.primed {
            return unsupported(a.span, "a prime inside a primed expression");
        }
        self.primed = true;
        let r = self.term(a);
        self.primed = false;
        r
    }

    /// `UNCHANGED v`, component-wise for tuples and expanded definitions.
    pub(crate) fn unchanged(&mut self, v: &E) -> Res<String> {
        match &v.kind {
            Kind::Tuple(es) => {
                let mut parts = Vec::new();
                for x in es {
                    parts.push(self.unchanged(x)?);
                }
                Ok(format!("(and true {})", parts.join(" ")))
            }
            Kind::App(d, args) if args.is_empty() && self.expand.contains(d) => {
                match subst::instantiate(self.prog, *d, &[]) {
                    Some(b) => self.unchanged(&b),
                    None => self.plain_unchanged(v),
                }
            }
            _ => self.plain_unchanged(v),
        }
    }

    pub(crate) fn plain_unchanged(&mut self, v: &E) -> Res<String> {
        self.primed = true;
        let post_t = self.ty(v);
        let post = self.term(v);
        self.primed = false;
        let post = post?;
        let pre_t = self.ty(v);
        let pre = self.term(v)?;
        self.equal_terms(&post, &post_t, &pre, &pre_t, v.span)
    }

    /// `a = b` for two terms of the given sorts: SMT equality at a common
    /// sort, else equality of their images in the universe.
    pub(crate) fn equal_terms(
        &mut self,
        a: &str,
        ta: &Type,
        b: &str,
        tb: &Type,
        span: crate::source::Span,
    ) -> Res<String> {
        if ta == tb {
            if *ta == Type::Univ {
                self.note_univ_pair(a, b);
            }
            return Ok(format!("(= {a} {b})"));
        }
        let (ua, ub) = (self.univ_of(a, ta, span)?, self.univ_of(b, tb, span)?);
        if matches!(ta, Type::Fun(..)) || matches!(tb, Type::Fun(..)) {
            // Functions of two sorts (`[a \in S |-> -1]` of integers and
            // `PmaxBal` of universe values) are equal by TLA+'s function
            // extensionality, which the universe states on application
            // (`U.app`): it must be in use for the pair's lemma and the
            // coherence axioms of both sorts (see
            // `Encoder::universe_extensionality`).
            self.u_op(UOp::App);
        }
        self.note_univ_pair(&ua, &ub);
        Ok(format!("(= {ua} {ub})"))
    }

    pub(crate) fn binary(&mut self, e: &E, op: BinOp, a: &E, b: &E) -> Res<String> {
        match op {
            BinOp::And => self.connective(e, "and", &[a, b]),
            BinOp::Or => self.connective(e, "or", &[a, b]),
            BinOp::Implies => self.connective(e, "=>", &[a, b]),
            BinOp::Equiv => self.connective(e, "=", &[a, b]),
            BinOp::Eq => {
                let pol = self.polarity;
                self.equality(e, a, b, pol)
            }
            BinOp::Neq => {
                let pol = self.polarity;
                Ok(format!("(not {})", self.equality(e, a, b, -pol)?))
            }
            BinOp::Lt | BinOp::Le | BinOp::Gt | BinOp::Ge => self.comparison(e, op, a, b),
            BinOp::Plus | BinOp::Minus | BinOp::Times | BinOp::Div | BinOp::Mod => {
                self.arith(e, op, a, b)
            }
            BinOp::In | BinOp::NotIn => {
                let m = self.in_set(a, b)?;
                Ok(if op == BinOp::In {
                    m
                } else {
                    format!("(not {m})")
                })
            }
            BinOp::Subseteq => self.subseteq(a, b),
            BinOp::Cup | BinOp::Cap | BinOp::SetMinus | BinOp::Range => self.set_or_univ(e),
            BinOp::LeadsTo | BinOp::Cdot => unsupported(e.span, op.symbol()),
        }
    }

    /// `a = b` (TLA+ equality: defined for all values), occurring with
    /// polarity `pol` (its operands are terms: any formula inside them
    /// occurs either way).
    fn equality(&mut self, e: &E, a: &E, b: &E, pol: i8) -> Res<String> {
        self.polarity = 0;
        let r = self.equality_at(e, a, b, pol);
        self.polarity = pol;
        r
    }

    fn equality_at(&mut self, e: &E, a: &E, b: &E, pol: i8) -> Res<String> {
        if is_empty_set(a) || is_empty_set(b) {
            // `S = {}` as "S has no element" (extensionality: every value
            // is a set): the membership of S is specialised instead of
            // comparing arrays.
            let s = if is_empty_set(a) { b } else { a };
            let el = super::synth::elem(&self.ty(s));
            let sort = self.sort(&el, e.span)?;
            let y = self.fresh("y");
            self.bound_sorts.insert(y.clone(), sort.clone());
            let m = self.member(&y, &el, s)?;
            return Ok(format!("(forall (({y} {sort})) (not {m}))"));
        }
        let (ta, tb) = (self.ty(a), self.ty(b));
        if ta == tb && matches!(ta, Type::Fun(..)) {
            if self.is_fn_lit(a) || self.is_fn_lit(b) {
                return self.function_equality(e, a, b);
            }
            let (fa, fb) = (self.term(a)?, self.term(b)?);
            if pol < 0 {
                // To be proved: spelled out, so that its negation names
                // the point where the functions differ.
                return self.extensional_equality(e, a, &fa, &fb);
            }
            self.note_function_pair(e, a, &fa, &fb)?;
            return Ok(format!("(= {fa} {fb})"));
        }
        if ta == Type::Bool && tb == Type::Bool {
            return Ok(format!("(= {} {})", self.term(a)?, self.term(b)?));
        }
        // `f[x] = g[x]`: whether f and g are equal functions may decide
        // it (even outside their domain); give Z3 their extensionality.
        if let (Kind::Apply(f, _), Kind::Apply(g, _)) = (&a.kind, &b.kind)
            && matches!(self.ty(f), Type::Fun(..))
            && self.ty(f) == self.ty(g)
        {
            let (tf, tg) = (self.term(f)?, self.term(g)?);
            if tf != tg {
                self.note_function_pair(e, f, &tf, &tg)?;
            }
        }
        let (xa, xb) = (self.term(a)?, self.term(b)?);
        self.equal_terms(&xa, &ta, &xb, &tb, e.span)
    }
}

fn is_empty_set(e: &E) -> bool {
    matches!(&e.kind, Kind::SetEnum(items) if items.is_empty())
}

fn int_lit(n: i64) -> String {
    if n < 0 {
        format!("(- {})", -n)
    } else {
        n.to_string()
    }
}

/// Index of the parenthesis closing the one at `open`.
fn matching_paren(bytes: &[u8], open: usize) -> Option<usize> {
    let mut depth = 0i32;
    let mut in_bar = false;
    for (k, &c) in bytes.iter().enumerate().skip(open) {
        match c {
            b'|' => in_bar = !in_bar,
            b'(' if !in_bar => depth += 1,
            b')' if !in_bar => {
                depth -= 1;
                if depth == 0 {
                    return Some(k);
                }
            }
            _ => {}
        }
    }
    None
}

fn apply_name(f: &str, args: &[String]) -> String {
    if args.is_empty() {
        f.to_string()
    } else {
        format!("({f} {})", args.join(" "))
    }
}
