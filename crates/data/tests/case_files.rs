//! Case files are checked for completeness and internal consistency, with errors that point at the line.

use casus_data::parse_case;
use std::path::Path;

const GOOD: &str = r#"id = "AAA-BBB-1999"
title = "A test case"
patron = "AAA"
target = "BBB"
crisis_type = "coup"
crisis_start = 1999-01-01
as_of = 1999-02-01
horizon_days = 365
sources = ["A source"]

[factors]
ally_incumbent = 0.5
contagion_risk = 0.5
reorientation = 0.5
rival_support = 0.5
membership_prospect = 0.5
strategic_assets = 0.5
compatriots = 0.5
protest_scale = 0.5
repression_failed = 0.5
security_defection = 0.5
armed_violence = 0.5
incumbent_in_control = 0.5
managed_transition = 0.5
expected_resistance = 0.5
mass_killings = 0.5
military_signals = 0.5
invitation = 0.5
military_capacity = 0.5

[why]
ally_incumbent = "A justification for ally_incumbent."
contagion_risk = "A justification for contagion_risk."
reorientation = "A justification for reorientation."
rival_support = "A justification for rival_support."
membership_prospect = "A justification for membership_prospect."
strategic_assets = "A justification for strategic_assets."
compatriots = "A justification for compatriots."
protest_scale = "A justification for protest_scale."
repression_failed = "A justification for repression_failed."
security_defection = "A justification for security_defection."
armed_violence = "A justification for armed_violence."
incumbent_in_control = "A justification for incumbent_in_control."
managed_transition = "A justification for managed_transition."
expected_resistance = "A justification for expected_resistance."
mass_killings = "A justification for mass_killings."
military_signals = "A justification for military_signals."
invitation = "A justification for invitation."
military_capacity = "A justification for military_capacity."

[outcome]
response = "overt_intervention"
force = true
direction = "pro_incumbent"
intervention_date = 1999-02-10
summary = "Troops went in."
"#;

fn err(src: &str) -> String {
    parse_case(Path::new("data/cases/AAA-BBB-1999.toml"), src)
        .unwrap_err()
        .to_string()
}

#[test]
fn a_complete_case_parses() {
    let c = parse_case(Path::new("data/cases/AAA-BBB-1999.toml"), GOOD).unwrap();
    assert!(c.outcome.force);
    assert_eq!(c.x()[0], 0.5);
}

#[test]
fn force_must_match_the_response() {
    let e = err(&GOOD.replace("force = true", "force = false"));
    assert!(e.contains("contradicts response"), "{e}");
    assert!(e.starts_with("data/cases/AAA-BBB-1999.toml:"), "{e}");
}

#[test]
fn missing_factor_or_justification_is_named() {
    let e = err(&GOOD.replace("invitation = 0.5\n", ""));
    assert!(e.contains("invitation"), "{e}");
    let e = err(&GOOD.replace("invitation = \"A justification for invitation.\"\n", ""));
    assert!(e.contains("no justification for `invitation`"), "{e}");
}

#[test]
fn ranges_are_not_allowed_in_cases() {
    let e = err(&GOOD.replace(
        "compatriots = 0.5",
        "compatriots = { low = 0.0, high = 1.0 }",
    ));
    assert!(e.contains("single value"), "{e}");
    assert!(err(&GOOD.replace("invitation = 0.5\n", "")).contains("`invitation` is not coded"));
}

#[test]
fn id_must_match_file_name_and_dates_must_be_ordered() {
    assert!(
        err(&GOOD.replace("id = \"AAA-BBB-1999\"", "id = \"AAA-BBB-2000\""))
            .contains("differs from the file name")
    );
    assert!(
        err(&GOOD.replace("as_of = 1999-02-01", "as_of = 1998-02-01"))
            .contains("before crisis_start")
    );
    assert!(
        err(&GOOD.replace("intervention_date = 1999-02-10\n", "")).contains("intervention_date")
    );
    assert!(
        err(&GOOD.replace("sources = [\"A source\"]", "sources = []"))
            .contains("at least one source")
    );
}
