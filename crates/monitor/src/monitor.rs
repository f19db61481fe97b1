//! Evidence per day, merged with the analyst's situation, assessed day by day, with alerts.

use std::path::Path;

use casus_core::{
    CountryCode, CrisisType, DEFAULT_HORIZON_DAYS, Factor, FactorValue, FactorValues, Level,
    Situation,
};
use casus_events::{EvidenceParams, family_signal, suggest_factors};
use casus_model::{AssessOptions, FittedModel};
use chrono::{Days, NaiveDate};
use serde::Serialize;

use crate::error::{MonitorError, Result};
use crate::series::{DailySeries, Dyad, daily_series};

/// What to monitor and how. Build with [`MonitorOptions::new`] and the public fields.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct MonitorOptions {
    /// The patron, target and rival bloc.
    pub dyad: Dyad,
    /// First day assessed.
    pub from: NaiveDate,
    /// Last day assessed (inclusive).
    pub to: NaiveDate,
    /// Windows and parameters of the count model (casus-events' defaults: 7 recent days
    /// against the 90 before them, full level at p = 10⁻⁴).
    pub evidence: EvidenceParams,
    /// Days of baseline (after the data's coverage starts) needed before a day gets any
    /// evidence (default 14); earlier days keep the analyst's values only.
    pub min_baseline_days: usize,
    /// Alert when the probability crosses this level, either way (default 0.5).
    pub threshold: f64,
    /// Alert when the probability moves by more than this day-on-day (default 0.15).
    pub jump: f64,
    /// Horizon of each day's assessment; default: the situation's own (365 days when none).
    pub horizon_days: Option<u32>,
    /// Seed for integrating over unknown factors (default 1); the same seed gives the same series.
    pub seed: u64,
}

impl MonitorOptions {
    /// Monitor `patron` → `target` (ISO3) from `from` to `to` with the stated defaults.
    pub fn new(patron: &str, target: &str, from: NaiveDate, to: NaiveDate) -> Self {
        MonitorOptions {
            dyad: Dyad {
                patron: patron.to_string(),
                target: target.to_string(),
                rivals: Vec::new(),
            },
            from,
            to,
            evidence: EvidenceParams::default(),
            min_baseline_days: 14,
            threshold: 0.5,
            jump: 0.15,
            horizon_days: None,
            seed: 1,
        }
    }

    fn validate(&self) -> Result<()> {
        let bad = |name, value: String, reason| {
            Err(MonitorError::InvalidOption {
                name,
                value,
                reason,
            })
        };
        if self.to < self.from {
            return bad(
                "to",
                self.to.to_string(),
                "the last day is before the first",
            );
        }
        if !(0.0..=1.0).contains(&self.threshold) {
            return bad("threshold", self.threshold.to_string(), "expected 0..1");
        }
        if !(0.0..=1.0).contains(&self.jump) {
            return bad("jump", self.jump.to_string(), "expected 0..1");
        }
        if let Some((name, reason)) = self.evidence.check() {
            let e = &self.evidence;
            let value = match name {
                "recent_days" => e.recent_days.to_string(),
                "baseline_days" => e.baseline_days.to_string(),
                "prior_events" => e.prior_events.to_string(),
                "min_recent_events" => e.min_recent_events.to_string(),
                _ => format!("{} (start {})", e.surprise_full, e.surprise_start),
            };
            return bad(name, value, reason);
        }
        for c in [&self.dyad.patron, &self.dyad.target]
            .into_iter()
            .chain(&self.dyad.rivals)
        {
            if CountryCode::new(c).is_err() {
                return bad("country", c.clone(), "expected an ISO3 code");
            }
        }
        Ok(())
    }

    /// Days of history before `from` the series needs.
    fn lookback(&self) -> u64 {
        (self.evidence.recent_days.max(1) + self.evidence.baseline_days.max(2)) as u64
    }
}

/// One suggested factor value on one day.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct DayEvidence {
    /// The factor.
    pub factor: Factor,
    /// The value suggested by the event data, in [0, 1]: a lower bound (see [`merge`]).
    pub value: f64,
    /// Whether it went into the assessment, as the range `[value, 1]` (false when the analyst
    /// coded the factor, or when the value is 0: "no rise" bounds nothing).
    pub used: bool,
}

/// One day of the monitor.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct DayAssessment {
    /// The day.
    pub date: NaiveDate,
    /// Probability of force within the horizon.
    pub probability: f64,
    /// Lower end of the 90% interval.
    pub low: f64,
    /// Upper end of the 90% interval.
    pub high: f64,
    /// The event data's suggestions that day.
    pub evidence: Vec<DayEvidence>,
}

/// Why an alert fired.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum AlertKind {
    /// The probability rose to or above the threshold.
    CrossedAbove,
    /// The probability fell below the threshold.
    CrossedBelow,
    /// The probability moved by more than the jump limit since the day before.
    Jump,
}

/// A change worth an analyst's attention.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Alert {
    /// The day it fired.
    pub date: NaiveDate,
    /// Why.
    pub kind: AlertKind,
    /// The probability the day before.
    pub previous: f64,
    /// The probability that day.
    pub probability: f64,
    /// One line for a human.
    pub message: String,
}

/// The monitor's result.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct MonitorReport {
    /// One assessment per day, oldest first.
    pub series: Vec<DayAssessment>,
    /// Alerts, oldest first.
    pub alerts: Vec<Alert>,
    /// The first day with event data for the dyad's countries, if any.
    pub coverage_start: Option<NaiveDate>,
}

/// A situation with every factor unknown, for monitoring without an analyst's coding.
pub fn blank_situation(dyad: &Dyad, as_of: NaiveDate) -> Result<Situation> {
    let code = |c: &str| {
        CountryCode::new(c).map_err(|_| MonitorError::InvalidOption {
            name: "country",
            value: c.to_string(),
            reason: "expected an ISO3 code",
        })
    };
    Ok(Situation {
        id: format!(
            "monitor-{}-{}",
            dyad.patron.to_lowercase(),
            dyad.target.to_lowercase()
        ),
        title: format!("{} → {} (event monitor)", dyad.patron, dyad.target),
        patron: code(&dyad.patron)?,
        target: code(&dyad.target)?,
        crisis_type: CrisisType::MassProtest,
        as_of,
        horizon_days: DEFAULT_HORIZON_DAYS,
        factors: FactorValues::default(),
        evidence: Vec::new(),
    })
}

/// The factor evidence on day `index` of `series` (see the crate docs for the mapping).
pub fn evidence_on(
    series: &DailySeries,
    index: usize,
    opts: &MonitorOptions,
) -> Vec<(Factor, f64)> {
    let first = series.coverage_start.map_or(usize::MAX, |c| {
        (c - series.start).num_days().max(0) as usize
    });
    if first > index {
        return Vec::new();
    }
    let recent = opts.evidence.recent_days.max(1);
    let have = index + 1 - first;
    if have < recent + opts.min_baseline_days.max(2) {
        return Vec::new();
    }
    let lo = first.max((index + 1).saturating_sub(recent + opts.evidence.baseline_days.max(2)));
    // A family with too little to say has no level (casus-events' rule): its factor stays
    // unknown rather than being read as "no rise".
    let signals: Vec<_> = series
        .counts
        .iter()
        .filter_map(|(f, v)| family_signal(*f, &v[lo..=index], &opts.evidence))
        .collect();
    suggest_factors(&signals)
        .into_iter()
        .filter_map(|e| Factor::from_name(e.factor).map(|f| (f, e.value)))
        .collect()
}

/// Merge the event data's suggestions into the analyst's values: the analyst's coded values
/// (known or a range) win; an unknown factor with a suggestion `v > 0` becomes the range
/// `[v, 1]` ("at least v"); the rest stay unknown.
///
/// A suggestion is a level of *rise over normal*: how sure the event data are that the family
/// rose, not how high the factor stands. A sure rise in armed violence says there is armed
/// violence, at least as much as the level, but not that there is no more; a weak rise is weak
/// evidence of some, never evidence of little. Read as a point value, a weak rise would pin the
/// factor *below* the case base's typical value and so move the risk against the evidence (a
/// rise in violence lowering the risk of force); read as a lower bound, more evidence of a rise
/// never moves the factor down. A level of 0 ("no rise") says nothing about the level either (a
/// state with steady large protests has none), so the factor stays unknown.
pub fn merge(
    analyst: &Situation,
    evidence: &[(Factor, f64)],
    day: NaiveDate,
) -> (Situation, Vec<DayEvidence>) {
    let mut s = analyst.clone();
    s.as_of = day;
    let mut used = Vec::with_capacity(evidence.len());
    for (f, v) in evidence {
        let free = analyst.factors.get(*f).is_unknown();
        let low = Level::saturating(*v);
        let apply = free && low.get() > 0.0;
        if apply {
            let at_least =
                FactorValue::range(low, Level::saturating(1.0)).unwrap_or(FactorValue::Known(low));
            s.factors.set(*f, at_least);
        }
        used.push(DayEvidence {
            factor: *f,
            value: *v,
            used: apply,
        });
    }
    (s, used)
}

/// Alerts over a series: threshold crossings either way and day-on-day jumps.
pub fn alerts(series: &[DayAssessment], threshold: f64, jump: f64) -> Vec<Alert> {
    let mut out = Vec::new();
    for w in series.windows(2) {
        let (a, b) = (&w[0], &w[1]);
        let pct = |p: f64| format!("{:.0}%", p * 100.0);
        let mut push = |kind, message| {
            out.push(Alert {
                date: b.date,
                kind,
                previous: a.probability,
                probability: b.probability,
                message,
            })
        };
        if a.probability < threshold && b.probability >= threshold {
            push(
                AlertKind::CrossedAbove,
                format!(
                    "rose to {} from {}, crossing {}",
                    pct(b.probability),
                    pct(a.probability),
                    pct(threshold)
                ),
            );
        } else if a.probability >= threshold && b.probability < threshold {
            push(
                AlertKind::CrossedBelow,
                format!(
                    "fell to {} from {}, below {}",
                    pct(b.probability),
                    pct(a.probability),
                    pct(threshold)
                ),
            );
        }
        let delta = b.probability - a.probability;
        if delta.abs() > jump {
            push(
                AlertKind::Jump,
                format!(
                    "moved {:+.0} points in a day ({} → {})",
                    delta * 100.0,
                    pct(a.probability),
                    pct(b.probability)
                ),
            );
        }
    }
    out
}

/// Run the monitor: the dyad's daily indicator series over `events_dir`, evidence per day,
/// merged with `analyst` (or a blank situation), assessed with `model`, plus alerts.
pub fn monitor(
    events_dir: &Path,
    model: &FittedModel,
    analyst: Option<&Situation>,
    opts: &MonitorOptions,
) -> Result<MonitorReport> {
    opts.validate()?;
    let start = opts.from - Days::new(opts.lookback());
    let series = daily_series(events_dir, &opts.dyad, start, opts.to)?;
    let base = match analyst {
        Some(s) => s.clone(),
        None => blank_situation(&opts.dyad, opts.from)?,
    };
    let first = (opts.from - start).num_days() as usize;
    let mut out = Vec::new();
    for index in first..series.len() {
        let day = start + Days::new(index as u64);
        let evidence = evidence_on(&series, index, opts);
        let (s, used) = merge(&base, &evidence, day);
        let a = model.assess(
            &s,
            &AssessOptions {
                horizon_days: opts.horizon_days,
                seed: opts.seed,
            },
        );
        out.push(DayAssessment {
            date: day,
            probability: a.probability,
            low: a.interval[0],
            high: a.interval[1],
            evidence: used,
        });
    }
    let alerts = alerts(&out, opts.threshold, opts.jump);
    Ok(MonitorReport {
        series: out,
        alerts,
        coverage_start: series.coverage_start,
    })
}
