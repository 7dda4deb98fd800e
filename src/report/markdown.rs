//! `report.md`: the report as Markdown tables, to paste into a memo. With
//! `chart_links`, it links the SVG charts written beside it.

use super::describe::{
    assumption_cells, charts, correlation_lines, reached_lines, shock_lines, target_cells, why,
    TARGET_COLUMNS,
};
use super::format as f;
use super::table::{note, notes};
use super::words::{verdict, w, Lang, Word};
use crate::stats::results::{Results, Verdict, Warning};

fn cell(s: &str) -> String {
    s.replace('|', "\\\\|")
}

pub fn render(r: &Results, lang: Lang, chart_links: bool) -> String {
    let mut s = format!("# {}\n\n", r.scenario.name);
    s.push_str(&format!(
        "{}\n\n",
        super::describe::subtitle(r, lang).join(" · ")
    ));
    s.push_str(&format!(
        "{}: dabiao {} · `{}`{} · {} {} · {} {} · {}: {}\n",
        w(lang, Word::Manifest),
        r.run.dabiao_version,
        r.scenario.file,
        r.scenario
            .sha256
            .as_deref()
            .map(|h| format!(" (sha256 `{h}`)"))
            .unwrap_or_default(),
        w(lang, Word::Seed),
        r.run.seed,
        w(lang, Word::Draws),
        r.run.draws,
        w(lang, Word::Sampler),
        super::describe::sampler(r, lang)
    ));
    for o in &r.run.overrides {
        s.push_str(&format!("`--set {o}`\n"));
    }
    for repaired in r
        .warnings
        .iter()
        .filter(|w| matches!(w, Warning::RepairedCorrelation { .. }))
    {
        s.push_str(&format!(
            "{}: {}\n",
            w(lang, Word::Correlation),
            note(repaired, lang)
        ));
    }
    s.push_str(&format!("\n## {}\n\n", w(lang, Word::Targets)));
    let heads = TARGET_COLUMNS;
    s.push_str(&format!("| {} |\n", heads.map(|h| w(lang, h)).join(" | ")));
    s.push_str("|---|---|---:|---:|---|---:|---:|---:|---:|\n");
    for t in &r.targets {
        let c: Vec<String> = target_cells(t, lang).iter().map(|x| cell(x)).collect();
        s.push_str(&format!("| {} |\n", c.join(" | ")));
    }
    for (key, e) in [
        (Word::AllFloor, &r.joint_floor),
        (Word::AllStretch, &r.joint_stretch),
    ] {
        if let Some(e) = e {
            s.push_str(&format!(
                "\n{}: {} ({}), {}",
                w(lang, key),
                f::estimate(e),
                f::interval(e.ci95),
                verdict(lang, Verdict::of(e.probability))
            ));
        }
    }
    s.push('\n');
    let reached = reached_lines(r, lang);
    if !reached.is_empty() {
        s.push_str(&format!("\n## {}\n\n", w(lang, Word::WhenReached)));
        for (label, line) in reached {
            s.push_str(&format!("- **{label}**: {line}\n"));
        }
    }
    if !r.unmodelled.is_empty() {
        s.push_str(&format!("\n## {}\n\n", w(lang, Word::Unmodelled)));
        for u in &r.unmodelled {
            s.push_str(&format!("- **{}**: {}\n", u.label, u.why));
        }
    }
    let reasons = why(r, lang);
    if !reasons.is_empty() {
        s.push_str(&format!("\n## {}\n\n", w(lang, Word::Why)));
        for (label, sentence) in reasons {
            s.push_str(&format!("- **{}**: {}\n", label, sentence));
        }
    }
    s.push_str(&format!("\n## {}\n\n", w(lang, Word::Assumptions)));
    s.push_str(&format!(
        "| {} | {} | {} | {} | {} |\n|---|---|---|---:|---|\n",
        w(lang, Word::Indicator),
        w(lang, Word::Base),
        w(lang, Word::Movement),
        w(lang, Word::Persistence),
        w(lang, Word::Source)
    ));
    for a in &r.assumptions {
        let [base, movement, persistence] = assumption_cells(a, lang);
        let source = a.source.as_deref().unwrap_or("").replace('\n', " ");
        s.push_str(&format!(
            "| {} | {} | {} | {persistence} | {} |\n",
            cell(&a.label),
            cell(&base),
            cell(&movement),
            cell(&source)
        ));
    }
    for (word, lines) in [
        (Word::Shocks, shock_lines(r, lang)),
        (Word::Correlations, correlation_lines(r, lang)),
    ] {
        if !lines.is_empty() {
            s.push_str(&format!("\n### {}\n\n", w(lang, word)));
            for line in lines {
                s.push_str(&format!("- {}\n", line.replace('|', "\\|")));
            }
        }
    }
    if chart_links {
        s.push_str(&format!("\n## {}\n\n", w(lang, Word::Fans)));
        for c in charts(r, lang) {
            s.push_str(&format!("![{}]({})\n", c.title, c.file));
        }
    }
    let warnings = notes(r, lang);
    if !warnings.is_empty() {
        s.push_str(&format!("\n## {}\n\n", w(lang, Word::Warnings)));
        for n in warnings {
            s.push_str(&format!("- {n}\n"));
        }
    }
    s
}
