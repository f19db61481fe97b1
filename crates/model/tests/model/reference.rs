//! The Rust MAP against an independent SciPy implementation of the same log posterior
//! (scripts/reference/map_reference.py), on a synthetic fixture.

use casus_core::{CrisisType, Factor};
use casus_model::ModelSpec;
use serde_json::Value;

const TOLERANCE: f64 = 1e-5;

fn fixture(name: &str) -> Value {
    let path = format!("{}/tests/fixtures/{name}", env!("CARGO_MANIFEST_DIR"));
    serde_json::from_str(&std::fs::read_to_string(&path).expect("fixture exists"))
        .expect("fixture is JSON")
}

#[test]
fn map_matches_python_reference() {
    // The soft-sign prior the model used before (tau_scale 1).
    let soft = ModelSpec {
        priors: casus_model::Priors {
            hard_signs: false,
            tau_scale: 1.0,
            type_intercept_scale: 0.0,
            ..casus_model::Priors::default()
        },
        ..ModelSpec::default()
    };
    check_against(&soft, "map_reference.json");
}

#[test]
fn map_of_the_hard_sign_prior_matches_python_reference() {
    // The hard-sign prior without context effects (the model of version 2).
    let hard = ModelSpec {
        priors: casus_model::Priors {
            type_intercept_scale: 0.0,
            ..casus_model::Priors::default()
        },
        ..ModelSpec::default()
    };
    check_against(&hard, "map_reference_hard.json");
}

#[test]
fn map_of_the_default_prior_with_crisis_type_intercepts_matches_python_reference() {
    assert!(ModelSpec::default().priors.type_intercept_scale > 0.0);
    check_against(&ModelSpec::default(), "map_reference_typed.json");
}

fn check_against(spec: &ModelSpec, reference: &str) {
    let cases = fixture("reference_cases.json");
    let want = fixture(reference);
    let mut xs = Vec::new();
    let mut ys = Vec::new();
    for c in cases.as_array().unwrap() {
        let mut x = [0.0; Factor::COUNT];
        for f in Factor::ALL {
            x[f.index()] = c["factors"][f.name()].as_f64().unwrap();
        }
        xs.push(x);
        ys.push(c["force"].as_bool().unwrap());
    }
    // The reference types case i as crisis type i mod 6 (used only by priors with type effects).
    let types: Vec<CrisisType> = (0..ys.len())
        .map(|i| CrisisType::ALL[i % CrisisType::ALL.len()])
        .collect();
    let fit = spec.fit_map_xy_typed(&xs, &ys, &types);
    assert!(fit.estimate.converged, "{:?}", fit.estimate);
    let theta: Vec<f64> = want["theta"]
        .as_array()
        .unwrap()
        .iter()
        .map(|v| v.as_f64().unwrap())
        .collect();
    assert_eq!(theta.len(), fit.estimate.theta.len());
    for (i, (got, want)) in fit.estimate.theta.iter().zip(&theta).enumerate() {
        assert!(
            (got - want).abs() <= TOLERANCE,
            "theta[{i}]: rust {got} vs python {want}"
        );
    }
    let beta: Vec<f64> = want["beta"]
        .as_array()
        .unwrap()
        .iter()
        .map(|v| v.as_f64().unwrap())
        .collect();
    for (k, (got, want)) in fit.beta.iter().zip(&beta).enumerate() {
        assert!(
            (got - want).abs() <= TOLERANCE,
            "beta[{k}]: rust {got} vs python {want}"
        );
    }
    let lp = want["log_posterior"].as_f64().unwrap();
    assert!(
        (fit.estimate.log_posterior - lp).abs() <= TOLERANCE,
        "{} vs {lp}",
        fit.estimate.log_posterior
    );
}
