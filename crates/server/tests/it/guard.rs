//! Issue 10, item 1: another web page cannot use the server through the analyst's browser. Each
//! request below is one a page on another site can make the browser send; each is refused, while
//! the same request as the dashboard sends it succeeds.

use crate::common::{HOST, SITUATION_ID, call_with, state};
use serde_json::json;

/// POST a casus forecast with exactly these headers: the status, and the error code if refused.
async fn post_forecast(app: &axum::Router, h: &[(&str, String)]) -> (u16, Option<String>) {
    let body = json!({"situation_id": SITUATION_ID}).to_string();
    let (s, v) = call_with(app, "POST", "/api/v1/forecasts", Some(&body), h).await;
    (s.as_u16(), v["error"]["code"].as_str().map(String::from))
}

fn code(c: &str) -> Option<String> {
    Some(c.to_string())
}

/// What the dashboard's `fetch` sends: same-origin `Origin`, its `Host`, JSON.
fn dashboard() -> Vec<(&'static str, String)> {
    vec![
        ("host", HOST.into()),
        ("origin", format!("http://{HOST}")),
        ("content-type", "application/json".into()),
    ]
}

#[tokio::test]
async fn the_dashboards_own_requests_pass() {
    let app = casus_server::router(state());
    assert_eq!(post_forecast(&app, &dashboard()).await, (201, None));
    // `localhost` and a charset parameter are fine too.
    let headers = vec![
        ("host", "localhost:8080".to_string()),
        ("origin", "http://localhost:8080".into()),
        ("content-type", "application/json; charset=utf-8".into()),
    ];
    assert_eq!(post_forecast(&app, &headers).await, (201, None));
    // The page itself loads.
    let (s, _) = call_with(&app, "GET", "/", None, &[("host", HOST.into())]).await;
    assert_eq!(s, 200);
}

#[tokio::test]
async fn a_forged_origin_cannot_write() {
    let app = casus_server::router(state());
    for origin in [
        "http://attacker.example",
        "http://127.0.0.1:8081",
        "null",
        "http://127.0.0.1:8080.attacker.example",
    ] {
        let mut h = dashboard();
        h[1].1 = origin.into();
        assert_eq!(
            post_forecast(&app, &h).await,
            (403, code("forbidden_origin")),
            "{origin}"
        );
        let (s, _) = call_with(
            &app,
            "POST",
            "/api/v1/forecasts/1/resolve",
            Some(r#"{"outcome": 1}"#),
            &h,
        )
        .await;
        assert_eq!(s, 403, "{origin}");
    }
    let (_, list) = call_with(&app, "GET", "/api/v1/forecasts", None, &dashboard()).await;
    assert_eq!(list, json!([]), "nothing was written");
}

#[tokio::test]
async fn a_rebound_host_is_refused_for_reads_and_writes() {
    let app = casus_server::router(state());
    // A DNS-rebinding page: same origin as far as the browser knows, under the attacker's name.
    let h = vec![
        ("host", "attacker.example:8080".to_string()),
        ("origin", "http://attacker.example:8080".into()),
        ("content-type", "application/json".into()),
    ];
    for uri in ["/api/v1/forecasts", "/"] {
        let (s, v) = call_with(&app, "GET", uri, None, &h).await;
        assert_eq!(
            (s.as_u16(), v["error"]["code"].as_str()),
            (403, Some("forbidden_host")),
            "GET {uri}: {v}"
        );
    }
    assert_eq!(post_forecast(&app, &h).await, (403, code("forbidden_host")));
}

#[tokio::test]
async fn a_text_plain_form_post_is_refused() {
    let app = casus_server::router(state());
    // An HTML form posts text/plain without a CORS preflight, and without an Origin in old browsers.
    for ct in ["text/plain", "application/x-www-form-urlencoded", ""] {
        let mut h = vec![("host", HOST.to_string())];
        if !ct.is_empty() {
            h.push(("content-type", ct.into()));
        }
        assert_eq!(
            post_forecast(&app, &h).await,
            (415, code("unsupported_media_type")),
            "{ct}"
        );
        let (s, _) = call_with(&app, "POST", "/api/v1/situations", Some("{}"), &h).await;
        assert_eq!(s, 415, "{ct}");
    }
}

/// Over a real socket `serve` takes the policy from the listener's address.
#[test]
fn a_served_router_checks_host() {
    use std::io::{Read, Write};
    let addr = crate::common::spawn_server(casus_server::AppState::new(
        crate::common::engine(),
        std::sync::Arc::new(casus_store::SqliteStore::open_in_memory().unwrap()),
        "test",
    ));
    let get = |host: &str| {
        let mut s = std::net::TcpStream::connect(addr).unwrap();
        write!(
            s,
            "GET /api/v1/health HTTP/1.1\r\nHost: {host}\r\nConnection: close\r\n\r\n"
        )
        .unwrap();
        let mut out = String::new();
        s.read_to_string(&mut out).unwrap();
        out
    };
    assert!(get(&addr.to_string()).starts_with("HTTP/1.1 200"));
    assert!(get(&format!("localhost:{}", addr.port())).starts_with("HTTP/1.1 200"));
    assert!(get(&format!("attacker.example:{}", addr.port())).starts_with("HTTP/1.1 403"));
}

/// The dashboard passes the guards because it calls its own server with JSON: keep it that way.
#[test]
fn the_dashboard_sends_json_to_its_own_origin() {
    let (_, _, app_js) = casus_server::ASSETS
        .iter()
        .find(|(p, _, _)| p.ends_with("app.js"))
        .expect("app.js is embedded");
    assert!(app_js.contains(r#"opt.headers["Content-Type"] = "application/json""#));
    assert!(app_js.contains("fetch(API + path"));
    assert!(!app_js.contains("http://") && !app_js.contains("https://"));
}
