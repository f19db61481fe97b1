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
    let first = casus_ok!("forecast", "--db", &a, "export").stdout;
    assert_eq!(first.lines().count(), 9, "{first}");
    let file = dir.path().join("a.jsonl");
    std::fs::write(&file, &first).unwrap();
    let file = file.display().to_string();
    let r = casus_ok!("forecast", "--db", &b, "restore", &file);
    assert!(r.stdout.starts_with("Restored 9 forecasts"), "{}", r.stdout);
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
