//! The self-contained HTML report: inline CSS, inline SVG, a few lines of inline JavaScript for the
//! text-size control, and nothing fetched from the network.

use crate::charts;
use crate::svg::esc;
use crate::{Report, sentences};
use casus_explain::estimative::{percent, percent_range};
use casus_explain::notes::FactorNote;
use casus_explain::text::strength;
use std::fmt::Write as _;

const CSS: &str = r#"
:root { font-size: 18px; }
body { font-family: Georgia, "Times New Roman", serif; line-height: 1.6; color: #222; background: #fdfdfb; margin: 0; }
main { max-width: 50rem; margin: 0 auto; padding: 1.5rem 1.2rem 4rem; }
h1 { font-size: 2rem; line-height: 1.2; margin: 0.5rem 0; }
h2 { font-size: 1.45rem; margin-top: 2.4rem; border-bottom: 1px solid #ddd; padding-bottom: 0.2rem; }
h3 { font-size: 1.15rem; margin-top: 1.6rem; }
.sub { color: #555; margin-top: 0; }
.lead { font-size: 1.25rem; }
.controls { float: right; font-family: system-ui, sans-serif; }
.controls button { font-size: 0.9rem; margin-left: 0.2rem; padding: 0.2rem 0.55rem; border: 1px solid #999; background: #fff; border-radius: 4px; cursor: pointer; }
.controls button[aria-pressed="true"] { background: #222; color: #fff; }
figure { margin: 1.2rem 0; }
figure svg { width: 100%; height: auto; display: block; }
figcaption { font-size: 0.85rem; color: #555; }
table { border-collapse: collapse; width: 100%; font-size: 0.9rem; margin: 0.8rem 0; }
th, td { text-align: left; vertical-align: top; padding: 0.3rem 0.45rem; border-bottom: 1px solid #e3e3e3; }
th { background: #f2f2ee; }
.ev { font-size: 0.9rem; color: #444; }
.yes { color: #1a7f37; font-weight: bold; }
.no { color: #b30000; font-weight: bold; }
.force { color: #b30000; font-weight: bold; }
.note { background: #fff7e6; border-left: 4px solid #fdbb84; padding: 0.5rem 0.8rem; }
footer { margin-top: 3rem; font-size: 0.85rem; color: #555; }
a { color: #1f4e8c; overflow-wrap: anywhere; }
li, td { overflow-wrap: anywhere; }
.evtable td:nth-child(2) { white-space: nowrap; }
"#;

const JS: &str = r#"
(function () {
  var sizes = [15, 18, 22];
  function set(i) {
    document.documentElement.style.fontSize = sizes[i] + "px";
    document.querySelectorAll(".controls button").forEach(function (b) {
      b.setAttribute("aria-pressed", String(Number(b.dataset.size) === i));
    });
  }
  document.querySelectorAll(".controls button").forEach(function (b) {
    b.addEventListener("click", function () { set(Number(b.dataset.size)); });
  });
})();
"#;

fn link(source: &str) -> String {
    if source.starts_with("http://") || source.starts_with("https://") {
        format!(r#"<a href="{0}">{0}</a>"#, esc(source))
    } else {
        esc(source)
    }
}

fn factor_items(o: &mut String, notes: &[FactorNote]) {
    o.push_str("<ul>");
    for n in notes {
        let w = n
            .contribution
            .map(|c| format!(" <span class=\"ev\">({})</span>", strength(c)))
            .unwrap_or_default();
        let _ = write!(
            o,
            "<li><strong>{}</strong>: {}{w}",
            esc(n.label),
            esc(&n.reading)
        );
        if !n.evidence.is_empty() {
            o.push_str("<ul class=\"ev\">");
            for e in &n.evidence {
                let _ = write!(
                    o,
                    "<li>{}: {} (source: {})</li>",
                    e.date,
                    esc(&e.text),
                    link(&e.source)
                );
            }
            o.push_str("</ul>");
        }
        o.push_str("</li>");
    }
    o.push_str("</ul>");
}

fn figure(o: &mut String, svg: &str, caption: &str) {
    let _ = write!(
        o,
        "<figure>{svg}<figcaption>{}</figcaption></figure>",
        esc(caption)
    );
}

/// Render the HTML report.
pub fn render(r: &Report) -> String {
    let x = r.explanation;
    let t = sentences(x);
    let mut o = String::new();
    let _ = write!(
        o,
        "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><meta name=\"viewport\" content=\"width=device-width, initial-scale=1\"><title>{}</title><style>{CSS}</style></head><body><main>",
        esc(&t.question)
    );
    o.push_str(r#"<div class="controls" role="group" aria-label="Text size"><button type="button" data-size="0" aria-pressed="false" title="Smaller text">A-</button><button type="button" data-size="1" aria-pressed="true" title="Normal text">A</button><button type="button" data-size="2" aria-pressed="false" title="Larger text">A+</button></div>"#);
    let _ = write!(
        o,
        "<h1>{}</h1><p class=\"sub\">{}</p>",
        esc(&t.question),
        esc(&t.subtitle)
    );
    let _ = write!(o, "<p class=\"lead\">{}</p>", esc(&t.verdict));
    figure(
        &mut o,
        &charts::gauge(x.probability, x.interval),
        &format!(
            "Probability of force with its 90% interval, on the verbal scale of {}. Bands are drawn at equal width.",
            x.scale_source
        ),
    );

    let _ = write!(
        o,
        "<h2>Why would {} intervene?</h2><p>{}</p>",
        esc(&t.patron),
        esc(&t.why_intro)
    );
    for (i, it) in x.interests.iter().enumerate() {
        let _ = write!(
            o,
            "<h3>{}. {}</h3><p>State: <strong>{}</strong>.</p>",
            i + 1,
            esc(&sentences::cap(it.title)),
            esc(it.state.words())
        );
        factor_items(&mut o, &it.factors);
    }

    let _ = write!(
        o,
        "<h2>How likely is an intervention?</h2><p>{}</p>",
        esc(&t.likelihood)
    );
    o.push_str("<h3>The escalation path (Ukraine 2014)</h3>");
    figure(
        &mut o,
        &charts::path(&x.path),
        "Each step is read off one coded factor: reached at 0.75 or above, partly from 0.25.",
    );
    o.push_str("<h3>Restraints</h3><table><tr><th>restraint</th><th>in place</th><th>rule</th><th>weight in the estimate</th></tr>");
    for rs in &x.restraints {
        let (cls, word) = match rs.in_place {
            Some(true) => ("yes", "yes"),
            Some(false) => ("no", "no"),
            None => ("", "not coded"),
        };
        let _ = write!(
            o,
            "<tr><td>{}</td><td class=\"{cls}\">{word}</td><td>{}</td><td>{}</td></tr>",
            esc(rs.description),
            esc(rs.rule),
            strength(rs.contribution)
        );
    }
    o.push_str("</table>");
    o.push_str("<h3>What drives the estimate</h3>");
    figure(
        &mut o,
        &charts::waterfall(&x.drivers, x.probability, 8),
        "Each factor's push on the log-odds of force, from the midpoint situation (every factor at its middle anchor, 0.5) to this one, by the fitted model.",
    );

    o.push_str("<h3>Historical analogues</h3>");
    let _ = write!(o, "<p>{}</p>", esc(&t.analogues));
    figure(
        &mut o,
        &charts::analogues(&x.analogues),
        &format!("Similarity: {}.", x.analogues.method),
    );
    o.push_str("<table><tr><th>case</th><th>similarity</th><th>outcome</th><th>what differs most (here / there)</th></tr>");
    for (a, contrast) in sentences::analogue_rows(x) {
        let diffs = sentences::differences(a);
        let outcome = if a.force {
            format!("<span class=\"force\">force</span> ({})", esc(a.response))
        } else {
            format!("no force ({})", esc(a.response))
        };
        let _ = write!(
            o,
            "<tr><td><strong>{}</strong>{}<br>{}</td><td>{:.2}</td><td>{outcome}</td><td>{}</td></tr>",
            esc(&a.id),
            if contrast { " (contrast)" } else { "" },
            esc(&a.title),
            a.similarity,
            esc(&diffs)
        );
    }
    o.push_str("</table>");

    o.push_str("<h2>Signposts: what would change the answer</h2><ul>");
    for sp in &x.signposts {
        let _ = write!(o, "<li>{}</li>", esc(&sp.description));
    }
    o.push_str("</ul>");

    let _ = write!(
        o,
        "<h2>What can be done?</h2><p>Each actor's moves, one at a time, by their effect on the chance of force ({} now).</p>",
        percent(x.probability)
    );
    o.push_str("<table><tr><th>actor</th><th>move</th><th>probability of force</th><th>theory expects</th></tr>");
    for a in &x.options {
        for m in &a.moves {
            let _ = write!(
                o,
                "<tr><td>{}</td><td>{}</td><td>{} → {}</td><td>{}{}</td></tr>",
                esc(&a.actor),
                esc(&m.description),
                percent(x.probability),
                percent(m.probability_if),
                crate::sentences::expected_word(m),
                if m.agrees_with_theory {
                    ""
                } else {
                    " <span class=\"no\">(the data disagree)</span>"
                }
            );
        }
    }
    o.push_str("</table>");
    if let Some(g) = r.pairs {
        o.push_str("<h3>Scenarios: pairs of moves</h3>");
        figure(
            &mut o,
            &charts::heatmap(g),
            "Probability of force after each pair of moves; moves are applied to the situation as coded.",
        );
    }

    o.push_str("<h2>Where the data disagree with the theory</h2>");
    if x.disagreements.is_empty() {
        o.push_str("<p>Nowhere at this situation: every catalogued move and every signed factor moves the fitted model's probability in the direction the theory expects.</p>");
    }
    for d in &x.disagreements {
        let _ = write!(o, "<p class=\"note\">{}</p>", esc(&d.text));
    }

    if let Some(tr) = r.track_record {
        track_record(&mut o, tr);
    }

    o.push_str("<h2>Evidence and sources</h2>");
    if x.evidence.is_empty() {
        o.push_str("<p>The situation file gives no dated evidence.</p>");
    } else {
        o.push_str("<table class=\"evtable\"><tr><th>factor</th><th>date</th><th>evidence</th><th>source</th></tr>");
        for e in &x.evidence {
            let _ = write!(
                o,
                "<tr><td>{}</td><td>{}</td><td>{}</td><td>{}</td></tr>",
                esc(e.factor.label()),
                e.evidence.date,
                esc(&e.evidence.text),
                link(&e.evidence.source)
            );
        }
        o.push_str("</table>");
    }
    let _ = write!(
        o,
        "<footer><p>{}</p><p>Probabilities are rounded to whole percent; the 90% interval is {}.</p></footer>",
        esc(&t.footer),
        percent_range(x.interval)
    );
    let _ = writeln!(o, "</main><script>{JS}</script></body></html>");
    o
}

/// How far to trust the model: its held-out scores and reliability diagram.
fn track_record(o: &mut String, tr: &crate::TrackRecord) {
    o.push_str("<h2>How far to trust the model</h2>");
    let _ = write!(
        o,
        "<p>{}</p><table><tr><th>held-out design</th><th>forecasts</th><th>Brier</th><th>base rate's Brier</th></tr>",
        esc(&crate::track::summary(tr))
    );
    for s in &tr.series {
        let _ = write!(
            o,
            "<tr><td>{}</td><td>{}</td><td>{:.3}</td><td>{:.3}</td></tr>",
            esc(&s.name),
            s.n,
            s.brier,
            s.base_rate_brier
        );
    }
    o.push_str("</table>");
    figure(
        o,
        &charts::reliability(&tr.series),
        "Reliability: in each bin of forecasts, the mean forecast against the share of decision points that ended in force within the horizon. Points on the diagonal are well calibrated; larger dots hold more forecasts.",
    );
}
