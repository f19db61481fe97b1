//! `casus events import|indicators` and `casus monitor`, end to end on the project's own synthetic
//! GDELT 1.0 fixture (`crates/events/tests/fixtures/gdelt1_sample.tsv`, written by
//! `make_fixtures.py` beside it: 200 rows, January–April 2014, a Russia → Ukraine crisis from
//! late February).

use std::fs;

const FIXTURE: &str = "crates/events/tests/fixtures/gdelt1_sample.tsv";

/// Import the fixture into a fresh directory under `tmp`; returns the directory as a string.
fn import_fixture(tmp: &tempfile::TempDir) -> String {
    let out = tmp.path().join("events");
    let out = out.to_str().unwrap().to_owned();
    casus_ok!(
        "events", "import", "--format", "gdelt1", FIXTURE, "--out", &out
    );
    assert!(
        fs::read_dir(&out).unwrap().next().is_some(),
        "{out} is empty"
    );
    out
}

#[test]
fn import_then_indicators_is_deterministic() {
    let tmp = tempfile::tempdir().unwrap();
    let events = import_fixture(&tmp);
    let a = tmp.path().join("a").join("i.csv");
    let b = tmp.path().join("b").join("i.csv");
    fs::create_dir_all(a.parent().unwrap()).unwrap();
    fs::create_dir_all(b.parent().unwrap()).unwrap();
    casus_ok!(
        "events",
        "indicators",
        "--events",
        &events,
        "--out",
        a.to_str().unwrap()
    );
    casus_ok!(
        "events",
        "indicators",
        "--events",
        &events,
        "--out",
        b.to_str().unwrap()
    );
    let a = fs::read_to_string(&a).unwrap();
    let b = fs::read_to_string(&b).unwrap();
    assert!(a.lines().count() > 1, "indicators CSV has no rows:\n{a}");
    assert_eq!(a, b, "two runs of `casus events indicators` differ");
}

#[test]
fn monitor_json_has_a_daily_series() {
    let tmp = tempfile::tempdir().unwrap();
    let events = import_fixture(&tmp);
    let r = casus_ok!(
        "monitor",
        "--events",
        &events,
        "--patron",
        "RUS",
        "--target",
        "UKR",
        "--from",
        "2014-03-01",
        "--to",
        "2014-03-31",
        "--json"
    );
    let v: serde_json::Value = serde_json::from_str(&r.stdout).unwrap();
    let series = v["series"].as_array().expect("series is an array");
    assert_eq!(series.len(), 31, "one entry per day of March");
    for d in series {
        assert!(d["date"].is_string(), "{d}");
        let (p, lo, hi) = (
            d["probability"].as_f64().unwrap(),
            d["low"].as_f64().unwrap(),
            d["high"].as_f64().unwrap(),
        );
        assert!((0.0..=1.0).contains(&p), "{d}");
        assert!(lo <= p && p <= hi, "{d}");
    }
    assert_eq!(series[0]["date"], "2014-03-01");
}

/// `casus monitor` of Russia → Ukraine over March 2014 on `events`, which must exit 2.
fn monitor_march_exits_2(events: &str) -> crate::macros::Run {
    casus_fails!(
        2,
        "monitor",
        "--events",
        events,
        "--patron",
        "RUS",
        "--target",
        "UKR",
        "--from",
        "2014-03-01",
        "--to",
        "2014-03-31"
    )
}

#[test]
fn missing_inputs_exit_2() {
    let tmp = tempfile::tempdir().unwrap();
    let missing = tmp.path().join("no-such-file.tsv");
    let out = tmp.path().join("events");
    casus_fails!(
        2,
        "events",
        "import",
        "--format",
        "gdelt1",
        missing.to_str().unwrap(),
        "--out",
        out.to_str().unwrap()
    );
    let nowhere = tmp.path().join("no-such-dir");
    monitor_march_exits_2(nowhere.to_str().unwrap());
}

#[test]
fn a_directory_that_is_not_an_import_exits_2() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().to_str().unwrap();
    let out = tmp.path().join("i.csv");
    let r = casus_fails!(
        2,
        "events",
        "indicators",
        "--events",
        dir,
        "--out",
        out.to_str().unwrap()
    );
    assert!(
        r.stderr.contains("not an imported event directory"),
        "{}",
        r.stderr
    );
    assert!(!out.exists());
    let r = monitor_march_exits_2(dir);
    assert!(
        r.stderr.contains("not an imported event directory"),
        "{}",
        r.stderr
    );
}

#[test]
fn a_folder_of_daily_imports_is_read_as_one_and_a_file_twice_exits_2() {
    let tmp = tempfile::tempdir().unwrap();
    let folder = tmp.path().join("daily");
    let day = |name: &str, file: &str| {
        let out = folder.join(name);
        casus_ok!(
            "events",
            "import",
            "--format",
            "gdelt1",
            file,
            "--out",
            out.to_str().unwrap()
        );
    };
    day("2014-a", FIXTURE);
    day("2014-b", "crates/events/tests/fixtures/gdelt1_bad.tsv");
    let out = tmp.path().join("i.csv");
    let r = casus_ok!(
        "events",
        "indicators",
        "--events",
        folder.to_str().unwrap(),
        "--out",
        out.to_str().unwrap()
    );
    assert!(r.stdout.contains("indicator rows"), "{}", r.stdout);
    day("2014-c", FIXTURE);
    let r = monitor_march_exits_2(folder.to_str().unwrap());
    assert!(r.stderr.contains("imported twice"), "{}", r.stderr);
}

/// A local port that nothing listens on (bound once to learn a free one, then released).
fn closed_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

/// `casus events indicators --cluster URL` on a scratch directory, which must exit 2 with one
/// line and write nothing; returns that line.
fn indicators_on_cluster_exits_2(url: &str) -> String {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("i.csv");
    let r = casus_fails!(
        2,
        "events",
        "indicators",
        "--events",
        tmp.path().to_str().unwrap(),
        "--out",
        out.to_str().unwrap(),
        "--cluster",
        url
    );
    assert_eq!(r.stderr.trim().lines().count(), 1, "{}", r.stderr);
    assert!(!out.exists());
    r.stderr
}

#[test]
fn a_malformed_cluster_url_exits_2() {
    for url in ["http://127.0.0.1:50050", "df://127.0.0.1", "df://host:port"] {
        let stderr = indicators_on_cluster_exits_2(url);
        assert!(stderr.contains("bad cluster URL"), "{url}: {stderr}");
    }
}

#[test]
fn an_unreachable_scheduler_exits_2() {
    let port = closed_port();
    let stderr = indicators_on_cluster_exits_2(&format!("df://127.0.0.1:{port}"));
    assert!(stderr.contains("cannot reach a scheduler"), "{stderr}");

    // An executor pointed at it gives up after --wait seconds.
    let scheduler = format!("127.0.0.1:{port}");
    let r = casus_fails!(
        2,
        "cluster",
        "executor",
        "--scheduler",
        &scheduler,
        "--port",
        "0",
        "--wait",
        "1"
    );
    assert!(r.stderr.contains("did not register"), "{}", r.stderr);
}

#[test]
fn a_port_in_use_exits_2() {
    // Held open for the test: binding it again fails at once (never a server left running).
    let held = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let addr = held.local_addr().unwrap().to_string();
    let port = held.local_addr().unwrap().port().to_string();
    let r = casus_fails!(2, "cluster", "scheduler", "--bind", &addr);
    assert!(r.stderr.contains("cannot listen on"), "{}", r.stderr);
    let scheduler = format!("127.0.0.1:{}", closed_port());
    let r = casus_fails!(
        2,
        "cluster",
        "executor",
        "--scheduler",
        &scheduler,
        "--port",
        &port,
        "--grpc-port",
        "0",
        "--wait",
        "1"
    );
    assert!(r.stderr.contains("cannot listen on"), "{}", r.stderr);
    drop(held);
}
