//! The parameter value at which a target reaches a given probability.
//!
//! With common random numbers the estimated probability is a step function
//! of the parameter, monotone where the model is; bisection finds where it
//! crosses the goal. The values compatible with the Monte Carlo error are
//! those whose 95 % interval contains the goal: two more bisections, on the
//! interval's bounds, find their ends.

use serde::Serialize;

use super::{target_indices, Runner, Vary};
use crate::error::Error;
use crate::tr;

/// Where a target's probability crosses the goal (its JSON form is part of
/// the contract, as `report::json` writes it).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Solution {
    /// The input varied, as its path in the scenario.
    pub parameter: String,
    /// The target's id.
    pub target: String,
    /// The probability asked for.
    pub goal: f64,
    /// The value at which the estimate crosses the goal.
    pub value: f64,
    /// The probability estimated at `value`.
    pub probability: f64,
    /// The values whose 95 % interval contains the goal, `[low, high]`.
    pub interval: (f64, f64),
    /// Simulations run, all with the same draws.
    pub runs: usize,
    /// Every run, in the order made: the value tried and the target's
    /// probability there with its 95 % interval.
    pub evaluations: Vec<Evaluation>,
}

/// One run of a solve.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct Evaluation {
    pub value: f64,
    pub probability: f64,
    pub ci95: (f64, f64),
}

/// Bisection stops when the bracket is this share of the range.
const TOLERANCE: f64 = 1e-4;

pub fn solve(runner: &Runner, vary: &Vary, target: &str, goal: f64) -> Result<Solution, Error> {
    let input = vary.resolve(&runner.model)?;
    let k = target_indices(&runner.model, &[target.to_string()])?[0];
    let mut evaluations = Vec::new();
    let mut at = |v: f64| -> Result<(f64, (f64, f64)), Error> {
        let r = runner.run_at(input, v)?;
        let e = &r.targets[k].estimate;
        evaluations.push(Evaluation {
            value: v,
            probability: e.probability,
            ci95: e.ci95,
        });
        Ok((e.probability, e.ci95))
    };
    let (p_lo, ci_lo) = at(vary.start)?;
    let (p_hi, ci_hi) = at(vary.end)?;
    if goal < p_lo.min(p_hi) || goal > p_lo.max(p_hi) {
        return Err(Error::input(tr!(
            "a probability of {goal} is not reachable for `{target}` with {p} in {a}..{b}: it is {p_lo:.4} at {a} and {p_hi:.4} at {b}",
            "`{target}` 在 {p} 取 {a}..{b} 时达不到概率 {goal}：{a} 处为 {p_lo:.4}，{b} 处为 {p_hi:.4}",
            p = vary.path,
            a = vary.start,
            b = vary.end
        )));
    }
    // Orient so that the probability rises from `a` to `b`.
    let rising = p_hi >= p_lo;
    let (a, b) = if rising {
        (vary.start, vary.end)
    } else {
        (vary.end, vary.start)
    };
    let ends = if rising {
        (ci_lo, ci_hi)
    } else {
        (ci_hi, ci_lo)
    };
    // The first value (from `a`) at which `f(v) ≥ goal`.
    let mut cross =
        |f: &dyn Fn(f64, (f64, f64)) -> f64, at_a: f64, at_b: f64| -> Result<f64, Error> {
            if at_a >= goal {
                return Ok(a);
            }
            if at_b < goal {
                return Ok(b);
            }
            let (mut lo, mut hi) = (a, b);
            while (hi - lo).abs() > TOLERANCE * (vary.end - vary.start).abs() {
                let mid = 0.5 * (lo + hi);
                let (p, ci) = at(mid)?;
                if f(p, ci) >= goal {
                    hi = mid;
                } else {
                    lo = mid;
                }
            }
            Ok(0.5 * (lo + hi))
        };
    let (p_a, p_b) = if rising { (p_lo, p_hi) } else { (p_hi, p_lo) };
    let value = cross(&|p, _| p, p_a, p_b)?;
    // Values whose interval still contains the goal: from where the upper
    // bound reaches it to where the lower bound does.
    let first = cross(&|_, ci| ci.1, ends.0 .1, ends.1 .1)?;
    let last = cross(&|_, ci| ci.0, ends.0 .0, ends.1 .0)?;
    let (probability, _) = at(value)?;
    let interval = if first <= last {
        (first, last)
    } else {
        (last, first)
    };
    Ok(Solution {
        parameter: vary.path.clone(),
        target: target.to_string(),
        goal,
        value,
        probability,
        interval,
        runs: evaluations.len(),
        evaluations,
    })
}
