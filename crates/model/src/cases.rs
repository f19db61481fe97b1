//! From casus-core cases to fitting data: the temporal split, completeness checks, and the content
//! hash that ties an artifact to the case base it was fitted on.

use crate::ModelError;
use crate::features::NX;
use casus_core::{
    Case, CrisisType, DEFAULT_HORIZON_DAYS, Factor, FactorValue, FactorValues, NaiveDate,
};
use sha2::{Digest, Sha256};

/// First day of the out-of-sample period: crises that began on or after it are never fitted on.
pub fn temporal_split() -> NaiveDate {
    NaiveDate::from_ymd_opt(2020, 1, 1).expect("valid date")
}

/// Fitting data: one row per decision point (snapshot), crises sorted by id so that results do not
/// depend on file order. Each row carries its crisis (`group`) and a weight of `1 / snapshots in the
/// crisis`, so that every crisis counts once in the likelihood however many dates it is coded at.
#[derive(Debug, Clone)]
pub(crate) struct Prepared {
    /// Snapshot ids, `CASE@label`.
    pub ids: Vec<String>,
    /// Index into `crises` of each row's crisis.
    pub group: Vec<usize>,
    /// Crisis ids, sorted.
    pub crises: Vec<String>,
    pub patrons: Vec<String>,
    pub x: Vec<[f64; NX]>,
    pub y: Vec<bool>,
    pub w: Vec<f64>,
    /// Facts about each row used to slice the scores (never fitted on).
    pub meta: Vec<RowMeta>,
}

/// What evaluation needs to know of a row besides its factors.
#[derive(Debug, Clone)]
pub(crate) struct RowMeta {
    pub crisis_start: NaiveDate,
    pub crisis_type: CrisisType,
    /// Days from the snapshot to force, for a crisis that ended in force.
    pub days_to_force: Option<i64>,
}

impl Prepared {
    pub fn len(&self) -> usize {
        self.y.len()
    }

    /// The rows for which `keep(row)` holds.
    pub fn subset(&self, keep: impl Fn(usize) -> bool) -> Prepared {
        let rows: Vec<usize> = (0..self.len()).filter(|&i| keep(i)).collect();
        Prepared {
            ids: rows.iter().map(|&i| self.ids[i].clone()).collect(),
            group: rows.iter().map(|&i| self.group[i]).collect(),
            crises: self.crises.clone(),
            patrons: rows.iter().map(|&i| self.patrons[i].clone()).collect(),
            x: rows.iter().map(|&i| self.x[i]).collect(),
            y: rows.iter().map(|&i| self.y[i]).collect(),
            w: rows.iter().map(|&i| self.w[i]).collect(),
            meta: rows.iter().map(|&i| self.meta[i].clone()).collect(),
        }
    }

    /// The data without crisis `g` (every snapshot of it).
    pub fn without_crisis(&self, g: usize) -> Prepared {
        self.subset(|i| self.group[i] != g)
    }

    /// Row indices of crisis `g`.
    pub fn rows_of(&self, g: usize) -> Vec<usize> {
        (0..self.len()).filter(|&i| self.group[i] == g).collect()
    }
}

/// Check cases for fitting: before the split, every factor a point value, 365-day horizons, unique
/// ids; `min` counts crises.
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
        group: vec![],
        crises: vec![],
        patrons: vec![],
        x: vec![],
        y: vec![],
        w: vec![],
        meta: vec![],
    };
    for (g, c) in sorted.into_iter().enumerate() {
        check(c, split)?;
        p.crises.push(c.id().to_string());
        let snaps = c.all_snapshots();
        let weight = 1.0 / snaps.len() as f64;
        for s in snaps {
            if s.situation.horizon_days != DEFAULT_HORIZON_DAYS {
                return Err(ModelError::UnsupportedHorizon {
                    id: s.id(),
                    horizon_days: s.situation.horizon_days,
                });
            }
            p.ids.push(s.id());
            p.group.push(g);
            p.patrons.push(c.situation.patron.as_str().to_string());
            p.x.push(point_values(c.id(), &s.situation.factors)?);
            p.y.push(s.force());
            p.w.push(weight);
            p.meta.push(RowMeta {
                crisis_start: c.crisis_start,
                crisis_type: c.situation.crisis_type,
                days_to_force: s.days_to_force(),
            });
        }
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

fn point_values(id: &str, factors: &FactorValues) -> Result<[f64; NX], ModelError> {
    let mut x = [0.0; NX];
    for f in Factor::ALL {
        x[f.index()] = factors
            .get(f)
            .point()
            .ok_or_else(|| ModelError::MissingFactor {
                id: id.to_string(),
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
        for snap in c.all_snapshots() {
            h.update(snapshot_line(c, snap.situation).as_bytes());
        }
    }
    h.finalize().iter().map(|b| format!("{b:02x}")).collect()
}

/// What the fit sees of one snapshot, including the intervention date that decides its outcome.
fn snapshot_line(c: &Case, s: &casus_core::Situation) -> String {
    {
        let mut line = format!(
            "{}|{}|{}|{}|{}|{}|{}",
            s.id, s.patron, s.target, c.crisis_start, s.as_of, s.horizon_days, c.outcome.force
        );
        if let Some(d) = c.outcome.intervention_date {
            line.push_str(&format!("|intervention={d}"));
        }
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
        line
    }
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
