//! `solve` output.

use serde_json::json;

use super::format as f;
use crate::analysis::solve::Solution;

pub fn table(s: &Solution) -> String {
    format!(
        "{target} reaches a {goal} chance at {param} = {value:.6}\n\
         values compatible with the Monte Carlo error: {lo:.6} to {hi:.6}\n\
         at {value:.6} the estimate is {p} ({runs} runs with the same draws)\n",
        target = s.target,
        goal = f::probability(s.goal),
        param = s.parameter,
        value = s.value,
        lo = s.interval.0,
        hi = s.interval.1,
        p = f::probability(s.probability),
        runs = s.runs
    )
}

pub fn json(s: &Solution) -> String {
    let v = json!({
        "schema_version": 1,
        "parameter": s.parameter,
        "target": s.target,
        "goal": s.goal,
        "value": s.value,
        "probability": s.probability,
        "interval": [s.interval.0, s.interval.1],
        "runs": s.runs,
    });
    serde_json::to_string_pretty(&v).unwrap_or_default() + "\n"
}
