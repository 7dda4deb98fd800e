//! `compare` output: each target's probability under each scenario, and
//! each later scenario's paired difference from the first.

use super::charts;
use super::format::{self as f, columns};
use super::svg::{escape, legend};
use super::words::{tier, w, Lang, Word};
use crate::analysis::compare::{Comparison, Difference};
use crate::stats::results::Estimate;

/// The legend's swatches (`svg::legend`).
const KEYS: &str = ".key{margin-right:1.2em;white-space:nowrap}.swatch{display:inline-block;width:1.2em;height:.35em;margin-right:.4em;vertical-align:middle}";

/// A difference of probabilities in percentage points, with its interval.
fn difference(d: &Difference) -> String {
    let pt = |x: f64| format!("{:+.2}", x * 100.0);
    format!(
        "{} pt ({} to {})",
        pt(d.difference),
        pt(d.ci95.0),
        pt(d.ci95.1)
    )
}

fn estimate(e: &Option<Estimate>) -> String {
    e.as_ref().map_or("—".into(), f::estimate)
}

/// Header and one row per target: label, tier, each arm's probability,
/// then each later arm's difference from the first.
fn rows(c: &Comparison, lang: Lang, label_width: usize) -> Vec<Vec<String>> {
    let mut head = vec![
        w(lang, Word::Target).to_string(),
        w(lang, Word::Tier).into(),
    ];
    head.extend(c.arms.iter().map(|a| a.id.clone()));
    head.extend(
        c.arms[1..]
            .iter()
            .map(|a| format!("{} − {}", a.id, c.arms[0].id)),
    );
    let mut rows = vec![head];
    for t in &c.targets {
        let mut row = vec![
            f::truncate(&t.label, label_width),
            tier(lang, t.tier).into(),
        ];
        row.extend(t.estimates.iter().map(estimate));
        row.extend(
            t.differences
                .iter()
                .map(|d| d.as_ref().map_or("—".into(), difference)),
        );
        rows.push(row);
    }
    rows
}

fn heading(c: &Comparison, lang: Lang) -> String {
    format!(
        "{} {} · {} {} · {}",
        f::number(c.run.draws as f64),
        w(lang, Word::DrawsWord),
        w(lang, Word::SeedWord),
        c.run.seed,
        w(lang, Word::SameNumbersEveryScenario)
    )
}

pub fn table(c: &Comparison, lang: Lang) -> String {
    let rows = rows(c, lang, 30);
    let right: Vec<bool> = (0..rows[0].len()).map(|k| k >= 2).collect();
    let mut out = format!(
        "{}\n{}\n\n{}",
        c.results[0].scenario.name,
        heading(c, lang),
        columns(&rows, &right, 2)
    );
    out.push_str(&format!("\n{}\n", w(lang, Word::CompareScenarios)));
    for a in &c.arms {
        out.push_str(&format!("  {}: {} ({})\n", a.id, a.label, a.file));
    }
    out.push_str(w(lang, Word::ComparePaired));
    out.push('\n');
    out
}

pub fn csv(c: &Comparison) -> String {
    let mut w = ::csv::Writer::from_writer(Vec::new());
    let _ = w.write_record([
        "target",
        "tier",
        "scenario",
        "probability",
        "ci95_low",
        "ci95_high",
        "difference",
        "difference_low",
        "difference_high",
    ]);
    for t in &c.targets {
        for (k, (arm, e)) in c.arms.iter().zip(&t.estimates).enumerate() {
            let Some(e) = e else { continue };
            let d = k.checked_sub(1).and_then(|v| t.differences[v]);
            let num = |x: Option<f64>| x.map_or(String::new(), f::datum);
            let _ = w.write_record([
                t.id.clone(),
                t.tier.name().to_string(),
                arm.id.clone(),
                f::datum(e.probability),
                f::datum(e.ci95.0),
                f::datum(e.ci95.1),
                num(d.map(|d| d.difference)),
                num(d.map(|d| d.ci95.0)),
                num(d.map(|d| d.ci95.1)),
            ]);
        }
    }
    String::from_utf8(w.into_inner().unwrap_or_default()).unwrap_or_default()
}

pub fn markdown(c: &Comparison, lang: Lang) -> String {
    let rows = rows(c, lang, 60);
    let cell = |s: &str| s.replace('|', "\\|");
    let mut s = format!(
        "# {}\n\n{}\n\n| {} |\n|{}\n",
        c.results[0].scenario.name,
        heading(c, lang),
        rows[0]
            .iter()
            .map(|x| cell(x))
            .collect::<Vec<_>>()
            .join(" | "),
        "---|".repeat(rows[0].len())
    );
    for r in &rows[1..] {
        s.push_str(&format!(
            "| {} |\n",
            r.iter().map(|x| cell(x)).collect::<Vec<_>>().join(" | ")
        ));
    }
    s.push_str(&format!("\n## {}\n\n", w(lang, Word::Scenarios)));
    for a in &c.arms {
        s.push_str(&format!("- `{}`: {} (`{}`)\n", a.id, a.label, a.file));
    }
    s
}

pub fn html(c: &Comparison, lang: Lang) -> String {
    let name = &c.results[0].scenario.name;
    let rows = rows(c, lang, 80);
    let mut s = format!(
        "<!DOCTYPE html>\n<html lang=\"{}\">\n<head>\n<meta charset=\"utf-8\">\n<title>{}</title>\n<style>{}{KEYS}</style>\n</head>\n<body>\n<header><h1>{}</h1>\n<p class=\"sub\">{}</p></header>\n",
        if lang == Lang::Zh { "zh" } else { "en" },
        escape(name),
        super::html::STYLE,
        escape(name),
        escape(&heading(c, lang))
    );
    s.push_str(&format!(
        "<section><h2>{}</h2><div class=\"wide\"><table>\n<tr>",
        w(lang, Word::Targets)
    ));
    for h in &rows[0] {
        s.push_str(&format!("<th>{}</th>", escape(h)));
    }
    s.push_str("</tr>\n");
    for r in &rows[1..] {
        s.push_str("<tr>");
        for (k, x) in r.iter().enumerate() {
            let class = if k >= 2 { " class=\"num\"" } else { "" };
            s.push_str(&format!("<td{class}>{}</td>", escape(x)));
        }
        s.push_str("</tr>\n");
    }
    s.push_str("</table></div></section>\n");
    s.push_str(&format!(
        "<section><h2>{}</h2><ul>\n",
        w(lang, Word::Scenarios)
    ));
    for a in &c.arms {
        s.push_str(&format!(
            "<li><code>{}</code>: {} (<code>{}</code>)</li>\n",
            escape(&a.id),
            escape(&a.label),
            escape(&a.file)
        ));
    }
    s.push_str("</ul></section>\n");
    // Each indicator's fans, one colour a scenario.
    let labels: Vec<String> = c.arms.iter().map(|a| a.label.clone()).collect();
    s.push_str(&format!(
        "<section><h2>{}</h2><p>{}</p><div class=\"figs\">\n",
        w(lang, Word::Fans),
        legend(&labels)
    ));
    for ind in &c.results[0].indicators {
        let same: Vec<_> = c
            .results
            .iter()
            .filter_map(|r| r.indicators.iter().find(|i| i.id == ind.id))
            .collect();
        if same.len() == c.results.len() {
            s.push_str(&format!(
                "<figure>{}<figcaption>{}</figcaption></figure>\n",
                charts::overlay(&same),
                escape(&ind.label)
            ));
        }
    }
    s.push_str("</div></section>\n</body>\n</html>\n");
    s
}
