//! Developer tool: fit (and with `--loo` evaluate) on data/cases and print the posterior summary.
//! Usage from the repository root:
//! `cargo run --release -p casus-model --example dev_eval -- [--loo] [--write PATH]`.

use casus_model::{AssessOptions, ModelSpec};
use std::time::Instant;

fn main() {
    let args: Vec<String> = std::env::args().collect();
    let cases = casus_data::load_cases_dir(std::path::Path::new("data/cases")).unwrap();
    println!(
        "{} cases, {} force",
        cases.len(),
        cases.iter().filter(|c| c.outcome.force).count()
    );
    let spec = ModelSpec::default();
    let t = Instant::now();
    let m = spec.fit(&cases).unwrap();
    let d = m.diagnostics();
    println!(
        "fit {:.2}s: max R-hat {:.4}, min ESS {:.0}, divergences {}, leapfrog/draw {:.1}",
        t.elapsed().as_secs_f64(),
        d.max_rhat,
        d.min_ess,
        d.divergences,
        d.mean_leapfrog_steps
    );
    for p in &d.parameters {
        println!(
            "  {:32} {:7.3} ± {:.3}  rhat {:.3} ess {:.0}",
            p.name, p.mean, p.sd, p.rhat, p.ess
        );
    }
    let json = m.to_json();
    println!("artifact {} bytes", json.len());
    if let Some(i) = args.iter().position(|a| a == "--write") {
        std::fs::write(&args[i + 1], &json).unwrap();
    }
    for c in cases.iter().filter(|c| c.id() == "RUS-UKR-2014") {
        let a = m.assess(&c.situation, &AssessOptions::default());
        println!("in-sample UKR 2014: {:.3} {:?}", a.probability, a.interval);
    }
    if args.iter().any(|a| a == "--loo") {
        let t = Instant::now();
        let e = casus_model::evaluate(&cases, &spec).unwrap();
        println!("LOO {:.1}s", t.elapsed().as_secs_f64());
        println!(
            "{}",
            serde_json::to_string_pretty(&(&e.model, &e.baselines, &e.notes)).unwrap()
        );
    }
}
