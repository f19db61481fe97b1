//! # casus-cluster
//!
//! Apache Ballista hosted inside casus, to compute event indicators on a cluster when the
//! event data outgrow one machine (many months of GDELT). The embedded path in casus-events
//! stays the default; this crate runs the very same SQL on a scheduler and its executors.
//!
//! The main pieces:
//!
//! - [`start_scheduler`] → [`SchedulerHandle`]: a Ballista scheduler on its own tokio runtime,
//!   bound to the given address ([`DEFAULT_SCHEDULER_ADDR`] is `127.0.0.1:50050`; port 0 picks
//!   a free one).
//! - [`start_executor`] with [`ExecutorOptions`] → [`ExecutorHandle`]: an executor that
//!   registers with a scheduler, listening on `127.0.0.1` by default on two ports (Arrow Flight
//!   and gRPC; Ballista's binary adds a third for health probes, which casus does not serve).
//! - Both handles stop with `shutdown()` (or when dropped), or run until Ctrl-C with
//!   `run_until_signal()` (the `casus cluster` commands).
//! - [`indicators_on_cluster`] and [`write_indicators_on_cluster`]: the indicator query of
//!   [`casus_events::indicators_sql`] over a table registered with
//!   [`casus_events::register_events`], sent to a cluster at `df://HOST:PORT`; same rows, same
//!   order, same CSV/Parquet output as [`casus_events::indicators`] and
//!   [`casus_events::write_indicators`].
//! - [`ClusterError`]: the one error type.
//!
//! A whole cluster in one process, as the test runs it:
//!
//! ```no_run
//! use casus_cluster::{ExecutorOptions, indicators_on_cluster, start_executor, start_scheduler};
//! use casus_events::IndicatorQuery;
//! use std::path::Path;
//!
//! let scheduler = start_scheduler("127.0.0.1:0".parse().unwrap())?;
//! let executor = start_executor(&ExecutorOptions::new(scheduler.addr()).ports(0, 0))?;
//! let q = IndicatorQuery::default().sources(&["RUS"]).targets(&["UKR"]);
//! let batches = indicators_on_cluster(&scheduler.url(), Path::new("out/events"), &q)?;
//! println!("{} rows", batches.iter().map(|b| b.num_rows()).sum::<usize>());
//! executor.shutdown();
//! scheduler.shutdown();
//! # Ok::<(), casus_cluster::ClusterError>(())
//! ```
//!
//! All functions here are synchronous and must be called from outside a tokio runtime: each
//! node owns a runtime, so that shutting it down ends every task it started.

mod error;
mod executor;
mod node;
mod query;
mod scheduler;
mod signal;

pub use error::{ClusterError, Result};
pub use executor::{
    DEFAULT_FLIGHT_PORT, DEFAULT_GRPC_PORT, ExecutorHandle, ExecutorOptions, start_executor,
};
pub use query::{CONNECT_TIMEOUT, indicators_on_cluster, write_indicators_on_cluster};
pub use scheduler::{DEFAULT_SCHEDULER_ADDR, SchedulerHandle, start_scheduler};
