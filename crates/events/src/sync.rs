//! Following GDELT 2.0's live stream into a folder of imports.
//!
//! GDELT 2.0 publishes an event export every 15 minutes and lists every file it has published
//! in `masterfilelist.txt`, the latest in `lastupdate.txt` (each line `SIZE MD5 URL`). A sync
//! lists the exports from `since` on, leaves out those the folder already holds, downloads the
//! rest, checks each against its listed size and MD5, unzips it, and imports a day's files (at
//! most [`SyncOptions::batch_files`]) as one import, atomically (see [`crate::import`]).
//!
//! The folder is its own ledger: what it holds is the file names in its imports' records, which
//! exist only once an import is complete, so a sync killed at any point and run again neither
//! misses nor counts a file twice. Checked downloads wait in `DIR/.sync-staging/` until they are
//! imported, so a restarted sync does not fetch them again; the staging folder also holds the
//! lock that keeps two syncs apart and a small state file (`state.json`) that lets a sync that is
//! not behind read only `lastupdate.txt` rather than the whole master list.

use std::collections::{BTreeMap, BTreeSet};
use std::fs;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::Duration;

use serde::{Deserialize, Serialize};

use crate::collection::{IMPORT_RECORD, recorded_files};
use crate::error::{EventsError, Result};
use crate::fetch::{Backoff, Entry, agent, fetch_export, fetch_list, parse_stamp};
use crate::format::Format;
use crate::import::{ImportOptions, OLD_MARK, TMP_MARK, import};
use crate::s3::S3Path;

/// Where GDELT publishes its 2.0 files and update lists.
pub const GDELT2_BASE_URL: &str = "http://data.gdeltproject.org/gdeltv2/";

/// Names of the imports a sync writes start with this.
const IMPORT_PREFIX: &str = "gdelt2-";
const STAGING: &str = ".sync-staging";
const LOCK: &str = "lock";
const STATE: &str = "state.json";

/// Something a running sync reports, for progress on a terminal or in a log.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "event", rename_all = "snake_case")]
pub enum SyncEvent {
    /// The update lists were read.
    Listed {
        /// The lists read (`lastupdate.txt`, and `masterfilelist.txt` unless it could be skipped).
        lists: Vec<String>,
        /// Exports listed in the window.
        exports: usize,
        /// Of these, already in the folder.
        held: usize,
        /// Left to fetch.
        to_fetch: usize,
    },
    /// An export was downloaded and checked (or found checked in staging).
    Fetched {
        /// The file.
        name: String,
        /// How many of this run's files are done, including this one.
        done: usize,
        /// How many this run has to fetch.
        total: usize,
    },
    /// A transient failure; the file is tried again after `wait_ms`.
    Retrying {
        /// The file or list.
        name: String,
        /// The attempt that comes next (2 for the first retry).
        attempt: u32,
        /// Attempts allowed in all.
        of: u32,
        /// The wait before it.
        wait_ms: u64,
        /// What failed.
        reason: String,
    },
    /// A file that is missing, corrupt or kept failing: left out, and tried again next sync.
    Rejected(Rejected),
    /// A batch of files became one import.
    Imported {
        /// The import's folder.
        dir: PathBuf,
        /// Files in it.
        files: usize,
        /// Rows written.
        rows: u64,
    },
    /// What an interrupted sync left was removed.
    Cleaned {
        /// The leftover.
        path: PathBuf,
    },
}

/// A file a sync left out, and why.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Rejected {
    /// The file name, e.g. `20150218230000.export.CSV.zip`.
    pub name: String,
    /// Why: not on the server, wrong size or MD5, not a zip, or a failure that outlasted the
    /// retries.
    pub reason: String,
}

/// The result of [`sync_gdelt2`].
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct SyncReport {
    /// The folder of imports.
    pub out_dir: PathBuf,
    /// Whether the master list was read (else `lastupdate.txt` was enough).
    pub read_master_list: bool,
    /// Exports listed in the window.
    pub listed: usize,
    /// Of these, held by the folder before this run.
    pub already_held: usize,
    /// Files downloaded by this run.
    pub downloaded: usize,
    /// Files checked by an interrupted run and imported by this one, without a new download.
    pub reused: usize,
    /// Files imported by this run.
    pub imported_files: usize,
    /// Rows imported by this run.
    pub rows_written: u64,
    /// Rows skipped as bad by this run's imports.
    pub rows_bad: u64,
    /// The imports this run wrote.
    pub imports: Vec<PathBuf>,
    /// List lines that could not be read (skipped).
    pub bad_list_lines: usize,
    /// Files left out.
    pub rejected: Vec<Rejected>,
}

/// A progress callback for [`sync_gdelt2`].
pub type SyncProgressFn = Arc<dyn Fn(&SyncEvent) + Send + Sync>;

/// Options for [`sync_gdelt2`]. Build with `SyncOptions::default()` and set the fields.
#[derive(Clone)]
pub struct SyncOptions {
    /// Where the update lists and exports are (default [`GDELT2_BASE_URL`]; a mirror in the same
    /// layout works).
    pub base_url: String,
    /// The first 15-minute slot wanted, `YYYYMMDDHHMMSS` as a number (see [`parse_sync_time`]).
    /// Default none: the slot after the newest the folder holds, or the latest published when
    /// the folder is empty.
    pub since: Option<u64>,
    /// The last slot wanted (default none: up to the latest published).
    pub until: Option<u64>,
    /// Retries of a transient failure, after the first attempt (default 4).
    pub retries: u32,
    /// The first wait before a retry; each next one doubles, up to a minute (default 1 s).
    pub retry_wait: Duration,
    /// Most files in one import (default 96, a day).
    pub batch_files: usize,
    /// Longest one request may take, body included (default 10 minutes).
    pub timeout: Duration,
    /// How the batches are imported.
    pub import: ImportOptions,
    /// Told of every step (default none).
    pub progress: Option<SyncProgressFn>,
}

impl Default for SyncOptions {
    fn default() -> Self {
        SyncOptions {
            base_url: GDELT2_BASE_URL.to_string(),
            since: None,
            until: None,
            retries: 4,
            retry_wait: Duration::from_secs(1),
            batch_files: 96,
            timeout: Duration::from_secs(600),
            import: ImportOptions::default(),
            progress: None,
        }
    }
}

impl std::fmt::Debug for SyncOptions {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("SyncOptions")
            .field("base_url", &self.base_url)
            .field("since", &self.since)
            .field("until", &self.until)
            .field("retries", &self.retries)
            .field("retry_wait", &self.retry_wait)
            .field("batch_files", &self.batch_files)
            .field("timeout", &self.timeout)
            .field("import", &self.import)
            .finish()
    }
}

/// Parse a sync bound: `YYYY-MM-DD` or `YYYYMMDD` (the day's first slot, or with `end_of_day`
/// its last), or a slot `YYYYMMDDHHMMSS`. `name` names the flag in the error.
pub fn parse_sync_time(s: &str, end_of_day: bool, name: &'static str) -> Result<u64> {
    let err = || EventsError::InvalidQuery {
        name,
        value: s.to_string(),
        reason: "expected a date YYYY-MM-DD or a time YYYYMMDDHHMMSS",
    };
    if let Some(n) = parse_stamp(s) {
        return Ok(n);
    }
    let (days, _) = crate::parse::parse_date(s.as_bytes()).ok_or_else(err)?;
    let (y, m, d) = crate::parse::civil_from_days(days);
    let day = (y as u64) * 10_000 + u64::from(m) * 100 + u64::from(d);
    Ok(day * 1_000_000 + if end_of_day { 235_959 } else { 0 })
}

/// Minutes since 1970 of a slot.
fn minutes(ts: u64) -> i64 {
    let day = format!("{:08}", ts / 1_000_000);
    let days = crate::parse::parse_date(day.as_bytes()).map_or(0, |(d, _)| d);
    i64::from(days) * 1440 + ((ts / 10_000) % 100) as i64 * 60 + ((ts / 100) % 100) as i64
}

/// What the last run leaves for the next, so that a sync that is not behind can skip the master
/// list.
#[derive(Debug, Default, Serialize, Deserialize)]
struct State {
    /// The earliest slot the last full listing covered.
    listed_from: Option<u64>,
    /// Files the last run rejected (only the master list can offer them again).
    rejected: Vec<String>,
}

/// Where a sync writes and keeps its staging, for a local folder or an S3 prefix.
struct Target {
    out: PathBuf,
    s3: Option<S3Path>,
    staging: PathBuf,
}

impl Target {
    fn new(out: &Path) -> Result<Target> {
        let s3 = S3Path::from_path(out)?;
        let staging = match &s3 {
            None => out.join(STAGING),
            // A stable local folder per bucket and prefix, so that an interrupted sync's checked
            // downloads are found again.
            Some(at) => std::env::temp_dir().join(format!(
                "casus-sync-{}",
                format!("{}/{}", at.bucket, at.prefix).replace(['/', '\\', ':'], "_")
            )),
        };
        fs::create_dir_all(&staging).map_err(|source| EventsError::Write {
            path: staging.clone(),
            source,
        })?;
        Ok(Target {
            out: out.to_path_buf(),
            s3,
            staging,
        })
    }

    /// The CSV names the folder's imports hold; removes what interrupted syncs left.
    fn held(&self, tell: &dyn Fn(SyncEvent)) -> Result<BTreeSet<String>> {
        let mut held = BTreeSet::new();
        match &self.s3 {
            Some(at) => {
                let imports = crate::s3::block_on(|| crate::s3::list_imports(at))?;
                for i in imports {
                    let name = i.at.prefix.rsplit('/').next().unwrap_or("").to_string();
                    match &i.record {
                        Some(text) => {
                            for (file, _, _) in recorded_files(&i.at.display_path(), text)? {
                                held.insert(file);
                            }
                        }
                        None if name.starts_with(IMPORT_PREFIX) => {
                            crate::s3::block_on(|| crate::s3::remove_all(&i.at))?;
                            tell(SyncEvent::Cleaned {
                                path: i.at.display_path(),
                            });
                        }
                        None => {}
                    }
                }
            }
            None => {
                for e in fs::read_dir(&self.out).into_iter().flatten().flatten() {
                    let path = e.path();
                    let name = e.file_name().to_string_lossy().into_owned();
                    let ours = name.starts_with(&format!(".{IMPORT_PREFIX}"))
                        && (name.contains(TMP_MARK) || name.contains(OLD_MARK));
                    if ours && path.is_dir() {
                        fs::remove_dir_all(&path).map_err(|source| EventsError::Write {
                            path: path.clone(),
                            source,
                        })?;
                        tell(SyncEvent::Cleaned { path });
                        continue;
                    }
                    if let Ok(text) = fs::read_to_string(path.join(IMPORT_RECORD)) {
                        for (file, _, _) in recorded_files(&path, &text)? {
                            held.insert(file);
                        }
                    }
                }
            }
        }
        Ok(held)
    }
}

fn read_state(staging: &Path) -> State {
    fs::read_to_string(staging.join(STATE))
        .ok()
        .and_then(|t| serde_json::from_str(&t).ok())
        .unwrap_or_default()
}

fn write_state(staging: &Path, state: &State) -> Result<()> {
    let path = staging.join(STATE);
    let tmp = staging.join(format!("{STATE}.tmp"));
    let err = |source| EventsError::Write {
        path: path.clone(),
        source,
    };
    let json = serde_json::to_string_pretty(state).map_err(|e| err(std::io::Error::other(e)))?;
    fs::write(&tmp, json).map_err(err)?;
    fs::rename(&tmp, &path).map_err(err)
}

/// Download, check and import into the folder of imports `out` (a local path or
/// `s3://bucket/prefix`) the GDELT 2.0 event exports it lacks; see the module docs.
///
/// Files that are missing on the server, of the wrong size or MD5, not a valid zip, or that
/// keep failing after the retries are left out and listed in [`SyncReport::rejected`] (the
/// caller decides whether that is a failure); everything else is imported. An error (a list
/// that cannot be fetched, a disk that is full) stops the sync with what was imported so far
/// intact.
pub fn sync_gdelt2(out: &Path, opts: &SyncOptions) -> Result<SyncReport> {
    let tell = &|e: SyncEvent| {
        if let Some(cb) = &opts.progress {
            cb(&e);
        }
    };
    let target = Target::new(out)?;
    let lock_path = target.staging.join(LOCK);
    let lock = fs::File::create(&lock_path).map_err(|source| EventsError::Write {
        path: lock_path.clone(),
        source,
    })?;
    if lock.try_lock().is_err() {
        return Err(EventsError::SyncBusy { path: lock_path });
    }
    let held = target.held(tell)?;
    clean_staging(&target.staging, &held);
    let mut report = SyncReport {
        out_dir: out.to_path_buf(),
        ..Default::default()
    };

    let agent = agent(opts.timeout);
    let backoff = Backoff {
        retries: opts.retries,
        first_wait: opts.retry_wait,
    };
    let base = opts.base_url.trim_end_matches('/');
    let retry_note = |name: &str| {
        let name = name.to_string();
        move |attempt: u32, wait: Duration, reason: &str| {
            tell(SyncEvent::Retrying {
                name: name.clone(),
                attempt: attempt + 1,
                of: opts.retries + 1,
                wait_ms: wait.as_millis() as u64,
                reason: reason.to_string(),
            })
        }
    };
    let (latest, bad) = fetch_list(
        &agent,
        &format!("{base}/lastupdate.txt"),
        backoff,
        retry_note("lastupdate.txt"),
    )?;
    report.bad_list_lines += bad;
    let held_ts: BTreeSet<u64> = held
        .iter()
        .filter_map(|n| parse_stamp(n.get(..14)?))
        .collect();
    let newest_held = held_ts.iter().next_back().copied();
    let newest_listed = latest.iter().map(|e| e.ts).min();
    let start = match (opts.since, newest_held, newest_listed) {
        (Some(s), _, _) => s,
        (None, Some(h), _) => h + 1,
        (None, None, Some(l)) => l,
        (None, None, None) => u64::MAX,
    };
    // The master list is large (every file since 2015): skip it when lastupdate.txt is enough,
    // i.e. the folder is at most one slot behind, the last full listing reached back to `start`
    // and left nothing rejected to try again.
    let state = read_state(&target.staging);
    let caught_up = match (newest_held, newest_listed) {
        (Some(h), Some(l)) => minutes(l) - minutes(h) <= 15,
        (None, _) => opts.since.is_none(),
        _ => false,
    };
    let skip_master = start >= newest_listed.unwrap_or(0)
        || (caught_up
            && state.listed_from.is_some_and(|f| f <= start)
            && state.rejected.is_empty());
    let mut lists = vec!["lastupdate.txt".to_string()];
    let mut entries: BTreeMap<u64, Entry> = BTreeMap::new();
    if !skip_master {
        let (all, bad) = fetch_list(
            &agent,
            &format!("{base}/masterfilelist.txt"),
            backoff,
            retry_note("masterfilelist.txt"),
        )?;
        report.bad_list_lines += bad;
        report.read_master_list = true;
        lists.push("masterfilelist.txt".to_string());
        entries.extend(all.into_iter().map(|e| (e.ts, e)));
    }
    entries.extend(latest.into_iter().map(|e| (e.ts, e)));
    let until = opts.until.unwrap_or(u64::MAX);
    let window: Vec<Entry> = entries
        .into_values()
        .filter(|e| e.ts >= start && e.ts <= until)
        .collect();
    report.listed = window.len();
    let pending: Vec<Entry> = window
        .into_iter()
        .filter(|e| !held.contains(e.csv_name()))
        .collect();
    report.already_held = report.listed - pending.len();
    tell(SyncEvent::Listed {
        lists,
        exports: report.listed,
        held: report.already_held,
        to_fetch: pending.len(),
    });

    let total = pending.len();
    let mut done = 0;
    for batch in batches(&pending, opts.batch_files.max(1)) {
        let mut good: Vec<PathBuf> = Vec::new();
        let mut stamps = Vec::new();
        for e in batch {
            let staged = target.staging.join(e.csv_name());
            let fetched = if staged.is_file() {
                report.reused += 1;
                Ok(staged)
            } else {
                let r = fetch_export(
                    &agent,
                    base,
                    e,
                    &target.staging,
                    backoff,
                    retry_note(&e.name),
                );
                if r.is_ok() {
                    report.downloaded += 1;
                }
                r
            };
            done += 1;
            match fetched {
                Ok(csv) => {
                    tell(SyncEvent::Fetched {
                        name: e.name.clone(),
                        done,
                        total,
                    });
                    good.push(csv);
                    stamps.push(e.ts);
                }
                Err(reason) => {
                    let r = Rejected {
                        name: e.name.clone(),
                        reason,
                    };
                    tell(SyncEvent::Rejected(r.clone()));
                    report.rejected.push(r);
                }
            }
        }
        let (Some(first), Some(last)) = (stamps.first(), stamps.last()) else {
            continue;
        };
        let dir = out.join(format!("{IMPORT_PREFIX}{first}-{last}"));
        let r = import(Format::Gdelt2, &good, &dir, &opts.import)?;
        for f in &good {
            let _ = fs::remove_file(f);
        }
        report.imported_files += good.len();
        report.rows_written += r.rows_written;
        report.rows_bad += r.rows_bad;
        tell(SyncEvent::Imported {
            dir: dir.clone(),
            files: good.len(),
            rows: r.rows_written,
        });
        report.imports.push(dir);
    }

    let listed_from = if report.read_master_list {
        Some(start.min(state.listed_from.unwrap_or(u64::MAX)))
    } else {
        state.listed_from
    };
    write_state(
        &target.staging,
        &State {
            listed_from,
            rejected: report.rejected.iter().map(|r| r.name.clone()).collect(),
        },
    )?;
    drop(lock);
    Ok(report)
}

/// Consecutive runs of the same day, at most `max` long.
fn batches(pending: &[Entry], max: usize) -> Vec<&[Entry]> {
    let mut out = Vec::new();
    let mut i = 0;
    while i < pending.len() {
        let day = pending[i].ts / 1_000_000;
        let mut j = i + 1;
        while j < pending.len() && j - i < max && pending[j].ts / 1_000_000 == day {
            j += 1;
        }
        out.push(&pending[i..j]);
        i = j;
    }
    out
}

/// Remove partial downloads and staged files that are imported already (a sync killed between
/// an import and the clean-up); checked CSVs not yet imported stay, to be used.
fn clean_staging(staging: &Path, held: &BTreeSet<String>) {
    for e in fs::read_dir(staging).into_iter().flatten().flatten() {
        let name = e.file_name().to_string_lossy().into_owned();
        if name.ends_with(".part") || name.ends_with(".tmp") || held.contains(&name) {
            let _ = fs::remove_file(e.path());
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sync_times_parse_as_days_or_slots() {
        assert_eq!(
            parse_sync_time("2015-02-18", false, "since").unwrap(),
            20150218000000
        );
        assert_eq!(
            parse_sync_time("20150218", true, "until").unwrap(),
            20150218235959
        );
        assert_eq!(
            parse_sync_time("20150218231500", false, "since").unwrap(),
            20150218231500
        );
        for bad in ["2015-02-30", "20150218246000", "yesterday", ""] {
            let e = parse_sync_time(bad, false, "since").unwrap_err();
            assert!(e.to_string().contains("since"), "{e}");
        }
    }

    #[test]
    fn minutes_cross_midnight() {
        assert_eq!(minutes(20150219000000) - minutes(20150218234500), 15);
    }

    fn entry(ts: u64) -> Entry {
        Entry {
            size: 1,
            md5: String::new(),
            name: format!("{ts}.export.CSV.zip"),
            ts,
        }
    }

    #[test]
    fn batches_are_days_of_at_most_max_files() {
        let p: Vec<Entry> = [
            20150218230000,
            20150218231500,
            20150218233000,
            20150219000000,
        ]
        .into_iter()
        .map(entry)
        .collect();
        let sizes: Vec<usize> = batches(&p, 2).iter().map(|b| b.len()).collect();
        assert_eq!(sizes, vec![2, 1, 1]);
        assert_eq!(batches(&p, 96).len(), 2);
    }
}
