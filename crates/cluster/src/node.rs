//! What the scheduler and executor handles share: a tokio runtime per node, so that shutting a
//! node down ends every task it spawned (servers, heartbeats, event loops), and the wait for
//! Ctrl-C.

use std::sync::Arc;
use std::time::Duration;

use tokio::runtime::Runtime;

use crate::error::{ClusterError, Result};

/// Stack size of a node's threads. Ballista's own binaries use 32 MiB: plan (de)serialisation
/// recurses once per expression level. 16 MiB of address space per thread is plenty for the
/// indicator query and costs no memory until used.
const STACK_BYTES: usize = 16 * 1024 * 1024;

/// How long [`shutdown`] waits for a node's tasks to stop after cancelling them.
pub(crate) const SHUTDOWN_WAIT: Duration = Duration::from_secs(5);

/// A multi-threaded runtime named after its node.
pub(crate) fn runtime(node: &'static str, threads: usize) -> Result<Runtime> {
    tokio::runtime::Builder::new_multi_thread()
        .worker_threads(threads.max(1))
        .thread_name(format!("casus-{node}"))
        .thread_stack_size(STACK_BYTES)
        .enable_all()
        .build()
        .map_err(|source| ClusterError::Runtime { node, source })
}

/// Stop a runtime: cancel its tasks and wait up to [`SHUTDOWN_WAIT`] for them. Never blocks
/// when called from inside another runtime (then the runtime is released in the background).
pub(crate) fn shutdown(runtime: Runtime) {
    if tokio::runtime::Handle::try_current().is_ok() {
        runtime.shutdown_background();
    } else {
        runtime.shutdown_timeout(SHUTDOWN_WAIT);
    }
}

/// The scheduler's session: Ballista's default, with an object-store registry that reads
/// `s3://` event folders with credentials from the environment (see
/// [`casus_events::EnvObjectStoreRegistry`]), so that a cluster needs no shared file system.
pub(crate) fn session_with_s3(
    config: casus_events::datafusion::prelude::SessionConfig,
) -> casus_events::datafusion::common::Result<casus_events::datafusion::execution::SessionState> {
    let state = ballista_core::utils::default_session_builder(config)?;
    let runtime = casus_events::datafusion::execution::runtime_env::RuntimeEnvBuilder::new()
        .with_object_store_registry(Arc::new(casus_events::EnvObjectStoreRegistry::new()))
        .build()?;
    Ok(
        casus_events::datafusion::execution::SessionStateBuilder::new_from_existing(state)
            .with_runtime_env(Arc::new(runtime))
            .build(),
    )
}

/// The executors' runtime: Ballista's default (spill files in `work_dir`), reading `s3://` as
/// the scheduler does.
pub(crate) fn runtime_with_s3(work_dir: std::path::PathBuf) -> ballista_core::RuntimeProducer {
    Arc::new(move |_| {
        let runtime = casus_events::datafusion::execution::runtime_env::RuntimeEnvBuilder::new()
            .with_temp_file_path(work_dir.clone())
            .with_object_store_registry(Arc::new(casus_events::EnvObjectStoreRegistry::new()))
            .build()?;
        Ok(Arc::new(runtime))
    })
}
