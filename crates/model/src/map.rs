//! Maximum a posteriori fit by damped Newton (Levenberg–Marquardt) on the unconstrained scale.
//!
//! The Hessian comes from central differences of the analytic gradient; convergence is judged on
//! the analytic gradient, so the mode is as exact as the gradient (`max |grad| < 1e-10`).

use crate::posterior::LogPosterior;
use serde::{Deserialize, Serialize};

/// The mode and how it was found.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct MapEstimate {
    pub theta: Vec<f64>,
    pub log_posterior: f64,
    pub iterations: usize,
    pub max_abs_gradient: f64,
    pub converged: bool,
}

/// Solve `a x = b` by Gaussian elimination with partial pivoting; `None` if singular.
pub(crate) fn solve(mut a: Vec<Vec<f64>>, mut b: Vec<f64>) -> Option<Vec<f64>> {
    let n = b.len();
    for col in 0..n {
        let piv = (col..n).max_by(|&i, &j| a[i][col].abs().total_cmp(&a[j][col].abs()))?;
        if a[piv][col].abs() < 1e-300 {
            return None;
        }
        a.swap(col, piv);
        b.swap(col, piv);
        for row in col + 1..n {
            let m = a[row][col] / a[col][col];
            if m != 0.0 {
                let (top, bottom) = a.split_at_mut(row);
                for (dst, src) in bottom[0][col..].iter_mut().zip(&top[col][col..]) {
                    *dst -= m * src;
                }
                b[row] -= m * b[col];
            }
        }
    }
    let mut x = vec![0.0; n];
    for row in (0..n).rev() {
        let s: f64 = (row + 1..n).map(|k| a[row][k] * x[k]).sum();
        x[row] = (b[row] - s) / a[row][row];
    }
    Some(x)
}

#[allow(clippy::needless_range_loop)] // symmetric index pairs read best as indices
fn neg_hessian(lp: &LogPosterior, theta: &[f64]) -> Vec<Vec<f64>> {
    let h = 1e-5;
    let dim = lp.dim();
    let mut m = vec![vec![0.0; dim]; dim];
    let mut gu = vec![0.0; dim];
    let mut gd = vec![0.0; dim];
    let mut t = theta.to_vec();
    for j in 0..dim {
        t[j] = theta[j] + h;
        lp.logp_grad(&t, &mut gu);
        t[j] = theta[j] - h;
        lp.logp_grad(&t, &mut gd);
        t[j] = theta[j];
        for i in 0..dim {
            m[i][j] = -(gu[i] - gd[i]) / (2.0 * h);
        }
    }
    // symmetrise
    for i in 0..dim {
        for j in 0..i {
            let v = 0.5 * (m[i][j] + m[j][i]);
            m[i][j] = v;
            m[j][i] = v;
        }
    }
    m
}

/// Find the posterior mode starting from `start`.
pub fn find_mode(lp: &LogPosterior, start: &[f64]) -> MapEstimate {
    let mut theta = start.to_vec();
    let mut g = vec![0.0; lp.dim()];
    let mut f = lp.logp_grad(&theta, &mut g);
    let mut lambda = 1e-3;
    let mut iterations = 0;
    let max_grad = |g: &[f64]| g.iter().fold(0.0f64, |m, v| m.max(v.abs()));
    while iterations < 200 && max_grad(&g) >= 1e-10 {
        iterations += 1;
        let h = neg_hessian(lp, &theta);
        let mut improved = false;
        for _ in 0..40 {
            let mut a = h.clone();
            for (i, row) in a.iter_mut().enumerate() {
                row[i] += lambda * (1.0 + h[i][i].abs());
            }
            if let Some(step) = solve(a, g.clone()) {
                let cand: Vec<f64> = theta.iter().zip(&step).map(|(t, s)| t + s).collect();
                let mut gc = vec![0.0; lp.dim()];
                let fc = lp.logp_grad(&cand, &mut gc);
                if fc.is_finite() && fc >= f - 1e-12 * f.abs().max(1.0) {
                    theta = cand;
                    f = fc;
                    g = gc;
                    lambda = (lambda / 10.0).max(1e-12);
                    improved = true;
                    break;
                }
            }
            lambda *= 10.0;
        }
        if !improved {
            break;
        }
    }
    let mg = max_grad(&g);
    MapEstimate {
        theta,
        log_posterior: f,
        iterations,
        max_abs_gradient: mg,
        converged: mg < 1e-8,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn solve_small_system() {
        let a = vec![vec![2.0, 1.0], vec![1.0, 3.0]];
        let x = solve(a, vec![3.0, 5.0]).unwrap();
        assert!((x[0] - 0.8).abs() < 1e-12 && (x[1] - 1.4).abs() < 1e-12);
        assert!(solve(vec![vec![0.0, 0.0], vec![0.0, 0.0]], vec![1.0, 1.0]).is_none());
    }
}
