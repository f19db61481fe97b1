//! The normalised event schema written to Parquet, and a columnar builder for it.

use std::sync::{Arc, LazyLock};

use datafusion::arrow::array::{
    ArrayBuilder, ArrayRef, Date32Builder, Float32Builder, Int8Builder, Int32Builder, RecordBatch,
    StringBuilder,
};
use datafusion::arrow::datatypes::{DataType, Field, Schema, SchemaRef};

use crate::error::{EventsError, Result};

/// Column names of the normalised event table, in order.
pub mod col {
    /// Event date (Date32).
    pub const DATE: &str = "date";
    /// ISO3 code of the source actor's country (nullable).
    pub const SOURCE_COUNTRY: &str = "source_country";
    /// CAMEO actor type of the source actor, e.g. GOV, MIL, OPP (nullable).
    pub const SOURCE_TYPE: &str = "source_type";
    /// ISO3 code of the target actor's country (nullable).
    pub const TARGET_COUNTRY: &str = "target_country";
    /// CAMEO actor type of the target actor (nullable).
    pub const TARGET_TYPE: &str = "target_type";
    /// CAMEO event code, two to four digits as text ("0211").
    pub const EVENT_CODE: &str = "event_code";
    /// CAMEO root code 1..=20 (Int8).
    pub const ROOT_CODE: &str = "root_code";
    /// Quad class 1..=4 (Int8).
    pub const QUAD_CLASS: &str = "quad_class";
    /// Goldstein value (Float32).
    pub const GOLDSTEIN: &str = "goldstein";
    /// Number of mentions (Int32; 1 for ICEWS).
    pub const MENTIONS: &str = "mentions";
    /// ISO3 code of the country where the event took place (nullable).
    pub const LOCATION_COUNTRY: &str = "location_country";
}

static SCHEMA: LazyLock<SchemaRef> = LazyLock::new(|| {
    Arc::new(Schema::new(vec![
        Field::new(col::DATE, DataType::Date32, false),
        Field::new(col::SOURCE_COUNTRY, DataType::Utf8, true),
        Field::new(col::SOURCE_TYPE, DataType::Utf8, true),
        Field::new(col::TARGET_COUNTRY, DataType::Utf8, true),
        Field::new(col::TARGET_TYPE, DataType::Utf8, true),
        Field::new(col::EVENT_CODE, DataType::Utf8, false),
        Field::new(col::ROOT_CODE, DataType::Int8, false),
        Field::new(col::QUAD_CLASS, DataType::Int8, false),
        Field::new(col::GOLDSTEIN, DataType::Float32, false),
        Field::new(col::MENTIONS, DataType::Int32, false),
        Field::new(col::LOCATION_COUNTRY, DataType::Utf8, true),
    ]))
});

/// The Arrow schema of normalised events (the Parquet files written by [`crate::import`]).
pub fn event_schema() -> SchemaRef {
    SCHEMA.clone()
}

/// One normalised event, borrowing its text from the input line.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) struct EventRow<'a> {
    /// Days since 1970-01-01.
    pub date: i32,
    pub source_country: Option<&'a str>,
    pub source_type: Option<&'a str>,
    pub target_country: Option<&'a str>,
    pub target_type: Option<&'a str>,
    pub event_code: &'a str,
    pub root: i8,
    pub quad: i8,
    pub goldstein: f32,
    pub mentions: i32,
    pub location_country: Option<&'a str>,
}

/// Column builders for a batch of events.
pub(crate) struct EventColumns {
    date: Date32Builder,
    source_country: StringBuilder,
    source_type: StringBuilder,
    target_country: StringBuilder,
    target_type: StringBuilder,
    event_code: StringBuilder,
    root: Int8Builder,
    quad: Int8Builder,
    goldstein: Float32Builder,
    mentions: Int32Builder,
    location_country: StringBuilder,
}

impl EventColumns {
    pub fn with_capacity(rows: usize) -> Self {
        let s = || StringBuilder::with_capacity(rows, rows * 3);
        EventColumns {
            date: Date32Builder::with_capacity(rows),
            source_country: s(),
            source_type: s(),
            target_country: s(),
            target_type: s(),
            event_code: StringBuilder::with_capacity(rows, rows * 4),
            root: Int8Builder::with_capacity(rows),
            quad: Int8Builder::with_capacity(rows),
            goldstein: Float32Builder::with_capacity(rows),
            mentions: Int32Builder::with_capacity(rows),
            location_country: s(),
        }
    }

    /// Rows pushed since the last [`EventColumns::finish`].
    pub fn len(&self) -> usize {
        self.date.len()
    }

    pub fn push(&mut self, r: &EventRow<'_>) {
        self.date.append_value(r.date);
        self.source_country.append_option(r.source_country);
        self.source_type.append_option(r.source_type);
        self.target_country.append_option(r.target_country);
        self.target_type.append_option(r.target_type);
        self.event_code.append_value(r.event_code);
        self.root.append_value(r.root);
        self.quad.append_value(r.quad);
        self.goldstein.append_value(r.goldstein);
        self.mentions.append_value(r.mentions);
        self.location_country.append_option(r.location_country);
    }

    pub fn finish(&mut self) -> Result<RecordBatch> {
        let columns: Vec<ArrayRef> = vec![
            Arc::new(self.date.finish()),
            Arc::new(self.source_country.finish()),
            Arc::new(self.source_type.finish()),
            Arc::new(self.target_country.finish()),
            Arc::new(self.target_type.finish()),
            Arc::new(self.event_code.finish()),
            Arc::new(self.root.finish()),
            Arc::new(self.quad.finish()),
            Arc::new(self.goldstein.finish()),
            Arc::new(self.mentions.finish()),
            Arc::new(self.location_country.finish()),
        ];
        RecordBatch::try_new(event_schema(), columns).map_err(|source| EventsError::Arrow {
            context: "building an event batch",
            source,
        })
    }
}
