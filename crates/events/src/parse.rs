//! Parsing chunks of lines into normalised events, one function per layout.

use std::collections::BTreeMap;
use std::fmt;

use serde::Serialize;

use crate::codebook::{
    self, actor_type_from_sectors, cameo_country_bytes_to_iso3, cameo_event, country_name_to_iso3,
    fips_bytes_to_iso3, parse_actor, quad_class_of_root,
};
use crate::format::Format;
use crate::input::Chunk;
use crate::rollup::Pending;

use crate::schema::{EventColumns, EventRow};

/// Why a row was skipped.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum BadRowKind {
    /// The row has the wrong number of tab-separated columns.
    ColumnCount {
        /// Columns found.
        found: usize,
        /// Columns the format needs.
        expected: &'static str,
    },
    /// The event date is missing or not a valid calendar date.
    BadDate,
    /// The line is not valid UTF-8.
    InvalidUtf8,
    /// The file's last line ends without a newline and is incomplete.
    Truncated,
    /// A required field could not be read.
    BadField {
        /// The field's name in the source layout.
        field: &'static str,
    },
}

impl BadRowKind {
    /// A short stable label, used as the key of per-kind counts.
    pub fn label(&self) -> &'static str {
        match self {
            BadRowKind::ColumnCount { .. } => "column_count",
            BadRowKind::BadDate => "bad_date",
            BadRowKind::InvalidUtf8 => "invalid_utf8",
            BadRowKind::Truncated => "truncated",
            BadRowKind::BadField { .. } => "bad_field",
        }
    }
}

impl fmt::Display for BadRowKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            BadRowKind::ColumnCount { found, expected } => {
                write!(f, "{found} columns, expected {expected}")
            }
            BadRowKind::BadDate => f.write_str("bad date"),
            BadRowKind::InvalidUtf8 => f.write_str("invalid UTF-8"),
            BadRowKind::Truncated => f.write_str("truncated last line"),
            BadRowKind::BadField { field } => write!(f, "unreadable {field}"),
        }
    }
}

/// One skipped row.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
pub struct BadRow {
    /// 1-based line number in the (decompressed) file.
    pub line: u64,
    /// Why it was skipped.
    pub kind: BadRowKind,
}

/// Skipped rows of one file: the total, counts per kind and the first few line numbers.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct BadRows {
    /// How many rows were skipped.
    pub total: u64,
    /// Counts per [`BadRowKind::label`].
    pub by_kind: BTreeMap<&'static str, u64>,
    /// The first rows skipped, in line order (at most the `max_reported` given on import).
    pub first: Vec<BadRow>,
}

impl BadRows {
    pub(crate) fn record(&mut self, line: u64, kind: BadRowKind, keep: usize) {
        self.total += 1;
        *self.by_kind.entry(kind.label()).or_default() += 1;
        if self.first.len() < keep {
            self.first.push(BadRow { line, kind });
        }
    }

    /// Merge another chunk's bad rows, keeping the `keep` lowest line numbers.
    pub(crate) fn merge(&mut self, other: BadRows, keep: usize) {
        self.total += other.total;
        for (k, n) in other.by_kind {
            *self.by_kind.entry(k).or_default() += n;
        }
        self.first.extend(other.first);
        self.first.sort();
        self.first.truncate(keep);
    }
}

/// Where parsed events go: a worker's open column builders per month key
/// (`year * 12 + month - 1`) and the dyad-day contributions of the current chunk. Builders stay
/// open across chunks, so that a month's events reach Parquet in large batches even when every
/// chunk holds a little of every month.
#[derive(Default)]
pub(crate) struct Sink {
    pub months: BTreeMap<i32, EventColumns>,
    pub dyad_days: Pending,
}

/// What one chunk parsed into, besides the events put in the [`Sink`].
pub(crate) struct ChunkOutput {
    pub file: usize,
    pub rows_ok: u64,
    pub bad: BadRows,
}

/// Days since 1970-01-01 of a proleptic Gregorian date (Howard Hinnant's algorithm).
pub(crate) fn days_from_civil(y: i32, m: u32, d: u32) -> i32 {
    let y = if m <= 2 { y - 1 } else { y };
    let era = if y >= 0 { y } else { y - 399 } / 400;
    let yoe = (y - era * 400) as u32;
    let mp = (m + 9) % 12;
    let doy = (153 * mp + 2) / 5 + d - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe as i32 - 719_468
}

/// The civil date of a day number (inverse of [`days_from_civil`]).
pub(crate) fn civil_from_days(z: i32) -> (i32, u32, u32) {
    let z = z + 719_468;
    let era = if z >= 0 { z } else { z - 146_096 } / 146_097;
    let doe = (z - era * 146_097) as u32;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let y = yoe as i32 + era * 400;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = doy - (153 * mp + 2) / 5 + 1;
    let m = if mp < 10 { mp + 3 } else { mp - 9 };
    (if m <= 2 { y + 1 } else { y }, m, d)
}

fn digits(b: &[u8]) -> Option<u32> {
    if b.is_empty() || !b.iter().all(u8::is_ascii_digit) {
        return None;
    }
    Some(b.iter().fold(0u32, |a, &c| a * 10 + u32::from(c - b'0')))
}

/// Parse `YYYYMMDD` or `YYYY-MM-DD` (years 1800..=2199) into (day number, month key).
pub(crate) fn parse_date(s: &[u8]) -> Option<(i32, i32)> {
    let (y, m, d) = match s.len() {
        8 => (digits(&s[0..4])?, digits(&s[4..6])?, digits(&s[6..8])?),
        10 if s[4] == b'-' && s[7] == b'-' => {
            (digits(&s[0..4])?, digits(&s[5..7])?, digits(&s[8..10])?)
        }
        _ => return None,
    };
    if !(1800..=2199).contains(&y) || !(1..=12).contains(&m) || d == 0 {
        return None;
    }
    let leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
    let days_in_month = match m {
        2 if leap => 29,
        2 => 28,
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    };
    if d > days_in_month {
        return None;
    }
    let y = y as i32;
    Some((days_from_civil(y, m, d), y * 12 + m as i32 - 1))
}

/// The day numbers of the first day of the month `key` and of the month after it.
pub(crate) fn month_days(key: i32) -> (i32, i32) {
    let day = |k: i32| days_from_civil(k.div_euclid(12), k.rem_euclid(12) as u32 + 1, 1);
    (day(key), day(key + 1))
}

/// "YYYY-MM" of a month key.
pub(crate) fn month_label(key: i32) -> String {
    format!("{:04}-{:02}", key.div_euclid(12), key.rem_euclid(12) + 1)
}

const MAX_FIELDS: usize = 64;

/// Bit 7 of each byte of `word` set where that byte is a tab (exact, no false positives).
#[inline]
fn tab_bits(word: u64) -> u64 {
    const LOW7: u64 = 0x7f7f_7f7f_7f7f_7f7f;
    let x = word ^ 0x0909_0909_0909_0909; // tab bytes become zero
    !(((x & LOW7).wrapping_add(LOW7)) | x) & !LOW7
}

/// A line split at tabs: where each field starts, so that only the fields a layout reads are
/// ever sliced (a `&str` slice checks that both ends fall on character boundaries, and GDELT
/// rows have 58 fields of which the import reads nine).
struct Fields<'a, 'b> {
    line: &'a str,
    /// `starts[i]` is where field `i` begins; field `i` ends one byte before `starts[i + 1]`.
    /// A buffer reused from line to line: only the entries up to `count` are this line's.
    starts: &'b [u32; MAX_FIELDS + 1],
    /// Fields found (may exceed `MAX_FIELDS`; only the first `MAX_FIELDS` can be read).
    count: usize,
}

impl<'a> Fields<'a, '_> {
    /// Field `i`, or "" past the last stored one.
    #[inline]
    fn get(&self, i: usize) -> &'a str {
        if i >= self.count.min(MAX_FIELDS) {
            return "";
        }
        let start = self.starts[i] as usize;
        let end = self.starts[i + 1] as usize - 1;
        self.line.get(start..end).unwrap_or("")
    }
}

/// Split a line at tabs, recording where fields start in `starts` (reused from line to line,
/// so that no line pays for clearing it).
///
/// GDELT rows are short fields, many empty; finding tabs eight bytes at a time (SWAR) is several
/// times faster here than a search call per field.
fn split_tabs<'a, 'b>(line: &'a str, starts: &'b mut [u32; MAX_FIELDS + 1]) -> Fields<'a, 'b> {
    let bytes = line.as_bytes();
    starts[0] = 0;
    let mut count = 0;
    // Lines are cut from chunks of a few MiB, so offsets fit in u32.
    let mut tab_at = |i: usize| {
        count += 1;
        if count <= MAX_FIELDS {
            starts[count] = (i + 1) as u32;
        }
    };
    let words = bytes.chunks_exact(8);
    let tail = words.remainder();
    for (w, word) in words.enumerate() {
        let mut bits = tab_bits(u64::from_le_bytes(word.try_into().expect("8 bytes")));
        while bits != 0 {
            let i = w * 8 + (bits.trailing_zeros() / 8) as usize;
            tab_at(i);
            bits &= bits - 1;
        }
    }
    let base = bytes.len() - tail.len();
    for (j, &b) in tail.iter().enumerate() {
        if b == b'\t' {
            tab_at(base + j);
        }
    }
    // The last field ends at the end of the line (one past it, as if a tab followed).
    tab_at(bytes.len());
    Fields {
        line,
        starts,
        count,
    }
}

/// A CAMEO actor type field: three capital letters, else nothing.
fn type_code(s: &str) -> Option<&str> {
    if s.len() == 3 && s.bytes().all(|b| b.is_ascii_uppercase()) {
        Some(s)
    } else {
        None
    }
}

/// Check a CAMEO event code (2–4 digits, root 01..20) and return its root.
fn event_root(code: &str) -> Option<i8> {
    let b = code.as_bytes();
    if !(2..=4).contains(&b.len()) || !b.iter().all(u8::is_ascii_digit) {
        return None;
    }
    let root = (b[0] - b'0') * 10 + (b[1] - b'0');
    quad_class_of_root(root).map(|_| root as i8)
}

/// ICEWS sometimes loses the leading zero ("40" for "040"); find the codebook's spelling.
fn icews_code(code: &str) -> Option<&'static str> {
    let code = code.trim();
    if let Some(e) = cameo_event(code) {
        return Some(e.code);
    }
    if code.len() < 4 {
        return cameo_event(&format!("0{code}")).map(|e| e.code);
    }
    None
}

type RowResult<'a> = Result<(EventRow<'a>, i32), BadRowKind>;

fn gdelt_row<'a>(f: &Fields<'a, '_>, action_geo: usize) -> RowResult<'a> {
    let (date, month) = parse_date(f.get(1).as_bytes()).ok_or(BadRowKind::BadDate)?;
    let event_code = f.get(26);
    let root = event_root(event_code).ok_or(BadRowKind::BadField { field: "EventCode" })?;
    let quad = quad_class_of_root(root as u8).unwrap_or(0) as i8;
    let goldstein = if f.get(30).is_empty() {
        cameo_event(event_code).map(|e| e.goldstein)
    } else {
        f.get(30).parse::<f32>().ok().filter(|g| g.is_finite())
    }
    .ok_or(BadRowKind::BadField {
        field: "GoldsteinScale",
    })?;
    let mentions = if f.get(31).is_empty() {
        1
    } else {
        f.get(31).parse::<i32>().map_err(|_| BadRowKind::BadField {
            field: "NumMentions",
        })?
    };
    Ok((
        EventRow {
            date,
            source_country: cameo_country_bytes_to_iso3(f.get(7).as_bytes()),
            source_type: type_code(f.get(12)),
            target_country: cameo_country_bytes_to_iso3(f.get(17).as_bytes()),
            target_type: type_code(f.get(22)),
            event_code,
            root,
            quad,
            goldstein,
            mentions,
            location_country: fips_bytes_to_iso3(f.get(action_geo).as_bytes()),
        },
        month,
    ))
}

fn icews_raw_row<'a>(f: &Fields<'a, '_>) -> RowResult<'a> {
    let (date, month) = parse_date(f.get(1).trim().as_bytes()).ok_or(BadRowKind::BadDate)?;
    let code = icews_code(f.get(6)).ok_or(BadRowKind::BadField {
        field: "CAMEO Code",
    })?;
    let ev = cameo_event(code).expect("icews_code returns codebook codes");
    let goldstein = match f.get(7).trim() {
        "" => ev.goldstein,
        s => s
            .parse::<f32>()
            .ok()
            .filter(|g| g.is_finite())
            .ok_or(BadRowKind::BadField { field: "Intensity" })?,
    };
    let source = parse_actor(f.get(2));
    let target = parse_actor(f.get(8));
    Ok((
        EventRow {
            date,
            source_country: country_name_to_iso3(f.get(4)).or(source.country),
            source_type: actor_type_from_sectors(f.get(3)).or(source.actor_type),
            target_country: country_name_to_iso3(f.get(10)).or(target.country),
            target_type: actor_type_from_sectors(f.get(9)).or(target.actor_type),
            event_code: code,
            root: ev.root as i8,
            quad: ev.quad_class as i8,
            goldstein,
            mentions: 1,
            location_country: country_name_to_iso3(f.get(17)),
        },
        month,
    ))
}

fn icews_quad_row<'a>(f: &Fields<'a, '_>) -> RowResult<'a> {
    let (date, month) = parse_date(f.get(3).trim().as_bytes()).ok_or(BadRowKind::BadDate)?;
    let code = codebook::cameo_code_for_name(f.get(1)).ok_or(BadRowKind::BadField {
        field: "event text",
    })?;
    let ev = cameo_event(code).expect("names map to codebook codes");
    let source = parse_actor(f.get(0));
    let target = parse_actor(f.get(2));
    Ok((
        EventRow {
            date,
            source_country: source.country,
            source_type: source.actor_type,
            target_country: target.country,
            target_type: target.actor_type,
            event_code: ev.code,
            root: ev.root as i8,
            quad: ev.quad_class as i8,
            goldstein: ev.goldstein,
            mentions: 1,
            location_country: None,
        },
        month,
    ))
}

fn is_header(format: Format, f: &Fields<'_, '_>) -> bool {
    match format {
        Format::Gdelt1 | Format::Gdelt2 => !f.get(0).bytes().all(|b| b.is_ascii_digit()),
        Format::IcewsRaw => f.get(0) == "Event ID",
        Format::IcewsQuad => false,
    }
}

/// Parse one chunk into `sink`: each event into its month's builder and its dyad-day
/// contribution. `max_reported` bounds the bad-row line numbers kept.
pub(crate) fn parse_chunk(
    format: Format,
    chunk: &Chunk,
    max_reported: usize,
    sink: &mut Sink,
) -> ChunkOutput {
    let mut out = ChunkOutput {
        file: chunk.file,
        rows_ok: 0,
        bad: BadRows::default(),
    };
    let data = chunk.data();
    let text = std::str::from_utf8(data).ok();
    let mut starts = [0u32; MAX_FIELDS + 1];
    let ends_with_newline = data.last() == Some(&b'\n');
    let mut line_no = chunk.first_line;
    let mut start = 0;
    while start < data.len() {
        let end = memchr::memchr(b'\n', &data[start..]).map_or(data.len(), |i| start + i);
        let is_unterminated = end == data.len() && !ends_with_newline && chunk.is_last;
        let mut raw = &data[start..end];
        let start_of_line = start;
        start = end + 1;
        let this_line = line_no;
        line_no += 1;
        if let [rest @ .., b'\r'] = raw {
            raw = rest;
        }
        if raw.is_empty() {
            continue;
        }
        // The whole chunk is checked once; a line is checked on its own only when the chunk
        // holds invalid UTF-8 somewhere.
        let line = match text {
            Some(t) => Ok(&t[start_of_line..start_of_line + raw.len()]),
            None => std::str::from_utf8(raw),
        };
        let Ok(line) = line else {
            let kind = if is_unterminated {
                BadRowKind::Truncated
            } else {
                BadRowKind::InvalidUtf8
            };
            out.bad.record(this_line, kind, max_reported);
            continue;
        };
        let fields = split_tabs(line, &mut starts);
        let n = fields.count;
        if this_line == 1 && is_header(format, &fields) {
            continue;
        }
        if !format.accepts_columns(n) {
            let kind = if is_unterminated {
                BadRowKind::Truncated
            } else {
                BadRowKind::ColumnCount {
                    found: n,
                    expected: format.expected_columns(),
                }
            };
            out.bad.record(this_line, kind, max_reported);
            continue;
        }
        let parsed = match format {
            Format::Gdelt1 => gdelt_row(&fields, 51),
            Format::Gdelt2 => gdelt_row(&fields, 53),
            Format::IcewsRaw => icews_raw_row(&fields),
            Format::IcewsQuad => icews_quad_row(&fields),
        };
        match parsed {
            Ok((row, month)) => {
                sink.months
                    .entry(month)
                    .or_insert_with(|| EventColumns::with_capacity(4096))
                    .push(&row);
                sink.dyad_days.add(&row);
                out.rows_ok += 1;
            }
            Err(kind) => {
                let kind = if is_unterminated {
                    BadRowKind::Truncated
                } else {
                    kind
                };
                out.bad.record(this_line, kind, max_reported);
            }
        }
    }
    out
}

/// What [`parse_bytes`] read: events kept per month and rows skipped.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ParsedBytes {
    /// Rows read as events.
    pub rows_ok: u64,
    /// Rows of each month key (`year * 12 + month - 1`), as the import would write them.
    pub rows_per_month: BTreeMap<i32, usize>,
    /// Rows skipped, with why.
    pub bad: BadRows,
}

/// Parse a whole file held in memory as [`crate::import`] parses each chunk of one, and build
/// the Arrow batches of events and dyad-days it would write, without writing them. The fuzzers
/// drive every layout's reader through this; any bytes give rows or skipped rows, never a panic.
pub fn parse_bytes(format: Format, data: &[u8]) -> crate::Result<ParsedBytes> {
    let chunk = Chunk::whole(0, data.to_vec());
    let mut sink = Sink::default();
    let out = parse_chunk(format, &chunk, 16, &mut sink);
    let mut rows_per_month = BTreeMap::new();
    for (month, cols) in &mut sink.months {
        rows_per_month.insert(*month, cols.finish()?.num_rows());
    }
    let mut days = crate::rollup::DyadDays::default();
    days.absorb(&mut sink.dyad_days);
    days.take_days(i32::MIN, i32::MAX)?;
    Ok(ParsedBytes {
        rows_ok: out.rows_ok,
        rows_per_month,
        bad: out.bad,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates() {
        assert_eq!(parse_date(b"19700101"), Some((0, 1970 * 12)));
        assert_eq!(parse_date(b"2014-03-01").unwrap().0, 16130);
        assert_eq!(parse_date(b"20140301"), parse_date(b"2014-03-01"));
        assert_eq!(parse_date(b"20000229").map(|d| d.1), Some(2000 * 12 + 1));
        assert_eq!(parse_date(b"19000229"), None);
        assert_eq!(parse_date(b"20141301"), None);
        assert_eq!(parse_date(b"2014031"), None);
        assert_eq!(parse_date(b"2014-3-01"), None);
        for d in [-1000, 0, 16130, 20000, 60000] {
            let (y, m, dd) = civil_from_days(d);
            assert_eq!(days_from_civil(y, m, dd), d);
        }
        assert_eq!(month_label(2014 * 12 + 2), "2014-03");
        let (first, next) = month_days(2014 * 12 + 11);
        assert_eq!(civil_from_days(first), (2014, 12, 1));
        assert_eq!(civil_from_days(next), (2015, 1, 1));
    }

    #[test]
    fn tab_bits_are_exact() {
        for b in 0..=255u8 {
            let word = u64::from_le_bytes([b, 9, b, b.wrapping_add(1), 9, 0, 255, b]);
            let bits = tab_bits(word);
            for (i, &x) in word.to_le_bytes().iter().enumerate() {
                assert_eq!(bits >> (8 * i + 7) & 1 == 1, x == 9, "byte {x} at {i}");
            }
        }
    }

    #[test]
    fn split_counts_fields() {
        let mut buf = [0; MAX_FIELDS + 1];
        let f = split_tabs("a\tb\t\tc", &mut buf);
        assert_eq!(f.count, 4);
        assert_eq!(
            (0..4).map(|i| f.get(i)).collect::<Vec<_>>(),
            ["a", "b", "", "c"]
        );
        assert_eq!(f.get(4), "");
        let long = vec!["x"; 70].join("\t");
        let f = split_tabs(&long, &mut buf);
        assert_eq!(f.count, 70);
        assert_eq!(f.get(MAX_FIELDS - 1), "x");
        assert_eq!(f.get(MAX_FIELDS), "");
        for len in 0..40 {
            let line: String = (0..len)
                .map(|i| if i % 3 == 1 { '\t' } else { 'é' })
                .collect();
            let expected: Vec<&str> = line.split('\t').collect();
            let f = split_tabs(&line, &mut buf);
            assert_eq!(f.count, expected.len());
            let got: Vec<&str> = (0..expected.len()).map(|i| f.get(i)).collect();
            assert_eq!(got, expected);
        }
    }

    #[test]
    fn event_roots() {
        assert_eq!(event_root("0211"), Some(2));
        assert_eq!(event_root("190"), Some(19));
        assert_eq!(event_root("21"), None);
        assert_eq!(event_root("1"), None);
        assert_eq!(event_root("---"), None);
        assert_eq!(icews_code("40"), Some("040"));
        assert_eq!(icews_code("0211"), Some("0211"));
    }

    #[test]
    fn bad_rows_merge_keeps_lowest_lines() {
        let mut a = BadRows::default();
        a.record(10, BadRowKind::BadDate, 2);
        a.record(20, BadRowKind::InvalidUtf8, 2);
        let mut b = BadRows::default();
        b.record(5, BadRowKind::Truncated, 2);
        a.merge(b, 2);
        assert_eq!(a.total, 3);
        assert_eq!(
            a.first.iter().map(|r| r.line).collect::<Vec<_>>(),
            vec![5, 10]
        );
        assert_eq!(a.by_kind["bad_date"], 1);
    }
}
