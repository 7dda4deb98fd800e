//! `dabiao sweep` and `dabiao solve`: loops around the engine.

use std::path::Path;

use crate::analysis::{solve::solve as solve_for, sweep::sweep as sweep_over, Runner, Vary};
use crate::cli::{RunOptions, SolveArgs, SolveFormat, SweepArgs, SweepFormat};
use crate::error::Error;
use crate::report;

/// Reads the scenario and hands a runner over it to `work`.
fn with_runner<T>(
    path: &Path,
    set: &[String],
    run: &RunOptions,
    work: impl FnOnce(&Runner) -> Result<T, Error>,
) -> Result<T, Error> {
    let file = path.display().to_string();
    let text = super::read_input(path)?;
    let runner = Runner {
        file: &file,
        text: &text,
        overrides: set,
        draws: run.draws,
        seed: run.seed,
        threads: run.threads(),
    };
    work(&runner)
}

pub fn sweep(args: &SweepArgs) -> Result<(), Error> {
    let vary = Vary::parse(&args.vary)?;
    let s = with_runner(&args.file, &args.set, &args.run, |r| {
        sweep_over(r, &vary, args.steps as usize, &args.targets)
    })?;
    let out = match args.format {
        SweepFormat::Table => report::sweep::table(&s),
        SweepFormat::Json => report::sweep::json(&s),
        SweepFormat::Csv => report::sweep::csv(&s),
        SweepFormat::Html => report::sweep::html(&s),
    };
    super::print(&out)
}

pub fn solve(args: &SolveArgs) -> Result<(), Error> {
    let vary = Vary::parse(&args.vary)?;
    let s = with_runner(&args.file, &args.set, &args.run, |r| {
        solve_for(r, &vary, &args.target, args.probability)
    })?;
    let out = match args.format {
        SolveFormat::Table => report::solve::table(&s),
        SolveFormat::Json => report::solve::json(&s),
    };
    super::print(&out)
}
