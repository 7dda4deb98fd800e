//! `solve` output.

use super::format as f;
use crate::analysis::solve::Solution;

pub fn table(s: &Solution) -> String {
    format!(
        "{target} reaches a {goal} chance at {param} = {value}\n\
         values compatible with the Monte Carlo error: {lo} to {hi}\n\
         at {value} the estimate is {p} ({runs} runs with the same draws)\n",
        target = s.target,
        goal = f::probability(s.goal),
        param = s.parameter,
        value = f::parameter(&s.parameter, s.value, 4),
        lo = f::parameter(&s.parameter, s.interval.0, 4),
        hi = f::parameter(&s.parameter, s.interval.1, 4),
        p = f::probability(s.probability),
        runs = s.runs
    )
}
