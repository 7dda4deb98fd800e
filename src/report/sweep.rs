//! `sweep` output: probability of each target at each parameter value.

use super::format::{self as f, columns};
use super::svg;
use super::words::{w, Lang, Word};
use crate::analysis::sweep::{Grid, Sweep};

pub fn table(s: &Sweep, lang: Lang) -> String {
    let Some(first) = s.points.first() else {
        return String::new();
    };
    let mut rows = vec![std::iter::once(s.parameter.clone())
        .chain(first.targets.iter().map(|t| f::truncate(&t.label, 24)))
        .collect::<Vec<_>>()];
    for p in &s.points {
        rows.push(
            std::iter::once(f::parameter(&s.parameter, p.value, 3))
                .chain(p.targets.iter().map(|t| f::bounded(t.probability, t.ci95)))
                .collect(),
        );
    }
    let right: Vec<bool> = (0..rows[0].len()).map(|_| true).collect();
    format!(
        "{} · {} {} · {} {} · {} {} ({})\n\n{}",
        s.name,
        w(lang, Word::SweepOf),
        s.parameter,
        f::number(s.draws as f64),
        w(lang, Word::DrawsWord),
        w(lang, Word::SeedWord),
        s.seed,
        w(lang, Word::SameDrawsEveryValue),
        columns(&rows, &right, 2)
    )
}

pub fn csv(s: &Sweep) -> String {
    let mut w = csv::Writer::from_writer(Vec::new());
    let _ = w.write_record([
        "parameter",
        "value",
        "target",
        "probability",
        "ci95_low",
        "ci95_high",
    ]);
    for p in &s.points {
        for t in &p.targets {
            let _ = w.write_record([
                s.parameter.clone(),
                f::datum(p.value),
                t.id.clone(),
                f::datum(t.probability),
                f::datum(t.ci95.0),
                f::datum(t.ci95.1),
            ]);
        }
    }
    String::from_utf8(w.into_inner().unwrap_or_default()).unwrap_or_default()
}

pub fn html(s: &Sweep, lang: Lang) -> String {
    let labels: Vec<String> = s
        .points
        .first()
        .map(|p| p.targets.iter().map(|t| t.label.clone()).collect())
        .unwrap_or_default();
    let series: Vec<(String, Vec<(f64, f64)>)> = labels
        .iter()
        .enumerate()
        .map(|(k, l)| {
            (
                l.clone(),
                s.points
                    .iter()
                    .map(|p| (p.value, p.targets[k].probability))
                    .collect(),
            )
        })
        .collect();
    let chart = svg::probability_lines(
        &series,
        &s.parameter,
        svg::Axis::for_parameter(&s.parameter),
    );
    format!(
        "<!DOCTYPE html>\n<html lang=\"{html_lang}\"><head><meta charset=\"utf-8\"><title>{title}</title>\n<style>\
body{{font-family:system-ui,\"Noto Sans CJK SC\",\"PingFang SC\",\"Microsoft YaHei\",sans-serif;margin:2em;color:#222}}\
.key{{margin-right:1.2em;white-space:nowrap}}.swatch{{display:inline-block;width:1em;height:.3em;margin-right:.4em;vertical-align:middle}}\
</style></head><body>\n<h1>{title}</h1>\n<p>{intro} <code>{param}</code> · {draws} {draws_word} · {seed_word} {seed} ({same})</p>\n{chart}<p>{legend}</p>\n</body></html>\n",
        title = svg::escape(&s.name),
        intro = w(lang, Word::SweepHtmlIntro),
        param = svg::escape(&s.parameter),
        draws = f::number(s.draws as f64),
        draws_word = w(lang, Word::DrawsWord),
        seed_word = w(lang, Word::SeedWord),
        seed = s.seed,
        same = w(lang, Word::SameDrawsEveryValue),
        legend = svg::legend(&labels),
        html_lang = if lang == Lang::Zh { "zh" } else { "en" },
    )
}

/// A grid's values along an axis, short.
fn axis_value(x: f64) -> String {
    format!("{x:.6}")
        .trim_end_matches('0')
        .trim_end_matches('.')
        .to_string()
}

pub fn grid_table(g: &Grid, lang: Lang) -> String {
    let mut out = format!(
        "{} · {} ({}) × {} ({}) · {} {} · {} {} ({})\n",
        g.name,
        g.parameters[0],
        w(lang, Word::Across),
        g.parameters[1],
        w(lang, Word::Down),
        f::number(g.draws as f64),
        w(lang, Word::DrawsWord),
        w(lang, Word::SeedWord),
        g.seed,
        w(lang, Word::SameDrawsEveryPoint)
    );
    for t in &g.targets {
        out.push_str(&format!("\n{}\n", t.label));
        let mut rows = vec![std::iter::once(String::new())
            .chain(g.x.iter().map(|&x| axis_value(x)))
            .collect::<Vec<_>>()];
        for (y, row) in g.y.iter().zip(&t.probability) {
            rows.push(
                std::iter::once(axis_value(*y))
                    .chain(row.iter().map(|&p| f::probability(p)))
                    .collect(),
            );
        }
        let right: Vec<bool> = (0..rows[0].len()).map(|_| true).collect();
        out.push_str(&columns(&rows, &right, 2));
    }
    out
}

pub fn grid_csv(g: &Grid) -> String {
    let mut w = csv::Writer::from_writer(Vec::new());
    let _ = w.write_record([
        g.parameters[0].as_str(),
        g.parameters[1].as_str(),
        "target",
        "probability",
    ]);
    for t in &g.targets {
        for (y, row) in g.y.iter().zip(&t.probability) {
            for (x, p) in g.x.iter().zip(row) {
                let _ = w.write_record([f::datum(*x), f::datum(*y), t.id.clone(), f::datum(*p)]);
            }
        }
    }
    String::from_utf8(w.into_inner().unwrap_or_default()).unwrap_or_default()
}

pub fn grid_html(g: &Grid, lang: Lang) -> String {
    let maps: String = g
        .targets
        .iter()
        .map(|t| {
            format!(
                "<figure>{}<figcaption>{}</figcaption></figure>\n",
                svg::heat_map(&g.x, &g.y, &t.probability, &g.parameters),
                svg::escape(&t.label)
            )
        })
        .collect();
    format!(
        "<!DOCTYPE html>\n<html lang=\"{html_lang}\"><head><meta charset=\"utf-8\"><title>{title}</title>\n<style>\
body{{font-family:system-ui,\"Noto Sans CJK SC\",\"PingFang SC\",\"Microsoft YaHei\",sans-serif;margin:2em;color:#222}}\
figure{{display:inline-block;margin:0 1em 1em 0}}figcaption{{font-size:.9em}}\
</style></head><body>\n<h1>{title}</h1>\n<p>{intro} <code>{a}</code> × <code>{b}</code> · {draws} {draws_word} · {seed_word} {seed} ({same})</p>\n{maps}</body></html>\n",
        title = svg::escape(&g.name),
        intro = w(lang, Word::GridHtmlIntro),
        a = svg::escape(&g.parameters[0]),
        b = svg::escape(&g.parameters[1]),
        draws = f::number(g.draws as f64),
        draws_word = w(lang, Word::DrawsWord),
        seed_word = w(lang, Word::SeedWord),
        seed = g.seed,
        same = w(lang, Word::SameDrawsEveryPoint),
        html_lang = if lang == Lang::Zh { "zh" } else { "en" },
    )
}
