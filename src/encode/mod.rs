//! Stage 5: encode an obligation as an SMT-LIB2 script for Z3.
//!
//! Typed and unbounded: see [`sorts`] for how types become sorts. Hidden
//! definitions are uninterpreted functions of their arguments *and of the
//! state variables they read* (so `Op'` and `Op` coincide when the action
//! leaves those variables unchanged). Expanded definitions are inlined.
//! Membership `e \in S` is specialised on the form of `S` (set builder,
//! union, record set, `Nat` ...), which avoids building set terms.

mod canonical;
mod expr;
mod ground;
mod instances;
mod justify;
mod names;
mod normalize;
mod operator_facts;
pub mod sorts;
mod synth;
mod univ;

use crate::obligations::{Hypothesis, Obligation};
use crate::semantic::ir::*;
use crate::semantic::level::Levels;
use crate::semantic::program::Program;
use crate::source::Span;
use crate::types::Type;
use sorts::Sorts;
use std::collections::{BTreeMap, BTreeSet, HashMap, HashSet};
use std::fmt::Write;
use std::rc::Rc;

/// Why an obligation could not be encoded.
#[derive(Debug, Clone)]
pub struct EncodeError {
    pub span: Span,
    pub message: String,
}

pub type Res<T> = Result<T, EncodeError>;

pub fn unsupported<T>(span: Span, what: impl Into<String>) -> Res<T> {
    Err(EncodeError {
        span,
        message: format!("unsupported construct: {}", what.into()),
    })
}

/// A state variable or constant of the obligation, for counterexamples.
#[derive(Clone, Debug, serde::Serialize, serde::Deserialize)]
pub struct ModelItem {
    /// TLA+ name as shown (`maxBal`, `maxBal'`, `Acceptor`, `self`).
    pub name: String,
    pub smt: String,
    pub ty: Type,
    pub kind: ItemKind,
    /// The bound variable of a `Parameter` (its `BVar::id`).
    pub bvar: Option<u32>,
    /// The hidden definition whose value this item is.
    pub def: Option<DefId>,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub enum ItemKind {
    Constant,
    PreState,
    PostState,
    /// A NEW/PICK constant of the proof context (action parameters).
    Parameter,
}

/// The encoded obligation (serializable: it is sent to a solver worker).
#[derive(Clone, serde::Serialize, serde::Deserialize)]
pub struct Script {
    pub text: String,
    pub items: Vec<ModelItem>,
    /// SMT names of the goal's conjuncts with their TLA+ source text
    /// positions, so a counterexample can say which conjunct is false.
    pub goal_parts: Vec<(String, Span)>,
    /// String literals: (SMT constant, text).
    pub strings: Vec<(String, String)>,
    /// Record constructors (without `mk_`): their fields and types.
    pub ctors: HashMap<String, Vec<(String, Type)>>,
    /// Recursive function definitions whose equation was assumed: their
    /// termination must be proved for the result to stand.
    pub recursion: Vec<DefId>,
    /// Cited library facts left out (no instance could be encoded): a
    /// model of the script is then no counterexample.
    pub incomplete: Vec<String>,
    /// Lines of `text` without which a model may be finite (see
    /// `Sorts::infinite_model_axioms`).
    pub infinite_model_axioms: Vec<String>,
}

pub struct Encoder<'a> {
    pub(crate) prog: &'a mut Program,
    pub(crate) levels: Levels,
    pub(crate) sorts: Sorts,
    decls: Vec<String>,
    pub(crate) declared: HashSet<String>,
    pub(crate) axioms: Vec<String>,
    strings: BTreeMap<Rc<str>, String>,
    pub(crate) expand: BTreeSet<DefId>,
    /// Bound variables in scope: id -> SMT name.
    pub(crate) env: HashMap<u32, String>,
    pub(crate) primed: bool,
    /// Type substitution for generic library theorems.
    pub(crate) tysubst: HashMap<TyVar, Type>,
    /// Memo of CHOOSE witnesses and other keyed symbols.
    pub(crate) keyed: HashMap<String, String>,
    /// Keys of operator arguments of hidden higher-order definitions,
    /// numbered in order of first use (see `expr::operator_args`).
    pub(crate) operator_keys: HashMap<String, usize>,
    /// Temporal subformulas and hidden ENABLEDs met, each an opaque truth
    /// (see `expr::temporal_atoms`), with their free bound variables and
    /// their arguments' sorts.
    pub(crate) opaque_atoms: Vec<(E, Vec<BVar>, Vec<String>)>,
    pub(crate) counter: usize,
    pub(crate) depth: usize,
    pub(crate) items: Vec<ModelItem>,
    pub(crate) rec_fns: HashSet<(DefId, bool)>,
    /// Element types of sets seen, for instantiating generic facts.
    pub(crate) seen_set_types: BTreeSet<Type>,
    /// Sorts of bound variables by id (for witness symbols' signatures).
    pub(crate) bound_sorts: HashMap<String, String>,
    /// Per-obligation numbering of bound variables: SMT names must not
    /// depend on global ids (an unrelated edit once turned a 0.02 s proof
    /// into a timeout just by renumbering).
    bound_names: HashMap<u32, String>,
    /// While encoding a recursive function's existence condition: the
    /// definition and the variable standing for the function.
    pub(crate) rec_override: Option<(DefId, String)>,
    /// Use the defining equation of recursive functions unguarded; their
    /// termination is then an obligation of its own (`Script::recursion`).
    pub assume_termination: bool,
    pub(crate) recursion_used: BTreeSet<DefId>,
    /// Result sort of each declared symbol.
    pub(crate) result_sorts: HashMap<String, String>,
    /// Nesting depth of set lambdas being encoded (quantifiers inside them
    /// are abstracted into predicates, see `expr::abstract_quantifier`).
    pub(crate) in_lambda: usize,
    pub(crate) lambda_vars: u32,
    pub abstract_quantifiers: bool,
    /// Encode expanded predicates with parameters as symbols with defining
    /// equations (instead of inlining them).
    pub symbolic_predicates: bool,
    /// Ground set-valued symbols per (definition, arguments): the pre- and
    /// post-state applications, for frame case splits.
    pub(crate) state_pairs: BTreeMap<(DefId, String), (Option<String>, Option<String>)>,
    /// Ground set terms asked about (`IsFiniteSet`, `Cardinality`) and
    /// ground elements put into sets, per sort: where library facts are
    /// instantiated (see [`ground`]).
    pub(crate) ground_sets: BTreeMap<String, BTreeSet<String>>,
    pub(crate) ground_elements: BTreeMap<String, BTreeSet<String>>,
    /// Set once the obligation proper is encoded: terms of library facts
    /// are not candidates themselves.
    pub(crate) ground_frozen: bool,
    /// Ground set maps `{e : x \in S}` (see [`ground`]).
    pub(crate) ground_maps: Vec<E>,
    /// Library facts of which no instance could be encoded.
    pub(crate) incomplete: BTreeSet<String>,
    /// While a hypothesis with operator parameters is encoded: the
    /// substitutions of them to state it at (see
    /// `instances::operator_substitutions`).
    pub(crate) operator_choices: Option<Vec<HashMap<u32, E>>>,
    /// Abstracted subterms (`expr::abstract_term`) by symbol: how to define
    /// them and where they are used.
    pub(crate) abstractions: BTreeMap<String, AbstractionUses>,
    /// While the goal is encoded: candidate witnesses of its existentials
    /// (see `instances::witness_pool`), and how many more may be tried.
    pub(crate) witnesses: Option<Rc<Vec<E>>>,
    pub(crate) witness_budget: usize,
    /// Quantifiers being encoded around the current subformula: witnesses
    /// are tried only outside all of them.
    pub(crate) quant_depth: usize,
    /// CHOOSEs being encoded around the current subformula: each one's
    /// variable is named by its depth, so a nested CHOOSE neither captures
    /// nor counts as free the variable of the one around it.
    pub(crate) choose_depth: usize,
    /// Ground equalities between functions (see `extensionality_lemmas`).
    pub(crate) function_pairs: Vec<FunctionPair>,
    /// User predicates with one parameter applied in the obligation: where
    /// the operator parameter of an induction schema is instantiated.
    pub(crate) unary_predicates: Vec<DefId>,
    /// Sorts of bound variables and context constants (see `synth`).
    pub(crate) bvar_types: HashMap<u32, Type>,
    /// Sorts of constants and state variables the obligation justifies.
    pub(crate) symbols: justify::SymbolSorts,
    pub(crate) justified: HashMap<justify::Sym, Type>,
    /// The obligation's top-level facts (see `justify`).
    pub(crate) facts: justify::Facts,
    /// `x \in S` for the variables bound around the current subterm.
    pub(crate) local_members: Vec<(E, E)>,
    pub(crate) rec_fn_types: HashMap<DefId, Type>,
    /// What the obligation uses of the universe (see `univ`).
    pub(crate) universe: univ::UniverseUse,
    /// Signatures met per symbol base name (see `opaque_as`).
    pub(crate) signatures: BTreeMap<String, Vec<(Vec<Type>, Type)>>,
    /// The symbol name of each definition met, and the names taken (see
    /// `def_symbol`): two definitions may share a TLA+ name (a LET and a
    /// proof DEFINE) but never a symbol.
    pub(crate) def_symbols: HashMap<DefId, String>,
    pub(crate) def_symbols_taken: HashSet<String>,
    /// Ground CHOOSE witnesses as universe values, with their predicates
    /// over the universe variable `|chy|` (see `note_choice`).
    pub(crate) choices: Vec<(String, String)>,
    /// Ground equalities between values of the universe (see
    /// `universe_extensionality`).
    pub(crate) univ_pairs: Vec<(String, String)>,
    /// The pairs of `univ_pairs`, to keep it free of duplicates without a
    /// scan per pair (a 40,000-arm CASE notes 40,000 of them).
    pub(crate) univ_pairs_seen: HashSet<(String, String)>,
    /// Whether the sequent being encoded is asserted (a cited fact) rather
    /// than assumed inside one (see `sequent_parts`).
    pub(crate) sequent_positive: bool,
    /// While a fact of the FiniteSetTheorems library is encoded: it may be
    /// stated for every array of a sort, also arrays over the universe
    /// (which hold "sets" too big to be values) and inside its nested
    /// sequents, since its facts are theorems about the finite subsets of
    /// any set, the universe included.
    pub(crate) trusting_library: bool,
    /// While a cited fact is stated for all values of its NEW constants.
    pub(crate) univ_news: bool,
    /// The obligation's context constants (NEW, PICK).
    pub(crate) context_ids: HashSet<u32>,
    /// Where the formula being encoded stands: 1 if it is asserted (a
    /// hypothesis, or the conclusion of a cited fact), -1 if its negation is
    /// (the goal, a fact's hypotheses), 0 if both or unknown. A universal
    /// quantifier asserted (or an existential negated) may be stated for
    /// fewer values than all: the result is a weaker assumption.
    pub(crate) polarity: i8,
}

/// Two ground function terms compared for equality, with the name of
/// their function sort and the SMT sort of its domain.
#[derive(PartialEq)]
pub(crate) struct FunctionPair {
    pub fun: String,
    pub domain: String,
    pub left: String,
    pub right: String,
}

/// The definition of an abstraction symbol `F` (`F(head) = body`) and its
/// applications. When every application has ground arguments, the
/// definition is asserted at those arguments only (an equivalent, ground
/// set of axioms, since `F` occurs nowhere else); otherwise as a quantified
/// axiom. Ground definitions spare Z3's model search quantifiers over
/// arrays, where it otherwise times out instead of finding a counterexample.
pub(crate) struct AbstractionUses {
    pub binders: String,
    pub head: Vec<String>,
    pub body: String,
    pub ground_args: Vec<Vec<String>>,
    pub non_ground: bool,
}

impl AbstractionUses {
    fn axioms(&self, symbol: &str) -> Vec<String> {
        let head = self.head.join(" ");
        if self.non_ground {
            return vec![format!(
                "(forall ({}) (! (= ({symbol} {head}) {}) :pattern (({symbol} {head}))))",
                self.binders, self.body
            )];
        }
        self.ground_args
            .iter()
            .map(|args| {
                let body = self
                    .head
                    .iter()
                    .zip(args)
                    .fold(self.body.clone(), |b, (p, a)| {
                        ground::replace_token(&b, p, a)
                    });
                format!("(= ({symbol} {}) {body})", args.join(" "))
            })
            .collect()
    }
}

impl<'a> Encoder<'a> {
    pub fn new(prog: &'a mut Program, mut expand: BTreeSet<DefId>) -> Self {
        // A RECURSIVE operator is never expanded (see `recursive_ops`).
        expand.retain(|d| !prog.recursive_ops.contains(d));
        Encoder {
            prog,
            levels: Levels::default(),
            sorts: Sorts::default(),
            decls: Vec::new(),
            declared: HashSet::new(),
            axioms: Vec::new(),
            strings: BTreeMap::new(),
            expand,
            env: HashMap::new(),
            primed: false,
            tysubst: HashMap::new(),
            keyed: HashMap::new(),
            operator_keys: HashMap::new(),
            opaque_atoms: Vec::new(),
            counter: 0,
            depth: 0,
            items: Vec::new(),
            rec_fns: HashSet::new(),
            seen_set_types: BTreeSet::new(),
            bound_sorts: HashMap::new(),
            symbolic_predicates: std::env::var("TLASMT_INLINE").is_err(),
            state_pairs: BTreeMap::new(),
            ground_sets: BTreeMap::new(),
            ground_elements: BTreeMap::new(),
            ground_frozen: false,
            ground_maps: Vec::new(),
            incomplete: BTreeSet::new(),
            operator_choices: None,
            abstractions: BTreeMap::new(),
            unary_predicates: Vec::new(),
            function_pairs: Vec::new(),
            witnesses: None,
            witness_budget: 0,
            quant_depth: 0,
            choose_depth: 0,
            bound_names: HashMap::new(),
            rec_override: None,
            assume_termination: true,
            recursion_used: BTreeSet::new(),
            result_sorts: HashMap::new(),
            in_lambda: 0,
            lambda_vars: 0,
            abstract_quantifiers: std::env::var("TLASMT_NO_ABSTRACT").is_err(),
            bvar_types: HashMap::new(),
            symbols: justify::SymbolSorts::default(),
            justified: HashMap::new(),
            facts: justify::Facts::default(),
            local_members: Vec::new(),
            rec_fn_types: HashMap::new(),
            universe: univ::UniverseUse::default(),
            signatures: BTreeMap::new(),
            def_symbols: HashMap::new(),
            def_symbols_taken: HashSet::new(),
            choices: Vec::new(),
            univ_pairs: Vec::new(),
            univ_pairs_seen: HashSet::new(),
            sequent_positive: true,
            trusting_library: false,
            univ_news: false,
            context_ids: HashSet::new(),
            polarity: 0,
        }
    }

    /// The SMT name of a bound variable, numbered in order of first use.
    pub(crate) fn bname(&mut self, v: &BVar) -> String {
        let n = self.bound_names.len();
        self.bound_names
            .entry(v.id)
            .or_insert_with(|| format!("|{}#{n}|", names::mangle(&v.name)))
            .clone()
    }

    /// Bring a bound variable into scope: returns its SMT binder `(name
    /// sort)`. Its sort is the one set in `bvar_types` by the binder (see
    /// `synth`), else its candidate's flexible part.
    pub(crate) fn bind(&mut self, v: &BVar, span: Span) -> Res<String> {
        let n = self.bname(v);
        let t = self
            .bvar_types
            .get(&v.id)
            .cloned()
            .unwrap_or_else(|| synth::flex(&self.candidate_of(v.ty)));
        self.bvar_types.insert(v.id, t.clone());
        let s = self.sort(&t, span)?;
        self.bound_sorts.insert(n.clone(), s.clone());
        self.env.insert(v.id, n.clone());
        Ok(format!("({n} {s})"))
    }

    /// Is `name` declared as a 0-ary symbol (a global constant)?
    pub(crate) fn decls_text_has(&self, name: &str) -> bool {
        self.decls
            .iter()
            .any(|d| d.starts_with(&format!("(declare-fun {name} ()")))
    }

    pub(crate) fn apply_tysubst(&self, t: Type) -> Type {
        match t {
            Type::Var(v) => self
                .tysubst
                .get(&self.prog.types.find(v))
                .cloned()
                .unwrap_or(Type::Var(v)),
            Type::Set(e) => Type::Set(Box::new(self.apply_tysubst(*e))),
            Type::Fun(a, b) => Type::Fun(
                Box::new(self.apply_tysubst(*a)),
                Box::new(self.apply_tysubst(*b)),
            ),
            Type::Tuple(ts) => Type::Tuple(ts.into_iter().map(|t| self.apply_tysubst(t)).collect()),
            other => other,
        }
    }

    pub(crate) fn sort(&mut self, t: &Type, span: Span) -> Res<String> {
        self.sorts
            .sort(&self.prog.types, t)
            .map_err(|m| EncodeError {
                span,
                message: format!("cannot encode the type here: {m}"),
            })
    }

    pub(crate) fn sort_of(&mut self, e: &E) -> Res<String> {
        let t = self.ty(e);
        self.sort(&t, e.span)
    }

    pub(crate) fn fresh(&mut self, prefix: &str) -> String {
        self.counter += 1;
        format!("|{prefix}!{}|", self.counter)
    }

    /// Declare a function symbol once.
    pub(crate) fn declare(&mut self, name: &str, args: &[String], result: &str) {
        self.result_sorts
            .insert(name.to_string(), result.to_string());
        if self.declared.insert(name.to_string()) {
            self.decls.push(format!(
                "(declare-fun {name} ({}) {result})",
                args.join(" ")
            ));
        }
    }

    pub(crate) fn string_lit(&mut self, s: &Rc<str>) -> String {
        self.sorts.uses_str = true;
        let n = self.strings.len();
        self.strings
            .entry(s.clone())
            .or_insert_with(|| format!("|str{n}_{}|", sorts::sanitize(s)))
            .clone()
    }

    /// The SMT constant of a module constant.
    pub(crate) fn constant(&mut self, c: ConstId, span: Span) -> Res<String> {
        let decl = self.prog.consts[c.0 as usize].clone();
        let name = format!("|c_{}|", names::mangle(&decl.name));
        if !self.declared.contains(&name) {
            let e = Expr {
                kind: Kind::Const(c),
                span,
                ty: decl.ty,
            };
            let t = self.ty(&std::rc::Rc::new(e));
            let s = self.sort(&t, span)?;
            self.declare(&name, &[], &s);
            self.items.push(ModelItem {
                name: decl.name.to_string(),
                smt: name.clone(),
                ty: t,
                kind: ItemKind::Constant,
                bvar: None,
                def: None,
            });
        }
        Ok(name)
    }

    /// The SMT constant of a state variable in the current (primed?) state.
    pub(crate) fn variable(&mut self, v: VarId, primed: bool, span: Span) -> Res<String> {
        let decl = self.prog.vars[v.0 as usize].clone();
        let (name, shown) = if primed {
            (
                format!("|v_{}'|", names::mangle(&decl.name)),
                format!("{}'", decl.name),
            )
        } else {
            (
                format!("|v_{}|", names::mangle(&decl.name)),
                decl.name.to_string(),
            )
        };
        if !self.declared.contains(&name) {
            let t = self.var_type(v, primed);
            let s = self.sort(&t, span)?;
            self.declare(&name, &[], &s);
            self.items.push(ModelItem {
                name: shown,
                smt: name.clone(),
                ty: t,
                kind: if primed {
                    ItemKind::PostState
                } else {
                    ItemKind::PreState
                },
                bvar: None,
                def: None,
            });
        }
        Ok(name)
    }

    /// Declare a proof-context constant (NEW, PICK) as a free constant.
    fn context_constant(&mut self, v: &BVar, span: Span) -> Res<String> {
        let name = self.bname(v);
        let t = self
            .bvar_types
            .get(&v.id)
            .cloned()
            .unwrap_or_else(|| synth::flex(&self.candidate_of(v.ty)));
        self.bvar_types.insert(v.id, t.clone());
        let s = self.sort(&t, span)?;
        self.declare(&name, &[], &s);
        self.env.insert(v.id, name.clone());
        self.items.push(ModelItem {
            name: v.name.to_string(),
            smt: name.clone(),
            ty: t,
            kind: ItemKind::Parameter,
            bvar: Some(v.id),
            def: None,
        });
        Ok(name)
    }

    fn hypothesis(&mut self, h: &Hypothesis, span: Span) -> Res<Vec<String>> {
        self.polarity = 1;
        let r = self.plain_hypothesis(h, span);
        self.polarity = 0;
        r
    }

    fn plain_hypothesis(&mut self, h: &Hypothesis, span: Span) -> Res<Vec<String>> {
        match h {
            Hypothesis::Formula(f) => Ok(vec![self.formula(f)?]),
            Hypothesis::Sequent(s) if !self.operator_params(s).is_empty() => {
                Ok(self.operator_fact(s, span))
            }
            Hypothesis::Sequent(s) => {
                // Stated for the hinted sorts of its NEW constants and, if
                // some hint is not flexible, also for all values: the
                // obligation's terms may be of either kind.
                let mut out = vec![self.sequent(s, span)?];
                out.extend(self.universe_instance(s, span)?);
                Ok(out)
            }
            Hypothesis::Library(t) => self.library(*t, span),
        }
    }

    /// `\A news : hyps => goal` as one formula.
    pub(crate) fn sequent(&mut self, s: &Sequent, span: Span) -> Res<String> {
        let (binders, body, _) = self.sequent_parts(s, span)?;
        Ok(quantify(&binders, body, &[]))
    }

    /// A sequent's binders `(name, sort)`, its body `hyps => goal`, and
    /// E-matching patterns: the `IsFiniteSet`/`Cardinality` terms of the
    /// goal that mention every binder. Without explicit patterns Z3 picks
    /// terms like `(select S x)` from a fact such as FS_AddElement, which
    /// match every array read and loop.
    #[allow(clippy::type_complexity)]
    fn sequent_parts(
        &mut self,
        s: &Sequent,
        span: Span,
    ) -> Res<(Vec<(String, String)>, String, Vec<String>)> {
        let mut binders = Vec::new();
        let mut guards = Vec::new();
        let saved = self.env.clone();
        let mark = self.local_members.len();
        let s = &self.sequent_through_set_maps(s);
        let result = (|| {
            for (v, dom) in &s.news {
                let candidate = self.candidate_of(v.ty);
                if matches!(candidate, Type::Fun(..)) && dom.is_none() && self.is_op_param(s, v) {
                    return unsupported(span, "an operator parameter (NEW F(_)) in a cited fact");
                }
                // A cited fact holds for all values of its NEW constants,
                // so stating it for fewer (a sort's) is a weaker fact; but
                // a fact inside a hypothesis of a fact is assumed, not
                // given, and there only every value will do.
                let t = match dom {
                    Some(d) => synth::elem(&self.ty(d)),
                    None if self.sequent_positive
                        && !self.univ_news
                        && (self.trusting_library || synth::value_complete(&candidate)) =>
                    {
                        candidate
                    }
                    None => Type::Univ,
                };
                self.bvar_types.insert(v.id, t.clone());
                let sort = self.sort(&t, span)?;
                let name = self.bname(v);
                self.bound_sorts.insert(name.clone(), sort.clone());
                binders.push((name.clone(), sort));
                self.env.insert(v.id, name.clone());
                if let Some(d) = dom {
                    guards.push(self.member(&name, &t, d)?);
                    self.push_member(v, d);
                }
            }
            let outer = self.polarity;
            self.polarity = -outer;
            for h in &s.hyps {
                match h {
                    Hyp::Fact(f) => guards.push(self.formula(f)?),
                    Hyp::Sequent(inner, sp) => {
                        let outer = self.sequent_positive;
                        self.sequent_positive = self.trusting_library;
                        let r = self.sequent(inner, *sp);
                        self.sequent_positive = outer;
                        guards.push(r?);
                    }
                }
            }
            self.polarity = outer;
            let goal = self.formula(&s.goal)?;
            let ids: Vec<u32> = s.news.iter().map(|(v, _)| v.id).collect();
            let mut patterns = Vec::new();
            for t in builtin_terms(&s.goal) {
                // A term under an inner binder cannot be a pattern here.
                if !ids.is_empty()
                    && ids.iter().all(|&id| mentions_bound(t, id))
                    && let Ok(p) = self.term(t)
                {
                    patterns.push(p);
                }
            }
            let body = if guards.is_empty() {
                goal
            } else {
                format!("(=> (and true {}) {goal})", guards.join(" "))
            };
            Ok((body, patterns))
        })();
        self.local_members.truncate(mark);
        self.env = saved;
        let (body, patterns) = result?;
        Ok((binders, body, patterns))
    }

    fn is_op_param(&self, s: &Sequent, v: &BVar) -> bool {
        fn uses(e: &E, v: &BVar) -> bool {
            if let Kind::OpParamApp(w, _) = &e.kind
                && w.id == v.id
            {
                return true;
            }
            crate::semantic::level::children(e)
                .into_iter()
                .any(|c| uses(c, v))
        }
        uses(&s.goal, v)
            || s.hyps
                .iter()
                .any(|h| matches!(h, Hyp::Fact(f) if uses(f, v)))
    }

    /// Instances of a generic library theorem at the sorts the obligation
    /// uses. Returns the instantiated formulas.
    fn library(&mut self, t: crate::semantic::program::ThmId, span: Span) -> Res<Vec<String>> {
        self.trusting_library = &*self.prog.theorem(t).module == "FiniteSetTheorems";
        let r = self.library_instances(t, span);
        self.trusting_library = false;
        r
    }

    fn library_instances(
        &mut self,
        t: crate::semantic::program::ThmId,
        span: Span,
    ) -> Res<Vec<String>> {
        let st = lift_forall(self.prog.theorem(t).statement.clone());
        let fact_name = self
            .prog
            .theorem(t)
            .name
            .as_deref()
            .unwrap_or("?")
            .to_string();
        if let Some(choices) = self.operator_choices.take()
            && !choices.is_empty()
        {
            return Ok(self.operator_library_fact(&st, &fact_name, &choices, span));
        }
        if let Some(instances) = self.schema_instances(&st, span) {
            if instances.is_empty() {
                self.incomplete.insert(fact_name);
            }
            return Ok(instances);
        }
        if let Some(instances) = self.image_instances(&st) {
            if matches!(&instances, Ok(v) if v.is_empty()) {
                self.incomplete.insert(fact_name);
            }
            return instances;
        }
        self.generic_instances(&st, &fact_name, span)
    }

    /// A library statement at the candidate element types for its type
    /// variables (each as a quantified fact and at the remembered ground
    /// terms); the fact is noted incomplete if no instance can be encoded.
    pub(crate) fn generic_instances(
        &mut self,
        st: &Sequent,
        fact_name: &str,
        span: Span,
    ) -> Res<Vec<String>> {
        let mut vars = BTreeSet::new();
        for (v, _) in &st.news {
            collect_tyvars(&self.prog.types.resolve(v.ty), &self.prog.types, &mut vars);
        }
        let mut exprs: Vec<E> = vec![st.goal.clone()];
        for h in &st.hyps {
            if let Hyp::Fact(f) = h {
                exprs.push(f.clone());
            }
        }
        while let Some(e) = exprs.pop() {
            collect_tyvars(&self.prog.types.resolve(e.ty), &self.prog.types, &mut vars);
            exprs.extend(crate::semantic::level::children(&e).into_iter().cloned());
        }
        let mut candidates: Vec<Type> = self.element_types();
        if candidates.is_empty() {
            // No sort of the obligation's own: the statement for all values.
            candidates.push(Type::Univ);
        }
        let vars: Vec<TyVar> = vars.into_iter().collect();
        let mut out = Vec::new();
        if vars.is_empty() {
            let (binders, body, patterns) = self.sequent_parts(st, span)?;
            out.extend(self.ground_instances(&binders, &body));
            out.push(quantify(&binders, body, &patterns));
            out.extend(self.universe_instance(st, span)?);
            return Ok(out);
        }
        // Assignments of candidate element types to the theorem's type
        // variables: all of them when few, otherwise the same candidate for
        // every variable (each `{}` of a statement has its own variable;
        // the full product grows as candidates^variables). Fewer instances
        // of a true fact is always sound.
        let full = candidates
            .len()
            .checked_pow(vars.len() as u32)
            .is_some_and(|n| n <= 16);
        let assignments: Vec<Vec<usize>> = if full {
            let mut all = vec![Vec::new()];
            for _ in &vars {
                all = all
                    .into_iter()
                    .flat_map(|a| {
                        (0..candidates.len()).map(move |c| {
                            let mut a = a.clone();
                            a.push(c);
                            a
                        })
                    })
                    .collect();
            }
            all
        } else {
            (0..candidates.len()).map(|c| vec![c; vars.len()]).collect()
        };
        for assignment in assignments {
            for (v, i) in vars.iter().zip(&assignment) {
                self.tysubst.insert(*v, candidates[*i].clone());
            }
            // An instance that does not fit (e.g. an operator parameter) is
            // simply not added.
            match self.sequent_parts(st, span) {
                Ok((binders, body, patterns)) => {
                    out.extend(self.ground_instances(&binders, &body));
                    out.push(quantify(&binders, body, &patterns));
                }
                Err(e) => tracing::debug!("library instance {fact_name} left out: {}", e.message),
            }
        }
        self.tysubst.clear();
        if out.is_empty() {
            self.incomplete.insert(fact_name.to_string());
        }
        Ok(out)
    }

    /// A cited fact stated for all values of its NEW constants without a
    /// bound, when some of them have a hinted sort that is not flexible
    /// (then the first statement covered only that sort's values).
    fn universe_instance(&mut self, st: &Sequent, span: Span) -> Res<Vec<String>> {
        let rigid = st
            .news
            .iter()
            .any(|(v, d)| d.is_none() && !synth::flexible(&self.candidate_of(v.ty)));
        if !rigid {
            return Ok(Vec::new());
        }
        self.univ_news = true;
        let r = self.sequent_parts(st, span);
        self.univ_news = false;
        let (binders, body, patterns) = r?;
        let mut out = self.ground_instances(&binders, &body);
        out.push(quantify(&binders, body, &patterns));
        Ok(out)
    }

    /// Element types of the sets the obligation mentions so far.
    fn element_types(&self) -> Vec<Type> {
        let mut out: BTreeSet<Type> = BTreeSet::new();
        for t in self.seen_set_types.iter() {
            out.insert(t.clone());
        }
        out.into_iter().collect()
    }

    /// Encode a whole obligation.
    pub fn obligation(self, ob: &Obligation) -> Res<Script> {
        self.obligation_normalized(ob).map(|(script, _)| script)
    }

    /// Encode a whole obligation; also the obligation as encoded (after
    /// `normalize`), whose context constants are the script's `Parameter`
    /// items.
    pub fn obligation_normalized(mut self, ob: &Obligation) -> Res<(Script, Obligation)> {
        let normalized = self.normalize(ob);
        let ob = &normalized;
        self.context_ids = ob.news.iter().map(|(v, _)| v.id).collect();
        self.justify(ob);
        let mut asserts = Vec::new();
        for (v, dom) in &ob.news {
            if self.prog.op_params.contains(&v.id) {
                // Declared where applied, at the sorts of its arguments.
                continue;
            }
            let name = self.context_constant(v, ob.span)?;
            if let Some(d) = dom {
                let t = self.bvar_types.get(&v.id).cloned().unwrap_or(Type::Univ);
                let m = self.member(&name, &t, d)?;
                asserts.push(m);
            }
        }
        let stated: Vec<&E> = ob
            .hyps
            .iter()
            .filter_map(|h| match h {
                Hypothesis::Formula(f) => Some(f),
                _ => None,
            })
            .collect();
        let mut per_hypothesis = self.hypothesis_instances(ob, &stated).into_iter();
        let mut library = Vec::new();
        for h in &ob.hyps {
            let (of_h, choices) = per_hypothesis.next().unwrap_or_default();
            if let Hypothesis::Library(_) = h {
                library.push((h.clone(), of_h, choices));
                continue;
            }
            self.operator_choices = choices;
            asserts.extend(self.hypothesis(h, ob.span)?);
            for instance in &of_h {
                asserts.push(self.encode_instance(instance)?);
            }
        }
        // The goal, split into named conjuncts for counterexamples.
        let mut goal_parts = Vec::new();
        let parts = self.goal_conjuncts(&ob.goal);
        let mut goal_terms = Vec::new();
        let expand = self.expand.clone();
        let prog: &Program = self.prog;
        let named_set = |e: &E| match &e.kind {
            // A step's DEFINE is lifted over the context's constants.
            Kind::App(d, args) => {
                args.iter().all(|a| matches!(a.kind, Kind::Bound(_)))
                    && expand.contains(d)
                    && matches!(&prog.def(*d).body, DefBody::Expr(b)
                        if matches!(b.kind, Kind::SetMap(..) | Kind::SetFilter(..)))
            }
            _ => false,
        };
        let pool = instances::witness_pool(&ob.news, stated.into_iter(), named_set);
        self.witnesses = Some(Rc::new(pool));
        self.witness_budget = instances::WITNESSES_PER_GOAL;
        for p in &parts {
            self.polarity = -1;
            let f = self.formula(p);
            self.polarity = 0;
            let f = f?;
            let name = self.fresh("goal");
            self.declare(&name, &[], "Bool");
            // `F => g` (not `g = F`): F then occurs only negatively, so Z3
            // can skolemize the negated goal; a false `g` in a model still
            // means F is false there.
            asserts.push(format!("(=> {f} {name})"));
            goal_terms.push(name.clone());
            goal_parts.push((name, p.span));
        }
        self.witnesses = None;
        asserts.extend(self.extensionality_lemmas());
        // Library facts last: they are instantiated at the sorts and ground
        // terms seen.
        self.ground_frozen = true;
        for (h, of_h, choices) in library {
            self.operator_choices = choices;
            asserts.extend(self.hypothesis(&h, ob.span)?);
            // `\A S : P(S)` also at the sets the obligation writes where
            // the fact's `S` stands (`x \notin Int \cup STRING`).
            for instance in &of_h {
                asserts.push(self.encode_instance(instance)?);
            }
        }
        asserts.extend(self.universe_extensionality());
        asserts.extend(self.signature_links(ob.span)?);
        asserts.extend(self.universe_axioms(ob.span)?);
        asserts.push(format!("(not (and true {}))", goal_terms.join(" ")));
        // Frame splits: a fresh atom equal to "this set is unchanged by the
        // step" makes Z3 decide that equality by extensionality, after which
        // congruence identifies everything built on it. The atom is defined
        // as the equality, so this adds no assumption.
        let pairs: Vec<(String, String)> = self
            .state_pairs
            .values()
            .filter_map(|(pre, post)| Some((pre.clone()?, post.clone()?)))
            .collect();
        for (pre, post) in pairs {
            // The two states' symbols may have different sorts (an integer
            // before, a universe value after): no split for those.
            let sort = |t: &str| {
                let head = t.trim_start_matches('(').split(' ').next().unwrap_or("");
                self.result_sorts.get(head).cloned()
            };
            if sort(&pre).is_none() || sort(&pre) != sort(&post) {
                continue;
            }
            let atom = self.fresh("unchanged");
            self.declare(&atom, &[], "Bool");
            asserts.push(format!("(= {atom} (= {post} {pre}))"));
        }
        let mut text = String::new();
        let definitions: Vec<String> = self
            .abstractions
            .iter()
            .flat_map(|(symbol, uses)| uses.axioms(symbol))
            .collect();
        self.axioms.extend(definitions);
        let literals: Vec<&str> = self.strings.values().map(String::as_str).collect();
        text.push_str(&self.sorts.declarations(&literals));
        for d in &self.decls {
            writeln!(text, "{d}").unwrap();
        }
        for a in self.axioms.iter().chain(asserts.iter()) {
            writeln!(text, "(assert {})", canonical::canonical_binders(a)).unwrap();
        }
        let strings = self
            .strings
            .iter()
            .map(|(text, smt)| (smt.clone(), text.to_string()))
            .collect();
        let ctors = self
            .sorts
            .families
            .values()
            .flat_map(|f| f.shapes.iter())
            .map(|s| {
                let fields = s
                    .fields
                    .iter()
                    .map(|(n, t)| (n.to_string(), t.clone()))
                    .collect();
                (s.ctor.clone(), fields)
            })
            .collect();
        let script = Script {
            text,
            items: self.items,
            goal_parts,
            strings,
            ctors,
            recursion: self.recursion_used.into_iter().collect(),
            incomplete: self.incomplete.into_iter().collect(),
            infinite_model_axioms: self.sorts.infinite_model_axioms(),
        };
        Ok((script, normalized))
    }

    /// TLA+'s extensionality at every ground function equality `f = g` of
    /// the obligation: if `f` and `g` have the same domain and agree on it
    /// at a fresh point `d` (standing for "any point"), they are equal.
    /// Functions are encoded as (values, domain) pairs whose values outside
    /// the domain are unspecified symbols, so `f = g` does not follow from
    /// the arrays without this. The lemma holds in every model where those
    /// outside values are chosen as a function of the values on the domain,
    /// and such a model exists whenever any does (nothing else constrains
    /// them), so asserting it is sound. The point `d` is a Skolem constant
    /// of the negated `\A d`, which keeps the lemma free of quantifiers.
    fn extensionality_lemmas(&mut self) -> Vec<String> {
        let pairs = std::mem::take(&mut self.function_pairs);
        let mut out = Vec::new();
        for p in &pairs {
            let d = self.fresh("ext");
            self.declare(&d, &[], &p.domain);
            let (f, l, r) = (&p.fun, &p.left, &p.right);
            out.push(format!(
                "(=> (and (= (|dom_{f}| {l}) (|dom_{f}| {r})) (=> (select (|dom_{f}| {l}) {d}) (= (select (|app_{f}| {l}) {d}) (select (|app_{f}| {r}) {d})))) (= {l} {r}))"
            ));
        }
        out
    }

    /// Split a goal into its top-level conjuncts (through expanded 0-ary
    /// definitions such as `Inv`), for reporting which one is false.
    fn goal_conjuncts(&mut self, goal: &E) -> Vec<E> {
        match &goal.kind {
            Kind::And(items) => items.clone(),
            _ => vec![goal.clone()],
        }
    }
}

/// `(forall binders body)` with the given alternative patterns, or `body`
/// without binders.
fn quantify(binders: &[(String, String)], body: String, patterns: &[String]) -> String {
    if binders.is_empty() {
        return body;
    }
    let list: String = binders.iter().map(|(n, s)| format!("({n} {s})")).collect();
    if patterns.is_empty() {
        return format!("(forall ({list}) {body})");
    }
    let pats: String = patterns
        .iter()
        .map(|p| format!(" :pattern ({p})"))
        .collect();
    format!("(forall ({list}) (! {body}{pats}))")
}

/// A statement `\A x, .. : P` (unbounded) as `ASSUME NEW x, .. PROVE P`:
/// the same fact, whose NEW constants get instances at the obligation's
/// ground terms (see `ground_instances`).
fn lift_forall(st: Sequent) -> Sequent {
    if !st.is_plain() {
        return st;
    }
    match &st.goal.kind {
        Kind::Forall(bs, body) if bs.iter().all(|(_, d)| d.is_none()) => Sequent {
            news: bs.clone(),
            hyps: Vec::new(),
            goal: body.clone(),
        },
        _ => st,
    }
}

/// The `IsFiniteSet`/`Cardinality` applications inside a formula.
fn builtin_terms(e: &E) -> Vec<&E> {
    let mut out = Vec::new();
    let mut todo = vec![e];
    while let Some(e) = todo.pop() {
        if matches!(e.kind, Kind::Builtin(..)) {
            out.push(e);
        }
        todo.extend(crate::semantic::level::children(e));
    }
    out
}

fn collect_tyvars(t: &Type, store: &crate::types::TypeStore, out: &mut BTreeSet<TyVar>) {
    match t {
        Type::Var(v) => {
            out.insert(store.find(*v));
        }
        Type::Set(e) => collect_tyvars(e, store, out),
        Type::Fun(a, b) => {
            collect_tyvars(a, store, out);
            collect_tyvars(b, store, out);
        }
        Type::Tuple(ts) => ts.iter().for_each(|t| collect_tyvars(t, store, out)),
        _ => {}
    }
}
