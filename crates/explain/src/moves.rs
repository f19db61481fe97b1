//! The move catalogue: named changes to factors that an actor might make (docs/theory.md, "Actor moves").
//!
//! Moves are data (`data/moves.toml`, embedded in the binary); users add their own with a file of the
//! same shape. Every problem in a move file is reported with its file, line and column.

use crate::error::{ExplainError, locate};
use casus_core::{Factor, FactorValue, FactorValues, Level};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use std::path::Path;
use toml::Spanned;

/// How a move changes one factor.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Op {
    /// The factor becomes exactly the value.
    Set,
    /// The factor is raised to the value if below it.
    AtLeast,
    /// The factor is lowered to the value if above it.
    AtMost,
}

/// One change: `factor` `op` `value`.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct Change {
    pub factor: Factor,
    pub op: Op,
    pub value: f64,
}

/// The theory's expected effect of a move on the chance of force.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Expect {
    Raises,
    Lowers,
}

/// A named move by one actor.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Move {
    pub id: String,
    pub actor: String,
    pub description: String,
    pub expect: Expect,
    /// The analyst's chance that the move happens within the horizon (for scenario trees).
    pub probability: Option<f64>,
    pub changes: Vec<Change>,
}

impl Move {
    /// Apply the move to factor values.
    pub fn apply(&self, values: &mut FactorValues) {
        for c in &self.changes {
            let v = Level::saturating(c.value);
            let old = *values.get(c.factor);
            let new = match c.op {
                Op::Set => FactorValue::Known(v),
                Op::AtLeast => match old {
                    FactorValue::Known(x) => {
                        FactorValue::Known(if x.get() < v.get() { v } else { x })
                    }
                    FactorValue::Range { low, high } => {
                        range(low.get().max(v.get()), high.get().max(v.get()))
                    }
                    FactorValue::Unknown => range(v.get(), 1.0),
                },
                Op::AtMost => match old {
                    FactorValue::Known(x) => {
                        FactorValue::Known(if x.get() > v.get() { v } else { x })
                    }
                    FactorValue::Range { low, high } => {
                        range(low.get().min(v.get()), high.get().min(v.get()))
                    }
                    FactorValue::Unknown => range(0.0, v.get()),
                },
            };
            values.set(c.factor, new);
        }
    }

    /// The values after the move, leaving `values` as they are.
    pub fn apply_to(&self, values: &FactorValues) -> FactorValues {
        let mut out = *values;
        self.apply(&mut out);
        out
    }

    /// The factors the move touches.
    pub fn factors(&self) -> impl Iterator<Item = Factor> + '_ {
        self.changes.iter().map(|c| c.factor)
    }
}

fn range(low: f64, high: f64) -> FactorValue {
    FactorValue::range(Level::saturating(low), Level::saturating(high))
        .unwrap_or(FactorValue::Known(Level::saturating(high)))
}

/// Apply moves in order to a copy of `values`.
pub fn apply_all<'a>(
    values: &FactorValues,
    moves: impl IntoIterator<Item = &'a Move>,
) -> FactorValues {
    let mut out = *values;
    for m in moves {
        m.apply(&mut out);
    }
    out
}

/// A validated list of moves with unique ids.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct Catalogue {
    pub moves: Vec<Move>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct File {
    #[serde(rename = "move", default)]
    moves: Vec<Spanned<Row>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Row {
    id: Spanned<String>,
    actor: Spanned<String>,
    description: Spanned<String>,
    expect: Expect,
    probability: Option<Spanned<f64>>,
    #[serde(default)]
    set: BTreeMap<Spanned<String>, Spanned<f64>>,
    #[serde(default)]
    at_least: BTreeMap<Spanned<String>, Spanned<f64>>,
    #[serde(default)]
    at_most: BTreeMap<Spanned<String>, Spanned<f64>>,
}

impl Catalogue {
    /// Parse a move file; `path` is used in messages only.
    pub fn parse(path: &Path, src: &str) -> Result<Catalogue, ExplainError> {
        let err = |offset: Option<usize>, message: String| ExplainError::InvalidMoves {
            path: path.to_path_buf(),
            location: offset.map(|o| locate(src, o)),
            message,
        };
        let file: File = toml::from_str(src).map_err(|e| {
            err(
                e.span().map(|s| s.start),
                e.message().trim().replace('\n', " "),
            )
        })?;
        if file.moves.is_empty() {
            return Err(err(
                None,
                "no moves: the file needs at least one [[move]] table".into(),
            ));
        }
        let mut out = Catalogue::default();
        for row in file.moves {
            let start = row.span().start;
            let row = row.into_inner();
            let id = row.id.get_ref().trim();
            let actor = row.actor.get_ref().trim();
            if actor.is_empty() {
                return Err(err(Some(row.actor.span().start), "`actor` is empty".into()));
            }
            match id.split_once('.') {
                Some((a, name)) if a == actor && !name.is_empty() => {}
                _ => {
                    return Err(err(
                        Some(row.id.span().start),
                        format!(
                            "move id `{id}` must be `{actor}.<name>`: the actor, a dot and a name"
                        ),
                    ));
                }
            }
            if out.get(id).is_some() {
                return Err(err(
                    Some(row.id.span().start),
                    format!("duplicate move id `{id}`"),
                ));
            }
            if row.description.get_ref().trim().is_empty() {
                return Err(err(
                    Some(row.description.span().start),
                    "`description` is empty".into(),
                ));
            }
            let probability = match row.probability {
                Some(p) if !(0.0..=1.0).contains(p.get_ref()) => {
                    return Err(err(
                        Some(p.span().start),
                        format!("probability {} is outside [0, 1]", p.get_ref()),
                    ));
                }
                p => p.map(|p| p.into_inner()),
            };
            let mut changes = Vec::new();
            for (op, table) in [
                (Op::Set, row.set),
                (Op::AtLeast, row.at_least),
                (Op::AtMost, row.at_most),
            ] {
                for (k, v) in table {
                    let Some(factor) = Factor::from_name(k.get_ref()) else {
                        let names: Vec<_> = Factor::names().collect();
                        return Err(err(
                            Some(k.span().start),
                            format!(
                                "unknown factor `{}`; the factors are: {}",
                                k.get_ref(),
                                names.join(", ")
                            ),
                        ));
                    };
                    if !(0.0..=1.0).contains(v.get_ref()) {
                        return Err(err(
                            Some(v.span().start),
                            format!("value {} for `{factor}` is outside [0, 1]", v.get_ref()),
                        ));
                    }
                    if changes.iter().any(|c: &Change| c.factor == factor) {
                        return Err(err(
                            Some(k.span().start),
                            format!("factor `{factor}` is changed twice in one move"),
                        ));
                    }
                    changes.push(Change {
                        factor,
                        op,
                        value: v.into_inner(),
                    });
                }
            }
            if changes.is_empty() {
                return Err(err(
                    Some(start),
                    format!("move `{id}` changes no factor: give `set`, `at_least` or `at_most`"),
                ));
            }
            out.moves.push(Move {
                id: id.to_string(),
                actor: actor.to_string(),
                description: row.description.get_ref().trim().to_string(),
                expect: row.expect,
                probability,
                changes,
            });
        }
        Ok(out)
    }

    /// Read and validate a move file.
    pub fn load(path: &Path) -> Result<Catalogue, ExplainError> {
        let src = std::fs::read_to_string(path).map_err(|source| ExplainError::Io {
            path: path.to_path_buf(),
            source,
        })?;
        Catalogue::parse(path, &src)
    }

    /// Add the moves of `other`; a move with an id already present replaces it.
    pub fn extend(&mut self, other: Catalogue) {
        for m in other.moves {
            match self.moves.iter_mut().find(|x| x.id == m.id) {
                Some(slot) => *slot = m,
                None => self.moves.push(m),
            }
        }
    }

    /// A move by id.
    pub fn get(&self, id: &str) -> Option<&Move> {
        self.moves.iter().find(|m| m.id == id)
    }

    /// Moves by id, in the order given; unknown or repeated ids are errors.
    pub fn select<S: AsRef<str>>(&self, ids: &[S]) -> Result<Vec<&Move>, ExplainError> {
        let mut out: Vec<&Move> = Vec::new();
        for id in ids {
            let id = id.as_ref().trim();
            let m = self.get(id).ok_or_else(|| ExplainError::UnknownMove {
                id: id.to_string(),
                known: self.moves.iter().map(|m| m.id.clone()).collect(),
            })?;
            if out.iter().any(|x| x.id == m.id) {
                return Err(ExplainError::RepeatedMove { id: id.to_string() });
            }
            out.push(m);
        }
        Ok(out)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const SRC: &str = r#"
[[move]]
id = "rival.offer_membership"
actor = "rival"
description = "the rival bloc offers membership"
expect = "raises"
probability = 0.02
set = { membership_prospect = 1.0 }
at_least = { rival_support = 0.5 }
"#;

    fn parse(src: &str) -> Result<Catalogue, ExplainError> {
        Catalogue::parse(Path::new("m.toml"), src)
    }

    #[test]
    fn parses_and_applies_set_and_at_least() {
        let c = parse(SRC).unwrap();
        let m = c.get("rival.offer_membership").unwrap();
        let mut v = FactorValues::default();
        v.set(Factor::RivalSupport, FactorValue::known(0.75).unwrap());
        m.apply(&mut v);
        assert_eq!(v.get(Factor::MembershipProspect).point(), Some(1.0));
        assert_eq!(v.get(Factor::RivalSupport).point(), Some(0.75));
        let mut u = FactorValues::default();
        m.apply(&mut u);
        assert_eq!(u.get(Factor::RivalSupport).midpoint(), Some(0.75)); // [0.5, 1]
    }

    #[test]
    fn at_most_lowers_ranges() {
        let mut v = FactorValues::default();
        v.set(
            Factor::IncumbentInControl,
            FactorValue::range(Level::HALF, Level::ONE).unwrap(),
        );
        let m = Move {
            id: "x.y".into(),
            actor: "x".into(),
            description: "d".into(),
            expect: Expect::Raises,
            probability: None,
            changes: vec![Change {
                factor: Factor::IncumbentInControl,
                op: Op::AtMost,
                value: 0.25,
            }],
        };
        m.apply(&mut v);
        assert_eq!(v.get(Factor::IncumbentInControl).point(), Some(0.25));
    }

    #[test]
    fn errors_name_file_line_and_column() {
        let bad = SRC.replace("membership_prospect = 1.0", "membership = 1.0");
        let e = parse(&bad).unwrap_err().to_string();
        assert!(
            e.starts_with("m.toml:8:9: unknown factor `membership`"),
            "{e}"
        );
        let bad = SRC.replace("probability = 0.02", "probability = 2.0");
        let e = parse(&bad).unwrap_err().to_string();
        assert!(
            e.starts_with("m.toml:7:15: probability 2 is outside [0, 1]"),
            "{e}"
        );
        let bad = SRC.replace("id = \"rival.offer_membership\"", "id = \"offer\"");
        let e = parse(&bad).unwrap_err().to_string();
        assert!(
            e.starts_with("m.toml:3:6: move id `offer` must be `rival.<name>`"),
            "{e}"
        );
        let bad = format!("{SRC}{SRC}");
        let e = parse(&bad).unwrap_err().to_string();
        assert!(e.starts_with("m.toml:12:6: duplicate move id"), "{e}");
        let e = parse("[[move]]\nid = 3\n").unwrap_err().to_string();
        assert!(e.starts_with("m.toml:2:6:"), "{e}");
        let bad = SRC.replace("expect = \"raises\"", "expect = \"up\"");
        let e = parse(&bad).unwrap_err().to_string();
        assert!(e.starts_with("m.toml:6:"), "{e}");
    }

    #[test]
    fn selection_rejects_unknown_and_repeated_ids() {
        let c = parse(SRC).unwrap();
        assert!(matches!(
            c.select(&["nope"]),
            Err(ExplainError::UnknownMove { .. })
        ));
        assert!(matches!(
            c.select(&["rival.offer_membership", "rival.offer_membership"]),
            Err(ExplainError::RepeatedMove { .. })
        ));
    }
}
