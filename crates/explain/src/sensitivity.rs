//! Coding sensitivity: how far the probability moves when one factor is coded one step (0.25) up or
//! down. Two careful analysts often code a factor one step apart, so a reader should see which
//! codings the answer hangs on.

use crate::RiskModel;
use casus_core::{Factor, Situation};
use serde::Serialize;

/// One coding step, the size of the usual disagreement between two careful coders.
pub const STEP: f64 = 0.25;

/// The probability with one factor one step down and one step up (`None` where the step would
/// leave [0, 1] or the factor is unknown), and the larger move as a ratio (always >= 1).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct CodingStep {
    pub factor: Factor,
    pub probability: f64,
    pub step_down: Option<f64>,
    pub step_up: Option<f64>,
    pub ratio: Option<f64>,
}

/// Coding sensitivity of every factor, most sensitive first. Uses the model's noise-free
/// `estimate`, like scenarios and signposts, so the moves carry no sampling noise.
pub fn coding_sensitivity<M: RiskModel + ?Sized>(model: &M, s: &Situation) -> Vec<CodingStep> {
    let base = model.estimate_probability(&s.factors, s.horizon_days);
    let mut out: Vec<CodingStep> = Factor::ALL
        .iter()
        .map(|&f| {
            let step = |d: f64| {
                let moved = s.factors.get(f).shifted(d)?;
                let mut values = s.factors;
                values.set(f, moved);
                Some(model.estimate_probability(&values, s.horizon_days))
            };
            let (step_down, step_up) = (step(-STEP), step(STEP));
            let ratio = [step_down, step_up]
                .into_iter()
                .flatten()
                .map(|p| ratio(base, p))
                .reduce(f64::max);
            CodingStep {
                factor: f,
                probability: base,
                step_down,
                step_up,
                ratio,
            }
        })
        .collect();
    out.sort_by(|a, b| {
        b.ratio
            .unwrap_or(1.0)
            .total_cmp(&a.ratio.unwrap_or(1.0))
            .then(a.factor.cmp(&b.factor))
    });
    out
}

fn ratio(a: f64, b: f64) -> f64 {
    let (lo, hi) = if a < b { (a, b) } else { (b, a) };
    if lo <= 0.0 { f64::INFINITY } else { hi / lo }
}
