//! A factor as the explanation shows it: value, what the value means, its weight in the assessment,
//! and the evidence behind it.

use casus_core::{Assessment, Factor, FactorValue, NaiveDate, Situation};
use serde::Serialize;

/// One piece of sourced evidence.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct EvidenceNote {
    pub date: NaiveDate,
    pub text: String,
    pub source: String,
}

/// One factor in an explanation.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct FactorNote {
    pub factor: Factor,
    pub label: &'static str,
    /// A number, `{low, high}` for a range, or null when unknown.
    pub value: FactorValue,
    /// The value read against docs/theory.md's anchors ("massive", "none", "unknown").
    pub reading: String,
    /// Change in log-odds of force that the model attributes to this factor (None if not reported).
    pub contribution: Option<f64>,
    pub evidence: Vec<EvidenceNote>,
}

/// The value of a factor in words.
pub fn reading(f: Factor, v: FactorValue) -> String {
    f.reading(v)
}

/// Build the note for one factor.
pub fn note(s: &Situation, a: &Assessment, f: Factor) -> FactorNote {
    let v = *s.factors.get(f);
    FactorNote {
        factor: f,
        label: f.label(),
        value: v,
        reading: reading(f, v),
        contribution: contribution(a, f),
        evidence: s
            .evidence_for(f)
            .map(|e| EvidenceNote {
                date: e.date,
                text: e.text.clone(),
                source: e.source.clone(),
            })
            .collect(),
    }
}

/// The model's contribution of one factor, if reported.
pub fn contribution(a: &Assessment, f: Factor) -> Option<f64> {
    a.drivers
        .iter()
        .find(|d| d.factor == f)
        .map(|d| d.contribution)
}
