//! `solve` output.

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
