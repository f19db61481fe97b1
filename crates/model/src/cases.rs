//! From casus-core cases to fitting data: the temporal split, completeness checks, and the content
//! hash that ties an artifact to the case base it was fitted on.

use crate::ModelError;
use crate::features::NX;
use casus_core::{Case, DEFAULT_HORIZON_DAYS, Factor, FactorValue, NaiveDate};
use sha2::{Digest, Sha256};

/// First day of the out-of-sample period: crises that began on or after it are never fitted on.
pub fn temporal_split() -> NaiveDate {
    NaiveDate::from_ymd_opt(2020, 1, 1).expect("valid date")
}

/// Fitting data, sorted by case id so that results do not depend on file order.
#[derive(Debug, Clone)]
pub(crate) struct Prepared {
    pub ids: Vec<String>,
    pub patrons: Vec<String>,
    pub x: Vec<[f64; NX]>,
    pub y: Vec<bool>,
}

impl Prepared {
    pub fn len(&self) -> usize {
        self.y.len()
    }

    /// The data without case `i`.
    pub fn without(&self, i: usize) -> Prepared {
        let drop = |v: &Vec<_>| -> Vec<_> {
            v.iter()
                .enumerate()
                .filter(|(j, _)| *j != i)
                .map(|(_, v)| v)
                .cloned()
                .collect()
        };
        Prepared {
            ids: drop(&self.ids),
            patrons: drop(&self.patrons),
            x: self
                .x
                .iter()
                .enumerate()
                .filter(|(j, _)| *j != i)
                .map(|(_, v)| *v)
                .collect(),
            y: self
                .y
                .iter()
                .enumerate()
                .filter(|(j, _)| *j != i)
                .map(|(_, v)| *v)
                .collect(),
        }
    }
}

/// Check cases for fitting: before the split, every factor a point value, 365-day horizon, unique ids.
pub(crate) fn prepare(cases: &[Case], min: usize) -> Result<Prepared, ModelError> {
    if cases.len() < min {
        return Err(ModelError::TooFewCases {
            n: cases.len(),
            min,
        });
    }
    let split = temporal_split();
    let mut sorted: Vec<&Case> = cases.iter().collect();
    sorted.sort_by(|a, b| a.id().cmp(b.id()));
    for w in sorted.windows(2) {
        if w[0].id() == w[1].id() {
            return Err(ModelError::DuplicateCase {
                id: w[0].id().to_string(),
            });
        }
    }
    let mut p = Prepared {
        ids: vec![],
        patrons: vec![],
        x: vec![],
        y: vec![],
    };
    for c in sorted {
        check(c, split)?;
        p.ids.push(c.id().to_string());
        p.patrons.push(c.situation.patron.as_str().to_string());
        p.x.push(point_values(c)?);
        p.y.push(c.outcome.force);
    }
    Ok(p)
}

fn check(c: &Case, split: NaiveDate) -> Result<(), ModelError> {
    if c.crisis_start >= split {
        return Err(ModelError::OutOfSample {
            id: c.id().to_string(),
            crisis_start: c.crisis_start,
            split,
        });
    }
    if c.situation.horizon_days != DEFAULT_HORIZON_DAYS {
        return Err(ModelError::UnsupportedHorizon {
            id: c.id().to_string(),
            horizon_days: c.situation.horizon_days,
        });
    }
    Ok(())
}

fn point_values(c: &Case) -> Result<[f64; NX], ModelError> {
    let mut x = [0.0; NX];
    for f in Factor::ALL {
        x[f.index()] =
            c.situation
                .factors
                .get(f)
                .point()
                .ok_or_else(|| ModelError::MissingFactor {
                    id: c.id().to_string(),
                    factor: f,
                })?;
    }
    Ok(x)
}

/// SHA-256 over what the fit sees of each case (id, patron, target, dates, horizon, factor values,
/// force, special kinds), cases in id order. Editing a justification or a source does not change it;
/// editing a value or an outcome does.
pub fn case_base_hash(cases: &[Case]) -> String {
    let mut sorted: Vec<&Case> = cases.iter().collect();
    sorted.sort_by(|a, b| a.id().cmp(b.id()));
    let mut h = Sha256::new();
    for c in sorted {
        let s = &c.situation;
        let mut line = format!(
            "{}|{}|{}|{}|{}|{}|{}",
            s.id, s.patron, s.target, c.crisis_start, s.as_of, s.horizon_days, c.outcome.force
        );
        for (f, v) in s.factors.iter() {
            // Full precision (shortest round-trip form), not the two-decimal Display.
            let v = match v {
                FactorValue::Known(l) => format!("{}", l.get()),
                FactorValue::Range { low, high } => format!("{}..{}", low.get(), high.get()),
                FactorValue::Unknown => "unknown".to_string(),
            };
            line.push_str(&format!("|{}={v}", f.name()));
        }
        for sp in &c.special {
            line.push_str(&format!("|special={sp:?}"));
        }
        line.push('\n');
        h.update(line.as_bytes());
    }
    h.finalize().iter().map(|b| format!("{b:02x}")).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hash_of_no_cases_is_sha256_of_nothing() {
        assert_eq!(
            case_base_hash(&[]),
            "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"
        );
    }

    #[test]
    fn split_date_is_2020_01_01() {
        assert_eq!(temporal_split().to_string(), "2020-01-01");
    }
}
