//! The one error type of casus-store.

/// An error storing, reading, importing or scoring forecasts.
#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    /// The database could not be opened, read or written.
    #[error("forecast store: {op}: {source}")]
    Sqlite {
        op: &'static str,
        #[source]
        source: rusqlite::Error,
    },
    /// No forecast has this id.
    #[error("no forecast with id {id}")]
    NotFound { id: i64 },
    /// The forecast already has an outcome; outcomes are never overwritten.
    #[error("forecast {id} is already resolved (outcome {outcome})")]
    AlreadyResolved { id: i64, outcome: u8 },
    /// A field of a forecast is out of range or malformed.
    #[error("invalid forecast: `{field}` {message}")]
    Invalid {
        field: &'static str,
        message: String,
    },
    /// The database was written by a newer casus.
    #[error(
        "the forecast store has schema version {found}, newer than this casus knows ({known}); upgrade casus"
    )]
    SchemaTooNew { found: i64, known: i64 },
    /// A line of a crowd series could not be read.
    #[error("{origin}:{line}: {message}")]
    Import {
        origin: String,
        line: usize,
        message: String,
    },
}

impl StoreError {
    pub(crate) fn sql(op: &'static str) -> impl FnOnce(rusqlite::Error) -> StoreError {
        move |source| StoreError::Sqlite { op, source }
    }

    /// True for errors a user caused with what they gave (bad id, bad value, bad file), as opposed to
    /// a failure of the store itself.
    pub fn is_user_error(&self) -> bool {
        !matches!(
            self,
            StoreError::Sqlite { .. } | StoreError::SchemaTooNew { .. }
        )
    }
}
