//! `casus report [FILE] --format html|md --out PATH`: a self-contained HTML report with SVG charts,
//! or its Markdown twin, written atomically.

use super::explain::Inputs;
use casus_explain::ExplainOptions;
use casus_model::eval::SavedEvaluation;
use casus_report::{Format, ReliabilitySeries, Report, TrackRecord};
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
    let track = track_record(&l.cases);
    let text = Report {
        explanation: &x,
        pairs: Some(&pairs),
        track_record: track.as_ref(),
    }
    .render(format);
    match &args.out {
        Some(p) => {
            crate::output::write_file(p, &text)?;
            eprintln!("casus: wrote {}", p.display());
        }
        None => print!("{text}"),
    }
    Ok(ExitCode::SUCCESS)
}

/// The built-in saved evaluation as a report shows it, when there is one for this model and case
/// base (a stale one is left out, with a warning, rather than shown as the model's record).
pub(crate) fn track_record(cases: &[casus_core::Case]) -> Option<TrackRecord> {
    let saved = SavedEvaluation::from_json(casus_data::builtin::evaluation_json()?).ok()?;
    if let Err(e) = saved.check_current(cases) {
        eprintln!("casus: warning: the report omits the model's track record: {e}");
        return None;
    }
    let e = &saved.evaluation;
    let bins = |b: &[casus_core::metrics::CalibrationBin]| b.to_vec();
    let mut series = vec![ReliabilitySeries {
        name: "leave one crisis out".into(),
        n: e.n_cases,
        brier: e.model.brier,
        base_rate_brier: e.baselines.get("base_rate").map_or(f64::NAN, |s| s.brier),
        bins: bins(e.calibration.get("model").map_or(&[][..], Vec::as_slice)),
    }];
    let mut false_alarms = None;
    if let Some(fc) = &e.forward_chaining {
        series.push(ReliabilitySeries {
            name: "forward chaining by decade".into(),
            n: fc.predictions.len(),
            brier: fc.pooled_model.brier,
            base_rate_brier: fc
                .pooled_baselines
                .get("base_rate")
                .map_or(f64::NAN, |s| s.brier),
            bins: bins(&fc.pooled_calibration),
        });
        let fa = &fc.pooled_slices.false_alarms;
        false_alarms = Some((fa.alarms, fa.n));
    }
    Some(TrackRecord {
        model: format!("{} {}", saved.model_id, saved.model_version),
        n_crises: e.n_crises,
        series,
        false_alarms,
    })
}
