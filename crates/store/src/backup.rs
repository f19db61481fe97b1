//! Export and restore of a whole track record, so it can be backed up and moved.
//!
//! The export is JSON lines, one [`Forecast`] per line in id order, every field in the order the
//! type declares them (the API's JSON shape). Probabilities are written as the shortest decimal
//! that reads back as the same `f64`, and times to the microsecond the store keeps, so
//! export → [`ForecastStore::restore`] into an empty store → export gives the same bytes.

use crate::{Forecast, ForecastStore, ListQuery, StoreError};
use std::io::Write;

/// Write every forecast in `store` to `out` as JSON lines; returns how many.
pub fn export_jsonl(store: &dyn ForecastStore, out: &mut dyn Write) -> Result<usize, StoreError> {
    let all = store.list(&ListQuery::default())?;
    for f in &all {
        let line = serde_json::to_string(f).map_err(|e| StoreError::Invalid {
            field: "forecast",
            message: format!("{}: cannot be written as JSON: {e}", f.id),
        })?;
        writeln!(out, "{line}").map_err(|e| StoreError::Export {
            message: e.to_string(),
        })?;
    }
    Ok(all.len())
}

/// Read an export written by [`export_jsonl`]; `origin` names it in errors, which give the line.
/// Ids must rise line by line, as the export writes them.
pub fn parse_export(origin: &str, text: &str) -> Result<Vec<Forecast>, StoreError> {
    let mut out: Vec<Forecast> = Vec::new();
    for (i, raw) in text.lines().enumerate() {
        if raw.trim().is_empty() {
            continue;
        }
        let err = |message: String| StoreError::Import {
            origin: origin.to_string(),
            line: i + 1,
            message,
        };
        let f: Forecast = serde_json::from_str(raw).map_err(|e| err(e.to_string()))?;
        if let Some(prev) = out.last()
            && f.id <= prev.id
        {
            return Err(err(format!(
                "forecast id {} does not follow {}: an export lists ids in rising order",
                f.id, prev.id
            )));
        }
        f.validate().map_err(|e| err(e.to_string()))?;
        out.push(f);
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
    }
}
