//! `casus assess`: the headline command.

use std::fs;

#[test]
fn the_default_is_belarus_and_reads_as_a_note() {
    let r = casus_ok!("assess");
    assert!(
        r.stdout.contains("Russia and the Belarus protests"),
        "{}",
        r.stdout
    );
    assert!(r.stdout.contains("90% interval"), "{}", r.stdout);
    assert!(
        r.stdout.contains("Drivers") && r.stdout.contains("Restraints"),
        "{}",
        r.stdout
    );
}

#[test]
fn the_default_is_rated_unlikely_as_the_article_did() {
    let r = casus_ok!("assess", "--json");
    let v: serde_json::Value = serde_json::from_str(&r.stdout).unwrap();
    let p = v["probability"].as_f64().unwrap();
    // The article: "possible, but at this point very unlikely". Unlikely or below is < 45%.
    assert!(p < 0.45, "Belarus 2020-08-25 rated {p}");
    let iv = v["interval"].as_array().unwrap();
    assert!(iv[0].as_f64().unwrap() <= p && p <= iv[1].as_f64().unwrap());
}

#[test]
fn json_has_the_documented_fields() {
    let r = casus_ok!("assess", "--json");
    let v: serde_json::Value = serde_json::from_str(&r.stdout).unwrap();
    for key in [
        "situation_id",
        "probability",
        "interval",
        "horizon_days",
        "model",
        "drivers",
    ] {
        assert!(v.get(key).is_some(), "missing {key}");
    }
    assert_eq!(v["situation_id"], "RUS-BLR-2020-08-25");
    assert_eq!(v["horizon_days"], 365);
    assert!(v["model"]["id"].is_string() && v["model"]["version"].is_string());
    assert_eq!(v["drivers"].as_array().unwrap().len(), 18);
}

#[test]
fn same_seed_same_numbers() {
    let a = casus_ok!("assess", "--json", "--seed", "7");
    let b = casus_ok!("assess", "--json", "--seed", "7");
    assert_eq!(a.stdout, b.stdout);
}

#[test]
fn shorter_horizons_give_lower_probabilities() {
    let year: serde_json::Value =
        serde_json::from_str(&casus_ok!("assess", "--json").stdout).unwrap();
    let quarter: serde_json::Value =
        serde_json::from_str(&casus_ok!("assess", "--json", "--horizon-days", "90").stdout)
            .unwrap();
    assert_eq!(quarter["horizon_days"], 90);
    assert!(quarter["probability"].as_f64() < year["probability"].as_f64());
}

#[test]
fn bad_horizon_and_bad_files_exit_two() {
    let r = casus_fails!(2, "assess", "--horizon-days", "0");
    assert!(r.stderr.contains("--horizon-days"), "{}", r.stderr);
    let dir = tempfile::tempdir().unwrap();
    let bad = dir.path().join("s.toml");
    fs::write(&bad, "id = \"x\"\n").unwrap();
    let r = casus_fails!(2, "assess", bad.to_str().unwrap());
    assert!(r.stderr.contains("s.toml"), "{}", r.stderr);
    assert!(!r.stderr.contains("panicked"));
}

#[test]
fn unknown_factors_widen_the_interval() {
    let dir = tempfile::tempdir().unwrap();
    let full = fs::read_to_string(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../../data/situations/belarus-2020-08-25.toml"
    ))
    .unwrap();
    // Drop three coded factors: the model must integrate over them, not read them as 0.
    let thin: String = full
        .lines()
        .filter(|l| {
            !l.starts_with("military_signals")
                && !l.starts_with("invitation")
                && !l.starts_with("reorientation")
        })
        .collect::<Vec<_>>()
        .join("\n");
    let p = dir.path().join("thin.toml");
    fs::write(&p, thin).unwrap();
    let a: serde_json::Value = serde_json::from_str(&casus_ok!("assess", "--json").stdout).unwrap();
    let b: serde_json::Value =
        serde_json::from_str(&casus_ok!("assess", p.to_str().unwrap(), "--json").stdout).unwrap();
    let width = |v: &serde_json::Value| {
        v["interval"][1].as_f64().unwrap() - v["interval"][0].as_f64().unwrap()
    };
    assert!(width(&b) > width(&a), "{} vs {}", width(&b), width(&a));
}

/// The human note is reviewed wording: a change shows up as a snapshot diff.
#[test]
fn the_default_note_is_a_reviewed_snapshot() {
    let r = casus_ok!("assess");
    insta::assert_snapshot!("assess_default_belarus", r.stdout);
}
