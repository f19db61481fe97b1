//! The product owner's checks on the real case base. These are reported, not tuned for: the model
//! was designed from docs/theory.md before they were run.

use crate::common::{case_base, repo_root};
use casus_model::{AssessOptions, FittedModel, ModelSpec};

fn shipped() -> FittedModel {
    let json = std::fs::read_to_string(repo_root().join("data/model/casus-model.json"))
        .expect("run `casus fit`");
    FittedModel::from_json(&json).unwrap()
}

#[test]
fn belarus_august_2020_is_unlikely() {
    let s =
        casus_data::load_situation(&repo_root().join("data/situations/belarus-2020-08-25.toml"))
            .unwrap();
    let a = shipped().assess(&s, &AssessOptions::default());
    eprintln!(
        "Belarus 2020-08-25: {:.3} [{:.3}, {:.3}]",
        a.probability, a.interval[0], a.interval[1]
    );
    assert!(
        a.probability < 0.25,
        "Belarus came out at {:.2}",
        a.probability
    );
}

#[test]
fn ukraine_2014_is_likely_for_a_model_that_never_saw_it() {
    let cases = case_base();
    let ukraine = cases
        .iter()
        .find(|c| c.id() == "RUS-UKR-2014")
        .expect("RUS-UKR-2014 in the case base");
    let rest: Vec<_> = cases
        .iter()
        .filter(|c| c.id() != "RUS-UKR-2014")
        .cloned()
        .collect();
    let m = ModelSpec::default().fit(&rest).unwrap();
    let a = m.assess(&ukraine.situation, &AssessOptions::default());
    // The same crisis as an analyst could have coded it on 24 February 2014, with ranges where the
    // facts were unsettled (data/situations/ukraine-2014-02-24.toml).
    let analyst =
        casus_data::load_situation(&repo_root().join("data/situations/ukraine-2014-02-24.toml"))
            .unwrap();
    let b = m.assess(&analyst, &AssessOptions::default());
    eprintln!(
        "Ukraine 24 Feb 2014 situation without the case: {:.3} [{:.3}, {:.3}]",
        b.probability, b.interval[0], b.interval[1]
    );
    assert!(
        b.probability > 0.55,
        "the 24 Feb 2014 situation came out at {:.2}",
        b.probability
    );
    eprintln!(
        "Ukraine 2014 without itself: {:.3} [{:.3}, {:.3}]",
        a.probability, a.interval[0], a.interval[1]
    );
    assert!(
        a.probability > 0.6,
        "Ukraine 2014 came out at {:.2}",
        a.probability
    );
}
