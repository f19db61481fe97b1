//! Reads the real sample data in ../shared/data/ when present (it is never committed): ICEWS 2014
//! quadruples, the raw ICEWS sample and GDELT 1.0/2.0 rows. Each test prints SKIPPED without it.

use std::path::PathBuf;

use casus_events::datafusion::arrow::array::AsArray;
use casus_events::datafusion::arrow::datatypes::{Date32Type, Int64Type};
use casus_events::{Format, ImportOptions, IndicatorQuery, import, indicators};

fn shared(sub: &str) -> Option<PathBuf> {
    let manifest = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .canonicalize()
        .ok()?;
    // crates/events -> repository root -> its sibling shared/
    let dir = manifest
        .parent()?
        .parent()?
        .parent()?
        .join("shared/data")
        .join(sub);
    dir.is_dir().then_some(dir)
}

fn shared_icews() -> Option<PathBuf> {
    shared("icews")
}

/// Import one real file and check that almost every row is read.
fn real_file_reads(sub: &str, name: &str, format: Format, min_rows: u64) {
    let Some(path) = shared(sub).map(|d| d.join(name)).filter(|p| p.exists()) else {
        println!("SKIPPED: ../shared/data/{sub}/{name} not found");
        return;
    };
    let tmp = tempfile::tempdir().unwrap();
    let r = import(
        format,
        std::slice::from_ref(&path),
        &tmp.path().join("events"),
        &ImportOptions::default(),
    )
    .unwrap();
    println!(
        "{name} as {format}: {} rows, {} skipped {:?}",
        r.rows_written, r.rows_bad, r.files[0].bad.first
    );
    assert!(r.rows_written >= min_rows, "{}", r.rows_written);
    assert!(r.rows_bad * 100 <= r.rows_written, "{:?}", r.files[0].bad);
}

#[test]
fn real_gdelt1_mixed_57_and_58_columns() {
    real_file_reads(
        "gdelt",
        "reed9999_gdelt1_events_mixed_1982_2016.tsv",
        Format::Gdelt1,
        700,
    );
}

#[test]
fn real_gdelt2_export_excerpt() {
    real_file_reads(
        "gdelt",
        "newsnet_gdelt2_20240819130000_excerpt.tsv",
        Format::Gdelt2,
        8,
    );
}

#[test]
fn real_icews_raw_sample() {
    real_file_reads(
        "icews",
        "andybega_events.2018.sample.tab",
        Format::IcewsRaw,
        3600,
    );
}

#[test]
fn real_icews_quadruples_2005_2015() {
    real_file_reads(
        "icews",
        "mmkb_icews_2005-2015_test.txt",
        Format::IcewsQuad,
        45_000,
    );
}

#[test]
fn russia_ukraine_events_rise_in_late_february_and_march_2014() {
    let Some(dir) = shared_icews() else {
        println!("SKIPPED: ../shared/data/icews not found; real ICEWS check not run");
        return;
    };
    let inputs: Vec<PathBuf> = ["mmkb_icews_2014_test.txt", "mmkb_icews_2014_valid.txt"]
        .iter()
        .map(|n| dir.join(n))
        .filter(|p| p.exists())
        .collect();
    if inputs.is_empty() {
        println!("SKIPPED: no mmkb_icews_2014_*.txt in {}", dir.display());
        return;
    }
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("events");
    let r = import(Format::IcewsQuad, &inputs, &out, &ImportOptions::default()).unwrap();
    println!(
        "ICEWS 2014 quadruples: {} rows imported, {} skipped",
        r.rows_written, r.rows_bad
    );
    assert!(
        r.rows_bad * 100 < r.rows_written,
        "too many unreadable rows"
    );
    // All Russia -> Ukraine events, not only the families, from the raw table.
    let ctx = casus_events::datafusion::prelude::SessionContext::new();
    let (january, crisis) = tokio_rt().block_on(async {
        casus_events::register_events(&ctx, "events", &out)
            .await
            .unwrap();
        let df = ctx
            .sql(
                "SELECT \
                   SUM(CASE WHEN date BETWEEN DATE '2014-01-01' AND DATE '2014-01-31' \
                       THEN 1 ELSE 0 END), \
                   SUM(CASE WHEN date BETWEEN DATE '2014-02-20' AND DATE '2014-03-31' \
                       THEN 1 ELSE 0 END) \
                 FROM events WHERE source_country = 'RUS' AND target_country = 'UKR'",
            )
            .await
            .unwrap();
        let b = &df.collect().await.unwrap()[0];
        (
            b.column(0).as_primitive::<Int64Type>().value(0),
            b.column(1).as_primitive::<Int64Type>().value(0),
        )
    });
    // Per day, to compare windows of different lengths.
    let jan_rate = january as f64 / 31.0;
    let crisis_rate = crisis as f64 / 40.0;
    println!(
        "Russia -> Ukraine events (ICEWS 2014 sample): January {january} ({jan_rate:.2}/day), \
         20 Feb - 31 Mar {crisis} ({crisis_rate:.2}/day)"
    );
    let fam = indicators(
        &out,
        &IndicatorQuery::default()
            .sources(&["RUS"])
            .targets(&["UKR"])
            .from("2014-01-01")
            .to("2014-03-31"),
    )
    .unwrap();
    if fam.iter().all(|b| b.num_rows() == 0) {
        println!("  (no Russia -> Ukraine events in the indicator families in Jan-Mar)");
    }
    for b in &fam {
        let f = b.column(3).as_string::<i32>();
        let n = b.column(4).as_primitive::<Int64Type>();
        let d = b.column(0).as_primitive::<Date32Type>();
        for i in 0..b.num_rows() {
            println!("  {} {} {}", date_label(d.value(i)), f.value(i), n.value(i));
        }
    }
    assert!(crisis_rate > jan_rate, "no rise: {january} vs {crisis}");
    assert!(crisis >= 5, "too few crisis events: {crisis}");
}

fn tokio_rt() -> tokio::runtime::Runtime {
    tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .unwrap()
}

fn date_label(days: i32) -> String {
    use casus_events::datafusion::arrow::temporal_conversions::date32_to_datetime;
    date32_to_datetime(days)
        .map(|d| d.format("%Y-%m-%d").to_string())
        .unwrap_or_default()
}
