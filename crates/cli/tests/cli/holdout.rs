//! `casus evaluate --holdout`: the shipped model scored on crises from 2020 on, which no model was
//! fitted or tuned on.

#[test]
fn the_out_of_sample_crises_are_scored_snapshot_by_snapshot() {
    let r = casus_ok!("evaluate", "--holdout", "data/holdout", "--json");
    let v: serde_json::Value = serde_json::from_str(&r.stdout).unwrap();
    let preds = v["predictions"].as_array().unwrap();
    let n_crises = std::fs::read_dir(concat!(env!("CARGO_MANIFEST_DIR"), "/../../data/holdout"))
        .unwrap()
        .filter(|e| {
            e.as_ref()
                .unwrap()
                .path()
                .extension()
                .is_some_and(|x| x == "toml")
        })
        .count();
    assert_eq!(v["n_crises"].as_u64().unwrap() as usize, n_crises);
    assert!(
        preds.len() >= n_crises,
        "every crisis has at least one snapshot"
    );
    for p in preds {
        assert!(p["as_of"].as_str().unwrap() >= "2020-01-01", "{p}");
        let prob = p["probability"].as_f64().unwrap();
        let [lo, hi] = [0, 1].map(|i| p["interval"][i].as_f64().unwrap());
        assert!(lo <= prob && prob <= hi, "{p}");
    }
    for key in ["brier", "log_loss", "mean_forecast"] {
        assert!(
            v["model"][key].is_f64() && v["base_rate"][key].is_f64(),
            "{key}"
        );
    }
    let text = casus_ok!("evaluate", "--holdout", "data/holdout");
    assert!(text.stdout.contains("Out of sample"), "{}", text.stdout);
}

#[test]
fn a_crisis_the_model_may_have_been_fitted_on_is_refused_by_name() {
    let dir = tempfile::tempdir().unwrap();
    let root = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../../data/cases/RUS-UKR-2014.toml"
    );
    std::fs::copy(root, dir.path().join("RUS-UKR-2014.toml")).unwrap();
    let r = casus_fails!(2, "evaluate", "--holdout", dir.path().to_str().unwrap());
    assert!(
        r.stderr.contains("RUS-UKR-2014") && r.stderr.contains("before the temporal split"),
        "{}",
        r.stderr
    );
}
