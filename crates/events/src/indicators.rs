//! Dyad-day indicators: event counts and Goldstein sums per indicator family, computed with SQL
//! over the imported Parquet in DataFusion.
//!
//! The SQL text comes from one function, [`indicators_sql`], so that the same query can run on an
//! Apache Ballista cluster: register the event directory there as a table named [`EVENTS_TABLE`]
//! with the `month` partition column (see [`register_events`]) and run the same string.

use std::fs::File;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use datafusion::arrow::array::RecordBatch;
use datafusion::arrow::datatypes::DataType;
use datafusion::dataframe::DataFrame;
use datafusion::datasource::file_format::parquet::ParquetFormat;
use datafusion::datasource::listing::{
    ListingOptions, ListingTable, ListingTableConfig, ListingTableUrl,
};
use datafusion::execution::runtime_env::RuntimeEnvBuilder;
use datafusion::parquet::arrow::ArrowWriter;
use datafusion::prelude::{SessionConfig, SessionContext};
use futures::StreamExt;
use serde::Serialize;

use crate::collection::import_roots;
use crate::error::{EventsError, Result};
pub use crate::family::Family;
use crate::rollup::dyad_day_schema;
use crate::schema::event_schema;

/// The table name the indicator SQL over the events reads from.
pub const EVENTS_TABLE: &str = "events";

/// The table name of the dyad-day rollup.
pub const DYAD_DAYS_TABLE: &str = "dyad_days";

// The layout of an import folder belongs to `collection`; named here too for the import's writer.
pub(crate) use crate::collection::{DYAD_DAYS_SUBDIR, EVENTS_SUBDIR};

/// Check that `dir` (a local path or `s3://bucket/prefix`) is one import or a folder of imports
/// with no file imported twice; returns how many imports it holds.
pub fn check_event_dir(dir: &Path) -> Result<usize> {
    if let Some(s3) = crate::s3::S3Path::from_path(dir)? {
        return crate::s3::block_on(|| async move {
            crate::s3::import_roots(&s3).await.map(|r| r.len())
        });
    }
    import_roots(dir).map(|r| r.len())
}

/// The SQL `CASE` expression that names an event's family (NULL for events in none).
pub fn family_case_sql() -> String {
    let mut s = String::from("CASE");
    for f in Family::ALL {
        s.push_str(&format!(
            "\n      WHEN {} THEN '{}'",
            f.sql_condition(),
            f.name()
        ));
    }
    s.push_str("\n    END");
    s
}

/// Which dyad-days to compute. All filters are optional; empty lists mean "any".
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct IndicatorQuery {
    /// First day included, `YYYY-MM-DD`.
    pub from: Option<String>,
    /// Last day included, `YYYY-MM-DD`.
    pub to: Option<String>,
    /// Source countries (ISO3) to keep.
    pub sources: Vec<String>,
    /// Target countries (ISO3) to keep.
    pub targets: Vec<String>,
    /// Families to keep.
    pub families: Vec<Family>,
    /// Recompute from the event table even when the import's dyad-day rollup is there
    /// (slower; the same rows, which is how the rollup is checked).
    pub from_events: bool,
}

impl IndicatorQuery {
    /// Keep days from `from` (`YYYY-MM-DD`) on.
    pub fn from(mut self, day: &str) -> Self {
        self.from = Some(day.to_string());
        self
    }
    /// Keep days up to and including `to` (`YYYY-MM-DD`).
    pub fn to(mut self, day: &str) -> Self {
        self.to = Some(day.to_string());
        self
    }
    /// Keep these source countries.
    pub fn sources<S: AsRef<str>>(mut self, iso3: &[S]) -> Self {
        self.sources = iso3.iter().map(|s| s.as_ref().to_string()).collect();
        self
    }
    /// Keep these target countries.
    pub fn targets<S: AsRef<str>>(mut self, iso3: &[S]) -> Self {
        self.targets = iso3.iter().map(|s| s.as_ref().to_string()).collect();
        self
    }
    /// Keep these families.
    pub fn families(mut self, families: &[Family]) -> Self {
        self.families = families.to_vec();
        self
    }
    /// Recompute from the events rather than read the dyad-day rollup.
    pub fn from_events(mut self, yes: bool) -> Self {
        self.from_events = yes;
        self
    }

    fn validate(&self) -> Result<()> {
        for (name, day) in [("from", &self.from), ("to", &self.to)] {
            if let Some(d) = day
                && crate::parse::parse_date(d.as_bytes()).is_none_or(|_| d.len() != 10)
            {
                return Err(EventsError::InvalidQuery {
                    name,
                    value: d.clone(),
                    reason: "expected a date YYYY-MM-DD",
                });
            }
        }
        for (name, list) in [("sources", &self.sources), ("targets", &self.targets)] {
            if let Some(bad) = list
                .iter()
                .find(|c| c.len() != 3 || !c.bytes().all(|b| b.is_ascii_uppercase()))
            {
                return Err(EventsError::InvalidQuery {
                    name,
                    value: bad.clone(),
                    reason: "expected an ISO3 code of three capital letters",
                });
            }
        }
        Ok(())
    }
}

fn quoted_list(items: impl IntoIterator<Item = String>) -> String {
    items
        .into_iter()
        .map(|s| format!("'{s}'"))
        .collect::<Vec<_>>()
        .join(", ")
}

/// The WHERE conditions of `query` on date (with month pruning) and countries.
fn key_filters(query: &IndicatorQuery) -> Vec<String> {
    let mut filters = Vec::new();
    if let Some(from) = &query.from {
        filters.push(format!("date >= DATE '{from}'"));
        filters.push(format!("month >= '{}'", &from[..7]));
    }
    if let Some(to) = &query.to {
        filters.push(format!("date <= DATE '{to}'"));
        filters.push(format!("month <= '{}'", &to[..7]));
    }
    if !query.sources.is_empty() {
        filters.push(format!(
            "source_country IN ({})",
            quoted_list(query.sources.iter().cloned())
        ));
    }
    if !query.targets.is_empty() {
        filters.push(format!(
            "target_country IN ({})",
            quoted_list(query.targets.iter().cloned())
        ));
    }
    filters
}

fn family_filter(query: &IndicatorQuery) -> String {
    if query.families.is_empty() {
        "family IS NOT NULL".to_string()
    } else {
        format!(
            "family IN ({})",
            quoted_list(query.families.iter().map(|f| f.name().to_string()))
        )
    }
}

const ORDER: &str = "ORDER BY date, source_country NULLS FIRST, target_country NULLS FIRST, family";

/// The indicator SQL for `query`, over the table [`EVENTS_TABLE`] with the event schema plus the
/// `month` partition column (`YYYY-MM`, used only to prune files).
///
/// Output columns: `date` (DATE), `source_country`, `target_country` (ISO3, NULL when unknown),
/// `family`, `events` (count), `mentions` (sum), `goldstein_sum` (sum, exact in tenths: values are
/// summed as integers of tenths so that the result does not depend on the order of summation;
/// the ±0.25 before the cast gives the same integer whether an engine's float-to-integer cast
/// truncates, like DataFusion's, or rounds, like DuckDB's).
///
/// The text uses only portable SQL (CASE, IN, CAST, COUNT, SUM, DATE literals, NULLS FIRST):
/// DataFusion, Ballista and DuckDB run it unchanged.
/// Rows are ordered by all four keys, NULLs first, so two runs compare line by line.
pub fn indicators_sql(query: &IndicatorQuery) -> Result<String> {
    query.validate()?;
    let filters = key_filters(query);
    let inner_where = if filters.is_empty() {
        String::new()
    } else {
        format!("\n  WHERE {}", filters.join("\n    AND "))
    };
    Ok(format!(
        "SELECT date, source_country, target_country, family,
  COUNT(*) AS events,
  SUM(CAST(mentions AS BIGINT)) AS mentions,
  CAST(SUM(goldstein_tenths) AS DOUBLE) / 10.0 AS goldstein_sum
FROM (
  SELECT date, source_country, target_country, mentions,
    CASE WHEN goldstein >= 0 THEN CAST(goldstein * 10 + 0.25 AS BIGINT)
         ELSE CAST(goldstein * 10 - 0.25 AS BIGINT) END AS goldstein_tenths,
    {case} AS family
  FROM {table}{inner_where}
) classified
WHERE {family_filter}
GROUP BY date, source_country, target_country, family
{ORDER}",
        case = family_case_sql(),
        table = EVENTS_TABLE,
        family_filter = family_filter(query),
    ))
}

/// The same indicators as [`indicators_sql`], from the import's dyad-day rollup (table
/// [`DYAD_DAYS_TABLE`], schema [`crate::dyad_day_schema`] plus `month`): the partial sums that
/// import workers wrote are added up. Same columns, types and row order.
pub fn dyad_days_sql(query: &IndicatorQuery) -> Result<String> {
    query.validate()?;
    let mut filters = key_filters(query);
    if !query.families.is_empty() {
        filters.push(family_filter(query));
    }
    let where_clause = if filters.is_empty() {
        String::new()
    } else {
        format!("\nWHERE {}", filters.join("\n  AND "))
    };
    Ok(format!(
        "SELECT date, source_country, target_country, family,
  CAST(SUM(events) AS BIGINT) AS events,
  CAST(SUM(mentions) AS BIGINT) AS mentions,
  CAST(SUM(goldstein_tenths) AS DOUBLE) / 10.0 AS goldstein_sum
FROM {table}{where_clause}
GROUP BY date, source_country, target_country, family
{ORDER}",
        table = DYAD_DAYS_TABLE,
    ))
}

/// The directory URLs of one table (`events` or `dyad_days`) in each import `dir` stands for
/// (one import or a folder of them, on disk or on S3); `None` when an import lacks the table.
async fn table_urls(dir: &Path, sub: &str) -> Result<Option<Vec<ListingTableUrl>>> {
    let parse = |url: &str| {
        ListingTableUrl::parse(url).map_err(|e| EventsError::query("registering an event table", e))
    };
    if let Some(s3) = crate::s3::S3Path::from_path(dir)? {
        let imports = crate::s3::import_roots(&s3).await?;
        if imports.iter().any(|i| !i.tables.contains(sub)) {
            return Ok(None);
        }
        return imports
            .iter()
            .map(|i| parse(&i.at.child(sub).folder_url()))
            .collect::<Result<Vec<_>>>()
            .map(Some);
    }
    let mut urls = Vec::new();
    for root in import_roots(dir)? {
        let table = root.join(sub);
        if !table.is_dir() {
            return Ok(None);
        }
        let mut path = table
            .canonicalize()
            .map_err(|source| EventsError::Read {
                path: table.clone(),
                source,
            })?
            .to_string_lossy()
            .into_owned();
        if !path.ends_with('/') {
            path.push('/');
        }
        urls.push(parse(&path)?);
    }
    Ok(Some(urls))
}

/// Register the Parquet under `urls` (each with `month=YYYY-MM` partitions) as table `name`.
fn register_table(
    ctx: &SessionContext,
    name: &str,
    urls: Vec<ListingTableUrl>,
    schema: datafusion::arrow::datatypes::SchemaRef,
) -> Result<()> {
    let err = |e| EventsError::query("registering an event table", e);
    let options = ListingOptions::new(Arc::new(ParquetFormat::default()))
        .with_file_extension(".parquet")
        .with_table_partition_cols(vec![("month".to_string(), DataType::Utf8)]);
    let config = ListingTableConfig::new_with_multi_paths(urls)
        .with_listing_options(options)
        .with_schema(schema);
    let table = ListingTable::try_new(config)
        .map_err(err)?
        .with_cache(ctx.runtime_env().cache_manager.get_file_statistic_cache());
    ctx.register_table(name, Arc::new(table)).map_err(err)?;
    Ok(())
}

/// Register the events of an imported directory as table `name` on a DataFusion (or Ballista)
/// context, with the `month` partition column. `events_dir` is one import (`events_dir/events/`)
/// or a folder of imports, read as one table.
pub async fn register_events(ctx: &SessionContext, name: &str, events_dir: &Path) -> Result<()> {
    let urls = table_urls(events_dir, EVENTS_SUBDIR)
        .await?
        .ok_or_else(|| EventsError::NotAnEventDir {
            path: events_dir.to_path_buf(),
        })?;
    register_table(ctx, name, urls, event_schema())
}

/// Register what the indicators of `query` will be read from: the dyad-day rollup as
/// [`DYAD_DAYS_TABLE`] when every import has one and the query does not ask for the events,
/// else the events as [`EVENTS_TABLE`]. Returns the SQL to run.
pub async fn register_indicator_source(
    ctx: &SessionContext,
    events_dir: &Path,
    query: &IndicatorQuery,
) -> Result<String> {
    register_events(ctx, EVENTS_TABLE, events_dir).await?;
    match table_urls(events_dir, DYAD_DAYS_SUBDIR).await? {
        Some(urls) if !query.from_events => {
            register_table(ctx, DYAD_DAYS_TABLE, urls, dyad_day_schema())?;
            dyad_days_sql(query)
        }
        _ => indicators_sql(query),
    }
}

fn runtime(threads: usize) -> Result<tokio::runtime::Runtime> {
    tokio::runtime::Builder::new_multi_thread()
        .worker_threads(threads.max(1))
        .enable_all()
        .build()
        .map_err(|source| EventsError::Write {
            path: PathBuf::from("<tokio runtime>"),
            source,
        })
}

fn context(threads: usize) -> Result<SessionContext> {
    let config = SessionConfig::new().with_target_partitions(threads.max(1));
    let runtime = RuntimeEnvBuilder::new()
        .with_object_store_registry(Arc::new(crate::s3::EnvObjectStoreRegistry::new()))
        .build()
        .map_err(|e| EventsError::query("starting the query engine", e))?;
    Ok(SessionContext::new_with_config_rt(
        config,
        Arc::new(runtime),
    ))
}

fn default_threads() -> usize {
    std::thread::available_parallelism().map_or(2, |n| n.get())
}

/// Plan the indicators of `query` over `events_dir` on a local context and hand the DataFrame
/// to `then`, inside a runtime with one worker per core.
fn with_indicator_frame<T, F>(events_dir: &Path, query: &IndicatorQuery, then: F) -> Result<T>
where
    F: AsyncFnOnce(DataFrame) -> Result<T>,
{
    query.validate()?;
    let threads = default_threads();
    runtime(threads)?.block_on(async {
        let ctx = context(threads)?;
        let sql = register_indicator_source(&ctx, events_dir, query).await?;
        let df = ctx
            .sql(&sql)
            .await
            .map_err(|e| EventsError::query("planning the indicator query", e))?;
        then(df).await
    })
}

/// Compute indicators over an imported event directory and return them as record batches.
pub fn indicators(events_dir: &Path, query: &IndicatorQuery) -> Result<Vec<RecordBatch>> {
    with_indicator_frame(events_dir, query, async |df: DataFrame| {
        df.collect()
            .await
            .map_err(|e| EventsError::query("running the indicator query", e))
    })
}

/// Output file kind, chosen by extension.
enum OutKind {
    Csv,
    Parquet,
}

/// Check that `out` names a `.csv` or `.parquet` file, the formats [`write_dataframe`] writes.
pub fn check_output_path(out: &Path) -> Result<()> {
    out_kind(out).map(|_| ())
}

fn out_kind(out: &Path) -> Result<OutKind> {
    match out.extension().and_then(|e| e.to_str()) {
        Some(e) if e.eq_ignore_ascii_case("csv") => Ok(OutKind::Csv),
        Some(e) if e.eq_ignore_ascii_case("parquet") => Ok(OutKind::Parquet),
        _ => Err(EventsError::OutputExtension {
            path: out.to_path_buf(),
        }),
    }
}

/// Compute indicators and write them to `out` — CSV for `.csv`, Parquet for `.parquet` —
/// streaming the result. The file appears only when complete. Returns the number of rows.
pub fn write_indicators(events_dir: &Path, query: &IndicatorQuery, out: &Path) -> Result<u64> {
    check_output_path(out)?;
    with_indicator_frame(events_dir, query, async |df: DataFrame| {
        write_dataframe(df, out).await
    })
}

/// Run `df` and write its rows to `out` — CSV with a header for `.csv`, Parquet for `.parquet` —
/// streaming them as they come. The file appears only when complete: rows go to a temporary
/// file beside it, renamed at the end and removed on error. Returns the number of rows.
///
/// The embedded run and a Ballista cluster's (casus-cluster) both write through this, so their
/// files are the same byte for byte.
pub async fn write_dataframe(df: DataFrame, out: &Path) -> Result<u64> {
    let kind = out_kind(out)?;
    let write_err = |source| EventsError::Write {
        path: out.to_path_buf(),
        source,
    };
    // Dropped on an error, the temporary file goes with it.
    let file = casus_core::AtomicFile::create(out).map_err(write_err)?;
    let rows = stream_to(df, kind, file.file(), out).await?;
    file.commit().map_err(write_err)?;
    Ok(rows)
}

async fn stream_to(df: DataFrame, kind: OutKind, file: &File, out: &Path) -> Result<u64> {
    let write_err = |source| EventsError::Write {
        path: out.to_path_buf(),
        source,
    };
    let run_err = |e| EventsError::query("running the indicator query", e);
    let schema = Arc::new(df.schema().as_arrow().clone());
    let mut stream = df.execute_stream().await.map_err(run_err)?;
    let mut rows = 0u64;
    match kind {
        OutKind::Csv => {
            let mut w = datafusion::arrow::csv::WriterBuilder::new()
                .with_header(true)
                .build(std::io::BufWriter::new(file));
            while let Some(batch) = stream.next().await {
                let batch = batch.map_err(run_err)?;
                rows += batch.num_rows() as u64;
                w.write(&batch).map_err(|source| EventsError::Arrow {
                    context: "writing indicator CSV",
                    source,
                })?;
            }
            let inner = w.into_inner();
            inner.into_inner().map_err(|e| write_err(e.into_error()))?;
        }
        OutKind::Parquet => {
            let parquet_err = |source| EventsError::Parquet {
                path: out.to_path_buf(),
                source,
            };
            let mut w = ArrowWriter::try_new(file, schema, None).map_err(parquet_err)?;
            while let Some(batch) = stream.next().await {
                let batch = batch.map_err(run_err)?;
                rows += batch.num_rows() as u64;
                w.write(&batch).map_err(parquet_err)?;
            }
            w.close().map_err(parquet_err)?;
        }
    }
    Ok(rows)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sql_has_filters_and_stable_order() {
        let q = IndicatorQuery::default()
            .from("2014-01-01")
            .to("2014-03-31")
            .sources(&["RUS"])
            .targets(&["UKR"])
            .families(&[Family::Threat, Family::ForcePosture]);
        let sql = indicators_sql(&q).unwrap();
        assert!(sql.contains("date >= DATE '2014-01-01'"));
        assert!(sql.contains("month <= '2014-03'"));
        assert!(sql.contains("source_country IN ('RUS')"));
        assert!(sql.contains("family IN ('threat', 'force_posture')"));
        assert!(sql.contains("ORDER BY date, source_country NULLS FIRST"));
    }

    #[test]
    fn bad_query_values_are_rejected() {
        let bad = IndicatorQuery::default().sources(&["RUS'; DROP"]);
        assert!(indicators_sql(&bad).is_err());
        assert!(indicators_sql(&IndicatorQuery::default().from("2014-1-1")).is_err());
        assert!("nonsense".parse::<Family>().is_err());
        assert_eq!("protest".parse::<Family>().unwrap(), Family::Protest);
    }

    #[test]
    fn case_lists_families_in_precedence_order() {
        let case = family_case_sql();
        let pos = |f: Family| case.find(&format!("'{}'", f.name())).unwrap();
        assert!(pos(Family::MassViolence) < pos(Family::ArmedViolence));
        assert!(pos(Family::RivalSupport) < pos(Family::Cooperation));
    }
}
