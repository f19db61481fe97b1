//! casus import + indicators against DuckDB and Polars on generated GDELT 1.0 files.
//!
//! ```text
//! cargo bench -p casus-events --bench events_vs_peers -- [--sizes 0.5,1,2] [--threads 2]
//!     [--runs 3] [--data-dir DIR] [--peers duckdb,polars|none] [--generate-only]
//! ```
//!
//! For each size (GB) a GDELT 1.0 file is generated from the project's own fixture (once; kept in
//! the data dir, default `$CARGO_TARGET_DIR/bench-events`). casus runs in a child process (this
//! program again, with `--casus-run`) so that its peak memory is its own; the peers run through
//! `bench/events_peers.py` (`pip install duckdb polars`). All three write the same dyad-day
//! indicator table as CSV, which is compared row by row. Each child runs under GNU time
//! (`/usr/bin/time`), which gives the same measures for all: wall time, CPU time (user + system)
//! and peak resident memory. Each engine runs `--runs` times (default 3) and the run with the
//! median wall time is reported. Prints those, rows/s and the casus/peer ratios.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Instant;

use casus_events::{
    Format, GenerateOptions, ImportOptions, IndicatorQuery, generate_gdelt1, import,
    indicators_sql, write_indicators,
};

fn arg(args: &[String], name: &str) -> Option<String> {
    args.iter()
        .position(|a| a == name)
        .and_then(|i| args.get(i + 1).cloned())
}

fn peak_rss_kb() -> u64 {
    std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|s| {
            s.lines()
                .find(|l| l.starts_with("VmHWM:"))
                .and_then(|l| l.split_whitespace().nth(1)?.parse().ok())
        })
        .unwrap_or(0)
}

/// Child mode: import `input` into `work/events`, write `work/casus.csv`, print key=value lines.
fn casus_run(input: &Path, work: &Path, threads: usize) {
    let t0 = Instant::now();
    let report = import(
        Format::Gdelt1,
        &[input.to_path_buf()],
        &work.join("events"),
        &ImportOptions::default().threads(threads).overwrite(true),
    )
    .expect("import");
    let import_s = t0.elapsed().as_secs_f64();
    let t1 = Instant::now();
    let out_rows = write_indicators(
        &work.join("events"),
        &IndicatorQuery::default(),
        &work.join("casus.csv"),
    )
    .expect("indicators");
    let indicators_s = t1.elapsed().as_secs_f64();
    println!("import_s={import_s:.3}");
    println!("indicators_s={indicators_s:.3}");
    println!("wall_s={:.3}", t0.elapsed().as_secs_f64());
    println!("rows={}", report.rows_written);
    println!("bad_rows={}", report.rows_bad);
    println!("parquet_files={}", report.parquet_files);
    println!("out_rows={out_rows}");
    println!("peak_rss_kb={}", peak_rss_kb());
}

fn parse_kv(out: &[u8]) -> BTreeMap<String, String> {
    String::from_utf8_lossy(out)
        .lines()
        .filter_map(|l| l.split_once('='))
        .map(|(k, v)| (k.to_string(), v.to_string()))
        .collect()
}

/// What a child process cost, measured from outside by GNU time when present.
struct Cost {
    wall: f64,
    cpu: f64,
    peak_kb: u64,
}

/// Run a child `runs` times and return the run with the median wall time. Before each run the
/// file system is synced, so that writing back the previous run's output is not charged to it.
fn run(
    runs: usize,
    program: &Path,
    args: &[&std::ffi::OsStr],
    stats: &Path,
) -> Option<(BTreeMap<String, String>, Cost)> {
    let mut all = Vec::new();
    for _ in 0..runs.max(1) {
        let _ = Command::new("sync").status();
        all.push(run_once(program, args, stats)?);
    }
    all.sort_by(|a, b| a.1.wall.total_cmp(&b.1.wall));
    let mid = all.len() / 2;
    Some(all.swap_remove(mid))
}

/// Run a child under `/usr/bin/time` (when present) and return its key=value output and cost.
fn run_once(
    program: &Path,
    args: &[&std::ffi::OsStr],
    stats: &Path,
) -> Option<(BTreeMap<String, String>, Cost)> {
    let gnu_time = Path::new("/usr/bin/time");
    let mut cmd = if gnu_time.exists() {
        let mut c = Command::new(gnu_time);
        c.arg("-f")
            .arg("%e %U %S %M")
            .arg("-o")
            .arg(stats)
            .arg(program);
        c
    } else {
        Command::new(program)
    };
    cmd.args(args);
    let t0 = Instant::now();
    let out = cmd.output().ok()?;
    let wall = t0.elapsed().as_secs_f64();
    if !out.status.success() {
        eprintln!(
            "command failed: {cmd:?}\n{}",
            String::from_utf8_lossy(&out.stderr)
        );
        return None;
    }
    let kv = parse_kv(&out.stdout);
    let timed: Vec<f64> = std::fs::read_to_string(stats)
        .unwrap_or_default()
        .lines()
        .last()
        .unwrap_or("")
        .split_whitespace()
        .filter_map(|x| x.parse().ok())
        .collect();
    let cost = match timed[..] {
        [_, user, sys, max_kb] => Cost {
            wall,
            cpu: user + sys,
            peak_kb: max_kb as u64,
        },
        _ => Cost {
            wall,
            cpu: f64::NAN,
            peak_kb: kv
                .get("peak_rss_kb")
                .and_then(|v| v.parse().ok())
                .unwrap_or(0),
        },
    };
    Some((kv, cost))
}

type Row = (String, String, String, String, i64, i64, f64);

fn read_csv(path: &Path) -> Vec<Row> {
    std::fs::read_to_string(path)
        .unwrap_or_default()
        .lines()
        .skip(1)
        .map(|l| {
            let f: Vec<&str> = l.split(',').collect();
            (
                f[0].to_string(),
                f[1].to_string(),
                f[2].to_string(),
                f[3].to_string(),
                f[4].parse().unwrap_or(-1),
                f[5].parse().unwrap_or(-1),
                f[6].parse().unwrap_or(f64::NAN),
            )
        })
        .collect()
}

/// None when equal, else a description of the first difference.
fn compare(a: &[Row], b: &[Row]) -> Option<String> {
    if a.len() != b.len() {
        return Some(format!("{} vs {} rows", a.len(), b.len()));
    }
    a.iter().zip(b).enumerate().find_map(|(i, (x, y))| {
        let same = x.0 == y.0
            && x.1 == y.1
            && x.2 == y.2
            && x.3 == y.3
            && x.4 == y.4
            && x.5 == y.5
            && (x.6 - y.6).abs() <= 1e-6 * x.6.abs().max(1.0);
        (!same).then(|| format!("row {}: {x:?} vs {y:?}", i + 1))
    })
}

struct Measure {
    name: &'static str,
    cost: Cost,
    agrees: Option<bool>,
}

fn main() {
    let args: Vec<String> = std::env::args().collect();
    let threads: usize = arg(&args, "--threads")
        .and_then(|t| t.parse().ok())
        .unwrap_or_else(|| std::thread::available_parallelism().map_or(2, |n| n.get()));
    if let Some(i) = args.iter().position(|a| a == "--casus-run") {
        casus_run(Path::new(&args[i + 1]), Path::new(&args[i + 2]), threads);
        return;
    }
    let manifest = PathBuf::from(env!("CARGO_MANIFEST_DIR"));
    let repo = manifest.join("../..");
    let fixture = manifest.join("tests/fixtures/gdelt1_sample.tsv");
    let script = repo.join("bench/events_peers.py");
    let data_dir = arg(&args, "--data-dir")
        .map(PathBuf::from)
        .unwrap_or_else(|| {
            PathBuf::from(std::env::var("CARGO_TARGET_DIR").unwrap_or_else(|_| "target".into()))
                .join("bench-events")
        });
    std::fs::create_dir_all(&data_dir).expect("data dir");
    let sizes: Vec<f64> = arg(&args, "--sizes")
        .unwrap_or_else(|| "0.5,1,2".into())
        .split(',')
        .filter_map(|s| s.parse().ok())
        .collect();
    let runs: usize = arg(&args, "--runs")
        .and_then(|r| r.parse().ok())
        .unwrap_or(3);
    let peers: Vec<String> = arg(&args, "--peers")
        .unwrap_or_else(|| "duckdb,polars".into())
        .split(',')
        .filter(|p| *p != "none" && !p.is_empty())
        .map(String::from)
        .collect();
    let sql_file = data_dir.join("indicators.sql");
    std::fs::write(
        &sql_file,
        indicators_sql(&IndicatorQuery::default()).expect("sql"),
    )
    .expect("write sql");
    println!(
        "casus-events benchmark: {threads} threads, median of {runs} runs, data in {}",
        data_dir.display()
    );
    let mut summary = Vec::new();
    for gb in sizes {
        let bytes = (gb * 1e9) as u64;
        let input = data_dir.join(format!("gdelt1_{gb}GB.tsv"));
        let have = std::fs::metadata(&input).map_or(0, |m| m.len());
        if have < bytes {
            let t = Instant::now();
            let g = generate_gdelt1(
                &fixture,
                &input,
                &GenerateOptions {
                    target_bytes: bytes,
                    ..GenerateOptions::default()
                },
            )
            .expect("generate");
            println!(
                "generated {} ({} rows, {:.2} GB) in {:.1} s",
                input.display(),
                g.rows,
                g.bytes as f64 / 1e9,
                t.elapsed().as_secs_f64()
            );
        }
        if args.iter().any(|a| a == "--generate-only") {
            continue;
        }
        let size_gb = std::fs::metadata(&input).map_or(0, |m| m.len()) as f64 / 1e9;
        let work = data_dir.join(format!("work_{gb}"));
        std::fs::create_dir_all(&work).expect("work dir");
        // Read the file once so that every engine finds it in the page cache alike.
        let t = Instant::now();
        let mut f = std::fs::File::open(&input).expect("open input");
        std::io::copy(&mut f, &mut std::io::sink()).expect("read input");
        println!(
            "\nwarmed the page cache with {} in {:.1} s",
            input.display(),
            t.elapsed().as_secs_f64()
        );
        let exe = std::env::current_exe().expect("current exe");
        let stats = work.join("time.txt");
        let threads_s = threads.to_string();
        let Some((kv, cost)) = run(
            runs,
            &exe,
            &[
                "--casus-run".as_ref(),
                input.as_os_str(),
                work.as_os_str(),
                "--threads".as_ref(),
                threads_s.as_ref(),
            ],
            &stats,
        ) else {
            continue;
        };
        let rows: u64 = kv.get("rows").and_then(|r| r.parse().ok()).unwrap_or(0);
        println!(
            "== {size_gb:.2} GB, {rows} rows ==\ncasus: import {} s + indicators {} s = {:.2} s wall, {:.2} s CPU, {:.0} rows/s, peak {} MB, {} parquet files, {} indicator rows",
            kv["import_s"],
            kv["indicators_s"],
            cost.wall,
            cost.cpu,
            rows as f64 / cost.wall,
            cost.peak_kb / 1024,
            kv["parquet_files"],
            kv["out_rows"]
        );
        let casus_rows = read_csv(&work.join("casus.csv"));
        let mut ms = vec![Measure {
            name: "casus",
            cost,
            agrees: None,
        }];
        for peer in &peers {
            let out = work.join(format!("{peer}.csv"));
            let peer_args: Vec<&std::ffi::OsStr> = vec![
                script.as_os_str(),
                "--engine".as_ref(),
                peer.as_ref(),
                "--input".as_ref(),
                input.as_os_str(),
                "--out".as_ref(),
                out.as_os_str(),
                "--sql-file".as_ref(),
                sql_file.as_os_str(),
                "--threads".as_ref(),
                threads_s.as_ref(),
            ];
            let Some((_, cost)) = run(runs, Path::new("python3"), &peer_args, &stats) else {
                println!("{peer}: failed (is `pip install duckdb polars` done?)");
                continue;
            };
            let diff = compare(&casus_rows, &read_csv(&out));
            println!(
                "{peer}: {:.2} s wall, {:.2} s CPU, {:.0} rows/s, peak {} MB, results {}",
                cost.wall,
                cost.cpu,
                rows as f64 / cost.wall,
                cost.peak_kb / 1024,
                match &diff {
                    None => "agree with casus".to_string(),
                    Some(d) => format!("DIFFER: {d}"),
                }
            );
            ms.push(Measure {
                name: if peer == "duckdb" { "duckdb" } else { "polars" },
                cost,
                agrees: Some(diff.is_none()),
            });
        }
        for m in &ms[1..] {
            println!(
                "ratio casus/{}: wall {:.2}x, CPU {:.2}x, peak memory {:.2}x",
                m.name,
                ms[0].cost.wall / m.cost.wall,
                ms[0].cost.cpu / m.cost.cpu,
                ms[0].cost.peak_kb as f64 / m.cost.peak_kb.max(1) as f64
            );
        }
        summary.push((size_gb, rows, ms));
    }
    println!(
        "\n| size GB | rows | engine | wall s | CPU s | rows/s (wall) | ns/row (CPU) | peak MB | agrees |"
    );
    println!("|---|---|---|---|---|---|---|---|---|");
    for (gb, rows, ms) in &summary {
        for m in ms {
            println!(
                "| {gb:.2} | {rows} | {} | {:.2} | {:.2} | {:.0} | {:.0} | {} | {} |",
                m.name,
                m.cost.wall,
                m.cost.cpu,
                *rows as f64 / m.cost.wall,
                m.cost.cpu * 1e9 / *rows as f64,
                m.cost.peak_kb / 1024,
                m.agrees.map_or("-", |a| if a { "yes" } else { "NO" })
            );
        }
    }
    let load = std::fs::read_to_string("/proc/loadavg").unwrap_or_default();
    println!(
        "\nload average at the end: {} (other processes compete for the {} cores: compare CPU \
         seconds as well as wall time)",
        load.split_whitespace()
            .take(3)
            .collect::<Vec<_>>()
            .join(" "),
        std::thread::available_parallelism().map_or(0, |n| n.get())
    );
}
