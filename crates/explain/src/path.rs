//! The escalation path of Ukraine 2014 (docs/theory.md, step 3), as steps a situation has or has not
//! reached.
//!
//! Each step is read off one factor (its *indicator*, in [0, 1]; for "incumbent ousted" it is
//! `1 − incumbent_in_control`). A step is **reached** when its indicator is at least 0.75 (at or
//! next to the theory's top anchor), **partly** reached from 0.25, and **not reached** below that;
//! an uncoded factor leaves the step **unknown**. Ranges are read at their midpoint. The last step,
//! force itself, is what is being assessed: it carries the probability and is never `reached`.

use crate::notes::reading;
use crate::risk::mid;
use casus_core::{Factor, FactorValue, Level, Situation};
use serde::Serialize;

/// At or above this, a step is reached.
pub const REACHED: f64 = 0.75;
/// At or above this (and below [`REACHED`]), a step is partly reached.
pub const PARTLY: f64 = 0.25;

/// How far a step has come.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum StepState {
    Reached,
    Partly,
    NotReached,
    Unknown,
}

/// One step of the path.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Step {
    pub key: &'static str,
    pub description: &'static str,
    /// The factor the step is read from (None for the final step, force).
    pub factor: Option<Factor>,
    pub indicator: Option<f64>,
    pub reading: String,
    pub state: StepState,
    pub reached: bool,
    /// For the final step: the probability of force.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub probability: Option<f64>,
}

const STEPS: [(&str, &str, Factor, bool); 5] = [
    (
        "pressure",
        "the incumbent is under pressure from mass protest",
        Factor::ProtestScale,
        false,
    ),
    (
        "repression_fails",
        "repression fails and the protests grow",
        Factor::RepressionFailed,
        false,
    ),
    (
        "rival_sides",
        "rival-bloc leaders side with the protesters",
        Factor::RivalSupport,
        false,
    ),
    (
        "incumbent_ousted",
        "the incumbent is swept away",
        Factor::IncumbentInControl,
        true,
    ),
    (
        "reorientation",
        "a new course turns radically toward the rival bloc",
        Factor::Reorientation,
        false,
    ),
];

fn step_state(indicator: Option<f64>) -> StepState {
    match indicator {
        None => StepState::Unknown,
        Some(x) if x >= REACHED => StepState::Reached,
        Some(x) if x >= PARTLY => StepState::Partly,
        Some(_) => StepState::NotReached,
    }
}

/// The steps, in order, ending with force at `probability`.
pub fn path(s: &Situation, probability: f64) -> Vec<Step> {
    let mut out: Vec<Step> = STEPS
        .iter()
        .map(|&(key, description, f, inverted)| {
            let indicator = mid(&s.factors, f).map(|x| if inverted { 1.0 - x } else { x });
            let state = step_state(indicator);
            Step {
                key,
                description,
                factor: Some(f),
                indicator,
                reading: reading(f, *s.factors.get(f)),
                state,
                reached: state == StepState::Reached,
                probability: None,
            }
        })
        .collect();
    out.push(Step {
        key: "force",
        description: "the patron uses force",
        factor: None,
        indicator: None,
        reading: crate::estimative::band(probability).words.to_string(),
        state: StepState::NotReached,
        reached: false,
        probability: Some(probability),
    });
    out
}

/// The value a factor must take for a step to count as reached (used by signposts and tests).
pub fn reaching_value(f: Factor) -> Option<FactorValue> {
    STEPS
        .iter()
        .find(|s| s.2 == f)
        .map(|s| FactorValue::Known(if s.3 { Level::ZERO } else { Level::ONE }))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn thresholds() {
        assert_eq!(step_state(Some(1.0)), StepState::Reached);
        assert_eq!(step_state(Some(0.75)), StepState::Reached);
        assert_eq!(step_state(Some(0.5)), StepState::Partly);
        assert_eq!(step_state(Some(0.0)), StepState::NotReached);
        assert_eq!(step_state(None), StepState::Unknown);
    }
}
