//! The one error type of casus-data: every variant names the file, and where it can, the line,
//! column and field, so a user can fix their file without guessing.

use std::fmt;
use std::path::PathBuf;

/// Where in a file a problem is.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Location {
    pub line: usize,
    pub column: usize,
}

impl fmt::Display for Location {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}:{}", self.line, self.column)
    }
}

/// An error reading or validating a casus data file.
#[derive(Debug, thiserror::Error)]
pub enum DataError {
    /// The file could not be read.
    #[error("{}: cannot read: {source}", path.display())]
    Io {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
    /// A directory was given where a file is expected.
    #[error("{}: is a directory, not a situation file", path.display())]
    IsDirectory { path: PathBuf },
    /// The file is empty (or only whitespace and comments).
    #[error("{}: the file is empty; a situation needs at least id, patron, target, crisis_type and as_of", path.display())]
    Empty { path: PathBuf },
    /// The file is not valid UTF-8 text.
    #[error("{}: not UTF-8 text: {source}", path.display())]
    NotText {
        path: PathBuf,
        #[source]
        source: std::str::Utf8Error,
    },
    /// TOML syntax or a field of the wrong shape or value.
    #[error("{}{}: {message}", path.display(), location.as_ref().map(|l| format!(":{l}")).unwrap_or_default())]
    Invalid {
        path: PathBuf,
        location: Option<Location>,
        message: String,
    },
    /// Two case files share an id.
    #[error("{}: duplicate case id `{id}` (also in {})", path.display(), other.display())]
    DuplicateId {
        path: PathBuf,
        other: PathBuf,
        id: String,
    },
}

impl DataError {
    /// Build an `Invalid` error at a byte offset of `src`.
    pub(crate) fn at(
        path: &std::path::Path,
        src: &str,
        offset: Option<usize>,
        message: impl Into<String>,
    ) -> DataError {
        DataError::Invalid {
            path: path.to_path_buf(),
            location: offset.map(|o| locate(src, o)),
            message: message.into(),
        }
    }

    /// Convert a TOML error into one line: file:line:column: message.
    pub(crate) fn from_toml(path: &std::path::Path, src: &str, e: &toml::de::Error) -> DataError {
        let message = e.message().trim().replace('\n', " ");
        DataError::at(path, src, e.span().map(|s| s.start), message)
    }
}

/// 1-based line and column (in characters) of a byte offset.
pub(crate) fn locate(src: &str, offset: usize) -> Location {
    let mut offset = offset.min(src.len());
    while !src.is_char_boundary(offset) {
        offset -= 1;
    }
    let before = &src[..offset];
    let line = before.matches('\n').count() + 1;
    let column = before.rsplit('\n').next().map_or(0, |l| l.chars().count()) + 1;
    Location { line, column }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn locate_counts_from_one() {
        let src = "a = 1\nbb = 2\n";
        assert_eq!(locate(src, 0), Location { line: 1, column: 1 });
        assert_eq!(locate(src, 6), Location { line: 2, column: 1 });
        assert_eq!(locate(src, 9), Location { line: 2, column: 4 });
    }
}
