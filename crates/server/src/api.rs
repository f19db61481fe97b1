//! The handlers: parse, call the engine or the store, serialise. Nothing else.

use crate::{ApiError, AppState, BODY_LIMIT, Explanation, Move, OPENAPI_JSON};
use axum::Json;
use axum::body::Bytes;
use axum::extract::rejection::BytesRejection;
use axum::extract::{Path, Query, Request, State};
use axum::http::{HeaderValue, StatusCode, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use casus_core::{Assessment, CountryCode, Factor, FactorValue, Situation};
use casus_data::CaseRecord;
use casus_explain::Estimate;
use casus_store::{Forecast, ListQuery, NewForecast, Scores, Source, input_hash};
use chrono::{DateTime, Utc};
use serde::de::DeserializeOwned;
use serde::{Deserialize, Serialize};
use serde_json::Value;

pub(crate) type Result<T> = std::result::Result<T, ApiError>;

/// Read a JSON body, turning every failure into an [`ApiError`].
pub(crate) fn body<T: DeserializeOwned>(
    b: std::result::Result<Bytes, BytesRejection>,
) -> Result<T> {
    let bytes = b.map_err(|e| {
        if e.status() == StatusCode::PAYLOAD_TOO_LARGE {
            ApiError::TooLarge { limit: BODY_LIMIT }
        } else {
            ApiError::bad("bad_body", e.body_text())
        }
    })?;
    serde_json::from_slice(&bytes).map_err(|e| ApiError::bad("bad_json", e.to_string()))
}

/// Parse a situation given as JSON in the TOML shape.
pub(crate) fn situation_of(v: &Value) -> Result<Situation> {
    Ok(casus_data::situation_from_json(&v.to_string())?)
}

/// Run blocking store work off the async workers.
pub(crate) async fn blocking<T: Send + 'static>(
    f: impl FnOnce() -> Result<T> + Send + 'static,
) -> Result<T> {
    tokio::task::spawn_blocking(f)
        .await
        .map_err(|e| ApiError::Internal {
            message: e.to_string(),
        })?
}

// ---- middleware and fallbacks -------------------------------------------------------------

/// Writes need `Authorization: Bearer <token>` when a token is configured.
pub async fn require_token(State(st): State<AppState>, req: Request, next: Next) -> Response {
    if let Some(token) = &st.token {
        let given = req
            .headers()
            .get(header::AUTHORIZATION)
            .and_then(|h| h.to_str().ok())
            .and_then(|h| h.strip_prefix("Bearer "));
        if !given.is_some_and(|g| constant_time_eq(g.as_bytes(), token.as_bytes())) {
            return ApiError::Unauthorized.into_response();
        }
    }
    next.run(req).await
}

fn constant_time_eq(a: &[u8], b: &[u8]) -> bool {
    a.len() == b.len() && a.iter().zip(b).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}

/// No external resources, no framing, no sniffing.
pub async fn security_headers(req: Request, next: Next) -> Response {
    let mut res = next.run(req).await;
    let h = res.headers_mut();
    h.insert(
        header::CONTENT_SECURITY_POLICY,
        HeaderValue::from_static(
            "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; frame-ancestors 'none'",
        ),
    );
    h.insert(
        header::X_CONTENT_TYPE_OPTIONS,
        HeaderValue::from_static("nosniff"),
    );
    h.insert(
        header::REFERRER_POLICY,
        HeaderValue::from_static("no-referrer"),
    );
    res
}

pub async fn not_found(uri: axum::http::Uri) -> ApiError {
    ApiError::not_found(format!("route {}", uri.path()))
}

pub async fn method_not_allowed() -> ApiError {
    ApiError::MethodNotAllowed
}

// ---- health, contract ---------------------------------------------------------------------

#[derive(Serialize)]
pub struct Health {
    status: &'static str,
    version: &'static str,
    model: casus_core::ModelId,
    store: String,
    cases: usize,
    situations: usize,
    monitor: bool,
    auth: bool,
}

pub async fn health(State(st): State<AppState>) -> Result<Json<Health>> {
    let uploaded = crate::situations::uploaded_count(&st).await?;
    Ok(Json(Health {
        status: "ok",
        version: env!("CARGO_PKG_VERSION"),
        model: st.engine.model_id(),
        store: st.store_label.to_string(),
        cases: st.cases.len(),
        situations: st.builtin.len() + uploaded,
        monitor: st.monitor.is_some(),
        auth: st.token.is_some(),
    }))
}

pub async fn openapi() -> impl IntoResponse {
    ([(header::CONTENT_TYPE, "application/json")], OPENAPI_JSON)
}

/// The model's held-out track record: the saved evaluation of this model on this case base
/// (`data/model/casus-evaluation.json`), without the per-snapshot forecasts. A stale or missing
/// one is a 404 with the reason, never shown as the model's record.
pub async fn model_record(State(st): State<AppState>) -> Result<Json<serde_json::Value>> {
    let (saved, shown) = builtin_evaluation()
        .as_ref()
        .map_err(|why| ApiError::not_found(why.clone()))?;
    saved
        .check_current(&st.cases)
        .map_err(|e| ApiError::not_found(format!("a current saved evaluation ({e})")))?;
    Ok(Json(shown.clone()))
}

type SavedAndShown = (casus_model::eval::SavedEvaluation, serde_json::Value);

/// The embedded saved evaluation and what the API shows of it (without the per-snapshot
/// forecasts), made once per process: a few hundred kilobytes of JSON that never change while the
/// server runs. `Err` says why there is none to show.
fn builtin_evaluation() -> &'static std::result::Result<SavedAndShown, String> {
    static SAVED: std::sync::OnceLock<std::result::Result<SavedAndShown, String>> =
        std::sync::OnceLock::new();
    SAVED.get_or_init(|| {
        let json = casus_data::builtin::evaluation_json()
            .ok_or("a saved evaluation (this build has none)")?;
        let saved = casus_model::eval::SavedEvaluation::from_json(json)
            .map_err(|e| format!("a readable saved evaluation ({e})"))?;
        let mut v = serde_json::to_value(&saved).unwrap_or_default();
        if let Some(e) = v.get_mut("evaluation").and_then(|e| e.as_object_mut()) {
            e.remove("predictions");
            if let Some(fc) = e
                .get_mut("forward_chaining")
                .and_then(|f| f.as_object_mut())
            {
                fc.remove("predictions");
            }
        }
        Ok((saved, v))
    })
}

// ---- assessments ---------------------------------------------------------------------------

/// `POST /assess`: exactly what `casus assess --json` prints.
pub async fn assess(
    State(st): State<AppState>,
    b: std::result::Result<Bytes, BytesRejection>,
) -> Result<Json<Assessment>> {
    let v: Value = body(b)?;
    let s = situation_of(&v)?;
    let st2 = st.clone();
    Ok(Json(st.gate.run(move || Ok(st2.assess(&s))).await?))
}

pub async fn explain(
    State(st): State<AppState>,
    b: std::result::Result<Bytes, BytesRejection>,
) -> Result<Json<Explanation>> {
    let v: Value = body(b)?;
    let s = situation_of(&v)?;
    let (engine, cases) = (st.engine.clone(), st.cases.clone());
    Ok(Json(
        st.gate.run(move || Ok(engine.explain(&s, &cases))).await?,
    ))
}

pub async fn moves(State(st): State<AppState>) -> Json<Vec<Move>> {
    Json(st.engine.moves.moves.clone())
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ScenarioRequest {
    /// The situation, as JSON in the TOML shape; or `situation_id` of a known one.
    situation: Option<Value>,
    situation_id: Option<String>,
    /// Move ids from the catalogue, applied in order.
    #[serde(default)]
    moves: Vec<String>,
    /// Factor values set after the moves (the dashboard's sliders); `null` makes a factor unknown.
    #[serde(default)]
    factors: std::collections::BTreeMap<String, Value>,
}

/// A scenario beside its baseline, both from casus-explain's integration over uncertain factors.
#[derive(Serialize)]
pub struct ScenarioResponse {
    baseline: Estimate,
    scenario: Estimate,
    /// scenario − baseline probability.
    delta: f64,
    /// scenario / baseline probability.
    ratio: f64,
    moves: Vec<Move>,
    factors: casus_core::FactorValues,
}

pub async fn scenarios(
    State(st): State<AppState>,
    b: std::result::Result<Bytes, BytesRejection>,
) -> Result<Json<ScenarioResponse>> {
    let r: ScenarioRequest = body(b)?;
    let (base, _) =
        crate::situations::resolve(&st, r.situation.as_ref(), r.situation_id.as_deref()).await?;
    // Check the request before taking a turn at the engine.
    st.engine
        .moves
        .select(&r.moves)
        .map_err(|e| ApiError::bad("unknown_move", e.to_string()))?;
    let mut edits = Vec::new();
    for (name, v) in &r.factors {
        let f = Factor::from_name(name)
            .ok_or_else(|| ApiError::bad("unknown_factor", format!("unknown factor `{name}`")))?;
        let fv: FactorValue = serde_json::from_value(v.clone())
            .map_err(|e| ApiError::bad("bad_factor", format!("`{name}`: {e}")))?;
        edits.push((f, fv));
    }
    let engine = st.engine.clone();
    let ids = r.moves;
    let res = st
        .gate
        .run(move || {
            let moves = engine
                .moves
                .select(&ids)
                .map_err(|e| ApiError::bad("unknown_move", e.to_string()))?;
            let sc = engine.scenario(&base, &moves);
            let mut s = base;
            for m in &moves {
                m.apply(&mut s.factors);
            }
            let mut scenario = Estimate {
                probability: sc.probability,
                interval: sc.interval,
            };
            if !edits.is_empty() {
                for (f, fv) in edits {
                    s.factors.set(f, fv);
                }
                scenario = engine.estimate(&s);
            }
            Ok(ScenarioResponse {
                baseline: Estimate {
                    probability: sc.baseline_probability,
                    interval: sc.baseline_interval,
                },
                delta: scenario.probability - sc.baseline_probability,
                ratio: scenario.probability / sc.baseline_probability.max(1e-12),
                scenario,
                moves: moves.into_iter().cloned().collect(),
                factors: s.factors,
            })
        })
        .await?;
    Ok(Json(res))
}

// ---- cases, monitoring ----------------------------------------------------------------------

/// `?offset=N&limit=M` on a list [default: everything, at most [`Page::MAX`] at once].
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Page {
    offset: Option<usize>,
    limit: Option<usize>,
}

impl Page {
    pub const MAX: usize = 1000;

    /// Read the query, refusing malformed or unknown parameters.
    pub fn of(
        q: std::result::Result<Query<Page>, axum::extract::rejection::QueryRejection>,
    ) -> Result<Page> {
        q.map(|Query(p)| p)
            .map_err(|e| ApiError::bad("bad_query", e.body_text()))
    }

    /// The page's items of `items`.
    pub fn slice<T>(&self, items: impl IntoIterator<Item = T>) -> Vec<T> {
        items
            .into_iter()
            .skip(self.offset.unwrap_or(0))
            .take(self.limit.unwrap_or(Self::MAX).min(Self::MAX))
            .collect()
    }
}

pub async fn list_cases(
    State(st): State<AppState>,
    q: std::result::Result<Query<Page>, axum::extract::rejection::QueryRejection>,
) -> Result<Json<Value>> {
    let page = Page::of(q)?;
    let records: Vec<CaseRecord<'_>> = page.slice(st.cases.iter().map(CaseRecord::from));
    serde_json::to_value(records)
        .map(Json)
        .map_err(|e| ApiError::Internal {
            message: e.to_string(),
        })
}

pub async fn get_case(State(st): State<AppState>, Path(id): Path<String>) -> Result<Json<Value>> {
    let c = st
        .cases
        .iter()
        .find(|c| c.id() == id)
        .ok_or_else(|| ApiError::not_found(format!("case `{id}`")))?;
    serde_json::to_value(CaseRecord::from(c))
        .map(Json)
        .map_err(|e| ApiError::Internal {
            message: e.to_string(),
        })
}

pub async fn monitor(
    State(st): State<AppState>,
    Path((patron, target)): Path<(String, String)>,
) -> Result<Json<crate::Series>> {
    let p = CountryCode::new(&patron).map_err(|e| ApiError::bad("bad_country", e.to_string()))?;
    let t = CountryCode::new(&target).map_err(|e| ApiError::bad("bad_country", e.to_string()))?;
    let Some(m) = st.monitor.clone() else {
        return Err(ApiError::Unavailable {
            message:
                "no event data is attached to this server: start it with `casus serve --events DIR --monitor-from DATE --monitor-to DATE` (casus built with `--features events`)"
                    .into(),
        });
    };
    let series = blocking(move || {
        m.series(&p, &t)
            .map_err(|message| ApiError::Internal { message })
    })
    .await?;
    series
        .map(Json)
        .ok_or_else(|| ApiError::not_found(format!("monitoring series for {patron}–{target}")))
}

// ---- forecasts and scores ---------------------------------------------------------------------

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ForecastRequest {
    /// A casus forecast: the situation (JSON) or the id of a known one.
    situation: Option<Value>,
    situation_id: Option<String>,
    /// The question in words; defaults to one built from the situation.
    question: Option<String>,
    question_key: Option<String>,
    /// An external crowd's forecast: its source and probability (no situation).
    source: Option<String>,
    probability: Option<f64>,
    /// Only for a crowd forecast made earlier: it is then stored as `imported`. casus forecasts are
    /// dated by the server, so that none can be backdated.
    created_at: Option<DateTime<Utc>>,
}

/// The question a casus forecast answers, in words.
pub fn default_question(s: &Situation) -> String {
    let until = s.as_of + chrono::Days::new(u64::from(s.horizon_days));
    format!(
        "Will {} use military force in or against {} by {}?",
        s.patron, s.target, until
    )
}

/// The record of a casus forecast of `s` by `engine`.
pub fn casus_forecast(engine: &crate::Engine, s: &Situation) -> NewForecast {
    let a = engine.assess(s);
    let mut f = NewForecast::new(default_question(s), a.probability, Source::casus());
    f.situation_id = Some(s.id.clone());
    f.patron = Some(s.patron.to_string());
    f.target = Some(s.target.to_string());
    f.horizon_days = Some(a.horizon_days);
    f.interval = Some(a.interval);
    f.input_hash = Some(input_hash(s));
    f.model_id = Some(a.model.id);
    f.model_version = Some(a.model.version);
    f
}

pub async fn create_forecast(
    State(st): State<AppState>,
    b: std::result::Result<Bytes, BytesRejection>,
) -> Result<(StatusCode, Json<Forecast>)> {
    let r: ForecastRequest = body(b)?;
    let source = match r.source.as_deref() {
        None => Source::casus(),
        Some(s) => Source::new(s)?,
    };
    let mut f = if source.is_casus() {
        if r.probability.is_some() {
            return Err(ApiError::bad(
                "bad_request",
                "casus forecasts come from the model: give a situation, not a probability",
            ));
        }
        if r.created_at.is_some() {
            return Err(ApiError::bad(
                "bad_request",
                "casus forecasts are dated by the server when they are made: leave out `created_at`",
            ));
        }
        let (s, version) =
            crate::situations::resolve(&st, r.situation.as_ref(), r.situation_id.as_deref())
                .await?;
        let mut f = casus_forecast(&st.engine, &s);
        f.situation_version = version;
        f
    } else {
        let (Some(p), Some(q)) = (r.probability, r.question.clone()) else {
            return Err(ApiError::bad(
                "bad_request",
                "a crowd forecast needs `probability` and `question`",
            ));
        };
        match r.created_at {
            Some(at) => NewForecast::imported_at(q, p, source, at),
            None => NewForecast::new(q, p, source),
        }
    };
    if let Some(q) = r.question {
        f.question = q;
    }
    f.question_key = r.question_key;
    let store = st.store.clone();
    let rec = blocking(move || Ok(store.record(&f)?)).await?;
    Ok((StatusCode::CREATED, Json(rec)))
}

#[derive(Deserialize)]
pub struct ListParams {
    source: Option<String>,
    question_key: Option<String>,
    resolved: Option<bool>,
    limit: Option<usize>,
    /// The last id of the previous page: the next page starts after it.
    after: Option<i64>,
}

pub async fn list_forecasts(
    State(st): State<AppState>,
    q: std::result::Result<Query<ListParams>, axum::extract::rejection::QueryRejection>,
) -> Result<Json<Vec<Forecast>>> {
    let Query(p) = q.map_err(|e| ApiError::bad("bad_query", e.body_text()))?;
    let q = ListQuery {
        source: p.source,
        question_key: p.question_key,
        resolved: p.resolved,
        limit: Some(p.limit.unwrap_or(1000).min(10_000)),
        after_id: p.after,
    };
    let store = st.store.clone();
    Ok(Json(blocking(move || Ok(store.list(&q)?)).await?))
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ResolveRequest {
    /// 1 if force was used (the question resolved Yes), 0 if not.
    outcome: u8,
    resolved_at: Option<DateTime<Utc>>,
}

pub async fn resolve_forecast(
    State(st): State<AppState>,
    Path(id): Path<String>,
    b: std::result::Result<Bytes, BytesRejection>,
) -> Result<Json<Forecast>> {
    let id: i64 = id
        .parse()
        .map_err(|_| ApiError::bad("bad_id", format!("`{id}` is not a forecast id")))?;
    let r: ResolveRequest = body(b)?;
    if r.outcome > 1 {
        return Err(ApiError::bad("bad_outcome", "`outcome` must be 0 or 1"));
    }
    let store = st.store.clone();
    let at = r.resolved_at.unwrap_or_else(Utc::now);
    Ok(Json(
        blocking(move || Ok(store.resolve(id, r.outcome == 1, at)?)).await?,
    ))
}

pub async fn scores(State(st): State<AppState>) -> Result<Json<Scores>> {
    let store = st.store.clone();
    let all = blocking(move || Ok(store.list(&ListQuery::default())?)).await?;
    Ok(Json(casus_store::score(&all)))
}
