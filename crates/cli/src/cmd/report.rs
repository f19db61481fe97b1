//! `casus report [FILE] --format html|md --out PATH`: a self-contained HTML report with SVG charts,
//! or its Markdown twin, written atomically.

use super::explain::Inputs;
use casus_explain::ExplainOptions;
use casus_report::{Format, Report, write_atomic};
use std::path::PathBuf;
use std::process::ExitCode;

#[derive(clap::Args)]
pub struct Args {
    #[command(flatten)]
    inputs: Inputs,
    /// Output format.
    #[arg(long, value_enum, default_value_t = ReportFormat::Html)]
    format: ReportFormat,
    /// Where to write the report (written to a temporary file and renamed, so a failure never
    /// leaves a half-written report) [default: print to stdout].
    #[arg(long)]
    out: Option<PathBuf>,
}

#[derive(Clone, Copy, clap::ValueEnum)]
enum ReportFormat {
    /// One self-contained HTML file (inline CSS, SVG and script; nothing fetched).
    Html,
    /// Markdown with the same sections and numbers.
    Md,
}

pub fn run(args: Args) -> anyhow::Result<ExitCode> {
    let l = args.inputs.load()?;
    let x = l.explain(ExplainOptions::default());
    let chosen: Vec<_> = l.moves.moves.iter().collect();
    let pairs = casus_explain::scenarios::pairs(&l.model, &l.situation, &chosen);
    let format = match args.format {
        ReportFormat::Html => Format::Html,
        ReportFormat::Md => Format::Markdown,
    };
    let text = Report {
        explanation: &x,
        pairs: Some(&pairs),
    }
    .render(format);
    match &args.out {
        Some(p) => {
            write_atomic(p, &text)?;
            eprintln!("casus: wrote {}", p.display());
        }
        None => print!("{text}"),
    }
    Ok(ExitCode::SUCCESS)
}
