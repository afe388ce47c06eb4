//! Rewrites Z3's extensions of terms into SMT-LIB 2.6.
//!
//! * `(lambda ((x S)) body)` becomes `(f v1 .. vk)` for a fresh function
//!   `f : S1 .. Sk -> (Array S T)` of the lambda's free bound variables
//!   `v1 .. vk` (bound by enclosing quantifiers, lets, lambdas or the
//!   parameters of a define-fun), with the axiom
//!   `(forall ((v1 S1) .. (vk Sk) (x S)) (= (select (f v1 .. vk) x) body))`.
//!   Arrays are extensional, so for every `v` the axiom fixes `f v` to be
//!   exactly the array the lambda denotes: a model of the original extends
//!   to one of the translation (interpret `f` by the lambda) and every model
//!   of the translation satisfies the original. The problem is the same.
//! * `((_ map g) a1 .. an)` is the array `(lambda ((i I)) (g (select a1 i) ..))`,
//!   eliminated as above (after the set identities of `set_algebra`).
//! * `((as const (Array I E)) v)` is standard, but solvers (cvc5) accept
//!   only a value as `v`; any other `v` is treated as `(lambda ((x I)) v)`.
//! * `(and t)`, `(or t)`, `(+ t)`, `(* t)` become `t` (the standard gives
//!   these operators at least two arguments; Z3 accepts one).
//!
//! The fresh declarations and axioms go right before the command that used
//! them; identical lambdas and maps share one function.

use super::Error;
use super::sexpr::{Kind, Sexp};
use super::sorts::{self, Scope, Signature, Sort, array_sort};
use std::collections::{HashMap, HashSet};

pub struct Rewriter {
    pub sig: Signature,
    /// Every symbol of the input and every fresh one, so fresh names are new.
    taken: HashSet<String>,
    next: usize,
    /// Lambdas and maps already defined: key -> fresh function name.
    defined: HashMap<String, String>,
    /// Declarations and axioms to emit before the current command.
    pub pending: Vec<Sexp>,
    /// See `index_var`.
    index: Option<String>,
}

impl Rewriter {
    pub fn new(taken: HashSet<String>) -> Rewriter {
        Rewriter {
            sig: Signature::default(),
            taken,
            next: 0,
            defined: HashMap::new(),
            pending: Vec::new(),
            index: None,
        }
    }

    /// Forget the shared functions (after a `pop` their declarations are gone).
    pub fn forget_definitions(&mut self) {
        self.defined.clear();
    }

    pub fn fresh(&mut self, prefix: &str) -> String {
        loop {
            let name = format!("{prefix}!{}", self.next);
            self.next += 1;
            if self.taken.insert(name.clone()) {
                return name;
            }
        }
    }

    /// The standard form of `term`, whose bound variables in scope are `scope`.
    pub fn term(&mut self, term: &Sexp, scope: &mut Scope) -> Result<Sexp, Error> {
        let Kind::List(items) = &term.kind else {
            return Ok(term.clone());
        };
        let Some((head, args)) = items.split_first() else {
            return Err(term.error("() is not a term"));
        };
        let with = |items: Vec<Sexp>| Sexp {
            kind: Kind::List(items),
            line: term.line,
            col: term.col,
        };
        match &head.kind {
            Kind::Word(w) => self.binder(term, w, args, scope),
            Kind::List(h) => {
                let args = self.terms(args, scope)?;
                match h.as_slice() {
                    [u, map, f] if u.is_word("_") && map.is_symbol("map") => {
                        self.map(term, f, args, scope)
                    }
                    [a, c, sort] if a.is_word("as") && c.is_symbol("const") => {
                        match args.as_slice() {
                            [v] if is_value(v) => Ok(with(vec![head.clone(), v.clone()])),
                            [v] => {
                                let (index, _) = sorts::array_parts(sort).ok_or_else(|| {
                                    sort.error(format!("const of a non-array sort {sort}"))
                                })?;
                                let x = self.index_var();
                                self.lambda(&x, &index.clone(), v.clone(), scope)
                            }
                            _ => Err(term.error("a constant array takes one argument")),
                        }
                    }
                    _ => {
                        let mut out = vec![head.clone()];
                        out.extend(args);
                        Ok(with(out))
                    }
                }
            }
            Kind::Symbol(f) => {
                let args = self.terms(args, scope)?;
                Ok(apply(term, f, args))
            }
            _ => Err(term.error(format!("{head} is not a function"))),
        }
    }

    fn terms(&mut self, terms: &[Sexp], scope: &mut Scope) -> Result<Vec<Sexp>, Error> {
        terms.iter().map(|t| self.term(t, scope)).collect()
    }

    /// `let`, `forall`, `exists`, `lambda`, `!`, `as`.
    fn binder(
        &mut self,
        term: &Sexp,
        word: &str,
        args: &[Sexp],
        scope: &mut Scope,
    ) -> Result<Sexp, Error> {
        let head = Sexp::word(word);
        match (word, args) {
            ("as", _) => Ok(term.clone()),
            ("!", [body, attrs @ ..]) => {
                let body = self.term(body, scope)?;
                let mut out = vec![head, body.clone()];
                for (key, value) in sorts::attributes(attrs)? {
                    // `:pattern` and `:named` are the standard's; the rest
                    // (Z3's `:qid`, `:weight`, ...) steer a solver and mean
                    // nothing for the problem.
                    match (key, value) {
                        ("pattern", Some(terms)) => {
                            let terms = terms
                                .as_list()
                                .ok_or_else(|| terms.error("a pattern is a list of terms"))?;
                            out.push(Sexp::new(Kind::Keyword(key.into())));
                            out.push(Sexp::list(self.terms(terms, scope)?));
                        }
                        ("named", Some(v)) => {
                            out.push(Sexp::new(Kind::Keyword(key.into())));
                            out.push(v.clone());
                        }
                        _ => {}
                    }
                }
                Ok(if out.len() == 2 {
                    body
                } else {
                    Sexp::list(out)
                })
            }
            ("let", [bindings, body]) => {
                let mut pairs = Vec::new();
                let mut bound = Vec::new();
                for (name, value) in sorts::let_bindings(bindings)? {
                    let value = self.term(value, scope)?;
                    bound.push((name.to_string(), self.sig.sort_of(&value, scope)));
                    pairs.push(Sexp::list(vec![Sexp::sym(name), value]));
                }
                let depth = scope.len();
                scope.extend(bound);
                let body = self.term(body, scope);
                scope.truncate(depth);
                Ok(Sexp::list(vec![head, Sexp::list(pairs), body?]))
            }
            ("forall" | "exists" | "lambda", [vars, body]) => {
                let list = sorts::sorted_vars(vars)?;
                let depth = scope.len();
                scope.extend(list.iter().map(|(n, s)| (n.to_string(), Ok((*s).clone()))));
                let body = self.term(body, scope);
                scope.truncate(depth);
                let body = body?;
                if word != "lambda" {
                    return Ok(Sexp::list(vec![head, vars.clone(), body]));
                }
                match list.as_slice() {
                    [(x, sort)] => self.lambda(x, sort, body, scope),
                    _ => Err(term.error(
                        "a lambda of several variables (a multi-index array) has no SMT-LIB 2.6 form",
                    )),
                }
            }
            _ => Err(term.error(format!("unsupported {word} term"))),
        }
    }

    /// `(lambda ((x sort)) body)`, body already in standard form.
    fn lambda(
        &mut self,
        x: &str,
        sort: &Sort,
        body: Sexp,
        scope: &mut Scope,
    ) -> Result<Sexp, Error> {
        self.sig.check_sort(sort)?;
        scope.push((x.to_string(), Ok(sort.clone())));
        let body_sort = self.sig.sort_of(&body, scope);
        scope.pop();
        let body_sort = body_sort?;
        // The free variables, outermost first, each at its innermost binding.
        let mut free = HashSet::new();
        free_symbols(&body, &mut free);
        free.remove(x);
        let mut params: Vec<(String, Sort)> = Vec::new();
        for (name, s) in scope.iter().rev() {
            if free.remove(name.as_str()) {
                params.push((name.clone(), s.clone()?));
            }
        }
        params.reverse();
        let param_list = Sexp::list(
            params
                .iter()
                .map(|(n, s)| Sexp::list(vec![Sexp::sym(n), s.clone()]))
                .collect(),
        );
        let key = format!("lambda {param_list} {x} {sort} {body}");
        let name = match self.defined.get(&key) {
            Some(name) => name.clone(),
            None => {
                let name = self.fresh("lambda");
                let arg_sorts: Vec<Sort> = params.iter().map(|(_, s)| s.clone()).collect();
                let result = array_sort(sort.clone(), body_sort);
                let app = application(&name, params.iter().map(|(n, _)| Sexp::sym(n)).collect());
                let mut vars = param_list.as_list().unwrap_or_default().to_vec();
                vars.push(Sexp::list(vec![Sexp::sym(x), sort.clone()]));
                self.define(&name, arg_sorts, result, vars, &app, x, body);
                self.defined.insert(key, name.clone());
                name
            }
        };
        Ok(application(
            &name,
            params.iter().map(|(n, _)| Sexp::sym(n)).collect(),
        ))
    }

    /// `((_ map f) args..)`, args already in standard form.
    fn map(
        &mut self,
        term: &Sexp,
        f: &Sexp,
        args: Vec<Sexp>,
        scope: &mut Scope,
    ) -> Result<Sexp, Error> {
        let fname = f
            .as_symbol()
            .ok_or_else(|| f.error("only a named function can be mapped"))?;
        if let Some(simple) = set_algebra(fname, &args) {
            return Ok(simple);
        }
        let arg_sorts = args
            .iter()
            .map(|a| self.sig.sort_of(a, scope))
            .collect::<Result<Vec<_>, _>>()?;
        let (index, elems) = sorts::map_arg_sorts(term, &arg_sorts)?;
        self.sig.apply_sort(term, fname, &elems)?;
        // The array [i |-> f(a1[i], ..)]: a lambda of the arrays' free
        // variables, so the axiom quantifies over indices only (measured:
        // an axiom over all arrays left Z3 and cvc5 unknown on steps they
        // prove this way).
        let i = self.index_var();
        let selects = args
            .iter()
            .map(|a| select(a.clone(), Sexp::sym(&i)))
            .collect();
        let body = apply(term, fname, selects);
        self.lambda(&i, &index, body, scope)
    }

    /// The bound variable of the arrays made from maps and constant
    /// arrays: one fresh name for all, so equal arrays share a function.
    fn index_var(&mut self) -> String {
        if self.index.is_none() {
            self.index = Some(self.fresh("i"));
        }
        self.index.clone().unwrap_or_default()
    }

    /// Declare `name : args -> result` and assert, for all `vars`,
    /// `(select app index) = body`, triggered on that select and on the
    /// selects at `index` of the arrays the body reads (see `upward`).
    #[allow(clippy::too_many_arguments)]
    fn define(
        &mut self,
        name: &str,
        args: Vec<Sort>,
        result: Sort,
        vars: Vec<Sexp>,
        app: &Sexp,
        index: &str,
        body: Sexp,
    ) {
        self.pending.push(Sexp::list(vec![
            Sexp::word("declare-fun"),
            Sexp::sym(name),
            Sexp::list(args.clone()),
            result.clone(),
        ]));
        self.sig
            .funs
            .insert(name.to_string(), sorts::Rank { args, result });
        let lhs = select(app.clone(), Sexp::sym(index));
        let mut triggers = vec![lhs.clone()];
        let params: Vec<&str> = vars
            .iter()
            .filter_map(|v| v.as_list()?.first()?.as_symbol())
            .filter(|v| *v != index)
            .collect();
        upward(&body, index, &params, &mut triggers);
        let eq = Sexp::list(vec![Sexp::sym("="), lhs, body]);
        let mut annotated = vec![Sexp::word("!"), eq];
        for t in triggers {
            annotated.push(Sexp::new(Kind::Keyword("pattern".into())));
            annotated.push(Sexp::list(vec![t]));
        }
        let axiom = Sexp::list(vec![
            Sexp::word("forall"),
            Sexp::list(vars),
            Sexp::list(annotated),
        ]);
        self.pending
            .push(Sexp::list(vec![Sexp::word("assert"), axiom]));
    }
}

/// Extra triggers of a lambda's axiom: the selects `(select A x)` in its
/// body (outside binders) whose array `A` does not mention `x` but mentions
/// every parameter. Z3 instantiates its native lambdas and maps whenever
/// such an `A` is read at some index (measured: `MaxBallot(S \cup T)` steps
/// need `(S \cup T)[i]` for an `i` only `S[i]` mentions); a pattern is
/// only a hint to the solver, so the axiom means the same.
fn upward(body: &Sexp, x: &str, params: &[&str], out: &mut Vec<Sexp>) {
    let Some(items) = body.as_list() else {
        return;
    };
    if items.first().is_some_and(|h| h.as_word().is_some()) {
        return;
    }
    if let [f, array, index] = items
        && f.is_symbol("select")
        && index.is_symbol(x)
        && !has_binder(array)
    {
        let mut free = HashSet::new();
        free_symbols(array, &mut free);
        if !free.contains(x) && params.iter().all(|p| free.contains(*p)) && !out.contains(body) {
            out.push(body.clone());
        }
        return;
    }
    items.iter().for_each(|i| upward(i, x, params, out));
}

fn has_binder(t: &Sexp) -> bool {
    t.as_list().is_some_and(|items| {
        items.first().is_some_and(|h| h.as_word().is_some()) || items.iter().any(has_binder)
    })
}

fn select(array: Sexp, index: Sexp) -> Sexp {
    Sexp::list(vec![Sexp::sym("select"), array, index])
}

/// `name` applied to `args` (the bare symbol when there are none).
fn application(name: &str, args: Vec<Sexp>) -> Sexp {
    if args.is_empty() {
        return Sexp::sym(name);
    }
    let mut items = vec![Sexp::sym(name)];
    items.extend(args);
    Sexp::list(items)
}

/// `f` applied to `args`, with the standard arities of the associative
/// operators restored.
fn apply(at: &Sexp, f: &str, mut args: Vec<Sexp>) -> Sexp {
    match (f, args.len()) {
        ("and" | "or" | "+" | "*", 1) => args.pop().unwrap_or_else(|| Sexp::sym("true")),
        _ => {
            let mut items = vec![Sexp::sym(f)];
            items.extend(args);
            Sexp {
                kind: Kind::List(items),
                line: at.line,
                col: at.col,
            }
        }
    }
}

/// Z3 rewrites a map over literal sets to stores before it searches, and
/// some proofs rely on it (measured: `S \cup {b}` as an opaque function
/// left a `MaxBallot` step of the refinement unproved by Z3 and cvc5).
/// These are pointwise identities, so the result is equal as an array:
/// * `(map or A A)` and `(map and A A)` are `A`;
/// * `(map not L)`, L a literal (stores of true/false into a constant array
///   of true/false), is L with every value negated;
/// * `(map or A L)`, L stores of `true` into `false`, is A with those stores
///   (`A \cup {k}`), and dually `(map and A L)` with `false` into `true`
///   (`A \ {k}`); either argument may be the literal.
fn set_algebra(f: &str, args: &[Sexp]) -> Option<Sexp> {
    let bool_lit = |b: bool| Sexp::sym(if b { "true" } else { "false" });
    match (f, args) {
        ("or" | "and", [a, b]) if a == b => Some(a.clone()),
        ("not", [l]) => {
            let (base, stores) = literal_set(l)?;
            let (head, _) = const_head(l)?;
            let mut out = Sexp::list(vec![head, bool_lit(!base)]);
            for (k, v) in stores {
                out = Sexp::list(vec![Sexp::sym("store"), out, k, bool_lit(!v)]);
            }
            Some(out)
        }
        ("or" | "and", [a, b]) => {
            // or: base false, stored values true; and: the dual.
            let unit = f == "and";
            let fits = |l: &Sexp| {
                literal_set(l).filter(|(base, stores)| {
                    *base == unit && stores.iter().all(|(_, v)| *v != unit)
                })
            };
            let (set, (_, stores)) = match (fits(b), fits(a)) {
                (Some(lit), _) => (a, lit),
                (None, Some(lit)) => (b, lit),
                (None, None) => return None,
            };
            let mut out = set.clone();
            for (k, _) in stores {
                out = Sexp::list(vec![Sexp::sym("store"), out, k, bool_lit(!unit)]);
            }
            Some(out)
        }
        _ => None,
    }
}

/// `((as const S) v)` -> its head and `v`.
fn const_head(l: &Sexp) -> Option<(Sexp, &Sexp)> {
    match l.as_list()? {
        [store, a, _, _] if store.is_symbol("store") => const_head(a),
        [head, v] => match head.as_list()? {
            [a, c, _] if a.is_word("as") && c.is_symbol("const") => Some((head.clone(), v)),
            _ => None,
        },
        _ => None,
    }
}

/// A Boolean array written as stores of literals into a constant literal:
/// the constant and the (key, value) stores, innermost first.
fn literal_set(l: &Sexp) -> Option<(bool, Vec<(Sexp, bool)>)> {
    let lit = |v: &Sexp| match v.as_symbol()? {
        "true" => Some(true),
        "false" => Some(false),
        _ => None,
    };
    match l.as_list()? {
        [store, a, k, v] if store.is_symbol("store") => {
            let (base, mut stores) = literal_set(a)?;
            stores.push((k.clone(), lit(v)?));
            Some((base, stores))
        }
        _ => Some((lit(const_head(l)?.1)?, Vec::new())),
    }
}

/// A literal every solver takes as the element of a constant array.
fn is_value(v: &Sexp) -> bool {
    matches!(v.kind, Kind::Numeral(_) | Kind::Decimal(_))
        || v.is_symbol("true")
        || v.is_symbol("false")
}

/// The symbols occurring free in `term` (function heads and sorts excluded:
/// only a bound variable can be a lambda's parameter, and those are
/// constants).
pub fn free_symbols(term: &Sexp, out: &mut HashSet<String>) {
    let Kind::List(items) = &term.kind else {
        if let Kind::Symbol(s) = &term.kind {
            out.insert(s.clone());
        }
        return;
    };
    let Some((head, args)) = items.split_first() else {
        return;
    };
    let without = |inner: HashSet<String>, bound: &[&str], out: &mut HashSet<String>| {
        out.extend(inner.into_iter().filter(|s| !bound.contains(&s.as_str())));
    };
    match (&head.kind, args) {
        (Kind::Word(w), [bindings, body]) if w == "let" => {
            let pairs = sorts::let_bindings(bindings).unwrap_or_default();
            for (_, value) in &pairs {
                free_symbols(value, out);
            }
            let mut inner = HashSet::new();
            free_symbols(body, &mut inner);
            let names: Vec<&str> = pairs.iter().map(|(n, _)| *n).collect();
            without(inner, &names, out);
        }
        (Kind::Word(w), [vars, body]) if matches!(w.as_str(), "forall" | "exists" | "lambda") => {
            let names: Vec<&str> = sorts::sorted_vars(vars)
                .unwrap_or_default()
                .iter()
                .map(|(n, _)| *n)
                .collect();
            let mut inner = HashSet::new();
            free_symbols(body, &mut inner);
            without(inner, &names, out);
        }
        (Kind::Word(w), [body, attrs @ ..]) if w == "!" => {
            free_symbols(body, out);
            for (_, value) in sorts::attributes(attrs).unwrap_or_default() {
                if let Some(terms) = value.and_then(|v| v.as_list()) {
                    terms.iter().for_each(|t| free_symbols(t, out));
                }
            }
        }
        (Kind::Word(_), _) => {}
        _ => args.iter().for_each(|a| free_symbols(a, out)),
    }
}
