//! Very long lines, split before parsing.
//!
//! tree-sitter-tlaplus's external scanner asks for the column of every
//! token, and tree-sitter computes a column by walking from the start of
//! the line: the parse is quadratic in the length of a line (measured: a
//! 270 KB line took 45 s, a 400 KB one 166 s). So a line longer than
//! [`LONG_LINE`] is given to the parser cut into pieces of about [`PIECE`]
//! characters, each piece on a line of its own, at a space or tab between
//! tokens (never in a string or comment).
//!
//! The scanner uses a token's column only to compare it with the columns
//! of the open junction lists (`/\`, `\/` bullets): a token at a column
//! not greater than the innermost list's ends that list. On one line,
//! every token after a bullet is right of it, so every piece is indented
//! one column further than any bullet that may still be open: the column
//! of the line's first token (a token ends every list right of it) and
//! of every `/\` or `\/` in prefix position since the last token at column
//! 0 (which ends every list). The parse is then the same, token for token.
//!
//! The parser sees the split text; [`Relocation`] maps its byte offsets
//! back to the original text, so spans point into the file as written.

use crate::source::Span;

/// Lines longer than this (in bytes) are split.
pub(super) const LONG_LINE: usize = 4096;

/// A piece of a split line ends at the first break point after this many
/// characters.
const PIECE: usize = 256;

/// The most work allowed to the parser for one line, as the sum of the
/// columns of its tokens (measured: ~4 ns a column, so ~2 s). A line that
/// cannot be split finely enough (400 KB of `a+a+...` without a space) is
/// refused rather than parsed for minutes.
const MAX_LINE_COST: u64 = 500_000_000;

/// Where the split text differs from the original: each chunk (a line
/// break and an indentation) stands for one space or tab of the original,
/// or is inserted after a comma.
#[derive(Debug, Default)]
pub(super) struct Relocation {
    chunks: Vec<Chunk>,
}

#[derive(Debug)]
struct Chunk {
    /// Offset of the chunk in the split text.
    start: usize,
    /// Its length there.
    len: usize,
    /// Offset in the original where it stands.
    original: usize,
    /// How many bytes of the original it replaces (a space or tab: 1; an
    /// insertion: 0).
    replaced: usize,
}

impl Relocation {
    /// The original offset of an offset of the split text.
    pub(super) fn offset(&self, at: usize) -> usize {
        let i = self.chunks.partition_point(|c| c.start <= at);
        let Some(c) = i.checked_sub(1).map(|i| &self.chunks[i]) else {
            return at;
        };
        if at < c.start + c.len {
            // Inside the inserted break: at or just after the whitespace.
            c.original + usize::from(at > c.start).min(c.replaced)
        } else {
            c.original + c.replaced + (at - c.start - c.len)
        }
    }

    pub(super) fn span(&self, span: Span) -> Span {
        if self.chunks.is_empty() {
            return span;
        }
        Span::new(
            span.file,
            self.offset(span.start as usize),
            self.offset(span.end as usize),
        )
    }
}

/// Words after which a `/\` or `\/` starts an expression (and may be a
/// bullet); after any other word it is the infix operator.
const KEYWORDS: &[&str] = &[
    "ACTION",
    "ASSUME",
    "ASSUMPTION",
    "AXIOM",
    "BY",
    "CASE",
    "CHOOSE",
    "CONSTANT",
    "CONSTANTS",
    "COROLLARY",
    "DEF",
    "DEFINE",
    "DEFS",
    "DOMAIN",
    "ELSE",
    "ENABLED",
    "EXCEPT",
    "HAVE",
    "HIDE",
    "IF",
    "IN",
    "LAMBDA",
    "LEMMA",
    "LET",
    "OBVIOUS",
    "OTHER",
    "PICK",
    "PROOF",
    "PROPOSITION",
    "PROVE",
    "QED",
    "SUBSET",
    "SUFFICES",
    "TAKE",
    "THEN",
    "THEOREM",
    "UNCHANGED",
    "UNION",
    "USE",
    "WITH",
    "WITNESS",
];

/// Brackets nested deeper than this cannot be lowered: each level is an
/// expression level (but for parameter lists such as `F(G(_))`, which the
/// factor 2 leaves room for).
const MAX_BRACKETS: usize = 2 * super::expr::MAX_DEPTH;

/// What to parse.
pub(super) enum Split {
    /// The text as it is: no line is longer than [`LONG_LINE`].
    Unchanged,
    /// The split text and how to map its offsets back.
    Pieces(String, Relocation),
    /// Brackets nested deeper than the lowering accepts: the offset and
    /// length of the first one too deep. Refused before the (slow) parse.
    TooDeep(usize, usize),
    /// A line too long to parse even split: the offset where its last
    /// unbroken stretch starts.
    TooLong(usize),
}

/// The text to parse.
pub(super) fn split(text: &str) -> Split {
    if !text.split('\n').any(|line| line.len() > LONG_LINE) {
        return Split::Unchanged;
    }
    let mut splitter = Splitter {
        src: text.as_bytes(),
        out: Vec::with_capacity(text.len() + text.len() / 16),
        reloc: Relocation::default(),
        comment_depth: 0,
        in_module: false,
        bullet_column: None,
        brackets: 0,
        too_deep: None,
        too_long: None,
    };
    let mut start = 0;
    while start < text.len() {
        let end = text[start..]
            .find('\n')
            .map_or(text.len(), |i| start + i + 1);
        splitter.line(start, end);
        if let Some((at, len)) = splitter.too_deep {
            return Split::TooDeep(at, len);
        }
        if let Some(at) = splitter.too_long {
            return Split::TooLong(at);
        }
        start = end;
    }
    match String::from_utf8(splitter.out) {
        Ok(out) => Split::Pieces(out, splitter.reloc),
        Err(_) => Split::Unchanged,
    }
}

struct Splitter<'a> {
    src: &'a [u8],
    out: Vec<u8>,
    reloc: Relocation,
    /// Nesting depth of `(* *)` comments at the current position.
    comment_depth: usize,
    /// Between a module header and a `====` (only there are lines split:
    /// text outside modules is prose).
    in_module: bool,
    /// The largest column of a `/\` or `\/` that may be an open bullet.
    bullet_column: Option<usize>,
    /// Brackets (`(`, `[`, `{`, `<<`) open at the current position.
    brackets: usize,
    /// Where the brackets first nested more than [`MAX_BRACKETS`] deep.
    too_deep: Option<(usize, usize)>,
    /// Where a line over [`MAX_LINE_COST`] starts its last unbroken stretch.
    too_long: Option<usize>,
}

/// What the previous token was, to tell a bullet from an infix `/\`.
#[derive(Clone, Copy, PartialEq)]
enum Prev {
    /// An operand (a name, number, string, closing bracket, prime): a
    /// `/\` after it is infix.
    Operand,
    /// Anything else: a `/\` after it may start a junction list.
    Other,
}

impl Splitter<'_> {
    /// Copy the line `start..end` (with its `\n`), split if it is long.
    fn line(&mut self, start: usize, end: usize) {
        let src = self.src;
        let line = &src[start..end];
        if is_module_header(line) {
            self.in_module = true;
            self.comment_depth = 0;
        }
        let long = end - start > LONG_LINE;
        let mut column = 0;
        let mut piece = 0;
        let mut stretch = start;
        let mut cost: u64 = 0;
        let mut first_token: Option<usize> = None;
        let mut prev = Prev::Other;
        let mut i = start;
        while i < end {
            let b = src[i];
            if self.comment_depth > 0 {
                let step = if src[i..end].starts_with(b"(*") {
                    self.comment_depth += 1;
                    2
                } else if src[i..end].starts_with(b"*)") {
                    self.comment_depth -= 1;
                    2
                } else {
                    1
                };
                column += self.copy(i, i + step);
                piece += step;
                i += step;
                continue;
            }
            if b == b' ' || b == b'\t' {
                if long && self.in_module && piece >= PIECE {
                    let indent = first_token.max(self.bullet_column).map_or(0, |c| c + 1);
                    if indent + PIECE / 2 < column {
                        self.break_at(i, 1, indent);
                        column = indent;
                        piece = 0;
                        i += 1;
                        stretch = i;
                        continue;
                    }
                }
                column += self.copy(i, i + 1);
                piece += 1;
                i += 1;
                continue;
            }
            if b == b'\n' || b == b'\r' {
                column += self.copy(i, i + 1);
                i += 1;
                continue;
            }
            let rest = &src[i..end];
            if rest.starts_with(b"\\*") {
                // A line comment: the rest of the line.
                self.copy(i, end);
                break;
            }
            if rest.starts_with(b"(*") {
                self.comment_depth = 1;
                column += self.copy(i, i + 2);
                piece += 2;
                i += 2;
                continue;
            }
            // A token starts here: the scanner counts its column.
            cost += column as u64;
            if cost > MAX_LINE_COST && self.too_long.is_none() {
                self.too_long = Some(stretch);
                return;
            }
            if column == 0 {
                // Every junction list ends at a token in column 0.
                self.bullet_column = None;
            }
            first_token.get_or_insert(column);
            let len = if rest.starts_with(b"/\\") || rest.starts_with(b"\\/") {
                if prev == Prev::Other {
                    self.bullet_column = self.bullet_column.max(Some(column));
                }
                prev = Prev::Other;
                2
            } else if b == b'"' {
                prev = Prev::Operand;
                string_length(rest)
            } else if b.is_ascii_alphanumeric() || b == b'_' {
                let len = rest
                    .iter()
                    .take_while(|c| c.is_ascii_alphanumeric() || **c == b'_')
                    .count();
                let word = std::str::from_utf8(&rest[..len]).unwrap_or("");
                prev = if KEYWORDS.contains(&word) {
                    Prev::Other
                } else {
                    Prev::Operand
                };
                len
            } else if b == b'\\' {
                // `\in`, `\cup`, ...: an operator.
                prev = Prev::Other;
                1 + rest[1..]
                    .iter()
                    .take_while(|c| c.is_ascii_alphabetic())
                    .count()
            } else if b == b'=' {
                let len = rest.iter().take_while(|c| **c == b'=').count();
                if len >= 4 {
                    // The end of a module.
                    self.in_module = false;
                }
                prev = Prev::Other;
                len
            } else if rest.starts_with(b">>") {
                prev = Prev::Operand;
                self.brackets = self.brackets.saturating_sub(1);
                2
            } else if rest.starts_with(b"<<") {
                prev = Prev::Other;
                self.open_bracket(i, 2);
                2
            } else {
                match b {
                    b'(' | b'[' | b'{' => self.open_bracket(i, 1),
                    b')' | b']' | b'}' => self.brackets = self.brackets.saturating_sub(1),
                    _ => {}
                }
                prev = if matches!(b, b')' | b']' | b'}' | b'\'' | b'@') {
                    Prev::Operand
                } else {
                    Prev::Other
                };
                // One character (all its bytes).
                1 + rest[1..]
                    .iter()
                    .take_while(|c| (**c & 0xC0) == 0x80)
                    .count()
            };
            column += self.copy(i, i + len);
            piece += len;
            i += len;
            // A comma is a token of its own: a break may follow it even
            // without a space (`{0,1,2,...}` written without one).
            if long
                && self.in_module
                && piece >= PIECE
                && b == b','
                && i < end
                && !src[i].is_ascii_whitespace()
            {
                let indent = first_token.max(self.bullet_column).map_or(0, |c| c + 1);
                if indent + PIECE / 2 < column {
                    self.break_at(i, 0, indent);
                    column = indent;
                    piece = 0;
                    stretch = i;
                }
            }
        }
    }

    /// A bracket of `len` bytes opens at `at`.
    fn open_bracket(&mut self, at: usize, len: usize) {
        self.brackets += 1;
        if self.brackets > MAX_BRACKETS && self.too_deep.is_none() {
            self.too_deep = Some((at, len));
        }
    }

    /// Copy `src[from..to]`; its number of characters (columns).
    fn copy(&mut self, from: usize, to: usize) -> usize {
        let bytes = &self.src[from..to];
        self.out.extend_from_slice(bytes);
        bytes.iter().filter(|c| (**c & 0xC0) != 0x80).count()
    }

    /// Replace the `replaced` (0 or 1) whitespace bytes at `at` by a line
    /// break and `indent` spaces.
    fn break_at(&mut self, at: usize, replaced: usize, indent: usize) {
        self.reloc.chunks.push(Chunk {
            start: self.out.len(),
            len: 1 + indent,
            original: at,
            replaced,
        });
        self.out.push(b'\n');
        self.out.extend(std::iter::repeat_n(b' ', indent));
    }
}

/// `---- MODULE` (four or more dashes) after optional whitespace.
fn is_module_header(line: &[u8]) -> bool {
    let line = line.trim_ascii_start();
    let dashes = line.iter().take_while(|c| **c == b'-').count();
    dashes >= 4 && line[dashes..].trim_ascii_start().starts_with(b"MODULE")
}

/// Length of the string literal at the start of `rest` (to its closing
/// quote, or the end of the line if it has none).
fn string_length(rest: &[u8]) -> usize {
    let mut i = 1;
    while i < rest.len() {
        match rest[i] {
            b'\\' => i += 2,
            b'"' => return i + 1,
            b'\n' => return i,
            _ => i += 1,
        }
    }
    rest.len()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn long_module(line: &str) -> String {
        format!("---- MODULE M ----\n{line}\n====\n")
    }

    #[test]
    fn short_lines_are_not_split() {
        assert!(matches!(
            split("---- MODULE M ----\nA == 1 + 2\n====\n"),
            Split::Unchanged
        ));
    }

    #[test]
    fn pieces_are_indented_past_the_first_token_and_map_back() {
        let line = format!("  A == {}", vec!["x"; 3000].join(" + "));
        let text = long_module(&line);
        let Split::Pieces(split_text, reloc) = split(&text) else {
            panic!("a long line")
        };
        assert!(
            split_text.lines().all(|l| l.len() < 400),
            "pieces are short"
        );
        assert!(
            split_text
                .lines()
                .skip(2)
                .all(|l| l.starts_with("   x") || l.starts_with("   +") || l == "====")
        );
        // Every byte of the split text maps to the same byte of the original,
        // except the inserted breaks.
        let (a, b) = (split_text.as_bytes(), text.as_bytes());
        for (at, c) in a.iter().enumerate() {
            let o = reloc.offset(at);
            if *c != b'\n' && *c != b' ' {
                assert_eq!(b[o], *c, "offset {at} -> {o}");
            }
        }
        assert_eq!(reloc.offset(a.len()), b.len());
    }

    #[test]
    fn strings_and_comments_are_not_split() {
        let filler = "a ".repeat(3000);
        let text = long_module(&format!(
            "A == \"{filler}\" (* {filler} *) + {filler} \\* {filler}"
        ));
        let Split::Pieces(split_text, _) = split(&text) else {
            panic!("a long line")
        };
        assert!(split_text.contains(&format!("\"{filler}\"")));
        assert!(split_text.contains(&format!("(* {filler} *)")));
        assert!(split_text.contains(&format!("\\* {filler}")));
    }

    #[test]
    fn a_bullet_in_prefix_position_raises_the_indentation() {
        let filler = vec!["x"; 3000].join(" /\\ ");
        let text = long_module(&format!("A == 1 + (/\\ {filler})"));
        let Split::Pieces(split_text, _) = split(&text) else {
            panic!("a long line")
        };
        // The bullet is at column 10: pieces start at column 11 at least;
        // the infix `/\` between the x's do not count.
        let pieces: Vec<&str> = split_text.lines().skip(2).take(5).collect();
        assert!(
            pieces
                .iter()
                .all(|l| l.starts_with(&" ".repeat(11)) && !l.starts_with(&" ".repeat(12))),
            "{pieces:?}"
        );
    }

    #[test]
    fn a_list_without_spaces_is_split_after_commas() {
        let text = long_module(&format!(
            "A == {{{}}}",
            (0..3000)
                .map(|i| i.to_string())
                .collect::<Vec<_>>()
                .join(",")
        ));
        let Split::Pieces(split_text, reloc) = split(&text) else {
            panic!("a long line")
        };
        assert!(
            split_text.lines().all(|l| l.len() < 400),
            "pieces are short"
        );
        let (a, b) = (split_text.as_bytes(), text.as_bytes());
        for (at, c) in a.iter().enumerate() {
            if *c != b'\n' && *c != b' ' {
                assert_eq!(b[reloc.offset(at)], *c, "offset {at}");
            }
        }
        assert_eq!(reloc.offset(a.len()), b.len());
    }

    #[test]
    fn a_line_that_cannot_be_split_finely_is_refused() {
        let text = long_module(&format!("A == {}", vec!["a"; 100_000].join("+")));
        assert!(matches!(split(&text), Split::TooLong(at) if at == text.find("A ==").unwrap()));
    }
}
