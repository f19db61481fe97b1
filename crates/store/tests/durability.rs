//! Issue 10, item 7: the store's durability promises, asserted. Its settings read back as
//! documented; a second store on the same file is safe; a full disk and a read-only database give a
//! clear error and lose no acknowledged forecast; a corrupt file is refused with a clear message.
//!
//! The full-disk and read-only cases mount a tiny tmpfs, which needs root (or CAP_SYS_ADMIN); they
//! say SKIP and pass elsewhere. The read-only case falls back to file permissions when not root.

use casus_store::{ForecastStore, ListQuery, NewForecast, Source, SqliteStore, StoreError};
use std::path::{Path, PathBuf};
use std::process::Command;

fn forecast(i: usize) -> NewForecast {
    NewForecast::new(
        format!("durability question {i}: {}", "x".repeat(1500)),
        (i % 100) as f64 / 100.0,
        Source::casus(),
    )
}

/// Every acknowledged forecast (id, probability, question) is in the store at `db`, unchanged.
fn assert_all_present(db: &Path, acked: &[(i64, f64, String)]) {
    let store = SqliteStore::open(db).expect("the store reopens");
    let stored = store.list(&ListQuery::default()).unwrap();
    for (id, p, q) in acked {
        let f = stored
            .iter()
            .find(|f| f.id == *id)
            .unwrap_or_else(|| panic!("acknowledged forecast {id} was lost"));
        assert_eq!((&f.question, f.probability), (q, *p));
    }
}

/// A tmpfs of `size` mounted on a fresh directory, unmounted on drop.
struct Tmpfs {
    dir: tempfile::TempDir,
}

impl Tmpfs {
    fn mount(size: &str) -> Option<Tmpfs> {
        let dir = tempfile::tempdir().ok()?;
        let ok = Command::new("mount")
            .args(["-t", "tmpfs", "-o", &format!("size={size}"), "tmpfs"])
            .arg(dir.path())
            .stderr(std::process::Stdio::null())
            .status()
            .is_ok_and(|s| s.success());
        ok.then_some(Tmpfs { dir })
    }

    fn path(&self) -> PathBuf {
        self.dir.path().to_path_buf()
    }

    fn remount(&self, opts: &str) {
        let ok = Command::new("mount")
            .args(["-o", &format!("remount,{opts}")])
            .arg(self.dir.path())
            .status()
            .unwrap()
            .success();
        assert!(ok, "remount {opts}");
    }
}

impl Drop for Tmpfs {
    fn drop(&mut self) {
        let _ = Command::new("umount").arg(self.dir.path()).status();
    }
}

#[test]
fn settings_read_back_as_documented() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("f.db");
    for _ in 0..2 {
        // A new file, then the same file reopened.
        let s = SqliteStore::open(&db).unwrap();
        let (mode, sync) = s.durability().unwrap();
        assert_eq!(mode, "wal");
        assert_eq!(sync, 2, "synchronous must be FULL (2)");
    }
}

#[test]
fn a_second_store_on_the_same_file_is_safe() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("f.db");
    let stores = [
        SqliteStore::open(&db).unwrap(),
        SqliteStore::open(&db).unwrap(),
    ];
    let acked: Vec<(i64, f64, String)> = std::thread::scope(|sc| {
        let handles: Vec<_> = stores
            .iter()
            .enumerate()
            .map(|(w, s)| {
                sc.spawn(move || {
                    (0..100)
                        .map(|i| {
                            let f = s.record(&forecast(1000 * w + i)).unwrap();
                            (f.id, f.probability, f.question.clone())
                        })
                        .collect::<Vec<_>>()
                })
            })
            .collect();
        handles
            .into_iter()
            .flat_map(|h| h.join().unwrap())
            .collect()
    });
    let mut ids: Vec<i64> = acked.iter().map(|a| a.0).collect();
    ids.sort();
    ids.dedup();
    assert_eq!(ids.len(), 200, "ids are unique across the two stores");
    // Each sees the other's writes, and the append-only rules bind both.
    assert_eq!(stores[1].list(&ListQuery::default()).unwrap().len(), 200);
    stores[0].resolve(ids[0], true, chrono::Utc::now()).unwrap();
    assert!(matches!(
        stores[1].resolve(ids[0], false, chrono::Utc::now()),
        Err(StoreError::AlreadyResolved { .. })
    ));
    drop(stores);
    assert_all_present(&db, &acked);
}

#[test]
fn a_full_disk_is_a_clear_error_and_loses_nothing() {
    let Some(fs) = Tmpfs::mount("512k") else {
        eprintln!(
            "SKIP a_full_disk_is_a_clear_error_and_loses_nothing: cannot mount a tmpfs (not root?)"
        );
        return;
    };
    let db = fs.path().join("f.db");
    let store = SqliteStore::open(&db).unwrap();
    let mut acked = Vec::new();
    let err = loop {
        match store.record(&forecast(acked.len())) {
            Ok(f) => acked.push((f.id, f.probability, f.question.clone())),
            Err(e) => break e,
        }
        assert!(acked.len() < 10_000, "the disk never filled");
    };
    eprintln!("disk full after {} forecasts: {err}", acked.len());
    assert!(matches!(err, StoreError::DiskFull { .. }), "{err:?}");
    assert!(err.to_string().contains("the disk is full"), "{err}");
    assert!(!acked.is_empty());
    // Reads still work on the full disk, and show every acknowledged forecast.
    assert_eq!(
        store.list(&ListQuery::default()).unwrap().len(),
        acked.len()
    );
    drop(store);
    fs.remount("size=4m");
    assert_all_present(&db, &acked);
    // With space again, writing resumes.
    SqliteStore::open(&db)
        .unwrap()
        .record(&forecast(0))
        .unwrap();
}

#[test]
fn a_read_only_database_is_a_clear_error_and_loses_nothing() {
    let root = Command::new("id")
        .arg("-u")
        .output()
        .is_ok_and(|o| o.stdout.starts_with(b"0\n"));
    // Root ignores file permissions, so make the file system read-only instead.
    let fs = if root { Tmpfs::mount("4m") } else { None };
    if root && fs.is_none() {
        eprintln!(
            "SKIP a_read_only_database_is_a_clear_error_and_loses_nothing: root, but cannot mount a tmpfs"
        );
        return;
    }
    let tmp = tempfile::tempdir().unwrap();
    let dir = fs.as_ref().map_or(tmp.path().to_path_buf(), Tmpfs::path);
    let db = dir.join("f.db");
    let store = SqliteStore::open(&db).unwrap();
    let acked: Vec<_> = (0..20)
        .map(|i| {
            let f = store.record(&forecast(i)).unwrap();
            (f.id, f.probability, f.question.clone())
        })
        .collect();
    let make_read_only = |ro: bool| match &fs {
        Some(fs) => fs.remount(if ro { "ro" } else { "rw" }),
        None => {
            use std::os::unix::fs::PermissionsExt;
            let mode = if ro { 0o555 } else { 0o755 };
            std::fs::set_permissions(&dir, std::fs::Permissions::from_mode(mode)).unwrap();
            for entry in std::fs::read_dir(&dir).unwrap() {
                let mode = if ro { 0o444 } else { 0o644 };
                std::fs::set_permissions(
                    entry.unwrap().path(),
                    std::fs::Permissions::from_mode(mode),
                )
                .unwrap();
            }
        }
    };
    // (A file system cannot be remounted read-only while a store holds files open for writing.)
    drop(store);
    make_read_only(true);
    let outcome = SqliteStore::open(&db).and_then(|s| s.record(&forecast(99)).map(|_| ()));
    let err = outcome.expect_err("a write to a read-only database must fail");
    eprintln!("read-only: {err}");
    assert!(matches!(err, StoreError::ReadOnly { .. }), "{err:?}");
    assert!(err.to_string().contains("read-only"), "{err}");
    make_read_only(false);
    assert_all_present(&db, &acked);
}

#[test]
fn a_file_that_is_not_a_database_is_named_corrupt() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("junk.db");
    std::fs::write(
        &db,
        "these are not the forecasts you are looking for\n".repeat(200),
    )
    .unwrap();
    let err = SqliteStore::open(&db).unwrap_err();
    assert!(matches!(err, StoreError::Corrupt { .. }), "{err:?}");
    assert!(
        err.to_string()
            .contains("corrupt or not a casus forecast store"),
        "{err}"
    );
}

#[test]
fn a_damaged_page_is_detected_on_opening() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("f.db");
    let store = SqliteStore::open(&db).unwrap();
    for i in 0..50 {
        store.record(&forecast(i)).unwrap();
    }
    drop(store); // checkpoints the WAL into the main file
    let mut bytes = std::fs::read(&db).unwrap();
    assert!(bytes.len() > 4 * 4096, "{} bytes", bytes.len());
    // Scribble over the b-tree header of the third page, inside the forecasts table.
    let page = 4096 * 2;
    bytes[page..page + 64].fill(0xA5);
    std::fs::write(&db, &bytes).unwrap();
    let err = SqliteStore::open(&db).unwrap_err();
    eprintln!("damaged page: {err}");
    assert!(matches!(err, StoreError::Corrupt { .. }), "{err:?}");
}
