//! `casus scenarios [FILE] --move ID ... | --grid ID,ID,... | --tree [--json]`: what moves by the
//! actors would do to the chance of force.

use super::explain::{Inputs, user_error};
use crate::output::{BadInput, print_json};
use casus_explain::Move;
use casus_explain::estimative::{percent, percent_range};
use casus_explain::scenarios::{grid, scenario, tree};
use std::process::ExitCode;

#[derive(clap::Args)]
pub struct Args {
    #[command(flatten)]
    inputs: Inputs,
    /// A move to apply (repeatable; applied in the order given). See data/moves.toml for the ids.
    #[arg(long = "move", id = "move", value_name = "ID")]
    move_ids: Vec<String>,
    /// Evaluate every combination of these moves (comma-separated; 2^n rows, at most 12 moves).
    #[arg(long, value_name = "ID,ID,...", value_delimiter = ',', conflicts_with_all = ["move", "tree"])]
    grid: Vec<String>,
    /// A scenario tree over the --move moves (all moves with a probability if none are given),
    /// using each move's probability, moves independent: the overall probability by total
    /// probability and the branches that carry the risk.
    #[arg(long)]
    tree: bool,
    /// Show this many branches of a tree.
    #[arg(long, default_value_t = 10)]
    branches: usize,
    /// List the move catalogue and exit.
    #[arg(long)]
    list: bool,
    /// Print JSON.
    #[arg(long)]
    json: bool,
}

pub fn run(args: Args) -> anyhow::Result<ExitCode> {
    let l = args.inputs.load()?;
    let s = &l.situation;
    if args.list {
        if args.json {
            print_json(&l.moves)?;
        } else {
            for m in &l.moves.moves {
                let p = m
                    .probability
                    .map(|p| format!(" (p = {})", percent(p)))
                    .unwrap_or_default();
                println!("{:<36} {}{p}", m.id, m.description);
            }
        }
        return Ok(ExitCode::SUCCESS);
    }
    if args.tree {
        let chosen: Vec<&Move> = if args.move_ids.is_empty() {
            l.moves
                .moves
                .iter()
                .filter(|m| m.probability.is_some())
                .collect()
        } else {
            l.moves.select(&args.move_ids).map_err(user_error)?
        };
        let t = tree(&l.model, s, &chosen).map_err(user_error)?;
        if args.json {
            print_json(&t)?;
            return Ok(ExitCode::SUCCESS);
        }
        println!(
            "{}: scenario tree over {} moves ({} branches), moves independent.",
            s.title,
            chosen.len(),
            t.branches.len()
        );
        for (id, q) in &t.move_probabilities {
            println!("  {id:<36} happens with probability {}", percent(*q));
        }
        println!(
            "\nOverall probability of force: {} (as coded, with no move: {}).",
            percent(t.probability),
            percent(t.baseline_probability)
        );
        println!("Branches carrying the most risk (share of the overall probability):");
        println!(
            "  {:>5}  {:>8}  {:>16}  moves that happen",
            "share", "P(branch)", "P(force | branch)"
        );
        for b in t.branches.iter().take(args.branches) {
            let what = if b.moves.is_empty() {
                "none".to_string()
            } else {
                b.moves.join(" + ")
            };
            println!(
                "  {:>5}  {:>9}  {:>17}  {what}",
                percent(b.share),
                percent(b.branch_probability),
                percent(b.probability_force)
            );
        }
        return Ok(ExitCode::SUCCESS);
    }
    if !args.grid.is_empty() {
        let chosen = l.moves.select(&args.grid).map_err(user_error)?;
        let rows = grid(&l.model, s, &chosen).map_err(user_error)?;
        if args.json {
            print_json(&rows)?;
            return Ok(ExitCode::SUCCESS);
        }
        println!(
            "{}: every combination of {} moves ({} rows).",
            s.title,
            chosen.len(),
            rows.len()
        );
        for (i, m) in chosen.iter().enumerate() {
            println!("  {} = {}", i + 1, m.id);
        }
        let head: String = (1..=chosen.len()).map(|i| format!("{i:>3}")).collect();
        println!("\n{head}  P(force)");
        for r in &rows {
            let marks: String = r
                .active
                .iter()
                .map(|a| if *a { "  x" } else { "  ." })
                .collect();
            println!("{marks}  {:>5}", percent(r.probability));
        }
        return Ok(ExitCode::SUCCESS);
    }
    if args.move_ids.is_empty() {
        return Err(BadInput(
            "give at least one --move ID, a --grid ID,ID,..., --tree or --list".into(),
        )
        .into());
    }
    let chosen = l.moves.select(&args.move_ids).map_err(user_error)?;
    let sc = scenario(&l.model, s, &chosen);
    if args.json {
        print_json(&sc)?;
        return Ok(ExitCode::SUCCESS);
    }
    println!("{}", s.title);
    println!(
        "  as coded:       {:>4} (90% interval {})",
        percent(sc.baseline_probability),
        percent_range(sc.baseline_interval)
    );
    for m in &chosen {
        println!("  + {} ({})", m.description, m.id);
    }
    println!(
        "  after the moves: {:>4} (90% interval {}), {:.1} times the baseline",
        percent(sc.probability),
        percent_range(sc.interval),
        sc.ratio
    );
    Ok(ExitCode::SUCCESS)
}
