//! The explanation the dashboard shows, in the article's terms, built from any [`Engine`]'s
//! assessments and the case base: drivers grouped by core interest, the escalation path,
//! historical analogues and signposts (what would change the answer).

use crate::Engine;
use casus_core::{Assessment, Case, Factor, FactorValue, Group, Level, Response, Sign, Situation};
use serde::Serialize;

/// One factor as coded, with its effect.
#[derive(Debug, Clone, Serialize)]
pub struct FactorView {
    pub factor: Factor,
    pub label: &'static str,
    pub value: FactorValue,
    /// The nearest anchor in the theory's words, if the factor is coded.
    pub reading: Option<&'static str>,
    /// Change in log-odds against the reference situation.
    pub contribution: f64,
}

/// One of the theory's groups of factors.
#[derive(Debug, Clone, Serialize)]
pub struct GroupView {
    pub group: Group,
    pub title: &'static str,
    pub contribution: f64,
    pub factors: Vec<FactorView>,
}

/// One step of the escalation path (Ukraine 2014).
#[derive(Debug, Clone, Serialize)]
pub struct PathStep {
    pub step: &'static str,
    pub factors: Vec<Factor>,
    /// How far along this step the situation is, 0 to 1 (`None` if its factors are unknown).
    pub level: Option<f64>,
    pub reached: bool,
}

/// A historical case close to the situation.
#[derive(Debug, Clone, Serialize)]
pub struct Analogue {
    pub id: String,
    pub title: String,
    /// Root-mean-square difference over the factors the situation codes (0 identical, 1 opposite).
    pub distance: f64,
    pub force: bool,
    pub response: Response,
    pub summary: String,
}

/// A factor whose change would move the answer most.
#[derive(Debug, Clone, Serialize)]
pub struct Signpost {
    pub factor: Factor,
    pub label: &'static str,
    pub now: FactorValue,
    /// The value watched for.
    pub to: f64,
    pub watch_for: &'static str,
    pub probability: f64,
    pub delta: f64,
}

/// Everything the situation page shows.
#[derive(Debug, Clone, Serialize)]
pub struct Explanation {
    pub assessment: Assessment,
    /// Words of estimative probability for the headline figure.
    pub estimative: &'static str,
    pub groups: Vec<GroupView>,
    pub path: Vec<PathStep>,
    pub analogues: Vec<Analogue>,
    pub signposts: Vec<Signpost>,
}

/// Words of estimative probability (after ICD 203's bands).
pub fn estimative(p: f64) -> &'static str {
    match p {
        p if p < 0.05 => "almost no chance",
        p if p < 0.20 => "very unlikely",
        p if p < 0.45 => "unlikely",
        p if p <= 0.55 => "roughly even chance",
        p if p <= 0.80 => "likely",
        p if p <= 0.95 => "very likely",
        _ => "almost certain",
    }
}

const GROUPS: [Group; 5] = [
    Group::RegimeSecurity,
    Group::StrategicPosition,
    Group::EscalationPath,
    Group::Restraints,
    Group::Signals,
];

fn mean_of(s: &Situation, fs: &[Factor], invert: &[Factor]) -> Option<f64> {
    let vals: Vec<f64> = fs
        .iter()
        .filter_map(|f| {
            let m = s.factors.get(*f).midpoint()?;
            Some(if invert.contains(f) { 1.0 - m } else { m })
        })
        .collect();
    (!vals.is_empty()).then(|| vals.iter().sum::<f64>() / vals.len() as f64)
}

fn path(s: &Situation) -> Vec<PathStep> {
    use Factor::*;
    let steps: [(&'static str, &[Factor]); 5] = [
        ("the patron props up an allied incumbent", &[AllyIncumbent]),
        (
            "repression fails and the protests grow",
            &[RepressionFailed, ProtestScale],
        ),
        (
            "rival-bloc leaders side with the protesters",
            &[RivalSupport],
        ),
        ("the incumbent is swept away", &[IncumbentInControl]),
        (
            "a new government turns to the rival bloc",
            &[Reorientation, MembershipProspect],
        ),
    ];
    steps
        .iter()
        .map(|(step, fs)| {
            let level = mean_of(s, fs, &[IncumbentInControl]);
            PathStep {
                step,
                factors: fs.to_vec(),
                level,
                reached: level.is_some_and(|l| l >= 0.75),
            }
        })
        .collect()
}

fn analogues(s: &Situation, cases: &[Case]) -> Vec<Analogue> {
    let mut out: Vec<Analogue> = cases
        .iter()
        .filter(|c| c.id() != s.id)
        .filter_map(|c| {
            let x = c.x();
            let (sum, n) = s
                .factors
                .iter()
                .filter_map(|(f, v)| Some((v.midpoint()? - x[f.index()]).powi(2)))
                .fold((0.0, 0usize), |(a, n), d| (a + d, n + 1));
            (n > 0).then(|| Analogue {
                id: c.id().to_string(),
                title: c.situation.title.clone(),
                distance: (sum / n as f64).sqrt(),
                force: c.outcome.force,
                response: c.outcome.response,
                summary: c.outcome.summary.clone(),
            })
        })
        .collect();
    out.sort_by(|a, b| a.distance.total_cmp(&b.distance));
    out.truncate(5);
    out
}

fn signposts(engine: &dyn Engine, s: &Situation, base: f64) -> Vec<Signpost> {
    let mut out: Vec<Signpost> = Factor::ALL
        .iter()
        .filter_map(|&f| {
            let targets: &[f64] = match f.sign() {
                Sign::Positive | Sign::WeakPositive => &[1.0],
                Sign::Negative => &[0.0],
                Sign::Direction => &[0.0, 1.0],
            };
            targets
                .iter()
                .map(|&to| {
                    let mut t = s.clone();
                    t.factors.set(f, FactorValue::Known(Level::saturating(to)));
                    (to, engine.assess(&t).probability)
                })
                .max_by(|a, b| a.1.total_cmp(&b.1))
                .map(|(to, p)| Signpost {
                    factor: f,
                    label: f.label(),
                    now: *s.factors.get(f),
                    to,
                    watch_for: f.describe(to),
                    probability: p,
                    delta: p - base,
                })
        })
        .filter(|sp| sp.delta > 0.005)
        .collect();
    out.sort_by(|a, b| b.delta.total_cmp(&a.delta));
    out.truncate(6);
    out
}

/// Explain one situation.
pub fn explain(engine: &dyn Engine, s: &Situation, cases: &[Case]) -> Explanation {
    let a = engine.assess(s);
    let groups = GROUPS
        .iter()
        .map(|&g| {
            let factors: Vec<FactorView> = Factor::ALL
                .iter()
                .filter(|f| f.group() == g)
                .map(|&f| {
                    let v = *s.factors.get(f);
                    FactorView {
                        factor: f,
                        label: f.label(),
                        value: v,
                        reading: v.midpoint().map(|m| f.describe(m)),
                        contribution: a
                            .drivers
                            .iter()
                            .find(|d| d.factor == f)
                            .map_or(0.0, |d| d.contribution),
                    }
                })
                .collect();
            GroupView {
                group: g,
                title: g.title(),
                contribution: factors.iter().map(|f| f.contribution).sum(),
                factors,
            }
        })
        .collect();
    Explanation {
        estimative: estimative(a.probability),
        groups,
        path: path(s),
        analogues: analogues(s, cases),
        signposts: signposts(engine, s, a.probability),
        assessment: a,
    }
}
