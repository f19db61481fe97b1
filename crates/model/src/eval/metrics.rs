//! Forecast metrics: functions of (forecast probabilities, outcomes), nothing about models. They are
//! `casus_core::metrics`, shared with the track record so that `casus evaluate` and
//! `casus forecast score` give the same numbers on the same forecasts.

pub use casus_core::metrics::{
    CalibrationBin, LOG_LOSS_CLIP as EPS, auc, brier, calibration, log_loss,
};
