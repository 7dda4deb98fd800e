//! Excel workbooks (`--format xlsx -o FILE`, and `report.xlsx` in `--out`):
//! numbers as numbers (probabilities formatted as percentages), labels in
//! the plan's words, one sheet of targets, one per indicator's fan in wide
//! form with a native line chart, the assumptions and the manifest. A
//! study's workbook is its table, with filters on every column.

use crate::text::Text;
use rust_xlsxwriter::{
    Chart, ChartType, DocProperties, ExcelDateTime, Format, Workbook, Worksheet, XlsxError,
};

use super::describe::assumption_cells;
use super::format::tidy;
use super::words::{tier, verdict, w, Lang, Word};
use crate::model::requirement::Pace;
use crate::model::{Metric, Reading};
use crate::stats::results::{Estimate, Results, TargetDetail, LEVEL_NAMES};
use crate::study::StudyTable;

/// Excel's limit on a sheet name's length.
const SHEET_NAME_MAX: usize = 31;

struct Formats {
    head: Format,
    percent: Format,
    number: Format,
}

impl Formats {
    fn new() -> Formats {
        Formats {
            head: Format::new().set_bold().set_text_wrap(),
            percent: Format::new().set_num_format("0.00%"),
            number: Format::new().set_num_format("#,##0.####"),
        }
    }
}

/// A workbook whose bytes depend only on what is written into it: its
/// properties carry a fixed creation time instead of the clock's (same
/// results, same bytes, as for the SVG charts).
fn new_workbook() -> Result<Workbook, XlsxError> {
    let mut book = Workbook::new();
    let fixed = ExcelDateTime::from_ymd(2000, 1, 1)?;
    book.set_properties(
        &DocProperties::new()
            .set_creation_datetime(&fixed)
            .set_author("dabiao"),
    );
    Ok(book)
}

/// A sheet name Excel accepts, unique among `taken`: no `[]:*?/\`, at most
/// 31 characters.
fn sheet_name(wanted: &str, taken: &mut Vec<String>) -> String {
    let clean: String = wanted
        .chars()
        .map(|c| if "[]:*?/\\".contains(c) { '_' } else { c })
        .collect::<String>()
        .trim_matches('\'')
        .to_string();
    let base: String = clean.chars().take(SHEET_NAME_MAX).collect();
    let base = if base.trim().is_empty() {
        "Sheet".into()
    } else {
        base
    };
    let mut name = base.clone();
    let mut k = 2;
    while taken
        .iter()
        .any(|t| t.to_lowercase() == name.to_lowercase())
    {
        let suffix = format!(" ({k})");
        let room = SHEET_NAME_MAX - suffix.chars().count();
        name = format!("{}{suffix}", base.chars().take(room).collect::<String>());
        k += 1;
    }
    taken.push(name.clone());
    name
}

fn heads(ws: &mut Worksheet, row: u32, heads: &[&str], f: &Formats) -> Result<(), XlsxError> {
    for (c, h) in heads.iter().enumerate() {
        ws.write_string_with_format(row, c as u16, *h, &f.head)?;
    }
    Ok(())
}

/// Whether a target's statistic reads as a rate or share (a percentage).
fn reads_as_percent(metric: Metric, kind: Reading) -> bool {
    metric.is_rate() || (kind == Reading::Share && !metric.is_entries())
}

/// The workbook of one or several runs.
pub fn workbook(all: &[Results], lang: Lang) -> Result<Vec<u8>, Text> {
    build(all, lang).map_err(cannot_build)
}

fn build(all: &[Results], lang: Lang) -> Result<Vec<u8>, XlsxError> {
    let f = Formats::new();
    let mut book = new_workbook()?;
    let mut taken = Vec::new();
    let several = all.len() > 1;
    targets_sheet(&mut book, all, lang, &f, &mut taken)?;
    for (k, r) in all.iter().enumerate() {
        for ind in &r.indicators {
            let wanted = if several {
                format!("{} {}", k + 1, ind.label)
            } else {
                ind.label.clone()
            };
            let name = sheet_name(&wanted, &mut taken);
            let ws = book.add_worksheet().set_name(&name)?;
            let percent = ind.kind == Reading::Share;
            let mut head = vec![format!("{} ({})", ind.label, ind.unit)];
            head.extend(ind.years.iter().map(|y| y.to_string()));
            let head: Vec<&str> = head.iter().map(String::as_str).collect();
            heads(ws, 0, &head, &f)?;
            let mut rows: Vec<(&str, &Vec<Option<f64>>)> = LEVEL_NAMES
                .iter()
                .zip(ind.quantiles.each())
                .map(|(n, q)| (*n, q))
                .collect();
            rows.push(("mean", &ind.mean));
            rows.push(("observed", &ind.observed));
            for (i, (name, values)) in rows.iter().enumerate() {
                let row = i as u32 + 1;
                ws.write_string(row, 0, *name)?;
                for (c, v) in values.iter().enumerate() {
                    if let Some(v) = v.filter(|v| v.is_finite()) {
                        let format = if percent { &f.percent } else { &f.number };
                        // A count's quantiles are whole numbers, as in fan.csv.
                        let v = if ind.kind == Reading::Count {
                            v.round()
                        } else {
                            tidy(v)
                        };
                        ws.write_number_with_format(row, c as u16 + 1, v, format)?;
                    }
                }
            }
            ws.set_column_width(0, 24)?;
            let last = ind.years.len() as u16;
            let mut chart = Chart::new(ChartType::Line);
            for i in 0..LEVEL_NAMES.len() as u32 + 2 {
                chart
                    .add_series()
                    .set_name((name.as_str(), i + 1, 0))
                    .set_categories((name.as_str(), 0, 1, 0, last))
                    .set_values((name.as_str(), i + 1, 1, i + 1, last));
            }
            chart
                .title()
                .set_name(&format!("{} ({})", ind.label, ind.unit));
            chart.set_width(720).set_height(360);
            ws.insert_chart(9, 0, &chart)?;
        }
    }
    assumptions_sheet(&mut book, all, lang, &f, &mut taken)?;
    manifest_sheet(&mut book, all, &f, &mut taken)?;
    book.save_to_buffer()
}

fn targets_sheet(
    book: &mut Workbook,
    all: &[Results],
    lang: Lang,
    f: &Formats,
    taken: &mut Vec<String>,
) -> Result<(), XlsxError> {
    let name = sheet_name(w(lang, Word::Targets), taken);
    let ws = book.add_worksheet().set_name(&name)?;
    let head = [
        "scenario",
        w(lang, Word::Target),
        w(lang, Word::Tier),
        w(lang, Word::Probability),
        "ci95_low",
        "ci95_high",
        w(lang, Word::Verdict),
        w(lang, Word::Median),
        w(lang, Word::Threshold),
        w(lang, Word::Needs),
        w(lang, Word::Assumes),
        w(lang, Word::Indicator),
        "year",
        "id",
    ];
    heads(ws, 0, &head, f)?;
    let mut row = 1;
    let estimate = |ws: &mut Worksheet, row: u32, e: &Estimate| -> Result<(), XlsxError> {
        ws.write_number_with_format(row, 3, e.probability, &f.percent)?;
        ws.write_number_with_format(row, 4, tidy(e.ci95.0), &f.percent)?;
        ws.write_number_with_format(row, 5, tidy(e.ci95.1), &f.percent)?;
        Ok(())
    };
    for r in all {
        for t in &r.targets {
            ws.write_string(row, 0, &r.scenario.name)?;
            ws.write_string(row, 1, &t.label)?;
            ws.write_string(row, 2, tier(lang, t.tier))?;
            estimate(ws, row, &t.estimate)?;
            ws.write_string(row, 6, verdict(lang, t.verdict))?;
            if let TargetDetail::Stat {
                indicator,
                indicator_kind,
                metric,
                threshold,
                outcome,
                requirement,
                to,
                ..
            } = &t.detail
            {
                let format = if reads_as_percent(*metric, *indicator_kind) {
                    &f.percent
                } else {
                    &f.number
                };
                if let Some(o) = outcome {
                    ws.write_number_with_format(row, 7, tidy(o[2]), format)?;
                }
                ws.write_number_with_format(row, 8, *threshold, format)?;
                if let Some(q) = requirement {
                    // Rates and points as percentages (0.01 is one point), additions as numbers.
                    let pace = if q.pace == Pace::Units {
                        &f.number
                    } else {
                        &f.percent
                    };
                    if let Some(x) = q.required.filter(|x| x.is_finite()) {
                        ws.write_number_with_format(row, 9, tidy(x), pace)?;
                    }
                    if let Some(x) = q.assumed.filter(|x| x.is_finite()) {
                        ws.write_number_with_format(row, 10, tidy(x), pace)?;
                    }
                }
                ws.write_string(row, 11, indicator)?;
                ws.write_number(row, 12, *to)?;
            }
            ws.write_string(row, 13, &t.id)?;
            row += 1;
        }
        let joint = [
            (Word::AllFloor, &r.joint_floor),
            (Word::AllStretch, &r.joint_stretch),
        ];
        for (word, e) in joint {
            if let Some(e) = e {
                ws.write_string(row, 0, &r.scenario.name)?;
                ws.write_string(row, 1, w(lang, word))?;
                estimate(ws, row, e)?;
                row += 1;
            }
        }
    }
    ws.set_column_width(0, 20)?;
    ws.set_column_width(1, 40)?;
    ws.set_column_range_width(2, 12, 13)?;
    ws.set_freeze_panes(1, 2)?;
    ws.autofilter(0, 0, row.saturating_sub(1).max(1), head.len() as u16 - 1)?;
    Ok(())
}

fn assumptions_sheet(
    book: &mut Workbook,
    all: &[Results],
    lang: Lang,
    f: &Formats,
    taken: &mut Vec<String>,
) -> Result<(), XlsxError> {
    let name = sheet_name(w(lang, Word::Assumptions), taken);
    let ws = book.add_worksheet().set_name(&name)?;
    let head = [
        "scenario",
        w(lang, Word::Indicator),
        w(lang, Word::Base),
        w(lang, Word::Movement),
        w(lang, Word::Persistence),
        w(lang, Word::Source),
    ];
    heads(ws, 0, &head, f)?;
    let mut row = 1;
    for r in all {
        for a in &r.assumptions {
            let [base, movement, persistence] = assumption_cells(a, lang);
            ws.write_string(row, 0, &r.scenario.name)?;
            ws.write_string(row, 1, &a.label)?;
            ws.write_string(row, 2, &base)?;
            ws.write_string(row, 3, &movement)?;
            ws.write_string(row, 4, &persistence)?;
            ws.write_string(row, 5, a.source.as_deref().unwrap_or(""))?;
            row += 1;
        }
    }
    ws.set_column_width(0, 20)?;
    ws.set_column_range_width(1, 4, 28)?;
    ws.set_column_width(5, 80)?;
    Ok(())
}

fn manifest_sheet(
    book: &mut Workbook,
    all: &[Results],
    f: &Formats,
    taken: &mut Vec<String>,
) -> Result<(), XlsxError> {
    let name = sheet_name("Manifest", taken);
    let ws = book.add_worksheet().set_name(&name)?;
    let mut row = 0;
    for r in all {
        let s = &r.scenario;
        let fields: [(&str, String); 13] = [
            ("scenario", s.name.clone()),
            ("document", s.document.clone().unwrap_or_default()),
            ("region", s.region.clone().unwrap_or_default()),
            ("file", s.file.clone()),
            ("sha256", s.sha256.clone().unwrap_or_default()),
            (
                "variant",
                s.variant.as_ref().map(|v| v.id.clone()).unwrap_or_default(),
            ),
            ("base_year", s.base_year.to_string()),
            ("horizon", s.horizon.to_string()),
            ("draws", r.run.draws.to_string()),
            ("seed", r.run.seed.to_string()),
            ("overrides", r.run.overrides.join(" ")),
            ("dabiao_version", r.run.dabiao_version.to_string()),
            ("schema_version", super::json::SCHEMA_VERSION.to_string()),
        ];
        for (key, value) in fields {
            ws.write_string_with_format(row, 0, key, &f.head)?;
            match key {
                "base_year" | "horizon" | "draws" | "seed" => {
                    ws.write_number(row, 1, value.parse::<f64>().unwrap_or(0.0))?
                }
                _ => ws.write_string(row, 1, &value)?,
            };
            row += 1;
        }
        row += 1;
    }
    ws.set_column_width(0, 18)?;
    ws.set_column_width(1, 70)?;
    Ok(())
}

/// A study's workbook: every row, and the headline rows on a sheet of their own.
pub fn study(t: &StudyTable) -> Result<Vec<u8>, Text> {
    build_study(t).map_err(cannot_build)
}

fn cannot_build(e: rust_xlsxwriter::XlsxError) -> Text {
    crate::tr!(
        "cannot build the workbook: {e}",
        "无法生成工作簿（\"{e}\"）"
    )
}

fn build_study(t: &StudyTable) -> Result<Vec<u8>, XlsxError> {
    let f = Formats::new();
    let mut book = new_workbook()?;
    let head = super::study::HEADER;
    let headline = t.headline();
    let every: Vec<_> = t.rows.iter().collect();
    for (name, rows) in [("Headline", headline), ("Every target", every)] {
        let ws = book.add_worksheet().set_name(name)?;
        heads(ws, 0, &head, &f)?;
        for (i, r) in rows.iter().enumerate() {
            let row = i as u32 + 1;
            let text = |x: &Option<String>| x.clone().unwrap_or_default();
            for (c, s) in [
                (0, r.file.clone()),
                (1, r.scenario.clone()),
                (2, text(&r.region)),
                (3, text(&r.variant)),
                (4, text(&r.parameter)),
                (6, r.id.clone()),
                (7, r.label.clone()),
                (8, r.tier.clone()),
                (9, text(&r.indicator)),
                (10, text(&r.metric)),
                (12, text(&r.direction)),
            ] {
                ws.write_string(row, c, &s)?;
            }
            if let Some(x) = r.value {
                ws.write_number(row, 5, x)?;
            }
            if let Some(y) = r.year {
                ws.write_number(row, 11, y)?;
            }
            if let Some(x) = r.threshold {
                ws.write_number(row, 13, x)?;
            }
            ws.write_number(row, 14, r.hits as f64)?;
            ws.write_number(row, 15, r.draws as f64)?;
            ws.write_number_with_format(row, 16, r.probability, &f.percent)?;
            ws.write_number_with_format(row, 17, tidy(r.ci95.0), &f.percent)?;
            ws.write_number_with_format(row, 18, tidy(r.ci95.1), &f.percent)?;
        }
        ws.set_column_width(1, 24)?;
        ws.set_column_width(7, 40)?;
        ws.set_freeze_panes(1, 0)?;
        ws.autofilter(0, 0, (rows.len() as u32).max(1), head.len() as u16 - 1)?;
    }
    book.save_to_buffer()
}
