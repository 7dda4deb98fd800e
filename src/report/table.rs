//! The terminal table: one section per scenario.

use super::format::{self as f, columns};
use super::words::{w, Lang, Word};
use crate::stats::results::{
    CorrelationOf, Estimate, Results, SensitivityStep, TargetResult, Verdict, Warning,
};

/// The label column's width when the table's width is not known: longer
/// labels wrap onto the next lines.
const LABEL_WIDTH: usize = 36;

/// What the table is printed to: its width in columns, if a terminal's, and
/// whether verdicts may be coloured.
#[derive(Debug, Clone, Copy, Default)]
pub struct Terminal {
    pub width: Option<usize>,
    pub colour: bool,
}

/// The table for a file or pipe: labels wrapped at 36 columns, no colour.
pub fn render(r: &Results, lang: Lang) -> String {
    render_for(r, lang, Terminal::default())
}

/// A verdict's colour: green for likely and better, yellow for a toss-up or
/// unlikely, red for very unlikely and worse.
fn verdict_style(v: Verdict) -> anstyle::Style {
    use anstyle::AnsiColor::{Green, Red, Yellow};
    let colour = match v {
        Verdict::VirtuallyCertain | Verdict::VeryLikely | Verdict::Likely => Green,
        Verdict::AsLikelyAsNot | Verdict::Unlikely => Yellow,
        Verdict::VeryUnlikely | Verdict::ExceptionallyUnlikely => Red,
    };
    anstyle::Style::new().fg_color(Some(colour.into()))
}

/// The table, fitted to `term`: labels wrapped (never cut) so that the
/// table fits its width, verdicts coloured if it may.
pub fn render_for(r: &Results, lang: Lang, term: Terminal) -> String {
    let mut out = String::new();
    let mut title = r.scenario.name.clone();
    if let Some(doc) = &r.scenario.document {
        title.push_str(&format!(" · {doc}"));
    }
    if let Some(v) = &r.scenario.variant {
        title.push_str(&format!(
            " · {} {}: {}",
            w(lang, Word::VariantWord),
            v.id,
            v.label
        ));
    }
    out.push_str(&format!("{title}\n"));
    let threads = match (lang, r.run.threads) {
        (Lang::En, 1) => "thread",
        _ => w(lang, Word::ThreadsWord),
    };
    out.push_str(&format!(
        "{} · {} {} → {} · {} {} · {} {} · {} {threads} · {:.2} {}\n",
        r.scenario.file,
        w(lang, Word::BaseWord),
        r.scenario.base_year,
        r.scenario.horizon,
        f::number(r.run.draws as f64).replace(".000", ""),
        w(lang, Word::DrawsWord),
        w(lang, Word::SeedWord),
        r.run.seed,
        r.run.threads,
        r.run.seconds,
        w(lang, Word::SecondsWord),
    ));
    for o in &r.run.overrides {
        out.push_str(&format!("--set {o}\n"));
    }
    out.push('\n');
    let mut rows = vec![[
        Word::ColTarget,
        Word::ColTier,
        Word::ColP,
        Word::Interval,
        Word::ColVerdict,
        Word::ColMedian,
        Word::ColThreshold,
        Word::ColNeeds,
        Word::ColAssumes,
    ]
    .iter()
    .map(|&word| {
        // The interval's heading is lower case in the table.
        let text = w(lang, word);
        if lang == Lang::En && word == Word::Interval {
            text.to_lowercase()
        } else {
            text.to_string()
        }
    })
    .collect::<Vec<_>>()];
    let cells: Vec<Vec<String>> = r.targets.iter().map(|t| row(t, lang)).collect();
    // The label column gets what the other columns leave of the width.
    let others: usize = (1..rows[0].len())
        .map(|k| {
            std::iter::once(&rows[0])
                .chain(&cells)
                .map(|c| f::width(&c[k]))
                .max()
                .unwrap_or(0)
                + 2
        })
        .sum();
    let longest = std::iter::once(&rows[0])
        .chain(&cells)
        .map(|c| f::width(&c[0]))
        .max()
        .unwrap_or(0);
    let label_width = match term.width {
        Some(w) => w.saturating_sub(2 + others).clamp(16, longest.max(16)),
        None => LABEL_WIDTH,
    };
    // Which target each laid-out row shows (none for the header and for a
    // label's continuation lines), for its verdict's colour.
    let mut verdicts = vec![None];
    for (t, mut cells) in r.targets.iter().zip(cells) {
        // The first line at full width, the rest indented under it.
        let first = f::wrap(&cells[0], label_width)[0].clone();
        // The first line is the label's start, less the space at the break.
        let rest = cells[0].get(first.len()..).unwrap_or("").trim_start();
        let rest = if rest.is_empty() {
            Vec::new()
        } else {
            f::wrap(rest, label_width.saturating_sub(2))
        };
        cells[0] = first;
        rows.push(cells);
        verdicts.push(Some(t.verdict));
        for more in &rest {
            let mut blank = vec![String::new(); rows[0].len()];
            blank[0] = format!("  {more}");
            rows.push(blank);
            verdicts.push(None);
        }
    }
    let style = |row: usize, col: usize| -> Option<anstyle::Style> {
        if !term.colour {
            return None;
        }
        match (row, col) {
            (0, _) => Some(anstyle::Style::new().bold()),
            (_, 2 | 4) => verdicts[row].map(verdict_style),
            _ => None,
        }
    };
    out.push_str(&f::columns_styled(
        &rows,
        &[false, false, true, true, false, true, false, true, true],
        2,
        &style,
    ));
    for (what, e) in [
        (Word::EveryFloorAtOnce, &r.joint_floor),
        (Word::EveryStretchAtOnce, &r.joint_stretch),
    ] {
        if let Some(e) = e {
            out.push_str(&format!(
                "  {}: {} ({})\n",
                w(lang, what),
                f::estimate(e),
                f::interval(e.ci95)
            ));
        }
    }
    let reached = super::describe::reached_lines(r, lang);
    if !reached.is_empty() {
        out.push_str(&format!("\n{}\n", w(lang, Word::WhenReachedHead)));
        for (label, line) in reached {
            out.push_str(&format!("  {}: {line}\n", f::truncate(&label, LABEL_WIDTH)));
        }
    }
    out.push_str(&super::check::unmodelled(&r.unmodelled, lang));
    let why = drivers(r, lang);
    if !why.is_empty() {
        out.push_str(&format!("\n{}\n", w(lang, Word::WhyHead)));
        for line in why {
            out.push_str(&format!("  {line}\n"));
        }
    }
    if let Some(rows) = &r.sensitivity {
        out.push_str(&format!("\n{}\n", w(lang, Word::SensitivityHead)));
        let mut table = vec![[
            Word::ColInput,
            Word::ColStep,
            Word::ColLow,
            Word::ColHigh,
            Word::ColMovesMost,
            Word::ColPLow,
            Word::ColPHigh,
        ]
        .iter()
        .map(|&word| w(lang, word).to_string())
        .collect::<Vec<_>>()];
        for row in rows {
            let Some(t) = row.most_moved() else {
                continue;
            };
            table.push(vec![
                super::words::sensitivity_input(lang, row, 40),
                match row.step {
                    SensitivityStep::OneSd => w(lang, Word::StepSd),
                    SensitivityStep::Delta => "--delta",
                    SensitivityStep::TenthOfDelta => "--delta/10",
                    SensitivityStep::TenPercent => w(lang, Word::StepTenPercent),
                }
                .to_string(),
                f::parameter(&row.parameter, row.low, 3),
                f::parameter(&row.parameter, row.high, 3),
                t.id.clone(),
                f::probability(t.probability_low),
                f::probability(t.probability_high),
            ]);
        }
        out.push_str(&columns(
            &table,
            &[false, false, true, true, false, true, true],
            2,
        ));
    }
    let notes = notes(r, lang);
    if !notes.is_empty() {
        out.push('\n');
        for n in notes {
            out.push_str(&format!("  ! {n}\n"));
        }
    }
    out
}

fn row(t: &TargetResult, lang: Lang) -> Vec<String> {
    super::describe::target_cells(t, lang)
}

/// One row per plan: the chance that all its floor targets, and all its
/// stretch targets, are hit on one path (the same figures as the reports').
pub fn summary(all: &[Results], lang: Lang) -> String {
    let joint = |e: &Option<Estimate>| e.as_ref().map_or("—".to_string(), f::estimate);
    let mut rows = vec![[
        Word::ColPlan,
        Word::ColSpan,
        Word::ColAllFloor,
        Word::ColAllStretch,
    ]
    .iter()
    .map(|&word| w(lang, word).to_string())
    .collect::<Vec<_>>()];
    for r in all {
        rows.push(vec![
            f::truncate(&r.scenario.name, 40),
            format!("{} → {}", r.scenario.base_year, r.scenario.horizon),
            joint(&r.joint_floor),
            joint(&r.joint_stretch),
        ]);
    }
    format!(
        "{}\n\n{}",
        w(lang, Word::AcrossPlans),
        columns(&rows, &[false, false, true, true], 2)
    )
}

/// One plain sentence per target that was both hit and missed.
pub fn drivers(r: &Results, lang: Lang) -> Vec<String> {
    super::describe::why(r, lang)
        .into_iter()
        .map(|(label, sentence)| format!("{}: {sentence}", f::truncate(&label, 36)))
        .collect()
}

/// Warnings in words, for the table's footer.
pub fn notes(r: &Results, lang: Lang) -> Vec<String> {
    r.warnings.iter().map(|x| note(x, lang)).collect()
}

/// One warning in words.
pub fn note(warning: &Warning, lang: Lang) -> String {
    if lang == Lang::Zh {
        return note_zh(warning);
    }
    match warning {
        Warning::StoppedAtZero { indicator, share } => format!(
            "{indicator}: growth fell below −100 % on {} of paths and the level stopped at 0; the growth distribution may be too wide",
            f::probability(*share)
        ),
        Warning::Clamped { indicator, share } => format!(
            "{indicator}: the share left [0, 1] on {} of paths and was held at the bound; the change distribution may be too wide",
            f::probability(*share)
        ),
        Warning::Undefined { target, share } => format!(
            "{target}: the statistic was undefined or infinite (e.g. a division by zero) on {} of paths, counted as misses",
            f::probability(*share)
        ),
        Warning::ImportanceSampled { target, hits } => format!(
            "{target}: {hits} of the run's paths hit it; its probability was estimated by importance sampling instead (paths moved toward it, then weighed back), with its standard error"
        ),
        Warning::PrecisionNotReached { half_width, draws } => format!(
            "--precision {half_width} was not reached: --max-draws stopped the run at {draws} draws, and some 95 % intervals are wider than ±{half_width}"
        ),
        Warning::RepairedCorrelation { of, changes } => {
            let list: Vec<String> = changes.iter().map(|c| format!("{}~{} {:.3}→{:.3}", c.a, c.b, c.was, c.now)).collect();
            let which = match of {
                CorrelationOf::Pairs => "correlation matrix",
                CorrelationOf::Parameters => "parameters' correlation matrix",
            };
            format!("the {which} was not valid; the nearest valid one was used (repair = true): {}", list.join(", "))
        }
    }
}

/// One warning in Chinese.
fn note_zh(warning: &Warning) -> String {
    match warning {
        Warning::StoppedAtZero { indicator, share } => format!(
            "{indicator}：{} 的路径增速低于 −100%，水平值停在 0；增速分布可能过宽",
            f::probability(*share)
        ),
        Warning::Clamped { indicator, share } => format!(
            "{indicator}：{} 的路径比重超出 [0, 1]，被限制在边界；变化分布可能过宽",
            f::probability(*share)
        ),
        Warning::Undefined { target, share } => format!(
            "{target}：{} 的路径统计量无定义或无穷大（如除以零），计为未达标",
            f::probability(*share)
        ),
        Warning::ImportanceSampled { target, hits } => format!(
            "{target}：本次模拟只有 {hits} 条路径达标；其概率改用重要性抽样估计（把路径移向目标，再按似然比加权），附标准误"
        ),
        Warning::PrecisionNotReached { half_width, draws } => format!(
            "未达到 --precision {half_width}：--max-draws 在 {draws} 次模拟时停止，部分 95% 区间宽于 ±{half_width}"
        ),
        Warning::RepairedCorrelation { of, changes } => {
            let list: Vec<String> = changes
                .iter()
                .map(|c| format!("{}~{} {:.3}→{:.3}", c.a, c.b, c.was, c.now))
                .collect();
            let which = match of {
                CorrelationOf::Pairs => "相关矩阵",
                CorrelationOf::Parameters => "参数相关矩阵",
            };
            format!(
                "{which}无效，已改用最近的有效矩阵 (repair = true)：{}",
                list.join("，")
            )
        }
    }
}
