//! The monitor on real data: the ICEWS 2014 knowledge-graph quadruples in
//! `../shared/data/icews/mmkb_icews_2014_*.txt` (beside the repository; never copied into it).
//! Skipped, with a message, when the files are not there.
//!
//! Two runs of RUS → UKR, 1 January – 30 April 2014, with the documented default options:
//!
//! 1. with no analyst situation: every structural factor is unknown and the model integrates over
//!    it, so the series stays near the all-unknown value and only the event families move it;
//! 2. with the analyst's monitoring baseline `data/situations/ukraine-2014-01-monitor.toml`
//!    merged in (structural factors coded as of 2014-01-01, event-driven factors left to the
//!    events): how an analyst actually uses the monitor.

use std::path::{Path, PathBuf};

use casus_events::{Format, ImportOptions, import};
use casus_model::FittedModel;
use casus_monitor::{MonitorOptions, MonitorReport, monitor};
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

fn day(m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(2014, m, d).unwrap()
}

/// Import the ICEWS files into `dir`; returns the number of events written.
fn import_icews(files: &[PathBuf], dir: &Path) -> u64 {
    let report = import(Format::IcewsQuad, files, dir, &ImportOptions::default()).unwrap();
    assert!(report.rows_written > 10_000, "{report:?}");
    report.rows_written
}

/// January mean, 20 February – 31 March mean, and the maximum with its date.
struct Figures {
    january: f64,
    crisis: f64,
    max: f64,
    max_date: NaiveDate,
}

fn figures(r: &MonitorReport) -> Figures {
    let mean = |from: NaiveDate, to: NaiveDate| {
        let xs: Vec<f64> = r
            .series
            .iter()
            .filter(|d| d.date >= from && d.date <= to)
            .map(|d| d.probability)
            .collect();
        xs.iter().sum::<f64>() / xs.len() as f64
    };
    let max = r
        .series
        .iter()
        .max_by(|a, b| a.probability.total_cmp(&b.probability))
        .unwrap();
    Figures {
        january: mean(day(1, 1), day(1, 31)),
        crisis: mean(day(2, 20), day(3, 31)),
        max: max.probability,
        max_date: max.date,
    }
}

fn builtin_model() -> FittedModel {
    FittedModel::from_json(casus_data::builtin::model_json().expect("built-in model")).unwrap()
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
    let rows = import_icews(&files, &events);

    let opts = MonitorOptions::new("RUS", "UKR", day(1, 1), day(4, 30));
    let r = monitor(&events, &builtin_model(), None, &opts).unwrap();
    assert_eq!(r.series.len(), 120);

    let f = figures(&r);
    println!(
        "ICEWS 2014 RUS→UKR, no situation ({} files, {rows} events): January mean {:.4}, \
         20 Feb–31 Mar mean {:.4}, max {:.4} on {}; {} alerts",
        files.len(),
        f.january,
        f.crisis,
        f.max,
        f.max_date,
        r.alerts.len()
    );
    assert!(
        f.crisis > f.january,
        "late Feb–March mean {:.4} should exceed the January mean {:.4}",
        f.crisis,
        f.january
    );
}

#[test]
fn rus_ukr_2014_with_the_analysts_january_baseline() {
    let files = inputs();
    if files.is_empty() {
        eprintln!("skipped: no ../shared/data/icews/mmkb_icews_2014_*.txt beside the repository");
        return;
    }
    let situation_path = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("../../data/situations/ukraine-2014-01-monitor.toml");
    let situation = casus_data::load_situation(&situation_path).unwrap();
    assert_eq!(
        situation.as_of,
        day(1, 1),
        "the baseline must not know anything after 2014-01-01"
    );

    let tmp = tempfile::tempdir().unwrap();
    let events = tmp.path().join("events");
    let rows = import_icews(&files, &events);

    let opts = MonitorOptions::new("RUS", "UKR", day(1, 1), day(4, 30));
    let r = monitor(&events, &builtin_model(), Some(&situation), &opts).unwrap();
    assert_eq!(r.series.len(), 120);

    let f = figures(&r);
    let with_evidence = |from: NaiveDate, to: NaiveDate| {
        r.series
            .iter()
            .filter(|d| d.date >= from && d.date <= to && !d.evidence.is_empty())
            .count()
    };
    println!(
        "ICEWS 2014 RUS→UKR, with {} ({} files, {rows} events): January mean {:.4} \
         ({} days with event evidence), 20 Feb–31 Mar mean {:.4} ({} days), max {:.4} on {}; \
         {} alerts",
        situation.id,
        files.len(),
        f.january,
        with_evidence(day(1, 1), day(1, 31)),
        f.crisis,
        with_evidence(day(2, 20), day(3, 31)),
        f.max,
        f.max_date,
        r.alerts.len()
    );
    // This passes with the documented defaults, but only just (figures when written: January 0.6414,
    // 20 Feb–31 Mar 0.6463, max 0.7124 on 8 Feb), and not because the monitor sees the Crimea
    // crisis: the sparse sample gives event evidence on 2 January days and 7 crisis-window days
    // (20–26 Feb) only; every other day sits at the baseline's own value (about 0.647). Weak
    // evidence turns an unknown factor into a known low one (armed_violence ≈ 0.1–0.2 on
    // 28–29 Jan pulls those days to about 0.56), so the January mean is dragged below the
    // baseline more than the crisis window is. Read it as "the merge works and nothing is worse
    // than the baseline", not as detection; do not add a margin to this assertion.
    assert!(
        f.crisis > f.january,
        "late Feb–March mean {:.4} should exceed the January mean {:.4}",
        f.crisis,
        f.january
    );
}
