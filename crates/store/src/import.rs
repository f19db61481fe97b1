//! Import of external crowd forecasts from a Metaculus-style series: JSON lines, one question per
//! line, each with its crowd's forecast over time and, once known, its resolution.
//!
//! ```json
//! {"source": "metaculus", "id": "metaculus:1688", "question": "Will Russia invade ... before 2022?",
//!  "qtype": "binary", "resolution": 0.0, "resolve_time": "2022-01-01 00:00:00+00:00",
//!  "crowd_series": [["2020-08-10T00:00:00Z", 0.05], ["2020-08-18T00:00:00Z", 0.22]]}
//! ```
//!
//! Points keep their own dates and are marked `imported`. A point dated after its question resolved
//! is not a forecast and is left out (counted in [`ImportSummary::after_resolution`]).
//!
//! Other fields are ignored. Non-binary questions, questions without a series and resolutions
//! other than 0 or 1 (ambiguous, annulled, multiple choice) are skipped or left unresolved.

use crate::{ForecastStore, NewForecast, Source, StoreError};
use chrono::{DateTime, NaiveDateTime, Utc};
use serde::{Deserialize, Serialize};

#[derive(Deserialize)]
struct Line {
    source: String,
    id: String,
    question: String,
    #[serde(default)]
    qtype: Option<String>,
    #[serde(default)]
    resolution: Option<serde_json::Value>,
    #[serde(default)]
    resolve_time: Option<String>,
    #[serde(default)]
    crowd_series: Option<Vec<Vec<serde_json::Value>>>,
}

/// What an import did.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct ImportSummary {
    /// Questions read.
    pub questions: usize,
    /// Crowd forecasts found (one per question unless all points were asked for).
    pub points: usize,
    /// Of those, how many were new to the store.
    pub new: usize,
    /// Questions with a 0/1 resolution.
    pub resolved_questions: usize,
    /// Questions skipped: not binary, or no crowd series before the cut-off.
    pub skipped: usize,
    /// Crowd points left out because they are dated after their question resolved.
    pub after_resolution: usize,
}

/// A question read from a series, with the crowd points to record.
#[derive(Debug, Clone, PartialEq)]
pub struct SeriesQuestion {
    pub key: String,
    pub points: Vec<NewForecast>,
    pub resolution: Option<(bool, DateTime<Utc>)>,
}

/// Read a timestamp as the series write them: RFC 3339, or `YYYY-MM-DD HH:MM:SS[.f][+00:00]` (UTC).
fn parse_time(s: &str) -> Option<DateTime<Utc>> {
    if let Ok(t) = DateTime::parse_from_rfc3339(s) {
        return Some(t.with_timezone(&Utc));
    }
    if let Ok(t) = DateTime::parse_from_str(s, "%Y-%m-%d %H:%M:%S%.f%:z") {
        return Some(t.with_timezone(&Utc));
    }
    if let Ok(t) = NaiveDateTime::parse_from_str(s, "%Y-%m-%d %H:%M:%S%.f") {
        return Some(t.and_utc());
    }
    chrono::NaiveDate::parse_from_str(s, "%Y-%m-%d")
        .ok()
        .and_then(|d| d.and_hms_opt(0, 0, 0))
        .map(|t| t.and_utc())
}

fn binary_resolution(v: &serde_json::Value) -> Option<bool> {
    let x = v.as_f64()?;
    if x == 0.0 {
        Some(false)
    } else if x == 1.0 {
        Some(true)
    } else {
        None
    }
}

/// Parse a series. `origin` names it in errors. With `as_of`, only crowd points at or before it are
/// kept; unless `all_points`, only the latest kept point of each question is returned.
pub fn parse_series(
    origin: &str,
    text: &str,
    as_of: Option<DateTime<Utc>>,
    all_points: bool,
) -> Result<(Vec<SeriesQuestion>, ImportSummary), StoreError> {
    let mut out = Vec::new();
    let mut summary = ImportSummary::default();
    for (i, raw) in text.lines().enumerate() {
        let line = i + 1;
        if raw.trim().is_empty() {
            continue;
        }
        let err = |message: String| StoreError::Import {
            origin: origin.to_string(),
            line,
            message,
        };
        let l: Line = serde_json::from_str(raw).map_err(|e| err(e.to_string()))?;
        summary.questions += 1;
        if l.qtype.as_deref().is_some_and(|q| q != "binary") {
            summary.skipped += 1;
            continue;
        }
        let source = Source::new(&l.source).map_err(|e| err(e.to_string()))?;
        // A question already resolved may carry its scheduled, later resolve time: it resolved by
        // now at the latest.
        let resolution = l.resolution.as_ref().and_then(binary_resolution).map(|y| {
            let now = Utc::now();
            let at = l.resolve_time.as_deref().and_then(parse_time);
            (y, at.map_or(now, |t| t.min(now)))
        });
        let mut points = Vec::new();
        for point in l.crowd_series.unwrap_or_default() {
            // `[time, p]`, or `[time, p, n]` with extra fields ignored.
            let (Some(t), Some(p)) = (
                point.first().and_then(|t| t.as_str()),
                point.get(1).and_then(|p| p.as_f64()),
            ) else {
                return Err(err(format!(
                    "a crowd point must be [time, probability], not {point:?}"
                )));
            };
            let at = parse_time(t).ok_or_else(|| err(format!("cannot read time `{t}`")))?;
            if !(0.0..=1.0).contains(&p) {
                return Err(err(format!("crowd probability {p} is outside [0, 1]")));
            }
            if as_of.is_some_and(|c| at > c) {
                continue;
            }
            if resolution.is_some_and(|(_, r)| at > r) {
                summary.after_resolution += 1;
                continue;
            }
            let mut f = NewForecast::imported_at(l.question.clone(), p, source.clone(), at);
            f.question_key = Some(l.id.clone());
            points.push(f);
        }
        points.sort_by_key(|f| f.created_at);
        if !all_points && points.len() > 1 {
            points.drain(..points.len() - 1);
        }
        if points.is_empty() {
            summary.skipped += 1;
            continue;
        }
        summary.points += points.len();
        summary.resolved_questions += usize::from(resolution.is_some());
        out.push(SeriesQuestion {
            key: l.id,
            points,
            resolution,
        });
    }
    Ok((out, summary))
}

/// Parse a series and record it: crowd points (skipping ones already stored), then resolutions,
/// which also resolve casus's own forecasts on the same question keys.
pub fn import_series(
    store: &dyn ForecastStore,
    origin: &str,
    text: &str,
    as_of: Option<DateTime<Utc>>,
    all_points: bool,
) -> Result<ImportSummary, StoreError> {
    let (questions, mut summary) = parse_series(origin, text, as_of, all_points)?;
    // Check every resolution against the open forecasts already stored before writing anything,
    // so that a refused import leaves the store as it was.
    for q in &questions {
        if let Some((_, at)) = q.resolution {
            let open = store.list(&crate::ListQuery {
                question_key: Some(q.key.clone()),
                resolved: Some(false),
                ..Default::default()
            })?;
            for f in &open {
                crate::sqlite::check_resolution_time(f.id, &f.created_at, &at)?;
            }
        }
    }
    let points: Vec<NewForecast> = questions.iter().flat_map(|q| q.points.clone()).collect();
    summary.new = store.record_batch(&points)?;
    for q in &questions {
        if let Some((y, at)) = q.resolution {
            store.resolve_question(&q.key, y, at)?;
        }
    }
    Ok(summary)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn times() {
        assert!(parse_time("2017-03-13T03:23:01Z").is_some());
        assert!(parse_time("2019-12-30 04:17:00+00:00").is_some());
        assert!(parse_time("2015-11-03 22:35:14.195666").is_some());
        assert!(parse_time("2014-08-20").is_some());
        assert!(parse_time("yesterday").is_none());
    }
}
