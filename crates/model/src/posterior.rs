//! The log posterior of the theory-signed logistic model, on an unconstrained scale.
//!
//! Parameters `theta = (alpha, z_1..z_21, log mu, log tau)` (24 numbers):
//!
//! ```text
//! beta_k  = s_k · mu + tau · z_k          s_k: THEORY.md's sign (+1, +0.5 weak, −1, 0)
//! y_i     ~ Bernoulli(logistic(alpha + beta · f_i))
//! alpha   ~ Normal(0, intercept_sd)
//! z_k     ~ Normal(0, 1)                  (non-centred: no funnel for NUTS)
//! mu      ~ HalfNormal(mu_scale)          common strength of the theory's factors
//! tau     ~ HalfNormal(tau_scale)         how far single factors stray from it
//! ```
//!
//! so `beta_k ~ Normal(s_k · mu, tau)`: every coefficient is shrunk toward the theory's expected
//! direction with a magnitude the data share across factors. The density includes the Jacobian of
//! the log transforms (`+ log mu + log tau`); the MAP is the mode of this density in `theta`.

use crate::features::{self, NF, NX};
use serde::{Deserialize, Serialize};

/// Dimension of `theta`.
pub const DIM: usize = NF + 3;
pub(crate) const LOG_MU: usize = NF + 1;
pub(crate) const LOG_TAU: usize = NF + 2;

/// Prior scales. The defaults were chosen from the theory before any fit was scored.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct Priors {
    /// Standard deviation of the intercept (log-odds of force in the midpoint situation).
    pub intercept_sd: f64,
    /// Scale of the half-normal prior on the common strength `mu`.
    pub mu_scale: f64,
    /// Scale of the half-normal prior on the spread `tau`.
    pub tau_scale: f64,
}

impl Default for Priors {
    fn default() -> Self {
        Priors {
            intercept_sd: 2.0,
            mu_scale: 1.0,
            tau_scale: 1.0,
        }
    }
}

/// Fitting data: features and outcomes.
#[derive(Debug, Clone)]
pub struct Design {
    pub(crate) f: Vec<[f64; NF]>,
    pub(crate) y: Vec<f64>,
}

impl Design {
    pub fn new(x: &[[f64; NX]], y: &[bool]) -> Design {
        Design {
            f: x.iter().map(features::features).collect(),
            y: y.iter().map(|&b| if b { 1.0 } else { 0.0 }).collect(),
        }
    }

    pub fn len(&self) -> usize {
        self.y.len()
    }

    pub fn is_empty(&self) -> bool {
        self.y.is_empty()
    }
}

/// `(alpha, beta, mu, tau)` from `theta`.
pub fn unpack(theta: &[f64], signs: &[f64; NF]) -> (f64, [f64; NF], f64, f64) {
    let mu = theta[LOG_MU].exp();
    let tau = theta[LOG_TAU].exp();
    let mut beta = [0.0; NF];
    for k in 0..NF {
        beta[k] = signs[k] * mu + tau * theta[1 + k];
    }
    (theta[0], beta, mu, tau)
}

/// `log(1 + exp(x))` without overflow.
pub(crate) fn log1pexp(x: f64) -> f64 {
    if x > 0.0 {
        x + (-x).exp().ln_1p()
    } else {
        x.exp().ln_1p()
    }
}

pub(crate) fn logistic(x: f64) -> f64 {
    if x >= 0.0 {
        1.0 / (1.0 + (-x).exp())
    } else {
        let e = x.exp();
        e / (1.0 + e)
    }
}

/// The log posterior density (up to a constant) and its gradient.
#[derive(Debug, Clone)]
pub struct LogPosterior {
    pub(crate) design: Design,
    pub(crate) priors: Priors,
    pub(crate) signs: [f64; NF],
}

impl LogPosterior {
    pub fn new(design: Design, priors: Priors) -> LogPosterior {
        LogPosterior {
            design,
            priors,
            signs: features::prior_signs(),
        }
    }

    /// Log density at `theta`, writing the gradient into `grad`.
    pub fn logp_grad(&self, theta: &[f64], grad: &mut [f64]) -> f64 {
        let (alpha, beta, mu, tau) = unpack(theta, &self.signs);
        let mut gbeta = [0.0; NF];
        let mut galpha = 0.0;
        let mut lp = 0.0;
        for (f, &y) in self.design.f.iter().zip(&self.design.y) {
            let eta = alpha + beta.iter().zip(f).map(|(b, v)| b * v).sum::<f64>();
            lp += y * eta - log1pexp(eta);
            let r = y - logistic(eta);
            galpha += r;
            for k in 0..NF {
                gbeta[k] += r * f[k];
            }
        }
        let p = &self.priors;
        let sa2 = p.intercept_sd * p.intercept_sd;
        lp -= alpha * alpha / (2.0 * sa2);
        grad[0] = galpha - alpha / sa2;
        let mut gmu = 0.0;
        let mut gtau = 0.0;
        for k in 0..NF {
            let z = theta[1 + k];
            lp -= z * z / 2.0;
            grad[1 + k] = tau * gbeta[k] - z;
            gmu += self.signs[k] * gbeta[k];
            gtau += z * gbeta[k];
        }
        // Half-normal priors on mu and tau, with the Jacobian of the log transform.
        let (sm2, st2) = (p.mu_scale * p.mu_scale, p.tau_scale * p.tau_scale);
        lp += -mu * mu / (2.0 * sm2) + theta[LOG_MU];
        lp += -tau * tau / (2.0 * st2) + theta[LOG_TAU];
        grad[LOG_MU] = mu * gmu - mu * mu / sm2 + 1.0;
        grad[LOG_TAU] = tau * gtau - tau * tau / st2 + 1.0;
        lp
    }

    /// Log density only.
    pub fn logp(&self, theta: &[f64]) -> f64 {
        let mut g = [0.0; DIM];
        self.logp_grad(theta, &mut g)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn toy() -> LogPosterior {
        let mut xs = Vec::new();
        let mut ys = Vec::new();
        for i in 0..30 {
            let mut x = [0.0; NX];
            for (j, v) in x.iter_mut().enumerate() {
                *v = (((i * 7 + j * 3) % 5) as f64) / 4.0;
            }
            xs.push(x);
            ys.push((i * 13) % 3 == 0);
        }
        LogPosterior::new(Design::new(&xs, &ys), Priors::default())
    }

    #[test]
    fn gradient_matches_finite_differences() {
        let lp = toy();
        let theta: Vec<f64> = (0..DIM).map(|i| ((i as f64) * 0.7).cos() * 0.5).collect();
        let mut g = [0.0; DIM];
        lp.logp_grad(&theta, &mut g);
        for i in 0..DIM {
            let mut up = theta.clone();
            let mut dn = theta.clone();
            up[i] += 1e-6;
            dn[i] -= 1e-6;
            let fd = (lp.logp(&up) - lp.logp(&dn)) / 2e-6;
            assert!(
                (fd - g[i]).abs() < 1e-5 * (1.0 + fd.abs()),
                "param {i}: {fd} vs {}",
                g[i]
            );
        }
    }

    #[test]
    fn log1pexp_is_stable() {
        assert!((log1pexp(800.0) - 800.0).abs() < 1e-12);
        assert!(log1pexp(-800.0) >= 0.0);
        assert!((log1pexp(0.0) - 2f64.ln()).abs() < 1e-15);
    }
}
