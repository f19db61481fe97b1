//! `casus monitor --events DIR --patron RUS --target UKR --from DATE --to DATE`: the daily risk
//! of force from event data, with its interval and alerts; optionally a CSV series and an SVG
//! chart.

use std::fmt::Write as _;
use std::path::PathBuf;
use std::process::ExitCode;

use casus_core::{NaiveDate, country_name, percent};
use casus_monitor::{DayAssessment, MonitorError, MonitorOptions, MonitorReport, monitor};

use crate::output::BadInput;

#[derive(clap::Args)]
pub struct Args {
    /// Imported event directory (from `casus events import`), a path or s3://bucket/prefix.
    #[arg(long, value_name = "DIR")]
    events: PathBuf,
    /// The regional great power (ISO3).
    #[arg(long, value_name = "ISO3")]
    patron: String,
    /// The neighbouring state in crisis (ISO3).
    #[arg(long, value_name = "ISO3")]
    target: String,
    /// Rival-bloc countries (ISO3; repeat or comma-separate). Default: any third country.
    #[arg(long = "rival", value_name = "ISO3", value_delimiter = ',')]
    rivals: Vec<String>,
    /// First day assessed, YYYY-MM-DD.
    #[arg(long, value_name = "DATE")]
    from: NaiveDate,
    /// Last day assessed, YYYY-MM-DD (inclusive).
    #[arg(long, value_name = "DATE")]
    to: NaiveDate,
    /// The analyst's situation file (TOML): its coded factors win over the event data.
    /// Default: none, every factor without event evidence is unknown.
    #[arg(long, value_name = "FILE")]
    situation: Option<PathBuf>,
    /// Alert when the probability crosses this level (0–1).
    #[arg(long, default_value_t = 0.5)]
    threshold: f64,
    /// Alert when the probability moves more than this in a day (0–1).
    #[arg(long, default_value_t = 0.15)]
    jump: f64,
    /// Horizon in days. Default: the situation's own (365 without a situation).
    #[arg(long, value_name = "N")]
    horizon_days: Option<u32>,
    /// Seed for integrating over unknown factors; the same seed gives the same series.
    #[arg(long, default_value_t = 1)]
    seed: u64,
    /// Days in the recent window compared with the baseline.
    #[arg(long, value_name = "N", default_value_t = 7)]
    recent_days: usize,
    /// Days in the trailing baseline before the recent window.
    #[arg(long, value_name = "N", default_value_t = 90)]
    baseline_days: usize,
    /// The surprise, −log10 of the recent window's tail probability under the baseline, that
    /// counts as a full signal (level 1); the level starts rising at 1 (p = 0.1).
    #[arg(long, value_name = "S", default_value_t = 4.0)]
    full_surprise: f64,
    /// A family gives evidence only when its recent window holds, or its baseline expects, at
    /// least this many events.
    #[arg(long, value_name = "N", default_value_t = 3.0)]
    min_events: f64,
    /// Write the series as CSV (date,probability,low,high).
    #[arg(long, value_name = "FILE")]
    out: Option<PathBuf>,
    /// Write an SVG line chart of the series with its 90% band.
    #[arg(long, value_name = "FILE")]
    chart: Option<PathBuf>,
    /// Print {"series": [{"date","probability","low","high"}...], "alerts": [...]} as JSON.
    #[arg(long)]
    json: bool,
}

pub fn run(args: Args) -> anyhow::Result<ExitCode> {
    if !args.events.is_dir() && !args.events.to_string_lossy().starts_with("s3://") {
        return Err(BadInput(format!(
            "event directory {} does not exist (create it with `casus events import`)",
            args.events.display()
        ))
        .into());
    }
    let situation = match &args.situation {
        Some(p) => {
            let s = casus_data::load_situation(p)?;
            if s.patron.as_str() != args.patron || s.target.as_str() != args.target {
                return Err(BadInput(format!(
                    "{} is about {} → {}, not --patron {} --target {}",
                    p.display(),
                    s.patron,
                    s.target,
                    args.patron,
                    args.target
                ))
                .into());
            }
            Some(s)
        }
        None => None,
    };
    let model = crate::model::builtin()?;
    let mut opts = MonitorOptions::new(&args.patron, &args.target, args.from, args.to);
    opts.dyad.rivals = args.rivals.clone();
    opts.threshold = args.threshold;
    opts.jump = args.jump;
    opts.horizon_days = args.horizon_days;
    opts.seed = args.seed;
    opts.evidence.recent_days = args.recent_days;
    opts.evidence.baseline_days = args.baseline_days;
    opts.evidence.surprise_full = args.full_surprise;
    opts.evidence.min_recent_events = args.min_events;
    let report = monitor(&args.events, &model, situation.as_ref(), &opts).map_err(|e| match e {
        MonitorError::InvalidOption { .. } => BadInput(e.to_string()).into(),
        MonitorError::Indicators { source } => super::events::classify(source),
        e => anyhow::Error::new(e),
    })?;
    if let Some(p) = &args.out {
        crate::output::write_file(p, &csv(&report.series))?;
    }
    if let Some(p) = &args.chart {
        crate::output::write_file(p, &svg(&report, args.threshold))?;
    }
    if args.json {
        let series: Vec<_> = report
            .series
            .iter()
            .map(|d| {
                serde_json::json!({
                    "date": d.date,
                    "probability": d.probability,
                    "low": d.low,
                    "high": d.high,
                    "evidence": d.evidence,
                })
            })
            .collect();
        crate::output::print_json(&serde_json::json!({
            "series": series,
            "alerts": report.alerts,
            "coverage_start": report.coverage_start,
        }))?;
    } else {
        print!("{}", render(&args, &report));
    }
    Ok(ExitCode::SUCCESS)
}

/// The human note: headline, a weekly table and the alerts.
fn render(args: &Args, r: &MonitorReport) -> String {
    let mut out = String::new();
    let _ = writeln!(
        out,
        "Risk of force, {} → {}, {} to {} ({} days, event data from {}).\n",
        country_name(&args.patron),
        country_name(&args.target),
        args.from,
        args.to,
        r.series.len(),
        r.coverage_start
            .map_or_else(|| "nowhere: no events found".to_string(), |d| d.to_string())
    );
    if let Some(max) = r
        .series
        .iter()
        .max_by(|a, b| a.probability.total_cmp(&b.probability))
    {
        let last = r.series.last().unwrap_or(max);
        let _ = writeln!(
            out,
            "  Latest {} on {} (90% {}–{}); highest {} on {}.\n",
            percent(last.probability),
            last.date,
            percent(last.low),
            percent(last.high),
            percent(max.probability),
            max.date
        );
    }
    let _ = writeln!(
        out,
        "  week of      mean   min   max   last  (90% interval)"
    );
    for week in r.series.chunks(7) {
        let mean = week.iter().map(|d| d.probability).sum::<f64>() / week.len() as f64;
        let min = week.iter().map(|d| d.probability).fold(1.0, f64::min);
        let max = week.iter().map(|d| d.probability).fold(0.0, f64::max);
        let last = &week[week.len() - 1];
        let _ = writeln!(
            out,
            "  {}  {:>5} {:>5} {:>5} {:>5}  ({}–{})",
            week[0].date,
            percent(mean),
            percent(min),
            percent(max),
            percent(last.probability),
            percent(last.low),
            percent(last.high)
        );
    }
    let _ = writeln!(out);
    if r.alerts.is_empty() {
        let _ = writeln!(
            out,
            "No alerts (threshold {}, day-on-day jump over {} points).",
            percent(args.threshold),
            (args.jump * 100.0).round()
        );
    } else {
        let _ = writeln!(out, "Alerts:");
        for a in &r.alerts {
            let _ = writeln!(out, "  {}  {}", a.date, a.message);
        }
    }
    out
}

fn csv(series: &[DayAssessment]) -> String {
    let mut s = String::from("date,probability,low,high\n");
    for d in series {
        let _ = writeln!(
            s,
            "{},{:.6},{:.6},{:.6}",
            d.date, d.probability, d.low, d.high
        );
    }
    s
}

/// A small hand-written SVG: the 90% band, the probability line, the threshold, month ticks.
fn svg(r: &MonitorReport, threshold: f64) -> String {
    let (w, h, left, right, top, bottom) = (720.0, 280.0, 48.0, 16.0, 16.0, 32.0);
    let n = r.series.len().max(2) as f64 - 1.0;
    let x = |i: usize| left + (w - left - right) * i as f64 / n;
    let y = |p: f64| top + (h - top - bottom) * (1.0 - p.clamp(0.0, 1.0));
    let mut s = String::new();
    let _ = writeln!(
        s,
        r#"<svg xmlns="http://www.w3.org/2000/svg" width="{w}" height="{h}" viewBox="0 0 {w} {h}" font-family="sans-serif" font-size="11">"#
    );
    let _ = writeln!(s, r##"<rect width="{w}" height="{h}" fill="#fff"/>"##);
    for t in [0.0, 0.25, 0.5, 0.75, 1.0] {
        let _ = writeln!(
            s,
            r##"<line x1="{left}" x2="{:.1}" y1="{:.1}" y2="{:.1}" stroke="#ddd"/><text x="{:.1}" y="{:.1}" text-anchor="end" fill="#555">{}</text>"##,
            w - right,
            y(t),
            y(t),
            left - 6.0,
            y(t) + 4.0,
            percent(t)
        );
    }
    for (i, d) in r.series.iter().enumerate() {
        if d.date.format("%d").to_string() == "01" || i == 0 {
            let _ = writeln!(
                s,
                r##"<text x="{:.1}" y="{:.1}" text-anchor="middle" fill="#555">{}</text>"##,
                x(i),
                h - 10.0,
                d.date.format("%Y-%m-%d")
            );
        }
    }
    if !r.series.is_empty() {
        let mut band: Vec<String> = r
            .series
            .iter()
            .enumerate()
            .map(|(i, d)| format!("{:.1},{:.1}", x(i), y(d.high)))
            .collect();
        band.extend(
            r.series
                .iter()
                .enumerate()
                .rev()
                .map(|(i, d)| format!("{:.1},{:.1}", x(i), y(d.low))),
        );
        let _ = writeln!(
            s,
            r##"<polygon points="{}" fill="#c44" fill-opacity="0.18" stroke="none"/>"##,
            band.join(" ")
        );
        let line: Vec<String> = r
            .series
            .iter()
            .enumerate()
            .map(|(i, d)| format!("{:.1},{:.1}", x(i), y(d.probability)))
            .collect();
        let _ = writeln!(
            s,
            r##"<polyline points="{}" fill="none" stroke="#b22" stroke-width="2"/>"##,
            line.join(" ")
        );
    }
    let _ = writeln!(
        s,
        r##"<line x1="{left}" x2="{:.1}" y1="{:.1}" y2="{:.1}" stroke="#333" stroke-dasharray="4 3"/>"##,
        w - right,
        y(threshold),
        y(threshold)
    );
    for a in &r.alerts {
        if let Some(i) = r.series.iter().position(|d| d.date == a.date) {
            let _ = writeln!(
                s,
                r##"<circle cx="{:.1}" cy="{:.1}" r="3.5" fill="#333"><title>{} {}</title></circle>"##,
                x(i),
                y(a.probability),
                a.date,
                a.message
            );
        }
    }
    s.push_str("</svg>\n");
    s
}
