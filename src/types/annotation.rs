//! Parser for Apalache type annotations (`\* @type: Set(ACC);`).
//!
//! Grammar: `Int | Bool | Str | NAME | Set(T) | Seq(T) | T -> T |
//! <<T, ...>> | [f: T, ...] | {f: T, ...} | (T)`; upper-case names are
//! uninterpreted sorts.

use std::rc::Rc;

/// A type as written in an annotation.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum AnnotType {
    Bool,
    Int,
    Str,
    Atom(Rc<str>),
    Set(Box<AnnotType>),
    Fun(Box<AnnotType>, Box<AnnotType>),
    Tuple(Vec<AnnotType>),
    Record(Vec<(Rc<str>, AnnotType)>),
}

/// Parse an annotation; the error says what was expected where.
pub fn parse_type(text: &str) -> Result<AnnotType, String> {
    let mut p = Parser {
        toks: tokenize(text)?,
        pos: 0,
    };
    let t = p.ty()?;
    if p.pos < p.toks.len() {
        return Err(format!("unexpected `{}` after the type", p.toks[p.pos]));
    }
    Ok(t)
}

fn tokenize(text: &str) -> Result<Vec<String>, String> {
    let mut toks = Vec::new();
    let chars: Vec<char> = text.chars().collect();
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        if c.is_whitespace() {
            i += 1;
        } else if c.is_alphanumeric() || c == '_' || c == '$' {
            let start = i;
            while i < chars.len()
                && (chars[i].is_alphanumeric() || chars[i] == '_' || chars[i] == '$')
            {
                i += 1;
            }
            toks.push(chars[start..i].iter().collect());
        } else if text[text.char_indices().nth(i).map_or(0, |(b, _)| b)..].starts_with("->") {
            toks.push("->".into());
            i += 2;
        } else if c == '<' && chars.get(i + 1) == Some(&'<') {
            toks.push("<<".into());
            i += 2;
        } else if c == '>' && chars.get(i + 1) == Some(&'>') {
            toks.push(">>".into());
            i += 2;
        } else if "()[]{},:".contains(c) {
            toks.push(c.to_string());
            i += 1;
        } else {
            return Err(format!("unexpected character `{c}` in type"));
        }
    }
    Ok(toks)
}

struct Parser {
    toks: Vec<String>,
    pos: usize,
}

impl Parser {
    fn peek(&self) -> Option<&str> {
        self.toks.get(self.pos).map(|s| s.as_str())
    }

    fn next(&mut self) -> Result<String, String> {
        let t = self
            .toks
            .get(self.pos)
            .cloned()
            .ok_or_else(|| "unexpected end of type".to_string())?;
        self.pos += 1;
        Ok(t)
    }

    fn expect(&mut self, tok: &str) -> Result<(), String> {
        let t = self.next()?;
        if t == tok {
            Ok(())
        } else {
            Err(format!("expected `{tok}`, found `{t}`"))
        }
    }

    fn ty(&mut self) -> Result<AnnotType, String> {
        let lhs = self.atom()?;
        if self.peek() == Some("->") {
            self.pos += 1;
            let rhs = self.ty()?;
            return Ok(AnnotType::Fun(Box::new(lhs), Box::new(rhs)));
        }
        Ok(lhs)
    }

    fn fields(&mut self, close: &str) -> Result<Vec<(Rc<str>, AnnotType)>, String> {
        let mut fields = Vec::new();
        if self.peek() == Some(close) {
            self.pos += 1;
            return Ok(fields);
        }
        loop {
            let name = self.next()?;
            self.expect(":")?;
            fields.push((Rc::from(name.as_str()), self.ty()?));
            match self.next()?.as_str() {
                "," => continue,
                t if t == close => return Ok(fields),
                t => return Err(format!("expected `,` or `{close}`, found `{t}`")),
            }
        }
    }

    fn atom(&mut self) -> Result<AnnotType, String> {
        let t = self.next()?;
        match t.as_str() {
            "Int" | "Nat" => Ok(AnnotType::Int),
            "Bool" => Ok(AnnotType::Bool),
            "Str" => Ok(AnnotType::Str),
            "Set" => {
                self.expect("(")?;
                let e = self.ty()?;
                self.expect(")")?;
                Ok(AnnotType::Set(Box::new(e)))
            }
            "Seq" => Err("sequences (`Seq`) are not supported".into()),
            "(" => {
                let e = self.ty()?;
                self.expect(")")?;
                Ok(e)
            }
            "<<" => {
                let mut ts = vec![self.ty()?];
                while self.peek() == Some(",") {
                    self.pos += 1;
                    ts.push(self.ty()?);
                }
                self.expect(">>")?;
                Ok(AnnotType::Tuple(ts))
            }
            "[" => Ok(AnnotType::Record(self.fields("]")?)),
            "{" => Ok(AnnotType::Record(self.fields("}")?)),
            name if name.starts_with('$') => {
                Err(format!("type aliases (`{name}`) are not supported"))
            }
            name if name.chars().next().is_some_and(|c| c.is_ascii_uppercase())
                && name
                    .chars()
                    .all(|c| c.is_ascii_uppercase() || c.is_ascii_digit() || c == '_') =>
            {
                Ok(AnnotType::Atom(name.into()))
            }
            other => Err(format!(
                "unknown type `{other}` (uninterpreted sorts are written in CAPITALS)"
            )),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_nested_types() {
        let t = parse_type("Set([type: Str, m2av: Set([val: VALUE, bal: Int])])").unwrap();
        let AnnotType::Set(inner) = t else { panic!() };
        let AnnotType::Record(fields) = *inner else {
            panic!()
        };
        assert_eq!(fields.len(), 2);
        assert_eq!(
            parse_type("ACC -> Set(<<Int, VALUE>>)").unwrap(),
            AnnotType::Fun(
                Box::new(AnnotType::Atom("ACC".into())),
                Box::new(AnnotType::Set(Box::new(AnnotType::Tuple(vec![
                    AnnotType::Int,
                    AnnotType::Atom("VALUE".into())
                ]))))
            )
        );
        assert!(parse_type("Set(acc)").unwrap_err().contains("CAPITALS"));
        assert!(parse_type("Set(Int").is_err());
    }
}
