//! Integration tests of casus-events: one binary, a module per topic.

mod common;
mod import_roundtrip;
mod indicators;
mod readers;
mod real_data;
