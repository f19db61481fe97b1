//! Proper scores of resolved forecasts, per source and side by side on shared questions.
//!
//! Scores are pure functions of forecasts and outcomes, kept apart from the store.

use crate::Forecast;
use chrono::{DateTime, Utc};
use serde::Serialize;
use std::collections::BTreeMap;

/// Probabilities are clamped to `[LOG_EPS, 1 - LOG_EPS]` in the log loss, so one confident miss
/// costs at most `-ln(1e-6)` ≈ 13.8 nats instead of infinity.
pub const LOG_EPS: f64 = 1e-6;

/// Number of equal-width calibration bins on [0, 1].
pub const BINS: usize = 10;

/// Brier score of one forecast: `(p - y)^2`, 0 best, 1 worst.
pub fn brier(p: f64, outcome: bool) -> f64 {
    let y = if outcome { 1.0 } else { 0.0 };
    (p - y) * (p - y)
}

/// Log loss of one forecast in nats: `-ln p` if it happened, `-ln(1 - p)` if not.
pub fn log_loss(p: f64, outcome: bool) -> f64 {
    let p = p.clamp(LOG_EPS, 1.0 - LOG_EPS);
    -(if outcome { p } else { 1.0 - p }).ln()
}

/// One reliability bin: forecasts with `lower <= p < upper` (the last bin includes 1).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct CalibrationBin {
    pub lower: f64,
    pub upper: f64,
    pub n: usize,
    /// Mean forecast in the bin.
    pub mean_forecast: Option<f64>,
    /// Share of the bin's forecasts that resolved Yes.
    pub observed: Option<f64>,
}

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

fn mean(xs: impl Iterator<Item = f64>) -> Option<f64> {
    let (s, n) = xs.fold((0.0, 0usize), |(s, n), x| (s + x, n + 1));
    (n > 0).then(|| s / n as f64)
}

fn outcome(f: &Forecast) -> Option<bool> {
    f.resolution.map(|r| r.outcome == 1)
}

/// Reliability bins of `(p, outcome)` pairs.
pub fn calibration(pairs: &[(f64, bool)]) -> Vec<CalibrationBin> {
    (0..BINS)
        .map(|i| {
            let lower = i as f64 / BINS as f64;
            let upper = (i + 1) as f64 / BINS as f64;
            let inside: Vec<_> = pairs
                .iter()
                .filter(|(p, _)| {
                    let b = ((p * BINS as f64).floor() as usize).min(BINS - 1);
                    b == i
                })
                .collect();
            CalibrationBin {
                lower,
                upper,
                n: inside.len(),
                mean_forecast: mean(inside.iter().map(|(p, _)| *p)),
                observed: mean(inside.iter().map(|(_, y)| f64::from(u8::from(*y)))),
            }
        })
        .collect()
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
                brier: mean(pairs.iter().map(|&(p, y)| brier(p, y))),
                log_loss: mean(pairs.iter().map(|&(p, y)| log_loss(p, y))),
                base_rate: mean(pairs.iter().map(|&(_, y)| f64::from(u8::from(y)))),
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
            let b = brier(f.probability, outcome(f).unwrap_or(false));
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
            let y = |q: &PairedQuestion| q.outcome == 1;
            Some(PairedScores {
                crowd: name.to_string(),
                casus_brier: mean(questions.iter().map(|q| brier(q.casus, y(q)))),
                crowd_brier: mean(questions.iter().map(|q| brier(q.crowd, y(q)))),
                casus_log_loss: mean(questions.iter().map(|q| log_loss(q.casus, y(q)))),
                crowd_log_loss: mean(questions.iter().map(|q| log_loss(q.crowd, y(q)))),
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
        assert!((brier(0.1, false) - 0.01).abs() < 1e-15);
        assert!((brier(0.8, true) - 0.04).abs() < 1e-15);
        // Log loss: -ln 0.9 = 0.105360516, -ln 0.8 = 0.223143551.
        assert!((log_loss(0.1, false) - 0.105_360_515_657_826_3).abs() < 1e-12);
        assert!((log_loss(0.8, true) - 0.223_143_551_314_209_7).abs() < 1e-12);
        assert!((log_loss(0.0, true) - 13.815_510_557_964_274).abs() < 1e-9);
        let s = score(&[
            f(1, "casus", "a", 0.1, Some(0), 1),
            f(2, "casus", "b", 0.8, Some(1), 1),
            f(3, "casus", "c", 0.5, None, 1),
        ]);
        let c = s.source("casus").unwrap();
        assert_eq!((c.forecasts, c.resolved), (3, 2));
        assert!((c.brier.unwrap() - 0.025).abs() < 1e-15);
        assert!((c.base_rate.unwrap() - 0.5).abs() < 1e-15);
        assert_eq!(c.calibration[1].n, 1);
        assert_eq!(c.calibration[8].observed, Some(1.0));
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
