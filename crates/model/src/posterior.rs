//! The log posterior of the theory-signed logistic model, on an unconstrained scale.
//!
//! Parameters `theta = (alpha, z_1..z_21, log mu, log tau)` (24 numbers):
//!
//! ```text
//! beta_k  = s_k · mu + tau · z_k          s_k: docs/theory.md's sign (+1, +0.5 weak, −1, 0)
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
//!
//! Optional *context effects* ([`Priors::type_intercept_scale`], [`Priors::type_signal_scale`],
//! [`Priors::patron_scale`]; off when 0) append to `theta`, each non-centred with its own
//! half-normal spread:
//!
//! ```text
//! gamma_t = sigma_a · u_t                 crisis-type offset of the intercept, t = 1..6
//! m_t     = exp(sigma_s · v_t)            crisis-type multiplier of military_signals' coefficient
//! delta_p = sigma_p · w_p                 patron offset of the intercept (0 for a patron never fitted)
//! eta_i   = alpha + gamma_t(i) + delta_p(i) + beta(t(i)) · f_i,   beta(t)_signals = beta_signals · m_t
//! ```
//!
//! A multiplier, not an added term, so that the signals coefficient keeps the theory's sign in every
//! type of crisis: a build-up may mean less in a standoff than in a civil war, never the opposite.

use crate::features::{self, NF, NX};
use casus_core::{CrisisType, Factor};
use serde::{Deserialize, Serialize};

/// Dimension of `theta` without context effects.
pub const DIM: usize = NF + 3;
pub(crate) const LOG_MU: usize = NF + 1;
pub(crate) const LOG_TAU: usize = NF + 2;
/// Number of crisis types ([`CrisisType::ALL`]).
pub const NT: usize = CrisisType::ALL.len();
/// The position of a crisis type in [`CrisisType::ALL`]: its column among the context effects.
pub(crate) fn type_index(t: CrisisType) -> usize {
    CrisisType::ALL
        .iter()
        .position(|&c| c == t)
        .expect("every crisis type is in ALL")
}
/// The feature whose coefficient the crisis-type multiplier scales.
pub(crate) const SIGNALS: usize = Factor::MilitarySignals as usize;

/// Prior scales and the form of the sign prior. The defaults (hard signs, `tau_scale` 0.5, and
/// crisis-type intercepts with spread scale 0.5) were chosen by forward-chaining scores alone among
/// the variants in `examples/variants.rs`, in two rounds each fixed before it was scored (see the
/// README's "What we tried"); the scales before that were set from the theory before any fit was
/// scored.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct Priors {
    /// Standard deviation of the intercept (log-odds of force in the midpoint situation).
    pub intercept_sd: f64,
    /// Scale of the half-normal prior on the common strength `mu`.
    pub mu_scale: f64,
    /// Scale of the half-normal prior on the spread `tau`.
    pub tau_scale: f64,
    /// Centre each coefficient on the theory's sign (`s_k · mu`). Off, every `s_k` is 0 and the
    /// prior is a plain hierarchical shrinkage toward zero: the "unsigned" baseline, which shows
    /// whether the theory's directions add skill.
    #[serde(default = "signed_default")]
    pub signed: bool,
    /// Hold every signed coefficient to the theory's sign: `beta_k = s_k · mu · exp(tau · z_k)`
    /// (log-normal around the common strength) instead of `s_k · mu + tau · z_k`. A factor can
    /// then matter more or less than the theory's common strength, never the other way round, so
    /// every driver the explanation lists raises the risk for the reason the guide gives.
    #[serde(default)]
    pub hard_signs: bool,
    /// Scale of the half-normal prior on the spread of crisis-type intercepts (0: none).
    #[serde(default)]
    pub type_intercept_scale: f64,
    /// Scale of the half-normal prior on the log-scale spread of the crisis-type multipliers of
    /// `military_signals`' coefficient (0: none).
    #[serde(default)]
    pub type_signal_scale: f64,
    /// Scale of the half-normal prior on the spread of patron intercepts (0: none).
    #[serde(default)]
    pub patron_scale: f64,
}

fn signed_default() -> bool {
    true
}

impl Default for Priors {
    fn default() -> Self {
        Priors {
            intercept_sd: 2.0,
            mu_scale: 1.0,
            tau_scale: 0.5,
            signed: true,
            hard_signs: true,
            type_intercept_scale: 0.5,
            type_signal_scale: 0.0,
            patron_scale: 0.0,
        }
    }
}

/// Where the context effects sit in `theta`, given the priors and the number of fitted patrons.
/// Each block is its standardised effects followed by the log of their spread.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Layout {
    pub type_intercepts: Option<usize>,
    pub type_signals: Option<usize>,
    pub patrons: Option<usize>,
    pub n_patrons: usize,
    pub dim: usize,
}

impl Layout {
    pub fn new(priors: &Priors, n_patrons: usize) -> Layout {
        let mut dim = DIM;
        let mut block = |on: bool, n: usize| {
            on.then(|| {
                let at = dim;
                dim += n + 1;
                at
            })
        };
        let type_intercepts = block(priors.type_intercept_scale > 0.0, NT);
        let type_signals = block(priors.type_signal_scale > 0.0, NT);
        let patrons = block(priors.patron_scale > 0.0 && n_patrons > 0, n_patrons);
        Layout {
            type_intercepts,
            type_signals,
            patrons,
            n_patrons,
            dim,
        }
    }
}

/// The context effects of one draw: per crisis type the intercept offset and the signals
/// multiplier, per fitted patron the intercept offset.
#[derive(Debug, Clone, PartialEq)]
pub struct ContextEffects {
    pub type_offset: [f64; NT],
    pub signal_multiplier: [f64; NT],
    pub patron_offset: Vec<f64>,
}

impl ContextEffects {
    /// The effects in `theta` (zero offsets and unit multipliers where a block is off).
    pub fn of(theta: &[f64], layout: &Layout) -> ContextEffects {
        let mut c = ContextEffects {
            type_offset: [0.0; NT],
            signal_multiplier: [1.0; NT],
            patron_offset: vec![0.0; layout.n_patrons],
        };
        if let Some(at) = layout.type_intercepts {
            let s = theta[at + NT].exp();
            for t in 0..NT {
                c.type_offset[t] = s * theta[at + t];
            }
        }
        if let Some(at) = layout.type_signals {
            let s = theta[at + NT].exp();
            for t in 0..NT {
                c.signal_multiplier[t] = (s * theta[at + t]).exp();
            }
        }
        if let Some(at) = layout.patrons {
            let s = theta[at + layout.n_patrons].exp();
            for p in 0..layout.n_patrons {
                c.patron_offset[p] = s * theta[at + p];
            }
        }
        c
    }
}

impl Priors {
    /// The prior centre's sign of each coefficient.
    pub fn signs(&self) -> [f64; NF] {
        if self.signed {
            features::prior_signs()
        } else {
            [0.0; NF]
        }
    }
}

/// Fitting data: features, outcomes and row weights (`1 / snapshots` of the row's crisis, so that
/// each crisis counts once in the likelihood).
#[derive(Debug, Clone)]
pub struct Design {
    pub(crate) f: Vec<[f64; NF]>,
    pub(crate) y: Vec<f64>,
    pub(crate) w: Vec<f64>,
    /// Each row's crisis type (index into [`CrisisType::ALL`]) and patron (index into the fitted
    /// patrons), for the context effects.
    pub(crate) t: Vec<usize>,
    pub(crate) p: Vec<usize>,
    pub(crate) n_patrons: usize,
}

impl Design {
    /// Every row with weight 1.
    pub fn new(x: &[[f64; NX]], y: &[bool]) -> Design {
        Design::weighted(x, y, &vec![1.0; y.len()])
    }

    pub fn weighted(x: &[[f64; NX]], y: &[bool], w: &[f64]) -> Design {
        Design {
            f: x.iter().map(features::features).collect(),
            y: y.iter().map(|&b| if b { 1.0 } else { 0.0 }).collect(),
            w: w.to_vec(),
            t: vec![0; y.len()],
            p: vec![0; y.len()],
            n_patrons: 0,
        }
    }

    /// The same design with each row's crisis type and patron index (`n_patrons` in all).
    pub fn with_context(mut self, t: Vec<usize>, p: Vec<usize>, n_patrons: usize) -> Design {
        self.t = t;
        self.p = p;
        self.n_patrons = n_patrons;
        self
    }

    pub fn len(&self) -> usize {
        self.y.len()
    }

    pub fn is_empty(&self) -> bool {
        self.y.is_empty()
    }
}

/// `(alpha, beta, mu, tau)` from `theta`.
pub fn unpack(theta: &[f64], priors: &Priors) -> (f64, [f64; NF], f64, f64) {
    let (beta, _) = coefficients(theta, priors);
    (theta[0], beta, theta[LOG_MU].exp(), theta[LOG_TAU].exp())
}

/// The coefficients and, per coefficient, the derivatives `(d beta/d z_k, d beta/d log mu,
/// d beta/d log tau)` that carry the likelihood's gradient back to `theta`.
fn coefficients(theta: &[f64], priors: &Priors) -> ([f64; NF], [[f64; 3]; NF]) {
    let signs = priors.signs();
    let mu = theta[LOG_MU].exp();
    let tau = theta[LOG_TAU].exp();
    let mut beta = [0.0; NF];
    let mut jac = [[0.0; 3]; NF];
    for k in 0..NF {
        let z = theta[1 + k];
        if priors.hard_signs && signs[k] != 0.0 {
            let b = signs[k] * mu * (tau * z).exp();
            beta[k] = b;
            jac[k] = [b * tau, b, b * tau * z];
        } else if priors.hard_signs {
            // No expected direction (`ally_incumbent`, which works through the path terms): a
            // plain Normal(0, 1), since `tau` here is a spread on the log scale of the others.
            beta[k] = z;
            jac[k] = [1.0, 0.0, 0.0];
        } else {
            beta[k] = signs[k] * mu + tau * z;
            jac[k] = [tau, signs[k] * mu, tau * z];
        }
    }
    (beta, jac)
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
    pub(crate) layout: Layout,
}

/// `-x²/(2 s²) + log x` for a half-normal spread `x = exp(log_x)` with scale `s` (the log term is
/// the Jacobian of the log transform), and its derivative in `log_x`.
fn half_normal_log(log_x: f64, scale: f64) -> (f64, f64) {
    let x = log_x.exp();
    let s2 = scale * scale;
    (-x * x / (2.0 * s2) + log_x, -x * x / s2 + 1.0)
}

impl LogPosterior {
    pub fn new(design: Design, priors: Priors) -> LogPosterior {
        let layout = Layout::new(&priors, design.n_patrons);
        LogPosterior {
            design,
            priors,
            layout,
        }
    }

    /// Dimension of `theta`.
    pub fn dim(&self) -> usize {
        self.layout.dim
    }

    /// Log density at `theta`, writing the gradient into `grad`.
    pub fn logp_grad(&self, theta: &[f64], grad: &mut [f64]) -> f64 {
        let (beta, jac) = coefficients(theta, &self.priors);
        let alpha = theta[0];
        let l = &self.layout;
        let ctx = ContextEffects::of(theta, l);
        grad.iter_mut().for_each(|g| *g = 0.0);
        let mut gbeta = [0.0; NF];
        let mut galpha = 0.0;
        let mut lp = 0.0;
        let d = &self.design;
        for i in 0..d.len() {
            let (f, y, w, t, pi) = (&d.f[i], d.y[i], d.w[i], d.t[i], d.p[i]);
            let m = ctx.signal_multiplier[t];
            let offset = ctx.type_offset[t] + ctx.patron_offset.get(pi).copied().unwrap_or(0.0);
            let eta = alpha
                + offset
                + beta.iter().zip(f).map(|(b, v)| b * v).sum::<f64>()
                + beta[SIGNALS] * (m - 1.0) * f[SIGNALS];
            lp += w * (y * eta - log1pexp(eta));
            let r = w * (y - logistic(eta));
            galpha += r;
            for k in 0..NF {
                gbeta[k] += r * f[k];
            }
            // d eta / d beta_signals is m · f_signals, not f_signals.
            gbeta[SIGNALS] += r * (m - 1.0) * f[SIGNALS];
            if let Some(at) = l.type_intercepts {
                let s = theta[at + NT].exp();
                grad[at + t] += r * s;
                grad[at + NT] += r * ctx.type_offset[t];
            }
            if let Some(at) = l.type_signals {
                let s = theta[at + NT].exp();
                let g = r * beta[SIGNALS] * m * f[SIGNALS];
                grad[at + t] += g * s;
                grad[at + NT] += g * s * theta[at + t];
            }
            if let Some(at) = l.patrons
                && pi < l.n_patrons
            {
                let s = theta[at + l.n_patrons].exp();
                grad[at + pi] += r * s;
                grad[at + l.n_patrons] += r * ctx.patron_offset[pi];
            }
        }
        let p = &self.priors;
        let sa2 = p.intercept_sd * p.intercept_sd;
        lp -= alpha * alpha / (2.0 * sa2);
        grad[0] = galpha - alpha / sa2;
        let mut g_log_mu = 0.0;
        let mut g_log_tau = 0.0;
        for k in 0..NF {
            let z = theta[1 + k];
            lp -= z * z / 2.0;
            grad[1 + k] = jac[k][0] * gbeta[k] - z;
            g_log_mu += jac[k][1] * gbeta[k];
            g_log_tau += jac[k][2] * gbeta[k];
        }
        // Half-normal priors on mu and tau, with the Jacobian of the log transform.
        let (mu, tau) = (theta[LOG_MU].exp(), theta[LOG_TAU].exp());
        let (sm2, st2) = (p.mu_scale * p.mu_scale, p.tau_scale * p.tau_scale);
        lp += -mu * mu / (2.0 * sm2) + theta[LOG_MU];
        lp += -tau * tau / (2.0 * st2) + theta[LOG_TAU];
        grad[LOG_MU] = g_log_mu - mu * mu / sm2 + 1.0;
        grad[LOG_TAU] = g_log_tau - tau * tau / st2 + 1.0;
        // Context blocks: standard-normal standardised effects and a half-normal spread.
        let blocks = [
            (l.type_intercepts, NT, p.type_intercept_scale),
            (l.type_signals, NT, p.type_signal_scale),
            (l.patrons, l.n_patrons, p.patron_scale),
        ];
        for (at, n, scale) in blocks {
            let Some(at) = at else { continue };
            for j in at..at + n {
                lp -= theta[j] * theta[j] / 2.0;
                grad[j] -= theta[j];
            }
            let (h, dh) = half_normal_log(theta[at + n], scale);
            lp += h;
            grad[at + n] += dh;
        }
        lp
    }

    /// Log density only.
    pub fn logp(&self, theta: &[f64]) -> f64 {
        let mut g = vec![0.0; self.dim()];
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
        // Without context effects, so that `theta` has DIM entries.
        let priors = Priors {
            type_intercept_scale: 0.0,
            ..Priors::default()
        };
        LogPosterior::new(Design::new(&xs, &ys), priors)
    }

    /// The analytic gradient against central finite differences at `theta`.
    fn check_gradient(lp: &LogPosterior, theta: &[f64]) {
        let mut g = vec![0.0; lp.dim()];
        lp.logp_grad(theta, &mut g);
        for i in 0..lp.dim() {
            let (mut up, mut dn) = (theta.to_vec(), theta.to_vec());
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
    fn soft_sign_gradient_matches_finite_differences() {
        let mut lp = toy();
        lp.priors.hard_signs = false;
        let theta: Vec<f64> = (0..DIM).map(|i| ((i as f64) * 0.7).cos() * 0.5).collect();
        check_gradient(&lp, &theta);
    }

    #[test]
    fn hard_sign_gradient_matches_finite_differences_and_keeps_signs() {
        let lp = toy();
        assert!(lp.priors.hard_signs, "hard signs are the default");
        let theta: Vec<f64> = (0..DIM).map(|i| ((i as f64) * 0.9).sin() * 0.6).collect();
        check_gradient(&lp, &theta);
        let (_, beta, _, _) = unpack(&theta, &lp.priors);
        for (b, s) in beta.iter().zip(features::prior_signs()) {
            assert!(b * s >= 0.0, "{b} against sign {s}");
        }
    }

    #[test]
    fn context_effect_gradient_matches_finite_differences() {
        let base = toy();
        let n = base.design.len();
        let design = base.design.clone().with_context(
            (0..n).map(|i| i % NT).collect(),
            (0..n).map(|i| i % 4).collect(),
            4,
        );
        let priors = Priors {
            type_intercept_scale: 0.5,
            type_signal_scale: 0.5,
            patron_scale: 0.5,
            ..Priors::default()
        };
        let lp = LogPosterior::new(design, priors);
        assert_eq!(lp.dim(), DIM + (NT + 1) * 2 + 5);
        let theta: Vec<f64> = (0..lp.dim())
            .map(|i| ((i as f64) * 0.61).sin() * 0.7)
            .collect();
        check_gradient(&lp, &theta);
    }

    #[test]
    fn context_effects_off_leave_the_density_unchanged() {
        let lp = toy();
        let n = lp.design.len();
        let with = LogPosterior::new(
            lp.design.clone().with_context(vec![3; n], vec![1; n], 2),
            lp.priors,
        );
        assert_eq!(with.dim(), DIM);
        let theta: Vec<f64> = (0..DIM).map(|i| ((i as f64) * 0.3).cos()).collect();
        assert_eq!(lp.logp(&theta), with.logp(&theta));
    }

    #[test]
    fn log1pexp_is_stable() {
        assert!((log1pexp(800.0) - 800.0).abs() < 1e-12);
        assert!(log1pexp(-800.0) >= 0.0);
        assert!((log1pexp(0.0) - 2f64.ln()).abs() < 1e-15);
    }
}
