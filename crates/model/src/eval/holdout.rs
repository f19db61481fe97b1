//! The one test set no choice of the model has touched: crises that began on or after the temporal
//! split (2020-01-01). They are never fitted or tuned on, so scoring the shipped model on them is a
//! forecast made as a user makes it, forward in time, on crises it could not have learned from.
//!
//! The model is scored as `casus assess` would answer each snapshot (uncertain factors integrated
//! over their range, the crisis type's and patron's effects applied), against the base rate of the
//! decision points it was fitted on.

use super::{FalseAlarms, SliceScores};
use crate::ModelError;
use crate::cases::temporal_split;
use crate::fitted::{ASSESS_SEED, AssessOptions, FittedModel};
use casus_core::{Case, CrisisType, DEFAULT_HORIZON_DAYS, Factor, NaiveDate};
use serde::{Deserialize, Serialize};

/// One scored snapshot of a crisis from 2020 on.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct HoldoutPrediction {
    /// `CASE@label`.
    pub id: String,
    pub crisis: String,
    pub crisis_type: CrisisType,
    pub as_of: NaiveDate,
    /// Force within the snapshot's horizon.
    pub force: bool,
    /// Days from the snapshot to force, for crises that ended in force.
    pub days_to_force: Option<i64>,
    pub military_signals: f64,
    /// The model's probability of force within the horizon and its 90% interval.
    pub probability: f64,
    pub interval: [f64; 2],
}

/// The shipped model's scores on the out-of-sample crises.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct HoldoutEvaluation {
    pub n_crises: usize,
    pub n_snapshots: usize,
    pub n_force: usize,
    /// The model's scores; `auc` is `None` while the set has one outcome only.
    pub model: SliceScores,
    /// The base rate of force over the decision points the model was fitted on, as a forecast.
    pub base_rate: SliceScores,
    pub false_alarms: FalseAlarms,
    pub predictions: Vec<HoldoutPrediction>,
}

/// Score `model` on every snapshot of `cases`, which must all have begun on or after the temporal
/// split: a crisis before it may have been fitted on and would flatter the model.
pub fn evaluate_holdout(
    model: &FittedModel,
    cases: &[Case],
) -> Result<HoldoutEvaluation, ModelError> {
    let split = temporal_split();
    let mut predictions = Vec::new();
    for c in cases {
        if c.crisis_start < split {
            return Err(ModelError::InSample {
                id: c.id().to_string(),
                crisis_start: c.crisis_start,
                split,
            });
        }
        for s in c.all_snapshots() {
            if s.situation.horizon_days != DEFAULT_HORIZON_DAYS {
                return Err(ModelError::UnsupportedHorizon {
                    id: s.id(),
                    horizon_days: s.situation.horizon_days,
                });
            }
            let a = model.assess(
                s.situation,
                &AssessOptions {
                    horizon_days: None,
                    seed: ASSESS_SEED,
                },
            );
            predictions.push(HoldoutPrediction {
                id: s.id(),
                crisis: c.id().to_string(),
                crisis_type: c.situation.crisis_type,
                as_of: s.situation.as_of,
                force: s.force(),
                days_to_force: s.days_to_force(),
                military_signals: s
                    .situation
                    .factors
                    .get(Factor::MilitarySignals)
                    .midpoint()
                    .unwrap_or(0.0),
                probability: a.probability,
                interval: a.interval,
            });
        }
    }
    predictions.sort_by(|a, b| a.crisis.cmp(&b.crisis).then(a.as_of.cmp(&b.as_of)));
    let p: Vec<f64> = predictions.iter().map(|r| r.probability).collect();
    let y: Vec<bool> = predictions.iter().map(|r| r.force).collect();
    let (Some(scores), Some(base)) = (
        SliceScores::of(&p, &y),
        SliceScores::of(&vec![model.force_rate(); p.len()], &y),
    ) else {
        return Err(ModelError::TooFewCases { n: 0, min: 1 });
    };
    Ok(HoldoutEvaluation {
        n_crises: cases.len(),
        n_snapshots: predictions.len(),
        n_force: y.iter().filter(|&&v| v).count(),
        model: scores,
        base_rate: base,
        false_alarms: FalseAlarms::count(
            predictions
                .iter()
                .map(|r| (r.id.as_str(), r.force, r.military_signals, r.probability)),
        ),
        predictions,
    })
}
