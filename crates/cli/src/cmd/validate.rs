//! `casus validate FILE...`: check situation (or case) files and report every problem at once.

use crate::output::EXIT_BAD_INPUT;
use std::path::PathBuf;
use std::process::ExitCode;

#[derive(clap::Args)]
pub struct Args {
    /// Situation files to check (TOML).
    #[arg(required = true)]
    files: Vec<PathBuf>,
    /// Check the files as case-base files (factors, justifications, sources, outcome).
    #[arg(long)]
    cases: bool,
}

pub fn run(args: Args) -> anyhow::Result<ExitCode> {
    let mut bad = 0;
    for path in &args.files {
        let result = if args.cases {
            casus_data::load_case(path).map(|c| c.situation)
        } else {
            casus_data::load_situation(path)
        };
        match result {
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
    Ok(if bad == 0 {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(EXIT_BAD_INPUT)
    })
}
