//! `dabiao sweep` and `dabiao solve`: loops around the engine.

use super::output::Staging;
use super::progress::Progress;
use crate::analysis::sweep::{grid, sweep as sweep_over};
use crate::analysis::{solve::solve as solve_for, Runner};
use crate::cli::{OneScenarioArgs, RunOptions, SolveArgs, SolveFormat, SweepArgs, SweepFormat};
use crate::error::Error;
use crate::report;

/// Reads the scenario and hands a runner over it to `work`, with a
/// progress bar to `runs × draws` paths if the number of runs is known.
fn with_runner<T>(
    scenario: &OneScenarioArgs,
    run: &RunOptions,
    runs: Option<u64>,
    work: impl FnOnce(&Runner) -> Result<T, Error>,
) -> Result<T, Error> {
    let file = super::display_name(&scenario.file);
    let text = super::read_input(&scenario.file)?;
    let (mut model, _) = super::load(&scenario.set, &scenario.file, &text).map_err(Error::Input)?;
    model.sampler = run.sampler();
    let draws = run.draws.unwrap_or(model.draws);
    let progress = Progress::new(runs.map(|n| n * draws), run.quiet);
    let advance = |n| progress.advance(n);
    let result = work(&Runner {
        file: &file,
        model,
        overrides: &scenario.set.set,
        draws: run.draws,
        seed: run.seed,
        threads: run.threads(),
        progress: &advance,
    });
    progress.done();
    result
}

pub fn sweep(args: &SweepArgs) -> Result<(), Error> {
    args.check().map_err(Error::input)?;
    // Refuse an --out that is not ours before any work is done.
    let staging = args.out.as_deref().map(Staging::new).transpose()?;
    let lang = super::lang(args.lang);
    let steps = u64::from(args.steps);
    let render: Box<dyn Fn(SweepFormat) -> String> = if let [a, b] = args.vary.as_slice() {
        let g = with_runner(&args.scenario, &args.run, Some(steps * steps), |r| {
            grid(r, [a, b], args.steps as usize, &args.targets)
        })?;
        Box::new(move |format| match format {
            SweepFormat::Table => report::sweep::grid_table(&g, lang),
            SweepFormat::Json => report::json::grid(&g),
            SweepFormat::Csv => report::sweep::grid_csv(&g),
            SweepFormat::Html => report::sweep::grid_html(&g, lang),
        })
    } else {
        let s = with_runner(&args.scenario, &args.run, Some(steps), |r| {
            sweep_over(r, &args.vary[0], args.steps as usize, &args.targets)
        })?;
        Box::new(move |format| match format {
            SweepFormat::Table => report::sweep::table(&s, lang),
            SweepFormat::Json => report::json::sweep(&s),
            SweepFormat::Csv => report::sweep::csv(&s),
            SweepFormat::Html => report::sweep::html(&s, lang),
        })
    };
    if let Some(mut staging) = staging {
        for (name, format) in [
            ("sweep.html", SweepFormat::Html),
            ("sweep.csv", SweepFormat::Csv),
            ("sweep.json", SweepFormat::Json),
            ("sweep.txt", SweepFormat::Table),
        ] {
            staging.write(name, render(format).as_bytes())?;
        }
        staging.commit()?;
    }
    super::emit(render(args.format).as_bytes(), args.output.as_deref())
}

pub fn solve(args: &SolveArgs) -> Result<(), Error> {
    let lang = super::lang(args.lang);
    // Refuse an --out that is not ours before any work is done.
    let staging = args.out.as_deref().map(Staging::new).transpose()?;
    // Bisection: how many runs it takes is not known in advance.
    let s = with_runner(&args.scenario, &args.run, None, |r| {
        solve_for(r, &args.vary, &args.target, args.probability)
    })?;
    let render = |format| match format {
        SolveFormat::Table => report::solve::table(&s, lang),
        SolveFormat::Json => report::json::solve(&s),
        SolveFormat::Html => report::solve::html(&s, lang),
    };
    if let Some(mut staging) = staging {
        for (name, format) in [
            ("solve.html", SolveFormat::Html),
            ("solve.json", SolveFormat::Json),
            ("solve.txt", SolveFormat::Table),
        ] {
            staging.write(name, render(format).as_bytes())?;
        }
        staging.commit()?;
    }
    super::emit(render(args.format).as_bytes(), args.output.as_deref())
}
