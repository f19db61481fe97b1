//! The checked-in OpenAPI document matches the router's route table, and is what the server serves.

use crate::common::{call, state};
use serde_json::Value;
use std::collections::BTreeSet;

#[test]
fn openapi_matches_the_routes() {
    let doc: Value = serde_json::from_str(casus_server::OPENAPI_JSON).unwrap();
    let mut documented = BTreeSet::new();
    for (path, ops) in doc["paths"].as_object().unwrap() {
        for method in ops.as_object().unwrap().keys() {
            documented.insert((method.clone(), path.clone()));
        }
    }
    let routed: BTreeSet<(String, String)> = casus_server::ROUTES
        .iter()
        .map(|(m, p, _)| (m.to_string(), p.to_string()))
        .collect();
    let missing: Vec<_> = routed.difference(&documented).collect();
    let stale: Vec<_> = documented.difference(&routed).collect();
    assert!(
        missing.is_empty() && stale.is_empty(),
        "openapi.json has drifted from casus_server::ROUTES.\n  routed but not documented: {missing:?}\n  documented but not routed: {stale:?}\nUpdate crates/server/openapi.json."
    );
    // Writes, and only writes, declare the bearer token.
    for (m, p, write) in casus_server::ROUTES {
        let has = doc["paths"][p][m].get("security").is_some();
        assert_eq!(
            has, *write,
            "{m} {p}: `security` must be declared exactly on writes"
        );
    }
}

#[tokio::test]
async fn the_served_document_is_the_checked_in_one() {
    let app = casus_server::router(state());
    let (s, v) = call(&app, "GET", "/api/v1/openapi.json", None, None).await;
    assert_eq!(s, 200);
    assert_eq!(
        v,
        serde_json::from_str::<Value>(casus_server::OPENAPI_JSON).unwrap()
    );
}

#[tokio::test]
async fn every_documented_get_route_answers_json() {
    let app = casus_server::router(state());
    let doc: Value = serde_json::from_str(casus_server::OPENAPI_JSON).unwrap();
    // Routes documented as answering something else (a situation file, an Atom feed) are not JSON.
    let json = |m: &str, p: &str| {
        doc["paths"][p][m]["responses"]["200"]["content"]
            .get("application/json")
            .is_some()
    };
    for (m, p, _) in casus_server::ROUTES
        .iter()
        .filter(|r| r.0 == "get" && json(r.0, r.1))
    {
        let uri = p
            .replace("{id}", "TEST-BLR-2020")
            .replace("{patron}", "RUS")
            .replace("{target}", "BLR");
        let (s, v) = call(&app, &m.to_uppercase(), &uri, None, None).await;
        assert!(s != 405, "{m} {uri}");
        assert!(v.is_object() || v.is_array(), "{m} {uri}: {v}");
    }
}
