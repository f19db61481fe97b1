//! The whole explanation, in the article's order: why the patron would intervene, how likely it is,
//! and what can be done.

use crate::analogues::{Analogues, DEFAULT_K, analogues};
use crate::estimative;
use crate::interests::{Interest, interests};
use crate::moves::Catalogue;
use crate::notes::EvidenceNote;
use crate::path::{Step, path};
use crate::restraints::{Restraint, restraints};
use crate::risk::RiskModel;
use crate::scenarios::{ActorOptions, options};
use crate::signposts::{Signpost, signposts};
use crate::theory::{Disagreement, disagreements};
use casus_core::{Case, Driver, Factor, ModelId, NaiveDate, Situation};
use serde::Serialize;

/// Settings with stated defaults.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct ExplainOptions {
    /// How many nearest cases to show (default [`DEFAULT_K`] = 5).
    pub k: usize,
}

impl Default for ExplainOptions {
    fn default() -> Self {
        ExplainOptions { k: DEFAULT_K }
    }
}

/// What is being assessed.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Subject {
    pub id: String,
    pub title: String,
    pub patron: String,
    pub target: String,
    pub crisis_type: &'static str,
    pub as_of: NaiveDate,
    pub horizon_days: u32,
}

/// One coded fact with its source, for the evidence list.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct SourcedFact {
    pub factor: Factor,
    #[serde(flatten)]
    pub evidence: EvidenceNote,
}

/// A full explanation of one situation.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Explanation {
    pub situation: Subject,
    /// Posterior-mean probability of force within the horizon.
    pub probability: f64,
    /// Central 90% interval.
    pub interval: [f64; 2],
    /// The estimative words for `probability` ([`estimative::SCALE`]).
    pub band: &'static str,
    pub scale_source: &'static str,
    pub model: ModelId,
    /// Why would the patron intervene? The two core interests.
    pub interests: Vec<Interest>,
    /// The escalation path of Ukraine 2014, step by step.
    pub path: Vec<Step>,
    /// What holds the patron back.
    pub restraints: Vec<Restraint>,
    /// The model's per-factor log-odds contributions, largest first.
    pub drivers: Vec<Driver>,
    pub analogues: Analogues,
    pub signposts: Vec<Signpost>,
    /// What can be done? Each actor's moves ranked by effect.
    pub options: Vec<ActorOptions>,
    /// Where the data disagree with the theory (computed from the model).
    pub disagreements: Vec<Disagreement>,
    /// Each factor one coding step (0.25) down and up, most sensitive first.
    pub coding_sensitivity: Vec<crate::sensitivity::CodingStep>,
    pub evidence: Vec<SourcedFact>,
}

/// Explain a situation with a fitted model, the case base and the move catalogue.
pub fn explain<M: RiskModel + ?Sized>(
    model: &M,
    s: &Situation,
    cases: &[Case],
    moves: &Catalogue,
    opts: ExplainOptions,
) -> Explanation {
    // The headline is the model's own assessment, the same numbers `casus assess` prints. What-if
    // comparisons (signposts, options, the path) use the fast integral `estimate`, evaluated at the
    // same fixed points for every scenario, so that differences between them carry no sampling noise.
    let assessment = model.assess(s);
    let est = model.estimate(&s.factors, s.horizon_days);
    let p = est.probability;
    let opts_by_actor = options(model, s, &est, moves);
    Explanation {
        situation: Subject {
            id: s.id.clone(),
            title: s.title.clone(),
            patron: s.patron.to_string(),
            target: s.target.to_string(),
            crisis_type: s.crisis_type.label(),
            as_of: s.as_of,
            horizon_days: s.horizon_days,
        },
        probability: assessment.probability,
        interval: assessment.interval,
        band: estimative::band(assessment.probability).words,
        scale_source: estimative::SOURCE,
        model: assessment.model.clone(),
        interests: interests(s, &assessment),
        path: path(s, p),
        restraints: restraints(s, &assessment),
        analogues: analogues(model, s, cases, opts.k),
        signposts: signposts(model, s, p, moves),
        disagreements: disagreements(model, s, p, &opts_by_actor),
        options: opts_by_actor,
        coding_sensitivity: crate::sensitivity::coding_sensitivity(model, s),
        drivers: assessment.drivers,
        evidence: s
            .evidence
            .iter()
            .map(|e| SourcedFact {
                factor: e.factor,
                evidence: EvidenceNote {
                    date: e.date,
                    text: e.text.clone(),
                    source: e.source.clone(),
                },
            })
            .collect(),
    }
}
