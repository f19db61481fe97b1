use casus_events::{BadRowKind, EventsError, Format, ImportOptions, ImportReport, import};

use crate::common::{fixture, gzip, import_one};

#[test]
fn gdelt1_sample_reads_every_row_in_both_layouts() {
    let dir = tempfile::tempdir().unwrap();
    let r = import_one(
        Format::Gdelt1,
        &fixture("gdelt1_sample.tsv"),
        dir.path(),
        20,
    );
    assert_eq!(r.rows_written, 200);
    assert_eq!(r.rows_bad, 0, "{:?}", r.files[0].bad);
    assert_eq!(
        r.months.keys().cloned().collect::<Vec<_>>(),
        ["2014-01", "2014-02", "2014-03", "2014-04"]
    );
    assert_eq!(r.months.values().sum::<u64>(), 200);
}

/// Line and reason of the first file's reported bad rows.
fn bad_lines(r: &ImportReport) -> Vec<(u64, BadRowKind)> {
    r.files[0]
        .bad
        .first
        .iter()
        .map(|b| (b.line, b.kind))
        .collect()
}

#[test]
fn gdelt1_bad_rows_are_skipped_counted_and_located() {
    let dir = tempfile::tempdir().unwrap();
    let r = import_one(Format::Gdelt1, &fixture("gdelt1_bad.tsv"), dir.path(), 20);
    let bad = &r.files[0].bad;
    assert_eq!(r.rows_written, 3);
    assert_eq!(bad.total, 5);
    let got = bad_lines(&r);
    assert_eq!(
        got,
        vec![
            (
                3,
                BadRowKind::ColumnCount {
                    found: 40,
                    expected: "57 or 58"
                }
            ),
            (4, BadRowKind::BadDate),
            (5, BadRowKind::InvalidUtf8),
            (6, BadRowKind::BadField { field: "EventCode" }),
            (8, BadRowKind::Truncated),
        ]
    );
    for kind in [
        "column_count",
        "bad_date",
        "invalid_utf8",
        "bad_field",
        "truncated",
    ] {
        assert_eq!(bad.by_kind[kind], 1, "{kind}");
    }
}

#[test]
fn only_the_first_n_bad_lines_are_kept_but_all_are_counted() {
    let dir = tempfile::tempdir().unwrap();
    let r = import_one(Format::Gdelt1, &fixture("gdelt1_bad.tsv"), dir.path(), 2);
    let bad = &r.files[0].bad;
    assert_eq!(bad.total, 5);
    assert_eq!(bad.first.iter().map(|b| b.line).collect::<Vec<_>>(), [3, 4]);
}

#[test]
fn gzip_input_reads_the_same() {
    let dir = tempfile::tempdir().unwrap();
    let gz = dir.path().join("sample.tsv.gz");
    gzip(&fixture("gdelt1_bad.tsv"), &gz);
    let r = import_one(Format::Gdelt1, &gz, dir.path(), 20);
    assert_eq!((r.rows_written, r.rows_bad), (3, 5));
    assert!(r.bytes_read < std::fs::metadata(fixture("gdelt1_bad.tsv")).unwrap().len());
}

#[test]
fn gdelt2_reads_61_columns() {
    let dir = tempfile::tempdir().unwrap();
    let r = import_one(
        Format::Gdelt2,
        &fixture("gdelt2_sample.tsv"),
        dir.path(),
        20,
    );
    assert_eq!((r.rows_written, r.rows_bad), (12, 0));
    // The GDELT 1.0 file read as GDELT 2.0 is all column-count errors.
    let other = tempfile::tempdir().unwrap();
    let r = import_one(
        Format::Gdelt2,
        &fixture("gdelt1_sample.tsv"),
        other.path(),
        20,
    );
    assert_eq!((r.rows_written, r.rows_bad), (0, 200));
}

#[test]
fn icews_raw_skips_header_and_bad_rows() {
    let dir = tempfile::tempdir().unwrap();
    let r = import_one(
        Format::IcewsRaw,
        &fixture("icews_raw_sample.tsv"),
        dir.path(),
        20,
    );
    assert_eq!(r.rows_written, 8);
    let lines = bad_lines(&r);
    assert_eq!(
        lines,
        vec![
            (10, BadRowKind::BadDate),
            (
                11,
                BadRowKind::ColumnCount {
                    found: 12,
                    expected: "20"
                }
            )
        ]
    );
}

#[test]
fn icews_quadruples_map_text_and_actors() {
    let dir = tempfile::tempdir().unwrap();
    let r = import_one(
        Format::IcewsQuad,
        &fixture("icews_quad_sample.txt"),
        dir.path(),
        20,
    );
    assert_eq!(r.rows_written, 9);
    let lines = bad_lines(&r);
    assert_eq!(
        lines,
        vec![
            (
                10,
                BadRowKind::BadField {
                    field: "event text"
                }
            ),
            (11, BadRowKind::BadDate)
        ]
    );
}

#[test]
fn formats_are_detected_from_the_first_line() {
    for (name, f) in [
        ("gdelt1_sample.tsv", Format::Gdelt1),
        ("gdelt2_sample.tsv", Format::Gdelt2),
        ("icews_raw_sample.tsv", Format::IcewsRaw),
        ("icews_quad_sample.txt", Format::IcewsQuad),
    ] {
        assert_eq!(Format::detect(&fixture(name)).unwrap(), f, "{name}");
    }
}

fn assert_unreadable(input: &std::path::Path) {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("events");
    let err = import(
        Format::Gdelt1,
        &[fixture("gdelt1_sample.tsv"), input.to_path_buf()],
        &out,
        &ImportOptions::default().threads(2),
    )
    .unwrap_err();
    assert!(matches!(err, EventsError::Read { .. }), "{err}");
    assert!(
        err.to_string().contains(&input.display().to_string()),
        "{err}"
    );
    // Nothing half-written is left: no output, no temporary directory.
    assert!(!out.exists());
    assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 0);
}

#[test]
fn a_missing_file_is_an_error_naming_it() {
    assert_unreadable(std::path::Path::new("/no/such/events.tsv"));
}

#[test]
fn a_directory_is_an_error_naming_it() {
    let d = tempfile::tempdir().unwrap();
    assert_unreadable(d.path());
}

#[test]
fn a_corrupt_gzip_is_an_error_naming_it() {
    let d = tempfile::tempdir().unwrap();
    let p = d.path().join("broken.tsv.gz");
    let mut bytes = vec![0x1f, 0x8b, 8, 0, 0, 0, 0, 0, 0, 3];
    bytes.extend_from_slice(b"this is not deflate data at all");
    std::fs::write(&p, bytes).unwrap();
    assert_unreadable(&p);
}
