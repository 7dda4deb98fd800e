//! `solve` output.

use super::format as f;
use super::svg::{escape, Axis, ProbabilityPlot};
use super::words::{w, Lang, Word};
use crate::analysis::solve::Solution;

pub fn table(s: &Solution, lang: Lang) -> String {
    let value = f::parameter(&s.parameter, s.value, 4);
    let reaches = w(lang, Word::SolveReaches).replace("{goal}", &f::probability(s.goal));
    let at = w(lang, Word::SolveAtValue)
        .replace("{value}", &value)
        .replace("{p}", &f::probability(s.probability))
        .replace("{runs}", &s.runs.to_string());
    format!(
        "{target} {reaches} {param} = {value}\n{compatible}: {lo} {to} {hi}\n{at}\n",
        target = s.target,
        param = s.parameter,
        compatible = w(lang, Word::SolveCompatible),
        lo = f::parameter(&s.parameter, s.interval.0, 4),
        to = w(lang, Word::SolveTo),
        hi = f::parameter(&s.parameter, s.interval.1, 4),
    )
}

/// The solve as a page: each run's probability with its interval against
/// the value tried, the goal, the answer and the values compatible with it.
pub fn html(s: &Solution, lang: Lang) -> String {
    let values = s.evaluations.iter().map(|e| e.value);
    let plot = ProbabilityPlot::new(
        values.clone().fold(f64::INFINITY, f64::min),
        values.fold(f64::NEG_INFINITY, f64::max),
    );
    let (px, py) = (|x| plot.px(x), |y| plot.py(y));
    let (left, right, foot) = plot.edges();
    let top = ProbabilityPlot::TOP;
    let mut svg = plot.open(&s.parameter, Axis::for_parameter(&s.parameter));
    // The values compatible with the Monte Carlo error, shaded.
    svg.push_str(&format!(
        "<rect x=\"{:.1}\" y=\"{top}\" width=\"{:.1}\" height=\"{:.1}\" fill=\"#c6dbef\" opacity=\"0.7\"/>\n",
        px(s.interval.0),
        (px(s.interval.1) - px(s.interval.0)).max(1.0),
        foot - top
    ));
    // The goal, and the answer.
    svg.push_str(&format!(
        "<line x1=\"{left}\" x2=\"{right:.1}\" y1=\"{y:.1}\" y2=\"{y:.1}\" stroke=\"#d62728\" stroke-dasharray=\"5 4\"/>\n<line x1=\"{x:.1}\" x2=\"{x:.1}\" y1=\"{top}\" y2=\"{foot:.1}\" stroke=\"#08519c\" stroke-width=\"2\"/>\n",
        y = py(s.goal),
        x = px(s.value)
    ));
    // Each run: its interval and its estimate, in the order of the values.
    let mut runs = s.evaluations.clone();
    runs.sort_by(|a, b| a.value.total_cmp(&b.value));
    for e in &runs {
        let x = px(e.value);
        svg.push_str(&format!(
            "<line x1=\"{x:.1}\" x2=\"{x:.1}\" y1=\"{:.1}\" y2=\"{:.1}\" stroke=\"#555\"/><circle cx=\"{x:.1}\" cy=\"{:.1}\" r=\"3\" fill=\"#222\"/>\n",
            py(e.ci95.0),
            py(e.ci95.1),
            py(e.probability)
        ));
    }
    svg.push_str("</svg>\n");
    let title = format!("{} · {}", s.target, s.parameter);
    format!(
        "<!DOCTYPE html>\n<html lang=\"{html_lang}\"><head><meta charset=\"utf-8\"><title>{t}</title>\n<style>\
body{{font-family:system-ui,\"Noto Sans CJK SC\",\"PingFang SC\",\"Microsoft YaHei\",sans-serif;margin:2em;color:#222;max-width:760px}}\
</style></head><body>\n<h1>{t}</h1>\n<pre>{text}</pre>\n{svg}<p>{key}</p>\n</body></html>\n",
        html_lang = if lang == Lang::Zh { "zh" } else { "en" },
        t = escape(&title),
        text = escape(&table(s, lang)),
        key = w(lang, Word::SolveChartKey),
    )
}
