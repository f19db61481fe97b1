//! The crate's one error type.

use casus_core::{Factor, NaiveDate};

/// Everything that can go wrong when fitting, evaluating or loading a model.
#[derive(Debug, thiserror::Error)]
pub enum ModelError {
    /// A case began on or after the temporal split and may not be fitted on (docs/theory.md).
    #[error(
        "case {id} began on {crisis_start}, on or after the temporal split ({split}); \
         crises from 2020 on are out of sample and may not be fitted or evaluated on"
    )]
    OutOfSample {
        id: String,
        crisis_start: NaiveDate,
        split: NaiveDate,
    },
    /// A crisis began before the temporal split, so the model may have been fitted on it: it
    /// cannot be part of the out-of-sample test set.
    #[error(
        "case {id} began on {crisis_start}, before the temporal split ({split}); the out-of-sample \
         test set holds only crises from {split} on, which no model was fitted or tuned on"
    )]
    InSample {
        id: String,
        crisis_start: NaiveDate,
        split: NaiveDate,
    },
    /// A case lacks a point value for a factor.
    #[error(
        "case {id} has no point value for `{factor}`; every factor of a fitted case must be coded"
    )]
    MissingFactor { id: String, factor: Factor },
    /// A case's outcome is coded over another horizon than the model's 365 days.
    #[error("case {id} has horizon_days = {horizon_days}; the model is fitted on 365-day outcomes")]
    UnsupportedHorizon { id: String, horizon_days: u32 },
    /// Two cases share an id.
    #[error("case id {id} appears twice")]
    DuplicateCase { id: String },
    /// Too few cases to fit or evaluate.
    #[error("{n} cases given; at least {min} are needed")]
    TooFewCases { n: usize, min: usize },
    /// Sampler settings that cannot give a posterior sample.
    #[error("invalid sampler settings: {what}")]
    InvalidSpec { what: String },
    /// The NUTS sampler failed.
    #[error("the NUTS sampler failed in chain {chain}: {message}")]
    Sampler { chain: usize, message: String },
    /// The artifact is not valid JSON of the expected shape.
    #[error("cannot read the model artifact: {source}")]
    ArtifactJson {
        #[source]
        source: serde_json::Error,
    },
    /// The artifact was written by another format version.
    #[error(
        "model artifact has format version {found}; this build reads version {expected} (run `casus fit`)"
    )]
    ArtifactVersion { found: u32, expected: u32 },
    /// The artifact was fitted on another version of the case base.
    #[error(
        "the model artifact is stale: it was fitted on case base {artifact}, but the case base is now \
         {case_base}; run `casus fit` to refit and rewrite data/model/casus-model.json"
    )]
    StaleArtifact { artifact: String, case_base: String },
    /// The artifact is well-formed JSON but inconsistent.
    #[error("model artifact is inconsistent: {what}")]
    ArtifactInvalid { what: String },
}
