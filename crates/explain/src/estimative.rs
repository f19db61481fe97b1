//! The words casus uses for probabilities. The scale itself lives in one place,
//! [`casus_core::ESTIMATIVE_SCALE`] (shared with `casus assess`); this module adds the phrasing
//! helpers explanations and reports use.
//!
//! The bands are those of US Intelligence Community Directive 203, *Analytic Standards* (2015),
//! which descend from Sherman Kent's "Words of Estimative Probability" (1964): almost no chance
//! (below 5%), very unlikely (5–20%), unlikely (20–45%), roughly even chance (45–55%), likely
//! (55–80%), very likely (80–95%), almost certain (95% and above). A probability on a boundary
//! takes the higher band.
//!
//! ```
//! use casus_explain::estimative::{band, percent, percent_range};
//! assert_eq!(band(0.06).words, "very unlikely");
//! assert_eq!(percent(0.0614), "6%");
//! assert_eq!(percent_range([0.02, 0.151]), "2–15%");
//! ```

pub use casus_core::{Band, ESTIMATIVE_SCALE as SCALE, percent};

/// Where the scale comes from, for reports.
pub const SOURCE: &str = "ICD 203, Analytic Standards (US ODNI, 2015), after S. Kent, \
    \"Words of Estimative Probability\" (1964)";

/// The band a probability falls in (NaN counts as 0).
pub fn band(p: f64) -> Band {
    casus_core::estimative_band(if p.is_nan() { 0.0 } else { p })
}

/// An interval as "2–15%".
pub fn percent_range(iv: [f64; 2]) -> String {
    let a = percent(iv[0]);
    let b = percent(iv[1]);
    format!("{}–{}", a.trim_end_matches('%'), b)
}

/// "very unlikely (6%, 90% interval 2–15%)".
pub fn phrase(p: f64, iv: [f64; 2]) -> String {
    format!(
        "{} ({}, 90% interval {})",
        band(p).words,
        percent(p),
        percent_range(iv)
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn boundaries_take_the_higher_band() {
        assert_eq!(band(0.049).words, "almost no chance");
        assert_eq!(band(0.05).words, "very unlikely");
        assert_eq!(band(1.0).words, "almost certain");
        assert_eq!(band(f64::NAN).words, "almost no chance");
    }

    #[test]
    fn ranges_are_whole_percents() {
        assert_eq!(percent_range([0.001, 0.02]), "<1–2%");
        assert_eq!(
            phrase(0.06, [0.02, 0.15]),
            "very unlikely (6%, 90% interval 2–15%)"
        );
    }
}
