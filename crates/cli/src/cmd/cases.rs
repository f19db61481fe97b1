//! `casus cases [--json]`: the historical case base.

use anyhow::Context;
use casus_data::CaseRecord;
use std::process::ExitCode;

#[derive(clap::Args)]
pub struct Args {
    /// Print a JSON array of cases (id, patron, target, crisis_start, force, factors, sources, ...).
    #[arg(long)]
    json: bool,
}

pub fn run(args: Args) -> anyhow::Result<ExitCode> {
    let cases = casus_data::builtin::cases().context("the built-in case base is invalid")?;
    if args.json {
        let records: Vec<CaseRecord> = cases.iter().map(CaseRecord::from).collect();
        crate::output::print_json(&records)?;
        return Ok(ExitCode::SUCCESS);
    }
    let force = cases.iter().filter(|c| c.outcome.force).count();
    println!(
        "{} crises, {} with force ({:.0}%), {} without.\n",
        cases.len(),
        force,
        100.0 * force as f64 / cases.len().max(1) as f64,
        cases.len() - force
    );
    println!(
        "{:<15} {:<6} {:<6} {:<10} {:<20} title",
        "id", "patron", "target", "start", "response"
    );
    for c in &cases {
        let s = &c.situation;
        println!(
            "{:<15} {:<6} {:<6} {:<10} {:<20} {}",
            s.id,
            s.patron,
            s.target,
            c.crisis_start,
            c.outcome.response.label(),
            s.title
        );
    }
    Ok(ExitCode::SUCCESS)
}
