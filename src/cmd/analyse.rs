//! `dabiao sweep` and `dabiao solve`: loops around the engine.

use crate::analysis::{solve::solve as solve_for, sweep::sweep as sweep_over, Runner, Vary};
use crate::cli::{SolveArgs, SolveFormat, SweepArgs, SweepFormat};
use crate::error::Error;
use crate::report;

pub fn sweep(args: &SweepArgs) -> Result<(), Error> {
    let file = args.file.display().to_string();
    let text = super::read_input(&args.file)?;
    let vary = Vary::parse(&args.vary)?;
    let runner = Runner {
        file: &file,
        text: &text,
        overrides: &args.set,
        draws: args.run.draws,
        seed: args.run.seed,
        threads: args.run.threads(),
    };
    let s = sweep_over(&runner, &vary, args.steps as usize, &args.targets)?;
    let out = match args.format {
        SweepFormat::Table => report::sweep::table(&s),
        SweepFormat::Json => report::sweep::json(&s),
        SweepFormat::Csv => report::sweep::csv(&s),
        SweepFormat::Html => report::sweep::html(&s),
    };
    super::print(&out)
}

pub fn solve(args: &SolveArgs) -> Result<(), Error> {
    let file = args.file.display().to_string();
    let text = super::read_input(&args.file)?;
    let vary = Vary::parse(&args.vary)?;
    let runner = Runner {
        file: &file,
        text: &text,
        overrides: &args.set,
        draws: args.run.draws,
        seed: args.run.seed,
        threads: args.run.threads(),
    };
    let s = solve_for(&runner, &vary, &args.target, args.probability)?;
    let out = match args.format {
        SolveFormat::Table => report::solve::table(&s),
        SolveFormat::Json => report::solve::json(&s),
    };
    super::print(&out)
}
