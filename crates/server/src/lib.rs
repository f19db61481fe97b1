//! The casus web dashboard and JSON API.
//!
//! [`router`] builds the axum application from an [`AppState`] (an [`Engine`]: the fitted model of
//! casus-model and the move catalogue of casus-explain; the case base, the built-in situations and a
//! [`casus_store::ForecastStore`]); [`serve`] runs it on a listener after [`Config::check`] has
//! applied the safety rules:
//!
//! * loopback by default; a non-loopback address refuses to start without a token, and with a
//!   token every write (`POST` to a write route, `DELETE`) needs `Authorization: Bearer <token>`;
//! * no other web page can use the server through the analyst's browser ([`guard`]): a `Host` that
//!   is not one of the server's names (DNS rebinding) is refused with 403, a write whose `Origin`
//!   is another site with 403, and a JSON endpoint sent anything but `application/json` with 415;
//! * request bodies are limited to [`BODY_LIMIT`] bytes; heavy requests (assess, explain,
//!   scenarios) are bounded in number and shed with 503 and `Retry-After` beyond that, and every
//!   request is answered within a timeout ([`limits`]);
//! * no request names a file: situations arrive as JSON bodies, the database path is fixed at start;
//! * uploaded situations are kept in the store as situation files (TOML), one version per changed
//!   upload, so they survive a restart; forecasts name the version they assessed;
//! * forecasts are acknowledged only after the store has committed them (WAL, `synchronous=FULL`).
//!
//! Handlers are thin: they parse, call the engine or the store, and serialise. `POST /assess`
//! answers exactly what `casus assess --json` prints (seed [`engine::ASSESS_SEED`]); `POST /explain`
//! is casus-explain's [`casus_explain::Explanation`]; `POST /scenarios` uses its scenario functions.
//! Every error is `{"error": {"code", "message"}}` with its status chosen in [`error::status_of`].
//! The API's contract is `openapi.json` beside this crate's manifest, served at
//! `/api/v1/openapi.json` and checked against [`ROUTES`] by a test.

mod api;
mod assets;
pub mod engine;
pub mod error;
pub mod guard;
pub mod limits;
mod situations;
mod state;
mod watch;

pub use api::{casus_forecast, default_question};
pub use assets::ASSETS;
pub use casus_explain::{Catalogue, Explanation, Move};
pub use engine::{ASSESS_SEED, Engine, EngineError};
pub use error::{ApiError, status_of};
pub use guard::HostPolicy;
pub use limits::Limits;
pub use situations::MAX_UPLOADED;
pub use state::{AppState, MonitorSource, Series, SeriesAlert, SeriesPoint};

use axum::Router;
use axum::extract::DefaultBodyLimit;
use axum::routing::{MethodRouter, delete, get, post};
use std::net::SocketAddr;

/// Largest request body accepted (a situation with evidence is a few KiB).
pub const BODY_LIMIT: usize = 256 * 1024;

/// The OpenAPI document, checked into the repo.
pub const OPENAPI_JSON: &str = include_str!("../openapi.json");

/// Every API route: method, path (axum and OpenAPI share the `{param}` syntax), and whether it
/// writes. The router is built from this table, and a test diffs it against `openapi.json`.
pub const ROUTES: &[(&str, &str, bool)] = &[
    ("get", "/api/v1/health", false),
    ("get", "/api/v1/openapi.json", false),
    ("get", "/api/v1/model", false),
    ("get", "/api/v1/situations", false),
    ("post", "/api/v1/situations", true),
    ("get", "/api/v1/situations/{id}", false),
    ("delete", "/api/v1/situations/{id}", true),
    ("get", "/api/v1/situations/{id}/toml", false),
    ("get", "/api/v1/situations/{id}/history", false),
    ("get", "/api/v1/coding", false),
    ("get", "/api/v1/alerts.atom", false),
    ("post", "/api/v1/assess", false),
    ("post", "/api/v1/explain", false),
    ("get", "/api/v1/moves", false),
    ("post", "/api/v1/scenarios", false),
    ("get", "/api/v1/cases", false),
    ("get", "/api/v1/cases/{id}", false),
    ("get", "/api/v1/monitor/{patron}/{target}", false),
    ("get", "/api/v1/forecasts", false),
    ("post", "/api/v1/forecasts", true),
    ("post", "/api/v1/forecasts/{id}/resolve", true),
    ("get", "/api/v1/scores", false),
];

fn handler(method: &str, path: &str) -> MethodRouter<AppState> {
    match (method, path) {
        ("get", "/api/v1/health") => get(api::health),
        ("get", "/api/v1/openapi.json") => get(api::openapi),
        ("get", "/api/v1/model") => get(api::model_record),
        ("get", "/api/v1/situations") => get(situations::list),
        ("post", "/api/v1/situations") => post(situations::upload),
        ("get", "/api/v1/situations/{id}") => get(situations::get),
        ("delete", "/api/v1/situations/{id}") => delete(situations::delete),
        ("get", "/api/v1/situations/{id}/toml") => get(watch::situation_toml),
        ("get", "/api/v1/situations/{id}/history") => get(watch::history),
        ("get", "/api/v1/coding") => get(watch::coding),
        ("get", "/api/v1/alerts.atom") => get(watch::alerts_atom),
        ("post", "/api/v1/assess") => post(api::assess),
        ("post", "/api/v1/explain") => post(api::explain),
        ("get", "/api/v1/moves") => get(api::moves),
        ("post", "/api/v1/scenarios") => post(api::scenarios),
        ("get", "/api/v1/cases") => get(api::list_cases),
        ("get", "/api/v1/cases/{id}") => get(api::get_case),
        ("get", "/api/v1/monitor/{patron}/{target}") => get(api::monitor),
        ("get", "/api/v1/forecasts") => get(api::list_forecasts),
        ("post", "/api/v1/forecasts") => post(api::create_forecast),
        ("post", "/api/v1/forecasts/{id}/resolve") => post(api::resolve_forecast),
        ("get", "/api/v1/scores") => get(api::scores),
        _ => unreachable!("route {method} {path} has no handler"),
    }
}

/// The whole application: API, dashboard assets, JSON 404/405s.
pub fn router(state: AppState) -> Router {
    let mut api = Router::new();
    for &(method, path, write) in ROUTES {
        let mut h = handler(method, path);
        if method == "post" {
            h = h.route_layer(axum::middleware::from_fn(guard::require_json));
        }
        if write {
            h = h.route_layer(axum::middleware::from_fn_with_state(
                state.clone(),
                api::require_token,
            ));
        }
        api = api.route(path, h);
    }
    api.merge(assets::routes())
        .fallback(api::not_found)
        .method_not_allowed_fallback(api::method_not_allowed)
        .layer(DefaultBodyLimit::max(BODY_LIMIT))
        .layer(axum::middleware::from_fn_with_state(
            state.limits.timeout,
            limits::timeout,
        ))
        .layer(axum::middleware::from_fn(guard::check_origin))
        .layer(axum::middleware::from_fn_with_state(
            state.clone(),
            guard::check_host,
        ))
        .layer(axum::middleware::from_fn(api::security_headers))
        .with_state(state)
}

/// How to run the server.
#[derive(Debug, Clone)]
pub struct Config {
    pub addr: SocketAddr,
    /// Bearer token for writes; required when `addr` is not loopback.
    pub token: Option<String>,
}

/// A configuration the server refuses.
#[derive(Debug, thiserror::Error)]
pub enum ConfigError {
    #[error(
        "refusing to listen on {addr}: it is not a loopback address and no token is set; \
         set --token or CASUS_TOKEN (writes will then need `Authorization: Bearer <token>`), \
         or listen on 127.0.0.1"
    )]
    NonLoopbackWithoutToken { addr: SocketAddr },
    #[error("the token must be at least 16 characters")]
    WeakToken,
}

impl Config {
    /// Apply the safety rules before binding.
    pub fn check(&self) -> Result<(), ConfigError> {
        if let Some(t) = &self.token
            && t.len() < 16
        {
            return Err(ConfigError::WeakToken);
        }
        if !self.addr.ip().is_loopback() && self.token.is_none() {
            return Err(ConfigError::NonLoopbackWithoutToken { addr: self.addr });
        }
        Ok(())
    }
}

/// Serve `state` on `listener` until Ctrl-C (or the future `shutdown` completes).
///
/// Unless `state` already has a [`HostPolicy`], the listener's address sets it, so a served router
/// always checks `Host`.
pub async fn serve(
    listener: tokio::net::TcpListener,
    mut state: AppState,
    shutdown: impl std::future::Future<Output = ()> + Send + 'static,
) -> std::io::Result<()> {
    if state.hosts.is_none() {
        state = state.with_hosts(HostPolicy::for_addr(listener.local_addr()?, &[]));
    }
    axum::serve(listener, router(state))
        .with_graceful_shutdown(shutdown)
        .await
}
