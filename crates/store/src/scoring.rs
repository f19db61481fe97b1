//! Proper scores of resolved forecasts, per source and side by side on shared questions.
//!
//! Scores are pure functions of forecasts and outcomes, kept apart from the store; the metrics
//! themselves are `casus_core::metrics`, the same functions `casus evaluate` uses.

use crate::Forecast;
use casus_core::metrics::{self, CalibrationBin};
use chrono::{DateTime, Utc};
use serde::Serialize;
use std::collections::BTreeMap;

/// Number of equal-width calibration bins on [0, 1].
pub const BINS: usize = 10;

/// The scores of one source over all its resolved forecasts.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct SourceScores {
    pub source: String,
    pub forecasts: usize,
    pub resolved: usize,
    pub brier: Option<f64>,
    pub log_loss: Option<f64>,
    /// Share of resolved forecasts whose event happened.
    pub base_rate: Option<f64>,
    pub calibration: Vec<CalibrationBin>,
}

/// One shared question: casus's forecast beside a crowd's.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct PairedQuestion {
    pub question_key: String,
    pub question: String,
    pub outcome: u8,
    pub casus: f64,
    pub casus_at: DateTime<Utc>,
    pub crowd: f64,
    pub crowd_at: DateTime<Utc>,
}

/// casus against one crowd on the questions both forecast and that have resolved.
///
/// For each question casus's latest resolved forecast is taken, and the crowd's forecast at the
/// same moment (its latest point at or before casus's; its earliest if it has none before), so that
/// both had the same news.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct PairedScores {
    pub crowd: String,
    pub questions: Vec<PairedQuestion>,
    pub casus_brier: Option<f64>,
    pub crowd_brier: Option<f64>,
    pub casus_log_loss: Option<f64>,
    pub crowd_log_loss: Option<f64>,
}

/// A resolved forecast in resolution order, with the source's running mean Brier score.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct TimelinePoint {
    pub source: String,
    pub id: i64,
    pub resolved_at: DateTime<Utc>,
    pub brier: f64,
    pub mean_brier: f64,
}

/// Everything the track record shows.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Scores {
    /// casus first, then crowds by name.
    pub sources: Vec<SourceScores>,
    pub paired: Vec<PairedScores>,
    pub timeline: Vec<TimelinePoint>,
}

impl Scores {
    pub fn source(&self, name: &str) -> Option<&SourceScores> {
        self.sources.iter().find(|s| s.source == name)
    }
}

/// A metric of `(p, outcome)` pairs; `None` when there are none.
fn scored(pairs: &[(f64, bool)], metric: fn(&[f64], &[bool]) -> f64) -> Option<f64> {
    if pairs.is_empty() {
        return None;
    }
    let (p, y): (Vec<f64>, Vec<bool>) = pairs.iter().copied().unzip();
    Some(metric(&p, &y))
}

fn base_rate(_: &[f64], y: &[bool]) -> f64 {
    y.iter().filter(|&&y| y).count() as f64 / y.len() as f64
}

fn outcome(f: &Forecast) -> Option<bool> {
    f.resolution.map(|r| r.outcome == 1)
}

/// Reliability bins of `(p, outcome)` pairs, [`BINS`] of them.
pub fn calibration(pairs: &[(f64, bool)]) -> Vec<CalibrationBin> {
    let (p, y): (Vec<f64>, Vec<bool>) = pairs.iter().copied().unzip();
    metrics::calibration(&p, &y, BINS)
}

/// Score every source, pair casus with each crowd, and lay out the Brier timeline.
pub fn score(forecasts: &[Forecast]) -> Scores {
    let mut by_source: BTreeMap<&str, Vec<&Forecast>> = BTreeMap::new();
    for f in forecasts {
        by_source.entry(f.source.as_str()).or_default().push(f);
    }
    let mut sources: Vec<SourceScores> = by_source
        .iter()
        .map(|(name, fs)| {
            let pairs: Vec<(f64, bool)> = fs
                .iter()
                .filter_map(|f| outcome(f).map(|y| (f.probability, y)))
                .collect();
            SourceScores {
                source: name.to_string(),
                forecasts: fs.len(),
                resolved: pairs.len(),
                brier: scored(&pairs, metrics::brier),
                log_loss: scored(&pairs, metrics::log_loss),
                base_rate: scored(&pairs, base_rate),
                calibration: calibration(&pairs),
            }
        })
        .collect();
    sources.sort_by_key(|s| (s.source != "casus", s.source.clone()));

    let mut resolved: Vec<&Forecast> = forecasts
        .iter()
        .filter(|f| f.resolution.is_some())
        .collect();
    resolved.sort_by_key(|f| (f.resolution.map(|r| r.resolved_at), f.id));
    let mut running: BTreeMap<&str, (f64, usize)> = BTreeMap::new();
    let timeline = resolved
        .iter()
        .map(|f| {
            let b = metrics::brier_one(f.probability, outcome(f).unwrap_or(false));
            let e = running.entry(f.source.as_str()).or_default();
            e.0 += b;
            e.1 += 1;
            TimelinePoint {
                source: f.source.to_string(),
                id: f.id,
                resolved_at: f.resolution.map(|r| r.resolved_at).unwrap_or_default(),
                brier: b,
                mean_brier: e.0 / e.1 as f64,
            }
        })
        .collect();

    Scores {
        paired: paired(&by_source),
        sources,
        timeline,
    }
}

fn paired(by_source: &BTreeMap<&str, Vec<&Forecast>>) -> Vec<PairedScores> {
    let Some(casus) = by_source.get("casus") else {
        return Vec::new();
    };
    // casus's latest resolved forecast per question.
    let mut latest: BTreeMap<&str, &Forecast> = BTreeMap::new();
    for f in casus.iter().filter(|f| f.resolution.is_some()) {
        if let Some(k) = f.question_key.as_deref() {
            let e = latest.entry(k).or_insert(f);
            if f.created_at >= e.created_at {
                *e = f;
            }
        }
    }
    by_source
        .iter()
        .filter(|(name, _)| **name != "casus")
        .filter_map(|(name, crowd)| {
            let questions: Vec<PairedQuestion> = latest
                .iter()
                .filter_map(|(key, c)| {
                    let mut points: Vec<&&Forecast> = crowd
                        .iter()
                        .filter(|f| f.question_key.as_deref() == Some(*key))
                        .collect();
                    points.sort_by_key(|f| f.created_at);
                    let before = points.iter().rev().find(|f| f.created_at <= c.created_at);
                    let pick = before.or(points.first())?;
                    Some(PairedQuestion {
                        question_key: key.to_string(),
                        question: c.question.clone(),
                        outcome: c.resolution?.outcome,
                        casus: c.probability,
                        casus_at: c.created_at,
                        crowd: pick.probability,
                        crowd_at: pick.created_at,
                    })
                })
                .collect();
            if questions.is_empty() {
                return None;
            }
            let casus: Vec<(f64, bool)> = questions
                .iter()
                .map(|q| (q.casus, q.outcome == 1))
                .collect();
            let crowd: Vec<(f64, bool)> = questions
                .iter()
                .map(|q| (q.crowd, q.outcome == 1))
                .collect();
            Some(PairedScores {
                crowd: name.to_string(),
                casus_brier: scored(&casus, metrics::brier),
                crowd_brier: scored(&crowd, metrics::brier),
                casus_log_loss: scored(&casus, metrics::log_loss),
                crowd_log_loss: scored(&crowd, metrics::log_loss),
                questions,
            })
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{NewForecast, Resolution, Source};

    fn f(id: i64, src: &str, key: &str, p: f64, y: Option<u8>, day: u32) -> Forecast {
        let mut n = NewForecast::new("q", p, Source::new(src).unwrap());
        n.question_key = Some(key.into());
        n.created_at = format!("2020-08-{day:02}T00:00:00Z").parse().unwrap();
        Forecast {
            id,
            forecast: n,
            resolution: y.map(|outcome| Resolution {
                outcome,
                resolved_at: "2022-01-01T00:00:00Z".parse().unwrap(),
            }),
        }
    }

    #[test]
    fn hand_computed_scores() {
        // Brier: (0.1-0)^2 = 0.01, (0.8-1)^2 = 0.04; mean 0.025.
        // Log loss: (-ln 0.9 - ln 0.8) / 2 = (0.105360516 + 0.223143551) / 2.
        let s = score(&[
            f(1, "casus", "a", 0.1, Some(0), 1),
            f(2, "casus", "b", 0.8, Some(1), 1),
            f(3, "casus", "c", 0.5, None, 1),
        ]);
        let c = s.source("casus").unwrap();
        assert_eq!((c.forecasts, c.resolved), (3, 2));
        assert!((c.brier.unwrap() - 0.025).abs() < 1e-15);
        assert!((c.log_loss.unwrap() - 0.164_252_033_486_018).abs() < 1e-12);
        assert!((c.base_rate.unwrap() - 0.5).abs() < 1e-15);
        assert_eq!(c.calibration[1].n, 1);
        assert_eq!(c.calibration[8].observed_rate, Some(1.0));
        assert_eq!(s.timeline.len(), 2);
        assert!((s.timeline[1].mean_brier - 0.025).abs() < 1e-15);
    }

    #[test]
    fn calibration_bins_include_one_in_last_bin() {
        let b = calibration(&[(1.0, true), (0.0, false), (0.1, false)]);
        assert_eq!(b[9].n, 1);
        assert_eq!(b[0].n, 1);
        assert_eq!(b[1].n, 1);
    }

    #[test]
    fn crowd_is_taken_at_casus_time() {
        let s = score(&[
            f(1, "casus", "metaculus:1688", 0.05, Some(0), 20),
            f(2, "metaculus", "metaculus:1688", 0.05, Some(0), 10),
            f(3, "metaculus", "metaculus:1688", 0.22, Some(0), 18),
            f(4, "metaculus", "metaculus:1688", 0.30, Some(0), 25),
        ]);
        let p = &s.paired[0];
        assert_eq!(p.crowd, "metaculus");
        assert_eq!(p.questions.len(), 1);
        assert_eq!(p.questions[0].crowd, 0.22);
        assert!((p.crowd_brier.unwrap() - 0.0484).abs() < 1e-12);
        assert!((p.casus_brier.unwrap() - 0.0025).abs() < 1e-12);
        assert_eq!(s.sources[0].source, "casus");
    }
}
