//! A small fixed logistic model with theory-signed weights, for tests, examples and benchmarks.
//!
//! It is not fitted to anything: its numbers illustrate, they do not assess. Use the fitted model
//! ([`crate::fitted`]) for real answers.

use crate::risk::RiskModel;
use casus_core::{Assessment, Driver, Factor, ModelId, Role, Situation};

/// `logit P = intercept + Σ w_j (x_j − 0.5)`; the 90% interval widens with the distance from the
/// midpoint situation.
#[derive(Debug, Clone)]
pub struct FixtureModel {
    pub intercept: f64,
    pub weights: [f64; Factor::COUNT],
}

impl Default for FixtureModel {
    fn default() -> Self {
        FixtureModel {
            intercept: 0.0,
            weights: [
                0.0, 0.5, 2.5, 1.0, 1.5, 1.0, 0.8, 0.5, 0.8, 0.8, 0.8, -2.0, -1.2, -0.8, 0.4, 1.5,
                0.8, 1.0,
            ],
        }
    }
}

fn logistic(z: f64) -> f64 {
    1.0 / (1.0 + (-z).exp())
}

impl FixtureModel {
    /// A model that ignores the factors: the same probability everywhere.
    pub fn flat(p: f64) -> FixtureModel {
        FixtureModel {
            intercept: (p / (1.0 - p)).ln(),
            weights: [0.0; Factor::COUNT],
        }
    }

    fn eta(&self, x: &[f64; Factor::COUNT]) -> f64 {
        self.intercept
            + self
                .weights
                .iter()
                .zip(x)
                .map(|(w, v)| w * (v - 0.5))
                .sum::<f64>()
    }
}

impl RiskModel for FixtureModel {
    fn assess(&self, s: &Situation) -> Assessment {
        let est = self.estimate(&s.factors, s.horizon_days);
        let mut drivers: Vec<Driver> = s
            .factors
            .iter()
            .map(|(f, v)| {
                let value = v.midpoint();
                let contribution = value.map_or(0.0, |x| self.weights[f.index()] * (x - 0.5));
                Driver {
                    factor: f,
                    group: f.group(),
                    value,
                    contribution,
                    role: if contribution >= 0.0 {
                        Role::Driver
                    } else {
                        Role::Restraint
                    },
                }
            })
            .collect();
        drivers.sort_by(|a, b| b.contribution.abs().total_cmp(&a.contribution.abs()));
        Assessment {
            situation_id: s.id.clone(),
            probability: est.probability,
            interval: est.interval,
            horizon_days: s.horizon_days,
            model: ModelId {
                id: "fixture".into(),
                version: "0".into(),
            },
            drivers,
        }
    }

    fn probability(&self, x: &[f64; Factor::COUNT]) -> f64 {
        logistic(self.eta(x))
    }

    fn interval(&self, x: &[f64; Factor::COUNT]) -> [f64; 2] {
        let e = self.eta(x);
        let sd = 0.4 + 0.1 * (e - self.intercept).abs();
        [logistic(e - 1.645 * sd), logistic(e + 1.645 * sd)]
    }

    fn importance(&self) -> [f64; Factor::COUNT] {
        self.weights.map(f64::abs)
    }
}
