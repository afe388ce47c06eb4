//! Canonical names for bound variables in SMT-LIB text.

/// Rename the variables bound inside an SMT-LIB term (by `forall`,
/// `exists`, `lambda`, `let`) to names that depend only on their binding
/// depth and position, so alpha-equivalent formulas become the same text.
/// Z3 compares quantifiers including their variable names: a goal that
/// restates a cited fact under other bound names was not recognised as
/// that fact (measured: MsgsLemma's QED timed out; renamed, unsat in 1 ms).
pub(crate) fn canonical_binders(term: &str) -> String {
    let tokens = tokenize(term);
    let mut out = String::with_capacity(term.len());
    let mut scopes: Vec<Vec<(String, String)>> = Vec::new();
    rename(&tokens, &mut 0, &mut scopes, &mut out);
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

fn lookup<'s>(scopes: &'s [Vec<(String, String)>], name: &str) -> Option<&'s str> {
    scopes
        .iter()
        .rev()
        .flat_map(|s| s.iter().rev())
        .find(|(from, _)| from == name)
        .map(|(_, to)| to.as_str())
}

fn push_atom(out: &mut String, atom: &str) {
    if !(out.is_empty() || out.ends_with('(')) {
        out.push(' ');
    }
    out.push_str(atom);
}

/// Copy one expression starting at `tokens[*i]`, renaming bound names.
fn rename(
    tokens: &[Tok],
    i: &mut usize,
    scopes: &mut Vec<Vec<(String, String)>>,
    out: &mut String,
) {
    match tokens.get(*i) {
        None => {}
        Some(Tok::Close) => *i += 1,
        Some(Tok::Atom(a)) => {
            let name = lookup(scopes, a).unwrap_or(a).to_string();
            push_atom(out, &name);
            *i += 1;
        }
        Some(Tok::Open) => {
            push_atom(out, "(");
            *i += 1;
            let head = match tokens.get(*i) {
                Some(Tok::Atom(h)) => Some(*h),
                _ => None,
            };
            match head {
                Some(q @ ("forall" | "exists" | "lambda" | "let"))
                    if tokens.get(*i + 1) == Some(&Tok::Open) =>
                {
                    push_atom(out, q);
                    *i += 1;
                    // ((x S) (y T)) or ((x v) (y w)): fresh canonical names;
                    // the sort or the let-bound value is in the outer scope.
                    let depth = scopes.len();
                    let mut scope = Vec::new();
                    push_atom(out, "(");
                    *i += 1;
                    while tokens.get(*i) == Some(&Tok::Open) {
                        *i += 1;
                        if let Some(Tok::Atom(name)) = tokens.get(*i) {
                            let canon = format!("|%{depth}.{}|", scope.len());
                            push_atom(out, "(");
                            push_atom(out, &canon);
                            *i += 1;
                            while tokens.get(*i) != Some(&Tok::Close) && *i < tokens.len() {
                                rename(tokens, i, scopes, out);
                            }
                            *i += 1;
                            out.push(')');
                            scope.push((name.to_string(), canon));
                        }
                    }
                    *i += 1;
                    out.push(')');
                    scopes.push(scope);
                    while tokens.get(*i) != Some(&Tok::Close) && *i < tokens.len() {
                        rename(tokens, i, scopes, out);
                    }
                    scopes.pop();
                    *i += 1;
                    out.push(')');
                }
                _ => {
                    while tokens.get(*i) != Some(&Tok::Close) && *i < tokens.len() {
                        rename(tokens, i, scopes, out);
                    }
                    *i += 1;
                    out.push(')');
                }
            }
        }
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
}
