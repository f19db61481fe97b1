//! What the handlers share.

use crate::Engine;
use casus_core::{Case, CountryCode, NaiveDate, Situation};
use casus_store::ForecastStore;
use serde::Serialize;
use std::sync::Arc;

/// A daily monitoring series for one dyad (patron, target): one value per metric per day.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Series {
    pub patron: String,
    pub target: String,
    /// Where the numbers come from (e.g. the event data set and its dates).
    pub source: String,
    /// Metric names, in the order of each point's `values`.
    pub metrics: Vec<String>,
    pub points: Vec<SeriesPoint>,
    /// The monitor's alerts over the series, oldest first (announced in `/api/v1/alerts.atom`).
    pub alerts: Vec<SeriesAlert>,
}

/// A monitor alert on one day of a [`Series`].
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct SeriesAlert {
    pub date: NaiveDate,
    /// Why it fired (`crossed_above`, `crossed_below`, `jump`): with the date, its identity.
    pub kind: String,
    /// One line for a human.
    pub message: String,
}

/// One day of a [`Series`].
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct SeriesPoint {
    pub date: NaiveDate,
    pub values: Vec<f64>,
}

/// Where monitoring series come from (casus-events, behind the CLI's `monitor` feature).
pub trait MonitorSource: Send + Sync + 'static {
    /// The series for a dyad, or `None` if there is no data for it.
    fn series(&self, patron: &CountryCode, target: &CountryCode) -> Result<Option<Series>, String>;
}

/// Shared, cheaply cloned state.
#[derive(Clone)]
pub struct AppState {
    pub engine: Arc<Engine>,
    pub store: Arc<dyn ForecastStore>,
    pub cases: Arc<Vec<Case>>,
    pub builtin: Arc<Vec<Situation>>,
    pub token: Option<Arc<str>>,
    /// The `Host` names answered; `None` until the address is known ([`crate::serve`] sets it).
    pub hosts: Option<Arc<crate::HostPolicy>>,
    pub monitor: Option<Arc<dyn MonitorSource>>,
    /// What the health endpoint says about the store (e.g. "sqlite:/path/casus.db").
    pub store_label: Arc<str>,
    pub limits: crate::Limits,
    /// Admission of heavy requests, sized by `limits`.
    pub gate: crate::limits::Gate,
    pub assessments: Arc<crate::limits::AssessmentCache>,
}

impl AppState {
    /// State with the built-in case base and situations.
    pub fn new(engine: Arc<Engine>, store: Arc<dyn ForecastStore>, store_label: &str) -> AppState {
        AppState {
            engine,
            store,
            cases: Arc::new(casus_data::builtin::cases().unwrap_or_default()),
            builtin: Arc::new(casus_data::builtin::situations().unwrap_or_default()),
            token: None,
            hosts: None,
            monitor: None,
            store_label: store_label.into(),
            limits: crate::Limits::default(),
            gate: crate::limits::Gate::new(&crate::Limits::default()),
            assessments: Arc::default(),
        }
    }

    /// Take on at most this much work (see [`crate::Limits`]).
    pub fn with_limits(mut self, limits: crate::Limits) -> AppState {
        self.gate = crate::limits::Gate::new(&limits);
        self.limits = limits;
        self
    }

    /// The assessment of `s`, from the cache when the same model saw the same inputs.
    pub fn assess(&self, s: &Situation) -> casus_core::Assessment {
        let m = self.engine.model_id();
        let key = format!(
            "{}\u{1f}{}\u{1f}{}",
            m.id,
            m.version,
            casus_store::input_hash(s)
        );
        self.assessments.get_or(key, || self.engine.assess(s))
    }

    pub fn with_token(mut self, token: Option<String>) -> AppState {
        self.token = token.map(Into::into);
        self
    }

    /// Answer only the `Host` names of `policy` (see [`crate::HostPolicy::for_addr`]).
    pub fn with_hosts(mut self, policy: crate::HostPolicy) -> AppState {
        self.hosts = Some(Arc::new(policy));
        self
    }

    pub fn with_monitor(mut self, m: Arc<dyn MonitorSource>) -> AppState {
        self.monitor = Some(m);
        self
    }

    pub fn with_situations(mut self, s: Vec<Situation>) -> AppState {
        self.builtin = Arc::new(s);
        self
    }

    pub fn with_cases(mut self, c: Vec<Case>) -> AppState {
        self.cases = Arc::new(c);
        self
    }
}
