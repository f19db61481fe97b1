//! Forecast metrics: functions of (forecast probabilities, outcomes), nothing about models.

use serde::{Deserialize, Serialize};

/// Probabilities are clipped to [EPS, 1 − EPS] in the log loss so that one confident miss costs
/// about 34.5 nats instead of infinity.
pub const EPS: f64 = 1e-15;

/// Mean squared error of the probabilities (Brier score); lower is better.
pub fn brier(p: &[f64], y: &[bool]) -> f64 {
    assert_eq!(p.len(), y.len(), "one forecast per outcome");
    p.iter()
        .zip(y)
        .map(|(p, &y)| (p - f64::from(u8::from(y))).powi(2))
        .sum::<f64>()
        / p.len() as f64
}

/// Mean negative log-likelihood in nats (log loss); lower is better.
pub fn log_loss(p: &[f64], y: &[bool]) -> f64 {
    assert_eq!(p.len(), y.len(), "one forecast per outcome");
    p.iter()
        .zip(y)
        .map(|(p, &y)| {
            let p = p.clamp(EPS, 1.0 - EPS);
            -(if y { p.ln() } else { (1.0 - p).ln() })
        })
        .sum::<f64>()
        / p.len() as f64
}

/// Area under the ROC curve: the chance that a random force case gets a higher probability than a
/// random no-force case, ties counting one half. `NaN` when one class is empty.
pub fn auc(p: &[f64], y: &[bool]) -> f64 {
    assert_eq!(p.len(), y.len(), "one forecast per outcome");
    let mut pairs = 0.0;
    let mut wins = 0.0;
    for (pi, &yi) in p.iter().zip(y) {
        if !yi {
            continue;
        }
        for (pj, &yj) in p.iter().zip(y) {
            if yj {
                continue;
            }
            pairs += 1.0;
            wins += if pi > pj {
                1.0
            } else if pi == pj {
                0.5
            } else {
                0.0
            };
        }
    }
    if pairs == 0.0 { f64::NAN } else { wins / pairs }
}

/// One reliability bin.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CalibrationBin {
    pub lower: f64,
    pub upper: f64,
    pub n: usize,
    /// Mean forecast in the bin (`null` when empty).
    pub mean_predicted: Option<f64>,
    /// Share of force outcomes in the bin (`null` when empty).
    pub observed_rate: Option<f64>,
}

/// Reliability table with `bins` equal-width bins on [0, 1]; a forecast of exactly 1 falls in the
/// last bin.
pub fn calibration(p: &[f64], y: &[bool], bins: usize) -> Vec<CalibrationBin> {
    assert_eq!(p.len(), y.len(), "one forecast per outcome");
    let mut out: Vec<CalibrationBin> = (0..bins)
        .map(|b| CalibrationBin {
            lower: b as f64 / bins as f64,
            upper: (b + 1) as f64 / bins as f64,
            n: 0,
            mean_predicted: None,
            observed_rate: None,
        })
        .collect();
    let mut sums = vec![(0.0, 0.0); bins];
    for (&pi, &yi) in p.iter().zip(y) {
        let b = ((pi * bins as f64).floor() as usize).min(bins - 1);
        out[b].n += 1;
        sums[b].0 += pi;
        sums[b].1 += f64::from(u8::from(yi));
    }
    for (bin, (sp, sy)) in out.iter_mut().zip(sums) {
        if bin.n > 0 {
            bin.mean_predicted = Some(sp / bin.n as f64);
            bin.observed_rate = Some(sy / bin.n as f64);
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    const P: [f64; 4] = [0.9, 0.2, 0.6, 0.4];
    const Y: [bool; 4] = [true, false, false, true];

    #[test]
    fn brier_by_hand() {
        // (0.1² + 0.2² + 0.6² + 0.6²) / 4 = (0.01 + 0.04 + 0.36 + 0.36) / 4 = 0.1925
        assert!((brier(&P, &Y) - 0.1925).abs() < 1e-12);
        assert_eq!(brier(&[1.0, 0.0], &[true, false]), 0.0);
    }

    #[test]
    fn log_loss_by_hand() {
        // −(ln 0.9 + ln 0.8 + ln 0.4 + ln 0.4) / 4
        let want = -(0.9f64.ln() + 0.8f64.ln() + 0.4f64.ln() + 0.4f64.ln()) / 4.0;
        assert!((log_loss(&P, &Y) - want).abs() < 1e-12);
        // A confident miss is clipped, not infinite.
        assert!((log_loss(&[0.0], &[true]) - (-(EPS.ln()))).abs() < 1e-9);
    }

    #[test]
    fn auc_by_hand() {
        // Force cases 0.9 and 0.4, no-force 0.2 and 0.6: pairs (0.9>0.2) (0.9>0.6) (0.4>0.2) (0.4<0.6) → 3/4.
        assert!((auc(&P, &Y) - 0.75).abs() < 1e-12);
        // Ties count one half.
        assert!((auc(&[0.5, 0.5], &[true, false]) - 0.5).abs() < 1e-12);
        assert!(auc(&[0.5], &[true]).is_nan());
    }

    #[test]
    fn calibration_by_hand() {
        let t = calibration(&P, &Y, 2);
        assert_eq!(t.len(), 2);
        assert_eq!(t[0].n, 2); // 0.2, 0.4
        assert!((t[0].mean_predicted.unwrap() - 0.3).abs() < 1e-12);
        assert!((t[0].observed_rate.unwrap() - 0.5).abs() < 1e-12);
        assert_eq!(t[1].n, 2); // 0.9, 0.6
        assert!((t[1].mean_predicted.unwrap() - 0.75).abs() < 1e-12);
        assert!((t[1].observed_rate.unwrap() - 0.5).abs() < 1e-12);
        let edge = calibration(&[1.0, 0.0], &[true, false], 5);
        assert_eq!(edge[4].n, 1);
        assert_eq!(edge[0].n, 1);
        assert_eq!(edge[2].mean_predicted, None);
    }
}
