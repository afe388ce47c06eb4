//! Very large block comments, blanked before parsing.
//!
//! tree-sitter-tlaplus makes every character of a `(* *)` comment a token
//! of its own (the grammar looks for PlusCal algorithms and nested comments
//! inside): a 10 MB comment became ten million tree nodes and took 2.2 GB.
//! The parser is given such a comment with its ASCII characters replaced
//! by spaces, which it skips: two tokens. Byte offsets, line breaks and
//! columns are unchanged (a space for an ASCII byte; other characters are
//! kept), so nothing after the comment moves. Comments with an `@type:`
//! annotation are kept, since the lowering reads annotations from the text.

/// Block comments longer than this (in bytes) are blanked.
const LARGE_COMMENT: usize = 64 * 1024;

/// The text with its large block comments blanked, or `None` if it has
/// none.
pub(super) fn blank_large(text: &str) -> Option<String> {
    if text.len() <= LARGE_COMMENT {
        return None;
    }
    let mut bytes: Option<Vec<u8>> = None;
    for (start, end) in block_comments(text.as_bytes()) {
        let comment = &text[start..end];
        if end - start <= LARGE_COMMENT || comment.contains("@type") {
            continue;
        }
        let out = bytes.get_or_insert_with(|| text.as_bytes().to_vec());
        // Keep `(*` and `*)`: the parse still sees one comment there.
        for b in &mut out[start + 2..end - 2] {
            if b.is_ascii() && *b != b'\n' && *b != b'\r' {
                *b = b' ';
            }
        }
    }
    // Only ASCII bytes were replaced by ASCII: still UTF-8.
    bytes.and_then(|b| String::from_utf8(b).ok())
}

/// The offset of the first `(*` of the module that is never closed.
pub(super) fn unclosed(text: &str) -> Option<usize> {
    let mut unclosed = None;
    block_comments_from(text.as_bytes(), &mut unclosed);
    unclosed
}

/// The byte ranges of the outermost block comments of a module text
/// (comments nest; `(*` in a string or after `\*` starts none).
fn block_comments(src: &[u8]) -> Vec<(usize, usize)> {
    block_comments_from(src, &mut None)
}

/// The block comments from the first module header to the first `====` at
/// the start of a line (text around the module is prose, where quotes and
/// parentheses mean nothing); `unclosed` gets the start of one that does
/// not end.
fn block_comments_from(src: &[u8], unclosed: &mut Option<usize>) -> Vec<(usize, usize)> {
    let mut out = Vec::new();
    let mut i = first_header(src);
    while i < src.len() {
        if src[i..].starts_with(b"====") && (i == 0 || src[i - 1] == b'\n') {
            break;
        }
        match src[i] {
            b'"' => {
                // A string: to its closing quote or the end of the line.
                i += 1;
                while i < src.len() && src[i] != b'"' && src[i] != b'\n' {
                    i += if src[i] == b'\\' { 2 } else { 1 };
                }
                i += 1;
            }
            b'\\' if src.get(i + 1) == Some(&b'*') => {
                while i < src.len() && src[i] != b'\n' {
                    i += 1;
                }
            }
            b'(' if src.get(i + 1) == Some(&b'*') => {
                let start = i;
                let mut depth = 0usize;
                while i < src.len() {
                    if src[i..].starts_with(b"(*") {
                        depth += 1;
                        i += 2;
                    } else if src[i..].starts_with(b"*)") {
                        depth -= 1;
                        i += 2;
                        if depth == 0 {
                            break;
                        }
                    } else {
                        i += 1;
                    }
                }
                if depth == 0 {
                    out.push((start, i));
                } else {
                    *unclosed = Some(start);
                }
            }
            _ => i += 1,
        }
    }
    out
}

/// Offset of the first line of the form `---- MODULE` (the end of the
/// text if there is none).
fn first_header(src: &[u8]) -> usize {
    let mut start = 0;
    while start < src.len() {
        let end = src[start..]
            .iter()
            .position(|b| *b == b'\n')
            .map_or(src.len(), |i| start + i + 1);
        let line = src[start..end].trim_ascii_start();
        let dashes = line.iter().take_while(|c| **c == b'-').count();
        if dashes >= 4 && line[dashes..].trim_ascii_start().starts_with(b"MODULE") {
            return start;
        }
        start = end;
    }
    src.len()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn large_comments_are_blanked_in_place() {
        let filler = "word (nested (* comment *)) é\n".repeat(4000);
        let text =
            format!("---- MODULE M ----\nA == \"(*\" (* {filler} *) + 1\n(* small *)\n====\n");
        let blanked = blank_large(&text).expect("a large comment");
        assert_eq!(blanked.len(), text.len());
        assert_eq!(blanked.lines().count(), text.lines().count());
        assert!(blanked.contains("A == \"(*\" (*  "));
        assert!(blanked.contains("*) + 1\n(* small *)\n"));
        assert!(!blanked.contains("word"));
        assert_eq!(blanked.matches('é').count(), 4000);
    }

    #[test]
    fn annotated_and_small_comments_are_kept() {
        let text = format!(
            "---- MODULE M ----\n(* @type: Int; {} *)\nCONSTANT N\n====\n",
            "x".repeat(100_000)
        );
        assert!(blank_large(&text).is_none());
        assert!(blank_large("---- MODULE M ----\n(* x *)\n====\n").is_none());
    }

    #[test]
    fn the_outermost_unclosed_comment_is_found() {
        let text = "---- MODULE M ----\nA == \"(*\" \\* (*\nB == (* x (* y *)\n====\n(*\n";
        assert_eq!(unclosed(text), text.find("(* x"));
        assert_eq!(unclosed("---- MODULE M ----\n(* x *)\n====\n(*\n"), None);
    }
}
