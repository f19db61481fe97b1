//! Domain types for casus: the eighteen [`Factor`]s of the theory, [`FactorValue`]s that may be
//! known, uncertain or unknown, [`Situation`]s to assess, historical [`Case`]s with their
//! [`Outcome`], and the [`Assessment`] a model returns.
//!
//! This crate holds no I/O, storage or HTTP types, except [`write_atomic`], the one way every
//! crate writes a file; reading files lives in `casus-data`, fitting and
//! predicting in `casus-model`. Forecast [`metrics`] (Brier, log loss, AUC, calibration) live here
//! because the model's evaluation, the track record and the reports all score forecasts the same way.
//!
//! ```
//! use casus_core::{Factor, FactorValue, convert_horizon};
//! let v = FactorValue::known(0.5).unwrap();
//! assert_eq!(Factor::ProtestScale.describe(v.point().unwrap()), "large");
//! // A 40% chance within a year is about 12% within 90 days at a constant hazard.
//! assert!((convert_horizon(0.4, 365, 90) - 0.118).abs() < 0.001);
//! ```

mod atomic;
mod factor;
pub mod history;
pub mod metrics;
mod probability;
pub mod sensitivity;
mod situation;
mod value;
mod words;

pub use atomic::{AtomicFile, write_atomic};
pub use chrono::NaiveDate;
pub use factor::{Factor, Group, Sign};
pub use history::{BandMove, Changes, FactorChange, History, HistoryPoint, VersionInput};
pub use probability::{
    Assessment, Driver, ModelId, Probability, ProbabilityError, Role, convert_horizon,
};
pub use situation::{
    Case, CountryCode, CountryCodeError, CrisisType, DEFAULT_HORIZON_DAYS, Direction, Evidence,
    HistoryEntry, LeadTime, Outcome, Response, Situation, Snapshot, SnapshotRef, Special,
};
pub use value::{FactorMap, FactorValue, FactorValues, Level, LevelError, RangeError};
pub use words::{Band, ESTIMATIVE_SCALE, country_name, estimative_band, percent};
