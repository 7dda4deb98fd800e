//! A study's table: every plan's targets and headline odds, as a terminal
//! table, CSV, JSON (the contract's `StudyTable`), Markdown, or one HTML page
//! whose columns sort on a click.

use super::format::{columns, datum, estimate, interval, truncate};
use super::svg::escape;
use crate::stats::results::Estimate;
use crate::study::{StudyRow, StudyTable};

/// A study's columns, in CSV and in the workbook's sheets.
pub(super) const HEADER: [&str; 19] = [
    "file",
    "scenario",
    "region",
    "variant",
    "parameter",
    "value",
    "id",
    "label",
    "tier",
    "indicator",
    "metric",
    "year",
    "direction",
    "threshold",
    "hits",
    "draws",
    "probability",
    "ci95_low",
    "ci95_high",
];

fn est(r: &StudyRow) -> Estimate {
    Estimate {
        hits: r.hits,
        draws: r.draws,
        probability: r.probability,
        ci95: r.ci95,
        std_error: 0.0,
    }
}

/// The run a row belongs to, in words: file, variant, sweep point.
fn run_of(r: &StudyRow) -> String {
    let mut s = format!("{} ({})", r.scenario, r.file);
    if let Some(v) = &r.variant {
        s.push_str(&format!(", variant {v}"));
    }
    if let (Some(p), Some(x)) = (&r.parameter, r.value) {
        s.push_str(&format!(", {p} = {}", datum(x)));
    }
    s
}

/// Rows grouped by run, in the study's order.
fn runs(t: &StudyTable) -> Vec<(String, Vec<&StudyRow>)> {
    let mut out: Vec<(String, Vec<&StudyRow>)> = Vec::new();
    for r in &t.rows {
        let key = run_of(r);
        match out.last_mut() {
            Some((k, rows)) if *k == key => rows.push(r),
            _ => out.push((key, vec![r])),
        }
    }
    out
}

pub fn table(t: &StudyTable) -> String {
    let mut out = format!("Study: {} ({} runs)\n", t.study, t.items);
    for (run, rows) in runs(t) {
        out.push_str(&format!("\n{run}\n"));
        let lines: Vec<Vec<String>> = rows
            .iter()
            .map(|r| {
                vec![
                    truncate(&r.label, 48),
                    r.tier.clone(),
                    estimate(&est(r)),
                    interval(r.ci95),
                ]
            })
            .collect();
        out.push_str(&columns(&lines, &[false, false, true, true], 2));
    }
    out
}

pub fn csv(t: &StudyTable) -> String {
    let mut w = csv::Writer::from_writer(Vec::new());
    let _ = w.write_record(HEADER);
    let opt = |x: Option<f64>| x.map_or(String::new(), datum);
    let text = |x: &Option<String>| x.clone().unwrap_or_default();
    for r in &t.rows {
        let _ = w.write_record([
            r.file.clone(),
            r.scenario.clone(),
            text(&r.region),
            text(&r.variant),
            text(&r.parameter),
            opt(r.value),
            r.id.clone(),
            r.label.clone(),
            r.tier.clone(),
            text(&r.indicator),
            text(&r.metric),
            r.year.map_or(String::new(), |y| y.to_string()),
            text(&r.direction),
            opt(r.threshold),
            r.hits.to_string(),
            r.draws.to_string(),
            datum(r.probability),
            datum(r.ci95.0),
            datum(r.ci95.1),
        ]);
    }
    String::from_utf8(w.into_inner().unwrap_or_default()).unwrap_or_default()
}

pub fn markdown(t: &StudyTable) -> String {
    let mut out = format!("# {}\n\n{} runs.\n", t.study, t.items);
    for (run, rows) in runs(t) {
        out.push_str(&format!(
            "\n## {run}\n\n| Target | Tier | Probability | 95 % interval |\n|---|---|--:|--:|\n"
        ));
        for r in rows {
            out.push_str(&format!(
                "| {} | {} | {} | {} |\n",
                r.label.replace('|', "\\|"),
                r.tier,
                estimate(&est(r)),
                interval(r.ci95)
            ));
        }
    }
    out
}

/// One self-contained page: the headline odds of every run, then every
/// target; a click on a column's head sorts by it.
pub fn html(t: &StudyTable) -> String {
    let cell = |s: &str| format!("<td>{}</td>", escape(s));
    // Sorting reads `data-v` where the shown text is not the value.
    let num = |shown: String, v: f64| {
        format!(
            "<td class=\"n\" data-v=\"{}\">{}</td>",
            datum(v),
            escape(&shown)
        )
    };
    let row = |r: &StudyRow| -> String {
        let e = est(r);
        let mut s = String::from("<tr>");
        s.push_str(&cell(&r.scenario));
        s.push_str(&cell(r.region.as_deref().unwrap_or("")));
        s.push_str(&cell(r.variant.as_deref().unwrap_or("as written")));
        let point = match (&r.parameter, r.value) {
            (Some(p), Some(x)) => format!("{p} = {}", datum(x)),
            _ => String::new(),
        };
        s.push_str(&cell(&point));
        s.push_str(&cell(&r.label));
        s.push_str(&cell(&r.tier));
        s.push_str(&num(estimate(&e), r.probability));
        s.push_str(&num(interval(r.ci95), r.ci95.0));
        s.push_str(&cell(&r.file));
        s.push_str("</tr>\n");
        s
    };
    let head = "<tr><th>Scenario</th><th>Region</th><th>Variant</th><th>Point</th><th>Target</th><th>Tier</th><th>Probability</th><th>95 % interval</th><th>File</th></tr>\n";
    let headline: String = t.headline().into_iter().map(row).collect();
    let every: String = t.rows.iter().map(row).collect();
    format!(
        r#"<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{title}</title>
<style>
body {{ font-family: system-ui, "Noto Sans CJK SC", "PingFang SC", "Microsoft YaHei", sans-serif; margin: 2rem auto; max-width: 72rem; padding: 0 1rem; color: #222; }}
table {{ border-collapse: collapse; width: 100%; margin-bottom: 2rem; }}
th, td {{ padding: .3rem .6rem; border-bottom: 1px solid #ddd; text-align: left; vertical-align: top; }}
th {{ cursor: pointer; white-space: nowrap; background: #f5f5f5; position: sticky; top: 0; }}
th::after {{ content: " ⇅"; color: #aaa; }}
td.n {{ text-align: right; font-variant-numeric: tabular-nums; white-space: nowrap; }}
</style></head><body>
<h1>{title}</h1>
<p>{items} runs. Click a column's head to sort by it.</p>
<h2>Headline: every floor target at once (every stretch target where a plan sets no floor)</h2>
<table class="sortable">{head}{headline}</table>
<h2>Every target</h2>
<table class="sortable">{head}{every}</table>
<script>
document.querySelectorAll("table.sortable th").forEach((th, col) => {{
  th.addEventListener("click", () => {{
    const table = th.closest("table");
    const rows = Array.from(table.querySelectorAll("tr")).slice(1);
    const key = r => {{ const c = r.children[col]; return c.dataset.v !== undefined ? parseFloat(c.dataset.v) : c.textContent; }};
    const up = th.dataset.up !== "1";
    rows.sort((a, b) => {{ const x = key(a), y = key(b); const d = typeof x === "number" ? x - y : String(x).localeCompare(String(y), "zh"); return up ? d : -d; }});
    th.dataset.up = up ? "1" : "0";
    rows.forEach(r => table.appendChild(r));
  }});
}});
</script>
</body></html>
"#,
        title = escape(&t.study),
        items = t.items,
    )
}
