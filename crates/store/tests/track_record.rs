//! Issue 10, item 2: a track record nobody can rewrite. Forecasts are append-only in the database
//! itself, are never dated in the future or after their question resolved, and an export restores
//! into a fresh store byte for byte.

use casus_store::{
    ForecastStore, ListQuery, NewForecast, SituationStore, Source, SqliteStore, StoreError,
    export_jsonl, import_series, parse_export,
};
use chrono::{DateTime, Duration, Utc};
use rusqlite::Connection;
use std::path::Path;

const FIXTURE: &str = include_str!("fixtures/crowd_series.jsonl");

fn at(s: &str) -> DateTime<Utc> {
    s.parse().unwrap()
}

fn casus(question: &str, p: f64, key: Option<&str>) -> NewForecast {
    let mut f = NewForecast::new(question, p, Source::casus());
    f.question_key = key.map(String::from);
    f
}

/// Whatever a client of the file does (another program, a hand-typed `sqlite3` session), the
/// database refuses to change a stored forecast other than by adding its outcome once.
#[test]
fn the_database_refuses_to_rewrite_a_forecast() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("f.db");
    let store = SqliteStore::open(&db).unwrap();
    let mut f = casus("Force within a year?", 0.07, Some("k:1"));
    f.interval = Some([0.02, 0.16]);
    let id = store.record(&f).unwrap().id;
    let other = store.record(&casus("Another?", 0.3, None)).unwrap().id;

    let raw = Connection::open(&db).unwrap();
    for sql in [
        "UPDATE forecasts SET probability = 0.9 WHERE id = ?1",
        "UPDATE forecasts SET created_at = '2001-01-01T00:00:00.000000Z' WHERE id = ?1",
        "UPDATE forecasts SET question = 'edited' WHERE id = ?1",
        "UPDATE forecasts SET interval_low = NULL WHERE id = ?1",
        "UPDATE forecasts SET imported = 1 WHERE id = ?1",
        "UPDATE forecasts SET id = 99 WHERE id = ?1",
        "DELETE FROM forecasts WHERE id = ?1",
        // An outcome without its time, or the reverse.
        "UPDATE forecasts SET outcome = 1 WHERE id = ?1",
        "UPDATE forecasts SET resolved_at = '2030-01-01T00:00:00.000000Z' WHERE id = ?1",
        // A resolution before the forecast was made.
        "UPDATE forecasts SET outcome = 1, resolved_at = '2001-01-01T00:00:00.000000Z' WHERE id = ?1",
    ] {
        let e = raw.execute(sql, [id]).unwrap_err();
        assert!(
            e.to_string().contains("append-only") || e.to_string().contains("before it was made"),
            "{sql}: {e}"
        );
    }
    // The store's own resolution is the one change allowed, once.
    store.resolve(id, false, Utc::now()).unwrap();
    for sql in [
        "UPDATE forecasts SET outcome = 1 WHERE id = ?1",
        "UPDATE forecasts SET resolved_at = '2099-01-01T00:00:00.000000Z' WHERE id = ?1",
        "UPDATE forecasts SET outcome = NULL, resolved_at = NULL WHERE id = ?1",
        "DELETE FROM forecasts WHERE id >= ?1",
    ] {
        let e = raw.execute(sql, [id]).unwrap_err();
        assert!(e.to_string().contains("append-only"), "{sql}: {e}");
    }
    let got = store.get(id).unwrap();
    assert_eq!((got.probability, got.interval), (0.07, Some([0.02, 0.16])));
    assert_eq!(got.created_at, f.created_at);
    assert_eq!(got.resolution.unwrap().outcome, 0);
    assert!(store.get(other).unwrap().resolution.is_none());
}

#[test]
fn no_forecast_in_the_future_or_after_its_question_resolved() {
    let store = SqliteStore::open_in_memory().unwrap();
    let mut f = casus("q", 0.2, Some("k:1"));
    f.created_at = Utc::now() + Duration::hours(1);
    let e = store.record(&f).unwrap_err();
    assert!(e.to_string().contains("in the future"), "{e}");

    let early = NewForecast::imported_at(
        "q",
        0.2,
        Source::new("metaculus").unwrap(),
        at("2020-01-01T00:00:00Z"),
    );
    let mut early = early;
    early.question_key = Some("k:1".into());
    let id = store.record(&early).unwrap().id;
    // A resolution before the forecast was made, or in the future, is refused.
    for when in [at("2019-12-31T00:00:00Z"), Utc::now() + Duration::days(1)] {
        assert!(matches!(
            store.resolve(id, true, when),
            Err(StoreError::BadResolutionTime { .. })
        ));
    }
    store.resolve(id, true, at("2021-01-01T00:00:00Z")).unwrap();
    // Now the outcome is known: a new forecast on the question is refused, casus's or the crowd's.
    let e = store.record(&casus("q", 0.9, Some("k:1"))).unwrap_err();
    assert!(matches!(e, StoreError::AfterResolution { .. }), "{e}");
    let mut late = NewForecast::imported_at(
        "q",
        0.9,
        Source::new("gjp").unwrap(),
        at("2021-06-01T00:00:00Z"),
    );
    late.question_key = Some("k:1".into());
    assert!(store.record_batch(&[late.clone()]).is_err());
    // One made before the resolution may still be imported.
    late.created_at = at("2020-06-01T00:00:00Z");
    assert_eq!(store.record_batch(&[late]).unwrap(), 1);
    // Resolving a question before its latest open forecast was made is refused.
    let open = store.record(&casus("r", 0.5, Some("k:2"))).unwrap();
    let e = store
        .resolve_question("k:2", false, open.created_at - Duration::days(1))
        .unwrap_err();
    assert!(matches!(e, StoreError::BadResolutionTime { .. }), "{e}");
}

#[test]
fn crowd_points_are_imported_with_their_dates_and_marked() {
    let store = SqliteStore::open_in_memory().unwrap();
    import_series(&store, "fixture", FIXTURE, None, true).unwrap();
    let all = store.list(&ListQuery::default()).unwrap();
    assert!(!all.is_empty());
    assert!(all.iter().all(|f| f.imported));
    assert!(
        all.iter()
            .any(|f| f.created_at == at("2020-08-18T09:00:00Z"))
    );
    // A point dated after its question resolved is not a forecast.
    let text = r#"{"source": "metaculus", "id": "m:1", "question": "q", "resolution": 1.0, "resolve_time": "2020-01-01", "crowd_series": [["2019-06-01", 0.4], ["2020-02-01", 0.99]]}"#;
    let s = SqliteStore::open_in_memory().unwrap();
    let sum = import_series(&s, "x", text, None, true).unwrap();
    assert_eq!((sum.points, sum.after_resolution), (1, 1));
}

/// Found by the `api` fuzz target: the same crowd point posted twice hit the unique index and the
/// API answered 500 with SQLite's words; it is a duplicate, named as such (the API says 409).
#[test]
fn a_crowd_point_given_twice_is_a_duplicate_not_a_store_failure() {
    let store = SqliteStore::open_in_memory().unwrap();
    let mut f = NewForecast::new("q", 0.25, Source::new("crowd").unwrap());
    f.question_key = Some("k".into());
    f.created_at = at("2020-09-01T00:00:00Z");
    f.imported = true;
    store.record(&f).unwrap();
    let e = store.record(&f).unwrap_err();
    assert!(matches!(e, StoreError::Duplicate { .. }), "{e}");
    assert!(e.is_user_error());
    assert!(
        e.to_string().contains("`crowd`") && e.to_string().contains("already stored"),
        "{e}"
    );
    assert_eq!(store.list(&ListQuery::default()).unwrap().len(), 1);
}

/// A crowd series whose resolution predates a casus forecast on the question is refused whole.
#[test]
fn a_refused_import_writes_nothing() {
    let store = SqliteStore::open_in_memory().unwrap();
    // Made now, on a question the fixture says resolved on 2022-01-01.
    store
        .record(&casus("Force before 2022?", 0.1, Some("metaculus:9001")))
        .unwrap();
    let e = import_series(&store, "fixture", FIXTURE, None, true).unwrap_err();
    assert!(matches!(e, StoreError::BadResolutionTime { .. }), "{e}");
    assert_eq!(store.list(&ListQuery::default()).unwrap().len(), 1);
}

fn export(store: &dyn ForecastStore) -> Vec<u8> {
    let mut out = Vec::new();
    export_jsonl(store, &mut out).unwrap();
    out
}

/// A track record with every kind of field: casus forecasts with intervals and hashes, awkward
/// probabilities, imported crowd series, resolutions.
fn populated(db: &Path) -> SqliteStore {
    let store = SqliteStore::open(db).unwrap();
    let mut f = casus(
        "Force in Belarus by 2021-08-25?",
        0.1 + 0.2,
        Some("metaculus:9001"),
    );
    f.situation_id = Some("BLR-2020".into());
    f.patron = Some("RUS".into());
    f.target = Some("BLR".into());
    f.horizon_days = Some(365);
    f.interval = Some([1.0 / 3.0, 0.7071067811865475]);
    f.input_hash = Some("ab".repeat(32));
    f.model_id = Some("hierarchical-logit".into());
    f.model_version = Some("3".into());
    f.created_at = at("2020-08-25T10:11:12.123456Z");
    store.record(&f).unwrap();
    store
        .record(&casus("Unicode question: Лукашенко?", 1e-7, None))
        .unwrap();
    import_series(&store, "fixture", FIXTURE, None, true).unwrap();
    let open = store
        .record(&casus("Still open?", 0.5, Some("k:open")))
        .unwrap();
    assert!(open.resolution.is_none());
    // Uploaded situations: two versions of one (a forecast names the first), and a deleted one
    // a forecast names; a third no forecast names stays out of the export.
    store
        .save_situation("UP-1", "id = \"UP-1\"\n# v1\n", "h1")
        .unwrap();
    store
        .save_situation("UP-1", "id = \"UP-1\"\n# v2, é\n", "h2")
        .unwrap();
    store
        .save_situation("UP-2", "id = \"UP-2\"\n", "h3")
        .unwrap();
    store.delete_situation("UP-2").unwrap();
    store
        .save_situation("UP-3", "id = \"UP-3\"\n", "h4")
        .unwrap();
    for (id, v) in [("UP-1", 1), ("UP-2", 1)] {
        let mut f = casus(&format!("Force ({id})?"), 0.2, None);
        f.situation_id = Some(id.into());
        f.situation_version = Some(v);
        store.record(&f).unwrap();
    }
    store
}

#[test]
fn export_restore_export_is_byte_identical() {
    let dir = tempfile::tempdir().unwrap();
    let a = populated(&dir.path().join("a.db"));
    let first = export(&a);
    let text = String::from_utf8(first.clone()).unwrap();
    // Three situation versions (UP-1 v1 and v2, UP-2 deleted), then the forecasts.
    assert_eq!(
        text.lines().count(),
        3 + a.list(&ListQuery::default()).unwrap().len()
    );
    assert!(
        text.lines()
            .take(3)
            .all(|l| l.starts_with("{\"situation\":"))
    );
    assert!(!text.contains("UP-3"));
    // Every field is there, resolution and imported mark included.
    let line: serde_json::Value = serde_json::from_str(text.lines().nth(3).unwrap()).unwrap();
    for key in [
        "id",
        "question",
        "question_key",
        "situation_id",
        "patron",
        "target",
        "horizon_days",
        "probability",
        "interval",
        "input_hash",
        "model_id",
        "model_version",
        "source",
        "created_at",
        "imported",
        "resolution",
    ] {
        assert!(line.get(key).is_some(), "{key} missing from {line}");
    }

    let b = SqliteStore::open(&dir.path().join("b.db")).unwrap();
    let restored = parse_export("a.jsonl", &text).unwrap();
    assert_eq!(restored.situations.len(), 3);
    assert_eq!(b.restore(&restored).unwrap(), restored.forecasts.len());
    assert_eq!(
        export(&b),
        first,
        "export → restore → export changed the bytes"
    );
    assert_eq!(
        a.list(&ListQuery::default()).unwrap(),
        b.list(&ListQuery::default()).unwrap()
    );
    // The situations came back: versions, TOML, dates and the deletion.
    for (id, v) in [("UP-1", 1), ("UP-1", 2), ("UP-2", 1)] {
        assert_eq!(
            a.situation(id, Some(v)).unwrap(),
            b.situation(id, Some(v)).unwrap(),
            "{id} v{v}"
        );
    }
    assert_eq!(
        b.situation("UP-2", None).unwrap(),
        None,
        "UP-2 stays deleted"
    );
    assert_eq!(b.situation("UP-1", None).unwrap().unwrap().version, 2);
    // The restored store goes on numbering after the last restored id, and stays append-only.
    let next = b.record(&casus("after the restore", 0.4, None)).unwrap();
    assert_eq!(next.id, restored.forecasts.last().unwrap().id + 1);
    // A restore merges into nothing: the target must be empty.
    assert!(matches!(
        b.restore(&restored),
        Err(StoreError::NotEmpty { .. })
    ));
}

#[test]
fn a_restore_checks_what_it_reads() {
    let store = SqliteStore::open_in_memory().unwrap();
    // A forecast resolved before it was made: refused, and nothing is restored.
    let line = r#"{"id":1,"question":"q","question_key":null,"situation_id":null,"patron":null,"target":null,"horizon_days":null,"probability":0.5,"interval":null,"input_hash":null,"model_id":null,"model_version":null,"source":"casus","created_at":"2020-01-02T00:00:00Z","imported":false,"resolution":{"outcome":1,"resolved_at":"2020-01-01T00:00:00Z"}}"#;
    let fs = parse_export("x", line).unwrap();
    assert!(matches!(
        store.restore(&fs),
        Err(StoreError::BadResolutionTime { .. })
    ));
    assert!(store.list(&ListQuery::default()).unwrap().is_empty());
    // A forecast naming an uploaded situation the export does not hold.
    let orphan = line.replace(
        r#""situation_id":null"#,
        r#""situation_id":"UP-9","situation_version":2"#,
    );
    let e = parse_export("x.jsonl", &orphan).unwrap_err();
    assert!(
        e.to_string()
            .contains("situation `UP-9` version 2, which the export does not hold"),
        "{e}"
    );
    let future = line.replace("2020-01-02", "2999-01-02");
    let e = parse_export("x.jsonl", &future).unwrap_err();
    assert!(e.to_string().starts_with("x.jsonl:1: "), "{e}");
}
