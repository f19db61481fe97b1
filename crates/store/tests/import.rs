//! Importing crowd series: the fixture in `tests/fixtures` (our own, in the Metaculus-style shape),
//! and the real public sample in `../shared/data/forecasting/` when it is present.

use casus_store::{
    ForecastStore, ListQuery, NewForecast, Source, SqliteStore, import_series, score,
};
use std::path::Path;

const FIXTURE: &str = include_str!("fixtures/crowd_series.jsonl");

#[test]
fn fixture_imports_latest_points_and_resolutions() {
    let s = SqliteStore::open_in_memory().unwrap();
    // casus's own forecast on question 9001, made on 2020-08-25.
    let mut f = NewForecast::new("Force before 2022?", 0.07, Source::casus());
    f.question_key = Some("metaculus:9001".into());
    f.created_at = "2020-08-25T00:00:00Z".parse().unwrap();
    s.record(&f).unwrap();

    let sum = import_series(&s, "fixture", FIXTURE, None, true).unwrap();
    assert_eq!(sum.questions, 5);
    assert_eq!(sum.skipped, 2); // numeric; no series
    assert_eq!(sum.points, 4 + 2 + 1);
    assert_eq!(sum.new, 7);
    assert_eq!(sum.resolved_questions, 2);
    // Importing again adds nothing.
    assert_eq!(
        import_series(&s, "fixture", FIXTURE, None, true)
            .unwrap()
            .new,
        0
    );

    // The question's resolution reached casus's forecast too.
    let all = s.list(&ListQuery::default()).unwrap();
    let casus = all.iter().find(|f| f.source.is_casus()).unwrap();
    assert_eq!(casus.resolution.unwrap().outcome, 0);

    let scores = score(&all);
    let p = &scores
        .paired
        .iter()
        .find(|p| p.crowd == "metaculus")
        .unwrap();
    assert_eq!(p.questions.len(), 1);
    // The crowd at casus's time (2020-08-25) stood at 0.2 (the 2020-08-18 point).
    assert_eq!(p.questions[0].crowd, 0.2);
    assert!((p.crowd_brier.unwrap() - 0.04).abs() < 1e-12);
    assert!((p.casus_brier.unwrap() - 0.0049).abs() < 1e-12);
    // The GJP question's letter outcome stays unresolved.
    let gjp = scores.source("gjp").unwrap();
    assert_eq!((gjp.forecasts, gjp.resolved), (1, 0));
}

#[test]
fn as_of_cuts_the_series() {
    let s = SqliteStore::open_in_memory().unwrap();
    let cut = "2020-08-15T00:00:00Z".parse().unwrap();
    let sum = import_series(&s, "fixture", FIXTURE, Some(cut), false).unwrap();
    let q = ListQuery {
        question_key: Some("metaculus:9001".into()),
        ..Default::default()
    };
    let got = s.list(&q).unwrap();
    assert_eq!(got.len(), 1);
    assert_eq!(got[0].probability, 0.06);
    // One point each for 9001, 9002 and the GJP question, all of which have points before the cut.
    assert_eq!(sum.points, 3);
}

#[test]
fn bad_lines_name_their_line() {
    let s = SqliteStore::open_in_memory().unwrap();
    let bad = "{\"source\": \"metaculus\", \"id\": \"m:1\", \"question\": \"q\", \"crowd_series\": [[\"2020-01-01T00:00:00Z\", 1.5]]}";
    let text = format!("\n{bad}\n");
    let e = import_series(&s, "x.jsonl", &text, None, false).unwrap_err();
    assert!(e.to_string().starts_with("x.jsonl:2: "), "{e}");
}

/// The real public sample, read in place (never copied into the repo).
#[test]
fn shared_questions_russia_if_present() {
    let p = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../../../shared/data/forecasting/questions_russia.jsonl");
    let Ok(text) = std::fs::read_to_string(&p) else {
        eprintln!(
            "SKIP shared_questions_russia_if_present: {} is absent",
            p.display()
        );
        return;
    };
    let s = SqliteStore::open_in_memory().unwrap();
    let sum = import_series(&s, "questions_russia.jsonl", &text, None, false).unwrap();
    assert_eq!(sum.questions, 515);
    assert!(sum.resolved_questions > 100, "{sum:?}");
    // Metaculus 1688: Will Russia invade or annex all or part of Belarus before 2022? Resolved No.
    let q = ListQuery {
        question_key: Some("metaculus:1688".into()),
        ..Default::default()
    };
    let got = s.list(&q).unwrap();
    assert_eq!(got.len(), 1);
    assert_eq!(got[0].resolution.unwrap().outcome, 0);
    // It rose from 0.05 to 0.22 on 2020-08-18; at the start of the article's date it stood at 0.18.
    let cut = "2020-08-25T00:00:00Z".parse().unwrap();
    let s2 = SqliteStore::open_in_memory().unwrap();
    import_series(&s2, "questions_russia.jsonl", &text, Some(cut), false).unwrap();
    let got = s2.list(&q).unwrap();
    assert_eq!(got[0].probability, 0.18);
    let scores = score(&s.list(&ListQuery::default()).unwrap());
    let m = scores.source("metaculus").unwrap();
    eprintln!(
        "metaculus on questions_russia: {} resolved, Brier {:.3}, log loss {:.3}",
        m.resolved,
        m.brier.unwrap(),
        m.log_loss.unwrap()
    );
}
