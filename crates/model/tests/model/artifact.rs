//! The JSON artifact: deterministic, round-trips, versioned, and tied to the case base by a hash.

use crate::common::{case_base, quick_spec, repo_root, synthetic_cases};
use casus_core::{Factor, FactorValue};
use casus_model::{FittedModel, ModelError};

#[test]
fn same_cases_and_seed_give_byte_identical_artifacts() {
    let cases = synthetic_cases(40);
    let a = quick_spec().fit(&cases).unwrap().to_json();
    let mut shuffled = cases.clone();
    shuffled.reverse();
    let b = quick_spec().fit(&shuffled).unwrap().to_json();
    assert!(
        a == b,
        "refitting the same cases with the same seed changed the artifact"
    );
    let other_seed = casus_model::ModelSpec {
        seed: 7,
        ..quick_spec()
    }
    .fit(&cases)
    .unwrap()
    .to_json();
    assert_ne!(a, other_seed);
}

#[test]
fn artifact_round_trips() {
    let m = quick_spec().fit(&synthetic_cases(30)).unwrap();
    let json = m.to_json();
    let back = FittedModel::from_json(&json).unwrap();
    assert_eq!(back.to_json(), json);
    let x = [0.5; Factor::COUNT];
    assert_eq!(back.probability(&x), m.probability(&x));
    assert_eq!(back.importance(), m.importance());
    let v: serde_json::Value = serde_json::from_str(&json).unwrap();
    for key in [
        "format_version",
        "model",
        "seed",
        "case_base_hash",
        "draws",
        "diagnostics",
        "marginals",
    ] {
        assert!(v.get(key).is_some(), "artifact lacks `{key}`");
    }
}

#[test]
fn other_format_versions_are_refused() {
    let json = quick_spec().fit(&synthetic_cases(20)).unwrap().to_json();
    let old = json.replacen(
        &format!("\"format_version\": {}", casus_model::FORMAT_VERSION),
        "\"format_version\": 99",
        1,
    );
    let err = FittedModel::from_json(&old).unwrap_err();
    assert!(
        matches!(err, ModelError::ArtifactVersion { found: 99, .. }),
        "{err}"
    );
    assert!(matches!(
        FittedModel::from_json("{}").unwrap_err(),
        ModelError::ArtifactJson { .. }
    ));
}

#[test]
fn a_changed_case_makes_the_artifact_stale() {
    let mut cases = synthetic_cases(20);
    let m = quick_spec().fit(&cases).unwrap();
    m.check_current(&cases).unwrap();
    // A justification is not part of the hash; a value is.
    cases[0].why.set(Factor::Invitation, "reworded".into());
    m.check_current(&cases).unwrap();
    let old = cases[0]
        .situation
        .factors
        .get(Factor::Invitation)
        .point()
        .unwrap();
    let new = if old > 0.5 { 0.0 } else { 1.0 };
    cases[0]
        .situation
        .factors
        .set(Factor::Invitation, FactorValue::known(new).unwrap());
    let err = m.check_current(&cases).unwrap_err();
    assert!(err.to_string().contains("run `casus fit`"), "{err}");
}

/// The shipped artifact must be fitted on the current case base.
#[test]
fn shipped_artifact_is_current() {
    let path = repo_root().join("data/model/casus-model.json");
    let json = std::fs::read_to_string(&path)
        .unwrap_or_else(|e| panic!("{} cannot be read ({e}); run `casus fit`", path.display()));
    let model = FittedModel::from_json(&json).unwrap_or_else(|e| panic!("{e}"));
    if let Err(e) = model.check_current(&case_base()) {
        panic!("{e}");
    }
    assert!(
        model.diagnostics().max_rhat < 1.01,
        "shipped fit has R-hat {}",
        model.diagnostics().max_rhat
    );
}

/// The shipped evaluation (what reports and the dashboard show as the model's track record) must
/// be of the current model on the current case base, and must meet the targets it is quoted for.
#[test]
fn shipped_evaluation_is_current() {
    let path = repo_root().join("data/model/casus-evaluation.json");
    let json = std::fs::read_to_string(&path).unwrap_or_else(|e| {
        panic!(
            "{} cannot be read ({e}); run `casus evaluate --write {}`",
            path.display(),
            path.display()
        )
    });
    let saved =
        casus_model::eval::SavedEvaluation::from_json(&json).unwrap_or_else(|e| panic!("{e}"));
    if let Err(e) = saved.check_current(&case_base()) {
        panic!("{e}");
    }
    let e = &saved.evaluation;
    assert!(e.n_crises >= 110, "{} crises", e.n_crises);
    let fc = e.forward_chaining.as_ref().expect("forward chaining ran");
    assert_eq!(fc.blocks.len(), 3);
    for (name, s) in &fc.pooled_baselines {
        assert!(fc.pooled_model.brier < s.brier, "model not below {name}");
    }
}

/// Propping up an ally at its request, with troops flown in and no build-up beforehand, must not
/// hang on a signal that only appears on the eve: every such decision point (pro-incumbent force,
/// a request for troops, no more than "none to exercises" in the signals) gets a held-out forecast
/// of at least 50%, and so does the same point with its signals coded "none".
#[test]
fn invited_interventions_without_a_build_up_are_foreseen() {
    let path = repo_root().join("data/model/casus-evaluation.json");
    let saved =
        casus_model::eval::SavedEvaluation::from_json(&std::fs::read_to_string(path).unwrap())
            .unwrap();
    let model = FittedModel::from_json(
        &std::fs::read_to_string(repo_root().join("data/model/casus-model.json")).unwrap(),
    )
    .unwrap();
    let cases = case_base();
    let mut seen = 0;
    for c in &cases {
        if c.outcome.direction != casus_core::Direction::ProIncumbent {
            continue;
        }
        for s in c.all_snapshots() {
            let f = &s.situation.factors;
            let v = |k: Factor| f.get(k).point().unwrap();
            if !s.force() || v(Factor::Invitation) < 0.75 || v(Factor::MilitarySignals) > 0.25 {
                continue;
            }
            seen += 1;
            let held_out = saved
                .evaluation
                .predictions
                .iter()
                .find(|p| p.id == s.id())
                .unwrap_or_else(|| panic!("no held-out forecast for {}", s.id()));
            assert!(held_out.model >= 0.5, "{}: {:.2}", s.id(), held_out.model);
            let mut quiet = s.situation.clone();
            quiet.factors.set(
                Factor::MilitarySignals,
                casus_core::FactorValue::known(0.0).unwrap(),
            );
            let p = model.assess(&quiet, &casus_model::AssessOptions::default());
            assert!(
                p.probability >= 0.5,
                "{} without signals: {:.2}",
                s.id(),
                p.probability
            );
        }
    }
    assert!(
        seen >= 4,
        "only {seen} invited interventions without a build-up"
    );
}
