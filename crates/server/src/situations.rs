//! Situations: the built-in ones, and uploaded ones kept in the store with their TOML, versioned,
//! so they survive a restart and every forecast can name the version it assessed.

use crate::api::{Result, blocking, body, situation_of};
use crate::{ApiError, AppState};
use axum::Json;
use axum::body::Bytes;
use axum::extract::rejection::BytesRejection;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use casus_core::Situation;
use casus_store::{StoredSituation, input_hash};
use serde::{Deserialize, Serialize};
use serde_json::Value;

/// Most uploaded situations live at once.
pub const MAX_UPLOADED: usize = 500;

#[derive(Serialize)]
pub struct SituationSummary {
    id: String,
    title: String,
    patron: String,
    target: String,
    crisis_type: &'static str,
    as_of: casus_core::NaiveDate,
    horizon_days: u32,
    origin: &'static str,
    /// The stored version of an uploaded situation; `null` for a built-in one.
    version: Option<u32>,
    probability: f64,
    interval: [f64; 2],
    /// The version before this one, for the watchlist's change since then; `null` for a first
    /// version or a built-in situation.
    previous: Option<Previous>,
}

/// The previous version's assessment.
#[derive(Serialize)]
pub struct Previous {
    version: u32,
    as_of: casus_core::NaiveDate,
    probability: f64,
    /// This version's probability minus the previous one's.
    change: f64,
}

fn summary(st: &AppState, s: &Situation, version: Option<u32>) -> SituationSummary {
    let a = st.assess(s);
    SituationSummary {
        id: s.id.clone(),
        title: s.title.clone(),
        patron: s.patron.to_string(),
        target: s.target.to_string(),
        crisis_type: s.crisis_type.name(),
        as_of: s.as_of,
        horizon_days: s.horizon_days,
        origin: if version.is_some() {
            "uploaded"
        } else {
            "builtin"
        },
        version,
        probability: a.probability,
        interval: a.interval,
        previous: None,
    }
}

/// [`summary`] with the change since `prev` (its version number and situation).
fn summary_since(
    st: &AppState,
    s: &Situation,
    version: u32,
    prev: Option<(u32, &Situation)>,
) -> SituationSummary {
    let mut out = summary(st, s, Some(version));
    out.previous = prev.map(|(v, p)| {
        let pa = st.assess(p);
        Previous {
            version: v,
            as_of: p.as_of,
            probability: pa.probability,
            change: out.probability - pa.probability,
        }
    });
    out
}

/// A stored version, parsed back from its TOML.
pub(crate) fn parse_stored(s: &StoredSituation) -> Result<Situation> {
    let origin = format!("uploaded situation {} version {}", s.id, s.version);
    casus_data::parse_situation(std::path::Path::new(&origin), &s.toml).map_err(|e| {
        ApiError::Internal {
            message: format!("{origin} no longer reads: {e}"),
        }
    })
}

/// The situation file (TOML) for a situation given as JSON in the TOML shape. JSON `null` means
/// "left out" there, and TOML has no null, so nulls are dropped.
pub(crate) fn toml_of(v: &Value) -> Result<String> {
    fn strip_nulls(v: &Value) -> Value {
        match v {
            Value::Object(m) => Value::Object(
                m.iter()
                    .filter(|(_, v)| !v.is_null())
                    .map(|(k, v)| (k.clone(), strip_nulls(v)))
                    .collect(),
            ),
            Value::Array(a) => Value::Array(a.iter().map(strip_nulls).collect()),
            other => other.clone(),
        }
    }
    toml::to_string(&strip_nulls(v)).map_err(|e| {
        ApiError::bad(
            "invalid_situation",
            format!("cannot be written as a situation file: {e}"),
        )
    })
}

/// An uploaded (live) or built-in situation by id, uploaded ones first, with the stored version.
pub async fn lookup(st: &AppState, id: &str) -> Result<Option<(Situation, Option<u32>)>> {
    let store = st.store.clone();
    let key = id.to_string();
    if let Some(s) = blocking(move || Ok(store.situation(&key, None)?)).await? {
        return Ok(Some((parse_stored(&s)?, Some(s.version))));
    }
    Ok(st
        .builtin
        .iter()
        .find(|s| s.id == id)
        .map(|s| (s.clone(), None)))
}

/// The situation a request names: inline JSON, or the id of a known one (with its version).
pub async fn resolve(
    st: &AppState,
    s: Option<&Value>,
    id: Option<&str>,
) -> Result<(Situation, Option<u32>)> {
    match (s, id) {
        (Some(v), None) => Ok((situation_of(v)?, None)),
        (None, Some(id)) => lookup(st, id)
            .await?
            .ok_or_else(|| ApiError::not_found(format!("situation `{id}`"))),
        _ => Err(ApiError::bad(
            "bad_request",
            "give exactly one of `situation` (JSON) or `situation_id`",
        )),
    }
}

/// How many live uploaded situations there are (for the health endpoint).
pub async fn uploaded_count(st: &AppState) -> Result<usize> {
    let store = st.store.clone();
    blocking(move || Ok(store.situations()?.len())).await
}

pub async fn list(
    State(st): State<AppState>,
    q: std::result::Result<Query<crate::api::Page>, axum::extract::rejection::QueryRejection>,
) -> Result<Json<Vec<SituationSummary>>> {
    let page = crate::api::Page::of(q)?;
    let store = st.store.clone();
    // Each live version with the version before it, for the change since then.
    let stored = blocking(move || {
        let live = store.situations()?;
        let mut out = Vec::with_capacity(live.len());
        for s in live {
            let prev = match s.version {
                1 => None,
                v => store.situation(&s.id, Some(v - 1))?,
            };
            out.push((s, prev));
        }
        Ok(out)
    })
    .await?;
    // Assessing every situation is heavy the first time (then cached): it takes a turn.
    let st2 = st.clone();
    let out = st
        .gate
        .run(move || {
            // Built-in ones (unless an upload shadows them), then uploaded ones by id. A stored
            // version that no longer reads (after an upgrade) is left out; fetching it says why.
            let builtin = st2
                .builtin
                .iter()
                .filter(|b| !stored.iter().any(|(s, _)| s.id == b.id))
                .map(|s| (s.clone(), None, None));
            let uploaded = stored.iter().filter_map(|(s, prev)| {
                let prev = prev
                    .as_ref()
                    .and_then(|p| Some((p.version, parse_stored(p).ok()?)));
                Some((parse_stored(s).ok()?, Some(s.version), prev))
            });
            Ok(page
                .slice(builtin.chain(uploaded))
                .iter()
                .map(|(s, v, prev)| match v {
                    None => summary(&st2, s, None),
                    Some(v) => summary_since(&st2, s, *v, prev.as_ref().map(|(pv, p)| (*pv, p))),
                })
                .collect())
        })
        .await?;
    Ok(Json(out))
}

pub async fn upload(
    State(st): State<AppState>,
    b: std::result::Result<Bytes, BytesRejection>,
) -> Result<(StatusCode, Json<SituationSummary>)> {
    let v: Value = body(b)?;
    situation_of(&v)?;
    let toml = toml_of(&v)?;
    // What is stored is what will be read back: parse the TOML, not the JSON.
    let s = casus_data::parse_situation(std::path::Path::new("<uploaded situation>"), &toml)?;
    let store = st.store.clone();
    let (id, hash) = (s.id.clone(), input_hash(&s));
    let (saved, new) = blocking(move || {
        let live = store.situations()?;
        if live.len() >= MAX_UPLOADED && !live.iter().any(|l| l.id == id) {
            return Err(ApiError::Conflict {
                message: format!(
                    "at most {MAX_UPLOADED} uploaded situations; delete one first (DELETE /api/v1/situations/ID)"
                ),
            });
        }
        Ok(store.save_situation(&id, &toml, &hash)?)
    })
    .await?;
    let status = if new {
        StatusCode::CREATED
    } else {
        StatusCode::OK
    };
    Ok((status, Json(summary(&st, &s, Some(saved.version)))))
}

#[derive(Deserialize)]
pub struct VersionParam {
    version: Option<u32>,
}

pub async fn get(
    State(st): State<AppState>,
    Path(id): Path<String>,
    q: std::result::Result<Query<VersionParam>, axum::extract::rejection::QueryRejection>,
) -> Result<Json<Situation>> {
    let Query(q) = q.map_err(|e| ApiError::bad("bad_query", e.body_text()))?;
    let found = match q.version {
        None => lookup(&st, &id).await?.map(|(s, _)| s),
        Some(v) => {
            let (store, key) = (st.store.clone(), id.clone());
            let stored = blocking(move || Ok(store.situation(&key, Some(v))?)).await?;
            stored.as_ref().map(parse_stored).transpose()?
        }
    };
    found
        .map(Json)
        .ok_or_else(|| ApiError::not_found(format!("situation `{id}`")))
}

#[derive(Serialize)]
pub struct Deleted {
    id: String,
    /// The version that was live; it stays readable with `?version=`.
    version: u32,
}

pub async fn delete(State(st): State<AppState>, Path(id): Path<String>) -> Result<Json<Deleted>> {
    let (store, key) = (st.store.clone(), id.clone());
    let gone = blocking(move || Ok(store.delete_situation(&key)?)).await?;
    match gone {
        Some(s) => Ok(Json(Deleted {
            id: s.id,
            version: s.version,
        })),
        None if st.builtin.iter().any(|b| b.id == id) => Err(ApiError::Conflict {
            message: format!("`{id}` is a built-in situation; only uploaded ones can be deleted"),
        }),
        None => Err(ApiError::not_found(format!("uploaded situation `{id}`"))),
    }
}
