//! The two core interests behind the patron's use of force (docs/theory.md, step 1): the security of its
//! own regime, and its military-strategic position against the rival bloc.
//!
//! For each interest the explanation reports how much is at **stake** and how far the present course
//! **threatens** it, both in [0, 1], from the coded factors (midpoints of ranges):
//!
//! - regime security: stake = `contagion_risk`; threat = stake × pressure, where pressure is the
//!   mean of `protest_scale`, `repression_failed` and `1 − incumbent_in_control` (a revolution next
//!   door that succeeds is what could spread home).
//! - strategic position: stake = max(`strategic_assets`, `compatriots`); threat = stake × push,
//!   where push is the largest of `reorientation`, `membership_prospect` and material rival-bloc
//!   support, `2 · (rival_support − 0.5)` (rhetoric and minor sanctions count as no push).
//!
//! The state is *threatened* when threat ≥ 0.5, *at stake* when stake ≥ 0.5 (but not threatened),
//! *not engaged* otherwise, and *unclear* when a factor it needs is unknown.

use crate::notes::{FactorNote, note};
use crate::risk::mid;
use casus_core::{Assessment, Factor, Situation};
use serde::Serialize;

/// How an interest stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum InterestState {
    Threatened,
    AtStake,
    NotEngaged,
    Unclear,
}

impl InterestState {
    pub fn words(self) -> &'static str {
        match self {
            InterestState::Threatened => "threatened",
            InterestState::AtStake => "at stake, not threatened by the present course",
            InterestState::NotEngaged => "not engaged",
            InterestState::Unclear => "unclear (a factor it depends on is not coded)",
        }
    }
}

/// One core interest.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Interest {
    /// `regime_security` or `strategic_position`.
    pub key: &'static str,
    pub title: &'static str,
    pub state: InterestState,
    pub stake: Option<f64>,
    pub threat: Option<f64>,
    /// Sum of the model's log-odds contributions of the interest's factors.
    pub contribution: f64,
    pub factors: Vec<FactorNote>,
}

const REGIME: [Factor; 5] = [
    Factor::ContagionRisk,
    Factor::AllyIncumbent,
    Factor::ProtestScale,
    Factor::RepressionFailed,
    Factor::IncumbentInControl,
];
const STRATEGIC: [Factor; 6] = [
    Factor::StrategicAssets,
    Factor::Compatriots,
    Factor::Reorientation,
    Factor::MembershipProspect,
    Factor::RivalSupport,
    Factor::MilitaryCapacity,
];

fn state(stake: Option<f64>, threat: Option<f64>) -> InterestState {
    match (stake, threat) {
        (_, Some(t)) if t >= 0.5 => InterestState::Threatened,
        (Some(s), Some(_)) if s >= 0.5 => InterestState::AtStake,
        (Some(_), Some(_)) => InterestState::NotEngaged,
        _ => InterestState::Unclear,
    }
}

/// The two interests, regime security first.
pub fn interests(s: &Situation, a: &Assessment) -> Vec<Interest> {
    let v = |f| mid(&s.factors, f);
    let regime_stake = v(Factor::ContagionRisk);
    let pressure = match (
        v(Factor::ProtestScale),
        v(Factor::RepressionFailed),
        v(Factor::IncumbentInControl),
    ) {
        (Some(p), Some(r), Some(c)) => Some((p + r + 1.0 - c) / 3.0),
        _ => None,
    };
    let regime_threat = regime_stake.zip(pressure).map(|(s, p)| s * p);
    let strategic_stake = match (v(Factor::StrategicAssets), v(Factor::Compatriots)) {
        (Some(a), Some(c)) => Some(a.max(c)),
        (a, c) => a.or(c),
    };
    let push = match (
        v(Factor::Reorientation),
        v(Factor::MembershipProspect),
        v(Factor::RivalSupport),
    ) {
        (Some(r), Some(m), Some(s)) => Some(r.max(m).max((2.0 * (s - 0.5)).max(0.0))),
        _ => None,
    };
    let strategic_threat = strategic_stake.zip(push).map(|(s, p)| s * p);
    let build = |key, title, stake, threat, factors: &[Factor]| {
        let notes: Vec<FactorNote> = factors.iter().map(|&f| note(s, a, f)).collect();
        Interest {
            key,
            title,
            state: state(stake, threat),
            stake,
            threat,
            contribution: notes.iter().filter_map(|n| n.contribution).sum(),
            factors: notes,
        }
    };
    vec![
        build(
            "regime_security",
            "the security of the patron's own regime",
            regime_stake,
            regime_threat,
            &REGIME,
        ),
        build(
            "strategic_position",
            "the patron's military-strategic position against the rival bloc",
            strategic_stake,
            strategic_threat,
            &STRATEGIC,
        ),
    ]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn states_follow_the_documented_thresholds() {
        assert_eq!(state(Some(1.0), Some(0.5)), InterestState::Threatened);
        assert_eq!(state(Some(1.0), Some(0.3)), InterestState::AtStake);
        assert_eq!(state(Some(0.25), Some(0.1)), InterestState::NotEngaged);
        assert_eq!(state(None, Some(0.1)), InterestState::Unclear);
    }
}
