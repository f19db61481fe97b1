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
            // Killed before anything was created: the folder holds no import yet.
            2 if r.stderr.contains("not an imported event directory") && k == 0 => {}
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
