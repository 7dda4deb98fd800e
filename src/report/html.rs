//! `report.html`: one self-contained page (inline CSS and SVG, no script,
//! nothing fetched) that opens offline, prints well and renders Chinese.

use super::describe::{
    assumption_cells, charts, correlation_lines, shock_lines, target_cells, why, TARGET_COLUMNS,
};
use super::format as f;
use super::svg::escape;
use super::table::notes;
use super::words::{w, Lang, Word};
use crate::model::Reading;
use crate::stats::results::{Estimate, Results, Warning};

pub(super) const STYLE: &str = "body{font-family:system-ui,-apple-system,'Segoe UI','Noto Sans CJK SC','Source Han Sans SC','PingFang SC','Hiragino Sans GB','Microsoft YaHei',sans-serif;margin:2rem auto;max-width:1100px;padding:0 1rem;color:#222;line-height:1.45}\
h1{font-size:1.6rem;margin-bottom:.2rem}h2{font-size:1.2rem;margin-top:2rem;border-bottom:1px solid #ddd;padding-bottom:.2rem}\
table{border-collapse:collapse;margin:.5rem 0;font-size:.9rem;width:100%}th,td{border-bottom:1px solid #eee;padding:.3rem .5rem;text-align:left;vertical-align:top}\
td:first-child{min-width:11em}th{font-weight:600}.wide{overflow-x:auto}code{word-break:break-all}\
td.num{text-align:right;font-variant-numeric:tabular-nums;white-space:nowrap}th,td.tag{white-space:nowrap}.sub{color:#555}.figs{display:flex;flex-wrap:wrap;gap:1rem}\
figure{margin:0 0 1rem 0;break-inside:avoid;flex:0 1 calc(50% - .5rem);min-width:18rem}figure.row{flex-basis:100%}figure svg{display:block;width:100%;height:auto}figcaption{font-size:.85rem;color:#444}code{font-size:.85rem}\
@media print{body{margin:0;max-width:none}h2{break-after:avoid}figure,table{break-inside:avoid}}";

fn estimate_row(label: &str, e: &Estimate, lang: Lang) -> String {
    format!(
        "<tr><td>{}</td><td class=\"num\">{}</td><td>{}</td><td class=\"num\">{}</td><td>{}</td></tr>",
        escape(label),
        f::estimate(e),
        super::charts::probability_bar(e.probability, e.ci95),
        f::interval(e.ci95),
        super::words::verdict(lang, crate::stats::results::Verdict::of(e.probability))
    )
}

/// The correlation matrices used: as written, or repaired (with what changed).
fn correlation(r: &Results, lang: Lang) -> String {
    let repaired: Vec<String> = r
        .warnings
        .iter()
        .filter_map(|w| match w {
            Warning::RepairedCorrelation { changes, .. } => Some(changes),
            _ => None,
        })
        .map(|changes| {
            let list: Vec<String> = changes
                .iter()
                .map(|c| format!("{}~{} {:.3}→{:.3}", c.a, c.b, c.was, c.now))
                .collect();
            format!("{}: {}", w(lang, Word::Repaired), escape(&list.join(", ")))
        })
        .collect();
    if repaired.is_empty() {
        w(lang, Word::AsWritten).to_string()
    } else {
        repaired.join("<br>")
    }
}

pub fn render(r: &Results, lang: Lang) -> String {
    let mut s = format!(
        "<!DOCTYPE html>\n<html lang=\"{}\">\n<head>\n<meta charset=\"utf-8\">\n<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n<title>{}</title>\n<style>{STYLE}</style>\n</head>\n<body>\n",
        if lang == Lang::Zh { "zh" } else { "en" },
        escape(&r.scenario.name)
    );
    s.push_str(&format!("<header><h1>{}</h1>\n", escape(&r.scenario.name)));
    let sub: Vec<String> = super::describe::subtitle(r, lang)
        .iter()
        .map(|part| escape(part))
        .collect();
    s.push_str(&format!(
        "<p class=\"sub\">{}</p></header>\n",
        sub.join(" · ")
    ));

    // Manifest: what exactly was run.
    s.push_str(&format!(
        "<section><h2>{}</h2><table>\n",
        w(lang, Word::Manifest)
    ));
    let sha = r
        .scenario
        .sha256
        .as_deref()
        .map(|h| format!(" <code>sha256 {h}</code>"))
        .unwrap_or_default();
    let overrides = if r.run.overrides.is_empty() {
        w(lang, Word::None).to_string()
    } else {
        r.run
            .overrides
            .iter()
            .map(|o| format!("<code>--set {}</code>", escape(o)))
            .collect::<Vec<_>>()
            .join("<br>")
    };
    for (k, v) in [
        (w(lang, Word::Version), r.run.dabiao_version.to_string()),
        (
            w(lang, Word::File),
            format!("{}{sha}", escape(&r.scenario.file)),
        ),
        (w(lang, Word::Seed), r.run.seed.to_string()),
        (w(lang, Word::Draws), r.run.draws.to_string()),
        (w(lang, Word::Threads), r.run.threads.to_string()),
        (
            w(lang, Word::Sampler),
            super::describe::sampler(r, lang).into(),
        ),
        (w(lang, Word::Overrides), overrides),
        (w(lang, Word::Correlation), correlation(r, lang)),
    ] {
        s.push_str(&format!("<tr><th>{k}</th><td>{v}</td></tr>\n"));
    }
    s.push_str("</table></section>\n");

    // Targets.
    s.push_str(&format!(
        "<section><h2>{}</h2><div class=\"wide\"><table>\n<tr>",
        w(lang, Word::Targets)
    ));
    for h in TARGET_COLUMNS {
        s.push_str(&format!("<th>{}</th>", w(lang, h)));
    }
    s.push_str("</tr>\n");
    for t in &r.targets {
        let c = target_cells(t, lang);
        s.push_str(&format!(
            "<tr><td>{}</td><td class=\"tag\">{}</td><td class=\"num\">{} {}</td><td class=\"num\">{}</td><td class=\"tag\">{}</td><td class=\"num\">{}</td><td class=\"num\">{}</td><td class=\"num\">{}</td><td class=\"num\">{}</td></tr>\n",
            escape(&c[0]),
            escape(&c[1]),
            escape(&c[2]),
            super::charts::probability_bar(t.estimate.probability, t.estimate.ci95),
            escape(&c[3]),
            escape(&c[4]),
            escape(&c[5]),
            escape(&c[6]),
            escape(&c[7]),
            escape(&c[8])
        ));
    }
    s.push_str("</table></div>\n");
    if r.joint_floor.is_some() || r.joint_stretch.is_some() {
        s.push_str(&format!("<h3>{}</h3><table>\n", w(lang, Word::Joint)));
        if let Some(e) = &r.joint_floor {
            s.push_str(&estimate_row(w(lang, Word::AllFloor), e, lang));
        }
        if let Some(e) = &r.joint_stretch {
            s.push_str(&estimate_row(w(lang, Word::AllStretch), e, lang));
        }
        s.push_str("</table>\n");
    }
    s.push_str("</section>\n");

    if !r.unmodelled.is_empty() {
        s.push_str(&format!(
            "<section><h2>{}</h2><ul>\n",
            w(lang, Word::Unmodelled)
        ));
        for u in &r.unmodelled {
            s.push_str(&format!(
                "<li><b>{}</b>: {}</li>\n",
                escape(&u.label),
                escape(&u.why)
            ));
        }
        s.push_str("</ul></section>\n");
    }

    let reasons = why(r, lang);
    if !reasons.is_empty() {
        s.push_str(&format!("<section><h2>{}</h2><ul>\n", w(lang, Word::Why)));
        for (label, sentence) in reasons {
            s.push_str(&format!(
                "<li><b>{}</b>: {}</li>\n",
                escape(&label),
                escape(&sentence)
            ));
        }
        s.push_str("</ul></section>\n");
    }

    // Assumptions.
    s.push_str(&format!(
        "<section><h2>{}</h2><table>\n<tr>",
        w(lang, Word::Assumptions)
    ));
    for h in [
        Word::Indicator,
        Word::Base,
        Word::Movement,
        Word::Persistence,
        Word::Source,
    ] {
        s.push_str(&format!("<th>{}</th>", w(lang, h)));
    }
    s.push_str("</tr>\n");
    for a in &r.assumptions {
        let [base, movement, persistence] = assumption_cells(a, lang);
        let unit = if a.unit.is_empty() || a.kind == Reading::Share {
            String::new()
        } else {
            format!(" ({})", a.unit)
        };
        s.push_str(&format!(
            "<tr><td>{}{}</td><td>{}</td><td>{}</td><td class=\"num\">{persistence}</td><td class=\"sub\">{}</td></tr>\n",
            escape(&a.label),
            escape(&unit),
            escape(&base),
            escape(&movement),
            escape(a.source.as_deref().unwrap_or(""))
        ));
    }
    s.push_str("</table>\n");
    for (word, lines) in [
        (Word::Shocks, shock_lines(r, lang)),
        (Word::Correlations, correlation_lines(r, lang)),
    ] {
        if lines.is_empty() {
            continue;
        }
        s.push_str(&format!("<h3>{}</h3><ul>\n", w(lang, word)));
        for line in lines {
            s.push_str(&format!("<li>{}</li>\n", escape(&line)));
        }
        s.push_str("</ul>\n");
    }
    s.push_str("</section>\n");

    // Charts.
    let all = charts(r, lang);
    for (prefix, title) in [
        ("fan_", Word::Fans),
        ("target_", Word::Distributions),
        ("reached_", Word::WhenReached),
        ("convergence_", Word::Convergence),
        ("tornado_", Word::Sensitivity),
    ] {
        let figs: Vec<_> = all.iter().filter(|c| c.file.starts_with(prefix)).collect();
        if figs.is_empty() {
            continue;
        }
        s.push_str(&format!(
            "<section><h2>{}</h2><div class=\"figs\">\n",
            w(lang, title)
        ));
        // The chart draws its own title; a caption only adds to it.
        for c in figs {
            let caption = c.caption.as_ref().map_or(String::new(), |t| {
                format!("<figcaption>{}</figcaption>", escape(t))
            });
            // A tornado's names need the whole row; other charts sit two to a row.
            let class = if prefix == "tornado_" {
                " class=\"row\""
            } else {
                ""
            };
            s.push_str(&format!(
                "<figure{class} aria-label=\"{}\">{}{caption}</figure>\n",
                escape(&c.title),
                c.svg
            ));
        }
        s.push_str("</div></section>\n");
    }

    let warnings = notes(r, lang);
    if !warnings.is_empty() {
        s.push_str(&format!(
            "<section><h2>{}</h2><ul>\n",
            w(lang, Word::Warnings)
        ));
        for n in warnings {
            s.push_str(&format!("<li>{}</li>\n", escape(&n)));
        }
        s.push_str("</ul></section>\n");
    }
    s.push_str("</body>\n</html>\n");
    s
}
