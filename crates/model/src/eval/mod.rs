//! Evaluation, kept apart from the models: metrics on forecasts, baselines, and exact
//! leave-one-out refits of the model and every baseline.

pub mod baselines;
pub mod metrics;

use crate::cases::{self, Prepared};
use crate::spec::{MIN_CASES, ModelSpec};
use crate::{ModelError, sampler};
use casus_core::Case;
use metrics::CalibrationBin;
use rayon::prelude::*;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// Baseline names, in the order reports list them.
pub const BASELINES: [&str; 4] = [
    "base_rate",
    "patron_base_rate",
    "checklist",
    "unregularised_logistic",
];

/// Reliability bins in the calibration tables.
pub const CALIBRATION_BINS: usize = 5;

/// Newton iterations allowed to the unregularised logistic before it is reported as not converged.
pub const MLE_MAX_ITER: usize = 25;

/// Proper scores and discrimination of one forecaster.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct Scores {
    pub brier: f64,
    pub log_loss: f64,
    pub auc: f64,
}

impl Scores {
    pub fn of(p: &[f64], y: &[bool]) -> Scores {
        Scores {
            brier: metrics::brier(p, y),
            log_loss: metrics::log_loss(p, y),
            auc: metrics::auc(p, y),
        }
    }
}

/// One held-out case's forecasts.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct LooPrediction {
    pub id: String,
    pub force: bool,
    pub model: f64,
    pub baselines: BTreeMap<String, f64>,
}

/// What the reader should know about the runs behind the scores.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct EvaluationNotes {
    pub method: String,
    /// Folds in which the unregularised logistic showed separation (its MLE does not exist).
    pub unregularised_logistic_separated_folds: usize,
    /// Folds in which it hit the iteration cap or stopped without converging.
    pub unregularised_logistic_unconverged_folds: usize,
    /// Largest split R-hat of the intercept over the model's folds.
    pub model_max_rhat: f64,
    /// Divergent transitions summed over the model's folds.
    pub model_divergences: u64,
}

/// Leave-one-out scores of the model and the baselines.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Evaluation {
    pub n_cases: usize,
    pub n_force: usize,
    pub model: Scores,
    pub baselines: BTreeMap<String, Scores>,
    /// Reliability tables: `model` and each baseline.
    pub calibration: BTreeMap<String, Vec<CalibrationBin>>,
    pub predictions: Vec<LooPrediction>,
    pub notes: EvaluationNotes,
}

struct Fold {
    model: f64,
    rhat: f64,
    divergences: u64,
    baselines: [f64; 4],
    separated: bool,
    unconverged: bool,
}

fn fold(spec: &ModelSpec, data: &Prepared, i: usize) -> Result<Fold, ModelError> {
    let train = data.without(i);
    let x = &data.x[i];
    let fold_spec = ModelSpec {
        seed: sampler::mix(spec.seed, i as u64 + 1),
        ..spec.clone()
    };
    let (model, rhat, divergences) = fold_spec.loo_predict(&train, x)?;

    let base = baselines::base_rate(&train.y);
    let patron = baselines::patron_base_rate(&train.patrons, &train.y, &data.patrons[i]);
    let scores: Vec<Vec<f64>> = train
        .x
        .iter()
        .map(|r| vec![baselines::checklist_score(r)])
        .collect();
    let checklist = baselines::logistic_mle(&scores, &train.y, MLE_MAX_ITER)
        .predict(&[baselines::checklist_score(x)]);
    let rows: Vec<Vec<f64>> = train.x.iter().map(|r| r.to_vec()).collect();
    let mle = baselines::logistic_mle(&rows, &train.y, MLE_MAX_ITER);
    Ok(Fold {
        model,
        rhat,
        divergences,
        baselines: [base, patron, checklist, mle.predict(x)],
        separated: mle.separated,
        unconverged: !mle.converged,
    })
}

/// Exact leave-one-out: for every case, refit the model (NUTS, seed mixed with the fold index) and
/// every baseline without it and forecast it. Folds run in parallel; results do not depend on the
/// number of threads.
pub fn evaluate(cases: &[Case], spec: &ModelSpec) -> Result<Evaluation, ModelError> {
    let data = cases::prepare(cases, MIN_CASES + 1)?;
    let folds: Vec<Fold> = (0..data.len())
        .into_par_iter()
        .map(|i| fold(spec, &data, i))
        .collect::<Result<_, _>>()?;
    let y = &data.y;
    let model_p: Vec<f64> = folds.iter().map(|f| f.model).collect();
    let mut baselines_scores = BTreeMap::new();
    let mut calibration = BTreeMap::new();
    calibration.insert(
        "model".to_string(),
        metrics::calibration(&model_p, y, CALIBRATION_BINS),
    );
    for (b, name) in BASELINES.iter().enumerate() {
        let p: Vec<f64> = folds.iter().map(|f| f.baselines[b]).collect();
        baselines_scores.insert(name.to_string(), Scores::of(&p, y));
        calibration.insert(
            name.to_string(),
            metrics::calibration(&p, y, CALIBRATION_BINS),
        );
    }
    let predictions = folds
        .iter()
        .enumerate()
        .map(|(i, f)| LooPrediction {
            id: data.ids[i].clone(),
            force: y[i],
            model: f.model,
            baselines: BASELINES
                .iter()
                .zip(f.baselines)
                .map(|(n, p)| (n.to_string(), p))
                .collect(),
        })
        .collect();
    Ok(Evaluation {
        n_cases: data.len(),
        n_force: y.iter().filter(|&&v| v).count(),
        model: Scores::of(&model_p, y),
        baselines: baselines_scores,
        calibration,
        predictions,
        notes: EvaluationNotes {
            method: "exact leave-one-out refits (NUTS for the model; MLE for the checklist's 1-D logistic and the unregularised logistic)".into(),
            unregularised_logistic_separated_folds: folds.iter().filter(|f| f.separated).count(),
            unregularised_logistic_unconverged_folds: folds.iter().filter(|f| f.unconverged).count(),
            model_max_rhat: folds.iter().map(|f| f.rhat).fold(f64::NEG_INFINITY, f64::max),
            model_divergences: folds.iter().map(|f| f.divergences).sum(),
        },
    })
}
