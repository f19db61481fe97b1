//! The SQLite implementation of [`SituationStore`]: versions are rows of `situations`, keyed by
//! id and version; a delete stamps `deleted_at` on the latest.

use super::{parse_ts, ts};
use crate::{SituationStore, SqliteStore, StoreError, StoredSituation};
use chrono::Utc;
use rusqlite::{Connection, OptionalExtension, Row, params};

const COLUMNS: &str = "id, version, toml, input_hash, created_at, deleted_at";

fn from_row(r: &Row<'_>) -> rusqlite::Result<StoredSituation> {
    let created: String = r.get(4)?;
    let deleted: Option<String> = r.get(5)?;
    Ok(StoredSituation {
        id: r.get(0)?,
        version: r.get(1)?,
        toml: r.get(2)?,
        input_hash: r.get(3)?,
        created_at: parse_ts(&created)?,
        deleted_at: deleted.as_deref().map(parse_ts).transpose()?,
    })
}

/// The latest version of `id`, deleted or not.
fn latest(conn: &Connection, id: &str) -> Result<Option<StoredSituation>, StoreError> {
    conn.prepare_cached(&format!(
        "SELECT {COLUMNS} FROM situations WHERE id = ?1 ORDER BY version DESC LIMIT 1"
    ))
    .and_then(|mut st| st.query_row([id], from_row).optional())
    .map_err(StoreError::sql("read situation"))
}

impl SituationStore for SqliteStore {
    fn save_situation(
        &self,
        id: &str,
        toml: &str,
        input_hash: &str,
    ) -> Result<(StoredSituation, bool), StoreError> {
        let mut conn = self.conn();
        let tx = conn
            .transaction()
            .map_err(StoreError::sql("begin saving situation"))?;
        let prev = latest(&tx, id)?;
        if let Some(p) = &prev
            && p.deleted_at.is_none()
            && p.input_hash == input_hash
        {
            return Ok((p.clone(), false));
        }
        let s = StoredSituation {
            id: id.to_string(),
            version: prev.map_or(1, |p| p.version + 1),
            toml: toml.to_string(),
            input_hash: input_hash.to_string(),
            created_at: chrono::SubsecRound::trunc_subsecs(Utc::now(), 6),
            deleted_at: None,
        };
        tx.execute(
            &format!("INSERT INTO situations ({COLUMNS}) VALUES (?1, ?2, ?3, ?4, ?5, NULL)"),
            params![s.id, s.version, s.toml, s.input_hash, ts(&s.created_at)],
        )
        .map_err(StoreError::sql("save situation"))?;
        tx.commit().map_err(StoreError::sql("commit situation"))?;
        Ok((s, true))
    }

    fn situation(
        &self,
        id: &str,
        version: Option<u32>,
    ) -> Result<Option<StoredSituation>, StoreError> {
        let conn = self.conn();
        let Some(v) = version else {
            return Ok(latest(&conn, id)?.filter(|s| s.deleted_at.is_none()));
        };
        conn.prepare_cached(&format!(
            "SELECT {COLUMNS} FROM situations WHERE id = ?1 AND version = ?2"
        ))
        .and_then(|mut st| st.query_row(params![id, v], from_row).optional())
        .map_err(StoreError::sql("read situation"))
    }

    fn situations(&self) -> Result<Vec<StoredSituation>, StoreError> {
        let conn = self.conn();
        conn.prepare_cached(&format!(
            "SELECT {COLUMNS} FROM situations s WHERE deleted_at IS NULL AND version = \
             (SELECT MAX(version) FROM situations WHERE id = s.id) ORDER BY id"
        ))
        .and_then(|mut st| {
            st.query_map([], from_row)?
                .collect::<rusqlite::Result<Vec<_>>>()
        })
        .map_err(StoreError::sql("list situations"))
    }

    fn situation_versions(&self, id: &str) -> Result<Vec<StoredSituation>, StoreError> {
        let conn = self.conn();
        conn.prepare_cached(&format!(
            "SELECT {COLUMNS} FROM situations WHERE id = ?1 ORDER BY version"
        ))
        .and_then(|mut st| {
            st.query_map([id], from_row)?
                .collect::<rusqlite::Result<Vec<_>>>()
        })
        .map_err(StoreError::sql("read situation versions"))
    }

    fn delete_situation(&self, id: &str) -> Result<Option<StoredSituation>, StoreError> {
        let mut conn = self.conn();
        let tx = conn
            .transaction()
            .map_err(StoreError::sql("begin deleting situation"))?;
        let Some(mut s) = latest(&tx, id)?.filter(|s| s.deleted_at.is_none()) else {
            return Ok(None);
        };
        let now = chrono::SubsecRound::trunc_subsecs(Utc::now(), 6);
        tx.execute(
            "UPDATE situations SET deleted_at = ?1 WHERE id = ?2 AND version = ?3",
            params![ts(&now), id, s.version],
        )
        .map_err(StoreError::sql("delete situation"))?;
        tx.commit().map_err(StoreError::sql("commit delete"))?;
        s.deleted_at = Some(now);
        Ok(Some(s))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn versions_deletes_and_immutability() {
        let st = SqliteStore::open_in_memory().unwrap();
        let (a, new) = st.save_situation("x", "id = 'x'", "h1").unwrap();
        assert_eq!((a.version, new), (1, true));
        // The same input again is the same version.
        let (b, new) = st.save_situation("x", "id = 'x' ", "h1").unwrap();
        assert_eq!((b.version, new), (1, false));
        let (c, _) = st.save_situation("x", "id = 'x' # edited", "h2").unwrap();
        assert_eq!(c.version, 2);
        assert_eq!(st.situation("x", None).unwrap().unwrap().version, 2);
        assert_eq!(
            st.situation("x", Some(1)).unwrap().unwrap().toml,
            "id = 'x'"
        );
        assert_eq!(st.situations().unwrap().len(), 1);
        assert_eq!(st.delete_situation("x").unwrap().unwrap().version, 2);
        assert!(st.situation("x", None).unwrap().is_none());
        assert!(st.situations().unwrap().is_empty());
        assert!(st.delete_situation("x").unwrap().is_none());
        // Deleted versions stay readable by number; a new upload is version 3.
        assert!(st.situation("x", Some(2)).unwrap().is_some());
        assert_eq!(st.save_situation("x", "t", "h2").unwrap().0.version, 3);
        let all: Vec<u32> = st
            .situation_versions("x")
            .unwrap()
            .iter()
            .map(|s| s.version)
            .collect();
        assert_eq!(all, [1, 2, 3]);
        assert!(st.situation_versions("nope").unwrap().is_empty());
        let e = st
            .conn()
            .execute("UPDATE situations SET toml = 'y' WHERE version = 1", [])
            .unwrap_err();
        assert!(e.to_string().contains("never changes"), "{e}");
    }
}
