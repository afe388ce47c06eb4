//! Values printed as TLA+ text, deterministically (elements and arguments
//! in the value order).
//!
//! Sequences print as `<<1, 2>>`, records as `[a |-> 1]`, functions on
//! model values as `[a1 |-> 3, a2 |-> 4]` (how a reader of a counterexample
//! expects a function of acceptors), and any other function in TLC's
//! notation `(2 :> "x" @@ 3 :> "y")`, which is TLA+ given TLC's operators.

use super::value::Value;
use std::fmt;

impl fmt::Display for Value {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Value::Bool(true) => write!(f, "TRUE"),
            Value::Bool(false) => write!(f, "FALSE"),
            Value::Int(i) => write!(f, "{i}"),
            Value::Str(s) => write_string(f, s),
            Value::Atom(a) => write!(f, "{}", a.name),
            Value::Set(s) => {
                write!(f, "{{")?;
                list(f, s.iter())?;
                write!(f, "}}")
            }
            Value::Fun(m) => {
                if let Some(items) = self.as_tuple() {
                    write!(f, "<<")?;
                    list(f, items.into_iter())?;
                    return write!(f, ">>");
                }
                let named = |k: &Value| match k {
                    Value::Str(s) => is_identifier(s),
                    Value::Atom(_) => true,
                    _ => false,
                };
                if m.keys().all(named) {
                    write!(f, "[")?;
                    for (i, (k, v)) in m.iter().enumerate() {
                        if i > 0 {
                            write!(f, ", ")?;
                        }
                        match k {
                            Value::Str(s) => write!(f, "{s} |-> {v}")?,
                            _ => write!(f, "{k} |-> {v}")?,
                        }
                    }
                    return write!(f, "]");
                }
                write!(f, "(")?;
                for (i, (k, v)) in m.iter().enumerate() {
                    if i > 0 {
                        write!(f, " @@ ")?;
                    }
                    write!(f, "{k} :> {v}")?;
                }
                write!(f, ")")
            }
        }
    }
}

fn list<'a>(f: &mut fmt::Formatter<'_>, items: impl Iterator<Item = &'a Value>) -> fmt::Result {
    for (i, v) in items.enumerate() {
        if i > 0 {
            write!(f, ", ")?;
        }
        write!(f, "{v}")?;
    }
    Ok(())
}

/// A TLA+ string literal: `"` and `\` escaped, as are the control
/// characters TLA+ has escapes for.
fn write_string(f: &mut fmt::Formatter<'_>, s: &str) -> fmt::Result {
    write!(f, "\"")?;
    for c in s.chars() {
        match c {
            '"' => write!(f, "\\\"")?,
            '\\' => write!(f, "\\\\")?,
            '\n' => write!(f, "\\n")?,
            '\t' => write!(f, "\\t")?,
            '\r' => write!(f, "\\r")?,
            c => write!(f, "{c}")?,
        }
    }
    write!(f, "\"")
}

/// Can `s` be written as a record field name?
fn is_identifier(s: &str) -> bool {
    !s.is_empty()
        && s.chars().all(|c| c.is_ascii_alphanumeric() || c == '_')
        && s.chars().any(|c| c.is_ascii_alphabetic())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn show(v: Value) -> String {
        v.to_string()
    }

    #[test]
    fn prints_tla_text() {
        let a1 = Value::atom("Acceptor", "a1");
        let a2 = Value::atom("Acceptor", "a2");
        assert_eq!(show(Value::set([a2.clone(), a1.clone()])), "{a1, a2}");
        assert_eq!(
            show(Value::record([("b", 2.into()), ("a", 1.into())])),
            "[a |-> 1, b |-> 2]"
        );
        assert_eq!(show(Value::tuple([1.into(), 2.into()])), "<<1, 2>>");
        assert_eq!(
            show(Value::fun([(a2, 4.into()), (a1, 3.into())])),
            "[a1 |-> 3, a2 |-> 4]"
        );
        assert_eq!(show(Value::str("s\"q")), "\"s\\\"q\"");
        assert_eq!(show(Value::str("")), "<<>>");
        assert_eq!(show(Value::empty_set()), "{}");
        assert_eq!(show(Value::int(-3)), "-3");
        assert_eq!(show(Value::bool(false)), "FALSE");
        assert_eq!(
            show(Value::fun([(2.into(), "x".into()), (3.into(), "y".into())])),
            "(2 :> \"x\" @@ 3 :> \"y\")"
        );
        assert_eq!(
            show(Value::fun([(Value::str("a b"), 1.into())])),
            "(\"a b\" :> 1)"
        );
        let nested = Value::set([Value::set([]), Value::set([Value::int(1)])]);
        assert_eq!(show(nested), "{{}, {1}}");
    }
}
