//! A generator of large GDELT 1.0 files for benchmarks: rows of a small fixture are resampled
//! with fresh event ids and dates spread over a date range.

use std::fs::File;
use std::io::{BufWriter, Write};
use std::path::Path;

use serde::Serialize;

use crate::error::{EventsError, Result};
use crate::parse::{civil_from_days, parse_date};

/// Options for [`generate_gdelt1`].
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct GenerateOptions {
    /// Stop after at least this many bytes (default 100 MB).
    pub target_bytes: u64,
    /// Seed of the pseudo-random generator (default 42): the same seed gives the same file.
    pub seed: u64,
    /// First event day, `YYYY-MM-DD` (default 2013-01-01).
    pub start: String,
    /// Number of days the event dates are spread over (default 730).
    pub days: u32,
}

impl Default for GenerateOptions {
    fn default() -> Self {
        GenerateOptions {
            target_bytes: 100_000_000,
            seed: 42,
            start: "2013-01-01".to_string(),
            days: 730,
        }
    }
}

/// What [`generate_gdelt1`] wrote.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct GenerateReport {
    /// Rows written.
    pub rows: u64,
    /// Bytes written.
    pub bytes: u64,
}

/// SplitMix64: small, fast and good enough to resample rows.
struct SplitMix(u64);

impl SplitMix {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }
    fn below(&mut self, n: u64) -> u64 {
        ((u128::from(self.next()) * u128::from(n)) >> 64) as u64
    }
}

/// Write a GDELT 1.0 file of about `opts.target_bytes` to `out` by resampling the rows of
/// `fixture` (a GDELT 1.0 file; rows without 57 or 58 columns are ignored). Each row gets a new
/// GLOBALEVENTID and a random day in the range, with SQLDATE, MonthYear, Year and FractionDate
/// rewritten to match; the other columns are kept.
pub fn generate_gdelt1(
    fixture: &Path,
    out: &Path,
    opts: &GenerateOptions,
) -> Result<GenerateReport> {
    let text = std::fs::read(fixture).map_err(|source| EventsError::Read {
        path: fixture.to_path_buf(),
        source,
    })?;
    // Keep the part of each row after the five date/id columns.
    let tails: Vec<&[u8]> = text
        .split(|&b| b == b'\n')
        .filter(|l| {
            let n = l.iter().filter(|&&b| b == b'\t').count() + 1;
            n == 57 || n == 58
        })
        .filter_map(|l| {
            let mut tabs = memchr::memchr_iter(b'\t', l);
            let fifth = tabs.nth(4)?;
            let l = l.strip_suffix(b"\r").unwrap_or(l);
            Some(&l[fifth..])
        })
        .collect();
    if tails.is_empty() {
        return Err(EventsError::Detect {
            path: fixture.to_path_buf(),
            reason: "no GDELT 1.0 rows (57 or 58 columns) to resample".to_string(),
        });
    }
    let (start, _) = parse_date(opts.start.as_bytes()).ok_or(EventsError::InvalidQuery {
        name: "start",
        value: opts.start.clone(),
        reason: "expected a date YYYY-MM-DD",
    })?;
    let days = u64::from(opts.days.max(1));
    // Pre-format the date columns of every day in the range.
    let day_cols: Vec<String> = (0..days)
        .map(|d| {
            let (y, m, dd) = civil_from_days(start + d as i32);
            let (jan1, _) = parse_date(format!("{y:04}0101").as_bytes()).expect("valid date");
            let frac = f64::from(start + d as i32 - jan1) / 365.0;
            format!(
                "{y:04}{m:02}{dd:02}\t{y:04}{m:02}\t{y:04}\t{:.4}",
                f64::from(y) + frac
            )
        })
        .collect();
    let write_err = |source| EventsError::Write {
        path: out.to_path_buf(),
        source,
    };
    let file = File::create(out).map_err(write_err)?;
    let mut w = BufWriter::with_capacity(1 << 20, file);
    let mut rng = SplitMix(opts.seed);
    let (mut rows, mut bytes) = (0u64, 0u64);
    let mut line = Vec::with_capacity(1024);
    while bytes < opts.target_bytes {
        let tail = tails[rng.below(tails.len() as u64) as usize];
        let day = &day_cols[rng.below(days) as usize];
        line.clear();
        write!(line, "{}\t{}", 100_000_000 + rows, day).map_err(write_err)?;
        line.extend_from_slice(tail);
        line.push(b'\n');
        w.write_all(&line).map_err(write_err)?;
        rows += 1;
        bytes += line.len() as u64;
    }
    w.flush().map_err(write_err)?;
    Ok(GenerateReport { rows, bytes })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn splitmix_is_deterministic_and_bounded() {
        let mut a = SplitMix(7);
        let mut b = SplitMix(7);
        for _ in 0..1000 {
            let x = a.below(13);
            assert_eq!(x, b.below(13));
            assert!(x < 13);
        }
    }
}
