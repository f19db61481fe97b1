//! Factor values: known, uncertain (a range) or unknown, and validated numbers in [0, 1].

use crate::Factor;
use serde::{Deserialize, Serialize};
use std::fmt;

/// A number in [0, 1]. It can only be built valid, so code holding one never re-checks.
#[derive(Debug, Clone, Copy, PartialEq, PartialOrd, Serialize)]
#[serde(transparent)]
pub struct Level(f64);

/// A value outside [0, 1] (or not a number).
#[derive(Debug, Clone, Copy, PartialEq, thiserror::Error)]
#[error("{value} is outside [0, 1]")]
pub struct LevelError {
    pub value: f64,
}

impl Level {
    pub const ZERO: Level = Level(0.0);
    pub const HALF: Level = Level(0.5);
    pub const ONE: Level = Level(1.0);

    /// Check that `value` lies in [0, 1].
    pub fn new(value: f64) -> Result<Level, LevelError> {
        if (0.0..=1.0).contains(&value) {
            Ok(Level(value))
        } else {
            Err(LevelError { value })
        }
    }

    /// Clamp into [0, 1]; NaN becomes 0. For values computed by casus itself, never for user input.
    pub fn saturating(value: f64) -> Level {
        if value.is_nan() {
            Level(0.0)
        } else {
            Level(value.clamp(0.0, 1.0))
        }
    }

    pub fn get(self) -> f64 {
        self.0
    }
}

impl<'de> Deserialize<'de> for Level {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let v = f64::deserialize(d)?;
        Level::new(v).map_err(serde::de::Error::custom)
    }
}

impl fmt::Display for Level {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.0)
    }
}

/// What an analyst knows about one factor.
///
/// Unknown is a first-class state: the model integrates over it instead of treating it as 0.
#[derive(Debug, Clone, Copy, PartialEq, Default)]
pub enum FactorValue {
    /// A point value.
    Known(Level),
    /// Uncertain: uniform over `[low, high]`, `low <= high`.
    Range { low: Level, high: Level },
    /// Not coded.
    #[default]
    Unknown,
}

/// A range with `low > high`.
#[derive(Debug, Clone, Copy, PartialEq, thiserror::Error)]
#[error("low ({low}) is greater than high ({high})")]
pub struct RangeError {
    pub low: f64,
    pub high: f64,
}

impl FactorValue {
    pub fn known(value: f64) -> Result<FactorValue, LevelError> {
        Level::new(value).map(FactorValue::Known)
    }

    pub fn range(low: Level, high: Level) -> Result<FactorValue, RangeError> {
        if low.get() > high.get() {
            Err(RangeError {
                low: low.get(),
                high: high.get(),
            })
        } else if low == high {
            Ok(FactorValue::Known(low))
        } else {
            Ok(FactorValue::Range { low, high })
        }
    }

    /// The point value, if known.
    pub fn point(self) -> Option<f64> {
        match self {
            FactorValue::Known(l) => Some(l.get()),
            _ => None,
        }
    }

    /// The midpoint of what is known, if anything is.
    pub fn midpoint(self) -> Option<f64> {
        match self {
            FactorValue::Known(l) => Some(l.get()),
            FactorValue::Range { low, high } => Some((low.get() + high.get()) / 2.0),
            FactorValue::Unknown => None,
        }
    }

    pub fn is_unknown(self) -> bool {
        matches!(self, FactorValue::Unknown)
    }

    /// The value moved by `d` (a range moves as a whole), or `None` when it is unknown or the move
    /// would leave [0, 1]: the "one coding step" of coding sensitivity.
    pub fn shifted(self, d: f64) -> Option<FactorValue> {
        let ok = |x: f64| (-1e-9..=1.0 + 1e-9).contains(&x);
        match self {
            FactorValue::Known(l) => {
                let x = l.get() + d;
                ok(x).then(|| FactorValue::Known(Level::saturating(x)))
            }
            FactorValue::Range { low, high } => {
                let (a, b) = (low.get() + d, high.get() + d);
                (ok(a) && ok(b)).then(|| FactorValue::Range {
                    low: Level::saturating(a),
                    high: Level::saturating(b),
                })
            }
            FactorValue::Unknown => None,
        }
    }
}

// Here rather than in `factor` so that `factor` does not depend on `value`.
impl Factor {
    /// How an analyst's value reads against the anchors: the nearest anchor, the span of anchors
    /// for a range, or "unknown".
    pub fn reading(self, v: FactorValue) -> String {
        match v {
            FactorValue::Known(l) => self.describe(l.get()).to_string(),
            FactorValue::Range { low, high } => {
                let (a, b) = (self.describe(low.get()), self.describe(high.get()));
                if a == b {
                    a.to_string()
                } else {
                    format!("between \"{a}\" and \"{b}\"")
                }
            }
            FactorValue::Unknown => "unknown".to_string(),
        }
    }
}

impl fmt::Display for FactorValue {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            FactorValue::Known(l) => write!(f, "{:.2}", l.get()),
            FactorValue::Range { low, high } => write!(f, "{:.2}–{:.2}", low.get(), high.get()),
            FactorValue::Unknown => f.write_str("unknown"),
        }
    }
}

impl Serialize for FactorValue {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeMap;
        match self {
            FactorValue::Known(l) => s.serialize_f64(l.get()),
            FactorValue::Range { low, high } => {
                let mut m = s.serialize_map(Some(2))?;
                m.serialize_entry("low", &low.get())?;
                m.serialize_entry("high", &high.get())?;
                m.end()
            }
            FactorValue::Unknown => s.serialize_none(),
        }
    }
}

impl<'de> Deserialize<'de> for FactorValue {
    /// Accepts `0.5`, `1` (integers too), `{ low = 0.5, high = 1.0 }`, or null/absent for unknown.
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        #[derive(Deserialize)]
        #[serde(deny_unknown_fields)]
        struct RawRange {
            low: Level,
            high: Level,
        }
        #[derive(Deserialize)]
        #[serde(untagged)]
        enum Raw {
            Number(f64),
            Int(i64),
            Range(RawRange),
        }
        use serde::de::Error;
        let raw = Option::<Raw>::deserialize(d).map_err(|_| {
            D::Error::custom("expected a number in [0, 1] or a range { low = .., high = .. }")
        })?;
        match raw {
            None => Ok(FactorValue::Unknown),
            Some(Raw::Number(v)) => FactorValue::known(v).map_err(D::Error::custom),
            Some(Raw::Int(v)) => FactorValue::known(v as f64).map_err(D::Error::custom),
            Some(Raw::Range(r)) => FactorValue::range(r.low, r.high).map_err(D::Error::custom),
        }
    }
}

/// One value per factor, indexed by [`Factor`].
#[derive(Debug, Clone, Copy, PartialEq, Default)]
pub struct FactorMap<T>(pub [T; Factor::COUNT]);

impl<T> FactorMap<T> {
    pub fn get(&self, f: Factor) -> &T {
        &self.0[f.index()]
    }
    pub fn set(&mut self, f: Factor, v: T) {
        self.0[f.index()] = v;
    }
    pub fn iter(&self) -> impl Iterator<Item = (Factor, &T)> {
        Factor::ALL.iter().copied().zip(self.0.iter())
    }
}

impl<T: Copy> FactorMap<T> {
    pub fn filled(v: T) -> Self {
        FactorMap([v; Factor::COUNT])
    }
}

/// The analyst's values for all factors of one situation.
pub type FactorValues = FactorMap<FactorValue>;

impl Serialize for FactorMap<FactorValue> {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeMap;
        let mut m = s.serialize_map(None)?;
        for (f, v) in self.iter() {
            if !v.is_unknown() {
                m.serialize_entry(f.name(), v)?;
            }
        }
        m.end()
    }
}

impl<'de> Deserialize<'de> for FactorMap<FactorValue> {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl<'de> serde::de::Visitor<'de> for V {
            type Value = FactorMap<FactorValue>;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a table of factor values")
            }
            fn visit_map<A: serde::de::MapAccess<'de>>(
                self,
                mut a: A,
            ) -> Result<Self::Value, A::Error> {
                use serde::de::Error;
                let mut out = FactorMap::<FactorValue>::default();
                let mut seen = [false; Factor::COUNT];
                while let Some(FactorKey(f)) = a.next_key::<FactorKey>()? {
                    if seen[f.index()] {
                        return Err(A::Error::custom(format!("factor `{f}` given twice")));
                    }
                    seen[f.index()] = true;
                    let v: FactorValue = a.next_value()?;
                    out.set(f, v);
                }
                Ok(out)
            }
        }
        d.deserialize_map(V)
    }
}

/// A map key naming a factor; failing here lets a parser point at the misspelt key itself.
struct FactorKey(Factor);

impl<'de> Deserialize<'de> for FactorKey {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let key = String::deserialize(d)?;
        Factor::from_name(&key).map(FactorKey).ok_or_else(|| {
            let names: Vec<_> = Factor::names().collect();
            serde::de::Error::custom(format!(
                "unknown factor `{key}`; the factors are: {}",
                names.join(", ")
            ))
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn level_rejects_outside_unit_interval() {
        assert!(Level::new(1.7).is_err());
        assert!(Level::new(-0.1).is_err());
        assert!(Level::new(f64::NAN).is_err());
        assert_eq!(Level::new(1.0).unwrap().get(), 1.0);
    }

    #[test]
    fn range_rejects_inverted_bounds() {
        let e = FactorValue::range(Level::ONE, Level::ZERO).unwrap_err();
        assert_eq!(e.to_string(), "low (1) is greater than high (0)");
        assert_eq!(
            FactorValue::range(Level::HALF, Level::HALF).unwrap(),
            FactorValue::Known(Level::HALF)
        );
    }

    #[test]
    fn factor_map_json_round_trip() {
        let json = r#"{"ally_incumbent": 1, "contagion_risk": {"low": 0.5, "high": 1.0}}"#;
        let m: FactorValues = serde_json::from_str(json).unwrap();
        assert_eq!(m.get(Factor::AllyIncumbent).point(), Some(1.0));
        assert_eq!(m.get(Factor::ContagionRisk).midpoint(), Some(0.75));
        assert!(m.get(Factor::Invitation).is_unknown());
        let back = serde_json::to_string(&m).unwrap();
        assert_eq!(
            back,
            r#"{"ally_incumbent":1.0,"contagion_risk":{"low":0.5,"high":1.0}}"#
        );
    }

    #[test]
    fn unknown_factor_is_an_error() {
        let e = serde_json::from_str::<FactorValues>(r#"{"ally": 1}"#).unwrap_err();
        assert!(e.to_string().contains("unknown factor `ally`"), "{e}");
    }
}
