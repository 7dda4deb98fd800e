//! `backtest` output: where each actual fell in the forecast, and the
//! scores of the targets it decided.

use super::format::{self as f, columns};
use super::words::{tier, w, Lang, Word};
use crate::analysis::backtest::Backtest;

pub fn table(b: &Backtest, lang: Lang) -> String {
    let mut out = format!(
        "{} · {} {} · {} {} · {} {}\n\n{}\n",
        b.scenario,
        w(lang, Word::ForecastFrom),
        b.base_year,
        f::number(b.draws as f64),
        w(lang, Word::DrawsWord),
        w(lang, Word::SeedWord),
        b.seed,
        w(lang, Word::WhereActualsFell)
    );
    let opt = |x: Option<f64>| x.map_or("—".into(), f::number);
    let header = |words: &[Word]| words.iter().map(|&h| w(lang, h).to_string()).collect();
    let mut rows: Vec<Vec<String>> = vec![header(&[
        Word::IndicatorColumn,
        Word::Year,
        Word::Actual,
        Word::P5,
        Word::MedianColumn,
        Word::P95,
        Word::Percentile,
    ])];
    for v in &b.values {
        rows.push(vec![
            v.indicator.clone(),
            v.year.to_string(),
            f::number(v.actual),
            opt(v.p5),
            opt(v.p50),
            opt(v.p95),
            v.percentile.map_or("—".into(), f::probability),
        ]);
    }
    out.push_str(&columns(
        &rows,
        &[false, true, true, true, true, true, true],
        2,
    ));
    if b.targets.is_empty() {
        out.push_str(&format!("\n{}\n", w(lang, Word::NoTargetDecided)));
    } else {
        out.push_str(&format!("\n{}\n", w(lang, Word::TargetsDecided)));
        let mut rows: Vec<Vec<String>> = vec![header(&[
            Word::Target,
            Word::Tier,
            Word::Forecast,
            Word::Outcome,
            Word::Brier,
            Word::LogScore,
        ])];
        for t in &b.targets {
            rows.push(vec![
                f::truncate(&t.label, 36),
                tier(lang, t.tier).to_string(),
                f::probability(t.probability),
                w(lang, if t.hit { Word::Hit } else { Word::Missed }).to_string(),
                format!("{:.3}", t.brier),
                format!("{:.2}", t.log_score),
            ]);
        }
        out.push_str(&columns(&rows, &[false, false, true, false, true, true], 2));
        if let (Some(brier), Some(log)) = (b.brier, b.log_score) {
            out.push_str(&format!(
                "  {}\n",
                w(lang, Word::MeanScores)
                    .replace("{brier}", &format!("{brier:.3}"))
                    .replace("{log}", &format!("{log:.2}"))
            ));
        }
    }
    if b.ignored > 0 {
        out.push_str(&format!(
            "\n{}\n",
            w(lang, Word::ActualsIgnored).replace("{n}", &b.ignored.to_string())
        ));
    }
    out
}
