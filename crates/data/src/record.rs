//! The flat JSON shape of a case, shared by `casus cases --json` and the HTTP API.

use casus_core::{Case, Direction, FactorMap, FactorValues, NaiveDate, Response};
use serde::Serialize;

/// One case as published: `force` is 0 or 1 so that it can be averaged directly.
#[derive(Debug, Clone, Serialize)]
pub struct CaseRecord<'a> {
    pub id: &'a str,
    pub title: &'a str,
    pub patron: &'a str,
    pub target: &'a str,
    pub crisis_type: &'static str,
    pub crisis_start: NaiveDate,
    pub as_of: NaiveDate,
    pub force: u8,
    pub response: Response,
    pub direction: Direction,
    pub intervention_date: Option<NaiveDate>,
    pub summary: &'a str,
    pub factors: &'a FactorValues,
    pub why: &'a FactorMap<String>,
    pub uncertain: Vec<&'static str>,
    pub sources: &'a [String],
}

impl<'a> From<&'a Case> for CaseRecord<'a> {
    fn from(c: &'a Case) -> Self {
        let s = &c.situation;
        CaseRecord {
            id: &s.id,
            title: &s.title,
            patron: s.patron.as_str(),
            target: s.target.as_str(),
            crisis_type: s.crisis_type.name(),
            crisis_start: c.crisis_start,
            as_of: s.as_of,
            force: u8::from(c.outcome.force),
            response: c.outcome.response,
            direction: c.outcome.direction,
            intervention_date: c.outcome.intervention_date,
            summary: &c.outcome.summary,
            factors: &s.factors,
            why: &c.why,
            uncertain: c.uncertain.iter().map(|f| f.name()).collect(),
            sources: &c.sources,
        }
    }
}
