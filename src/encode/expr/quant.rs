//! Quantifiers and CHOOSE.

use super::super::synth::elem;
use super::super::{Encoder, Res};
use super::*;
use crate::semantic::ir::*;
use crate::semantic::subst;
use crate::syntax::ast::BinOp;
use crate::types::Type;
use std::collections::HashMap;
use std::fmt::Write;

impl Encoder<'_> {
    pub(crate) fn quant(
        &mut self,
        forall: bool,
        bs: &[(BVar, Option<E>)],
        body: &E,
    ) -> Res<String> {
        let (bs, body) = self.through_fields(bs, body);
        let (bs, body) = self.through_set_maps(&bs, &body);
        if bs.is_empty() {
            // Every variable was a record the body does not read.
            return self.term(&body);
        }
        let (bs, body) = (&bs[..], &body);
        // After `through_set_maps`: a witness for `\E Q \in Quorum` is then
        // one for `\E S \in ByzQuorum`, which the context may name.
        // Only outermost existentials: candidates for one nested under
        // another binder would mention terms the instance cannot see, and
        // every disjunct breaks the identity of the goal's subformulas with
        // the hypotheses' (measured on MsgsLemma).
        let witnesses = if forall || self.in_lambda > 0 || self.quant_depth > 0 {
            Vec::new()
        } else {
            self.witness_disjuncts(bs, body)?
        };
        self.quant_depth += 1;
        let q = self.plain_quant(forall, bs, body);
        self.quant_depth -= 1;
        let q = q?;
        if witnesses.is_empty() {
            return Ok(q);
        }
        Ok(format!("(or {q} {})", witnesses.join(" ")))
    }

    pub(crate) fn plain_quant(
        &mut self,
        forall: bool,
        bs: &[(BVar, Option<E>)],
        body: &E,
    ) -> Res<String> {
        let q = self.quant_at(forall, bs, body, &[])?;
        // An asserted `\A` (a negated `\E`) may also be stated for the
        // values of its variables' hinted sorts only: a weaker fact, whose
        // terms are those of the obligation's typed terms.
        let restrictable = (forall && self.polarity == 1) || (!forall && self.polarity == -1);
        let mut q = q;
        if restrictable {
            let hinted: Vec<Option<Type>> = bs
                .iter()
                .map(|(v, s)| {
                    let c = self.candidate_of(v.ty);
                    (s.is_none()
                        && self.bvar_types.get(&v.id) == Some(&Type::Univ)
                        && c != Type::Univ
                        && super::super::synth::value_complete(&c))
                    .then_some(c)
                })
                .collect();
            if hinted.iter().any(Option::is_some) {
                let other = self.quant_at(forall, bs, body, &hinted)?;
                q = if forall {
                    format!("(and {q} {other})")
                } else {
                    format!("(or {q} {other})")
                };
            }
        }
        if self.abstract_quantifiers
            && self.in_lambda > 0
            && let Some(p) = self.abstract_term(&q, "Bool", false)
        {
            return Ok(p);
        }
        Ok(q)
    }

    /// The quantified formula with the variables' sorts from their bounds
    /// (or guards, see `unbounded_sort`), except where `sorts` gives one.
    fn quant_at(
        &mut self,
        forall: bool,
        bs: &[(BVar, Option<E>)],
        body: &E,
        sorts: &[Option<Type>],
    ) -> Res<String> {
        let saved = self.env.clone();
        let mark = self.local_members.len();
        let outer = self.polarity;
        let r = (|| {
            let mut binders = String::new();
            let mut guards = Vec::new();
            for (i, (v, s)) in bs.iter().enumerate() {
                let t = match (sorts.get(i).cloned().flatten(), s) {
                    (Some(t), _) => t,
                    (None, Some(s)) => elem(&self.ty(s)),
                    (None, None) => self.unbounded_sort(forall, v, body),
                };
                self.bvar_types.insert(v.id, t.clone());
                binders.push_str(&self.bind(v, body.span)?);
                let n = self.bname(v);
                if let Some(s) = s {
                    self.polarity = 0;
                    let m = self.member(&n, &t, s);
                    self.polarity = outer;
                    guards.push(m?);
                    self.push_member(v, s);
                }
            }
            // `\A x \in S : A => B` as `x \in S /\ A => B`: the shape of an
            // ASSUME/PROVE fact `ASSUME NEW x \in S, A PROVE B` (see
            // `Encoder::sequent`), so that a goal restating a cited
            // sequent is the same term for Z3 (measured: MsgsLemma's QED
            // timed out as `(=> (and S) (=> A B))` vs `(=> (and S A) B)`).
            let mut body = body;
            while forall && let Kind::Binary(BinOp::Implies, lhs, rhs) = &body.kind {
                self.polarity = -outer;
                let g = self.formula(lhs);
                self.polarity = outer;
                guards.push(g?);
                body = rhs;
            }
            let b = self.formula(body)?;
            Ok(if forall {
                format!(
                    "(forall ({binders}) (=> (and true {}) {b}))",
                    guards.join(" ")
                )
            } else {
                format!("(exists ({binders}) (and {} {b}))", guards.join(" "))
            })
        })();
        self.polarity = outer;
        self.local_members.truncate(mark);
        self.env = saved;
        r
    }

    /// The sort of a variable quantified without a bound: if the body is
    /// `G => ..` (for `\A`) or `G /\ ..` (for `\E`) and a conjunct of `G`
    /// is `x \in S`, `x \subseteq S` or `x = e`, the sort that conjunct
    /// justifies (the values it excludes do not matter); otherwise every
    /// value, the universe.
    fn unbounded_sort(&mut self, forall: bool, v: &BVar, body: &E) -> Type {
        let guard = match (&body.kind, forall) {
            (Kind::Binary(BinOp::Implies, lhs, _), true) => Some(lhs),
            (Kind::And(_) | Kind::Binary(BinOp::And, ..), false) => Some(body),
            _ => None,
        };
        let Some(guard) = guard else {
            return self.witness_sort(forall, v, body);
        };
        let is_v = |x: &E| matches!(&x.kind, Kind::Bound(w) if w.id == v.id);
        for c in conjuncts(guard) {
            match &c.kind {
                Kind::Binary(BinOp::In, x, s) if is_v(x) && !mentions_bound(s, v.id) => {
                    let t = elem(&self.ty(s));
                    self.push_member(v, s);
                    return t;
                }
                Kind::Binary(BinOp::Subseteq, x, s) if is_v(x) && !mentions_bound(s, v.id) => {
                    return Type::Set(Box::new(elem(&self.ty(s))));
                }
                Kind::Binary(BinOp::Eq, x, e) | Kind::Binary(BinOp::Eq, e, x)
                    if is_v(x) && !mentions_bound(e, v.id) =>
                {
                    return self.ty(e);
                }
                _ => {}
            }
        }
        self.witness_sort(forall, v, body)
    }

    /// The sort of `x` in an asserted `\E x : P` outside every binder: the
    /// uninterpreted sort `x` is inferred at, else the universe. An
    /// uninterpreted sort stands for a set of values that a countermodel
    /// may choose (see `synth::flexible`), so it can be taken to hold the
    /// one witness this assertion needs (as it holds the value of an
    /// unbounded CHOOSE). Under a binder it could not: `\A S : \E x : x
    /// \notin S` at a sort `T` is false for `S` the whole of `T`.
    fn witness_sort(&mut self, forall: bool, v: &BVar, body: &E) -> Type {
        let top_level = self.env.keys().all(|k| self.context_ids.contains(k));
        if forall || self.polarity <= 0 || !top_level {
            return Type::Univ;
        }
        // The sort of a set `x` is compared with (in an instance of a
        // generic library fact, `x` has a type variable of the fact's own),
        // else the uninterpreted sort `x` is inferred at.
        let mut found = None;
        self.membership_sets(v, body, &mut found);
        match (found, self.candidate_of(v.ty)) {
            (Some(t), _) => t,
            (None, t @ Type::Atom(_)) => t,
            _ => Type::Univ,
        }
    }

    /// The uninterpreted element sort of the first `S` in `v \in S` or `v
    /// \notin S` within `e` (`S` free of `v`).
    fn membership_sets(&mut self, v: &BVar, e: &E, found: &mut Option<Type>) {
        if found.is_some() {
            return;
        }
        if let Kind::Binary(BinOp::In | BinOp::NotIn, x, s) = &e.kind
            && matches!(&x.kind, Kind::Bound(w) if w.id == v.id)
            && !mentions_bound(s, v.id)
            && let t @ (Type::Atom(_) | Type::Var(_)) = elem(&self.ty(s))
        {
            *found = Some(t);
            return;
        }
        for c in crate::semantic::level::children(e) {
            self.membership_sets(v, c, found);
        }
    }

    /// Unbounded record variables read only through fields become
    /// variables for those fields (see `subst::project_fields`): Z3 then
    /// needs no record of the variable's family as a witness, which it
    /// cannot build (measured: `PICK m : bmsgs' = bmsgs \cup {mm(m)}` in
    /// the refinement of Phase2av timed out; the field `m.val` is enough).
    pub(crate) fn through_fields(
        &mut self,
        bs: &[(BVar, Option<E>)],
        body: &E,
    ) -> (Vec<(BVar, Option<E>)>, E) {
        let mut out = Vec::new();
        let mut body = body.clone();
        for (i, (v, dom)) in bs.iter().enumerate() {
            let later_domains_free = bs[i + 1..]
                .iter()
                .all(|(_, d)| d.as_ref().is_none_or(|d| !mentions_bound(d, v.id)));
            if dom.is_none()
                && later_domains_free
                && matches!(self.candidate_of(v.ty), Type::Rec(_))
                && let Some((b, fields)) = subst::project_fields(self.prog, &body, v, &self.expand)
            {
                body = b;
                out.extend(fields.into_iter().map(|(_, x)| (x, None)));
                continue;
            }
            out.push((v.clone(), dom.clone()));
        }
        (out, body)
    }

    /// `\E x \in {e : y \in S} : P(x)` as `\E y \in S : P(e)` (and the
    /// same for `\A`), through expanded definitions such as `Quorum ==
    /// {S \cap Acceptor : S \in ByzQuorum}`: equivalent in TLA+, and Z3 then
    /// needs no witness term it would have to invent (`BQ \cap Acceptor`).
    pub(crate) fn through_set_maps(
        &mut self,
        bs: &[(BVar, Option<E>)],
        body: &E,
    ) -> (Vec<(BVar, Option<E>)>, E) {
        let (out, mut bodies) = self.binders_through_set_maps(bs, vec![body.clone()]);
        (out, bodies.pop().expect("one body in, one out"))
    }

    /// `ASSUME NEW x \in {e : y \in S}, H(x) PROVE G(x)` as `ASSUME NEW
    /// y \in S, H(e) PROVE G(e)`, the shape `quant` gives a goal
    /// `\A x \in {e : y \in S} : ..`. Sequents with nested sequents among
    /// their hypotheses are kept as they are.
    pub(crate) fn sequent_through_set_maps(&mut self, s: &Sequent) -> Sequent {
        let mut formulas = Vec::new();
        for h in &s.hyps {
            match h {
                Hyp::Fact(f) => formulas.push(f.clone()),
                Hyp::Sequent(..) => return s.clone(),
            }
        }
        formulas.push(s.goal.clone());
        let (news, mut formulas) = self.binders_through_set_maps(&s.news, formulas);
        let goal = formulas.pop().expect("the goal was pushed last");
        Sequent {
            news,
            hyps: formulas.into_iter().map(Hyp::Fact).collect(),
            goal,
        }
    }

    /// Binders `x \in {e : y \in S}` replaced by `y \in S`, with `x := e`
    /// in the formulas they scope over (see `through_set_maps`).
    pub(crate) fn binders_through_set_maps(
        &mut self,
        bs: &[(BVar, Option<E>)],
        mut formulas: Vec<E>,
    ) -> (Vec<(BVar, Option<E>)>, Vec<E>) {
        let mut out = Vec::new();
        for (i, (v, dom)) in bs.iter().enumerate() {
            let unfolded = dom.as_ref().map(|d| self.unfold_expanded(d, 0));
            let Some(Kind::SetMap(e, ys)) = unfolded.as_ref().map(|d| &d.kind) else {
                out.push((v.clone(), dom.clone()));
                continue;
            };
            let [(y, ydom)] = ys.as_slice() else {
                out.push((v.clone(), dom.clone()));
                continue;
            };
            // A later domain mentioning v would need the substitution too;
            // keep such (rare) binders as they are.
            if bs[i + 1..]
                .iter()
                .any(|(_, d)| d.as_ref().is_some_and(|d| mentions_bound(d, v.id)))
            {
                out.push((v.clone(), dom.clone()));
                continue;
            }
            let fresh = self.prog.renamed(y);
            let rename = HashMap::from([(y.id, Expr::bound(&fresh, e.span))]);
            let image = subst::subst(self.prog, e, &rename);
            let map = HashMap::from([(v.id, image)]);
            formulas = formulas
                .iter()
                .map(|f| subst::subst(self.prog, f, &map))
                .collect();
            out.push((fresh, Some(ydom.clone())));
        }
        (out, formulas)
    }

    /// `CHOOSE x \in S : P`: a witness symbol, one per distinct expression
    /// (so equal CHOOSE expressions denote the same value), with the axiom
    /// `(\E x \in S : P) => P(witness)`. If `x`'s sort cannot hold the
    /// unspecified value chosen when nothing satisfies `P`, the witness is a
    /// value of the universe, which the axiom puts in `x`'s sort only when
    /// something does.
    pub(crate) fn choose(&mut self, e: &E, v: &BVar, s: Option<&E>, p: &E) -> Res<String> {
        let rt = self.ty(e);
        let t = self
            .bvar_types
            .get(&v.id)
            .cloned()
            .unwrap_or_else(|| rt.clone());
        let sort = self.sort(&t, e.span)?;
        let rsort = self.sort(&rt, e.span)?;
        let x = format!("|chv{}|", self.choose_depth);
        let saved = self.env.clone();
        self.env.insert(v.id, x.clone());
        self.bound_sorts.insert(x.clone(), sort.clone());
        let mark = self.local_members.len();
        if let Some(s) = s {
            self.push_member(v, s);
        }
        self.choose_depth += 1;
        let r = (|| {
            let guard = match s {
                Some(s) => self.member(&x, &t, s)?,
                None => "true".into(),
            };
            let body = self.formula(p)?;
            Ok((guard, body))
        })();
        self.choose_depth -= 1;
        self.local_members.truncate(mark);
        self.env = saved;
        let (guard, body) = r?;
        let text = format!("choose {rsort} {sort} {guard} {body}");
        let free = self.free_in(&text);
        let fsorts = self.free_sorts(&free, e.span)?;
        // The free names' sorts are part of what the symbol is a function
        // of: one bound name may be bound at two sorts in one obligation.
        let key = format!("{text} {}", fsorts.join(" "));
        if let Some(f) = self.keyed.get(&key) {
            return Ok(apply_name(f, &free));
        }
        let f = self.fresh("CHOOSE");
        let mut binders = String::new();
        for (n, s) in free.iter().zip(&fsorts) {
            write!(binders, "({n} {s})").unwrap();
        }
        self.declare(&f, &fsorts, &rsort);
        let witness = apply_name(&f, &free);
        let (value, is) = if rt == t {
            (witness.clone(), "true".to_string())
        } else {
            (
                self.of_univ(&witness, &t, e.span)?,
                self.is_of(&witness, &t, e.span)?,
            )
        };
        let ax = format!(
            "(=> (exists (({x} {sort})) (and {guard} {body})) (and {is} (let (({x} {value})) (and {guard} {body}))))"
        );
        self.axioms.push(if binders.is_empty() {
            ax
        } else {
            format!("(forall ({binders}) {ax})")
        });
        self.keyed.insert(key, f.clone());
        if free.is_empty() {
            self.note_choice(
                &witness,
                &rt,
                &x,
                &t,
                &format!("(and {guard} {body})"),
                e.span,
            )?;
        }
        Ok(witness)
    }

    /// TLA+'s CHOOSE is a function of the predicate: two CHOOSEs whose
    /// predicates hold of the same values are equal. Stated for every pair
    /// of ground CHOOSE terms, comparing the predicates over the universe:
    /// a CHOOSE whose variable has sort `t` (justified by its bound, so the
    /// predicate holds of no value outside `t`) holds of `u` iff `u` is the
    /// image of a value of `t` satisfying it.
    fn note_choice(
        &mut self,
        witness: &str,
        rt: &Type,
        x: &str,
        t: &Type,
        pred: &str,
        span: crate::source::Span,
    ) -> Res<()> {
        let y = "|chy|";
        let own = if *t == Type::Univ {
            super::super::ground::replace_token(pred, x, y)
        } else {
            let is = self.is_of(y, t, span)?;
            let value = self.of_univ(y, t, span)?;
            format!("(and {is} (let (({x} {value})) {pred}))")
        };
        let w = self.univ_of(witness, rt, span)?;
        let earlier: Vec<(String, String)> = self.choices.clone();
        let univ = self.sort(&Type::Univ, span)?;
        for (w2, p2) in earlier {
            self.axioms.push(format!(
                "(=> (forall (({y} {univ})) (= {own} {p2})) (= {w} {w2}))"
            ));
        }
        self.choices.push((w, own));
        Ok(())
    }

    /// A symbol `w` defined by `body` (a formula over `var`, which TLA+
    /// guarantees some value satisfies): one per distinct body, a function
    /// of the body's free variables, with the axiom `body[var := w]`.
    pub(crate) fn witness_symbol(
        &mut self,
        what: &str,
        sort: &str,
        var: &str,
        body: &str,
        span: crate::source::Span,
    ) -> Res<String> {
        let text = format!("witness {what} {sort} {var} {body}");
        let free = self.free_in(&text);
        let fsorts = self.free_sorts(&free, span)?;
        // The free names' sorts are part of what the symbol is a function
        // of: one bound name may be bound at two sorts in one obligation.
        let key = format!("{text} {}", fsorts.join(" "));
        if let Some(f) = self.keyed.get(&key) {
            return Ok(apply_name(f, &free));
        }
        let f = self.fresh(what);
        let mut binders = String::new();
        for (n, s) in free.iter().zip(&fsorts) {
            write!(binders, "({n} {s})").unwrap();
        }
        self.declare(&f, &fsorts, sort);
        let w = apply_name(&f, &free);
        let ax = format!("(let (({var} {w})) {body})");
        self.axioms.push(if binders.is_empty() {
            ax
        } else {
            format!("(forall ({binders}) {ax})")
        });
        self.keyed.insert(key, f.clone());
        Ok(w)
    }
}
