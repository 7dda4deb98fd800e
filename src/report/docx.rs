//! The report as a Word document (`report.docx`), for Word and WPS: the
//! HTML report's headings, tables and lists, with its fan, distribution and
//! sensitivity charts as PNG at print resolution. Convergence and "when
//! reached" charts stay in the HTML report: they check the run, they do
//! not go into a write-up. A4 landscape, so that the targets' nine columns
//! read without wrapping numbers; Chinese set in the East Asian font.

use docx_rs::{
    AlignmentType, Docx, LineSpacing, PageMargin, PageOrientationType, Paragraph, Pic, Run,
    RunFonts, Shading, Style, StyleType, Table, TableCell, TableLayoutType, TableRow, WidthType,
};

use super::describe::{
    assumption_cells, correlation_lines, sampler, shock_lines, subtitle, target_cells, why, Chart,
    TARGET_COLUMNS,
};
use super::format as f;
use super::words::{w, Lang, Word};
use crate::model::Reading;
use crate::stats::results::{Estimate, Results, Verdict};
use crate::text::Text;
use crate::tr;

/// A chart rendered for the document: what it shows and its PNG.
pub struct Figure<'a> {
    pub chart: &'a Chart,
    pub png: &'a [u8],
}

/// Which charts go into the document, by file name.
pub fn wanted(chart: &Chart) -> bool {
    ["fan_", "target_", "tornado_"]
        .iter()
        .any(|p| chart.file.starts_with(p))
}

/// A4 landscape in twentieths of a point, and 2 cm margins.
const A4: (u32, u32) = (16838, 11906);
const MARGIN: i32 = 1134;
/// The text column's width in twips, and in EMU (a pixel at 96 dpi is 9 525).
const TEXT_WIDTH: u32 = A4.0 - 2 * MARGIN as u32;
const TEXT_WIDTH_EMU: u32 = TEXT_WIDTH * 635;

/// The document's bytes; `figures` empty (no PNGs: no CJK font) says so in
/// the document instead of the charts.
pub fn document(r: &Results, figures: &[Figure], lang: Lang) -> Result<Vec<u8>, Text> {
    let mut doc = Docx::new()
        .page_size(A4.0, A4.1)
        .page_orient(PageOrientationType::Landscape)
        .page_margin(
            PageMargin::new()
                .top(MARGIN)
                .bottom(MARGIN)
                .left(MARGIN)
                .right(MARGIN),
        )
        .default_fonts(
            RunFonts::new()
                .ascii("Calibri")
                .hi_ansi("Calibri")
                .east_asia("Microsoft YaHei"),
        )
        .default_size(21)
        .add_style(heading("Title", 36))
        .add_style(heading("Heading1", 28))
        .add_style(heading("Heading2", 24));

    doc = doc.add_paragraph(text_paragraph(&r.scenario.name).style("Title"));
    doc = doc.add_paragraph(grey(&subtitle(r, lang).join(" · ")));

    // Targets, and all of a tier at once.
    doc = doc.add_paragraph(heading_paragraph(w(lang, Word::Targets), 1));
    let header: Vec<&str> = TARGET_COLUMNS.iter().map(|&h| w(lang, h)).collect();
    let rows: Vec<Vec<String>> = r.targets.iter().map(|t| target_cells(t, lang)).collect();
    let widths = [28, 5, 8, 11, 9, 7, 10, 11, 11];
    doc = doc.add_table(table(&header, &rows, &widths, &[2, 3, 5, 6, 7, 8]));
    let joint: Vec<Vec<String>> = [
        (Word::AllFloor, &r.joint_floor),
        (Word::AllStretch, &r.joint_stretch),
    ]
    .into_iter()
    .filter_map(|(word, e)| e.as_ref().map(|e| estimate_row(w(lang, word), e, lang)))
    .collect();
    if !joint.is_empty() {
        doc = doc.add_paragraph(heading_paragraph(w(lang, Word::Joint), 2));
        let header = [
            w(lang, Word::Target),
            w(lang, Word::Probability),
            w(lang, Word::Interval),
            w(lang, Word::Verdict),
        ];
        doc = doc.add_table(table(&header, &joint, &[46, 16, 20, 18], &[1, 2]));
    }

    let reasons = why(r, lang);
    if !reasons.is_empty() {
        doc = doc.add_paragraph(heading_paragraph(w(lang, Word::Why), 1));
        for (label, sentence) in reasons {
            doc = doc.add_paragraph(labelled(&label, &sentence, lang));
        }
    }
    if !r.unmodelled.is_empty() {
        doc = doc.add_paragraph(heading_paragraph(w(lang, Word::Unmodelled), 1));
        for u in &r.unmodelled {
            doc = doc.add_paragraph(labelled(&u.label, &u.why, lang));
        }
    }

    // Assumptions: indicators, shocks, correlations.
    doc = doc.add_paragraph(heading_paragraph(w(lang, Word::Assumptions), 1));
    let header = [
        w(lang, Word::Indicator),
        w(lang, Word::Base),
        w(lang, Word::Movement),
        w(lang, Word::Persistence),
        w(lang, Word::Source),
    ];
    let rows: Vec<Vec<String>> = r
        .assumptions
        .iter()
        .map(|a| {
            let [base, movement, persistence] = assumption_cells(a, lang);
            let unit = if a.unit.is_empty() || a.kind == Reading::Share {
                String::new()
            } else {
                format!(" ({})", a.unit)
            };
            vec![
                format!("{}{unit}", a.label),
                base,
                movement,
                persistence,
                a.source.clone().unwrap_or_default(),
            ]
        })
        .collect();
    doc = doc.add_table(table(&header, &rows, &[20, 16, 32, 8, 24], &[3]));
    for (word, lines) in [
        (Word::Shocks, shock_lines(r, lang)),
        (Word::Correlations, correlation_lines(r, lang)),
    ] {
        if !lines.is_empty() {
            doc = doc.add_paragraph(heading_paragraph(w(lang, word), 2));
            for line in lines {
                doc = doc.add_paragraph(text_paragraph(&format!("• {line}")));
            }
        }
    }

    // Charts, each with its caption, at their size or the text's width.
    doc = doc.add_paragraph(heading_paragraph(w(lang, Word::Charts), 1));
    if figures.is_empty() {
        doc = doc.add_paragraph(grey(
            tr!(
                "No charts: the PNG charts could not be drawn (see the warning when the report was written); the HTML report has them.",
                "没有图表：无法绘制 PNG 图表（见写报告时的提示）；HTML 报告中有这些图表。"
            )
            .get(lang),
        ));
    }
    for fig in figures {
        let (w_px, h_px) = svg_size(&fig.chart.svg);
        let scale = (TEXT_WIDTH_EMU as f64 / (w_px * 9525.0)).min(1.0);
        let (w_emu, h_emu) = (
            (w_px * 9525.0 * scale) as u32,
            (h_px * 9525.0 * scale) as u32,
        );
        let pic =
            Pic::new_with_dimensions(fig.png.to_vec(), w_px as u32, h_px as u32).size(w_emu, h_emu);
        // The chart draws its title; a caption only adds to it.
        let picture = Paragraph::new().add_run(Run::new().add_image(pic));
        match &fig.chart.caption {
            Some(c) => {
                doc = doc
                    .add_paragraph(picture.keep_next(true))
                    .add_paragraph(grey(c))
            }
            None => doc = doc.add_paragraph(picture),
        }
    }

    // What was run.
    doc = doc.add_paragraph(heading_paragraph(w(lang, Word::Manifest), 1));
    let overrides = if r.run.overrides.is_empty() {
        w(lang, Word::None).to_string()
    } else {
        r.run
            .overrides
            .iter()
            .map(|o| format!("--set {o}"))
            .collect::<Vec<_>>()
            .join("; ")
    };
    let file = match &r.scenario.sha256 {
        Some(h) => format!("{} (sha256 {h})", r.scenario.file),
        None => r.scenario.file.clone(),
    };
    let rows = vec![
        vec![
            w(lang, Word::Version).to_string(),
            r.run.dabiao_version.to_string(),
        ],
        vec![w(lang, Word::File).to_string(), file],
        vec![w(lang, Word::Seed).to_string(), r.run.seed.to_string()],
        vec![w(lang, Word::Draws).to_string(), r.run.draws.to_string()],
        vec![w(lang, Word::Sampler).to_string(), sampler(r, lang).into()],
        vec![w(lang, Word::Overrides).to_string(), overrides],
    ];
    doc = doc.add_table(table(&[], &rows, &[24, 76], &[]));

    let mut out = Vec::new();
    doc.build()
        .pack(std::io::Cursor::new(&mut out))
        .map_err(|e| tr!("cannot build the document: {e}", "无法生成文档（\"{e}\"）"))?;
    Ok(out)
}

/// A joint estimate's row: what, probability, interval, verdict.
fn estimate_row(label: &str, e: &Estimate, lang: Lang) -> Vec<String> {
    vec![
        label.to_string(),
        f::estimate(e),
        f::interval(e.ci95),
        super::words::verdict(lang, Verdict::of(e.probability)).to_string(),
    ]
}

fn heading(id: &str, half_points: usize) -> Style {
    Style::new(id, StyleType::Paragraph)
        .name(id)
        .bold()
        .size(half_points)
        .color("1F3864")
}

fn heading_paragraph(text: &str, level: usize) -> Paragraph {
    let style = if level == 1 { "Heading1" } else { "Heading2" };
    text_paragraph(text)
        .style(style)
        .keep_next(true)
        .line_spacing(LineSpacing::new().before(240).after(80))
}

fn text_paragraph(text: &str) -> Paragraph {
    Paragraph::new().add_run(Run::new().add_text(text))
}

fn grey(text: &str) -> Paragraph {
    Paragraph::new().add_run(Run::new().add_text(text).color("555555").size(18))
}

/// "**label**: sentence" ("：" in Chinese).
fn labelled(label: &str, sentence: &str, lang: Lang) -> Paragraph {
    let colon = if lang == Lang::Zh { "：" } else { ": " };
    Paragraph::new()
        .add_run(Run::new().add_text(label).bold())
        .add_run(Run::new().add_text(format!("{colon}{sentence}")))
}

/// A table across the text's width, its columns in the proportions of
/// `widths` (which sum to 100): a shaded header row (if any), then the rows;
/// the columns in `numeric` aligned right. Text at 9 pt.
fn table(header: &[&str], rows: &[Vec<String>], widths: &[usize], numeric: &[usize]) -> Table {
    let twips: Vec<usize> = widths
        .iter()
        .map(|w| w * TEXT_WIDTH as usize / 100)
        .collect();
    let cell = |text: &str, k: usize, bold: bool| {
        let mut run = Run::new().add_text(text).size(18);
        if bold {
            run = run.bold();
        }
        let align = if numeric.contains(&k) {
            AlignmentType::Right
        } else {
            AlignmentType::Left
        };
        TableCell::new()
            .width(twips[k], WidthType::Dxa)
            .add_paragraph(Paragraph::new().add_run(run).align(align))
    };
    let mut out: Vec<TableRow> = Vec::new();
    if !header.is_empty() {
        out.push(TableRow::new(
            header
                .iter()
                .enumerate()
                .map(|(k, h)| cell(h, k, true).shading(Shading::new().fill("E7ECF4")))
                .collect(),
        ));
    }
    out.extend(rows.iter().map(|row| {
        TableRow::new(
            row.iter()
                .enumerate()
                .map(|(k, c)| cell(c, k, false))
                .collect(),
        )
    }));
    Table::new(out)
        .set_grid(twips.clone())
        .layout(TableLayoutType::Fixed)
        .width(TEXT_WIDTH as usize, WidthType::Dxa)
}

/// A chart's size in SVG pixels, from its `viewBox`.
fn svg_size(svg: &str) -> (f64, f64) {
    let size = svg
        .split_once("viewBox=\"")
        .and_then(|(_, rest)| rest.split_once('"'))
        .map(|(v, _)| {
            v.split_whitespace()
                .filter_map(|x| x.parse::<f64>().ok())
                .collect::<Vec<_>>()
        });
    match size.as_deref() {
        Some([_, _, w, h]) if *w > 0.0 && *h > 0.0 => (*w, *h),
        _ => (480.0, 240.0),
    }
}
