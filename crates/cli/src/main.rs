//! `casus`: the command-line front end. Flags are parsed here and handed to the library crates;
//! no modelling or file-format logic lives in the binary.
//!
//! Exit codes: 0 success; 1 a failure inside casus; 2 bad input (a file, a flag or a value).

mod cmd;
mod output;

use clap::{Parser, Subcommand};
use std::process::ExitCode;

/// Will a regional great power use military force in or against a neighbouring state in crisis?
///
/// casus answers with a calibrated probability, an interval, and the reasons in the terms of the
/// theory (core interests, escalation path, restraints, signals), fitted to a case base of crises
/// from 1953 to 2019 and scored by leave-one-out.
#[derive(Parser)]
#[command(name = "casus", version, about, long_about = None, propagate_version = true)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

// Each command lives in `cmd/<name>.rs` with an `Args` struct and a `run` function. To add one,
// add a variant here and an arm in `main` below (keep one line each; several people edit this).
#[derive(Subcommand)]
enum Command {
    /// Check situation files (or case files with --cases) and report every problem.
    Validate(cmd::validate::Args),
    /// List the historical case base.
    Cases(cmd::cases::Args),
    // casus:commands
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    let result = match cli.command {
        Command::Validate(a) => cmd::validate::run(a),
        Command::Cases(a) => cmd::cases::run(a),
        // casus:dispatch
    };
    match result {
        Ok(code) => code,
        Err(e) => {
            output::report_error(&e);
            ExitCode::from(output::exit_code(&e))
        }
    }
}
