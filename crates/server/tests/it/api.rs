//! The JSON API through the router (tower `oneshot`).

use crate::common::{SITUATION, SITUATION_ID, call, state, state_with};
use casus_store::SqliteStore;
use serde_json::{Value, json};
use std::sync::Arc;

#[tokio::test]
async fn health_names_model_and_store() {
    let app = casus_server::router(state());
    let (s, v) = call(&app, "GET", "/api/v1/health", None, None).await;
    assert_eq!(s, 200);
    assert_eq!(v["status"], "ok");
    let id = crate::common::engine().model_id();
    assert_eq!(v["model"]["id"], id.id.as_str());
    assert_ne!(v["model"]["id"], "checklist-baseline");
}

#[tokio::test]
async fn assess_returns_the_core_assessment() {
    let app = casus_server::router(state());
    let (s, v) = call(&app, "POST", "/api/v1/assess", Some(SITUATION), None).await;
    assert_eq!(s, 200, "{v}");
    // Exactly the fitted model's Assessment with `casus assess`'s default seed (1), serialised.
    let a: casus_core::Assessment = serde_json::from_value(v.clone()).unwrap();
    let model =
        casus_model::FittedModel::from_json(casus_data::builtin::model_json().unwrap()).unwrap();
    let expected = model.assess(
        &crate::common::situation(),
        &casus_model::AssessOptions {
            horizon_days: None,
            seed: 1,
        },
    );
    assert_eq!(a.probability, expected.probability);
    assert_eq!(a.interval, expected.interval);
    assert_eq!(serde_json::to_value(&expected).unwrap(), v);
    assert!(a.interval[0] <= a.probability && a.probability <= a.interval[1]);
    assert_eq!(a.drivers.len(), 18);
}

#[tokio::test]
async fn errors_are_json_with_code_and_message() {
    let app = casus_server::router(state());
    for (method, uri, body, status, code) in [
        ("POST", "/api/v1/assess", Some("{not json"), 400, "bad_json"),
        (
            "POST",
            "/api/v1/assess",
            Some(r#"{"id": "x"}"#),
            400,
            "invalid_situation",
        ),
        ("GET", "/api/v1/situations/nope", None, 404, "not_found"),
        ("GET", "/api/v1/nope", None, 404, "not_found"),
        (
            "DELETE",
            "/api/v1/forecasts",
            None,
            405,
            "method_not_allowed",
        ),
        ("GET", "/api/v1/monitor/RUS/BLR", None, 501, "unavailable"),
        ("GET", "/api/v1/monitor/rus/BLR", None, 400, "bad_country"),
        (
            "POST",
            "/api/v1/forecasts/abc/resolve",
            Some(r#"{"outcome": 1}"#),
            400,
            "bad_id",
        ),
        (
            "POST",
            "/api/v1/forecasts/99/resolve",
            Some(r#"{"outcome": 1}"#),
            404,
            "not_found",
        ),
        (
            "POST",
            "/api/v1/scenarios",
            Some(r#"{"situation_id": "TEST-BLR-2020", "moves": ["nope"]}"#),
            400,
            "unknown_move",
        ),
        ("GET", "/api/v1/forecasts?limit=abc", None, 400, "bad_query"),
    ] {
        let (s, v) = call(&app, method, uri, body, None).await;
        assert_eq!(s.as_u16(), status, "{method} {uri}: {v}");
        assert_eq!(v["error"]["code"], code, "{method} {uri}: {v}");
        assert!(
            v["error"]["message"]
                .as_str()
                .is_some_and(|m| !m.is_empty())
        );
    }
}

#[tokio::test]
async fn body_limit_is_enforced_with_a_json_error() {
    let app = casus_server::router(state());
    let big = format!(
        "{{\"id\": \"{}\"}}",
        "x".repeat(casus_server::BODY_LIMIT + 10)
    );
    let (s, v) = call(&app, "POST", "/api/v1/assess", Some(&big), None).await;
    assert_eq!(s, 413);
    assert_eq!(v["error"]["code"], "payload_too_large");
}

#[tokio::test]
async fn scenario_moves_and_sliders_change_the_probability() {
    let app = casus_server::router(state());
    let body = json!({"situation_id": SITUATION_ID, "moves": ["opposition.demand_reorientation"]});
    let (s, v) = call(
        &app,
        "POST",
        "/api/v1/scenarios",
        Some(&body.to_string()),
        None,
    )
    .await;
    assert_eq!(s, 200, "{v}");
    assert!(v["delta"].as_f64().unwrap() > 0.01, "{v}");
    assert_eq!(v["factors"]["reorientation"], 1.0);
    let body = json!({"situation": serde_json::from_str::<Value>(SITUATION).unwrap(), "factors": {"managed_transition": 1.0}});
    let (_, v) = call(
        &app,
        "POST",
        "/api/v1/scenarios",
        Some(&body.to_string()),
        None,
    )
    .await;
    assert!(v["delta"].as_f64().unwrap() < 0.0, "{v}");
}

#[tokio::test]
async fn explain_is_casus_explain_explanation() {
    let app = casus_server::router(state());
    let (s, v) = call(&app, "POST", "/api/v1/explain", Some(SITUATION), None).await;
    assert_eq!(s, 200, "{v}");
    let e = crate::common::engine();
    let cases = casus_data::builtin::cases().unwrap();
    let direct = e.explain(&crate::common::situation(), &cases);
    assert_eq!(serde_json::to_value(&direct).unwrap(), v);
    assert_eq!(v["interests"].as_array().unwrap().len(), 2);
    for key in ["restraints", "options", "drivers", "evidence"] {
        assert!(v[key].is_array(), "{key}: {v}");
    }
    assert!(!v["analogues"]["nearest"].as_array().unwrap().is_empty());
    // The five steps of the path, then force itself with a probability.
    let path = v["path"].as_array().unwrap();
    assert_eq!(path.len(), 6);
    assert!(path[5]["probability"].is_f64());
    assert!(v["signposts"].is_array());
    assert!(v["band"].is_string());
}

#[tokio::test]
async fn situations_upload_list_get() {
    let app = casus_server::router(state());
    let mut s: Value = serde_json::from_str(SITUATION).unwrap();
    s["id"] = "uploaded-1".into();
    let (st, v) = call(
        &app,
        "POST",
        "/api/v1/situations",
        Some(&s.to_string()),
        None,
    )
    .await;
    assert_eq!(st, 201, "{v}");
    let (_, list) = call(&app, "GET", "/api/v1/situations", None, None).await;
    let origins: Vec<_> = list
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["origin"].clone())
        .collect();
    assert_eq!(origins, vec![json!("builtin"), json!("uploaded")]);
    let (st, got) = call(&app, "GET", "/api/v1/situations/uploaded-1", None, None).await;
    assert_eq!(st, 200);
    // What GET returns can be posted back to /assess (the TOML shape round-trips).
    let (st, _) = call(&app, "POST", "/api/v1/assess", Some(&got.to_string()), None).await;
    assert_eq!(st, 200);
}

#[tokio::test]
async fn cases_list_and_get() {
    let app = casus_server::router(state());
    let (s, v) = call(&app, "GET", "/api/v1/cases", None, None).await;
    assert_eq!(s, 200);
    let cases = v.as_array().unwrap();
    if let Some(first) = cases.first() {
        let id = first["id"].as_str().unwrap();
        let (s, c) = call(&app, "GET", &format!("/api/v1/cases/{id}"), None, None).await;
        assert_eq!(s, 200);
        assert_eq!(&c, first);
    }
}

#[tokio::test]
async fn forecasts_create_list_resolve_score() {
    let app = casus_server::router(state());
    let body = json!({"situation_id": SITUATION_ID, "question_key": "metaculus:9001"});
    let (s, f) = call(
        &app,
        "POST",
        "/api/v1/forecasts",
        Some(&body.to_string()),
        None,
    )
    .await;
    assert_eq!(s, 201, "{f}");
    assert_eq!(f["source"], "casus");
    assert_eq!(
        f["model_id"],
        crate::common::engine().model_id().id.as_str()
    );
    assert_eq!(f["input_hash"].as_str().unwrap().len(), 64);
    assert!(
        f["question"]
            .as_str()
            .unwrap()
            .starts_with("Will RUS use military force in or against BLR by 2021-08-25")
    );
    let crowd = json!({"source": "metaculus", "probability": 0.2, "question": "Force?", "question_key": "metaculus:9001", "created_at": "2020-08-18T00:00:00Z"});
    let (s, c) = call(
        &app,
        "POST",
        "/api/v1/forecasts",
        Some(&crowd.to_string()),
        None,
    )
    .await;
    assert_eq!(s, 201, "{c}");
    // A casus forecast cannot be given a probability by hand.
    let bad = json!({"situation_id": SITUATION_ID, "probability": 0.9});
    assert_eq!(
        call(
            &app,
            "POST",
            "/api/v1/forecasts",
            Some(&bad.to_string()),
            None
        )
        .await
        .0,
        400
    );

    for id in [&f["id"], &c["id"]] {
        let (s, r) = call(
            &app,
            "POST",
            &format!("/api/v1/forecasts/{id}/resolve"),
            Some(r#"{"outcome": 0}"#),
            None,
        )
        .await;
        assert_eq!(s, 200, "{r}");
    }
    let (s, r) = call(
        &app,
        "POST",
        &format!("/api/v1/forecasts/{}/resolve", f["id"]),
        Some(r#"{"outcome": 1}"#),
        None,
    )
    .await;
    assert_eq!(
        (s.as_u16(), r["error"]["code"].as_str()),
        (409, Some("conflict"))
    );
    let (_, list) = call(
        &app,
        "GET",
        "/api/v1/forecasts?source=casus&resolved=true",
        None,
        None,
    )
    .await;
    assert_eq!(list.as_array().unwrap().len(), 1);
    let (_, sc) = call(&app, "GET", "/api/v1/scores", None, None).await;
    assert_eq!(sc["sources"][0]["source"], "casus");
    assert_eq!(sc["paired"][0]["crowd"], "metaculus");
    assert!((sc["paired"][0]["crowd_brier"].as_f64().unwrap() - 0.04).abs() < 1e-12);
}

#[tokio::test]
async fn writes_need_the_token_when_one_is_set() {
    let token = "0123456789abcdef-token";
    let app = casus_server::router(state_with(
        Arc::new(SqliteStore::open_in_memory().unwrap()),
        Some(token),
    ));
    let body = json!({"situation_id": SITUATION_ID}).to_string();
    let (s, v) = call(&app, "POST", "/api/v1/forecasts", Some(&body), None).await;
    assert_eq!(
        (s.as_u16(), v["error"]["code"].as_str()),
        (401, Some("unauthorized"))
    );
    assert_eq!(
        call(
            &app,
            "POST",
            "/api/v1/forecasts",
            Some(&body),
            Some("wrong-token-0123456")
        )
        .await
        .0,
        401
    );
    assert_eq!(
        call(&app, "POST", "/api/v1/forecasts", Some(&body), Some(token))
            .await
            .0,
        201
    );
    assert_eq!(
        call(&app, "POST", "/api/v1/situations", Some(SITUATION), None)
            .await
            .0,
        401
    );
    assert_eq!(
        call(
            &app,
            "POST",
            "/api/v1/forecasts/1/resolve",
            Some(r#"{"outcome":1}"#),
            None
        )
        .await
        .0,
        401
    );
    // Reads and assessments stay open.
    assert_eq!(
        call(&app, "GET", "/api/v1/forecasts", None, None).await.0,
        200
    );
    assert_eq!(
        call(&app, "POST", "/api/v1/assess", Some(SITUATION), None)
            .await
            .0,
        200
    );
}

#[test]
fn non_loopback_needs_a_token() {
    use casus_server::Config;
    let c = |addr: &str, token: Option<&str>| {
        Config {
            addr: addr.parse().unwrap(),
            token: token.map(String::from),
        }
        .check()
    };
    assert!(c("127.0.0.1:8080", None).is_ok());
    assert!(c("[::1]:8080", None).is_ok());
    let e = c("0.0.0.0:8080", None).unwrap_err();
    assert!(
        e.to_string().contains("refusing to listen on 0.0.0.0:8080"),
        "{e}"
    );
    assert!(c("0.0.0.0:8080", Some("short")).is_err());
    assert!(c("0.0.0.0:8080", Some("a-long-enough-token")).is_ok());
}

/// Issue 10, item 2: the server dates casus forecasts itself; a crowd forecast with its own date is
/// marked imported, and none may be dated in the future or after its question resolved.
#[tokio::test]
async fn a_backdated_forecast_is_refused() {
    let app = casus_server::router(state());
    let post = |body: Value| {
        let app = app.clone();
        async move {
            call(
                &app,
                "POST",
                "/api/v1/forecasts",
                Some(&body.to_string()),
                None,
            )
            .await
        }
    };
    let (s, v) =
        post(json!({"situation_id": SITUATION_ID, "created_at": "2020-08-25T00:00:00Z"})).await;
    assert_eq!(s, 400, "{v}");
    assert!(
        v["error"]["message"]
            .as_str()
            .unwrap()
            .contains("dated by the server"),
        "{v}"
    );
    let before = chrono::Utc::now();
    let (s, f) = post(json!({"situation_id": SITUATION_ID, "question_key": "k:1"})).await;
    assert_eq!(s, 201, "{f}");
    let made: chrono::DateTime<chrono::Utc> = f["created_at"].as_str().unwrap().parse().unwrap();
    assert!(made >= before - chrono::Duration::seconds(1) && made <= chrono::Utc::now());
    assert_eq!(f["imported"], false);

    let crowd = |at: &str| json!({"source": "metaculus", "probability": 0.3, "question": "q", "question_key": "k:1", "created_at": at});
    let (s, c) = post(crowd("2020-08-18T00:00:00Z")).await;
    assert_eq!((s.as_u16(), &c["imported"]), (201, &json!(true)), "{c}");
    let (s, v) = post(crowd("2999-01-01T00:00:00Z")).await;
    assert_eq!(s, 400, "a crowd forecast from the future: {v}");

    let (s, _) = call(
        &app,
        "POST",
        &format!("/api/v1/forecasts/{}/resolve", f["id"]),
        Some(r#"{"outcome": 0}"#),
        None,
    )
    .await;
    assert_eq!(s, 200);
    // The question has resolved: nothing new may be dated after that.
    let (s, v) = post(json!({"situation_id": SITUATION_ID, "question_key": "k:1"})).await;
    assert_eq!(s, 400, "{v}");
    let (s, v) = post(crowd(&chrono::Utc::now().to_rfc3339())).await;
    assert_eq!(s, 400, "{v}");
    // A resolution dated before the forecast was made is refused.
    let (_, g) = post(json!({"situation_id": SITUATION_ID, "question_key": "k:2"})).await;
    let (s, v) = call(
        &app,
        "POST",
        &format!("/api/v1/forecasts/{}/resolve", g["id"]),
        Some(r#"{"outcome": 1, "resolved_at": "2020-01-01T00:00:00Z"}"#),
        None,
    )
    .await;
    assert_eq!(s, 400, "{v}");
}
