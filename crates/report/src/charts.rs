//! The report's charts, as hand-written SVG: the probability on the verbal scale, the driver
//! waterfall, the escalation path, the scenario heat map, the analogue strip and the reliability
//! diagram of the model's held-out forecasts.

use crate::svg::{Anchor, Svg, wrap};
use casus_core::Driver;
use casus_explain::analogues::Analogues;
use casus_explain::estimative::{SCALE, band, percent};
use casus_explain::path::{Step, StepState};
use casus_explain::scenarios::PairGrid;

/// One colour per verbal band, light (remote) to dark (almost certain).
pub const BAND_COLOURS: [&str; 7] = [
    "#e5f5e0", "#c7e9c0", "#fee8c8", "#fdd49e", "#fc8d59", "#e34a33", "#b30000",
];
const INK: &str = "#222";
const MUTED: &str = "#666";
const RAISE: &str = "#c0392b";
const LOWER: &str = "#2e6da4";

/// x position of probability `p` on a scale where every verbal band has the same width.
fn band_x(p: f64, x0: f64, bw: f64) -> f64 {
    let p = p.clamp(0.0, 1.0);
    let i = SCALE
        .iter()
        .position(|b| p < b.high)
        .unwrap_or(SCALE.len() - 1);
    let b = SCALE[i];
    x0 + bw * (i as f64 + (p - b.low) / (b.high - b.low))
}

/// The probability and its 90% interval on the verbal scale (bands drawn at equal width).
pub fn gauge(p: f64, interval: [f64; 2]) -> String {
    let (w, h, x0) = (760.0, 150.0, 20.0);
    let bw = (w - 2.0 * x0) / SCALE.len() as f64;
    let (top, bh) = (46.0, 34.0);
    let mut s = Svg::new(
        w,
        h,
        &format!(
            "Probability of force: {} ({}), 90% interval {}–{}",
            percent(p),
            band(p).words,
            percent(interval[0]),
            percent(interval[1])
        ),
    );
    for (i, b) in SCALE.iter().enumerate() {
        let x = x0 + bw * i as f64;
        s.rect(
            x,
            top,
            bw,
            bh,
            BAND_COLOURS[i],
            r##"stroke="#fff" stroke-width="1""##,
        );
        let words = if b.words.len() > 12 {
            wrap(b.words, 12)
        } else {
            vec![b.words.to_string()]
        };
        s.lines(
            x + bw / 2.0,
            top + bh + 18.0,
            13.0,
            Anchor::Middle,
            INK,
            &words,
        );
        s.text(
            x,
            top - 4.0,
            11.0,
            Anchor::Middle,
            MUTED,
            "normal",
            &format!("{:.0}%", 100.0 * b.low),
        );
    }
    s.text(
        w - x0,
        top - 4.0,
        11.0,
        Anchor::Middle,
        MUTED,
        "normal",
        "100%",
    );
    let (xl, xh, xp) = (
        band_x(interval[0], x0, bw),
        band_x(interval[1], x0, bw),
        band_x(p, x0, bw),
    );
    let mid = top + bh / 2.0;
    s.line(xl, mid, xh, mid, INK, 3.0);
    s.line(xl, mid - 8.0, xl, mid + 8.0, INK, 3.0);
    s.line(xh, mid - 8.0, xh, mid + 8.0, INK, 3.0);
    s.circle(xp, mid, 8.0, INK, r##"stroke="#fff" stroke-width="2""##);
    s.text(
        xp,
        22.0,
        16.0,
        Anchor::Middle,
        INK,
        "bold",
        &format!("{} — {}", percent(p), band(p).words),
    );
    s.finish()
}

fn logit(p: f64) -> f64 {
    let p = p.clamp(1e-6, 1.0 - 1e-6);
    (p / (1.0 - p)).ln()
}

fn logistic(z: f64) -> f64 {
    1.0 / (1.0 + (-z).exp())
}

/// The driver waterfall: from the reference situation, each factor's push in log-odds, to this
/// situation. The `top` largest are drawn one by one, the rest as one bar.
pub fn waterfall(drivers: &[Driver], p: f64, top: usize) -> String {
    let mut ds: Vec<&Driver> = drivers.iter().collect();
    ds.sort_by(|a, b| b.contribution.abs().total_cmp(&a.contribution.abs()));
    let rest: f64 = ds.iter().skip(top).map(|d| d.contribution).sum();
    let mut rows: Vec<(String, f64)> = ds
        .iter()
        .take(top)
        .map(|d| (d.factor.label().to_string(), d.contribution))
        .collect();
    if ds.len() > top {
        rows.push((format!("{} other factors", ds.len() - top), rest));
    }
    let total: f64 = rows.iter().map(|r| r.1).sum();
    let end = logit(p);
    let start = end - total;
    // Extent of the cumulative path.
    let (mut lo, mut hi, mut acc) = (start.min(end), start.max(end), start);
    for (_, c) in &rows {
        acc += c;
        lo = lo.min(acc);
        hi = hi.max(acc);
    }
    let pad = ((hi - lo) * 0.08).max(0.3);
    let (lo, hi) = (lo - pad, hi + pad);
    let (w, label_w, row_h, top_m) = (820.0, 330.0, 26.0, 30.0);
    let n = rows.len() + 2;
    let h = top_m + row_h * n as f64 + 40.0;
    let plot_w = w - label_w - 70.0;
    let x = |v: f64| label_w + (v - lo) / (hi - lo) * plot_w;
    let mut s = Svg::new(
        w,
        h,
        "Driver waterfall: each factor's push on the log-odds of force",
    );
    s.text(
        label_w,
        16.0,
        12.0,
        Anchor::Start,
        MUTED,
        "normal",
        "← lowers the risk      log-odds of force      raises the risk →",
    );
    let mut y = top_m;
    let ref_label = format!(
        "reference: midpoint situation ({})",
        percent(logistic(start))
    );
    s.text(
        label_w - 8.0,
        y + row_h * 0.65,
        13.0,
        Anchor::End,
        INK,
        "bold",
        &ref_label,
    );
    s.rect(x(start) - 2.0, y + 4.0, 4.0, row_h - 8.0, INK, "");
    let mut acc = start;
    for (label, c) in &rows {
        y += row_h;
        let (a, b) = (acc, acc + c);
        let colour = if *c >= 0.0 { RAISE } else { LOWER };
        s.text(
            label_w - 8.0,
            y + row_h * 0.65,
            13.0,
            Anchor::End,
            INK,
            "normal",
            label,
        );
        s.rect(
            x(a.min(b)),
            y + 5.0,
            (x(a.max(b)) - x(a.min(b))).max(1.0),
            row_h - 10.0,
            colour,
            "",
        );
        s.line(x(b), y + row_h - 5.0, x(b), y + row_h + 5.0, MUTED, 1.0);
        s.text(
            x(a.max(b)) + 5.0,
            y + row_h * 0.65,
            12.0,
            Anchor::Start,
            MUTED,
            "normal",
            &format!("{c:+.2}"),
        );
        acc = b;
    }
    y += row_h;
    s.text(
        label_w - 8.0,
        y + row_h * 0.65,
        13.0,
        Anchor::End,
        INK,
        "bold",
        &format!("this situation ({})", percent(p)),
    );
    s.rect(x(end) - 2.0, y + 4.0, 4.0, row_h - 8.0, INK, "");
    // Axis with probability ticks.
    let axis_y = y + row_h + 8.0;
    s.line(label_w, axis_y, label_w + plot_w, axis_y, MUTED, 1.0);
    for q in [0.01, 0.05, 0.2, 0.5, 0.8, 0.95, 0.99] {
        let v = logit(q);
        if v >= lo && v <= hi {
            s.line(x(v), axis_y, x(v), axis_y + 5.0, MUTED, 1.0);
            s.text(
                x(v),
                axis_y + 18.0,
                11.0,
                Anchor::Middle,
                MUTED,
                "normal",
                &percent(q),
            );
        }
    }
    s.finish()
}

/// The escalation path as a row of chevrons, shaded by how far each step has come.
pub fn path(steps: &[Step]) -> String {
    let n = steps.len().max(1) as f64;
    let (w, h) = (900.0, 176.0);
    let sw = w / n;
    let mut s = Svg::new(
        w,
        h,
        "The escalation path (Ukraine 2014): which steps are reached",
    );
    for (i, st) in steps.iter().enumerate() {
        let x = sw * i as f64;
        let (fill, ink, state) = match st.state {
            StepState::Reached => ("#b30000", "#fff", "reached"),
            StepState::Partly => ("#fdbb84", INK, "partly"),
            StepState::NotReached => ("#eeeeee", INK, "not reached"),
            StepState::Unknown => ("#ffffff", MUTED, "unknown"),
        };
        let (fill, ink, state) = match st.probability {
            Some(p) => (
                BAND_COLOURS[SCALE.iter().position(|b| p < b.high).unwrap_or(6)],
                INK,
                band(p).words,
            ),
            None => (fill, ink, state),
        };
        let tip = 16.0;
        let pts = [
            (x + 2.0, 10.0),
            (x + sw - tip, 10.0),
            (x + sw - 2.0, 80.0),
            (x + sw - tip, 150.0),
            (x + 2.0, 150.0),
            (x + 2.0 + if i == 0 { 0.0 } else { tip }, 80.0),
        ];
        s.polygon(&pts, fill, r##"stroke="#999" stroke-width="1""##);
        let cx = x + sw / 2.0 + 4.0;
        s.text(
            cx,
            34.0,
            13.0,
            Anchor::Middle,
            ink,
            "bold",
            &format!("{}.", i + 1),
        );
        s.lines(
            cx,
            54.0,
            13.0,
            Anchor::Middle,
            ink,
            &wrap(st.description, 16),
        );
        let status = match st.probability {
            Some(p) => format!("{} ({})", state, percent(p)),
            None => state.to_string(),
        };
        s.lines(cx, 132.0, 12.0, Anchor::Middle, ink, &wrap(&status, 18));
    }
    s.text(
        4.0,
        170.0,
        12.0,
        Anchor::Start,
        MUTED,
        "normal",
        "dark: reached · light orange: partly · grey: not reached · white: not coded",
    );
    s.finish()
}

/// Colour for a probability: the colour of its verbal band.
pub fn colour(p: f64) -> &'static str {
    BAND_COLOURS[SCALE.iter().position(|b| p < b.high).unwrap_or(6)]
}

/// The pair heat map: each cell is the probability with the two moves (diagonal: one move alone).
pub fn heatmap(g: &PairGrid) -> String {
    let n = g.moves.len();
    let (label_w, cell, top) = (290.0, 62.0, 76.0);
    let w = label_w + cell * n as f64 + 20.0;
    let h = top + cell * n as f64 + 40.0;
    let mut s = Svg::new(
        w,
        h,
        &format!(
            "Scenario heat map: probability of force with pairs of moves (now {})",
            percent(g.baseline)
        ),
    );
    for (j, id) in g.moves.iter().enumerate() {
        let x = label_w + cell * (j as f64 + 0.5);
        let _ = id;
        let short = format!("{}", j + 1);
        s.text(x, top - 8.0, 13.0, Anchor::Middle, INK, "bold", &short);
    }
    for (i, id) in g.moves.iter().enumerate() {
        let y = top + cell * i as f64;
        s.text(
            label_w - 8.0,
            y + cell * 0.55,
            13.0,
            Anchor::End,
            INK,
            "normal",
            &format!("{}. {id}", i + 1),
        );
        for j in 0..n {
            let p = g.probability[i][j];
            let x = label_w + cell * j as f64;
            s.rect(
                x,
                y,
                cell,
                cell,
                colour(p),
                r##"stroke="#fff" stroke-width="2""##,
            );
            let ink = if p >= 0.55 { "#fff" } else { INK };
            let weight = if i == j { "bold" } else { "normal" };
            s.text(
                x + cell / 2.0,
                y + cell * 0.58,
                14.0,
                Anchor::Middle,
                ink,
                weight,
                &percent(p),
            );
        }
    }
    s.lines(
        10.0,
        22.0,
        13.0,
        Anchor::Start,
        MUTED,
        &[
            format!("Probability of force if both moves happen (diagonal, bold: the move alone). Now: {}.", percent(g.baseline)),
            "Columns are numbered like the rows; colours follow the verbal scale.".to_string(),
        ],
    );
    s.finish()
}

/// The analogues on a similarity axis, force cases in red, the contrast case marked.
pub fn analogues(a: &Analogues) -> String {
    let mut rows: Vec<(&str, f64, bool, bool)> = a
        .nearest
        .iter()
        .map(|c| (c.id.as_str(), c.similarity, c.force, false))
        .collect();
    if let Some(c) = &a.contrast
        && !a.nearest.iter().any(|x| x.id == c.id)
    {
        rows.push((c.id.as_str(), c.similarity, c.force, true));
    }
    let (w, row_h, label_w) = (760.0, 26.0, 230.0);
    let h = 40.0 + row_h * rows.len() as f64 + 30.0;
    let lo = rows.iter().map(|r| r.1).fold(1.0f64, f64::min).min(0.5);
    let lo = (lo * 10.0).floor() / 10.0;
    let plot_w = w - label_w - 40.0;
    let x = |v: f64| label_w + (v - lo) / (1.0 - lo) * plot_w;
    let mut s = Svg::new(
        w,
        h,
        "Nearest historical cases by similarity (red: force used)",
    );
    s.text(
        label_w,
        18.0,
        12.0,
        Anchor::Start,
        MUTED,
        "normal",
        "similarity to this situation (1 = identical coding) · red: force · grey: no force",
    );
    for (i, (id, sim, force, contrast)) in rows.iter().enumerate() {
        let y = 40.0 + row_h * i as f64;
        let label = if *contrast {
            format!("{id} (contrast)")
        } else {
            id.to_string()
        };
        s.text(
            label_w - 8.0,
            y + 5.0,
            13.0,
            Anchor::End,
            INK,
            if *contrast { "bold" } else { "normal" },
            &label,
        );
        s.line(label_w, y, x(*sim), y, "#ccc", 2.0);
        s.circle(x(*sim), y, 7.0, if *force { RAISE } else { "#888" }, "");
        s.text(
            x(*sim) + 12.0,
            y + 5.0,
            12.0,
            Anchor::Start,
            MUTED,
            "normal",
            &format!("{sim:.2}"),
        );
    }
    let axis_y = h - 24.0;
    s.line(label_w, axis_y, label_w + plot_w, axis_y, MUTED, 1.0);
    let mut t = lo;
    while t <= 1.0001 {
        s.line(x(t), axis_y, x(t), axis_y + 5.0, MUTED, 1.0);
        s.text(
            x(t),
            axis_y + 18.0,
            11.0,
            Anchor::Middle,
            MUTED,
            "normal",
            &format!("{t:.1}"),
        );
        t += 0.1;
    }
    s.finish()
}

/// Colours of the reliability series, in order.
const SERIES: [&str; 2] = ["#2e6da4", "#c0392b"];

/// The reliability diagram: mean forecast against observed share of force per bin, one line per
/// evaluation design, dots sized by the number of forecasts in the bin; the diagonal is perfect
/// calibration.
pub fn reliability(series: &[crate::ReliabilitySeries]) -> String {
    let (w, h) = (420.0, 360.0);
    let (l, r, t, b) = (52.0, 16.0, 14.0, 70.0);
    let x = |v: f64| l + (w - l - r) * v;
    let y = |v: f64| h - b - (h - t - b) * v;
    let mut s = Svg::new(
        w,
        h,
        "Reliability of held-out forecasts: forecast probability against observed share with force",
    );
    for i in 0..=5 {
        let v = f64::from(i) / 5.0;
        s.line(x(0.0), y(v), x(1.0), y(v), "#e3e6ec", 1.0);
        s.text(
            l - 6.0,
            y(v) + 4.0,
            11.0,
            Anchor::End,
            MUTED,
            "normal",
            &percent(v),
        );
        s.text(
            x(v),
            h - b + 15.0,
            11.0,
            Anchor::Middle,
            MUTED,
            "normal",
            &percent(v),
        );
    }
    s.line(x(0.0), y(0.0), x(1.0), y(1.0), "#9aa3b5", 1.0);
    s.text(
        (l + w - r) / 2.0,
        h - b + 32.0,
        12.0,
        Anchor::Middle,
        INK,
        "normal",
        "forecast probability",
    );
    s.text(
        12.0,
        t + 8.0,
        12.0,
        Anchor::Start,
        INK,
        "normal",
        "observed",
    );
    for (k, ser) in series.iter().enumerate() {
        let colour = SERIES[k % SERIES.len()];
        let pts: Vec<(f64, f64, usize)> = ser
            .bins
            .iter()
            .filter_map(|bin| Some((bin.mean_predicted?, bin.observed_rate?, bin.n)))
            .collect();
        for pair in pts.windows(2) {
            s.line(
                x(pair[0].0),
                y(pair[0].1),
                x(pair[1].0),
                y(pair[1].1),
                colour,
                2.0,
            );
        }
        for (p, o, n) in &pts {
            let radius = 2.5 + (*n as f64).sqrt() * 0.7;
            s.circle(x(*p), y(*o), radius, colour, "fill-opacity=\"0.75\"");
        }
        let ly = h - b + 48.0 + 14.0 * k as f64;
        s.rect(l, ly - 9.0, 10.0, 10.0, colour, "");
        s.text(
            l + 16.0,
            ly,
            11.0,
            Anchor::Start,
            INK,
            "normal",
            &format!("{} ({} forecasts, Brier {:.3})", ser.name, ser.n, ser.brier),
        );
    }
    s.finish()
}
