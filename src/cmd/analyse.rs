//! `dabiao sweep` and `dabiao solve`: loops around the engine.

use super::progress::Progress;
use crate::analysis::{solve::solve as solve_for, sweep::sweep as sweep_over, Runner};
use crate::cli::{OneScenarioArgs, RunOptions, SolveArgs, SolveFormat, SweepArgs, SweepFormat};
use crate::error::Error;
use crate::report;

/// Reads the scenario and hands a runner over it to `work`, with a
/// progress bar to `total(runner)` paths if that is known.
fn with_runner<T>(
    scenario: &OneScenarioArgs,
    run: &RunOptions,
    total: impl FnOnce(&Runner) -> Result<Option<u64>, Error>,
    work: impl FnOnce(&Runner) -> Result<T, Error>,
) -> Result<T, Error> {
    let file = scenario.file.display().to_string();
    let text = super::read_input(&scenario.file)?;
    let silent = Runner {
        file: &file,
        text: &text,
        overrides: &scenario.set.set,
        draws: run.draws,
        seed: run.seed,
        threads: run.threads(),
        progress: &|_| {},
    };
    let progress = Progress::new(total(&silent)?, run.quiet);
    let advance = |n| progress.advance(n);
    let result = work(&Runner {
        progress: &advance,
        ..silent
    });
    progress.done();
    result
}

pub fn sweep(args: &SweepArgs) -> Result<(), Error> {
    let vary = &args.vary;
    let steps = u64::from(args.steps);
    let total = |r: &Runner| {
        let first = r.model(&[vary.set(vary.start)])?;
        Ok(Some(steps * r.config(&first).draws))
    };
    let s = with_runner(&args.scenario, &args.run, total, |r| {
        sweep_over(r, vary, args.steps as usize, &args.targets)
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
    // Bisection: how many runs it takes is not known in advance.
    let s = with_runner(
        &args.scenario,
        &args.run,
        |_| Ok(None),
        |r| solve_for(r, &args.vary, &args.target, args.probability),
    )?;
    let out = match args.format {
        SolveFormat::Table => report::solve::table(&s),
        SolveFormat::Json => report::solve::json(&s),
    };
    super::print(&out)
}
