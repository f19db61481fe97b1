//! The project's own data, embedded at build time from `data/` so the binary needs no files beside it.

use crate::DataError;
use casus_core::{Case, Situation};
use std::path::{Path, PathBuf};

include!(concat!(env!("OUT_DIR"), "/builtin.rs"));

/// The id of the built-in default situation: Belarus as the article saw it in late August 2020.
pub const DEFAULT_SITUATION: &str = "belarus-2020-08-25.toml";

/// The embedded case base, parsed and checked.
pub fn cases() -> Result<Vec<Case>, DataError> {
    let files: Vec<(PathBuf, &str)> = CASE_FILES
        .iter()
        .map(|(name, text)| (Path::new("data/cases").join(name), *text))
        .collect();
    crate::parse_cases(files.iter().map(|(p, t)| (p.as_path(), *t)))
}

/// The built-in situations, by file name.
pub fn situations() -> Result<Vec<Situation>, DataError> {
    SITUATION_FILES
        .iter()
        .map(|(name, text)| crate::parse_situation(&Path::new("data/situations").join(name), text))
        .collect()
}

/// The built-in default situation.
pub fn default_situation() -> Result<Situation, DataError> {
    let path = Path::new("data/situations").join(DEFAULT_SITUATION);
    let text = SITUATION_FILES
        .iter()
        .find(|(name, _)| *name == DEFAULT_SITUATION)
        .map(|(_, t)| *t)
        .ok_or_else(|| DataError::Io {
            path: path.clone(),
            source: std::io::Error::new(std::io::ErrorKind::NotFound, "not embedded in this build"),
        })?;
    crate::parse_situation(&path, text)
}

/// The fitted model artifact (`data/model/casus-model.json`), if one was built.
pub fn model_json() -> Option<&'static str> {
    MODEL_JSON
}

/// The saved evaluation of the fitted model (`data/model/casus-evaluation.json`), if one was
/// written by `casus evaluate --write`.
pub fn evaluation_json() -> Option<&'static str> {
    EVALUATION_JSON
}

/// The move catalogue (`data/moves.toml`), if present.
pub fn moves_toml() -> Option<&'static str> {
    MOVES_TOML
}
