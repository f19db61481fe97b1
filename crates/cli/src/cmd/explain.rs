//! `casus explain [FILE] [--json]`: the assessment explained in the article's terms.
//!
//! Also holds the inputs `casus scenarios` and `casus report` share: the situation, the fitted
//! model, the case base and the move catalogue.

use crate::output::{BadInput, print_json};
use anyhow::Context;
use casus_core::{Case, Situation};
use casus_explain::{Catalogue, ExplainError, ExplainOptions};
use casus_model::FittedModel;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

#[derive(clap::Args)]
pub struct Args {
    #[command(flatten)]
    pub inputs: Inputs,
    /// Number of nearest historical cases to show.
    #[arg(long, default_value_t = casus_explain::analogues::DEFAULT_K)]
    k: usize,
    /// Print JSON (probability, interests, path, restraints, analogues, signposts, options, ...).
    #[arg(long)]
    json: bool,
}

/// The inputs of explain, scenarios and report.
#[derive(clap::Args)]
pub struct Inputs {
    /// A situation file (TOML) [default: the built-in Belarus, late August 2020].
    pub situation: Option<PathBuf>,
    /// A fitted model artifact (JSON) [default: the built-in data/model/casus-model.json].
    #[arg(long)]
    pub model: Option<PathBuf>,
    /// A move file (TOML, the shape of data/moves.toml) whose moves are added to the built-in
    /// catalogue; a move with a built-in id replaces it [default: built-in moves only].
    #[arg(long)]
    pub moves: Option<PathBuf>,
}

/// Loaded inputs.
pub struct Loaded {
    pub situation: Situation,
    pub model: FittedModel,
    pub cases: Vec<Case>,
    pub moves: Catalogue,
}

fn bad(e: ExplainError) -> anyhow::Error {
    BadInput(e.to_string()).into()
}

impl Inputs {
    pub fn load(&self) -> anyhow::Result<Loaded> {
        let situation = match &self.situation {
            Some(p) => casus_data::load_situation(p)?,
            None => casus_data::builtin::default_situation()
                .context("the built-in default situation is invalid")?,
        };
        let model = match &self.model {
            Some(p) => {
                let text = std::fs::read_to_string(p)
                    .with_context(|| format!("{}: cannot read", p.display()))?;
                casus_explain::fitted::load(&text)
                    .map_err(|e| BadInput(format!("{}: {e}", p.display())))?
            }
            None => {
                let text = casus_data::builtin::model_json().ok_or_else(|| {
                    anyhow::anyhow!("no fitted model is built in (data/model/casus-model.json); run `casus fit` or pass --model FILE")
                })?;
                casus_explain::fitted::load(text)
                    .context("the built-in model artifact is invalid")?
            }
        };
        let cases = casus_data::builtin::cases().context("the built-in case base is invalid")?;
        if let Err(e) = model.check_current(&cases) {
            eprintln!("casus: warning: {e}");
        }
        let mut moves = match casus_data::builtin::moves_toml() {
            Some(text) => Catalogue::parse(Path::new("data/moves.toml"), text)
                .context("the built-in move catalogue is invalid")?,
            None => Catalogue::default(),
        };
        if let Some(p) = &self.moves {
            moves.extend(Catalogue::load(p).map_err(bad)?);
        }
        // The explanation's fast paths (scenarios, signposts, options) ask the model about factor
        // values alone; the crisis type and patron of the situation come in here, once.
        let model = model.for_situation(&situation);
        Ok(Loaded {
            situation,
            model,
            cases,
            moves,
        })
    }
}

impl Loaded {
    /// The explanation of the loaded situation, as `casus explain` and `casus report` give it.
    pub fn explain(&self, opts: ExplainOptions) -> casus_explain::Explanation {
        casus_explain::explain(&self.model, &self.situation, &self.cases, &self.moves, opts)
    }
}

pub fn run(args: Args) -> anyhow::Result<ExitCode> {
    let l = args.inputs.load()?;
    let x = l.explain(ExplainOptions { k: args.k });
    if args.json {
        print_json(&x)?;
    } else {
        print!("{}", casus_explain::text::render(&x));
    }
    Ok(ExitCode::SUCCESS)
}

/// Map explain errors about user input to exit code 2.
pub fn user_error(e: ExplainError) -> anyhow::Error {
    bad(e)
}
