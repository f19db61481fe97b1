//! Input formats and their detection.

use std::fmt;
use std::io::BufRead;
use std::path::Path;
use std::str::FromStr;

use serde::Serialize;

use crate::error::{EventsError, Result};

/// An event-data file layout.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Format {
    /// GDELT 1.0 events: the 57-column backfile or the 58-column daily file (with SOURCEURL);
    /// both layouts may be mixed in one file. Tab-separated, no header (one is skipped if present).
    Gdelt1,
    /// GDELT 2.0 events export: 61 tab-separated columns, no header (one is skipped if present).
    Gdelt2,
    /// ICEWS raw events: 20 tab-separated columns with a header line ("Event ID", "Event Date", ...).
    IcewsRaw,
    /// ICEWS event quadruples: `source \t event text \t target \t YYYY-MM-DD`, no header.
    IcewsQuad,
}

impl Format {
    /// All formats, in the order of their names.
    pub const ALL: [Format; 4] = [
        Format::Gdelt1,
        Format::Gdelt2,
        Format::IcewsRaw,
        Format::IcewsQuad,
    ];

    /// The name used on the command line.
    pub fn name(self) -> &'static str {
        match self {
            Format::Gdelt1 => "gdelt1",
            Format::Gdelt2 => "gdelt2",
            Format::IcewsRaw => "icews",
            Format::IcewsQuad => "icews-quad",
        }
    }

    /// Human-readable description of the column count(s) a row must have.
    pub(crate) fn expected_columns(self) -> &'static str {
        match self {
            Format::Gdelt1 => "57 or 58",
            Format::Gdelt2 => "61",
            Format::IcewsRaw => "20",
            Format::IcewsQuad => "4",
        }
    }

    pub(crate) fn accepts_columns(self, n: usize) -> bool {
        match self {
            Format::Gdelt1 => n == 57 || n == 58,
            Format::Gdelt2 => n == 61,
            Format::IcewsRaw => n == 20,
            Format::IcewsQuad => n == 4,
        }
    }

    /// Guess the format of a file (plain or gzip) from the column count of its first line.
    pub fn detect(path: &Path) -> Result<Format> {
        let mut reader = crate::input::open(path)?;
        let mut line = Vec::new();
        reader
            .read_until(b'\n', &mut line)
            .map_err(|source| EventsError::Read {
                path: path.to_path_buf(),
                source,
            })?;
        let cols = line.split(|&b| b == b'\t').count();
        if line.starts_with(b"Event ID\t") {
            return Ok(Format::IcewsRaw);
        }
        Format::ALL
            .into_iter()
            .find(|f| f.accepts_columns(cols))
            .ok_or_else(|| EventsError::Detect {
                path: path.to_path_buf(),
                reason: format!("first line has {cols} tab-separated columns"),
            })
    }
}

impl fmt::Display for Format {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

impl FromStr for Format {
    type Err = EventsError;

    fn from_str(s: &str) -> Result<Self> {
        match s.to_ascii_lowercase().as_str() {
            "gdelt1" | "gdelt" | "gdelt-1" => Ok(Format::Gdelt1),
            "gdelt2" | "gdelt-2" => Ok(Format::Gdelt2),
            "icews" | "icews-raw" => Ok(Format::IcewsRaw),
            "icews-quad" | "icews-quadruples" | "quad" => Ok(Format::IcewsQuad),
            _ => Err(EventsError::UnknownFormat {
                name: s.to_string(),
            }),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_round_trip() {
        for f in Format::ALL {
            assert_eq!(f.name().parse::<Format>().unwrap(), f);
        }
        assert!("csv".parse::<Format>().is_err());
    }
}
