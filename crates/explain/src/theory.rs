//! Where the data disagree with the theory: computed from the fitted model at the situation at hand,
//! never written by hand.
//!
//! Two checks:
//! - **moves**: a catalogued move the theory expects to raise the risk that lowers it under the
//!   model (or one expected to lower it that raises it);
//! - **factors**: a factor with a signed expectation in docs/theory.md (+, weak +, −) whose full swing
//!   from 0 to 1, all else as coded, moves the probability the other way.
//!
//! A change smaller than [`crate::scenarios::NO_EFFECT`] counts as no effect, which is not a
//! disagreement.

use crate::estimative::percent;
use crate::moves::Expect;
use crate::risk::RiskModel;
use crate::scenarios::{ActorOptions, NO_EFFECT};
use casus_core::{Factor, FactorValue, Level, Sign, Situation};
use serde::Serialize;

/// One disagreement.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Disagreement {
    /// `move` or `factor`.
    pub kind: &'static str,
    /// The move id or factor name.
    pub subject: String,
    /// What the theory expects: `raises` or `lowers`.
    pub theory: Expect,
    pub probability_before: f64,
    pub probability_after: f64,
    pub text: String,
}

/// Every disagreement at this situation.
pub fn disagreements<M: RiskModel + ?Sized>(
    model: &M,
    s: &Situation,
    p: f64,
    options: &[ActorOptions],
) -> Vec<Disagreement> {
    let mut out = Vec::new();
    for m in options.iter().flat_map(|a| &a.moves) {
        if !m.agrees_with_theory {
            let verb = |e: Expect| {
                if e == Expect::Raises {
                    "raise"
                } else {
                    "lower"
                }
            };
            out.push(Disagreement {
                kind: "move",
                subject: m.id.clone(),
                theory: m.expect,
                probability_before: p,
                probability_after: m.probability_if,
                text: format!(
                    "The theory expects that {} would {} the risk; the fitted model gives {} → {}.",
                    m.description,
                    verb(m.expect),
                    percent(p),
                    percent(m.probability_if)
                ),
            });
        }
    }
    for f in Factor::ALL {
        let theory = match f.sign() {
            Sign::Positive | Sign::WeakPositive => Expect::Raises,
            Sign::Negative => Expect::Lowers,
            Sign::Direction => continue,
        };
        let at = |x: Level| {
            let mut v = s.factors;
            v.set(f, FactorValue::Known(x));
            model.estimate_probability(&v, s.horizon_days)
        };
        let (lo, hi) = (at(Level::ZERO), at(Level::ONE));
        let wrong = match theory {
            Expect::Raises => hi - lo < -NO_EFFECT,
            Expect::Lowers => hi - lo > NO_EFFECT,
        };
        if wrong {
            out.push(Disagreement {
                kind: "factor",
                subject: f.name().to_string(),
                theory,
                probability_before: lo,
                probability_after: hi,
                text: format!(
                    "The theory expects more {} to {} the risk; in the fitted model, moving it from \
                     \"{}\" to \"{}\" here gives {} → {}.",
                    f.label(),
                    if theory == Expect::Raises { "raise" } else { "lower" },
                    f.describe(0.0),
                    f.describe(1.0),
                    percent(lo),
                    percent(hi)
                ),
            });
        }
    }
    out
}
