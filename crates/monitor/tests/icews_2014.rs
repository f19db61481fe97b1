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
//!
//! A third run reads the other sample in the folder, `mmkb_icews_2005-2015_*.txt` (a sparser draw
//! from eleven years, about 2,600 events in January–April 2014): its 2013 events give January a
//! full ninety-day baseline, which the 2014 files cannot.

use std::path::{Path, PathBuf};

use casus_events::{Format, ImportOptions, import};
use casus_model::FittedModel;
use casus_monitor::{Dyad, MonitorOptions, MonitorReport, daily_series, monitor};
use chrono::NaiveDate;

fn inputs() -> Vec<PathBuf> {
    inputs_starting("mmkb_icews_2014_")
}

/// The `mmkb_icews_*.txt` files of `../shared/data/icews` whose names start with `prefix`.
fn inputs_starting(prefix: &str) -> Vec<PathBuf> {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../../shared/data/icews");
    let mut files: Vec<PathBuf> = std::fs::read_dir(&dir)
        .into_iter()
        .flatten()
        .flatten()
        .map(|e| e.path())
        .filter(|p| {
            p.file_name()
                .and_then(|n| n.to_str())
                .is_some_and(|n| n.starts_with(prefix) && n.ends_with(".txt"))
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

/// Events per family on the dyad the monitor reads each family on, January vs 20 February –
/// 31 March, printed so that a reader sees the evidence behind the figures.
fn print_family_counts(events: &Path) {
    let dyad = Dyad {
        patron: "RUS".into(),
        target: "UKR".into(),
        rivals: Vec::new(),
    };
    let s = daily_series(events, &dyad, day(1, 1), day(4, 30)).unwrap();
    let sum = |v: &[f64], from: NaiveDate, to: NaiveDate| -> f64 {
        let i = |d: NaiveDate| (d - day(1, 1)).num_days() as usize;
        v[i(from)..=i(to)].iter().sum()
    };
    println!(
        "RUS→UKR events per family as the monitor reads them (coverage from {:?}):",
        s.coverage_start
    );
    println!("  family           January  20 Feb–31 Mar  April");
    for (family, v) in &s.counts {
        println!(
            "  {:<15} {:>8} {:>14} {:>6}",
            family.name(),
            sum(v, day(1, 1), day(1, 31)),
            sum(v, day(2, 20), day(3, 31)),
            sum(v, day(4, 1), day(4, 30))
        );
    }
}

/// Days from `from` to `to` on which event evidence went into the assessment.
fn evidence_days(r: &MonitorReport, from: NaiveDate, to: NaiveDate) -> usize {
    r.series
        .iter()
        .filter(|d| d.date >= from && d.date <= to && d.evidence.iter().any(|e| e.used))
        .count()
}

/// Each day with event evidence: the factors and suggested lower bounds.
fn print_evidence(r: &MonitorReport) {
    for d in &r.series {
        let used: Vec<String> = d
            .evidence
            .iter()
            .filter(|e| e.used)
            .map(|e| format!("{} ≥ {:.2}", e.factor.name(), e.value))
            .collect();
        if !used.is_empty() {
            println!("  {} {:.4}  {}", d.date, d.probability, used.join(", "));
        }
    }
}

fn builtin_model() -> FittedModel {
    FittedModel::from_json(casus_data::builtin::model_json().expect("built-in model")).unwrap()
}

/// Import `files`, monitor RUS → UKR from 1 January to 30 April 2014 with `situation` (or none),
/// print the figures under `label`, and check the criterion: the mean from 20 February
/// to 31 March above the January mean. Returns the report, or `None` when the files are absent.
fn rus_ukr_2014(
    label: &str,
    files: &[PathBuf],
    situation: Option<&casus_core::Situation>,
) -> Option<MonitorReport> {
    if files.is_empty() {
        eprintln!("skipped ({label}): its ICEWS files are not in ../shared/data/icews");
        return None;
    }
    let tmp = tempfile::tempdir().unwrap();
    let events = tmp.path().join("events");
    let rows = import_icews(files, &events);
    print_family_counts(&events);
    let opts = MonitorOptions::new("RUS", "UKR", day(1, 1), day(4, 30));
    let r = monitor(&events, &builtin_model(), situation, &opts).unwrap();
    assert_eq!(r.series.len(), 120);
    let f = figures(&r);
    print_evidence(&r);
    println!(
        "{label} ({} files, {rows} events): January mean {:.4} ({} days with event evidence), \
         20 Feb–31 Mar mean {:.4} ({} days), max {:.4} on {}; {} alerts",
        files.len(),
        f.january,
        evidence_days(&r, day(1, 1), day(1, 31)),
        f.crisis,
        evidence_days(&r, day(2, 20), day(3, 31)),
        f.max,
        f.max_date,
        r.alerts.len()
    );
    // Figures when written (count model of casus-events, suggestions merged as lower bounds):
    // the 2014 files without a situation, January 0.3821 vs 20 Feb–31 Mar 0.3827; with the
    // analyst's baseline, 0.6479 vs 0.6491 (max 0.6839 on 28 January); the 2005–2015 sample,
    // 0.3813 vs 0.3858. All pass by less than half a point: the monitor sees the samples' armed
    // clashes inside Ukraine (late January, 18–25 February) and raises those days, but the
    // samples hold almost no Russian force posture, threats or accusations against Ukraine
    // (single events, below three a week), and some Crimea events fall outside the families
    // (Russian military confiscating Ukrainian naval property is CAMEO 1711, in none). So the
    // series cannot show the Crimea crisis from Russia's side; what it shows is the Maidan's
    // violence. Read a pass as "the evidence moves the risk the right way on the days it
    // exists", not as detection; do not add a margin here.
    assert!(
        f.crisis > f.january,
        "{label}: late Feb–March mean {:.4} should exceed the January mean {:.4}",
        f.crisis,
        f.january
    );
    Some(r)
}

#[test]
fn rus_ukr_2014_rises_from_january_to_the_crimea_crisis() {
    rus_ukr_2014("ICEWS 2014 RUS→UKR, no situation", &inputs(), None);
}

#[test]
fn rus_ukr_2014_with_the_analysts_january_baseline() {
    let situation_path = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("../../data/situations/ukraine-2014-01-monitor.toml");
    let situation = casus_data::load_situation(&situation_path).unwrap();
    assert_eq!(
        situation.as_of,
        day(1, 1),
        "the baseline must not know anything after 2014-01-01"
    );
    let label = format!("ICEWS 2014 RUS→UKR, with {}", situation.id);
    rus_ukr_2014(&label, &inputs(), Some(&situation));
}

#[test]
fn rus_ukr_2014_on_the_2005_2015_sample_with_a_full_baseline() {
    let files = inputs_starting("mmkb_icews_2005-2015_");
    let label = "ICEWS 2005–2015 sample, RUS→UKR 2014, no situation";
    if let Some(r) = rus_ukr_2014(label, &files, None) {
        assert!(
            r.coverage_start
                .is_some_and(|d| d < day(1, 1) - chrono::Days::new(90)),
            "the 2005–2015 sample covers 2013: {:?}",
            r.coverage_start
        );
    }
}
