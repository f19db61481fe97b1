//! `casus serve`: the web dashboard and JSON API.

use anyhow::Context;
use casus_server::{AppState, Config, Engine};
use std::net::SocketAddr;
use std::path::PathBuf;
use std::process::ExitCode;
use std::sync::Arc;

#[derive(clap::Args)]
pub struct Args {
    /// Address to listen on. Anything but loopback needs a token.
    #[arg(long, default_value = "127.0.0.1:8080")]
    addr: SocketAddr,
    /// The forecast store, an SQLite file created if absent [default: $CASUS_DB, else ./casus.db].
    #[arg(long, env = "CASUS_DB", default_value = "casus.db")]
    db: PathBuf,
    /// Bearer token that writes must carry (at least 16 characters) [default: $CASUS_TOKEN].
    #[arg(long, env = "CASUS_TOKEN", hide_env_values = true)]
    token: Option<String>,
}

/// The engine the CLI serves: the built-in fitted model and move catalogue.
pub fn engine() -> anyhow::Result<Arc<Engine>> {
    Ok(Arc::new(Engine::builtin()?))
}

pub fn run(args: Args) -> anyhow::Result<ExitCode> {
    let config = Config {
        addr: args.addr,
        token: args.token,
    };
    config
        .check()
        .map_err(|e| crate::output::BadInput(e.to_string()))?;
    let store = casus_store::SqliteStore::open(&args.db)
        .with_context(|| format!("cannot open the forecast store {}", args.db.display()))?;
    let state = AppState::new(
        engine()?,
        Arc::new(store),
        &format!("sqlite:{}", args.db.display()),
    )
    .with_token(config.token.clone());
    let rt = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .context("cannot start the async runtime")?;
    rt.block_on(async move {
        let listener = tokio::net::TcpListener::bind(config.addr)
            .await
            .with_context(|| format!("cannot listen on {}", config.addr))?;
        let addr = listener.local_addr()?;
        // Tests and scripts read this line to learn the port when --addr ends in :0.
        println!("casus: serving the dashboard on http://{addr}/ (API at /api/v1)");
        use std::io::Write;
        std::io::stdout().flush().ok();
        casus_server::serve(listener, state, async {
            tokio::signal::ctrl_c().await.ok();
        })
        .await
        .context("the server failed")
    })?;
    Ok(ExitCode::SUCCESS)
}
