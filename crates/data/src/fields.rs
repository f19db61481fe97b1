//! Field types shared by situation and case files, each validating itself while it is parsed so that
//! the TOML parser can point at the offending value.

use chrono::NaiveDate;
use serde::{Deserialize, Deserializer};

/// A calendar date written as a TOML date (`2020-08-25`) or a string (`"2020-08-25"`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub struct Date(pub NaiveDate);

impl<'de> Deserialize<'de> for Date {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        use serde::de::Error;
        #[derive(Deserialize)]
        #[serde(untagged)]
        enum Raw {
            Toml(toml::value::Datetime),
            Text(String),
        }
        let raw = Raw::deserialize(d)
            .map_err(|_| D::Error::custom("expected a date such as 2020-08-25"))?;
        let text = match raw {
            Raw::Toml(dt) => {
                if dt.time.is_some() || dt.offset.is_some() {
                    return Err(D::Error::custom(format!(
                        "expected a date without a time, such as 2020-08-25, found {dt}"
                    )));
                }
                dt.to_string()
            }
            Raw::Text(s) => s,
        };
        NaiveDate::parse_from_str(&text, "%Y-%m-%d")
            .map(Date)
            .map_err(|_| D::Error::custom(format!("`{text}` is not a valid date (YYYY-MM-DD)")))
    }
}

/// A forecast horizon in days, 1 to 3650.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Horizon(pub u32);

/// The longest horizon accepted: beyond ten years a crisis-level model says nothing useful.
pub const MAX_HORIZON_DAYS: u32 = 3650;

impl<'de> Deserialize<'de> for Horizon {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        use serde::de::Error;
        let v = i64::deserialize(d)?;
        if (1..=i64::from(MAX_HORIZON_DAYS)).contains(&v) {
            Ok(Horizon(v as u32))
        } else {
            Err(D::Error::custom(format!(
                "horizon_days must be a whole number of days from 1 to {MAX_HORIZON_DAYS}, found {v}"
            )))
        }
    }
}

/// A non-empty string (ids, titles, evidence text).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NonEmpty(pub String);

impl<'de> Deserialize<'de> for NonEmpty {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let s = String::deserialize(d)?;
        if s.trim().is_empty() {
            Err(serde::de::Error::custom("must not be empty"))
        } else {
            Ok(NonEmpty(s))
        }
    }
}
