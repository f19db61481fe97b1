//! What the server needs from a model: an [`Engine`] assesses situations and knows the move
//! catalogue. [`Baseline`] is the engine used until a fitted model artifact is built into the
//! binary; the CLI passes the fitted model's engine when one exists.

use casus_core::{Assessment, Driver, Factor, FactorValue, FactorValues, Level, ModelId, Role};
use casus_core::{Sign, Situation, convert_horizon};
use serde::{Deserialize, Serialize};

/// A model as the server uses it.
pub trait Engine: Send + Sync + 'static {
    /// Which model answers.
    fn model(&self) -> ModelId;
    /// The model's assessment: exactly what `casus assess --json` prints.
    fn assess(&self, situation: &Situation) -> Assessment;
    /// The move catalogue for what-if scenarios.
    fn moves(&self) -> &[Move];
}

/// How a move changes one factor.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Op {
    Set,
    AtLeast,
    AtMost,
}

/// One change of a move.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Change {
    pub factor: Factor,
    pub op: Op,
    pub value: f64,
}

/// A named actor's move: a change to factors (data/moves.toml).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Move {
    pub id: String,
    pub actor: String,
    pub description: String,
    /// The theory's expected effect: `raises` or `lowers`.
    pub expect: String,
    pub changes: Vec<Change>,
}

impl Move {
    /// Apply the move to factor values. An unknown or uncertain factor becomes the move's value for
    /// `set`; `at_least`/`at_most` compare against the known point or the range's bounds.
    pub fn apply(&self, values: &mut FactorValues) {
        for c in &self.changes {
            let v = Level::saturating(c.value);
            let new = match (c.op, *values.get(c.factor)) {
                (Op::Set, _) | (_, FactorValue::Unknown) => FactorValue::Known(v),
                (Op::AtLeast, FactorValue::Known(l)) => {
                    FactorValue::Known(Level::saturating(l.get().max(v.get())))
                }
                (Op::AtMost, FactorValue::Known(l)) => {
                    FactorValue::Known(Level::saturating(l.get().min(v.get())))
                }
                (Op::AtLeast, FactorValue::Range { low, high }) => {
                    let lo = Level::saturating(low.get().max(v.get()));
                    let hi = Level::saturating(high.get().max(v.get()));
                    FactorValue::range(lo, hi).unwrap_or(FactorValue::Known(hi))
                }
                (Op::AtMost, FactorValue::Range { low, high }) => {
                    let lo = Level::saturating(low.get().min(v.get()));
                    let hi = Level::saturating(high.get().min(v.get()));
                    FactorValue::range(lo, hi).unwrap_or(FactorValue::Known(lo))
                }
            };
            values.set(c.factor, new);
        }
    }
}

#[derive(Deserialize)]
struct CatalogueFile {
    #[serde(rename = "move", default)]
    moves: Vec<MoveRow>,
}

#[derive(Deserialize)]
struct MoveRow {
    id: String,
    actor: String,
    description: String,
    expect: String,
    #[serde(default)]
    set: std::collections::BTreeMap<String, f64>,
    #[serde(default)]
    at_least: std::collections::BTreeMap<String, f64>,
    #[serde(default)]
    at_most: std::collections::BTreeMap<String, f64>,
}

/// Read the move catalogue (the shape of `data/moves.toml`); unknown factors are errors.
pub fn parse_moves(src: &str) -> Result<Vec<Move>, String> {
    let file: CatalogueFile = toml::from_str(src).map_err(|e| e.to_string())?;
    file.moves
        .into_iter()
        .map(|r| {
            let mut changes = Vec::new();
            for (op, table) in [
                (Op::Set, &r.set),
                (Op::AtLeast, &r.at_least),
                (Op::AtMost, &r.at_most),
            ] {
                for (name, value) in table {
                    let factor = Factor::from_name(name)
                        .ok_or_else(|| format!("move `{}`: unknown factor `{name}`", r.id))?;
                    changes.push(Change {
                        factor,
                        op,
                        value: *value,
                    });
                }
            }
            Ok(Move {
                id: r.id,
                actor: r.actor,
                description: r.description,
                expect: r.expect,
                changes,
            })
        })
        .collect()
}

/// The built-in move catalogue, or none if the build has no `data/moves.toml`.
pub fn builtin_moves() -> Vec<Move> {
    casus_data::builtin::moves_toml()
        .and_then(|s| parse_moves(s).ok())
        .unwrap_or_default()
}

/// An unfitted checklist of the theory's factors: each factor pushes the log-odds by a fixed,
/// theory-signed weight. It stands in when no fitted model is built into the binary, and it makes
/// the API's tests independent of the fit. Its numbers illustrate; they do not assess.
#[derive(Debug, Clone)]
pub struct Baseline {
    moves: Vec<Move>,
}

impl Baseline {
    pub fn new(moves: Vec<Move>) -> Baseline {
        Baseline { moves }
    }

    /// Log-odds weights (per unit of the factor, centred at 0.5).
    fn weight(f: Factor) -> f64 {
        match f.sign() {
            Sign::Positive => 1.0,
            Sign::WeakPositive => 0.4,
            Sign::Negative => -1.5,
            Sign::Direction => 0.0,
        }
    }

    const INTERCEPT: f64 = -2.0;
    /// Half-width of the 90% interval on the log-odds scale (parameter uncertainty, assumed).
    const HALF_WIDTH: f64 = 0.8;
}

fn logistic(z: f64) -> f64 {
    1.0 / (1.0 + (-z).exp())
}

impl Engine for Baseline {
    fn model(&self) -> ModelId {
        ModelId {
            id: "checklist-baseline".into(),
            version: env!("CARGO_PKG_VERSION").into(),
        }
    }

    fn assess(&self, s: &Situation) -> Assessment {
        let (mut mid, mut lo, mut hi) = (Self::INTERCEPT, Self::INTERCEPT, Self::INTERCEPT);
        let mut drivers = Vec::with_capacity(Factor::COUNT);
        for (f, v) in s.factors.iter() {
            let w = Self::weight(f);
            let (a, b) = match *v {
                FactorValue::Known(l) => (l.get(), l.get()),
                FactorValue::Range { low, high } => (low.get(), high.get()),
                FactorValue::Unknown => (0.0, 1.0),
            };
            let c = w * ((a + b) / 2.0 - 0.5);
            mid += c;
            lo += (w * (a - 0.5)).min(w * (b - 0.5));
            hi += (w * (a - 0.5)).max(w * (b - 0.5));
            drivers.push(Driver {
                factor: f,
                group: f.group(),
                value: v.midpoint(),
                contribution: c,
                role: if c >= 0.0 {
                    Role::Driver
                } else {
                    Role::Restraint
                },
            });
        }
        drivers.sort_by(|a, b| b.contribution.abs().total_cmp(&a.contribution.abs()));
        let conv = |z: f64| convert_horizon(logistic(z), 365, s.horizon_days);
        Assessment {
            situation_id: s.id.clone(),
            probability: conv(mid),
            interval: [conv(lo - Self::HALF_WIDTH), conv(hi + Self::HALF_WIDTH)],
            horizon_days: s.horizon_days,
            model: self.model(),
            drivers,
        }
    }

    fn moves(&self) -> &[Move] {
        &self.moves
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn builtin_catalogue_parses() {
        if let Some(src) = casus_data::builtin::moves_toml() {
            let m = parse_moves(src).unwrap();
            assert!(m.iter().any(|m| m.id == "opposition.demand_reorientation"));
        }
    }

    #[test]
    fn at_least_on_range() {
        let m = Move {
            id: "x".into(),
            actor: "a".into(),
            description: "d".into(),
            expect: "raises".into(),
            changes: vec![Change {
                factor: Factor::RivalSupport,
                op: Op::AtLeast,
                value: 0.5,
            }],
        };
        let mut v = FactorValues::default();
        v.set(
            Factor::RivalSupport,
            FactorValue::range(Level::ZERO, Level::ONE).unwrap(),
        );
        m.apply(&mut v);
        assert_eq!(v.get(Factor::RivalSupport).midpoint(), Some(0.75));
    }
}
