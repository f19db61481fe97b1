//! `casus`: the command-line front end. Flags are parsed here and handed to the library crates;
//! no modelling or file-format logic lives in the binary.
//!
//! Exit codes: 0 success; 1 a failure inside casus; 2 bad input (a file, a flag or a value).

mod cmd;
mod model;
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
    /// Start a situation file with every factor as a commented line (anchors, "unknown" until coded).
    New(cmd::new::Args),
    /// List the historical case base.
    Cases(cmd::cases::Args),
    /// Record, list, resolve and score forecasts: the track record.
    Forecast(cmd::forecast::Args),
    /// Serve the web dashboard and JSON API (loopback by default).
    Serve(cmd::serve::Args),
    /// Run an Apache Ballista scheduler or executor for distributed event-data queries.
    #[cfg(feature = "events")]
    Cluster(cmd::cluster::Args),
    /// Explain an assessment in the article's terms: interests, escalation path, restraints, analogues, signposts, moves.
    Explain(cmd::explain::Args),
    /// Apply actors' moves to a situation: single scenarios, grids of combinations, scenario trees.
    Scenarios(cmd::scenarios::Args),
    /// Write a self-contained HTML report (with SVG charts) or its Markdown twin.
    Report(cmd::report::Args),
    /// Refit the model on the case base and write data/model/casus-model.json.
    Fit(cmd::fit::Args),
    /// Score the model and its baselines held out: by crisis, forward in time, by lead time; false alarms.
    Evaluate(cmd::evaluate::Args),
    /// Probability of force within the horizon, with a 90% interval, drivers and restraints.
    Assess(cmd::assess::Args),
    /// Import event data (GDELT, ICEWS) to Parquet and compute dyad-day indicators.
    #[cfg(feature = "events")]
    Events(cmd::events::Args),
    /// Daily risk from event data for a dyad: probability per day, interval, alerts.
    #[cfg(feature = "events")]
    Monitor(cmd::monitor::Args),
    /// A situation's risk over its saved versions (or over files at several dates), and what changed.
    History(cmd::history::Args),
    // casus:commands
}

impl Command {
    fn is_service(&self) -> bool {
        match self {
            Command::Serve(_) => true,
            #[cfg(feature = "events")]
            Command::Cluster(_) => true,
            _ => false,
        }
    }
}

/// Let a closed pipe (`casus cases --json | head`) end the process quietly, as other Unix tools do,
/// instead of panicking on the next write: Rust ignores SIGPIPE by default.
#[allow(unsafe_code)]
fn restore_sigpipe() {
    #[cfg(unix)]
    // SAFETY: called once at start-up, before any thread is spawned; SIG_DFL is a valid handler.
    unsafe {
        libc::signal(libc::SIGPIPE, libc::SIG_DFL);
    }
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    // Network services must keep SIGPIPE ignored: a peer closing a socket early would otherwise
    // kill the whole server. Every other command writes to a terminal or a pipe.
    if !cli.command.is_service() {
        restore_sigpipe();
    }
    let result = match cli.command {
        Command::Validate(a) => cmd::validate::run(a),
        Command::New(a) => cmd::new::run(a),
        Command::Cases(a) => cmd::cases::run(a),
        Command::Forecast(a) => cmd::forecast::run(a),
        Command::Serve(a) => cmd::serve::run(a),
        #[cfg(feature = "events")]
        Command::Cluster(a) => cmd::cluster::run(a),
        Command::Explain(a) => cmd::explain::run(a),
        Command::Scenarios(a) => cmd::scenarios::run(a),
        Command::Report(a) => cmd::report::run(a),
        Command::Fit(a) => cmd::fit::run(a),
        Command::Evaluate(a) => cmd::evaluate::run(a),
        Command::Assess(a) => cmd::assess::run(a),
        #[cfg(feature = "events")]
        Command::Events(a) => cmd::events::run(a),
        #[cfg(feature = "events")]
        Command::Monitor(a) => cmd::monitor::run(a),
        Command::History(a) => cmd::history::run(a),
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
