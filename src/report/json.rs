//! JSON output: the versioned contract other programs rely on.

use serde_json::{json, Map, Value};

use super::table::notes;
use crate::stats::results::{IndicatorResult, Results, TargetDetail, TargetResult, LEVEL_NAMES};

/// Bumped when a key changes meaning or disappears (adding keys does not).
pub const SCHEMA_VERSION: u32 = 1;

/// One object for one scenario; an array of objects for several.
pub fn render_all(all: &[Results]) -> String {
    let v = match all {
        [one] => to_value(one),
        many => Value::Array(many.iter().map(to_value).collect()),
    };
    let mut s = serde_json::to_string_pretty(&v).unwrap_or_default();
    s.push('\n');
    s
}

fn num(x: f64) -> Value {
    serde_json::Number::from_f64(x).map_or(Value::Null, Value::Number)
}

fn opt(x: Option<f64>) -> Value {
    x.map_or(Value::Null, num)
}

pub fn to_value(r: &Results) -> Value {
    json!({
        "schema_version": SCHEMA_VERSION,
        "scenario": {
            "name": r.name,
            "document": r.document,
            "region": r.region,
            "file": r.run.file,
            "base_year": r.base_year,
            "horizon": r.horizon,
        },
        "run": {
            "draws": r.run.draws,
            "seed": r.run.seed,
            "threads": r.run.threads,
            "seconds": num(r.run.seconds),
            "overrides": r.run.overrides,
            "precision": r.run.precision.map(|p| p.half_width),
            "reached": r.run.precision.map(|p| p.reached),
            "dabiao_version": env!("CARGO_PKG_VERSION"),
        },
        "targets": r.targets.iter().map(target).collect::<Vec<_>>(),
        "indicators": r.indicators.iter().map(indicator).collect::<Vec<_>>(),
        "warnings": notes(r),
        "sensitivity": r.sensitivity.as_ref().map(|rows| rows.iter().map(|row| json!({
            "parameter": row.parameter,
            "low": num(row.low),
            "high": num(row.high),
            "targets": row.targets.iter().map(|(id, a, b)| json!({ "id": id, "probability_low": num(*a), "probability_high": num(*b) })).collect::<Vec<_>>(),
        })).collect::<Vec<_>>()),
    })
}

fn target(t: &TargetResult) -> Value {
    let mut m = Map::new();
    m.insert("id".into(), json!(t.id));
    m.insert("label".into(), json!(t.label));
    m.insert("tier".into(), json!(t.tier.name()));
    match &t.detail {
        TargetDetail::Stat {
            indicator,
            metric,
            from,
            to,
            threshold,
            direction,
            ..
        } => {
            m.insert("indicator".into(), json!(indicator));
            m.insert("metric".into(), json!(metric.name()));
            m.insert("from".into(), json!(from));
            m.insert("to".into(), json!(to));
            m.insert("threshold".into(), num(*threshold));
            m.insert("direction".into(), json!(direction.name()));
        }
        TargetDetail::Composite { all, members } => {
            m.insert("composite".into(), json!(if *all { "all" } else { "any" }));
            m.insert("members".into(), json!(members));
        }
    }
    m.insert("hits".into(), json!(t.hits));
    m.insert("draws".into(), json!(t.draws));
    m.insert("probability".into(), num(t.probability));
    m.insert("ci95".into(), json!([num(t.ci95.0), num(t.ci95.1)]));
    m.insert("std_error".into(), num(t.std_error));
    let drivers: Vec<Value> = t
        .drivers
        .iter()
        .map(|d| json!({ "input": super::words::driver_input(super::words::Lang::En, &d.subject, d.aspect), "hit_mean": num(d.hit_mean), "miss_mean": num(d.miss_mean), "effect": num(d.effect) }))
        .collect();
    m.insert("drivers".into(), Value::Array(drivers));
    if let TargetDetail::Stat {
        outcome,
        requirement,
        observed,
        ..
    } = &t.detail
    {
        let outcome = outcome.map_or(Value::Null, |o| {
            Value::Object(
                LEVEL_NAMES
                    .iter()
                    .zip(o)
                    .map(|(k, v)| (k.to_string(), num(v)))
                    .collect(),
            )
        });
        m.insert("outcome".into(), outcome);
        m.insert("observed".into(), json!(observed));
        if let Some(q) = requirement {
            m.insert(
                "requirement".into(),
                json!({
                    "anchor_year": q.anchor_year,
                    "anchor_value": num(q.anchor_value),
                    "base_uncertain": q.base_uncertain,
                    "needed_value": opt(q.needed_value),
                    "required_per_year": opt(q.required),
                    "assumed_per_year": opt(q.assumed),
                    "pace": format!("{:?}", q.pace).to_lowercase(),
                }),
            );
        }
    }
    Value::Object(m)
}

fn indicator(i: &IndicatorResult) -> Value {
    let quantiles: Map<String, Value> = LEVEL_NAMES
        .iter()
        .zip(&i.quantiles)
        .map(|(k, v)| {
            (
                k.to_string(),
                Value::Array(v.iter().map(|x| opt(*x)).collect()),
            )
        })
        .collect();
    json!({
        "id": i.id,
        "label": i.label,
        "unit": i.unit,
        "kind": i.kind,
        "years": i.years,
        "quantiles": quantiles,
        "mean": i.mean.iter().map(|x| opt(*x)).collect::<Vec<_>>(),
        "observed": i.observed.iter().map(|x| opt(*x)).collect::<Vec<_>>(),
    })
}
