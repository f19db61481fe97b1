//! Shared helpers: the case base, synthetic cases and a quick sampler setting.

use casus_core::{
    Case, CountryCode, CrisisType, Direction, Factor, FactorMap, FactorValue, NaiveDate, Outcome,
    Response, Situation,
};
use casus_model::{ModelSpec, NutsOptions};
use std::path::PathBuf;

pub fn repo_root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../..")
}

/// The case base in data/cases, loaded and validated by casus-data.
pub fn case_base() -> Vec<Case> {
    casus_data::load_cases_dir(&repo_root().join("data/cases"))
        .unwrap_or_else(|e| panic!("case base does not load: {e}"))
}

/// A situation with point values.
pub fn situation(id: &str, x: &[f64; Factor::COUNT]) -> Situation {
    let mut factors = FactorMap::<FactorValue>::default();
    for f in Factor::ALL {
        factors.set(f, FactorValue::known(x[f.index()]).unwrap());
    }
    Situation {
        id: id.to_string(),
        title: id.to_string(),
        patron: CountryCode::new("RUS").unwrap(),
        target: CountryCode::new("XYZ").unwrap(),
        crisis_type: CrisisType::MassProtest,
        as_of: NaiveDate::from_ymd_opt(2000, 6, 1).unwrap(),
        horizon_days: 365,
        factors,
        evidence: vec![],
    }
}

pub fn case(id: &str, x: &[f64; Factor::COUNT], force: bool, start: NaiveDate) -> Case {
    Case {
        situation: situation(id, x),
        crisis_start: start,
        why: FactorMap::default(),
        outcome: Outcome {
            response: if force {
                Response::CovertForce
            } else {
                Response::Diplomatic
            },
            force,
            direction: if force {
                Direction::ProIncumbent
            } else {
                Direction::None
            },
            intervention_date: None,
            summary: String::new(),
        },
        sources: vec!["test".into()],
        uncertain: vec![],
        special: vec![],
        label: if force { "eve" } else { "peak" }.into(),
        snapshots: vec![],
        history: vec![],
    }
}

/// Deterministic synthetic cases on the 0/0.25/…/1 grid; force is likelier with the theory's signs.
pub fn synthetic_cases(n: usize) -> Vec<Case> {
    let start = NaiveDate::from_ymd_opt(1990, 1, 1).unwrap();
    let mut s: u64 = 12345;
    let mut next = move || {
        s = s
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        (s >> 33) as f64 / (1u64 << 31) as f64
    };
    (0..n)
        .map(|i| {
            let mut x = [0.0; Factor::COUNT];
            for v in x.iter_mut() {
                *v = (next() * 5.0).floor().min(4.0) / 4.0;
            }
            let score = x[15] + x[16] + x[2] - x[12] - x[11];
            let force = score + next() - 0.5 > 0.5;
            case(&format!("SYN-{i:03}"), &x, force, start)
        })
        .collect()
}

/// A light sampler setting for tests that only need a working fit.
pub fn quick_spec() -> ModelSpec {
    ModelSpec {
        nuts: NutsOptions {
            chains: 2,
            tune: 300,
            draws: 300,
            max_depth: 8,
            target_accept: 0.9,
        },
        keep_draws: 400,
        ..ModelSpec::default()
    }
}
