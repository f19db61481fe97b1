//! NUTS by nuts-rs (diagonal mass matrix, Stan-like warm-up), one seeded ChaCha8 stream per chain.
//!
//! Chains run in parallel on rayon's pool and are collected in chain order, so the draws depend only
//! on the data, the settings and the seed.

use crate::ModelError;
use crate::diagnostics::{self, Diagnostics, ParameterDiagnostics};
use crate::posterior::LogPosterior;
use nuts_rs::{
    Chain, CpuLogpFunc, CpuMath, CpuMathError, DiagNutsSettings, HasDims, LogpError, Settings,
};
use rand::SeedableRng;
use rand::rngs::ChaCha8Rng;
use rayon::prelude::*;
use serde::{Deserialize, Serialize};
use std::collections::HashMap;

/// NUTS settings.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct NutsOptions {
    pub chains: usize,
    /// Warm-up draws per chain (step size and mass matrix adaptation), discarded.
    pub tune: u64,
    /// Kept draws per chain.
    pub draws: u64,
    pub max_depth: u64,
    /// Step-size adaptation's target acceptance rate: higher takes smaller steps, which the
    /// log-normal coefficients of the hard-sign prior need to avoid divergent transitions.
    #[serde(default = "default_target_accept")]
    pub target_accept: f64,
}

fn default_target_accept() -> f64 {
    0.8
}

impl Default for NutsOptions {
    fn default() -> Self {
        NutsOptions {
            chains: 4,
            tune: 1000,
            draws: 1000,
            max_depth: 10,
            target_accept: 0.95,
        }
    }
}

#[derive(Debug, thiserror::Error)]
#[error("the log density is not finite")]
struct NonFinite;

impl LogpError for NonFinite {
    fn is_recoverable(&self) -> bool {
        true
    }
}

#[derive(Debug)]
struct Density(LogPosterior);

impl HasDims for Density {
    fn dim_sizes(&self) -> HashMap<String, u64> {
        HashMap::from([("unconstrained_parameter".to_string(), self.0.dim() as u64)])
    }
}

impl CpuLogpFunc for Density {
    type LogpError = NonFinite;
    type FlowParameters = ();
    type ExpandedVector = Vec<f64>;

    fn dim(&self) -> usize {
        self.0.dim()
    }

    fn logp(&mut self, position: &[f64], gradient: &mut [f64]) -> Result<f64, NonFinite> {
        let v = self.0.logp_grad(position, gradient);
        if v.is_finite() && gradient.iter().all(|g| g.is_finite()) {
            Ok(v)
        } else {
            Err(NonFinite)
        }
    }

    fn expand_vector<R>(&mut self, _rng: &mut R, array: &[f64]) -> Result<Vec<f64>, CpuMathError>
    where
        R: rand::Rng + ?Sized,
    {
        Ok(array.to_vec())
    }
}

/// Post-warm-up draws of `theta`, per chain, and the sampler's statistics.
#[derive(Debug, Clone)]
pub struct Samples {
    /// `chains[c][i]` is draw `i` of chain `c`.
    pub chains: Vec<Vec<Vec<f64>>>,
    pub divergences: u64,
    pub leapfrog_steps: u64,
    pub step_sizes: Vec<f64>,
}

struct ChainOut {
    draws: Vec<Vec<f64>>,
    divergences: u64,
    steps: u64,
    step_size: f64,
}

/// Simple deterministic mixing of a seed and a stream number (SplitMix64 finaliser).
pub(crate) fn mix(seed: u64, stream: u64) -> u64 {
    let mut z = seed
        ^ stream
            .wrapping_mul(0x9E37_79B9_7F4A_7C15)
            .wrapping_add(0x632B_E59B_D9B4_E019);
    z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    z ^ (z >> 31)
}

fn run_chain(
    lp: &LogPosterior,
    opts: &NutsOptions,
    init: &[f64],
    seed: u64,
    chain: usize,
) -> Result<ChainOut, ModelError> {
    let err = |e: anyhow_like::E| ModelError::Sampler {
        chain,
        message: e.0,
    };
    let mut settings = DiagNutsSettings {
        num_tune: opts.tune,
        num_draws: opts.draws,
        maxdepth: opts.max_depth,
        num_chains: opts.chains,
        seed,
        ..DiagNutsSettings::default()
    };
    settings.adapt_options.step_size_settings.target_accept = opts.target_accept;
    let mut rng = ChaCha8Rng::seed_from_u64(mix(seed, chain as u64));
    // Start near the mode, jittered per chain so that R-hat can see poor mixing.
    let start: Vec<f64> = init
        .iter()
        .enumerate()
        .map(|(i, v)| {
            v + 0.3 * (uniform(mix(seed, (chain * lp.dim() + i) as u64 + 1_000_003)) - 0.5)
        })
        .collect();
    let math = CpuMath::new(Density(lp.clone()));
    let mut sampler = settings
        .new_chain(chain as u64, math, &mut rng)
        .map_err(|e| err(e.into()))?;
    sampler.set_position(&start).map_err(|e| err(e.into()))?;
    let mut out = ChainOut {
        draws: Vec::with_capacity(opts.draws as usize),
        divergences: 0,
        steps: 0,
        step_size: 0.0,
    };
    for _ in 0..opts.tune + opts.draws {
        let (draw, info) = sampler.draw().map_err(|e| err(e.into()))?;
        if info.tuning {
            continue;
        }
        out.divergences += u64::from(info.diverging);
        out.steps += info.num_steps;
        out.step_size = info.step_size;
        out.draws.push(draw.to_vec());
    }
    Ok(out)
}

/// A uniform number in [0, 1) from a 64-bit hash.
pub(crate) fn uniform(h: u64) -> f64 {
    ((h >> 11) as f64) / ((1u64 << 53) as f64)
}

mod anyhow_like {
    /// nuts-rs reports errors as `anyhow::Error`; we keep their text.
    pub struct E(pub String);
    impl<T: std::fmt::Display> From<T> for E {
        fn from(e: T) -> E {
            E(format!("{e:#}"))
        }
    }
}

/// Run `opts.chains` chains from `init`.
pub fn sample(
    lp: &LogPosterior,
    opts: &NutsOptions,
    init: &[f64],
    seed: u64,
) -> Result<Samples, ModelError> {
    if opts.chains == 0 || opts.draws < 4 || opts.max_depth == 0 {
        return Err(ModelError::InvalidSpec {
            what: format!(
                "need at least 1 chain, 4 draws per chain and a tree depth of 1 \
                 (got {} chains, {} draws, depth {})",
                opts.chains, opts.draws, opts.max_depth
            ),
        });
    }
    let outs: Vec<ChainOut> = (0..opts.chains)
        .into_par_iter()
        .map(|c| run_chain(lp, opts, init, seed, c))
        .collect::<Result<_, _>>()?;
    Ok(Samples {
        divergences: outs.iter().map(|o| o.divergences).sum(),
        leapfrog_steps: outs.iter().map(|o| o.steps).sum(),
        step_sizes: outs.iter().map(|o| o.step_size).collect(),
        chains: outs.into_iter().map(|o| o.draws).collect(),
    })
}

/// A named scalar function of one draw of `theta`.
pub type Quantity<'a> = (String, Box<dyn Fn(&[f64]) -> f64 + 'a>);

/// Diagnostics for named scalar quantities computed from each draw.
pub fn diagnose(samples: &Samples, opts: &NutsOptions, quantities: &[Quantity<'_>]) -> Diagnostics {
    let mut parameters = Vec::with_capacity(quantities.len());
    for (name, q) in quantities {
        let per_chain: Vec<Vec<f64>> = samples
            .chains
            .iter()
            .map(|c| c.iter().map(|d| q(d)).collect())
            .collect();
        let all: Vec<f64> = per_chain.iter().flatten().copied().collect();
        let m = all.iter().sum::<f64>() / all.len() as f64;
        let sd =
            (all.iter().map(|v| (v - m).powi(2)).sum::<f64>() / (all.len() as f64 - 1.0)).sqrt();
        parameters.push(ParameterDiagnostics {
            name: name.clone(),
            mean: m,
            sd,
            rhat: diagnostics::split_rhat(&per_chain),
            ess: diagnostics::ess(&per_chain),
        });
    }
    let n_draws: u64 = samples.chains.iter().map(|c| c.len() as u64).sum();
    Diagnostics {
        chains: opts.chains,
        tune: opts.tune,
        draws_per_chain: opts.draws,
        divergences: samples.divergences,
        max_rhat: parameters
            .iter()
            .map(|p| p.rhat)
            .fold(f64::NEG_INFINITY, f64::max),
        min_ess: parameters
            .iter()
            .map(|p| p.ess)
            .fold(f64::INFINITY, f64::min),
        mean_leapfrog_steps: samples.leapfrog_steps as f64 / n_draws.max(1) as f64,
        step_sizes: samples.step_sizes.clone(),
        parameters,
    }
}
