//! CSV output: one row per target, for spreadsheets.

use super::format::datum;
use crate::model::Reading;
use crate::stats::results::{Results, TargetDetail};

const HEADER: [&str; 24] = [
    "scenario",
    "file",
    "id",
    "label",
    "tier",
    "indicator",
    "metric",
    "from",
    "to",
    "direction",
    "threshold",
    "hits",
    "draws",
    "probability",
    "ci95_low",
    "ci95_high",
    "std_error",
    "p5",
    "p25",
    "p50",
    "p75",
    "p95",
    "required_per_year",
    "assumed_per_year",
];

/// The fan charts' numbers, tidy: indicator, year, quantile, value.
pub fn fan(r: &Results) -> String {
    let mut w = csv::Writer::from_writer(Vec::new());
    let _ = w.write_record(["indicator", "year", "quantile", "value"]);
    for ind in &r.indicators {
        // A count's quantiles are whole numbers (the sketch keeps values to
        // within its bucket width).
        let count = ind.kind == Reading::Count;
        for (k, name) in crate::stats::results::LEVEL_NAMES.iter().enumerate() {
            for (y, v) in ind.years.iter().zip(&ind.quantiles[k]) {
                let v = v.map(|v| if count { v.round() } else { v });
                let _ = w.write_record([
                    ind.id.clone(),
                    y.to_string(),
                    name.to_string(),
                    v.map_or(String::new(), datum),
                ]);
            }
        }
        for (y, v) in ind.years.iter().zip(&ind.mean) {
            let _ = w.write_record([
                ind.id.clone(),
                y.to_string(),
                "mean".into(),
                v.map_or(String::new(), datum),
            ]);
        }
    }
    String::from_utf8(w.into_inner().unwrap_or_default()).unwrap_or_default()
}

pub fn render(all: &[Results]) -> String {
    let mut w = csv::Writer::from_writer(Vec::new());
    let _ = w.write_record(HEADER);
    let opt = |x: Option<f64>| x.map_or(String::new(), datum);
    for r in all {
        for t in &r.targets {
            let mut rec = vec![
                r.scenario.name.clone(),
                r.scenario.file.clone(),
                t.id.clone(),
                t.label.clone(),
                t.tier.name().to_string(),
            ];
            match &t.detail {
                TargetDetail::Stat {
                    indicator,
                    metric,
                    from,
                    to,
                    direction,
                    threshold,
                    ..
                } => rec.extend([
                    indicator.clone(),
                    metric.name().to_string(),
                    from.to_string(),
                    to.to_string(),
                    direction.name().to_string(),
                    datum(*threshold),
                ]),
                TargetDetail::Composite { composite, .. } => {
                    rec.extend([String::new(), composite.name().to_string()]);
                    rec.extend(std::iter::repeat_n(String::new(), 4));
                }
            }
            rec.extend([
                t.estimate.hits.to_string(),
                t.estimate.draws.to_string(),
                datum(t.estimate.probability),
                datum(t.estimate.ci95.0),
                datum(t.estimate.ci95.1),
                datum(t.estimate.std_error),
            ]);
            match &t.detail {
                TargetDetail::Stat {
                    outcome,
                    requirement,
                    ..
                } => {
                    for k in 0..5 {
                        rec.push(opt(outcome.map(|o| o[k])));
                    }
                    rec.push(opt(requirement.and_then(|q| q.required)));
                    rec.push(opt(requirement.and_then(|q| q.assumed)));
                }
                TargetDetail::Composite { .. } => rec.extend(std::iter::repeat_n(String::new(), 7)),
            }
            let _ = w.write_record(&rec);
        }
    }
    String::from_utf8(w.into_inner().unwrap_or_default()).unwrap_or_default()
}
