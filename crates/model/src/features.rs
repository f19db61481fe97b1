//! The design: from the eighteen factors to the model's features.
//!
//! The model is a logistic regression on 21 features, each centred at its value in the *midpoint
//! situation* (every factor at 0.5), so the intercept is the log-odds of force there:
//!
//! | # | feature | definition | prior sign |
//! |---|---|---|---|
//! | 0–17 | main effects | `x_j − 0.5` for every factor | docs/theory.md's sign (`ally_incumbent`: none) |
//! | 18 | propping path | `ally · threat`, `threat = mean(1 − in_control, repression_failed, security_defection, invitation)` | + |
//! | 19 | hostile-capital path | `(1 − ally · in_control) · stakes`, `stakes = mean(reorientation, rival_support, membership_prospect, strategic_assets)` | + |
//! | 20 | ally in charge ("can afford to wait") | `ally · in_control` | − |
//!
//! `1 − ally · in_control` is how far the capital is out of friendly hands: a hostile incumbent
//! (Georgia 2008) or an allied incumbent who has been swept away (Ukraine 2014). The two path terms
//! let `ally_incumbent` raise the risk when an ally is threatened and lower it when a hostile
//! government holds high stakes — what a single signed weight cannot do (docs/theory.md, *Direction*).

use casus_core::{Factor, Sign};

/// Number of factors.
pub const NX: usize = Factor::COUNT;
/// Number of features (and of slope coefficients).
pub const NF: usize = 21;

const A: usize = 0; // ally_incumbent
const REO: usize = 2;
const RIV: usize = 3;
const MEM: usize = 4;
const AST: usize = 5;
const REP: usize = 8;
const DEF: usize = 9;
const C: usize = 11; // incumbent_in_control
const INV: usize = 16;

/// Index of the propping-path feature.
pub const PROP: usize = 18;
/// Index of the hostile-capital-path feature.
pub const HOSTILE: usize = 19;
/// Index of the ally-in-charge feature.
pub const WAIT: usize = 20;

const THREAT: [usize; 3] = [REP, DEF, INV]; // plus 1 − in_control
const STAKES: [usize; 4] = [REO, RIV, MEM, AST];

/// Feature names, for diagnostics and the artifact.
pub fn feature_names() -> [String; NF] {
    let mut out: [String; NF] = Default::default();
    for f in Factor::ALL {
        out[f.index()] = f.name().to_string();
    }
    out[PROP] = "path_prop_up_ally".into();
    out[HOSTILE] = "path_hostile_capital".into();
    out[WAIT] = "ally_in_charge".into();
    out
}

/// The prior sign of each feature's coefficient: +1, +0.5 (weak), −1, or 0 (no expected sign).
pub fn prior_signs() -> [f64; NF] {
    let mut s = [0.0; NF];
    for f in Factor::ALL {
        s[f.index()] = match f.sign() {
            Sign::Positive => 1.0,
            Sign::WeakPositive => 0.5,
            Sign::Negative => -1.0,
            Sign::Direction => 0.0,
        };
    }
    s[PROP] = 1.0;
    s[HOSTILE] = 1.0;
    s[WAIT] = -1.0;
    s
}

fn threat(x: &[f64; NX]) -> f64 {
    (1.0 - x[C] + THREAT.iter().map(|&j| x[j]).sum::<f64>()) / 4.0
}

fn stakes(x: &[f64; NX]) -> f64 {
    STAKES.iter().map(|&j| x[j]).sum::<f64>() / 4.0
}

/// The centred features of a situation.
pub fn features(x: &[f64; NX]) -> [f64; NF] {
    let mut f = [0.0; NF];
    for j in 0..NX {
        f[j] = x[j] - 0.5;
    }
    f[PROP] = x[A] * threat(x) - 0.25;
    f[HOSTILE] = (1.0 - x[A] * x[C]) * stakes(x) - 0.375;
    f[WAIT] = x[A] * x[C] - 0.25;
    f
}

/// The linear predictor `alpha + beta · features(x)`.
pub fn eta(alpha: f64, beta: &[f64], x: &[f64; NX]) -> f64 {
    let f = features(x);
    alpha + beta.iter().zip(f.iter()).map(|(b, v)| b * v).sum::<f64>()
}

/// The gradient of the linear predictor with respect to the factors, for coefficients `beta`.
pub fn eta_gradient(beta: &[f64], x: &[f64; NX]) -> [f64; NX] {
    let mut g = [0.0; NX];
    g[..NX].copy_from_slice(&beta[..NX]);
    // propping path: a · threat
    let (bp, bh, bw) = (beta[PROP], beta[HOSTILE], beta[WAIT]);
    g[A] += bp * threat(x);
    g[C] -= bp * x[A] / 4.0;
    for &j in &THREAT {
        g[j] += bp * x[A] / 4.0;
    }
    // hostile capital: (1 − a c) · stakes
    let s = stakes(x);
    g[A] -= bh * x[C] * s;
    g[C] -= bh * x[A] * s;
    let h = 1.0 - x[A] * x[C];
    for &j in &STAKES {
        g[j] += bh * h / 4.0;
    }
    // ally in charge: a c
    g[A] += bw * x[C];
    g[C] += bw * x[A];
    g
}

/// Per-factor contributions to `eta(x) − eta(reference)` by integrated gradients along the straight
/// line from `reference` to `x`. The linear predictor is a polynomial of degree at most 3 along
/// that line, so three-point Gauss–Legendre quadrature is exact and the contributions add up to the
/// difference exactly.
pub fn contributions(beta: &[f64], x: &[f64; NX], reference: &[f64; NX]) -> [f64; NX] {
    const NODES: [f64; 3] = [0.112_701_665_379_258_3, 0.5, 0.887_298_334_620_741_7];
    const WEIGHTS: [f64; 3] = [5.0 / 18.0, 8.0 / 18.0, 5.0 / 18.0];
    let mut out = [0.0; NX];
    for (t, w) in NODES.iter().zip(WEIGHTS) {
        let mut p = [0.0; NX];
        for j in 0..NX {
            p[j] = reference[j] + t * (x[j] - reference[j]);
        }
        let g = eta_gradient(beta, &p);
        for j in 0..NX {
            out[j] += w * g[j] * (x[j] - reference[j]);
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn beta() -> Vec<f64> {
        (0..NF).map(|k| ((k as f64) * 0.37).sin() * 2.0).collect()
    }

    fn x(seed: f64) -> [f64; NX] {
        let mut x = [0.0; NX];
        for (j, v) in x.iter_mut().enumerate() {
            *v = ((j as f64 + seed) * 1.7).sin().abs();
        }
        x
    }

    #[test]
    fn midpoint_situation_has_zero_features() {
        let f = features(&[0.5; NX]);
        assert!(f.iter().all(|v| v.abs() < 1e-15), "{f:?}");
    }

    #[test]
    fn gradient_matches_finite_differences() {
        let b = beta();
        let x0 = x(0.3);
        let g = eta_gradient(&b, &x0);
        for j in 0..NX {
            let mut up = x0;
            let mut dn = x0;
            up[j] += 1e-6;
            dn[j] -= 1e-6;
            let fd = (eta(0.0, &b, &up) - eta(0.0, &b, &dn)) / 2e-6;
            assert!((fd - g[j]).abs() < 1e-6, "factor {j}: {fd} vs {}", g[j]);
        }
    }

    #[test]
    fn contributions_add_up_exactly() {
        let b = beta();
        let (x1, r) = (x(0.1), x(2.9));
        let c = contributions(&b, &x1, &r);
        let total: f64 = c.iter().sum();
        assert!((total - (eta(0.0, &b, &x1) - eta(0.0, &b, &r))).abs() < 1e-12);
    }

    #[test]
    fn ally_effect_depends_on_the_path() {
        // Only the path terms are non-zero: propping +1, hostile capital +1.
        let mut b = vec![0.0; NF];
        b[PROP] = 1.0;
        b[HOSTILE] = 1.0;
        // Allied incumbent swept away with high stakes vs the same with a hostile incumbent in charge:
        // both are risky; an ally firmly in charge with high stakes is not.
        let mut ousted_ally = [0.0; NX];
        ousted_ally[A] = 1.0;
        ousted_ally[C] = 0.0;
        for j in STAKES {
            ousted_ally[j] = 1.0;
        }
        let mut ally_in_charge = ousted_ally;
        ally_in_charge[C] = 1.0;
        let mut hostile_in_charge = ally_in_charge;
        hostile_in_charge[A] = 0.0;
        let e = |x: &[f64; NX]| eta(0.0, &b, x);
        assert!(e(&ousted_ally) > e(&ally_in_charge) + 1.0);
        assert!(e(&hostile_in_charge) > e(&ally_in_charge) + 0.9);
    }
}
