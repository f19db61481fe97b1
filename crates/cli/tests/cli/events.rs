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
    casus_fails!(
        2,
        "monitor",
        "--events",
        nowhere.to_str().unwrap(),
        "--patron",
        "RUS",
        "--target",
        "UKR",
        "--from",
        "2014-03-01",
        "--to",
        "2014-03-31"
    );
}
