//! The fitted model shipped with casus, and situation loading shared by the commands.

use anyhow::{Context, bail};
use casus_core::Situation;
use casus_model::FittedModel;
use std::path::Path;

/// The built-in fitted model (`data/model/casus-model.json`, embedded at build time).
pub fn builtin() -> anyhow::Result<FittedModel> {
    let Some(json) = casus_data::builtin::model_json() else {
        bail!(
            "this build has no fitted model: run `casus fit` to create data/model/casus-model.json, then rebuild"
        );
    };
    FittedModel::from_json(json)
        .context("the built-in model (data/model/casus-model.json) cannot be read")
}

/// The situation in FILE, or the built-in default (Belarus, 25 August 2020) when none is given.
pub fn situation(file: Option<&Path>) -> anyhow::Result<Situation> {
    match file {
        Some(p) => Ok(casus_data::load_situation(p)?),
        None => casus_data::builtin::default_situation()
            .context("the built-in default situation is invalid"),
    }
}
