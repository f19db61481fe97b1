//! Forecast records: what was forecast, by whom, with which inputs, and how it resolved.

use crate::StoreError;
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use std::fmt;

/// Who made a forecast: `casus`, or an external crowd such as `metaculus` or `gjp`.
///
/// A source is 1 to 40 characters of lower-case ASCII letters, digits, `-`, `_` or `/`.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(transparent)]
pub struct Source(String);

impl Source {
    pub const CASUS: &'static str = "casus";

    /// casus itself.
    pub fn casus() -> Source {
        Source(Self::CASUS.to_string())
    }

    pub fn new(name: &str) -> Result<Source, StoreError> {
        let ok = !name.is_empty()
            && name.len() <= 40
            && name.bytes().all(|b| {
                b.is_ascii_lowercase() || b.is_ascii_digit() || matches!(b, b'-' | b'_' | b'/')
            });
        if ok {
            Ok(Source(name.to_string()))
        } else {
            Err(StoreError::Invalid {
                field: "source",
                message: format!(
                    "`{name}` must be 1-40 characters of a-z, 0-9, '-', '_' or '/' (e.g. casus, metaculus)"
                ),
            })
        }
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }

    pub fn is_casus(&self) -> bool {
        self.0 == Self::CASUS
    }
}

impl<'de> Deserialize<'de> for Source {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let s = String::deserialize(d)?;
        Source::new(&s).map_err(serde::de::Error::custom)
    }
}

impl fmt::Display for Source {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// A forecast to record. Build with [`NewForecast::new`] and set what is known.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct NewForecast {
    /// The question in words, e.g. "Will Russia use military force in or against Belarus by 2021-08-25?".
    pub question: String,
    /// A stable key that ties forecasts on the same question together across sources, e.g.
    /// `metaculus:1688`. Casus's and the crowd's forecasts are compared side by side on it.
    pub question_key: Option<String>,
    pub situation_id: Option<String>,
    /// The version of an uploaded situation that was assessed (built-in and inline situations have
    /// none).
    #[serde(default)]
    pub situation_version: Option<u32>,
    pub patron: Option<String>,
    pub target: Option<String>,
    pub horizon_days: Option<u32>,
    /// Probability of Yes (force used within the horizon).
    pub probability: f64,
    /// Central 90% interval, where the source gives one.
    pub interval: Option<[f64; 2]>,
    /// SHA-256 of the canonical JSON of the situation assessed ([`input_hash`]).
    pub input_hash: Option<String>,
    pub model_id: Option<String>,
    pub model_version: Option<String>,
    pub source: Source,
    /// When the forecast was made. casus forecasts are stamped by whoever records them (the server,
    /// the CLI) at that moment; only an imported forecast brings its own date.
    pub created_at: DateTime<Utc>,
    /// True for a forecast brought in with its own date (a crowd's series, an API client that gave
    /// `created_at`), false for one stamped when it was recorded.
    #[serde(default)]
    pub imported: bool,
}

impl NewForecast {
    /// A forecast made now, with nothing but the question, the probability and the source.
    pub fn new(question: impl Into<String>, probability: f64, source: Source) -> NewForecast {
        NewForecast {
            question: question.into(),
            question_key: None,
            situation_id: None,
            situation_version: None,
            patron: None,
            target: None,
            horizon_days: None,
            probability,
            interval: None,
            input_hash: None,
            model_id: None,
            model_version: None,
            source,
            // The store keeps microseconds; stamping at that precision keeps the value equal to
            // what is read back.
            created_at: chrono::SubsecRound::trunc_subsecs(Utc::now(), 6),
            imported: false,
        }
    }

    /// An external forecast made at `at`, recorded now: marked [`imported`](Self::imported).
    pub fn imported_at(
        question: impl Into<String>,
        probability: f64,
        source: Source,
        at: DateTime<Utc>,
    ) -> NewForecast {
        NewForecast {
            created_at: at,
            imported: true,
            ..NewForecast::new(question, probability, source)
        }
    }

    /// Check every field; the store calls this before writing.
    pub fn validate(&self) -> Result<(), StoreError> {
        let bad = |field, message: &str| {
            Err(StoreError::Invalid {
                field,
                message: message.to_string(),
            })
        };
        if self.question.trim().is_empty() {
            return bad("question", "must not be empty");
        }
        if self.question.len() > 2000 {
            return bad("question", "must be at most 2000 bytes");
        }
        if !(0.0..=1.0).contains(&self.probability) {
            return bad("probability", "must be a number in [0, 1]");
        }
        if let Some([lo, hi]) = self.interval
            && !((0.0..=1.0).contains(&lo) && (0.0..=1.0).contains(&hi) && lo <= hi)
        {
            return bad("interval", "must be [low, high] with 0 <= low <= high <= 1");
        }
        if let Some(k) = &self.question_key
            && (k.is_empty() || k.len() > 200)
        {
            return bad("question_key", "must be 1-200 bytes");
        }
        if self.horizon_days == Some(0) {
            return bad("horizon_days", "must be at least 1");
        }
        // The store keeps times as fixed-width RFC 3339 text, whose order is time order and which
        // reads back only for years 0000-9999; no forecast casus can score was made before 1900.
        if self.created_at < earliest_forecast() {
            return bad(
                "created_at",
                "is before 1900-01-01: no forecast casus can score is that old",
            );
        }
        if self.created_at > Utc::now() {
            return bad(
                "created_at",
                "is in the future: a forecast is dated when it was made",
            );
        }
        Ok(())
    }
}

/// The earliest date a forecast may carry.
fn earliest_forecast() -> DateTime<Utc> {
    DateTime::from_timestamp(-2_208_988_800, 0).unwrap_or(DateTime::<Utc>::MIN_UTC) // 1900-01-01
}

/// How a forecast resolved.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct Resolution {
    /// 1 if the event happened (force was used), 0 if not.
    pub outcome: u8,
    pub resolved_at: DateTime<Utc>,
}

/// A stored forecast.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Forecast {
    pub id: i64,
    #[serde(flatten)]
    pub forecast: NewForecast,
    pub resolution: Option<Resolution>,
}

impl std::ops::Deref for Forecast {
    type Target = NewForecast;
    fn deref(&self) -> &NewForecast {
        &self.forecast
    }
}

/// Which forecasts to list.
#[derive(Debug, Clone, Default, PartialEq, Deserialize)]
pub struct ListQuery {
    /// Only this source.
    pub source: Option<String>,
    /// Only this question key.
    pub question_key: Option<String>,
    /// Only resolved (`Some(true)`) or unresolved (`Some(false)`) forecasts.
    pub resolved: Option<bool>,
    /// At most this many: the newest, or with `after_id` the first after it; `None` for all.
    pub limit: Option<usize>,
    /// Only forecasts with a larger id: the next page after the last id a client has seen.
    #[serde(default)]
    pub after_id: Option<i64>,
}

/// SHA-256 (lower-case hex) of the canonical JSON of a situation: casus-core's serialisation, which
/// writes fields in declaration order and factors in the theory's order, so equal situations hash
/// equal.
pub fn input_hash(situation: &casus_core::Situation) -> String {
    let json = serde_json::to_vec(situation).expect("a situation always serialises");
    let digest = Sha256::digest(&json);
    digest.iter().map(|b| format!("{b:02x}")).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sources() {
        assert!(Source::new("metaculus").is_ok());
        assert!(Source::new("forecastbench/manifold").is_ok());
        assert!(Source::new("").is_err());
        assert!(Source::new("Metaculus").is_err());
        assert!(Source::new("a b").is_err());
    }

    #[test]
    fn validation() {
        let mut f = NewForecast::new("q", 0.5, Source::casus());
        assert!(f.validate().is_ok());
        f.probability = 1.2;
        assert!(f.validate().is_err());
        f.probability = 0.5;
        f.interval = Some([0.6, 0.4]);
        assert!(f.validate().is_err());
        f.interval = Some([0.4, 0.6]);
        f.question = " ".into();
        assert!(f.validate().is_err());
        f.question = "q".into();
        f.created_at = Utc::now() + chrono::Duration::days(1);
        assert!(f.validate().is_err());
        // Found by the API fuzzer: a year the store could write but not read back.
        f.created_at = "-02020-09-01T00:00:00Z".parse().unwrap();
        assert!(matches!(
            f.validate(),
            Err(StoreError::Invalid {
                field: "created_at",
                ..
            })
        ));
        f.created_at = "1899-12-31T23:59:59Z".parse().unwrap();
        assert!(f.validate().is_err());
        f.created_at = "1900-01-01T00:00:00Z".parse().unwrap();
        assert!(f.validate().is_ok());
    }
}
