//! Issue 12, items 1 and 2: a situation saved at three dates has a three-point history, the
//! watchlist shows the change since the previous version, the Atom feed parses and lists every
//! move across an estimative band, and the downloaded situation file validates.

use crate::common::{SITUATION, call, call_with, state_with};
use axum::body::Body;
use axum::http::Request;
use casus_store::SqliteStore;
use serde_json::{Value, json};
use std::sync::Arc;
use tower::ServiceExt;

/// The fixture re-coded as a crisis escalates: quiet, then a build-up, then the incumbent falls.
pub fn escalating(id: &str, step: usize) -> Value {
    let mut s: Value = serde_json::from_str(SITUATION).unwrap();
    s["id"] = id.into();
    s["title"] = "Watched crisis".into();
    let dates = ["2020-08-25", "2020-09-10", "2020-10-01"];
    s["as_of"] = dates[step].into();
    if step >= 1 {
        s["factors"]["military_signals"] = json!(1.0);
        s["factors"]["reorientation"] = json!(0.5);
        s["evidence"].as_array_mut().unwrap().push(json!({
            "factor": "military_signals", "date": "2020-09-08",
            "text": "Units moved to the border.", "source": "https://www.reuters.com/x"
        }));
    }
    if step >= 2 {
        let f = &mut s["factors"];
        f["reorientation"] = json!(1.0);
        f["incumbent_in_control"] = json!(0.0);
        f["security_defection"] = json!(1.0);
        f["armed_violence"] = json!(1.0);
        f["ally_incumbent"] = json!(0.0);
    }
    s
}

fn app_on(db: &std::path::Path) -> axum::Router {
    casus_server::router(state_with(Arc::new(SqliteStore::open(db).unwrap()), None))
}

/// GET `uri` and return the status, the content type and the body as text.
async fn get_text(app: &axum::Router, uri: &str) -> (u16, String, String) {
    let req = Request::builder()
        .uri(uri)
        .header("host", crate::common::HOST)
        .body(Body::empty())
        .unwrap();
    let res = app.clone().oneshot(req).await.unwrap();
    let status = res.status().as_u16();
    let ct = res
        .headers()
        .get("content-type")
        .map(|v| v.to_str().unwrap().to_string())
        .unwrap_or_default();
    let bytes = axum::body::to_bytes(res.into_body(), usize::MAX)
        .await
        .unwrap();
    (status, ct, String::from_utf8(bytes.to_vec()).unwrap())
}

async fn save_three(app: &axum::Router, id: &str) {
    for step in 0..3 {
        let body = escalating(id, step).to_string();
        let (s, v) = call(app, "POST", "/api/v1/situations", Some(&body), None).await;
        assert_eq!((s.as_u16(), &v["version"]), (201, &json!(step + 1)), "{v}");
    }
}

#[tokio::test]
async fn three_dates_make_a_three_point_history_and_the_watchlist_shows_the_change() {
    let dir = tempfile::tempdir().unwrap();
    let app = app_on(&dir.path().join("casus.db"));
    save_three(&app, "watch-1").await;
    let (s, h) = call(
        &app,
        "GET",
        "/api/v1/situations/watch-1/history",
        None,
        None,
    )
    .await;
    assert_eq!(s, 200, "{h}");
    let pts = h["points"].as_array().unwrap();
    assert_eq!(pts.len(), 3, "{h}");
    let dates: Vec<_> = pts.iter().map(|p| p["as_of"].as_str().unwrap()).collect();
    assert_eq!(dates, ["2020-08-25", "2020-09-10", "2020-10-01"]);
    let p: Vec<f64> = pts
        .iter()
        .map(|p| p["probability"].as_f64().unwrap())
        .collect();
    eprintln!("history: {p:?}");
    assert!(p[0] < p[1] && p[1] < p[2], "the risk rises: {p:?}");
    for x in pts {
        let iv = &x["interval"];
        assert!(iv[0].as_f64().unwrap() <= x["probability"].as_f64().unwrap());
        assert!(x["words"].is_string());
    }
    // What changed in version 2: the re-coded factors and the evidence added.
    let changed: Vec<_> = pts[1]["changes"]["factors"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["factor"].as_str().unwrap())
        .collect();
    assert_eq!(changed, ["reorientation", "military_signals"]);
    assert_eq!(
        pts[1]["changes"]["evidence_added"][0]["text"],
        "Units moved to the border."
    );
    assert!(pts[0]["changes"]["factors"].as_array().unwrap().is_empty());

    // The watchlist entry carries the change since version 2.
    let (_, list) = call(&app, "GET", "/api/v1/situations", None, None).await;
    let w = list
        .as_array()
        .unwrap()
        .iter()
        .find(|s| s["id"] == "watch-1")
        .unwrap();
    assert_eq!(w["previous"]["version"], 2, "{w}");
    let change = w["previous"]["change"].as_f64().unwrap();
    assert!((change - (p[2] - p[1])).abs() < 1e-12, "{w}");
    let builtin = list
        .as_array()
        .unwrap()
        .iter()
        .find(|s| s["origin"] == "builtin")
        .unwrap();
    assert!(builtin["previous"].is_null());

    let (s, v) = call(&app, "GET", "/api/v1/situations/nope/history", None, None).await;
    assert_eq!(s, 404, "{v}");
    let (s, v) = call(
        &app,
        "GET",
        "/api/v1/situations/TEST-BLR-2020/history",
        None,
        None,
    )
    .await;
    assert_eq!(s, 404);
    assert!(
        v["error"]["message"].as_str().unwrap().contains("built-in"),
        "{v}"
    );
}

fn child<'a>(n: roxmltree::Node<'a, 'a>, name: &str) -> Option<roxmltree::Node<'a, 'a>> {
    n.children().find(|c| c.tag_name().name() == name)
}

#[tokio::test]
async fn the_atom_feed_parses_and_lists_the_band_changes() {
    let dir = tempfile::tempdir().unwrap();
    let app = app_on(&dir.path().join("casus.db"));
    save_three(&app, "watch & <feed>").await;
    let (_, h) = call(
        &app,
        "GET",
        "/api/v1/situations/watch%20%26%20%3Cfeed%3E/history",
        None,
        None,
    )
    .await;
    let words: Vec<&str> = h["points"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p["words"].as_str().unwrap())
        .collect();
    let moves: Vec<(usize, &str)> = (1..words.len())
        .filter(|&i| words[i] != words[i - 1])
        .map(|i| (i + 1, words[i]))
        .collect();
    assert!(
        moves.len() >= 2,
        "the fixture should cross two bands: {words:?}"
    );

    let (s, ct, xml) = get_text(&app, "/api/v1/alerts.atom").await;
    assert_eq!(s, 200, "{xml}");
    assert_eq!(ct, "application/atom+xml; charset=utf-8");
    let doc = roxmltree::Document::parse(&xml).unwrap_or_else(|e| panic!("{e}\n{xml}"));
    let feed = doc.root_element();
    assert_eq!(
        (feed.tag_name().name(), feed.tag_name().namespace()),
        ("feed", Some("http://www.w3.org/2005/Atom"))
    );
    for name in ["id", "title", "updated", "author"] {
        assert!(child(feed, name).is_some(), "feed without <{name}>: {xml}");
    }
    let entries: Vec<_> = feed
        .children()
        .filter(|c| c.tag_name().name() == "entry")
        .collect();
    assert_eq!(entries.len(), moves.len(), "{xml}");
    let mut ids = Vec::new();
    for e in &entries {
        for name in ["id", "title", "updated", "summary"] {
            assert!(
                child(*e, name).and_then(|n| n.text()).is_some(),
                "entry without <{name}>: {xml}"
            );
        }
        let updated = child(*e, "updated").unwrap().text().unwrap();
        chrono::DateTime::parse_from_rfc3339(updated).unwrap();
        let href = child(*e, "link").unwrap().attribute("href").unwrap();
        assert!(
            href.starts_with("http://127.0.0.1:8080/#/history/"),
            "{href}"
        );
        ids.push(child(*e, "id").unwrap().text().unwrap().to_string());
    }
    // Each band move is announced once, with the words it moved into.
    for (version, to) in &moves {
        let hit = entries.iter().any(|e| {
            let id = child(*e, "id").unwrap().text().unwrap();
            let title = child(*e, "title").unwrap().text().unwrap();
            id.contains(&format!("/v{version}/")) && title.contains(&format!("\"{to}\""))
        });
        assert!(hit, "no entry for the move into {to} at v{version}: {xml}");
    }
    // The situation's id and title are escaped, and the ids are the same on the next request.
    let summary = child(entries[0], "summary").unwrap().text().unwrap();
    assert!(summary.contains("(watch & <feed>)"), "{summary}");
    let (_, _, again) = get_text(&app, "/api/v1/alerts.atom").await;
    assert_eq!(again, xml, "the feed is stable between requests");
    let mut unique = ids.clone();
    unique.sort();
    unique.dedup();
    assert_eq!(unique.len(), ids.len());
}

#[tokio::test]
async fn the_downloaded_file_validates_and_late_evidence_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    let app = app_on(&dir.path().join("casus.db"));
    save_three(&app, "watch-3").await;
    let (s, ct, toml) = get_text(&app, "/api/v1/situations/watch-3/toml").await;
    assert_eq!((s, ct.as_str()), (200, "application/toml; charset=utf-8"));
    let got = casus_data::parse_situation(std::path::Path::new("watch-3.toml"), &toml).unwrap();
    assert_eq!(got.as_of.to_string(), "2020-10-01");
    let (_, _, v1) = get_text(&app, "/api/v1/situations/watch-3/toml?version=1").await;
    let got = casus_data::parse_situation(std::path::Path::new("v1.toml"), &v1).unwrap();
    assert_eq!(got.as_of.to_string(), "2020-08-25");
    // A built-in situation is written out as a file too.
    let (s, _, b) = get_text(&app, "/api/v1/situations/TEST-BLR-2020/toml").await;
    assert_eq!(s, 200);
    let got = casus_data::parse_situation(std::path::Path::new("b.toml"), &b).unwrap();
    assert_eq!(got, crate::common::situation());
    assert_eq!(get_text(&app, "/api/v1/situations/nope/toml").await.0, 404);

    // Evidence dated after as_of is refused, saying why, and nothing is stored.
    let mut late = escalating("watch-3", 0);
    late["evidence"].as_array_mut().unwrap().push(json!({
        "factor": "military_signals", "date": "2020-08-30",
        "text": "Later news.", "source": "https://www.reuters.com/y"
    }));
    let (s, v) = call(
        &app,
        "POST",
        "/api/v1/situations",
        Some(&late.to_string()),
        None,
    )
    .await;
    assert_eq!(s, 400);
    let msg = v["error"]["message"].as_str().unwrap();
    assert!(
        msg.contains("dated 2020-08-30, after as_of 2020-08-25"),
        "{msg}"
    );
    let (_, h) = call(
        &app,
        "GET",
        "/api/v1/situations/watch-3/history",
        None,
        None,
    )
    .await;
    assert_eq!(h["points"].as_array().unwrap().len(), 3);
    // The coding vocabulary names every factor with its anchors.
    let (_, c) = call_with(
        &app,
        "GET",
        "/api/v1/coding",
        None,
        &[("host", crate::common::HOST.to_string())],
    )
    .await;
    assert_eq!(c["factors"].as_array().unwrap().len(), 18);
    assert_eq!(c["factors"][0]["anchors"].as_array().unwrap().len(), 3);
}

/// Event data that always holds one alert for each dyad asked about.
struct OneAlert;

impl casus_server::MonitorSource for OneAlert {
    fn series(
        &self,
        patron: &casus_core::CountryCode,
        target: &casus_core::CountryCode,
    ) -> Result<Option<casus_server::Series>, String> {
        let date = casus_core::NaiveDate::from_ymd_opt(2020, 9, 3).unwrap();
        Ok(Some(casus_server::Series {
            patron: patron.to_string(),
            target: target.to_string(),
            source: "test events".into(),
            metrics: vec!["probability".into()],
            points: vec![casus_server::SeriesPoint {
                date,
                values: vec![0.4],
            }],
            alerts: vec![casus_server::SeriesAlert {
                date,
                kind: "jump".into(),
                message: "moved +20 points in a day (20% → 40%)".into(),
            }],
        }))
    }
}

#[tokio::test]
async fn monitor_alerts_join_the_feed_when_event_data_are_attached() {
    let store = Arc::new(SqliteStore::open_in_memory().unwrap());
    let app = casus_server::router(state_with(store, None).with_monitor(Arc::new(OneAlert)));
    let (_, _, xml) = get_text(&app, "/api/v1/alerts.atom").await;
    let doc = roxmltree::Document::parse(&xml).unwrap();
    let entries: Vec<_> = doc
        .root_element()
        .children()
        .filter(|c| c.tag_name().name() == "entry")
        .collect();
    // The built-in situation's dyad, RUS → BLR: one alert, linked to its monitoring page.
    assert_eq!(entries.len(), 1, "{xml}");
    let title = child(entries[0], "title").unwrap().text().unwrap();
    assert_eq!(title, "RUS → BLR: moved +20 points in a day (20% → 40%)");
    let id = child(entries[0], "id").unwrap().text().unwrap();
    assert!(id.ends_with("/monitor/RUS-BLR/2020-09-03/jump"), "{id}");
    let href = child(entries[0], "link")
        .unwrap()
        .attribute("href")
        .unwrap();
    assert_eq!(href, "http://127.0.0.1:8080/#/monitor/RUS/BLR");
    assert_eq!(
        child(entries[0], "updated").unwrap().text(),
        Some("2020-09-03T00:00:00Z")
    );
}
