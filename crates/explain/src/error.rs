//! The one error type of casus-explain.

use std::path::PathBuf;

/// Where in a file a problem is (1-based).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Location {
    pub line: usize,
    pub column: usize,
}

impl std::fmt::Display for Location {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}:{}", self.line, self.column)
    }
}

/// An error building an explanation, reading a move file or running scenarios.
#[derive(Debug, thiserror::Error)]
pub enum ExplainError {
    /// A move file could not be read.
    #[error("{}: cannot read: {source}", path.display())]
    Io {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
    /// A move file is malformed: TOML syntax, an unknown factor, a value outside [0, 1], ...
    #[error("{}{}: {message}", path.display(), location.map(|l| format!(":{l}")).unwrap_or_default())]
    InvalidMoves {
        path: PathBuf,
        location: Option<Location>,
        message: String,
    },
    /// A move id that is not in the catalogue.
    #[error("unknown move `{id}`; the moves are: {}", known.join(", "))]
    UnknownMove { id: String, known: Vec<String> },
    /// A move given twice in one scenario.
    #[error("move `{id}` given twice")]
    RepeatedMove { id: String },
    /// Too many moves for a grid or tree (2^n rows).
    #[error("{count} moves give 2^{count} combinations; at most {max} moves can be combined")]
    TooManyMoves { count: usize, max: usize },
    /// A scenario tree needs every move's probability.
    #[error(
        "move `{id}` has no probability; give one in the move file to use it in a scenario tree"
    )]
    MissingProbability { id: String },
    /// The fitted model artifact could not be loaded.
    #[error("cannot load the fitted model: {source}")]
    Model {
        #[source]
        source: casus_model::ModelError,
    },
}

/// 1-based line and column (in characters) of a byte offset.
pub(crate) fn locate(src: &str, offset: usize) -> Location {
    let mut offset = offset.min(src.len());
    while !src.is_char_boundary(offset) {
        offset -= 1;
    }
    let before = &src[..offset];
    Location {
        line: before.matches('\n').count() + 1,
        column: before.rsplit('\n').next().map_or(0, |l| l.chars().count()) + 1,
    }
}
