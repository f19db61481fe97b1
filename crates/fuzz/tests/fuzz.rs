//! A short, deterministic pass of every target, and a replay of the committed corpus and of
//! every input that once broke a parser (`fuzz/regressions/<target>/`).

use casus_fuzz::{Budget, Options, TARGETS, corpus_dir, execute, read_corpus, run, workspace_dir};

/// Executions per target: a few seconds each in a debug build.
const EXECS: u64 = 3_000;

#[test]
fn every_target_survives_a_short_pass() {
    let crash_dir = std::env::temp_dir().join(format!("casus-fuzz-ci-{}", std::process::id()));
    for t in TARGETS {
        let mut opts = Options::new(Budget::Execs(EXECS));
        opts.corpus_dir = Some(corpus_dir(t.name));
        opts.crash_dir = crash_dir.clone();
        let r = run(t, &opts);
        assert_eq!(r.execs, EXECS.max(r.execs));
        assert!(
            r.findings.is_empty(),
            "{}: {:#?} (inputs under {})",
            t.name,
            r.findings,
            crash_dir.display()
        );
        assert!(
            r.outcomes > 1,
            "{}: only one outcome; are the seeds there?",
            t.name
        );
    }
}

#[test]
fn the_committed_corpus_and_past_crashes_replay_cleanly() {
    for t in TARGETS {
        for dir in [
            corpus_dir(t.name),
            workspace_dir().join("fuzz/regressions").join(t.name),
        ] {
            for (path, input) in read_corpus(&dir) {
                // Twice: some findings (a duplicate forecast) need the same input a second time.
                for _ in 0..2 {
                    if let Err(why) = execute(t, &input) {
                        panic!("{}: {}: {why}", t.name, path.display());
                    }
                }
            }
        }
    }
}
