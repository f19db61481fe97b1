//! What a model is before it is fitted: its id and version, and the [`ModelSpec`] (priors, sampler
//! settings, seed). The fitted model keeps its spec, and `spec` fits one, so this sits below both.

use crate::posterior::Priors;
use crate::sampler::NutsOptions;
use serde::{Deserialize, Serialize};

/// The model's id in artifacts and assessments.
pub const MODEL_ID: &str = "casus-signed-logit";
/// Bumped whenever the features or priors change meaning.
pub const MODEL_VERSION: &str = "3";

/// A model specification: the theory-signed Bayesian logistic model with its priors, NUTS settings
/// and seed.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ModelSpec {
    pub priors: Priors,
    pub nuts: NutsOptions,
    pub seed: u64,
    /// Posterior draws kept in the fitted model (evenly thinned from all chains).
    pub keep_draws: usize,
}

impl Default for ModelSpec {
    fn default() -> Self {
        ModelSpec {
            priors: Priors::default(),
            nuts: NutsOptions::default(),
            seed: 20_200_825,
            keep_draws: 1000,
        }
    }
}
