//! Issue 10, item 3: uploaded situations are kept in the store with their TOML, versioned, and
//! survive a restart; they can be listed, fetched (any version) and deleted.

use crate::common::{SITUATION, call, state_with};
use casus_store::{ForecastStore, ListQuery, SituationStore, SqliteStore};
use serde_json::{Value, json};
use std::sync::Arc;

fn uploaded(id: &str, title: &str) -> String {
    let mut s: Value = serde_json::from_str(SITUATION).unwrap();
    s["id"] = id.into();
    s["title"] = title.into();
    s.to_string()
}

fn app_on(db: &std::path::Path) -> axum::Router {
    casus_server::router(state_with(Arc::new(SqliteStore::open(db).unwrap()), None))
}

#[tokio::test]
async fn uploaded_situations_survive_a_restart() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("casus.db");
    let app = app_on(&db);
    let (s, v) = call(
        &app,
        "POST",
        "/api/v1/situations",
        Some(&uploaded("up-1", "First")),
        None,
    )
    .await;
    assert_eq!((s.as_u16(), &v["version"]), (201, &json!(1)), "{v}");
    drop(app);

    // A new server on the same database: the situation is still there, listed and fetchable.
    let app = app_on(&db);
    let (_, list) = call(&app, "GET", "/api/v1/situations", None, None).await;
    let up: Vec<_> = list
        .as_array()
        .unwrap()
        .iter()
        .filter(|s| s["origin"] == "uploaded")
        .collect();
    assert_eq!(up.len(), 1, "{list}");
    assert_eq!(
        (&up[0]["id"], &up[0]["version"]),
        (&json!("up-1"), &json!(1))
    );
    let (s, got) = call(&app, "GET", "/api/v1/situations/up-1", None, None).await;
    assert_eq!((s.as_u16(), &got["title"]), (200, &json!("First")), "{got}");
    // What is stored is a situation file.
    let stored = SqliteStore::open(&db)
        .unwrap()
        .situation("up-1", None)
        .unwrap()
        .unwrap();
    assert!(stored.toml.contains("title = \"First\""), "{}", stored.toml);
    let (_, health) = call(&app, "GET", "/api/v1/health", None, None).await;
    assert_eq!(health["situations"], 2, "{health}");
}

#[tokio::test]
async fn an_edit_is_a_new_version_and_forecasts_name_theirs() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("casus.db");
    let app = app_on(&db);
    let post = |body: String| {
        let app = app.clone();
        async move { call(&app, "POST", "/api/v1/situations", Some(&body), None).await }
    };
    assert_eq!(post(uploaded("up-2", "v1")).await.0, 201);
    // The same upload again stores nothing new.
    let (s, v) = post(uploaded("up-2", "v1")).await;
    assert_eq!((s.as_u16(), &v["version"]), (200, &json!(1)));
    let forecast = json!({"situation_id": "up-2"}).to_string();
    let (_, f1) = call(&app, "POST", "/api/v1/forecasts", Some(&forecast), None).await;
    let (s, v) = post(uploaded("up-2", "v2")).await;
    assert_eq!((s.as_u16(), &v["version"]), (201, &json!(2)));
    let (_, f2) = call(&app, "POST", "/api/v1/forecasts", Some(&forecast), None).await;
    assert_eq!(
        (&f1["situation_version"], &f2["situation_version"]),
        (&json!(1), &json!(2))
    );

    // Delete: gone from the list and from GET, but each version stays readable by number.
    let (s, v) = call(&app, "DELETE", "/api/v1/situations/up-2", None, None).await;
    assert_eq!((s.as_u16(), &v["version"]), (200, &json!(2)), "{v}");
    let (s, _) = call(&app, "GET", "/api/v1/situations/up-2", None, None).await;
    assert_eq!(s, 404);
    let (s, v1) = call(&app, "GET", "/api/v1/situations/up-2?version=1", None, None).await;
    assert_eq!((s.as_u16(), &v1["title"]), (200, &json!("v1")));
    let (s, _) = call(&app, "DELETE", "/api/v1/situations/up-2", None, None).await;
    assert_eq!(s, 404);
    let (s, v) = call(
        &app,
        "DELETE",
        "/api/v1/situations/TEST-BLR-2020",
        None,
        None,
    )
    .await;
    assert_eq!(s, 409, "built-in situations cannot be deleted: {v}");
    // The forecasts are untouched.
    let store = SqliteStore::open(&db).unwrap();
    assert_eq!(store.list(&ListQuery::default()).unwrap().len(), 2);
}

#[tokio::test]
async fn deleting_needs_the_token_when_one_is_set() {
    let token = "0123456789abcdef-token";
    let app = casus_server::router(state_with(
        Arc::new(SqliteStore::open_in_memory().unwrap()),
        Some(token),
    ));
    let body = uploaded("up-3", "t");
    assert_eq!(
        call(&app, "POST", "/api/v1/situations", Some(&body), Some(token))
            .await
            .0,
        201
    );
    assert_eq!(
        call(&app, "DELETE", "/api/v1/situations/up-3", None, None)
            .await
            .0,
        401
    );
    assert_eq!(
        call(&app, "DELETE", "/api/v1/situations/up-3", None, Some(token))
            .await
            .0,
        200
    );
}
