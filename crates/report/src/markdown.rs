//! The Markdown twin of the HTML report: the same sections and numbers, with tables for charts.

use crate::{Report, sentences};
use casus_explain::estimative::percent;
use casus_explain::path::StepState;
use casus_explain::text::strength;
use std::fmt::Write as _;

fn cell(s: &str) -> String {
    s.replace('|', "\\|").replace('\n', " ")
}

/// Render the Markdown report.
pub fn render(r: &Report) -> String {
    let x = r.explanation;
    let t = sentences(x);
    let mut o = String::new();
    let _ = writeln!(
        o,
        "# {}\n\n*{}*\n\n**{}**\n",
        t.question, t.subtitle, t.verdict
    );
    let _ = writeln!(
        o,
        "## Why would {} intervene?\n\n{}\n",
        t.patron, t.why_intro
    );
    for (i, it) in x.interests.iter().enumerate() {
        let _ = writeln!(
            o,
            "### {}. {}\n\nState: **{}**.\n",
            i + 1,
            sentences::cap(it.title),
            it.state.words()
        );
        for n in &it.factors {
            let w = n
                .contribution
                .map(|c| format!(" ({})", strength(c)))
                .unwrap_or_default();
            let _ = writeln!(o, "- **{}**: {}{w}", n.label, n.reading);
            for e in &n.evidence {
                let _ = writeln!(o, "  - {}: {} (source: {})", e.date, e.text, e.source);
            }
        }
        o.push('\n');
    }
    let _ = writeln!(o, "## How likely is an intervention?\n\n{}\n", t.likelihood);
    o.push_str(
        "### The escalation path (Ukraine 2014)\n\n| step | state | reading |\n|---|---|---|\n",
    );
    for (i, st) in x.path.iter().enumerate() {
        let state = match (st.probability, st.state) {
            (Some(p), _) => percent(p),
            (None, StepState::Reached) => "reached".into(),
            (None, StepState::Partly) => "partly".into(),
            (None, StepState::NotReached) => "not reached".into(),
            (None, StepState::Unknown) => "not coded".into(),
        };
        let _ = writeln!(
            o,
            "| {}. {} | {} | {} |",
            i + 1,
            cell(st.description),
            state,
            cell(&st.reading)
        );
    }
    o.push_str("\n### Restraints\n\n| restraint | in place | rule | weight |\n|---|---|---|---|\n");
    for rs in &x.restraints {
        let inp = match rs.in_place {
            Some(true) => "yes",
            Some(false) => "no",
            None => "not coded",
        };
        let _ = writeln!(
            o,
            "| {} | {inp} | {} | {} |",
            cell(rs.description),
            cell(rs.rule),
            strength(rs.contribution)
        );
    }
    o.push_str("\n### What drives the estimate\n\n| factor | value | push on the log-odds of force |\n|---|---|---|\n");
    for d in x.drivers.iter().take(10) {
        let v = d
            .value
            .map_or("unknown".to_string(), |v| d.factor.describe(v).to_string());
        let _ = writeln!(
            o,
            "| {} | {} | {:+.2} |",
            d.factor.label(),
            cell(&v),
            d.contribution
        );
    }
    let _ = writeln!(o, "\n### Historical analogues\n\n{}\n", t.analogues);
    o.push_str(
        "| case | similarity | outcome | what differs most (here / there) |\n|---|---|---|---|\n",
    );
    for (a, contrast) in sentences::analogue_rows(x) {
        let diffs = sentences::differences(a);
        let _ = writeln!(
            o,
            "| **{}**{} {} | {:.2} | {} ({}) | {} |",
            a.id,
            if contrast { " (contrast)" } else { "" },
            cell(&a.title),
            a.similarity,
            if a.force { "force" } else { "no force" },
            a.response,
            cell(&diffs)
        );
    }
    let _ = writeln!(o, "\nSimilarity: {}.\n", x.analogues.method);
    o.push_str("## Signposts: what would change the answer\n\n");
    for sp in &x.signposts {
        let _ = writeln!(o, "- {}", sp.description);
    }
    let _ = writeln!(
        o,
        "\n## What can be done?\n\n| actor | move | probability of force | theory expects |\n|---|---|---|---|"
    );
    for a in &x.options {
        for m in &a.moves {
            let _ = writeln!(
                o,
                "| {} | {} | {} → {} | {}{} |",
                a.actor,
                cell(&m.description),
                percent(x.probability),
                percent(m.probability_if),
                crate::sentences::expected_word(m),
                if m.agrees_with_theory {
                    ""
                } else {
                    " (the data disagree)"
                }
            );
        }
    }
    if let Some(g) = r.pairs {
        let _ = writeln!(
            o,
            "\n### Scenarios: pairs of moves\n\nProbability of force if both moves happen (diagonal: the move alone); now {}.\n",
            percent(g.baseline)
        );
        let head: Vec<String> = (1..=g.moves.len()).map(|i| i.to_string()).collect();
        let _ = writeln!(
            o,
            "| move | {} |\n|---|{}",
            head.join(" | "),
            "---|".repeat(g.moves.len())
        );
        for (i, id) in g.moves.iter().enumerate() {
            let row: Vec<String> = g.probability[i].iter().map(|p| percent(*p)).collect();
            let _ = writeln!(o, "| {}. {} | {} |", i + 1, id, row.join(" | "));
        }
    }
    o.push_str("\n## Where the data disagree with the theory\n\n");
    if x.disagreements.is_empty() {
        o.push_str("Nowhere at this situation: every catalogued move and every signed factor moves the fitted model's probability in the direction the theory expects.\n");
    }
    for d in &x.disagreements {
        let _ = writeln!(o, "- {}", d.text);
    }
    if let Some(tr) = r.track_record {
        let _ = writeln!(
            o,
            "\n## How far to trust the model\n\n{}\n\n| held-out design | forecasts | Brier | base rate's Brier |\n|---|---|---|---|",
            crate::track::summary(tr)
        );
        for s in &tr.series {
            let _ = writeln!(
                o,
                "| {} | {} | {:.3} | {:.3} |",
                s.name, s.n, s.brier, s.base_rate_brier
            );
        }
        o.push_str("\n| design | forecast bin | forecasts | mean forecast | observed |\n|---|---|---|---|---|\n");
        for s in &tr.series {
            for b in &s.bins {
                let f = |v: Option<f64>| v.map_or("-".to_string(), percent);
                let _ = writeln!(
                    o,
                    "| {} | {}–{} | {} | {} | {} |",
                    s.name,
                    percent(b.lower),
                    percent(b.upper),
                    b.n,
                    f(b.mean_predicted),
                    f(b.observed_rate)
                );
            }
        }
    }
    o.push_str("\n## Evidence and sources\n\n");
    if x.evidence.is_empty() {
        o.push_str("The situation file gives no dated evidence.\n");
    } else {
        o.push_str("| factor | date | evidence | source |\n|---|---|---|---|\n");
        for e in &x.evidence {
            let _ = writeln!(
                o,
                "| {} | {} | {} | {} |",
                e.factor.label(),
                e.evidence.date,
                cell(&e.evidence.text),
                cell(&e.evidence.source)
            );
        }
    }
    let _ = writeln!(
        o,
        "\n---\n\n{} Probabilities are rounded to whole percent. Charts are in the HTML twin of this report.",
        t.footer
    );
    o
}
