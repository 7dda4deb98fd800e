//! `dabiao backtest`: a scenario's forecast against a CSV of actuals.

use super::progress::Progress;
use crate::analysis::backtest::{backtest as score, Actual};
use crate::cli::{BacktestArgs, SolveFormat};
use crate::error::{did_you_mean, Diagnostic, Error};
use crate::model::Model;
use crate::report;
use crate::simulate::{simulate, RunConfig};

pub fn backtest(args: &BacktestArgs) -> Result<(), Error> {
    let file = args.scenario.file.display().to_string();
    let text = super::read_input(&args.scenario.file)?;
    let model = super::load(&args.scenario.set, &file, &text).map_err(Error::Input)?;
    let actuals = actuals(&args.actuals, &model)?;
    let cfg = RunConfig {
        draws: args.run.draws.unwrap_or(model.draws),
        seed: args.run.seed.unwrap_or(model.seed),
        threads: args.run.threads(),
    };
    let progress = Progress::new(Some(cfg.draws), args.run.quiet);
    let tally = simulate(&model, &cfg, &|n| progress.advance(n))
        .map_err(|e| Error::Other(format!("cannot start worker threads: {e}")))?;
    progress.done();
    let b = score(&model, &tally, cfg.seed, &actuals);
    let out = match args.format {
        SolveFormat::Table => report::backtest::table(&b),
        SolveFormat::Json => report::json::backtest(&b),
    };
    super::emit(out.as_bytes(), args.output.as_deref())
}

/// Reads `indicator,year,value` rows, checking ids against the model.
fn actuals(path: &std::path::Path, model: &Model) -> Result<Vec<Actual>, Error> {
    let file = super::display_name(path);
    let text = super::read_input(path)?;
    let problem = |line: Option<u64>, message: String, help: Option<String>| {
        let mut d = Diagnostic::new(message);
        d.file = Some(file.clone());
        d.line_col = line.map(|l| (l as usize, 1));
        d.help = help;
        d
    };
    let mut reader = csv::ReaderBuilder::new()
        .trim(csv::Trim::All)
        .flexible(true)
        .from_reader(text.as_bytes());
    let headers = reader
        .headers()
        .map_err(|e| Error::Input(vec![problem(Some(1), format!("not CSV: {e}"), None)]))?
        .clone();
    let column = |name: &str| headers.iter().position(|h| h == name);
    let (Some(ci), Some(cy), Some(cv)) = (column("indicator"), column("year"), column("value"))
    else {
        return Err(Error::Input(vec![problem(
            Some(1),
            format!(
                "expected columns indicator, year and value; found {}",
                headers.iter().collect::<Vec<_>>().join(", ")
            ),
            None,
        )]));
    };
    let ids: Vec<&str> = model.indicators.iter().map(|i| i.id.as_str()).collect();
    let mut out = Vec::new();
    let mut problems = Vec::new();
    for record in reader.records() {
        let record = match record {
            Ok(r) => r,
            Err(e) => {
                problems.push(problem(
                    e.position().map(|p| p.line()),
                    format!("{e}"),
                    None,
                ));
                continue;
            }
        };
        let line = record.position().map(|p| p.line());
        let get = |c: usize| record.get(c).unwrap_or("");
        let id = get(ci);
        let Some(i) = ids.iter().position(|x| *x == id) else {
            problems.push(problem(
                line,
                format!("unknown indicator `{id}`"),
                did_you_mean(id, ids.iter().copied()),
            ));
            continue;
        };
        let year = get(cy)
            .parse::<i32>()
            .ok()
            .filter(|y| (1000..=9999).contains(y));
        let value = get(cv).parse::<f64>().ok().filter(|v| v.is_finite());
        match (year, value) {
            (Some(y), Some(v)) => out.push((i, y, v)),
            _ => problems.push(problem(
                line,
                format!(
                    "expected a year and a finite number, found `{}` and `{}`",
                    get(cy),
                    get(cv)
                ),
                None,
            )),
        }
    }
    if problems.is_empty() {
        Ok(out)
    } else {
        Err(Error::Input(problems))
    }
}
