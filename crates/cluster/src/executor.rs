//! A Ballista executor, hosted in-process: it registers with a scheduler, runs the tasks the
//! scheduler pushes to it, and serves shuffle data and results over Arrow Flight.

use std::net::{IpAddr, Ipv4Addr, SocketAddr, TcpListener};
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::{Duration, Instant};

use ballista_core::config::TaskSchedulingPolicy;
use ballista_core::error::BallistaError;
use ballista_core::serde::protobuf::executor_grpc_client::ExecutorGrpcClient;
use ballista_core::serde::protobuf::scheduler_grpc_client::SchedulerGrpcClient;
use ballista_core::serde::protobuf::{ExecutorStoppedParams, StopExecutorParams};
use ballista_executor::executor_process::{ExecutorProcessConfig, start_executor_process};
use ballista_executor::health::ExecutorHealth;
use tokio::runtime::Runtime;
use tokio::task::JoinHandle;

use crate::error::{ClusterError, Result};
use crate::node;

const NODE: &str = "executor";

/// Ballista's default Arrow Flight port (shuffle data and results).
pub const DEFAULT_FLIGHT_PORT: u16 = 50051;
/// Ballista's default executor gRPC port (tasks pushed by the scheduler).
pub const DEFAULT_GRPC_PORT: u16 = 50052;

/// How to run an executor. Build with [`ExecutorOptions::new`] and adjust with the setters.
#[derive(Debug, Clone)]
pub struct ExecutorOptions {
    /// The scheduler to register with.
    pub scheduler: SocketAddr,
    /// Address to listen on. Default `127.0.0.1`; use the machine's address (or `0.0.0.0`)
    /// when the scheduler or other executors run elsewhere.
    pub bind_host: IpAddr,
    /// Host name or address the scheduler, the other executors and clients use to reach this
    /// executor. Default: the address the scheduler sees the executor connect from.
    pub external_host: Option<String>,
    /// Arrow Flight port. Default [`DEFAULT_FLIGHT_PORT`]; 0 picks a free port.
    pub flight_port: u16,
    /// gRPC port for tasks from the scheduler. Default [`DEFAULT_GRPC_PORT`]; 0 picks a free
    /// port.
    pub grpc_port: u16,
    /// Task slots (tasks run at once). Default: the number of CPUs.
    pub vcores: usize,
    /// Directory for shuffle files. Default: a fresh temporary directory, removed at shutdown.
    pub work_dir: Option<PathBuf>,
    /// How long [`start_executor`] waits for the executor to register with the scheduler
    /// (retrying the connection meanwhile). Default 30 s.
    pub register_timeout: Duration,
}

impl ExecutorOptions {
    /// Options with the defaults stated on each field.
    pub fn new(scheduler: SocketAddr) -> Self {
        ExecutorOptions {
            scheduler,
            bind_host: IpAddr::V4(Ipv4Addr::LOCALHOST),
            external_host: None,
            flight_port: DEFAULT_FLIGHT_PORT,
            grpc_port: DEFAULT_GRPC_PORT,
            vcores: std::thread::available_parallelism().map_or(2, |n| n.get()),
            work_dir: None,
            register_timeout: Duration::from_secs(30),
        }
    }
    /// Listen on `host`.
    pub fn bind_host(mut self, host: IpAddr) -> Self {
        self.bind_host = host;
        self
    }
    /// Advertise `host` to the scheduler, other executors and clients.
    pub fn external_host(mut self, host: impl Into<String>) -> Self {
        self.external_host = Some(host.into());
        self
    }
    /// Use these ports (0 picks a free one).
    pub fn ports(mut self, flight: u16, grpc: u16) -> Self {
        self.flight_port = flight;
        self.grpc_port = grpc;
        self
    }
    /// Run up to `vcores` tasks at once.
    pub fn vcores(mut self, vcores: usize) -> Self {
        self.vcores = vcores.max(1);
        self
    }
    /// Keep shuffle files in `dir`.
    pub fn work_dir(mut self, dir: impl Into<PathBuf>) -> Self {
        self.work_dir = Some(dir.into());
        self
    }
    /// Wait up to `timeout` for registration.
    pub fn register_timeout(mut self, timeout: Duration) -> Self {
        self.register_timeout = timeout;
        self
    }
}

/// A running executor. Stop it with [`ExecutorHandle::shutdown`]; dropping the handle stops it
/// too.
pub struct ExecutorHandle {
    id: String,
    scheduler: SocketAddr,
    flight: SocketAddr,
    grpc: SocketAddr,
    process: Option<JoinHandle<Result<(), BallistaError>>>,
    runtime: Option<Runtime>,
    // Declared after the runtime so that the directory outlives the tasks that write to it.
    _temp_dir: Option<tempfile::TempDir>,
}

impl std::fmt::Debug for ExecutorHandle {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ExecutorHandle")
            .field("id", &self.id)
            .field("scheduler", &self.scheduler)
            .field("flight", &self.flight)
            .field("grpc", &self.grpc)
            .finish_non_exhaustive()
    }
}

/// Two distinct free ports on `host` for the ports given as 0. Given ports are bound once and
/// released, so that an address that is not this machine's, or a port in use, is reported as a
/// [`ClusterError::Bind`] here rather than as a failure deep inside Ballista's start-up.
fn resolve_ports(host: IpAddr, flight: u16, grpc: u16) -> Result<(u16, u16)> {
    let bind = |port: u16| {
        let addr = SocketAddr::new(host, port);
        TcpListener::bind(addr).map_err(|source| ClusterError::Bind {
            node: NODE,
            addr,
            source,
        })
    };
    // Hold both probe listeners until both ports are known, so they differ. The ports are free
    // again once the probes close; another process could take one in between (rare).
    let flight_probe = if flight == 0 { Some(bind(0)?) } else { None };
    let grpc_probe = if grpc == 0 { Some(bind(0)?) } else { None };
    for port in [flight, grpc].into_iter().filter(|p| *p != 0) {
        drop(bind(port)?);
    }
    let port_of = |probe: &Option<TcpListener>, given: u16| match probe {
        Some(l) => l
            .local_addr()
            .map(|a| a.port())
            .map_err(|source| ClusterError::Bind {
                node: NODE,
                addr: SocketAddr::new(host, 0),
                source,
            }),
        None => Ok(given),
    };
    Ok((port_of(&flight_probe, flight)?, port_of(&grpc_probe, grpc)?))
}

/// Start an executor and wait until it has registered with its scheduler.
///
/// Push-based scheduling: the scheduler sends tasks to the executor's gRPC port. Call from
/// synchronous code (the executor runs on a runtime of its own, with `vcores` threads).
///
/// Several executors can run in one process (the test does), but Ballista keeps its
/// "terminating" flag in a process-wide static: once one executor in a process shuts down,
/// the others report themselves as terminating in their heartbeats. Shut them down together.
pub fn start_executor(options: &ExecutorOptions) -> Result<ExecutorHandle> {
    let (flight_port, grpc_port) =
        resolve_ports(options.bind_host, options.flight_port, options.grpc_port)?;
    let (work_dir, temp_dir) = match &options.work_dir {
        Some(dir) => {
            std::fs::create_dir_all(dir).map_err(|source| ClusterError::WorkDir {
                path: dir.clone(),
                source,
            })?;
            (dir.clone(), None)
        }
        None => {
            let tmp = tempfile::Builder::new()
                .prefix("casus-executor-")
                .tempdir()
                .map_err(|source| ClusterError::WorkDir {
                    path: std::env::temp_dir(),
                    source,
                })?;
            (tmp.path().to_path_buf(), Some(tmp))
        }
    };
    let health = ExecutorHealth::new();
    let config = ExecutorProcessConfig {
        bind_host: options.bind_host.to_string(),
        external_host: options.external_host.clone(),
        port: flight_port,
        grpc_port,
        scheduler_host: options.scheduler.ip().to_string(),
        scheduler_port: options.scheduler.port(),
        // Non-zero: retry the connection until it succeeds; our own wait below bounds it.
        scheduler_connect_timeout_seconds: 1,
        vcores: options.vcores.max(1),
        task_scheduling_policy: TaskSchedulingPolicy::PushStaged,
        work_dir: Some(path_string(&work_dir)),
        print_thread_info: false,
        health: health.clone(),
        override_runtime_producer: Some(node::runtime_with_s3(work_dir.clone())),
        ..ExecutorProcessConfig::default()
    };
    let id = config.executor_id.clone();
    let runtime = node::runtime(NODE, options.vcores.max(2))?;
    let process = runtime.spawn(start_executor_process(Arc::new(config)));
    let mut handle = ExecutorHandle {
        id,
        scheduler: options.scheduler,
        flight: SocketAddr::new(options.bind_host, flight_port),
        grpc: SocketAddr::new(options.bind_host, grpc_port),
        process: Some(process),
        runtime: Some(runtime),
        _temp_dir: temp_dir,
    };
    handle.wait_registered(&health, options.register_timeout)?;
    log::info!(
        "casus: Ballista executor {} registered with {} (flight {}, grpc {})",
        handle.id,
        handle.scheduler,
        handle.flight,
        handle.grpc
    );
    Ok(handle)
}

fn path_string(p: &Path) -> String {
    p.to_string_lossy().into_owned()
}

/// A connectable form of a listening address (`0.0.0.0` → `127.0.0.1`).
fn connectable(addr: SocketAddr) -> SocketAddr {
    match addr.ip() {
        IpAddr::V4(ip) if ip.is_unspecified() => {
            SocketAddr::new(IpAddr::V4(Ipv4Addr::LOCALHOST), addr.port())
        }
        IpAddr::V6(ip) if ip.is_unspecified() => {
            SocketAddr::new(IpAddr::V6(std::net::Ipv6Addr::LOCALHOST), addr.port())
        }
        _ => addr,
    }
}

impl ExecutorHandle {
    /// The executor's id as the scheduler knows it.
    pub fn id(&self) -> &str {
        &self.id
    }

    /// The Arrow Flight address (shuffle data and results).
    pub fn flight_addr(&self) -> SocketAddr {
        self.flight
    }

    /// The gRPC address (tasks from the scheduler).
    pub fn grpc_addr(&self) -> SocketAddr {
        self.grpc
    }

    fn wait_registered(&mut self, health: &ExecutorHealth, timeout: Duration) -> Result<()> {
        let (Some(runtime), Some(process)) = (self.runtime.as_ref(), self.process.as_mut()) else {
            return Ok(());
        };
        let scheduler = self.scheduler;
        let start = Instant::now();
        let outcome = runtime.block_on(async {
            loop {
                if health.is_ready() {
                    return Ok(());
                }
                if process.is_finished() {
                    return match process.await {
                        Ok(Ok(())) => Err(ClusterError::NotRegistered {
                            scheduler,
                            waited: start.elapsed(),
                        }),
                        Ok(Err(source)) => Err(ClusterError::Start { node: NODE, source }),
                        Err(source) => Err(ClusterError::Join { node: NODE, source }),
                    };
                }
                if start.elapsed() >= timeout {
                    return Err(ClusterError::NotRegistered {
                        scheduler,
                        waited: start.elapsed(),
                    });
                }
                tokio::time::sleep(Duration::from_millis(50)).await;
            }
        });
        if outcome.is_err() {
            // The task may have completed inside the loop: never poll it again.
            self.process = None;
            if let Some(runtime) = self.runtime.take() {
                node::shutdown(runtime);
            }
        }
        outcome
    }

    /// Run until Ctrl-C (or SIGTERM). Ballista then fences the executor, tells the scheduler,
    /// lets running tasks finish and stops its servers. Returns an error if the executor stops
    /// on its own with one first.
    pub fn run_until_signal(mut self) -> Result<()> {
        let (Some(runtime), Some(process)) = (self.runtime.take(), self.process.take()) else {
            return Ok(());
        };
        let result = runtime.block_on(process);
        node::shutdown(runtime);
        match result {
            Ok(Ok(())) => Ok(()),
            Ok(Err(source)) => Err(ClusterError::Stopped { node: NODE, source }),
            Err(source) => Err(ClusterError::Join { node: NODE, source }),
        }
    }

    /// Stop the executor: tell the scheduler it is gone, ask it to stop its servers, and end
    /// its tasks, waiting a few seconds at most for each step. Removes the temporary work
    /// directory.
    pub fn shutdown(mut self) {
        self.stop();
    }

    fn stop(&mut self) {
        let Some(runtime) = self.runtime.take() else {
            return;
        };
        let process = self.process.take();
        // A graceful stop needs to block on this executor's runtime, which is not possible
        // from inside another runtime; there the runtime is simply dropped in the background.
        if tokio::runtime::Handle::try_current().is_err() {
            let id = self.id.clone();
            let scheduler = connectable(self.scheduler);
            let grpc = connectable(self.grpc);
            runtime.block_on(async move {
                let graceful = async {
                    notify_stopped(&id, scheduler, grpc).await;
                    if let Some(process) = process {
                        let _ = process.await;
                    }
                };
                if tokio::time::timeout(node::SHUTDOWN_WAIT, graceful)
                    .await
                    .is_err()
                {
                    log::warn!("casus: executor {id} did not stop in time; cancelling it");
                }
            });
        }
        node::shutdown(runtime);
        log::info!("casus: Ballista executor {} stopped", self.id);
    }
}

/// Deregister `id` from the scheduler, then ask the executor to stop (best effort: either may
/// already be gone).
async fn notify_stopped(id: &str, scheduler: SocketAddr, grpc: SocketAddr) {
    let reason = "casus: executor shut down".to_string();
    match SchedulerGrpcClient::connect(format!("http://{scheduler}")).await {
        Ok(mut client) => {
            let params = ExecutorStoppedParams {
                executor_id: id.to_string(),
                reason: reason.clone(),
            };
            if let Err(e) = client.executor_stopped(params).await {
                log::debug!("casus: scheduler did not take executor {id}'s stop: {e}");
            }
        }
        Err(e) => log::debug!("casus: scheduler {scheduler} unreachable at shutdown: {e}"),
    }
    match ExecutorGrpcClient::connect(format!("http://{grpc}")).await {
        Ok(mut client) => {
            let params = StopExecutorParams {
                executor_id: id.to_string(),
                reason,
                force: false,
            };
            if let Err(e) = client.stop_executor(params).await {
                log::debug!("casus: executor {id} did not take the stop request: {e}");
            }
        }
        Err(e) => log::debug!("casus: executor {id} unreachable at shutdown: {e}"),
    }
}

impl Drop for ExecutorHandle {
    fn drop(&mut self) {
        self.stop();
    }
}
