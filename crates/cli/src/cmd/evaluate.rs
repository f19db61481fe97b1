//! `casus evaluate [--json]`: held-out scores of the model against the baselines: leave one crisis
//! out, forward chaining by decade, slices by lead time and crisis type, false alarms and coding
//! sensitivity.

use anyhow::Context;
use casus_core::metrics::CalibrationBin;
use casus_core::{CrisisType, LeadTime};
use casus_model::eval::holdout::{HoldoutEvaluation, evaluate_holdout};
use casus_model::eval::{ForwardChaining, SliceScores, Slices};
use casus_model::{Evaluation, ModelSpec, Scores};
use std::collections::BTreeMap;
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
    /// Also save the evaluation, with the model version and case-base hash it belongs to, for
    /// reports and the dashboard (the built-in one is data/model/casus-evaluation.json).
    #[arg(long, value_name = "PATH")]
    write: Option<PathBuf>,
    /// Instead, score the shipped model (no refits) on the out-of-sample crises in DIR: case files
    /// of crises that began in 2020 or later, which no model was fitted or tuned on
    /// (data/holdout).
    #[arg(long, value_name = "DIR", conflicts_with_all = ["cases", "write"])]
    holdout: Option<PathBuf>,
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

/// The model's and every baseline's scores, one row each, under a header naming the first column.
fn score_table(first: &str, model: &Scores, baselines: &BTreeMap<String, Scores>) {
    println!(
        "  {first:<24} {:>7} {:>9} {:>6}",
        "Brier", "log loss", "AUC"
    );
    let row = |name: &str, s: &Scores| {
        let auc = Some(s.auc)
            .filter(|v| v.is_finite())
            .map_or("     -".to_string(), |v| format!("{v:>6.3}"));
        println!("  {name:<24} {:>7.3} {:>9.3} {auc}", s.brier, s.log_loss);
    };
    row("model", model);
    for name in casus_model::eval::BASELINES {
        if let Some(s) = baselines.get(name) {
            row(name, s);
        }
    }
}

fn slice_rows(s: &Slices) {
    println!(
        "  {:<34} {:>5} {:>5} {:>7} {:>6}",
        "slice", "n", "force", "Brier", "AUC"
    );
    let row = |name: &str, v: &SliceScores| {
        let auc = v.auc.map_or("     -".to_string(), |a| format!("{a:>6.3}"));
        println!(
            "  {name:<44} {:>5} {:>5} {:>7.3} {auc}",
            v.n, v.n_force, v.brier
        );
    };
    for l in LeadTime::ALL {
        if let Some(v) = s.by_lead_time.get(l.name()) {
            row(&format!("force {} vs no force", l.label()), v);
        }
    }
    if let Some(v) = &s.early_warning {
        row("force > 30 days ahead vs no force", v);
    }
    for t in CrisisType::ALL {
        if let Some(v) = s.by_crisis_type.get(t.name()) {
            row(t.label(), v);
        }
    }
    let f = &s.false_alarms;
    println!(
        "  false alarms: {} of {} build-ups or threats without force got P >= 50%{}",
        f.alarms,
        f.n,
        f.rate
            .map_or(String::new(), |r| format!(" ({:.0}%)", 100.0 * r))
    );
    if !f.alarmed.is_empty() {
        println!("    {}", f.alarmed.join(", "));
    }
}

fn print_forward(fc: &ForwardChaining) {
    println!(
        "\nForward chaining (fit on crises that began before a decade, score the decade's snapshots):\n"
    );
    score_table(
        "forecaster (pooled)",
        &fc.pooled_model,
        &fc.pooled_baselines,
    );
    if let Some(base) = fc.pooled_baselines.get("base_rate") {
        println!(
            "  The model's pooled out-of-time Brier score is {:.2} x the base rate's.",
            fc.pooled_model.brier / base.brier
        );
    }
    println!();
    for b in &fc.blocks {
        let m = b.model.as_ref();
        println!(
            "  {}-{}: fitted on {} earlier crises, {} snapshots scored ({} force): model Brier {}, base rate {}",
            b.scored_from,
            b.scored_to - 1,
            b.n_fitted_crises,
            b.n_scored,
            b.n_force,
            m.map_or("-".into(), |s| format!("{:.3}", s.brier)),
            b.baselines
                .get("base_rate")
                .map_or("-".into(), |s| format!("{:.3}", s.brier)),
        );
    }
    println!();
    slice_rows(&fc.pooled_slices);
}

fn print_human(e: &Evaluation) {
    println!(
        "Leave one crisis out over {} crises, {} decision points ({} with force within 365 days): \
         every forecast below comes from a fit that never saw any date of its crisis.\n",
        e.n_crises, e.n_cases, e.n_force
    );
    score_table("forecaster", &e.model, &e.baselines);
    if let Some(base) = e.baselines.get("base_rate") {
        println!(
            "\nThe model's Brier score is {:.0}% of the base rate's; lower is better for Brier and log loss, higher for AUC.\n",
            100.0 * e.model.brier / base.brier
        );
    }
    slice_rows(&e.slices);
    if let Some(fc) = &e.forward_chaining {
        print_forward(fc);
    }
    let cs = &e.coding_sensitivity;
    println!(
        "\nCoding sensitivity (one step of 0.25 on one factor, over every snapshot): median move {:.2}x; \
         the most sensitive factor is {} (median {:.2}x); largest single move {:.1}x.",
        cs.median_ratio, cs.worst_factor, cs.worst_factor_median_ratio, cs.max_ratio
    );
    println!(
        "\nCalibration, leave one crisis out (forecast bin, snapshots, mean forecast, observed share with force):"
    );
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
        e.n_crises,
        n.model_max_rhat,
        n.model_divergences
    );
    println!(
        "The held-out base rate ranks crises backwards by construction (leaving out a force crisis \
         lowers the rate), so its AUC is near 0; it is there for its Brier score and log loss."
    );
}

fn print_holdout(h: &HoldoutEvaluation) {
    println!(
        "Out of sample: {} crises that began in 2020 or later, {} decision points ({} with force \
         within 365 days). No model was fitted or tuned on them; each forecast is the shipped \
         model's, as `casus assess` gives it.\n",
        h.n_crises, h.n_snapshots, h.n_force
    );
    println!(
        "  {:<28} {:>10}  {:>5}  {:<20}  {:>11}  outcome",
        "decision point", "as of", "P", "in words", "90% interval"
    );
    for r in &h.predictions {
        let outcome = match (r.force, r.days_to_force) {
            (true, Some(d)) => format!("force {d} days later"),
            (true, None) => "force".to_string(),
            (false, Some(d)) if d < 0 => "after force began".to_string(),
            (false, Some(d)) => format!("no force within the horizon (force {d} days later)"),
            (false, None) => "no force".to_string(),
        };
        println!(
            "  {:<28} {:>10}  {:>5}  {:<20}  {:>11}  {outcome}",
            r.id,
            r.as_of.to_string(),
            casus_core::percent(r.probability),
            casus_core::estimative_band(r.probability).words,
            format!(
                "{}–{}",
                casus_core::percent(r.interval[0]),
                casus_core::percent(r.interval[1])
            ),
        );
    }
    let auc = |v: Option<f64>| v.map_or("-".to_string(), |a| format!("{a:.3}"));
    println!(
        "\n  {:<24} {:>7} {:>9} {:>6}",
        "forecaster", "Brier", "log loss", "AUC"
    );
    for (name, s) in [("model", &h.model), ("base_rate", &h.base_rate)] {
        println!(
            "  {name:<24} {:>7.3} {:>9.3} {:>6}",
            s.brier,
            s.log_loss,
            auc(s.auc)
        );
    }
    let f = &h.false_alarms;
    println!(
        "\n  false alarms: {} of {} build-ups or threats without force got P >= 50%{}",
        f.alarms,
        f.n,
        f.rate
            .map_or(String::new(), |r| format!(" ({:.0}%)", 100.0 * r))
    );
    println!(
        "\nA handful of crises: read each forecast against its outcome; the totals are too few to \
         rank models on."
    );
}

fn run_holdout(dir: &std::path::Path, json: bool) -> anyhow::Result<ExitCode> {
    let cases = casus_data::load_cases_dir(dir)?;
    let model = crate::model::builtin()?;
    let h = evaluate_holdout(&model, &cases)
        .map_err(|e| crate::output::BadInput(format!("{}: {e}", dir.display())))?;
    if json {
        crate::output::print_json(&h)?;
    } else {
        print_holdout(&h);
    }
    Ok(ExitCode::SUCCESS)
}

pub fn run(args: Args) -> anyhow::Result<ExitCode> {
    if let Some(dir) = &args.holdout {
        return run_holdout(dir, args.json);
    }
    let cases = match &args.cases {
        Some(dir) => casus_data::load_cases_dir(dir)?,
        None => casus_data::builtin::cases().context("the built-in case base is invalid")?,
    };
    let spec = ModelSpec {
        seed: args.seed,
        ..ModelSpec::default()
    };
    let e = casus_model::evaluate(&cases, &spec).context("evaluation")?;
    if let Some(path) = &args.write {
        let saved = casus_model::eval::SavedEvaluation::new(&cases, &spec, e.clone());
        crate::output::write_file(path, &saved.to_json())?;
        eprintln!("casus: wrote {}", path.display());
    }
    if args.json {
        crate::output::print_json(&e)?;
    } else {
        print_human(&e);
    }
    Ok(ExitCode::SUCCESS)
}
