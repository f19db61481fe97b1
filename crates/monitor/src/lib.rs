//! # casus-monitor
//!
//! The daily risk monitor: for a patron → target dyad and a date range, the event data's daily
//! indicator series, turned into factor evidence per day, merged with an analyst's situation,
//! assessed by the fitted model day by day, with alerts.
//!
//! The main pieces:
//!
//! - [`MonitorOptions`] (dyad, dates, windows, alert levels) → [`monitor`] → [`MonitorReport`]:
//!   one [`DayAssessment`] per day (`date`, `probability`, `low`, `high`, the evidence used) and
//!   the [`Alert`]s.
//! - [`daily_series`]: the dyad's [`DailySeries`], from casus-events' one indicator SQL run in
//!   DataFusion over the month-partitioned Parquet.
//! - [`evidence_on`], [`merge`], [`alerts`]: the three steps after it, each usable alone.
//!
//! ## From events to factor values
//!
//! 1. **Series.** One indicator query (`casus_events::indicators`) covers the range plus a
//!    look-back of `recent_days + baseline_days` (7 + 90 by default), keeping events whose
//!    target is the patron, the target or a rival. Each family is then counted on the dyad the
//!    theory reads it on ([`Dyad::reads`]):
//!
//!    | family | counted on |
//!    |---|---|
//!    | protest, repression, armed_violence, mass_violence | target → target (and unattributed → target): events inside the state in crisis |
//!    | force_posture | patron → target and patron → patron (exercises at home) |
//!    | threat | patron → target, and patron → rivals when a rival bloc is given (threats to the target's partners) |
//!    | accusation | patron → rivals; with no rival bloc given, patron → target (the patron's talk of foreign meddling is mostly aimed at the target's government) |
//!    | rival_support | rivals → target; with no rival bloc given, any third country → target |
//!    | cooperation | not used (it suggests no factor) |
//!
//! 2. **Surprise.** For each day, each family's last `recent_days` (default 7) are compared
//!    with the trailing `baseline_days` (default 90) before them by
//!    `casus_events::family_signal`: the probability of at least the window's count under a
//!    negative binomial whose mean and dispersion come from the baseline (half an event of
//!    prior, so an empty baseline is not a zero rate; dispersion measured on the baseline's own
//!    7-day sums, floored at Poisson), as a surprise `s = −log10 p`, and
//!    `level = clamp((s − 1) / 3, 0, 1)`: level 0 for anything one week in ten would show by
//!    chance, level 1 at `p = 10⁻⁴`. The same rule works on a sparse ICEWS sample (four events
//!    after ninety empty days is a full signal) and on dense GDELT (a busy week that the
//!    baseline's own swings explain is not). A family whose window holds fewer than
//!    `min_recent_events` (default 3) events, against a baseline that expected fewer than
//!    that, gives *no* evidence: its factor stays unknown rather than being set to 0. A quiet
//!    week against a busy baseline is a known 0 ("no rise"). casus-events' module docs give the
//!    reasons for each parameter. The baseline never reaches back before the first day with
//!    data for the dyad's countries (days before it are "no data", not quiet days); a day with
//!    fewer than `min_baseline_days` (default 14) of baseline gets no evidence at all.
//!
//! 3. **Factors.** `casus_events::suggest_factors` maps levels to docs/theory.md's factors:
//!    `protest_scale` = protest; `repression_failed` = min(repression, protest);
//!    `military_signals` = max(force_posture, threat, accusation / 2); `rival_support`,
//!    `mass_killings`, `armed_violence` = their family's level.
//!
//! 4. **Merge.** The analyst's situation (`--situation`), or a blank one with every factor
//!    unknown, is the base: a factor the analyst coded (known or a range) keeps the analyst's
//!    value; an unknown factor with evidence takes the suggested level as a known value; a factor
//!    with neither stays unknown and the model integrates over it. `as_of` is set to each day.
//!
//! 5. **Alerts.** A day whose probability crosses `threshold` (default 0.5) either way, and a day
//!    whose probability moved more than `jump` (default 0.15) since the day before.
//!
//! Levels are rises over normal, not absolute scales: a state with constant large protests
//! scores 0, so the monitor is a change detector to read next to the analyst's coding.
//!
//! ```no_run
//! use casus_monitor::{MonitorOptions, monitor};
//! use chrono::NaiveDate;
//! use std::path::Path;
//!
//! let model = casus_model::FittedModel::from_json(casus_data::builtin::model_json().unwrap())?;
//! let day = |m, d| NaiveDate::from_ymd_opt(2014, m, d).unwrap();
//! let opts = MonitorOptions::new("RUS", "UKR", day(1, 1), day(4, 30));
//! let report = monitor(Path::new("out/events"), &model, None, &opts)?;
//! for d in &report.series {
//!     println!("{} {:.2} [{:.2}, {:.2}]", d.date, d.probability, d.low, d.high);
//! }
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```

mod error;
mod monitor;
mod series;

pub use error::{MonitorError, Result};
pub use monitor::{
    Alert, AlertKind, DayAssessment, DayEvidence, MonitorOptions, MonitorReport, alerts,
    blank_situation, evidence_on, merge, monitor,
};
pub use series::{DailySeries, Dyad, daily_series};

#[cfg(test)]
mod tests;
