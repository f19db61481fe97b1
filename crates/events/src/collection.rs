//! Reading several imports as one: an event directory is either one import (it holds `events/`)
//! or a folder of imports (each subfolder holds `events/`), so that new files are added by
//! importing them into a new subfolder, never by rewriting what is there.
//!
//! Each import is written atomically (see [`crate::import`]), and a folder of imports is only
//! read, so adding a day's file can neither lose nor half-write anything. The one mistake it
//! allows, importing the same file twice, would count its events twice; every import records
//! its inputs in `import.json`, and reading refuses a folder where two imports hold a file of
//! the same name with the same row counts.

use std::collections::BTreeMap;
use std::fs;
use std::path::{Path, PathBuf};

use serde::Deserialize;

use crate::error::{EventsError, Result};

/// Marks the hidden directory an import writes into before renaming it into place; a folder of
/// imports that holds one was interrupted, and is refused.
pub(crate) const TMP_MARK: &str = ".casus-tmp-";
/// Marks a replaced import set aside until the new one is in place.
pub(crate) const OLD_MARK: &str = ".casus-old-";

/// Where an import puts the events, inside its output directory.
pub(crate) const EVENTS_SUBDIR: &str = "events";

/// Where an import puts the dyad-day rollup, inside its output directory.
pub(crate) const DYAD_DAYS_SUBDIR: &str = "dyad_days";

/// Name of the record each import leaves of its inputs (the [`crate::ImportReport`] as JSON).
pub(crate) const IMPORT_RECORD: &str = "import.json";

/// The import folders that `dir` stands for: itself when it is one import, else its subfolders
/// that are imports, in name order.
pub(crate) fn import_roots(dir: &Path) -> Result<Vec<PathBuf>> {
    if dir.join(EVENTS_SUBDIR).is_dir() {
        return Ok(vec![dir.to_path_buf()]);
    }
    let not_one = || EventsError::NotAnEventDir {
        path: dir.to_path_buf(),
    };
    let entries = fs::read_dir(dir).map_err(|_| not_one())?;
    let paths: Vec<PathBuf> = entries.flatten().map(|e| e.path()).collect();
    // An import writes into a hidden directory beside its target and renames it into place at the
    // end; one still here was stopped part-way. Refuse rather than count part of a file.
    if let Some(left) = paths.iter().find(|p| is_interrupted_import(p)) {
        return Err(EventsError::InterruptedImport { path: left.clone() });
    }
    let mut roots: Vec<PathBuf> = paths
        .into_iter()
        .filter(|p| p.join(EVENTS_SUBDIR).is_dir())
        .collect();
    if roots.is_empty() {
        return Err(not_one());
    }
    roots.sort();
    check_no_file_twice(&roots)?;
    Ok(roots)
}

/// Whether `p` is what an unfinished import leaves: its temporary directory, or a replaced import
/// set aside but not yet removed (see `import.rs`).
fn is_interrupted_import(p: &Path) -> bool {
    p.is_dir()
        && p.file_name()
            .and_then(|n| n.to_str())
            .is_some_and(|n| n.starts_with('.') && (n.contains(TMP_MARK) || n.contains(OLD_MARK)))
}

#[derive(Deserialize)]
struct Record {
    files: Vec<RecordFile>,
}

#[derive(Deserialize)]
struct RecordFile {
    path: PathBuf,
    rows_ok: u64,
    bad: RecordBad,
}

#[derive(Deserialize)]
struct RecordBad {
    total: u64,
}

/// Refuse imports that hold the same input file (the same name, rows and bad rows). Imports
/// without a record (written by hand, or by an older casus) are not checked.
fn check_no_file_twice(roots: &[PathBuf]) -> Result<()> {
    let records: Vec<(PathBuf, Option<String>)> = roots
        .iter()
        .map(|r| (r.clone(), fs::read_to_string(r.join(IMPORT_RECORD)).ok()))
        .collect();
    check_records(&records)
}

/// The input files an import record lists, by name, with their rows and bad rows.
pub(crate) fn recorded_files(root: &Path, text: &str) -> Result<Vec<(String, u64, u64)>> {
    let record: Record = serde_json::from_str(text).map_err(|e| EventsError::BadImportRecord {
        path: root.join(IMPORT_RECORD),
        reason: e.to_string(),
    })?;
    Ok(record
        .files
        .into_iter()
        .map(|f| {
            let name = f
                .path
                .file_name()
                .map_or_else(String::new, |n| n.to_string_lossy().into_owned());
            (name, f.rows_ok, f.bad.total)
        })
        .collect())
}

/// [`check_no_file_twice`] over imports named by their root, each with its record's text.
pub(crate) fn check_records(records: &[(PathBuf, Option<String>)]) -> Result<()> {
    let mut seen: BTreeMap<(String, u64, u64), &Path> = BTreeMap::new();
    for (root, text) in records {
        let Some(text) = text else { continue };
        for key in recorded_files(root, text)? {
            let name = key.0.clone();
            if let Some(first) = seen.insert(key, root)
                && first != root.as_path()
            {
                return Err(EventsError::ImportedTwice {
                    file: name,
                    first: first.to_path_buf(),
                    second: root.clone(),
                });
            }
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn import_dir(root: &Path, name: &str, record: Option<&str>) -> PathBuf {
        let d = root.join(name);
        fs::create_dir_all(d.join(EVENTS_SUBDIR)).unwrap();
        if let Some(r) = record {
            fs::write(d.join(IMPORT_RECORD), r).unwrap();
        }
        d
    }

    const A: &str =
        r#"{"files":[{"path":"/x/20140301.export.CSV","rows_ok":10,"bad":{"total":0}}]}"#;
    const B: &str =
        r#"{"files":[{"path":"/y/20140302.export.CSV","rows_ok":10,"bad":{"total":0}}]}"#;

    #[test]
    fn one_import_or_a_folder_of_them() {
        let tmp = tempfile::tempdir().unwrap();
        let one = import_dir(tmp.path(), "one", Some(A));
        assert_eq!(import_roots(&one).unwrap(), vec![one.clone()]);
        let two = import_dir(tmp.path(), "two", Some(B));
        fs::create_dir(tmp.path().join("not-an-import")).unwrap();
        assert_eq!(import_roots(tmp.path()).unwrap(), vec![one, two]);
        let empty = tempfile::tempdir().unwrap();
        assert!(matches!(
            import_roots(empty.path()),
            Err(EventsError::NotAnEventDir { .. })
        ));
        assert!(matches!(
            import_roots(&empty.path().join("missing")),
            Err(EventsError::NotAnEventDir { .. })
        ));
    }

    #[test]
    fn the_same_file_twice_is_refused() {
        let tmp = tempfile::tempdir().unwrap();
        import_dir(tmp.path(), "a", Some(A));
        // The same name from another folder, with the same rows: the same file.
        let again = A.replace("/x/", "/elsewhere/");
        import_dir(tmp.path(), "b", Some(&again));
        let err = import_roots(tmp.path()).unwrap_err();
        assert!(err.to_string().contains("20140301.export.CSV"), "{err}");
        // A record that is not JSON names its file.
        let bad = tempfile::tempdir().unwrap();
        import_dir(bad.path(), "a", Some("{"));
        import_dir(bad.path(), "b", None);
        let err = import_roots(bad.path()).unwrap_err();
        assert!(err.to_string().contains(IMPORT_RECORD), "{err}");
    }
}
