//! Signposts: the single changes that would move the probability most — what to watch.
//!
//! For every factor, the situation is re-assessed with that factor moved to each of docs/theory.md's
//! three anchors (0, 0.5, 1) in turn, all else as coded; an uncoded factor is resolved to each
//! anchor, which is its value of information. Per factor the largest rise and the largest fall are
//! kept; the signposts are the largest rises (at least half a percentage point), then the largest
//! falls. Where a catalogued move makes exactly that change, the signpost is phrased as the move
//! ("if the opposition demands an EU/NATO course").

use crate::moves::{Catalogue, Move};
use crate::risk::RiskModel;
use casus_core::{Factor, FactorValue, Level, Situation};
use serde::Serialize;

/// How many rising and falling signposts are reported.
pub const RISES: usize = 5;
pub const FALLS: usize = 3;
/// Changes smaller than this (in probability) are not signposts.
pub const MIN_CHANGE: f64 = 0.005;

/// One thing to watch.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Signpost {
    /// "if the opposition demands an EU/NATO course: 6% → 31%"
    pub description: String,
    /// The event in words, without the numbers.
    pub event: String,
    pub factor: Factor,
    pub from: FactorValue,
    pub to: f64,
    pub to_reading: &'static str,
    pub probability: f64,
    pub probability_if: f64,
    /// The catalogued move that makes this change, if any.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub move_id: Option<String>,
    /// True when the factor is not coded: the signpost is also what it is worth finding out.
    pub uncoded: bool,
}

const ANCHORS: [f64; 3] = [0.0, 0.5, 1.0];

fn matching_move<'a>(moves: &'a Catalogue, s: &Situation, f: Factor, to: f64) -> Option<&'a Move> {
    moves.moves.iter().find(|m| {
        m.changes.len() == 1
            && m.changes[0].factor == f
            && m.apply_to(&s.factors)
                .get(f)
                .point()
                .is_some_and(|v| (v - to).abs() < 1e-9)
    })
}

fn event(f: Factor, from: FactorValue, to: f64, mv: Option<&Move>) -> String {
    if let Some(m) = mv {
        return m.description.clone();
    }
    let anchor = f.describe(to);
    match from {
        FactorValue::Unknown => format!("{} (not coded) turns out to be \"{anchor}\"", f.label()),
        _ => format!(
            "{} moves to \"{anchor}\" (now \"{}\")",
            f.label(),
            crate::notes::reading(f, from)
        ),
    }
}

/// The signposts for a situation whose probability is `p`.
pub fn signposts<M: RiskModel + ?Sized>(
    model: &M,
    s: &Situation,
    p: f64,
    moves: &Catalogue,
) -> Vec<Signpost> {
    let mut rises = Vec::new();
    let mut falls = Vec::new();
    for f in Factor::ALL {
        let from = *s.factors.get(f);
        let mut best_up: Option<(f64, f64)> = None;
        let mut best_down: Option<(f64, f64)> = None;
        for to in ANCHORS {
            if from.point().is_some_and(|v| (v - to).abs() < 0.25) {
                continue;
            }
            let mut v = s.factors;
            v.set(f, FactorValue::Known(Level::saturating(to)));
            let q = model.estimate_probability(&v, s.horizon_days);
            if q - p >= MIN_CHANGE && best_up.is_none_or(|b| q > b.1) {
                best_up = Some((to, q));
            }
            if p - q >= MIN_CHANGE && best_down.is_none_or(|b| q < b.1) {
                best_down = Some((to, q));
            }
        }
        for (slot, best) in [(&mut rises, best_up), (&mut falls, best_down)] {
            if let Some((to, q)) = best {
                let mv = matching_move(moves, s, f, to);
                let ev = event(f, from, to, mv);
                slot.push(Signpost {
                    description: format!(
                        "if {ev}: {} → {}",
                        crate::estimative::percent(p),
                        crate::estimative::percent(q)
                    ),
                    event: ev,
                    factor: f,
                    from,
                    to,
                    to_reading: f.describe(to),
                    probability: p,
                    probability_if: q,
                    move_id: mv.map(|m| m.id.clone()),
                    uncoded: from.is_unknown(),
                });
            }
        }
    }
    rises.sort_by(|a, b| b.probability_if.total_cmp(&a.probability_if));
    falls.sort_by(|a, b| a.probability_if.total_cmp(&b.probability_if));
    rises.truncate(RISES);
    falls.truncate(FALLS);
    rises.extend(falls);
    rises
}
