//! The fitted model: posterior draws, what they were fitted on, and prediction.

use crate::diagnostics::Diagnostics;
use crate::features::{self, NF, NX};
use crate::map::MapEstimate;
use crate::posterior::{NT, SIGNALS, logistic, type_index};
use crate::settings::{MODEL_ID, MODEL_VERSION, ModelSpec};
use crate::{ModelError, json};
use casus_core::sensitivity::CodingStep;
use casus_core::{
    Assessment, CrisisType, DEFAULT_HORIZON_DAYS, Driver, Factor, FactorValue, ModelId, Role,
    Situation, convert_horizon,
};
use serde::{Deserialize, Serialize};

/// Version of the JSON artifact layout; bump on any change to [`FittedModel::to_json`]'s shape.
pub const FORMAT_VERSION: u32 = 2;

/// Monte Carlo samples used by [`FittedModel::assess`] when a factor is uncertain or unknown.
pub const MC_SAMPLES: usize = 4000;

/// The empirical distribution of one factor over the fitted cases: `(value, count)` pairs.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Marginal {
    pub factor: Factor,
    pub mean: f64,
    pub values: Vec<(f64, u32)>,
}

/// The seed every front end (CLI, API, explanations) uses unless asked otherwise, so that the same
/// situation gives the same numbers wherever it is assessed.
pub const ASSESS_SEED: u64 = 1;

/// The value of every factor in the reference situation for drivers and restraints.
pub const MIDPOINT: f64 = 0.5;

/// Options for [`FittedModel::assess`].
#[derive(Debug, Clone, Copy, PartialEq, Default)]
pub struct AssessOptions {
    /// Horizon in days; `None` uses the situation's own `horizon_days`.
    pub horizon_days: Option<u32>,
    /// Seed for the Monte Carlo integration over uncertain and unknown factors.
    pub seed: u64,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
struct Artifact {
    format_version: u32,
    model: ModelId,
    seed: u64,
    case_base_hash: String,
    n_cases: usize,
    n_force: usize,
    case_ids: Vec<String>,
    spec: ModelSpec,
    features: Vec<String>,
    diagnostics: Diagnostics,
    map: MapEstimate,
    marginals: Vec<Marginal>,
    importance: Vec<f64>,
    /// The patrons fitted on, in the order of their intercept offsets in `draws`.
    patrons: Vec<String>,
    /// Names of the columns of `draws`: `alpha`, one coefficient per feature, the intercept offset
    /// of each crisis type, the multiplier of `military_signals`' coefficient per crisis type,
    /// and the intercept offset of each fitted patron (zeros and ones where the model has no
    /// such effect).
    draw_layout: Vec<String>,
    draws: Vec<Vec<f64>>,
}

/// Columns of a draw before the patron offsets.
const FIXED_COLUMNS: usize = 1 + NF + 2 * NT;

/// A fitted model. Build one with [`ModelSpec::fit`] or read one with [`FittedModel::from_json`].
#[derive(Debug, Clone)]
pub struct FittedModel {
    art: Artifact,
    /// `(alpha, beta)` per draw with the context effects of `context` folded in.
    eff: Vec<Vec<f64>>,
    alpha_mean: f64,
    beta_mean: [f64; NF],
    reference: [f64; NX],
}

/// The crisis type and patron whose effects a prediction includes. A patron the model was not
/// fitted on gets no patron offset (the average patron).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Context<'a> {
    pub crisis_type: CrisisType,
    pub patron: &'a str,
}

impl<'a> Context<'a> {
    pub fn of(s: &'a Situation) -> Context<'a> {
        Context {
            crisis_type: s.crisis_type,
            patron: s.patron.as_str(),
        }
    }
}

/// A tiny deterministic generator (SplitMix64) for the Monte Carlo integration.
struct SplitMix(u64);

impl SplitMix {
    fn next(&mut self) -> f64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        crate::sampler::uniform(crate::sampler::mix(self.0, 0))
    }
}

impl FittedModel {
    #[allow(clippy::too_many_arguments)] // one call site, in `ModelSpec::fit_prepared`
    pub(crate) fn new(
        spec: ModelSpec,
        map: MapEstimate,
        diagnostics: Diagnostics,
        patrons: Vec<String>,
        draws: Vec<Vec<f64>>,
        marginals: Vec<Marginal>,
        importance: [f64; NX],
        n_force: usize,
    ) -> FittedModel {
        let mut draw_layout = vec!["alpha".to_string()];
        draw_layout.extend(features::feature_names());
        for t in CrisisType::ALL {
            draw_layout.push(format!("type_offset[{}]", t.name()));
        }
        for t in CrisisType::ALL {
            draw_layout.push(format!("signals_multiplier[{}]", t.name()));
        }
        for p in &patrons {
            draw_layout.push(format!("patron_offset[{p}]"));
        }
        let art = Artifact {
            format_version: FORMAT_VERSION,
            model: ModelId {
                id: MODEL_ID.into(),
                version: MODEL_VERSION.into(),
            },
            seed: spec.seed,
            case_base_hash: String::new(),
            n_cases: 0,
            n_force,
            case_ids: vec![],
            spec,
            features: features::feature_names().to_vec(),
            diagnostics,
            map,
            marginals,
            importance: importance.to_vec(),
            patrons,
            draw_layout,
            draws,
        };
        Self::from_artifact(art)
    }

    fn from_artifact(art: Artifact) -> FittedModel {
        let eff: Vec<Vec<f64>> = art.draws.iter().map(|d| effective(d, None, None)).collect();
        let (alpha_mean, beta_mean) = means(&eff);
        // The midpoint situation (every factor at its middle anchor): a reference a reader can hold
        // in mind, so that a factor coded above its middle anchor on a factor the theory says raises
        // the risk reads as a driver, and one below it as a restraint. The case base's average is
        // no such reference: it moves with the case mix and turned drivers into restraints.
        let reference = [MIDPOINT; NX];
        FittedModel {
            art,
            eff,
            alpha_mean,
            beta_mean,
            reference,
        }
    }

    /// The same model with the effects of a crisis type and a patron folded in: what
    /// [`FittedModel::probability`] and the explanation's fast paths should use for a situation.
    /// [`FittedModel::assess`] applies the situation's own context by itself.
    pub fn in_context(&self, ctx: Context<'_>) -> FittedModel {
        let eff = self.context_draws(ctx);
        let (alpha_mean, beta_mean) = means(&eff);
        FittedModel {
            art: self.art.clone(),
            eff,
            alpha_mean,
            beta_mean,
            reference: self.reference,
        }
    }

    /// [`FittedModel::in_context`] for a situation's crisis type and patron.
    pub fn for_situation(&self, s: &Situation) -> FittedModel {
        self.in_context(Context::of(s))
    }

    fn context_draws(&self, ctx: Context<'_>) -> Vec<Vec<f64>> {
        let t = type_index(ctx.crisis_type);
        let p = self.art.patrons.iter().position(|p| p == ctx.patron);
        self.art
            .draws
            .iter()
            .map(|d| effective(d, Some(t), p))
            .collect()
    }

    /// The share of fitted decision points with force within their horizon: the base-rate
    /// forecast.
    pub fn force_rate(&self) -> f64 {
        let rows: u32 = self.art.marginals[0].values.iter().map(|(_, n)| n).sum();
        self.art.n_force as f64 / f64::from(rows.max(1))
    }

    /// The posterior-mean intercept offset of a crisis type against the average type, in
    /// log-odds; `None` for a model without crisis-type intercepts.
    pub fn type_offset(&self, t: CrisisType) -> Option<f64> {
        (self.art.spec.priors.type_intercept_scale > 0.0).then(|| {
            let col = 1 + NF + type_index(t);
            self.art.draws.iter().map(|d| d[col]).sum::<f64>() / self.art.draws.len() as f64
        })
    }

    /// The patrons the model has an intercept offset for.
    pub fn patrons(&self) -> &[String] {
        &self.art.patrons
    }

    pub(crate) fn set_case_base(&mut self, hash: String, ids: Vec<String>) {
        self.art.case_base_hash = hash;
        self.art.n_cases = ids.len();
        self.art.case_ids = ids;
    }

    /// Serialise as the versioned JSON artifact (deterministic: same model, same bytes).
    pub fn to_json(&self) -> String {
        json::to_string(&self.art)
    }

    /// Read an artifact written by [`FittedModel::to_json`].
    pub fn from_json(s: &str) -> Result<FittedModel, ModelError> {
        #[derive(Deserialize)]
        struct Version {
            format_version: u32,
        }
        let v: Version =
            serde_json::from_str(s).map_err(|source| ModelError::ArtifactJson { source })?;
        if v.format_version != FORMAT_VERSION {
            return Err(ModelError::ArtifactVersion {
                found: v.format_version,
                expected: FORMAT_VERSION,
            });
        }
        let art: Artifact =
            serde_json::from_str(s).map_err(|source| ModelError::ArtifactJson { source })?;
        let invalid = |what: String| Err(ModelError::ArtifactInvalid { what });
        if art.model.id != MODEL_ID || art.model.version != MODEL_VERSION {
            return invalid(format!(
                "model {} {} is not {MODEL_ID} {MODEL_VERSION} (run `casus fit`)",
                art.model.id, art.model.version
            ));
        }
        let width = FIXED_COLUMNS + art.patrons.len();
        if art.draws.is_empty()
            || art
                .draws
                .iter()
                .any(|d| d.len() != width || d.iter().any(|v| !v.is_finite()))
        {
            return invalid(format!(
                "draws must be non-empty rows of {width} finite numbers"
            ));
        }
        if art.marginals.len() != NX || art.marginals.iter().any(|m| m.values.is_empty()) {
            return invalid("one non-empty marginal per factor is required".into());
        }
        if art.importance.len() != NX {
            return invalid("importance must have one entry per factor".into());
        }
        Ok(Self::from_artifact(art))
    }

    /// Fail unless the model was fitted on exactly these cases (content hash), telling the user to
    /// run `casus fit`.
    pub fn check_current(&self, cases: &[casus_core::Case]) -> Result<(), ModelError> {
        let now = crate::cases::case_base_hash(cases);
        if now == self.art.case_base_hash {
            Ok(())
        } else {
            Err(ModelError::StaleArtifact {
                artifact: self.art.case_base_hash.clone(),
                case_base: now,
            })
        }
    }

    pub fn model_id(&self) -> ModelId {
        self.art.model.clone()
    }
    pub fn seed(&self) -> u64 {
        self.art.seed
    }
    pub fn spec(&self) -> &ModelSpec {
        &self.art.spec
    }
    pub fn case_base_hash(&self) -> &str {
        &self.art.case_base_hash
    }
    pub fn case_ids(&self) -> &[String] {
        &self.art.case_ids
    }
    pub fn diagnostics(&self) -> &Diagnostics {
        &self.art.diagnostics
    }
    pub fn map_estimate(&self) -> &MapEstimate {
        &self.art.map
    }
    pub fn marginals(&self) -> &[Marginal] {
        &self.art.marginals
    }
    /// Number of kept posterior draws.
    pub fn n_draws(&self) -> usize {
        self.art.draws.len()
    }
    /// Posterior means of the intercept and the feature coefficients.
    pub fn coefficient_means(&self) -> (f64, [f64; NF]) {
        (self.alpha_mean, self.beta_mean)
    }
    /// The reference situation for drivers: every factor at its middle anchor (0.5).
    pub fn reference(&self) -> [f64; NX] {
        self.reference
    }

    /// Per-factor weight for analogue similarity: mean over posterior draws and fitted cases of
    /// |∂ logit P(force) / ∂ factor|.
    pub fn importance(&self) -> [f64; NX] {
        let mut out = [0.0; NX];
        out.copy_from_slice(&self.art.importance);
        out
    }

    /// P(force within 365 days) for each kept posterior draw, all factors known.
    pub fn probability_draws(&self, x: &[f64; NX]) -> Vec<f64> {
        let f = features::features(x);
        self.eff
            .iter()
            .map(|d| logistic(d[0] + dot(&d[1..], &f)))
            .collect()
    }

    /// Posterior-mean P(force within 365 days), all factors known.
    pub fn probability(&self, x: &[f64; NX]) -> f64 {
        let f = features::features(x);
        let s: f64 = self
            .eff
            .iter()
            .map(|d| logistic(d[0] + dot(&d[1..], &f)))
            .sum();
        s / self.eff.len() as f64
    }

    /// Posterior mean and central interval at `level` (e.g. 0.9), all factors known, 365 days.
    pub fn probability_interval(&self, x: &[f64; NX], level: f64) -> (f64, [f64; 2]) {
        let mut p = self.probability_draws(x);
        let mean = p.iter().sum::<f64>() / p.len() as f64;
        (mean, central_interval(&mut p, level))
    }

    /// Assess a situation: posterior-mean probability of force within the horizon, a central 90%
    /// interval from parameter draws and from uncertain (uniform over the range) and unknown
    /// (the case base's empirical distribution) factors, and per-factor drivers.
    ///
    /// The model is fitted on 365-day outcomes; other horizons are converted per draw with
    /// [`convert_horizon`] (a constant hazard over the crisis). Driver contributions are in
    /// log-odds of the 365-day probability, relative to the reference situation (every factor at
    /// its middle anchor, 0.5), by integrated gradients with the posterior-mean coefficients; they add
    /// up to `logit(x) − logit(reference)` and, for uncertain or unknown factors, are averaged over
    /// the sampled values.
    pub fn assess(&self, s: &Situation, opts: &AssessOptions) -> Assessment {
        let horizon = opts.horizon_days.unwrap_or(s.horizon_days);
        let values: Vec<FactorValue> = Factor::ALL.iter().map(|f| *s.factors.get(*f)).collect();
        let all_known = values.iter().all(|v| v.point().is_some());
        let draws = self.context_draws(Context::of(s));
        let (_, beta_mean) = means(&draws);
        let d = draws.len();
        let n = if all_known { d } else { MC_SAMPLES.max(d) };
        let mut rng = SplitMix(opts.seed ^ 0x5EED_CA5E);
        let mut probs = Vec::with_capacity(n);
        let mut contrib = [0.0; NX];
        let mut n_contrib = 0usize;
        for j in 0..n {
            let mut x = [0.0; NX];
            for (i, v) in values.iter().enumerate() {
                x[i] = match v {
                    FactorValue::Known(l) => l.get(),
                    FactorValue::Range { low, high } => {
                        low.get() + rng.next() * (high.get() - low.get())
                    }
                    FactorValue::Unknown => self.sample_marginal(i, rng.next()),
                };
            }
            let draw = &draws[j % d];
            let p365 = logistic(features::eta(draw[0], &draw[1..], &x));
            probs.push(convert_horizon(p365, DEFAULT_HORIZON_DAYS, horizon));
            if !all_known || j == 0 {
                let c = features::contributions(&beta_mean, &x, &self.reference);
                for i in 0..NX {
                    contrib[i] += c[i];
                }
                n_contrib += 1;
            }
        }
        let probability = probs.iter().sum::<f64>() / n as f64;
        let interval = central_interval(&mut probs, 0.9);
        let mut drivers: Vec<Driver> = Factor::ALL
            .iter()
            .map(|f| {
                let c = contrib[f.index()] / n_contrib as f64;
                Driver {
                    factor: *f,
                    group: f.group(),
                    value: values[f.index()].midpoint(),
                    contribution: c,
                    role: if c >= 0.0 {
                        Role::Driver
                    } else {
                        Role::Restraint
                    },
                }
            })
            .collect();
        drivers.sort_by(|a, b| {
            b.contribution
                .abs()
                .total_cmp(&a.contribution.abs())
                .then(a.factor.cmp(&b.factor))
        });
        Assessment {
            situation_id: s.id.clone(),
            probability,
            interval,
            horizon_days: horizon,
            model: self.model_id(),
            drivers,
        }
    }

    /// Coding sensitivity of every factor ([`casus_core::sensitivity`]), each step assessed with the
    /// same seed so that the Monte Carlo error cancels.
    pub fn coding_sensitivity(&self, s: &Situation, opts: &AssessOptions) -> Vec<CodingStep> {
        casus_core::sensitivity::coding_steps(&s.factors, |v| {
            let mut t = s.clone();
            t.factors = *v;
            self.assess(&t, opts).probability
        })
    }

    /// The inverse CDF of the case base's distribution of factor number `factor` (an index into
    /// [`Factor::ALL`]) at `u` in [0, 1): how an unknown factor is drawn.
    pub fn sample_marginal(&self, factor: usize, u: f64) -> f64 {
        let m = &self.art.marginals[factor];
        let total: u32 = m.values.iter().map(|(_, n)| n).sum();
        let mut target = u * f64::from(total);
        for (v, n) in &m.values {
            target -= f64::from(*n);
            if target < 0.0 {
                return *v;
            }
        }
        m.values.last().map(|(v, _)| *v).unwrap_or(0.5)
    }
}

/// `(alpha, beta)` of a stored draw with the offsets of crisis type `t` and patron `p` (an index
/// into the fitted patrons) folded in; `None` leaves that effect out.
fn effective(d: &[f64], t: Option<usize>, p: Option<usize>) -> Vec<f64> {
    let mut e = d[..1 + NF].to_vec();
    if let Some(t) = t {
        e[0] += d[1 + NF + t];
        e[1 + SIGNALS] *= d[1 + NF + NT + t];
    }
    if let Some(p) = p {
        e[0] += d[FIXED_COLUMNS + p];
    }
    e
}

/// Posterior means of the intercept and the coefficients over `(alpha, beta)` draws.
fn means(eff: &[Vec<f64>]) -> (f64, [f64; NF]) {
    let n = eff.len().max(1) as f64;
    let alpha = eff.iter().map(|d| d[0]).sum::<f64>() / n;
    let mut beta = [0.0; NF];
    for d in eff {
        for k in 0..NF {
            beta[k] += d[1 + k] / n;
        }
    }
    (alpha, beta)
}

fn dot(a: &[f64], b: &[f64]) -> f64 {
    a.iter().zip(b).map(|(x, y)| x * y).sum()
}

/// Central interval at `level` by linear interpolation between order statistics (sorts `p`).
pub(crate) fn central_interval(p: &mut [f64], level: f64) -> [f64; 2] {
    p.sort_by(f64::total_cmp);
    let q = |prob: f64| {
        let h = (p.len() - 1) as f64 * prob;
        let lo = h.floor() as usize;
        let hi = h.ceil() as usize;
        p[lo] + (h - lo as f64) * (p[hi] - p[lo])
    };
    let tail = (1.0 - level) / 2.0;
    [q(tail), q(1.0 - tail)]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn central_interval_of_uniform_grid() {
        let mut p: Vec<f64> = (0..=100).map(|i| i as f64 / 100.0).collect();
        let [lo, hi] = central_interval(&mut p, 0.9);
        assert!((lo - 0.05).abs() < 1e-12 && (hi - 0.95).abs() < 1e-12);
    }
}
