//! Case files are checked for completeness and internal consistency, with errors that point at the line.

use casus_data::parse_case;
use std::path::Path;

const GOOD: &str = r#"id = "AAA-BBB-1999"
title = "A test case"
patron = "AAA"
target = "BBB"
crisis_type = "coup"
crisis_start = 1999-01-25
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

[[evidence]]
factor = "military_signals"
date = 1999-01-30
text = "A dated fact about military_signals."
source = "A newspaper, 30 January 1999"

[[evidence]]
factor = "invitation"
date = 1999-01-30
text = "A dated fact about invitation."
source = "A newspaper, 30 January 1999"

[[evidence]]
factor = "managed_transition"
date = 1999-01-30
text = "A dated fact about managed_transition."
source = "A newspaper, 30 January 1999"

[[evidence]]
factor = "repression_failed"
date = 1999-01-30
text = "A dated fact about repression_failed."
source = "A newspaper, 30 January 1999"

[[evidence]]
factor = "compatriots"
date = 1999-01-30
text = "A dated fact about compatriots."
source = "A newspaper, 30 January 1999"

[[evidence]]
factor = "incumbent_in_control"
date = 1999-01-30
text = "A dated fact about incumbent_in_control."
source = "A newspaper, 30 January 1999"

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
        err(&GOOD.replace("as_of = 1999-02-01", "as_of = 1999-01-02"))
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

/// A further snapshot of GOOD's crisis, coded like the main one, at `as_of`.
fn snapshot(label: &str, as_of: &str, evidence_date: &str) -> String {
    let factors = GOOD
        .split("[factors]\n")
        .nth(1)
        .and_then(|t| t.split("\n\n").next())
        .unwrap();
    let why = GOOD
        .split("[why]\n")
        .nth(1)
        .and_then(|t| t.split("\n\n").next())
        .unwrap();
    let ev: String = [
        "military_signals",
        "invitation",
        "managed_transition",
        "repression_failed",
        "compatriots",
        "incumbent_in_control",
    ]
    .iter()
    .map(|f| {
        format!(
            "\n[[snapshots.evidence]]\nfactor = \"{f}\"\ndate = {evidence_date}\ntext = \"Early fact.\"\nsource = \"A newspaper\"\n"
        )
    })
    .collect();
    format!(
        "\n[[snapshots]]\nlabel = \"{label}\"\nas_of = {as_of}\n[snapshots.factors]\n{factors}\n[snapshots.why]\n{why}\n{ev}"
    )
}

#[test]
fn evidence_after_as_of_is_refused_with_its_line() {
    let src = GOOD.replacen("date = 1999-01-30", "date = 1999-02-05", 1);
    let e = err(&src);
    assert!(
        e.contains("dated 1999-02-05, after as_of 1999-02-01"),
        "{e}"
    );
    let line = src
        .lines()
        .position(|l| l == "[[evidence]]")
        .map(|i| i + 1)
        .unwrap();
    assert!(
        e.starts_with(&format!("data/cases/AAA-BBB-1999.toml:{line}:")),
        "{e}"
    );
}

#[test]
fn decisive_codings_need_dated_evidence() {
    let src = GOOD.replacen("factor = \"invitation\"", "factor = \"protest_scale\"", 1);
    let e = err(&src);
    assert!(
        e.contains("`invitation` = 0.5 without a dated evidence entry"),
        "{e}"
    );
    // Coded at its "nothing happening" end, a decisive factor needs none.
    let none = src.replace("invitation = 0.5", "invitation = 0.0");
    assert!(parse_case(Path::new("data/cases/AAA-BBB-1999.toml"), &none).is_ok());
}

#[test]
fn content_farms_are_refused_as_sources() {
    let e = err(&GOOD.replacen(
        "source = \"A newspaper, 30 January 1999\"",
        "source = \"https://freerepublic.com/focus/news/1\"",
        1,
    ));
    assert!(e.contains("content farm"), "{e}");
    let e = err(&GOOD.replacen(
        "source = \"A newspaper, 30 January 1999\"",
        "source = \"https://en.wikipedia.org/wiki/X\"",
        1,
    ));
    assert!(e.contains("encyclopaedia"), "{e}");
}

#[test]
fn a_long_crisis_needs_an_early_snapshot_and_each_snapshot_has_its_own_outcome() {
    let long = GOOD.replace("crisis_start = 1999-01-25", "crisis_start = 1997-06-01");
    let e = err(&long);
    assert!(e.contains("no snapshot 30 or more days before it"), "{e}");

    let ok = format!("{long}{}", snapshot("early", "1998-11-01", "1998-10-30"));
    let c = parse_case(Path::new("data/cases/AAA-BBB-1999.toml"), &ok).unwrap();
    let snaps = c.all_snapshots();
    assert_eq!(snaps.len(), 2);
    assert_eq!(snaps[1].id(), "AAA-BBB-1999@early");
    assert!(snaps[0].force() && snaps[1].force(), "both within 365 days");
    assert_eq!(snaps[1].days_to_force(), Some(101));

    // An early snapshot more than a year before force is a snapshot without force.
    let older = format!("{long}{}", snapshot("early", "1997-07-01", "1997-06-30"));
    let c = parse_case(Path::new("data/cases/AAA-BBB-1999.toml"), &older).unwrap();
    assert!(!c.all_snapshots()[1].force());
}

#[test]
fn snapshots_are_checked_like_the_main_one() {
    let long = GOOD.replace("crisis_start = 1999-01-25", "crisis_start = 1997-06-01");
    let late = format!("{long}{}", snapshot("early", "1998-11-01", "1998-11-05"));
    let e = err(&late);
    assert!(e.contains("after as_of 1998-11-01"), "{e}");
    let line = late
        .lines()
        .position(|l| l == "[[snapshots.evidence]]")
        .map(|i| i + 1)
        .unwrap();
    assert!(e.contains(&format!(":{line}:")), "{e}");

    let after = format!(
        "{long}{}{}",
        snapshot("early", "1998-11-01", "1998-10-30"),
        snapshot("after", "1999-03-01", "1999-02-28")
    );
    assert!(err(&after).contains("after the intervention"));
    let twice = format!(
        "{long}{}{}",
        snapshot("early", "1998-11-01", "1998-10-30"),
        snapshot("early", "1998-12-01", "1998-11-30")
    );
    assert!(err(&twice).contains("used twice"));
}

#[test]
fn force_within_a_horizon_is_force_across_crisis_files() {
    let force = GOOD.to_string();
    let earlier = GOOD
        .replace("AAA-BBB-1999", "AAA-BBB-1998")
        .replace("crisis_start = 1999-01-25", "crisis_start = 1998-05-25")
        .replace("as_of = 1999-02-01", "as_of = 1998-06-01")
        .replace("date = 1999-01-30", "date = 1998-05-30")
        .replace(
            "response = \"overt_intervention\"",
            "response = \"diplomatic\"",
        )
        .replace("force = true", "force = false")
        .replace("direction = \"pro_incumbent\"", "direction = \"none\"")
        .replace("intervention_date = 1999-02-10\n", "");
    let e = casus_data::parse_cases([
        (Path::new("data/cases/AAA-BBB-1998.toml"), earlier.as_str()),
        (Path::new("data/cases/AAA-BBB-1999.toml"), force.as_str()),
    ])
    .unwrap_err()
    .to_string();
    assert!(e.contains("AAA-BBB-1999 records force"), "{e}");
}
