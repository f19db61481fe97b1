//! Case files: a situation at the decision point plus the coder's justifications, sources and the
//! outcome. The loader checks completeness so that the model never sees a half-coded case.

use crate::DataError;
use crate::fields::{Date, Horizon, NonEmpty};
use crate::situation::{EvidenceRow, check_evidence, is_blank, read_text};
use casus_core::{
    Case, CountryCode, CrisisType, DEFAULT_HORIZON_DAYS, Direction, Factor, FactorMap, FactorValue,
    FactorValues, HistoryEntry, Outcome, Response, Situation, Snapshot, Special,
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
    /// The main snapshot's label; defaults to "eve" (force) or "peak" (no force).
    label: Option<Spanned<NonEmpty>>,
    #[serde(default)]
    evidence: Vec<EvidenceRow>,
    #[serde(default)]
    snapshots: Vec<SnapshotRow>,
    #[serde(default)]
    history: Vec<HistoryRow>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct SnapshotRow {
    label: Spanned<NonEmpty>,
    as_of: Spanned<Date>,
    horizon_days: Option<Horizon>,
    #[serde(default)]
    uncertain: Vec<Factor>,
    /// The coder's note on what was known at this date; carried in the file, not modelled.
    #[serde(default)]
    #[allow(dead_code)]
    note: Option<String>,
    factors: Spanned<FactorValues>,
    why: Spanned<BTreeMap<Spanned<String>, NonEmpty>>,
    #[serde(default)]
    evidence: Vec<EvidenceRow>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct HistoryRow {
    date: Date,
    change: NonEmpty,
    why: NonEmpty,
}

/// Decisive codings: a snapshot that codes one of these away from its "nothing is happening" end
/// must carry dated evidence for it (data/README.md, "Evidence dated as of the decision point").
fn needs_evidence(f: Factor, v: f64) -> bool {
    match f {
        Factor::MilitarySignals
        | Factor::Invitation
        | Factor::ManagedTransition
        | Factor::RepressionFailed
        | Factor::Compatriots => v > 0.0,
        Factor::IncumbentInControl => v < 1.0,
        _ => false,
    }
}

/// Days before force that an early snapshot of a force crisis must reach, and the crisis length from
/// which one is required.
pub const EARLY_FORCE_DAYS: i64 = 30;
/// A restraint crisis whose peak came this many days after its start needs an early snapshot ...
pub const EARLY_PEAK_CRISIS_DAYS: i64 = 14;
/// ... at least this many days before the peak.
pub const EARLY_PEAK_LEAD_DAYS: i64 = 7;

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
    check_factors(&err, &f.factors)?;
    let why = read_why(&err, &f.why)?;
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
    for (i, h) in f.sources.get_ref().iter().enumerate() {
        if let Some(why) = crate::evidence::refused_source(&h.0, false) {
            return Err(err(f.sources.span(), format!("sources[{i}]: {why}")));
        }
    }
    check_evidence(path, Some(src), ("evidence", 0), as_of, &f.evidence, true)?;
    let main_label = match &f.label {
        Some(l) => l.get_ref().0.clone(),
        None if force => "eve".to_string(),
        None => "peak".to_string(),
    };
    let situation = Situation {
        id: id.clone(),
        title: f.title.0.clone(),
        patron: f.patron.clone(),
        target: f.target.clone(),
        crisis_type: f.crisis_type,
        as_of,
        horizon_days: f.horizon_days.map_or(DEFAULT_HORIZON_DAYS, |h| h.0),
        factors: *f.factors.get_ref(),
        evidence: f.evidence.iter().map(EvidenceRow::to_evidence).collect(),
    };
    check_decisive_evidence(&err, f.factors.span(), &main_label, &situation)?;
    let mut snapshots: Vec<Snapshot> = Vec::new();
    let mut evidence_seen = 0;
    for row in &f.snapshots {
        let label = row.label.get_ref().0.clone();
        if label == main_label || snapshots.iter().any(|s| s.label == label) {
            return Err(err(
                row.label.span(),
                format!("snapshot label `{label}` is used twice in this case"),
            ));
        }
        check_factors(&err, &row.factors)?;
        let snap_why = read_why(&err, &row.why)?;
        let snap_as_of = row.as_of.get_ref().0;
        if snap_as_of < start {
            return Err(err(
                row.as_of.span(),
                format!("snapshot `{label}`: as_of {snap_as_of} is before crisis_start {start}"),
            ));
        }
        check_evidence(
            path,
            Some(src),
            ("snapshots.evidence", evidence_seen),
            snap_as_of,
            &row.evidence,
            true,
        )?;
        evidence_seen += row.evidence.len();
        let sit = Situation {
            id: format!("{id}@{label}"),
            title: f.title.0.clone(),
            patron: f.patron.clone(),
            target: f.target.clone(),
            crisis_type: f.crisis_type,
            as_of: snap_as_of,
            horizon_days: row.horizon_days.map_or(DEFAULT_HORIZON_DAYS, |h| h.0),
            factors: *row.factors.get_ref(),
            evidence: row.evidence.iter().map(EvidenceRow::to_evidence).collect(),
        };
        check_decisive_evidence(&err, row.factors.span(), &label, &sit)?;
        snapshots.push(Snapshot {
            label,
            situation: sit,
            why: snap_why,
            uncertain: row.uncertain.clone(),
        });
    }
    let case = Case {
        situation,
        crisis_start: start,
        why,
        outcome: Outcome {
            response: f.outcome.response,
            force,
            direction: f.outcome.direction,
            intervention_date,
            summary: f.outcome.summary.0.clone(),
        },
        sources: f.sources.get_ref().iter().map(|s| s.0.clone()).collect(),
        uncertain: f.uncertain.clone(),
        special: f.special.clone(),
        label: main_label,
        snapshots,
        history: f
            .history
            .iter()
            .map(|h| HistoryEntry {
                date: h.date.0,
                change: h.change.0.clone(),
                why: h.why.0.clone(),
            })
            .collect(),
    };
    check_snapshot_dates(&err, &f, &case)?;
    Ok(case)
}

type ErrAt<'a> = dyn Fn(std::ops::Range<usize>, String) -> DataError + 'a;

fn check_factors(err: &ErrAt<'_>, factors: &Spanned<FactorValues>) -> Result<(), DataError> {
    for (factor, v) in factors.get_ref().iter() {
        let problem = match v {
            FactorValue::Known(_) => continue,
            FactorValue::Unknown => "is not coded: a case needs all 18 factors",
            FactorValue::Range { .. } => "must be a single value in a case, not a range",
        };
        return Err(err(
            factors.span(),
            format!("[factors] `{factor}` {problem}"),
        ));
    }
    Ok(())
}

fn read_why(
    err: &ErrAt<'_>,
    rows: &Spanned<BTreeMap<Spanned<String>, NonEmpty>>,
) -> Result<FactorMap<String>, DataError> {
    let mut why = FactorMap::<String>::default();
    for (key, text) in rows.get_ref() {
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
            rows.span(),
            format!("[why] has no justification for `{missing}`"),
        ));
    }
    Ok(why)
}

fn check_decisive_evidence(
    err: &ErrAt<'_>,
    span: std::ops::Range<usize>,
    label: &str,
    s: &Situation,
) -> Result<(), DataError> {
    for (f, v) in s.factors.iter() {
        let Some(v) = v.point() else { continue };
        if needs_evidence(f, v) && s.evidence_for(f).next().is_none() {
            return Err(err(
                span,
                format!(
                    "snapshot `{label}` codes `{f}` = {v} without a dated evidence entry: decisive \
                     codings carry evidence (data/README.md)"
                ),
            ));
        }
    }
    Ok(())
}

/// Snapshots may not come after force, and crises that lasted long enough need early ones.
fn check_snapshot_dates(err: &ErrAt<'_>, f: &CaseFile, case: &Case) -> Result<(), DataError> {
    let start = case.crisis_start;
    if let Some(d) = case.outcome.intervention_date {
        for s in case.all_snapshots() {
            if s.situation.as_of > d {
                return Err(err(
                    f.as_of.span(),
                    format!(
                        "snapshot `{}` (as_of {}) is after the intervention of {d}: a decision \
                         point comes before force",
                        s.label, s.situation.as_of
                    ),
                ));
            }
        }
        if (d - start).num_days() >= EARLY_FORCE_DAYS
            && !case
                .all_snapshots()
                .iter()
                .any(|s| (d - s.situation.as_of).num_days() >= EARLY_FORCE_DAYS)
        {
            return Err(err(
                f.crisis_start.span(),
                format!(
                    "this crisis lasted {} days before force but has no snapshot {EARLY_FORCE_DAYS} \
                     or more days before it: add an early [[snapshots]] entry (data/README.md)",
                    (d - start).num_days()
                ),
            ));
        }
    } else {
        let peak = case.situation.as_of;
        if (peak - start).num_days() >= EARLY_PEAK_CRISIS_DAYS
            && !case
                .all_snapshots()
                .iter()
                .any(|s| (peak - s.situation.as_of).num_days() >= EARLY_PEAK_LEAD_DAYS)
        {
            return Err(err(
                f.as_of.span(),
                format!(
                    "the peak came {} days after crisis_start but there is no early snapshot \
                     {EARLY_PEAK_LEAD_DAYS} or more days before it (data/README.md)",
                    (peak - start).num_days()
                ),
            ));
        }
    }
    Ok(())
}

/// The rule across crises of one pair: a snapshot without force within its horizon must not have
/// another case's intervention by the same patron against the same target inside that horizon.
pub fn check_pairs(cases: &[(PathBuf, Case)]) -> Result<(), DataError> {
    for (path, c) in cases {
        for s in c.all_snapshots() {
            if s.force() {
                continue;
            }
            for (_, other) in cases {
                let Some(d) = other.outcome.intervention_date else {
                    continue;
                };
                if other.situation.patron == c.situation.patron
                    && other.situation.target == c.situation.target
                    && other.force_within(s.situation.as_of, s.situation.horizon_days)
                {
                    return Err(DataError::Invalid {
                        path: path.clone(),
                        location: None,
                        message: format!(
                            "snapshot `{}` (as_of {}) is coded without force, but {} records force \
                             by {} against {} on {d}, within its {}-day horizon: force within the \
                             horizon is force, whatever crisis it belongs to",
                            s.label,
                            s.situation.as_of,
                            other.id(),
                            c.situation.patron,
                            c.situation.target,
                            s.situation.horizon_days
                        ),
                    });
                }
            }
        }
    }
    Ok(())
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
    let mut cases: Vec<(PathBuf, Case)> = Vec::new();
    for (path, text) in files {
        let case = parse_case(path, text)?;
        if let Some(other) = seen.insert(case.id().to_string(), path.to_path_buf()) {
            return Err(DataError::DuplicateId {
                path: path.to_path_buf(),
                other,
                id: case.id().to_string(),
            });
        }
        cases.push((path.to_path_buf(), case));
    }
    check_pairs(&cases)?;
    let mut cases: Vec<Case> = cases.into_iter().map(|(_, c)| c).collect();
    cases.sort_by(|a, b| a.id().cmp(b.id()));
    Ok(cases)
}
