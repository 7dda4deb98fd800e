//! `dabiao calibrate`: estimate growth assumptions from a CSV series or from
//! a scenario indicator's history.

use std::path::Path;

use crate::calibrate::{fit_count, fit_growth, series, SeriesKind};
use crate::cli::{CalibrateArgs, SeriesKindArg};
use crate::error::{did_you_mean, Diagnostic, Error};
use crate::model::Kind;
use crate::report::calibrate::{render_count, render_growth};
use crate::text::Text;
use crate::tr;

pub fn calibrate(args: &CalibrateArgs) -> Result<(), Error> {
    let file = super::display_name(&args.input);
    let is_scenario =
        args.indicator.is_some() || args.input.extension().is_some_and(|e| e == "toml");
    let (points, kind, origin, file_exit_rate) = if is_scenario {
        from_scenario(&args.input, &file, args.indicator.as_deref())?
    } else {
        let kind = match args.kind {
            SeriesKindArg::Level => SeriesKind::Level,
            SeriesKindArg::Share => SeriesKind::Share,
            SeriesKindArg::Count => SeriesKind::Count,
        };
        let (points, column) = from_table(&args.input, &file, args.column.as_deref())?;
        let origin = tr!("{file}, column {column}", "{file}，{column} 列");
        (points, kind, origin, 0.0)
    };
    if args.exit_rate.is_some() && kind != SeriesKind::Count {
        return Err(input_error(
            &file,
            tr!(
                "--exit-rate is for a count's series",
                "--exit-rate 只用于计数序列"
            ),
        ));
    }
    let s = series(points, kind).map_err(|m| input_error(&file, m))?;
    let exit_rate = args.exit_rate.unwrap_or(file_exit_rate);
    let lang = super::lang(args.lang);
    let text = match kind {
        SeriesKind::Count => render_count(&fit_count(&s, exit_rate), &origin, lang),
        k => render_growth(&fit_growth(&s, k), &origin, lang),
    };
    super::emit(text.as_bytes(), args.output.as_deref())
}

fn input_error(file: &str, message: Text) -> Error {
    let mut d = Diagnostic::new(message);
    d.file = Some(file.to_string());
    Error::Input(vec![d])
}

type Points = Vec<(i32, f64)>;

fn from_scenario(
    path: &Path,
    file: &str,
    id: Option<&str>,
) -> Result<(Points, SeriesKind, Text, f64), Error> {
    let text = super::read_input(path)?;
    let files = super::sources::Files::beside(path);
    let model =
        crate::scenario::load_variant(file, &text, None, &[], &files).map_err(Error::Input)?;
    let ids: Vec<&str> = model.indicators.iter().map(|i| i.id.as_str()).collect();
    let Some(id) = id else {
        return Err(input_error(
            file,
            tr!(
                "name the indicator to calibrate: --indicator {ids}",
                "请指明要校准的指标：--indicator {ids}",
                ids = ids.join("|")
            ),
        ));
    };
    let Some(i) = model.indicator(id) else {
        let mut d = Diagnostic::new(tr!("unknown indicator `{id}`", "没有指标 `{id}`"))
            .with_help(did_you_mean(id, ids.iter().copied()));
        d.file = Some(file.to_string());
        return Err(Error::Input(vec![d]));
    };
    let ind = &model.indicators[i];
    let (kind, exit_rate) = match ind.kind {
        Kind::Level { .. } => (SeriesKind::Level, 0.0),
        Kind::Share { .. } => (SeriesKind::Share, 0.0),
        Kind::Count { exit_rate, .. } => (SeriesKind::Count, exit_rate),
        Kind::Formula(_) => {
            return Err(input_error(
                file,
                tr!(
                    "`{id}` is a formula: calibrate its inputs instead",
                    "`{id}` 是公式：请校准它的输入"
                ),
            ));
        }
    };
    let points: Points = model
        .years()
        .zip(&ind.observed)
        .filter_map(|(y, v)| v.map(|v| (y, v)))
        .collect();
    Ok((
        points,
        kind,
        tr!(
            "{file}, indicators.{id} history",
            "{file}，indicators.{id} 的历史值"
        ),
        exit_rate,
    ))
}

/// The series of a table (CSV in UTF-8 or GBK, or a spreadsheet; years down
/// a column or across the top): the one named by `column`, or the only one.
fn from_table(path: &Path, file: &str, column: Option<&str>) -> Result<(Points, String), Error> {
    let rows = super::table::read(path)?;
    let all = crate::series::read(&rows).map_err(|m| input_error(file, m))?;
    let names: Vec<&str> = all.iter().map(|s| s.name.as_str()).collect();
    let chosen = match column {
        Some(name) => all.iter().find(|s| s.name == name).ok_or_else(|| {
            let mut d = Diagnostic::new(tr!(
                "no column `{name}`; the series are {list}",
                "没有 `{name}` 列；序列有 {list}",
                list = names.join(", ")
            ))
            .with_help(did_you_mean(name, names.iter().copied()));
            d.file = Some(file.to_string());
            Error::Input(vec![d])
        })?,
        None => match all.as_slice() {
            [one] => one,
            _ => {
                return Err(input_error(
                    file,
                    tr!(
                        "which series? --column {list}",
                        "哪个序列？--column {list}",
                        list = names.join("|")
                    ),
                ))
            }
        },
    };
    // Duplicates, gaps and too few values are `calibrate::series`'s to name.
    Ok((chosen.points.clone(), chosen.name.clone()))
}
