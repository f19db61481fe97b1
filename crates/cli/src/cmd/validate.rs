//! `casus validate FILE...`: check situation and case files and report every problem at once.
//!
//! A file with an `[outcome]` table is a case file (it is checked as the case base is loaded); any
//! other is a situation. Case files are also checked against each other and against the other cases
//! in their folders, for the rule that one patron's force against one target within a snapshot's
//! horizon is force whatever crisis file it sits in.

use crate::output::EXIT_BAD_INPUT;
use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

#[derive(clap::Args)]
pub struct Args {
    /// Situation or case files to check (TOML).
    #[arg(required = true)]
    files: Vec<PathBuf>,
    /// Check every file as a case-base file, even one without an `[outcome]` table.
    #[arg(long)]
    cases: bool,
}

/// Whether a file reads as a case file (has an `[outcome]` table), judged leniently: a file that is
/// not even TOML is left to the situation parser, which reports the syntax error.
fn looks_like_case(path: &Path) -> bool {
    std::fs::read_to_string(path)
        .ok()
        .and_then(|t| t.parse::<toml::Table>().ok())
        .is_some_and(|t| t.contains_key("outcome"))
}

pub fn run(args: Args) -> anyhow::Result<ExitCode> {
    let mut bad = 0;
    let mut cases = Vec::new();
    for path in &args.files {
        if args.cases || looks_like_case(path) {
            match casus_data::load_case(path) {
                Ok(c) => {
                    println!(
                        "{}: ok (case {}, {} decision point{}, force {})",
                        path.display(),
                        c.id(),
                        c.snapshots.len() + 1,
                        if c.snapshots.is_empty() { "" } else { "s" },
                        if c.outcome.force { "yes" } else { "no" }
                    );
                    cases.push((path.clone(), c));
                }
                Err(e) => {
                    bad += 1;
                    eprintln!("{e}");
                }
            }
            continue;
        }
        match casus_data::load_situation(path) {
            Ok(s) => {
                let known = s.factors.iter().filter(|(_, v)| !v.is_unknown()).count();
                println!(
                    "{}: ok ({}, {known} of 18 factors coded)",
                    path.display(),
                    s.id
                );
            }
            Err(e) => {
                bad += 1;
                eprintln!("{e}");
            }
        }
    }
    if !cases.is_empty()
        && bad == 0
        && let Err(e) = check_pairs_with_neighbours(cases)
    {
        bad += 1;
        eprintln!("{e}");
    }
    Ok(if bad == 0 {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(EXIT_BAD_INPUT)
    })
}

/// The cross-crisis rule over the given cases plus the other case files in their folders.
fn check_pairs_with_neighbours(
    mut cases: Vec<(PathBuf, casus_core::Case)>,
) -> Result<(), casus_data::DataError> {
    let given: BTreeSet<PathBuf> = cases
        .iter()
        .filter_map(|(p, _)| p.canonicalize().ok())
        .collect();
    let dirs: BTreeSet<PathBuf> = given
        .iter()
        .filter_map(|p| p.parent().map(Path::to_path_buf))
        .collect();
    for dir in dirs {
        let Ok(rd) = std::fs::read_dir(&dir) else {
            continue;
        };
        let mut paths: Vec<PathBuf> = rd
            .filter_map(|e| e.ok().map(|e| e.path()))
            .filter(|p| p.extension().is_some_and(|e| e == "toml") && !given.contains(p))
            .collect();
        paths.sort();
        for p in paths {
            // Neighbours that do not load are reported when they are validated themselves.
            if let Ok(c) = casus_data::load_case(&p) {
                cases.push((p, c));
            }
        }
    }
    casus_data::check_pairs(&cases)
}
