//! The temporal split is enforced in code, and incomplete cases are refused.

use crate::common::{quick_spec, synthetic_cases};
use casus_core::{Factor, FactorValue, NaiveDate};
use casus_model::{ModelError, evaluate};

#[test]
fn fit_and_evaluate_reject_crises_from_2020_on() {
    let mut cases = synthetic_cases(20);
    cases[3].crisis_start = NaiveDate::from_ymd_opt(2020, 1, 1).unwrap();
    let err = quick_spec().fit(&cases).unwrap_err();
    assert!(
        matches!(err, ModelError::OutOfSample { ref id, .. } if id == "SYN-003"),
        "{err}"
    );
    assert!(err.to_string().contains("out of sample"), "{err}");
    let err = evaluate(&cases, &quick_spec()).unwrap_err();
    assert!(matches!(err, ModelError::OutOfSample { .. }), "{err}");
    assert!(quick_spec().fit_map(&cases).is_err());
    // The day before the split is in sample.
    cases[3].crisis_start = NaiveDate::from_ymd_opt(2019, 12, 31).unwrap();
    assert!(quick_spec().fit_map(&cases).is_ok());
}

#[test]
fn fit_rejects_cases_with_unknown_factors() {
    let mut cases = synthetic_cases(20);
    cases[0]
        .situation
        .factors
        .set(Factor::Invitation, FactorValue::Unknown);
    let err = quick_spec().fit_map(&cases).unwrap_err();
    assert!(
        matches!(
            err,
            ModelError::MissingFactor {
                factor: Factor::Invitation,
                ..
            }
        ),
        "{err}"
    );
}

#[test]
fn fit_rejects_other_horizons_and_too_few_cases() {
    let mut cases = synthetic_cases(20);
    cases[1].situation.horizon_days = 90;
    assert!(matches!(
        quick_spec().fit_map(&cases).unwrap_err(),
        ModelError::UnsupportedHorizon {
            horizon_days: 90,
            ..
        }
    ));
    assert!(matches!(
        quick_spec().fit_map(&synthetic_cases(3)).unwrap_err(),
        ModelError::TooFewCases { n: 3, .. }
    ));
}

#[test]
fn sampler_settings_are_checked() {
    let spec = casus_model::ModelSpec {
        nuts: casus_model::NutsOptions {
            chains: 0,
            ..casus_model::NutsOptions::default()
        },
        ..quick_spec()
    };
    assert!(matches!(
        spec.fit(&synthetic_cases(20)).unwrap_err(),
        ModelError::InvalidSpec { .. }
    ));
}
