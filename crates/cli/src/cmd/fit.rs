//! `casus fit`: refit the model on the case base and write the artifact atomically.

use anyhow::Context;
use casus_model::{ModelSpec, NutsOptions};
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::time::Instant;

#[derive(clap::Args)]
pub struct Args {
    /// Folder of case files to fit on.
    #[arg(long, default_value = "data/cases")]
    cases: PathBuf,
    /// Where to write the fitted model (written to a temporary file, then renamed).
    #[arg(long, default_value = "data/model/casus-model.json")]
    out: PathBuf,
    /// Seed of the sampler; the same cases and seed give a byte-identical artifact.
    #[arg(long, default_value_t = ModelSpec::default().seed)]
    seed: u64,
    /// NUTS chains.
    #[arg(long, default_value_t = NutsOptions::default().chains)]
    chains: usize,
    /// Warm-up draws per chain.
    #[arg(long, default_value_t = NutsOptions::default().tune)]
    tune: u64,
    /// Kept draws per chain.
    #[arg(long, default_value_t = NutsOptions::default().draws)]
    draws: u64,
    /// Print a JSON summary (path, case-base hash, diagnostics) instead of the note.
    #[arg(long)]
    json: bool,
}

/// Write `text` to `path` atomically, creating its folder first.
fn write_model(path: &Path, text: &str) -> anyhow::Result<()> {
    let dir = path
        .parent()
        .filter(|p| !p.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    std::fs::create_dir_all(dir).with_context(|| format!("cannot create {}", dir.display()))?;
    crate::output::write_file(path, text)
}

pub fn run(args: Args) -> anyhow::Result<ExitCode> {
    let cases = casus_data::load_cases_dir(&args.cases)?;
    let spec = ModelSpec {
        seed: args.seed,
        nuts: NutsOptions {
            chains: args.chains,
            tune: args.tune,
            draws: args.draws,
            ..NutsOptions::default()
        },
        ..ModelSpec::default()
    };
    let t = Instant::now();
    let model = spec.fit(&cases).context("fitting the model")?;
    let secs = t.elapsed().as_secs_f64();
    write_model(&args.out, &model.to_json())?;
    let d = model.diagnostics();
    if args.json {
        crate::output::print_json(&serde_json::json!({
            "path": args.out,
            "model": model.model_id(),
            "n_cases": model.case_ids().len(),
            "case_base_hash": model.case_base_hash(),
            "seed": model.seed(),
            "seconds": secs,
            "max_rhat": d.max_rhat,
            "min_ess": d.min_ess,
            "divergences": d.divergences,
            "converged": d.converged(),
        }))?;
    } else {
        let id = model.model_id();
        println!(
            "Fitted {} {} on {} crises ({} decision points) in {secs:.1} s (seed {}), written to {}.",
            id.id,
            id.version,
            model.case_ids().len(),
            cases.iter().map(|c| c.snapshots.len() + 1).sum::<usize>(),
            model.seed(),
            args.out.display()
        );
        println!(
            "Sampler: {} chains x {} draws; max R-hat {:.3}, min ESS {:.0}, {} divergences{}.",
            d.chains,
            d.draws_per_chain,
            d.max_rhat,
            d.min_ess,
            d.divergences,
            if d.converged() {
                ""
            } else {
                " - NOT CONVERGED by the usual thresholds (R-hat < 1.01, ESS >= 400, no divergences)"
            }
        );
    }
    Ok(ExitCode::SUCCESS)
}
