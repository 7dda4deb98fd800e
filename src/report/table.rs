//! The terminal table: one section per scenario.

use super::format::{self as f, columns};
use super::words::Lang;
use crate::stats::results::{
    CorrelationOf, Estimate, Results, SensitivityStep, TargetResult, Warning,
};

/// Longest label shown before it is cut.
const LABEL_WIDTH: usize = 36;

pub fn render(r: &Results) -> String {
    let mut out = String::new();
    let mut title = r.scenario.name.clone();
    if let Some(doc) = &r.scenario.document {
        title.push_str(&format!(" · {doc}"));
    }
    if let Some(v) = &r.scenario.variant {
        title.push_str(&format!(" · variant {}: {}", v.id, v.label));
    }
    out.push_str(&format!("{title}\n"));
    out.push_str(&format!(
        "{} · base {} → {} · {} draws · seed {} · {} thread{} · {:.2} s\n",
        r.scenario.file,
        r.scenario.base_year,
        r.scenario.horizon,
        f::number(r.run.draws as f64).replace(".000", ""),
        r.run.seed,
        r.run.threads,
        if r.run.threads == 1 { "" } else { "s" },
        r.run.seconds
    ));
    for o in &r.run.overrides {
        out.push_str(&format!("--set {o}\n"));
    }
    out.push('\n');
    let mut rows = vec![vec![
        "target".to_string(),
        "tier".into(),
        "P(hit)".into(),
        "95% interval".into(),
        "verdict".into(),
        "median".into(),
        "threshold".into(),
        "needs/yr".into(),
        "assumes/yr".into(),
    ]];
    rows.extend(r.targets.iter().map(row));
    out.push_str(&columns(
        &rows,
        &[false, false, true, true, false, true, false, true, true],
        2,
    ));
    for (what, e) in [("floor", &r.joint_floor), ("stretch", &r.joint_stretch)] {
        if let Some(e) = e {
            out.push_str(&format!(
                "  every {what} target at once: {} ({})\n",
                f::estimate(e),
                f::interval(e.ci95)
            ));
        }
    }
    let reached = super::describe::reached_lines(r, Lang::En);
    if !reached.is_empty() {
        out.push_str("\nWhen value targets are reached (the first year each holds):\n");
        for (label, line) in reached {
            out.push_str(&format!("  {}: {line}\n", f::truncate(&label, LABEL_WIDTH)));
        }
    }
    out.push_str(&super::check::unmodelled(&r.unmodelled));
    let why = drivers(r);
    if !why.is_empty() {
        out.push_str("\nWhy targets are missed (the input that differs most between paths that hit and paths that missed):\n");
        for line in why {
            out.push_str(&format!("  {line}\n"));
        }
    }
    if let Some(rows) = &r.sensitivity {
        out.push_str("\nSensitivity: each input moved down and up by a step on its own scale, largest swing first\n");
        let mut table = vec![vec![
            "input".to_string(),
            "step".into(),
            "low".into(),
            "high".into(),
            "target that moves most".into(),
            "P at low".into(),
            "P at high".into(),
        ]];
        for row in rows {
            let Some(t) = row.most_moved() else {
                continue;
            };
            table.push(vec![
                row.parameter.clone(),
                match row.step {
                    SensitivityStep::OneSd => "its sd",
                    SensitivityStep::Delta => "--delta",
                    SensitivityStep::TenthOfDelta => "--delta/10",
                    SensitivityStep::TenPercent => "10 %",
                }
                .to_string(),
                f::number(row.low),
                f::number(row.high),
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
    let notes = notes(r);
    if !notes.is_empty() {
        out.push('\n');
        for n in notes {
            out.push_str(&format!("  ! {n}\n"));
        }
    }
    out
}

fn row(t: &TargetResult) -> Vec<String> {
    let mut cells = super::describe::target_cells(t, Lang::En);
    cells[0] = f::truncate(&t.label, LABEL_WIDTH);
    cells
}

/// One row per plan: the chance that all its floor targets, and all its
/// stretch targets, are hit on one path (the same figures as the reports').
pub fn summary(all: &[Results]) -> String {
    let joint = |e: &Option<Estimate>| e.as_ref().map_or("—".to_string(), f::estimate);
    let mut rows = vec![vec![
        "plan".to_string(),
        "base → horizon".into(),
        "all floor".into(),
        "all stretch".into(),
    ]];
    for r in all {
        rows.push(vec![
            f::truncate(&r.scenario.name, 40),
            format!("{} → {}", r.scenario.base_year, r.scenario.horizon),
            joint(&r.joint_floor),
            joint(&r.joint_stretch),
        ]);
    }
    format!(
        "Across plans: the chance that every target of a tier is hit\n\n{}",
        columns(&rows, &[false, false, true, true], 2)
    )
}

/// One plain sentence per target that was both hit and missed.
pub fn drivers(r: &Results) -> Vec<String> {
    super::describe::why(r, Lang::En)
        .into_iter()
        .map(|(label, sentence)| format!("{}: {sentence}", f::truncate(&label, 36)))
        .collect()
}

/// Warnings in words, for the table's footer.
pub fn notes(r: &Results) -> Vec<String> {
    r.warnings.iter().map(note).collect()
}

/// One warning in words.
pub fn note(w: &Warning) -> String {
    match w {
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
