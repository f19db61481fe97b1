//! Situation files: the TOML an analyst writes to describe a crisis on a date.

use crate::DataError;
use crate::fields::{Date, Horizon, NonEmpty};
use casus_core::{
    CountryCode, CrisisType, DEFAULT_HORIZON_DAYS, Evidence, Factor, FactorValues, Situation,
};
use serde::Deserialize;
use std::path::Path;

/// The file shape. Unknown keys are errors: a misspelt `horizon_day` must not be silently ignored.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct SituationFile {
    id: NonEmpty,
    title: Option<String>,
    patron: CountryCode,
    target: CountryCode,
    crisis_type: CrisisType,
    /// Optional in the parser only so that its absence gets a message of our own.
    as_of: Option<Date>,
    horizon_days: Option<Horizon>,
    /// Free text for the analyst's own notes; carried but not modelled.
    #[serde(default)]
    #[allow(dead_code)]
    notes: Option<String>,
    #[serde(default)]
    factors: FactorValues,
    #[serde(default)]
    evidence: Vec<EvidenceRow>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct EvidenceRow {
    factor: Factor,
    date: Date,
    text: NonEmpty,
    source: NonEmpty,
}

/// True when a file holds nothing but whitespace and comments.
pub(crate) fn is_blank(src: &str) -> bool {
    src.lines().all(|l| {
        let t = l.trim();
        t.is_empty() || t.starts_with('#')
    })
}

/// Read a file as UTF-8 text, with errors that name it.
pub(crate) fn read_text(path: &Path) -> Result<String, DataError> {
    if path.is_dir() {
        return Err(DataError::IsDirectory {
            path: path.to_path_buf(),
        });
    }
    let bytes = std::fs::read(path).map_err(|source| DataError::Io {
        path: path.to_path_buf(),
        source,
    })?;
    let text = String::from_utf8(bytes).map_err(|e| DataError::NotText {
        path: path.to_path_buf(),
        source: e.utf8_error(),
    })?;
    Ok(text)
}

/// Parse a situation from TOML text; `path` is used in messages only.
pub fn parse_situation(path: &Path, src: &str) -> Result<Situation, DataError> {
    if is_blank(src) {
        return Err(DataError::Empty {
            path: path.to_path_buf(),
        });
    }
    let file: SituationFile =
        toml::from_str(src).map_err(|e| DataError::from_toml(path, src, &e))?;
    file.into_situation(path, Some(src))
}

/// Read and validate a situation file.
pub fn load_situation(path: &Path) -> Result<Situation, DataError> {
    let src = read_text(path)?;
    parse_situation(path, &src)
}

/// Parse a situation given as JSON in the TOML shape (the HTTP API's `POST /assess` body):
/// dates as `"2020-08-25"` strings, ranges as `{"low": .., "high": ..}`.
pub fn situation_from_json(json: &str) -> Result<Situation, DataError> {
    let file: SituationFile = serde_json::from_str(json).map_err(|e| DataError::Invalid {
        path: "<request body>".into(),
        location: Some(crate::Location {
            line: e.line(),
            column: e.column(),
        }),
        message: e.to_string(),
    })?;
    file.into_situation(Path::new("<request body>"), None)
}

impl SituationFile {
    fn into_situation(self, path: &Path, src: Option<&str>) -> Result<Situation, DataError> {
        let Some(as_of) = self.as_of else {
            return Err(DataError::Invalid {
                path: path.to_path_buf(),
                location: None,
                message:
                    "missing field `as_of`: the date of the assessment, e.g. as_of = 2020-08-25"
                        .into(),
            });
        };
        check_evidence(path, src, ("evidence", 0), as_of.0, &self.evidence, false)?;
        Ok(Situation {
            title: self.title.unwrap_or_else(|| self.id.0.clone()),
            id: self.id.0,
            patron: self.patron,
            target: self.target,
            crisis_type: self.crisis_type,
            as_of: as_of.0,
            horizon_days: self.horizon_days.map_or(DEFAULT_HORIZON_DAYS, |h| h.0),
            factors: self.factors,
            evidence: self.evidence.iter().map(EvidenceRow::to_evidence).collect(),
        })
    }
}

/// Refuse evidence dated after `as_of` and sources that are aggregators or content farms, pointing
/// at the offending `[[header]]` table (`first` tables of that name come before these rows) where
/// the source text is at hand.
pub(crate) fn check_evidence(
    path: &Path,
    src: Option<&str>,
    (header, first): (&str, usize),
    as_of: chrono::NaiveDate,
    rows: &[EvidenceRow],
    in_case: bool,
) -> Result<(), DataError> {
    for (i, e) in rows.iter().enumerate() {
        let problem = if e.date.0 > as_of {
            Some(format!(
                "evidence for `{}` is dated {}, after as_of {as_of}: an assessment may only use \
                 what was public on its date (move as_of or drop the entry)",
                e.factor, e.date.0
            ))
        } else {
            crate::evidence::refused_source(&e.source.0, in_case)
        };
        if let Some(message) = problem {
            let offset = src.and_then(|s| crate::evidence::nth_table(s, header, first + i));
            return Err(match src {
                Some(s) => DataError::at(path, s, offset, message),
                None => DataError::Invalid {
                    path: path.to_path_buf(),
                    location: None,
                    message: format!("evidence #{}: {message}", i + 1),
                },
            });
        }
    }
    Ok(())
}

impl EvidenceRow {
    pub(crate) fn to_evidence(&self) -> Evidence {
        Evidence {
            factor: self.factor,
            date: self.date.0,
            text: self.text.0.clone(),
            source: self.source.0.clone(),
        }
    }
}
