//! `casus new PATRON TARGET --as-of DATE [--crisis-type T] [--out FILE]`: start a situation file
//! with every factor present as a commented line (its group, its anchors and "unknown" until coded),
//! so an analyst codes by uncommenting rather than by remembering eighteen names. The file
//! validates as written: every factor is unknown until its line is uncommented.

use crate::output::EXIT_BAD_INPUT;
use casus_core::{CountryCode, CrisisType, Factor, NaiveDate};
use std::fmt::Write as _;
use std::path::PathBuf;
use std::process::ExitCode;

#[derive(clap::Args)]
pub struct Args {
    /// The patron: ISO 3166-1 alpha-3 (e.g. RUS; SUN for the USSR).
    patron: String,
    /// The target state: ISO 3166-1 alpha-3 (e.g. BLR).
    target: String,
    /// The date of the assessment (YYYY-MM-DD): code only what is public on it.
    #[arg(long, value_name = "DATE")]
    as_of: NaiveDate,
    /// The kind of crisis: mass_protest, revolution, coup, civil_war, secession or
    /// interstate_standoff.
    #[arg(long, default_value = "mass_protest", value_parser = crisis_type)]
    crisis_type: CrisisType,
    /// Where to write the file (refused if it exists) [default: print to stdout].
    #[arg(long)]
    out: Option<PathBuf>,
}

/// A crisis type by the name situation files use for it.
fn crisis_type(name: &str) -> Result<CrisisType, String> {
    CrisisType::ALL
        .into_iter()
        .find(|t| t.name() == name)
        .ok_or_else(|| {
            let names: Vec<&str> = CrisisType::ALL.iter().map(|t| t.name()).collect();
            format!("`{name}` is not a crisis type; one of {}", names.join(", "))
        })
}

/// The situation file for these arguments.
pub fn template(
    patron: &CountryCode,
    target: &CountryCode,
    t: CrisisType,
    as_of: NaiveDate,
) -> String {
    let mut o = String::new();
    let id = format!("{patron}-{target}-{as_of}");
    let _ = writeln!(
        o,
        "# A casus situation: {patron} and {target} as of {as_of}. Code only what was public on as_of."
    );
    let _ = writeln!(
        o,
        "# Uncomment a factor and give a value in [0, 1] (0, 0.25, 0.5, 0.75, 1 against its anchors),"
    );
    let _ = writeln!(
        o,
        "# or a range {{ low = .., high = .. }} where you are unsure. A factor left commented is unknown:"
    );
    let _ = writeln!(
        o,
        "# casus integrates over it, never reads it as 0. See GUIDE.md, section 2. Check with `casus validate`."
    );
    let _ = writeln!(o, "id = {id:?}");
    let _ = writeln!(
        o,
        "title = {:?}",
        format!(
            "{} and {}, {as_of}",
            casus_core::country_name(patron.as_str()),
            casus_core::country_name(target.as_str())
        )
    );
    let _ = writeln!(o, "patron = {:?}", patron.as_str());
    let _ = writeln!(o, "target = {:?}", target.as_str());
    let _ = writeln!(
        o,
        "crisis_type = {:?}   # mass_protest|revolution|coup|civil_war|secession|interstate_standoff",
        t.name()
    );
    let _ = writeln!(o, "as_of = {as_of}");
    let _ = writeln!(o, "horizon_days = 365");
    o.push_str("\n[factors]\n");
    let mut group = None;
    for f in Factor::ALL {
        if group != Some(f.group()) {
            group = Some(f.group());
            let _ = writeln!(o, "\n# --- {} ---", f.group().title());
        }
        let [lo, mid, hi] = f.anchors();
        let _ = writeln!(o, "# {}: 0 = {lo}; 0.5 = {mid}; 1 = {hi}", f.label());
        let _ = writeln!(o, "# {} = 0.5   # unknown until coded", f.name());
    }
    o.push_str(
        "\n# Dated, sourced evidence for each coding (one [[evidence]] table per fact). Dates must not\n\
         # be after as_of; cite the original publisher, an official statement or a scholarly work.\n\
         # [[evidence]]\n\
         # factor = \"military_signals\"\n\
         # date = YYYY-MM-DD\n\
         # text = \"What happened, in one sentence.\"\n\
         # source = \"https://...\"\n",
    );
    o
}

pub fn run(args: Args) -> anyhow::Result<ExitCode> {
    let code = |s: &str, which: &str| {
        CountryCode::new(s).map_err(|e| {
            eprintln!("casus: {which}: {e}");
        })
    };
    let (Ok(patron), Ok(target)) = (code(&args.patron, "PATRON"), code(&args.target, "TARGET"))
    else {
        return Ok(ExitCode::from(EXIT_BAD_INPUT));
    };
    let text = template(&patron, &target, args.crisis_type, args.as_of);
    match &args.out {
        Some(p) if p.exists() => {
            eprintln!(
                "casus: {} exists; choose another --out or remove it first",
                p.display()
            );
            return Ok(ExitCode::from(EXIT_BAD_INPUT));
        }
        Some(p) => {
            crate::output::write_file(p, &text)?;
            eprintln!(
                "casus: wrote {}; code its factors, then `casus validate {}`",
                p.display(),
                p.display()
            );
        }
        None => print!("{text}"),
    }
    Ok(ExitCode::SUCCESS)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_template_validates_and_names_every_factor() {
        let t = template(
            &CountryCode::new("RUS").unwrap(),
            &CountryCode::new("BLR").unwrap(),
            CrisisType::MassProtest,
            NaiveDate::from_ymd_opt(2020, 8, 25).unwrap(),
        );
        let s = casus_data::parse_situation(std::path::Path::new("new.toml"), &t).unwrap();
        assert_eq!(s.id, "RUS-BLR-2020-08-25");
        assert!(s.factors.iter().all(|(_, v)| v.is_unknown()));
        for f in Factor::ALL {
            assert!(t.contains(&format!("# {} = 0.5", f.name())), "{f}");
        }
        // Uncommenting a line codes that factor.
        let coded = t.replace("# military_signals = 0.5", "military_signals = 0.5");
        let s = casus_data::parse_situation(std::path::Path::new("new.toml"), &coded).unwrap();
        assert_eq!(s.factors.get(Factor::MilitarySignals).point(), Some(0.5));
    }
}
