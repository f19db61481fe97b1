//! The crate's one error type.

/// Everything that can go wrong in casus-monitor.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum MonitorError {
    /// A monitor option is invalid (an empty date range, a threshold outside [0, 1], ...).
    #[error("invalid monitor option {name}: {value} ({reason})")]
    InvalidOption {
        /// The option.
        name: &'static str,
        /// The value given.
        value: String,
        /// Why it is invalid.
        reason: &'static str,
    },
    /// The indicator query over the event directory failed.
    #[error("cannot compute the indicator series: {source}")]
    Indicators {
        /// The underlying error from casus-events.
        #[from]
        source: casus_events::EventsError,
    },
    /// The indicator query returned a column of an unexpected type.
    #[error("unexpected indicator column {column}: {reason}")]
    Column {
        /// The column name.
        column: &'static str,
        /// What was wrong.
        reason: String,
    },
}

/// Shorthand for results in this crate.
pub type Result<T, E = MonitorError> = std::result::Result<T, E>;
