//! A `kill -9` during a batch of forecast writes loses no acknowledged forecast.
//!
//! The test re-runs this test binary as a child process that serves the API on a file store
//! (`child_server`, which does nothing unless `CASUS_KILL9_DB` is set). The parent sends forecast
//! writes from four connections, SIGKILLs the child mid-batch, reopens the store and checks that
//! every write that was acknowledged with 201 is there, unchanged. A second test runs two such
//! servers on one database at once (issue 10, item 7).

use crate::common::{SITUATION_ID, state_with};
use casus_store::{ForecastStore, ListQuery, SqliteStore};
use std::io::{BufRead, BufReader};
use std::process::{Command, Stdio};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

#[test]
fn child_server() {
    let Ok(db) = std::env::var("CASUS_KILL9_DB") else {
        return; // only runs as the child of `kill9_loses_no_acknowledged_forecast`
    };
    let store = Arc::new(SqliteStore::open(std::path::Path::new(&db)).unwrap());
    let addr = crate::common::spawn_server(state_with(store, None));
    println!("LISTENING {addr}");
    std::thread::sleep(Duration::from_secs(60)); // killed long before this
}

/// A child process serving a file store at `db`, and its address.
fn spawn_child(db: &std::path::Path) -> (std::process::Child, String) {
    let mut child = Command::new(std::env::current_exe().unwrap())
        .args([
            "--exact",
            "kill9::child_server",
            "--nocapture",
            "--test-threads=1",
        ])
        .env("CASUS_KILL9_DB", db)
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let mut lines = BufReader::new(child.stdout.take().unwrap()).lines();
    let addr = loop {
        let l = lines
            .next()
            .expect("child exited before listening")
            .unwrap();
        // The test harness prefixes the line with "test kill9::child_server ... ".
        if let Some(i) = l.find("LISTENING ") {
            break l[i + "LISTENING ".len()..].trim().to_string();
        }
    };
    (child, addr)
}

type Acked = Arc<Mutex<Vec<(i64, f64, String)>>>;

/// Four connections to each of `addrs` writing forecasts until the server is gone, 2,000 writes
/// each or 20 s; every write acknowledged with 201 goes into `acked`.
fn writers(addrs: &[String], acked: &Acked) -> Vec<std::thread::JoinHandle<()>> {
    let started = Instant::now();
    let mut out = Vec::new();
    for (a, addr) in addrs.iter().enumerate() {
        for w in 0..4 {
            let (addr, acked) = (addr.clone(), acked.clone());
            out.push(std::thread::spawn(move || {
                let agent = ureq::Agent::new_with_defaults();
                for i in 0..2000 {
                    if started.elapsed() > Duration::from_secs(20) {
                        break;
                    }
                    let body = serde_json::json!({
                        "situation_id": SITUATION_ID,
                        "question": format!("server {a} writer {w} write {i}"),
                    });
                    match agent
                        .post(&format!("http://{addr}/api/v1/forecasts"))
                        .send_json(&body)
                    {
                        Ok(mut r) if r.status() == 201 => {
                            let v: serde_json::Value = r.body_mut().read_json().unwrap();
                            acked.lock().unwrap().push((
                                v["id"].as_i64().unwrap(),
                                v["probability"].as_f64().unwrap(),
                                v["question"].as_str().unwrap().to_string(),
                            ));
                        }
                        _ => break, // the server is gone
                    }
                }
            }));
        }
    }
    out
}

/// Every acknowledged forecast is in the store at `db`, unchanged; returns how many are stored.
fn assert_all_present(db: &std::path::Path, acked: &[(i64, f64, String)]) -> usize {
    let stored: std::collections::HashMap<i64, (f64, String)> = SqliteStore::open(db)
        .unwrap()
        .list(&ListQuery::default())
        .unwrap()
        .into_iter()
        .map(|f| (f.id, (f.probability, f.question.clone())))
        .collect();
    let lost: Vec<_> = acked
        .iter()
        .filter(|(id, p, q)| stored.get(id) != Some(&(*p, q.clone())))
        .collect();
    assert!(
        lost.is_empty(),
        "acknowledged forecasts lost or changed: {lost:?}"
    );
    stored.len()
}

fn kill9(child: &mut std::process::Child) {
    // SIGKILL: no destructors, no shutdown, no flush.
    Command::new("kill")
        .args(["-9", &child.id().to_string()])
        .status()
        .unwrap();
    child.wait().unwrap();
}

#[test]
fn kill9_loses_no_acknowledged_forecast() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("kill9.db");
    let (mut child, addr) = spawn_child(&db);
    let acked: Acked = Arc::default();
    let started = Instant::now();
    let writers = writers(&[addr], &acked);
    // Kill once a good number of writes are acknowledged, while the writers are still going.
    while acked.lock().unwrap().len() < 150 && started.elapsed() < Duration::from_secs(15) {
        std::thread::sleep(Duration::from_millis(5));
    }
    kill9(&mut child);
    for w in writers {
        w.join().unwrap();
    }
    let acked = acked.lock().unwrap().clone();
    assert!(
        acked.len() >= 150,
        "only {} writes were acknowledged before the kill",
        acked.len()
    );
    let stored = assert_all_present(&db, &acked);
    eprintln!(
        "kill -9: {} writes acknowledged, all {} present after reopening ({stored} stored in all)",
        acked.len(),
        acked.len(),
    );
}

/// Issue 10, item 7: two servers on one database (two processes) are safe: every write either
/// side acknowledged is stored once, under its own id, and neither loses the other's.
#[test]
fn two_servers_on_one_database_lose_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("two.db");
    let (mut a, addr_a) = spawn_child(&db);
    let (mut b, addr_b) = spawn_child(&db);
    let acked: Acked = Arc::default();
    let started = Instant::now();
    let writers = writers(&[addr_a, addr_b], &acked);
    while acked.lock().unwrap().len() < 300 && started.elapsed() < Duration::from_secs(15) {
        std::thread::sleep(Duration::from_millis(5));
    }
    kill9(&mut a);
    kill9(&mut b);
    for w in writers {
        w.join().unwrap();
    }
    let acked = acked.lock().unwrap().clone();
    let from_b = acked.iter().filter(|a| a.2.starts_with("server 1")).count();
    assert!(
        from_b > 0 && from_b < acked.len(),
        "both servers must have acknowledged writes"
    );
    let mut ids: Vec<i64> = acked.iter().map(|a| a.0).collect();
    ids.sort();
    ids.dedup();
    assert_eq!(ids.len(), acked.len(), "an id was handed out twice");
    let stored = assert_all_present(&db, &acked);
    eprintln!(
        "two servers: {} writes acknowledged ({from_b} by the second), all present ({stored} stored)",
        acked.len()
    );
}
