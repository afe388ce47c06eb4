//! Finite TLA+ values.
//!
//! One representation per TLA+ value, so that the derived `Eq` is TLA+
//! equality: records and tuples are functions (`<<1, 2>>` is the map
//! `{1 ↦ 1, 2 ↦ 2}`, `[a |-> 1]` the map `{"a" ↦ 1}`), sets and functions
//! are ordered collections (extensionality is structural equality), and
//! the empty string is the empty function (a TLA+ string is a sequence of
//! characters, so `"" = <<>>`).

use std::collections::{BTreeMap, BTreeSet};
use std::rc::Rc;

/// A model value of an uninterpreted sort (`a1` of sort `Acceptor`).
/// Atoms of different sorts, or with different names, are different.
/// Ordered by sort, then by name with numbers compared as numbers (`a2`
/// before `a10`), the order in which sets of atoms are printed.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct Atom {
    pub sort: Rc<str>,
    pub name: Rc<str>,
}

impl Ord for Atom {
    fn cmp(&self, other: &Self) -> std::cmp::Ordering {
        let key = |a: &Atom| {
            let name: &str = &a.name;
            let digits = name.len() - name.trim_end_matches(|c: char| c.is_ascii_digit()).len();
            let (prefix, number) = name.split_at(name.len() - digits);
            // Leading zeros aside, a longer number is larger.
            let number = number.trim_start_matches('0');
            (
                a.sort.clone(),
                prefix.to_string(),
                number.len(),
                number.to_string(),
                a.name.clone(),
            )
        };
        key(self).cmp(&key(other))
    }
}

impl PartialOrd for Atom {
    fn partial_cmp(&self, other: &Self) -> Option<std::cmp::Ordering> {
        Some(self.cmp(other))
    }
}

/// A finite TLA+ value.
///
/// The derived order (Booleans, then integers, strings, atoms, sets,
/// functions; within a kind by content) is the total order in which CHOOSE
/// picks its least witness.
///
/// Invariant: `Str` is never empty (use [`Value::str`]); the empty string is
/// `Fun` of the empty map.
#[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Value {
    Bool(bool),
    Int(i64),
    Str(Rc<str>),
    Atom(Rc<Atom>),
    Set(Rc<BTreeSet<Value>>),
    Fun(Rc<BTreeMap<Value, Value>>),
}

impl Value {
    pub fn bool(b: bool) -> Value {
        Value::Bool(b)
    }

    pub fn int(i: i64) -> Value {
        Value::Int(i)
    }

    /// A string; `""` is the empty sequence.
    pub fn str(s: &str) -> Value {
        if s.is_empty() {
            Value::empty_fun()
        } else {
            Value::Str(s.into())
        }
    }

    pub fn atom(sort: &str, name: &str) -> Value {
        Value::Atom(Rc::new(Atom {
            sort: sort.into(),
            name: name.into(),
        }))
    }

    pub fn set(items: impl IntoIterator<Item = Value>) -> Value {
        Value::Set(Rc::new(items.into_iter().collect()))
    }

    pub fn empty_set() -> Value {
        Value::Set(Rc::new(BTreeSet::new()))
    }

    /// The function with the given graph (a later pair for the same
    /// argument replaces an earlier one).
    pub fn fun(pairs: impl IntoIterator<Item = (Value, Value)>) -> Value {
        Value::Fun(Rc::new(pairs.into_iter().collect()))
    }

    pub fn empty_fun() -> Value {
        Value::Fun(Rc::new(BTreeMap::new()))
    }

    /// `<<v1, ..., vn>>`: the function on `1..n`.
    pub fn tuple(items: impl IntoIterator<Item = Value>) -> Value {
        Value::fun(
            items
                .into_iter()
                .enumerate()
                .map(|(i, v)| (Value::Int(i as i64 + 1), v)),
        )
    }

    /// `[f1 |-> v1, ...]`: the function on the field names.
    pub fn record<'a>(fields: impl IntoIterator<Item = (&'a str, Value)>) -> Value {
        Value::fun(fields.into_iter().map(|(f, v)| (Value::str(f), v)))
    }

    /// `a..b` (empty when `a > b`); every element is built, so keep it small.
    pub fn range(a: i64, b: i64) -> Value {
        Value::set((a..=b).map(Value::Int))
    }

    pub fn as_bool(&self) -> Option<bool> {
        match self {
            Value::Bool(b) => Some(*b),
            _ => None,
        }
    }

    pub fn as_int(&self) -> Option<i64> {
        match self {
            Value::Int(i) => Some(*i),
            _ => None,
        }
    }

    pub fn as_set(&self) -> Option<&BTreeSet<Value>> {
        match self {
            Value::Set(s) => Some(s),
            _ => None,
        }
    }

    pub fn as_fun(&self) -> Option<&BTreeMap<Value, Value>> {
        match self {
            Value::Fun(f) => Some(f),
            _ => None,
        }
    }

    /// The components of a tuple (a function whose domain is `1..n`).
    pub fn as_tuple(&self) -> Option<Vec<&Value>> {
        let f = self.as_fun()?;
        let is_tuple = f
            .keys()
            .enumerate()
            .all(|(i, k)| *k == Value::Int(i as i64 + 1));
        is_tuple.then(|| f.values().collect())
    }

    /// A short name of the value's kind, for messages.
    pub fn kind(&self) -> &'static str {
        match self {
            Value::Bool(_) => "a Boolean",
            Value::Int(_) => "an integer",
            Value::Str(_) => "a string",
            Value::Atom(_) => "a model value",
            Value::Set(_) => "a set",
            Value::Fun(_) => "a function",
        }
    }

    /// Is the value a function in TLA+ (functions, records, tuples and
    /// strings, which are sequences of characters)?
    pub fn is_function(&self) -> bool {
        matches!(self, Value::Fun(_) | Value::Str(_))
    }

    /// `DOMAIN v` for a function or string.
    pub fn domain(&self) -> Option<Value> {
        match self {
            Value::Fun(f) => Some(Value::set(f.keys().cloned())),
            Value::Str(s) => Some(Value::range(1, s.chars().count() as i64)),
            _ => None,
        }
    }
}

impl From<bool> for Value {
    fn from(b: bool) -> Value {
        Value::Bool(b)
    }
}

impl From<i64> for Value {
    fn from(i: i64) -> Value {
        Value::Int(i)
    }
}

impl From<&str> for Value {
    fn from(s: &str) -> Value {
        Value::str(s)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tuples_and_records_are_functions() {
        let t = Value::tuple([Value::int(1), Value::int(2)]);
        let f = Value::fun([(1.into(), 1.into()), (2.into(), 2.into())]);
        assert_eq!(t, f);
        assert_eq!(t.as_tuple().map(|v| v.len()), Some(2));
        let r = Value::record([("a", Value::int(1))]);
        let g = Value::fun([(Value::str("a"), Value::int(1))]);
        assert_eq!(r, g);
        assert!(r.as_tuple().is_none());
        assert_eq!(Value::tuple([]), Value::empty_fun());
    }

    #[test]
    fn the_empty_string_is_the_empty_sequence() {
        assert_eq!(Value::str(""), Value::tuple([]));
        assert_ne!(Value::str("a"), Value::tuple([]));
        assert_eq!(Value::str("ab").domain(), Some(Value::range(1, 2)));
    }

    #[test]
    fn sets_are_extensional_and_ordered() {
        let a = Value::set([Value::int(2), Value::int(1), Value::int(2)]);
        let b = Value::set([Value::int(1), Value::int(2)]);
        assert_eq!(a, b);
        assert!(Value::int(-5) < Value::int(3));
        assert!(Value::bool(true) < Value::int(0));
        assert!(Value::atom("A", "a1") < Value::atom("A", "a2"));
        assert!(Value::atom("A", "a2") < Value::atom("A", "a10"));
        assert!(Value::atom("A", "b1") > Value::atom("A", "a10"));
        assert_ne!(Value::atom("A", "x"), Value::atom("B", "x"));
    }
}
