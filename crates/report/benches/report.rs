//! Explain one situation and render its HTML report (with the pair heat map), with the fitted model
//! (the built-in artifact, or `CASUS_MODEL=path/to/casus-model.json`). Target: well under 1 s.

use casus_explain::scenarios::pairs;
use casus_explain::{Catalogue, ExplainOptions, explain, fitted};
use casus_report::{Format, Report};
use criterion::{Criterion, criterion_group, criterion_main};
use std::path::Path;

fn bench(c: &mut Criterion) {
    let text = match std::env::var("CASUS_MODEL") {
        Ok(p) => std::fs::read_to_string(p).ok(),
        Err(_) => casus_data::builtin::model_json().map(str::to_string),
    };
    let Some(m) = text.and_then(|t| fitted::load(&t).ok()) else {
        eprintln!(
            "no fitted model (build data/model/casus-model.json or set CASUS_MODEL); skipped"
        );
        return;
    };
    let s = casus_data::builtin::default_situation().unwrap();
    let cases = casus_data::builtin::cases().unwrap();
    let moves = Catalogue::parse(
        Path::new("data/moves.toml"),
        casus_data::builtin::moves_toml().unwrap(),
    )
    .unwrap();
    let all: Vec<_> = moves.moves.iter().collect();
    let mut g = c.benchmark_group("report");
    g.sample_size(10);
    g.bench_function("explain_and_html_belarus", |b| {
        b.iter(|| {
            let x = explain(&m, &s, &cases, &moves, ExplainOptions::default());
            let p = pairs(&m, &s, &all);
            Report {
                explanation: &x,
                pairs: Some(&p),
                track_record: None,
            }
            .render(Format::Html)
        })
    });
    g.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
