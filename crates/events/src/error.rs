//! The crate's one error type.

use std::path::PathBuf;

/// Everything that can go wrong in casus-events.
///
/// Rows that cannot be parsed are *not* errors: they are skipped and counted in
/// [`crate::BadRows`]. An error means a whole file, directory or query failed.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum EventsError {
    /// An input file could not be opened or read (including a corrupt gzip stream).
    #[error("cannot read {path}: {source}")]
    Read {
        /// The input file.
        path: PathBuf,
        /// The underlying I/O error.
        source: std::io::Error,
    },
    /// An output file or directory could not be written.
    #[error("cannot write {path}: {source}")]
    Write {
        /// The file or directory being written.
        path: PathBuf,
        /// The underlying I/O error.
        source: std::io::Error,
    },
    /// The output directory exists and overwriting was not asked for.
    #[error("output directory {path} already exists (use overwrite to replace it)")]
    OutputExists {
        /// The existing directory.
        path: PathBuf,
    },
    /// No input files were given.
    #[error("no input files given")]
    NoInputs,
    /// A format name was not recognised.
    #[error("unknown event format {name:?} (expected gdelt1, gdelt2, icews or icews-quad)")]
    UnknownFormat {
        /// The name given.
        name: String,
    },
    /// The format of a file could not be detected from its first line.
    #[error("cannot detect the event format of {path}: {reason}")]
    Detect {
        /// The file.
        path: PathBuf,
        /// Why detection failed.
        reason: String,
    },
    /// A query parameter is invalid (e.g. a country code that is not three letters).
    #[error("invalid query parameter {name}: {value:?} ({reason})")]
    InvalidQuery {
        /// The parameter.
        name: &'static str,
        /// The value given.
        value: String,
        /// Why it is invalid.
        reason: &'static str,
    },
    /// An output file name has an extension other than .csv or .parquet.
    #[error("unsupported output extension for {path} (expected .csv or .parquet)")]
    OutputExtension {
        /// The output path.
        path: PathBuf,
    },
    /// Arrow failed to build or write a batch.
    #[error("arrow error while {context}: {source}")]
    Arrow {
        /// What was being done.
        context: &'static str,
        /// The underlying error.
        source: datafusion::arrow::error::ArrowError,
    },
    /// Parquet failed to encode a file.
    #[error("parquet error writing {path}: {source}")]
    Parquet {
        /// The file being written.
        path: PathBuf,
        /// The underlying error.
        source: datafusion::parquet::errors::ParquetError,
    },
    /// DataFusion failed to plan or run a query.
    #[error("query failed while {context}: {source}")]
    Query {
        /// What was being done.
        context: &'static str,
        /// The underlying error.
        source: Box<datafusion::error::DataFusionError>,
    },
    /// A directory given as imported events is neither one import (with `events/` inside) nor a
    /// folder of imports.
    #[error(
        "{path} is not an imported event directory (it has no events/ folder, nor subfolders \
         that have one): create one with `casus events import`"
    )]
    NotAnEventDir {
        /// The directory given.
        path: PathBuf,
    },
    /// A folder of imports holds what an import stopped part-way left behind (killed, or out of
    /// disk): reading on would count part of a file's events.
    #[error(
        "{path} is an import that did not finish (casus events import was stopped before it \
         completed): remove it, and import that file again if it is missing"
    )]
    InterruptedImport {
        /// The leftover directory.
        path: PathBuf,
    },
    /// The same input file was given twice to one import.
    #[error("{path} is given twice: its events would count twice")]
    InputTwice {
        /// The file.
        path: PathBuf,
    },
    /// Two imports in a folder of imports hold the same input file, whose events would count
    /// twice.
    #[error("{file} is imported twice, in {first} and in {second}: remove one of the two folders")]
    ImportedTwice {
        /// The input file's name.
        file: String,
        /// The first import holding it.
        first: PathBuf,
        /// The second.
        second: PathBuf,
    },
    /// An import's record of its inputs (`import.json`) cannot be read.
    #[error("{path}: not a casus import record ({reason})")]
    BadImportRecord {
        /// The record.
        path: PathBuf,
        /// Why it cannot be read.
        reason: String,
    },
    /// An `s3://` URL that cannot name an event folder.
    #[error("{url} is not a usable S3 location: {reason}")]
    BadS3Url {
        /// The URL given.
        url: String,
        /// What is wrong with it.
        reason: &'static str,
    },
    /// Object storage (S3) refused or failed a request.
    #[error("S3 request for {url} failed: {source}")]
    ObjectStore {
        /// The folder being read or written.
        url: String,
        /// The underlying error.
        source: Box<object_store::Error>,
    },
    /// Something asked of a location that it cannot do (e.g. replacing an import on S3).
    #[error("{path}: {what}")]
    Unsupported {
        /// The location.
        path: PathBuf,
        /// What cannot be done, and what to do instead.
        what: &'static str,
    },
    /// An update list or file could not be fetched or is not what it should be.
    #[error("cannot fetch {url}: {reason}")]
    Fetch {
        /// What was fetched.
        url: String,
        /// Why it failed.
        reason: String,
    },
    /// Another `casus events sync` holds the folder.
    #[error("{path} is held by another casus events sync (its lock file); wait for it to finish")]
    SyncBusy {
        /// The lock file.
        path: PathBuf,
    },
    /// A worker thread panicked.
    #[error("a worker thread panicked during {stage}")]
    WorkerPanicked {
        /// The stage that was running.
        stage: &'static str,
    },
}

/// Shorthand for results in this crate.
pub type Result<T, E = EventsError> = std::result::Result<T, E>;

impl EventsError {
    pub(crate) fn query(context: &'static str, source: datafusion::error::DataFusionError) -> Self {
        EventsError::Query {
            context,
            source: Box::new(source),
        }
    }
}
