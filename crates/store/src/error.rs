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
    /// The disk holding the database is full; the write was rolled back, nothing stored is lost.
    #[error(
        "forecast store: {op}: the disk is full; nothing was written and every forecast already \
         acknowledged is intact; free some space and try again"
    )]
    DiskFull { op: &'static str },
    /// The database file or its directory cannot be written.
    #[error(
        "forecast store: {op}: the database is read-only (check the permissions of the file, of \
         its -wal and -shm files and of their directory, and that the disk is mounted read-write)"
    )]
    ReadOnly { op: &'static str },
    /// SQLite could not open the file, or create its `-wal` and `-shm` files beside it.
    #[error(
        "forecast store: {op}: cannot open the database file (does its directory exist, and may \
         casus create files in it?)"
    )]
    CannotOpen { op: &'static str },
    /// The file is not an SQLite database, or its pages fail SQLite's integrity check.
    #[error(
        "forecast store: {op}: the database file is corrupt or not a casus forecast store \
         ({detail}); move it aside and restore a backup with `casus forecast restore`"
    )]
    Corrupt { op: &'static str, detail: String },
    /// A forecast of the same source, question and instant is already stored (a crowd forecast
    /// imported twice); the store keeps one point per source, question and time.
    #[error(
        "a forecast by `{source_name}` for question `{question_key}` dated {created_at} is already \
         stored"
    )]
    Duplicate {
        source_name: String,
        question_key: String,
        created_at: String,
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
    /// A forecast would be dated after its question resolved.
    #[error(
        "a forecast on `{question_key}` made at {created_at} comes after the question resolved at \
         {resolved_at}; a forecast must be made before the outcome is known"
    )]
    AfterResolution {
        question_key: String,
        created_at: String,
        resolved_at: String,
    },
    /// A resolution dated before its forecast was made, or in the future.
    #[error("forecast {id} cannot resolve at {resolved_at}: {why}")]
    BadResolutionTime {
        id: i64,
        resolved_at: String,
        why: &'static str,
    },
    /// A track record is restored into an empty store only, never merged into another.
    #[error(
        "restoring an export needs an empty forecast store, and this one holds {count} forecasts or uploaded situation versions; \
         restore into a new --db file"
    )]
    NotEmpty { count: i64 },
    /// An export could not be written.
    #[error("cannot write the export: {message}")]
    Export { message: String },
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
    /// The error for a failed SQLite call doing `op`: a full disk, a read-only or a corrupt
    /// database get their own variants, so the message says what to do.
    pub(crate) fn sql(op: &'static str) -> impl FnOnce(rusqlite::Error) -> StoreError {
        use rusqlite::ErrorCode as C;
        move |source| match source.sqlite_error_code() {
            Some(C::DiskFull) => StoreError::DiskFull { op },
            Some(C::ReadOnly) => StoreError::ReadOnly { op },
            Some(C::CannotOpen) => StoreError::CannotOpen { op },
            Some(C::NotADatabase | C::DatabaseCorrupt) => StoreError::Corrupt {
                op,
                detail: source.to_string(),
            },
            _ => StoreError::Sqlite { op, source },
        }
    }

    /// True for errors a user caused with what they gave (bad id, bad value, bad file), as opposed to
    /// a failure of the store itself.
    pub fn is_user_error(&self) -> bool {
        !matches!(
            self,
            StoreError::Sqlite { .. }
                | StoreError::SchemaTooNew { .. }
                | StoreError::DiskFull { .. }
                | StoreError::ReadOnly { .. }
                | StoreError::CannotOpen { .. }
                | StoreError::Corrupt { .. }
                | StoreError::Export { .. }
        )
    }
}
