//! Reports from casus explanations: one self-contained HTML file (inline CSS, inline SVG charts, a
//! text-size control, nothing fetched) and a Markdown twin with the same sections and numbers.
//!
//! ```
//! use casus_explain::{Catalogue, ExplainOptions, explain, fixture::FixtureModel};
//! use casus_report::{Format, Report};
//! let src = "id = \"x\"\npatron = \"RUS\"\ntarget = \"BLR\"\ncrisis_type = \"mass_protest\"\nas_of = 2020-08-25\n";
//! let s = casus_data::parse_situation(std::path::Path::new("x.toml"), src).unwrap();
//! let moves = Catalogue::parse(std::path::Path::new("m.toml"), casus_data::builtin::moves_toml().unwrap()).unwrap();
//! let x = explain(&FixtureModel::default(), &s, &[], &moves, ExplainOptions::default());
//! let html = Report { explanation: &x, pairs: None, track_record: None }.render(Format::Html);
//! assert!(html.starts_with("<!DOCTYPE html>") && html.contains("<svg"));
//! ```
//!
//! Charts are hand-written SVG ([`charts`]); every chart is parsed as XML in the tests.

pub mod atom;
pub mod charts;
mod history;
mod html;
mod markdown;
mod sentences;
pub mod svg;
mod track;

use casus_explain::Explanation;
use casus_explain::scenarios::PairGrid;
pub use history::{band_move_text, history_text};
pub use sentences::{Sentences, sentences};
pub use track::{ReliabilitySeries, TrackRecord};

/// Report format.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    Html,
    Markdown,
}

/// What goes into a report.
#[derive(Debug, Clone, Copy)]
pub struct Report<'a> {
    pub explanation: &'a Explanation,
    /// The pair grid for the scenario heat map (omitted when None).
    pub pairs: Option<&'a PairGrid>,
    /// The model's held-out track record (the section is omitted when None).
    pub track_record: Option<&'a TrackRecord>,
}

impl Report<'_> {
    /// Render in a format.
    pub fn render(&self, format: Format) -> String {
        match format {
            Format::Html => html::render(self),
            Format::Markdown => markdown::render(self),
        }
    }
}
