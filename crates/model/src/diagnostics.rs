//! Convergence diagnostics: split R-hat and effective sample size (Stan's estimators, BDA3 §11.4–11.5).

use serde::{Deserialize, Serialize};

/// Sampler diagnostics stored with a fitted model.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Diagnostics {
    pub chains: usize,
    pub tune: u64,
    pub draws_per_chain: u64,
    /// Post-warm-up divergent transitions, all chains.
    pub divergences: u64,
    /// Largest split R-hat over parameters.
    pub max_rhat: f64,
    /// Smallest effective sample size over parameters.
    pub min_ess: f64,
    /// Mean number of leapfrog steps per draw.
    pub mean_leapfrog_steps: f64,
    /// Final step size of each chain.
    pub step_sizes: Vec<f64>,
    /// Per-parameter split R-hat and ESS.
    pub parameters: Vec<ParameterDiagnostics>,
}

impl Diagnostics {
    /// True when R-hat < 1.01, ESS ≥ 400 and no divergences: the usual thresholds.
    pub fn converged(&self) -> bool {
        self.max_rhat < 1.01 && self.min_ess >= 400.0 && self.divergences == 0
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ParameterDiagnostics {
    pub name: String,
    pub mean: f64,
    pub sd: f64,
    pub rhat: f64,
    pub ess: f64,
}

fn split(chains: &[Vec<f64>]) -> Vec<&[f64]> {
    let mut out = Vec::with_capacity(chains.len() * 2);
    for c in chains {
        let h = c.len() / 2;
        out.push(&c[..h]);
        out.push(&c[c.len() - h..]);
    }
    out
}

fn mean(x: &[f64]) -> f64 {
    x.iter().sum::<f64>() / x.len() as f64
}

/// Split R-hat of one parameter from several chains of equal length.
pub fn split_rhat(chains: &[Vec<f64>]) -> f64 {
    let seqs = split(chains);
    let (w, var_plus) = variances(&seqs);
    if w <= 0.0 {
        return if var_plus <= 0.0 { 1.0 } else { f64::INFINITY };
    }
    (var_plus / w).sqrt()
}

/// Within-sequence variance W and the pooled estimate var+.
fn variances(seqs: &[&[f64]]) -> (f64, f64) {
    let n = seqs[0].len() as f64;
    let m = seqs.len() as f64;
    let means: Vec<f64> = seqs.iter().map(|s| mean(s)).collect();
    let grand = means.iter().sum::<f64>() / m;
    let b_over_n = means.iter().map(|v| (v - grand).powi(2)).sum::<f64>() / (m - 1.0);
    let w = seqs
        .iter()
        .zip(&means)
        .map(|(s, mu)| s.iter().map(|v| (v - mu).powi(2)).sum::<f64>() / (n - 1.0))
        .sum::<f64>()
        / m;
    (w, (n - 1.0) / n * w + b_over_n)
}

/// Effective sample size of one parameter (split chains, Geyer's initial monotone sequence).
pub fn ess(chains: &[Vec<f64>]) -> f64 {
    let seqs = split(chains);
    let n = seqs[0].len();
    let m = seqs.len();
    let total = (n * m) as f64;
    let (w, var_plus) = variances(&seqs);
    if w <= 0.0 || var_plus <= 0.0 {
        return total;
    }
    let means: Vec<f64> = seqs.iter().map(|s| mean(s)).collect();
    let acov = |t: usize| -> f64 {
        let mut sum = 0.0;
        for (s, mu) in seqs.iter().zip(&means) {
            let mut c = 0.0;
            for i in 0..n - t {
                c += (s[i] - mu) * (s[i + t] - mu);
            }
            // Autocovariance normalised by n, then rescaled to the n−1 variance convention.
            sum += c / n as f64 * (n as f64 / (n as f64 - 1.0));
        }
        sum / m as f64
    };
    let rho = |t: usize| 1.0 - (w - acov(t)) / var_plus;
    let mut tau = -1.0;
    let mut prev_pair = f64::INFINITY;
    let mut t = 0;
    while t + 1 < n {
        let mut pair = rho(t) + rho(t + 1);
        if pair < 0.0 {
            break;
        }
        if pair > prev_pair {
            pair = prev_pair; // initial monotone sequence
        }
        tau += 2.0 * pair;
        prev_pair = pair;
        t += 2;
    }
    let tau = tau.max(1.0 / total.log10().max(1.0));
    total / tau
}

#[cfg(test)]
mod tests {
    use super::*;

    fn lcg(seed: u64) -> impl FnMut() -> f64 {
        let mut s = seed;
        move || {
            s = s
                .wrapping_mul(6364136223846793005)
                .wrapping_add(1442695040888963407);
            ((s >> 11) as f64) / ((1u64 << 53) as f64)
        }
    }

    #[test]
    fn rhat_near_one_for_iid_and_large_for_shifted_chains() {
        let mut u = lcg(1);
        let iid: Vec<Vec<f64>> = (0..4).map(|_| (0..1000).map(|_| u()).collect()).collect();
        assert!((split_rhat(&iid) - 1.0).abs() < 0.01);
        let shifted: Vec<Vec<f64>> = (0..4)
            .map(|c| (0..1000).map(|_| u() + c as f64).collect())
            .collect();
        assert!(split_rhat(&shifted) > 1.5);
    }

    #[test]
    fn ess_of_iid_is_about_n_and_of_ar1_is_smaller() {
        let mut u = lcg(7);
        let iid: Vec<Vec<f64>> = (0..4).map(|_| (0..1000).map(|_| u()).collect()).collect();
        let e = ess(&iid);
        assert!(e > 3000.0 && e < 5500.0, "{e}");
        // AR(1) with phi = 0.9: ESS ≈ N (1 − phi) / (1 + phi) ≈ N / 19.
        let ar: Vec<Vec<f64>> = (0..4)
            .map(|_| {
                let mut v = 0.0;
                (0..1000)
                    .map(|_| {
                        v = 0.9 * v + (u() - 0.5);
                        v
                    })
                    .collect()
            })
            .collect();
        let e = ess(&ar);
        assert!(e > 100.0 && e < 450.0, "{e}");
    }
}
