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
    /// Another host name the server may be reached by (repeatable), e.g. `casus.team.example`
    /// behind a team's DNS [default: none; only the bound address, and `localhost` on loopback or
    /// on 0.0.0.0, are answered, so that a DNS-rebinding page cannot reach the server].
    #[arg(long = "allow-host", value_name = "NAME")]
    allow_hosts: Vec<String>,
    /// Heavy requests (assess, explain, scenarios, the situation list) computed at once; beyond
    /// these and a queue of 4 per slot, requests get 503 with Retry-After [default: the number of
    /// cores].
    #[arg(long, value_name = "N", value_parser = clap::value_parser!(u16).range(1..=1024))]
    heavy: Option<u16>,
    /// Longest a request may take before it is answered 503 `timeout`.
    #[arg(long, value_name = "SECONDS", default_value_t = 30, value_parser = clap::value_parser!(u64).range(1..=3600))]
    request_timeout: u64,
    /// Imported event data (`casus events import --out DIR`) for the dashboard's monitoring
    /// charts [default: none; the monitoring page then says so].
    #[cfg(feature = "events")]
    #[arg(long, value_name = "DIR", requires_all = ["monitor_from", "monitor_to"])]
    events: Option<PathBuf>,
    /// First day of the monitoring series (with --events).
    #[cfg(feature = "events")]
    #[arg(long, value_name = "DATE")]
    monitor_from: Option<casus_core::NaiveDate>,
    /// Last day of the monitoring series (with --events).
    #[cfg(feature = "events")]
    #[arg(long, value_name = "DATE")]
    monitor_to: Option<casus_core::NaiveDate>,
    /// Keep --events current: sync GDELT 2.0 into it (as `casus events sync`) now and on a
    /// schedule, in the background; a failed sync is logged and tried again, never stopping the
    /// server.
    #[cfg(feature = "events")]
    #[arg(long, requires = "events")]
    sync: bool,
    /// Minutes between syncs (with --sync).
    #[cfg(feature = "events")]
    #[arg(long, value_name = "MINUTES", default_value_t = 15, value_parser = clap::value_parser!(u64).range(1..=10080))]
    sync_every: u64,
    /// First day an empty --events folder is synced from [default: the latest 15 minutes].
    #[cfg(feature = "events")]
    #[arg(long, value_name = "DATE")]
    sync_since: Option<String>,
    /// Where --sync reads GDELT 2.0 from (a mirror in GDELT's layout works).
    #[cfg(feature = "events")]
    #[arg(long, value_name = "URL", default_value = casus_events::GDELT2_BASE_URL)]
    sync_base_url: String,
}

/// Daily monitoring series for the dashboard, computed on request from imported event data with
/// the built-in model, merged with the latest built-in situation for the dyad coded on or before
/// the first day (the analyst's values win over the events, as in `casus monitor`).
#[cfg(feature = "events")]
struct EventMonitor {
    events: PathBuf,
    from: casus_core::NaiveDate,
    to: casus_core::NaiveDate,
    model: casus_model::FittedModel,
    situations: Vec<casus_core::Situation>,
}

#[cfg(feature = "events")]
impl casus_server::MonitorSource for EventMonitor {
    fn series(
        &self,
        patron: &casus_core::CountryCode,
        target: &casus_core::CountryCode,
    ) -> Result<Option<casus_server::Series>, String> {
        let opts = casus_monitor::MonitorOptions::new(
            patron.as_str(),
            target.as_str(),
            self.from,
            self.to,
        );
        let analyst = self
            .situations
            .iter()
            .filter(|s| &s.patron == patron && &s.target == target && s.as_of <= self.from)
            .max_by_key(|s| s.as_of);
        let report = casus_monitor::monitor(&self.events, &self.model, analyst, &opts)
            .map_err(|e| e.to_string())?;
        if report.coverage_start.is_none() {
            return Ok(None);
        }
        Ok(Some(casus_server::Series {
            patron: patron.to_string(),
            target: target.to_string(),
            source: match analyst {
                Some(s) => format!(
                    "event data in {}, with the analyst's situation {}",
                    self.events.display(),
                    s.id
                ),
                None => format!("event data in {}", self.events.display()),
            },
            metrics: vec!["probability".into(), "low".into(), "high".into()],
            points: report
                .series
                .iter()
                .map(|d| casus_server::SeriesPoint {
                    date: d.date,
                    values: vec![d.probability, d.low, d.high],
                })
                .collect(),
            alerts: report
                .alerts
                .iter()
                .map(|a| casus_server::SeriesAlert {
                    date: a.date,
                    kind: serde_json::to_value(a.kind)
                        .ok()
                        .and_then(|k| k.as_str().map(String::from))
                        .unwrap_or_default(),
                    message: a.message.clone(),
                })
                .collect(),
        }))
    }
}

/// The engine the CLI serves: the built-in fitted model and move catalogue.
pub fn engine() -> anyhow::Result<Arc<Engine>> {
    Ok(Arc::new(Engine::builtin()?))
}

/// Letters, digits, `-` and `.`: a DNS name as a browser sends it in `Host`.
fn is_host_name(h: &str) -> bool {
    !h.is_empty()
        && h.len() <= 253
        && h.bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'.')
}

pub fn run(args: Args) -> anyhow::Result<ExitCode> {
    let config = Config {
        addr: args.addr,
        token: args.token,
    };
    config
        .check()
        .map_err(|e| crate::output::BadInput(e.to_string()))?;
    if let Some(bad) = args.allow_hosts.iter().find(|h| !is_host_name(h)) {
        return Err(crate::output::BadInput(format!(
            "--allow-host `{bad}` must be a host name without port or scheme, e.g. casus.team.example"
        ))
        .into());
    }
    let store = casus_store::SqliteStore::open(&args.db)
        .with_context(|| format!("cannot open the forecast store {}", args.db.display()))?;
    let state = AppState::new(
        engine()?,
        Arc::new(store),
        &format!("sqlite:{}", args.db.display()),
    )
    .with_token(config.token.clone())
    .with_limits({
        let mut l = casus_server::Limits {
            timeout: std::time::Duration::from_secs(args.request_timeout),
            ..Default::default()
        };
        if let Some(n) = args.heavy {
            l.heavy = usize::from(n);
            l.queue = 4 * l.heavy;
        }
        l
    });
    #[cfg(feature = "events")]
    if let (true, Some(events)) = (args.sync, &args.events) {
        let since = (args.sync_since.as_deref())
            .map(|d| casus_events::parse_sync_time(d, false, "sync-since"))
            .transpose()
            .map_err(|e| crate::output::BadInput(e.to_string()))?;
        let opts = casus_events::SyncOptions {
            base_url: args.sync_base_url.clone(),
            since,
            ..Default::default()
        };
        let every = std::time::Duration::from_secs(60 * args.sync_every);
        super::events::spawn_background_sync(events.clone(), opts, every);
    }
    #[cfg(feature = "events")]
    let state = match (args.events, args.monitor_from, args.monitor_to) {
        (Some(events), Some(from), Some(to)) => {
            // A folder being synced may be empty until the first sync lands.
            if let Err(e) = casus_events::check_event_dir(&events)
                && !args.sync
            {
                return Err(crate::output::BadInput(format!("--events: {e}")).into());
            }
            state.with_monitor(Arc::new(EventMonitor {
                events,
                from,
                to,
                model: crate::model::builtin()?,
                situations: casus_data::builtin::situations()?,
            }))
        }
        _ => state,
    };
    let rt = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .context("cannot start the async runtime")?;
    rt.block_on(async move {
        let listener = tokio::net::TcpListener::bind(config.addr)
            .await
            .with_context(|| format!("cannot listen on {}", config.addr))?;
        let addr = listener.local_addr()?;
        let state = state.with_hosts(casus_server::HostPolicy::for_addr(addr, &args.allow_hosts));
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
