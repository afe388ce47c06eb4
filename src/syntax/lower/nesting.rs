//! Input the TLA+ parser cannot take without aborting the process.
//!
//! tree-sitter-tlaplus's external scanner keeps a stack of the junction
//! lists (`/\`, `\/` bullets) and of the proofs open at the current
//! position, and serializes it into tree-sitter's 1024-byte buffer after
//! every token: 3 bytes a junction list, 4 a proof, 15 more. When it does
//! not fit, a C assertion aborts the whole process (measured: 337 nested
//! `\/` bullets on one line, or proof steps nested 253 levels). No Rust
//! code can catch that, so:
//!
//! 1. a bound on the scanner's state is computed from the text: nested
//!    junction lists have strictly increasing columns, so there are at
//!    most as many as distinct columns at which a `/\` or `\/` starts;
//!    nested proofs have strictly increasing levels, so at most as many as
//!    distinct step levels (`<3>`) plus the steps `<+>` that open a level;
//! 2. only a text over the bound is parsed first in a forked child; if the
//!    child dies, the file is refused with a located error instead.

use crate::source::{Diagnostic, FileId, Span};

/// tree-sitter's serialization buffer (`TREE_SITTER_SERIALIZATION_BUFFER_SIZE`).
const BUFFER: usize = 1024;

/// The scanner state's size bound for `text`, and where the deepest
/// junction list and proof step may be (byte offsets).
struct Bound {
    bytes: usize,
    junctions: usize,
    proofs: usize,
    /// (offset, length) of the bullet at the largest column and of the
    /// step with the highest level.
    deepest_junction: Option<(usize, usize)>,
    deepest_step: Option<(usize, usize)>,
}

fn bound(text: &str) -> Bound {
    let mut columns = std::collections::BTreeMap::new();
    let mut levels = std::collections::BTreeSet::new();
    let mut opening_steps = 0;
    let mut deepest_step: Option<(u64, usize, usize)> = None;
    let bytes = text.as_bytes();
    let mut column = 0usize;
    let mut i = 0;
    while i < bytes.len() {
        let b = bytes[i];
        if b == b'\n' {
            column = 0;
            i += 1;
            continue;
        }
        if (b == b'/' && bytes.get(i + 1) == Some(&b'\\'))
            || (b == b'\\' && bytes.get(i + 1) == Some(&b'/'))
        {
            columns.entry(column).or_insert(i);
        } else if b == b'<'
            && let Some(len) = step_level(&bytes[i + 1..])
        {
            let level = &text[i + 1..i + 1 + len];
            match level.parse::<u64>() {
                Ok(n) => {
                    levels.insert(n);
                    if deepest_step.is_none_or(|(m, _, _)| n > m) {
                        deepest_step = Some((n, i, len + 2));
                    }
                }
                Err(_) if level == "+" => opening_steps += 1,
                Err(_) => {}
            }
        }
        // Columns count characters, as the scanner does.
        if b & 0xC0 != 0x80 {
            column += 1;
        }
        i += 1;
    }
    let junctions = columns.len();
    let proofs = levels.len() + opening_steps + 1;
    let mut size = 15 + 3 * junctions + 4 * proofs;
    // A PlusCal algorithm in a comment is scanned in a nested context that
    // carries a copy of the enclosing one.
    if text.contains("--algorithm") || text.contains("--fair") {
        size *= 2;
    }
    Bound {
        bytes: size,
        junctions,
        proofs,
        deepest_junction: columns.values().next_back().map(|&at| (at, 2)),
        deepest_step: deepest_step.map(|(_, at, len)| (at, len)),
    }
}

/// The length of `3`, `+` or `*` in a step name `<3>`, given the text
/// after `<`.
fn step_level(rest: &[u8]) -> Option<usize> {
    let len = rest
        .iter()
        .take_while(|c| c.is_ascii_digit() || **c == b'+' || **c == b'*')
        .count();
    (len > 0 && rest.get(len) == Some(&b'>')).then_some(len)
}

/// `Err` with a located diagnostic if parsing `text` would abort the
/// process. `parse` is the parse to try in a child when the bound is
/// exceeded.
pub fn check(text: &str, file: FileId, parse: impl Fn()) -> Result<(), Diagnostic> {
    let b = bound(text);
    if b.bytes <= BUFFER || survives_in_child(parse) {
        return Ok(());
    }
    // Point at what most likely overflowed.
    let at = if 3 * b.junctions >= 4 * b.proofs {
        b.deepest_junction.or(b.deepest_step)
    } else {
        b.deepest_step.or(b.deepest_junction)
    }
    .unwrap_or((0, 0));
    Err(Diagnostic::new(
        Span::new(file, at.0, at.0 + at.1),
        format!(
            "nested too deeply for the TLA+ parser: up to {} nested junction lists (`/\\`, `\\/` bullets) and {} nested proof levels do not fit its {BUFFER}-byte scanner state; split the formula or the proof",
            b.junctions, b.proofs
        ),
    ))
}

/// Run `parse` in a forked child: whether it ended normally.
fn survives_in_child(parse: impl Fn()) -> bool {
    // SAFETY: the child only parses (tree-sitter is plain C, and glibc's
    // malloc is usable after fork) and leaves through `_exit`.
    let pid = unsafe { libc::fork() };
    if pid < 0 {
        // No child: assume the worst rather than risk the abort here.
        return false;
    }
    if pid == 0 {
        // The assertion's message is not for the user: the parent reports
        // the problem with its location.
        // SAFETY: plain open/dup2 on descriptors this child owns.
        unsafe {
            let null = libc::open(c"/dev/null".as_ptr(), libc::O_WRONLY);
            if null >= 0 {
                libc::dup2(null, 2);
            }
        }
        parse();
        // SAFETY: ends the child without running the parent's destructors.
        unsafe { libc::_exit(0) };
    }
    let mut status = 0;
    // SAFETY: reap our own child.
    unsafe { libc::waitpid(pid, &mut status, 0) };
    libc::WIFEXITED(status) && libc::WEXITSTATUS(status) == 0
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ordinary_modules_stay_under_the_bound() {
        let text =
            "THEOREM T == /\\ a\n             /\\ b \\/ c\n  <1>1. x\n    <2>1. y\n  <1>2. QED";
        let b = bound(text);
        assert_eq!(b.junctions, 2);
        assert_eq!(b.proofs, 3);
        assert!(b.bytes < BUFFER);
    }

    #[test]
    fn bullets_on_one_line_and_deep_proofs_exceed_it() {
        let bullets = "\\/ ".repeat(340);
        assert!(bound(&bullets).bytes > BUFFER);
        let steps: String = (1..=260).map(|d| format!("<{d}>1. TRUE\n")).collect();
        let b = bound(&steps);
        assert_eq!(b.proofs, 261);
        assert!(b.bytes > BUFFER);
    }
}
