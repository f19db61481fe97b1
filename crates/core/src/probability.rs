//! Probabilities, intervals, the horizon conversion and the result of an assessment.

use crate::{Factor, Group};
use serde::{Deserialize, Serialize};

/// A probability in [0, 1].
#[derive(Debug, Clone, Copy, PartialEq, PartialOrd, Serialize)]
#[serde(transparent)]
pub struct Probability(f64);

/// A number that is not a probability.
#[derive(Debug, Clone, Copy, PartialEq, thiserror::Error)]
#[error("{value} is not a probability")]
pub struct ProbabilityError {
    pub value: f64,
}

impl Probability {
    pub fn new(value: f64) -> Result<Probability, ProbabilityError> {
        if (0.0..=1.0).contains(&value) {
            Ok(Probability(value))
        } else {
            Err(ProbabilityError { value })
        }
    }
    pub fn get(self) -> f64 {
        self.0
    }
}

/// Convert a probability of force within `from_days` to one within `to_days`.
///
/// Assumes a constant hazard of force over the crisis: if `p` is the chance within `from_days`, the
/// daily survival is `(1 - p)^(1 / from_days)`, so the chance within `to_days` is
/// `1 - (1 - p)^(to_days / from_days)`. Crises are front-loaded in practice, so for horizons much
/// shorter than a year this understates the early risk; the reports say so.
pub fn convert_horizon(p: f64, from_days: u32, to_days: u32) -> f64 {
    if from_days == to_days {
        return p;
    }
    let p = p.clamp(0.0, 1.0);
    if p >= 1.0 {
        return if to_days == 0 { 0.0 } else { 1.0 };
    }
    1.0 - (1.0 - p).powf(f64::from(to_days) / f64::from(from_days))
}

/// How one factor moved the assessment.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Driver {
    pub factor: Factor,
    pub group: Group,
    /// The value used (the midpoint where uncertain; `None` where unknown).
    pub value: Option<f64>,
    /// Change in log-odds of force relative to the reference situation (posterior mean).
    pub contribution: f64,
    /// Driver (raises the risk) or restraint (lowers it).
    pub role: Role,
}

/// Whether a factor, as coded, pushes toward force or holds it back.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Role {
    Driver,
    Restraint,
}

/// Which model produced a number.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ModelId {
    pub id: String,
    pub version: String,
}

/// The answer for one situation: a probability with an honest interval, and why.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Assessment {
    pub situation_id: String,
    /// Posterior mean probability of force within `horizon_days`.
    pub probability: f64,
    /// Central 90% interval, from parameter uncertainty and uncertain or unknown factors.
    pub interval: [f64; 2],
    pub horizon_days: u32,
    pub model: ModelId,
    /// Per-factor contributions, largest absolute first.
    pub drivers: Vec<Driver>,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn horizon_conversion_constant_hazard() {
        let p = 0.5;
        // Half a year at a constant hazard: 1 - sqrt(0.5).
        let h = convert_horizon(p, 365, 182);
        assert!((h - (1.0 - 0.5f64.powf(182.0 / 365.0))).abs() < 1e-12);
        // Converting there and back is the identity.
        let back = convert_horizon(h, 182, 365);
        assert!((back - p).abs() < 1e-12);
        // Two years: 1 - 0.25.
        assert!((convert_horizon(0.5, 365, 730) - 0.75).abs() < 1e-12);
        assert_eq!(convert_horizon(0.3, 365, 365), 0.3);
        assert_eq!(convert_horizon(0.3, 365, 0), 0.0);
    }

    #[test]
    fn horizon_conversion_is_monotone() {
        let mut last = 0.0;
        for d in [1, 30, 90, 180, 365, 730] {
            let h = convert_horizon(0.2, 365, d);
            assert!(h >= last);
            last = h;
        }
    }
}
