//! `casus evaluate` and `casus forecast score` score forecasts with one set of metrics
//! (`casus_core::metrics`, issue 11): the same forecasts get the same numbers from both.

use casus_model::eval::metrics;

/// Crowd forecasts that exercise every part of the metrics: confident hits and misses (the log
/// loss clip), a forecast of exactly 1 (the last calibration bin) and empty bins.
const FORECASTS: [(f64, bool); 9] = [
    (0.0, true),
    (1.0, true),
    (0.03, false),
    (0.12, false),
    (0.15, true),
    (0.5, false),
    (0.62, true),
    (0.97, true),
    (0.999_999_9, false),
];

#[test]
fn forecast_score_and_evaluate_metrics_agree() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("t.db").display().to_string();
    let series = dir.path().join("crowd.jsonl");
    let lines: Vec<String> = FORECASTS
        .iter()
        .enumerate()
        .map(|(i, &(p, y))| {
            serde_json::json!({
                "source": "crowd", "id": format!("crowd:{i}"), "question": format!("Question {i}?"),
                "qtype": "binary", "status": "resolved", "resolution": f64::from(u8::from(y)),
                "resolve_time": "2022-01-01T00:00:00Z",
                "crowd_series": [[format!("2021-01-{:02}T00:00:00Z", i + 1), p]],
            })
            .to_string()
        })
        .collect();
    std::fs::write(&series, lines.join("\n")).unwrap();
    casus_ok!(
        "forecast",
        "--db",
        &db,
        "import",
        &series.display().to_string()
    );
    let out = casus_ok!("forecast", "--db", &db, "score", "--json").stdout;
    let scores: serde_json::Value = serde_json::from_str(&out).unwrap();
    let crowd = &scores["sources"][0];
    assert_eq!(crowd["source"], "crowd", "{out}");
    assert_eq!(crowd["resolved"], FORECASTS.len(), "{out}");

    let (p, y): (Vec<f64>, Vec<bool>) = FORECASTS.iter().copied().unzip();
    assert_eq!(
        crowd["brier"].as_f64(),
        Some(metrics::brier(&p, &y)),
        "{out}"
    );
    assert_eq!(
        crowd["log_loss"].as_f64(),
        Some(metrics::log_loss(&p, &y)),
        "{out}"
    );
    // The certain miss costs −ln 1e-15 ≈ 34.5 nats, not the 13.8 of the old 1e-6 clip.
    assert!(crowd["log_loss"].as_f64().unwrap() > 34.5 / 9.0, "{out}");
    let bins = metrics::calibration(&p, &y, 10);
    assert_eq!(
        crowd["calibration"],
        serde_json::to_value(&bins).unwrap(),
        "{out}"
    );
}
