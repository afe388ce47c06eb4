//! Arrays indexed by arrays, for solvers that refuse them (cvc5 1.0:
//! "Arrays cannot be indexed by array types"). A set of sets of acceptors is
//! `(Array (Array U Bool) Bool)` in the encoder's output.
//!
//! For each array sort `A` used as an index, a fresh sort `Idx` and a
//! bijection `box : A -> Idx` (inverse `unbox`) stand in for it: the sort
//! `(Array A E)` becomes `(Array Idx E)` everywhere (declarations, datatype
//! fields, binders, constant arrays), and an index `i` of such an array,
//! in `select` and `store`, becomes `(box i)`. The axioms
//! `(forall ((a A)) (= (unbox (box a)) a))` and
//! `(forall ((j Idx)) (= (box (unbox j)) j))` make `box` a bijection, so
//! composing with it is an isomorphism between the two array sorts (each
//! is the set of all functions from its index sort): a model of either
//! script gives one of the other, and the problem is the same. Both axioms
//! are needed: with `box` injective only, two sets of sets could differ
//! only at an `Idx` element that boxes no array, and `S # T` with `S` and
//! `T` agreeing on every set would become satisfiable.

use super::Error;
use super::sexpr::{Kind, Sexp};
use super::sorts::{self, Scope, Signature, Sort, array_parts};
use std::collections::HashMap;

/// The stand-in sort of one array index sort.
struct Stand {
    sort: String,
    boxf: String,
    unbox: String,
}

#[derive(Default)]
pub struct Boxer {
    /// Translated index sort (printed) -> its stand-in.
    stands: HashMap<String, Stand>,
    /// Sort declarations to emit before the current command.
    pub sorts_before: Vec<Sexp>,
    /// The bijections' declarations and axioms; they go after a command
    /// that declares sorts (their sorts may be declared there), else before.
    pub funs: Vec<Sexp>,
}

impl Boxer {
    /// `sort` with every array index that is an array replaced by its
    /// stand-in.
    pub fn sort(&mut self, sort: &Sort, fresh: &mut impl FnMut(&str) -> String) -> Sort {
        let Kind::List(items) = &sort.kind else {
            return sort.clone();
        };
        let items: Vec<Sexp> = items.iter().map(|s| self.sort(s, fresh)).collect();
        let out = Sexp::list(items);
        let Some((index, elem)) = array_parts(&out) else {
            return out;
        };
        if array_parts(index).is_none() {
            return out;
        }
        let stand = Sexp::sym(&self.stand(index, fresh).sort);
        sorts::array_sort(stand, elem.clone())
    }

    /// The stand-in sort of the (translated) index sort `index`.
    fn stand(&mut self, index: &Sort, fresh: &mut impl FnMut(&str) -> String) -> &Stand {
        let key = index.to_string();
        if !self.stands.contains_key(&key) {
            let s = Stand {
                sort: fresh("Idx"),
                boxf: fresh("box"),
                unbox: fresh("unbox"),
            };
            let (a, j) = (fresh("a"), fresh("j"));
            let cmd = |name: &str, args: Vec<Sexp>| {
                let mut items = vec![Sexp::word(name)];
                items.extend(args);
                Sexp::list(items)
            };
            let app = |f: &str, x: Sexp| Sexp::list(vec![Sexp::sym(f), x]);
            let idx = Sexp::sym(&s.sort);
            self.sorts_before.push(cmd(
                "declare-sort",
                vec![idx.clone(), Sexp::new(Kind::Numeral("0".into()))],
            ));
            self.funs.push(cmd(
                "declare-fun",
                vec![
                    Sexp::sym(&s.boxf),
                    Sexp::list(vec![index.clone()]),
                    idx.clone(),
                ],
            ));
            self.funs.push(cmd(
                "declare-fun",
                vec![
                    Sexp::sym(&s.unbox),
                    Sexp::list(vec![idx.clone()]),
                    index.clone(),
                ],
            ));
            for (var, sort, inner, outer) in [
                (&a, index.clone(), &s.boxf, &s.unbox),
                (&j, idx, &s.unbox, &s.boxf),
            ] {
                let trigger = app(inner, Sexp::sym(var));
                let eq = Sexp::list(vec![
                    Sexp::sym("="),
                    app(outer, trigger.clone()),
                    Sexp::sym(var),
                ]);
                let body = Sexp::list(vec![
                    Sexp::word("!"),
                    eq,
                    Sexp::new(Kind::Keyword("pattern".into())),
                    Sexp::list(vec![trigger]),
                ]);
                let vars = Sexp::list(vec![Sexp::list(vec![Sexp::sym(var), sort])]);
                self.funs.push(cmd(
                    "assert",
                    vec![Sexp::list(vec![Sexp::word("forall"), vars, body])],
                ));
            }
            self.stands.insert(key.clone(), s);
        }
        &self.stands[&key]
    }

    /// Whether `s` writes an array sort indexed by arrays anywhere (every
    /// sort of a standard script is written out: no define-sort).
    pub fn needed(s: &Sexp) -> bool {
        match array_parts(s) {
            Some((i, _)) if array_parts(i).is_some() => true,
            _ => s.as_list().is_some_and(|l| l.iter().any(Self::needed)),
        }
    }

    /// One command of a standard script, boxed; `sig` declares (with the
    /// sorts before boxing) every global symbol of the script.
    pub fn command(
        &mut self,
        sig: &Signature,
        cmd: &Sexp,
        fresh: &mut impl FnMut(&str) -> String,
    ) -> Result<Sexp, Error> {
        let items = cmd.as_list().unwrap_or_default();
        let name = items.first().and_then(|h| h.as_word()).unwrap_or_default();
        let mut out = items.to_vec();
        match (name, &mut out[..]) {
            ("assert", [_, t]) => *t = self.term(sig, t, &mut Scope::new(), fresh)?,
            ("declare-fun", [_, _, params, result]) => {
                let ps = params.as_list().unwrap_or_default();
                *params = Sexp::list(ps.iter().map(|s| self.sort(s, fresh)).collect());
                *result = self.sort(result, fresh);
            }
            ("declare-const", [_, _, result]) => *result = self.sort(result, fresh),
            ("define-fun", [_, _, params, result, body]) => {
                let vars = sorts::sorted_vars(params)?;
                let mut scope: Scope = vars
                    .iter()
                    .map(|(v, s)| (v.to_string(), Ok((*s).clone())))
                    .collect();
                *body = self.term(sig, body, &mut scope, fresh)?;
                *params = Sexp::list(
                    vars.iter()
                        .map(|(v, s)| Sexp::list(vec![Sexp::sym(v), self.sort(s, fresh)]))
                        .collect(),
                );
                *result = self.sort(result, fresh);
            }
            ("declare-datatypes" | "declare-datatype", [_, _, bodies]) => {
                // Constructor and selector names are symbols, which `sort`
                // leaves alone: it rewrites the array sorts of the fields.
                *bodies = self.sort(bodies, fresh);
            }
            _ => {}
        }
        Ok(Sexp::list(out))
    }

    fn terms(
        &mut self,
        sig: &Signature,
        ts: &[Sexp],
        scope: &mut Scope,
        fresh: &mut impl FnMut(&str) -> String,
    ) -> Result<Vec<Sexp>, Error> {
        ts.iter().map(|t| self.term(sig, t, scope, fresh)).collect()
    }

    /// `term` (in standard form, well-sorted under `sig` and `scope`, which
    /// give the sorts before boxing) with boxed indices and sorts.
    pub fn term(
        &mut self,
        sig: &Signature,
        term: &Sexp,
        scope: &mut Scope,
        fresh: &mut impl FnMut(&str) -> String,
    ) -> Result<Sexp, Error> {
        let Kind::List(items) = &term.kind else {
            return Ok(term.clone());
        };
        let Some((head, args)) = items.split_first() else {
            return Ok(term.clone());
        };
        let out = match (&head.kind, args) {
            (Kind::Word(w), [bindings, body]) if w == "let" => {
                let mut pairs = Vec::new();
                let mut bound = Vec::new();
                for (name, value) in sorts::let_bindings(bindings)? {
                    bound.push((name.to_string(), sig.sort_of(value, scope)));
                    let value = self.term(sig, value, scope, fresh)?;
                    pairs.push(Sexp::list(vec![Sexp::sym(name), value]));
                }
                let depth = scope.len();
                scope.extend(bound);
                let body = self.term(sig, body, scope, fresh);
                scope.truncate(depth);
                vec![head.clone(), Sexp::list(pairs), body?]
            }
            (Kind::Word(w), [vars, body]) if w == "forall" || w == "exists" => {
                let list = sorts::sorted_vars(vars)?;
                let depth = scope.len();
                scope.extend(list.iter().map(|(n, s)| (n.to_string(), Ok((*s).clone()))));
                let body = self.term(sig, body, scope, fresh);
                scope.truncate(depth);
                let vars = list
                    .iter()
                    .map(|(n, s)| Sexp::list(vec![Sexp::sym(n), self.sort(s, fresh)]))
                    .collect();
                vec![head.clone(), Sexp::list(vars), body?]
            }
            (Kind::Word(w), [body, attrs @ ..]) if w == "!" => {
                let mut out = vec![head.clone(), self.term(sig, body, scope, fresh)?];
                for (key, value) in sorts::attributes(attrs)? {
                    out.push(Sexp::new(Kind::Keyword(key.into())));
                    match (key, value) {
                        ("pattern", Some(v)) => {
                            let terms = v.as_list().unwrap_or_default();
                            out.push(Sexp::list(self.terms(sig, terms, scope, fresh)?));
                        }
                        (_, Some(v)) => out.push(v.clone()),
                        (_, None) => {}
                    }
                }
                out
            }
            (Kind::Word(w), [c, sort]) if w == "as" => {
                vec![head.clone(), c.clone(), self.sort(sort, fresh)]
            }
            (Kind::Word(w), _) => return Err(term.error(format!("unexpected {w} term"))),
            (Kind::List(h), _) => {
                let h: Vec<Sexp> = match h.as_slice() {
                    [a, c, sort] if a.is_word("as") => {
                        vec![a.clone(), c.clone(), self.sort(sort, fresh)]
                    }
                    _ => h.clone(),
                };
                std::iter::once(Sexp::list(h))
                    .chain(self.terms(sig, args, scope, fresh)?)
                    .collect()
            }
            (Kind::Symbol(f), [array, index, rest @ ..])
                if (f == "select" && rest.is_empty()) || (f == "store" && rest.len() == 1) =>
            {
                let array_sort = sig.sort_of(array, scope)?;
                let mut new = self.terms(sig, args, scope, fresh)?;
                if let Some((i, _)) = array_parts(&array_sort)
                    && array_parts(i).is_some()
                {
                    let translated = self.sort(i, fresh);
                    let boxf = Sexp::sym(&self.stand(&translated, fresh).boxf);
                    new[1] = Sexp::list(vec![boxf, new[1].clone()]);
                }
                std::iter::once(head.clone()).chain(new).collect()
            }
            _ => std::iter::once(head.clone())
                .chain(self.terms(sig, args, scope, fresh)?)
                .collect(),
        };
        Ok(Sexp {
            kind: Kind::List(out),
            line: term.line,
            col: term.col,
        })
    }
}
