//! `backtest` output: where each actual fell in the forecast, and the
//! scores of the targets it decided.

use super::format::{self as f, columns};
use crate::analysis::backtest::Backtest;

pub fn table(b: &Backtest) -> String {
    let mut out = format!(
        "{} · forecast from {} · {} draws · seed {}\n\nWhere each actual fell in the forecast:\n",
        b.scenario,
        b.base_year,
        f::number(b.draws as f64),
        b.seed
    );
    let opt = |x: Option<f64>| x.map_or("—".into(), f::number);
    let mut rows = vec![vec![
        "indicator".to_string(),
        "year".into(),
        "actual".into(),
        "p5".into(),
        "median".into(),
        "p95".into(),
        "percentile".into(),
    ]];
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
        out.push_str("\nNo target is decided by these actuals yet.\n");
    } else {
        out.push_str("\nTargets decided by the actuals:\n");
        let mut rows = vec![vec![
            "target".to_string(),
            "tier".into(),
            "forecast".into(),
            "outcome".into(),
            "Brier".into(),
            "log score".into(),
        ]];
        for t in &b.targets {
            rows.push(vec![
                f::truncate(&t.label, 36),
                t.tier.name().to_string(),
                f::probability(t.probability),
                if t.hit { "hit" } else { "missed" }.to_string(),
                format!("{:.3}", t.brier),
                format!("{:.2}", t.log_score),
            ]);
        }
        out.push_str(&columns(&rows, &[false, false, true, false, true, true], 2));
        if let (Some(brier), Some(log)) = (b.brier, b.log_score) {
            out.push_str(&format!(
                "  mean Brier {brier:.3} (0 is perfect; 0.25 is a coin's 50 % every time) · mean log score {log:.2} (ln 2 = 0.69 for 50 %)\n"
            ));
        }
    }
    if b.ignored > 0 {
        out.push_str(&format!(
            "\n{} actual(s) at or before the base year or after the horizon were not scored.\n",
            b.ignored
        ));
    }
    out
}
