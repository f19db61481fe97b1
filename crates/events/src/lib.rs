//! # casus-events
//!
//! Event data (GDELT 1.0/2.0, ICEWS) → normalised Parquet → dyad-day indicators → suggested
//! evidence for the theory's factors. DataFusion lives in this crate only.
//!
//! The main pieces:
//!
//! - [`Format`]: the four input layouts, [`Format::detect`] to guess one.
//! - [`import`] with [`ImportOptions`] → [`ImportReport`]: streaming, parallel import of plain or
//!   gzip files into `out_dir/events/month=YYYY-MM/part-*.parquet` (schema [`event_schema`]),
//!   with the dyad-day rollup of the same pass in `out_dir/dyad_days/` (schema
//!   [`dyad_day_schema`]); bad rows are skipped and reported per file ([`BadRows`]).
//! - [`indicators`] and [`write_indicators`] with an [`IndicatorQuery`]: counts, mentions and
//!   Goldstein sums per date, source country, target country and [`Family`], by
//!   [`dyad_days_sql`] over the rollup or [`indicators_sql`] over the events (the query a
//!   Ballista cluster runs); [`register_indicator_source`] picks one. Every function taking an
//!   event directory accepts one import or a folder of imports ([`check_event_dir`]), on disk or
//!   at `s3://bucket/prefix` (credentials from the `AWS_*` environment variables; contexts built
//!   with [`EnvObjectStoreRegistry`] read S3 without further setup).
//! - [`sync_gdelt2`] with [`SyncOptions`] → [`SyncReport`]: follow GDELT 2.0's 15-minute
//!   exports, downloading, checking and importing into a folder of imports what it lacks.
//! - [`family_signal`] and [`suggest_factors`]: how surprising a recent window's count is under
//!   a negative binomial fitted to the trailing baseline (for sparse and dense data alike), and
//!   the mapping to factor values (`protest_scale`, `military_signals`, ...), for the monitor.
//! - [`generate_gdelt1`]: large synthetic GDELT 1.0 files for benchmarks.
//! - [`codebook`]: the project's own CAMEO codebook and country tables.
//!
//! ```no_run
//! use casus_events::{import, write_indicators, Format, ImportOptions, IndicatorQuery};
//! use std::path::{Path, PathBuf};
//!
//! let report = import(
//!     Format::Gdelt1,
//!     &[PathBuf::from("20140301.export.CSV.gz")],
//!     Path::new("out/events"),
//!     &ImportOptions::default(),
//! )?;
//! println!("{} rows, {} bad", report.rows_written, report.rows_bad);
//! let q = IndicatorQuery::default().sources(&["RUS"]).targets(&["UKR"]);
//! write_indicators(Path::new("out/events"), &q, Path::new("out/rus_ukr.csv"))?;
//! # Ok::<(), casus_events::EventsError>(())
//! ```

pub mod codebook;
mod collection;
mod error;
mod evidence;
mod family;
mod fetch;
mod format;
mod generate;
mod import;
mod indicators;
mod input;
mod parse;
mod rollup;
mod s3;
mod schema;
mod sync;

pub use error::{EventsError, Result};
pub use evidence::{EvidenceParams, FactorEvidence, FamilySignal, family_signal, suggest_factors};
pub use format::Format;
pub use generate::{GenerateOptions, GenerateReport, generate_gdelt1};
pub use import::{
    FileReport, ImportOptions, ImportReport, ParquetCompression, Progress, ProgressFn, import,
};
pub use indicators::check_event_dir;
pub use indicators::{
    DYAD_DAYS_TABLE, EVENTS_TABLE, Family, IndicatorQuery, check_output_path, dyad_days_sql,
    family_case_sql, indicators, indicators_sql, register_events, register_indicator_source,
    write_dataframe, write_indicators,
};
pub use parse::{BadRow, BadRowKind, BadRows, ParsedBytes, parse_bytes};
pub use rollup::dyad_day_schema;
pub use s3::EnvObjectStoreRegistry;
pub use schema::{col, event_schema};
pub use sync::{
    GDELT2_BASE_URL, Rejected, SyncEvent, SyncOptions, SyncProgressFn, SyncReport, parse_sync_time,
    sync_gdelt2,
};

/// Re-export of the DataFusion version this crate is built with (for Ballista users and tests).
pub use datafusion;
