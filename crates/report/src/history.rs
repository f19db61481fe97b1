//! A situation's risk over time as a reader sees it: `casus history`'s note, and the words of a
//! move across an estimative band that the alerts feed announces.

use casus_core::{BandMove, Changes, Factor, FactorValue, History, country_name, percent};
use std::fmt::Write as _;

/// The move from `a` to `b` in whole points of the percents shown ("+23 pts", "−4 pts", "±0 pts"),
/// so that "26% → 50%" reads "+24 pts" whatever the unrounded difference.
fn points(a: f64, b: f64) -> String {
    let v = (100.0 * b).round() as i64 - (100.0 * a).round() as i64;
    match v {
        0 => "±0 pts".into(),
        v if v > 0 => format!("+{v} pts"),
        v => format!("−{} pts", -v),
    }
}

fn interval(iv: [f64; 2]) -> String {
    format!(
        "{}–{}",
        percent(iv[0]).trim_end_matches('%'),
        percent(iv[1])
    )
}

fn value(f: Factor, v: FactorValue) -> String {
    match v {
        FactorValue::Unknown => "unknown".into(),
        v => format!("{v} ({})", f.reading(v)),
    }
}

/// The lines that say what changed in one version: factors re-coded, evidence added or dropped.
fn change_lines(c: &Changes) -> Vec<String> {
    let mut out: Vec<String> = c
        .factors
        .iter()
        .map(|fc| {
            format!(
                "{}: {} → {}",
                fc.factor.label(),
                value(fc.factor, fc.from),
                value(fc.factor, fc.to)
            )
        })
        .collect();
    out.extend(c.evidence_added.iter().map(|e| {
        format!(
            "evidence added ({}, {}): {} [{}]",
            e.factor.label(),
            e.date,
            e.text,
            e.source
        )
    }));
    if c.evidence_removed > 0 {
        out.push(match c.evidence_removed {
            1 => "one piece of evidence no longer cited".to_string(),
            n => format!("{n} pieces of evidence no longer cited"),
        });
    }
    out
}

/// `casus history`'s text: a table of versions, then what changed in each and where the risk
/// crossed into another estimative band.
pub fn history_text(h: &History) -> String {
    let mut o = String::new();
    let n = h.points.len();
    let _ = writeln!(
        o,
        "{} ({}): the risk that {} uses military force in or against {} within {} days, over {n} version{}.",
        h.title,
        h.id,
        country_name(&h.patron),
        country_name(&h.target),
        h.horizon_days,
        if n == 1 { "" } else { "s" }
    );
    let _ = writeln!(o);
    let _ = writeln!(
        o,
        "{:<8} {:<10}  {:>11}  {:<12}  words",
        "version", "as of", "probability", "90% interval"
    );
    for p in &h.points {
        let _ = writeln!(
            o,
            "{:<8} {:<10}  {:>11}  {:<12}  {}",
            format!("v{}", p.version),
            p.as_of,
            percent(p.probability),
            interval(p.interval),
            p.words
        );
    }
    for w in h.points.windows(2) {
        let (a, b) = (&w[0], &w[1]);
        let _ = writeln!(o);
        let crossed = if a.words == b.words {
            String::new()
        } else {
            format!("; crossed from \"{}\" to \"{}\"", a.words, b.words)
        };
        let _ = writeln!(
            o,
            "v{} (as of {}{}): {} → {} ({}){crossed}",
            b.version,
            b.as_of,
            b.source
                .as_deref()
                .map(|s| format!(", {s}"))
                .unwrap_or_default(),
            percent(a.probability),
            percent(b.probability),
            points(a.probability, b.probability),
        );
        let lines = change_lines(&b.changes);
        if lines.is_empty() {
            let _ = writeln!(o, "  no factor or evidence changed");
        }
        for l in lines {
            let _ = writeln!(o, "  {l}");
        }
    }
    o
}

/// The title and summary of a feed entry for a move across an estimative band.
pub fn band_move_text(h: &History, m: &BandMove) -> (String, String) {
    let title = format!(
        "{} → {}: force now \"{}\" ({}), was \"{}\"",
        h.patron,
        h.target,
        m.to_words,
        percent(m.to_probability),
        m.from_words
    );
    let summary = format!(
        "{} ({}): version {} as of {} puts the chance that {} uses military force in or against {} \
         within {} days at {} ({}), up from version {}'s {} ({}).",
        h.title,
        h.id,
        m.to_version,
        m.as_of,
        country_name(&h.patron),
        country_name(&h.target),
        h.horizon_days,
        percent(m.to_probability),
        m.to_words,
        m.from_version,
        percent(m.from_probability),
        m.from_words
    );
    let summary = if m.to_probability < m.from_probability {
        summary.replacen(", up from", ", down from", 1)
    } else {
        summary
    };
    (title, summary)
}

#[cfg(test)]
mod tests {
    use super::*;
    use casus_core::{CountryCode, CrisisType, Evidence, FactorValues, Level, NaiveDate};
    use casus_core::{Situation, VersionInput};

    fn version(v: u32, day: u32, signals: Option<f64>, p: f64) -> VersionInput {
        let mut factors = FactorValues::default();
        let mut evidence = Vec::new();
        if let Some(x) = signals {
            factors.set(
                Factor::MilitarySignals,
                FactorValue::Known(Level::new(x).unwrap()),
            );
            evidence.push(Evidence {
                factor: Factor::MilitarySignals,
                date: NaiveDate::from_ymd_opt(2020, 9, day).unwrap(),
                text: format!("Troops moved, day {day}"),
                source: "https://www.reuters.com/x".into(),
            });
        }
        VersionInput {
            version: v,
            source: None,
            saved_at: None,
            situation: Situation {
                id: "w".into(),
                title: "Watch".into(),
                patron: CountryCode::new("RUS").unwrap(),
                target: CountryCode::new("BLR").unwrap(),
                crisis_type: CrisisType::MassProtest,
                as_of: NaiveDate::from_ymd_opt(2020, 9, day).unwrap(),
                horizon_days: 365,
                factors,
                evidence,
            },
            probability: p,
            interval: [p / 2.0, (p * 1.5).min(1.0)],
        }
    }

    #[test]
    fn the_note_lists_every_version_and_what_changed() {
        let h = History::new(
            "w",
            vec![
                version(1, 1, None, 0.08),
                version(2, 10, Some(0.5), 0.30),
                version(3, 20, Some(1.0), 0.31),
            ],
        )
        .unwrap();
        let t = history_text(&h);
        assert!(t.contains("over 3 versions"), "{t}");
        assert!(t.contains("v1       2020-09-01           8%  4–12%"), "{t}");
        assert!(t.contains("v2 (as of 2020-09-10): 8% → 30% (+22 pts); crossed from \"very unlikely\" to \"unlikely\""), "{t}");
        assert!(
            t.contains("overt military moves and threats: unknown → 0.50 (exercises, warnings)"),
            "{t}"
        );
        assert!(t.contains("evidence added (overt military moves and threats, 2020-09-20): Troops moved, day 20"), "{t}");
        assert!(
            t.contains("v3 (as of 2020-09-20): 30% → 31% (+1 pts)\n"),
            "{t}"
        );
        assert!(t.contains("one piece of evidence no longer cited"), "{t}");
        let m = h.band_moves();
        assert_eq!(m.len(), 1);
        let (title, summary) = band_move_text(&h, &m[0]);
        assert_eq!(
            title,
            "RUS → BLR: force now \"unlikely\" (30%), was \"very unlikely\""
        );
        assert!(
            summary.contains("up from version 1's 8% (very unlikely)"),
            "{summary}"
        );
    }
}
