//! Canonical names for bound variables in SMT-LIB text.

use std::collections::HashMap;

/// Rename the variables bound inside an SMT-LIB term (by `forall`,
/// `exists`, `lambda`, `let`) to names that depend only on their binding
/// depth and position, so alpha-equivalent formulas become the same text.
/// Z3 compares quantifiers including their variable names: a goal that
/// restates a cited fact under other bound names was not recognised as
/// that fact (measured: MsgsLemma's QED timed out; renamed, unsat in 1 ms).
pub(crate) fn canonical_binders(term: &str) -> String {
    let tokens = tokenize(term);
    let mut out = String::with_capacity(term.len());
    rename(&tokens, &mut out);
    out
}

#[derive(Debug, PartialEq)]
enum Tok<'a> {
    Open,
    Close,
    Atom(&'a str),
}

fn tokenize(s: &str) -> Vec<Tok<'_>> {
    let bytes = s.as_bytes();
    let mut out = Vec::new();
    let mut i = 0;
    while i < bytes.len() {
        match bytes[i] {
            b'(' => {
                out.push(Tok::Open);
                i += 1;
            }
            b')' => {
                out.push(Tok::Close);
                i += 1;
            }
            c if c.is_ascii_whitespace() => i += 1,
            b'|' => {
                let end = s[i + 1..].find('|').map_or(s.len(), |e| i + 1 + e + 1);
                out.push(Tok::Atom(&s[i..end]));
                i = end;
            }
            _ => {
                let start = i;
                while i < bytes.len()
                    && !bytes[i].is_ascii_whitespace()
                    && bytes[i] != b'('
                    && bytes[i] != b')'
                {
                    i += 1;
                }
                out.push(Tok::Atom(&s[start..i]));
            }
        }
    }
    out
}

fn push_atom(out: &mut String, atom: &str) {
    if !(out.is_empty() || out.ends_with('(')) {
        out.push(' ');
    }
    out.push_str(atom);
}

/// What an open parenthesis of the input is, while its contents are copied.
enum Frame<'a> {
    /// An ordinary application or list.
    Plain,
    /// The binding list `((x S) (y T))` of a binder whose scope number is
    /// `depth`; `scope` collects the names bound so far.
    Bindings { depth: usize, scope: Vec<&'a str> },
    /// One binding `(x S)` after its name: the sort or let-bound value is in
    /// the outer scope.
    Binding,
    /// The body of a binder (the binder's own parenthesis), whose names are
    /// in scope.
    Body { names: Vec<&'a str> },
}

/// Copy the first expression of `tokens`, renaming bound names.
///
/// A loop over an explicit stack rather than recursion: the terms of a
/// 40,000-element set literal nest 40,000 `store`s deep, which overflowed
/// the thread's stack. Bound names map to a stack of canonical names per
/// name, so a lookup does not scan every enclosing binding (a `let` may
/// bind thousands).
fn rename<'a>(tokens: &[Tok<'a>], out: &mut String) {
    let mut frames: Vec<Frame<'a>> = Vec::new();
    let mut bound: HashMap<&'a str, Vec<String>> = HashMap::new();
    let mut scopes = 0;
    let mut i = 0;
    let mut started = false;
    while i < tokens.len() && !(started && frames.is_empty()) {
        started = true;
        if let Some(Frame::Bindings { depth, scope }) = frames.last_mut() {
            match (&tokens[i], tokens.get(i + 1)) {
                (Tok::Open, Some(Tok::Atom(name))) => {
                    push_atom(out, "(");
                    push_atom(out, &format!("|%{depth}.{}|", scope.len()));
                    scope.push(*name);
                    frames.push(Frame::Binding);
                    i += 2;
                }
                (Tok::Open, _) => i += 1,
                _ => {
                    // The end of the list: its names come into scope.
                    out.push(')');
                    let Some(Frame::Bindings { depth, scope }) = frames.pop() else {
                        unreachable!("the top frame was matched above")
                    };
                    for (k, name) in scope.iter().enumerate() {
                        bound
                            .entry(name)
                            .or_default()
                            .push(format!("|%{depth}.{k}|"));
                    }
                    scopes += 1;
                    frames.push(Frame::Body { names: scope });
                    i += 1;
                }
            }
            continue;
        }
        match &tokens[i] {
            Tok::Close => {
                if let Some(frame) = frames.pop() {
                    out.push(')');
                    close_scope(frame, &mut bound, &mut scopes);
                }
                i += 1;
            }
            Tok::Atom(a) => {
                let name = bound.get(a).and_then(|s| s.last());
                push_atom(out, name.map_or(a, |n| n.as_str()));
                i += 1;
            }
            Tok::Open => {
                push_atom(out, "(");
                match (tokens.get(i + 1), tokens.get(i + 2)) {
                    (
                        Some(Tok::Atom(q @ ("forall" | "exists" | "lambda" | "let"))),
                        Some(Tok::Open),
                    ) => {
                        push_atom(out, q);
                        push_atom(out, "(");
                        frames.push(Frame::Bindings {
                            depth: scopes,
                            scope: Vec::new(),
                        });
                        i += 3;
                    }
                    _ => {
                        frames.push(Frame::Plain);
                        i += 1;
                    }
                }
            }
        }
    }
    // Unbalanced input: close what is still open.
    while let Some(frame) = frames.pop() {
        out.push(')');
        close_scope(frame, &mut bound, &mut scopes);
    }
}

/// Leave `frame`: a binder body's names go out of scope.
fn close_scope<'a>(
    frame: Frame<'a>,
    bound: &mut HashMap<&'a str, Vec<String>>,
    scopes: &mut usize,
) {
    if let Frame::Body { names } = frame {
        for name in names {
            if let Some(stack) = bound.get_mut(name) {
                stack.pop();
            }
        }
        *scopes -= 1;
    }
}

#[cfg(test)]
mod tests {
    use super::canonical_binders;

    #[test]
    fn alpha_equivalent_formulas_become_equal() {
        let a = canonical_binders(
            "(forall ((|x#1| Int)) (=> (p |x#1|) (exists ((|y!2| Int)) (= |y!2| |x#1|))))",
        );
        let b = canonical_binders(
            "(forall ((|x#7| Int)) (=> (p |x#7|) (exists ((|z!9| Int)) (= |z!9| |x#7|))))",
        );
        assert_eq!(a, b);
        assert!(a.contains("(p |%0.0|)"), "{a}");
    }

    #[test]
    fn free_names_and_let_values_keep_their_scope() {
        let t = canonical_binders(
            "(let ((|a!1| |c|)) (let ((|a!2| |a!1|)) (f |a!2| |c| (select (as const (Array Int Bool)) 1))))",
        );
        assert_eq!(
            t,
            "(let ((|%0.0| |c|)) (let ((|%1.0| |%0.0|)) (f |%1.0| |c| (select (as const (Array Int Bool)) 1))))"
        );
    }

    #[test]
    fn patterns_use_the_canonical_names() {
        let t =
            canonical_binders("(forall ((s Int) (d Int)) (! (= (f s d) 0) :pattern ((f s d))))");
        assert_eq!(
            t,
            "(forall ((|%0.0| Int) (|%0.1| Int)) (! (= (f |%0.0| |%0.1|) 0) :pattern ((f |%0.0| |%0.1|))))"
        );
    }

    #[test]
    fn shadowed_names_come_back_after_the_inner_binder() {
        let t = canonical_binders("(forall ((x Int)) (and (exists ((x Int)) (p x)) (q x)))");
        assert_eq!(
            t,
            "(forall ((|%0.0| Int)) (and (exists ((|%1.0| Int)) (p |%1.0|)) (q |%0.0|)))"
        );
    }

    #[test]
    fn deep_terms_do_not_overflow_the_stack() {
        // A 40,000-element set literal is a chain of 40,000 stores; test
        // threads have 2 MiB of stack.
        let n = 200_000;
        let term = format!(
            "(let ((s {}e{})) (select s 1))",
            "(store ".repeat(n),
            " 1 true)".repeat(n)
        );
        let t = canonical_binders(&term);
        assert!(t.starts_with("(let ((|%0.0| (store (store"), "{}", &t[..60]);
        assert!(
            t.ends_with("1 true))) (select |%0.0| 1))"),
            "{}",
            &t[t.len() - 60..]
        );
    }
}
