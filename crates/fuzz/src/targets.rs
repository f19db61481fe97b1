//! The targets: every parser of user input, and the API's JSON bodies through the router.

use crate::{Outcome, Target, shape, workspace_dir};
use std::path::Path;

/// Every target, in the order `casus-fuzz all` runs them.
pub static TARGETS: &[Target] = &[
    Target {
        name: "situation-toml",
        about: "casus_data::parse_situation; an accepted file must read the same as its JSON twin",
        seeds: situation_seeds,
        dict: TOML_DICT,
        check: situation_toml,
    },
    Target {
        name: "situation-json",
        about: "casus_data::situation_from_json, as the API reads a situation body",
        seeds: situation_json_seeds,
        dict: JSON_DICT,
        check: situation_json,
    },
    Target {
        name: "case",
        about: "casus_data::parse_case",
        seeds: case_seeds,
        dict: TOML_DICT,
        check: case,
    },
    Target {
        name: "moves",
        about: "casus_explain::Catalogue::parse, then every move applied",
        seeds: move_seeds,
        dict: TOML_DICT,
        check: moves,
    },
    #[cfg(feature = "events")]
    Target {
        name: "gdelt1",
        about: "casus_events::parse_bytes(Gdelt1): rows and rows skipped, never a panic",
        seeds: || event_seeds("gdelt1_sample.tsv"),
        dict: EVENT_DICT,
        check: |b| events::check(casus_events::Format::Gdelt1, b),
    },
    #[cfg(feature = "events")]
    Target {
        name: "gdelt2",
        about: "casus_events::parse_bytes(Gdelt2)",
        seeds: || event_seeds("gdelt2_sample.tsv"),
        dict: EVENT_DICT,
        check: |b| events::check(casus_events::Format::Gdelt2, b),
    },
    #[cfg(feature = "events")]
    Target {
        name: "icews-raw",
        about: "casus_events::parse_bytes(IcewsRaw)",
        seeds: || event_seeds("icews_raw_sample.tsv"),
        dict: EVENT_DICT,
        check: |b| events::check(casus_events::Format::IcewsRaw, b),
    },
    #[cfg(feature = "events")]
    Target {
        name: "icews-quad",
        about: "casus_events::parse_bytes(IcewsQuad)",
        seeds: || event_seeds("icews_quad_sample.txt"),
        dict: EVENT_DICT,
        check: |b| events::check(casus_events::Format::IcewsQuad, b),
    },
    Target {
        name: "api",
        about: "POST bodies through the router (oneshot): situations, assess, scenarios, \
                forecasts, resolve; never a 500, every error a JSON body",
        seeds: api::seeds,
        dict: JSON_DICT,
        check: api::check,
    },
];

const TOML_DICT: &[&[u8]] = &[
    b"=",
    b"[",
    b"]",
    b"[[",
    b"]]",
    b"{",
    b"}",
    b",",
    b"\"",
    b"\"\"\"",
    b"'''",
    b"#",
    b".",
    b"[factors]",
    b"[evidence]",
    b"[[move]]",
    b"low",
    b"high",
    b"id",
    b"patron",
    b"target",
    b"as_of",
    b"horizon_days",
    b"crisis_type",
    b"outcome",
    b"set",
    b"at_least",
    b"at_most",
    b"probability",
    b"2020-08-25",
    b"1979-05-27T07:32:00Z",
    b"07:32:00",
    b"{ low = 0.2, high = 0.9 }",
    b"RUS",
    b"UKR",
    b"XXX",
    b"rus",
];

const JSON_DICT: &[&[u8]] = &[
    b"{",
    b"}",
    b"[",
    b"]",
    b":",
    b",",
    b"\"",
    b"\"id\":",
    b"\"patron\":",
    b"\"target\":",
    b"\"as_of\":",
    b"\"factors\":",
    b"\"low\":",
    b"\"high\":",
    b"\"situation\":",
    b"\"situation_id\":",
    b"\"moves\":",
    b"\"probability\":",
    b"\"source\":",
    b"\"created_at\":",
    b"\"outcome\":",
    b"\"resolved_at\":",
    b"\"2020-08-25\"",
    b"\"2020-08-25T00:00:00Z\"",
    b"\"2999-01-01T00:00:00Z\"",
    b"\"RUS\"",
    b"\"UKR\"",
    b"\"TEST-BLR-2020\"",
    b"{\"low\": 0.1, \"high\": 0.9}",
];

#[cfg(feature = "events")]
const EVENT_DICT: &[&[u8]] = &[
    b"\t",
    b"\t\t",
    b"\n",
    b"\r\n",
    b"190",
    b"0211",
    b"20",
    b"21",
    b"1",
    b"-10",
    b"10.5",
    b"1e30",
    b"-1e30",
    b"RUS",
    b"UKR",
    b"GOV",
    b"MIL",
    b"Event ID",
    b"Russia",
    b"Ukraine",
    b"Government (Ukraine)",
    b"Consult",
    b"Demonstrate or rally",
    b"2014-02-28",
    b"20140228",
];

fn read_dir_files(dir: &Path, ext: &str) -> Vec<Vec<u8>> {
    let mut paths: Vec<_> = std::fs::read_dir(dir)
        .map(|rd| rd.filter_map(|e| e.ok().map(|e| e.path())).collect())
        .unwrap_or_default();
    paths.retain(|p| p.extension().is_some_and(|e| e == ext));
    paths.sort();
    paths.iter().filter_map(|p| std::fs::read(p).ok()).collect()
}

fn situation_seeds() -> Vec<Vec<u8>> {
    read_dir_files(&workspace_dir().join("data/situations"), "toml")
}

fn situation_json_seeds() -> Vec<Vec<u8>> {
    situation_seeds()
        .iter()
        .filter_map(|b| std::str::from_utf8(b).ok()?.parse::<toml::Table>().ok())
        .filter_map(|t| serde_json::to_vec_pretty(&toml_to_json(toml::Value::Table(t))?).ok())
        .collect()
}

fn case_seeds() -> Vec<Vec<u8>> {
    // A few cases of different shapes, not all 80: the pool stays small and each one is mutated
    // more often.
    read_dir_files(&workspace_dir().join("data/cases"), "toml")
        .into_iter()
        .step_by(8)
        .collect()
}

fn move_seeds() -> Vec<Vec<u8>> {
    std::fs::read(workspace_dir().join("data/moves.toml"))
        .into_iter()
        .collect()
}

#[cfg(feature = "events")]
fn event_seeds(name: &str) -> Vec<Vec<u8>> {
    let path = workspace_dir()
        .join("crates/events/tests/fixtures")
        .join(name);
    let Ok(bytes) = std::fs::read(path) else {
        return Vec::new();
    };
    // The first dozen rows: enough for each kind of row, short enough to mutate quickly.
    let lines: Vec<&[u8]> = bytes.split_inclusive(|&b| b == b'\n').collect();
    lines.chunks(12).take(2).map(|c| c.concat()).collect()
}

/// A TOML value as JSON in the shape the API takes (dates as strings); `None` for a float JSON
/// cannot hold.
pub(crate) fn toml_to_json(v: toml::Value) -> Option<serde_json::Value> {
    use serde_json::Value as J;
    Some(match v {
        toml::Value::String(s) => J::String(s),
        toml::Value::Integer(i) => J::from(i),
        toml::Value::Float(f) => J::from(serde_json::Number::from_f64(f)?),
        toml::Value::Boolean(b) => J::Bool(b),
        toml::Value::Datetime(d) => J::String(d.to_string()),
        toml::Value::Array(a) => J::Array(a.into_iter().map(toml_to_json).collect::<Option<_>>()?),
        toml::Value::Table(t) => J::Object(
            t.into_iter()
                .map(|(k, v)| Some((k, toml_to_json(v)?)))
                .collect::<Option<_>>()?,
        ),
    })
}

/// An error must say which file it is about, on its first line.
fn names_file(message: &str, file: &str) -> Outcome {
    if message.starts_with(file) && message.len() > file.len() + 2 {
        Ok(shape(&message[file.len()..]))
    } else {
        Err(format!("an error that does not name `{file}`: {message:?}"))
    }
}

fn situation_toml(b: &[u8]) -> Outcome {
    let Ok(src) = std::str::from_utf8(b) else {
        return Ok("not UTF-8".into());
    };
    let file = "fuzz-situation.toml";
    match casus_data::parse_situation(Path::new(file), src) {
        Err(e) => names_file(&e.to_string(), file),
        Ok(s) => {
            let Some(json) = src
                .parse::<toml::Table>()
                .ok()
                .and_then(|t| toml_to_json(toml::Value::Table(t)))
            else {
                return Ok("ok".into());
            };
            match casus_data::situation_from_json(&json.to_string()) {
                Ok(twin) if twin == s => Ok(format!("ok {}", s.factors.iter().count())),
                Ok(_) => Err("the TOML and its JSON twin read differently".into()),
                Err(e) => Err(format!("accepted as TOML, refused as JSON: {e}")),
            }
        }
    }
}

fn situation_json(b: &[u8]) -> Outcome {
    // As the API reads a body: bytes → JSON value → situation.
    let Ok(v) = serde_json::from_slice::<serde_json::Value>(b) else {
        return Ok("not JSON".into());
    };
    match casus_data::situation_from_json(&v.to_string()) {
        Err(e) => names_file(&e.to_string(), "<request body>"),
        Ok(s) => Ok(format!("ok {}", s.factors.iter().count())),
    }
}

fn case(b: &[u8]) -> Outcome {
    let Ok(src) = std::str::from_utf8(b) else {
        return Ok("not UTF-8".into());
    };
    // A case file's name must be its id; name it so, to reach the checks past that one.
    let id = src
        .lines()
        .find_map(|l| l.strip_prefix("id = \""))
        .and_then(|rest| rest.split('"').next())
        .filter(|id| !id.is_empty() && id.chars().all(|c| c.is_ascii_alphanumeric() || c == '-'))
        .unwrap_or("FUZZ-CASE");
    let file = format!("{id}.toml");
    match casus_data::parse_case(Path::new(&file), src) {
        Err(e) => names_file(&e.to_string(), &file),
        Ok(c) => Ok(format!("ok {}", c.sources.len().min(2))),
    }
}

fn moves(b: &[u8]) -> Outcome {
    let Ok(src) = std::str::from_utf8(b) else {
        return Ok("not UTF-8".into());
    };
    let file = "fuzz-moves.toml";
    match casus_explain::Catalogue::parse(Path::new(file), src) {
        Err(e) => names_file(&e.to_string(), file),
        Ok(cat) => {
            let base = casus_core::FactorValues::default();
            for m in &cat.moves {
                let _ = m.apply_to(&base);
            }
            let ids: Vec<&str> = cat.moves.iter().map(|m| m.id.as_str()).collect();
            if cat.select(&ids).is_err() {
                return Err("a parsed catalogue cannot select its own moves".into());
            }
            Ok(format!("ok {}", cat.moves.len().min(3)))
        }
    }
}

#[cfg(feature = "events")]
mod events {
    use crate::{Outcome, shape};
    use casus_events::Format;

    pub(super) fn check(format: Format, b: &[u8]) -> Outcome {
        let p = casus_events::parse_bytes(format, b).map_err(|e| format!("an error: {e}"))?;
        let lines = b
            .split(|&c| c == b'\n')
            .filter(|l| !l.is_empty() && *l != b"\r")
            .count() as u64;
        if p.rows_ok + p.bad.total > lines {
            return Err(format!(
                "{} rows and {} skipped from {lines} lines",
                p.rows_ok, p.bad.total
            ));
        }
        if p.rows_per_month.values().sum::<usize>() as u64 != p.rows_ok {
            return Err("rows per month do not add up to the rows read".into());
        }
        // Which kinds of skipped row occur, not how many or in what order.
        let kinds: std::collections::BTreeSet<String> = p
            .bad
            .first
            .iter()
            .map(|r| shape(&r.kind.to_string()))
            .collect();
        let kinds: Vec<String> = kinds.into_iter().collect();
        Ok(format!("{} {}", p.rows_ok.min(2), kinds.join(",")))
    }
}

mod api {
    use crate::Outcome;
    use axum::body::Body;
    use axum::http::Request;
    use std::sync::{Arc, OnceLock};
    use tower::ServiceExt;

    const HOST: &str = "127.0.0.1:8080";

    /// The endpoints that take a JSON body; an input's first byte picks one.
    const ENDPOINTS: &[&str] = &[
        "/api/v1/situations",
        "/api/v1/assess",
        "/api/v1/scenarios",
        "/api/v1/forecasts",
        "/api/v1/forecasts/1/resolve",
    ];

    struct App {
        rt: tokio::runtime::Runtime,
        router: axum::Router,
    }

    fn app() -> &'static App {
        static APP: OnceLock<App> = OnceLock::new();
        APP.get_or_init(|| {
            let engine = Arc::new(casus_server::Engine::builtin().expect("the built-in model"));
            let store = Arc::new(casus_store::SqliteStore::open_in_memory().expect("a store"));
            let situation =
                casus_data::situation_from_json(SITUATION).expect("the fixture situation");
            let state = casus_server::AppState::new(engine, store, "fuzz")
                .with_situations(vec![situation])
                .with_hosts(casus_server::HostPolicy::for_addr(
                    HOST.parse().expect("an address"),
                    &[],
                ));
            let rt = tokio::runtime::Builder::new_current_thread()
                .enable_all()
                .build()
                .expect("a runtime");
            App {
                rt,
                router: casus_server::router(state),
            }
        })
    }

    const SITUATION: &str = include_str!("../../server/tests/fixtures_situation.json");

    pub(super) fn seeds() -> Vec<Vec<u8>> {
        let with = |i: u8, body: &str| {
            let mut v = vec![i];
            v.extend_from_slice(body.as_bytes());
            v
        };
        vec![
            with(0, SITUATION),
            with(1, SITUATION),
            with(
                2,
                r#"{"situation_id": "TEST-BLR-2020", "moves": ["opposition.negotiate"], "factors": {"protest_scale": 0.9, "elite_defection": null}}"#,
            ),
            with(3, r#"{"situation_id": "TEST-BLR-2020"}"#),
            with(
                3,
                r#"{"source": "crowd", "probability": 0.25, "question": "Will Russia use force in Belarus by 2020-12-31?", "question_key": "RUS-BLR-2020", "created_at": "2020-09-01T00:00:00Z"}"#,
            ),
            with(
                4,
                r#"{"outcome": 0, "resolved_at": "2021-01-01T00:00:00Z"}"#,
            ),
        ]
    }

    pub(super) fn check(b: &[u8]) -> Outcome {
        let Some((&pick, body)) = b.split_first() else {
            return Ok("empty".into());
        };
        let uri = ENDPOINTS[usize::from(pick) % ENDPOINTS.len()];
        let app = app();
        let req = Request::builder()
            .method("POST")
            .uri(uri)
            .header("host", HOST)
            .header("content-type", "application/json")
            .body(Body::from(body.to_vec()))
            .map_err(|e| format!("cannot build the request: {e}"))?;
        let (status, bytes) = app.rt.block_on(async {
            let res = app
                .router
                .clone()
                .oneshot(req)
                .await
                .map_err(|e| format!("the router failed: {e}"))?;
            let status = res.status();
            let bytes = axum::body::to_bytes(res.into_body(), usize::MAX)
                .await
                .map_err(|e| format!("the body failed: {e}"))?;
            Ok::<_, String>((status, bytes))
        })?;
        let text = String::from_utf8_lossy(&bytes);
        if status.is_server_error() {
            return Err(format!("{uri} answered {status}: {text}"));
        }
        let v: serde_json::Value = serde_json::from_slice(&bytes)
            .map_err(|_| format!("{uri} answered {status} with a body that is not JSON: {text}"))?;
        let code = v
            .get("error")
            .and_then(|e| e.get("code").or(Some(e)))
            .and_then(|c| c.as_str())
            .unwrap_or("");
        if status.is_client_error() && code.is_empty() {
            return Err(format!(
                "{uri} answered {status} without an error code: {text}"
            ));
        }
        Ok(format!(
            "{} {} {}",
            pick as usize % ENDPOINTS.len(),
            status.as_u16(),
            code
        ))
    }
}
