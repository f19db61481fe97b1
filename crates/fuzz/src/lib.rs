//! # casus-fuzz
//!
//! Mutation fuzzing of every parser of user input (situations in TOML and JSON, case files, the
//! moves file, the four event-file layouts) and of the API's JSON bodies, on the stable toolchain.
//!
//! There is no coverage instrumentation (libFuzzer needs nightly; AFL++ through `cargo afl` needs
//! its own instrumented build of every dependency). What guides the search instead is each
//! target's *outcome*: the shape of the error it gives (digits and quoted names blanked) or of
//! the value it accepts. An input whose outcome is new joins the pool and is mutated further;
//! for each outcome only the shortest input is kept, so the corpus stays small.
//!
//! A finding is a panic (caught with [`std::panic::catch_unwind`]) or a broken promise the target
//! checks (an error that does not name its file, a 500 from the API). Its input is saved to
//! `crash_dir/<target>/<hash>.bin`. Runs are deterministic given the seed and the number of
//! executions; a time budget only decides where a run stops.
//!
//! ```no_run
//! use casus_fuzz::{Budget, Options, TARGETS, run};
//! let target = TARGETS.iter().find(|t| t.name == "case").unwrap();
//! let report = run(target, &Options::new(Budget::Execs(10_000)));
//! assert!(report.findings.is_empty());
//! ```

mod mutate;
mod targets;

use std::collections::BTreeMap;
use std::panic::{AssertUnwindSafe, catch_unwind};
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

pub use mutate::{Rng, mutate};
pub use targets::TARGETS;

/// What a target says about one input: the shape of its outcome, or a broken promise.
pub type Outcome = Result<String, String>;

/// One thing to fuzz.
pub struct Target {
    /// Its name on the command line and its corpus folder's.
    pub name: &'static str,
    /// What it feeds and what it checks.
    pub about: &'static str,
    /// Valid inputs the project writes itself (its data files and test fixtures).
    pub seeds: fn() -> Vec<Vec<u8>>,
    /// Tokens worth inserting (the format's punctuation, keys, edge-case numbers).
    pub dict: &'static [&'static [u8]],
    /// Feed one input; `Ok(shape)` when every promise held, `Err(why)` when one broke.
    pub check: fn(&[u8]) -> Outcome,
}

impl std::fmt::Debug for Target {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Target").field("name", &self.name).finish()
    }
}

/// How long a run goes on.
#[derive(Debug, Clone, Copy)]
pub enum Budget {
    /// Stop after this many executions (deterministic: for tests and CI).
    Execs(u64),
    /// Stop after this long.
    Time(Duration),
}

/// How to run a target.
#[derive(Debug, Clone)]
pub struct Options {
    /// The random seed [default: 1].
    pub seed: u64,
    pub budget: Budget,
    /// Where the corpus lives: read at the start; with `save`, rewritten at the end with the
    /// shortest input of each outcome [default: none].
    pub corpus_dir: Option<PathBuf>,
    pub save: bool,
    /// Where findings are written, under a folder per target [default: `fuzz/crashes`].
    pub crash_dir: PathBuf,
    /// Mutants are cut to this many bytes past the longest seed [default: 512].
    pub grow: usize,
}

impl Options {
    pub fn new(budget: Budget) -> Options {
        Options {
            seed: 1,
            budget,
            corpus_dir: None,
            save: false,
            crash_dir: workspace_dir().join("fuzz/crashes"),
            grow: 512,
        }
    }
}

/// One finding: the broken promise or panic, and where its input was saved.
#[derive(Debug, Clone)]
pub struct Finding {
    pub message: String,
    pub input: PathBuf,
}

/// What a run did.
#[derive(Debug, Clone)]
pub struct Report {
    pub target: &'static str,
    pub execs: u64,
    pub elapsed: Duration,
    /// Distinct outcomes seen.
    pub outcomes: usize,
    /// Inputs in the pool at the end (seeds included).
    pub pool: usize,
    /// Bytes of the corpus written (with `save`).
    pub corpus_bytes: usize,
    /// Distinct findings, the first input of each.
    pub findings: Vec<Finding>,
}

/// The repository's root (this crate lives in `crates/fuzz`).
pub fn workspace_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

/// The committed corpus of a target.
pub fn corpus_dir(target: &str) -> PathBuf {
    workspace_dir().join("fuzz/corpus").join(target)
}

/// FNV-1a, for file names that depend only on the content.
fn hash(bytes: &[u8]) -> u64 {
    bytes.iter().fold(0xcbf2_9ce4_8422_2325, |h, &b| {
        (h ^ u64::from(b)).wrapping_mul(0x0000_0100_0000_01b3)
    })
}

/// Run `check` on `input`, turning a panic into a broken promise.
pub fn execute(target: &Target, input: &[u8]) -> Outcome {
    match catch_unwind(AssertUnwindSafe(|| (target.check)(input))) {
        Ok(outcome) => outcome,
        Err(payload) => {
            let what = payload
                .downcast_ref::<String>()
                .cloned()
                .or_else(|| payload.downcast_ref::<&str>().map(|s| s.to_string()))
                .unwrap_or_else(|| "a panic without a message".into());
            Err(format!("panic: {what}"))
        }
    }
}

/// The files of a corpus folder, sorted by name (so that runs are deterministic).
pub fn read_corpus(dir: &Path) -> Vec<(PathBuf, Vec<u8>)> {
    let mut files: Vec<PathBuf> = std::fs::read_dir(dir)
        .map(|rd| rd.filter_map(|e| e.ok().map(|e| e.path())).collect())
        .unwrap_or_default();
    files.retain(|p| p.is_file());
    files.sort();
    files
        .into_iter()
        .filter_map(|p| std::fs::read(&p).ok().map(|b| (p, b)))
        .collect()
}

/// Shape of a message: digits become `#`, and it ends at the first quote or backtick (what
/// follows often echoes the input, whose own quotes cannot be told from the message's), so that
/// "line 3" and "line 4", or two unknown keys, are one outcome.
pub fn shape(message: &str) -> String {
    let mut out = String::new();
    for c in message.chars() {
        if c.is_ascii_digit() {
            if !out.ends_with('#') {
                out.push('#');
            }
            continue;
        }
        out.push(c);
        if c == '`' || c == '"' || c == '\'' || out.len() >= 96 {
            break;
        }
    }
    out
}

/// Greedily delete runs of bytes from `input` while its outcome stays `want`, within `budget`
/// executions.
fn minimise(target: &Target, input: &[u8], want: &str, mut budget: u32) -> Vec<u8> {
    let mut best = input.to_vec();
    let mut chunk = best.len() / 2;
    while chunk >= 1 && budget > 0 {
        let mut at = 0;
        while at < best.len() && budget > 0 {
            let end = (at + chunk).min(best.len());
            let mut trial = best[..at].to_vec();
            trial.extend_from_slice(&best[end..]);
            budget -= 1;
            if execute(target, &trial).as_deref() == Ok(want) {
                best = trial;
            } else {
                at = end;
            }
        }
        chunk /= 2;
    }
    best
}

/// Fuzz `target` under `opts`.
pub fn run(target: &Target, opts: &Options) -> Report {
    let start = Instant::now();
    let mut rng = Rng::new(opts.seed ^ hash(target.name.as_bytes()));
    let seeds = (target.seeds)();
    let max_len = seeds.iter().map(Vec::len).max().unwrap_or(0) + opts.grow;
    let mut pool: Vec<Vec<u8>> = seeds.clone();
    let on_disk = opts
        .corpus_dir
        .as_deref()
        .map(read_corpus)
        .unwrap_or_default();
    pool.extend(on_disk.iter().map(|(_, b)| b.clone()));
    if pool.is_empty() {
        pool.push(Vec::new());
    }
    // The shortest input of each outcome; seeds first, so that they are not saved again.
    let mut best: BTreeMap<String, Vec<u8>> = BTreeMap::new();
    let mut findings: BTreeMap<String, Finding> = BTreeMap::new();
    let mut execs = 0u64;
    let mut record = |input: &[u8],
                      outcome: Outcome,
                      best: &mut BTreeMap<String, Vec<u8>>,
                      pool: &mut Vec<Vec<u8>>| {
        match outcome {
            Ok(sig) => match best.get(&sig) {
                Some(b) if b.len() <= input.len() => {}
                Some(_) => {
                    best.insert(sig, input.to_vec());
                }
                None => {
                    best.insert(sig, input.to_vec());
                    pool.push(input.to_vec());
                }
            },
            Err(why) => {
                if let std::collections::btree_map::Entry::Vacant(slot) =
                    findings.entry(shape(&why))
                {
                    let dir = opts.crash_dir.join(target.name);
                    let path = dir.join(format!("{:016x}.bin", hash(input)));
                    let _ =
                        std::fs::create_dir_all(&dir).and_then(|()| std::fs::write(&path, input));
                    slot.insert(Finding {
                        message: why,
                        input: path,
                    });
                }
            }
        }
    };
    let quiet = QuietPanics::new();
    for input in pool.clone() {
        execs += 1;
        let outcome = execute(target, &input);
        record(&input, outcome, &mut best, &mut pool);
    }
    let seed_shapes: BTreeMap<&[u8], ()> = seeds.iter().map(|s| (s.as_slice(), ())).collect();
    loop {
        let done = match opts.budget {
            Budget::Execs(n) => execs >= n,
            Budget::Time(d) => start.elapsed() >= d,
        };
        if done {
            break;
        }
        let parent = &pool[rng.below(pool.len())];
        let other = &pool[rng.below(pool.len())];
        let child = mutate(&mut rng, parent, other, target.dict, max_len);
        execs += 1;
        let outcome = execute(target, &child);
        record(&child, outcome, &mut best, &mut pool);
    }
    let mut corpus_bytes = 0;
    if let (true, Some(dir)) = (opts.save, &opts.corpus_dir) {
        let _ = std::fs::create_dir_all(dir);
        for (path, _) in &on_disk {
            let _ = std::fs::remove_file(path);
        }
        for (sig, input) in &best {
            if seed_shapes.contains_key(input.as_slice()) {
                continue;
            }
            let small = minimise(target, input, sig, 4000);
            if seed_shapes.contains_key(small.as_slice()) {
                continue;
            }
            corpus_bytes += small.len();
            let _ = std::fs::write(dir.join(format!("{:016x}", hash(&small))), &small);
        }
    }
    drop(quiet);
    Report {
        target: target.name,
        execs,
        elapsed: start.elapsed(),
        outcomes: best.len(),
        pool: pool.len(),
        corpus_bytes,
        findings: findings.into_values().collect(),
    }
}

/// Silences the panic hook while a run catches panics on purpose, and restores it afterwards.
struct QuietPanics {
    previous: Option<PanicHook>,
}

type PanicHook = Box<dyn Fn(&std::panic::PanicHookInfo<'_>) + Sync + Send + 'static>;

impl QuietPanics {
    fn new() -> QuietPanics {
        let previous = std::panic::take_hook();
        std::panic::set_hook(Box::new(|_| {}));
        QuietPanics {
            previous: Some(previous),
        }
    }
}

impl Drop for QuietPanics {
    fn drop(&mut self) {
        if let Some(p) = self.previous.take() {
            std::panic::set_hook(p);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shapes_blank_numbers_and_names() {
        assert_eq!(
            shape("f.toml:3:14: unknown field `foo`"),
            shape("f.toml:12:1: unknown field `barbaz`")
        );
        assert_ne!(shape("missing field"), shape("unknown field"));
        // The input's own quotes do not make a new outcome.
        assert_eq!(shape("bad date `a``b`"), shape("bad date `c`"));
    }

    #[test]
    fn a_panicking_target_is_a_finding_saved_to_a_file() {
        let dir = std::env::temp_dir().join(format!("casus-fuzz-test-{}", std::process::id()));
        let t = Target {
            name: "panics-on-x",
            about: "",
            seeds: || vec![b"abc".to_vec()],
            dict: &[b"x"],
            check: |b| {
                assert!(!b.contains(&b'x'), "found an x");
                Ok(String::from_utf8_lossy(b).len().to_string())
            },
        };
        let mut opts = Options::new(Budget::Execs(5_000));
        opts.crash_dir = dir.clone();
        let r = run(&t, &opts);
        assert_eq!(r.execs, 5_000);
        assert_eq!(r.findings.len(), 1, "{:?}", r.findings);
        assert!(r.findings[0].message.contains("found an x"));
        let saved = std::fs::read(&r.findings[0].input).unwrap();
        assert!(saved.contains(&b'x'));
        std::fs::remove_dir_all(dir).unwrap();
    }

    #[test]
    fn minimising_keeps_the_outcome() {
        let t = Target {
            name: "has-z",
            about: "",
            seeds: Vec::new,
            dict: &[],
            check: |b| Ok(b.contains(&b'z').to_string()),
        };
        let small = minimise(&t, b"aaaaazaaaaaaa", "true", 1000);
        assert_eq!(small, b"z");
    }
}
