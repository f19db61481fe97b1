//! Fetching GDELT 2.0's update lists and export files over HTTP, with bounded retries and
//! exponential backoff, and checking each file against its list's size and MD5 before it is
//! unzipped. Used by [`crate::sync_gdelt2`].

use std::fs::{self, File};
use std::io::{BufRead, BufReader, Read, Write};
use std::path::{Path, PathBuf};
use std::time::Duration;

use md5::{Digest, Md5};

use crate::error::{EventsError, Result};

/// The ending of the list entries that are event exports (the lists also hold the mentions and
/// GKG files).
pub(crate) const EXPORT_SUFFIX: &str = ".export.CSV.zip";

/// One export in an update list: `SIZE MD5 URL`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Entry {
    pub size: u64,
    /// Lower-case hex.
    pub md5: String,
    /// The file name, `YYYYMMDDHHMMSS.export.CSV.zip`.
    pub name: String,
    /// The 15-minute slot, `YYYYMMDDHHMMSS` as a number.
    pub ts: u64,
}

impl Entry {
    /// The name of the CSV the zip holds, as it is recorded by the import.
    pub(crate) fn csv_name(&self) -> &str {
        self.name.strip_suffix(".zip").unwrap_or(&self.name)
    }
}

/// Parse one list line; `Ok(None)` for entries that are not event exports.
pub(crate) fn parse_line(line: &str) -> std::result::Result<Option<Entry>, &'static str> {
    let mut parts = line.split_whitespace();
    let (Some(size), Some(md5), Some(url), None) =
        (parts.next(), parts.next(), parts.next(), parts.next())
    else {
        return Err("expected three fields: SIZE MD5 URL");
    };
    let name = url.rsplit('/').next().unwrap_or(url);
    if !name.ends_with(EXPORT_SUFFIX) {
        return Ok(None);
    }
    let size: u64 = size.parse().map_err(|_| "the size is not a number")?;
    if md5.len() != 32 || !md5.bytes().all(|b| b.is_ascii_hexdigit()) {
        return Err("the MD5 is not 32 hexadecimal digits");
    }
    let stamp = &name[..name.len() - EXPORT_SUFFIX.len()];
    let ts = parse_stamp(stamp).ok_or("the file name is not YYYYMMDDHHMMSS")?;
    Ok(Some(Entry {
        size,
        md5: md5.to_ascii_lowercase(),
        name: name.to_string(),
        ts,
    }))
}

/// Whether a failure may pass if tried again (a dropped connection, a timeout, a server error),
/// or is the file's own (missing, wrong size or checksum, not a zip).
#[derive(Debug)]
pub(crate) enum Failure {
    Transient(String),
    Permanent(String),
}

/// How [`with_retries`] waits between attempts.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Backoff {
    /// Attempts after the first.
    pub retries: u32,
    /// The first wait; each next one doubles, up to a minute.
    pub first_wait: Duration,
}

impl Backoff {
    pub(crate) fn wait(&self, attempt: u32) -> Duration {
        let factor = 1u32 << attempt.min(16);
        (self.first_wait * factor).min(Duration::from_secs(60))
    }
}

/// Run `once` until it succeeds, fails for good, or has failed transiently `retries + 1`
/// times; `on_retry(attempt, wait, reason)` is told before each wait.
pub(crate) fn with_retries<T>(
    backoff: Backoff,
    mut once: impl FnMut() -> std::result::Result<T, Failure>,
    mut on_retry: impl FnMut(u32, Duration, &str),
) -> std::result::Result<T, String> {
    let mut attempt = 0;
    loop {
        match once() {
            Ok(v) => return Ok(v),
            Err(Failure::Permanent(reason)) => return Err(reason),
            Err(Failure::Transient(reason)) if attempt < backoff.retries => {
                let wait = backoff.wait(attempt);
                attempt += 1;
                on_retry(attempt, wait, &reason);
                std::thread::sleep(wait);
            }
            Err(Failure::Transient(reason)) => {
                return Err(format!("{reason} (gave up after {} attempts)", attempt + 1));
            }
        }
    }
}

/// An HTTP client that hands back every status (so that 404 and 503 are told apart).
pub(crate) fn agent(timeout: Duration) -> ureq::Agent {
    ureq::Agent::config_builder()
        .http_status_as_error(false)
        .timeout_global(Some(timeout))
        .user_agent(concat!("casus/", env!("CARGO_PKG_VERSION")))
        .build()
        .into()
}

/// GET `url` and hand back its body, or why not.
fn get(agent: &ureq::Agent, url: &str) -> std::result::Result<ureq::Body, Failure> {
    let resp = agent
        .get(url)
        .call()
        .map_err(|e| Failure::Transient(e.to_string()))?;
    let status = resp.status().as_u16();
    match status {
        200..=299 => Ok(resp.into_body()),
        404 | 410 => Err(Failure::Permanent(format!(
            "not on the server (HTTP {status})"
        ))),
        408 | 429 | 500..=599 => Err(Failure::Transient(format!("HTTP {status}"))),
        _ => Err(Failure::Permanent(format!("HTTP {status}"))),
    }
}

/// The export entries of the update list at `url`, and how many lines could not be read.
pub(crate) fn fetch_list(
    agent: &ureq::Agent,
    url: &str,
    backoff: Backoff,
    on_retry: impl FnMut(u32, Duration, &str),
) -> Result<(Vec<Entry>, usize)> {
    let once = || {
        let body = get(agent, url)?;
        let reader = BufReader::new(body.into_reader());
        let (mut entries, mut bad) = (Vec::new(), 0);
        for line in reader.lines() {
            let line = line.map_err(|e| Failure::Transient(format!("connection dropped: {e}")))?;
            if line.trim().is_empty() {
                continue;
            }
            match parse_line(&line) {
                Ok(Some(e)) => entries.push(e),
                Ok(None) => {}
                Err(_) => bad += 1,
            }
        }
        Ok((entries, bad))
    };
    with_retries(backoff, once, on_retry).map_err(|reason| EventsError::Fetch {
        url: url.to_string(),
        reason,
    })
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// Download `url` to `part`, checking it against `entry`'s size and MD5 as it streams.
fn download_once(
    agent: &ureq::Agent,
    url: &str,
    entry: &Entry,
    part: &Path,
) -> std::result::Result<(), Failure> {
    let body = get(agent, url)?;
    let mut reader = body.into_reader();
    let local =
        |e: std::io::Error| Failure::Permanent(format!("cannot write {}: {e}", part.display()));
    let mut out = File::create(part).map_err(local)?;
    let mut hasher = Md5::new();
    let mut buf = vec![0u8; 1 << 16];
    let mut n: u64 = 0;
    loop {
        let k = match reader.read(&mut buf) {
            Ok(0) => break,
            Ok(k) => k,
            Err(e) if e.kind() == std::io::ErrorKind::Interrupted => continue,
            Err(e) => {
                return Err(Failure::Transient(format!(
                    "connection dropped after {n} of {} bytes ({e})",
                    entry.size
                )));
            }
        };
        n += k as u64;
        if n > entry.size {
            return Err(Failure::Permanent(format!(
                "wrong size: larger than the {} bytes the list gives",
                entry.size
            )));
        }
        hasher.update(&buf[..k]);
        out.write_all(&buf[..k]).map_err(local)?;
    }
    out.sync_all().map_err(local)?;
    if n != entry.size {
        return Err(Failure::Permanent(format!(
            "wrong size (truncated?): {n} bytes, the list gives {}",
            entry.size
        )));
    }
    let md5 = hex(&hasher.finalize());
    if md5 != entry.md5 {
        return Err(Failure::Permanent(format!(
            "wrong MD5: {md5}, the list gives {}",
            entry.md5
        )));
    }
    Ok(())
}

/// The one CSV in the zip at `zip_path`, written to `csv` (through a temporary name, so that a
/// file at `csv` is always whole).
fn unzip_one(zip_path: &Path, csv: &Path) -> std::result::Result<(), Failure> {
    let bad = |e: &dyn std::fmt::Display| Failure::Permanent(format!("not a valid zip: {e}"));
    let file = File::open(zip_path).map_err(|e| bad(&e))?;
    let mut archive = zip::ZipArchive::new(file).map_err(|e| bad(&e))?;
    if archive.len() != 1 {
        return Err(Failure::Permanent(format!(
            "the zip holds {} files, expected one CSV",
            archive.len()
        )));
    }
    let mut inner = archive.by_index(0).map_err(|e| bad(&e))?;
    let tmp = csv.with_extension("CSV.tmp");
    let local =
        |e: std::io::Error| Failure::Permanent(format!("cannot write {}: {e}", tmp.display()));
    let mut out = File::create(&tmp).map_err(local)?;
    // The CRC is checked as the entry is read to its end.
    std::io::copy(&mut inner, &mut out).map_err(|e| bad(&e))?;
    out.sync_all().map_err(local)?;
    fs::rename(&tmp, csv).map_err(local)?;
    Ok(())
}

/// Fetch `entry` from `base_url`, check it, and unzip its CSV into `staging`; returns the CSV's
/// path and the bytes downloaded, or why the file is rejected.
pub(crate) fn fetch_export(
    agent: &ureq::Agent,
    base_url: &str,
    entry: &Entry,
    staging: &Path,
    backoff: Backoff,
    on_retry: impl FnMut(u32, Duration, &str),
) -> std::result::Result<PathBuf, String> {
    let url = format!("{}/{}", base_url.trim_end_matches('/'), entry.name);
    let part = staging.join(format!("{}.part", entry.name));
    let csv = staging.join(entry.csv_name());
    let result = with_retries(
        backoff,
        || {
            download_once(agent, &url, entry, &part)?;
            unzip_one(&part, &csv)
        },
        on_retry,
    );
    let _ = fs::remove_file(&part);
    result.map(|()| csv)
}

/// `YYYYMMDDHHMMSS` as a number, when it is a real time of day on a real date.
pub(crate) fn parse_stamp(s: &str) -> Option<u64> {
    if s.len() != 14 || !s.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    crate::parse::parse_date(&s.as_bytes()[..8])?;
    let n: u64 = s.parse().ok()?;
    let (h, m, sec) = ((n / 10_000) % 100, (n / 100) % 100, n % 100);
    (h < 24 && m < 60 && sec < 60).then_some(n)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn list_lines_keep_only_exports() {
        let e = parse_line(
            "150383 297a16b493de7cf6ca809a7cc31d0b93 \
             http://data.gdeltproject.org/gdeltv2/20150218230000.export.CSV.zip",
        )
        .unwrap()
        .unwrap();
        assert_eq!(e.size, 150383);
        assert_eq!(e.ts, 20150218230000);
        assert_eq!(e.csv_name(), "20150218230000.export.CSV");
        let mentions = "318084 bb27f78ba45f69a17ea6ed7755e9f8ff \
                        http://data.gdeltproject.org/gdeltv2/20150218230000.mentions.CSV.zip";
        assert_eq!(parse_line(mentions).unwrap(), None);
        assert!(parse_line("12 nothex http://x/20150218230000.export.CSV.zip").is_err());
        assert!(parse_line("http://x/20150218230000.export.CSV.zip").is_err());
        assert!(
            parse_line("1 297a16b493de7cf6ca809a7cc31d0b93 http://x/2015.export.CSV.zip").is_err()
        );
    }

    #[test]
    fn backoff_doubles_and_is_bounded() {
        let b = Backoff {
            retries: 3,
            first_wait: Duration::from_millis(500),
        };
        assert_eq!(b.wait(0), Duration::from_millis(500));
        assert_eq!(b.wait(2), Duration::from_secs(2));
        assert_eq!(b.wait(30), Duration::from_secs(60));
        let quick = Backoff {
            retries: 2,
            first_wait: Duration::ZERO,
        };
        let mut calls = 0;
        let r: std::result::Result<(), String> = with_retries(
            quick,
            || {
                calls += 1;
                Err(Failure::Transient("reset".into()))
            },
            |_, _, _| {},
        );
        assert_eq!(calls, 3);
        assert!(r.unwrap_err().contains("after 3 attempts"));
        let mut calls = 0;
        let r: std::result::Result<(), String> = with_retries(
            quick,
            || {
                calls += 1;
                Err(Failure::Permanent("404".into()))
            },
            |_, _, _| {},
        );
        assert_eq!((calls, r.unwrap_err().as_str()), (1, "404"));
    }
}
