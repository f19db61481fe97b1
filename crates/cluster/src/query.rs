//! The indicator queries of casus-events, run on a Ballista cluster: the same SQL text
//! ([`casus_events::indicators_sql`]) over the same table registration
//! ([`casus_events::register_events`]), so the rows and their order match the embedded run.

use std::net::{TcpStream, ToSocketAddrs};
use std::path::Path;
use std::time::Duration;

use ballista::prelude::SessionContextExt;
use casus_events::datafusion::arrow::array::RecordBatch;
use casus_events::datafusion::dataframe::DataFrame;
use casus_events::datafusion::prelude::SessionContext;
use casus_events::{
    EVENTS_TABLE, EventsError, IndicatorQuery, check_output_path, indicators_sql, register_events,
    write_dataframe,
};

use crate::error::{ClusterError, Result};

/// Threads of the client runtime: it only sends the plan and receives the result.
const CLIENT_THREADS: usize = 2;

/// How long a client waits for a TCP connection to the scheduler before calling it
/// unreachable. Ballista itself connects lazily, when the query runs, and reports a refused
/// connection as a query failure; checking first tells "no scheduler there" (the user's
/// address) from a failure of the query.
pub const CONNECT_TIMEOUT: Duration = Duration::from_secs(10);

/// Check that `url` is `df://HOST:PORT`.
fn check_url(url: &str) -> Result<()> {
    let bad = |reason| ClusterError::Url {
        url: url.to_string(),
        reason,
    };
    let rest = url
        .strip_prefix("df://")
        .ok_or_else(|| bad("expected df://HOST:PORT"))?;
    let (host, port) = rest
        .rsplit_once(':')
        .ok_or_else(|| bad("expected df://HOST:PORT (the port is missing)"))?;
    if host.is_empty() {
        return Err(bad("the host is missing"));
    }
    if port.parse::<u16>().map_or(true, |p| p == 0) {
        return Err(bad("the port is not a number from 1 to 65535"));
    }
    Ok(())
}

/// Check that something accepts TCP connections at the address of `url` (already checked by
/// [`check_url`]), trying each address its host resolves to for up to `timeout`.
fn check_reachable(url: &str, timeout: Duration) -> Result<()> {
    let unreachable = |source| ClusterError::Unreachable {
        url: url.to_string(),
        source,
    };
    let hostport = url.strip_prefix("df://").unwrap_or(url);
    let mut last = None;
    for addr in hostport.to_socket_addrs().map_err(unreachable)? {
        match TcpStream::connect_timeout(&addr, timeout) {
            Ok(_) => return Ok(()),
            Err(e) => last = Some(e),
        }
    }
    Err(unreachable(last.unwrap_or_else(|| {
        std::io::Error::new(
            std::io::ErrorKind::NotFound,
            "the host resolves to no address",
        )
    })))
}

/// Connect to the cluster at `url`, register `events_dir` as the event table exactly as the
/// embedded run does, and plan the indicator SQL for `query`.
async fn plan(url: &str, events_dir: &Path, query: &IndicatorQuery) -> Result<DataFrame> {
    let sql = indicators_sql(query)?;
    let query_err = |context| {
        move |source| ClusterError::Query {
            context,
            url: url.to_string(),
            source,
        }
    };
    let ctx = SessionContext::remote(url)
        .await
        .map_err(query_err("connecting"))?;
    register_events(&ctx, EVENTS_TABLE, events_dir).await?;
    ctx.sql(&sql)
        .await
        .map_err(query_err("planning the indicator query"))
}

fn client_runtime() -> Result<tokio::runtime::Runtime> {
    crate::node::runtime("client", CLIENT_THREADS)
}

/// Compute indicators over an imported event directory on the Ballista cluster at `url`
/// (`df://HOST:PORT`) and return them as record batches: the same columns, rows and order as
/// [`casus_events::indicators`].
///
/// The scheduler and every executor read `events_dir` themselves, so it must be the same path
/// on every machine (a shared file system); it must also exist where this function runs, which
/// resolves it to an absolute path. Call from synchronous code.
pub fn indicators_on_cluster(
    url: &str,
    events_dir: &Path,
    query: &IndicatorQuery,
) -> Result<Vec<RecordBatch>> {
    check_url(url)?;
    check_reachable(url, CONNECT_TIMEOUT)?;
    client_runtime()?.block_on(async {
        plan(url, events_dir, query)
            .await?
            .collect()
            .await
            .map_err(|source| ClusterError::Query {
                context: "running the indicator query",
                url: url.to_string(),
                source,
            })
    })
}

/// Compute indicators on the cluster at `url` and write them to `out` — CSV with a header for
/// `.csv`, Parquet for `.parquet` — through [`casus_events::write_dataframe`], as
/// [`casus_events::write_indicators`] does: the same file, byte for byte. The file appears only
/// when complete. Returns the number of rows.
pub fn write_indicators_on_cluster(
    url: &str,
    events_dir: &Path,
    query: &IndicatorQuery,
    out: &Path,
) -> Result<u64> {
    check_output_path(out)?;
    check_url(url)?;
    check_reachable(url, CONNECT_TIMEOUT)?;
    client_runtime()?.block_on(async {
        let df = plan(url, events_dir, query).await?;
        write_dataframe(df, out).await.map_err(|e| match e {
            // A failure while the query runs is the cluster's: say which one.
            EventsError::Query { context, source } => ClusterError::Query {
                context,
                url: url.to_string(),
                source: *source,
            },
            other => other.into(),
        })
    })
}

#[cfg(test)]
mod tests {
    use super::{Duration, check_reachable, check_url};
    use crate::ClusterError;

    #[test]
    fn unreachable_schedulers_are_named() {
        // A port that nothing listens on: bind one, note it, close it.
        let port = std::net::TcpListener::bind("127.0.0.1:0")
            .unwrap()
            .local_addr()
            .unwrap()
            .port();
        let url = format!("df://127.0.0.1:{port}");
        let e = check_reachable(&url, Duration::from_secs(2)).unwrap_err();
        assert!(matches!(e, ClusterError::Unreachable { .. }), "{e:?}");
        assert!(e.is_bad_input());
        let listening = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        let url = format!("df://{}", listening.local_addr().unwrap());
        assert!(check_reachable(&url, Duration::from_secs(2)).is_ok());
    }

    #[test]
    fn cluster_urls_are_checked() {
        assert!(check_url("df://127.0.0.1:50050").is_ok());
        assert!(check_url("df://scheduler.example:50050").is_ok());
        assert!(check_url("http://127.0.0.1:50050").is_err());
        assert!(check_url("df://127.0.0.1").is_err());
        assert!(check_url("df://:50050").is_err());
        assert!(check_url("df://host:0").is_err());
        assert!(check_url("df://host:port").is_err());
    }
}
