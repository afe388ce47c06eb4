//! Abstraction of quantified formulas and lambdas over their free
//! variables and ground state-dependent subterms.

use super::super::{EncodeError, Encoder, Res};
use super::*;
use crate::source::Span;
use std::fmt::Write;

impl Encoder<'_> {
    /// Replace a quantified formula inside a set lambda by a predicate over
    /// its free variables and its ground state-dependent subterms, defined
    /// by an axiom. Two sets whose bodies differ only in such subterms (the
    /// pre- and post-state of an unchanged set) then compare by congruence,
    /// which Z3 cannot do under binders. `None` if the formula's symbols
    /// cannot all be accounted for (then it is kept as it is).
    ///
    /// Also used for set and function lambdas (`sort` is then an array
    /// sort) that read ground state-dependent terms (`require_grounds`):
    /// Z3 cannot merge two lambdas whose bodies differ only in terms it
    /// knows to be equal, but it can merge `L(G)` and `L(G')` once `G = G'`.
    pub(crate) fn abstract_term(
        &mut self,
        q: &str,
        sort: &str,
        require_grounds: bool,
    ) -> Option<String> {
        let a = self.abstraction(q)?;
        if a.args.is_empty() || (require_grounds && a.grounds == 0) {
            return None;
        }
        let (binders, canon) = (&a.binders, &a.canon);
        let key = format!("abstract {sort} {binders} {canon}");
        let pred = match self.keyed.get(&key) {
            Some(p) => p.clone(),
            None => {
                let p = self.fresh(if sort == "Bool" { "Q" } else { "L" });
                self.declare(&p, &a.sorts, sort);
                self.abstractions.insert(
                    p.clone(),
                    super::super::AbstractionUses {
                        binders: binders.clone(),
                        head: a.head.clone(),
                        body: canon.clone(),
                        ground_args: Vec::new(),
                        non_ground: false,
                    },
                );
                self.keyed.insert(key, p.clone());
                p
            }
        };
        let args = a.args.join(" ");
        let ground = self.is_ground(&args);
        if let Some(uses) = self.abstractions.get_mut(&pred) {
            if ground {
                if !uses.ground_args.contains(&a.args) {
                    uses.ground_args.push(a.args.clone());
                }
            } else {
                uses.non_ground = true;
            }
        }
        Some(format!("({pred} {args})"))
    }

    /// `q` with its free variables and maximal ground state-dependent
    /// subterms as parameters, and local names canonical (so alpha-
    /// equivalent texts coincide). `None` if some symbol of `q` cannot be
    /// accounted for.
    pub(crate) fn abstraction(&self, q: &str) -> Option<Abstraction> {
        let free = self.free_in(q);
        // Maximal ground applications of definition symbols, and state
        // variables: abstracted as parameters.
        let mut grounds: Vec<String> = Vec::new();
        let bytes = q.as_bytes();
        let mut i = 0;
        while i < q.len() {
            if q[i..].starts_with("(|op_") {
                let end = matching_paren(bytes, i)?;
                let app = &q[i..=end];
                if !app.contains('#') && !app.contains('!') {
                    if !grounds.iter().any(|g| g == app) {
                        grounds.push(app.to_string());
                    }
                    i = end + 1;
                    continue;
                }
            } else if q[i..].starts_with("|v_") {
                let end = q[i + 1..].find('|')? + i + 1;
                let tok = &q[i..=end];
                if !grounds.iter().any(|g| g == tok) {
                    grounds.push(tok.to_string());
                }
                i = end + 1;
                continue;
            }
            i += 1;
        }
        let mut body = q.to_string();
        let mut params = Vec::new();
        for (k, g) in grounds.iter().enumerate() {
            let sort = if let Some(name) = g.strip_prefix('(') {
                let head = &name[..name.find(' ')?];
                self.result_sorts.get(head)?.clone()
            } else {
                self.result_sorts.get(g.as_str())?.clone()
            };
            let pn = format!("|g!{k}|");
            body = body.replace(g.as_str(), &pn);
            params.push((pn, sort, g.clone()));
        }
        // Every remaining local symbol must be free (a parameter) or bound
        // inside the formula.
        let mut j = 0;
        while let Some(start) = body[j..].find('|') {
            let a = j + start;
            let b = body[a + 1..].find('|')? + a + 1;
            let tok = &body[a..=b];
            j = b + 1;
            if !(tok.contains('#') || tok.contains('!')) || tok.starts_with("|g!") {
                continue;
            }
            let bound_here =
                body.contains(&format!("(({tok} ")) || body.contains(&format!(")({tok} "));
            if !(free.iter().any(|f| f == tok) || bound_here || self.declared.contains(tok)) {
                return None;
            }
        }
        // Canonical local names, so that alpha-equivalent formulas (the
        // pre- and post-state copies of one definition) share a predicate.
        let mut rename: Vec<(String, String)> = Vec::new();
        let mut canon = String::with_capacity(body.len());
        let mut j = 0;
        while let Some(start) = body[j..].find('|') {
            let a = j + start;
            let b = body[a + 1..].find('|')? + a + 1;
            canon.push_str(&body[j..a]);
            let tok = &body[a..=b];
            let local = (tok.contains('#') || tok.contains('!'))
                && !tok.starts_with("|g!")
                && !self.declared.contains(tok);
            if local {
                let n = match rename.iter().find(|(t, _)| t == tok) {
                    Some((_, n)) => n.clone(),
                    None => {
                        let n = format!("|c!{}|", rename.len());
                        rename.push((tok.to_string(), n.clone()));
                        n
                    }
                };
                canon.push_str(&n);
            } else {
                canon.push_str(tok);
            }
            j = b + 1;
        }
        canon.push_str(&body[j..]);
        let canon_of = |t: &str| rename.iter().find(|(x, _)| x == t).map(|(_, n)| n.clone());
        let mut binders = String::new();
        let mut sorts = Vec::new();
        let mut args = Vec::new();
        let mut head = Vec::new();
        for n in &free {
            let s = self.bound_sorts.get(n)?.clone();
            let c = canon_of(n)?;
            write!(binders, "({c} {s})").unwrap();
            sorts.push(s);
            args.push(n.clone());
            head.push(c);
        }
        for (pn, s, g) in &params {
            write!(binders, "({pn} {s})").unwrap();
            sorts.push(s.clone());
            args.push(g.clone());
            head.push(pn.clone());
        }
        Some(Abstraction {
            canon,
            binders,
            sorts,
            args,
            head,
            grounds: params.len(),
        })
    }

    /// A lambda as an abstracted function of its free variables and ground
    /// state-dependent subterms when it has such subterms (see
    /// `abstract_term`), else unchanged.
    pub(crate) fn abstract_lambda(&mut self, lambda: String, sort: &str) -> String {
        if !self.abstract_quantifiers {
            return lambda;
        }
        self.abstract_term(&lambda, sort, true).unwrap_or(lambda)
    }

    /// Names of bound variables occurring in `text` (free in it).
    pub(crate) fn free_in(&self, text: &str) -> Vec<String> {
        let mut names: Vec<String> = self
            .env
            .values()
            .filter(|n| text.contains(n.as_str()) && !self.is_global(n))
            .cloned()
            .collect();
        names.sort();
        names.dedup();
        names
    }

    pub(crate) fn is_global(&self, name: &str) -> bool {
        self.decls_text_has(name)
    }

    /// The sorts of the bound names `free` (arguments of a symbol made
    /// for a subterm under their binders). A name bound without a recorded
    /// sort is an error of the encoder, reported at `span`, never a guess:
    /// a wrong sort makes the script ill-sorted.
    pub(crate) fn free_sorts(&self, free: &[String], span: Span) -> Res<Vec<String>> {
        free.iter()
            .map(|n| {
                self.bound_sorts.get(n).cloned().ok_or_else(|| EncodeError {
                    span,
                    message: format!("internal error: no sort recorded for the bound name {n}"),
                })
            })
            .collect()
    }
}

/// A text with its free variables and ground subterms made parameters
/// (see `Encoder::abstraction`).
pub(crate) struct Abstraction {
    /// The text over canonical local names and ground parameters.
    pub(crate) canon: String,
    /// `(name sort)` of each parameter, canonical names.
    pub(crate) binders: String,
    pub(crate) sorts: Vec<String>,
    /// The actual arguments: free variables, then ground terms.
    pub(crate) args: Vec<String>,
    /// The parameters' canonical names, in order.
    pub(crate) head: Vec<String>,
    /// How many parameters are ground terms.
    pub(crate) grounds: usize,
}
