//! Following a crisis: what the authoring page codes with (factors and their anchors), a stored
//! situation as the file `casus validate` reads, each situation's risk over its versions, and the
//! Atom feed of moves across estimative bands and of monitor alerts.

use crate::api::{Result, blocking};
use crate::situations::parse_stored;
use crate::{ApiError, AppState};
use axum::Json;
use axum::extract::{Path, Query, State};
use axum::http::{HeaderMap, header};
use axum::response::{IntoResponse, Response};
use casus_core::{CrisisType, ESTIMATIVE_SCALE, Factor, History, Situation, VersionInput};
use casus_report::atom::{Entry, Feed};
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

#[derive(Serialize)]
pub struct FactorInfo {
    name: &'static str,
    label: &'static str,
    group: &'static str,
    /// What 0, 0.5 and 1 mean.
    anchors: [&'static str; 3],
}

#[derive(Serialize)]
pub struct CrisisTypeInfo {
    name: &'static str,
    label: &'static str,
}

/// The vocabulary a situation is coded in, from casus-core, so the page never copies it.
#[derive(Serialize)]
pub struct Coding {
    factors: Vec<FactorInfo>,
    crisis_types: Vec<CrisisTypeInfo>,
    estimative_scale: Vec<casus_core::Band>,
}

pub async fn coding() -> Json<Coding> {
    Json(Coding {
        factors: Factor::ALL
            .iter()
            .map(|f| FactorInfo {
                name: f.name(),
                label: f.label(),
                group: f.group().title(),
                anchors: f.anchors(),
            })
            .collect(),
        crisis_types: CrisisType::ALL
            .iter()
            .map(|t| CrisisTypeInfo {
                name: t.name(),
                label: t.label(),
            })
            .collect(),
        estimative_scale: ESTIMATIVE_SCALE.to_vec(),
    })
}

#[derive(Deserialize)]
pub struct VersionParam {
    version: Option<u32>,
}

/// A file name made of the id's safe characters.
fn file_name(id: &str) -> String {
    let safe: String = id
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.') {
                c
            } else {
                '_'
            }
        })
        .take(100)
        .collect();
    format!("{}.toml", safe.trim_start_matches('.'))
}

/// `GET /situations/{id}/toml`: the situation file. An uploaded version is returned exactly as
/// stored (it was parsed from that text when saved); a built-in one is written from its parsed
/// form and read back before it is sent, so either way it is a file `casus validate` accepts.
pub async fn situation_toml(
    State(st): State<AppState>,
    Path(id): Path<String>,
    q: std::result::Result<Query<VersionParam>, axum::extract::rejection::QueryRejection>,
) -> Result<Response> {
    let Query(q) = q.map_err(|e| ApiError::bad("bad_query", e.body_text()))?;
    let (store, key) = (st.store.clone(), id.clone());
    let stored = blocking(move || Ok(store.situation(&key, q.version)?)).await?;
    let text = match stored {
        Some(s) => s.toml,
        None if q.version.is_none() => {
            let b = st
                .builtin
                .iter()
                .find(|b| b.id == id)
                .ok_or_else(|| ApiError::not_found(format!("situation `{id}`")))?;
            builtin_toml(b)?
        }
        None => return Err(ApiError::not_found(format!("situation `{id}` version"))),
    };
    Ok((
        [
            (
                header::CONTENT_TYPE,
                "application/toml; charset=utf-8".to_string(),
            ),
            (
                header::CONTENT_DISPOSITION,
                format!("attachment; filename=\"{}\"", file_name(&id)),
            ),
        ],
        text,
    )
        .into_response())
}

fn builtin_toml(s: &Situation) -> Result<String> {
    let v = serde_json::to_value(s).map_err(|e| ApiError::Internal {
        message: e.to_string(),
    })?;
    let text = crate::situations::toml_of(&v)?;
    casus_data::parse_situation(std::path::Path::new("<built-in situation>"), &text).map_err(
        |e| ApiError::Internal {
            message: format!("built-in situation {} does not write back: {e}", s.id),
        },
    )?;
    Ok(text)
}

/// The history of an uploaded situation over all its stored versions (deleted ones too), each
/// assessed by the server's model; `None` if `id` was never uploaded.
pub(crate) async fn history_of(st: &AppState, id: &str) -> Result<Option<History>> {
    let (store, key) = (st.store.clone(), id.to_string());
    let stored = blocking(move || Ok(store.situation_versions(&key)?)).await?;
    if stored.is_empty() {
        return Ok(None);
    }
    let versions = stored
        .iter()
        .map(|s| Ok((s.version, s.created_at, parse_stored(s)?)))
        .collect::<Result<Vec<_>>>()?;
    let (st2, key) = (st.clone(), id.to_string());
    st.gate
        .run(move || Ok(History::new(&key, assessed(&st2, versions))))
        .await
}

fn assessed(st: &AppState, versions: Vec<(u32, DateTime<Utc>, Situation)>) -> Vec<VersionInput> {
    versions
        .into_iter()
        .map(|(version, saved, situation)| {
            let a = st.assess(&situation);
            VersionInput {
                version,
                source: None,
                saved_at: Some(saved),
                situation,
                probability: a.probability,
                interval: a.interval,
            }
        })
        .collect()
}

/// `GET /situations/{id}/history`.
pub async fn history(State(st): State<AppState>, Path(id): Path<String>) -> Result<Json<History>> {
    match history_of(&st, &id).await? {
        Some(h) => Ok(Json(h)),
        None if st.builtin.iter().any(|b| b.id == id) => Err(ApiError::not_found(format!(
            "history of `{id}`: it is a built-in situation with no saved versions; save it (or a \
             re-coding) from the New situation page to start one"
        ))),
        None => Err(ApiError::not_found(format!("uploaded situation `{id}`"))),
    }
}

/// A short, stable name for this server's store, so two servers' entries never share an id.
fn server_key(label: &str) -> String {
    let h = label.bytes().fold(0xcbf2_9ce4_8422_2325u64, |h, b| {
        (h ^ u64::from(b)).wrapping_mul(0x0100_0000_01b3)
    });
    format!("{h:016x}")
}

/// Percent-encode everything but unreserved characters, for ids inside a URI.
fn pct(s: &str) -> String {
    s.bytes()
        .map(|b| {
            if b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'.' | b'~') {
                (b as char).to_string()
            } else {
                format!("%{b:02X}")
            }
        })
        .collect()
}

/// `GET /alerts.atom`: one entry per move of an uploaded situation across an estimative-band
/// boundary between consecutive versions, and one per monitor alert when event data are attached.
pub async fn alerts_atom(State(st): State<AppState>, headers: HeaderMap) -> Result<Response> {
    let host = headers
        .get(header::HOST)
        .and_then(|h| h.to_str().ok())
        .unwrap_or("127.0.0.1")
        .to_string();
    let base = format!("http://{host}");
    let key = server_key(&st.store_label);
    let model = st.engine.model_id();
    let store = st.store.clone();
    let live = blocking(move || Ok(store.situations()?)).await?;
    let mut entries = Vec::new();
    let mut updated = DateTime::<Utc>::UNIX_EPOCH;
    for s in &live {
        updated = updated.max(s.created_at);
        let Some(h) = history_of(&st, &s.id).await? else {
            continue;
        };
        for m in h.band_moves() {
            let (title, summary) = casus_report::band_move_text(&h, &m);
            entries.push(Entry {
                id: format!(
                    "tag:casus,2026:{key}/band/{}/v{}/{}-{}",
                    pct(&h.id),
                    m.to_version,
                    pct(&model.id),
                    pct(&model.version)
                ),
                title,
                updated: m.saved_at.unwrap_or(DateTime::<Utc>::UNIX_EPOCH),
                link: format!("{base}/#/history/{}", pct(&h.id)),
                summary,
            });
        }
    }
    entries.extend(monitor_entries(&st, &live, &key, &base).await?);
    entries.sort_by(|a, b| b.updated.cmp(&a.updated).then_with(|| a.id.cmp(&b.id)));
    if let Some(e) = entries.first() {
        updated = updated.max(e.updated);
    }
    let feed = Feed {
        id: format!("tag:casus,2026:{key}/alerts"),
        title: "casus: alerts".into(),
        subtitle: "Moves across an estimative band between saved versions of a situation, and \
                   monitor alerts from event data."
            .into(),
        updated,
        self_link: format!("{base}/api/v1/alerts.atom"),
        alternate: format!("{base}/"),
        entries,
    };
    Ok((
        [(header::CONTENT_TYPE, "application/atom+xml; charset=utf-8")],
        feed.render(),
    )
        .into_response())
}

/// Monitor alerts for the dyads of the situations being watched (built-in and uploaded), when the
/// server has event data.
async fn monitor_entries(
    st: &AppState,
    live: &[casus_store::StoredSituation],
    key: &str,
    base: &str,
) -> Result<Vec<Entry>> {
    let Some(m) = st.monitor.clone() else {
        return Ok(Vec::new());
    };
    let mut dyads: Vec<(casus_core::CountryCode, casus_core::CountryCode)> = st
        .builtin
        .iter()
        .cloned()
        .chain(live.iter().filter_map(|s| parse_stored(s).ok()))
        .map(|s| (s.patron, s.target))
        .collect();
    dyads.sort();
    dyads.dedup();
    let all = st
        .gate
        .run(move || {
            let mut out = Vec::new();
            for (p, t) in dyads {
                if let Some(series) = m
                    .series(&p, &t)
                    .map_err(|message| ApiError::Internal { message })?
                {
                    out.push(series);
                }
            }
            Ok(out)
        })
        .await?;
    let mut entries = Vec::new();
    for s in all {
        for a in &s.alerts {
            let day = a.date.and_time(chrono::NaiveTime::MIN).and_utc();
            entries.push(Entry {
                id: format!(
                    "tag:casus,2026:{key}/monitor/{}-{}/{}/{}",
                    pct(&s.patron),
                    pct(&s.target),
                    a.date,
                    pct(&a.kind)
                ),
                title: format!("{} → {}: {}", s.patron, s.target, a.message),
                updated: day,
                link: format!("{base}/#/monitor/{}/{}", pct(&s.patron), pct(&s.target)),
                summary: format!(
                    "Monitor alert on {} for {} and {} ({}): {}.",
                    a.date, s.patron, s.target, s.source, a.message
                ),
            });
        }
    }
    Ok(entries)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_and_ids_are_safe() {
        assert_eq!(file_name("RUS-BLR-2020-08-25"), "RUS-BLR-2020-08-25.toml");
        assert_eq!(file_name("../a b\"c"), "_a_b_c.toml");
        assert_eq!(pct("a b/é"), "a%20b%2F%C3%A9");
        assert_eq!(server_key("sqlite:x"), server_key("sqlite:x"));
        assert_ne!(server_key("sqlite:x"), server_key("sqlite:y"));
    }
}
