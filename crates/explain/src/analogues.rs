//! Historical analogues: the cases nearest to a situation, what happened in them, and how they differ.
//!
//! **Similarity.** With `w_j` the model's importance of factor `j` ([`RiskModel::importance`]),
//! the distance between a situation `x` and a case `c` is the weighted root-mean-square difference
//! over the factors coded in both (ranges at their midpoint):
//!
//! ```text
//! d(x, c) = sqrt( Σ w_j (x_j − c_j)² / Σ w_j ),   similarity = 1 − d   (in [0, 1])
//! ```
//!
//! so factors that move the model's answer most count most.
//!
//! **Which cases.** The article reasons from the patron's own record in crises of the same kind
//! (Russia's in popular uprisings: Ukraine 2014 against Kyrgyzstan 2005 and 2010 and Armenia 2018).
//! So the analogues are drawn, in this order, from
//! 1. cases with the same patron and the same *kind* of crisis, where the kinds are popular
//!    uprisings (`mass_protest`, `revolution`), armed conflicts (`civil_war`, `secession`), coups,
//!    and standoffs with the patron (`interstate_standoff`);
//! 2. then, if fewer than `k`, the same patron's other crises;
//! 3. then, if still fewer, other patrons' crises of the same kind.
//!
//! A patron is its country code: the USSR (`SUN`) is a different patron from Russia (`RUS`). Cases
//! marked `special` (occupations, crises inside the patron's own state; docs/theory.md's known traps)
//! and cases whose decision point is not before the situation's are left out. The **base rate** is
//! the share of force among the `k` nearest. The **contrast** case is the nearest case, searched in
//! the same order, whose outcome differs from that of most of the `k` nearest (for a situation whose
//! analogues mostly saw no force: the nearest force case). **Other patrons** lists the `k` nearest
//! crises of the same kind with other patrons, for breadth. **Differences** are the factors with the
//! largest weighted absolute difference `w_j |x_j − c_j|` (at least one anchor step, 0.25, apart).

use crate::risk::RiskModel;
use casus_core::{Case, CrisisType, Factor, FactorValues, Situation};
use serde::Serialize;

/// Default number of nearest cases.
pub const DEFAULT_K: usize = 5;
/// How many differences are reported per analogue.
pub const DIFFERENCES: usize = 3;

/// One factor on which situation and analogue differ.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Difference {
    pub factor: Factor,
    pub here: f64,
    pub there: f64,
    pub here_reading: &'static str,
    pub there_reading: &'static str,
    /// `w_j |x_j − c_j|` with normalised weights.
    pub weight: f64,
}

/// One historical case close to the situation.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Analogue {
    pub id: String,
    pub title: String,
    pub similarity: f64,
    pub force: bool,
    pub response: &'static str,
    pub summary: String,
    pub differences: Vec<Difference>,
    pub sources: Vec<String>,
    /// Which pool the case came from: `own_record`, `own_other_kinds` or `other_patrons`.
    pub pool: &'static str,
}

/// The nearest cases and what they say.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Analogues {
    pub k: usize,
    /// How similarity is computed, in one sentence.
    pub method: &'static str,
    pub nearest: Vec<Analogue>,
    /// Share of force among the `k` nearest.
    pub base_rate: f64,
    pub contrast: Option<Analogue>,
    /// How many cases were compared.
    pub compared: usize,
    /// The kind of crisis compared ("popular uprising", ...).
    pub kind: &'static str,
    /// The `k` nearest crises of the same kind with other patrons.
    pub other_patrons: Vec<Analogue>,
    /// Share of force among them.
    pub other_patrons_base_rate: f64,
}

/// The kind of crisis, for choosing analogues.
pub fn kind(t: CrisisType) -> &'static str {
    match t {
        CrisisType::MassProtest | CrisisType::Revolution => "popular uprising",
        CrisisType::CivilWar | CrisisType::Secession => "armed conflict",
        CrisisType::Coup => "coup",
        CrisisType::InterstateStandoff => "standoff with the patron",
    }
}

/// A compared case: similarity, differences, the case.
type Ranked<'a> = (f64, Vec<Difference>, &'a Case);

const METHOD: &str = "1 − weighted root-mean-square difference of the coded factors, \
    weighted by the fitted model's importance of each factor";

fn values(v: &FactorValues) -> [Option<f64>; Factor::COUNT] {
    let mut out = [None; Factor::COUNT];
    for (f, x) in v.iter() {
        out[f.index()] = x.midpoint();
    }
    out
}

fn compare(
    x: &[Option<f64>; Factor::COUNT],
    c: &Case,
    w: &[f64; Factor::COUNT],
) -> (f64, Vec<Difference>) {
    let y = values(&c.situation.factors);
    let (mut num, mut den) = (0.0, 0.0);
    let mut diffs = Vec::new();
    for f in Factor::ALL {
        let j = f.index();
        if let (Some(a), Some(b)) = (x[j], y[j]) {
            num += w[j] * (a - b) * (a - b);
            den += w[j];
            if (a - b).abs() >= 0.25 - 1e-9 {
                diffs.push(Difference {
                    factor: f,
                    here: a,
                    there: b,
                    here_reading: f.describe(a),
                    there_reading: f.describe(b),
                    weight: w[j] * (a - b).abs(),
                });
            }
        }
    }
    let d = if den > 0.0 { (num / den).sqrt() } else { 1.0 };
    diffs.sort_by(|a, b| b.weight.total_cmp(&a.weight));
    diffs.truncate(DIFFERENCES);
    (1.0 - d, diffs)
}

fn analogue(
    c: &Case,
    similarity: f64,
    differences: Vec<Difference>,
    pool: &'static str,
) -> Analogue {
    Analogue {
        id: c.id().to_string(),
        title: c.situation.title.clone(),
        similarity,
        force: c.outcome.force,
        response: c.outcome.response.label(),
        summary: c.outcome.summary.clone(),
        differences,
        sources: c.sources.clone(),
        pool,
    }
}

/// The `k` nearest cases to `s`, the base rate among them and the contrast case.
pub fn analogues<M: RiskModel + ?Sized>(
    model: &M,
    s: &Situation,
    cases: &[Case],
    k: usize,
) -> Analogues {
    let imp = model.importance();
    let total: f64 = imp.iter().map(|v| v.max(0.0)).sum();
    let w = if total > 0.0 {
        imp.map(|v| v.max(0.0) / total)
    } else {
        [1.0 / Factor::COUNT as f64; Factor::COUNT]
    };
    let x = values(&s.factors);
    let here = kind(s.crisis_type);
    let mut ranked: Vec<Ranked> = cases
        .iter()
        .filter(|c| c.special.is_empty() && c.situation.as_of < s.as_of && c.id() != s.id)
        .map(|c| {
            let (sim, d) = compare(&x, c, &w);
            (sim, d, c)
        })
        .collect();
    ranked.sort_by(|a, b| b.0.total_cmp(&a.0).then_with(|| a.2.id().cmp(b.2.id())));
    let same_patron = |c: &Case| c.situation.patron == s.patron;
    let same_kind = |c: &Case| kind(c.situation.crisis_type) == here;
    let pools: [(&'static str, Vec<&Ranked>); 3] = [
        (
            "own_record",
            ranked
                .iter()
                .filter(|r| same_patron(r.2) && same_kind(r.2))
                .collect(),
        ),
        (
            "own_other_kinds",
            ranked
                .iter()
                .filter(|r| same_patron(r.2) && !same_kind(r.2))
                .collect(),
        ),
        (
            "other_patrons",
            ranked
                .iter()
                .filter(|r| !same_patron(r.2) && same_kind(r.2))
                .collect(),
        ),
    ];
    let ordered: Vec<(&'static str, &Ranked)> = pools
        .iter()
        .flat_map(|(name, v)| v.iter().map(move |r| (*name, *r)))
        .collect();
    let k = k.min(ordered.len());
    let nearest: Vec<Analogue> = ordered[..k]
        .iter()
        .map(|(pool, r)| analogue(r.2, r.0, r.1.clone(), pool))
        .collect();
    let force = nearest.iter().filter(|a| a.force).count();
    let base_rate = if k == 0 { 0.0 } else { force as f64 / k as f64 };
    let majority_force = 2 * force > k;
    let contrast = ordered
        .iter()
        .chain(
            ranked
                .iter()
                .map(|r| ("other_patrons", r))
                .collect::<Vec<_>>()
                .iter(),
        )
        .find(|(_, r)| r.2.outcome.force != majority_force)
        .map(|(pool, r)| analogue(r.2, r.0, r.1.clone(), pool));
    let others: Vec<Analogue> = pools[2]
        .1
        .iter()
        .take(k)
        .map(|r| analogue(r.2, r.0, r.1.clone(), "other_patrons"))
        .collect();
    let other_force = others.iter().filter(|a| a.force).count();
    Analogues {
        k,
        method: METHOD,
        compared: ranked.len(),
        kind: here,
        other_patrons_base_rate: if others.is_empty() {
            0.0
        } else {
            other_force as f64 / others.len() as f64
        },
        other_patrons: others,
        nearest,
        base_rate,
        contrast,
    }
}
