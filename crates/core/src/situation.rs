//! Situations (what an analyst assesses) and historical cases (situations with known outcomes).

use crate::{Factor, FactorValues};
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use std::fmt;

/// The default horizon: one year from `as_of` (docs/theory.md, outcome coding).
pub const DEFAULT_HORIZON_DAYS: u32 = 365;

/// An ISO 3166-1 alpha-3 code (three upper-case ASCII letters), or `SUN` for the USSR.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(transparent)]
pub struct CountryCode(String);

/// A country code that is not three upper-case letters.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
#[error(
    "`{code}` is not an ISO 3166-1 alpha-3 code (three upper-case letters, e.g. RUS; SUN for the USSR)"
)]
pub struct CountryCodeError {
    pub code: String,
}

impl CountryCode {
    pub fn new(code: &str) -> Result<CountryCode, CountryCodeError> {
        if code.len() == 3 && code.bytes().all(|b| b.is_ascii_uppercase()) {
            Ok(CountryCode(code.to_string()))
        } else {
            Err(CountryCodeError {
                code: code.to_string(),
            })
        }
    }
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl<'de> Deserialize<'de> for CountryCode {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let s = String::deserialize(d)?;
        CountryCode::new(&s).map_err(serde::de::Error::custom)
    }
}

impl fmt::Display for CountryCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// The kind of crisis in the target state.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum CrisisType {
    MassProtest,
    Revolution,
    Coup,
    CivilWar,
    Secession,
    InterstateStandoff,
}

impl CrisisType {
    pub const ALL: [CrisisType; 6] = [
        CrisisType::MassProtest,
        CrisisType::Revolution,
        CrisisType::Coup,
        CrisisType::CivilWar,
        CrisisType::Secession,
        CrisisType::InterstateStandoff,
    ];

    pub fn name(self) -> &'static str {
        match self {
            CrisisType::MassProtest => "mass_protest",
            CrisisType::Revolution => "revolution",
            CrisisType::Coup => "coup",
            CrisisType::CivilWar => "civil_war",
            CrisisType::Secession => "secession",
            CrisisType::InterstateStandoff => "interstate_standoff",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            CrisisType::MassProtest => "mass protest",
            CrisisType::Revolution => "revolution",
            CrisisType::Coup => "coup",
            CrisisType::CivilWar => "civil war",
            CrisisType::Secession => "secessionist conflict",
            CrisisType::InterstateStandoff => "standoff with the patron",
        }
    }

    /// The label in the plural, for sentences about crises of this type.
    pub fn plural(self) -> &'static str {
        match self {
            CrisisType::MassProtest => "mass protests",
            CrisisType::Revolution => "revolutions",
            CrisisType::Coup => "coups",
            CrisisType::CivilWar => "civil wars",
            CrisisType::Secession => "secessionist conflicts",
            CrisisType::InterstateStandoff => "standoffs with the patron",
        }
    }
}

/// One dated, sourced piece of evidence behind a factor value.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Evidence {
    pub factor: Factor,
    pub date: NaiveDate,
    pub text: String,
    pub source: String,
}

/// A crisis as an analyst sees it on `as_of`: the input to an assessment.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Situation {
    pub id: String,
    pub title: String,
    pub patron: CountryCode,
    pub target: CountryCode,
    pub crisis_type: CrisisType,
    pub as_of: NaiveDate,
    pub horizon_days: u32,
    pub factors: FactorValues,
    pub evidence: Vec<Evidence>,
}

impl Situation {
    /// Evidence filed under one factor.
    pub fn evidence_for(&self, f: Factor) -> impl Iterator<Item = &Evidence> {
        self.evidence.iter().filter(move |e| e.factor == f)
    }
}

/// The patron's strongest action within the horizon: docs/theory.md's ladder, weakest first.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Response {
    NoAction,
    Diplomatic,
    Economic,
    SecurityAssistance,
    CovertForce,
    OvertIntervention,
    FullInvasion,
}

impl Response {
    /// Force means covert force or stronger.
    pub fn is_force(self) -> bool {
        self >= Response::CovertForce
    }

    pub fn label(self) -> &'static str {
        match self {
            Response::NoAction => "no action",
            Response::Diplomatic => "diplomatic",
            Response::Economic => "economic",
            Response::SecurityAssistance => "security assistance",
            Response::CovertForce => "covert force",
            Response::OvertIntervention => "overt intervention",
            Response::FullInvasion => "full invasion",
        }
    }
}

/// Whom the patron's action was for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Direction {
    ProIncumbent,
    AntiIncumbent,
    None,
}

/// What happened.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Outcome {
    pub response: Response,
    pub force: bool,
    pub direction: Direction,
    pub intervention_date: Option<NaiveDate>,
    pub summary: String,
}

/// Special kinds of case that docs/theory.md warns differ from the rest.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Special {
    /// The patron was the occupying power (East Germany 1953).
    Occupation,
    /// The target lay inside the patron's own state (Baltic republics 1991).
    PatronInternal,
}

/// A further decision point of a crisis: a complete coding of another date.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Snapshot {
    /// Unique within the crisis ("early", "mid", ...).
    pub label: String,
    /// The situation on this snapshot's `as_of`; its id is `CASE@label`.
    pub situation: Situation,
    pub why: crate::FactorMap<String>,
    pub uncertain: Vec<Factor>,
}

/// One re-coding of a case file, kept so that a reviewer can see what changed and why.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct HistoryEntry {
    pub date: NaiveDate,
    pub change: String,
    pub why: String,
}

/// Lead-time classes of force snapshots (days from `as_of` to force).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum LeadTime {
    /// Force within 7 days: the decision eve.
    Eve,
    /// Force 8 to 60 days later.
    Weeks,
    /// Force more than 60 days later (or not within the horizon).
    Months,
}

impl LeadTime {
    pub const ALL: [LeadTime; 3] = [LeadTime::Eve, LeadTime::Weeks, LeadTime::Months];

    pub fn of_days(days: i64) -> LeadTime {
        match days {
            ..=7 => LeadTime::Eve,
            8..=60 => LeadTime::Weeks,
            _ => LeadTime::Months,
        }
    }

    pub fn name(self) -> &'static str {
        match self {
            LeadTime::Eve => "eve",
            LeadTime::Weeks => "weeks",
            LeadTime::Months => "months",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            LeadTime::Eve => "decision eve (≤ 7 days)",
            LeadTime::Weeks => "8–60 days ahead",
            LeadTime::Months => "over 60 days ahead",
        }
    }
}

/// One decision point of a crisis, borrowed from its case: the main snapshot or a further one.
#[derive(Debug, Clone, Copy)]
pub struct SnapshotRef<'a> {
    pub case: &'a Case,
    pub label: &'a str,
    pub situation: &'a Situation,
    pub why: &'a crate::FactorMap<String>,
    pub uncertain: &'a [Factor],
    pub main: bool,
}

impl SnapshotRef<'_> {
    /// `CASE@label`.
    pub fn id(&self) -> String {
        format!("{}@{}", self.case.id(), self.label)
    }

    /// Force within this snapshot's horizon (derived from the crisis outcome, never typed).
    pub fn force(&self) -> bool {
        self.case
            .force_within(self.situation.as_of, self.situation.horizon_days)
    }

    /// Days from this snapshot to force, for a crisis that ended in force.
    pub fn days_to_force(&self) -> Option<i64> {
        self.case
            .outcome
            .intervention_date
            .filter(|_| self.case.outcome.force)
            .map(|d| (d - self.situation.as_of).num_days())
    }
}

/// A historical crisis with coded factors and its outcome, at one or more decision points.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Case {
    /// The situation at the main decision point (the eve of force, or the peak of a crisis without
    /// force); all factors must be known points.
    pub situation: Situation,
    pub crisis_start: NaiveDate,
    /// One justification per factor, indexed like [`Factor::ALL`].
    pub why: crate::FactorMap<String>,
    pub outcome: Outcome,
    pub sources: Vec<String>,
    pub uncertain: Vec<Factor>,
    pub special: Vec<Special>,
    /// The main snapshot's label ("eve" or "peak" unless the file says otherwise).
    pub label: String,
    /// Further decision points, in file order.
    pub snapshots: Vec<Snapshot>,
    /// Re-codings of the file, oldest first.
    pub history: Vec<HistoryEntry>,
}

impl Case {
    pub fn id(&self) -> &str {
        &self.situation.id
    }

    /// Force within `horizon_days` of `as_of`: the outcome of a snapshot on that date.
    pub fn force_within(&self, as_of: NaiveDate, horizon_days: u32) -> bool {
        match (self.outcome.force, self.outcome.intervention_date) {
            (true, Some(d)) => d >= as_of && (d - as_of).num_days() <= i64::from(horizon_days),
            // Case files always date force; an undated force case (built in code) is force at its
            // decision point.
            (true, None) => true,
            (false, _) => false,
        }
    }

    /// Every decision point, the main one first, then the others by date.
    pub fn all_snapshots(&self) -> Vec<SnapshotRef<'_>> {
        let mut out = vec![SnapshotRef {
            case: self,
            label: &self.label,
            situation: &self.situation,
            why: &self.why,
            uncertain: &self.uncertain,
            main: true,
        }];
        let mut rest: Vec<&Snapshot> = self.snapshots.iter().collect();
        rest.sort_by_key(|s| s.situation.as_of);
        out.extend(rest.into_iter().map(|s| SnapshotRef {
            case: self,
            label: &s.label,
            situation: &s.situation,
            why: &s.why,
            uncertain: &s.uncertain,
            main: false,
        }));
        out
    }

    /// The coded point values. Case files are validated so that every factor is known.
    pub fn x(&self) -> [f64; Factor::COUNT] {
        let mut x = [0.0; Factor::COUNT];
        for (f, v) in self.situation.factors.iter() {
            x[f.index()] = v.midpoint().unwrap_or(f64::NAN);
        }
        x
    }
}

impl Serialize for crate::FactorMap<String> {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeMap;
        let mut m = s.serialize_map(Some(Factor::COUNT))?;
        for (f, v) in self.iter() {
            m.serialize_entry(f.name(), v)?;
        }
        m.end()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn force_starts_at_covert_force() {
        assert!(!Response::SecurityAssistance.is_force());
        assert!(Response::CovertForce.is_force());
        assert!(Response::FullInvasion.is_force());
    }

    #[test]
    fn country_codes() {
        assert!(CountryCode::new("RUS").is_ok());
        assert!(CountryCode::new("SUN").is_ok());
        assert!(CountryCode::new("rus").is_err());
        assert!(CountryCode::new("RU").is_err());
    }
}
