//! Export and restore of a whole track record, so it can be backed up and moved.
//!
//! The export is JSON lines. First every version of each uploaded situation a forecast names, as
//! `{"situation": {...}}` in (id, version) order with its TOML exactly as stored; then one
//! [`Forecast`] per line in id order, every field in the order the type declares them (the API's
//! JSON shape). Probabilities are written as the shortest decimal that reads back as the same
//! `f64`, and times to the microsecond the store keeps, so export → [`ForecastStore::restore`]
//! into an empty store → export gives the same bytes. An export without situation lines (from an
//! earlier casus) reads as before.

use crate::{Forecast, ForecastStore, ListQuery, StoreError, StoredSituation};
use serde::{Deserialize, Serialize};
use std::collections::BTreeSet;
use std::io::Write;

/// What an export holds: the situations its forecasts name, every version, and the forecasts.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Backup {
    /// In (id, version) order, versions of an id from 1 without a gap.
    pub situations: Vec<StoredSituation>,
    /// In id order.
    pub forecasts: Vec<Forecast>,
}

/// A situation's line in an export.
#[derive(Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct SituationLine {
    situation: StoredSituation,
}

fn json_err(what: String) -> impl FnOnce(serde_json::Error) -> StoreError {
    move |e| StoreError::Invalid {
        field: "export",
        message: format!("{what}: cannot be written as JSON: {e}"),
    }
}

/// Write the whole track record in `store` to `out` as JSON lines (see the module docs). Returns
/// what was written.
pub fn export_jsonl(store: &dyn ForecastStore, out: &mut dyn Write) -> Result<Backup, StoreError> {
    let forecasts = store.list(&ListQuery::default())?;
    let named: BTreeSet<&str> = forecasts
        .iter()
        .filter(|f| f.situation_version.is_some())
        .filter_map(|f| f.situation_id.as_deref())
        .collect();
    let mut situations = Vec::new();
    for id in named {
        // Versions are numbered from 1 without a gap; a deleted one stays readable by number.
        for v in 1.. {
            match store.situation(id, Some(v))? {
                Some(s) => situations.push(s),
                None => break,
            }
        }
    }
    let write = |out: &mut dyn Write, line: String| {
        writeln!(out, "{line}").map_err(|e| StoreError::Export {
            message: e.to_string(),
        })
    };
    for s in &situations {
        let line = SituationLine {
            situation: s.clone(),
        };
        let text = serde_json::to_string(&line).map_err(json_err(format!(
            "situation {} version {}",
            s.id, s.version
        )))?;
        write(out, text)?;
    }
    for f in &forecasts {
        let text = serde_json::to_string(f).map_err(json_err(format!("forecast {}", f.id)))?;
        write(out, text)?;
    }
    Ok(Backup {
        situations,
        forecasts,
    })
}

/// Read an export written by [`export_jsonl`]; `origin` names it in errors, which give the line.
/// Situations come before forecasts, each id's versions from 1 in order; forecast ids rise line
/// by line; every situation version a forecast names is in the export.
pub fn parse_export(origin: &str, text: &str) -> Result<Backup, StoreError> {
    let mut out = Backup::default();
    for (i, raw) in text.lines().enumerate() {
        if raw.trim().is_empty() {
            continue;
        }
        let err = |message: String| StoreError::Import {
            origin: origin.to_string(),
            line: i + 1,
            message,
        };
        if raw.trim_start().starts_with("{\"situation\"") {
            let SituationLine { situation: s } =
                serde_json::from_str(raw).map_err(|e| err(e.to_string()))?;
            if !out.forecasts.is_empty() {
                return Err(err(
                    "a situation after the forecasts: an export lists situations first".into(),
                ));
            }
            let expected = match out.situations.last() {
                Some(p) if p.id == s.id => p.version + 1,
                Some(p) if p.id > s.id => {
                    return Err(err(format!(
                        "situation `{}` after `{}`: an export lists situations by id",
                        s.id, p.id
                    )));
                }
                _ => 1,
            };
            if s.version != expected {
                return Err(err(format!(
                    "situation `{}` version {} where version {expected} was expected: versions run from 1 without a gap",
                    s.id, s.version
                )));
            }
            out.situations.push(s);
            continue;
        }
        let f: Forecast = serde_json::from_str(raw).map_err(|e| err(e.to_string()))?;
        if let Some(prev) = out.forecasts.last()
            && f.id <= prev.id
        {
            return Err(err(format!(
                "forecast id {} does not follow {}: an export lists ids in rising order",
                f.id, prev.id
            )));
        }
        f.validate().map_err(|e| err(e.to_string()))?;
        if let (Some(id), Some(v)) = (&f.situation_id, f.situation_version)
            && !out.situations.iter().any(|s| &s.id == id && s.version == v)
        {
            return Err(err(format!(
                "forecast {} names situation `{id}` version {v}, which the export does not hold",
                f.id
            )));
        }
        out.forecasts.push(f);
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{NewForecast, Source, SqliteStore};

    #[test]
    fn lines_must_rise_and_parse() {
        let s = SqliteStore::open_in_memory().unwrap();
        s.record(&NewForecast::new("q", 0.1, Source::casus()))
            .unwrap();
        let mut out = Vec::new();
        export_jsonl(&s, &mut out).unwrap();
        let line = String::from_utf8(out).unwrap();
        let twice = format!("{line}{line}");
        let e = parse_export("x.jsonl", &twice).unwrap_err();
        assert!(e.to_string().starts_with("x.jsonl:2: "), "{e}");
        let e = parse_export("x.jsonl", "{\"id\": 1}").unwrap_err();
        assert!(e.to_string().starts_with("x.jsonl:1: "), "{e}");
        let e = parse_export("x.jsonl", "{\"situation\": {\"id\": 1}}").unwrap_err();
        assert!(e.to_string().starts_with("x.jsonl:1: "), "{e}");
    }
}
