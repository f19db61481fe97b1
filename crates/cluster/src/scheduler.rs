//! The Ballista scheduler, hosted in-process: it plans queries into stages and hands tasks to
//! the executors that register with it.

use std::net::SocketAddr;
use std::sync::Arc;

use ballista_core::error::BallistaError;
use ballista_scheduler::cluster::BallistaCluster;
use ballista_scheduler::config::SchedulerConfig;
use ballista_scheduler::scheduler_process::{create_scheduler, start_grpc_service_with_listener};
use datafusion_proto::protobuf::{LogicalPlanNode, PhysicalPlanNode};
use tokio::runtime::Runtime;
use tokio::task::JoinHandle;

use crate::error::{ClusterError, Result};
use crate::node;

const NODE: &str = "scheduler";

/// The scheduler's default address: loopback only, Ballista's usual port. To serve other
/// machines, bind a reachable address explicitly (and firewall it: the scheduler has no
/// authentication).
pub const DEFAULT_SCHEDULER_ADDR: SocketAddr =
    SocketAddr::new(std::net::IpAddr::V4(std::net::Ipv4Addr::LOCALHOST), 50050);

/// Threads of the scheduler's runtime: it plans and dispatches, the executors do the work.
const SCHEDULER_THREADS: usize = 2;

/// A running scheduler. Stop it with [`SchedulerHandle::shutdown`]; dropping the handle stops
/// it too.
pub struct SchedulerHandle {
    addr: SocketAddr,
    server: Option<JoinHandle<Result<(), BallistaError>>>,
    runtime: Option<Runtime>,
}

impl std::fmt::Debug for SchedulerHandle {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("SchedulerHandle")
            .field("addr", &self.addr)
            .finish_non_exhaustive()
    }
}

/// Start a scheduler listening on `bind` (port 0 picks a free port; see
/// [`SchedulerHandle::addr`]). It keeps its job state in memory and pushes tasks to executors.
///
/// Returns once the port is bound, so clients and executors can connect right away. Call from
/// synchronous code (the scheduler runs on a runtime of its own).
pub fn start_scheduler(bind: SocketAddr) -> Result<SchedulerHandle> {
    let runtime = node::runtime(NODE, SCHEDULER_THREADS)?;
    let (addr, server) = runtime.block_on(async {
        let listener = tokio::net::TcpListener::bind(bind)
            .await
            .map_err(|source| ClusterError::Bind {
                node: NODE,
                addr: bind,
                source,
            })?;
        let addr = listener.local_addr().map_err(|source| ClusterError::Bind {
            node: NODE,
            addr: bind,
            source,
        })?;
        let config = SchedulerConfig {
            bind_host: addr.ip().to_string(),
            bind_port: addr.port(),
            external_host: if addr.ip().is_unspecified() {
                "localhost".to_string()
            } else {
                addr.ip().to_string()
            },
            override_session_builder: Some(Arc::new(node::session_with_s3)),
            ..SchedulerConfig::default()
        };
        let start = |source| ClusterError::Start { node: NODE, source };
        config.validate().map_err(start)?;
        let cluster = BallistaCluster::new_from_config(&config)
            .await
            .map_err(start)?;
        let scheduler =
            create_scheduler::<LogicalPlanNode, PhysicalPlanNode>(cluster, Arc::new(config))
                .await
                .map_err(start)?;
        log::info!("casus: Ballista scheduler listening on {addr}");
        let server = tokio::spawn(start_grpc_service_with_listener(listener, scheduler));
        Ok::<_, ClusterError>((addr, server))
    })?;
    Ok(SchedulerHandle {
        addr,
        server: Some(server),
        runtime: Some(runtime),
    })
}

impl SchedulerHandle {
    /// The address the scheduler listens on (with the real port when bound to port 0).
    pub fn addr(&self) -> SocketAddr {
        self.addr
    }

    /// The URL clients use: `df://HOST:PORT`.
    pub fn url(&self) -> String {
        format!("df://{}", self.addr)
    }

    /// Run until Ctrl-C (or SIGTERM), then shut down. Returns an error if the scheduler stops
    /// on its own first.
    pub fn run_until_signal(mut self) -> Result<()> {
        let (Some(runtime), Some(server)) = (self.runtime.as_ref(), self.server.as_mut()) else {
            return Ok(());
        };
        let stopped = runtime.block_on(async {
            tokio::select! {
                res = server => Some(res),
                _ = crate::signal::interrupted() => None,
            }
        });
        self.server = None;
        self.shutdown();
        match stopped {
            None | Some(Ok(Ok(()))) => Ok(()),
            Some(Ok(Err(source))) => Err(ClusterError::Stopped { node: NODE, source }),
            Some(Err(source)) => Err(ClusterError::Join { node: NODE, source }),
        }
    }

    /// Stop the scheduler: close its port and end its tasks, waiting a few seconds at most.
    pub fn shutdown(mut self) {
        self.stop();
    }

    fn stop(&mut self) {
        if let Some(server) = self.server.take() {
            server.abort();
        }
        if let Some(runtime) = self.runtime.take() {
            node::shutdown(runtime);
            log::info!("casus: Ballista scheduler on {} stopped", self.addr);
        }
    }
}

impl Drop for SchedulerHandle {
    fn drop(&mut self) {
        self.stop();
    }
}
