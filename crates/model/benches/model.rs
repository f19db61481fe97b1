//! Criterion benchmarks, one group per phase: fit (NUTS on the case base), assess (the default
//! Belarus situation; 256 `probability` calls as in a scenario grid), loo (one exact leave-one-out
//! fold; the full evaluation runs one per case, two at a time on two cores).
//!
//! Run from the repository root: `cargo bench -p casus-model`.

use casus_model::{AssessOptions, ModelSpec};
use criterion::{Criterion, criterion_group, criterion_main};
use std::hint::black_box;
use std::path::PathBuf;

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../..")
}

fn benches(c: &mut Criterion) {
    let cases = casus_data::load_cases_dir(&root().join("data/cases")).expect("case base loads");
    let situation =
        casus_data::load_situation(&root().join("data/situations/belarus-2020-08-25.toml"))
            .expect("default situation");
    let spec = ModelSpec::default();
    let model = spec.fit(&cases).expect("fit");

    let mut g = c.benchmark_group("fit");
    g.sample_size(10);
    g.bench_function("nuts_4x2000_case_base", |b| {
        b.iter(|| black_box(spec.fit(&cases).unwrap()))
    });
    g.bench_function("map", |b| {
        b.iter(|| black_box(spec.fit_map(&cases).unwrap()))
    });
    g.finish();

    let mut g = c.benchmark_group("assess");
    g.bench_function("belarus_default", |b| {
        b.iter(|| {
            black_box(model.assess(
                &situation,
                &AssessOptions {
                    horizon_days: None,
                    seed: 1,
                },
            ))
        })
    });
    let grid: Vec<[f64; 18]> = (0..256)
        .map(|i| {
            let mut x = [0.5; 18];
            for (j, v) in x.iter_mut().enumerate() {
                *v = f64::from(((i >> (j % 8)) & 1) as u8);
            }
            x
        })
        .collect();
    g.bench_function("probability_x256", |b| {
        b.iter(|| {
            grid.iter()
                .map(|x| model.probability(black_box(x)))
                .sum::<f64>()
        })
    });
    g.finish();

    let mut g = c.benchmark_group("loo");
    g.sample_size(10);
    let held_out = &cases[0];
    let rest: Vec<_> = cases[1..].to_vec();
    g.bench_function("one_fold", |b| {
        b.iter(|| {
            let m = spec.fit(&rest).unwrap();
            black_box(
                m.assess(&held_out.situation, &AssessOptions::default())
                    .probability,
            )
        })
    });
    g.finish();
}

criterion_group!(model, benches);
criterion_main!(model);
