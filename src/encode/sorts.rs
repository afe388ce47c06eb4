//! Sorts: how TLA+ types become SMT-LIB sorts, and the declarations they
//! need.
//!
//! * uninterpreted types (`ACC`, `VALUE`) are declared sorts;
//! * `Str` is a datatype with one constant constructor per string literal
//!   and `Str_other(i)` for all other strings;
//! * `Set(T)` is `(Array T Bool)`;
//! * a function type is a declared sort with a domain (a set) and values
//!   (an array) per element, and a constructor `mk(values, domain)` whose
//!   values are only known on the domain. It is not a datatype: a
//!   datatype's elements would include pairs that differ only by their
//!   values outside the domain, which are one TLA+ function; a hypothesis
//!   quantified over the sort (`\A x \in [{1} -> {0}] : x = c`) would then
//!   range over several copies of one function and prove FALSE. In the
//!   intended model the sort's elements are the TLA+ functions from the
//!   domain sort to the range sort, and Z3's `=` on it is TLA+'s;
//! * a record family is a datatype with one constructor per record shape
//!   seen in the program. A term gets a family's sort only where the
//!   obligation shows it is a record of one of those shapes (see `synth`);
//!   any other value lives in the universe. `r.f` on a record without field
//!   `f` is an unspecified value (`undef` function), used only where the
//!   field's sort can hold any value (an uninterpreted sort); otherwise the
//!   field is read through the universe;
//! * tuples are datatypes.

use crate::semantic::ir::TyVar;
use crate::types::{Type, TypeStore};
use std::collections::{BTreeMap, BTreeSet};
use std::fmt::Write;
use std::rc::Rc;

/// A record constructor: its SMT name and its fields (sorted).
#[derive(Clone, Debug)]
pub struct Shape {
    pub ctor: String,
    pub fields: Vec<(Rc<str>, Type)>,
}

#[derive(Clone, Debug)]
pub struct Family {
    pub sort: String,
    pub shapes: Vec<Shape>,
    pub fields: BTreeMap<Rc<str>, Type>,
}

impl Family {
    /// The constructor of the record shape with exactly these fields.
    pub fn shape_with<'a>(&self, names: impl IntoIterator<Item = &'a str>) -> Option<&Shape> {
        let names: BTreeSet<&str> = names.into_iter().collect();
        self.shapes
            .iter()
            .find(|s| s.fields.iter().map(|(n, _)| &**n).collect::<BTreeSet<_>>() == names)
    }
}

#[derive(Default)]
pub struct Sorts {
    /// Declared sort names of uninterpreted types.
    atoms: BTreeSet<String>,
    /// Datatype declarations in dependency order.
    datatypes: Vec<String>,
    /// Operations and axioms of the function sorts (declared with the
    /// atoms, defined after every datatype).
    fun_ops: Vec<String>,
    names: BTreeMap<Type, String>,
    pub families: BTreeMap<TyVar, Family>,
    /// Field accessor definitions (`define-fun`).
    accessors: Vec<String>,
    pub uses_str: bool,
    /// Function types, by sort name: (domain type, range type).
    pub funs: BTreeMap<String, (Type, Type)>,
    pub tuples: BTreeMap<String, Vec<Type>>,
    next_family: usize,
    /// Base sorts embedded into `Univ`: sanitized name -> SMT sort.
    embedded: BTreeMap<String, String>,
}

/// The SMT sort of `Type::Univ`.
const UNIV: &str = "U_ALL";

pub fn sanitize(s: &str) -> String {
    s.chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || c == '_' {
                c
            } else {
                '_'
            }
        })
        .collect()
}

impl Sorts {
    /// The SMT sort of a type, declaring what it needs.
    pub fn sort(&mut self, store: &TypeStore, t: &Type) -> Result<String, String> {
        if let Some(n) = self.names.get(t) {
            return Ok(n.clone());
        }
        let name = match t {
            Type::Bool => "Bool".to_string(),
            Type::Int => "Int".to_string(),
            Type::Str => {
                self.uses_str = true;
                "Str".to_string()
            }
            Type::Atom(a) => {
                let n = format!("U_{}", sanitize(a));
                self.atoms.insert(n.clone());
                n
            }
            Type::Univ => {
                self.atoms.insert(UNIV.to_string());
                UNIV.to_string()
            }
            Type::Set(e) => format!("(Array {} Bool)", self.sort(store, e)?),
            Type::Fun(a, b) => {
                let sa = self.sort(store, a)?;
                let sb = self.sort(store, b)?;
                let n = format!("Fun{}", self.funs.len());
                self.atoms.insert(format!("|{n}|"));
                let (f, arr, set) = (
                    format!("|{n}|"),
                    format!("(Array {sa} {sb})"),
                    format!("(Array {sa} Bool)"),
                );
                self.fun_ops.extend([
                    format!("(declare-fun |app_{n}| ({f}) {arr})"),
                    format!("(declare-fun |dom_{n}| ({f}) {set})"),
                    format!("(declare-fun |mk_{n}| ({arr} {set}) {f})"),
                    // `mk(a, d)` is the function with domain `d` and the
                    // values of `a` on it: true of the restriction of `a`
                    // to `d` in the intended model.
                    format!(
                        "(assert (forall ((a {arr}) (d {set})) (! (= (|dom_{n}| (|mk_{n}| a d)) d) :pattern ((|mk_{n}| a d)))))"
                    ),
                    format!(
                        "(assert (forall ((a {arr}) (d {set}) (x {sa})) (! (=> (select d x) (= (select (|app_{n}| (|mk_{n}| a d)) x) (select a x))) :pattern ((select (|app_{n}| (|mk_{n}| a d)) x)))))"
                    ),
                ]);
                self.funs.insert(n.clone(), ((**a).clone(), (**b).clone()));
                format!("|{n}|")
            }
            Type::Tuple(ts) => {
                let mut fields = String::new();
                let n = format!("Tup{}", self.tuples.len());
                for (i, e) in ts.iter().enumerate() {
                    let s = self.sort(store, e)?;
                    write!(fields, " (|{n}_{}| {s})", i + 1).unwrap();
                }
                self.datatypes.push(format!(
                    "(declare-datatypes ((|{n}| 0)) (((|mk_{n}|{fields}))))"
                ));
                self.tuples.insert(n.clone(), ts.clone());
                format!("|{n}|")
            }
            Type::Rec(v) => return self.family(store, *v),
            // A type nothing in the program determines (an unannotated
            // constant used only as a value): an uninterpreted sort of its
            // own, which, like every sort, embeds into the universe.
            Type::Var(v) => {
                let n = format!("U_T{}", store.find(*v).0);
                self.atoms.insert(n.clone());
                n
            }
        };
        self.names.insert(t.clone(), name.clone());
        Ok(name)
    }

    fn family(&mut self, store: &TypeStore, v: TyVar) -> Result<String, String> {
        let root = store.find(v);
        let t = Type::Rec(root);
        if let Some(n) = self.names.get(&t) {
            return Ok(n.clone());
        }
        if store.shapes_of(root).is_empty() {
            return Err("a record type with no record of known shape".into());
        }
        let n = format!("Rec{}", self.next_family);
        self.next_family += 1;
        let sort = format!("|{n}|");
        // Register first: a family may contain sets of itself.
        self.names.insert(t.clone(), sort.clone());
        let fields: BTreeMap<Rc<str>, Type> = store
            .record_fields(root)
            .into_iter()
            .map(|(f, tv)| (f, store.resolve(tv)))
            .collect();
        let mut shapes = Vec::new();
        for (i, shape) in store.shapes_of(root).into_iter().enumerate() {
            let fs: Vec<(Rc<str>, Type)> = shape
                .iter()
                .map(|f| (f.clone(), fields.get(f).cloned().unwrap_or(Type::Bool)))
                .collect();
            shapes.push(Shape {
                ctor: format!("{n}_s{i}"),
                fields: fs,
            });
        }
        let mut ctors = String::new();
        for s in &shapes {
            write!(ctors, " (|mk_{}|", s.ctor).unwrap();
            for (f, ft) in &s.fields {
                let fs = self.sort(store, ft)?;
                write!(ctors, " (|{}_{}| {fs})", s.ctor, sanitize(f)).unwrap();
            }
            ctors.push(')');
        }
        self.datatypes
            .push(format!("(declare-datatypes ((|{n}| 0)) (({ctors})))"));
        // `r.f` is a macro over the constructors: on a record of a shape with
        // field f it is that field; on any other record it is an unspecified
        // value (a function of the record, never constrained). A macro keeps
        // field reasoning to rewriting, which Z3 does instantly.
        for (f, ft) in &fields {
            let fs = self.sort(store, ft)?;
            let undef = format!("|{n}_undef_{}|", sanitize(f));
            let mut body = format!("({undef} r)");
            for s in shapes.iter().rev() {
                if s.fields.iter().any(|(g, _)| g == f) {
                    body = format!(
                        "(ite ((_ is |mk_{}|) r) (|{}_{}| r) {body})",
                        s.ctor,
                        s.ctor,
                        sanitize(f)
                    );
                }
            }
            self.accessors
                .push(format!("(declare-fun {undef} ({sort}) {fs})"));
            self.accessors.push(format!(
                "(define-fun |{n}.{}| ((r {sort})) {fs} {body})",
                sanitize(f)
            ));
        }
        self.families.insert(
            root,
            Family {
                sort: sort.clone(),
                shapes,
                fields,
            },
        );
        Ok(sort)
    }

    /// The embedding of a sort into `Univ` and its left inverse, as
    /// (embedding, inverse) function names. The embedding is injective
    /// (`inv(emb(x)) = x`); `u` is in its image iff `emb(inv(u)) = u`.
    pub fn embedding(&mut self, store: &TypeStore, t: &Type) -> Result<(String, String), String> {
        let sort = self.sort(store, t)?;
        self.sort(store, &Type::Univ)?;
        let key = sanitize(&sort);
        self.embedded.insert(key.clone(), sort);
        Ok((format!("|emb_{key}|"), format!("|inv_{key}|")))
    }

    /// All declarations, in an order SMT-LIB accepts. `strings` are the
    /// SMT names of the string literals used.
    pub fn declarations(&self, strings: &[&str]) -> String {
        let mut out = String::new();
        for a in &self.atoms {
            writeln!(out, "(declare-sort {a} 0)").unwrap();
        }
        // Strings are a datatype: one constructor per literal, so Z3's
        // rewriter decides `"1c" = "2av"` before search (with distinct
        // constants of an uninterpreted sort only the search can, which
        // measured 10-30x slower on the message-type tests of BPCon), and
        // `other(i)` for the infinitely many other strings.
        if self.uses_str {
            let ctors: String = strings.iter().map(|s| format!("({s}) ")).collect();
            writeln!(
                out,
                "(declare-datatypes ((Str 0)) (({ctors}(Str_other (Str_id Int)))))"
            )
            .unwrap();
        }
        // A datatype is pushed after the sorts of its fields were declared,
        // except for a family that contains itself; declare in push order.
        for d in &self.datatypes {
            writeln!(out, "{d}").unwrap();
        }
        for a in &self.accessors {
            writeln!(out, "{a}").unwrap();
        }
        for f in &self.fun_ops {
            writeln!(out, "{f}").unwrap();
        }
        for (key, sort) in &self.embedded {
            let (emb, inv) = (format!("|emb_{key}|"), format!("|inv_{key}|"));
            writeln!(out, "(declare-fun {emb} ({sort}) {UNIV})").unwrap();
            writeln!(out, "(declare-fun {inv} ({UNIV}) {sort})").unwrap();
            writeln!(out, "{}", injectivity_axiom(&emb, &inv, sort)).unwrap();
        }
        out
    }

    /// The lines of [`Sorts::declarations`] that make every model's
    /// universe or function sorts infinite: the embeddings' injectivity
    /// and the function constructors' axioms (see
    /// `solve::Engine::FiniteUniverse`, which leaves them out).
    pub fn infinite_model_axioms(&self) -> Vec<String> {
        let constructors = self
            .fun_ops
            .iter()
            .filter(|l| l.starts_with("(assert "))
            .cloned();
        let injectivity = self.embedded.iter().map(|(key, sort)| {
            injectivity_axiom(&format!("|emb_{key}|"), &format!("|inv_{key}|"), sort)
        });
        constructors.chain(injectivity).collect()
    }

    pub fn family_of(&self, store: &TypeStore, v: TyVar) -> Option<&Family> {
        self.families.get(&store.find(v))
    }

    /// The sort name of a function type (without bars).
    pub fn fun_name(&self, sort: &str) -> String {
        sort.trim_matches('|').to_string()
    }
}

/// `inv(emb(x)) = x` for every `x` of `sort`.
fn injectivity_axiom(emb: &str, inv: &str, sort: &str) -> String {
    format!("(assert (forall ((x {sort})) (! (= ({inv} ({emb} x)) x) :pattern (({emb} x)))))")
}
