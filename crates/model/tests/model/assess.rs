//! Assessments: uncertain and unknown factors are integrated over, horizons converted, drivers add up.

use crate::common::{quick_spec, situation, synthetic_cases};
use casus_core::{Factor, FactorValue, Level, Role, convert_horizon};
use casus_model::{AssessOptions, FittedModel, features};
use std::sync::OnceLock;

fn model() -> &'static FittedModel {
    static M: OnceLock<FittedModel> = OnceLock::new();
    M.get_or_init(|| quick_spec().fit(&synthetic_cases(60)).unwrap())
}

fn x0() -> [f64; Factor::COUNT] {
    let mut x = [0.5; Factor::COUNT];
    x[Factor::MilitarySignals.index()] = 1.0;
    x[Factor::ManagedTransition.index()] = 0.0;
    x
}

#[test]
fn known_situation_matches_probability() {
    let s = situation("s", &x0());
    // The fast paths need the situation's crisis type and patron; `assess` applies them itself.
    let m = &model().for_situation(&s);
    let a = m.assess(&s, &AssessOptions::default());
    assert!((a.probability - m.probability(&x0())).abs() < 1e-12);
    let (mean, [lo, hi]) = m.probability_interval(&x0(), 0.9);
    assert!((a.probability - mean).abs() < 1e-12);
    assert!((a.interval[0] - lo).abs() < 1e-12 && (a.interval[1] - hi).abs() < 1e-12);
    assert!(lo < mean && mean < hi);
    assert_eq!(a.horizon_days, 365);
}

#[test]
fn unknown_factor_integrates_over_the_case_base() {
    let f = Factor::Invitation;
    let mut s = situation("s", &x0());
    let m = &model().for_situation(&s);
    s.factors.set(f, FactorValue::Unknown);
    let a = m.assess(
        &s,
        &AssessOptions {
            horizon_days: None,
            seed: 3,
        },
    );
    let marg = &m.marginals()[f.index()];
    let total: u32 = marg.values.iter().map(|(_, n)| n).sum();
    let want: f64 = marg
        .values
        .iter()
        .map(|(v, n)| {
            let mut x = x0();
            x[f.index()] = *v;
            m.probability(&x) * f64::from(*n) / f64::from(total)
        })
        .sum();
    assert!(
        (a.probability - want).abs() < 0.01,
        "{} vs {want}",
        a.probability
    );
    let mut as_zero = x0();
    as_zero[f.index()] = 0.0;
    assert!(
        (a.probability - m.probability(&as_zero)).abs() > 0.01,
        "unknown was treated as 0"
    );
    let d = a.drivers.iter().find(|d| d.factor == f).unwrap();
    assert_eq!(d.value, None);
}

#[test]
fn range_is_uniform_and_widens_the_interval() {
    let m = model();
    let f = Factor::MilitarySignals;
    let mut s = situation("s", &x0());
    s.factors
        .set(f, FactorValue::range(Level::ZERO, Level::ONE).unwrap());
    let a = m.assess(
        &s,
        &AssessOptions {
            horizon_days: None,
            seed: 1,
        },
    );
    let grid: f64 = (0..=100)
        .map(|i| {
            let mut x = x0();
            x[f.index()] = i as f64 / 100.0;
            m.probability(&x)
        })
        .sum::<f64>()
        / 101.0;
    assert!(
        (a.probability - grid).abs() < 0.01,
        "{} vs {grid}",
        a.probability
    );
    let known = m.assess(&situation("s", &x0()), &AssessOptions::default());
    assert!(a.interval[1] - a.interval[0] > known.interval[1] - known.interval[0]);
    // Deterministic for a seed.
    assert_eq!(
        a,
        m.assess(
            &s,
            &AssessOptions {
                horizon_days: None,
                seed: 1
            }
        )
    );
}

#[test]
fn horizon_is_converted_per_draw_at_constant_hazard() {
    let m = &model().for_situation(&situation("s", &x0()));
    let a = m.assess(
        &situation("s", &x0()),
        &AssessOptions {
            horizon_days: Some(90),
            seed: 0,
        },
    );
    assert_eq!(a.horizon_days, 90);
    let draws = m.probability_draws(&x0());
    let want = draws
        .iter()
        .map(|p| convert_horizon(*p, 365, 90))
        .sum::<f64>()
        / draws.len() as f64;
    assert!((a.probability - want).abs() < 1e-12);
    assert!(a.probability < m.probability(&x0()));
}

#[test]
fn drivers_are_sorted_and_add_up_to_the_log_odds_difference() {
    let m = &model().for_situation(&situation("s", &x0()));
    let a = m.assess(&situation("s", &x0()), &AssessOptions::default());
    assert_eq!(a.drivers.len(), Factor::COUNT);
    for w in a.drivers.windows(2) {
        assert!(w[0].contribution.abs() >= w[1].contribution.abs());
    }
    for d in &a.drivers {
        assert_eq!(d.role == Role::Driver, d.contribution >= 0.0);
    }
    let (alpha, beta) = m.coefficient_means();
    let want = features::eta(alpha, &beta, &x0()) - features::eta(alpha, &beta, &m.reference());
    let total: f64 = a.drivers.iter().map(|d| d.contribution).sum();
    assert!((total - want).abs() < 1e-9, "{total} vs {want}");
}

#[test]
fn importance_is_positive_per_factor() {
    let imp = model().importance();
    assert!(imp.iter().all(|v| *v > 0.0 && v.is_finite()), "{imp:?}");
}

#[test]
fn each_crisis_type_gets_its_own_offset_in_assess_and_in_context() {
    let m = model();
    let mut seen = Vec::new();
    for t in casus_core::CrisisType::ALL {
        let mut s = situation("s", &x0());
        s.crisis_type = t;
        let a = m.assess(&s, &AssessOptions::default());
        let typed = m.for_situation(&s);
        assert!(
            (a.probability - typed.probability(&x0())).abs() < 1e-12,
            "{t:?}"
        );
        seen.push(a.probability);
    }
    // The synthetic cases are of several types, so the fitted offsets differ.
    seen.sort_by(f64::total_cmp);
    seen.dedup();
    assert_eq!(seen.len(), casus_core::CrisisType::ALL.len(), "{seen:?}");
}
