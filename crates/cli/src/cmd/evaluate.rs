//! `casus evaluate [--json]`: leave-one-out scores of the model against the baselines.

use anyhow::Context;
use casus_model::{Evaluation, ModelSpec, eval::metrics::CalibrationBin};
use std::path::PathBuf;
use std::process::ExitCode;

#[derive(clap::Args)]
pub struct Args {
    /// Folder of case files to evaluate on (default: the built-in case base).
    #[arg(long)]
    cases: Option<PathBuf>,
    /// Seed of the sampler; each fold mixes in its own index.
    #[arg(long, default_value_t = ModelSpec::default().seed)]
    seed: u64,
    /// Print the evaluation as JSON: n_cases, model and baseline scores, calibration, per-case
    /// leave-one-out predictions and notes.
    #[arg(long)]
    json: bool,
}

fn calibration_rows(name: &str, bins: &[CalibrationBin]) {
    for b in bins {
        let f = |v: Option<f64>| v.map_or("   -".to_string(), |v| format!("{:4.0}%", 100.0 * v));
        println!(
            "  {:<24} {:>3.0}-{:<3.0}%  {:>3}  {:>6}  {:>6}",
            name,
            100.0 * b.lower,
            100.0 * b.upper,
            b.n,
            f(b.mean_predicted),
            f(b.observed_rate)
        );
    }
}

fn print_human(e: &Evaluation) {
    println!(
        "Leave-one-out over {} crises ({} with force): every forecast below comes from a fit that never saw the case.\n",
        e.n_cases, e.n_force
    );
    println!(
        "  {:<24} {:>7} {:>9} {:>6}",
        "forecaster", "Brier", "log loss", "AUC"
    );
    println!(
        "  {:<24} {:>7.3} {:>9.3} {:>6.3}",
        "model", e.model.brier, e.model.log_loss, e.model.auc
    );
    for name in casus_model::eval::BASELINES {
        if let Some(s) = e.baselines.get(name) {
            println!(
                "  {:<24} {:>7.3} {:>9.3} {:>6.3}",
                name, s.brier, s.log_loss, s.auc
            );
        }
    }
    if let Some(base) = e.baselines.get("base_rate") {
        println!(
            "\nThe model's Brier score is {:.0}% of the base rate's; lower is better for Brier and log loss, higher for AUC.",
            100.0 * e.model.brier / base.brier
        );
    }
    println!("\nCalibration (forecast bin, cases, mean forecast, observed share with force):");
    for name in std::iter::once("model").chain(casus_model::eval::BASELINES) {
        if let Some(bins) = e.calibration.get(name) {
            calibration_rows(name, bins);
        }
    }
    let n = &e.notes;
    println!(
        "\nNotes: {}. The unregularised logistic showed separation in {} of {} folds (its MLE does not exist; \
         it stopped at the iteration cap). Model folds: max R-hat {:.3}, {} divergences.",
        n.method,
        n.unregularised_logistic_separated_folds,
        e.n_cases,
        n.model_max_rhat,
        n.model_divergences
    );
    println!(
        "The leave-one-out base rate ranks cases backwards by construction (leaving out a force case \
         lowers the rate), so its AUC is 0; it is there for its Brier score and log loss."
    );
}

pub fn run(args: Args) -> anyhow::Result<ExitCode> {
    let cases = match &args.cases {
        Some(dir) => casus_data::load_cases_dir(dir)?,
        None => casus_data::builtin::cases().context("the built-in case base is invalid")?,
    };
    let spec = ModelSpec {
        seed: args.seed,
        ..ModelSpec::default()
    };
    let e = casus_model::evaluate(&cases, &spec).context("leave-one-out evaluation")?;
    if args.json {
        crate::output::print_json(&e)?;
    } else {
        print_human(&e);
    }
    Ok(ExitCode::SUCCESS)
}
