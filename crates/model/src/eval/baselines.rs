//! Baselines the model must beat, each fitted on the training fold only.

use crate::features::NX;
use crate::map::solve;
use crate::posterior::{log1pexp, logistic};
use casus_core::{Factor, Sign};

/// Share of force in the training cases.
pub fn base_rate(y_train: &[bool]) -> f64 {
    y_train.iter().filter(|&&v| v).count() as f64 / y_train.len() as f64
}

/// The patron's own rate, shrunk toward the overall training rate with the weight of
/// `PATRON_PRIOR_CASES` pseudo-cases: `(k + m·r) / (n + m)`.
pub fn patron_base_rate(patrons_train: &[String], y_train: &[bool], patron: &str) -> f64 {
    const PATRON_PRIOR_CASES: f64 = 2.0;
    let r = base_rate(y_train);
    let (mut k, mut n) = (0.0, 0.0);
    for (p, &y) in patrons_train.iter().zip(y_train) {
        if p == patron {
            n += 1.0;
            k += f64::from(u8::from(y));
        }
    }
    (k + PATRON_PRIOR_CASES * r) / (n + PATRON_PRIOR_CASES)
}

/// The unweighted checklist score: every signed factor counted once in its expected direction
/// (`x` for +, `1 − x` for −; `ally_incumbent` has no expected direction and is left out).
pub fn checklist_score(x: &[f64; NX]) -> f64 {
    Factor::ALL
        .iter()
        .map(|f| match f.sign() {
            Sign::Positive | Sign::WeakPositive => x[f.index()],
            Sign::Negative => 1.0 - x[f.index()],
            Sign::Direction => 0.0,
        })
        .sum()
}

/// Result of an unpenalised logistic fit by Newton–Raphson.
#[derive(Debug, Clone, PartialEq)]
pub struct LogisticFit {
    /// Intercept first, then one coefficient per column.
    pub coef: Vec<f64>,
    pub iterations: usize,
    pub converged: bool,
    /// Signs of (quasi-)complete separation: the log-likelihood approaches 0 or the coefficients
    /// grow without bound; the MLE does not exist and the fit stopped at the iteration cap.
    pub separated: bool,
}

impl LogisticFit {
    pub fn predict(&self, row: &[f64]) -> f64 {
        logistic(
            self.coef[0]
                + self.coef[1..]
                    .iter()
                    .zip(row)
                    .map(|(b, v)| b * v)
                    .sum::<f64>(),
        )
    }
}

/// Maximum-likelihood logistic regression, no penalty, at most `max_iter` Newton steps (with step
/// halving). Separation is not hidden: the fit stops at the cap and says so.
pub fn logistic_mle(rows: &[Vec<f64>], y: &[bool], max_iter: usize) -> LogisticFit {
    let k = rows.first().map_or(0, Vec::len) + 1;
    let design: Vec<Vec<f64>> = rows
        .iter()
        .map(|r| std::iter::once(1.0).chain(r.iter().copied()).collect())
        .collect();
    let yv: Vec<f64> = y.iter().map(|&b| f64::from(u8::from(b))).collect();
    let loglik = |b: &[f64]| -> f64 {
        design
            .iter()
            .zip(&yv)
            .map(|(r, &yi)| {
                let e: f64 = r.iter().zip(b).map(|(x, c)| x * c).sum();
                yi * e - log1pexp(e)
            })
            .sum()
    };
    let mut b = vec![0.0; k];
    let mut ll = loglik(&b);
    let mut converged = false;
    let mut iterations = 0;
    while iterations < max_iter {
        iterations += 1;
        let mut g = vec![0.0; k];
        let mut h = vec![vec![0.0; k]; k];
        for (r, &yi) in design.iter().zip(&yv) {
            let p = logistic(r.iter().zip(&b).map(|(x, c)| x * c).sum());
            let w = p * (1.0 - p);
            for i in 0..k {
                g[i] += (yi - p) * r[i];
                for j in 0..k {
                    h[i][j] += w * r[i] * r[j];
                }
            }
        }
        // A tiny ridge only keeps the linear solve defined; it does not regularise the estimate.
        for (i, row) in h.iter_mut().enumerate() {
            row[i] += 1e-10;
        }
        let Some(step) = solve(h, g) else { break };
        let mut t = 1.0;
        let mut accepted = false;
        for _ in 0..30 {
            let cand: Vec<f64> = b.iter().zip(&step).map(|(c, s)| c + t * s).collect();
            let lc = loglik(&cand);
            if lc >= ll {
                let change = lc - ll;
                b = cand;
                ll = lc;
                accepted = true;
                if change < 1e-10 {
                    converged = true;
                }
                break;
            }
            t /= 2.0;
        }
        if !accepted || converged {
            converged = converged || !accepted;
            break;
        }
    }
    let max_coef = b.iter().skip(1).fold(0.0f64, |m, v| m.max(v.abs()));
    let separated = ll > -1e-3 * y.len() as f64 || max_coef > 25.0;
    LogisticFit {
        coef: b,
        iterations,
        converged: converged && !separated,
        separated,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn patron_rate_is_shrunk_toward_overall() {
        let patrons: Vec<String> = ["RUS", "RUS", "USA", "USA"]
            .iter()
            .map(|s| s.to_string())
            .collect();
        let y = [true, true, false, false];
        // k = 2, n = 2, r = 0.5, m = 2: (2 + 1) / 4
        assert!((patron_base_rate(&patrons, &y, "RUS") - 0.75).abs() < 1e-12);
        // Unseen patron gets the overall rate.
        assert!((patron_base_rate(&patrons, &y, "FRA") - 0.5).abs() < 1e-12);
    }

    #[test]
    fn checklist_counts_each_signed_factor_once() {
        let zero = [0.0; NX];
        // Three negative factors count 1 each at 0.
        assert_eq!(checklist_score(&zero), 3.0);
        assert_eq!(checklist_score(&[1.0; NX]), 14.0);
    }

    #[test]
    fn mle_recovers_a_known_fit_and_flags_separation() {
        // Overlapping data: x = 0,1,2,3 each with y = 0 and 1 except skewed counts.
        let rows: Vec<Vec<f64>> = [0.0, 0.0, 0.0, 1.0, 1.0, 1.0, 1.0]
            .iter()
            .map(|v| vec![*v])
            .collect();
        let y = [false, false, true, true, true, true, false];
        let fit = logistic_mle(&rows, &y, 50);
        assert!(fit.converged && !fit.separated);
        // Saturated in one binary covariate: p(x=0) = 1/3, p(x=1) = 3/4.
        assert!((fit.predict(&[0.0]) - 1.0 / 3.0).abs() < 1e-8);
        assert!((fit.predict(&[1.0]) - 0.75).abs() < 1e-8);
        let sep_rows: Vec<Vec<f64>> = [0.0, 0.0, 1.0, 1.0].iter().map(|v| vec![*v]).collect();
        let sep = logistic_mle(&sep_rows, &[false, false, true, true], 25);
        assert!(sep.separated && !sep.converged);
    }
}
