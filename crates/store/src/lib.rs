//! The casus forecast store: every forecast casus (or an external crowd) made, how it resolved, and
//! how well each source scored.
//!
//! The main types are [`NewForecast`] (what a caller records), [`Forecast`] (a stored record with its
//! id and, once known, its [`Resolution`]), the [`ForecastStore`] trait, and its embedded
//! implementation [`SqliteStore`]. Scoring ([`score`], [`Scores`]) is a pure function of stored
//! forecasts; [`import_series`] reads a Metaculus-style crowd series.
//!
//! ```
//! use casus_store::{ForecastStore, NewForecast, SqliteStore, Source, score};
//! let store = SqliteStore::open_in_memory().unwrap();
//! let mut f = NewForecast::new("Will Russia use force in Belarus within a year?", 0.08, Source::casus());
//! f.question_key = Some("metaculus:1688".into());
//! let id = store.record(&f).unwrap().id;
//! store.resolve(id, false, chrono::Utc::now()).unwrap();
//! let scores = score(&store.list(&Default::default()).unwrap());
//! let casus = scores.source("casus").unwrap();
//! assert!((casus.brier.unwrap() - 0.0064).abs() < 1e-12);
//! ```
//!
//! A stored forecast is append-only: its probability and date never change, an outcome is added
//! once, and nothing is deleted (enforced by triggers in the database). [`export_jsonl`] and
//! [`ForecastStore::restore`] back a track record up and move it, exactly.
//!
//! Durability: the SQLite file runs in WAL mode with `synchronous=FULL`, so a forecast whose
//! `record` call returned is on disk, and survives a `kill -9` of the process (and a power cut).

mod backup;
mod error;
mod forecast;
mod import;
mod scoring;
mod situations;
mod sqlite;

pub use backup::{Backup, export_jsonl, parse_export};
pub use error::StoreError;
pub use forecast::{Forecast, ListQuery, NewForecast, Resolution, Source, input_hash};
pub use import::{ImportSummary, import_series, parse_series};
pub use scoring::{PairedScores, Scores, SourceScores, TimelinePoint, score};
pub use situations::{SituationStore, StoredSituation};
pub use sqlite::{SCHEMA_VERSION, SqliteStore};

/// Where forecasts (and, through [`SituationStore`], uploaded situations) live. The server and the
/// CLI hold a `dyn ForecastStore`; [`SqliteStore`] is the implementation they use.
pub trait ForecastStore: SituationStore + Send + Sync {
    /// Store a forecast. When this returns `Ok`, the forecast is durable.
    fn record(&self, f: &NewForecast) -> Result<Forecast, StoreError>;
    /// Store many forecasts in one transaction; rows already present (same source, question key and
    /// time) are skipped. Returns how many were new.
    fn record_batch(&self, fs: &[NewForecast]) -> Result<usize, StoreError>;
    /// One forecast by id.
    fn get(&self, id: i64) -> Result<Forecast, StoreError>;
    /// Forecasts matching `q`, oldest first.
    fn list(&self, q: &ListQuery) -> Result<Vec<Forecast>, StoreError>;
    /// Record the outcome of one forecast (true: force was used / the question resolved Yes).
    fn resolve(
        &self,
        id: i64,
        outcome: bool,
        at: chrono::DateTime<chrono::Utc>,
    ) -> Result<Forecast, StoreError>;
    /// Resolve every unresolved forecast on one question, casus's and the crowd's alike.
    fn resolve_question(
        &self,
        question_key: &str,
        outcome: bool,
        at: chrono::DateTime<chrono::Utc>,
    ) -> Result<usize, StoreError>;
    /// Restore an exported track record ([`export_jsonl`]) into this store, which must be empty:
    /// every forecast keeps its id, date, outcome and `imported` mark, every situation version
    /// its TOML, dates and deletion. One transaction. Returns the number of forecasts.
    fn restore(&self, backup: &Backup) -> Result<usize, StoreError>;
}
