//! A Ballista cluster on 127.0.0.1 — one scheduler, two executors, free ports — computes the
//! same indicators as the embedded DataFusion run, row for row, and shuts down in bounded time.
//!
//! Run with `cargo test -p casus-cluster`.

use std::net::{Ipv4Addr, SocketAddr, TcpListener};
use std::path::{Path, PathBuf};
use std::sync::mpsc;
use std::time::{Duration, Instant};

use casus_cluster::{
    ClusterError, ExecutorOptions, indicators_on_cluster, start_executor, start_scheduler,
    write_indicators_on_cluster,
};
use casus_events::datafusion::arrow::array::RecordBatch;
use casus_events::datafusion::arrow::datatypes::DataType;
use casus_events::datafusion::arrow::util::display::{ArrayFormatter, FormatOptions};
use casus_events::{
    Family, Format, ImportOptions, IndicatorQuery, import, indicators, write_indicators,
};

/// Everything a test does with the cluster must finish within this.
const DEADLINE: Duration = Duration::from_secs(180);

fn loopback(port: u16) -> SocketAddr {
    SocketAddr::new(Ipv4Addr::LOCALHOST.into(), port)
}

/// Run `f` on its own thread and fail the test if it takes longer than `limit`, so a stuck
/// cluster fails the test instead of hanging CI.
fn within<T: Send + 'static>(limit: Duration, f: impl FnOnce() -> T + Send + 'static) -> T {
    let (tx, rx) = mpsc::channel();
    let worker = std::thread::spawn(move || {
        let _ = tx.send(f());
    });
    match rx.recv_timeout(limit) {
        Ok(v) => v,
        Err(mpsc::RecvTimeoutError::Timeout) => panic!("did not finish within {limit:?}"),
        Err(mpsc::RecvTimeoutError::Disconnected) => match worker.join() {
            Err(panic) => std::panic::resume_unwind(panic),
            Ok(()) => unreachable!("the worker sends before it ends"),
        },
    }
}

/// The project's own GDELT 1.0 fixture (four months, 200 events), imported with casus-events.
fn imported_events(dir: &Path) -> PathBuf {
    let fixture =
        Path::new(env!("CARGO_MANIFEST_DIR")).join("../events/tests/fixtures/gdelt1_sample.tsv");
    let events = dir.join("events");
    import(
        Format::Gdelt1,
        &[fixture],
        &events,
        &ImportOptions::default().threads(2).chunk_bytes(4096),
    )
    .unwrap();
    events
}

/// Column names and types, and every row as display strings, ignoring batch boundaries.
fn table(batches: &[RecordBatch]) -> (Vec<(String, DataType)>, Vec<Vec<String>>) {
    let columns = batches.first().map_or_else(Vec::new, |b| {
        b.schema()
            .fields()
            .iter()
            .map(|f| (f.name().clone(), f.data_type().clone()))
            .collect()
    });
    let options = FormatOptions::default().with_null("NULL");
    let mut rows = Vec::new();
    for batch in batches {
        let formatters: Vec<_> = batch
            .columns()
            .iter()
            .map(|c| ArrayFormatter::try_new(c.as_ref(), &options).unwrap())
            .collect();
        for i in 0..batch.num_rows() {
            rows.push(formatters.iter().map(|f| f.value(i).to_string()).collect());
        }
    }
    (columns, rows)
}

#[test]
fn cluster_indicators_equal_the_embedded_run_row_for_row() {
    within(DEADLINE, || {
        let dir = tempfile::tempdir().unwrap();
        let events = imported_events(dir.path());
        let queries = [
            IndicatorQuery::default(),
            IndicatorQuery::default()
                .from("2014-02-01")
                .to("2014-03-31")
                .sources(&["RUS", "USA"])
                .families(&[Family::Threat, Family::ForcePosture, Family::Cooperation]),
        ];

        let started = Instant::now();
        let scheduler = start_scheduler(loopback(0)).unwrap();
        let executors: Vec<_> = (0..2)
            .map(|_| {
                start_executor(
                    &ExecutorOptions::new(scheduler.addr())
                        .ports(0, 0)
                        .vcores(1)
                        .register_timeout(Duration::from_secs(60)),
                )
                .unwrap()
            })
            .collect();
        assert!(scheduler.addr().ip().is_loopback());
        for e in &executors {
            assert!(e.flight_addr().ip().is_loopback() && e.grpc_addr().ip().is_loopback());
        }
        eprintln!("cluster up in {:?}", started.elapsed());

        for q in &queries {
            let embedded = table(&indicators(&events, q).unwrap());
            let t = Instant::now();
            let on_cluster = table(&indicators_on_cluster(&scheduler.url(), &events, q).unwrap());
            eprintln!(
                "{} rows on the cluster in {:?}",
                on_cluster.1.len(),
                t.elapsed()
            );
            assert!(!embedded.1.is_empty(), "the fixture yields indicators");
            assert_eq!(on_cluster.0, embedded.0, "same columns and types");
            assert_eq!(on_cluster.1.len(), embedded.1.len(), "same number of rows");
            for (i, (c, e)) in on_cluster.1.iter().zip(&embedded.1).enumerate() {
                assert_eq!(c, e, "row {i} differs");
            }
        }

        // A folder of imports (one file each) is read as one table on the cluster too.
        let folder = dir.path().join("daily");
        let fixtures = Path::new(env!("CARGO_MANIFEST_DIR")).join("../events/tests/fixtures");
        for (i, name) in ["gdelt1_sample.tsv", "gdelt1_bad.tsv"].iter().enumerate() {
            import(
                Format::Gdelt1,
                &[fixtures.join(name)],
                &folder.join(format!("part-{i}")),
                &ImportOptions::default().threads(2),
            )
            .unwrap();
        }
        let embedded = table(&indicators(&folder, &queries[0]).unwrap());
        let on_cluster =
            table(&indicators_on_cluster(&scheduler.url(), &folder, &queries[0]).unwrap());
        assert_eq!(on_cluster, embedded, "a folder of imports");

        // The written CSV is byte for byte the embedded one.
        let (ours, theirs) = (
            dir.path().join("cluster.csv"),
            dir.path().join("embedded.csv"),
        );
        let rows =
            write_indicators_on_cluster(&scheduler.url(), &events, &queries[1], &ours).unwrap();
        let embedded_rows = write_indicators(&events, &queries[1], &theirs).unwrap();
        assert_eq!(rows, embedded_rows);
        assert_eq!(
            std::fs::read_to_string(&ours).unwrap(),
            std::fs::read_to_string(&theirs).unwrap()
        );

        let t = Instant::now();
        let url = scheduler.url();
        for e in executors {
            e.shutdown();
        }
        scheduler.shutdown();
        eprintln!("cluster down in {:?}", t.elapsed());
        // The queries above really went to the cluster: with it gone, the same call fails, and
        // says the scheduler is not there (the user's address, exit 2 in the CLI).
        let err = indicators_on_cluster(&url, &events, &queries[0]).unwrap_err();
        assert!(matches!(err, ClusterError::Unreachable { .. }), "{err}");
        assert!(err.is_bad_input());
    });
}

#[test]
fn an_executor_without_a_scheduler_gives_up_in_time() {
    within(Duration::from_secs(60), || {
        // A port nobody listens on: bind, note it, close it.
        let port = TcpListener::bind(loopback(0))
            .unwrap()
            .local_addr()
            .unwrap()
            .port();
        let t = Instant::now();
        let err = start_executor(
            &ExecutorOptions::new(loopback(port))
                .ports(0, 0)
                .vcores(1)
                .register_timeout(Duration::from_secs(2)),
        )
        .unwrap_err();
        assert!(
            matches!(
                err,
                ClusterError::NotRegistered { .. } | ClusterError::Start { .. }
            ),
            "{err}"
        );
        assert!(t.elapsed() < Duration::from_secs(20));
    });
}

#[test]
fn a_bad_cluster_url_is_rejected_before_connecting() {
    let err = indicators_on_cluster(
        "http://127.0.0.1:50050",
        Path::new("."),
        &IndicatorQuery::default(),
    )
    .unwrap_err();
    assert!(matches!(err, ClusterError::Url { .. }), "{err}");
}
