//! The fitted model (`casus_model::FittedModel`) as a [`RiskModel`].
//!
//! - `assess` is the model's own, with the shared [`casus_model::ASSESS_SEED`], so drivers match `casus assess`;
//! - `probability`, `interval` and `importance` are the model's (posterior mean over the kept
//!   draws; 90% central interval of the per-draw probabilities; mean |∂ logit P / ∂ factor|);
//! - `estimate` is exact for fully known factors and otherwise integrates on the fixed 64-point
//!   design of [`crate::integrate_with`], drawing unknown factors from the case base's empirical
//!   distribution as `FittedModel::assess` does (so the two agree up to its Monte Carlo noise).

use crate::error::ExplainError;
use crate::risk::{Estimate, RiskModel, integrate_with};
use casus_core::{Assessment, Factor, FactorValues, Situation};
use casus_model::{AssessOptions, FittedModel};

/// Read a model artifact (`data/model/casus-model.json`).
pub fn load(json: &str) -> Result<FittedModel, ExplainError> {
    FittedModel::from_json(json).map_err(|source| ExplainError::Model { source })
}

impl RiskModel for FittedModel {
    fn assess(&self, s: &Situation) -> Assessment {
        FittedModel::assess(
            self,
            s,
            &AssessOptions {
                horizon_days: None,
                seed: casus_model::ASSESS_SEED,
            },
        )
    }

    fn probability(&self, x: &[f64; Factor::COUNT]) -> f64 {
        FittedModel::probability(self, x)
    }

    fn interval(&self, x: &[f64; Factor::COUNT]) -> [f64; 2] {
        self.probability_interval(x, 0.9).1
    }

    fn importance(&self) -> [f64; Factor::COUNT] {
        FittedModel::importance(self)
    }

    fn estimate(&self, values: &FactorValues, horizon_days: u32) -> Estimate {
        integrate_with(self, values, horizon_days, true, |j, u| {
            self.sample_marginal(j, u)
        })
    }

    fn estimate_probability(&self, values: &FactorValues, horizon_days: u32) -> f64 {
        integrate_with(self, values, horizon_days, false, |j, u| {
            self.sample_marginal(j, u)
        })
        .probability
    }
}
