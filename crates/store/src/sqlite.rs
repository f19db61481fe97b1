//! The embedded SQLite implementation of [`ForecastStore`].
//!
//! Durability: WAL journal with `synchronous=FULL`. In WAL mode a commit appends to the `-wal` file;
//! with FULL that file is fsynced before the commit returns, so an acknowledged forecast survives a
//! `kill -9` of the process and also an OS crash or power cut. (NORMAL would already survive a
//! `kill -9`, since the WAL write reaches the OS before the commit returns, but could lose the last
//! commits on power loss; forecasts are written rarely, so the fsync per write is cheap insurance.)
//!
//! Append-only: triggers in the schema (migration 3) abort any UPDATE that changes a stored
//! forecast other than adding its outcome and resolution time once, and any DELETE, whoever
//! issues it. On opening, `PRAGMA quick_check` refuses a corrupt file with a clear error.
//!
//! Migrations are SQL scripts numbered by position in [`MIGRATIONS`]; the database's
//! `PRAGMA user_version` records how many have run. A database from a newer casus is refused.

mod situations;

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
    // 3: a track record nobody can rewrite, and uploaded situations that persist. A forecast brought
    // in with its own date is marked `imported`; once stored, only its outcome may be added, once,
    // and never before it was made. A forecast of an uploaded situation names the version assessed;
    // a version, once stored, never changes (a delete only marks it).
    "ALTER TABLE forecasts ADD COLUMN imported INTEGER NOT NULL DEFAULT 0 CHECK (imported IN (0, 1));
    ALTER TABLE forecasts ADD COLUMN situation_version INTEGER;
    CREATE TRIGGER forecasts_append_only BEFORE UPDATE ON forecasts
    WHEN OLD.outcome IS NOT NULL OR OLD.resolved_at IS NOT NULL
        OR NEW.outcome IS NULL OR NEW.resolved_at IS NULL
        OR NEW.id IS NOT OLD.id OR NEW.question IS NOT OLD.question
        OR NEW.question_key IS NOT OLD.question_key OR NEW.situation_id IS NOT OLD.situation_id
        OR NEW.situation_version IS NOT OLD.situation_version
        OR NEW.patron IS NOT OLD.patron OR NEW.target IS NOT OLD.target
        OR NEW.horizon_days IS NOT OLD.horizon_days OR NEW.probability IS NOT OLD.probability
        OR NEW.interval_low IS NOT OLD.interval_low OR NEW.interval_high IS NOT OLD.interval_high
        OR NEW.input_hash IS NOT OLD.input_hash OR NEW.model_id IS NOT OLD.model_id
        OR NEW.model_version IS NOT OLD.model_version OR NEW.source IS NOT OLD.source
        OR NEW.created_at IS NOT OLD.created_at OR NEW.imported IS NOT OLD.imported
    BEGIN
        SELECT RAISE(ABORT, 'forecasts are append-only: only an outcome may be added, once');
    END;
    CREATE TRIGGER forecasts_resolved_after_made BEFORE UPDATE OF resolved_at ON forecasts
    WHEN NEW.resolved_at < OLD.created_at
    BEGIN
        SELECT RAISE(ABORT, 'a forecast cannot resolve before it was made');
    END;
    CREATE TRIGGER forecasts_never_deleted BEFORE DELETE ON forecasts
    BEGIN
        SELECT RAISE(ABORT, 'forecasts are append-only: none may be deleted');
    END;
    CREATE TABLE situations (
        id         TEXT    NOT NULL,
        version    INTEGER NOT NULL CHECK (version >= 1),
        toml       TEXT    NOT NULL,
        input_hash TEXT    NOT NULL,
        created_at TEXT    NOT NULL,
        deleted_at TEXT,
        PRIMARY KEY (id, version)
    );
    CREATE TRIGGER situations_versions_never_change BEFORE UPDATE ON situations
    WHEN NEW.id IS NOT OLD.id OR NEW.version IS NOT OLD.version OR NEW.toml IS NOT OLD.toml
        OR NEW.input_hash IS NOT OLD.input_hash OR NEW.created_at IS NOT OLD.created_at
        OR OLD.deleted_at IS NOT NULL
    BEGIN
        SELECT RAISE(ABORT, 'a situation version never changes; an edit is a new version');
    END;",
];

/// The schema version this build writes.
pub const SCHEMA_VERSION: i64 = MIGRATIONS.len() as i64;

const COLUMNS: &str = "id, question, question_key, situation_id, patron, target, horizon_days, \
    probability, interval_low, interval_high, input_hash, model_id, model_version, source, \
    created_at, outcome, resolved_at, imported, situation_version";

/// A forecast store in one SQLite file (or in memory, for tests).
pub struct SqliteStore {
    conn: Mutex<Connection>,
}

impl std::fmt::Debug for SqliteStore {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("SqliteStore").finish_non_exhaustive()
    }
}

pub(crate) fn ts(t: &DateTime<Utc>) -> String {
    // Fixed width, so text order is time order.
    t.to_rfc3339_opts(SecondsFormat::Micros, true)
}

pub(crate) fn parse_ts(s: &str) -> rusqlite::Result<DateTime<Utc>> {
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
            imported: r.get(17)?,
            situation_version: r.get(18)?,
        },
        resolution,
    })
}

impl SqliteStore {
    /// Open (creating if needed) the store at `path` and bring its schema up to date.
    pub fn open(path: &Path) -> Result<SqliteStore, StoreError> {
        // SQLite would open a file it cannot write read-only and fail only at the first write, or
        // fail with a bare "unable to open": say so up front (opening to append changes nothing).
        if let Err(e) = std::fs::OpenOptions::new().append(true).open(path)
            && matches!(
                e.kind(),
                std::io::ErrorKind::PermissionDenied | std::io::ErrorKind::ReadOnlyFilesystem
            )
        {
            return Err(StoreError::ReadOnly { op: "open" });
        }
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
        check_integrity(&conn)?;
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

    pub(crate) fn conn(&self) -> MutexGuard<'_, Connection> {
        // A panic while holding the lock cannot leave a half-written row: SQLite rolls back.
        self.conn.lock().unwrap_or_else(|p| p.into_inner())
    }

    /// The journal mode and `synchronous` level of the connection, as SQLite reports them
    /// (`("wal", 2)` for a file store: 2 is FULL).
    pub fn durability(&self) -> Result<(String, i64), StoreError> {
        let conn = self.conn();
        let mode = conn
            .query_row("PRAGMA journal_mode", [], |r| r.get(0))
            .map_err(StoreError::sql("read journal mode"))?;
        let sync = conn
            .query_row("PRAGMA synchronous", [], |r| r.get(0))
            .map_err(StoreError::sql("read synchronous"))?;
        Ok((mode, sync))
    }

    /// The schema version of the open database.
    pub fn schema_version(&self) -> Result<i64, StoreError> {
        self.conn()
            .query_row("PRAGMA user_version", [], |r| r.get(0))
            .map_err(StoreError::sql("read schema version"))
    }
}

/// Refuse a file that is not an SQLite database or whose pages are damaged. `quick_check` reads
/// every page once: milliseconds for a track record of thousands of forecasts.
fn check_integrity(conn: &Connection) -> Result<(), StoreError> {
    const OP: &str = "check the database";
    let problems: Vec<String> = conn
        .prepare("PRAGMA quick_check(5)")
        .and_then(|mut st| {
            st.query_map([], |r| r.get::<_, String>(0))?
                .collect::<rusqlite::Result<_>>()
        })
        .map_err(StoreError::sql(OP))?;
    if problems.iter().any(|p| p != "ok") {
        return Err(StoreError::Corrupt {
            op: OP,
            detail: problems.join("; "),
        });
    }
    Ok(())
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

/// Refuse a forecast made after its question resolved (another forecast on the same key already
/// carries an earlier resolution).
fn check_before_resolution(conn: &Connection, f: &NewForecast) -> Result<(), StoreError> {
    let Some(key) = &f.question_key else {
        return Ok(());
    };
    let created = ts(&f.created_at);
    let resolved: Option<String> = conn
        .prepare_cached(
            "SELECT MIN(resolved_at) FROM forecasts WHERE question_key = ?1 AND resolved_at < ?2",
        )
        .and_then(|mut st| st.query_row(params![key, created], |r| r.get(0)))
        .map_err(StoreError::sql("check the question's resolution"))?;
    match resolved {
        Some(resolved_at) => Err(StoreError::AfterResolution {
            question_key: key.clone(),
            created_at: created,
            resolved_at,
        }),
        None => Ok(()),
    }
}

/// Refuse a resolution in the future or before the forecast was made.
pub(crate) fn check_resolution_time(
    id: i64,
    made: &DateTime<Utc>,
    at: &DateTime<Utc>,
) -> Result<(), StoreError> {
    let why = if at < made {
        "that is before the forecast was made"
    } else if *at > Utc::now() {
        "that is in the future"
    } else {
        return Ok(());
    };
    Err(StoreError::BadResolutionTime {
        id,
        resolved_at: ts(at),
        why,
    })
}

fn insert(conn: &Connection, f: &NewForecast, or_ignore: bool) -> Result<Option<i64>, StoreError> {
    f.validate()?;
    check_before_resolution(conn, f)?;
    insert_row(conn, or_ignore, None, f, None)
}

/// Insert every column; a `None` id takes the next one. Returns the id, or `None` if ignored.
fn insert_row(
    conn: &Connection,
    or_ignore: bool,
    id: Option<i64>,
    f: &NewForecast,
    resolution: Option<Resolution>,
) -> Result<Option<i64>, StoreError> {
    let verb = if or_ignore {
        "INSERT OR IGNORE"
    } else {
        "INSERT"
    };
    let sql = format!(
        "{verb} INTO forecasts ({COLUMNS}) VALUES \
         (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17, ?18, ?19)"
    );
    let n = conn
        .prepare_cached(&sql)
        .and_then(|mut st| {
            st.execute(params![
                id,
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
                resolution.map(|r| r.outcome),
                resolution.map(|r| ts(&r.resolved_at)),
                f.imported,
                f.situation_version,
            ])
        })
        .map_err(|e| match e.sqlite_error() {
            // The unique index on (source, question_key, created_at), not a trigger.
            Some(c) if c.extended_code == rusqlite::ffi::SQLITE_CONSTRAINT_UNIQUE => {
                StoreError::Duplicate {
                    source_name: f.source.as_str().to_string(),
                    question_key: f.question_key.clone().unwrap_or_default(),
                    created_at: ts(&f.created_at),
                }
            }
            _ => StoreError::sql("record forecast")(e),
        })?;
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
        // Acknowledge what was stored (times at the store's microsecond precision).
        get(&conn, id)
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
        if let Some(after) = q.after_id {
            args.push(after.into());
            sql.push_str(&format!(" AND id > ?{}", args.len()));
        }
        // Newest `limit`, returned oldest first; a page after an id is the oldest `limit` after it.
        sql.push_str(if q.after_id.is_some() {
            " ORDER BY id ASC"
        } else {
            " ORDER BY id DESC"
        });
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
        if q.after_id.is_none() {
            out.reverse();
        }
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
        check_resolution_time(id, &f.created_at, &at)?;
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
        let mut conn = self.conn();
        let tx = conn
            .transaction()
            .map_err(StoreError::sql("begin resolve"))?;
        // The latest open forecast on the question must predate the resolution.
        let latest: Option<(i64, String)> = tx
            .query_row(
                "SELECT id, created_at FROM forecasts WHERE question_key = ?1 AND outcome IS NULL \
                 ORDER BY created_at DESC LIMIT 1",
                [question_key],
                |r| Ok((r.get(0)?, r.get(1)?)),
            )
            .optional()
            .map_err(StoreError::sql("resolve question"))?;
        if let Some((id, made)) = latest {
            let made = parse_ts(&made).map_err(StoreError::sql("resolve question"))?;
            check_resolution_time(id, &made, &at)?;
        }
        let n = tx
            .execute(
                "UPDATE forecasts SET outcome = ?1, resolved_at = ?2 \
                 WHERE question_key = ?3 AND outcome IS NULL",
                params![u8::from(outcome), ts(&at), question_key],
            )
            .map_err(StoreError::sql("resolve question"))?;
        tx.commit().map_err(StoreError::sql("commit resolve"))?;
        Ok(n)
    }

    fn restore(&self, backup: &crate::Backup) -> Result<usize, StoreError> {
        let fs = &backup.forecasts;
        let mut conn = self.conn();
        let tx = conn
            .transaction()
            .map_err(StoreError::sql("begin restore"))?;
        let count: i64 = tx
            .query_row(
                "SELECT (SELECT COUNT(*) FROM forecasts) + (SELECT COUNT(*) FROM situations)",
                [],
                |r| r.get(0),
            )
            .map_err(StoreError::sql("restore"))?;
        if count > 0 {
            return Err(StoreError::NotEmpty { count });
        }
        for s in &backup.situations {
            tx.execute(
                "INSERT INTO situations (id, version, toml, input_hash, created_at, deleted_at) \
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
                params![
                    s.id,
                    s.version,
                    s.toml,
                    s.input_hash,
                    ts(&s.created_at),
                    s.deleted_at.as_ref().map(ts)
                ],
            )
            .map_err(StoreError::sql("restore situation"))?;
        }
        for f in fs {
            f.validate()?;
            if let Some(r) = &f.resolution {
                check_resolution_time(f.id, &f.created_at, &r.resolved_at)?;
            }
            // With the stored id and outcome: only UPDATE and DELETE are guarded.
            insert_row(&tx, false, Some(f.id), f, f.resolution)?;
        }
        tx.commit().map_err(StoreError::sql("commit restore"))?;
        Ok(fs.len())
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

    /// A store written before the append-only schema (version 2) opens, migrates, keeps its rows
    /// (not imported, no situation version) and is append-only from then on.
    #[test]
    fn a_version_2_store_migrates() {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("v2.db");
        let c = Connection::open(&p).unwrap();
        for sql in &MIGRATIONS[..2] {
            c.execute_batch(sql).unwrap();
        }
        c.pragma_update(None, "user_version", 2).unwrap();
        c.execute(
            "INSERT INTO forecasts (question, probability, source, created_at) \
             VALUES ('old', 0.25, 'casus', '2020-08-25T00:00:00.000000Z')",
            [],
        )
        .unwrap();
        drop(c);
        let s = SqliteStore::open(&p).unwrap();
        assert_eq!(s.schema_version().unwrap(), SCHEMA_VERSION);
        let old = s.get(1).unwrap();
        assert_eq!((old.probability, old.imported), (0.25, false));
        assert_eq!(old.situation_version, None);
        let e = s
            .conn()
            .execute("UPDATE forecasts SET probability = 0.5", [])
            .unwrap_err();
        assert!(e.to_string().contains("append-only"), "{e}");
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
