//! The model's track record as a report shows it: held-out scores and reliability bins, read from
//! the saved evaluation. The report does not depend on the model crate; the caller fills these in.

use casus_core::metrics::CalibrationBin;

/// The held-out forecasts of one evaluation design.
#[derive(Debug, Clone, PartialEq)]
pub struct ReliabilitySeries {
    /// "leave one crisis out", "forward chaining by decade".
    pub name: String,
    pub n: usize,
    pub brier: f64,
    pub base_rate_brier: f64,
    pub bins: Vec<CalibrationBin>,
}

/// What a reader needs to judge how far to trust the model.
#[derive(Debug, Clone, PartialEq)]
pub struct TrackRecord {
    /// "casus-signed-logit 2".
    pub model: String,
    pub n_crises: usize,
    pub series: Vec<ReliabilitySeries>,
    /// Share of build-ups and threats without force given P >= 50% (forward chaining), with counts.
    pub false_alarms: Option<(usize, usize)>,
}

/// One sentence a reader can take away.
pub(crate) fn summary(tr: &TrackRecord) -> String {
    let mut s = format!(
        "Model {} was scored on {} historical crises, each coded at several decision points, with \
         every forecast made by a fit that never saw the crisis (and, forward in time, never saw a \
         later decade).",
        tr.model, tr.n_crises
    );
    if let Some((alarms, n)) = tr.false_alarms {
        s.push_str(&format!(
            " Of {n} build-ups or threats that ended without force, it put {alarms} at 50% or more."
        ));
    }
    s
}
