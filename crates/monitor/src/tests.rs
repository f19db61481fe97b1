//! Unit tests on a tiny event file the test writes itself: ICEWS quadruples for a quiet
//! baseline, then a surge of protests, violence and the patron's threats.

use std::path::{Path, PathBuf};

use casus_core::{Factor, FactorValue, Level, NaiveDate};
use casus_events::{Family, Format, ImportOptions, import};
use casus_model::FittedModel;

use crate::{AlertKind, DayAssessment, Dyad, MonitorOptions, alerts, daily_series, merge, monitor};

fn day(m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(2014, m, d).unwrap()
}

fn model() -> FittedModel {
    FittedModel::from_json(casus_data::builtin::model_json().expect("built-in model")).unwrap()
}

/// 2014-01-01..2014-04-30: one protest every third day and a Russian-Ukrainian meeting every
/// fifth; from 2014-03-20 daily protests, violent protests, clashes and Russian threats and
/// mobilisation.
fn fixture(dir: &Path) -> PathBuf {
    let mut text = String::new();
    let mut d = day(1, 1);
    let mut i = 0;
    while d <= day(4, 30) {
        let date = d.format("%Y-%m-%d");
        if i % 3 == 0 {
            text.push_str(&format!(
                "Protester (Ukraine)\tDemonstrate or rally\tUkraine\t{date}\n"
            ));
        }
        if i % 5 == 0 {
            text.push_str(&format!("Russia\tConsult\tUkraine\t{date}\n"));
        }
        if d >= day(3, 20) {
            for _ in 0..4 {
                text.push_str(&format!(
                    "Protester (Ukraine)\tDemonstrate or rally\tUkraine\t{date}\n"
                ));
                text.push_str(&format!(
                    "Protester (Ukraine)\tEngage in violent protest\tPolice (Ukraine)\t{date}\n"
                ));
                text.push_str(&format!(
                    "Russia\tThreaten with military force\tUkraine\t{date}\n"
                ));
                text.push_str(&format!(
                    "Military (Russia)\tMobilize or increase armed forces\tUkraine\t{date}\n"
                ));
            }
        }
        d = d.succ_opt().unwrap();
        i += 1;
    }
    text.push_str("not a valid row\n");
    let input = dir.join("fixture.txt");
    std::fs::write(&input, text).unwrap();
    let out = dir.join("events");
    import(
        Format::IcewsQuad,
        &[input],
        &out,
        &ImportOptions::default().threads(1),
    )
    .unwrap();
    out
}

#[test]
fn dyad_reads_each_family_on_its_dyad() {
    let d = Dyad {
        patron: "RUS".into(),
        target: "UKR".into(),
        rivals: Vec::new(),
    };
    assert!(d.reads(Family::Protest, Some("UKR"), Some("UKR")));
    assert!(d.reads(Family::Protest, None, Some("UKR")));
    assert!(!d.reads(Family::Protest, Some("RUS"), Some("UKR")));
    assert!(d.reads(Family::Threat, Some("RUS"), Some("UKR")));
    assert!(!d.reads(Family::Threat, Some("UKR"), Some("RUS")));
    assert!(!d.reads(Family::Threat, Some("RUS"), Some("USA")));
    assert!(d.reads(Family::ForcePosture, Some("RUS"), Some("RUS")));
    assert!(d.reads(Family::RivalSupport, Some("USA"), Some("UKR")));
    assert!(!d.reads(Family::RivalSupport, Some("RUS"), Some("UKR")));
    assert!(d.reads(Family::Accusation, Some("RUS"), Some("UKR")));
    assert!(!d.reads(Family::Cooperation, Some("RUS"), Some("UKR")));
    let with_rivals = Dyad {
        rivals: vec!["USA".into()],
        ..d
    };
    assert!(with_rivals.reads(Family::Accusation, Some("RUS"), Some("USA")));
    assert!(with_rivals.reads(Family::Threat, Some("RUS"), Some("USA")));
    assert!(with_rivals.reads(Family::Threat, Some("RUS"), Some("UKR")));
    assert!(!with_rivals.reads(Family::Threat, Some("RUS"), Some("TUR")));
    assert!(!with_rivals.reads(Family::Accusation, Some("RUS"), Some("UKR")));
    assert!(!with_rivals.reads(Family::RivalSupport, Some("DEU"), Some("UKR")));
}

#[test]
fn analyst_values_win_and_the_rest_stay_unknown() {
    let dyad = Dyad {
        patron: "RUS".into(),
        target: "UKR".into(),
        rivals: Vec::new(),
    };
    let mut analyst = crate::blank_situation(&dyad, day(1, 1)).unwrap();
    analyst
        .factors
        .set(Factor::ProtestScale, FactorValue::known(1.0).unwrap());
    let (s, used) = merge(
        &analyst,
        &[
            (Factor::ProtestScale, 0.2),
            (Factor::MilitarySignals, 0.7),
            (Factor::RivalSupport, 0.0),
            (Factor::MassKillings, 1.0),
        ],
        day(2, 1),
    );
    assert_eq!(s.as_of, day(2, 1));
    assert_eq!(s.factors.get(Factor::ProtestScale).point(), Some(1.0));
    // A suggestion is a lower bound: "at least 0.7", uniform over [0.7, 1].
    assert_eq!(
        s.factors.get(Factor::MilitarySignals),
        &FactorValue::range(Level::new(0.7).unwrap(), Level::new(1.0).unwrap()).unwrap()
    );
    // "No rise" bounds nothing: the factor stays unknown.
    assert!(s.factors.get(Factor::RivalSupport).is_unknown());
    assert_eq!(s.factors.get(Factor::MassKillings).point(), Some(1.0));
    assert!(s.factors.get(Factor::ArmedViolence).is_unknown());
    let flags: Vec<bool> = used.iter().map(|u| u.used).collect();
    assert_eq!(flags, vec![false, true, false, true]);
}

#[test]
fn stronger_evidence_never_lowers_the_risk_of_a_positive_factor() {
    // armed_violence raises the risk in the fitted model. Read as a point value, a weak rise
    // (0.2) would sit below the case base's typical value and lower the risk; read as a lower
    // bound the risk only grows with the evidence.
    let dyad = Dyad {
        patron: "RUS".into(),
        target: "UKR".into(),
        rivals: Vec::new(),
    };
    let blank = crate::blank_situation(&dyad, day(1, 1)).unwrap();
    let m = model();
    let risk = |v: Option<f64>| {
        let evidence: Vec<_> = v.map(|v| (Factor::ArmedViolence, v)).into_iter().collect();
        let (s, _) = merge(&blank, &evidence, day(2, 1));
        m.assess(&s, &casus_model::AssessOptions::default())
            .probability
    };
    let unknown = risk(None);
    let levels = [0.05, 0.2, 0.5, 0.8, 1.0].map(|v| risk(Some(v)));
    assert!(levels[0] >= unknown - 0.01, "{unknown} → {levels:?}");
    for w in levels.windows(2) {
        assert!(w[1] >= w[0] - 1e-9, "{unknown} → {levels:?}");
    }
}

#[test]
fn alerts_by_hand() {
    let d = |dd, p| DayAssessment {
        date: day(1, dd),
        probability: p,
        low: 0.0,
        high: 1.0,
        evidence: Vec::new(),
    };
    let series = [d(1, 0.30), d(2, 0.40), d(3, 0.60), d(4, 0.55), d(5, 0.45)];
    let a = alerts(&series, 0.5, 0.15);
    let kinds: Vec<_> = a.iter().map(|a| (a.date, a.kind)).collect();
    assert_eq!(
        kinds,
        vec![
            (day(1, 3), AlertKind::CrossedAbove),
            (day(1, 3), AlertKind::Jump),
            (day(1, 5), AlertKind::CrossedBelow),
        ]
    );
    assert!((a[1].previous - 0.40).abs() < 1e-12);
    assert!(alerts(&series, 0.9, 0.5).is_empty());
}

#[test]
fn series_counts_the_fixture() {
    let tmp = tempfile::tempdir().unwrap();
    let events = fixture(tmp.path());
    let dyad = Dyad {
        patron: "RUS".into(),
        target: "UKR".into(),
        rivals: Vec::new(),
    };
    let s = daily_series(&events, &dyad, day(3, 19), day(3, 21)).unwrap();
    assert_eq!(s.len(), 3);
    // Coverage starts with the first classified event touching the dyad's countries.
    assert_eq!(s.coverage_start, Some(day(3, 20)));
    // 2014-03-19 is day 77: 77 % 3 != 0 → no protest; 03-20 (78) has the baseline one plus
    // 4 rallies and 4 violent protests (CAMEO 145 is root 14, protest, not armed violence).
    assert_eq!(s.counts[&Family::Protest], vec![0.0, 9.0, 8.0]);
    assert_eq!(s.counts[&Family::Threat], vec![0.0, 4.0, 4.0]);
    assert_eq!(s.counts[&Family::ForcePosture], vec![0.0, 4.0, 4.0]);
    assert_eq!(s.counts[&Family::ArmedViolence], vec![0.0, 0.0, 0.0]);
    assert_eq!(s.counts[&Family::Cooperation], vec![0.0, 0.0, 0.0]);
}

#[test]
fn monitor_rises_with_the_surge_and_alerts() {
    let tmp = tempfile::tempdir().unwrap();
    let events = fixture(tmp.path());
    let opts = MonitorOptions::new("RUS", "UKR", day(2, 1), day(4, 30));
    let r = monitor(&events, &model(), None, &opts).unwrap();
    assert_eq!(r.series.len(), 89);
    assert_eq!(r.coverage_start, Some(day(1, 1)));
    for d in &r.series {
        assert!(0.0 <= d.low && d.low <= d.probability && d.probability <= d.high && d.high <= 1.0);
    }
    let at = |m, dd| r.series.iter().find(|d| d.date == day(m, dd)).unwrap();
    let before = at(3, 15);
    let after = at(3, 26);
    assert!(
        after.probability > before.probability + 0.1,
        "{} → {}",
        before.probability,
        after.probability
    );
    let military = after
        .evidence
        .iter()
        .find(|e| e.factor == Factor::MilitarySignals)
        .unwrap();
    assert_eq!(military.value, 1.0);
    // An analyst's threshold between the levels before and after the surge must raise an alert
    // dated within the surge (the default 50% is a property of the model, not of the monitor).
    let mut at_threshold = opts.clone();
    at_threshold.threshold = (before.probability + after.probability) / 2.0;
    let alerted = monitor(&events, &model(), None, &at_threshold).unwrap();
    assert!(
        alerted
            .alerts
            .iter()
            .any(|a| a.date > day(3, 15) && a.date <= day(3, 26)),
        "{:?}",
        alerted.alerts
    );
    // Same seed, same series.
    let again = monitor(&events, &model(), None, &opts).unwrap();
    assert_eq!(again.series, r.series);
}

#[test]
fn bad_options_are_errors() {
    let tmp = tempfile::tempdir().unwrap();
    let mut opts = MonitorOptions::new("RUS", "UKR", day(2, 1), day(1, 1));
    assert!(monitor(tmp.path(), &model(), None, &opts).is_err());
    opts.to = day(3, 1);
    opts.threshold = 1.5;
    assert!(matches!(
        monitor(tmp.path(), &model(), None, &opts),
        Err(crate::MonitorError::InvalidOption {
            name: "threshold",
            ..
        })
    ));
}
