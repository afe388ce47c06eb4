//! TLA+ names inside SMT-LIB symbols.
//!
//! Every symbol the encoder writes is quoted (`|op_Next|`), but a quoted
//! symbol may not contain `|` or `\` (SMT-LIB 2.6 §3.1), and user-defined
//! operators are named `|`, `|-`, `\prec`, `\sqsubseteq`... Much of the
//! encoder also scans its own text for `|...|` tokens and treats `#`, `!`
//! and `@` in them as markers of local and signature names. So a TLA+ name
//! goes into a symbol only through [`mangle`], whose output is plain ASCII
//! letters, digits, `_`, `!` (instance paths such as `P!Op` stay readable)
//! and `$` escapes.

use std::borrow::Cow;

/// `name` with every character other than an ASCII letter, digit, `_` or
/// `!` written as `$` and two hex digits per UTF-8 byte (`\prec` is
/// `$5Cprec`, `|` is `$7C`). Injective: a `$` in the result always starts
/// an escape, so distinct names stay distinct symbols.
pub(crate) fn mangle(name: &str) -> Cow<'_, str> {
    let plain = |c: char| c.is_ascii_alphanumeric() || c == '_' || c == '!';
    if name.chars().all(plain) {
        return Cow::Borrowed(name);
    }
    let mut out = String::with_capacity(name.len() + 8);
    for c in name.chars() {
        if plain(c) {
            out.push(c);
        } else {
            let mut buf = [0u8; 4];
            for b in c.encode_utf8(&mut buf).bytes() {
                out.push_str(&format!("${b:02X}"));
            }
        }
    }
    Cow::Owned(out)
}

#[cfg(test)]
mod tests {
    use super::mangle;

    #[test]
    fn identifiers_and_instance_paths_are_unchanged() {
        assert_eq!(mangle("maxBal"), "maxBal");
        assert_eq!(mangle("P!ShowsSafeAt"), "P!ShowsSafeAt");
    }

    #[test]
    fn operator_symbols_are_escaped() {
        assert_eq!(mangle("|"), "$7C");
        assert_eq!(mangle("\\prec"), "$5Cprec");
        assert_eq!(mangle("|-"), "$7C$2D");
        assert_eq!(mangle("$"), "$24");
        assert_eq!(mangle("é"), "$C3$A9");
        for name in ["|", "\\sqsubseteq", "::=", "@@", "..", "I!|", "x#1", "∈"] {
            let m = mangle(name);
            assert!(
                m.chars()
                    .all(|c| c.is_ascii_alphanumeric() || "_!$".contains(c)),
                "{name} -> {m}"
            );
        }
    }

    #[test]
    fn distinct_names_stay_distinct() {
        let names = [
            "$7C", "|", "$", "$24", "a|b", "a$7Cb", "\\", "$5C", "!|", "|!",
        ];
        for (i, a) in names.iter().enumerate() {
            for b in &names[i + 1..] {
                assert_ne!(mangle(a), mangle(b), "{a} and {b}");
            }
        }
    }
}
