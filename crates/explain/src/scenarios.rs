//! Scenarios: what the situation looks like after a set of moves, every combination of a few moves,
//! and a scenario tree that weighs the combinations by how likely each move is.
//!
//! All probabilities come from [`RiskModel::estimate`] on the changed factor values, so a scenario
//! and its baseline are computed the same way and differ only by the moves.
//!
//! **Scenario tree.** With moves `m_1..m_n` happening independently with probabilities `q_i`, each
//! of the `2^n` branches (a subset `B` of moves happens, the rest do not) has probability
//! `Π_{i∈B} q_i · Π_{i∉B} (1 − q_i)`, and by the law of total probability
//! `P(force) = Σ_B P(branch B) · P(force | B)`. A branch's *share* is its term divided by the sum:
//! the part of the overall risk that runs through it.

use crate::error::ExplainError;
use crate::moves::{Catalogue, Expect, Move, apply_all};
use crate::risk::{Estimate, RiskModel};
use casus_core::Situation;
use serde::Serialize;

/// At most this many moves are combined in a grid or tree (2^12 = 4096 rows).
pub const MAX_COMBINED: usize = 12;

/// The situation after some moves, beside the baseline.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Scenario {
    pub moves: Vec<String>,
    pub probability: f64,
    pub interval: [f64; 2],
    pub baseline_probability: f64,
    pub baseline_interval: [f64; 2],
    /// probability / baseline_probability.
    pub ratio: f64,
}

/// Evaluate a situation after `moves` (applied in order).
pub fn scenario<M: RiskModel + ?Sized>(model: &M, s: &Situation, moves: &[&Move]) -> Scenario {
    let base = model.estimate(&s.factors, s.horizon_days);
    let after = model.estimate(
        &apply_all(&s.factors, moves.iter().copied()),
        s.horizon_days,
    );
    Scenario {
        moves: moves.iter().map(|m| m.id.clone()).collect(),
        probability: after.probability,
        interval: after.interval,
        baseline_probability: base.probability,
        baseline_interval: base.interval,
        ratio: after.probability / base.probability.max(1e-12),
    }
}

/// One row of a grid: which moves are on, and the result.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct GridRow {
    pub moves: Vec<String>,
    pub active: Vec<bool>,
    pub probability: f64,
}

/// Every combination of the moves: `2^n` rows, row `r` has move `i` on when bit `i` of `r` is set.
pub fn grid<M: RiskModel + ?Sized>(
    model: &M,
    s: &Situation,
    moves: &[&Move],
) -> Result<Vec<GridRow>, ExplainError> {
    if moves.len() > MAX_COMBINED {
        return Err(ExplainError::TooManyMoves {
            count: moves.len(),
            max: MAX_COMBINED,
        });
    }
    Ok((0..1usize << moves.len())
        .map(|r| {
            let active: Vec<bool> = (0..moves.len()).map(|i| r >> i & 1 == 1).collect();
            let on: Vec<&Move> = moves
                .iter()
                .zip(&active)
                .filter(|(_, a)| **a)
                .map(|(m, _)| *m)
                .collect();
            GridRow {
                moves: on.iter().map(|m| m.id.clone()).collect(),
                active,
                probability: model.estimate_probability(
                    &apply_all(&s.factors, on.iter().copied()),
                    s.horizon_days,
                ),
            }
        })
        .collect())
}

/// One branch of a scenario tree.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Branch {
    /// The moves that happen on this branch (the others do not).
    pub moves: Vec<String>,
    pub branch_probability: f64,
    pub probability_force: f64,
    /// branch_probability × probability_force.
    pub contribution: f64,
    /// contribution / overall probability.
    pub share: f64,
}

/// A scenario tree: the overall probability by total probability, and the branches by their share.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Tree {
    pub move_probabilities: Vec<(String, f64)>,
    pub probability: f64,
    pub baseline_probability: f64,
    /// Branches, largest contribution first.
    pub branches: Vec<Branch>,
}

/// The scenario tree over `moves`, each with its own probability.
pub fn tree<M: RiskModel + ?Sized>(
    model: &M,
    s: &Situation,
    moves: &[&Move],
) -> Result<Tree, ExplainError> {
    let q: Vec<f64> = moves
        .iter()
        .map(|m| {
            m.probability
                .ok_or_else(|| ExplainError::MissingProbability { id: m.id.clone() })
        })
        .collect::<Result<_, _>>()?;
    let rows = grid(model, s, moves)?;
    let mut branches: Vec<Branch> = rows
        .into_iter()
        .map(|r| {
            let bp: f64 = r
                .active
                .iter()
                .zip(&q)
                .map(|(&a, &qi)| if a { qi } else { 1.0 - qi })
                .product();
            Branch {
                moves: r.moves,
                branch_probability: bp,
                probability_force: r.probability,
                contribution: bp * r.probability,
                share: 0.0,
            }
        })
        .collect();
    let total: f64 = branches.iter().map(|b| b.contribution).sum();
    for b in &mut branches {
        b.share = if total > 0.0 {
            b.contribution / total
        } else {
            0.0
        };
    }
    branches.sort_by(|a, b| b.contribution.total_cmp(&a.contribution));
    Ok(Tree {
        move_probabilities: moves.iter().map(|m| m.id.clone()).zip(q).collect(),
        probability: total,
        baseline_probability: model.estimate_probability(&s.factors, s.horizon_days),
        branches,
    })
}

/// Every pair of moves (and each move alone on the diagonal), for a heat map.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct PairGrid {
    pub moves: Vec<String>,
    pub descriptions: Vec<String>,
    pub baseline: f64,
    /// `probability[i][j]`: moves i and j together (i = j: move i alone).
    pub probability: Vec<Vec<f64>>,
}

/// The pair grid over `moves`.
pub fn pairs<M: RiskModel + ?Sized>(model: &M, s: &Situation, moves: &[&Move]) -> PairGrid {
    let n = moves.len();
    let mut p = vec![vec![0.0; n]; n];
    for i in 0..n {
        for j in i..n {
            let set: Vec<&Move> = if i == j {
                vec![moves[i]]
            } else {
                vec![moves[i], moves[j]]
            };
            let q = model.estimate_probability(&apply_all(&s.factors, set), s.horizon_days);
            p[i][j] = q;
            p[j][i] = q;
        }
    }
    PairGrid {
        moves: moves.iter().map(|m| m.id.clone()).collect(),
        descriptions: moves.iter().map(|m| m.description.clone()).collect(),
        baseline: model.estimate_probability(&s.factors, s.horizon_days),
        probability: p,
    }
}

/// One move's effect, for "What can be done?".
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct MoveEffect {
    pub id: String,
    pub actor: String,
    pub description: String,
    pub expect: Expect,
    pub probability_if: f64,
    /// probability_if − baseline.
    pub delta: f64,
    /// Whether the model's effect has the sign the theory expects (no effect counts as agreeing).
    pub agrees_with_theory: bool,
}

/// One actor's moves, largest effect first.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ActorOptions {
    pub actor: String,
    pub moves: Vec<MoveEffect>,
}

/// Tolerance below which a change in probability counts as none.
pub const NO_EFFECT: f64 = 1e-9;

/// Every catalogued move applied alone, grouped by actor (catalogue order) and ranked by |effect|.
pub fn options<M: RiskModel + ?Sized>(
    model: &M,
    s: &Situation,
    baseline: &Estimate,
    moves: &Catalogue,
) -> Vec<ActorOptions> {
    let mut out: Vec<ActorOptions> = Vec::new();
    for m in &moves.moves {
        let q = model.estimate_probability(&m.apply_to(&s.factors), s.horizon_days);
        let delta = q - baseline.probability;
        let agrees = match m.expect {
            Expect::Raises => delta >= -NO_EFFECT,
            Expect::Lowers => delta <= NO_EFFECT,
        };
        let e = MoveEffect {
            id: m.id.clone(),
            actor: m.actor.clone(),
            description: m.description.clone(),
            expect: m.expect,
            probability_if: q,
            delta,
            agrees_with_theory: agrees,
        };
        match out.iter_mut().find(|a| a.actor == m.actor) {
            Some(a) => a.moves.push(e),
            None => out.push(ActorOptions {
                actor: m.actor.clone(),
                moves: vec![e],
            }),
        }
    }
    for a in &mut out {
        a.moves
            .sort_by(|x, y| y.delta.abs().total_cmp(&x.delta.abs()));
    }
    out
}
