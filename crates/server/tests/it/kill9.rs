//! A `kill -9` during a batch of forecast writes loses no acknowledged forecast.
//!
//! The test re-runs this test binary as a child process that serves the API on a file store
//! (`child_server`, which does nothing unless `CASUS_KILL9_DB` is set). The parent sends forecast
//! writes from four connections, SIGKILLs the child mid-batch, reopens the store and checks that
//! every write that was acknowledged with 201 is there, unchanged.

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

#[test]
fn kill9_loses_no_acknowledged_forecast() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("kill9.db");
    let mut child = Command::new(std::env::current_exe().unwrap())
        .args([
            "--exact",
            "kill9::child_server",
            "--nocapture",
            "--test-threads=1",
        ])
        .env("CASUS_KILL9_DB", &db)
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
    let acked: Arc<Mutex<Vec<(i64, f64, String)>>> = Arc::default();
    let started = Instant::now();
    let writers: Vec<_> = (0..4)
        .map(|w| {
            let (addr, acked) = (addr.clone(), acked.clone());
            std::thread::spawn(move || {
                let agent = ureq::Agent::new_with_defaults();
                // Bounded: at most 2,000 writes per connection or 20 s.
                for i in 0..2000 {
                    if started.elapsed() > Duration::from_secs(20) {
                        break;
                    }
                    let body = serde_json::json!({
                        "situation_id": SITUATION_ID,
                        "question": format!("kill9 writer {w} write {i}"),
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
            })
        })
        .collect();
    // Kill once a good number of writes are acknowledged, while the writers are still going.
    while acked.lock().unwrap().len() < 150 && started.elapsed() < Duration::from_secs(15) {
        std::thread::sleep(Duration::from_millis(5));
    }
    // SIGKILL: no destructors, no shutdown, no flush.
    Command::new("kill")
        .args(["-9", &child.id().to_string()])
        .status()
        .unwrap();
    child.wait().unwrap();
    for w in writers {
        w.join().unwrap();
    }
    let acked = acked.lock().unwrap().clone();
    assert!(
        acked.len() >= 150,
        "only {} writes were acknowledged before the kill",
        acked.len()
    );

    let store = SqliteStore::open(&db).unwrap();
    let stored = store.list(&ListQuery::default()).unwrap();
    for (id, p, q) in &acked {
        let f = stored
            .iter()
            .find(|f| f.id == *id)
            .unwrap_or_else(|| panic!("acknowledged forecast {id} was lost"));
        assert_eq!((&f.question, f.probability), (q, *p));
    }
    eprintln!(
        "kill -9: {} writes acknowledged, all {} present after reopening ({} stored in all)",
        acked.len(),
        acked.len(),
        stored.len()
    );
}
