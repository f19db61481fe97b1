//! Uploaded situations, kept with their TOML and versioned.
//!
//! Each upload of an id stores a new version unless it is identical (same input hash) to the live
//! one. A delete marks the latest version deleted: the situation leaves the list, but every version
//! stays readable by number, since forecasts name the version they assessed.

use crate::StoreError;
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

/// One stored version of an uploaded situation.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct StoredSituation {
    pub id: String,
    /// 1 for the first upload, then one more per changed upload.
    pub version: u32,
    /// The situation as a situation file (TOML), exactly as stored.
    pub toml: String,
    /// [`crate::input_hash`] of the parsed situation: equal inputs, equal hash.
    pub input_hash: String,
    pub created_at: DateTime<Utc>,
    pub deleted_at: Option<DateTime<Utc>>,
}

/// Where uploaded situations live; every [`crate::ForecastStore`] is one.
pub trait SituationStore: Send + Sync {
    /// Store `toml` as the next version of `id`, or return the live version if it has the same
    /// `input_hash`. Returns the version and whether it is new.
    fn save_situation(
        &self,
        id: &str,
        toml: &str,
        input_hash: &str,
    ) -> Result<(StoredSituation, bool), StoreError>;
    /// The live (latest, not deleted) version of `id`, or with `version`, that version even if
    /// deleted.
    fn situation(
        &self,
        id: &str,
        version: Option<u32>,
    ) -> Result<Option<StoredSituation>, StoreError>;
    /// The live version of every uploaded situation, by id.
    fn situations(&self) -> Result<Vec<StoredSituation>, StoreError>;
    /// Every stored version of `id`, deleted or not, oldest first (its history).
    fn situation_versions(&self, id: &str) -> Result<Vec<StoredSituation>, StoreError>;
    /// Mark the live version of `id` deleted; returns it, or `None` if there is no live version.
    fn delete_situation(&self, id: &str) -> Result<Option<StoredSituation>, StoreError>;
}
