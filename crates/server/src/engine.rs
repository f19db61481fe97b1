//! The model the server answers with: the fitted model built into casus (`casus-model`), the move
//! catalogue (`casus-explain`), and the settings that make the API agree with the CLI.

use casus_core::{Assessment, Case, ModelId, Situation};
use casus_explain::{Catalogue, ExplainOptions, Explanation, Move, RiskModel, scenarios};
use casus_model::{AssessOptions, FittedModel};

/// The seed of `POST /assess`: `casus assess --json`'s default, so both print the same numbers.
pub use casus_model::ASSESS_SEED;

/// Why the built-in engine cannot be had.
#[derive(Debug, thiserror::Error)]
pub enum EngineError {
    #[error(
        "this build has no fitted model: run `casus fit` to create data/model/casus-model.json, then rebuild"
    )]
    NoModel,
    #[error("the built-in model (data/model/casus-model.json) cannot be read")]
    Model {
        #[source]
        source: casus_model::ModelError,
    },
    #[error("this build has no move catalogue (data/moves.toml)")]
    NoMoves,
    #[error("the built-in move catalogue cannot be read")]
    Moves {
        #[source]
        source: casus_explain::ExplainError,
    },
}

/// The fitted model and the move catalogue.
#[derive(Debug, Clone)]
pub struct Engine {
    pub model: FittedModel,
    pub moves: Catalogue,
}

impl Engine {
    pub fn new(model: FittedModel, moves: Catalogue) -> Engine {
        Engine { model, moves }
    }

    /// The fitted model and move catalogue embedded in this build (what the CLI uses).
    pub fn builtin() -> Result<Engine, EngineError> {
        let json = casus_data::builtin::model_json().ok_or(EngineError::NoModel)?;
        let model = FittedModel::from_json(json).map_err(|source| EngineError::Model { source })?;
        let src = casus_data::builtin::moves_toml().ok_or(EngineError::NoMoves)?;
        let moves = Catalogue::parse(std::path::Path::new("data/moves.toml"), src)
            .map_err(|source| EngineError::Moves { source })?;
        Ok(Engine { model, moves })
    }

    /// Which model answers.
    pub fn model_id(&self) -> ModelId {
        self.model.model_id()
    }

    /// Exactly what `casus assess --json` prints for `s` (its horizon, seed [`ASSESS_SEED`]).
    pub fn assess(&self, s: &Situation) -> Assessment {
        self.model.assess(
            s,
            &AssessOptions {
                horizon_days: None,
                seed: ASSESS_SEED,
            },
        )
    }

    /// The explanation of `s` in the article's terms (casus-explain).
    pub fn explain(&self, s: &Situation, cases: &[Case]) -> Explanation {
        casus_explain::explain(
            &self.model.for_situation(s),
            s,
            cases,
            &self.moves,
            ExplainOptions::default(),
        )
    }

    /// `s` after `moves` beside its baseline (casus-explain's [`scenarios::scenario`]).
    pub fn scenario(&self, s: &Situation, moves: &[&Move]) -> scenarios::Scenario {
        scenarios::scenario(&self.model.for_situation(s), s, moves)
    }

    /// Probability and interval of factor values (the same integration as scenarios).
    pub fn estimate(&self, s: &Situation) -> casus_explain::Estimate {
        self.model
            .for_situation(s)
            .estimate(&s.factors, s.horizon_days)
    }
}
