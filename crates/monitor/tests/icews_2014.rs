//! The monitor on real data: the ICEWS 2014 knowledge-graph quadruples in
//! `../shared/data/icews/mmkb_icews_2014_*.txt` (beside the repository; never copied into it).
//! Skipped, with a message, when the files are not there.

use std::path::PathBuf;

use casus_events::{Format, ImportOptions, import};
use casus_model::FittedModel;
use casus_monitor::{MonitorOptions, monitor};
use chrono::NaiveDate;

fn inputs() -> Vec<PathBuf> {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../../shared/data/icews");
    let mut files: Vec<PathBuf> = std::fs::read_dir(&dir)
        .into_iter()
        .flatten()
        .flatten()
        .map(|e| e.path())
        .filter(|p| {
            p.file_name()
                .and_then(|n| n.to_str())
                .is_some_and(|n| n.starts_with("mmkb_icews_2014_") && n.ends_with(".txt"))
        })
        .collect();
    files.sort();
    files
}

#[test]
fn rus_ukr_2014_rises_from_january_to_the_crimea_crisis() {
    let files = inputs();
    if files.is_empty() {
        eprintln!("skipped: no ../shared/data/icews/mmkb_icews_2014_*.txt beside the repository");
        return;
    }
    let tmp = tempfile::tempdir().unwrap();
    let events = tmp.path().join("events");
    let report = import(
        Format::IcewsQuad,
        &files,
        &events,
        &ImportOptions::default(),
    )
    .unwrap();
    assert!(report.rows_written > 10_000, "{report:?}");

    let model =
        FittedModel::from_json(casus_data::builtin::model_json().expect("built-in model")).unwrap();
    let day = |m, d| NaiveDate::from_ymd_opt(2014, m, d).unwrap();
    let opts = MonitorOptions::new("RUS", "UKR", day(1, 1), day(4, 30));
    let r = monitor(&events, &model, None, &opts).unwrap();
    assert_eq!(r.series.len(), 120);

    let mean = |from: NaiveDate, to: NaiveDate| {
        let xs: Vec<f64> = r
            .series
            .iter()
            .filter(|d| d.date >= from && d.date <= to)
            .map(|d| d.probability)
            .collect();
        xs.iter().sum::<f64>() / xs.len() as f64
    };
    let january = mean(day(1, 1), day(1, 31));
    let crisis = mean(day(2, 20), day(3, 31));
    let max = r
        .series
        .iter()
        .max_by(|a, b| a.probability.total_cmp(&b.probability))
        .unwrap();
    println!(
        "ICEWS 2014 RUS→UKR ({} files, {} events): January mean {:.4}, 20 Feb–31 Mar mean {:.4}, \
         max {:.4} on {}; {} alerts",
        files.len(),
        report.rows_written,
        january,
        crisis,
        max.probability,
        max.date,
        r.alerts.len()
    );
    assert!(
        crisis > january,
        "late Feb–March mean {crisis:.4} should exceed the January mean {january:.4}"
    );
}
