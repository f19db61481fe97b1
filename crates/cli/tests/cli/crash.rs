//! Crash consistency: commands that write files are killed with SIGKILL at several points, and
//! what they leave is either complete and readable, untouched, or refused with a message that
//! names it; never half-counted.

use std::path::Path;
use std::process::{Command, Stdio};
use std::time::Duration;

const ROOT: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/../..");

/// Start `casus args...`, kill it (SIGKILL) after `delay`, and wait for it.
fn kill_after(args: &[&str], delay: Duration) {
    let mut child = Command::new(env!("CARGO_BIN_EXE_casus"))
        .args(args)
        .current_dir(ROOT)
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .expect("start casus");
    std::thread::sleep(delay);
    let _ = child.kill(); // SIGKILL on Unix; an error means it had already finished
    let _ = child.wait();
}

/// Kill delays: early (opening files), middle and late (writing, renaming); some runs finish.
const DELAYS_MS: [u64; 7] = [0, 15, 40, 90, 200, 450, 1000];

#[test]
fn a_killed_fit_leaves_the_old_artifact_or_the_new_one() {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("model.json");
    let shipped =
        std::fs::read_to_string(Path::new(ROOT).join("data/model/casus-model.json")).unwrap();
    std::fs::write(&out, &shipped).unwrap();
    let out_s = out.to_str().unwrap();
    for ms in DELAYS_MS {
        kill_after(
            &["fit", "--out", out_s, "--draws", "200", "--tune", "200"],
            Duration::from_millis(ms),
        );
        let text = std::fs::read_to_string(&out).unwrap();
        casus_model::FittedModel::from_json(&text)
            .unwrap_or_else(|e| panic!("after a kill at {ms} ms the artifact is unreadable: {e}"));
        let leftovers: Vec<_> = std::fs::read_dir(tmp.path())
            .unwrap()
            .flatten()
            .map(|e| e.file_name().to_string_lossy().into_owned())
            .filter(|n| n != "model.json")
            .collect();
        // A temporary file beside it is harmless (never read as the artifact); say what is there.
        eprintln!("kill at {ms} ms: artifact readable; other files: {leftovers:?}");
    }
}

#[cfg(feature = "events")]
#[test]
fn a_killed_import_is_refused_by_name_or_absent_never_half_counted() {
    let tmp = tempfile::tempdir().unwrap();
    // A file large enough that the import takes a while in a debug build: the project's fixture,
    // repeated.
    let fixture = std::fs::read_to_string(
        Path::new(ROOT).join("crates/events/tests/fixtures/gdelt1_sample.tsv"),
    )
    .unwrap();
    let big = fixture.repeat(300);
    let folder = tmp.path().join("daily");
    let csv = tmp.path().join("i.csv");
    let (folder_s, csv_s) = (folder.to_str().unwrap(), csv.to_str().unwrap());
    let (mut refused, mut complete) = (0, 0);
    for (k, ms) in DELAYS_MS.iter().enumerate() {
        let out = folder.join(format!("day-{k}"));
        std::fs::create_dir_all(&folder).unwrap();
        // One file per day (a folder refuses the same file imported twice).
        let input = tmp.path().join(format!("day-{k}.tsv"));
        std::fs::write(&input, &big).unwrap();
        let big = input.to_str().unwrap().to_owned();
        kill_after(
            &[
                "events",
                "import",
                "--format",
                "gdelt1",
                &big,
                "--out",
                out.to_str().unwrap(),
            ],
            Duration::from_millis(*ms),
        );
        let r =
            crate::macros::casus(&["events", "indicators", "--events", folder_s, "--out", csv_s]);
        match r.code {
            0 => {
                complete += 1;
                // Everything read is a finished import with its record.
                for e in std::fs::read_dir(&folder).unwrap().flatten() {
                    assert!(
                        e.path().join("import.json").is_file(),
                        "{} was read without its import record",
                        e.path().display()
                    );
                }
            }
            2 if r.stderr.contains("did not finish") => {
                refused += 1;
                // The message names the leftover; removing it (as it says) makes the folder
                // readable again.
                let named = std::fs::read_dir(&folder)
                    .unwrap()
                    .flatten()
                    .map(|e| e.path())
                    .find(|p| r.stderr.contains(&p.display().to_string()))
                    .unwrap_or_else(|| panic!("the message names no leftover: {}", r.stderr));
                std::fs::remove_dir_all(named).unwrap();
            }
            // Killed before anything was created (under load this can happen at any of the early
            // kill times): the refusal is right only while the folder holds nothing at all.
            2 if r.stderr.contains("not an imported event directory")
                && std::fs::read_dir(&folder)
                    .map(|mut d| d.next().is_none())
                    .unwrap_or(true) => {}
            code => panic!("kill at {ms} ms: indicators exited {code}: {}", r.stderr),
        }
    }
    eprintln!("{refused} interrupted imports refused by name, {complete} readable folders");
    // Each finished import holds the whole file: the same events the first finished one holds.
    let finished: Vec<_> = std::fs::read_dir(&folder)
        .unwrap()
        .flatten()
        .filter(|e| e.path().join("import.json").is_file())
        .map(|e| std::fs::read_to_string(e.path().join("import.json")).unwrap())
        .collect();
    for rec in &finished {
        let v: serde_json::Value = serde_json::from_str(rec).unwrap();
        assert_eq!(v["files"][0]["rows_ok"], 60_000, "{rec}");
    }
}

/// Run `casus args...` to the end (it must succeed) and return how long it took.
fn run_timed(args: &[&str]) -> Duration {
    let start = std::time::Instant::now();
    let out = Command::new(env!("CARGO_BIN_EXE_casus"))
        .args(args)
        .current_dir(ROOT)
        .output()
        .expect("start casus");
    assert!(
        out.status.success(),
        "casus {args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    start.elapsed()
}

/// The output file of `args` (which writes `out`) killed with SIGKILL at points spread over a
/// whole run: afterwards `out` holds exactly the `old` bytes or exactly the bytes of a complete
/// run, never a part. Returns (old, new) counts.
fn killed_writer_leaves_old_or_new(args: &[&str], out: &Path, old: &[u8]) -> (usize, usize) {
    let new = |now: &[u8], complete: &[u8]| now == complete;
    killed_writer_leaves_old_or(args, out, old, &new)
}

/// As [`killed_writer_leaves_old_or_new`], with `is_new(file, complete run's file)` saying
/// whether what is there is a whole new output.
fn killed_writer_leaves_old_or(
    args: &[&str],
    out: &Path,
    old: &[u8],
    is_new: &dyn Fn(&[u8], &[u8]) -> bool,
) -> (usize, usize) {
    // A complete run gives the new bytes and the time a run takes on this machine now.
    let took = run_timed(args);
    let new = std::fs::read(out).unwrap();
    assert_ne!(
        new, old,
        "the test needs the old file to differ from a new one"
    );
    let (mut olds, mut news) = (0, 0);
    for pct in [0, 10, 25, 40, 55, 70, 80, 90, 95, 100, 110, 130] {
        std::fs::write(out, old).unwrap();
        let delay = took * pct / 100;
        kill_after(args, delay);
        let now = std::fs::read(out)
            .unwrap_or_else(|e| panic!("after a kill at {delay:?} {} is gone: {e}", out.display()));
        if now == old {
            olds += 1;
        } else if is_new(&now, &new) {
            news += 1;
        } else {
            panic!(
                "after a kill at {delay:?} {} is neither the old file nor a whole new one ({} bytes; \
                 old {}, new {})",
                out.display(),
                now.len(),
                old.len(),
                new.len()
            );
        }
    }
    eprintln!(
        "casus {}: {olds} kills left the old file, {news} the new one",
        args[0]
    );
    (olds, news)
}

#[test]
fn a_killed_report_leaves_the_old_report_or_the_new_one() {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("report.html");
    let out_s = out.to_str().unwrap();
    killed_writer_leaves_old_or_new(&["report", "--out", out_s], &out, b"<html>old</html>\n");
}

#[test]
fn a_killed_evaluate_write_leaves_the_old_evaluation_or_the_new_one() {
    let tmp = tempfile::tempdir().unwrap();
    // Twelve of the project's cases: enough to evaluate (eleven at least), quick enough to
    // kill many times.
    let cases = tmp.path().join("cases");
    std::fs::create_dir(&cases).unwrap();
    let mut all: Vec<_> = std::fs::read_dir(Path::new(ROOT).join("data/cases"))
        .unwrap()
        .flatten()
        .map(|e| e.path())
        .filter(|p| p.extension().is_some_and(|e| e == "toml"))
        .collect();
    all.sort();
    for p in all.iter().take(12) {
        std::fs::copy(p, cases.join(p.file_name().unwrap())).unwrap();
    }
    let out = tmp.path().join("evaluation.json");
    let old = std::fs::read(Path::new(ROOT).join("data/model/casus-evaluation.json")).unwrap();
    let args = [
        "evaluate",
        "--cases",
        cases.to_str().unwrap(),
        "--write",
        out.to_str().unwrap(),
    ];
    // A new file must read as a whole evaluation of the same case base and model: JSON that parses
    // is whole. (Not compared byte for byte, so that a rebuilt model crate does not fail a test of
    // the writer.)
    let whole = |now: &[u8], complete: &[u8]| {
        let read = |b: &[u8]| {
            std::str::from_utf8(b)
                .ok()
                .and_then(|t| casus_model::eval::SavedEvaluation::from_json(t).ok())
        };
        matches!((read(now), read(complete)), (Some(a), Some(b))
            if a.case_base_hash == b.case_base_hash && a.model_version == b.model_version)
    };
    killed_writer_leaves_old_or(&args, &out, &old, &whole);
}

#[test]
fn a_killed_forecast_export_leaves_the_old_export_or_the_new_one() {
    let tmp = tempfile::tempdir().unwrap();
    let db = tmp.path().join("f.db");
    let db_s = db.to_str().unwrap();
    for _ in 0..3 {
        crate::macros::casus(&["forecast", "--db", db_s, "record"]);
    }
    let out = tmp.path().join("backup.jsonl");
    let args = [
        "forecast",
        "--db",
        db_s,
        "export",
        "--out",
        out.to_str().unwrap(),
    ];
    killed_writer_leaves_old_or_new(&args, &out, b"{\"old\": true}\n");
}

#[cfg(feature = "events")]
#[test]
fn a_killed_indicators_leaves_the_old_table_or_the_new_one() {
    let tmp = tempfile::tempdir().unwrap();
    let events = tmp.path().join("events");
    let fixture = Path::new(ROOT).join("crates/events/tests/fixtures/gdelt1_sample.tsv");
    let r = crate::macros::casus(&[
        "events",
        "import",
        "--format",
        "gdelt1",
        fixture.to_str().unwrap(),
        "--out",
        events.to_str().unwrap(),
    ]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    let out = tmp.path().join("indicators.csv");
    let args = [
        "events",
        "indicators",
        "--events",
        events.to_str().unwrap(),
        "--out",
        out.to_str().unwrap(),
    ];
    killed_writer_leaves_old_or_new(&args, &out, b"date,old\n");
}
