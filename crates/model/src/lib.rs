//! Models of force for casus: an unfitted [`ModelSpec`] becomes a [`FittedModel`] with
//! [`ModelSpec::fit`]; only the fitted model predicts ([`FittedModel::assess`],
//! [`FittedModel::probability`]). Evaluation ([`eval`]) is kept apart from the model: metrics are
//! functions of forecasts and outcomes, and [`eval::evaluate`] runs exact held-out refits of the
//! model and its baselines: leave one crisis out, and forward chaining by decade.
//!
//! # The model
//!
//! A Bayesian logistic regression of force within 365 days on 21 features built from the theory's
//! eighteen factors (GUIDE.md, section 2; [`features`]): one main effect per factor, plus two *path*
//! terms and one restraint that give `ally_incumbent` its direction-dependent effect:
//!
//! * **propping up an ally**: `ally · mean(1 − in_control, repression_failed, security_defection, invitation)`;
//! * **a hostile capital with high stakes**: `(1 − ally · in_control) · mean(reorientation,
//!   rival_support, membership_prospect, strategic_assets)` — a hostile incumbent (Georgia 2008) or an
//!   allied incumbent swept away (Ukraine 2014) facing a push toward the rival bloc;
//! * **an ally in charge** ("the patron can afford to wait"): `ally · in_control`, expected negative.
//!
//! The fitting rows are decision points (snapshots): each crisis is coded at one to three dates, each
//! snapshot's outcome is force within 365 days of its date, and each weighs `1 / snapshots of its
//! crisis` so that every crisis counts once ([`cases`]).
//!
//! Priors hold the theory's signs ([`posterior`]): `beta_k = s_k · mu · exp(tau · z_k)` with `s_k` =
//! +1, +0.5 (weak) or −1, `z_k ~ Normal(0, 1)`, `mu ~ HalfNormal(1)` the common strength of the
//! theory's factors and `tau ~ HalfNormal(0.5)` how far (on the log scale) single factors may stray
//! from it; `ally_incumbent`, with no direction of its own, has `Normal(0, 1)`. The intercept
//! (log-odds in the midpoint situation) is `Normal(0, 2)`. 24 parameters in all, sampled by NUTS
//! (nuts-rs, target acceptance 0.95); R-hat, ESS and divergences are stored with the fit.
//!
//! **Why this prior.** The theory gives nearly every factor an expected direction; what it does not
//! say is how strong each one is. A horseshoe or a plain `Normal(0, tau)` shrinks toward zero and
//! throws that direction away (the "unsigned" baseline in [`eval`] is exactly that, and scores
//! worse forward in time); with about a hundred crises and 21 correlated features most coefficients
//! would be decided by noise. Holding the sign and sharing `mu` and `tau` lets the data say how
//! strong the factors are without letting one of them flip and read backwards in an explanation.
//! The soft form `s_k · mu + tau · z_k` (the model's first version) remains available
//! (`Priors::hard_signs = false`); the choice between them was made on forward-chaining scores only
//! (`examples/variants.rs`, README "What we tried").
//!
//! # Predictions
//!
//! [`FittedModel::assess`] averages over the kept posterior draws and, where a factor is given as a
//! range or left unknown, over uniform draws from the range and over the case base's empirical
//! distribution of that factor (stored in the artifact): an unknown factor is never taken as 0.
//! Horizons other than 365 days are converted per draw at a constant hazard
//! ([`casus_core::convert_horizon`]). Drivers are per-factor contributions in log-odds relative to
//! the *midpoint situation*, every factor at its middle anchor (0.5), computed by integrated
//! gradients so they add up exactly to the difference in log-odds.
//!
//! # Artifact
//!
//! [`FittedModel::to_json`] writes `data/model/casus-model.json`: format version, model id and
//! version, seed, the SHA-256 content hash of the fitted cases ([`case_base_hash`]), 1,000 thinned
//! draws, sampler diagnostics, the MAP, factor marginals and importances. The same cases and seed
//! give the same bytes; [`FittedModel::check_current`] fails when the case base has changed.
//!
//! # Example
//!
//! ```no_run
//! use casus_model::{AssessOptions, FittedModel, ModelSpec};
//! # fn cases() -> Vec<casus_core::Case> { vec![] }
//! # fn situation() -> casus_core::Situation { unimplemented!() }
//! let model: FittedModel = ModelSpec::default().fit(&cases())?;
//! let a = model.assess(&situation(), &AssessOptions { horizon_days: Some(90), seed: 1 });
//! println!("{:.0}% [{:.0}–{:.0}%]", 100.0 * a.probability, 100.0 * a.interval[0], 100.0 * a.interval[1]);
//! let json = model.to_json(); // the versioned artifact, data/model/casus-model.json
//! # Ok::<(), casus_model::ModelError>(())
//! ```

mod cases;
pub mod diagnostics;
mod error;
pub mod eval;
pub mod features;
mod fitted;
mod json;
pub mod map;
pub mod posterior;
mod sampler;
mod settings;
mod spec;

pub use cases::{case_base_hash, temporal_split};
pub use diagnostics::Diagnostics;
pub use error::ModelError;
pub use eval::{Evaluation, Scores, evaluate};
pub use fitted::{
    ASSESS_SEED, AssessOptions, Context, FORMAT_VERSION, FittedModel, MC_SAMPLES, Marginal,
};
pub use posterior::Priors;
pub use sampler::NutsOptions;
pub use spec::{MIN_CASES, MODEL_ID, MODEL_VERSION, MapFit, ModelSpec};
