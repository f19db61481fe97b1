//! `casus forecast`: export and restore round-trip a track record byte for byte (issue 10, item 2).

use crate::macros::casus;

#[test]
fn export_restore_export_is_byte_identical() {
    let dir = tempfile::tempdir().unwrap();
    let db = |name: &str| dir.path().join(name).display().to_string();
    let (a, b) = (db("a.db"), db("b.db"));
    let fixture = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../store/tests/fixtures/crowd_series.jsonl"
    );
    casus_ok!(
        "forecast",
        "--db",
        &a,
        "record",
        "--question-key",
        "casus:open"
    );
    casus_ok!("forecast", "--db", &a, "record");
    casus_ok!("forecast", "--db", &a, "import", fixture, "--all-points");
    casus_ok!("forecast", "--db", &a, "resolve", "2", "no");
    {
        // A situation uploaded through the API, twice edited, and a forecast of its first version.
        use casus_store::{ForecastStore, SituationStore};
        let store = casus_store::SqliteStore::open(std::path::Path::new(&a)).unwrap();
        store
            .save_situation("UP-1", "id = \"UP-1\" # v1\n", "h1")
            .unwrap();
        store
            .save_situation("UP-1", "id = \"UP-1\" # v2\n", "h2")
            .unwrap();
        let mut f = casus_store::NewForecast::new("q?", 0.3, casus_store::Source::casus());
        f.situation_id = Some("UP-1".into());
        f.situation_version = Some(1);
        store.record(&f).unwrap();
    }
    let r = casus_ok!("forecast", "--db", &a, "export");
    let first = r.stdout;
    assert_eq!(first.lines().count(), 12, "{first}");
    assert!(
        r.stderr
            .contains("10 forecasts and 2 uploaded situation versions"),
        "{}",
        r.stderr
    );
    assert!(first.lines().next().unwrap().contains("# v1"), "{first}");
    // --out writes the same bytes to a file.
    let file = dir.path().join("a.jsonl");
    let file_s = file.display().to_string();
    casus_ok!("forecast", "--db", &a, "export", "--out", &file_s);
    assert_eq!(std::fs::read_to_string(&file).unwrap(), first);
    let file = file_s;
    let r = casus_ok!("forecast", "--db", &b, "restore", &file);
    assert!(
        r.stdout.starts_with("Restored 10 forecasts"),
        "{}",
        r.stdout
    );
    let second = casus_ok!("forecast", "--db", &b, "export").stdout;
    assert!(
        first == second,
        "export → restore → export changed the bytes"
    );
    // Restoring into a store that already holds forecasts is refused as bad input.
    let r = casus_fails!(2, "forecast", "--db", &b, "restore", &file);
    assert!(
        r.stderr.contains("needs an empty forecast store"),
        "{}",
        r.stderr
    );
    // So is a file that is not an export.
    let r = casus_fails!(2, "forecast", "--db", &db("c.db"), "restore", fixture);
    assert!(r.stderr.contains("crowd_series.jsonl:1:"), "{}", r.stderr);
}

#[test]
fn a_corrupt_store_is_named_not_a_panic() {
    let dir = tempfile::tempdir().unwrap();
    let p = dir.path().join("junk.db");
    std::fs::write(&p, vec![b'x'; 8192]).unwrap();
    let r = casus(&["forecast", "--db", &p.display().to_string(), "list"]);
    assert_eq!(r.code, 1, "{}", r.stderr);
    assert!(
        r.stderr.contains("corrupt or not a casus forecast store"),
        "{}",
        r.stderr
    );
    assert!(!r.stderr.contains("panicked"), "{}", r.stderr);
}
