//! The model choices tried for the lead-time evaluation (issue 9), scored by forward chaining only:
//! fit on crises that began before 1990, 2000 and 2010 and score the next decade's snapshots. No
//! choice is made on leave-one-out scores. Also prints each variant's coding sensitivity (one step
//! of 0.25 on one factor) over the case base, from a fit on every crisis.
//!
//! Usage from the repository root: `cargo run -p casus-model --example variants` (the dev profile already
//! optimises the model crates).
//!
//! The second round (context effects, after the first round's chosen prior) was fixed before any
//! of it was scored, with its rule of choice: the lowest pooled forward-chaining Brier score wins,
//! and a variant with more effects must beat a simpler one by more than 0.003 (the spread of the
//! first round's near-equal variants) to be preferred to it.

use casus_model::eval::{self, evaluate_forward, sensitivity_summary};
use casus_model::{ModelSpec, Priors};

fn main() {
    let cases = casus_data::load_cases_dir(std::path::Path::new("data/cases"))
        .unwrap_or_else(|e| panic!("cannot load data/cases: {e}"));
    let base = ModelSpec::default();
    // The first round's choice, the base of the second round.
    let hard = Priors {
        hard_signs: true,
        tau_scale: 0.5,
        type_intercept_scale: 0.0,
        type_signal_scale: 0.0,
        patron_scale: 0.0,
        ..base.priors
    };
    let variants: Vec<(&str, Priors)> = vec![
        (
            "soft signs, mu 1, tau 1",
            Priors {
                hard_signs: false,
                tau_scale: 1.0,
                ..hard
            },
        ),
        (
            "soft signs, tau 0.5",
            Priors {
                hard_signs: false,
                tau_scale: 0.5,
                ..hard
            },
        ),
        (
            "soft signs, mu 0.5, tau 0.5",
            Priors {
                hard_signs: false,
                mu_scale: 0.5,
                tau_scale: 0.5,
                ..hard
            },
        ),
        (
            "hard signs, mu 1, tau 1",
            Priors {
                hard_signs: true,
                tau_scale: 1.0,
                ..hard
            },
        ),
        (
            "hard signs, tau 0.5",
            Priors {
                hard_signs: true,
                tau_scale: 0.5,
                ..hard
            },
        ),
        (
            "hard signs, mu 0.5, tau 0.5",
            Priors {
                hard_signs: true,
                mu_scale: 0.5,
                tau_scale: 0.5,
                ..hard
            },
        ),
        (
            "unsigned (no theory signs, tau 0.5)",
            Priors {
                signed: false,
                ..hard
            },
        ),
        // Second round: context effects on top of the first round's choice.
        (
            "+ crisis-type intercepts",
            Priors {
                type_intercept_scale: 0.5,
                ..hard
            },
        ),
        (
            "+ type intercepts, type signals",
            Priors {
                type_intercept_scale: 0.5,
                type_signal_scale: 0.5,
                ..hard
            },
        ),
        (
            "+ patron intercepts",
            Priors {
                patron_scale: 0.5,
                ..hard
            },
        ),
        (
            "+ type and patron intercepts",
            Priors {
                type_intercept_scale: 0.5,
                patron_scale: 0.5,
                ..hard
            },
        ),
        (
            "+ all three",
            Priors {
                type_intercept_scale: 0.5,
                type_signal_scale: 0.5,
                patron_scale: 0.5,
                ..hard
            },
        ),
    ];
    println!(
        "{:<30} {:>7} {:>8} {:>6} {:>10} {:>9} {:>8} {:>8}",
        "variant", "Brier", "logloss", "AUC", "Brier/base", "alarms", "AUC>30d", "sens med/worst"
    );
    let only = std::env::args().nth(1);
    for (name, priors) in variants {
        if only.as_deref().is_some_and(|o| !name.contains(o)) {
            continue;
        }
        let spec = ModelSpec {
            priors,
            ..base.clone()
        };
        let fc = evaluate_forward(&cases, &spec)
            .expect("forward chaining")
            .expect("no forward block had enough crises");
        let base_rate = fc.pooled_baselines["base_rate"].brier;
        let fa = &fc.pooled_slices.false_alarms;
        let early = fc.pooled_slices.early_warning.as_ref().and_then(|s| s.auc);
        let fitted = spec.fit(&cases).expect("fit");
        let sens = sensitivity_summary(&fitted, &cases);
        println!(
            "{:<30} {:>7.4} {:>8.4} {:>6.3} {:>10.3} {:>4}/{:<4} {:>8} {:>5.2}/{:.2} ({})",
            name,
            fc.pooled_model.brier,
            fc.pooled_model.log_loss,
            fc.pooled_model.auc,
            fc.pooled_model.brier / base_rate,
            fa.alarms,
            fa.n,
            early.map_or("-".into(), |a| format!("{a:.3}")),
            sens.median_ratio,
            sens.worst_factor_median_ratio,
            sens.worst_factor
        );
    }
    println!("\nbaselines (pooled forward chaining):");
    let fc = evaluate_forward(&cases, &base).unwrap().unwrap();
    for name in eval::BASELINES {
        let s = &fc.pooled_baselines[name];
        println!(
            "  {name:<28} {:>7.4} {:>8.4} {:>6.3}",
            s.brier, s.log_loss, s.auc
        );
    }
}
