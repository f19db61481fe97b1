//! Coding sensitivity: how far the probability moves when one factor is coded one step (0.25) up or
//! down. Two careful analysts often code a factor one step apart, so a reader should see which
//! codings an answer hangs on. The model's evaluation (over the case base) and the explanation (of
//! one situation) both compute it here, each with its own way of turning factor values into a
//! probability.

use crate::{Factor, FactorValues};
use serde::{Deserialize, Serialize};

/// One coding step, the usual distance between two careful coders.
pub const CODING_STEP: f64 = 0.25;

/// The probability with one factor one step down and one step up (`None` where the step would
/// leave [0, 1] or the factor is unknown), and the larger move as a ratio (always >= 1).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CodingStep {
    pub factor: Factor,
    pub probability: f64,
    pub step_down: Option<f64>,
    pub step_up: Option<f64>,
    pub ratio: Option<f64>,
}

/// `max(a, b) / min(a, b)`: the size of a move whichever way it goes.
pub fn move_ratio(a: f64, b: f64) -> f64 {
    let (lo, hi) = if a < b { (a, b) } else { (b, a) };
    if lo <= 0.0 { f64::INFINITY } else { hi / lo }
}

/// Coding sensitivity of every factor of `values`, in [`Factor::ALL`] order; `probability` maps
/// factor values to the probability being explained. A range moves as a whole.
pub fn coding_steps(
    values: &FactorValues,
    mut probability: impl FnMut(&FactorValues) -> f64,
) -> Vec<CodingStep> {
    let base = probability(values);
    Factor::ALL
        .iter()
        .map(|&f| {
            let mut step = |d: f64| {
                let moved = values.get(f).shifted(d)?;
                let mut v = *values;
                v.set(f, moved);
                Some(probability(&v))
            };
            let (step_down, step_up) = (step(-CODING_STEP), step(CODING_STEP));
            let ratio = [step_down, step_up]
                .into_iter()
                .flatten()
                .map(|p| move_ratio(base, p))
                .reduce(f64::max);
            CodingStep {
                factor: f,
                probability: base,
                step_down,
                step_up,
                ratio,
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::FactorValue;

    #[test]
    fn steps_stop_at_the_ends_and_skip_unknown_factors() {
        let mut v = FactorValues::default();
        v.set(Factor::MilitarySignals, FactorValue::known(1.0).unwrap());
        v.set(Factor::Invitation, FactorValue::known(0.5).unwrap());
        // p = 0.1 + 0.2 * signals
        let steps = coding_steps(&v, |v| {
            0.1 + 0.2 * v.get(Factor::MilitarySignals).point().unwrap_or(0.0)
        });
        let s = &steps[Factor::MilitarySignals.index()];
        assert!(s.step_up.is_none(), "no step above 1");
        assert!((s.step_down.unwrap() - 0.25).abs() < 1e-12);
        assert!((s.ratio.unwrap() - 0.3 / 0.25).abs() < 1e-12);
        assert_eq!(steps[Factor::Invitation.index()].ratio, Some(1.0));
        assert!(
            steps[Factor::Compatriots.index()].ratio.is_none(),
            "unknown"
        );
    }
}
