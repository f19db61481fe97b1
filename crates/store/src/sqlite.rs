//! The embedded SQLite implementation of [`ForecastStore`].
//!
//! Durability: WAL journal with `synchronous=FULL`. In WAL mode a commit appends to the `-wal` file;
//! with FULL that file is fsynced before the commit returns, so an acknowledged forecast survives a
//! `kill -9` of the process and also an OS crash or power cut. (NORMAL would already survive a
//! `kill -9`, since the WAL write reaches the OS before the commit returns, but could lose the last
//! commits on power loss; forecasts are written rarely, so the fsync per write is cheap insurance.)
//!
//! Migrations are SQL scripts numbered by position in [`MIGRATIONS`]; the database's
//! `PRAGMA user_version` records how many have run. A database from a newer casus is refused.

use crate::{Forecast, ForecastStore, ListQuery, NewForecast, Resolution, Source, StoreError};
use chrono::{DateTime, SecondsFormat, Utc};
use rusqlite::{Connection, OptionalExtension, Row, params};
use std::path::Path;
use std::sync::{Mutex, MutexGuard};

/// Schema migrations, oldest first. Never edit one that has shipped; append a new one.
const MIGRATIONS: &[&str] = &[
    // 1: forecasts with their resolution.
    "CREATE TABLE forecasts (
        id            INTEGER PRIMARY KEY AUTOINCREMENT,
        question      TEXT    NOT NULL,
        question_key  TEXT,
        situation_id  TEXT,
        patron        TEXT,
        target        TEXT,
        horizon_days  INTEGER,
        probability   REAL    NOT NULL CHECK (probability >= 0 AND probability <= 1),
        interval_low  REAL,
        interval_high REAL,
        input_hash    TEXT,
        model_id      TEXT,
        model_version TEXT,
        source        TEXT    NOT NULL,
        created_at    TEXT    NOT NULL,
        outcome       INTEGER CHECK (outcome IN (0, 1)),
        resolved_at   TEXT
    );
    CREATE INDEX forecasts_question ON forecasts (question_key);
    CREATE INDEX forecasts_source ON forecasts (source);",
    // 2: importing the same crowd point twice is a no-op.
    "CREATE UNIQUE INDEX forecasts_point ON forecasts (source, question_key, created_at)
        WHERE question_key IS NOT NULL AND source <> 'casus';",
];

/// The schema version this build writes.
pub const SCHEMA_VERSION: i64 = MIGRATIONS.len() as i64;

const COLUMNS: &str = "id, question, question_key, situation_id, patron, target, horizon_days, \
    probability, interval_low, interval_high, input_hash, model_id, model_version, source, \
    created_at, outcome, resolved_at";

/// A forecast store in one SQLite file (or in memory, for tests).
pub struct SqliteStore {
    conn: Mutex<Connection>,
}

impl std::fmt::Debug for SqliteStore {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("SqliteStore").finish_non_exhaustive()
    }
}

fn ts(t: &DateTime<Utc>) -> String {
    // Fixed width, so text order is time order.
    t.to_rfc3339_opts(SecondsFormat::Micros, true)
}

fn parse_ts(s: &str) -> rusqlite::Result<DateTime<Utc>> {
    DateTime::parse_from_rfc3339(s)
        .map(|t| t.with_timezone(&Utc))
        .map_err(|e| {
            rusqlite::Error::FromSqlConversionFailure(0, rusqlite::types::Type::Text, e.into())
        })
}

fn from_row(r: &Row<'_>) -> rusqlite::Result<Forecast> {
    let lo: Option<f64> = r.get(8)?;
    let hi: Option<f64> = r.get(9)?;
    let source: String = r.get(13)?;
    let created: String = r.get(14)?;
    let outcome: Option<u8> = r.get(15)?;
    let resolved: Option<String> = r.get(16)?;
    let resolution = match (outcome, resolved) {
        (Some(outcome), Some(at)) => Some(Resolution {
            outcome,
            resolved_at: parse_ts(&at)?,
        }),
        _ => None,
    };
    Ok(Forecast {
        id: r.get(0)?,
        forecast: NewForecast {
            question: r.get(1)?,
            question_key: r.get(2)?,
            situation_id: r.get(3)?,
            patron: r.get(4)?,
            target: r.get(5)?,
            horizon_days: r.get(6)?,
            probability: r.get(7)?,
            interval: lo.zip(hi).map(|(l, h)| [l, h]),
            input_hash: r.get(10)?,
            model_id: r.get(11)?,
            model_version: r.get(12)?,
            source: Source::new(&source).unwrap_or_else(|_| Source::casus()),
            created_at: parse_ts(&created)?,
        },
        resolution,
    })
}

impl SqliteStore {
    /// Open (creating if needed) the store at `path` and bring its schema up to date.
    pub fn open(path: &Path) -> Result<SqliteStore, StoreError> {
        let conn = Connection::open(path).map_err(StoreError::sql("open"))?;
        Self::init(conn, true)
    }

    /// A store that lives in memory only.
    pub fn open_in_memory() -> Result<SqliteStore, StoreError> {
        let conn = Connection::open_in_memory().map_err(StoreError::sql("open"))?;
        Self::init(conn, false)
    }

    fn init(mut conn: Connection, file: bool) -> Result<SqliteStore, StoreError> {
        conn.busy_timeout(std::time::Duration::from_secs(5))
            .map_err(StoreError::sql("set busy timeout"))?;
        if file {
            let mode: String = conn
                .query_row("PRAGMA journal_mode=WAL", [], |r| r.get(0))
                .map_err(StoreError::sql("enable WAL"))?;
            if !mode.eq_ignore_ascii_case("wal") {
                return Err(StoreError::Sqlite {
                    op: "enable WAL",
                    source: rusqlite::Error::InvalidQuery,
                });
            }
        }
        conn.execute_batch("PRAGMA synchronous=FULL; PRAGMA foreign_keys=ON;")
            .map_err(StoreError::sql("set pragmas"))?;
        migrate(&mut conn)?;
        Ok(SqliteStore {
            conn: Mutex::new(conn),
        })
    }

    fn conn(&self) -> MutexGuard<'_, Connection> {
        // A panic while holding the lock cannot leave a half-written row: SQLite rolls back.
        self.conn.lock().unwrap_or_else(|p| p.into_inner())
    }

    /// The schema version of the open database.
    pub fn schema_version(&self) -> Result<i64, StoreError> {
        self.conn()
            .query_row("PRAGMA user_version", [], |r| r.get(0))
            .map_err(StoreError::sql("read schema version"))
    }
}

fn migrate(conn: &mut Connection) -> Result<(), StoreError> {
    let found: i64 = conn
        .query_row("PRAGMA user_version", [], |r| r.get(0))
        .map_err(StoreError::sql("read schema version"))?;
    if found > SCHEMA_VERSION {
        return Err(StoreError::SchemaTooNew {
            found,
            known: SCHEMA_VERSION,
        });
    }
    for (i, sql) in MIGRATIONS.iter().enumerate().skip(found as usize) {
        let tx = conn.transaction().map_err(StoreError::sql("migrate"))?;
        tx.execute_batch(sql).map_err(StoreError::sql("migrate"))?;
        tx.pragma_update(None, "user_version", (i + 1) as i64)
            .map_err(StoreError::sql("migrate"))?;
        tx.commit().map_err(StoreError::sql("migrate"))?;
    }
    Ok(())
}

fn insert(conn: &Connection, f: &NewForecast, or_ignore: bool) -> Result<Option<i64>, StoreError> {
    f.validate()?;
    let verb = if or_ignore {
        "INSERT OR IGNORE"
    } else {
        "INSERT"
    };
    let sql = format!(
        "{verb} INTO forecasts (question, question_key, situation_id, patron, target, horizon_days, \
         probability, interval_low, interval_high, input_hash, model_id, model_version, source, created_at) \
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14)"
    );
    let n = conn
        .prepare_cached(&sql)
        .and_then(|mut st| {
            st.execute(params![
                f.question,
                f.question_key,
                f.situation_id,
                f.patron,
                f.target,
                f.horizon_days,
                f.probability,
                f.interval.map(|i| i[0]),
                f.interval.map(|i| i[1]),
                f.input_hash,
                f.model_id,
                f.model_version,
                f.source.as_str(),
                ts(&f.created_at),
            ])
        })
        .map_err(StoreError::sql("record forecast"))?;
    Ok((n == 1).then(|| conn.last_insert_rowid()))
}

fn get(conn: &Connection, id: i64) -> Result<Forecast, StoreError> {
    conn.prepare_cached(&format!("SELECT {COLUMNS} FROM forecasts WHERE id = ?1"))
        .and_then(|mut st| st.query_row([id], from_row).optional())
        .map_err(StoreError::sql("read forecast"))?
        .ok_or(StoreError::NotFound { id })
}

impl ForecastStore for SqliteStore {
    fn record(&self, f: &NewForecast) -> Result<Forecast, StoreError> {
        let conn = self.conn();
        let id = insert(&conn, f, false)?.expect("a plain INSERT inserts");
        Ok(Forecast {
            id,
            forecast: f.clone(),
            resolution: None,
        })
    }

    fn record_batch(&self, fs: &[NewForecast]) -> Result<usize, StoreError> {
        let mut conn = self.conn();
        let tx = conn
            .transaction()
            .map_err(StoreError::sql("begin import"))?;
        let mut n = 0;
        for f in fs {
            n += usize::from(insert(&tx, f, true)?.is_some());
        }
        tx.commit().map_err(StoreError::sql("commit import"))?;
        Ok(n)
    }

    fn get(&self, id: i64) -> Result<Forecast, StoreError> {
        get(&self.conn(), id)
    }

    fn list(&self, q: &ListQuery) -> Result<Vec<Forecast>, StoreError> {
        let mut sql = format!("SELECT {COLUMNS} FROM forecasts WHERE 1=1");
        let mut args: Vec<rusqlite::types::Value> = Vec::new();
        if let Some(s) = &q.source {
            args.push(s.clone().into());
            sql.push_str(&format!(" AND source = ?{}", args.len()));
        }
        if let Some(k) = &q.question_key {
            args.push(k.clone().into());
            sql.push_str(&format!(" AND question_key = ?{}", args.len()));
        }
        match q.resolved {
            Some(true) => sql.push_str(" AND outcome IS NOT NULL"),
            Some(false) => sql.push_str(" AND outcome IS NULL"),
            None => {}
        }
        // Newest `limit`, returned oldest first.
        sql.push_str(" ORDER BY id DESC");
        if let Some(l) = q.limit {
            sql.push_str(&format!(" LIMIT {}", l.min(i64::MAX as usize)));
        }
        let conn = self.conn();
        let mut out = conn
            .prepare(&sql)
            .and_then(|mut st| {
                st.query_map(rusqlite::params_from_iter(args), from_row)?
                    .collect::<rusqlite::Result<Vec<_>>>()
            })
            .map_err(StoreError::sql("list forecasts"))?;
        out.reverse();
        Ok(out)
    }

    fn resolve(&self, id: i64, outcome: bool, at: DateTime<Utc>) -> Result<Forecast, StoreError> {
        let mut conn = self.conn();
        let tx = conn
            .transaction()
            .map_err(StoreError::sql("begin resolve"))?;
        let f = get(&tx, id)?;
        if let Some(r) = f.resolution {
            return Err(StoreError::AlreadyResolved {
                id,
                outcome: r.outcome,
            });
        }
        tx.execute(
            "UPDATE forecasts SET outcome = ?1, resolved_at = ?2 WHERE id = ?3",
            params![u8::from(outcome), ts(&at), id],
        )
        .map_err(StoreError::sql("resolve forecast"))?;
        let f = get(&tx, id)?;
        tx.commit().map_err(StoreError::sql("commit resolve"))?;
        Ok(f)
    }

    fn resolve_question(
        &self,
        question_key: &str,
        outcome: bool,
        at: DateTime<Utc>,
    ) -> Result<usize, StoreError> {
        self.conn()
            .execute(
                "UPDATE forecasts SET outcome = ?1, resolved_at = ?2 \
                 WHERE question_key = ?3 AND outcome IS NULL",
                params![u8::from(outcome), ts(&at), question_key],
            )
            .map_err(StoreError::sql("resolve question"))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn record_get_list_resolve() {
        let s = SqliteStore::open_in_memory().unwrap();
        let mut f = NewForecast::new("Force in Belarus within a year?", 0.07, Source::casus());
        f.interval = Some([0.02, 0.16]);
        f.question_key = Some("casus:blr-2020".into());
        let a = s.record(&f).unwrap();
        assert_eq!(s.get(a.id).unwrap().interval, Some([0.02, 0.16]));
        let r = s.resolve(a.id, false, Utc::now()).unwrap();
        assert_eq!(r.resolution.unwrap().outcome, 0);
        assert!(matches!(
            s.resolve(a.id, true, Utc::now()),
            Err(StoreError::AlreadyResolved { .. })
        ));
        assert!(matches!(s.get(999), Err(StoreError::NotFound { id: 999 })));
        let q = ListQuery {
            resolved: Some(false),
            ..Default::default()
        };
        assert!(s.list(&q).unwrap().is_empty());
    }

    #[test]
    fn crowd_points_are_imported_once() {
        let s = SqliteStore::open_in_memory().unwrap();
        let mut f = NewForecast::new("q", 0.2, Source::new("metaculus").unwrap());
        f.question_key = Some("metaculus:1".into());
        assert_eq!(s.record_batch(&[f.clone(), f.clone()]).unwrap(), 1);
        assert_eq!(s.record_batch(&[f]).unwrap(), 0);
    }

    #[test]
    fn newer_schema_is_refused() {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("f.db");
        drop(SqliteStore::open(&p).unwrap());
        let c = Connection::open(&p).unwrap();
        c.pragma_update(None, "user_version", SCHEMA_VERSION + 1)
            .unwrap();
        drop(c);
        assert!(matches!(
            SqliteStore::open(&p),
            Err(StoreError::SchemaTooNew { .. })
        ));
    }

    #[test]
    fn file_store_is_wal_and_reopens() {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("f.db");
        let s = SqliteStore::open(&p).unwrap();
        assert_eq!(s.schema_version().unwrap(), SCHEMA_VERSION);
        s.record(&NewForecast::new("q", 0.5, Source::casus()))
            .unwrap();
        drop(s);
        let s = SqliteStore::open(&p).unwrap();
        assert_eq!(s.list(&ListQuery::default()).unwrap().len(), 1);
        let mode: String = s
            .conn()
            .query_row("PRAGMA journal_mode", [], |r| r.get(0))
            .unwrap();
        assert_eq!(mode, "wal");
    }
}
