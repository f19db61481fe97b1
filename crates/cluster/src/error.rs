//! The crate's one error type.

use std::io;
use std::net::SocketAddr;
use std::path::PathBuf;
use std::time::Duration;

use ballista_core::error::BallistaError;
use casus_events::EventsError;
use casus_events::datafusion::error::DataFusionError;

/// Result alias for this crate.
pub type Result<T, E = ClusterError> = std::result::Result<T, E>;

/// What went wrong while hosting a Ballista node or running a query on a cluster.
#[derive(Debug, thiserror::Error)]
pub enum ClusterError {
    /// A node's tokio runtime could not be built (out of threads or file descriptors).
    #[error("cannot start a tokio runtime for the {node}")]
    Runtime {
        node: &'static str,
        #[source]
        source: io::Error,
    },
    /// A listening socket could not be bound (address in use, not a local address, ...).
    #[error("cannot listen on {addr} for the {node}")]
    Bind {
        node: &'static str,
        addr: SocketAddr,
        #[source]
        source: io::Error,
    },
    /// The executor's working directory (shuffle files) could not be created.
    #[error("cannot create the executor work directory {path}")]
    WorkDir {
        path: PathBuf,
        #[source]
        source: io::Error,
    },
    /// Ballista refused to start a node (bad configuration, scheduler unreachable, ...).
    #[error("the {node} failed to start")]
    Start {
        node: &'static str,
        #[source]
        source: BallistaError,
    },
    /// The executor did not register with its scheduler in time.
    #[error(
        "the executor did not register with the scheduler at {scheduler} within {waited:.1?} \
         (is a scheduler running there, and reachable from this machine?)"
    )]
    NotRegistered {
        scheduler: SocketAddr,
        waited: Duration,
    },
    /// A running node stopped on its own with an error.
    #[error("the {node} stopped")]
    Stopped {
        node: &'static str,
        #[source]
        source: BallistaError,
    },
    /// A running node's task panicked or was cancelled.
    #[error("the {node} task ended abnormally")]
    Join {
        node: &'static str,
        #[source]
        source: tokio::task::JoinError,
    },
    /// A cluster URL that is not `df://HOST:PORT`.
    #[error("bad cluster URL {url:?}: {reason}")]
    Url { url: String, reason: &'static str },
    /// Nothing accepts connections at the cluster URL's address (no scheduler running there,
    /// a wrong host or port, a firewall), or its host name does not resolve.
    #[error("cannot reach a scheduler at {url}")]
    Unreachable {
        url: String,
        #[source]
        source: io::Error,
    },
    /// Planning or running the query on the cluster failed.
    #[error("{context} on the cluster at {url}")]
    Query {
        context: &'static str,
        url: String,
        #[source]
        source: DataFusionError,
    },
    /// The indicator query could not be built or the event table registered (casus-events).
    #[error(transparent)]
    Events(#[from] EventsError),
}

impl ClusterError {
    /// Whether the error comes from something the user gave and can change (an address, a
    /// URL, a path, a port) rather than from a failure inside casus or Ballista. Errors from
    /// casus-events ([`ClusterError::Events`]) are not judged here: ask that error.
    pub fn is_bad_input(&self) -> bool {
        match self {
            ClusterError::Url { .. }
            | ClusterError::Unreachable { .. }
            | ClusterError::Bind { .. }
            | ClusterError::NotRegistered { .. } => true,
            ClusterError::Runtime { .. }
            | ClusterError::WorkDir { .. }
            | ClusterError::Start { .. }
            | ClusterError::Stopped { .. }
            | ClusterError::Join { .. }
            | ClusterError::Query { .. }
            | ClusterError::Events(_) => false,
        }
    }
}
