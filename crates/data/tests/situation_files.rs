//! Every kind of bad situation file gets one clear line naming the file, the place and the reason.

use casus_data::{DataError, load_situation, parse_situation};
use std::path::Path;

const GOOD: &str = r#"
id = "RUS-BLR-2020-08-25"
title = "Russia and the Belarus protests, late August 2020"
patron = "RUS"                 # ISO 3166-1 alpha-3; SUN for the USSR
target = "BLR"
crisis_type = "mass_protest"
as_of = 2020-08-25
horizon_days = 365

[factors]
ally_incumbent = 1.0
contagion_risk = { low = 0.5, high = 1.0 }

[[evidence]]
factor = "invitation"
date = 2020-08-15
text = "Putin says a reserve police force has been formed at Lukashenko's request"
source = "https://example.org/news"
"#;

fn err(src: &str) -> String {
    parse_situation(Path::new("s.toml"), src)
        .unwrap_err()
        .to_string()
}

#[test]
fn the_documented_shape_is_accepted() {
    let s = parse_situation(Path::new("s.toml"), GOOD).unwrap();
    assert_eq!(s.id, "RUS-BLR-2020-08-25");
    assert_eq!(s.horizon_days, 365);
    assert_eq!(s.evidence.len(), 1);
    assert_eq!(
        s.factors.get(casus_core::Factor::ContagionRisk).midpoint(),
        Some(0.75)
    );
    assert!(
        s.factors
            .get(casus_core::Factor::Reorientation)
            .is_unknown()
    );
}

#[test]
fn horizon_defaults_to_a_year() {
    let s = parse_situation(
        Path::new("s.toml"),
        &GOOD.replace("horizon_days = 365\n", ""),
    )
    .unwrap();
    assert_eq!(s.horizon_days, 365);
}

#[test]
fn malformed_toml_names_line_and_column() {
    let e = err(&GOOD.replace("target = \"BLR\"", "target = \"BLR"));
    assert!(e.starts_with("s.toml:5:"), "{e}");
}

#[test]
fn unknown_factor_is_named() {
    let e = err(&GOOD.replace("ally_incumbent = 1.0", "ally_incumbant = 1.0"));
    assert!(e.starts_with("s.toml:11:"), "{e}");
    assert!(e.contains("unknown factor `ally_incumbant`"), "{e}");
}

#[test]
fn value_out_of_range_is_named() {
    let e = err(&GOOD.replace("ally_incumbent = 1.0", "ally_incumbent = 1.7"));
    assert!(e.starts_with("s.toml:11:"), "{e}");
    assert!(e.contains("1.7 is outside [0, 1]"), "{e}");
}

#[test]
fn inverted_range_is_named() {
    let e = err(&GOOD.replace("{ low = 0.5, high = 1.0 }", "{ low = 0.9, high = 0.2 }"));
    assert!(e.starts_with("s.toml:12:"), "{e}");
    assert!(e.contains("low (0.9) is greater than high (0.2)"), "{e}");
}

#[test]
fn missing_as_of_is_named() {
    let e = err(&GOOD.replace("as_of = 2020-08-25\n", ""));
    assert!(e.contains("as_of"), "{e}");
    assert!(e.starts_with("s.toml"), "{e}");
}

#[test]
fn bad_dates_are_named() {
    let e = err(&GOOD.replace("as_of = 2020-08-25", "as_of = 2020-02-30"));
    assert!(e.starts_with("s.toml:7:"), "{e}");
    let e = err(&GOOD.replace("as_of = 2020-08-25", "as_of = \"last week\""));
    assert!(e.starts_with("s.toml:7:"), "{e}");
    assert!(e.contains("date"), "{e}");
    let e = err(&GOOD.replace("as_of = 2020-08-25", "as_of = 2020-08-25T10:00:00"));
    assert!(e.contains("without a time"), "{e}");
}

#[test]
fn unknown_top_level_key_is_named() {
    let e = err(&GOOD.replace("horizon_days = 365", "horizon_day = 365"));
    assert!(e.starts_with("s.toml:8:"), "{e}");
    assert!(e.contains("horizon_day"), "{e}");
}

#[test]
fn bad_horizon_and_codes_and_types() {
    assert!(err(&GOOD.replace("horizon_days = 365", "horizon_days = 0")).contains("horizon_days"));
    assert!(err(&GOOD.replace("patron = \"RUS\"", "patron = \"Russia\"")).contains("alpha-3"));
    assert!(err(&GOOD.replace("\"mass_protest\"", "\"riot\"")).contains("riot"));
    assert!(
        err(&GOOD.replace("factor = \"invitation\"", "factor = \"invite\"")).contains("invite")
    );
}

#[test]
fn empty_file_and_directory_are_errors() {
    let dir = tempfile::tempdir().unwrap();
    let empty = dir.path().join("empty.toml");
    std::fs::write(&empty, "# nothing here\n\n").unwrap();
    let e = load_situation(&empty).unwrap_err();
    assert!(matches!(e, DataError::Empty { .. }));
    assert!(
        e.to_string().contains("empty.toml: the file is empty"),
        "{e}"
    );

    let e = load_situation(dir.path()).unwrap_err();
    assert!(matches!(e, DataError::IsDirectory { .. }), "{e}");

    let missing = dir.path().join("missing.toml");
    assert!(
        load_situation(&missing)
            .unwrap_err()
            .to_string()
            .contains("cannot read")
    );

    let binary = dir.path().join("bin.toml");
    std::fs::write(&binary, [0xff, 0xfe, 0x00]).unwrap();
    assert!(
        load_situation(&binary)
            .unwrap_err()
            .to_string()
            .contains("not UTF-8")
    );
}

#[test]
fn json_body_in_the_toml_shape() {
    let json = r#"{"id": "x", "patron": "RUS", "target": "BLR", "crisis_type": "mass_protest",
                   "as_of": "2020-08-25", "factors": {"ally_incumbent": 1, "protest_scale": {"low": 0.5, "high": 1}}}"#;
    let s = casus_data::situation_from_json(json).unwrap();
    assert_eq!(s.as_of.to_string(), "2020-08-25");
    let bad = json.replace("\"ally_incumbent\": 1", "\"ally_incumbent\": 3");
    assert!(
        casus_data::situation_from_json(&bad)
            .unwrap_err()
            .to_string()
            .contains("outside [0, 1]")
    );
}

#[test]
fn evidence_dated_after_as_of_is_refused_with_file_and_line() {
    let src = "id = \"x\"\npatron = \"RUS\"\ntarget = \"BLR\"\ncrisis_type = \"mass_protest\"\nas_of = 2020-08-25\n\n[[evidence]]\nfactor = \"invitation\"\ndate = 2020-08-20\ntext = \"Before.\"\nsource = \"Reuters, 20 August 2020\"\n\n[[evidence]]\nfactor = \"invitation\"\ndate = 2020-08-27\ntext = \"After.\"\nsource = \"Reuters, 27 August 2020\"\n";
    let e = casus_data::parse_situation(std::path::Path::new("s.toml"), src)
        .unwrap_err()
        .to_string();
    assert!(e.starts_with("s.toml:13:1:"), "{e}");
    assert!(
        e.contains("dated 2020-08-27, after as_of 2020-08-25"),
        "{e}"
    );
    // The same from the API's JSON shape, without a line to point at.
    let json = r#"{"id":"x","patron":"RUS","target":"BLR","crisis_type":"mass_protest","as_of":"2020-08-25","evidence":[{"factor":"invitation","date":"2020-08-27","text":"After.","source":"Reuters"}]}"#;
    let e = casus_data::situation_from_json(json)
        .unwrap_err()
        .to_string();
    assert!(
        e.contains("evidence #1") && e.contains("after as_of"),
        "{e}"
    );
}
