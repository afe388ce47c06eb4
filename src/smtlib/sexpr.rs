//! S-expressions of SMT-LIB 2.6 (§3.1 lexicon, §3.2 s-expressions): a
//! reader that keeps each node's line and column, and a printer that quotes
//! a symbol only where the standard requires it.

use super::Error;
use std::fmt::{self, Write};

/// A node with its position in the input (1-based; 0:0 for generated nodes).
#[derive(Clone, Debug)]
pub struct Sexp {
    pub kind: Kind,
    pub line: u32,
    pub col: u32,
}

#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub enum Kind {
    /// A symbol, simple or `|quoted|`, by its name (without the bars).
    Symbol(String),
    /// A reserved word written bare (`forall`, `let`, `!`, `_`, `as`, Z3's
    /// `lambda`, and command names); `|forall|` is a `Symbol`.
    Word(String),
    /// `:name`, stored without the colon.
    Keyword(String),
    Numeral(String),
    Decimal(String),
    /// `#x...` or `#b...`, as written.
    Bits(String),
    /// A string literal's contents, with `""` already unescaped to `"`.
    Str(String),
    List(Vec<Sexp>),
}

/// Equality of the terms, not of where they were written.
impl PartialEq for Sexp {
    fn eq(&self, other: &Sexp) -> bool {
        self.kind == other.kind
    }
}
impl Eq for Sexp {}

impl std::hash::Hash for Sexp {
    fn hash<H: std::hash::Hasher>(&self, state: &mut H) {
        self.kind.hash(state)
    }
}

/// The words SMT-LIB 2.6 reserves (§3.1), plus Z3's `lambda` binder. A bare
/// occurrence is syntax; the same name between bars is an ordinary symbol.
const RESERVED: &[&str] = &[
    "!",
    "_",
    "as",
    "BINARY",
    "DECIMAL",
    "exists",
    "forall",
    "HEXADECIMAL",
    "lambda",
    "let",
    "match",
    "NUMERAL",
    "par",
    "STRING",
];

/// Command names are reserved words too (§3.1), so a symbol spelled like
/// one is printed quoted.
const COMMANDS: &[&str] = &[
    "assert",
    "check-sat",
    "check-sat-assuming",
    "declare-const",
    "declare-datatype",
    "declare-datatypes",
    "declare-fun",
    "declare-sort",
    "define-fun",
    "define-fun-rec",
    "define-funs-rec",
    "define-sort",
    "echo",
    "exit",
    "get-assertions",
    "get-assignment",
    "get-info",
    "get-model",
    "get-option",
    "get-proof",
    "get-unsat-assumptions",
    "get-unsat-core",
    "get-value",
    "pop",
    "push",
    "reset",
    "reset-assertions",
    "set-info",
    "set-logic",
    "set-option",
];

impl Sexp {
    /// A node made by the translator (it has no source position).
    pub fn new(kind: Kind) -> Sexp {
        Sexp {
            kind,
            line: 0,
            col: 0,
        }
    }

    pub fn sym(name: &str) -> Sexp {
        Sexp::new(Kind::Symbol(name.to_string()))
    }

    pub fn word(name: &str) -> Sexp {
        Sexp::new(Kind::Word(name.to_string()))
    }

    pub fn list(items: Vec<Sexp>) -> Sexp {
        Sexp::new(Kind::List(items))
    }

    pub fn as_list(&self) -> Option<&[Sexp]> {
        match &self.kind {
            Kind::List(items) => Some(items),
            _ => None,
        }
    }

    pub fn as_symbol(&self) -> Option<&str> {
        match &self.kind {
            Kind::Symbol(s) => Some(s),
            _ => None,
        }
    }

    pub fn is_symbol(&self, name: &str) -> bool {
        self.as_symbol() == Some(name)
    }

    pub fn is_word(&self, word: &str) -> bool {
        self.as_word() == Some(word)
    }

    pub fn as_word(&self) -> Option<&str> {
        match &self.kind {
            Kind::Word(w) => Some(w),
            _ => None,
        }
    }

    /// An error located at this node.
    pub fn error(&self, message: impl Into<String>) -> Error {
        Error {
            line: self.line,
            col: self.col,
            message: message.into(),
        }
    }
}

/// Read every s-expression of `text`.
pub fn parse(text: &str) -> Result<Vec<Sexp>, Error> {
    let mut r = Reader {
        chars: text.chars().collect(),
        at: 0,
        line: 1,
        col: 1,
    };
    let mut out = Vec::new();
    loop {
        r.skip_blank();
        if r.at >= r.chars.len() {
            return Ok(out);
        }
        out.push(r.sexp()?);
    }
}

struct Reader {
    chars: Vec<char>,
    at: usize,
    line: u32,
    col: u32,
}

impl Reader {
    fn peek(&self) -> Option<char> {
        self.chars.get(self.at).copied()
    }

    fn bump(&mut self) -> Option<char> {
        let c = self.peek()?;
        self.at += 1;
        if c == '\n' {
            self.line += 1;
            self.col = 1;
        } else {
            self.col += 1;
        }
        Some(c)
    }

    fn error(&self, line: u32, col: u32, message: impl Into<String>) -> Error {
        Error {
            line,
            col,
            message: message.into(),
        }
    }

    /// Skip white space and `;` comments.
    fn skip_blank(&mut self) {
        while let Some(c) = self.peek() {
            if c == ';' {
                while self.peek().is_some_and(|c| c != '\n') {
                    self.bump();
                }
            } else if c.is_whitespace() {
                self.bump();
            } else {
                break;
            }
        }
    }

    fn sexp(&mut self) -> Result<Sexp, Error> {
        let (line, col) = (self.line, self.col);
        let at = |kind| Sexp { kind, line, col };
        match self.peek() {
            None => Err(self.error(line, col, "unexpected end of input")),
            Some('(') => {
                self.bump();
                let mut items = Vec::new();
                loop {
                    self.skip_blank();
                    match self.peek() {
                        None => return Err(self.error(line, col, "unclosed '('")),
                        Some(')') => {
                            self.bump();
                            return Ok(at(Kind::List(items)));
                        }
                        Some(_) => items.push(self.sexp()?),
                    }
                }
            }
            Some(')') => Err(self.error(line, col, "unexpected ')'")),
            Some('|') => {
                self.bump();
                let mut name = String::new();
                loop {
                    match self.bump() {
                        None => return Err(self.error(line, col, "unclosed '|'")),
                        Some('|') => return Ok(at(Kind::Symbol(name))),
                        Some('\\') => {
                            return Err(self.error(
                                line,
                                col,
                                "a quoted symbol may not contain '\\' (SMT-LIB 2.6 §3.1)",
                            ));
                        }
                        Some(c) => name.push(c),
                    }
                }
            }
            Some('"') => {
                self.bump();
                let mut s = String::new();
                loop {
                    match self.bump() {
                        None => return Err(self.error(line, col, "unclosed string literal")),
                        Some('"') if self.peek() == Some('"') => {
                            self.bump();
                            s.push('"');
                        }
                        Some('"') => return Ok(at(Kind::Str(s))),
                        Some(c) => s.push(c),
                    }
                }
            }
            Some(_) => {
                let mut token = String::new();
                while let Some(c) = self.peek() {
                    if c.is_whitespace() || matches!(c, '(' | ')' | '|' | '"' | ';') {
                        break;
                    }
                    token.push(c);
                    self.bump();
                }
                classify(token)
                    .map(at)
                    .map_err(|m| self.error(line, col, m))
            }
        }
    }
}

/// The kind of a bare token.
fn classify(token: String) -> Result<Kind, String> {
    let digits = |s: &str| !s.is_empty() && s.chars().all(|c| c.is_ascii_digit());
    let numeral = |s: &str| digits(s) && (s == "0" || !s.starts_with('0'));
    if let Some(k) = token.strip_prefix(':') {
        if k.is_empty() || !k.chars().all(simple_char) {
            return Err(format!("bad keyword ':{k}'"));
        }
        return Ok(Kind::Keyword(k.to_string()));
    }
    if token.starts_with(|c: char| c.is_ascii_digit()) {
        if numeral(&token) {
            return Ok(Kind::Numeral(token));
        }
        if let Some((int, frac)) = token.split_once('.')
            && numeral(int)
            && digits(frac)
        {
            return Ok(Kind::Decimal(token));
        }
        return Err(format!("bad numeral '{token}'"));
    }
    if let Some(rest) = token.strip_prefix('#') {
        let ok = match rest.split_at_checked(1) {
            Some(("x", h)) => !h.is_empty() && h.chars().all(|c| c.is_ascii_hexdigit()),
            Some(("b", b)) => !b.is_empty() && b.chars().all(|c| c == '0' || c == '1'),
            _ => false,
        };
        return if ok {
            Ok(Kind::Bits(token))
        } else {
            Err(format!("bad literal '{token}'"))
        };
    }
    if !token.chars().all(simple_char) {
        return Err(format!("bad symbol '{token}'"));
    }
    if RESERVED.contains(&token.as_str()) || COMMANDS.contains(&token.as_str()) {
        Ok(Kind::Word(token))
    } else {
        Ok(Kind::Symbol(token))
    }
}

/// A character of a simple symbol (§3.1): letters, digits and
/// `~ ! @ $ % ^ & * _ - + = < > . ? /`.
fn simple_char(c: char) -> bool {
    c.is_ascii_alphanumeric() || "~!@$%^&*_-+=<>.?/".contains(c)
}

/// Whether `name` must be written `|name|`.
fn needs_bars(name: &str) -> bool {
    name.is_empty()
        || name.starts_with(|c: char| c.is_ascii_digit())
        || !name.chars().all(simple_char)
        || RESERVED.contains(&name)
        || COMMANDS.contains(&name)
}

impl fmt::Display for Sexp {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.kind {
            Kind::Symbol(name) if needs_bars(name) => write!(f, "|{name}|"),
            Kind::Symbol(name) | Kind::Word(name) => f.write_str(name),
            Kind::Keyword(k) => write!(f, ":{k}"),
            Kind::Numeral(s) | Kind::Decimal(s) | Kind::Bits(s) => f.write_str(s),
            Kind::Str(s) => {
                f.write_char('"')?;
                for c in s.chars() {
                    if c == '"' {
                        f.write_str("\"\"")?;
                    } else {
                        f.write_char(c)?;
                    }
                }
                f.write_char('"')
            }
            Kind::List(items) => {
                f.write_char('(')?;
                for (i, item) in items.iter().enumerate() {
                    if i > 0 {
                        f.write_char(' ')?;
                    }
                    write!(f, "{item}")?;
                }
                f.write_char(')')
            }
        }
    }
}
