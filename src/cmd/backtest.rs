//! `dabiao backtest`: a scenario's forecast against a CSV of actuals.

use super::progress::Progress;
use crate::analysis::backtest::{backtest as score, Actual};
use crate::cli::{BacktestArgs, TextFormat};
use crate::error::{did_you_mean, Diagnostic, Error};
use crate::model::Model;
use crate::report;
use crate::simulate::{simulate, RunConfig};
use crate::text::Text;
use crate::tr;

pub fn backtest(args: &BacktestArgs) -> Result<(), Error> {
    let text = super::read_input(&args.scenario.file)?;
    let (mut model, _) =
        super::load(&args.scenario.set, &args.scenario.file, &text).map_err(Error::Input)?;
    model.sampler = args.run.sampler();
    let actuals = actuals(&args.actuals, &model)?;
    let cfg = RunConfig {
        draws: args.run.draws.unwrap_or(model.draws),
        seed: args.run.seed.unwrap_or(model.seed),
        threads: args.run.threads(),
    };
    let progress = Progress::new(Some(cfg.draws), args.run.quiet);
    let tally = simulate(&model, &cfg, &|n| progress.advance(n)).map_err(Error::threads)?;
    progress.done();
    let b = score(&model, &tally, cfg.seed, &actuals);
    let out = match args.format {
        TextFormat::Table => report::backtest::table(&b, super::lang(args.lang)),
        TextFormat::Json => report::json::backtest(&b),
    };
    super::emit(out.as_bytes(), args.output.as_deref())
}

/// Reads the actuals, checking ids against the model: rows of `indicator,
/// year, value` (other columns, such as source, ignored), or a table of
/// series named by indicator id with years down a column or across the top
/// (the yearbook layout). CSV in UTF-8 or GBK, or a spreadsheet.
fn actuals(path: &std::path::Path, model: &Model) -> Result<Vec<Actual>, Error> {
    let file = super::display_name(path);
    let rows = super::table::read(path)?;
    let problem = |line: Option<usize>, message: Text, help: Option<Text>| {
        let mut d = Diagnostic::new(message);
        d.file = Some(file.clone());
        d.line_col = line.map(|l| (l, 1));
        d.help = help;
        d
    };
    let ids: Vec<&str> = model.indicators.iter().map(|i| i.id.as_str()).collect();
    let unknown = |id: &str, line: Option<usize>| {
        problem(
            line,
            tr!("unknown indicator `{id}`", "没有指标 `{id}`"),
            did_you_mean(id, ids.iter().copied()),
        )
    };
    let index = |id: &str| ids.iter().position(|x| *x == id);
    let mut out = Vec::new();
    let mut problems = Vec::new();
    let header: Vec<&str> = rows
        .first()
        .map(|r| r.iter().map(|c| c.trim()).collect())
        .unwrap_or_default();
    let column = |name: &str| header.iter().position(|h| *h == name);
    if let (Some(ci), Some(cy), Some(cv)) = (column("indicator"), column("year"), column("value")) {
        for (k, record) in rows.iter().enumerate().skip(1) {
            let line = Some(k + 1);
            let get = |c: usize| record.get(c).map_or("", |s| s.trim());
            if record.iter().all(|c| c.trim().is_empty()) {
                continue;
            }
            let Some(i) = index(get(ci)) else {
                problems.push(unknown(get(ci), line));
                continue;
            };
            match (crate::series::year(get(cy)), crate::series::number(get(cv))) {
                (Some(y), Ok(Some(v))) => out.push((i, y, v)),
                _ => problems.push(problem(
                    line,
                    tr!(
                        "expected a year and a finite number, found `{y}` and `{v}`",
                        "应为年份和有限的数，实为 `{y}` 和 `{v}`",
                        y = get(cy),
                        v = get(cv)
                    ),
                    None,
                )),
            }
        }
    } else {
        let all = crate::series::read(&rows).map_err(|m| {
            Error::Input(vec![problem(
                None,
                tr!(
                    "expected columns indicator, year and value, or series named by indicator id with years down a column or across the top: {m}",
                    "应有 indicator、year、value 三列，或以指标 id 命名、年份成列或在表头的序列：{m}",
                    m = m
                ),
                None,
            )])
        })?;
        for s in all {
            match index(&s.name) {
                Some(i) => out.extend(s.points.iter().map(|&(y, v)| (i, y, v))),
                None => problems.push(unknown(&s.name, None)),
            }
        }
    }
    if problems.is_empty() {
        Ok(out)
    } else {
        Err(Error::Input(problems))
    }
}
