//! Shared test setup: an app with the built-in fitted model and move catalogue and a fixture
//! situation, served in-process or on a real loopback listener.

use axum::body::Body;
use axum::http::{Request, StatusCode};
use casus_server::{AppState, Engine};
use casus_store::SqliteStore;
use serde_json::Value;
use std::net::SocketAddr;
use std::sync::Arc;
use tower::ServiceExt;

pub const SITUATION: &str = include_str!("../fixtures_situation.json");
pub const SITUATION_ID: &str = "TEST-BLR-2020";

/// The built-in engine (fitted model and move catalogue), built once for all tests.
pub fn engine() -> Arc<Engine> {
    static ENGINE: std::sync::OnceLock<Arc<Engine>> = std::sync::OnceLock::new();
    ENGINE
        .get_or_init(|| Arc::new(Engine::builtin().expect("the built-in model and moves")))
        .clone()
}

pub fn situation() -> casus_core::Situation {
    casus_data::situation_from_json(SITUATION).unwrap()
}

/// The address the in-process router believes it is bound to; [`call`] sends it as `Host`.
pub const HOST: &str = "127.0.0.1:8080";

pub fn state_with(store: Arc<dyn casus_store::ForecastStore>, token: Option<&str>) -> AppState {
    AppState::new(engine(), store, "test")
        .with_situations(vec![situation()])
        .with_token(token.map(String::from))
        .with_hosts(casus_server::HostPolicy::for_addr(
            HOST.parse().unwrap(),
            &[],
        ))
}

pub fn state() -> AppState {
    state_with(Arc::new(SqliteStore::open_in_memory().unwrap()), None)
}

/// One request through the router, without a socket, as the dashboard sends it: `Host` [`HOST`],
/// and a body as `application/json`.
pub async fn call(
    app: &axum::Router,
    method: &str,
    uri: &str,
    body: Option<&str>,
    auth: Option<&str>,
) -> (StatusCode, Value) {
    let mut headers = vec![("host", HOST.to_string())];
    if body.is_some() {
        headers.push(("content-type", "application/json".into()));
    }
    if let Some(t) = auth {
        headers.push(("authorization", format!("Bearer {t}")));
    }
    call_with(app, method, uri, body, &headers).await
}

/// One request through the router with exactly these headers.
pub async fn call_with(
    app: &axum::Router,
    method: &str,
    uri: &str,
    body: Option<&str>,
    headers: &[(&str, String)],
) -> (StatusCode, Value) {
    let mut req = Request::builder().method(method).uri(uri);
    for (k, v) in headers {
        req = req.header(*k, v);
    }
    let req = req
        .body(body.map_or_else(Body::empty, |b| Body::from(b.to_string())))
        .unwrap();
    let res = app.clone().oneshot(req).await.unwrap();
    let status = res.status();
    let bytes = axum::body::to_bytes(res.into_body(), usize::MAX)
        .await
        .unwrap();
    let v = serde_json::from_slice(&bytes)
        .unwrap_or(Value::String(String::from_utf8_lossy(&bytes).into()));
    (status, v)
}

/// Serve `state` on 127.0.0.1:0 in a background thread with its own runtime; `serve` then answers
/// the `Host` names of the listener's address.
pub fn spawn_server(state: AppState) -> SocketAddr {
    serve_in_thread(
        state,
        "127.0.0.1:0".parse().unwrap(),
        std::future::pending(),
        None,
    )
}

/// Serve `state` on `bind` (or, if that is taken, on any port of 127.0.0.1) in a background thread
/// until `shutdown` completes; then `done`, if given, is sent `()`.
pub fn serve_in_thread(
    mut state: AppState,
    bind: SocketAddr,
    shutdown: impl std::future::Future<Output = ()> + Send + 'static,
    done: Option<std::sync::mpsc::Sender<()>>,
) -> SocketAddr {
    state.hosts = None;
    let (tx, rx) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        let rt = tokio::runtime::Builder::new_multi_thread()
            .worker_threads(2)
            .enable_all()
            .build()
            .unwrap();
        rt.block_on(async move {
            let l = match tokio::net::TcpListener::bind(bind).await {
                Ok(l) => l,
                Err(_) => tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap(),
            };
            tx.send(l.local_addr().unwrap()).unwrap();
            casus_server::serve(l, state, shutdown).await.unwrap();
        });
        if let Some(d) = done {
            let _ = d.send(());
        }
    });
    rx.recv().unwrap()
}
