//! What casus-explain needs from a fitted model, and how it turns factor values into a probability.
//!
//! The explanation asks the model four things: a full [`Assessment`] of the situation (for the
//! drivers), a fast posterior-mean probability and interval for fully known factor values, and how
//! important each factor is overall. [`RiskModel`] names them; `casus_model::FittedModel`
//! implements it (see [`crate::fitted`]), and tests use a small fixed model
//! ([`crate::fixture::FixtureModel`]).

use casus_core::{Assessment, Factor, FactorValue, FactorValues, Situation, convert_horizon};
use serde::Serialize;

/// The base horizon of fitted models: the case base codes outcomes within 365 days.
pub const BASE_HORIZON_DAYS: u32 = 365;

/// A fitted model of the chance of force, as the explanation uses it.
pub trait RiskModel {
    /// The model's assessment of a situation: probability, interval and per-factor drivers.
    fn assess(&self, situation: &Situation) -> Assessment;
    /// Posterior-mean probability of force within [`BASE_HORIZON_DAYS`] for fully known values.
    fn probability(&self, x: &[f64; Factor::COUNT]) -> f64;
    /// Central 90% interval of that probability (parameter uncertainty only).
    fn interval(&self, x: &[f64; Factor::COUNT]) -> [f64; 2];
    /// How much each factor matters to the model overall (non-negative; any scale).
    fn importance(&self) -> [f64; Factor::COUNT];

    /// Probability and interval for factor values that may be uncertain or unknown, within
    /// `horizon_days`.
    ///
    /// The default integrates over uncertain factors with [`integrate`]; a model with a fast exact
    /// integral may override it. Scenarios, signposts and options all go through this one function,
    /// so their numbers are comparable with each other and with the headline figure.
    fn estimate(&self, values: &FactorValues, horizon_days: u32) -> Estimate {
        integrate(self, values, horizon_days)
    }

    /// The probability of [`RiskModel::estimate`] without the interval (cheaper: grids, trees,
    /// signposts and options need only this). Must equal `estimate(..).probability`.
    fn estimate_probability(&self, values: &FactorValues, horizon_days: u32) -> f64 {
        self.estimate(values, horizon_days).probability
    }
}

/// A probability of force with its central 90% interval.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct Estimate {
    pub probability: f64,
    pub interval: [f64; 2],
}

/// Number of draws used to integrate over uncertain factors.
pub const DRAWS: usize = 64;

/// Integrate a model's fast probability over uncertain factors.
///
/// Known factors are used as they are. A range is integrated uniformly over `[low, high]`, and an
/// unknown factor uniformly over `[0, 1]` (no value is guessed; the fitted model's adapter uses the
/// case base's distribution instead, as `FittedModel::assess` does). The draws are a fixed
/// Latin-hypercube design (stratified, deterministic), so every scenario of one situation is
/// evaluated at the same points and differences between scenarios carry no sampling noise.
///
/// The probability is the mean over the draws. The interval is the wider of (a) the mean of the
/// per-draw 90% intervals and (b) the 5th–95th percentile of the per-draw probabilities: an
/// approximation of the mixture's central interval that never understates the spread from the
/// uncertain factors.
pub fn integrate<M: RiskModel + ?Sized>(
    model: &M,
    values: &FactorValues,
    horizon_days: u32,
) -> Estimate {
    integrate_with(model, values, horizon_days, true, |_, u| u)
}

/// [`integrate`] with a chosen distribution for unknown factors: `unknown(factor_index, u)` maps a
/// stratified uniform `u` in (0, 1) to a value (an inverse CDF), e.g. the case base's empirical
/// distribution of the factor. Without `with_interval` the interval is NaN and only the probability
/// is computed.
pub fn integrate_with<M: RiskModel + ?Sized>(
    model: &M,
    values: &FactorValues,
    horizon_days: u32,
    with_interval: bool,
    unknown: impl Fn(usize, f64) -> f64,
) -> Estimate {
    let conv = |p: f64| convert_horizon(p, BASE_HORIZON_DAYS, horizon_days);
    let mut x = [0.0; Factor::COUNT];
    // (factor index, low, high, unknown?)
    let mut open: Vec<(usize, f64, f64, bool)> = Vec::new();
    for (f, v) in values.iter() {
        match *v {
            FactorValue::Known(l) => x[f.index()] = l.get(),
            FactorValue::Range { low, high } => {
                open.push((f.index(), low.get(), high.get(), false))
            }
            FactorValue::Unknown => open.push((f.index(), 0.0, 1.0, true)),
        }
    }
    if open.is_empty() {
        let iv = if with_interval {
            model.interval(&x)
        } else {
            [f64::NAN; 2]
        };
        return Estimate {
            probability: conv(model.probability(&x)),
            interval: [conv(iv[0]), conv(iv[1])],
        };
    }
    let mut ps = Vec::with_capacity(DRAWS);
    let (mut lo, mut hi) = (0.0, 0.0);
    for d in 0..DRAWS {
        for (k, &(j, a, b, unk)) in open.iter().enumerate() {
            // Stratum d of DRAWS, permuted per factor by a fixed odd multiplier.
            let stratum = (d * (2 * k + 1) * 37 + k * 11) % DRAWS;
            let u = (stratum as f64 + 0.5) / DRAWS as f64;
            x[j] = if unk { unknown(j, u) } else { a + u * (b - a) };
        }
        ps.push(conv(model.probability(&x)));
        if with_interval {
            let iv = model.interval(&x);
            lo += conv(iv[0]);
            hi += conv(iv[1]);
        }
    }
    let n = DRAWS as f64;
    let mean = ps.iter().sum::<f64>() / n;
    ps.sort_by(f64::total_cmp);
    let q = |p: f64| ps[((p * (n - 1.0)).round() as usize).min(DRAWS - 1)];
    Estimate {
        probability: mean,
        interval: [(lo / n).min(q(0.05)), (hi / n).max(q(0.95))],
    }
}

/// The value the explanation reads for a factor: the point, or the midpoint of a range.
pub(crate) fn mid(values: &FactorValues, f: Factor) -> Option<f64> {
    values.get(f).midpoint()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::fixture::FixtureModel;
    use casus_core::Level;

    #[test]
    fn known_values_use_the_fast_path() {
        let m = FixtureModel::default();
        let mut v = FactorValues::filled(FactorValue::Known(Level::HALF));
        let e = m.estimate(&v, 365);
        assert!((e.probability - m.probability(&[0.5; 18])).abs() < 1e-12);
        v.set(Factor::Reorientation, FactorValue::Unknown);
        let e2 = m.estimate(&v, 365);
        assert!(e2.interval[0] <= e2.probability && e2.probability <= e2.interval[1]);
    }

    #[test]
    fn integration_over_a_symmetric_range_is_close_to_the_midpoint_for_a_flat_model() {
        let m = FixtureModel::flat(0.2);
        let mut v = FactorValues::filled(FactorValue::Known(Level::HALF));
        v.set(
            Factor::ProtestScale,
            FactorValue::range(Level::ZERO, Level::ONE).unwrap(),
        );
        assert!((m.estimate(&v, 365).probability - 0.2).abs() < 1e-12);
        // A shorter horizon converts at a constant hazard.
        let h = m.estimate(&v, 90).probability;
        assert!((h - convert_horizon(0.2, 365, 90)).abs() < 1e-12);
    }
}
