//! Evaluation, kept apart from the models: metrics on forecasts, baselines, and held-out refits of
//! the model and every baseline, scored the way a user meets the forecast.
//!
//! - **Leave one crisis out**: every snapshot of a crisis is held out together (its dates are not
//!   independent), and the model and baselines are refitted on the rest.
//! - **Forward chaining**: fit on crises that began before 1990 and score those of 1990–1999, before
//!   2000 → 2000–2009, before 2010 → 2010–2019; pooled and per block. This is the out-of-time test
//!   leave-one-out cannot give: it never lets a later era teach an earlier one.
//! - **Slices** of either: by lead time (days from the snapshot to force), by crisis type, and the
//!   false-alarm rate on build-ups and threats that ended without force.
//! - **Coding sensitivity** of the fitted model over the case base: how far one coding step (0.25)
//!   of one factor moves the probability.

pub mod baselines;
pub mod holdout;
pub mod metrics;

use crate::cases::{self, Prepared};
use crate::fitted::{AssessOptions, FittedModel};
use crate::spec::{MIN_CASES, ModelSpec};
use crate::{ModelError, sampler};
use casus_core::{Case, CrisisType, Factor, LeadTime, NaiveDate};
use metrics::CalibrationBin;
use rayon::prelude::*;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// Baseline names, in the order reports list them.
pub const BASELINES: [&str; 5] = [
    "base_rate",
    "patron_base_rate",
    "checklist",
    "unregularised_logistic",
    "unsigned_model",
];

/// Reliability bins in the calibration tables.
pub const CALIBRATION_BINS: usize = 5;

/// Newton iterations allowed to the unregularised logistic before it is reported as not converged.
pub const MLE_MAX_ITER: usize = 25;

/// Forward-chaining blocks: fit on crises that began before the first year, score those that began
/// in `[first, second)`.
pub const FORWARD_BLOCKS: [(i32, i32); 3] = [(1990, 2000), (2000, 2010), (2010, 2020)];

/// A forecast at or above this is an alarm.
pub const ALARM_THRESHOLD: f64 = 0.5;

/// `military_signals` at or above this ("exercises, warnings" and up) makes a snapshot a build-up or
/// threat for the false-alarm rate.
pub const BUILD_UP_SIGNALS: f64 = 0.5;

/// Snapshots further than this many days before force are "early" for the early-warning AUC.
pub const EARLY_WARNING_DAYS: i64 = 30;

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

/// Scores on a slice of the snapshots; `auc` is `None` where the slice has only one outcome.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SliceScores {
    pub n: usize,
    pub n_force: usize,
    pub brier: f64,
    pub log_loss: f64,
    pub auc: Option<f64>,
    /// Mean forecast of the model over the slice.
    pub mean_forecast: f64,
}

impl SliceScores {
    fn of(p: &[f64], y: &[bool]) -> Option<SliceScores> {
        if p.is_empty() {
            return None;
        }
        let auc = metrics::auc(p, y);
        Some(SliceScores {
            n: p.len(),
            n_force: y.iter().filter(|&&v| v).count(),
            brier: metrics::brier(p, y),
            log_loss: metrics::log_loss(p, y),
            auc: auc.is_finite().then_some(auc),
            mean_forecast: p.iter().sum::<f64>() / p.len() as f64,
        })
    }
}

/// One held-out snapshot's forecasts.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct LooPrediction {
    /// `CASE@label`.
    pub id: String,
    pub crisis: String,
    /// Force within the snapshot's horizon.
    pub force: bool,
    pub crisis_type: CrisisType,
    pub crisis_start: NaiveDate,
    /// Days from the snapshot to force, for crises that ended in force.
    pub days_to_force: Option<i64>,
    pub military_signals: f64,
    pub model: f64,
    pub baselines: BTreeMap<String, f64>,
}

/// The share of build-ups and threats without force that the model rang the alarm on.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct FalseAlarms {
    pub definition: String,
    pub n: usize,
    pub alarms: usize,
    pub rate: Option<f64>,
    /// The snapshots that rang, for a reader to inspect.
    pub alarmed: Vec<String>,
}

impl FalseAlarms {
    /// The false alarms among `(id, force, military_signals, forecast)` rows.
    pub(crate) fn count<'a>(rows: impl Iterator<Item = (&'a str, bool, f64, f64)>) -> FalseAlarms {
        let build_ups: Vec<(&str, f64)> = rows
            .filter(|&(_, force, signals, _)| !force && signals >= BUILD_UP_SIGNALS)
            .map(|(id, _, _, p)| (id, p))
            .collect();
        let alarmed: Vec<String> = build_ups
            .iter()
            .filter(|(_, p)| *p >= ALARM_THRESHOLD)
            .map(|(id, _)| id.to_string())
            .collect();
        FalseAlarms {
            definition: false_alarm_definition(),
            n: build_ups.len(),
            alarms: alarmed.len(),
            rate: (!build_ups.is_empty()).then(|| alarmed.len() as f64 / build_ups.len() as f64),
            alarmed,
        }
    }
}

/// What the false-alarm rate counts, in words for the JSON.
fn false_alarm_definition() -> String {
    format!(
        "snapshots without force within their horizon and military_signals >= \
         {BUILD_UP_SIGNALS} (exercises, warnings, build-up or ultimatum) that the model \
         gave P >= {ALARM_THRESHOLD}"
    )
}

/// Slices of one set of held-out forecasts.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Slices {
    /// Force snapshots of one lead-time class against every snapshot without force.
    pub by_lead_time: BTreeMap<String, SliceScores>,
    pub by_crisis_type: BTreeMap<String, SliceScores>,
    /// Force snapshots more than 30 days before force against every snapshot without force.
    pub early_warning: Option<SliceScores>,
    pub false_alarms: FalseAlarms,
}

/// One forward-chaining block.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ForwardBlock {
    /// Crises that began before this year were fitted on.
    pub fitted_before: i32,
    /// Crises that began in `[scored_from, scored_to)` were scored.
    pub scored_from: i32,
    pub scored_to: i32,
    pub n_fitted_crises: usize,
    pub n_scored: usize,
    pub n_force: usize,
    pub model: Option<SliceScores>,
    pub baselines: BTreeMap<String, SliceScores>,
}

/// Out-of-time scores: per block and pooled over the blocks.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ForwardChaining {
    pub blocks: Vec<ForwardBlock>,
    pub pooled_model: Scores,
    pub pooled_baselines: BTreeMap<String, Scores>,
    pub pooled_calibration: Vec<CalibrationBin>,
    pub pooled_slices: Slices,
    pub predictions: Vec<LooPrediction>,
}

/// How far one coding step moves the fitted model's probability, over every snapshot of the case
/// base (all factors coded, so the step is never hidden by integration).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SensitivitySummary {
    /// Median over all (snapshot, factor) pairs of the larger one-step move, as a ratio.
    pub median_ratio: f64,
    /// Median ratio of each factor over the snapshots.
    pub per_factor_median: BTreeMap<String, f64>,
    /// The factor with the largest median ratio, and that ratio.
    pub worst_factor: String,
    pub worst_factor_median_ratio: f64,
    /// The single largest move seen.
    pub max_ratio: f64,
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

/// Held-out scores of the model and the baselines.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Evaluation {
    pub n_crises: usize,
    /// Snapshots (decision points) scored.
    pub n_cases: usize,
    /// Snapshots with force within their horizon.
    pub n_force: usize,
    /// Leave-one-crisis-out scores.
    pub model: Scores,
    pub baselines: BTreeMap<String, Scores>,
    /// Leave-one-crisis-out reliability tables: `model` and each baseline.
    pub calibration: BTreeMap<String, Vec<CalibrationBin>>,
    pub slices: Slices,
    /// `None` when no decade block has enough earlier crises to fit on.
    pub forward_chaining: Option<ForwardChaining>,
    pub coding_sensitivity: SensitivitySummary,
    pub predictions: Vec<LooPrediction>,
    pub notes: EvaluationNotes,
}

/// Forecasts of one held-out set by the model and every baseline, fitted on `train`.
struct HeldOut {
    model: Vec<f64>,
    baselines: Vec<[f64; 5]>,
    rhat: f64,
    divergences: u64,
    separated: bool,
    unconverged: bool,
}

fn held_out(
    spec: &ModelSpec,
    train: &Prepared,
    test: &Prepared,
    seed: u64,
) -> Result<HeldOut, ModelError> {
    let fold_spec = ModelSpec {
        seed,
        ..spec.clone()
    };
    let (model, rhat, divergences) = fold_spec.predict_held_out(train, test)?;
    let mut unsigned_spec = fold_spec.clone();
    unsigned_spec.priors.signed = false;
    let (unsigned, _, _) = unsigned_spec.predict_held_out(train, test)?;

    let base = baselines::base_rate(&train.y);
    let scores: Vec<Vec<f64>> = train
        .x
        .iter()
        .map(|r| vec![baselines::checklist_score(r)])
        .collect();
    let checklist = baselines::logistic_mle(&scores, &train.y, MLE_MAX_ITER);
    let rows: Vec<Vec<f64>> = train.x.iter().map(|r| r.to_vec()).collect();
    let mle = baselines::logistic_mle(&rows, &train.y, MLE_MAX_ITER);
    let baselines = (0..test.len())
        .map(|i| {
            let x = &test.x[i];
            [
                base,
                baselines::patron_base_rate(&train.patrons, &train.y, &test.patrons[i]),
                checklist.predict(&[baselines::checklist_score(x)]),
                mle.predict(x),
                unsigned[i],
            ]
        })
        .collect();
    Ok(HeldOut {
        model,
        baselines,
        rhat,
        divergences,
        separated: mle.separated,
        unconverged: !mle.converged,
    })
}

fn predictions(data: &Prepared, rows: &[usize], h: &HeldOut) -> Vec<LooPrediction> {
    rows.iter()
        .enumerate()
        .map(|(j, &i)| LooPrediction {
            id: data.ids[i].clone(),
            crisis: data.crises[data.group[i]].clone(),
            force: data.y[i],
            crisis_type: data.meta[i].crisis_type,
            crisis_start: data.meta[i].crisis_start,
            days_to_force: data.meta[i].days_to_force,
            military_signals: data.x[i][Factor::MilitarySignals.index()],
            model: h.model[j],
            baselines: BASELINES
                .iter()
                .zip(h.baselines[j])
                .map(|(n, p)| (n.to_string(), p))
                .collect(),
        })
        .collect()
}

fn model_and_outcomes(preds: &[LooPrediction]) -> (Vec<f64>, Vec<bool>) {
    (
        preds.iter().map(|p| p.model).collect(),
        preds.iter().map(|p| p.force).collect(),
    )
}

fn baseline_p(preds: &[LooPrediction], name: &str) -> Vec<f64> {
    preds.iter().map(|p| p.baselines[name]).collect()
}

/// Scores of the model on `keep`-selected forecasts.
fn slice(preds: &[LooPrediction], keep: impl Fn(&LooPrediction) -> bool) -> Option<SliceScores> {
    let chosen: Vec<&LooPrediction> = preds.iter().filter(|p| keep(p)).collect();
    let p: Vec<f64> = chosen.iter().map(|p| p.model).collect();
    let y: Vec<bool> = chosen.iter().map(|p| p.force).collect();
    SliceScores::of(&p, &y)
}

/// The lead-time class of a force snapshot, `None` for a snapshot without force in its horizon.
fn lead_class(p: &LooPrediction) -> Option<LeadTime> {
    p.force
        .then(|| LeadTime::of_days(p.days_to_force.unwrap_or(0)))
}

/// Slices of one set of held-out forecasts.
pub fn slices(preds: &[LooPrediction]) -> Slices {
    let by_lead_time = LeadTime::ALL
        .iter()
        .filter_map(|&l| {
            slice(preds, |p| !p.force || lead_class(p) == Some(l)).map(|s| (l.name().into(), s))
        })
        .filter(|(_, s)| s.n_force > 0)
        .collect();
    let by_crisis_type = CrisisType::ALL
        .iter()
        .filter_map(|&t| slice(preds, |p| p.crisis_type == t).map(|s| (t.name().into(), s)))
        .collect();
    let early_warning = slice(preds, |p| {
        !p.force || p.days_to_force.is_some_and(|d| d > EARLY_WARNING_DAYS)
    })
    .filter(|s| s.n_force > 0);
    Slices {
        by_lead_time,
        by_crisis_type,
        early_warning,
        false_alarms: FalseAlarms::count(
            preds
                .iter()
                .map(|p| (p.id.as_str(), p.force, p.military_signals, p.model)),
        ),
    }
}

struct Fold {
    preds: Vec<LooPrediction>,
    rhat: f64,
    divergences: u64,
    separated: bool,
    unconverged: bool,
}

/// Hold out every snapshot of crisis `g`, refit on the rest, forecast the held-out snapshots.
fn crisis_fold(spec: &ModelSpec, data: &Prepared, g: usize) -> Result<Fold, ModelError> {
    let rows = data.rows_of(g);
    let train = data.without_crisis(g);
    let test = data.subset(|i| data.group[i] == g);
    let h = held_out(spec, &train, &test, sampler::mix(spec.seed, g as u64 + 1))?;
    Ok(Fold {
        preds: predictions(data, &rows, &h),
        rhat: h.rhat,
        divergences: h.divergences,
        separated: h.separated,
        unconverged: h.unconverged,
    })
}

fn year(d: NaiveDate) -> i32 {
    use chrono::Datelike;
    d.year()
}

/// Forward chaining over [`FORWARD_BLOCKS`]; a block with fewer than [`MIN_CASES`] crises to fit
/// on, or none to score, is left out; `None` when every block is.
fn forward_chaining(
    spec: &ModelSpec,
    data: &Prepared,
) -> Result<Option<ForwardChaining>, ModelError> {
    let runs: Vec<Option<(ForwardBlock, Vec<LooPrediction>)>> = FORWARD_BLOCKS
        .par_iter()
        .enumerate()
        .map(|(b, &(from, to))| -> Result<_, ModelError> {
            let train = data.subset(|i| year(data.meta[i].crisis_start) < from);
            let in_block = |i: usize| (from..to).contains(&year(data.meta[i].crisis_start));
            let rows: Vec<usize> = (0..data.len()).filter(|&i| in_block(i)).collect();
            let test = data.subset(in_block);
            let n_fitted = train
                .group
                .iter()
                .collect::<std::collections::BTreeSet<_>>()
                .len();
            if n_fitted < MIN_CASES || test.len() == 0 {
                return Ok(None);
            }
            let h = held_out(
                spec,
                &train,
                &test,
                sampler::mix(spec.seed, 10_000 + b as u64),
            )?;
            let preds = predictions(data, &rows, &h);
            let (p, y) = model_and_outcomes(&preds);
            let block = ForwardBlock {
                fitted_before: from,
                scored_from: from,
                scored_to: to,
                n_fitted_crises: n_fitted,
                n_scored: preds.len(),
                n_force: y.iter().filter(|&&v| v).count(),
                model: SliceScores::of(&p, &y),
                baselines: BASELINES
                    .iter()
                    .filter_map(|n| {
                        SliceScores::of(&baseline_p(&preds, n), &y).map(|s| (n.to_string(), s))
                    })
                    .collect(),
            };
            Ok(Some((block, preds)))
        })
        .collect::<Result<_, _>>()?;
    let runs: Vec<(ForwardBlock, Vec<LooPrediction>)> = runs.into_iter().flatten().collect();
    if runs.is_empty() {
        return Ok(None);
    }
    let predictions: Vec<LooPrediction> = runs.iter().flat_map(|(_, p)| p.clone()).collect();
    let (p, y) = model_and_outcomes(&predictions);
    Ok(Some(ForwardChaining {
        blocks: runs.into_iter().map(|(b, _)| b).collect(),
        pooled_model: Scores::of(&p, &y),
        pooled_baselines: BASELINES
            .iter()
            .map(|n| (n.to_string(), Scores::of(&baseline_p(&predictions, n), &y)))
            .collect(),
        pooled_calibration: metrics::calibration(&p, &y, CALIBRATION_BINS),
        pooled_slices: slices(&predictions),
        predictions,
    }))
}

/// Coding sensitivity of a model fitted on every crisis, over every snapshot of the case base.
pub fn sensitivity_summary(model: &FittedModel, cases: &[Case]) -> SensitivitySummary {
    let opts = AssessOptions::default();
    let mut per_factor: BTreeMap<String, Vec<f64>> = BTreeMap::new();
    let mut all = Vec::new();
    for c in cases {
        for s in c.all_snapshots() {
            for cs in model.coding_sensitivity(s.situation, &opts) {
                if let Some(r) = cs.ratio {
                    per_factor
                        .entry(cs.factor.name().into())
                        .or_default()
                        .push(r);
                    all.push(r);
                }
            }
        }
    }
    let per_factor_median: BTreeMap<String, f64> = per_factor
        .into_iter()
        .map(|(f, mut v)| (f, median(&mut v)))
        .collect();
    let (worst_factor, worst) = per_factor_median
        .iter()
        .max_by(|a, b| a.1.total_cmp(b.1))
        .map(|(f, r)| (f.clone(), *r))
        .unwrap_or_default();
    SensitivitySummary {
        median_ratio: median(&mut all.clone()),
        worst_factor,
        worst_factor_median_ratio: worst,
        max_ratio: all.iter().copied().fold(1.0, f64::max),
        per_factor_median,
    }
}

fn median(v: &mut [f64]) -> f64 {
    if v.is_empty() {
        return f64::NAN;
    }
    v.sort_by(f64::total_cmp);
    let n = v.len();
    if n % 2 == 1 {
        v[n / 2]
    } else {
        (v[n / 2 - 1] + v[n / 2]) / 2.0
    }
}

/// Forward chaining alone (three fits per forecaster): what model choices are made on, so that no
/// choice is tuned on leave-one-out scores that mix eras.
pub fn evaluate_forward(
    cases: &[Case],
    spec: &ModelSpec,
) -> Result<Option<ForwardChaining>, ModelError> {
    let data = cases::prepare(cases, MIN_CASES + 1)?;
    forward_chaining(spec, &data)
}

/// Leave one crisis out, forward chaining, slices and coding sensitivity. Folds run in parallel;
/// results do not depend on the number of threads.
pub fn evaluate(cases: &[Case], spec: &ModelSpec) -> Result<Evaluation, ModelError> {
    let data = cases::prepare(cases, MIN_CASES + 1)?;
    let folds: Vec<Fold> = (0..data.crises.len())
        .into_par_iter()
        .map(|g| crisis_fold(spec, &data, g))
        .collect::<Result<_, _>>()?;
    let predictions: Vec<LooPrediction> = folds.iter().flat_map(|f| f.preds.clone()).collect();
    let (model_p, y) = model_and_outcomes(&predictions);
    let mut baselines_scores = BTreeMap::new();
    let mut calibration = BTreeMap::new();
    calibration.insert(
        "model".to_string(),
        metrics::calibration(&model_p, &y, CALIBRATION_BINS),
    );
    for name in BASELINES {
        let p = baseline_p(&predictions, name);
        baselines_scores.insert(name.to_string(), Scores::of(&p, &y));
        calibration.insert(
            name.to_string(),
            metrics::calibration(&p, &y, CALIBRATION_BINS),
        );
    }
    let forward = forward_chaining(spec, &data)?;
    let full = spec.fit(cases)?;
    Ok(Evaluation {
        n_crises: data.crises.len(),
        n_cases: data.len(),
        n_force: y.iter().filter(|&&v| v).count(),
        model: Scores::of(&model_p, &y),
        baselines: baselines_scores,
        calibration,
        slices: slices(&predictions),
        forward_chaining: forward,
        coding_sensitivity: sensitivity_summary(&full, cases),
        predictions,
        notes: EvaluationNotes {
            method: "leave one crisis out (every snapshot of a crisis held out together) and \
                     forward chaining by decade, with exact refits: NUTS for the model and the \
                     unsigned model, MLE for the checklist's 1-D logistic and the unregularised \
                     logistic"
                .into(),
            unregularised_logistic_separated_folds: folds.iter().filter(|f| f.separated).count(),
            unregularised_logistic_unconverged_folds: folds
                .iter()
                .filter(|f| f.unconverged)
                .count(),
            model_max_rhat: folds
                .iter()
                .map(|f| f.rhat)
                .fold(f64::NEG_INFINITY, f64::max),
            model_divergences: folds.iter().map(|f| f.divergences).sum(),
        },
    })
}

/// An evaluation saved beside the fitted model (`data/model/casus-evaluation.json`), so that
/// reports and the dashboard can show the model's track record without re-running it. It names
/// the model and the case base it was computed on; [`SavedEvaluation::check_current`] fails when
/// either has changed since.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SavedEvaluation {
    pub model_id: String,
    pub model_version: String,
    pub case_base_hash: String,
    pub seed: u64,
    pub evaluation: Evaluation,
}

impl SavedEvaluation {
    pub fn new(cases: &[Case], spec: &ModelSpec, evaluation: Evaluation) -> SavedEvaluation {
        SavedEvaluation {
            model_id: crate::spec::MODEL_ID.into(),
            model_version: crate::spec::MODEL_VERSION.into(),
            case_base_hash: cases::case_base_hash(cases),
            seed: spec.seed,
            evaluation,
        }
    }

    pub fn to_json(&self) -> String {
        let mut s = serde_json::to_string_pretty(self).expect("an evaluation serialises");
        s.push('\n');
        s
    }

    pub fn from_json(s: &str) -> Result<SavedEvaluation, ModelError> {
        serde_json::from_str(s).map_err(|source| ModelError::ArtifactJson { source })
    }

    /// Whether this evaluation was computed for this model version and this case base.
    pub fn check_current(&self, cases: &[Case]) -> Result<(), ModelError> {
        let hash = cases::case_base_hash(cases);
        if self.model_id != crate::spec::MODEL_ID
            || self.model_version != crate::spec::MODEL_VERSION
            || self.case_base_hash != hash
        {
            return Err(ModelError::ArtifactInvalid {
                what: format!(
                    "the saved evaluation is of {} {} on case base {}, not of {} {} on {hash} \
                     (run `casus evaluate --write data/model/casus-evaluation.json`)",
                    self.model_id,
                    self.model_version,
                    &self.case_base_hash[..12.min(self.case_base_hash.len())],
                    crate::spec::MODEL_ID,
                    crate::spec::MODEL_VERSION
                ),
            });
        }
        Ok(())
    }
}
