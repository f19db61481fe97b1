//! Coding sensitivity of a situation: each factor coded one step (0.25) down and up, most
//! sensitive first ([`casus_core::sensitivity`]).

use crate::RiskModel;
use casus_core::Situation;
pub use casus_core::sensitivity::{CODING_STEP, CodingStep};

/// Coding sensitivity of every factor, most sensitive first. Uses the model's noise-free
/// `estimate`, like scenarios and signposts, so the moves carry no sampling noise.
pub fn coding_sensitivity<M: RiskModel + ?Sized>(model: &M, s: &Situation) -> Vec<CodingStep> {
    let mut out = casus_core::sensitivity::coding_steps(&s.factors, |v| {
        model.estimate_probability(v, s.horizon_days)
    });
    out.sort_by(|a, b| {
        b.ratio
            .unwrap_or(1.0)
            .total_cmp(&a.ratio.unwrap_or(1.0))
            .then(a.factor.cmp(&b.factor))
    });
    out
}
