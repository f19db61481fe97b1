//! `casus events sync` end to end against a GDELT 2.0 mirror served by the test on 127.0.0.1,
//! in GDELT's layout (`lastupdate.txt`, `masterfilelist.txt`, `YYYYMMDDHHMMSS.export.CSV.zip`),
//! built from the project's own GDELT 2.0 fixture, with corrupt files of every kind.

use std::collections::BTreeMap;
use std::io::{BufRead, BufReader, Write};
use std::net::{TcpListener, TcpStream};
use std::path::Path;
use std::process::{Command, Stdio};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use md5::{Digest, Md5};

const FIXTURE: &str = concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/../events/tests/fixtures/gdelt2_sample.tsv"
);

/// How the mirror serves one export.
#[derive(Clone, Copy, PartialEq, Debug)]
enum Serve {
    Whole,
    /// Its body is cut short (the list gives the whole size).
    Truncated,
    /// The list gives another MD5.
    WrongMd5,
    /// Listed, not on the server.
    Missing,
    /// The connection drops half-way, every time.
    Dropped,
    /// The connection drops half-way the first time only.
    DroppedOnce,
}

struct Mirror {
    url: String,
    requests: Arc<Mutex<Vec<String>>>,
    stop: Arc<AtomicBool>,
    thread: Option<std::thread::JoinHandle<()>>,
}

impl Drop for Mirror {
    fn drop(&mut self) {
        self.stop.store(true, Ordering::Relaxed);
        if let Some(t) = self.thread.take() {
            let _ = t.join();
        }
    }
}

impl Mirror {
    fn requests_of(&self, suffix: &str) -> usize {
        let r = self.requests.lock().unwrap();
        r.iter().filter(|p| p.ends_with(suffix)).count()
    }
}

fn md5_hex(b: &[u8]) -> String {
    Md5::digest(b).iter().map(|x| format!("{x:02x}")).collect()
}

fn zip_one(name: &str, body: &[u8]) -> Vec<u8> {
    let mut w = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    let opts = zip::write::SimpleFileOptions::default()
        .compression_method(zip::CompressionMethod::Deflated);
    w.start_file(name, opts).unwrap();
    w.write_all(body).unwrap();
    w.finish().unwrap().into_inner()
}

/// The fixture's rows, two per 15-minute file, with each file's own event ids, over two days.
/// Returns (slot, how it is served, CSV text) per file.
fn exports(kinds: &[Serve]) -> Vec<(String, Serve, String)> {
    let rows: Vec<String> = std::fs::read_to_string(FIXTURE)
        .unwrap()
        .lines()
        .map(str::to_string)
        .collect();
    let slots = [
        "20140101230000",
        "20140101231500",
        "20140101233000",
        "20140101234500",
        "20140102000000",
        "20140102001500",
        "20140102003000",
        "20140102004500",
        "20140102010000",
        "20140102011500",
    ];
    kinds
        .iter()
        .enumerate()
        .map(|(i, kind)| {
            let text: String = (0..2)
                .map(|k| {
                    let row = &rows[(2 * i + k) % rows.len()];
                    let (_, rest) = row.split_once('\t').unwrap();
                    format!("{}\t{rest}\n", 400_000_000 + 100 * i + k)
                })
                .collect();
            (slots[i].to_string(), *kind, text)
        })
        .collect()
}

/// Serve `files` in GDELT's layout; each export response waits `delay` first.
fn mirror(files: &[(String, Serve, String)], delay: Duration) -> Mirror {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    listener.set_nonblocking(true).unwrap();
    let url = format!("http://{}", listener.local_addr().unwrap());
    let mut bodies: BTreeMap<String, (Serve, Vec<u8>)> = BTreeMap::new();
    let mut master = String::new();
    for (slot, kind, text) in files {
        let name = format!("{slot}.export.CSV.zip");
        let zip = zip_one(&format!("{slot}.export.CSV"), text.as_bytes());
        let md5 = match kind {
            Serve::WrongMd5 => md5_hex(b"something else"),
            _ => md5_hex(&zip),
        };
        master.push_str(&format!("{} {md5} {url}/{name}\n", zip.len()));
        // The other two streams are listed too, and must be left alone.
        master.push_str(&format!(
            "1234 0123456789abcdef0123456789abcdef {url}/{slot}.mentions.CSV.zip\n"
        ));
        bodies.insert(format!("/{name}"), (*kind, zip));
    }
    let last_slot = &files.last().unwrap().0;
    let lastupdate: String = master
        .lines()
        .filter(|l| l.contains(last_slot.as_str()))
        .map(|l| format!("{l}\n"))
        .collect();
    bodies.insert(
        "/masterfilelist.txt".into(),
        (Serve::Whole, master.into_bytes()),
    );
    bodies.insert(
        "/lastupdate.txt".into(),
        (Serve::Whole, lastupdate.into_bytes()),
    );
    let requests = Arc::new(Mutex::new(Vec::new()));
    let stop = Arc::new(AtomicBool::new(false));
    let (log, halt) = (requests.clone(), stop.clone());
    let thread = std::thread::spawn(move || {
        let mut served: BTreeMap<String, usize> = BTreeMap::new();
        while !halt.load(Ordering::Relaxed) {
            match listener.accept() {
                Ok((stream, _)) => {
                    let _ = handle(stream, &bodies, &mut served, &log, delay);
                }
                Err(_) => std::thread::sleep(Duration::from_millis(5)),
            }
        }
    });
    Mirror {
        url,
        requests,
        stop,
        thread: Some(thread),
    }
}

fn handle(
    mut stream: TcpStream,
    bodies: &BTreeMap<String, (Serve, Vec<u8>)>,
    served: &mut BTreeMap<String, usize>,
    log: &Mutex<Vec<String>>,
    delay: Duration,
) -> std::io::Result<()> {
    stream.set_nonblocking(false)?;
    stream.set_read_timeout(Some(Duration::from_secs(5)))?;
    let mut reader = BufReader::new(stream.try_clone()?);
    let mut line = String::new();
    reader.read_line(&mut line)?;
    let path = line.split_whitespace().nth(1).unwrap_or("").to_string();
    loop {
        let mut h = String::new();
        if reader.read_line(&mut h)? == 0 || h == "\r\n" {
            break;
        }
    }
    log.lock().unwrap().push(path.clone());
    let times = served.entry(path.clone()).or_default();
    *times += 1;
    let Some((kind, body)) = bodies.get(&path).filter(|(k, _)| *k != Serve::Missing) else {
        return stream.write_all(
            b"HTTP/1.1 404 Not Found\r\nContent-Length: 0\r\nConnection: close\r\n\r\n",
        );
    };
    if path.ends_with(".zip") {
        std::thread::sleep(delay);
    }
    let half = &body[..body.len() / 2];
    let (length, sent) = match kind {
        Serve::Truncated => (half.len(), half),
        Serve::Dropped => (body.len(), half),
        Serve::DroppedOnce if *times == 1 => (body.len(), half),
        _ => (body.len(), &body[..]),
    };
    write!(
        stream,
        "HTTP/1.1 200 OK\r\nContent-Length: {length}\r\nConnection: close\r\n\r\n"
    )?;
    stream.write_all(sent)?;
    stream.flush()?;
    let _ = stream.shutdown(std::net::Shutdown::Both);
    Ok(())
}

fn s(p: &Path) -> &str {
    p.to_str().unwrap()
}

/// The indicators of `events` as CSV text.
fn indicators(events: &Path, csv: &Path) -> String {
    casus_ok!(
        "events",
        "indicators",
        "--events",
        s(events),
        "--out",
        s(csv)
    );
    std::fs::read_to_string(csv).unwrap()
}

/// The indicators of importing the whole files among `files` directly.
fn direct(files: &[(String, Serve, String)], tmp: &Path) -> String {
    let mut inputs = Vec::new();
    for (slot, kind, text) in files {
        if matches!(kind, Serve::Whole | Serve::DroppedOnce) {
            let p = tmp.join(format!("{slot}.export.CSV"));
            std::fs::write(&p, text).unwrap();
            inputs.push(p);
        }
    }
    let out = tmp.join("direct");
    let mut args = vec!["events", "import", "--format", "gdelt2", "--out", s(&out)];
    args.extend(inputs.iter().map(|p| s(p)));
    let r = crate::macros::casus(&args);
    assert_eq!(r.code, 0, "{}", r.stderr);
    indicators(&out, &tmp.join("direct.csv"))
}

fn sync(mirror: &Mirror, out: &Path, extra: &[&str]) -> crate::macros::Run {
    let mut args = vec![
        "events",
        "sync",
        "--source",
        "gdelt2",
        "--since",
        "2014-01-01",
        "--out",
        s(out),
        "--base-url",
        &mirror.url,
        "--json",
    ];
    args.extend(extra);
    crate::macros::casus(&args)
}

fn report(r: &crate::macros::Run) -> serde_json::Value {
    serde_json::from_str(&r.stdout).unwrap_or_else(|e| panic!("{e}: {}\n{}", r.stdout, r.stderr))
}

#[test]
fn sync_imports_the_mirror_once_and_rejects_corrupt_files_by_name() {
    use Serve::*;
    let files = exports(&[
        Whole,
        Whole,
        DroppedOnce,
        Whole,
        Whole,
        Whole,
        Truncated,
        WrongMd5,
        Missing,
        Dropped,
    ]);
    let m = mirror(&files, Duration::ZERO);
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("gdelt2");
    let r = sync(&m, &out, &["--retries", "1"]);
    assert_eq!(
        r.code, 1,
        "rejected files make the exit non-zero: {}",
        r.stderr
    );
    let rep = report(&r);
    assert_eq!(rep["listed"], 10);
    assert_eq!(rep["imported_files"], 6, "{}", r.stderr);
    // A day per import: 2014-01-01 and 2014-01-02.
    assert_eq!(rep["imports"].as_array().unwrap().len(), 2);
    for (slot, why) in [
        ("20140102003000", "wrong size"),
        ("20140102004500", "wrong MD5"),
        ("20140102010000", "404"),
        ("20140102011500", "connection dropped"),
    ] {
        let line = r
            .stderr
            .lines()
            .find(|l| l.contains("rejected") && l.contains(slot))
            .unwrap_or_else(|| panic!("{slot} is not named as rejected:\n{}", r.stderr));
        assert!(line.contains(why), "{line}");
    }
    assert!(
        r.stderr.contains("attempt 2 of 2"),
        "the dropped file is retried: {}",
        r.stderr
    );
    assert_eq!(m.requests_of(".mentions.CSV.zip"), 0);
    // The mirror's whole files, once each: the same indicators as importing them directly.
    let synced = indicators(&out, &tmp.path().join("synced.csv"));
    assert_eq!(synced, direct(&files, tmp.path()));
    assert!(synced.lines().count() > 1);

    // Again: nothing imported is fetched again; the rejected files are tried again.
    let before = m.requests_of("20140101230000.export.CSV.zip");
    let again = sync(&m, &out, &["--retries", "0"]);
    let rep = report(&again);
    assert_eq!(
        (rep["downloaded"].as_u64(), rep["already_held"].as_u64()),
        (Some(0), Some(6))
    );
    assert_eq!(m.requests_of("20140101230000.export.CSV.zip"), before);
    assert_eq!(indicators(&out, &tmp.path().join("again.csv")), synced);
}

/// `casus serve --events DIR --sync` fills an empty folder from the mirror in the background and
/// the monitoring API answers from what it synced, without a restart.
#[test]
fn serve_sync_fills_the_folder_and_the_monitor_reads_it() {
    use Serve::*;
    let files = exports(&[Whole, Whole, Whole, Whole, Whole, Whole]);
    let m = mirror(&files, Duration::ZERO);
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("gdelt2");
    std::fs::create_dir(&out).unwrap();
    let stderr = tmp.path().join("stderr");
    let (server, addr) = crate::serve::start(
        &[
            "--events",
            s(&out),
            "--monitor-from",
            "2014-01-01",
            "--monitor-to",
            "2014-03-31",
            "--sync",
            "--sync-since",
            "2014-01-01",
            "--sync-base-url",
            &m.url,
        ],
        &tmp.path().join("casus.db"),
        &stderr,
    );
    // The first sync starts at once; wait (bounded) until the server says it landed.
    let t = std::time::Instant::now();
    while !std::fs::read_to_string(&stderr)
        .unwrap_or_default()
        .contains("files imported")
    {
        assert!(
            t.elapsed() < Duration::from_secs(120),
            "no sync in 2 minutes: {}",
            std::fs::read_to_string(&stderr).unwrap_or_default()
        );
        std::thread::sleep(Duration::from_millis(100));
    }
    let log = std::fs::read_to_string(&stderr).unwrap();
    assert!(log.contains(": 6 files imported, 0 rejected"), "{log}");
    // Russia–Armenia is in the first export; its series is served from the synced folder.
    let (st, body) = crate::serve::request(&addr, "GET", "/api/v1/monitor/RUS/ARM", "");
    assert_eq!(st, 200, "{body}");
    let v: serde_json::Value = serde_json::from_str(&body).unwrap();
    assert!(v["points"].as_array().is_some_and(|p| !p.is_empty()), "{v}");
    assert!(v["source"].as_str().unwrap().contains("gdelt2"), "{v}");
    drop(server);
    // Exactly the mirror's rows, once: the same indicators as importing its files directly.
    assert_eq!(
        indicators(&out, &tmp.path().join("synced.csv")),
        direct(&files, tmp.path())
    );
}

/// Start `casus args...`, SIGKILL it after `delay`, wait for it.
fn kill_after(args: &[&str], delay: Duration) {
    let mut child = Command::new(env!("CARGO_BIN_EXE_casus"))
        .args(args)
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    std::thread::sleep(delay);
    let _ = child.kill();
    let _ = child.wait();
}

#[test]
fn a_sync_killed_part_way_and_run_again_ends_the_same() {
    let files = exports(&[Serve::Whole; 10]);
    // Slow enough that the kills land part-way through.
    let m = mirror(&files, Duration::from_millis(120));
    let tmp = tempfile::tempdir().unwrap();
    let expected = direct(&files, tmp.path());
    let out = tmp.path().join("gdelt2");
    let args = [
        "events",
        "sync",
        "--since",
        "2014-01-01",
        "--out",
        s(&out),
        "--base-url",
        &m.url,
        "--batch",
        "3",
    ];
    for ms in [50, 300, 700, 1100] {
        kill_after(&args, Duration::from_millis(ms));
    }
    let r = sync(&m, &out, &[]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert_eq!(indicators(&out, &tmp.path().join("synced.csv")), expected);
    // A sync that is caught up reads only lastupdate.txt and downloads nothing.
    let lists = m.requests_of("masterfilelist.txt");
    let done = sync(&m, &out, &[]);
    let rep = report(&done);
    assert_eq!(rep["downloaded"], 0, "{}", done.stderr);
    assert_eq!(rep["listed"], rep["already_held"]);
    assert_eq!(m.requests_of("masterfilelist.txt"), lists);
}
