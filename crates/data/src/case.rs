//! Case files: a situation at the decision point plus the coder's justifications, sources and the
//! outcome. The loader checks completeness so that the model never sees a half-coded case.

use crate::DataError;
use crate::fields::{Date, Horizon, NonEmpty};
use crate::situation::{is_blank, read_text};
use casus_core::{
    Case, CountryCode, CrisisType, DEFAULT_HORIZON_DAYS, Direction, Factor, FactorMap, FactorValue,
    FactorValues, Outcome, Response, Situation, Special,
};
use serde::Deserialize;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use toml::Spanned;

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct CaseFile {
    id: Spanned<NonEmpty>,
    title: NonEmpty,
    patron: CountryCode,
    target: CountryCode,
    crisis_type: CrisisType,
    crisis_start: Spanned<Date>,
    as_of: Spanned<Date>,
    horizon_days: Option<Horizon>,
    sources: Spanned<Vec<NonEmpty>>,
    #[serde(default)]
    uncertain: Vec<Factor>,
    #[serde(default)]
    special: Vec<Special>,
    factors: Spanned<FactorValues>,
    why: Spanned<BTreeMap<Spanned<String>, NonEmpty>>,
    outcome: OutcomeRow,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct OutcomeRow {
    response: Response,
    force: Spanned<bool>,
    direction: Direction,
    intervention_date: Option<Spanned<Date>>,
    summary: NonEmpty,
}

/// Parse one case file; `path` is used in messages and its stem must equal the case id.
pub fn parse_case(path: &Path, src: &str) -> Result<Case, DataError> {
    if is_blank(src) {
        return Err(DataError::Empty {
            path: path.to_path_buf(),
        });
    }
    let f: CaseFile = toml::from_str(src).map_err(|e| DataError::from_toml(path, src, &e))?;
    let err =
        |span: std::ops::Range<usize>, msg: String| DataError::at(path, src, Some(span.start), msg);

    let id = f.id.get_ref().0.clone();
    if let Some(stem) = path.file_stem().and_then(|s| s.to_str())
        && path.extension().is_some()
        && stem != id
    {
        return Err(err(
            f.id.span(),
            format!("id `{id}` differs from the file name `{stem}`"),
        ));
    }
    for (factor, v) in f.factors.get_ref().iter() {
        let problem = match v {
            FactorValue::Known(_) => continue,
            FactorValue::Unknown => "is not coded: a case needs all 18 factors",
            FactorValue::Range { .. } => "must be a single value in a case, not a range",
        };
        return Err(err(
            f.factors.span(),
            format!("[factors] `{factor}` {problem}"),
        ));
    }
    let mut why = FactorMap::<String>::default();
    for (key, text) in f.why.get_ref() {
        let Some(factor) = Factor::from_name(key.get_ref()) else {
            return Err(err(
                key.span(),
                format!("unknown factor `{}` in [why]", key.get_ref()),
            ));
        };
        why.set(factor, text.0.clone());
    }
    if let Some((missing, _)) = why.iter().find(|(_, t)| t.is_empty()) {
        return Err(err(
            f.why.span(),
            format!("[why] has no justification for `{missing}`"),
        ));
    }
    if f.sources.get_ref().is_empty() {
        return Err(err(
            f.sources.span(),
            "a case needs at least one source".into(),
        ));
    }
    let (start, as_of) = (f.crisis_start.get_ref().0, f.as_of.get_ref().0);
    if as_of < start {
        return Err(err(
            f.as_of.span(),
            format!("as_of {as_of} is before crisis_start {start}"),
        ));
    }
    let force = *f.outcome.force.get_ref();
    if force != f.outcome.response.is_force() {
        return Err(err(
            f.outcome.force.span(),
            format!(
                "force = {force} contradicts response `{}`: force means covert_force or stronger",
                f.outcome.response.label()
            ),
        ));
    }
    let intervention_date = f.outcome.intervention_date.as_ref().map(|d| d.get_ref().0);
    match (&f.outcome.intervention_date, force) {
        (None, true) => {
            return Err(err(
                f.outcome.force.span(),
                "a force case needs outcome.intervention_date".into(),
            ));
        }
        (Some(d), false) => {
            return Err(err(
                d.span(),
                "intervention_date is only for cases where force was used".into(),
            ));
        }
        (Some(d), true) if d.get_ref().0 < start => {
            return Err(err(
                d.span(),
                format!("intervention_date is before crisis_start {start}"),
            ));
        }
        _ => {}
    }
    let situation = Situation {
        id: id.clone(),
        title: f.title.0,
        patron: f.patron,
        target: f.target,
        crisis_type: f.crisis_type,
        as_of,
        horizon_days: f.horizon_days.map_or(DEFAULT_HORIZON_DAYS, |h| h.0),
        factors: f.factors.into_inner(),
        evidence: Vec::new(),
    };
    Ok(Case {
        situation,
        crisis_start: start,
        why,
        outcome: Outcome {
            response: f.outcome.response,
            force,
            direction: f.outcome.direction,
            intervention_date,
            summary: f.outcome.summary.0,
        },
        sources: f.sources.into_inner().into_iter().map(|s| s.0).collect(),
        uncertain: f.uncertain,
        special: f.special,
    })
}

/// Read one case file.
pub fn load_case(path: &Path) -> Result<Case, DataError> {
    let src = read_text(path)?;
    parse_case(path, &src)
}

/// Read every `*.toml` case in a directory, sorted by id; ids must be unique.
pub fn load_cases_dir(dir: &Path) -> Result<Vec<Case>, DataError> {
    let rd = std::fs::read_dir(dir).map_err(|source| DataError::Io {
        path: dir.to_path_buf(),
        source,
    })?;
    let mut paths: Vec<PathBuf> = Vec::new();
    for entry in rd {
        let entry = entry.map_err(|source| DataError::Io {
            path: dir.to_path_buf(),
            source,
        })?;
        let p = entry.path();
        if p.extension().and_then(|e| e.to_str()) == Some("toml") {
            paths.push(p);
        }
    }
    paths.sort();
    let files = paths
        .iter()
        .map(|p| read_text(p).map(|t| (p.clone(), t)))
        .collect::<Result<Vec<_>, _>>()?;
    parse_cases(files.iter().map(|(p, t)| (p.as_path(), t.as_str())))
}

/// Parse a set of case files given as (path, text), checking that ids are unique.
pub fn parse_cases<'a>(
    files: impl IntoIterator<Item = (&'a Path, &'a str)>,
) -> Result<Vec<Case>, DataError> {
    let mut seen: BTreeMap<String, PathBuf> = BTreeMap::new();
    let mut cases = Vec::new();
    for (path, text) in files {
        let case = parse_case(path, text)?;
        if let Some(other) = seen.insert(case.id().to_string(), path.to_path_buf()) {
            return Err(DataError::DuplicateId {
                path: path.to_path_buf(),
                other,
                id: case.id().to_string(),
            });
        }
        cases.push(case);
    }
    cases.sort_by(|a, b| a.id().cmp(b.id()));
    Ok(cases)
}
