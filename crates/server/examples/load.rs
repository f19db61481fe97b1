//! A bounded load test of the heavy endpoints on loopback.
//!
//! ```text
//! cargo run --release -p casus-server --example load -- [--addr 127.0.0.1:8080] [--seconds 10]
//!     [--connections 4] [--max-requests 200000] [--endpoint assess|explain|scenarios|mixed]
//! ```
//!
//! `--endpoint` picks what each request is [default: assess]: `POST /assess` or `/explain` of one
//! situation, `POST /scenarios` with a move and a slider, or `mixed`, which cycles through the three
//! and `GET /situations`. Answers 503 (shed by the server's limit) are counted apart from errors.
//!
//! Without `--addr` it starts the server in this process on 127.0.0.1:0 (its own tokio runtime)
//! with the built-in fitted model and an in-memory store. Clients are plain threads holding keep-alive
//! HTTP/1.1 connections; each sends a request, reads the whole response and records the latency.
//! The run stops after `--seconds` or `--max-requests`, whichever comes first, and prints
//! throughput and p50/p90/p99/max latency.

use std::io::{BufRead, BufReader, Read, Write};
use std::net::{SocketAddr, TcpStream};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::time::{Duration, Instant};

const BODY: &str = r#"{"id":"load-blr","title":"Belarus, late August 2020","patron":"RUS","target":"BLR","crisis_type":"mass_protest","as_of":"2020-08-25","horizon_days":365,"factors":{"ally_incumbent":1.0,"contagion_risk":{"low":0.5,"high":1.0},"reorientation":0.0,"rival_support":0.5,"membership_prospect":0.0,"strategic_assets":0.9,"compatriots":0.5,"protest_scale":1.0,"repression_failed":0.5,"security_defection":0.0,"armed_violence":0.0,"incumbent_in_control":0.9,"managed_transition":0.5,"expected_resistance":0.5,"mass_killings":0.0,"military_signals":0.0,"invitation":0.5,"military_capacity":1.0}}"#;

fn arg(name: &str) -> Option<String> {
    let args: Vec<String> = std::env::args().collect();
    args.iter()
        .position(|a| a == name)
        .and_then(|i| args.get(i + 1).cloned())
}

fn start_server() -> SocketAddr {
    let (tx, rx) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        let rt = tokio::runtime::Builder::new_multi_thread()
            .worker_threads(2)
            .enable_all()
            .build()
            .expect("tokio runtime");
        rt.block_on(async move {
            let engine =
                Arc::new(casus_server::Engine::builtin().expect("the built-in fitted model"));
            let store = Arc::new(casus_store::SqliteStore::open_in_memory().expect("store"));
            let state = casus_server::AppState::new(engine, store, "memory");
            let l = tokio::net::TcpListener::bind("127.0.0.1:0")
                .await
                .expect("bind");
            tx.send(l.local_addr().expect("addr")).expect("send addr");
            casus_server::serve(l, state, std::future::pending())
                .await
                .expect("serve");
        });
    });
    rx.recv().expect("server address")
}

/// Send one request on a keep-alive connection and read the whole response; returns the status.
fn roundtrip(r: &mut BufReader<TcpStream>, req: &[u8]) -> std::io::Result<u16> {
    r.get_mut().write_all(req)?;
    let mut line = String::new();
    r.read_line(&mut line)?;
    let status: u16 = line
        .split(' ')
        .nth(1)
        .and_then(|s| s.parse().ok())
        .unwrap_or(0);
    let mut len = 0usize;
    loop {
        line.clear();
        r.read_line(&mut line)?;
        if line == "\r\n" || line.is_empty() {
            break;
        }
        if let Some(v) = line.to_ascii_lowercase().strip_prefix("content-length:") {
            len = v.trim().parse().unwrap_or(0);
        }
    }
    let mut body = vec![0; len];
    r.read_exact(&mut body)?;
    Ok(status)
}

fn main() {
    let seconds: u64 = arg("--seconds")
        .and_then(|s| s.parse().ok())
        .unwrap_or(10)
        .min(120);
    let conns: usize = arg("--connections")
        .and_then(|s| s.parse().ok())
        .unwrap_or(4)
        .clamp(1, 64);
    let max: usize = arg("--max-requests")
        .and_then(|s| s.parse().ok())
        .unwrap_or(200_000);
    let addr: SocketAddr = match arg("--addr") {
        Some(a) => a.parse().expect("--addr HOST:PORT"),
        None => start_server(),
    };
    assert!(
        addr.ip().is_loopback(),
        "load tests run against loopback only"
    );
    let endpoint = arg("--endpoint").unwrap_or_else(|| "assess".into());
    let post = |path: &str, body: &str| {
        format!(
            "POST /api/v1/{path} HTTP/1.1\r\nHost: {addr}\r\nContent-Type: application/json\r\nContent-Length: {}\r\n\r\n{body}",
            body.len()
        )
        .into_bytes()
    };
    let scenario = format!(
        r#"{{"situation":{BODY},"moves":["opposition.demand_reorientation"],"factors":{{"managed_transition":1.0}}}}"#
    );
    let assess = post("assess", BODY);
    let explain = post("explain", BODY);
    let scenarios = post("scenarios", &scenario);
    let list = format!("GET /api/v1/situations HTTP/1.1\r\nHost: {addr}\r\n\r\n").into_bytes();
    let reqs: Vec<(&str, Vec<u8>)> = match endpoint.as_str() {
        "assess" => vec![("assess", assess)],
        "explain" => vec![("explain", explain)],
        "scenarios" => vec![("scenarios", scenarios)],
        "mixed" => vec![
            ("assess", assess),
            ("explain", explain),
            ("scenarios", scenarios),
            ("situations", list),
        ],
        other => panic!("--endpoint {other}: assess, explain, scenarios or mixed"),
    };
    let reqs = Arc::new(reqs);
    // Warm up.
    {
        let mut r = BufReader::new(TcpStream::connect(addr).expect("connect"));
        for i in 0..20 {
            let (name, req) = &reqs[i % reqs.len()];
            assert_eq!(roundtrip(&mut r, req).expect("warm-up"), 200, "{name}");
        }
    }
    let stop = Arc::new(AtomicBool::new(false));
    let sent = Arc::new(AtomicUsize::new(0));
    let started = Instant::now();
    let handles: Vec<_> = (0..conns)
        .map(|_| {
            let (reqs, stop, sent) = (reqs.clone(), stop.clone(), sent.clone());
            std::thread::spawn(move || {
                let s = TcpStream::connect(addr).expect("connect");
                s.set_nodelay(true).ok();
                let mut r = BufReader::new(s);
                let mut lat = Vec::with_capacity(1 << 16);
                let (mut errors, mut shed) = (0usize, 0usize);
                loop {
                    let n = sent.fetch_add(1, Ordering::Relaxed);
                    if stop.load(Ordering::Relaxed) || n >= max {
                        break;
                    }
                    let t = Instant::now();
                    let kind = n % reqs.len();
                    match roundtrip(&mut r, &reqs[kind].1) {
                        Ok(200) => lat.push((kind, t.elapsed())),
                        Ok(503) => shed += 1,
                        _ => errors += 1,
                    }
                }
                (lat, errors, shed)
            })
        })
        .collect();
    while started.elapsed() < Duration::from_secs(seconds) && sent.load(Ordering::Relaxed) < max {
        std::thread::sleep(Duration::from_millis(50));
    }
    stop.store(true, Ordering::Relaxed);
    let mut lat = Vec::new();
    let (mut errors, mut shed) = (0, 0);
    for h in handles {
        let (l, e, s) = h.join().expect("client thread");
        lat.extend(l);
        errors += e;
        shed += s;
    }
    let wall = started.elapsed().as_secs_f64();
    println!(
        "{endpoint} on {addr}: {} ok, {shed} shed (503), {errors} errors in {wall:.1} s with {conns} connections",
        lat.len()
    );
    // One line per kind of request: throughput and latency quantiles.
    for (kind, (name, _)) in reqs.iter().enumerate() {
        let mut l: Vec<Duration> = lat
            .iter()
            .filter(|(k, _)| *k == kind)
            .map(|(_, d)| *d)
            .collect();
        if l.is_empty() {
            continue;
        }
        l.sort();
        let q = |p: f64| l[((l.len() as f64 * p) as usize).min(l.len() - 1)].as_secs_f64() * 1e3;
        println!(
            "  {name:<10} {:>6} ok  {:>8.1} req/s  latency ms: p50 {:.3}  p90 {:.3}  p99 {:.3}  max {:.3}",
            l.len(),
            l.len() as f64 / wall,
            q(0.50),
            q(0.90),
            q(0.99),
            q(1.0)
        );
    }
}
