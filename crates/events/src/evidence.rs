//! From indicator series to suggested factor values: the mapping the daily risk monitor uses.
//!
//! A pure function of daily counts. For each family it asks one question, *how surprising is the
//! recent window's count, given the baseline before it?*, and answers it with a tail probability,
//! so that one rule serves a 2% sample of ICEWS (a handful of events a month) and GDELT (hundreds
//! a day). With `r` = `recent_days` (7), `x` the events in the recent window, and `B` the events
//! in the `n` ≤ `baseline_days` (90) days before it:
//!
//! ```text
//! expected   μ = r · (B + a) / n                       a = prior_events = 0.5
//! dispersion φ = max(V − M, 0) / M²                    M, V: mean and variance of the
//!                                                      baseline's rolling r-day sums
//! shape      k = 1 / (1 / (B + a) + φ)
//! p          = P(X ≥ x),  X ~ negative binomial with mean μ and shape k (variance μ + μ²/k)
//! surprise   s = −log10 p
//! level      = clamp((s − 1) / (4 − 1), 0, 1)          surprise_start = 1, surprise_full = 4
//!              None (too little to say) unless x ≥ 3 or μ ≥ 3   (min_recent_events = 3)
//! ```
//!
//! ## Why this shape
//!
//! - **Counts, not a z-score of means.** A z-score needs a floor under the baseline's standard
//!   deviation (else one event after a quiet spell is infinitely many sds), and any floor that
//!   tames dense data blinds the rule to sparse data: four events in a week after ninety empty days
//!   is a z of 0.57 under a floor of one event a day, yet it is very improbable under any rate the
//!   empty baseline allows. Asking how probable at least `x` events are uses exactly what a sparse
//!   sample has.
//! - **A Gamma-Poisson (negative binomial) count.** The next window's rate differs from the
//!   baseline's average for two reasons, and `1/k` is the sum of their squared coefficients of
//!   variation (independent relative errors add, to first order). *Estimation:* the rate was
//!   learnt from `B` events; under Jeffreys' prior the rate's posterior is Gamma(B + ½, n), whose
//!   squared coefficient of variation is 1/(B + ½). *Variation:* event rates move from week to
//!   week (news cycles, a source's coverage, holidays), which a Poisson test reads as signal; `φ`
//!   measures that on the baseline itself by the method of moments. With an empty baseline the
//!   model is exactly the Bayesian predictive count, NB(½, n/(n + r)); with a dense baseline
//!   1/(B + ½) vanishes and `φ` alone sets how large a rise must be, so GDELT's ordinary busy
//!   weeks do not flag (a baseline that swings ±50% week to week needs about twice its mean in a
//!   week for half a level, where a Poisson test would give a nearly full one at 1.5 times).
//! - **Dispersion measured on windows, not days.** The quantity tested is an r-day count.
//!   Day-to-day variation holds weekday effects and one-day spikes that average out over a
//!   window, while news-cycle persistence makes neighbouring days move together, which daily
//!   variance misses; the variance of the baseline's own r-day sums has both right. It is
//!   floored at Poisson (`φ ≥ 0`): a baseline less variable than Poisson is mostly a short
//!   baseline's chance and must not make small rises look surprising.
//! - **Half an event of prior (`a`).** Jeffreys' prior for a Poisson rate, Gamma(½, 0), is the
//!   conventional non-informative choice; it is not tuned. An empty baseline then means "about
//!   half an event in the baseline's length", not a zero rate under which one event would be
//!   infinitely surprising; and a short empty baseline says less than a long one (three events
//!   after 14 empty days: level 0.29; after 90: 0.97).
//! - **The surprise scale.** Level 0 up to `s = 1` (`p = 0.1`): one window in ten is at least
//!   that busy by chance, which is ordinary variation, not a departure. Level 1 at `s = 4`
//!   (`p = 10⁻⁴`): a monitor looks at nine families every day, about 3,300 looks a year for one
//!   dyad, and a full signal should arise by chance less than about once in three years of it
//!   (overlapping windows make the looks far from independent, so this errs on the safe side).
//!   In between the level is linear in `s`: each tenfold drop in `p` adds a third.
//! - **Too little to say.** A family gives a level only when the window holds at least
//!   `min_recent_events` (3) events or the baseline expects that many (`μ ≥ 3`); otherwise its
//!   level is `None` and the monitor leaves the factor unknown. One news story is often coded as
//!   one or two events (a statement and the reports of it, several sources), so fewer than three
//!   cannot be told from one story and never make a positive signal. A quiet window is itself a
//!   finding, level 0 as a *known* value ("no rise"), only against a baseline that expected at
//!   least three events: then a rise would have shown. Against a sparse baseline a quiet week is
//!   what any rate would give, and saying "0" would be a claim the data cannot make.
//!
//! A level is a *rise over normal*, not an absolute scale: a country with constant large protests
//! scores 0, and a level says how sure the rise is, not how large it is. So "no rise" (a known 0)
//! is a finding about the family, not about the factor's level, and a level is at most a lower
//! bound on the factor: casus-monitor merges a suggestion `v > 0` as "at least `v`" and leaves a 0
//! unknown. Levels are evidence to show next to an analyst's values, not to replace them.
//! Factors (docs/theory.md names) are suggested as:
//!
//! | factor | from | rule |
//! |---|---|---|
//! | `protest_scale` | protest | level |
//! | `repression_failed` | repression, protest | min of the two: repression rises *and* protest keeps rising |
//! | `military_signals` | force_posture, threat, accusation | max(force_posture, threat, accusation / 2): talk of foreign meddling counts half |
//! | `rival_support` | rival_support | level |
//! | `mass_killings` | mass_violence | level |
//! | `armed_violence` | armed_violence | level |
//!
//! Which dyad feeds which family is the caller's choice; the intended reading is: protest,
//! repression, armed and mass violence on events inside the target (target → target);
//! force posture and threats on patron → target (and patron → patron for exercises);
//! accusations on patron → rival bloc; rival support on rival bloc → target.
//! Cooperation (patron → incumbent) is returned as a signal but suggests no factor value.

use serde::Serialize;

use crate::family::Family;

/// Window lengths and the parameters of [`family_signal`] (see the module docs for why each
/// default is what it is).
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct EvidenceParams {
    /// Days in the recent window (default 7).
    pub recent_days: usize,
    /// Days in the trailing baseline before the recent window (default 90). The baseline must
    /// hold at least `recent_days + 1` days (two windows) for a signal.
    pub baseline_days: usize,
    /// Events of prior added to the baseline, Jeffreys' ½ (default 0.5; must be > 0).
    pub prior_events: f64,
    /// Surprise (−log10 of the tail probability) below which the level is 0 (default 1: p = 0.1).
    pub surprise_start: f64,
    /// Surprise at which the level is 1 (default 4: p = 10⁻⁴).
    pub surprise_full: f64,
    /// A family gives a level only when the recent window holds, or the baseline expects, at
    /// least this many events (default 3); else its level is `None`.
    pub min_recent_events: f64,
}

impl Default for EvidenceParams {
    fn default() -> Self {
        EvidenceParams {
            recent_days: 7,
            baseline_days: 90,
            prior_events: 0.5,
            surprise_start: 1.0,
            surprise_full: 4.0,
            min_recent_events: 3.0,
        }
    }
}

impl EvidenceParams {
    /// Why these parameters cannot be used, if they cannot: `(field, reason)`.
    pub fn check(&self) -> Option<(&'static str, &'static str)> {
        if self.recent_days == 0 {
            return Some(("recent_days", "expected at least 1 day"));
        }
        if self.baseline_days <= self.recent_days {
            return Some(("baseline_days", "expected more days than the recent window"));
        }
        if !(self.prior_events > 0.0 && self.prior_events.is_finite()) {
            return Some(("prior_events", "expected a positive number"));
        }
        if !(self.surprise_start >= 0.0
            && self.surprise_full > self.surprise_start
            && self.surprise_full.is_finite())
        {
            return Some((
                "surprise_full",
                "expected 0 <= surprise_start < surprise_full",
            ));
        }
        if self.min_recent_events.is_nan() || self.min_recent_events < 0.0 {
            return Some(("min_recent_events", "expected a number >= 0"));
        }
        None
    }

    /// The level of a surprise `s` (see the module docs), ignoring the "too little to say" rule.
    pub fn level_of(&self, surprise: f64) -> f64 {
        let span = self.surprise_full - self.surprise_start;
        if span > 0.0 {
            ((surprise - self.surprise_start) / span).clamp(0.0, 1.0)
        } else if surprise >= self.surprise_full {
            1.0
        } else {
            0.0
        }
    }
}

/// One family's recent window against its baseline.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct FamilySignal {
    /// The family.
    pub family: Family,
    /// Events in the recent window (`x`).
    pub recent_events: f64,
    /// Mean daily count in the recent window.
    pub recent_mean: f64,
    /// Days in the baseline (`n`).
    pub baseline_days: usize,
    /// Mean daily count in the baseline.
    pub baseline_mean: f64,
    /// Events the recent window was expected to hold (`μ`, with the prior's half event).
    pub expected: f64,
    /// Squared coefficient of variation of a window's rate beyond Poisson, measured on the
    /// baseline (`φ`).
    pub dispersion: f64,
    /// Shape of the negative binomial (`k`); the variance is `μ + μ²/k`.
    pub shape: f64,
    /// P(at least `recent_events` events) under the baseline.
    pub p_value: f64,
    /// `−log10 p_value`.
    pub surprise: f64,
    /// The level in [0, 1], or `None` when there is too little to say.
    pub level: Option<f64>,
}

/// A suggested factor value with the signals behind it.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct FactorEvidence {
    /// The factor's canonical name from docs/theory.md.
    pub factor: &'static str,
    /// The suggested value in [0, 1].
    pub value: f64,
    /// The families it came from.
    pub families: Vec<Family>,
}

/// The signal of one family from its daily counts, oldest first, ending on the assessment day
/// (days without events must be present as zeros): the last `recent_days` are the recent window,
/// up to `baseline_days` before them the baseline. Returns `None` when the baseline holds fewer
/// than `recent_days + 1` days (two windows: too few to measure how windows vary).
pub fn family_signal(family: Family, daily: &[f64], p: &EvidenceParams) -> Option<FamilySignal> {
    let r = p.recent_days.max(1);
    if daily.len() < 2 * r + 1 {
        return None;
    }
    let (before, recent) = daily.split_at(daily.len() - r);
    let baseline = &before[before.len().saturating_sub(p.baseline_days)..];
    if baseline.len() < r + 1 {
        return None;
    }
    let n = baseline.len() as f64;
    let x = recent.iter().sum::<f64>().max(0.0).round();
    let b = baseline.iter().sum::<f64>().max(0.0);
    let windows: Vec<f64> = baseline.windows(r).map(|w| w.iter().sum()).collect();
    let m = windows.iter().sum::<f64>() / windows.len() as f64;
    let v = windows.iter().map(|w| (w - m).powi(2)).sum::<f64>() / (windows.len() - 1) as f64;
    let dispersion = if m > 0.0 {
        ((v - m) / (m * m)).max(0.0)
    } else {
        0.0
    };
    let a = if p.prior_events > 0.0 {
        p.prior_events
    } else {
        EvidenceParams::default().prior_events
    };
    let expected = r as f64 * (b + a) / n;
    let shape = 1.0 / (1.0 / (b + a) + dispersion);
    let p_value = nb_upper_tail(x, expected, shape);
    let surprise = -p_value.max(f64::MIN_POSITIVE).log10();
    let informative = x >= p.min_recent_events || expected >= p.min_recent_events;
    Some(FamilySignal {
        family,
        recent_events: x,
        recent_mean: x / r as f64,
        baseline_days: baseline.len(),
        baseline_mean: b / n,
        expected,
        dispersion,
        shape,
        p_value,
        surprise,
        level: informative.then(|| p.level_of(surprise)),
    })
}

/// P(X ≥ x) for X negative binomial with mean `mu` and shape `k`: I_q(x, k) with
/// q = mu / (mu + k), the regularized incomplete beta function.
pub(crate) fn nb_upper_tail(x: f64, mu: f64, k: f64) -> f64 {
    if x <= 0.0 {
        return 1.0;
    }
    if mu <= 0.0 {
        return 0.0;
    }
    let q = mu / (mu + k);
    let p = k / (mu + k);
    reg_inc_beta(x, k, q, p)
}

/// The regularized incomplete beta function I_x(a, b), with `y` = 1 − x passed in for precision
/// (continued fraction, Lentz's method).
fn reg_inc_beta(a: f64, b: f64, x: f64, y: f64) -> f64 {
    if x <= 0.0 {
        return 0.0;
    }
    if y <= 0.0 {
        return 1.0;
    }
    let front = (ln_gamma(a + b) - ln_gamma(a) - ln_gamma(b) + a * x.ln() + b * y.ln()).exp();
    let v = if x < (a + 1.0) / (a + b + 2.0) {
        front * beta_cf(a, b, x) / a
    } else {
        1.0 - front * beta_cf(b, a, y) / b
    };
    v.clamp(0.0, 1.0)
}

fn beta_cf(a: f64, b: f64, x: f64) -> f64 {
    const EPS: f64 = 1e-15;
    const TINY: f64 = 1e-300;
    let guard = |v: f64| if v.abs() < TINY { TINY } else { v };
    let (qab, qap, qam) = (a + b, a + 1.0, a - 1.0);
    let mut c = 1.0;
    let mut d = 1.0 / guard(1.0 - qab * x / qap);
    let mut h = d;
    // Converges in O(sqrt(max(a, b))) steps on this side of the mean.
    let max_iter = 200 + 20 * (a.max(b).sqrt() as usize);
    for m in 1..=max_iter {
        let m = m as f64;
        let m2 = 2.0 * m;
        let aa = m * (b - m) * x / ((qam + m2) * (a + m2));
        d = 1.0 / guard(1.0 + aa * d);
        c = guard(1.0 + aa / c);
        h *= d * c;
        let aa = -(a + m) * (qab + m) * x / ((a + m2) * (qap + m2));
        d = 1.0 / guard(1.0 + aa * d);
        c = guard(1.0 + aa / c);
        let del = d * c;
        h *= del;
        if (del - 1.0).abs() < EPS {
            break;
        }
    }
    h
}

/// ln Γ(x) for x > 0 (Lanczos, g = 7, nine terms; relative error about 1e-15).
fn ln_gamma(x: f64) -> f64 {
    const G: [f64; 9] = [
        0.999_999_999_999_809_9,
        676.520_368_121_885_1,
        -1_259.139_216_722_402_8,
        771.323_428_777_653_1,
        -176.615_029_162_140_6,
        12.507_343_278_686_905,
        -0.138_571_095_265_720_12,
        9.984_369_578_019_572e-6,
        1.505_632_735_149_311_6e-7,
    ];
    if x < 0.5 {
        // Reflection: Γ(x) Γ(1 − x) = π / sin(πx).
        return (std::f64::consts::PI / (std::f64::consts::PI * x).sin()).ln() - ln_gamma(1.0 - x);
    }
    let x = x - 1.0;
    let t = x + 7.5;
    let sum = G[1..]
        .iter()
        .enumerate()
        .fold(G[0], |s, (i, g)| s + g / (x + i as f64 + 1.0));
    0.5 * (2.0 * std::f64::consts::PI).ln() + (x + 0.5) * t.ln() - t + sum.ln()
}

/// Suggested factor values from family signals, by the table in the module docs. A factor is
/// suggested only when all the families it needs have a level (for `military_signals`, any
/// one); a family whose level is `None` (too little to say) counts as absent.
pub fn suggest_factors(signals: &[FamilySignal]) -> Vec<FactorEvidence> {
    let level = |f: Family| signals.iter().find(|s| s.family == f).and_then(|s| s.level);
    let mut out = Vec::new();
    let mut single = |factor, f: Family| {
        if let Some(v) = level(f) {
            out.push(FactorEvidence {
                factor,
                value: v,
                families: vec![f],
            });
        }
    };
    single("protest_scale", Family::Protest);
    single("rival_support", Family::RivalSupport);
    single("mass_killings", Family::MassViolence);
    single("armed_violence", Family::ArmedViolence);
    if let (Some(r), Some(p)) = (level(Family::Repression), level(Family::Protest)) {
        out.push(FactorEvidence {
            factor: "repression_failed",
            value: r.min(p),
            families: vec![Family::Repression, Family::Protest],
        });
    }
    let military: Vec<(Family, f64)> = [
        (Family::ForcePosture, 1.0),
        (Family::Threat, 1.0),
        (Family::Accusation, 0.5),
    ]
    .into_iter()
    .filter_map(|(f, w)| level(f).map(|l| (f, l * w)))
    .collect();
    if !military.is_empty() {
        out.push(FactorEvidence {
            factor: "military_signals",
            value: military.iter().map(|(_, v)| *v).fold(0.0, f64::max),
            families: military.iter().map(|(f, _)| *f).collect(),
        });
    }
    out.sort_by_key(|e| e.factor);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn signal(daily: &[f64]) -> FamilySignal {
        family_signal(Family::Protest, daily, &EvidenceParams::default()).unwrap()
    }

    /// `baseline` then a 7-day window holding `recent` events (all on its last day).
    fn with_window(baseline: &[f64], recent: f64) -> Vec<f64> {
        let mut v = baseline.to_vec();
        v.extend([0.0, 0.0, 0.0, 0.0, 0.0, 0.0, recent]);
        v
    }

    fn close(a: f64, b: f64, rel: f64) -> bool {
        (a - b).abs() <= rel * b.abs()
    }

    #[test]
    fn ln_gamma_and_tail_match_references() {
        // Γ(½) = √π, Γ(5) = 24, and Stirling territory.
        assert!((ln_gamma(0.5) - std::f64::consts::PI.sqrt().ln()).abs() < 1e-13);
        assert!((ln_gamma(5.0) - 24f64.ln()).abs() < 1e-13);
        assert!(close(ln_gamma(1e5), 1_051_287.708_973_656_9, 1e-12));
        // P(X ≥ 1) = 1 − p^k exactly.
        let (k, mu) = (0.7, 2.3);
        let p1: f64 = k / (k + mu);
        assert!((nb_upper_tail(1.0, mu, k) - (1.0 - p1.powf(k))).abs() < 1e-13);
        // scipy.stats.nbinom.sf(x - 1, k, k / (k + mu)), scipy 1.17.
        for (k, mu, x, want) in [
            (11.0, 700.0, 1050.0, 0.063_309_198_233_691_4),
            (0.135, 0.272, 4.0, 0.017_175_098_288_022_505),
            (900.5, 7.0 * 900.5 / 90.0, 110.0, 1.411_718_931_515_638e-5),
            (5000.0, 3500.0, 3800.0, 6.877_400_083_797_497e-5),
            (2.5, 40.0, 200.0, 1.867_489_044_699_601_2e-4),
        ] {
            let got = nb_upper_tail(x, mu, k);
            assert!(
                close(got, want, 1e-8),
                "k {k} mu {mu} x {x}: {got} vs {want}"
            );
        }
        assert_eq!(nb_upper_tail(0.0, 3.0, 1.0), 1.0);
    }

    #[test]
    fn sparse_rise_after_an_empty_baseline_by_hand() {
        // Ninety empty days: B = 0, so k = ½, μ = 7 · ½ / 90, and the count is the Bayesian
        // predictive NB(½, 90/97): P(X = j) = C(j − ½, j) √(90/97) (7/97)^j, with
        // C(j − ½, j) = 1, ½, 3/8, 5/16 for j = 0..3.
        let empty = [0.0; 90];
        let q: f64 = 7.0 / 97.0;
        let p0 = (90.0f64 / 97.0).sqrt();
        let terms = [1.0, q / 2.0, 3.0 * q * q / 8.0, 5.0 * q.powi(3) / 16.0];
        let tail = |x: usize| 1.0 - p0 * terms[..x].iter().sum::<f64>();

        let one = signal(&with_window(&empty, 1.0));
        assert!((one.expected - 3.5 / 90.0).abs() < 1e-15);
        assert_eq!((one.dispersion, one.shape), (0.0, 0.5));
        assert!(close(one.p_value, tail(1), 1e-10));
        assert_eq!(one.level, None, "one event cannot be told from one story");
        assert_eq!(signal(&with_window(&empty, 2.0)).level, None);

        let three = signal(&with_window(&empty, 3.0));
        assert!(close(three.p_value, tail(3), 1e-8), "{}", three.p_value);
        let level = (-tail(3).log10() - 1.0) / 3.0; // 0.9727
        assert!((three.level.unwrap() - level).abs() < 1e-8);
        assert!(close(
            signal(&with_window(&empty, 4.0)).p_value,
            tail(4),
            1e-7
        ));
        assert_eq!(signal(&with_window(&empty, 4.0)).level, Some(1.0));

        // A quiet window against an empty baseline says nothing (not "known low").
        assert_eq!(signal(&with_window(&empty, 0.0)).level, None);
    }

    #[test]
    fn a_short_empty_baseline_says_less() {
        // Fourteen empty days: NB(½, 14/21); P(X ≥ 3) = 1 − √(2/3) (1 + 1/6 + 1/24) = 0.013400.
        let s = signal(&with_window(&[0.0; 14], 3.0));
        let p = 1.0 - (2.0f64 / 3.0).sqrt() * (1.0 + 1.0 / 6.0 + 1.0 / 24.0);
        assert!(close(s.p_value, p, 1e-9));
        assert!((s.level.unwrap() - (-p.log10() - 1.0) / 3.0).abs() < 1e-8); // 0.2910
        // The baseline must hold two windows.
        assert!(family_signal(Family::Protest, &[0.0; 14], &EvidenceParams::default()).is_none());
        assert!(family_signal(Family::Protest, &[0.0; 15], &EvidenceParams::default()).is_some());
    }

    #[test]
    fn dense_steady_baseline() {
        // Ten a day for 90 days: every 7-day sum is 70, φ = 0, k = B + ½ = 900.5.
        let steady = [10.0; 90];
        let s = signal(&with_window(&steady, 100.0));
        assert_eq!(s.dispersion, 0.0);
        assert!((s.shape - 900.5).abs() < 1e-9);
        // scipy.stats.nbinom.sf(99, 900.5, 900.5 / (900.5 + 70.03889))
        assert!(close(s.p_value, 7.034_893_467_822_612e-4, 1e-8));
        assert!((s.level.unwrap() - 0.717_580_824_957_582_5).abs() < 1e-8);
        // An ordinary week and a quiet one are known lows: the baseline expected 70 events.
        assert_eq!(signal(&with_window(&steady, 70.0)).level, Some(0.0));
        assert_eq!(signal(&with_window(&steady, 0.0)).level, Some(0.0));
    }

    #[test]
    fn an_overdispersed_baseline_does_not_flag_its_own_busy_weeks() {
        // Weeks alternate 5 and 15 a day (GDELT-like swings of ±50%). A week at 15 a day is
        // 1.5 times the mean: ordinary here, while the same week after a steady 10 a day would
        // be a near-full signal.
        let alternating: Vec<f64> = (0..90)
            .map(|i| if (i / 7) % 2 == 0 { 5.0 } else { 15.0 })
            .collect();
        let busy = vec![15.0; 7];
        let mut v = alternating.clone();
        v.extend(&busy);
        let s = signal(&v);
        // Reference (NumPy/SciPy, same formulas): M = 70, V = 430.12, φ = 0.073494,
        // k = 13.397, p = 0.047514, level 0.1077.
        assert!(close(s.dispersion, 0.073_493_975_903_614_46, 1e-10));
        assert!(close(s.shape, 13.397_150_035_694_086, 1e-10));
        assert!(close(s.p_value, 0.047_514_246_924_668_89, 1e-7));
        assert!(s.level.unwrap() < 0.15);
        let mut steady = vec![10.0; 90];
        steady.extend(&busy);
        assert!(signal(&steady).level.unwrap() > 0.95);
        // Twice the busy weeks still shows.
        let mut v = alternating;
        v.extend([30.0; 7]);
        assert_eq!(signal(&v).level, Some(1.0));
    }

    #[test]
    fn too_little_to_say_is_none() {
        // Two events in 90 days expect 0.19 in a week: 0, 1 or 2 events say nothing.
        let mut sparse = [0.0; 90];
        sparse[10] = 1.0;
        sparse[50] = 1.0;
        for x in [0.0, 1.0, 2.0] {
            assert_eq!(signal(&with_window(&sparse, x)).level, None, "{x}");
        }
        assert!(signal(&with_window(&sparse, 3.0)).level.unwrap() > 0.5);
        // A busy window that is ordinary for its baseline is a known 0.
        let three_a_week: Vec<f64> = (0..90).map(|i| f64::from(i % 7 < 3)).collect();
        assert_eq!(signal(&with_window(&three_a_week, 3.0)).level, Some(0.0));
    }

    #[test]
    fn params_are_checked() {
        assert_eq!(EvidenceParams::default().check(), None);
        let bad = EvidenceParams {
            surprise_full: 0.5,
            ..EvidenceParams::default()
        };
        assert_eq!(bad.check().map(|c| c.0), Some("surprise_full"));
        let bad = EvidenceParams {
            baseline_days: 7,
            ..EvidenceParams::default()
        };
        assert_eq!(bad.check().map(|c| c.0), Some("baseline_days"));
        let p = EvidenceParams::default();
        assert_eq!(
            (p.level_of(0.5), p.level_of(2.5), p.level_of(9.0)),
            (0.0, 0.5, 1.0)
        );
    }

    #[test]
    fn factors_follow_the_table() {
        let sig = |family, level| FamilySignal {
            family,
            recent_events: 0.0,
            recent_mean: 0.0,
            baseline_days: 90,
            baseline_mean: 0.0,
            expected: 0.0,
            dispersion: 0.0,
            shape: 0.5,
            p_value: 1.0,
            surprise: 0.0,
            level,
        };
        let out = suggest_factors(&[
            sig(Family::Protest, Some(0.9)),
            sig(Family::Repression, Some(0.4)),
            sig(Family::Accusation, Some(0.8)),
            sig(Family::Threat, Some(0.3)),
            sig(Family::ArmedViolence, None),
        ]);
        let get = |name| out.iter().find(|e| e.factor == name).map(|e| e.value);
        assert_eq!(get("protest_scale"), Some(0.9));
        assert_eq!(get("repression_failed"), Some(0.4));
        assert_eq!(get("military_signals"), Some(0.4));
        assert_eq!(get("mass_killings"), None);
        assert_eq!(
            get("armed_violence"),
            None,
            "too little to say stays unknown"
        );
        let out = suggest_factors(&[
            sig(Family::Protest, None),
            sig(Family::Repression, Some(0.4)),
        ]);
        assert!(out.iter().all(|e| e.factor != "repression_failed"));
    }
}
