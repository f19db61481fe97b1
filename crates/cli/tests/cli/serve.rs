//! `casus serve`: the API answers with the same fitted model as the CLI.

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::path::Path;
use std::process::{Child, Command, Stdio};

/// Kills the server when the test ends, however it ends.
pub(crate) struct Server(Child);

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

/// One HTTP/1.1 request with `Connection: close`; returns the status and the body.
pub(crate) fn request(addr: &str, method: &str, path: &str, body: &str) -> (u16, String) {
    let mut s = TcpStream::connect(addr).expect("connect");
    write!(
        s,
        "{method} {path} HTTP/1.1\r\nHost: {addr}\r\nContent-Type: application/json\r\n\
         Content-Length: {}\r\nConnection: close\r\n\r\n{body}",
        body.len()
    )
    .expect("write");
    let mut raw = String::new();
    s.read_to_string(&mut raw).expect("read");
    let (head, rest) = raw.split_once("\r\n\r\n").expect("a response head");
    let status = head
        .split(' ')
        .nth(1)
        .and_then(|c| c.parse().ok())
        .unwrap_or(0);
    (status, rest.to_string())
}

/// Start `casus serve --addr 127.0.0.1:0 --db DB EXTRA...` with its stderr in `stderr`; returns
/// the server and the address it printed.
pub(crate) fn start(extra: &[&str], db: &Path, stderr: &Path) -> (Server, String) {
    let mut child = Command::new(env!("CARGO_BIN_EXE_casus"))
        .args(["serve", "--addr", "127.0.0.1:0", "--db"])
        .arg(db)
        .args(extra)
        .env_remove("CASUS_TOKEN")
        .stdout(Stdio::piped())
        .stderr(std::fs::File::create(stderr).unwrap())
        .spawn()
        .expect("start casus serve");
    let stdout = child.stdout.take().unwrap();
    let server = Server(child);
    let mut line = String::new();
    BufReader::new(stdout).read_line(&mut line).unwrap();
    let addr = line
        .split("http://")
        .nth(1)
        .and_then(|r| r.split('/').next())
        .unwrap_or_else(|| panic!("no address in {line:?}: {}", read(stderr)))
        .to_string();
    (server, addr)
}

fn read(p: &Path) -> String {
    std::fs::read_to_string(p).unwrap_or_default()
}

#[test]
fn post_assess_is_exactly_what_casus_assess_json_prints() {
    let cli = casus_ok!("assess", "--json");
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("casus.db");
    let (server, addr) = start(&[], &db, &dir.path().join("stderr"));
    // The built-in default situation, as the API serves it, posted back to /assess.
    let (st, list) = request(&addr, "GET", "/api/v1/situations", "");
    assert_eq!(st, 200, "{list}");
    let list: serde_json::Value = serde_json::from_str(&list).unwrap();
    let cli_json: serde_json::Value = serde_json::from_str(&cli.stdout).unwrap();
    let id = cli_json["situation_id"].as_str().unwrap();
    assert!(
        list.as_array().unwrap().iter().any(|s| s["id"] == id),
        "{id} not in {list}"
    );
    let (st, sit) = request(&addr, "GET", &format!("/api/v1/situations/{id}"), "");
    assert_eq!(st, 200, "{sit}");
    let (st, api) = request(&addr, "POST", "/api/v1/assess", &sit);
    assert_eq!(st, 200, "{api}");
    let api: serde_json::Value = serde_json::from_str(&api).unwrap();
    assert_eq!(api, cli_json);
    let (_, health) = request(&addr, "GET", "/api/v1/health", "");
    assert!(!health.contains("checklist-baseline"), "{health}");
    drop(server);
    // No warning about an unfitted stand-in: the fitted model is served.
    let err = std::fs::read_to_string(dir.path().join("stderr")).unwrap();
    assert!(!err.contains("baseline"), "{err}");
}

/// `--allow-host` takes a bare host name; anything else is bad input, refused before binding.
#[test]
fn allow_host_must_be_a_host_name() {
    for bad in ["attacker.example:8080", "http://x.example", "a b", ""] {
        let r = casus_fails!(2, "serve", "--addr", "127.0.0.1:0", "--allow-host", bad);
        assert!(r.stderr.contains("--allow-host"), "{bad}: {}", r.stderr);
    }
}
