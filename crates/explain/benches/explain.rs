//! Explain one situation, and a grid of 256 scenarios (8 moves), with the fitted model (the built-in
//! artifact, or `CASUS_MODEL=path/to/casus-model.json`). Targets: each well under 1 s.

use casus_explain::scenarios::grid;
use casus_explain::{Catalogue, ExplainOptions, explain, fitted};
use criterion::{Criterion, criterion_group, criterion_main};
use std::path::Path;

fn model() -> Option<casus_model::FittedModel> {
    let text = match std::env::var("CASUS_MODEL") {
        Ok(p) => std::fs::read_to_string(p).ok()?,
        Err(_) => casus_data::builtin::model_json()?.to_string(),
    };
    fitted::load(&text).ok()
}

fn bench(c: &mut Criterion) {
    let Some(m) = model() else {
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
    let all: Vec<_> = moves.moves.iter().take(8).collect();
    let mut g = c.benchmark_group("explain");
    g.sample_size(10);
    g.bench_function("explain_belarus", |b| {
        b.iter(|| explain(&m, &s, &cases, &moves, ExplainOptions::default()))
    });
    g.bench_function("grid_256_scenarios", |b| {
        b.iter(|| grid(&m, &s, &all).unwrap())
    });
    g.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
