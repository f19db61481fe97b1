//! Reports: every SVG parses as XML, the HTML is self-contained, the Markdown has the same sections,
//! and writing is atomic.

use casus_explain::fixture::FixtureModel;
use casus_explain::scenarios::pairs;
use casus_explain::{Catalogue, ExplainOptions, explain};
use casus_report::{Format, Report};
use std::path::Path;

fn render(format: Format) -> String {
    let fx = Path::new(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../explain/tests/fixtures"
    ));
    let s = casus_data::load_situation(&fx.join("belarus.toml")).unwrap();
    let cases = casus_data::load_cases_dir(&fx.join("cases")).unwrap();
    let moves = Catalogue::parse(
        Path::new("data/moves.toml"),
        casus_data::builtin::moves_toml().unwrap(),
    )
    .unwrap();
    let m = FixtureModel::default();
    let x = explain(&m, &s, &cases, &moves, ExplainOptions::default());
    let all: Vec<_> = moves.moves.iter().collect();
    let g = pairs(&m, &s, &all);
    Report {
        explanation: &x,
        pairs: Some(&g),
        track_record: Some(&track_record()),
    }
    .render(format)
}

/// A made-up track record: the report draws whatever the saved evaluation holds.
fn track_record() -> casus_report::TrackRecord {
    let bins = |shift: f64| {
        (0..5)
            .map(|i| {
                let lo = f64::from(i) / 5.0;
                casus_core::metrics::CalibrationBin {
                    lower: lo,
                    upper: lo + 0.2,
                    n: 10 + i as usize,
                    mean_predicted: Some(lo + 0.1),
                    observed_rate: (i != 3).then_some((lo + shift).min(1.0)),
                }
            })
            .collect()
    };
    casus_report::TrackRecord {
        model: "test-model 1".into(),
        n_crises: 100,
        series: vec![
            casus_report::ReliabilitySeries {
                name: "leave one crisis out".into(),
                n: 60,
                brier: 0.13,
                base_rate_brier: 0.24,
                bins: bins(0.05),
            },
            casus_report::ReliabilitySeries {
                name: "forward chaining by decade".into(),
                n: 40,
                brier: 0.15,
                base_rate_brier: 0.25,
                bins: bins(0.1),
            },
        ],
        false_alarms: Some((3, 23)),
    }
}

fn svgs(html: &str) -> Vec<&str> {
    let mut out = Vec::new();
    let mut rest = html;
    while let Some(i) = rest.find("<svg") {
        let j = rest[i..].find("</svg>").expect("unclosed svg") + i + "</svg>".len();
        out.push(&rest[i..j]);
        rest = &rest[j..];
    }
    out
}

#[test]
fn every_svg_parses_and_has_a_title() {
    let html = render(Format::Html);
    let all = svgs(&html);
    assert_eq!(
        all.len(),
        6,
        "gauge, path, waterfall, analogues, heat map, reliability"
    );
    for svg in all {
        let doc = roxmltree::Document::parse(svg).unwrap_or_else(|e| panic!("{e}\n{svg}"));
        let root = doc.root_element();
        assert_eq!(root.tag_name().name(), "svg");
        assert!(root.attribute("viewBox").is_some());
        assert!(root.children().any(|c| c.has_tag_name("title")), "no title");
        assert!(
            root.descendants().filter(|n| n.is_element()).count() > 10,
            "chart is nearly empty"
        );
    }
}

#[test]
fn html_is_self_contained() {
    let html = render(Format::Html);
    for bad in ["<script src", "<link", "<img", "@import", "url(", "<iframe"] {
        assert!(!html.contains(bad), "{bad}");
    }
    for needed in [
        "A-",
        "A+",
        "<style>",
        "<script>",
        "Why would Russia intervene?",
        "How likely is an intervention?",
        "What can be done?",
        "Where the data disagree with the theory",
        "Evidence and sources",
    ] {
        assert!(html.contains(needed), "{needed}");
    }
}

#[test]
fn markdown_twin_has_the_same_sections() {
    let md = render(Format::Markdown);
    for h in [
        "## Why would Russia intervene?",
        "## How likely is an intervention?",
        "### The escalation path",
        "### Restraints",
        "### Historical analogues",
        "## Signposts",
        "## What can be done?",
        "### Scenarios: pairs of moves",
        "## Where the data disagree with the theory",
        "## How far to trust the model",
        "## Evidence and sources",
    ] {
        assert!(md.contains(h), "{h}");
        let html_heading = h.trim_start_matches('#').trim();
        assert!(
            render(Format::Html).contains(html_heading),
            "HTML lacks {html_heading}"
        );
    }
    // No false precision: probabilities are whole percents.
    assert!(!md.contains(".5%") && !md.contains(".0%"));
}
