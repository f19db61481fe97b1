//! Streaming, parallel import of event files into month-partitioned Parquet.
//!
//! Producers read files in line-aligned chunks (a bounded channel holds at most two chunks per
//! worker); workers parse chunks into Arrow batches, buffer them per month up to a memory budget
//! and flush the largest month to a new Parquet file when over it. While parsing, each row is
//! also added to its month's dyad-day sums (see `rollup`), flushed with the month's events. Everything is written into a
//! temporary directory beside `out_dir` and renamed into place only when all inputs succeeded.

use std::collections::BTreeMap;
use std::fmt;
use std::fs::{self, File};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, AtomicU64, AtomicUsize, Ordering};
use std::sync::mpsc::{Receiver, sync_channel};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

use datafusion::arrow::array::RecordBatch;
use datafusion::arrow::datatypes::SchemaRef;
use datafusion::parquet::arrow::ArrowWriter;
use datafusion::parquet::basic::{Compression, ZstdLevel};
use datafusion::parquet::file::properties::{EnabledStatistics, WriterProperties};
use datafusion::parquet::schema::types::ColumnPath;
use serde::Serialize;

use crate::collection::IMPORT_RECORD;
use crate::error::{EventsError, Result};
use crate::format::Format;
use crate::indicators::{DYAD_DAYS_SUBDIR, EVENTS_SUBDIR};
use crate::input::{BufferPool, Chunk, read_chunks};
use crate::parse::{BadRows, ChunkOutput, Sink, month_days, month_label, parse_chunk};
use crate::rollup::{DyadDays, dyad_day_schema};
use crate::schema::{col, event_schema};

// The marks of an import's hidden folders; `collection` owns them, since it refuses a folder of
// imports that holds one.
pub(crate) use crate::collection::{OLD_MARK, TMP_MARK};

/// Parquet compression for imported events.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum ParquetCompression {
    /// No compression (fastest to write, largest files).
    None,
    /// Snappy (the default: fast, moderate size).
    #[default]
    Snappy,
    /// Zstandard level 3 (smaller, slower to write).
    Zstd,
}

/// Progress of a running import, passed to the progress callback after every chunk.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct Progress {
    /// Bytes read from disk so far (compressed bytes for gzip inputs).
    pub bytes_read: u64,
    /// Total size of the input files on disk.
    pub bytes_total: u64,
    /// Rows imported so far.
    pub rows_ok: u64,
    /// Rows skipped so far.
    pub rows_bad: u64,
}

/// A progress callback; called from worker threads.
pub type ProgressFn = Arc<dyn Fn(&Progress) + Send + Sync>;

/// Options for [`import`]. Build with `ImportOptions::default()` and the setters.
#[derive(Clone)]
pub struct ImportOptions {
    /// Worker threads (default: the number of available cores).
    pub threads: usize,
    /// Bytes per chunk handed to a worker (default 8 MiB).
    pub chunk_bytes: usize,
    /// Line numbers of bad rows kept per file (default 20); all are counted.
    pub max_reported_bad_rows: usize,
    /// Memory for buffered batches across all workers before months are flushed to Parquet
    /// (default 512 MiB). Peak memory is about this plus two chunks per worker.
    pub memory_budget: usize,
    /// Replace `out_dir` if it exists (default false: an existing `out_dir` is an error).
    pub overwrite: bool,
    /// Parquet compression (default Snappy).
    pub compression: ParquetCompression,
    /// Called after every chunk with the running totals (default none).
    pub progress: Option<ProgressFn>,
}

impl Default for ImportOptions {
    fn default() -> Self {
        ImportOptions {
            threads: std::thread::available_parallelism().map_or(2, |n| n.get()),
            chunk_bytes: 8 << 20,
            max_reported_bad_rows: 20,
            memory_budget: 512 << 20,
            overwrite: false,
            compression: ParquetCompression::default(),
            progress: None,
        }
    }
}

impl fmt::Debug for ImportOptions {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ImportOptions")
            .field("threads", &self.threads)
            .field("chunk_bytes", &self.chunk_bytes)
            .field("max_reported_bad_rows", &self.max_reported_bad_rows)
            .field("memory_budget", &self.memory_budget)
            .field("overwrite", &self.overwrite)
            .field("compression", &self.compression)
            .field("progress", &self.progress.is_some())
            .finish()
    }
}

impl ImportOptions {
    /// Set the number of worker threads (at least 1).
    pub fn threads(mut self, n: usize) -> Self {
        self.threads = n.max(1);
        self
    }
    /// Set the chunk size in bytes.
    pub fn chunk_bytes(mut self, n: usize) -> Self {
        self.chunk_bytes = n;
        self
    }
    /// Set how many bad-row line numbers are kept per file.
    pub fn max_reported_bad_rows(mut self, n: usize) -> Self {
        self.max_reported_bad_rows = n;
        self
    }
    /// Set the memory budget for buffered batches, in bytes.
    pub fn memory_budget(mut self, bytes: usize) -> Self {
        self.memory_budget = bytes;
        self
    }
    /// Replace an existing output directory.
    pub fn overwrite(mut self, yes: bool) -> Self {
        self.overwrite = yes;
        self
    }
    /// Set the Parquet compression.
    pub fn compression(mut self, c: ParquetCompression) -> Self {
        self.compression = c;
        self
    }
    /// Set a progress callback.
    pub fn progress(mut self, f: impl Fn(&Progress) + Send + Sync + 'static) -> Self {
        self.progress = Some(Arc::new(f));
        self
    }
}

/// What happened to one input file.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct FileReport {
    /// The input file.
    pub path: PathBuf,
    /// Rows imported.
    pub rows_ok: u64,
    /// Rows skipped, with the first line numbers.
    pub bad: BadRows,
}

/// The result of [`import`].
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ImportReport {
    /// The input format.
    pub format: Format,
    /// The output directory (now complete).
    pub out_dir: PathBuf,
    /// One report per input, in the order given.
    pub files: Vec<FileReport>,
    /// Rows written in total.
    pub rows_written: u64,
    /// Rows skipped in total.
    pub rows_bad: u64,
    /// Rows written per month ("YYYY-MM").
    pub months: BTreeMap<String, u64>,
    /// Parquet files written.
    pub parquet_files: usize,
    /// Bytes read from disk.
    pub bytes_read: u64,
    /// Wall time of the import.
    #[serde(serialize_with = "serialize_secs")]
    pub elapsed: Duration,
}

fn serialize_secs<S: serde::Serializer>(d: &Duration, s: S) -> Result<S::Ok, S::Error> {
    s.serialize_f64(d.as_secs_f64())
}

/// Removes a directory when dropped unless disarmed.
struct TempDir {
    path: PathBuf,
    armed: bool,
}

impl Drop for TempDir {
    fn drop(&mut self) {
        if self.armed {
            let _ = fs::remove_dir_all(&self.path);
        }
    }
}

fn unique_suffix() -> String {
    let nanos = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| d.subsec_nanos());
    format!("{}-{nanos}", std::process::id())
}

fn write_err(path: &Path) -> impl FnOnce(std::io::Error) -> EventsError + '_ {
    move |source| EventsError::Write {
        path: path.to_path_buf(),
        source,
    }
}

/// Rows per batch: a month's open builder becomes a batch when it holds this many.
const BATCH_ROWS: usize = 1 << 16;

/// Memory of one row in an open builder, for the budget (fixed columns, five short strings
/// with their offsets, and slack for the builders' growth).
const OPEN_ROW_BYTES: usize = 96;

/// Per-worker state: buffered batches per month and what was written.
struct Worker<'a> {
    id: usize,
    dir: &'a Path,
    props: WriterProperties,
    budget: usize,
    /// Event batches per month, with their size in bytes.
    buffered: BTreeMap<i32, (Vec<RecordBatch>, usize)>,
    /// Dyad-day sums of the days not yet flushed.
    dyad_days: DyadDays,
    /// Open builders and the current chunk's dyad-day contributions.
    sink: Sink,
    seq: usize,
    rows_per_month: BTreeMap<i32, u64>,
    files_written: usize,
    per_file: BTreeMap<usize, (u64, BadRows)>,
}

impl Worker<'_> {
    fn take(&mut self, out: ChunkOutput, keep: usize) -> Result<()> {
        let entry = self.per_file.entry(out.file).or_default();
        entry.0 += out.rows_ok;
        entry.1.merge(out.bad, keep);
        let full: Vec<i32> = (self.sink.months.iter())
            .filter(|(_, cols)| cols.len() >= BATCH_ROWS)
            .map(|(m, _)| *m)
            .collect();
        for month in full {
            self.close_batch(month)?;
        }
        self.dyad_days.absorb(&mut self.sink.dyad_days);
        while self.buffered_bytes() > self.budget {
            let Some(largest) = (self.sink.months.keys().chain(self.buffered.keys()))
                .copied()
                .max_by_key(|m| self.month_bytes(*m))
                .filter(|m| self.month_bytes(*m) > 0)
            else {
                break; // only dyad-day sums left, and they leave with their month's events
            };
            self.flush(largest)?;
        }
        Ok(())
    }

    /// Turn the open builder of `month` into a buffered batch.
    fn close_batch(&mut self, month: i32) -> Result<()> {
        if let Some(cols) = self.sink.months.get_mut(&month)
            && cols.len() > 0
        {
            let batch = cols.finish()?;
            let slot = self.buffered.entry(month).or_default();
            slot.1 += batch.get_array_memory_size();
            slot.0.push(batch);
        }
        Ok(())
    }

    /// Memory held for `month`'s events, batches and open builder.
    fn month_bytes(&self, month: i32) -> usize {
        self.buffered.get(&month).map_or(0, |b| b.1)
            + self
                .sink
                .months
                .get(&month)
                .map_or(0, |c| c.len() * OPEN_ROW_BYTES)
    }

    /// Memory held: event batches, open builders and dyad-day sums.
    fn buffered_bytes(&self) -> usize {
        self.buffered.values().map(|b| b.1).sum::<usize>()
            + self
                .sink
                .months
                .values()
                .map(|c| c.len() * OPEN_ROW_BYTES)
                .sum::<usize>()
            + self.dyad_days.approx_bytes()
    }

    /// Write one Parquet file of `batches` under `table/month=YYYY-MM/`.
    fn write(
        &mut self,
        table: &str,
        month: i32,
        schema: SchemaRef,
        batches: &[RecordBatch],
    ) -> Result<()> {
        let dir = self
            .dir
            .join(table)
            .join(format!("month={}", month_label(month)));
        fs::create_dir_all(&dir).map_err(write_err(&dir))?;
        let path = dir.join(format!("part-{:02}-{:05}.parquet", self.id, self.seq));
        self.seq += 1;
        let file = File::create(&path).map_err(write_err(&path))?;
        let parquet_err = |source| EventsError::Parquet {
            path: path.clone(),
            source,
        };
        let mut writer =
            ArrowWriter::try_new(file, schema, Some(self.props.clone())).map_err(parquet_err)?;
        for b in batches {
            writer.write(b).map_err(parquet_err)?;
        }
        writer.close().map_err(parquet_err)?;
        self.files_written += 1;
        Ok(())
    }

    fn flush(&mut self, month: i32) -> Result<()> {
        self.close_batch(month)?;
        let Some((batches, _)) = self.buffered.remove(&month) else {
            return Ok(());
        };
        let rows: u64 = batches.iter().map(|b| b.num_rows() as u64).sum();
        self.write(EVENTS_SUBDIR, month, event_schema(), &batches)?;
        let (first, next) = month_days(month);
        if let Some(batch) = self.dyad_days.take_days(first, next)? {
            self.write(DYAD_DAYS_SUBDIR, month, dyad_day_schema(), &[batch])?;
        }
        *self.rows_per_month.entry(month).or_default() += rows;
        Ok(())
    }

    fn finish(&mut self) -> Result<()> {
        let mut months: Vec<i32> = self.buffered.keys().copied().collect();
        months.extend(self.sink.months.keys());
        months.sort_unstable();
        months.dedup();
        for m in months {
            self.flush(m)?;
        }
        Ok(())
    }
}

struct WorkerResult {
    rows_per_month: BTreeMap<i32, u64>,
    files_written: usize,
    per_file: BTreeMap<usize, (u64, BadRows)>,
}

/// [`import`] to S3, which has no rename: the import is written to a local temporary directory,
/// then uploaded with its record last, so that readers take a prefix without a record for an
/// interrupted upload (see `s3`).
fn import_to_s3(
    format: Format,
    inputs: &[PathBuf],
    at: &crate::s3::S3Path,
    options: &ImportOptions,
) -> Result<ImportReport> {
    if options.overwrite {
        return Err(EventsError::Unsupported {
            path: at.display_path(),
            what: "an import on S3 cannot be replaced in place; remove its prefix first",
        });
    }
    if crate::s3::block_on(|| crate::s3::exists(at))? {
        return Err(EventsError::OutputExists {
            path: at.display_path(),
        });
    }
    let staging = TempDir {
        path: std::env::temp_dir().join(format!("casus-s3-import-{}", unique_suffix())),
        armed: true,
    };
    fs::create_dir_all(&staging.path).map_err(write_err(&staging.path))?;
    let local = staging.path.join("import");
    let mut report = import(format, inputs, &local, options)?;
    report.out_dir = at.display_path();
    let record = serde_json::to_string_pretty(&report).map_err(|e| EventsError::Write {
        path: at.display_path().join(IMPORT_RECORD),
        source: std::io::Error::other(e),
    })?;
    crate::s3::block_on(|| crate::s3::upload_import(&local, at, &record))?;
    Ok(report)
}

/// Import event files of one `format` into `out_dir` as Parquet partitioned by month
/// (`out_dir/events/month=YYYY-MM/part-WW-SSSSS.parquet`), with the schema of
/// [`crate::event_schema`], and the dyad-day rollup of the same events beside them
/// (`out_dir/dyad_days/month=YYYY-MM/`, schema [`crate::dyad_day_schema`]), which the indicator
/// queries read.
///
/// Bad rows are skipped and reported per file; a file that cannot be opened or read is an error
/// naming it. Nothing is left behind on error: output goes to a temporary directory beside
/// `out_dir`, renamed into place at the end. `out_dir` may be `s3://bucket/prefix/name`: the
/// import is then uploaded there, its record last.
pub fn import(
    format: Format,
    inputs: &[PathBuf],
    out_dir: &Path,
    options: &ImportOptions,
) -> Result<ImportReport> {
    if let Some(at) = crate::s3::S3Path::from_path(out_dir)? {
        return import_to_s3(format, inputs, &at, options);
    }
    let started = Instant::now();
    if inputs.is_empty() {
        return Err(EventsError::NoInputs);
    }
    let mut seen = std::collections::BTreeSet::new();
    for p in inputs {
        // A file given twice would count its events twice.
        if let Ok(canonical) = p.canonicalize()
            && !seen.insert(canonical)
        {
            return Err(EventsError::InputTwice { path: p.clone() });
        }
    }
    let mut bytes_total = 0;
    for p in inputs {
        let meta = fs::metadata(p).map_err(|source| EventsError::Read {
            path: p.clone(),
            source,
        })?;
        bytes_total += meta.len();
    }
    if out_dir.exists() && !options.overwrite {
        return Err(EventsError::OutputExists {
            path: out_dir.to_path_buf(),
        });
    }
    let parent = match out_dir.parent() {
        Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
        _ => PathBuf::from("."),
    };
    fs::create_dir_all(&parent).map_err(write_err(&parent))?;
    let name = out_dir
        .file_name()
        .map_or_else(|| "events".into(), |n| n.to_string_lossy().into_owned());
    let tmp = TempDir {
        path: parent.join(format!(".{name}{TMP_MARK}{}", unique_suffix())),
        armed: true,
    };
    fs::create_dir(&tmp.path).map_err(write_err(&tmp.path))?;

    let threads = options.threads.max(1);
    let compression = match options.compression {
        ParquetCompression::None => Compression::UNCOMPRESSED,
        ParquetCompression::Snappy => Compression::SNAPPY,
        ParquetCompression::Zstd => Compression::ZSTD(ZstdLevel::try_new(3).expect("level 3")),
    };
    // Statistics only on `date`, the one column queries prune by: min/max of every string
    // value costs a comparison per row (a tenth of the import's time) and buys nothing when a
    // month's files all hold every country and code anyway.
    let props = WriterProperties::builder()
        .set_compression(compression)
        .set_max_row_group_row_count(Some(1 << 20))
        .set_statistics_enabled(EnabledStatistics::None)
        .set_column_statistics_enabled(ColumnPath::from(col::DATE), EnabledStatistics::Page)
        .build();

    let (tx, rx) = sync_channel::<Chunk>(threads * 2);
    // Buffers in flight: two per worker queued, one per worker parsing, one per producer.
    let pool = BufferPool::new(4 * threads + 2);
    let rx: Arc<Mutex<Receiver<Chunk>>> = Arc::new(Mutex::new(rx));
    // Only workers hold the receiver, so that producers stop (send fails) once all workers quit.
    let worker_rx: Vec<_> = (0..threads).map(|_| rx.clone()).collect();
    drop(rx);
    let stop = AtomicBool::new(false);
    let next_file = AtomicUsize::new(0);
    let bytes_read = Arc::new(AtomicU64::new(0));
    let rows_ok = AtomicU64::new(0);
    let rows_bad = AtomicU64::new(0);
    let keep = options.max_reported_bad_rows;
    let budget = options.memory_budget / threads;

    let (producer_results, worker_results) = std::thread::scope(|s| {
        let producers: Vec<_> = (0..threads.min(inputs.len()))
            .map(|_| {
                let tx = tx.clone();
                let (stop, next_file, bytes_read, pool) = (&stop, &next_file, &bytes_read, &pool);
                s.spawn(move || -> Result<()> {
                    loop {
                        let i = next_file.fetch_add(1, Ordering::Relaxed);
                        if i >= inputs.len() || stop.load(Ordering::Relaxed) {
                            return Ok(());
                        }
                        let r = read_chunks(
                            &inputs[i],
                            i,
                            options.chunk_bytes,
                            bytes_read.clone(),
                            pool,
                            |c| !stop.load(Ordering::Relaxed) && tx.send(c).is_ok(),
                        );
                        if r.is_err() {
                            stop.store(true, Ordering::Relaxed);
                            return r;
                        }
                    }
                })
            })
            .collect();
        drop(tx);
        let workers: Vec<_> = worker_rx
            .into_iter()
            .enumerate()
            .map(|(id, rx)| {
                let (stop, props, pool) = (&stop, props.clone(), &pool);
                let (rows_ok, rows_bad, bytes_read) = (&rows_ok, &rows_bad, &bytes_read);
                let dir = tmp.path.as_path();
                s.spawn(move || -> Result<WorkerResult> {
                    let mut w = Worker {
                        id,
                        dir,
                        props,
                        budget,
                        buffered: BTreeMap::new(),
                        dyad_days: DyadDays::default(),
                        sink: Sink::default(),
                        seq: 0,
                        rows_per_month: BTreeMap::new(),
                        files_written: 0,
                        per_file: BTreeMap::new(),
                    };
                    loop {
                        let chunk = {
                            let guard = rx.lock().unwrap_or_else(|e| e.into_inner());
                            guard.recv()
                        };
                        let Ok(chunk) = chunk else { break };
                        if stop.load(Ordering::Relaxed) {
                            continue; // drain so producers do not block
                        }
                        let out = parse_chunk(format, &chunk, keep, &mut w.sink);
                        chunk.recycle(pool);
                        rows_ok.fetch_add(out.rows_ok, Ordering::Relaxed);
                        rows_bad.fetch_add(out.bad.total, Ordering::Relaxed);
                        if let Err(e) = w.take(out, keep) {
                            stop.store(true, Ordering::Relaxed);
                            return Err(e);
                        }
                        if let Some(cb) = &options.progress {
                            cb(&Progress {
                                bytes_read: bytes_read.load(Ordering::Relaxed),
                                bytes_total,
                                rows_ok: rows_ok.load(Ordering::Relaxed),
                                rows_bad: rows_bad.load(Ordering::Relaxed),
                            });
                        }
                    }
                    if stop.load(Ordering::Relaxed) {
                        return Ok(WorkerResult {
                            rows_per_month: BTreeMap::new(),
                            files_written: 0,
                            per_file: BTreeMap::new(),
                        });
                    }
                    w.finish()
                        .inspect_err(|_| stop.store(true, Ordering::Relaxed))?;
                    Ok(WorkerResult {
                        rows_per_month: w.rows_per_month,
                        files_written: w.files_written,
                        per_file: w.per_file,
                    })
                })
            })
            .collect();
        let p: Vec<_> = producers.into_iter().map(|h| h.join()).collect();
        let w: Vec<_> = workers.into_iter().map(|h| h.join()).collect();
        (p, w)
    });

    for r in producer_results {
        r.map_err(|_| EventsError::WorkerPanicked { stage: "reading" })??;
    }
    let mut months: BTreeMap<String, u64> = BTreeMap::new();
    let mut parquet_files = 0;
    let mut per_file: Vec<(u64, BadRows)> = vec![Default::default(); inputs.len()];
    for r in worker_results {
        let r = r.map_err(|_| EventsError::WorkerPanicked { stage: "parsing" })??;
        for (m, n) in r.rows_per_month {
            *months.entry(month_label(m)).or_default() += n;
        }
        parquet_files += r.files_written;
        for (i, (ok, bad)) in r.per_file {
            per_file[i].0 += ok;
            per_file[i].1.merge(bad, keep);
        }
    }

    let files: Vec<FileReport> = inputs
        .iter()
        .zip(per_file)
        .map(|(path, (rows_ok, bad))| FileReport {
            path: path.clone(),
            rows_ok,
            bad,
        })
        .collect();
    let report = ImportReport {
        format,
        out_dir: out_dir.to_path_buf(),
        rows_written: months.values().sum(),
        rows_bad: files.iter().map(|f| f.bad.total).sum(),
        files,
        months,
        parquet_files,
        bytes_read: bytes_read.load(Ordering::Relaxed),
        elapsed: started.elapsed(),
    };
    // The record of what this import holds, so that a folder of imports can refuse the same
    // file imported twice (see `collection`).
    let record = tmp.path.join(IMPORT_RECORD);
    let json = serde_json::to_string_pretty(&report).map_err(|e| EventsError::Write {
        path: record.clone(),
        source: std::io::Error::other(e),
    })?;
    fs::write(&record, json).map_err(write_err(&record))?;

    // Move the finished directory into place; an old one is removed only after that succeeded.
    if out_dir.exists() {
        let old = parent.join(format!(".{name}{OLD_MARK}{}", unique_suffix()));
        fs::rename(out_dir, &old).map_err(write_err(out_dir))?;
        if let Err(e) = fs::rename(&tmp.path, out_dir) {
            let _ = fs::rename(&old, out_dir);
            return Err(write_err(out_dir)(e));
        }
        let _ = fs::remove_dir_all(&old);
    } else {
        fs::rename(&tmp.path, out_dir).map_err(write_err(out_dir))?;
    }
    let mut tmp = tmp;
    tmp.armed = false;
    Ok(report)
}
