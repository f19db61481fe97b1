//! The unfitted model: priors, sampler settings and a seed. Only [`ModelSpec::fit`] makes a model
//! that can predict.

use crate::ModelError;
use crate::cases::{self, Prepared};
use crate::features::{self, NF, NX};
use crate::fitted::{FittedModel, Marginal};
use crate::map::{self, MapEstimate};
use crate::posterior::{self, ContextEffects, Design, LogPosterior, NT, Priors, type_index};
use crate::sampler;
pub use crate::settings::{MODEL_ID, MODEL_VERSION, ModelSpec};
use casus_core::{Case, CrisisType, Factor};

/// Fewest cases a fit accepts.
pub const MIN_CASES: usize = 10;

/// A MAP fit: the mode on the unconstrained scale and the coefficients there.
#[derive(Debug, Clone, PartialEq)]
pub struct MapFit {
    pub estimate: MapEstimate,
    pub alpha: f64,
    pub beta: [f64; NF],
    pub mu: f64,
    pub tau: f64,
}

pub(crate) fn map_start(dim: usize) -> Vec<f64> {
    let mut t = vec![0.0; dim];
    t[posterior::LOG_MU] = (0.5f64).ln();
    t[posterior::LOG_TAU] = (0.5f64).ln();
    t
}

/// The patrons of the fitting rows, sorted: the order of their intercept offsets.
fn patrons_of(p: &Prepared) -> Vec<String> {
    let mut v = p.patrons.clone();
    v.sort();
    v.dedup();
    v
}

impl ModelSpec {
    fn posterior(&self, p: &Prepared) -> LogPosterior {
        let patrons = patrons_of(p);
        let t = p.meta.iter().map(|m| type_index(m.crisis_type)).collect();
        let pi = p
            .patrons
            .iter()
            .map(|x| patrons.binary_search(x).expect("a fitted patron"))
            .collect();
        let design = Design::weighted(&p.x, &p.y, &p.w).with_context(t, pi, patrons.len());
        LogPosterior::new(design, self.priors)
    }

    /// The posterior mode (used for the reference test and to start the chains).
    pub fn fit_map(&self, cases: &[Case]) -> Result<MapFit, ModelError> {
        let p = cases::prepare(cases, MIN_CASES)?;
        Ok(self.map_prepared(&p))
    }

    /// The posterior mode for raw factor values and outcomes (no case checks): for fixtures.
    /// Every row counts as the first crisis type, and there are no patrons.
    pub fn fit_map_xy(&self, x: &[[f64; NX]], y: &[bool]) -> MapFit {
        self.fit_map_xy_typed(x, y, &vec![CrisisType::ALL[0]; y.len()])
    }

    /// [`ModelSpec::fit_map_xy`] with each row's crisis type.
    pub fn fit_map_xy_typed(&self, x: &[[f64; NX]], y: &[bool], types: &[CrisisType]) -> MapFit {
        let t = types.iter().map(|&c| type_index(c)).collect();
        let design = Design::new(x, y).with_context(t, vec![0; y.len()], 0);
        let lp = LogPosterior::new(design, self.priors);
        to_map_fit(map::find_mode(&lp, &map_start(lp.dim())), &self.priors)
    }

    fn map_prepared(&self, p: &Prepared) -> MapFit {
        let lp = self.posterior(p);
        to_map_fit(map::find_mode(&lp, &map_start(lp.dim())), &self.priors)
    }

    /// Fit by NUTS. Rejects cases from 2020 on, incomplete cases, and non-365-day horizons.
    pub fn fit(&self, cases: &[Case]) -> Result<FittedModel, ModelError> {
        let p = cases::prepare(cases, MIN_CASES)?;
        let mut m = self.fit_prepared(&p)?;
        m.set_case_base(cases::case_base_hash(cases), p.crises.clone());
        Ok(m)
    }

    pub(crate) fn fit_prepared(&self, p: &Prepared) -> Result<FittedModel, ModelError> {
        let lp = self.posterior(p);
        let layout = lp.layout;
        let map = map::find_mode(&lp, &map_start(lp.dim()));
        let samples = sampler::sample(&lp, &self.nuts, &map.theta, self.seed)?;
        let priors = self.priors;
        let names = features::feature_names();
        let patrons = patrons_of(p);
        let mut quantities: Vec<sampler::Quantity> =
            vec![("alpha".into(), Box::new(|t: &[f64]| t[0]))];
        for (k, name) in names.iter().enumerate() {
            quantities.push((
                format!("beta[{name}]"),
                Box::new(move |t: &[f64]| posterior::unpack(t, &priors).1[k]),
            ));
        }
        quantities.push((
            "mu".into(),
            Box::new(|t: &[f64]| t[posterior::LOG_MU].exp()),
        ));
        quantities.push((
            "tau".into(),
            Box::new(|t: &[f64]| t[posterior::LOG_TAU].exp()),
        ));
        // The spreads of the context effects, and each crisis type's standardised effect.
        for (at, n, name) in [
            (layout.type_intercepts, NT, "type_offset"),
            (layout.type_signals, NT, "signals_multiplier"),
            (layout.patrons, layout.n_patrons, "patron_offset"),
        ] {
            let Some(at) = at else { continue };
            quantities.push((
                format!("sigma[{name}]"),
                Box::new(move |t: &[f64]| t[at + n].exp()),
            ));
            if n == NT {
                for (k, ty) in CrisisType::ALL.iter().enumerate() {
                    quantities.push((
                        format!("z[{name}][{}]", ty.name()),
                        Box::new(move |t: &[f64]| t[at + k]),
                    ));
                }
            }
        }
        let diagnostics = sampler::diagnose(&samples, &self.nuts, &quantities);

        // Thin evenly over the pooled chains (chain-major order).
        let pooled: Vec<&Vec<f64>> = samples.chains.iter().flatten().collect();
        let keep = self.keep_draws.clamp(1, pooled.len());
        let draws: Vec<Vec<f64>> = (0..keep)
            .map(|i| {
                let t = pooled[i * pooled.len() / keep];
                let (a, b, _, _) = posterior::unpack(t, &priors);
                let c = ContextEffects::of(t, &layout);
                std::iter::once(a)
                    .chain(b)
                    .chain(c.type_offset)
                    .chain(c.signal_multiplier)
                    .chain(c.patron_offset)
                    .collect()
            })
            .collect();
        let marginals = marginals(&p.x);
        let importance = importance(&draws, &p.x);
        let map_fit = to_map_fit(map, &self.priors);
        Ok(FittedModel::new(
            self.clone(),
            map_fit.estimate,
            diagnostics,
            patrons,
            draws,
            marginals,
            importance,
            p.y.iter().filter(|&&v| v).count(),
        ))
    }

    /// Posterior-mean probabilities of force for every row of `test` from a fit on `p` (all
    /// draws of all chains), each with its crisis type's effects and, if `p` has its patron, its
    /// patron's; with the intercept's split R-hat and the divergences: for held-out scoring.
    pub(crate) fn predict_held_out(
        &self,
        p: &Prepared,
        test: &Prepared,
    ) -> Result<(Vec<f64>, f64, u64), ModelError> {
        let lp = self.posterior(p);
        let layout = lp.layout;
        let map = map::find_mode(&lp, &map_start(lp.dim()));
        let samples = sampler::sample(&lp, &self.nuts, &map.theta, self.seed)?;
        let priors = self.priors;
        let patrons = patrons_of(p);
        let rows: Vec<(usize, Option<usize>)> = (0..test.len())
            .map(|i| {
                (
                    type_index(test.meta[i].crisis_type),
                    patrons.binary_search(&test.patrons[i]).ok(),
                )
            })
            .collect();
        let mut sums = vec![0.0; test.len()];
        let mut n = 0usize;
        for t in samples.chains.iter().flatten() {
            let (a, mut b, _, _) = posterior::unpack(t, &priors);
            let c = ContextEffects::of(t, &layout);
            let signals = b[posterior::SIGNALS];
            for ((s, x), &(ty, pa)) in sums.iter_mut().zip(&test.x).zip(&rows) {
                let offset = c.type_offset[ty] + pa.map_or(0.0, |j| c.patron_offset[j]);
                b[posterior::SIGNALS] = signals * c.signal_multiplier[ty];
                *s += posterior::logistic(features::eta(a + offset, &b, x));
            }
            n += 1;
        }
        let per_chain: Vec<Vec<f64>> = samples
            .chains
            .iter()
            .map(|c| c.iter().map(|t| t[0]).collect())
            .collect();
        let rhat = crate::diagnostics::split_rhat(&per_chain);
        Ok((
            sums.into_iter().map(|s| s / n as f64).collect(),
            rhat,
            samples.divergences,
        ))
    }
}

fn to_map_fit(estimate: MapEstimate, priors: &Priors) -> MapFit {
    let (alpha, beta, mu, tau) = posterior::unpack(&estimate.theta, priors);
    MapFit {
        estimate,
        alpha,
        beta,
        mu,
        tau,
    }
}

/// The empirical distribution of each factor over the fitted cases.
fn marginals(x: &[[f64; NX]]) -> Vec<Marginal> {
    Factor::ALL
        .iter()
        .map(|f| {
            let mut vals: Vec<f64> = x.iter().map(|r| r[f.index()]).collect();
            vals.sort_by(f64::total_cmp);
            let mut values: Vec<(f64, u32)> = Vec::new();
            for v in vals {
                match values.last_mut() {
                    Some((last, n)) if *last == v => *n += 1,
                    _ => values.push((v, 1)),
                }
            }
            let mean = x.iter().map(|r| r[f.index()]).sum::<f64>() / x.len() as f64;
            Marginal {
                factor: *f,
                mean,
                values,
            }
        })
        .collect()
}

/// Mean over draws and fitted cases of |∂ logit / ∂ factor|.
fn importance(draws: &[Vec<f64>], x: &[[f64; NX]]) -> [f64; NX] {
    let mut out = [0.0; NX];
    for d in draws {
        for xi in x {
            let g = features::eta_gradient(&d[1..], xi);
            for j in 0..NX {
                out[j] += g[j].abs();
            }
        }
    }
    let n = (draws.len() * x.len()) as f64;
    out.map(|v| v / n)
}
