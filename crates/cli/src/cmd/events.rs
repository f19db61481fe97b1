//! `casus events import|indicators|sync`: event data (GDELT 1.0/2.0, ICEWS) → month-partitioned
//! Parquet → dyad-day indicators, locally with DataFusion or on a Ballista cluster.
//!
//! Exit codes: 0 success; 2 an input that cannot be read at all, an existing output directory,
//! a bad flag or value; 1 anything else, including a sync that rejected files. Bad rows are not errors: they are skipped and reported
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
        /// Output directory (must not exist unless --overwrite), a path or
        /// s3://bucket/prefix/name (uploaded when complete; --overwrite is refused there).
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
        /// Imported event directory (from `casus events import`), a path or
        /// s3://bucket/prefix (credentials from the AWS_* environment variables).
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
    /// Follow GDELT 2.0's 15-minute event exports: download what DIR lacks, check each file's
    /// size and MD5 against GDELT's list, and import a day's files at a time into DIR (a folder
    /// of imports). Safe to stop and run again: nothing is fetched or counted twice. Exits 1
    /// when files were rejected (named on stderr), after importing the rest.
    Sync {
        /// The stream to follow (GDELT 2.0 is the one there is).
        #[arg(long, value_enum, default_value = "gdelt2")]
        source: SyncSource,
        /// First day (YYYY-MM-DD) or 15-minute slot (YYYYMMDDHHMMSS) wanted.
        #[arg(long, value_name = "DATE")]
        since: String,
        /// Last day (inclusive) or slot wanted. Default: up to the latest published.
        #[arg(long, value_name = "DATE")]
        until: Option<String>,
        /// Folder of imports to add to (created if absent), a path or s3://bucket/prefix.
        #[arg(long, value_name = "DIR")]
        out: PathBuf,
        /// Where the update lists and exports are; a mirror in GDELT's layout works.
        #[arg(long, value_name = "URL", default_value = casus_events::GDELT2_BASE_URL)]
        base_url: String,
        /// Retries of a dropped connection, timeout or server error, waiting 1 s, 2 s, 4 s, ...
        /// (at most a minute) between them.
        #[arg(long, value_name = "N", default_value_t = 4)]
        retries: u32,
        /// Most files in one import.
        #[arg(long, value_name = "N", default_value_t = 96)]
        batch: usize,
        /// Print the sync report as one JSON object instead of the summary.
        #[arg(long)]
        json: bool,
    },
}

#[derive(Clone, Copy, clap::ValueEnum)]
enum SyncSource {
    /// GDELT 2.0 events (`*.export.CSV.zip`, every 15 minutes).
    Gdelt2,
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
        Command::Sync {
            source: SyncSource::Gdelt2,
            since,
            until,
            out,
            base_url,
            retries,
            batch,
            json,
        } => {
            let opts = casus_events::SyncOptions {
                base_url,
                since: Some(
                    casus_events::parse_sync_time(&since, false, "since").map_err(classify)?,
                ),
                until: until
                    .map(|u| casus_events::parse_sync_time(&u, true, "until"))
                    .transpose()
                    .map_err(classify)?,
                retries,
                batch_files: batch,
                ..Default::default()
            };
            sync(&out, opts, json)
        }
    }
}

/// One line on stderr per step of a sync, for a terminal or a log.
pub(crate) fn sync_progress_line(e: &casus_events::SyncEvent) -> String {
    use casus_events::SyncEvent as E;
    match e {
        E::Listed {
            lists,
            exports,
            held,
            to_fetch,
        } => format!(
            "sync: {exports} exports listed ({}), {held} already imported, {to_fetch} to fetch",
            lists.join(", ")
        ),
        E::Fetched { name, done, total } => format!("sync: [{done}/{total}] {name}"),
        E::Retrying {
            name,
            attempt,
            of,
            wait_ms,
            reason,
        } => format!(
            "sync: {name}: {reason}; attempt {attempt} of {of} in {:.1} s",
            *wait_ms as f64 / 1000.0
        ),
        E::Rejected(r) => format!("sync: rejected {}: {}", r.name, r.reason),
        E::Imported { dir, files, rows } => {
            format!(
                "sync: imported {files} files, {rows} rows, into {}",
                dir.display()
            )
        }
        E::Cleaned { path } => format!(
            "sync: removed {}, left by an interrupted sync",
            path.display()
        ),
    }
}

/// Run one sync of `out`, telling each step on stderr.
pub(crate) fn run_sync(
    out: &Path,
    mut opts: casus_events::SyncOptions,
) -> Result<casus_events::SyncReport, EventsError> {
    opts.progress = Some(std::sync::Arc::new(|e: &casus_events::SyncEvent| {
        eprintln!("{}", sync_progress_line(e));
    }));
    casus_events::sync_gdelt2(out, &opts)
}

/// Sync `out` now and then every `every`, on a thread of its own, for `casus serve --sync`: a
/// failed sync is logged and tried again at the next turn, never stopping the server.
pub(crate) fn spawn_background_sync(
    out: PathBuf,
    opts: casus_events::SyncOptions,
    every: std::time::Duration,
) {
    std::thread::spawn(move || {
        loop {
            let mut turn = opts.clone();
            // After the first turn, go on from what the folder holds.
            turn.since = turn
                .since
                .filter(|_| casus_events::check_event_dir(&out).is_err());
            match run_sync(&out, turn) {
                Ok(r) => eprintln!(
                    "casus: sync of {}: {} files imported, {} rejected; next in {} min",
                    out.display(),
                    r.imported_files,
                    r.rejected.len(),
                    every.as_secs() / 60
                ),
                Err(e) => eprintln!(
                    "casus: sync of {} failed (tried again in {} min): {e}",
                    out.display(),
                    every.as_secs() / 60
                ),
            }
            std::thread::sleep(every);
        }
    });
}

fn sync(out: &Path, opts: casus_events::SyncOptions, json: bool) -> anyhow::Result<ExitCode> {
    let r = run_sync(out, opts).map_err(classify)?;
    if json {
        crate::output::print_json(&r)?;
    } else {
        println!(
            "Synced GDELT 2.0 into {}: {} exports listed, {} already there, {} downloaded, {} imported ({} rows, {} bad) in {} imports, {} rejected.",
            r.out_dir.display(),
            r.listed,
            r.already_held,
            r.downloaded,
            r.imported_files,
            r.rows_written,
            r.rows_bad,
            r.imports.len(),
            r.rejected.len()
        );
    }
    if r.rejected.is_empty() {
        return Ok(ExitCode::SUCCESS);
    }
    let names: Vec<&str> = r.rejected.iter().map(|x| x.name.as_str()).collect();
    eprintln!(
        "casus: {} files rejected (a later sync tries them again): {}",
        names.len(),
        names.join(", ")
    );
    Ok(ExitCode::from(1))
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
        | EventsError::UnknownFormat { .. }
        | EventsError::BadS3Url { .. }
        | EventsError::Unsupported { .. }
        | EventsError::SyncBusy { .. } => BadInput(e.to_string()).into(),
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
    if !events.is_dir() && !events.to_string_lossy().starts_with("s3://") {
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
