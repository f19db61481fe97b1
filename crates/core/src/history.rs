//! A situation followed over time: one point per saved version (its `as_of`, the assessed
//! probability and interval, the estimative band) with what changed since the version before, and
//! the moves across an estimative-band boundary that a watcher wants announced.
//!
//! The model is not a dependency of this crate, so the caller assesses each version and passes the
//! numbers in; everything here is plain data that the server serialises and casus-report prints.

use crate::{Evidence, Factor, FactorValue, Situation, estimative_band};
use chrono::{DateTime, NaiveDate, Utc};
use serde::Serialize;

/// One factor whose coding differs between two versions.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct FactorChange {
    pub factor: Factor,
    pub from: FactorValue,
    pub to: FactorValue,
}

/// What changed from one version to the next.
#[derive(Debug, Clone, PartialEq, Default, Serialize)]
pub struct Changes {
    /// Factors coded differently, in [`Factor::ALL`] order.
    pub factors: Vec<FactorChange>,
    /// Evidence in the new version that the old one did not hold.
    pub evidence_added: Vec<Evidence>,
    /// How many pieces of the old version's evidence the new one no longer holds.
    pub evidence_removed: usize,
}

impl Changes {
    /// The changes from `prev` to `next`.
    pub fn between(prev: &Situation, next: &Situation) -> Changes {
        let factors = Factor::ALL
            .iter()
            .filter_map(|&f| {
                let (from, to) = (*prev.factors.get(f), *next.factors.get(f));
                (from != to).then_some(FactorChange {
                    factor: f,
                    from,
                    to,
                })
            })
            .collect();
        let evidence_added = next
            .evidence
            .iter()
            .filter(|e| !prev.evidence.contains(e))
            .cloned()
            .collect();
        let evidence_removed = prev
            .evidence
            .iter()
            .filter(|e| !next.evidence.contains(e))
            .count();
        Changes {
            factors,
            evidence_added,
            evidence_removed,
        }
    }

    pub fn is_empty(&self) -> bool {
        self.factors.is_empty() && self.evidence_added.is_empty() && self.evidence_removed == 0
    }
}

/// One version of a situation with its assessment.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct HistoryPoint {
    /// The stored version (or the position in a file set, from 1).
    pub version: u32,
    /// Where the version came from when it is not the store (a file name).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub source: Option<String>,
    pub as_of: NaiveDate,
    /// When the version was saved, if it was saved in a store.
    pub saved_at: Option<DateTime<Utc>>,
    pub probability: f64,
    pub interval: [f64; 2],
    /// The estimative words of `probability`.
    pub words: &'static str,
    /// What changed since the version before (empty for the first).
    pub changes: Changes,
}

/// One version to put in a [`History`], as its caller read and assessed it.
#[derive(Debug, Clone)]
pub struct VersionInput {
    pub version: u32,
    pub source: Option<String>,
    pub saved_at: Option<DateTime<Utc>>,
    pub situation: Situation,
    pub probability: f64,
    pub interval: [f64; 2],
}

/// A situation's risk over time, oldest version first.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct History {
    pub id: String,
    /// The latest version's title.
    pub title: String,
    pub patron: String,
    pub target: String,
    pub horizon_days: u32,
    pub points: Vec<HistoryPoint>,
}

/// A move across an estimative-band boundary between two consecutive versions.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct BandMove {
    pub from_version: u32,
    pub to_version: u32,
    pub from_words: &'static str,
    pub to_words: &'static str,
    pub from_probability: f64,
    pub to_probability: f64,
    pub as_of: NaiveDate,
    pub saved_at: Option<DateTime<Utc>>,
}

impl History {
    /// The history of `versions` in the order given (save order); `None` when there are none.
    pub fn new(id: &str, versions: Vec<VersionInput>) -> Option<History> {
        let last = versions.last()?.situation.clone();
        let mut points = Vec::with_capacity(versions.len());
        let mut prev: Option<Situation> = None;
        for v in versions {
            let changes = prev
                .as_ref()
                .map(|p| Changes::between(p, &v.situation))
                .unwrap_or_default();
            points.push(HistoryPoint {
                version: v.version,
                source: v.source,
                as_of: v.situation.as_of,
                saved_at: v.saved_at,
                probability: v.probability,
                interval: v.interval,
                words: estimative_band(v.probability).words,
                changes,
            });
            prev = Some(v.situation);
        }
        Some(History {
            id: id.to_string(),
            title: last.title,
            patron: last.patron.to_string(),
            target: last.target.to_string(),
            horizon_days: last.horizon_days,
            points,
        })
    }

    /// Every move across a band boundary between consecutive versions, oldest first.
    pub fn band_moves(&self) -> Vec<BandMove> {
        self.points
            .windows(2)
            .filter(|w| w[0].words != w[1].words)
            .map(|w| BandMove {
                from_version: w[0].version,
                to_version: w[1].version,
                from_words: w[0].words,
                to_words: w[1].words,
                from_probability: w[0].probability,
                to_probability: w[1].probability,
                as_of: w[1].as_of,
                saved_at: w[1].saved_at,
            })
            .collect()
    }

    /// The change in probability from the version before the latest to the latest, if there are two.
    pub fn last_change(&self) -> Option<f64> {
        let n = self.points.len();
        (n >= 2).then(|| self.points[n - 1].probability - self.points[n - 2].probability)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{CountryCode, CrisisType, FactorValues, Level};

    fn sit(as_of: (i32, u32, u32), signals: Option<f64>, evidence: Vec<Evidence>) -> Situation {
        let mut factors = FactorValues::default();
        if let Some(v) = signals {
            factors.set(
                Factor::MilitarySignals,
                FactorValue::Known(Level::new(v).unwrap()),
            );
        }
        Situation {
            id: "x".into(),
            title: "X".into(),
            patron: CountryCode::new("RUS").unwrap(),
            target: CountryCode::new("BLR").unwrap(),
            crisis_type: CrisisType::MassProtest,
            as_of: NaiveDate::from_ymd_opt(as_of.0, as_of.1, as_of.2).unwrap(),
            horizon_days: 365,
            factors,
            evidence,
        }
    }

    fn ev(text: &str) -> Evidence {
        Evidence {
            factor: Factor::MilitarySignals,
            date: NaiveDate::from_ymd_opt(2020, 8, 1).unwrap(),
            text: text.into(),
            source: "https://www.reuters.com/x".into(),
        }
    }

    fn input(version: u32, s: Situation, p: f64) -> VersionInput {
        VersionInput {
            version,
            source: None,
            saved_at: None,
            situation: s,
            probability: p,
            interval: [p / 2.0, p * 1.5],
        }
    }

    #[test]
    fn changes_name_recoded_factors_and_new_evidence() {
        let a = sit((2020, 8, 10), None, vec![ev("a"), ev("b")]);
        let b = sit((2020, 9, 10), Some(1.0), vec![ev("a"), ev("c")]);
        let c = Changes::between(&a, &b);
        assert_eq!(c.factors.len(), 1);
        assert_eq!(c.factors[0].factor, Factor::MilitarySignals);
        assert!(c.factors[0].from.is_unknown());
        assert_eq!(c.factors[0].to.point(), Some(1.0));
        assert_eq!(c.evidence_added, vec![ev("c")]);
        assert_eq!(c.evidence_removed, 1);
        assert!(Changes::between(&a, &a).is_empty());
    }

    #[test]
    fn band_moves_between_consecutive_versions_only() {
        let h = History::new(
            "x",
            vec![
                input(1, sit((2020, 8, 1), None, vec![]), 0.10),
                input(2, sit((2020, 9, 1), Some(0.5), vec![]), 0.15),
                input(3, sit((2020, 10, 1), Some(1.0), vec![]), 0.60),
                input(4, sit((2020, 11, 1), Some(0.0), vec![]), 0.04),
            ],
        )
        .unwrap();
        assert_eq!(h.points[0].words, "very unlikely");
        assert!(h.points[0].changes.is_empty());
        let m = h.band_moves();
        assert_eq!(m.len(), 2);
        assert_eq!(
            (
                m[0].from_version,
                m[0].to_version,
                m[0].from_words,
                m[0].to_words
            ),
            (2, 3, "very unlikely", "likely")
        );
        assert_eq!((m[1].to_version, m[1].to_words), (4, "almost no chance"));
        assert!((h.last_change().unwrap() + 0.56).abs() < 1e-12);
        assert!(History::new("x", vec![]).is_none());
    }
}
