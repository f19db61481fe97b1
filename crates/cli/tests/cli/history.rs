//! `casus history`: a situation saved at three dates shows a three-point history, from the store
//! (`--db`) or from situation files.

use casus_store::SituationStore;

/// A situation file for the watched crisis at one of three dates, re-coded as it escalates.
fn version(step: usize) -> String {
    let as_of = ["2020-08-25", "2020-09-10", "2020-10-01"][step];
    let mut s = format!(
        "id = \"watch\"\ntitle = \"Watched crisis\"\npatron = \"RUS\"\ntarget = \"BLR\"\n\
         crisis_type = \"mass_protest\"\nas_of = {as_of}\n\n[factors]\nally_incumbent = {}\n\
         protest_scale = 1.0\nstrategic_assets = 0.9\nmilitary_capacity = 1.0\n",
        if step == 2 { "0.0" } else { "1.0" }
    );
    s.push_str(match step {
        0 => "military_signals = 0.0\nincumbent_in_control = 0.9\n",
        1 => "military_signals = 1.0\nincumbent_in_control = 0.9\n",
        _ => "military_signals = 1.0\nincumbent_in_control = 0.0\nreorientation = 1.0\nsecurity_defection = 1.0\narmed_violence = 1.0\n",
    });
    if step >= 1 {
        s.push_str(
            "\n[[evidence]]\nfactor = \"military_signals\"\ndate = 2020-09-08\n\
             text = \"Units moved to the border.\"\nsource = \"https://www.reuters.com/x\"\n",
        );
    }
    s
}

#[test]
fn history_from_the_store_and_from_files() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("casus.db");
    let store = casus_store::SqliteStore::open(&db).unwrap();
    let mut files = Vec::new();
    for step in 0..3 {
        let text = version(step);
        let path = dir.path().join(format!("v{step}.toml"));
        std::fs::write(&path, &text).unwrap();
        files.push(path.to_str().unwrap().to_string());
        let s = casus_data::parse_situation(&path, &text).unwrap();
        store
            .save_situation("watch", &text, &casus_store::input_hash(&s))
            .unwrap();
    }
    drop(store);
    let db = db.to_str().unwrap();
    let r = casus_ok!("history", "watch", "--db", db);
    let out = &r.stdout;
    assert!(out.contains("over 3 versions"), "{out}");
    for (v, d) in [(1, "2020-08-25"), (2, "2020-09-10"), (3, "2020-10-01")] {
        assert!(out.contains(&format!("v{v}       {d}")), "{out}");
    }
    assert!(
        out.contains("overt military moves and threats: 0.00"),
        "{out}"
    );
    assert!(out.contains("evidence added (overt military moves and threats, 2020-09-08): Units moved to the border."), "{out}");

    // JSON: the API's shape; files in any order give the same numbers in as_of order.
    let j: serde_json::Value =
        serde_json::from_str(&casus_ok!("history", "watch", "--db", db, "--json").stdout).unwrap();
    let from_db: Vec<f64> = j["points"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p["probability"].as_f64().unwrap())
        .collect();
    assert_eq!(from_db.len(), 3);
    let f: serde_json::Value = serde_json::from_str(
        &casus_ok!("history", &files[2], &files[0], &files[1], "--json").stdout,
    )
    .unwrap();
    let from_files: Vec<f64> = f["points"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p["probability"].as_f64().unwrap())
        .collect();
    assert_eq!(from_files, from_db);
    assert!(
        f["points"][0]["source"]
            .as_str()
            .unwrap()
            .ends_with("v0.toml")
    );

    // Bad input: an unknown id, a missing store.
    let r = casus_fails!(2, "history", "nope", "--db", db);
    assert!(
        r.stderr.contains("no saved situation `nope`"),
        "{}",
        r.stderr
    );
    let missing = dir.path().join("none.db");
    let r = casus_fails!(2, "history", "watch", "--db", missing.to_str().unwrap());
    assert!(r.stderr.contains("no store at"), "{}", r.stderr);
    assert!(!missing.exists(), "a read never creates a store");
}
