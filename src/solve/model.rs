//! Read a Z3 model as TLA+ values ([`Value`]): the value of each of the
//! script's items (constants, state variables before and after the step,
//! context constants, hidden constant definitions), and the model's other
//! values (the elements of its finite sorts, the values of its other
//! constants), which the parent uses as the universe of unbounded
//! quantifiers and as candidate witnesses (see `crate::confirm`).
//!
//! Conversion follows the SMT sort of a term (see `encode::sorts`):
//! `Int`, `Bool`; the `Str` datatype (a literal's constructor is that
//! literal, `Str_other(i)` a string different from every literal); an
//! uninterpreted sort's elements are atoms, named after the constant set
//! they first appear in (`a1`, `a2` in `Acceptor`, `f1` in
//! `FakeAcceptor`), otherwise after the sort; a set `(Array T Bool)` is
//! read by trying every element when `T` is finite in the model, and
//! otherwise only if the model gives the array as a finite list of stores
//! over "false"; a function datatype is its domain set and its values
//! there (values outside the domain mean nothing); tuples and records by
//! their constructor. An element `u` of the universe sort `U_ALL` is the
//! value of sort `T` that `inv_T(u)` denotes if `emb_T(inv_T(u)) = u` in
//! the model; an element in no sort's image is a value the model knows
//! nothing about, read as an atom of its own (`u1`), which differs from
//! every other value: any choice of values is a genuine TLA+ model for the
//! evaluator, so this cannot make a wrong counterexample confirmed.
//!
//! A value that cannot be read is an error with the reason: the
//! evaluation of an obligation that needs it is then not confirmed.

use crate::encode::Script;
use crate::eval::Value;
use std::collections::{BTreeSet, HashMap, HashSet};
use std::rc::Rc;
use z3::ast::{Array, Ast, Bool, Dynamic};
use z3::{DeclKind, FuncDecl, Model, Sort, SortKind};

/// A [`Value`] as it crosses the process boundary (`Value` shares its
/// parts and keys maps by values, which JSON cannot).
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub enum WireValue {
    Bool(bool),
    Int(i64),
    Str(String),
    /// An atom: (sort, name).
    Atom(String, String),
    Set(Vec<WireValue>),
    Fun(Vec<(WireValue, WireValue)>),
}

impl From<&Value> for WireValue {
    fn from(v: &Value) -> Self {
        match v {
            Value::Bool(b) => WireValue::Bool(*b),
            Value::Int(i) => WireValue::Int(*i),
            Value::Str(s) => WireValue::Str(s.to_string()),
            Value::Atom(a) => WireValue::Atom(a.sort.to_string(), a.name.to_string()),
            Value::Set(s) => WireValue::Set(s.iter().map(WireValue::from).collect()),
            Value::Fun(f) => WireValue::Fun(
                f.iter()
                    .map(|(k, v)| (WireValue::from(k), WireValue::from(v)))
                    .collect(),
            ),
        }
    }
}

impl WireValue {
    pub fn value(&self) -> Value {
        match self {
            WireValue::Bool(b) => Value::Bool(*b),
            WireValue::Int(i) => Value::Int(*i),
            WireValue::Str(s) => Value::str(s),
            WireValue::Atom(sort, name) => Value::atom(sort, name),
            WireValue::Set(s) => Value::set(s.iter().map(WireValue::value)),
            WireValue::Fun(f) => Value::fun(f.iter().map(|(k, v)| (k.value(), v.value()))),
        }
    }
}

/// A model read as TLA+ values.
#[derive(Clone, Debug, Default, serde::Serialize, serde::Deserialize)]
pub struct ModelValues {
    /// One entry per item of the script, in its order: the value, or why
    /// it cannot be read.
    pub items: Vec<Result<WireValue, String>>,
    /// The model's other values: elements of its sorts, values of its
    /// other constants (Skolem witnesses among them).
    pub others: Vec<WireValue>,
    /// Goal conjuncts false in the model: (file, start, end).
    pub false_goals: Vec<(u32, u32, u32)>,
    /// Elements of each uninterpreted sort: (sort, count).
    pub sizes: Vec<(String, usize)>,
    /// Whether the model is the result of minimisation.
    pub minimized: bool,
}

/// Values of the model's other constants kept at most.
const MAX_OTHERS: usize = 300;
/// Nesting of values read at most (a model may be cyclic through `U_ALL`).
const MAX_DEPTH: usize = 24;
/// A set of sets over a finite sort of at most this many elements is read
/// by trying every subset.
const MAX_POWERSET_BASE: usize = 10;

/// Read `model` as TLA+ values.
pub fn read(model: &Model, script: &Script) -> ModelValues {
    let mut r = Reader::new(model, script);
    let decls: HashMap<String, FuncDecl> = model
        .iter()
        .filter(|d| d.arity() == 0)
        .map(|d| (d.name(), d))
        .collect();
    let mut out = ModelValues {
        items: vec![Err("not read".into()); script.items.len()],
        ..ModelValues::default()
    };
    // Constants first, so that their elements are named after them.
    let mut order: Vec<usize> = (0..script.items.len()).collect();
    order.sort_by_key(|&i| {
        let item = &script.items[i];
        let rank = match item.kind {
            crate::encode::ItemKind::Constant if item.def.is_none() => 0,
            crate::encode::ItemKind::Constant => 1,
            crate::encode::ItemKind::Parameter => 2,
            crate::encode::ItemKind::PreState => 3,
            crate::encode::ItemKind::PostState => 4,
        };
        (rank, i)
    });
    let mut items_smt = HashSet::new();
    for i in order {
        let item = &script.items[i];
        let key = item.smt.trim_matches('|');
        items_smt.insert(key.to_string());
        let Some(decl) = decls.get(key) else {
            out.items[i] = Err("the model leaves it unconstrained".into());
            continue;
        };
        r.prefix = match item.kind {
            crate::encode::ItemKind::Constant if item.def.is_none() => name_prefix(&item.name),
            _ => None,
        };
        out.items[i] = r.value(&decl.apply(&[]), 0).map(|v| WireValue::from(&v));
        r.prefix = None;
    }
    let mut others: BTreeSet<Value> = BTreeSet::new();
    for (sort, elems) in model.sort_universes() {
        let name = sort_name(&sort);
        out.sizes.push((name.clone(), elems.len()));
        for e in elems.iter() {
            if let Ok(v) = r.value(&e, 0) {
                others.insert(v);
            }
        }
    }
    let mut rest: Vec<(&String, &FuncDecl)> = decls
        .iter()
        .filter(|(n, _)| !items_smt.contains(*n))
        .collect();
    rest.sort_by(|a, b| a.0.cmp(b.0));
    for (_, d) in rest {
        if others.len() >= MAX_OTHERS {
            break;
        }
        if let Ok(v) = r.value(&d.apply(&[]), 0) {
            others.insert(v);
        }
    }
    out.others = others.iter().map(WireValue::from).collect();
    for (name, span) in &script.goal_parts {
        if let Some(d) = decls.get(name.trim_matches('|')) {
            let v = model.eval(&d.apply(&[]), true);
            if v.and_then(|v| v.as_bool()).and_then(|b| b.as_bool()) == Some(false) {
                out.false_goals.push((span.file.0, span.start, span.end));
            }
        }
    }
    out
}

/// The name prefix for the elements first met in a constant: its initial,
/// lowercased (`Acceptor` gives `a1`, `a2`).
fn name_prefix(name: &str) -> Option<String> {
    let c = name.chars().next().filter(|c| c.is_ascii_alphabetic())?;
    Some(c.to_ascii_lowercase().to_string())
}

/// The name prefix for elements of an uninterpreted sort: its hint name,
/// lowercased, letters only (`U_ACC` gives `acc1`, `U_T3` gives `t1`).
fn sort_prefix(sort: &str) -> String {
    let base = sort.strip_prefix("U_").unwrap_or(sort);
    let p: String = base
        .chars()
        .filter(|c| c.is_ascii_alphabetic())
        .map(|c| c.to_ascii_lowercase())
        .collect();
    if p.is_empty() { "e".into() } else { p }
}

fn sort_name(s: &Sort) -> String {
    s.to_string().trim_matches('|').to_string()
}

struct Reader<'a> {
    model: &'a Model,
    script: &'a Script,
    /// Atoms by element.
    atoms: HashMap<Dynamic, Value>,
    /// Elements named per prefix.
    counters: HashMap<String, usize>,
    /// The prefix for elements met now (set while a constant is read).
    prefix: Option<String>,
    /// Elements of `U_ALL` read so far, and those being read.
    universal: HashMap<Dynamic, Result<Value, String>>,
    reading: HashSet<Dynamic>,
    /// (embedding, inverse) of each sort embedded in `U_ALL`, atoms last.
    embeddings: Vec<(Rc<FuncDecl>, Rc<FuncDecl>)>,
    /// Elements of finite sorts, by sort.
    finite: HashMap<String, Option<Vec<Dynamic>>>,
    /// The model's unary functions by name (`app_FunN`, `dom_FunN`).
    unary: HashMap<String, Rc<FuncDecl>>,
}

impl<'a> Reader<'a> {
    fn new(model: &'a Model, script: &'a Script) -> Self {
        let fns: HashMap<String, Rc<FuncDecl>> = model
            .iter()
            .filter(|d| d.arity() == 1)
            .map(|d| (d.name(), Rc::new(d)))
            .collect();
        let mut embeddings: Vec<(Rc<FuncDecl>, Rc<FuncDecl>)> = fns
            .iter()
            .filter_map(|(n, emb)| {
                let key = n.strip_prefix("emb_")?;
                let inv = fns.get(&format!("inv_{key}"))?;
                Some((emb.clone(), inv.clone()))
            })
            .collect();
        // Values with structure first: an element that is both an integer
        // and an atom in the model is read as the integer.
        let rank = |d: &Rc<FuncDecl>| match d.domain(0) {
            _ if d.name().starts_with("emb__Fun") => 1,
            Some(SortKind::Int) => 0,
            Some(SortKind::Datatype) => 1,
            Some(SortKind::Array) => 2,
            Some(SortKind::Bool) => 3,
            _ => 4,
        };
        embeddings.sort_by_key(|(e, _)| (rank(e), e.name()));
        Reader {
            model,
            script,
            atoms: HashMap::new(),
            counters: HashMap::new(),
            prefix: None,
            universal: HashMap::new(),
            reading: HashSet::new(),
            embeddings,
            finite: HashMap::new(),
            unary: fns,
        }
    }

    fn eval(&self, d: &Dynamic) -> Dynamic {
        self.model.eval(d, true).unwrap_or_else(|| d.clone())
    }

    fn value(&mut self, d: &Dynamic, depth: usize) -> Result<Value, String> {
        if depth > MAX_DEPTH {
            return Err("a value nested too deeply".into());
        }
        let d = self.eval(d);
        let sort = d.get_sort();
        match sort.kind() {
            SortKind::Bool => d
                .as_bool()
                .and_then(|b| b.as_bool())
                .map(Value::Bool)
                .ok_or_else(|| "a Boolean the model leaves open".into()),
            SortKind::Int => match d.as_int().and_then(|i| i.as_i64()) {
                Some(i) => Ok(Value::Int(i)),
                None => Err(format!("the integer {d} (beyond 64 bits)")),
            },
            SortKind::Uninterpreted => {
                let name = sort_name(&sort);
                if name == "U_ALL" {
                    self.universal_value(&d, depth)
                } else if name.starts_with("Fun") {
                    self.function(&d, &name, depth)
                } else {
                    Ok(self.atom(&d, &name))
                }
            }
            SortKind::Array => {
                let members = self.members(&d, depth)?;
                Ok(Value::set(members.into_iter().map(|(_, v)| v)))
            }
            SortKind::Datatype => self.datatype(&d, &sort_name(&sort), depth),
            _ => Err(format!("a value of the SMT sort {sort}")),
        }
    }

    /// The function an element of function sort `n` stands for: its
    /// domain and its values there (see `encode::sorts`).
    fn function(&mut self, f: &Dynamic, n: &str, depth: usize) -> Result<Value, String> {
        let (Some(app), Some(dom)) = (
            self.unary.get(&format!("app_{n}")).cloned(),
            self.unary.get(&format!("dom_{n}")).cloned(),
        ) else {
            return Err(format!("a function of sort {n} the model does not give"));
        };
        let values = self.eval(&app.apply(&[f]));
        let domain = self.eval(&dom.apply(&[f]));
        let app = values
            .as_array()
            .ok_or_else(|| "a function the model does not give".to_string())?;
        let dom = self
            .members(&domain, depth + 1)
            .map_err(|e| format!("a function whose domain is not a finite set of values ({e})"))?;
        let mut pairs = Vec::with_capacity(dom.len());
        for (k, kv) in dom {
            let v = self.value(&app.select(&k), depth + 1)?;
            pairs.push((kv, v));
        }
        Ok(Value::fun(pairs))
    }

    /// The atom for an element of an uninterpreted sort.
    fn atom(&mut self, d: &Dynamic, sort: &str) -> Value {
        if let Some(v) = self.atoms.get(d) {
            return v.clone();
        }
        let prefix = self.prefix.clone().unwrap_or_else(|| sort_prefix(sort));
        let v = self.fresh_atom(sort, &prefix);
        self.atoms.insert(d.clone(), v.clone());
        v
    }

    fn fresh_atom(&mut self, sort: &str, prefix: &str) -> Value {
        let n = self.counters.entry(prefix.to_string()).or_insert(0);
        *n += 1;
        let shown = sort.strip_prefix("U_").unwrap_or(sort);
        Value::atom(shown, &format!("{prefix}{n}"))
    }

    /// The value an element of `U_ALL` stands for.
    fn universal_value(&mut self, u: &Dynamic, depth: usize) -> Result<Value, String> {
        if let Some(r) = self.universal.get(u) {
            return r.clone();
        }
        if !self.reading.insert(u.clone()) {
            return Err("a value that contains itself".into());
        }
        let mut found: Option<Result<Value, String>> = None;
        for (emb, inv) in self.embeddings.clone() {
            let x = self.eval(&inv.apply(&[u]));
            let back = self.eval(&emb.apply(&[&x]));
            let x = if back == *u {
                x
            } else {
                // A model of a script without the embeddings' injectivity
                // (see `solve::Engine::FiniteUniverse`): `inv` is then
                // arbitrary; an argument `emb` maps to `u` is the value.
                match self.preimage(&emb, u) {
                    Some(x) => x,
                    None => continue,
                }
            };
            match self.value(&x, depth + 1) {
                Ok(v) => {
                    found = Some(Ok(v));
                    break;
                }
                Err(e) => {
                    found.get_or_insert(Err(e));
                }
            }
        }
        self.reading.remove(u);
        let r = match found {
            Some(r) => r,
            None => {
                let v = self.fresh_atom("U_ALL", "u");
                Ok(v)
            }
        };
        self.universal.insert(u.clone(), r.clone());
        r
    }

    /// An argument the model's table of `emb` maps to `u`.
    fn preimage(&self, emb: &FuncDecl, u: &Dynamic) -> Option<Dynamic> {
        let interp = self.model.get_func_interp(emb)?;
        interp.get_entries().into_iter().find_map(|entry| {
            let args = entry.get_args();
            (args.len() == 1 && self.eval(&entry.get_value()) == *u).then(|| args[0].clone())
        })
    }

    /// The members of a set (an array into Bool), with their terms.
    fn members(&mut self, set: &Dynamic, depth: usize) -> Result<Vec<(Dynamic, Value)>, String> {
        let sort = set.get_sort();
        let (Some(dom), Some(range)) = (sort.array_domain(), sort.array_range()) else {
            return Err("an array that is not a set".into());
        };
        if range.kind() != SortKind::Bool {
            return Err("an array that is not a set".into());
        }
        let arr = set
            .as_array()
            .ok_or_else(|| "an array the model does not give".to_string())?;
        let keys = match self.elements_of(&dom) {
            Some(keys) => keys,
            None => self.support(set)?,
        };
        let mut out = Vec::new();
        let mut seen = HashSet::new();
        for k in keys {
            let k = self.eval(&k);
            if !seen.insert(k.clone()) {
                continue;
            }
            let m = self.eval(&arr.select(&k));
            match m.as_bool().and_then(|b| b.as_bool()) {
                Some(true) => {
                    let v = self.value(&k, depth + 1)?;
                    out.push((k, v));
                }
                Some(false) => {}
                None => return Err("a membership the model leaves open".into()),
            }
        }
        Ok(out)
    }

    /// Every element of a sort that is finite in the model: an
    /// uninterpreted sort, Bool, a small power set of one.
    fn elements_of(&mut self, sort: &Sort) -> Option<Vec<Dynamic>> {
        let key = sort.to_string();
        if let Some(r) = self.finite.get(&key) {
            return r.clone();
        }
        let r = match sort.kind() {
            SortKind::Uninterpreted => self
                .model
                .get_sort_universe(sort)
                .map(|u| u.iter().collect()),
            SortKind::Bool => Some(vec![
                Dynamic::from_ast(&Bool::from_bool(true)),
                Dynamic::from_ast(&Bool::from_bool(false)),
            ]),
            SortKind::Array => self.power_set(sort),
            _ => None,
        };
        self.finite.insert(key, r.clone());
        r
    }

    /// The subsets of a small finite sort, as store chains.
    fn power_set(&mut self, sort: &Sort) -> Option<Vec<Dynamic>> {
        let (dom, range) = (sort.array_domain()?, sort.array_range()?);
        if range.kind() != SortKind::Bool {
            return None;
        }
        let base = self.elements_of(&dom)?;
        if base.len() > MAX_POWERSET_BASE {
            return None;
        }
        let empty = Array::const_array(&dom, &Bool::from_bool(false));
        let mut out = Vec::with_capacity(1 << base.len());
        for mask in 0u32..(1 << base.len()) {
            let mut a = empty.clone();
            for (i, e) in base.iter().enumerate() {
                if mask & (1 << i) != 0 {
                    a = a.store(e, &Bool::from_bool(true));
                }
            }
            out.push(Dynamic::from_ast(&a));
        }
        Some(out)
    }

    /// The indices a set's model value lists explicitly, if it is "false"
    /// everywhere else: a store chain over a constant array, or the graph
    /// of a function with a finite table.
    fn support(&mut self, set: &Dynamic) -> Result<Vec<Dynamic>, String> {
        let infinite = || "an infinite set, or one the model gives by a formula".to_string();
        let mut keys = Vec::new();
        let mut cur = self.eval(set);
        loop {
            if !cur.is_app() {
                return Err(infinite());
            }
            let decl = cur.decl();
            let ch = cur.children();
            match decl.kind() {
                DeclKind::Store if ch.len() == 3 => {
                    keys.push(ch[1].clone());
                    cur = ch[0].clone();
                }
                DeclKind::ConstArray if ch.len() == 1 => {
                    if ch[0].as_bool().and_then(|b| b.as_bool()) != Some(false) {
                        return Err(infinite());
                    }
                    return Ok(keys);
                }
                DeclKind::AsArray => {
                    let f = cur
                        .as_array()
                        .and_then(|a| a.as_array_func_decl())
                        .ok_or_else(infinite)?;
                    let interp = self.model.get_func_interp(&f).ok_or_else(infinite)?;
                    let default = interp.get_else().map(|e| self.eval(&e));
                    if default.and_then(|e| e.as_bool()).and_then(|b| b.as_bool()) != Some(false) {
                        return Err(infinite());
                    }
                    for entry in interp.get_entries() {
                        keys.extend(entry.get_args().into_iter().take(1));
                    }
                    return Ok(keys);
                }
                _ => return Err(infinite()),
            }
        }
    }

    fn datatype(&mut self, d: &Dynamic, sort: &str, depth: usize) -> Result<Value, String> {
        if !d.is_app() {
            return Err(format!("a value of sort {sort} the model does not give"));
        }
        let ctor = d.decl().name();
        let ch = d.children();
        if sort == "Str" {
            return self.string(&ctor, &ch);
        }
        if sort.starts_with("Tup") {
            let mut items = Vec::with_capacity(ch.len());
            for c in &ch {
                items.push(self.value(c, depth + 1)?);
            }
            return Ok(Value::tuple(items));
        }
        if sort.starts_with("Rec") {
            let shape = ctor.strip_prefix("mk_").unwrap_or(&ctor);
            let Some(fields) = self.script.ctors.get(shape).cloned() else {
                return Err(format!("a record of the unknown shape {shape}"));
            };
            let mut vals = Vec::with_capacity(fields.len());
            for ((f, _), c) in fields.iter().zip(&ch) {
                vals.push((f.clone(), self.value(c, depth + 1)?));
            }
            return Ok(Value::record(
                vals.iter().map(|(f, v)| (f.as_str(), v.clone())),
            ));
        }
        Err(format!("a value of the SMT sort {sort}"))
    }

    /// A string literal's constructor is the literal; `Str_other(i)` is a
    /// string that is no literal of the script.
    fn string(&mut self, ctor: &str, ch: &[Dynamic]) -> Result<Value, String> {
        if ctor == "Str_other" {
            let i = ch
                .first()
                .and_then(|c| c.as_int())
                .and_then(|i| i.as_i64())
                .ok_or_else(|| "a string the model does not give".to_string())?;
            let mut text = format!("str#{i}");
            while self.script.strings.iter().any(|(_, t)| *t == text) {
                text.push('\'');
            }
            return Ok(Value::str(&text));
        }
        self.script
            .strings
            .iter()
            .find(|(smt, _)| smt.trim_matches('|') == ctor)
            .map(|(_, text)| Value::str(text))
            .ok_or_else(|| format!("the unknown string constructor {ctor}"))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn wire_values_round_trip() {
        let v = Value::set([
            Value::record([("a", Value::int(1)), ("b", Value::str("x"))]),
            Value::tuple([Value::atom("ACC", "a1"), Value::bool(true)]),
            Value::str(""),
        ]);
        let w = WireValue::from(&v);
        let json = serde_json::to_string(&w).unwrap();
        let back: WireValue = serde_json::from_str(&json).unwrap();
        assert_eq!(back.value(), v);
    }

    #[test]
    fn prefixes() {
        assert_eq!(name_prefix("Acceptor").as_deref(), Some("a"));
        assert_eq!(name_prefix("_x"), None);
        assert_eq!(sort_prefix("U_ACC"), "acc");
        assert_eq!(sort_prefix("U_T12"), "t");
    }
}
