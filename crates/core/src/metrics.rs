//! Forecast metrics: Brier score, log loss, AUC and reliability (calibration) bins, as functions of
//! forecast probabilities and outcomes, nothing about models or storage.
//!
//! This is the one implementation: the model's evaluation (`casus evaluate`), the track record's
//! scores (`casus forecast score`, the server's `/api/v1/scores`) and the reports all call it, so the
//! same forecasts get the same numbers everywhere.
//!
//! ```
//! use casus_core::metrics::{brier, log_loss};
//! let (p, y) = ([0.9, 0.2], [true, false]);
//! assert!((brier(&p, &y) - 0.025).abs() < 1e-12);
//! assert!((log_loss(&p, &y) + (0.9f64.ln() + 0.8f64.ln()) / 2.0).abs() < 1e-12);
//! ```

use serde::{Deserialize, Serialize};

/// Probabilities are clipped to `[LOG_LOSS_CLIP, 1 − LOG_LOSS_CLIP]` in the log loss, so that a
/// forecast of exactly 0 or 1 that misses costs `−ln 1e-15` ≈ 34.5 nats instead of infinity.
///
/// Why 1e-15: the clip exists only to keep certainty finite, so it should be as small as `f64` can
/// honour on both ends. Just below 1 the spacing of `f64` is 1.1e-16, so `1 − 1e-15` still carries
/// the clip to within 0.1% while `1 − 1e-16` would be 11% off. That leaves every forecast a model or
/// a crowd actually gives untouched and makes a forecaster who claimed certainty and was wrong pay
/// the most. It is also the long-standing default of scikit-learn's `log_loss`, so the figures can
/// be checked against it. The larger clip the track record used before (1e-6, capping a miss at
/// 13.8 nats) quietly forgave certainty.
pub const LOG_LOSS_CLIP: f64 = 1e-15;

fn outcome(y: bool) -> f64 {
    f64::from(u8::from(y))
}

/// Brier score of one forecast: `(p − y)²`, 0 best, 1 worst.
pub fn brier_one(p: f64, y: bool) -> f64 {
    let d = p - outcome(y);
    d * d
}

/// Log loss of one forecast in nats: `−ln p` if it happened, `−ln(1 − p)` if not, with `p` clipped
/// by [`LOG_LOSS_CLIP`].
pub fn log_loss_one(p: f64, y: bool) -> f64 {
    let p = p.clamp(LOG_LOSS_CLIP, 1.0 - LOG_LOSS_CLIP);
    -(if y { p } else { 1.0 - p }).ln()
}

fn mean_of(p: &[f64], y: &[bool], f: fn(f64, bool) -> f64) -> f64 {
    assert_eq!(p.len(), y.len(), "one forecast per outcome");
    p.iter().zip(y).map(|(&p, &y)| f(p, y)).sum::<f64>() / p.len() as f64
}

/// Mean Brier score of the forecasts; lower is better. `NaN` when there are none.
pub fn brier(p: &[f64], y: &[bool]) -> f64 {
    mean_of(p, y, brier_one)
}

/// Mean log loss in nats; lower is better. `NaN` when there are none.
pub fn log_loss(p: &[f64], y: &[bool]) -> f64 {
    mean_of(p, y, log_loss_one)
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

/// One reliability bin: the forecasts with `lower <= p < upper` (the last bin includes 1).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CalibrationBin {
    pub lower: f64,
    pub upper: f64,
    pub n: usize,
    /// Mean forecast in the bin (`null` when empty).
    pub mean_predicted: Option<f64>,
    /// Share of the bin's forecasts whose event happened (`null` when empty).
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
        sums[b].1 += outcome(yi);
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
        assert!((brier_one(0.1, false) - 0.01).abs() < 1e-15);
        assert!((brier_one(0.8, true) - 0.04).abs() < 1e-15);
        assert!(brier(&[], &[]).is_nan());
    }

    #[test]
    fn log_loss_by_hand() {
        // −(ln 0.9 + ln 0.8 + ln 0.4 + ln 0.4) / 4
        let want = -(0.9f64.ln() + 0.8f64.ln() + 0.4f64.ln() + 0.4f64.ln()) / 4.0;
        assert!((log_loss(&P, &Y) - want).abs() < 1e-12);
        // −ln 0.9 = 0.105360516, −ln 0.8 = 0.223143551.
        assert!((log_loss_one(0.1, false) - 0.105_360_515_657_826_3).abs() < 1e-12);
        assert!((log_loss_one(0.8, true) - 0.223_143_551_314_209_7).abs() < 1e-12);
        // A confident miss is clipped, not infinite: −ln 1e-15 ≈ 34.539 nats, on either side.
        assert!((log_loss(&[0.0], &[true]) - 34.538_776_394_910_684).abs() < 1e-9);
        assert!((log_loss_one(1.0, false) - 34.538_776_394_910_684).abs() < 1e-3);
        assert_eq!(log_loss_one(1.0, true), -(1.0 - LOG_LOSS_CLIP).ln());
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
        let edge = calibration(&[1.0, 0.0, 0.1], &[true, false, false], 10);
        assert_eq!(edge[9].n, 1);
        assert_eq!(edge[0].n, 1);
        assert_eq!(edge[1].n, 1);
        assert_eq!(edge[2].mean_predicted, None);
    }
}
