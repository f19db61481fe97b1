//! The dyad-day rollup: event counts, mentions and Goldstein sums per date, source country,
//! target country and [`Family`], accumulated while events are imported.
//!
//! Every indicator query groups by exactly these keys and filters only on them, so the rollup
//! answers all of them; computing it during the one pass over the raw files costs a hash
//! update per row, where recomputing it from the event table costs a second scan of every
//! event. The rollup is written beside the events (`DIR/dyad_days/month=YYYY-MM/`) as partial
//! sums: a worker writes what it has when it flushes a month, and the indicator SQL adds the
//! partials up. The rules come from [`Family::classify`], generated from the same table as the
//! SQL `CASE` over the events, and tests check the two give the same rows.

use std::collections::BTreeMap;
use std::sync::{Arc, LazyLock};

use datafusion::arrow::array::{ArrayRef, Date32Builder, Int64Builder, RecordBatch, StringBuilder};
use datafusion::arrow::datatypes::{DataType, Field, Schema, SchemaRef};

use crate::error::{EventsError, Result};
use crate::family::Family;
use crate::schema::EventRow;

/// Column names of the rollup table.
pub(crate) mod col {
    pub const EVENTS: &str = "events";
    pub const MENTIONS: &str = "mentions";
    pub const GOLDSTEIN_TENTHS: &str = "goldstein_tenths";
}

static SCHEMA: LazyLock<SchemaRef> = LazyLock::new(|| {
    Arc::new(Schema::new(vec![
        Field::new(crate::schema::col::DATE, DataType::Date32, false),
        Field::new(crate::schema::col::SOURCE_COUNTRY, DataType::Utf8, true),
        Field::new(crate::schema::col::TARGET_COUNTRY, DataType::Utf8, true),
        Field::new("family", DataType::Utf8, false),
        Field::new(col::EVENTS, DataType::Int64, false),
        Field::new(col::MENTIONS, DataType::Int64, false),
        Field::new(col::GOLDSTEIN_TENTHS, DataType::Int64, false),
    ]))
});

/// The Arrow schema of the dyad-day rollup files.
pub fn dyad_day_schema() -> SchemaRef {
    SCHEMA.clone()
}

/// Bits of a country in a [`Key`]: three letters A–Z at five bits each; 0 for unknown.
const COUNTRY_BITS: u32 = 15;
/// Dates from 1800 to 2199 (the readers' range) are -62,091..=84,006 days; shifted by this
/// they fit in 18 bits.
const DATE_OFFSET: i64 = 1 << 17;

fn pack_country(c: Option<&str>) -> u64 {
    match c.map(str::as_bytes) {
        Some(&[a, b, c]) if [a, b, c].iter().all(u8::is_ascii_uppercase) => [a, b, c]
            .iter()
            .fold(0, |acc, &x| acc << 5 | u64::from(x - b'A' + 1)),
        _ => 0,
    }
}

fn unpack_country(bits: u64) -> Option<[u8; 3]> {
    let letter = |shift: u32| (((bits >> shift) & 31) as u8).wrapping_add(b'A' - 1);
    (bits != 0).then(|| [letter(10), letter(5), letter(0)])
}

/// A dyad-day and family packed into one word: date, source, target, family from the high
/// bits down, so that keys compare as the indicator rows sort (date, then source and target
/// with unknown first) up to the family. One word sorts and compares in one instruction: the
/// import records a key for nearly every event.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
struct Key(u64);

impl Key {
    fn new(date: i32, source: Option<&str>, target: Option<&str>, family: u8) -> Key {
        let date = (i64::from(date) + DATE_OFFSET) as u64;
        Key(date << (2 * COUNTRY_BITS + 4)
            | pack_country(source) << (COUNTRY_BITS + 4)
            | pack_country(target) << 4
            | u64::from(family))
    }
    fn date(self) -> i32 {
        ((self.0 >> (2 * COUNTRY_BITS + 4)) as i64 - DATE_OFFSET) as i32
    }
    fn source(self) -> Option<[u8; 3]> {
        unpack_country((self.0 >> (COUNTRY_BITS + 4)) & ((1 << COUNTRY_BITS) - 1))
    }
    fn target(self) -> Option<[u8; 3]> {
        unpack_country((self.0 >> 4) & ((1 << COUNTRY_BITS) - 1))
    }
    fn family(self) -> usize {
        (self.0 & 15) as usize
    }
}

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
struct Sums {
    events: i64,
    mentions: i64,
    goldstein_tenths: i64,
}

/// A Goldstein value in whole tenths, as the indicator SQL computes it: ±0.25 before
/// truncating, so that float error in `g * 10` never moves a value to the next tenth.
pub(crate) fn goldstein_tenths(g: f32) -> i64 {
    let t = f64::from(g * 10.0);
    if g >= 0.0 {
        (t + 0.25) as i64
    } else {
        (t - 0.25) as i64
    }
}

/// One event's share of its dyad-day, recorded while a chunk is parsed.
#[derive(Debug, Clone, Copy)]
struct Contribution {
    key: u64,
    mentions: i32,
    tenths: i32,
}

/// The contributions of one chunk, in file order, waiting for [`DyadDays::absorb`].
///
/// Adding each event straight into a table of sums costs a cache miss per event once the
/// table outgrows the core's cache (and the chunk streaming through evicts it); recording it
/// costs a sequential write, and the chunk's contributions are then sorted and merged into
/// per-day runs in one pass.
#[derive(Debug, Default)]
pub(crate) struct Pending {
    rows: Vec<Contribution>,
    /// The radix sort's second buffer, kept between chunks.
    spare: Vec<Contribution>,
}

impl Pending {
    /// Record one event (nothing when it is in no family).
    #[inline]
    pub fn add(&mut self, row: &EventRow<'_>) {
        let Some(family) = Family::classify(row.root, row.event_code, row.target_type) else {
            return;
        };
        let key = Key::new(
            row.date,
            row.source_country,
            row.target_country,
            family.index(),
        );
        // One event's tenths lie within ±100 and its mentions within i32.
        self.rows.push(Contribution {
            key: key.0,
            mentions: row.mentions,
            tenths: goldstein_tenths(row.goldstein) as i32,
        });
    }
}

/// A worker's dyad-day sums: for each day, its (key, sums) sorted by key.
#[derive(Debug, Default)]
pub(crate) struct DyadDays {
    days: BTreeMap<i32, Vec<(Key, Sums)>>,
    entries: usize,
    scratch: Vec<(Key, Sums)>,
}

/// Bytes per entry, for the import's memory budget.
const ENTRY_BYTES: usize = std::mem::size_of::<(Key, Sums)>();

impl DyadDays {
    /// Add a chunk's contributions and empty `pending`.
    pub fn absorb(&mut self, pending: &mut Pending) {
        radix_sort(&mut pending.rows, &mut pending.spare);
        let rows = &mut pending.rows;
        let mut i = 0;
        while i < rows.len() {
            let day = Key(rows[i].key).date();
            let end = i + rows[i..].partition_point(|c| Key(c.key).date() == day);
            let acc = self.days.entry(day).or_default();
            let before = acc.len();
            merge_into(acc, &rows[i..end], &mut self.scratch);
            self.entries += acc.len() - before;
            i = end;
        }
        rows.clear();
    }

    /// Memory held, roughly.
    pub fn approx_bytes(&self) -> usize {
        self.entries * ENTRY_BYTES
    }

    /// Remove the sums of days `from..to` and return them as one batch in the indicator SQL's
    /// row order (so that files are the same on every run), or `None` when there are none.
    pub fn take_days(&mut self, from: i32, to: i32) -> Result<Option<RecordBatch>> {
        let days: Vec<i32> = self.days.range(from..to).map(|(d, _)| *d).collect();
        let mut rows = Vec::new();
        for d in days {
            if let Some(v) = self.days.remove(&d) {
                self.entries -= v.len();
                rows.extend(v);
            }
        }
        if rows.is_empty() {
            return Ok(None);
        }
        to_batch(rows).map(Some)
    }
}

/// Bits of a key that vary: 18 of date, 15 + 15 of countries, 4 of family.
const KEY_BITS: u32 = 52;
/// Bits sorted per pass: 2,048 counters stay in the core's first-level cache.
const DIGIT_BITS: u32 = 11;

/// Sort by key, least significant digit first (stable, so each pass keeps the order of the
/// last). A comparison sort of a chunk's contributions cost more than the rest of the rollup;
/// this is five linear passes, and fewer when a digit is the same for every key (a real GDELT
/// file's chunk holds one or two dates, so the date's digits are skipped).
fn radix_sort(rows: &mut Vec<Contribution>, spare: &mut Vec<Contribution>) {
    let mut shift = 0;
    while shift < KEY_BITS {
        let digit = |c: &Contribution| ((c.key >> shift) & ((1 << DIGIT_BITS) - 1)) as usize;
        let mut counts = [0usize; 1 << DIGIT_BITS];
        for c in rows.iter() {
            counts[digit(c)] += 1;
        }
        if counts.contains(&rows.len()) {
            shift += DIGIT_BITS;
            continue; // every key has this digit: nothing to reorder
        }
        let mut next = 0;
        for n in counts.iter_mut() {
            let here = *n;
            *n = next;
            next += here;
        }
        // Every slot is overwritten below: only grow (which fills the new part), never refill.
        spare.resize(
            rows.len(),
            Contribution {
                key: 0,
                mentions: 0,
                tenths: 0,
            },
        );
        for c in rows.iter() {
            let d = digit(c);
            spare[counts[d]] = *c;
            counts[d] += 1;
        }
        std::mem::swap(rows, spare);
        shift += DIGIT_BITS;
    }
}

/// Merge sorted `rows` (with repeated keys) into `acc` (sorted, unique keys), using `scratch`.
fn merge_into(acc: &mut Vec<(Key, Sums)>, rows: &[Contribution], scratch: &mut Vec<(Key, Sums)>) {
    scratch.clear();
    scratch.reserve(acc.len() + rows.len());
    let (mut a, mut b) = (0, 0);
    while b < rows.len() {
        let key = Key(rows[b].key);
        while a < acc.len() && acc[a].0 < key {
            scratch.push(acc[a]);
            a += 1;
        }
        let mut sums = if a < acc.len() && acc[a].0 == key {
            a += 1;
            acc[a - 1].1
        } else {
            Sums::default()
        };
        while b < rows.len() && rows[b].key == key.0 {
            sums.events += 1;
            sums.mentions += i64::from(rows[b].mentions);
            sums.goldstein_tenths += i64::from(rows[b].tenths);
            b += 1;
        }
        scratch.push((key, sums));
    }
    scratch.extend_from_slice(&acc[a..]);
    std::mem::swap(acc, scratch);
}

/// Sums as one batch, ordered as the indicator SQL orders its rows (family by name).
fn to_batch(mut rows: Vec<(Key, Sums)>) -> Result<RecordBatch> {
    let family_names: Vec<&str> = Family::ALL.iter().map(|f| f.name()).collect();
    rows.sort_unstable_by_key(|(k, _)| (k.0 >> 4, family_names[k.family()]));
    let n = rows.len();
    let mut date = Date32Builder::with_capacity(n);
    let mut source = StringBuilder::with_capacity(n, n * 3);
    let mut target = StringBuilder::with_capacity(n, n * 3);
    let mut family = StringBuilder::with_capacity(n, n * 12);
    let mut events = Int64Builder::with_capacity(n);
    let mut mentions = Int64Builder::with_capacity(n);
    let mut tenths = Int64Builder::with_capacity(n);
    for (k, s) in rows {
        date.append_value(k.date());
        let (s_code, t_code) = (k.source(), k.target());
        source.append_option(s_code.as_ref().and_then(|c| std::str::from_utf8(c).ok()));
        target.append_option(t_code.as_ref().and_then(|c| std::str::from_utf8(c).ok()));
        family.append_value(family_names[k.family()]);
        events.append_value(s.events);
        mentions.append_value(s.mentions);
        tenths.append_value(s.goldstein_tenths);
    }
    let columns: Vec<ArrayRef> = vec![
        Arc::new(date.finish()),
        Arc::new(source.finish()),
        Arc::new(target.finish()),
        Arc::new(family.finish()),
        Arc::new(events.finish()),
        Arc::new(mentions.finish()),
        Arc::new(tenths.finish()),
    ];
    RecordBatch::try_new(dyad_day_schema(), columns).map_err(|source| EventsError::Arrow {
        context: "building a dyad-day batch",
        source,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn row(date: i32, code: &'static str, root: i8, g: f32) -> EventRow<'static> {
        EventRow {
            date,
            source_country: Some("RUS"),
            source_type: Some("GOV"),
            target_country: Some("UKR"),
            target_type: None,
            event_code: code,
            root,
            quad: 4,
            goldstein: g,
            mentions: 3,
            location_country: None,
        }
    }

    #[test]
    fn keys_round_trip_and_sort_as_rows() {
        for (date, s, t) in [
            (-62_091, Some("AAA"), None),
            (84_006, None, Some("ZZZ")),
            (16_130, Some("RUS"), Some("UKR")),
        ] {
            let k = Key::new(date, s, t, 8);
            assert_eq!(k.date(), date);
            assert_eq!(
                k.source()
                    .map(|c| String::from_utf8(c.to_vec()).unwrap())
                    .as_deref(),
                s
            );
            assert_eq!(
                k.target()
                    .map(|c| String::from_utf8(c.to_vec()).unwrap())
                    .as_deref(),
                t
            );
            assert_eq!(k.family(), 8);
        }
        let k = |d, s, t| Key::new(d, s, t, 0);
        assert!(k(1, Some("ZZZ"), None) < k(2, None, None));
        assert!(k(1, None, Some("ZZZ")) < k(1, Some("AAA"), None));
        assert!(k(1, Some("RUS"), Some("UKR")) < k(1, Some("RUS"), Some("USA")));
    }

    #[test]
    fn every_iso3_code_packs() {
        for iso in reader_iso3_codes() {
            assert_ne!(pack_country(Some(iso)), 0, "{iso}");
        }
    }

    /// The ISO3 codes the readers can produce.
    fn reader_iso3_codes() -> Vec<&'static str> {
        let mut v = Vec::new();
        for a in b'A'..=b'Z' {
            for b in b'A'..=b'Z' {
                let two = [a, b];
                let two = std::str::from_utf8(&two).unwrap().to_string();
                if let Some(c) = crate::codebook::fips_to_iso3(&two) {
                    v.push(c);
                }
                for c in b'A'..=b'Z' {
                    let three = [a, b, c];
                    if let Some(iso) =
                        crate::codebook::cameo_country_to_iso3(std::str::from_utf8(&three).unwrap())
                    {
                        v.push(iso);
                    }
                }
            }
        }
        assert!(v.len() > 150);
        v
    }

    #[test]
    fn radix_sort_sorts() {
        let mut x: u64 = 0x9e37_79b9_7f4a_7c15;
        let mut rows: Vec<Contribution> = (0..5000)
            .map(|i| {
                x ^= x << 13;
                x ^= x >> 7;
                x ^= x << 17;
                Contribution {
                    // Few distinct high bits, as dates in a chunk: some passes are skipped.
                    key: (x & ((1 << 40) - 1)) | (1 << 45),
                    mentions: i,
                    tenths: 0,
                }
            })
            .collect();
        let mut expected = rows.clone();
        expected.sort_by_key(|c| c.key); // stable, as the radix sort is
        radix_sort(&mut rows, &mut Vec::new());
        let keys = |v: &[Contribution]| v.iter().map(|c| (c.key, c.mentions)).collect::<Vec<_>>();
        assert_eq!(keys(&rows), keys(&expected));
        let mut empty = Vec::new();
        radix_sort(&mut empty, &mut Vec::new());
        assert!(empty.is_empty());
    }

    #[test]
    fn tenths_are_exact_for_one_decimal_values() {
        for t in -100..=100 {
            let g = t as f32 / 10.0;
            assert_eq!(goldstein_tenths(g), i64::from(t), "{g}");
        }
    }

    #[test]
    fn sums_add_up_and_sort() {
        let mut d = DyadDays::default();
        let mut p = Pending::default();
        p.add(&row(2, "190", 19, -10.0));
        p.add(&row(1, "138", 13, -7.0));
        p.add(&row(1, "010", 1, 0.0)); // in no family
        d.absorb(&mut p);
        p.add(&row(1, "138", 13, -7.0));
        p.add(&row(40, "138", 13, -7.0));
        d.absorb(&mut p);
        assert_eq!(d.approx_bytes(), 3 * ENTRY_BYTES);
        let batch = d.take_days(0, 31).unwrap().unwrap();
        assert_eq!(d.approx_bytes(), ENTRY_BYTES);
        assert_eq!(batch.num_rows(), 2);
        use datafusion::arrow::array::AsArray;
        use datafusion::arrow::datatypes::{Date32Type, Int64Type};
        let dates = batch.column(0).as_primitive::<Date32Type>();
        assert_eq!((dates.value(0), dates.value(1)), (1, 2));
        assert_eq!(batch.column(3).as_string::<i32>().value(0), "threat");
        let events = batch.column(4).as_primitive::<Int64Type>();
        assert_eq!(events.value(0), 2);
        assert_eq!(batch.column(6).as_primitive::<Int64Type>().value(0), -140);
        assert_eq!(batch.column(5).as_primitive::<Int64Type>().value(0), 6);
        assert!(d.take_days(0, 31).unwrap().is_none());
    }
}
