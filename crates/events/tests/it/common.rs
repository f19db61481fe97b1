use std::path::{Path, PathBuf};

use casus_events::datafusion::arrow::array::RecordBatch;
use casus_events::datafusion::parquet::arrow::arrow_reader::ParquetRecordBatchReaderBuilder;
use casus_events::{Format, ImportOptions, ImportReport, import};

pub fn fixture(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures")
        .join(name)
}

/// Import one file into `dir/events` with small chunks so that several workers get work.
pub fn import_one(format: Format, input: &Path, dir: &Path, keep: usize) -> ImportReport {
    import(
        format,
        &[input.to_path_buf()],
        &dir.join("events"),
        &ImportOptions::default()
            .threads(2)
            .chunk_bytes(4096)
            .max_reported_bad_rows(keep),
    )
    .unwrap()
}

/// All Parquet files under `dir`, sorted.
pub fn parquet_files(dir: &Path) -> Vec<PathBuf> {
    if dir.is_file() {
        return vec![dir.to_path_buf()];
    }
    let mut out = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        for e in std::fs::read_dir(&d).unwrap() {
            let p = e.unwrap().path();
            if p.is_dir() {
                stack.push(p);
            } else if p.extension().is_some_and(|x| x == "parquet") {
                out.push(p);
            }
        }
    }
    out.sort();
    out
}

/// Every batch of every Parquet file under `dir`.
pub fn read_all(dir: &Path) -> Vec<RecordBatch> {
    parquet_files(dir)
        .into_iter()
        .flat_map(|p| {
            let f = std::fs::File::open(p).unwrap();
            ParquetRecordBatchReaderBuilder::try_new(f)
                .unwrap()
                .build()
                .unwrap()
                .map(|b| b.unwrap())
                .collect::<Vec<_>>()
        })
        .collect()
}

/// A gzip copy of `src` at `dst`.
pub fn gzip(src: &Path, dst: &Path) {
    use std::io::Write;
    let data = std::fs::read(src).unwrap();
    let mut e =
        flate2::write::GzEncoder::new(std::fs::File::create(dst).unwrap(), Default::default());
    e.write_all(&data).unwrap();
    e.finish().unwrap();
}
