use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};

use casus_events::datafusion::arrow::array::{
    AsArray, Date32Array, Float32Array, Int8Array, Int32Array,
};
use casus_events::{EventsError, Format, ImportOptions, event_schema, import};

use crate::common::{fixture, import_one, read_all};

#[test]
fn round_trip_keeps_every_row_and_normalises_fields() {
    let dir = tempfile::tempdir().unwrap();
    let r = import_one(
        Format::Gdelt1,
        &fixture("gdelt1_sample.tsv"),
        dir.path(),
        20,
    );
    let batches = read_all(&dir.path().join("events/events"));
    let rows: usize = batches.iter().map(|b| b.num_rows()).sum();
    assert_eq!(rows as u64, r.rows_written);
    assert_eq!(
        r.parquet_files,
        crate::common::parquet_files(&dir.path().join("events")).len()
    );
    for b in &batches {
        assert_eq!(b.schema().fields(), event_schema().fields());
    }
    // Find the fixture's "increase military alert status" (152) row by Russia against Ukraine.
    let mut found = 0;
    for b in &batches {
        let code = b.column(5).as_string::<i32>();
        let src = b.column(1).as_string::<i32>();
        let tgt = b.column(3).as_string::<i32>();
        let stype = b.column(2).as_string::<i32>();
        let root = b.column(6).as_any().downcast_ref::<Int8Array>().unwrap();
        let quad = b.column(7).as_any().downcast_ref::<Int8Array>().unwrap();
        let gold = b.column(8).as_any().downcast_ref::<Float32Array>().unwrap();
        let ment = b.column(9).as_any().downcast_ref::<Int32Array>().unwrap();
        let loc = b.column(10).as_string::<i32>();
        let date = b.column(0).as_any().downcast_ref::<Date32Array>().unwrap();
        for i in 0..b.num_rows() {
            if code.value(i) == "152" && src.value(i) == "RUS" && tgt.value(i) == "UKR" {
                found += 1;
                assert_eq!(stype.value(i), "MIL");
                assert_eq!((root.value(i), quad.value(i)), (15, 4));
                assert_eq!(gold.value(i), -7.2);
                assert!(ment.value(i) >= 1);
                assert_eq!(loc.value(i), "UKR");
                // The crisis rows of the fixture start on 2014-02-20 (day 16121).
                assert!(date.value(i) >= 16121, "{}", date.value(i));
            }
        }
    }
    assert!(found > 0);
}

#[test]
fn existing_output_is_refused_then_replaced_with_overwrite() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("events");
    std::fs::create_dir(&out).unwrap();
    std::fs::write(out.join("old.txt"), "old").unwrap();
    let inputs = [fixture("gdelt1_sample.tsv")];
    let err = import(Format::Gdelt1, &inputs, &out, &ImportOptions::default()).unwrap_err();
    assert!(matches!(err, EventsError::OutputExists { .. }));
    let r = import(
        Format::Gdelt1,
        &inputs,
        &out,
        &ImportOptions::default().overwrite(true),
    )
    .unwrap();
    assert_eq!(r.rows_written, 200);
    assert!(!out.join("old.txt").exists());
    // Only the output directory is left beside it.
    let names: Vec<_> = std::fs::read_dir(dir.path())
        .unwrap()
        .map(|e| e.unwrap().file_name())
        .collect();
    assert_eq!(names, ["events"]);
}

#[test]
fn progress_is_reported_up_to_the_total() {
    let dir = tempfile::tempdir().unwrap();
    let calls = Arc::new(AtomicU64::new(0));
    let last_rows = Arc::new(AtomicU64::new(0));
    let (c, l) = (calls.clone(), last_rows.clone());
    let opts = ImportOptions::default()
        .chunk_bytes(8192)
        .progress(move |p| {
            c.fetch_add(1, Ordering::Relaxed);
            l.fetch_max(p.rows_ok, Ordering::Relaxed);
            assert!(p.bytes_read <= p.bytes_total);
        });
    import(
        Format::Gdelt1,
        &[fixture("gdelt1_sample.tsv")],
        &dir.path().join("events"),
        &opts,
    )
    .unwrap();
    assert!(calls.load(Ordering::Relaxed) > 1);
    assert_eq!(last_rows.load(Ordering::Relaxed), 200);
}

#[test]
fn several_files_and_a_tiny_memory_budget_still_write_everything() {
    let dir = tempfile::tempdir().unwrap();
    // A second copy of the sample (the same path twice is refused).
    let copy = dir.path().join("copy.tsv");
    std::fs::copy(fixture("gdelt1_sample.tsv"), &copy).unwrap();
    let inputs = vec![
        fixture("gdelt1_sample.tsv"),
        fixture("gdelt1_bad.tsv"),
        copy,
    ];
    let r = import(
        Format::Gdelt1,
        &inputs,
        &dir.path().join("events"),
        &ImportOptions::default()
            .threads(3)
            .chunk_bytes(2048)
            .memory_budget(1),
    )
    .unwrap();
    assert_eq!(r.rows_written, 403);
    assert_eq!(
        r.files.iter().map(|f| f.rows_ok).collect::<Vec<_>>(),
        [200, 3, 200]
    );
    assert!(r.parquet_files > 10, "{}", r.parquet_files);
    let rows: usize = read_all(&dir.path().join("events/events"))
        .iter()
        .map(|b| b.num_rows())
        .sum();
    assert_eq!(rows, 403);
}

#[test]
fn the_same_file_twice_in_one_import_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    let f = fixture("gdelt1_sample.tsv");
    let err = import(
        Format::Gdelt1,
        &[f.clone(), f],
        &dir.path().join("events"),
        &ImportOptions::default(),
    )
    .unwrap_err();
    assert!(matches!(err, EventsError::InputTwice { .. }), "{err}");
    assert!(!dir.path().join("events").exists());
}
