//! Issue 10, item 4: heavy requests beyond the limit are shed with 503 and `Retry-After`, slow
//! requests time out, and the forecast list pages.

use crate::common::{HOST, SITUATION, call, state};
use axum::body::Body;
use axum::http::Request;
use casus_server::Limits;
use serde_json::{Value, json};
use std::time::Duration;
use tower::ServiceExt;

/// POST a body to `uri`: status, `Retry-After`, and the error code.
async fn post(app: &axum::Router, uri: &str, body: &str) -> (u16, Option<String>, Value) {
    let req = Request::post(uri)
        .header("host", HOST)
        .header("content-type", "application/json")
        .body(Body::from(body.to_string()))
        .unwrap();
    let res = app.clone().oneshot(req).await.unwrap();
    let status = res.status().as_u16();
    let retry = res
        .headers()
        .get("retry-after")
        .map(|v| v.to_str().unwrap().to_string());
    let bytes = axum::body::to_bytes(res.into_body(), usize::MAX)
        .await
        .unwrap();
    let v: Value = serde_json::from_slice(&bytes).unwrap_or(Value::Null);
    (status, retry, v["error"]["code"].clone())
}

#[tokio::test]
async fn heavy_requests_beyond_the_limit_are_shed_with_retry_after() {
    // No room at all: every heavy request is shed at once, light ones are served.
    let app = casus_server::router(state().with_limits(Limits {
        heavy: 0,
        queue: 0,
        timeout: Duration::from_secs(5),
    }));
    let scenario = json!({"situation_id": "TEST-BLR-2020"}).to_string();
    for (uri, body) in [
        ("/api/v1/explain", SITUATION),
        ("/api/v1/assess", SITUATION),
        ("/api/v1/scenarios", scenario.as_str()),
    ] {
        let (s, retry, code) = post(&app, uri, body).await;
        assert_eq!(
            (s, retry.as_deref(), code.as_str()),
            (503, Some("1"), Some("overloaded")),
            "{uri}"
        );
    }
    assert_eq!(call(&app, "GET", "/api/v1/health", None, None).await.0, 200);
}

#[tokio::test]
async fn concurrent_heavy_requests_are_served_or_shed_never_queued_without_limit() {
    let app = casus_server::router(state().with_limits(Limits {
        heavy: 1,
        queue: 1,
        timeout: Duration::from_secs(60),
    }));
    let all = futures_join(&app, 12).await;
    assert!(all.contains(&200), "{all:?}");
    assert!(all.iter().all(|s| *s == 200 || *s == 503), "{all:?}");
}

async fn futures_join(app: &axum::Router, n: usize) -> Vec<u16> {
    let tasks: Vec<_> = (0..n)
        .map(|_| {
            let app = app.clone();
            tokio::spawn(async move { post(&app, "/api/v1/explain", SITUATION).await.0 })
        })
        .collect();
    let mut out = Vec::new();
    for t in tasks {
        out.push(t.await.unwrap());
    }
    out
}

#[tokio::test]
async fn a_request_past_the_timeout_is_answered_503() {
    let app = casus_server::router(state().with_limits(Limits {
        heavy: 2,
        queue: 2,
        timeout: Duration::ZERO,
    }));
    let (s, retry, code) = post(&app, "/api/v1/explain", SITUATION).await;
    assert_eq!(
        (s, retry.as_deref(), code.as_str()),
        (503, Some("1"), Some("timeout"))
    );
}

#[tokio::test]
async fn forecasts_page_after_an_id() {
    let app = casus_server::router(state());
    let body = json!({"situation_id": "TEST-BLR-2020"}).to_string();
    for _ in 0..5 {
        assert_eq!(
            call(&app, "POST", "/api/v1/forecasts", Some(&body), None)
                .await
                .0,
            201
        );
    }
    let ids = |v: Value| -> Vec<i64> {
        v.as_array()
            .unwrap()
            .iter()
            .map(|f| f["id"].as_i64().unwrap())
            .collect()
    };
    let page = |q: &'static str| {
        let app = app.clone();
        async move {
            ids(
                call(&app, "GET", &format!("/api/v1/forecasts?{q}"), None, None)
                    .await
                    .1,
            )
        }
    };
    // Without `after`: the newest, oldest first (as before).
    assert_eq!(page("limit=2").await, vec![4, 5]);
    assert_eq!(page("after=0&limit=2").await, vec![1, 2]);
    assert_eq!(page("after=2&limit=2").await, vec![3, 4]);
    assert_eq!(page("after=4&limit=2").await, vec![5]);
    assert_eq!(page("after=5&limit=2").await, Vec::<i64>::new());
}

#[tokio::test]
async fn cases_and_situations_page_by_offset() {
    let app = casus_server::router(state());
    let (_, all) = call(&app, "GET", "/api/v1/cases", None, None).await;
    let all = all.as_array().unwrap().clone();
    assert!(all.len() > 3);
    let (_, page) = call(&app, "GET", "/api/v1/cases?offset=1&limit=2", None, None).await;
    assert_eq!(page.as_array().unwrap(), &all[1..3]);
    let (_, page) = call(&app, "GET", "/api/v1/situations?offset=1", None, None).await;
    assert_eq!(page, json!([]), "one built-in situation in the test state");
    let (s, _) = call(&app, "GET", "/api/v1/cases?limit=x", None, None).await;
    assert_eq!(s, 400);
}
