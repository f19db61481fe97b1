//! The daily indicator series of one dyad: DataFusion over the imported Parquet (through
//! casus-events' one indicator query), then each family counted on the dyad the theory reads
//! it on.

use std::collections::BTreeMap;
use std::path::Path;

use casus_events::datafusion::arrow::array::{Array, AsArray, RecordBatch};
use casus_events::datafusion::arrow::compute::cast;
use casus_events::datafusion::arrow::datatypes::{DataType, Date32Type, Int64Type};
use casus_events::{Family, IndicatorQuery, indicators};
use chrono::NaiveDate;
use serde::Serialize;

use crate::error::{MonitorError, Result};

/// The countries a monitor watches: the patron, the target and (optionally) the rival bloc.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Dyad {
    /// The regional great power (ISO3), e.g. `RUS`.
    pub patron: String,
    /// The neighbouring state in crisis (ISO3), e.g. `UKR`.
    pub target: String,
    /// The rival bloc (ISO3 codes). Empty means "any third country" for rival support and the
    /// target itself for accusations (see the crate docs).
    pub rivals: Vec<String>,
}

impl Dyad {
    /// Whether an event of `family` from `source` to `target_country` counts for this dyad.
    pub fn reads(&self, family: Family, source: Option<&str>, target: Option<&str>) -> bool {
        let (p, t) = (self.patron.as_str(), self.target.as_str());
        let is_rival = |c: Option<&str>| match c {
            Some(c) if self.rivals.is_empty() => c != p && c != t,
            Some(c) => self.rivals.iter().any(|r| r == c),
            None => false,
        };
        match family {
            // Inside the target: its own actors (or unattributed ones) against target actors.
            Family::Protest | Family::Repression | Family::ArmedViolence | Family::MassViolence => {
                target == Some(t) && (source == Some(t) || source.is_none())
            }
            // The patron's posture against the target, or at home (exercises).
            Family::ForcePosture => source == Some(p) && (target == Some(t) || target == Some(p)),
            // Threats to the target, or to its partners in the rival bloc when one is given
            // (casus-events' reading of the family); "any third country" would be anyone the
            // patron threatens anywhere, so without a rival bloc only the target counts.
            Family::Threat => {
                source == Some(p)
                    && (target == Some(t) || (!self.rivals.is_empty() && is_rival(target)))
            }
            Family::Accusation => {
                source == Some(p)
                    && if self.rivals.is_empty() {
                        target == Some(t)
                    } else {
                        is_rival(target)
                    }
            }
            Family::RivalSupport => target == Some(t) && is_rival(source),
            Family::Cooperation => false,
        }
    }

    fn query_targets(&self) -> Vec<String> {
        let mut v = vec![self.patron.clone(), self.target.clone()];
        v.extend(self.rivals.iter().cloned());
        v
    }
}

/// Daily event counts per family for one dyad, one value per day from `start` (days without
/// events are zeros).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct DailySeries {
    /// The first day of every series.
    pub start: NaiveDate,
    /// The first day with any event touching the dyad's countries, if any: days before it are
    /// taken as "no data", not as quiet days.
    pub coverage_start: Option<NaiveDate>,
    /// Counts per family, indexed by days since `start`.
    pub counts: BTreeMap<Family, Vec<f64>>,
}

impl DailySeries {
    /// The number of days in every series.
    pub fn len(&self) -> usize {
        self.counts.values().next().map_or(0, Vec::len)
    }

    /// Whether the series has no days.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }
}

fn epoch() -> NaiveDate {
    NaiveDate::from_ymd_opt(1970, 1, 1).expect("valid date")
}

/// Compute the daily series of `dyad` from `start` to `end` (inclusive) over the imported
/// event directory `events_dir`.
pub fn daily_series(
    events_dir: &Path,
    dyad: &Dyad,
    start: NaiveDate,
    end: NaiveDate,
) -> Result<DailySeries> {
    let days = (end - start).num_days() + 1;
    if days < 1 {
        return Err(MonitorError::InvalidOption {
            name: "to",
            value: end.to_string(),
            reason: "the last day is before the first",
        });
    }
    let query = IndicatorQuery::default()
        .from(&start.format("%Y-%m-%d").to_string())
        .to(&end.format("%Y-%m-%d").to_string())
        .targets(&dyad.query_targets());
    let batches = indicators(events_dir, &query)?;
    let mut counts: BTreeMap<Family, Vec<f64>> = Family::ALL
        .iter()
        .map(|f| (*f, vec![0.0; days as usize]))
        .collect();
    let mut first: Option<i64> = None;
    for batch in &batches {
        add_batch(batch, dyad, start, &mut counts, &mut first)?;
    }
    Ok(DailySeries {
        start,
        coverage_start: first.map(|d| start + chrono::Days::new(d as u64)),
        counts,
    })
}

fn column(
    batch: &RecordBatch,
    name: &'static str,
    to: &DataType,
) -> Result<std::sync::Arc<dyn Array>> {
    let col = batch.column_by_name(name).ok_or(MonitorError::Column {
        column: name,
        reason: "missing".to_string(),
    })?;
    cast(col, to).map_err(|e| MonitorError::Column {
        column: name,
        reason: e.to_string(),
    })
}

fn add_batch(
    batch: &RecordBatch,
    dyad: &Dyad,
    start: NaiveDate,
    counts: &mut BTreeMap<Family, Vec<f64>>,
    first: &mut Option<i64>,
) -> Result<()> {
    let date = column(batch, "date", &DataType::Date32)?;
    let source = column(batch, "source_country", &DataType::Utf8)?;
    let target = column(batch, "target_country", &DataType::Utf8)?;
    let family = column(batch, "family", &DataType::Utf8)?;
    let events = column(batch, "events", &DataType::Int64)?;
    let (date, source, target) = (
        date.as_primitive::<Date32Type>(),
        source.as_string::<i32>(),
        target.as_string::<i32>(),
    );
    let (family, events) = (
        family.as_string::<i32>(),
        events.as_primitive::<Int64Type>(),
    );
    let offset = (start - epoch()).num_days();
    let by_name: BTreeMap<&str, Family> = Family::ALL.iter().map(|f| (f.name(), *f)).collect();
    for i in 0..batch.num_rows() {
        let day = i64::from(date.value(i)) - offset;
        *first = Some(first.map_or(day, |f| f.min(day)));
        let Some(fam) = by_name.get(family.value(i)).copied() else {
            continue;
        };
        let src = (!source.is_null(i)).then(|| source.value(i));
        let tgt = (!target.is_null(i)).then(|| target.value(i));
        if !dyad.reads(fam, src, tgt) {
            continue;
        }
        if let Some(v) = counts.get_mut(&fam).and_then(|v| v.get_mut(day as usize)) {
            *v += events.value(i) as f64;
        }
    }
    Ok(())
}
