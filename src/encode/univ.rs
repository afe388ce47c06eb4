//! The universe: TLA+ values outside any justified sort.
//!
//! TLA+ is untyped. The encoder gives a term a sort other than the universe
//! `U` only where the obligation justifies it (see `synth`); everything else
//! is a value of `U`, and so is every value a typed term is compared with
//! across sorts. Every sort embeds into `U` injectively (`inv(emb(x)) = x`);
//! no two sorts' images are assumed disjoint.
//!
//! On `U` the operators of TLA+ are uninterpreted functions (`U.mem`,
//! `U.app`, `U.+`, ...): outside the values where TLA+ specifies them they
//! give a value nothing constrains, exactly as TLA+ leaves it unspecified.
//! Where it does specify them, *coherence* axioms say so on the embedded
//! images of typed values: `U.app(emb f, emb x) = emb(f[x])` for `x` in the
//! domain of `f`, `U.+(emb a, emb b) = emb(a + b)` for integers, and so on.
//! Each axiom is a fact of TLA+ about the values the embedding denotes.

use super::{Encoder, Res, unsupported};
use crate::source::Span;
use crate::types::Type;
use std::collections::BTreeSet;
use std::fmt::Write;

/// An operator of TLA+ on the universe.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub(crate) enum UOp {
    /// `x \in S` (always Boolean in TLA+).
    Mem,
    /// `f[x]`.
    App,
    /// `DOMAIN f`.
    Dom,
    /// "is a function" (records and tuples are functions).
    IsFcn,
    Plus,
    Minus,
    Times,
    Div,
    Mod,
    Neg,
    /// `a < b` and `a <= b` as values (a Boolean for numbers, unspecified
    /// otherwise).
    Lt,
    Le,
    /// `a .. b`.
    Range,
    /// `IsFiniteSet(S)`.
    Finite,
    /// `Cardinality(S)`.
    Card,
}

impl UOp {
    pub(crate) fn name(self) -> &'static str {
        match self {
            UOp::Mem => "|U.mem|",
            UOp::App => "|U.app|",
            UOp::Dom => "|U.dom|",
            UOp::IsFcn => "|U.isfcn|",
            UOp::Plus => "|U.+|",
            UOp::Minus => "|U.-|",
            UOp::Times => "|U.*|",
            UOp::Div => "|U.div|",
            UOp::Mod => "|U.mod|",
            UOp::Neg => "|U.neg|",
            UOp::Lt => "|U.<|",
            UOp::Le => "|U.<=|",
            UOp::Range => "|U.range|",
            UOp::Finite => "|U.finite|",
            UOp::Card => "|U.card|",
        }
    }

    fn signature(self) -> (usize, &'static str) {
        match self {
            UOp::Mem => (2, "Bool"),
            UOp::IsFcn | UOp::Finite => (1, "Bool"),
            UOp::Dom | UOp::Neg | UOp::Card => (1, UNIV),
            _ => (2, UNIV),
        }
    }

    /// The SMT-LIB integer operator of an arithmetic operator, with the
    /// result sort.
    fn on_ints(self) -> Option<(&'static str, Type)> {
        Some(match self {
            UOp::Plus => ("+", Type::Int),
            UOp::Minus => ("-", Type::Int),
            UOp::Times => ("*", Type::Int),
            UOp::Div => ("div", Type::Int),
            UOp::Mod => ("mod", Type::Int),
            UOp::Lt => ("<", Type::Bool),
            UOp::Le => ("<=", Type::Bool),
            _ => return None,
        })
    }
}

/// The SMT sort of the universe.
pub(crate) const UNIV: &str = "U_ALL";

/// What of the universe an obligation uses: the operators and the typed
/// sorts embedded, so that the coherence axioms relating them are emitted
/// once, at the end (see [`Encoder::universe_axioms`]).
#[derive(Default)]
pub(crate) struct UniverseUse {
    pub ops: BTreeSet<UOp>,
    pub embedded: Vec<Type>,
    /// Coherence axioms already emitted, by (operator, type).
    done: BTreeSet<(UOp, Type)>,
    done_types: BTreeSet<Type>,
}

impl Encoder<'_> {
    /// The value `u` of the universe as a term of the uninterpreted sort
    /// `t`, stating (once) that it is in `t`'s image: sound for a ground
    /// term, see `synth::absorbing_sort`.
    pub(crate) fn absorb(&mut self, u: &str, t: &Type, span: Span) -> Res<String> {
        let is = self.is_of(u, t, span)?;
        let key = format!("absorb {is}");
        if let std::collections::hash_map::Entry::Vacant(slot) = self.keyed.entry(key) {
            slot.insert(String::new());
            self.axioms.push(is);
        }
        self.of_univ(u, t, span)
    }

    /// The name of a universe operator, declared.
    pub(crate) fn u_op(&mut self, op: UOp) -> String {
        self.sorts.sort(&self.prog.types, &Type::Univ).ok();
        let (arity, result) = op.signature();
        let args = vec![UNIV.to_string(); arity];
        let name = op.name();
        self.declare(name, &args, result);
        self.universe.ops.insert(op);
        name.to_string()
    }

    /// `TRUE` as a value of the universe.
    pub(crate) fn u_true(&mut self, span: Span) -> Res<String> {
        self.univ_of("true", &Type::Bool, span)
    }

    /// `text`, a term of type `t`, as a value of the universe.
    pub(crate) fn univ_of(&mut self, text: &str, t: &Type, span: Span) -> Res<String> {
        if *t == Type::Univ {
            return Ok(text.to_string());
        }
        let (emb, _) = self.embedding(t, span)?;
        Ok(format!("({emb} {text})"))
    }

    /// "The value `u` of the universe is the image of a value of type `t`".
    pub(crate) fn is_of(&mut self, u: &str, t: &Type, span: Span) -> Res<String> {
        if *t == Type::Univ {
            return Ok("true".into());
        }
        let (emb, inv) = self.embedding(t, span)?;
        Ok(format!("(= ({emb} ({inv} {u})) {u})"))
    }

    /// The value of type `t` whose image is `u` (meaningful where
    /// [`Encoder::is_of`] holds).
    pub(crate) fn of_univ(&mut self, u: &str, t: &Type, span: Span) -> Res<String> {
        if *t == Type::Univ {
            return Ok(u.to_string());
        }
        let (_, inv) = self.embedding(t, span)?;
        Ok(format!("({inv} {u})"))
    }

    /// The embedding of `t` into the universe (and its left inverse),
    /// registering the types its coherence axioms mention.
    fn embedding(&mut self, t: &Type, span: Span) -> Res<(String, String)> {
        if matches!(t, Type::Univ) {
            return unsupported(span, "embedding of the universe into itself");
        }
        let pair = self
            .sorts
            .embedding(&self.prog.types, t)
            .map_err(|m| super::EncodeError {
                span,
                message: format!("cannot embed the type into the universe: {m}"),
            })?;
        if !self.universe.embedded.contains(t) {
            self.universe.embedded.push(t.clone());
        }
        Ok(pair)
    }

    /// The coherence axioms between the universe operators used and the
    /// typed sorts embedded (see the module comment). Emitting one may
    /// embed further sorts (a function's domain set and range), so this
    /// runs to a fixpoint.
    pub(crate) fn universe_axioms(&mut self, span: Span) -> Res<Vec<String>> {
        let mut out = Vec::new();
        loop {
            let mut progress = false;
            let types = self.universe.embedded.clone();
            for t in &types {
                if self.universe.done_types.insert(t.clone()) {
                    progress = true;
                    out.extend(self.type_axioms(t, span)?);
                }
                for op in self.universe.ops.clone() {
                    if self.universe.done.insert((op, t.clone())) {
                        progress = true;
                        out.extend(self.coherence(op, t, span)?);
                    }
                }
            }
            if !progress {
                return Ok(out);
            }
        }
    }

    /// Axioms about the images of `t` that need no operator: a record or a
    /// tuple is a function with a known domain and values, which needs the
    /// function operators (declared here, as the facts are about them).
    fn type_axioms(&mut self, t: &Type, span: Span) -> Res<Vec<String>> {
        match t {
            Type::Rec(v) => self.record_axioms(*v, t, span),
            Type::Tuple(ts) => self.tuple_axioms(ts, t, span),
            Type::Set(e) if **e != Type::Univ => self.set_view_axiom(e, t, span),
            _ => Ok(Vec::new()),
        }
    }

    /// A set of sort `Set(T)` is, as a value, the set of the images of its
    /// elements: its image equals the image of that array over the
    /// universe. So sets of different element sorts with the same elements
    /// (the empty set of integers and of acceptors) have one image, and
    /// their equality is the arrays' extensionality.
    fn set_view_axiom(&mut self, e: &Type, t: &Type, span: Span) -> Res<Vec<String>> {
        let sort = self.sort(t, span)?;
        let s = self.univ_of("s", t, span)?;
        let is = self.is_of("u", e, span)?;
        let x = self.of_univ("u", e, span)?;
        let view = format!("(lambda ((u {UNIV})) (and {is} (select s {x})))");
        let univ_set = Type::Set(Box::new(Type::Univ));
        let image = self.univ_of(&view, &univ_set, span)?;
        Ok(vec![format!(
            "(forall ((s {sort})) (! (= {s} {image}) :pattern ({s})))"
        )])
    }

    fn coherence(&mut self, op: UOp, t: &Type, span: Span) -> Res<Vec<String>> {
        let sort = self.sort(t, span)?;
        let mut out = Vec::new();
        match (op, t) {
            (UOp::Mem, Type::Set(e)) => {
                let es = self.sort(e, span)?;
                let (s, x) = (self.univ_of("s", t, span)?, self.univ_of("x", e, span)?);
                let mem = op.name();
                out.push(format!(
                    "(forall ((s {sort}) (x {es})) (! (= ({mem} {x} {s}) (select s x)) :pattern (({mem} {x} {s}))))"
                ));
                if **e != Type::Univ {
                    let is = self.is_of("u", e, span)?;
                    out.push(format!(
                        "(forall ((s {sort}) (u {UNIV})) (! (=> ({mem} u {s}) {is}) :pattern (({mem} u {s}))))"
                    ));
                }
            }
            (UOp::App | UOp::Dom | UOp::IsFcn, Type::Fun(a, b)) => {
                let fname = self.sorts.fun_name(&sort);
                let f = self.univ_of("f", t, span)?;
                match op {
                    UOp::IsFcn => out.push(format!(
                        "(forall ((f {sort})) (! ({} {f}) :pattern ({f})))",
                        op.name()
                    )),
                    UOp::Dom => {
                        let dom_t = Type::Set(a.clone());
                        let dom = self.univ_of(&format!("(|dom_{fname}| f)"), &dom_t, span)?;
                        out.push(format!(
                            "(forall ((f {sort})) (! (= ({} {f}) {dom}) :pattern (({} {f}))))",
                            op.name(),
                            op.name()
                        ));
                    }
                    _ => {
                        let asort = self.sort(a, span)?;
                        let x = self.univ_of("x", a, span)?;
                        let v = self.univ_of(&format!("(select (|app_{fname}| f) x)"), b, span)?;
                        let app = op.name();
                        out.push(format!(
                            "(forall ((f {sort}) (x {asort})) (! (=> (select (|dom_{fname}| f) x) (= ({app} {f} {x}) {v})) :pattern (({app} {f} {x}))))"
                        ));
                    }
                }
            }
            (UOp::Finite | UOp::Card, Type::Set(e)) => {
                let base = if op == UOp::Finite {
                    "IsFiniteSet"
                } else {
                    "Cardinality"
                };
                let finite = self.builtin_symbol("IsFiniteSet", &sort, "Bool");
                let s = self.univ_of("s", t, span)?;
                let _ = e;
                if op == UOp::Finite {
                    out.push(format!(
                        "(forall ((s {sort})) (! (= ({} {s}) ({finite} s)) :pattern (({} {s}))))",
                        op.name(),
                        op.name()
                    ));
                } else {
                    let card = self.builtin_symbol(base, &sort, "Int");
                    let c = self.univ_of(&format!("({card} s)"), &Type::Int, span)?;
                    out.push(format!(
                        "(forall ((s {sort})) (! (=> ({finite} s) (= ({} {s}) {c})) :pattern (({} {s}))))",
                        op.name(),
                        op.name()
                    ));
                }
            }
            (UOp::Neg, Type::Int) => {
                let (a, r) = (self.univ_of("a", t, span)?, self.univ_of("(- a)", t, span)?);
                out.push(format!(
                    "(forall ((a Int)) (! (= ({} {a}) {r}) :pattern (({} {a}))))",
                    op.name(),
                    op.name()
                ));
            }
            (UOp::Range, Type::Int) => {
                // `x \in a..b` on the images of integers.
                self.u_op(UOp::Mem);
                let (a, b, x) = (
                    self.univ_of("a", t, span)?,
                    self.univ_of("b", t, span)?,
                    self.univ_of("x", t, span)?,
                );
                let is_int = self.is_of("u", t, span)?;
                let (range, mem) = (op.name(), UOp::Mem.name());
                out.push(format!(
                    "(forall ((a Int) (b Int) (x Int)) (! (= ({mem} {x} ({range} {a} {b})) (and (<= a x) (<= x b))) :pattern (({mem} {x} ({range} {a} {b})))))"
                ));
                // Whatever `a` and `b` are, `a .. b` is a set of integers
                // (`{i \in Int : a <= i /\ i <= b}`).
                out.push(format!(
                    "(forall ((a {UNIV}) (b {UNIV}) (u {UNIV})) (! (=> ({mem} u ({range} a b)) {is_int}) :pattern (({mem} u ({range} a b)))))"
                ));
            }
            (_, Type::Int) => {
                if let Some((smt, result)) = op.on_ints() {
                    let (a, b) = (self.univ_of("a", t, span)?, self.univ_of("b", t, span)?);
                    let r = self.univ_of(&format!("({smt} a b)"), &result, span)?;
                    // `\div` and `%` are specified for a positive divisor only.
                    let guard = if matches!(op, UOp::Div | UOp::Mod) {
                        "(> b 0)"
                    } else {
                        "true"
                    };
                    out.push(format!(
                        "(forall ((a Int) (b Int)) (! (=> {guard} (= ({} {a} {b}) {r})) :pattern (({} {a} {b}))))",
                        op.name(),
                        op.name()
                    ));
                }
            }
            _ => {}
        }
        Ok(out)
    }

    /// The image of a record of a family's shape is the universe's record
    /// of the same fields (see [`Encoder::u_record`]).
    fn record_axioms(
        &mut self,
        v: crate::semantic::ir::TyVar,
        t: &Type,
        span: Span,
    ) -> Res<Vec<String>> {
        let sort = self.sort(t, span)?;
        let Some(fam) = self.sorts.family_of(&self.prog.types, v).cloned() else {
            return Ok(Vec::new());
        };
        let r = self.univ_of("r", t, span)?;
        let mut out = Vec::new();
        for shape in &fam.shapes {
            let mut fields = Vec::new();
            for (f, ft) in &shape.fields {
                let value = self.univ_of(
                    &format!("(|{}_{}| r)", shape.ctor, super::sorts::sanitize(f)),
                    ft,
                    span,
                )?;
                fields.push((f.clone(), value));
            }
            let rec = self.u_record(&fields, span)?;
            out.push(format!(
                "(forall ((r {sort})) (! (=> ((_ is |mk_{}|) r) (= {r} {rec})) :pattern ({r})))",
                shape.ctor
            ));
        }
        Ok(out)
    }

    /// The record `[f1 |-> v1, ...]` of values of the universe: a function
    /// symbol of the field values (one per set of field names, fields in
    /// name order), so equal records are equal terms; its axiom says it is
    /// the function with the field names as domain and the fields as
    /// values.
    pub(crate) fn u_record(
        &mut self,
        fields: &[(std::rc::Rc<str>, String)],
        span: Span,
    ) -> Res<String> {
        let mut sorted: Vec<&(std::rc::Rc<str>, String)> = fields.iter().collect();
        sorted.sort_by(|a, b| a.0.cmp(&b.0));
        let names: Vec<&str> = sorted.iter().map(|(n, _)| &**n).collect();
        let name = self.u_record_symbol(&names, span)?;
        let args: Vec<&str> = sorted.iter().map(|(_, v)| v.as_str()).collect();
        Ok(if args.is_empty() {
            name
        } else {
            format!("({name} {})", args.join(" "))
        })
    }

    /// The symbol of the universe's records with the field names `names`
    /// (in name order), declared with its axioms: a record is the function
    /// with the field names as domain and the fields as values; and,
    /// conversely, a function with that domain is the record of its values
    /// (function extensionality, valid in TLA+). The universe has
    /// extensionality otherwise only at ground equalities, and without the
    /// converse `m = [type |-> "1c", bal |-> m.bal, val |-> m.val]` is not
    /// derivable for a member `m` of a record set bound by a quantifier.
    pub(crate) fn u_record_symbol(&mut self, names: &[&str], span: Span) -> Res<String> {
        let name = format!("|U.rec:{}|", names.join(","));
        if !self.declared.contains(&name) {
            let (isfcn, dom, app) = (
                self.u_op(UOp::IsFcn),
                self.u_op(UOp::Dom),
                self.u_op(UOp::App),
            );
            self.declare(&name, &vec![UNIV.to_string(); names.len()], UNIV);
            let vars: Vec<String> = (0..names.len()).map(|i| format!("v{i}")).collect();
            let binders: String = vars.iter().map(|v| format!("({v} {UNIV})")).collect();
            let head = if vars.is_empty() {
                name.clone()
            } else {
                format!("({name} {})", vars.join(" "))
            };
            let mut parts = vec![format!("({isfcn} {head})")];
            let mut keys = Vec::new();
            for (n, v) in names.iter().zip(&vars) {
                let lit = self.string_lit(&std::rc::Rc::from(*n));
                keys.push(lit.clone());
                let k = self.univ_of(&lit, &Type::Str, span)?;
                parts.push(format!("(= ({app} {head} {k}) {v})"));
            }
            let set = literal_set("Str", &keys);
            let set = self.univ_of(&set, &Type::Set(Box::new(Type::Str)), span)?;
            parts.push(format!("(= ({dom} {head}) {set})"));
            let body = format!("(and {})", parts.join(" "));
            self.axioms.push(if vars.is_empty() {
                body
            } else {
                format!("(forall ({binders}) (! {body} :pattern ({head})))")
            });
            // The converse, triggered by `DOMAIN u`: the record-set
            // membership of `u` states its domain. On the record's own
            // term it gives a record of the same fields, congruent to it.
            let fields: Vec<String> = keys
                .iter()
                .map(|k| Ok(format!("({app} u {})", self.univ_of(k, &Type::Str, span)?)))
                .collect::<Res<_>>()?;
            let rec = if fields.is_empty() {
                name.clone()
            } else {
                format!("({name} {})", fields.join(" "))
            };
            self.axioms.push(format!(
                "(forall ((u {UNIV})) (! (=> (and ({isfcn} u) (= ({dom} u) {set})) (= u {rec})) :pattern (({dom} u))))"
            ));
        }
        Ok(name)
    }

    /// `[f EXCEPT ![k] = v]` of values of the universe: a function symbol
    /// of `f`, `k` and `v` with its definition: the function with `f`'s
    /// domain whose value is `v` at `k` (if `k` is in the domain) and `f`'s
    /// elsewhere.
    pub(crate) fn u_except(&mut self, f: &str, k: &str, v: &str) -> String {
        let name = "|U.except|";
        if !self.declared.contains(name) {
            let (isfcn, dom, app, mem) = (
                self.u_op(UOp::IsFcn),
                self.u_op(UOp::Dom),
                self.u_op(UOp::App),
                self.u_op(UOp::Mem),
            );
            self.declare(name, &[UNIV.into(), UNIV.into(), UNIV.into()], UNIV);
            let g = format!("({name} f k v)");
            self.axioms.push(format!(
                "(forall ((f {UNIV}) (k {UNIV}) (v {UNIV})) (! (and ({isfcn} {g}) (= ({dom} {g}) ({dom} f))) :pattern ({g})))"
            ));
            self.axioms.push(format!(
                "(forall ((f {UNIV}) (k {UNIV}) (v {UNIV}) (y {UNIV})) (! (=> ({mem} y ({dom} f)) (= ({app} {g} y) (ite (= y k) v ({app} f y)))) :pattern (({app} {g} y))))"
            ));
        }
        format!("({name} {f} {k} {v})")
    }

    /// A tuple of n components is a function with domain `1..n`.
    fn tuple_axioms(&mut self, ts: &[Type], t: &Type, span: Span) -> Res<Vec<String>> {
        let sort = self.sort(t, span)?;
        let name = sort.trim_matches('|').to_string();
        let (isfcn, dom, app) = (
            self.u_op(UOp::IsFcn),
            self.u_op(UOp::Dom),
            self.u_op(UOp::App),
        );
        let x = self.univ_of("x", t, span)?;
        let mut parts = vec![format!("({isfcn} {x})")];
        let mut indices = Vec::new();
        for (i, ct) in ts.iter().enumerate() {
            let k = (i + 1).to_string();
            indices.push(k.clone());
            let key = self.univ_of(&k, &Type::Int, span)?;
            let value = self.univ_of(&format!("(|{name}_{}| x)", i + 1), ct, span)?;
            parts.push(format!("(= ({app} {x} {key}) {value})"));
        }
        let set = literal_set("Int", &indices);
        let set = self.univ_of(&set, &Type::Set(Box::new(Type::Int)), span)?;
        parts.push(format!("(= ({dom} {x}) {set})"));
        Ok(vec![format!(
            "(forall ((x {sort})) (! (and {}) :pattern ({x})))",
            parts.join(" ")
        )])
    }

    /// The symbol of a builtin set operator at a set sort, declared.
    pub(crate) fn builtin_symbol(&mut self, base: &str, set_sort: &str, result: &str) -> String {
        let name = format!("|{base}:{}|", set_sort.replace('|', ""));
        self.declare(&name, &[set_sort.to_string()], result);
        name
    }
}

/// The finite set of the given SMT constants of element sort `sort`.
pub(crate) fn literal_set(sort: &str, items: &[String]) -> String {
    let mut acc = format!("((as const (Array {sort} Bool)) false)");
    for i in items {
        let mut next = String::new();
        write!(next, "(store {acc} {i} true)").unwrap();
        acc = next;
    }
    acc
}

impl Encoder<'_> {
    /// Remember a ground equality between values of the universe: the
    /// obligation gets TLA+'s extensionality for it (see
    /// [`Encoder::universe_extensionality`]).
    pub(crate) fn note_univ_pair(&mut self, a: &str, b: &str) {
        if self.ground_frozen || !self.is_ground(a) || !self.is_ground(b) || a == b {
            return;
        }
        let pair = (a.to_string(), b.to_string());
        if self.univ_pairs_seen.insert(pair.clone()) {
            self.univ_pairs.push(pair);
        }
    }

    /// Extensionality at every ground equality `a = b` of the universe:
    /// values with the same elements are equal (every TLA+ value is a set),
    /// and functions with the same domain and the same values on it are
    /// equal. Each lemma is `(\A k : P(k)) => a = b` with the universal
    /// replaced by a fresh constant `k`: the lemma `P(k) => a = b` holds for
    /// a `k` chosen where `P` fails whenever `a # b`, and nothing else
    /// constrains `k`, so adding it is sound (Skolemization).
    pub(crate) fn universe_extensionality(&mut self) -> Vec<String> {
        let pairs = std::mem::take(&mut self.univ_pairs);
        self.univ_pairs_seen.clear();
        let mut out = Vec::new();
        // Both lemmas, whatever the obligation used so far: the universe's
        // coherence axioms (emitted later) relate these operations to the
        // sorts' own, e.g. a record and a function literal meet only there.
        for (a, b) in &pairs {
            let k = self.fresh("ext");
            self.declare(&k, &[], UNIV);
            let mem = self.u_op(UOp::Mem);
            out.push(format!(
                "(=> (= ({mem} {k} {a}) ({mem} {k} {b})) (= {a} {b}))"
            ));
            let k = self.fresh("ext");
            self.declare(&k, &[], UNIV);
            let (isfcn, dom, app) = (
                self.u_op(UOp::IsFcn),
                self.u_op(UOp::Dom),
                self.u_op(UOp::App),
            );
            out.push(format!(
                "(=> (and ({isfcn} {a}) ({isfcn} {b}) (= ({dom} {a}) ({dom} {b})) (=> ({mem} {k} ({dom} {a})) (= ({app} {a} {k}) ({app} {b} {k})))) (= {a} {b}))"
            ));
        }
        out
    }
}
