//! `casus assess [FILE] [--json] [--horizon-days N]`: the probability of force, with its interval and
//! the reasons, for one situation.

use crate::output::BadInput;
use casus_core::{
    Assessment, Factor, FactorValue, Role, Situation, country_name, estimative_band, percent,
};
use casus_model::AssessOptions;
use std::path::PathBuf;
use std::process::ExitCode;

#[derive(clap::Args)]
pub struct Args {
    /// Situation file (TOML). Default: the built-in Belarus situation of 25 August 2020.
    file: Option<PathBuf>,
    /// Print one JSON object (situation_id, probability, interval, horizon_days, model, drivers).
    #[arg(long)]
    json: bool,
    /// Horizon in days (1–3650). Default: the situation's own horizon_days (365 if unset).
    #[arg(long, value_name = "N")]
    horizon_days: Option<u32>,
    /// Seed for integrating over uncertain and unknown factors; the same seed gives the same numbers.
    #[arg(long, default_value_t = casus_model::ASSESS_SEED)]
    seed: u64,
}

pub fn run(args: Args) -> anyhow::Result<ExitCode> {
    if let Some(h) = args.horizon_days
        && !(1..=casus_data::MAX_HORIZON_DAYS).contains(&h)
    {
        return Err(BadInput(format!(
            "--horizon-days must be from 1 to {}, got {h}",
            casus_data::MAX_HORIZON_DAYS
        ))
        .into());
    }
    let situation = crate::model::situation(args.file.as_deref())?;
    let model = crate::model::builtin()?;
    let a = model.assess(
        &situation,
        &AssessOptions {
            horizon_days: args.horizon_days,
            seed: args.seed,
        },
    );
    if args.json {
        crate::output::print_json(&a)?;
    } else {
        let offset = model.type_offset(situation.crisis_type);
        print!("{}", render(&situation, &a, model.case_ids().len(), offset));
    }
    Ok(ExitCode::SUCCESS)
}

/// The human note: headline, interval and words, then drivers and restraints in the theory's terms,
/// and the crisis type's offset (`type_offset`, log-odds) where the model has one.
pub fn render(s: &Situation, a: &Assessment, n_cases: usize, type_offset: Option<f64>) -> String {
    use std::fmt::Write as _;
    let mut out = String::new();
    let patron = country_name(s.patron.as_str());
    let target = country_name(s.target.as_str());
    let until = s.as_of + chrono::Days::new(u64::from(a.horizon_days));
    let _ = writeln!(out, "{}", s.title);
    let _ = writeln!(
        out,
        "{} → {} · {} · as of {} · horizon {} days (to {})\n",
        s.patron,
        s.target,
        s.crisis_type.label(),
        s.as_of,
        a.horizon_days,
        until
    );
    let _ = writeln!(
        out,
        "Will {patron} use military force in or against {target} by {until}?\n"
    );
    let band = estimative_band(a.probability);
    let _ = writeln!(
        out,
        "  {:>4}   {}   (90% interval {}–{})\n",
        percent(a.probability),
        band.words,
        percent(a.interval[0]),
        percent(a.interval[1])
    );
    let section = |out: &mut String, title: &str, role: Role| {
        let rows: Vec<_> = a
            .drivers
            .iter()
            .filter(|d| d.role == role && d.contribution.abs() >= 0.05)
            .take(6)
            .collect();
        let _ = writeln!(out, "{title}");
        if rows.is_empty() {
            let _ = writeln!(out, "  none of note");
        }
        for d in rows {
            let value = d.factor.reading(*s.factors.get(d.factor));
            let _ = writeln!(
                out,
                "  {} {:<18} {}: {}  ({:+.1})",
                if role == Role::Driver { "+" } else { "−" },
                d.group.title(),
                d.factor.label(),
                value,
                d.contribution
            );
        }
        let _ = writeln!(out);
    };
    section(
        &mut out,
        "Drivers (raise the risk against the midpoint situation, every factor at its middle anchor)",
        Role::Driver,
    );
    section(&mut out, "Restraints (hold it back)", Role::Restraint);
    if let Some(o) = type_offset.filter(|o| o.abs() >= 0.05) {
        let _ = writeln!(
            out,
            "Crisis type: in {} patrons used force {} often than in the average crisis, whatever \
             the factors ({o:+.1}); the midpoint situation above is of the same type.\n",
            s.crisis_type.plural(),
            if o > 0.0 { "more" } else { "less" },
        );
    }

    let uncertain: Vec<String> = Factor::ALL
        .iter()
        .filter_map(|f| match s.factors.get(*f) {
            FactorValue::Range { .. } => Some(format!("{} {}", f.name(), s.factors.get(*f))),
            _ => None,
        })
        .collect();
    let unknown: Vec<&str> = Factor::ALL
        .iter()
        .filter(|f| s.factors.get(**f).is_unknown())
        .map(|f| f.name())
        .collect();
    if !uncertain.is_empty() {
        let _ = writeln!(
            out,
            "Uncertain (integrated over the range): {}",
            uncertain.join(", ")
        );
    }
    if !unknown.is_empty() {
        let _ = writeln!(
            out,
            "Unknown (integrated over the case base): {}",
            unknown.join(", ")
        );
    }
    let evidence = s.evidence.len();
    if evidence > 0 {
        let _ = writeln!(
            out,
            "Evidence: {evidence} sourced items (see `casus explain` or `casus report`)."
        );
    }
    let _ = writeln!(
        out,
        "\nModel {} {}, fitted on {} crises that began 1953–2019; contributions are in log-odds.",
        a.model.id, a.model.version, n_cases
    );
    out
}
