//! `casus cluster scheduler|executor`: host a Ballista scheduler or executor until Ctrl-C, to
//! compute event indicators on a cluster (`casus events indicators --cluster df://HOST:PORT`).

use std::net::{IpAddr, SocketAddr, ToSocketAddrs};
use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::Context;
use casus_cluster::{ClusterError, ExecutorOptions, start_executor, start_scheduler};

use crate::output::BadInput;

/// Run a Ballista scheduler or executor (until Ctrl-C) to compute indicators on a cluster.
#[derive(clap::Args)]
pub struct Args {
    #[command(subcommand)]
    node: Node,
}

#[derive(clap::Subcommand)]
enum Node {
    /// Run a scheduler until Ctrl-C. Executors register with it; clients send queries to
    /// df://HOST:PORT.
    Scheduler {
        /// Address to listen on. Default 127.0.0.1:50050, this machine only: give the machine's
        /// address (or 0.0.0.0:50050) to accept executors and clients from other machines.
        /// Port 0 picks a free port.
        #[arg(long, default_value = "127.0.0.1:50050")]
        bind: SocketAddr,
        /// Print one JSON object ({"node", "addr", "url"}) once listening.
        #[arg(long)]
        json: bool,
    },
    /// Run an executor until Ctrl-C. It needs the event Parquet at the same path as the client
    /// and the scheduler (a shared file system).
    Executor {
        /// The scheduler, HOST:PORT (e.g. 10.0.0.5:50050 or sched.local:50050).
        #[arg(long)]
        scheduler: String,
        /// Address to listen on. Default 127.0.0.1, this machine only: give the machine's
        /// address (or 0.0.0.0) when the scheduler or other executors run elsewhere.
        #[arg(long, default_value = "127.0.0.1")]
        bind: IpAddr,
        /// Arrow Flight port (shuffle data and results). Default 50051; 0 picks a free port.
        #[arg(long, default_value_t = casus_cluster::DEFAULT_FLIGHT_PORT)]
        port: u16,
        /// gRPC port (tasks from the scheduler). Default: --port + 1 (50052); 0 when --port
        /// is 0.
        #[arg(long)]
        grpc_port: Option<u16>,
        /// Host name or address that the scheduler, other executors and clients use to reach
        /// this executor. Default: the address the scheduler sees it connect from.
        #[arg(long)]
        external_host: Option<String>,
        /// Tasks run at once. Default: the number of CPUs.
        #[arg(long)]
        vcores: Option<usize>,
        /// Directory for shuffle files. Default: a temporary directory, removed on exit.
        #[arg(long)]
        work_dir: Option<PathBuf>,
        /// Seconds to wait for the scheduler before giving up. Default 30.
        #[arg(long, default_value_t = 30)]
        wait: u64,
        /// Print one JSON object ({"node", "id", "scheduler", "flight", "grpc"}) once
        /// registered.
        #[arg(long)]
        json: bool,
    },
}

/// The nodes are network servers: `main` leaves SIGPIPE ignored for them (see `Command::is_service`).
pub fn run(args: Args) -> anyhow::Result<ExitCode> {
    match args.node {
        Node::Scheduler { bind, json } => {
            let scheduler = start_scheduler(bind)
                .map_err(classify)
                .with_context(|| format!("cannot start a scheduler on {bind}"))?;
            if json {
                crate::output::print_json(&serde_json::json!({
                    "node": "scheduler",
                    "addr": scheduler.addr().to_string(),
                    "url": scheduler.url(),
                }))?;
            } else {
                println!(
                    "Ballista scheduler listening on {addr}. Start executors with \
                     `casus cluster executor --scheduler {addr}`, send queries with \
                     `--cluster {url}`. Ctrl-C stops it.",
                    addr = scheduler.addr(),
                    url = scheduler.url()
                );
            }
            scheduler.run_until_signal().map_err(classify)?;
            Ok(ExitCode::SUCCESS)
        }
        Node::Executor {
            scheduler,
            bind,
            port,
            grpc_port,
            external_host,
            vcores,
            work_dir,
            wait,
            json,
        } => {
            let scheduler_addr = resolve(&scheduler)?;
            let grpc_port = match (grpc_port, port) {
                (Some(p), _) => p,
                (None, 0) => 0,
                (None, p) => p.checked_add(1).ok_or_else(|| {
                    BadInput(format!(
                        "--port {p} leaves no room for the gRPC port; set --grpc-port"
                    ))
                })?,
            };
            let mut options = ExecutorOptions::new(scheduler_addr)
                .bind_host(bind)
                .ports(port, grpc_port)
                .register_timeout(std::time::Duration::from_secs(wait));
            if let Some(host) = external_host {
                options = options.external_host(host);
            }
            if let Some(n) = vcores {
                options = options.vcores(n);
            }
            let own_dir = work_dir.is_some();
            if let Some(dir) = work_dir {
                options = options.work_dir(dir);
            }
            let executor = start_executor(&options)
                .map_err(|e| match e {
                    // A --work-dir the user gave; a temporary directory failing is ours.
                    ClusterError::WorkDir { .. } if own_dir => bad_input(&e),
                    e => classify(e),
                })
                .with_context(|| {
                    format!("cannot start an executor for the scheduler at {scheduler}")
                })?;
            if json {
                crate::output::print_json(&serde_json::json!({
                    "node": "executor",
                    "id": executor.id(),
                    "scheduler": scheduler_addr.to_string(),
                    "flight": executor.flight_addr().to_string(),
                    "grpc": executor.grpc_addr().to_string(),
                }))?;
            } else {
                println!(
                    "Ballista executor {} registered with the scheduler at {scheduler_addr} \
                     (flight {}, grpc {}). Ctrl-C stops it.",
                    executor.id(),
                    executor.flight_addr(),
                    executor.grpc_addr()
                );
            }
            executor.run_until_signal().map_err(classify)?;
            Ok(ExitCode::SUCCESS)
        }
    }
}

/// `HOST:PORT` → the first address it resolves to.
fn resolve(hostport: &str) -> anyhow::Result<SocketAddr> {
    let mut addrs = hostport
        .to_socket_addrs()
        .map_err(|e| BadInput(format!("--scheduler {hostport:?} is not a HOST:PORT: {e}")))?;
    addrs
        .next()
        .ok_or_else(|| BadInput(format!("--scheduler {hostport:?} resolves to no address")).into())
}

/// Cluster errors the user can fix (a malformed `--cluster` URL, an address that cannot be
/// bound, a scheduler that is not there) exit 2 with their causes on one line; failures inside
/// casus or Ballista exit 1.
pub fn classify(e: ClusterError) -> anyhow::Error {
    match e {
        ClusterError::Events(e) => super::events::classify(e),
        e if e.is_bad_input() => bad_input(&e),
        e => anyhow::Error::new(e),
    }
}

/// `e` and its causes on one line, as bad input (exit 2).
fn bad_input(e: &dyn std::error::Error) -> anyhow::Error {
    let mut line = e.to_string();
    let mut source = e.source();
    while let Some(cause) = source {
        line.push_str(": ");
        line.push_str(&cause.to_string());
        source = cause.source();
    }
    BadInput(line).into()
}
