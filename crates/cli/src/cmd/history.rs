//! `casus history ID [--db PATH]` or `casus history FILE...`: a situation's risk over time, one
//! line per version (as_of, probability, 90% interval, estimative words) and what changed in each
//! (factors re-coded, evidence added). The note is casus-report's; this wires the inputs to it.

use crate::output::{BadInput, print_json};
use anyhow::Context;
use casus_core::{History, Situation, VersionInput};
use casus_store::{SituationStore, SqliteStore};
use std::path::{Path, PathBuf};
use std::process::ExitCode;

#[derive(clap::Args)]
pub struct Args {
    /// The id of a situation saved in the store (on the dashboard or with POST
    /// /api/v1/situations), or situation files of one crisis at several dates (read in as_of
    /// order).
    #[arg(value_name = "ID|FILE", required = true)]
    what: Vec<String>,
    /// The store holding saved situations [default: $CASUS_DB, else ./casus.db].
    #[arg(long, env = "CASUS_DB", default_value = "casus.db")]
    db: PathBuf,
    /// Print the history as JSON (the shape of GET /api/v1/situations/ID/history).
    #[arg(long)]
    json: bool,
}

/// Every stored version of `id`, oldest first, parsed back from its TOML.
fn from_store(db: &Path, id: &str) -> anyhow::Result<Vec<VersionInput>> {
    if !db.exists() {
        return Err(BadInput(format!(
            "no store at {}: give --db PATH (the file `casus serve --db` uses), or situation files",
            db.display()
        ))
        .into());
    }
    let store =
        SqliteStore::open(db).with_context(|| format!("cannot open the store {}", db.display()))?;
    let versions = store.situation_versions(id)?;
    if versions.is_empty() {
        return Err(BadInput(format!(
            "no saved situation `{id}` in {} (and no file of that name)",
            db.display()
        ))
        .into());
    }
    versions
        .into_iter()
        .map(|v| {
            let origin = format!("{} version {} in {}", v.id, v.version, db.display());
            let s = casus_data::parse_situation(Path::new(&origin), &v.toml)?;
            Ok(input(v.version, None, Some(v.created_at), s))
        })
        .collect()
}

/// The files, as versions 1, 2, … in as_of order; they must be one dyad's.
fn from_files(files: &[String]) -> anyhow::Result<Vec<VersionInput>> {
    let mut read: Vec<(String, Situation)> = files
        .iter()
        .map(|f| Ok((f.clone(), casus_data::load_situation(Path::new(f))?)))
        .collect::<anyhow::Result<_>>()?;
    read.sort_by_key(|(_, s)| s.as_of);
    let (p, t) = (&read[0].1.patron, &read[0].1.target);
    if let Some((f, s)) = read.iter().find(|(_, s)| (&s.patron, &s.target) != (p, t)) {
        return Err(BadInput(format!(
            "{f}: {} → {} is not the other files' dyad {p} → {t}; a history follows one crisis",
            s.patron, s.target
        ))
        .into());
    }
    Ok(read
        .into_iter()
        .enumerate()
        .map(|(i, (f, s))| input(i as u32 + 1, Some(f), None, s))
        .collect())
}

fn input(
    version: u32,
    source: Option<String>,
    saved_at: Option<chrono::DateTime<chrono::Utc>>,
    situation: Situation,
) -> VersionInput {
    VersionInput {
        version,
        source,
        saved_at,
        situation,
        probability: f64::NAN,
        interval: [f64::NAN; 2],
    }
}

pub fn run(args: Args) -> anyhow::Result<ExitCode> {
    let files = args.what.iter().all(|w| Path::new(w).is_file());
    let versions = if files {
        from_files(&args.what)?
    } else if let [id] = args.what.as_slice() {
        from_store(&args.db, id)?
    } else {
        let missing = args.what.iter().find(|w| !Path::new(w).is_file());
        return Err(BadInput(format!(
            "`{}` is not a file: give one saved situation's id, or situation files",
            missing.map_or("", |m| m.as_str())
        ))
        .into());
    };
    let model = crate::model::builtin()?;
    let id = versions[versions.len() - 1].situation.id.clone();
    let versions = versions
        .into_iter()
        .map(|mut v| {
            // The server's numbers: the situation's own horizon, seed ASSESS_SEED.
            let opts = casus_model::AssessOptions {
                horizon_days: None,
                seed: casus_model::ASSESS_SEED,
            };
            let a = model.assess(&v.situation, &opts);
            v.probability = a.probability;
            v.interval = a.interval;
            v
        })
        .collect();
    let Some(h) = History::new(&id, versions) else {
        return Err(BadInput("nothing to show".into()).into());
    };
    if args.json {
        print_json(&h)?;
    } else {
        print!("{}", casus_report::history_text(&h));
    }
    Ok(ExitCode::SUCCESS)
}
