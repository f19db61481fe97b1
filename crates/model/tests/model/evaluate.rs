//! Leave-one-out evaluation: shape of the JSON, determinism, and honest baselines.

use crate::common::{quick_spec, synthetic_cases};
use casus_model::evaluate;

#[test]
fn evaluation_json_has_the_agreed_shape_and_is_deterministic() {
    let cases = synthetic_cases(24);
    let e = evaluate(&cases, &quick_spec()).unwrap();
    assert_eq!(e.n_cases, 24);
    assert_eq!(e.predictions.len(), 24);
    let v = serde_json::to_value(&e).unwrap();
    assert_eq!(v["n_cases"], 24);
    for k in ["brier", "log_loss", "auc"] {
        assert!(v["model"][k].is_number(), "model.{k}");
        for b in casus_model::eval::BASELINES {
            assert!(v["baselines"][b][k].is_number(), "baselines.{b}.{k}");
        }
    }
    assert!(v["calibration"]["model"].is_array());
    assert!(v["predictions"][0]["baselines"]["checklist"].is_number());
    // Every forecast is a probability; the model's folds converged.
    for p in &e.predictions {
        assert!((0.0..=1.0).contains(&p.model));
        assert!(p.baselines.values().all(|b| (0.0..=1.0).contains(b)));
    }
    assert!(e.notes.model_max_rhat < 1.1);
    // Same cases and seed, same numbers, whatever the thread schedule.
    assert_eq!(e, evaluate(&cases, &quick_spec()).unwrap());
}

#[test]
fn leave_one_out_base_rate_is_computed_without_the_case() {
    let cases = synthetic_cases(20);
    let e = evaluate(&cases, &quick_spec()).unwrap();
    let k = cases.iter().filter(|c| c.outcome.force).count() as f64;
    for p in &e.predictions {
        let own = if p.force { 1.0 } else { 0.0 };
        let want = (k - own) / 19.0;
        assert!((p.baselines["base_rate"] - want).abs() < 1e-12);
    }
}
