//! `casus-fuzz`: run the fuzz targets. See the crate docs and README.md ("Security and durability").

use anyhow::{Result, bail};
use casus_fuzz::{Budget, Options, TARGETS, corpus_dir, run};
use clap::Parser;
use std::path::PathBuf;
use std::time::Duration;

/// Fuzz casus's parsers and API bodies: mutate a corpus, catch panics and broken promises.
#[derive(Parser)]
struct Args {
    /// Targets to run [default: all built in]; `--list` names them.
    targets: Vec<String>,
    /// Name the targets and exit.
    #[arg(long)]
    list: bool,
    /// Seconds per target [default: 10].
    #[arg(long, default_value_t = 10.0)]
    seconds: f64,
    /// Executions per target instead of a time (deterministic).
    #[arg(long)]
    execs: Option<u64>,
    /// Random seed [default: 1].
    #[arg(long, default_value_t = 1)]
    seed: u64,
    /// Rewrite `fuzz/corpus/<target>/` with the shortest input of each outcome seen.
    #[arg(long)]
    save_corpus: bool,
    /// Where findings go, a folder per target [default: fuzz/crashes].
    #[arg(long)]
    crash_dir: Option<PathBuf>,
}

fn main() -> Result<()> {
    let args = Args::parse();
    if args.list {
        for t in TARGETS {
            println!("{:16} {}", t.name, t.about);
        }
        return Ok(());
    }
    let chosen: Vec<_> = if args.targets.is_empty() {
        TARGETS.iter().collect()
    } else {
        let mut v = Vec::new();
        for name in &args.targets {
            match TARGETS.iter().find(|t| t.name == name) {
                Some(t) => v.push(t),
                None => bail!(
                    "unknown target `{name}`; built in: {} (the event readers need --features events)",
                    TARGETS
                        .iter()
                        .map(|t| t.name)
                        .collect::<Vec<_>>()
                        .join(", ")
                ),
            }
        }
        v
    };
    let mut found = 0;
    for t in chosen {
        let budget = match args.execs {
            Some(n) => Budget::Execs(n),
            None => Budget::Time(Duration::from_secs_f64(args.seconds)),
        };
        let mut opts = Options::new(budget);
        opts.seed = args.seed;
        opts.corpus_dir = Some(corpus_dir(t.name));
        opts.save = args.save_corpus;
        if let Some(d) = &args.crash_dir {
            opts.crash_dir = d.clone();
        }
        let r = run(t, &opts);
        println!(
            "{:16} {:>10} execs in {:>7.1} s ({:>7.0}/s), {:>4} outcomes, {} findings{}",
            r.target,
            r.execs,
            r.elapsed.as_secs_f64(),
            r.execs as f64 / r.elapsed.as_secs_f64().max(1e-9),
            r.outcomes,
            r.findings.len(),
            if args.save_corpus {
                format!(", corpus {} bytes", r.corpus_bytes)
            } else {
                String::new()
            }
        );
        for f in &r.findings {
            println!("  FINDING {}: {}", f.input.display(), f.message);
        }
        found += r.findings.len();
    }
    if found > 0 {
        bail!("{found} findings");
    }
    Ok(())
}
