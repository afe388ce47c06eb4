//! The sorts of a script's terms: what its commands declare, and a checker
//! that computes a term's sort and rejects what SMT-LIB 2.6 does not define.
//!
//! The translator needs sorts for two reasons: a lambda's free variables
//! (bound by an enclosing `let`, whose sort is written nowhere) become the
//! arguments of a declared function, and `(_ map f)` becomes a function over
//! the arrays' sorts. The same checker then validates the output, so only
//! standard theory symbols (Core, Ints, Reals, ArraysEx, datatypes) and
//! declared ones get through.

use super::Error;
use super::sexpr::{Kind, Sexp};
use std::collections::HashMap;

/// A sort is kept as its s-expression (`Int`, `(Array U Bool)`).
pub type Sort = Sexp;

pub fn bool_sort() -> Sort {
    Sexp::sym("Bool")
}

pub fn int_sort() -> Sort {
    Sexp::sym("Int")
}

pub fn array_sort(index: Sort, elem: Sort) -> Sort {
    Sexp::list(vec![Sexp::sym("Array"), index, elem])
}

/// `(Array I E)` -> `(I, E)`.
pub fn array_parts(sort: &Sort) -> Option<(&Sort, &Sort)> {
    match sort.as_list()? {
        [head, index, elem] if head.is_symbol("Array") => Some((index, elem)),
        _ => None,
    }
}

/// A function's rank: argument sorts and result sort.
#[derive(Clone, Debug)]
pub struct Rank {
    pub args: Vec<Sort>,
    pub result: Sort,
}

/// Everything the commands so far declared.
#[derive(Default, Clone)]
pub struct Signature {
    /// Declared sorts and datatypes, by arity.
    pub sorts: HashMap<String, usize>,
    /// declare-fun, declare-const, define-fun; constructors and selectors.
    pub funs: HashMap<String, Rank>,
    /// Constructor name -> its datatype (for `(_ is C)`).
    pub ctors: HashMap<String, Sort>,
}

/// The bound variables in scope, innermost last. A `let` variable's sort is
/// computed when it is bound; an error there matters only if it is used.
pub type Scope = Vec<(String, Result<Sort, Error>)>;

pub fn lookup<'a>(scope: &'a Scope, name: &str) -> Option<&'a Result<Sort, Error>> {
    scope.iter().rev().find(|(n, _)| n == name).map(|(_, s)| s)
}

impl Signature {
    /// Check that `sort` is built from known sorts.
    pub fn check_sort(&self, sort: &Sort) -> Result<(), Error> {
        let (name, args): (&str, &[Sexp]) = match &sort.kind {
            Kind::Symbol(s) => (s, &[]),
            Kind::List(items) => match items.split_first() {
                Some((head, args)) if head.as_symbol().is_some() => {
                    (head.as_symbol().unwrap_or_default(), args)
                }
                _ => return Err(sort.error(format!("unknown sort {sort}"))),
            },
            _ => return Err(sort.error(format!("unknown sort {sort}"))),
        };
        let arity = match name {
            "Bool" | "Int" | "Real" => 0,
            "Array" => 2,
            _ => *self
                .sorts
                .get(name)
                .ok_or_else(|| sort.error(format!("unknown sort {sort}")))?,
        };
        if args.len() != arity {
            return Err(sort.error(format!("sort {name} takes {arity} arguments: {sort}")));
        }
        args.iter().try_for_each(|a| self.check_sort(a))
    }

    /// Record `(declare-datatypes ((D 0) ...) (ctors ...))` (monomorphic).
    pub fn declare_datatypes(&mut self, cmd: &Sexp, args: &[Sexp]) -> Result<(), Error> {
        let [decls, bodies] = args else {
            return Err(cmd.error("declare-datatypes takes two lists"));
        };
        let (Some(decls), Some(bodies)) = (decls.as_list(), bodies.as_list()) else {
            return Err(cmd.error("declare-datatypes takes two lists"));
        };
        if decls.len() != bodies.len() {
            return Err(cmd.error("declare-datatypes: as many bodies as sorts"));
        }
        let mut names = Vec::new();
        for d in decls {
            match d.as_list() {
                Some([n, k]) if n.as_symbol().is_some() && k.kind == Kind::Numeral("0".into()) => {
                    let name = n.as_symbol().unwrap_or_default().to_string();
                    self.sorts.insert(name.clone(), 0);
                    names.push(Sexp::sym(&name));
                }
                _ => return Err(d.error("only datatypes of arity 0 are supported")),
            }
        }
        for (dt, body) in names.into_iter().zip(bodies) {
            let ctors = body
                .as_list()
                .ok_or_else(|| body.error("a datatype body is a list of constructors"))?;
            for ctor in ctors {
                let (name, fields) = match &ctor.kind {
                    Kind::Symbol(n) => (n.as_str(), &[][..]),
                    Kind::List(items) => match items.split_first() {
                        Some((n, fields)) if n.as_symbol().is_some() => {
                            (n.as_symbol().unwrap_or_default(), fields)
                        }
                        _ => return Err(ctor.error("bad constructor")),
                    },
                    _ => return Err(ctor.error("bad constructor")),
                };
                let mut arg_sorts = Vec::new();
                for field in fields {
                    let (sel, sort) = match field.as_list() {
                        Some([sel, sort]) if sel.as_symbol().is_some() => (sel, sort),
                        _ => return Err(field.error("a field is (selector sort)")),
                    };
                    self.check_sort(sort)?;
                    let sel = sel.as_symbol().unwrap_or_default().to_string();
                    self.funs.insert(
                        sel,
                        Rank {
                            args: vec![dt.clone()],
                            result: sort.clone(),
                        },
                    );
                    arg_sorts.push(sort.clone());
                }
                self.funs.insert(
                    name.to_string(),
                    Rank {
                        args: arg_sorts,
                        result: dt.clone(),
                    },
                );
                self.ctors.insert(name.to_string(), dt.clone());
            }
        }
        Ok(())
    }

    /// The sort of `term`, checking every application on the way.
    pub fn sort_of(&self, term: &Sexp, scope: &mut Scope) -> Result<Sort, Error> {
        match &term.kind {
            Kind::Numeral(_) => Ok(int_sort()),
            Kind::Decimal(_) => Ok(Sexp::sym("Real")),
            Kind::Symbol(name) => self.symbol_sort(term, name, scope),
            Kind::List(items) => self.list_sort(term, items, scope),
            Kind::Str(_) | Kind::Bits(_) => Err(term.error(format!(
                "{term}: strings and bit-vectors are not supported by the translator"
            ))),
            Kind::Word(_) | Kind::Keyword(_) => Err(term.error(format!("{term} is not a term"))),
        }
    }

    fn symbol_sort(&self, term: &Sexp, name: &str, scope: &Scope) -> Result<Sort, Error> {
        if let Some(s) = lookup(scope, name) {
            return s.clone();
        }
        match name {
            "true" | "false" => return Ok(bool_sort()),
            _ => {}
        }
        match self.funs.get(name) {
            Some(rank) if rank.args.is_empty() => Ok(rank.result.clone()),
            Some(_) => Err(term.error(format!("{name} needs arguments"))),
            None => Err(term.error(format!("unknown symbol {term}"))),
        }
    }

    fn list_sort(&self, term: &Sexp, items: &[Sexp], scope: &mut Scope) -> Result<Sort, Error> {
        let Some((head, args)) = items.split_first() else {
            return Err(term.error("() is not a term"));
        };
        match &head.kind {
            Kind::Word(w) => self.binder_sort(term, w, args, scope),
            Kind::Symbol(f) => {
                let sorts = args
                    .iter()
                    .map(|a| self.sort_of(a, scope))
                    .collect::<Result<Vec<_>, _>>()?;
                self.apply_sort(term, f, &sorts)
            }
            Kind::List(h) => self.indexed_sort(term, h, args, scope),
            _ => Err(term.error(format!("{head} is not a function"))),
        }
    }

    /// `let`, `forall`, `exists`, `lambda`, `!`, `(as c S)`.
    fn binder_sort(
        &self,
        term: &Sexp,
        word: &str,
        args: &[Sexp],
        scope: &mut Scope,
    ) -> Result<Sort, Error> {
        match (word, args) {
            ("!", [body, attrs @ ..]) => {
                // Pattern terms live in the body's scope and must be terms.
                for (key, value) in attributes(attrs)? {
                    if let ("pattern", Some(terms)) = (key, value) {
                        let terms = terms
                            .as_list()
                            .ok_or_else(|| terms.error("a pattern is a list of terms"))?;
                        for t in terms {
                            self.sort_of(t, scope)?;
                        }
                    }
                }
                self.sort_of(body, scope)
            }
            ("as", [c, sort]) if c.as_symbol().is_some() => {
                self.check_sort(sort)?;
                Ok(sort.clone())
            }
            ("let", [bindings, body]) => {
                let pairs = let_bindings(bindings)?;
                let sorts: Vec<(String, Result<Sort, Error>)> = pairs
                    .iter()
                    .map(|(n, t)| (n.to_string(), self.sort_of(t, scope)))
                    .collect();
                let depth = scope.len();
                scope.extend(sorts);
                let r = self.sort_of(body, scope);
                scope.truncate(depth);
                r
            }
            ("forall" | "exists" | "lambda", [vars, body]) => {
                let vars = sorted_vars(vars)?;
                for (_, s) in &vars {
                    self.check_sort(s)?;
                }
                let depth = scope.len();
                scope.extend(vars.iter().map(|(n, s)| (n.to_string(), Ok((*s).clone()))));
                let r = self.sort_of(body, scope);
                scope.truncate(depth);
                let r = r?;
                if word == "lambda" {
                    return match vars.as_slice() {
                        [(_, s)] => Ok(array_sort((*s).clone(), r)),
                        _ => {
                            Err(term.error("a lambda of several variables is not an SMT-LIB array"))
                        }
                    };
                }
                expect(body, &r, &bool_sort())?;
                Ok(bool_sort())
            }
            _ => Err(term.error(format!("malformed {word} term"))),
        }
    }

    /// `((_ is C) t)`, `((as const S) v)`, `((_ map f) a ...)`.
    fn indexed_sort(
        &self,
        term: &Sexp,
        head: &[Sexp],
        args: &[Sexp],
        scope: &mut Scope,
    ) -> Result<Sort, Error> {
        let sorts = args
            .iter()
            .map(|a| self.sort_of(a, scope))
            .collect::<Result<Vec<_>, _>>()?;
        match head {
            [u, is, c] if u.is_word("_") && is.is_symbol("is") => {
                let name = c.as_symbol().unwrap_or_default();
                let dt = self
                    .ctors
                    .get(name)
                    .ok_or_else(|| c.error(format!("unknown constructor {c}")))?;
                match sorts.as_slice() {
                    [s] => {
                        expect(&args[0], s, dt)?;
                        Ok(bool_sort())
                    }
                    _ => Err(term.error("a tester takes one argument")),
                }
            }
            [a, c, sort] if a.is_word("as") && c.is_symbol("const") => {
                self.check_sort(sort)?;
                let (_, elem) = array_parts(sort)
                    .ok_or_else(|| sort.error(format!("const of a non-array sort {sort}")))?;
                match sorts.as_slice() {
                    [s] => {
                        expect(&args[0], s, elem)?;
                        Ok(sort.clone())
                    }
                    _ => Err(term.error("a constant array takes one argument")),
                }
            }
            [u, map, f] if u.is_word("_") && map.is_symbol("map") => {
                let (index, elems) = map_arg_sorts(term, &sorts)?;
                let f = f
                    .as_symbol()
                    .ok_or_else(|| f.error("only a named function can be mapped"))?;
                let elem = self.apply_sort(term, f, &elems)?;
                Ok(array_sort(index, elem))
            }
            _ => Err(term.error(format!(
                "unsupported function {}",
                Sexp::list(head.to_vec())
            ))),
        }
    }

    /// The result sort of `f` applied to arguments of `sorts`.
    pub fn apply_sort(&self, term: &Sexp, f: &str, sorts: &[Sort]) -> Result<Sort, Error> {
        let args = term.as_list().map_or(&[][..], |l| &l[1..]);
        let at = |i: usize| args.get(i).unwrap_or(term);
        let all = |want: &Sort| -> Result<(), Error> {
            sorts
                .iter()
                .enumerate()
                .try_for_each(|(i, s)| expect(at(i), s, want))
        };
        let arity = |ok: bool| {
            if ok {
                Ok(())
            } else {
                Err(term.error(format!("{f}: wrong number of arguments")))
            }
        };
        let numeric = || -> Result<Sort, Error> {
            let first = sorts
                .first()
                .ok_or_else(|| term.error(format!("{f} needs arguments")))?
                .clone();
            if !(first.is_symbol("Int") || first.is_symbol("Real")) {
                return Err(at(0).error(format!("{f} of a non-number, sort {first}")));
            }
            all(&first)?;
            Ok(first)
        };
        match f {
            "not" => {
                arity(sorts.len() == 1)?;
                all(&bool_sort())?;
                Ok(bool_sort())
            }
            "and" | "or" | "xor" | "=>" => {
                arity(sorts.len() >= 2)?;
                all(&bool_sort())?;
                Ok(bool_sort())
            }
            "=" | "distinct" => {
                arity(sorts.len() >= 2)?;
                all(&sorts[0])?;
                Ok(bool_sort())
            }
            "ite" => {
                arity(sorts.len() == 3)?;
                expect(at(0), &sorts[0], &bool_sort())?;
                expect(at(2), &sorts[2], &sorts[1])?;
                Ok(sorts[1].clone())
            }
            "+" | "*" => {
                arity(sorts.len() >= 2)?;
                numeric()
            }
            "-" => {
                arity(!sorts.is_empty())?;
                numeric()
            }
            "<" | "<=" | ">" | ">=" => {
                arity(sorts.len() >= 2)?;
                numeric()?;
                Ok(bool_sort())
            }
            "div" | "mod" | "abs" => {
                arity(sorts.len() == if f == "abs" { 1 } else { 2 })?;
                all(&int_sort())?;
                Ok(int_sort())
            }
            "select" => {
                arity(sorts.len() == 2)?;
                let (index, elem) = array_parts(&sorts[0])
                    .ok_or_else(|| at(0).error(format!("select from a non-array {}", sorts[0])))?;
                expect(at(1), &sorts[1], index)?;
                Ok(elem.clone())
            }
            "store" => {
                arity(sorts.len() == 3)?;
                let (index, elem) = array_parts(&sorts[0])
                    .ok_or_else(|| at(0).error(format!("store into a non-array {}", sorts[0])))?;
                expect(at(1), &sorts[1], index)?;
                expect(at(2), &sorts[2], elem)?;
                Ok(sorts[0].clone())
            }
            _ => {
                let rank = self
                    .funs
                    .get(f)
                    .ok_or_else(|| term.error(format!("unknown function {f}")))?;
                arity(rank.args.len() == sorts.len())?;
                for (i, (s, want)) in sorts.iter().zip(&rank.args).enumerate() {
                    expect(at(i), s, want)?;
                }
                Ok(rank.result.clone())
            }
        }
    }
}

/// The common index sort and the element sorts of `(_ map f)`'s arguments.
pub fn map_arg_sorts(term: &Sexp, sorts: &[Sort]) -> Result<(Sort, Vec<Sort>), Error> {
    let mut index: Option<&Sort> = None;
    let mut elems = Vec::new();
    for s in sorts {
        let (i, e) =
            array_parts(s).ok_or_else(|| term.error(format!("map over a non-array {s}")))?;
        if index.is_some_and(|j| j != i) {
            return Err(term.error("map over arrays of different index sorts"));
        }
        index = Some(i);
        elems.push(e.clone());
    }
    let index = index.ok_or_else(|| term.error("map of no arrays"))?;
    Ok((index.clone(), elems))
}

fn expect(at: &Sexp, got: &Sort, want: &Sort) -> Result<(), Error> {
    if got == want {
        Ok(())
    } else {
        Err(at.error(format!("sort {got} where {want} is expected: {at}")))
    }
}

/// `((x t) ...)` of a `let`.
pub fn let_bindings(bindings: &Sexp) -> Result<Vec<(&str, &Sexp)>, Error> {
    pairs(bindings, "let binding")
}

/// `((x S) ...)` of a quantifier, lambda or define-fun.
pub fn sorted_vars(vars: &Sexp) -> Result<Vec<(&str, &Sexp)>, Error> {
    pairs(vars, "sorted variable")
}

fn pairs<'a>(list: &'a Sexp, what: &str) -> Result<Vec<(&'a str, &'a Sexp)>, Error> {
    let items = list
        .as_list()
        .ok_or_else(|| list.error(format!("expected a list of {what}s")))?;
    items
        .iter()
        .map(|p| match p.as_list() {
            Some([n, t]) if n.as_symbol().is_some() => Ok((n.as_symbol().unwrap_or_default(), t)),
            _ => Err(p.error(format!("malformed {what} {p}"))),
        })
        .collect()
}

/// The `:key value` pairs of an annotation (a value is optional).
pub fn attributes(attrs: &[Sexp]) -> Result<Vec<(&str, Option<&Sexp>)>, Error> {
    let mut out = Vec::new();
    let mut i = 0;
    while i < attrs.len() {
        let Kind::Keyword(key) = &attrs[i].kind else {
            return Err(attrs[i].error(format!("expected an attribute, found {}", attrs[i])));
        };
        let value = attrs
            .get(i + 1)
            .filter(|v| !matches!(v.kind, Kind::Keyword(_)));
        out.push((key.as_str(), value));
        i += 1 + usize::from(value.is_some());
    }
    Ok(out)
}
