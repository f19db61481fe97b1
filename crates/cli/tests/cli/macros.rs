//! Run the real binary and capture what a user would see.

use std::process::Command;

pub struct Run {
    pub code: i32,
    pub stdout: String,
    pub stderr: String,
}

/// Run `casus` with `args` in the workspace root.
pub fn casus(args: &[&str]) -> Run {
    let root = concat!(env!("CARGO_MANIFEST_DIR"), "/../..");
    let out = Command::new(env!("CARGO_BIN_EXE_casus"))
        .args(args)
        .current_dir(root)
        .output()
        .expect("run casus");
    Run {
        code: out.status.code().unwrap_or(-1),
        stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
    }
}

/// `casus_ok!(args...)` runs casus, asserts exit 0 and returns the run.
macro_rules! casus_ok {
    ($($arg:expr),* $(,)?) => {{
        let r = $crate::macros::casus(&[$($arg),*]);
        assert_eq!(r.code, 0, "casus {:?} failed:\n{}", [$($arg),*], r.stderr);
        r
    }};
}

/// `casus_fails!(code, args...)` runs casus and asserts the exit code.
macro_rules! casus_fails {
    ($code:expr, $($arg:expr),* $(,)?) => {{
        let r = $crate::macros::casus(&[$($arg),*]);
        assert_eq!(r.code, $code, "casus {:?}: stdout {} stderr {}", [$($arg),*], r.stdout, r.stderr);
        r
    }};
}
