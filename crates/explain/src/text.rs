//! The explanation as a short analyst's note in plain text, in the article's order.

use crate::estimative::{band, percent, percent_range};
use crate::explanation::Explanation;
use crate::interests::InterestState;
use crate::names::{country, country_cap};
use crate::notes::FactorNote;
use crate::path::StepState;
use std::fmt::Write as _;

/// Lines are wrapped at this width.
pub const WIDTH: usize = 96;

/// Greedy word wrap with a hanging indent.
pub fn wrap(text: &str, first: &str, rest: &str) -> String {
    let mut out = String::new();
    let mut line = first.to_string();
    let mut empty = true;
    for word in text.split_whitespace() {
        if !empty && line.chars().count() + 1 + word.chars().count() > WIDTH {
            out.push_str(line.trim_end());
            out.push('\n');
            line = rest.to_string();
            empty = true;
        }
        if !empty {
            line.push(' ');
        }
        line.push_str(word);
        empty = false;
    }
    out.push_str(line.trim_end());
    out.push('\n');
    out
}

/// How strongly a log-odds contribution pushes, in words.
pub fn strength(c: f64) -> &'static str {
    let a = c.abs();
    if a < 0.05 {
        "no weight"
    } else if c > 0.0 {
        if a >= 1.0 {
            "raises the risk strongly"
        } else if a >= 0.3 {
            "raises the risk"
        } else {
            "raises the risk slightly"
        }
    } else if a >= 1.0 {
        "lowers the risk strongly"
    } else if a >= 0.3 {
        "lowers the risk"
    } else {
        "lowers the risk slightly"
    }
}

fn capitalise(s: &str) -> String {
    let mut c = s.chars();
    c.next()
        .map_or_else(String::new, |f| f.to_uppercase().chain(c).collect())
}

fn factor_lines(out: &mut String, n: &FactorNote) {
    let weight = n
        .contribution
        .map(|c| format!(" [{}]", strength(c)))
        .unwrap_or_default();
    out.push_str(&wrap(
        &format!("{}: {}{weight}", n.label, n.reading),
        "   - ",
        "     ",
    ));
    for e in &n.evidence {
        out.push_str(&wrap(
            &format!("{}: {} (source: {})", e.date, e.text, e.source),
            "       · ",
            "         ",
        ));
    }
}

/// Render the explanation.
pub fn render(x: &Explanation) -> String {
    let s = &x.situation;
    let patron = country(&s.patron);
    let patron_cap = country_cap(&s.patron);
    let target = country(&s.target);
    let mut o = String::new();
    let _ = writeln!(o, "Will {patron} use force in or against {target}?");
    let _ = writeln!(
        o,
        "{} ({}); as of {}, horizon {} days",
        s.title, s.crisis_type, s.as_of, s.horizon_days
    );
    o.push('\n');
    o.push_str(&wrap(
        &format!(
            "{}: {} (90% interval {}) that {patron} uses force in or against {target} within {} days.",
            capitalise(x.band),
            percent(x.probability),
            percent_range(x.interval),
            s.horizon_days
        ),
        "",
        "",
    ));

    // Why would the patron intervene?
    let _ = writeln!(o, "\nWHY WOULD {} INTERVENE?", patron.to_uppercase());
    o.push_str(&wrap(
        &format!(
            "{patron_cap} would use force only if it saw force as the best way to secure one of two core \
             interests."
        ),
        "",
        "",
    ));
    for (i, it) in x.interests.iter().enumerate() {
        o.push('\n');
        o.push_str(&wrap(
            &format!("{}. {}: {}.", i + 1, capitalise(it.title), it.state.words()),
            "",
            "   ",
        ));
        for n in &it.factors {
            factor_lines(&mut o, n);
        }
    }

    // How likely is an intervention?
    o.push_str("\nHOW LIKELY IS AN INTERVENTION?\n");
    let threatened = x
        .interests
        .iter()
        .filter(|i| i.state == InterestState::Threatened)
        .count();
    let in_place: Vec<_> = x
        .restraints
        .iter()
        .filter(|r| r.in_place == Some(true))
        .collect();
    o.push_str(&wrap(
        &format!(
            "{} ({}, 90% interval {}). {} of the two core interests {} threatened by the present \
             course, and {} of the {} restraints {} in place.",
            capitalise(x.band),
            percent(x.probability),
            percent_range(x.interval),
            match threatened {
                0 => "Neither",
                1 => "One",
                _ => "Both",
            },
            if threatened == 2 { "are" } else { "is" },
            in_place.len(),
            x.restraints.len(),
            if in_place.len() == 1 { "is" } else { "are" },
        ),
        "",
        "",
    ));
    o.push_str("\nThe escalation path (Ukraine 2014):\n");
    for (i, st) in x.path.iter().enumerate() {
        let mark = match st.state {
            StepState::Reached => "[x]",
            StepState::Partly => "[~]",
            StepState::NotReached => "[ ]",
            StepState::Unknown => "[?]",
        };
        let detail = match st.probability {
            Some(p) => format!("{} ({})", band(p).words, percent(p)),
            None => st.reading.clone(),
        };
        o.push_str(&wrap(
            &format!("{}. {}: {}", i + 1, st.description, detail),
            &format!("  {mark} "),
            "         ",
        ));
    }
    let reached = x.path.iter().filter(|s| s.reached).count();
    o.push_str(&wrap(
        &format!(
            "{} of the five steps before force reached ([x] reached, [~] partly, [ ] not reached).",
            reached
        ),
        "  ",
        "  ",
    ));

    o.push_str("\nRestraints in place:\n");
    if in_place.is_empty() {
        o.push_str("  (none)\n");
    }
    for r in &in_place {
        o.push_str(&wrap(
            &format!("{} [{}]", r.description, strength(r.contribution)),
            "  + ",
            "    ",
        ));
    }
    let missing: Vec<_> = x
        .restraints
        .iter()
        .filter(|r| r.in_place != Some(true))
        .collect();
    if !missing.is_empty() {
        o.push_str("Not in place:\n");
        for r in missing {
            let why = if r.in_place.is_none() {
                " (not coded)"
            } else {
                ""
            };
            o.push_str(&wrap(&format!("{}{why}", r.description), "  - ", "    "));
        }
    }

    // Analogues.
    let a = &x.analogues;
    o.push('\n');
    o.push_str(&wrap(
        &format!(
            "Nearest historical cases: {}'s own record in crises of this kind ({}), nearest first:",
            patron, a.kind
        ),
        "",
        "",
    ));
    for c in &a.nearest {
        let pool = match c.pool {
            "own_other_kinds" => " [another kind of crisis]",
            "other_patrons" => " [another patron]",
            _ => "",
        };
        let outcome = if c.force {
            format!("force ({})", c.response)
        } else {
            format!("no force ({})", c.response)
        };
        o.push_str(&wrap(
            &format!(
                "{} {}, similarity {:.2}: {outcome}.{pool}",
                c.id, c.title, c.similarity
            ),
            "  ",
            "      ",
        ));
        if !c.differences.is_empty() {
            let d: Vec<String> = c
                .differences
                .iter()
                .map(|d| {
                    format!(
                        "{}: here \"{}\", there \"{}\"",
                        d.factor.label(),
                        d.here_reading,
                        d.there_reading
                    )
                })
                .collect();
            o.push_str(&wrap(
                &format!("differs in {}", d.join("; ")),
                "      ",
                "      ",
            ));
        }
    }
    let nf = a.nearest.iter().filter(|c| c.force).count();
    o.push_str(&wrap(
        &format!(
            "Force among the {} nearest: {} of {} ({}).",
            a.k,
            nf,
            a.k,
            percent(a.base_rate)
        ),
        "  ",
        "  ",
    ));
    if let Some(c) = &a.contrast {
        let d: Vec<String> = c
            .differences
            .iter()
            .map(|d| {
                format!(
                    "{} (here \"{}\", there \"{}\")",
                    d.factor.label(),
                    d.here_reading,
                    d.there_reading
                )
            })
            .collect();
        o.push_str(&wrap(
            &format!(
                "Contrast: {} {} (similarity {:.2}) ended in {}. What differs most: {}.",
                c.id,
                c.title,
                c.similarity,
                if c.force {
                    format!("force ({})", c.response)
                } else {
                    format!("no force ({})", c.response)
                },
                if d.is_empty() {
                    "little".to_string()
                } else {
                    d.join("; ")
                }
            ),
            "  ",
            "  ",
        ));
    }
    if !a.other_patrons.is_empty() {
        let list: Vec<String> = a
            .other_patrons
            .iter()
            .map(|c| {
                format!(
                    "{} ({:.2}, {})",
                    c.id,
                    c.similarity,
                    if c.force { "force" } else { "no force" }
                )
            })
            .collect();
        o.push_str(&wrap(
            &format!(
                "Other patrons, same kind of crisis: {}; force in {} of {}.",
                list.join(", "),
                a.other_patrons.iter().filter(|c| c.force).count(),
                a.other_patrons.len()
            ),
            "  ",
            "  ",
        ));
    }
    o.push_str(&wrap(
        &format!("Similarity: {}; {} cases compared.", a.method, a.compared),
        "  ",
        "  ",
    ));

    // Signposts.
    o.push_str("\nSIGNPOSTS: WHAT WOULD CHANGE THE ANSWER\n");
    if x.signposts.is_empty() {
        o.push_str(
            "  No single change moves the probability by half a percentage point or more.\n",
        );
    }
    for sp in &x.signposts {
        let arrow = if sp.probability_if > sp.probability {
            "↑"
        } else {
            "↓"
        };
        o.push_str(&wrap(&sp.description, &format!("  {arrow} "), "    "));
    }

    // What can be done?
    o.push_str("\nWHAT CAN BE DONE?\n");
    o.push_str(&wrap(
        &format!(
            "Each actor's moves, one at a time, by their effect on the chance of force ({} now):",
            percent(x.probability)
        ),
        "",
        "",
    ));
    for act in &x.options {
        let _ = writeln!(o, "  {}", capitalise(&act.actor));
        for m in &act.moves {
            o.push_str(&wrap(
                &format!(
                    "{}: {} → {}",
                    m.description,
                    percent(x.probability),
                    percent(m.probability_if)
                ),
                "    - ",
                "      ",
            ));
        }
    }

    o.push_str("\nWHERE THE DATA DISAGREE WITH THE THEORY\n");
    if x.disagreements.is_empty() {
        o.push_str(&wrap(
            "Nowhere at this situation: every catalogued move and every signed factor moves the \
             fitted model's probability in the direction the theory expects.",
            "  ",
            "  ",
        ));
    }
    for d in &x.disagreements {
        o.push_str(&wrap(&d.text, "  ! ", "    "));
    }

    coding_sensitivity(&mut o, x);

    o.push('\n');
    o.push_str(&wrap(
        &format!(
            "Model {} {}. Probabilities are rounded to whole percent; verbal scale after {}.",
            x.model.id, x.model.version, x.scale_source
        ),
        "",
        "",
    ));
    o
}

/// How many factors the note names under coding sensitivity.
const SENSITIVE_SHOWN: usize = 5;

/// The factors whose one-step recoding moves the answer most.
fn coding_sensitivity(o: &mut String, x: &Explanation) {
    o.push_str("\nCODING SENSITIVITY (each factor coded one step, 0.25, lower / higher)\n");
    let shown: Vec<_> = x
        .coding_sensitivity
        .iter()
        .filter(|c| c.ratio.is_some())
        .take(SENSITIVE_SHOWN)
        .collect();
    for c in &shown {
        let p = |v: Option<f64>| v.map_or("-".to_string(), percent);
        o.push_str(&format!(
            "  {:<22} {:>5} / {:<5}  (x{:.1})\n",
            c.factor.name(),
            p(c.step_down),
            p(c.step_up),
            c.ratio.unwrap_or(1.0)
        ));
    }
    o.push_str(&wrap(
        &format!(
            "From {} as coded. Two careful analysts often code a factor one step apart; the factors \
             above are the ones to code with most care. `--json` lists all eighteen.",
            percent(x.probability)
        ),
        "  ",
        "  ",
    ));
}
