//! `casus forecast record|list|resolve|score|import|export|restore`: the scored track record.

use crate::output::{BadInput, print_json};
use anyhow::Context;
use casus_store::{ForecastStore, ListQuery, SqliteStore};
use std::path::{Path, PathBuf};
use std::process::ExitCode;

#[derive(clap::Args)]
pub struct Args {
    /// The forecast store, an SQLite file created if absent [default: $CASUS_DB, else ./casus.db].
    #[arg(long, global = true, env = "CASUS_DB", default_value = "casus.db")]
    db: PathBuf,
    /// Print JSON instead of text.
    #[arg(long, global = true)]
    json: bool,
    #[command(subcommand)]
    command: Sub,
}

#[derive(clap::Subcommand)]
enum Sub {
    /// Assess a situation and store the forecast (the built-in default situation if no file).
    Record {
        /// A situation file (TOML) [default: the built-in Belarus, late August 2020].
        situation: Option<PathBuf>,
        /// The question in words [default: "Will PATRON use military force in or against TARGET by DATE?"].
        #[arg(long)]
        question: Option<String>,
        /// A key shared with crowd forecasts on the same question, e.g. metaculus:1688.
        #[arg(long)]
        question_key: Option<String>,
    },
    /// List stored forecasts, oldest first.
    List {
        /// Only this source (casus, metaculus, ...).
        #[arg(long)]
        source: Option<String>,
        /// Only unresolved forecasts.
        #[arg(long, conflicts_with = "resolved")]
        open: bool,
        /// Only resolved forecasts.
        #[arg(long)]
        resolved: bool,
    },
    /// Record how a forecast resolved: OUTCOME is yes/1 (force was used) or no/0.
    Resolve {
        id: i64,
        outcome: String,
        /// Also resolve every other forecast on the same question key (the crowd's too).
        #[arg(long)]
        question: bool,
    },
    /// Brier score, log loss and calibration of casus, with the crowd beside it.
    Score,
    /// Import crowd forecasts from a Metaculus-style series (JSON lines).
    Import {
        file: PathBuf,
        /// Keep only crowd points on or before this date (YYYY-MM-DD).
        #[arg(long)]
        as_of: Option<casus_core::NaiveDate>,
        /// Import every point of each series, not only the latest.
        #[arg(long)]
        all_points: bool,
    },
    /// Write the whole track record as JSON lines (a backup): every version of each uploaded
    /// situation a forecast names, with its TOML, then one forecast per line in id order, every
    /// field, the API's JSON shape.
    Export {
        /// Write to this file (via a temporary file and a rename, so it is never half-written)
        /// [default: stdout].
        #[arg(long)]
        out: Option<PathBuf>,
    },
    /// Read an export into an empty store (a new --db): every forecast keeps its id, date, outcome
    /// and `imported` mark, so export → restore → export gives the same bytes.
    #[command(visible_alias = "import-export")]
    Restore {
        /// The file `casus forecast export` wrote.
        file: PathBuf,
    },
}

fn open(db: &Path) -> anyhow::Result<SqliteStore> {
    SqliteStore::open(db)
        .with_context(|| format!("cannot open the forecast store {}", db.display()))
}

/// A store error: bad input (exit 2) if the user caused it, a failure (exit 1) otherwise.
fn store_error(e: casus_store::StoreError) -> anyhow::Error {
    if e.is_user_error() {
        anyhow::Error::new(BadInput(e.to_string()))
    } else {
        e.into()
    }
}

fn pct(p: f64) -> String {
    let v = 100.0 * p;
    if v > 0.0 && v < 0.5 {
        "<1%".into()
    } else if v > 99.5 && v < 100.0 {
        ">99%".into()
    } else {
        format!("{v:.0}%")
    }
}

fn num(v: Option<f64>) -> String {
    v.map_or("–".into(), |v| format!("{v:.3}"))
}

pub fn run(args: Args) -> anyhow::Result<ExitCode> {
    let store = open(&args.db)?;
    match args.command {
        Sub::Record {
            situation,
            question,
            question_key,
        } => {
            let s = match &situation {
                Some(p) => casus_data::load_situation(p)?,
                None => casus_data::builtin::default_situation()
                    .context("the built-in default situation is missing from this build")?,
            };
            let engine = crate::cmd::serve::engine()?;
            let mut f = casus_server::casus_forecast(&engine, &s);
            if let Some(q) = question {
                f.question = q;
            }
            f.question_key = question_key;
            let rec = store.record(&f).map_err(|e| BadInput(e.to_string()))?;
            if args.json {
                print_json(&rec)?;
            } else {
                let iv = rec.interval.unwrap_or([rec.probability; 2]);
                println!(
                    "Recorded forecast #{}: {} — {} (90% interval {}–{}), model {} {}.",
                    rec.id,
                    rec.question,
                    pct(rec.probability),
                    pct(iv[0]).trim_end_matches('%'),
                    pct(iv[1]),
                    rec.model_id.as_deref().unwrap_or("?"),
                    rec.model_version.as_deref().unwrap_or("?"),
                );
            }
        }
        Sub::List {
            source,
            open,
            resolved,
        } => {
            let q = ListQuery {
                source,
                resolved: if open {
                    Some(false)
                } else if resolved {
                    Some(true)
                } else {
                    None
                },
                ..Default::default()
            };
            let all = store.list(&q)?;
            if args.json {
                print_json(&all)?;
            } else if all.is_empty() {
                println!("No forecasts in {}.", args.db.display());
            } else {
                println!(
                    "{:>5}  {:<10} {:>6}  {:<10}  {:<7}  question",
                    "id", "source", "p", "made", "outcome"
                );
                for f in &all {
                    let outcome = match f.resolution {
                        Some(r) if r.outcome == 1 => "yes",
                        Some(_) => "no",
                        None => "open",
                    };
                    println!(
                        "{:>5}  {:<10} {:>6}  {:<10}  {:<7}  {}",
                        f.id,
                        f.source,
                        pct(f.probability),
                        f.created_at.date_naive(),
                        outcome,
                        f.question
                    );
                }
            }
        }
        Sub::Resolve {
            id,
            outcome,
            question,
        } => {
            let y = match outcome.to_ascii_lowercase().as_str() {
                "1" | "yes" | "y" | "true" => true,
                "0" | "no" | "n" | "false" => false,
                other => {
                    return Err(BadInput(format!("outcome `{other}` must be yes/1 or no/0")).into());
                }
            };
            let now = chrono::Utc::now();
            let f = store.resolve(id, y, now).map_err(store_error)?;
            let mut others = 0;
            if question && let Some(k) = &f.question_key {
                others = store.resolve_question(k, y, now).map_err(store_error)?;
            }
            if args.json {
                print_json(&f)?;
            } else {
                println!(
                    "Forecast #{id} resolved {}: it said {}.{}",
                    if y { "yes" } else { "no" },
                    pct(f.probability),
                    if others > 0 {
                        format!(" {others} other forecasts on the question resolved too.")
                    } else {
                        String::new()
                    }
                );
            }
        }
        Sub::Score => {
            let scores = casus_store::score(&store.list(&ListQuery::default())?);
            if args.json {
                print_json(&scores)?;
                return Ok(ExitCode::SUCCESS);
            }
            if scores.sources.is_empty() {
                println!("No forecasts in {} yet.", args.db.display());
                return Ok(ExitCode::SUCCESS);
            }
            println!(
                "{:<26} {:>9} {:>9} {:>7} {:>9}",
                "source", "forecasts", "resolved", "Brier", "log loss"
            );
            for s in &scores.sources {
                println!(
                    "{:<26} {:>9} {:>9} {:>7} {:>9}",
                    s.source,
                    s.forecasts,
                    s.resolved,
                    num(s.brier),
                    num(s.log_loss)
                );
            }
            for p in &scores.paired {
                println!(
                    "\nOn the {} questions both answered: casus Brier {} vs {} {}; log loss {} vs {}.",
                    p.questions.len(),
                    num(p.casus_brier),
                    p.crowd,
                    num(p.crowd_brier),
                    num(p.casus_log_loss),
                    num(p.crowd_log_loss)
                );
            }
            if let Some(c) = scores.source("casus") {
                println!("\nCalibration of casus (resolved forecasts by bin):");
                for b in c.calibration.iter().filter(|b| b.n > 0) {
                    println!(
                        "  {:>3.0}–{:<3.0}%  n={:<4} forecast {:>5}  observed {:>5}",
                        100.0 * b.lower,
                        100.0 * b.upper,
                        b.n,
                        b.mean_predicted.map_or("–".into(), pct),
                        b.observed_rate.map_or("–".into(), pct)
                    );
                }
            }
        }
        Sub::Import {
            file,
            as_of,
            all_points,
        } => {
            let text = std::fs::read_to_string(&file)
                .with_context(|| format!("cannot read {}", file.display()))?;
            let cut = as_of
                .and_then(|d| d.and_hms_opt(23, 59, 59))
                .map(|t| t.and_utc());
            let sum = casus_store::import_series(
                &store,
                &file.display().to_string(),
                &text,
                cut,
                all_points,
            )
            .map_err(store_error)?;
            if args.json {
                print_json(&sum)?;
            } else {
                println!(
                    "Read {} questions: {} crowd forecasts ({} new), {} resolved questions, {} skipped, \
                     {} points after their question resolved left out.",
                    sum.questions,
                    sum.points,
                    sum.new,
                    sum.resolved_questions,
                    sum.skipped,
                    sum.after_resolution
                );
            }
        }
        Sub::Export { out } => {
            let mut text = Vec::new();
            let b = casus_store::export_jsonl(&store, &mut text)?;
            match &out {
                Some(path) => crate::output::write_file(path, &String::from_utf8(text)?)?,
                None => {
                    use std::io::Write;
                    std::io::stdout()
                        .write_all(&text)
                        .context("cannot write the export")?;
                }
            }
            eprintln!(
                "Exported {} forecasts and {} uploaded situation versions from {}.",
                b.forecasts.len(),
                b.situations.len(),
                args.db.display()
            );
        }
        Sub::Restore { file } => {
            let text = std::fs::read_to_string(&file)
                .with_context(|| format!("cannot read {}", file.display()))
                .map_err(|e| BadInput(format!("{e:#}")))?;
            let all = casus_store::parse_export(&file.display().to_string(), &text)
                .map_err(store_error)?;
            let n = store.restore(&all).map_err(store_error)?;
            if args.json {
                print_json(&serde_json::json!({ "restored": n }))?;
            } else {
                println!(
                    "Restored {n} forecasts from {} into {}.",
                    file.display(),
                    args.db.display()
                );
            }
        }
    }
    Ok(ExitCode::SUCCESS)
}
