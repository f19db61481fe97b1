//! What holds the patron back (docs/theory.md, steps 2, 4 and 5): less drastic means and the costs of
//! force.
//!
//! Each restraint is read off the coded factors by a documented threshold (midpoints of ranges):
//!
//! | restraint | in place when |
//! |---|---|
//! | the allied incumbent is in charge: the patron can afford to wait | `ally_incumbent` ≥ 0.75 and `incumbent_in_control` ≥ 0.75 |
//! | a managed transition is possible | `managed_transition` ≥ 0.5 |
//! | no push toward the rival bloc | `reorientation` ≤ 0.25 |
//! | no overt military moves or threats | `military_signals` ≤ 0.25 |
//! | force would meet resistance | `expected_resistance` ≥ 0.5 |
//! | no large-scale killings of protesters | `mass_killings` ≤ 0.25 |

use crate::notes::{FactorNote, note};
use crate::risk::mid;
use casus_core::{Assessment, Factor, Situation};
use serde::Serialize;

/// One restraint.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Restraint {
    pub key: &'static str,
    pub description: &'static str,
    /// None when a factor it depends on is not coded.
    pub in_place: Option<bool>,
    /// The rule, for readers who want to check it.
    pub rule: &'static str,
    /// Sum of the model's log-odds contributions of the factors involved.
    pub contribution: f64,
    pub factors: Vec<FactorNote>,
}

type Rule = fn(&dyn Fn(Factor) -> Option<f64>) -> Option<bool>;

const RESTRAINTS: [(&str, &str, &str, &[Factor], Rule); 6] = [
    (
        "incumbent_in_charge",
        "the allied incumbent is still in charge, so the patron can afford to wait",
        "ally_incumbent ≥ 0.75 and incumbent_in_control ≥ 0.75",
        &[Factor::AllyIncumbent, Factor::IncumbentInControl],
        |v| Some(v(Factor::AllyIncumbent)? >= 0.75 && v(Factor::IncumbentInControl)? >= 0.75),
    ),
    (
        "managed_transition",
        "a managed transition that includes the patron is possible",
        "managed_transition ≥ 0.5",
        &[Factor::ManagedTransition],
        |v| Some(v(Factor::ManagedTransition)? >= 0.5),
    ),
    (
        "no_reorientation",
        "no push toward the rival bloc",
        "reorientation ≤ 0.25",
        &[Factor::Reorientation],
        |v| Some(v(Factor::Reorientation)? <= 0.25),
    ),
    (
        "no_military_moves",
        "no overt military moves or threats",
        "military_signals ≤ 0.25",
        &[Factor::MilitarySignals],
        |v| Some(v(Factor::MilitarySignals)? <= 0.25),
    ),
    (
        "expected_resistance",
        "force would meet resistance and backlash",
        "expected_resistance ≥ 0.5",
        &[Factor::ExpectedResistance],
        |v| Some(v(Factor::ExpectedResistance)? >= 0.5),
    ),
    (
        "no_mass_killings",
        "no large-scale killings of protesters",
        "mass_killings ≤ 0.25",
        &[Factor::MassKillings],
        |v| Some(v(Factor::MassKillings)? <= 0.25),
    ),
];

/// Every restraint, in place or not.
pub fn restraints(s: &Situation, a: &Assessment) -> Vec<Restraint> {
    let v = |f: Factor| mid(&s.factors, f);
    RESTRAINTS
        .iter()
        .map(|&(key, description, rule, factors, test)| {
            let notes: Vec<FactorNote> = factors.iter().map(|&f| note(s, a, f)).collect();
            Restraint {
                key,
                description,
                in_place: test(&v),
                rule,
                contribution: notes.iter().filter_map(|n| n.contribution).sum(),
                factors: notes,
            }
        })
        .collect()
}
