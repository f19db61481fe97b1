//! `casus events import|indicators`: event data (GDELT 1.0/2.0, ICEWS) → month-partitioned
//! Parquet → dyad-day indicators, locally with DataFusion or on a Ballista cluster.
//!
//! Exit codes: 0 success; 2 an input that cannot be read at all, an existing output directory,
//! a bad flag or value; 1 anything else. Bad rows are not errors: they are skipped and reported
//! with their file and first line numbers.

use std::io::IsTerminal;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use anyhow::Context;
use casus_events::{EventsError, Format, ImportOptions, ImportReport, IndicatorQuery};

use crate::output::BadInput;

/// Import event files to Parquet, or compute dyad-day indicators from them.
#[derive(clap::Args)]
pub struct Args {
    #[command(subcommand)]
    command: Command,
}

#[derive(Clone, Copy, clap::ValueEnum)]
enum FormatArg {
    /// GDELT 1.0 events (57- or 58-column backfiles and daily files).
    Gdelt1,
    /// GDELT 2.0 events export (61 columns).
    Gdelt2,
    /// ICEWS raw events (20 columns with a header).
    Icews,
    /// ICEWS knowledge-graph quadruples: source, event text, target, date.
    #[value(name = "icews-kg", alias = "icews-quad")]
    IcewsKg,
}

impl From<FormatArg> for Format {
    fn from(f: FormatArg) -> Format {
        match f {
            FormatArg::Gdelt1 => Format::Gdelt1,
            FormatArg::Gdelt2 => Format::Gdelt2,
            FormatArg::Icews => Format::IcewsRaw,
            FormatArg::IcewsKg => Format::IcewsQuad,
        }
    }
}

#[derive(clap::Subcommand)]
enum Command {
    /// Import event files (plain or .gz) into DIR/events/month=YYYY-MM/*.parquet, with the
    /// dyad-day rollup the indicators read in DIR/dyad_days/; bad rows are skipped and reported
    /// per file.
    Import {
        /// Input layout.
        #[arg(long, value_enum)]
        format: FormatArg,
        /// Event files, plain or gzip.
        #[arg(required = true, value_name = "INPUT")]
        inputs: Vec<PathBuf>,
        /// Output directory (must not exist unless --overwrite).
        #[arg(long, value_name = "DIR")]
        out: PathBuf,
        /// Replace DIR if it exists. Default: refuse.
        #[arg(long)]
        overwrite: bool,
        /// Worker threads. Default: the number of cores.
        #[arg(long, value_name = "N")]
        threads: Option<usize>,
        /// Print the import report as one JSON object instead of the summary.
        #[arg(long)]
        json: bool,
    },
    /// Dyad-day counts, mentions and Goldstein sums per indicator family, written as CSV or
    /// Parquet (by FILE's extension).
    Indicators {
        /// Imported event directory (from `casus events import`).
        #[arg(long, value_name = "DIR")]
        events: PathBuf,
        /// Output file, .csv or .parquet.
        #[arg(long, value_name = "FILE")]
        out: PathBuf,
        /// Keep these source countries (ISO3; repeat or comma-separate). Default: all.
        #[arg(long = "source", value_name = "ISO3", value_delimiter = ',')]
        sources: Vec<String>,
        /// Keep these target countries (ISO3; repeat or comma-separate). Default: all.
        #[arg(long = "target", value_name = "ISO3", value_delimiter = ',')]
        targets: Vec<String>,
        /// First day, YYYY-MM-DD. Default: the first in the data.
        #[arg(long, value_name = "DATE")]
        from: Option<String>,
        /// Last day, YYYY-MM-DD (inclusive). Default: the last in the data.
        #[arg(long, value_name = "DATE")]
        to: Option<String>,
        /// Recompute from the events instead of reading the dyad-day rollup written on import
        /// (slower; the same rows). A cluster always reads the events.
        #[arg(long)]
        from_events: bool,
        /// Run the query on a Ballista cluster (df://HOST:PORT, see `casus cluster`) instead of
        /// locally. DIR must be at the same path on every node.
        #[arg(long, value_name = "URL")]
        cluster: Option<String>,
        /// Print {"rows", "out"} as JSON instead of a sentence.
        #[arg(long)]
        json: bool,
    },
}

pub fn run(args: Args) -> anyhow::Result<ExitCode> {
    match args.command {
        Command::Import {
            format,
            inputs,
            out,
            overwrite,
            threads,
            json,
        } => import(format.into(), &inputs, &out, overwrite, threads, json),
        Command::Indicators {
            events,
            out,
            sources,
            targets,
            from,
            to,
            from_events,
            cluster,
            json,
        } => {
            let mut q = IndicatorQuery::default()
                .sources(&sources)
                .targets(&targets)
                .from_events(from_events);
            q.from = from;
            q.to = to;
            indicators(&events, &q, &out, cluster.as_deref(), json)
        }
    }
}

/// Errors the user can fix (an unreadable input, an existing output, a bad value) exit 2.
pub(crate) fn classify(e: EventsError) -> anyhow::Error {
    match e {
        EventsError::Read { .. }
        | EventsError::OutputExists { .. }
        | EventsError::NoInputs
        | EventsError::InvalidQuery { .. }
        | EventsError::OutputExtension { .. }
        | EventsError::NotAnEventDir { .. }
        | EventsError::InterruptedImport { .. }
        | EventsError::ImportedTwice { .. }
        | EventsError::InputTwice { .. }
        | EventsError::BadImportRecord { .. }
        | EventsError::UnknownFormat { .. } => BadInput(e.to_string()).into(),
        e => anyhow::Error::new(e),
    }
}

fn import(
    format: Format,
    inputs: &[PathBuf],
    out: &Path,
    overwrite: bool,
    threads: Option<usize>,
    json: bool,
) -> anyhow::Result<ExitCode> {
    for p in inputs {
        if let Err(e) = std::fs::File::open(p) {
            return Err(BadInput(format!("cannot read {}: {e}", p.display())).into());
        }
    }
    let mut opts = ImportOptions::default().overwrite(overwrite);
    if let Some(n) = threads {
        opts = opts.threads(n);
    }
    let bar = std::io::stderr().is_terminal().then(|| {
        let total: u64 = inputs
            .iter()
            .filter_map(|p| std::fs::metadata(p).ok())
            .map(|m| m.len())
            .sum();
        let bar = indicatif::ProgressBar::new(total);
        if let Ok(style) = indicatif::ProgressStyle::with_template(
            "{bar:40} {bytes}/{total_bytes} {msg} ({eta} left)",
        ) {
            bar.set_style(style);
        }
        bar
    });
    if let Some(bar) = bar.clone() {
        opts = opts.progress(move |p| {
            bar.set_position(p.bytes_read);
            bar.set_message(format!("{} rows, {} bad", p.rows_ok, p.rows_bad));
        });
    }
    let result = casus_events::import(format, inputs, out, &opts);
    if let Some(bar) = bar {
        bar.finish_and_clear();
    }
    let report = result.map_err(classify)?;
    if json {
        crate::output::print_json(&report)?;
    } else {
        print!("{}", summary(&report));
    }
    Ok(ExitCode::SUCCESS)
}

/// The human summary of an import: totals, then one line per file with its first bad lines.
fn summary(r: &ImportReport) -> String {
    use std::fmt::Write as _;
    let mut s = String::new();
    let read = r.rows_written + r.rows_bad;
    let _ = writeln!(
        s,
        "Imported {} ({} files) into {}: {read} rows read, {} written, {} bad, {} months, {} Parquet files, {:.1}s.",
        r.format,
        r.files.len(),
        r.out_dir.display(),
        r.rows_written,
        r.rows_bad,
        r.months.len(),
        r.parquet_files,
        r.elapsed.as_secs_f64()
    );
    for f in &r.files {
        let _ = write!(
            s,
            "  {}: {} rows, {} bad",
            f.path.display(),
            f.rows_ok,
            f.bad.total
        );
        if !f.bad.first.is_empty() {
            let lines: Vec<String> = f
                .bad
                .first
                .iter()
                .take(5)
                .map(|b| format!("{} ({})", b.line, b.kind.label()))
                .collect();
            let more = if f.bad.total > lines.len() as u64 {
                ", ..."
            } else {
                ""
            };
            let _ = write!(s, " — first at lines {}{more}", lines.join(", "));
        }
        let _ = writeln!(s);
    }
    s
}

fn indicators(
    events: &Path,
    q: &IndicatorQuery,
    out: &Path,
    cluster: Option<&str>,
    json: bool,
) -> anyhow::Result<ExitCode> {
    if !events.is_dir() {
        return Err(BadInput(format!(
            "event directory {} does not exist (create it with `casus events import`)",
            events.display()
        ))
        .into());
    }
    let rows = match cluster {
        Some(url) => casus_cluster::write_indicators_on_cluster(url, events, q, out)
            .map_err(super::cluster::classify)
            .with_context(|| format!("computing indicators on {url}"))?,
        None => casus_events::write_indicators(events, q, out).map_err(classify)?,
    };
    if json {
        crate::output::print_json(&serde_json::json!({ "rows": rows, "out": out }))?;
    } else {
        println!("Wrote {rows} dyad-day indicator rows to {}.", out.display());
    }
    Ok(ExitCode::SUCCESS)
}
