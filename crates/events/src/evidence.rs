//! From indicator series to suggested factor values: the design the daily risk monitor will use.
//!
//! This is a pure function of counts. For each family, the mean daily count over the last
//! `recent_days` is compared with a trailing baseline (the `baseline_days` before them):
//!
//! ```text
//! z     = (recent_mean - baseline_mean) / max(baseline_sd, sd_floor)
//! level = clamp(z / z_full, 0, 1)      (0 when the recent window has fewer than
//!                                        min_recent_events events: too little to say anything)
//! ```
//!
//! A level is a *rise over normal*, not an absolute scale: a country with constant large protests
//! scores 0. The monitor should show levels as evidence next to an analyst's values, not replace
//! them. Factors (THEORY.md names) are then suggested as:
//!
//! | factor | from | rule |
//! |---|---|---|
//! | `protest_scale` | protest | level |
//! | `repression_failed` | repression, protest | min of the two: repression rises *and* protest keeps rising |
//! | `military_signals` | force_posture, threat, accusation | max(force_posture, threat, accusation / 2): talk of foreign meddling counts half |
//! | `rival_support` | rival_support | level |
//! | `mass_killings` | mass_violence | level |
//! | `armed_violence` | armed_violence | level |
//!
//! Which dyad feeds which family is the caller's choice; the intended reading is: protest,
//! repression, armed and mass violence on events inside the target (target → target);
//! force posture and threats on patron → target (and patron → patron for exercises);
//! accusations on patron → rival bloc; rival support on rival bloc → target.
//! Cooperation (patron → incumbent) is returned as a signal but suggests no factor value.

use serde::Serialize;

use crate::indicators::Family;

/// Window lengths and thresholds for [`family_signal`].
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct EvidenceParams {
    /// Days in the recent window (default 7).
    pub recent_days: usize,
    /// Days in the trailing baseline before the recent window (default 90).
    pub baseline_days: usize,
    /// The z-score that counts as a full signal, level 1 (default 3).
    pub z_full: f64,
    /// Fewer events than this in the recent window give level 0 (default 3).
    pub min_recent_events: f64,
    /// Lower bound of the baseline standard deviation, so that a quiet baseline does not turn
    /// one event into a huge z (default 1 event/day).
    pub sd_floor: f64,
}

impl Default for EvidenceParams {
    fn default() -> Self {
        EvidenceParams {
            recent_days: 7,
            baseline_days: 90,
            z_full: 3.0,
            min_recent_events: 3.0,
            sd_floor: 1.0,
        }
    }
}

/// One family's recent level against its baseline.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct FamilySignal {
    /// The family.
    pub family: Family,
    /// Mean daily count in the recent window.
    pub recent_mean: f64,
    /// Mean daily count in the baseline.
    pub baseline_mean: f64,
    /// Standard deviation of daily counts in the baseline.
    pub baseline_sd: f64,
    /// The z-score (see the module docs).
    pub z: f64,
    /// The level in [0, 1].
    pub level: f64,
}

/// A suggested factor value with the signals behind it.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct FactorEvidence {
    /// The factor's canonical name from THEORY.md.
    pub factor: &'static str,
    /// The suggested value in [0, 1].
    pub value: f64,
    /// The families it came from.
    pub families: Vec<Family>,
}

/// The signal of one family from its daily counts, oldest first, ending on the assessment day
/// (days without events must be present as zeros). Returns `None` when the series is shorter
/// than the recent window plus two baseline days.
pub fn family_signal(family: Family, daily: &[f64], p: &EvidenceParams) -> Option<FamilySignal> {
    let recent_days = p.recent_days.max(1);
    if daily.len() < recent_days + 2 {
        return None;
    }
    let (before, recent) = daily.split_at(daily.len() - recent_days);
    let baseline = &before[before.len().saturating_sub(p.baseline_days.max(2))..];
    let mean = |xs: &[f64]| xs.iter().sum::<f64>() / xs.len() as f64;
    let recent_mean = mean(recent);
    let baseline_mean = mean(baseline);
    let var = baseline
        .iter()
        .map(|x| (x - baseline_mean).powi(2))
        .sum::<f64>()
        / (baseline.len() - 1) as f64;
    let baseline_sd = var.sqrt();
    let z = (recent_mean - baseline_mean) / baseline_sd.max(p.sd_floor);
    let enough = recent.iter().sum::<f64>() >= p.min_recent_events;
    let level = if enough {
        (z / p.z_full).clamp(0.0, 1.0)
    } else {
        0.0
    };
    Some(FamilySignal {
        family,
        recent_mean,
        baseline_mean,
        baseline_sd,
        z,
        level,
    })
}

/// Suggested factor values from family signals, by the table in the module docs. A factor is
/// suggested only when all the families it needs have a signal (for `military_signals`, any one).
pub fn suggest_factors(signals: &[FamilySignal]) -> Vec<FactorEvidence> {
    let level = |f: Family| signals.iter().find(|s| s.family == f).map(|s| s.level);
    let mut out = Vec::new();
    let mut single = |factor, f: Family| {
        if let Some(v) = level(f) {
            out.push(FactorEvidence {
                factor,
                value: v,
                families: vec![f],
            });
        }
    };
    single("protest_scale", Family::Protest);
    single("rival_support", Family::RivalSupport);
    single("mass_killings", Family::MassViolence);
    single("armed_violence", Family::ArmedViolence);
    if let (Some(r), Some(p)) = (level(Family::Repression), level(Family::Protest)) {
        out.push(FactorEvidence {
            factor: "repression_failed",
            value: r.min(p),
            families: vec![Family::Repression, Family::Protest],
        });
    }
    let military: Vec<(Family, f64)> = [
        (Family::ForcePosture, 1.0),
        (Family::Threat, 1.0),
        (Family::Accusation, 0.5),
    ]
    .into_iter()
    .filter_map(|(f, w)| level(f).map(|l| (f, l * w)))
    .collect();
    if !military.is_empty() {
        out.push(FactorEvidence {
            factor: "military_signals",
            value: military.iter().map(|(_, v)| *v).fold(0.0, f64::max),
            families: military.iter().map(|(f, _)| *f).collect(),
        });
    }
    out.sort_by_key(|e| e.factor);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn series(base: f64, recent: f64) -> Vec<f64> {
        // Baseline alternates base±1 (sd ≈ 1), then 7 recent days.
        let mut v: Vec<f64> = (0..90)
            .map(|i| if i % 2 == 0 { base - 1.0 } else { base + 1.0 })
            .collect();
        v.extend(std::iter::repeat_n(recent, 7));
        v
    }

    #[test]
    fn z_and_level_by_hand() {
        let p = EvidenceParams::default();
        let s = family_signal(Family::Protest, &series(5.0, 8.0), &p).unwrap();
        assert!((s.baseline_mean - 5.0).abs() < 1e-12);
        // sd of ±1 alternation over 90 values with n-1: sqrt(90/89)
        assert!((s.baseline_sd - (90.0f64 / 89.0).sqrt()).abs() < 1e-12);
        assert!((s.z - 3.0 / (90.0f64 / 89.0).sqrt()).abs() < 1e-12);
        assert!((s.level - s.z / 3.0).abs() < 1e-12);
        let flat = family_signal(Family::Protest, &series(5.0, 5.0), &p).unwrap();
        assert_eq!(flat.level, 0.0);
        let big = family_signal(Family::Protest, &series(5.0, 50.0), &p).unwrap();
        assert_eq!(big.level, 1.0);
        let quiet = family_signal(Family::Protest, &[0.0; 97], &p).unwrap();
        assert_eq!((quiet.z, quiet.level), (0.0, 0.0));
        assert!(family_signal(Family::Protest, &[1.0; 5], &p).is_none());
    }

    #[test]
    fn too_few_recent_events_is_no_signal() {
        let p = EvidenceParams::default();
        let mut v = vec![0.0; 90];
        v.extend([0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 2.0]);
        assert_eq!(family_signal(Family::Threat, &v, &p).unwrap().level, 0.0);
    }

    #[test]
    fn factors_follow_the_table() {
        let sig = |family, level| FamilySignal {
            family,
            recent_mean: 0.0,
            baseline_mean: 0.0,
            baseline_sd: 0.0,
            z: 0.0,
            level,
        };
        let out = suggest_factors(&[
            sig(Family::Protest, 0.9),
            sig(Family::Repression, 0.4),
            sig(Family::Accusation, 0.8),
            sig(Family::Threat, 0.3),
        ]);
        let get = |name| out.iter().find(|e| e.factor == name).map(|e| e.value);
        assert_eq!(get("protest_scale"), Some(0.9));
        assert_eq!(get("repression_failed"), Some(0.4));
        assert_eq!(get("military_signals"), Some(0.4));
        assert_eq!(get("mass_killings"), None);
    }
}
