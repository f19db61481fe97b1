//! Printing results and errors, and mapping errors to exit codes in one place.

use anyhow::Context as _;
use serde::Serialize;
use std::path::Path;

/// Exit code for bad input: a file, a flag or a value the user gave.
pub const EXIT_BAD_INPUT: u8 = 2;
/// Exit code for a failure inside casus.
pub const EXIT_FAILURE: u8 = 1;

/// Errors a user can fix by changing what they gave casus.
#[derive(Debug, thiserror::Error)]
#[error("{0}")]
pub struct BadInput(pub String);

/// Bad input exits 2, everything else 1.
pub fn exit_code(e: &anyhow::Error) -> u8 {
    let user = e
        .chain()
        .any(|c| c.is::<casus_data::DataError>() || c.is::<BadInput>());
    if user { EXIT_BAD_INPUT } else { EXIT_FAILURE }
}

/// One line per cause: `casus: error: <what>: <why>`.
pub fn report_error(e: &anyhow::Error) {
    let mut msg = format!("casus: error: {e}");
    for cause in e.chain().skip(1) {
        let c = cause.to_string();
        if !msg.contains(&c) {
            msg.push_str(": ");
            msg.push_str(&c);
        }
    }
    eprintln!("{msg}");
}

/// Print a value as pretty JSON on stdout.
pub fn print_json<T: Serialize>(v: &T) -> anyhow::Result<()> {
    let text = serde_json::to_string_pretty(v)?;
    println!("{text}");
    Ok(())
}

/// Write an output file atomically ([`casus_core::write_atomic`]), naming it in the error.
pub fn write_file(path: &Path, text: &str) -> anyhow::Result<()> {
    casus_core::write_atomic(path, text).with_context(|| format!("cannot write {}", path.display()))
}
