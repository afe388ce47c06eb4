//! Source files, spans and located diagnostics.
//!
//! Every stage reports problems as a [`Diagnostic`] carrying a [`Span`]; the
//! [`SourceMap`] turns a span into `file:line:col` plus the offending text, so
//! every error a user sees points at the input that caused it.

use std::fmt;
use std::path::{Path, PathBuf};

/// Index of a file in the [`SourceMap`].
#[derive(
    Clone,
    Copy,
    Debug,
    PartialEq,
    Eq,
    Hash,
    PartialOrd,
    Ord,
    Default,
    serde::Serialize,
    serde::Deserialize,
)]
pub struct FileId(pub u32);

/// A byte range in one source file.
#[derive(
    Clone, Copy, Debug, PartialEq, Eq, Hash, Default, serde::Serialize, serde::Deserialize,
)]
pub struct Span {
    pub file: FileId,
    pub start: u32,
    pub end: u32,
}

impl Span {
    pub fn new(file: FileId, start: usize, end: usize) -> Self {
        Span {
            file,
            start: start as u32,
            end: end as u32,
        }
    }

    /// The smallest span covering both `self` and `other` (same file assumed).
    pub fn to(self, other: Span) -> Span {
        Span {
            file: self.file,
            start: self.start.min(other.start),
            end: self.end.max(other.end),
        }
    }
}

/// One loaded source file.
#[derive(Debug, Clone)]
pub struct SourceFile {
    pub path: PathBuf,
    pub text: String,
    /// Byte offsets at which lines start.
    line_starts: Vec<usize>,
}

impl SourceFile {
    fn new(path: PathBuf, text: String) -> Self {
        let mut line_starts = vec![0];
        line_starts.extend(text.match_indices('\n').map(|(i, _)| i + 1));
        SourceFile {
            path,
            text,
            line_starts,
        }
    }

    /// 1-based line and column (column counted in characters) of a byte offset.
    pub fn line_col(&self, offset: usize) -> (usize, usize) {
        let offset = offset.min(self.text.len());
        let line = match self.line_starts.binary_search(&offset) {
            Ok(i) => i,
            Err(i) => i - 1,
        };
        let start = self.line_starts[line];
        let col = self.text[start..offset].chars().count();
        (line + 1, col + 1)
    }
}

/// All files read during one run.
#[derive(Debug, Default, Clone)]
pub struct SourceMap {
    files: Vec<SourceFile>,
}

impl SourceMap {
    pub fn new() -> Self {
        Self::default()
    }

    pub fn add(&mut self, path: impl Into<PathBuf>, text: String) -> FileId {
        let id = FileId(self.files.len() as u32);
        self.files.push(SourceFile::new(path.into(), text));
        id
    }

    pub fn file(&self, id: FileId) -> &SourceFile {
        &self.files[id.0 as usize]
    }

    pub fn path(&self, id: FileId) -> &Path {
        &self.file(id).path
    }

    /// The text a span covers.
    pub fn snippet(&self, span: Span) -> &str {
        let text = &self.file(span.file).text;
        let start = (span.start as usize).min(text.len());
        let end = (span.end as usize).clamp(start, text.len());
        &text[start..end]
    }

    /// `path:line:col` of the start of a span.
    pub fn location(&self, span: Span) -> String {
        let file = self.file(span.file);
        let (line, col) = file.line_col(span.start as usize);
        format!("{}:{}:{}", file.path.display(), line, col)
    }

    /// A one-line rendering of a diagnostic: `path:line:col: error: message: `text``.
    pub fn render(&self, diag: &Diagnostic) -> String {
        let mut snippet: String = self.snippet(diag.span).to_string();
        // Keep the quoted text short and on one line.
        if let Some(i) = snippet.find('\n') {
            snippet.truncate(i);
            snippet.push_str(" ...");
        }
        if snippet.chars().count() > 80 {
            snippet = snippet.chars().take(77).collect::<String>() + "...";
        }
        let mut out = format!("{}: error: {}", self.location(diag.span), diag.message);
        if !snippet.trim().is_empty() {
            out.push_str(&format!(": `{}`", snippet.trim()));
        }
        for note in &diag.notes {
            out.push_str(&format!("\n  note: {note}"));
        }
        out
    }
}

/// A located error.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Diagnostic {
    pub span: Span,
    pub message: String,
    pub notes: Vec<String>,
}

impl Diagnostic {
    pub fn new(span: Span, message: impl Into<String>) -> Self {
        Diagnostic {
            span,
            message: message.into(),
            notes: Vec::new(),
        }
    }

    pub fn with_note(mut self, note: impl Into<String>) -> Self {
        self.notes.push(note.into());
        self
    }
}

impl fmt::Display for Diagnostic {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.message)
    }
}

/// Diagnostics rendered against their sources, as the error a stage returns.
#[derive(Debug, thiserror::Error)]
#[error("{}", rendered.join("\n"))]
pub struct Errors {
    pub rendered: Vec<String>,
}

impl Errors {
    pub fn render(map: &SourceMap, diags: &[Diagnostic]) -> Self {
        Errors {
            rendered: diags.iter().map(|d| map.render(d)).collect(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn line_col_counts_from_one() {
        let mut map = SourceMap::new();
        let id = map.add("m.tla", "ab\ncd\n".to_string());
        assert_eq!(map.file(id).line_col(0), (1, 1));
        assert_eq!(map.file(id).line_col(4), (2, 2));
        let d = Diagnostic::new(Span::new(id, 3, 5), "unknown name");
        assert_eq!(map.render(&d), "m.tla:2:1: error: unknown name: `cd`");
    }
}
