//! The probability of each target at each value of one parameter.

use serde::Serialize;

use super::{target_indices, Runner, Vary};
use crate::error::Error;
use crate::tr;

/// One target's probability at one value (its JSON form is part of the
/// contract, as `report::json` writes it).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct SweepTarget {
    /// The target's id in the file.
    pub id: String,
    #[serde(skip)]
    pub label: String,
    pub probability: f64,
    /// The Wilson 95 % interval, `[low, high]`.
    pub ci95: (f64, f64),
}

/// Every target's probability at one value of the parameter.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct SweepPoint {
    pub value: f64,
    pub targets: Vec<SweepTarget>,
}

/// A sweep: the same draws at every value.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Sweep {
    /// `[scenario] name`.
    #[serde(rename = "scenario")]
    pub name: String,
    /// The input varied, as its path in the scenario.
    pub parameter: String,
    pub draws: u64,
    pub seed: u64,
    pub points: Vec<SweepPoint>,
}

/// Two inputs varied together: every target's probability at every pair of
/// values (the same draws at each), for a heat map.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Grid {
    /// `[scenario] name`.
    #[serde(rename = "scenario")]
    pub name: String,
    /// The two inputs, as their paths: the first along `x`, the second along `y`.
    pub parameters: [String; 2],
    pub x: Vec<f64>,
    pub y: Vec<f64>,
    pub draws: u64,
    pub seed: u64,
    pub targets: Vec<GridTarget>,
}

/// One target's probability over the grid.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct GridTarget {
    pub id: String,
    #[serde(skip)]
    pub label: String,
    /// `probability[j][i]`: at `y[j]` and `x[i]`.
    pub probability: Vec<Vec<f64>>,
}

/// `steps` evenly spaced values over the range.
pub fn values(vary: &Vary, steps: usize) -> Vec<f64> {
    (0..steps)
        .map(|k| vary.start + (vary.end - vary.start) * k as f64 / (steps - 1) as f64)
        .collect()
}

/// Runs every pair of `steps` values of `a` and of `b`.
pub fn grid(
    runner: &Runner,
    [a, b]: [&Vary; 2],
    steps: usize,
    only: &[String],
) -> Result<Grid, Error> {
    if a.path == b.path {
        return Err(Error::input(tr!(
            "--vary names {p} twice; a grid needs two different inputs",
            "--vary 两次指定了 {p}；网格需要两个不同的输入",
            p = a.path
        )));
    }
    let inputs = [a.resolve(&runner.model)?, b.resolve(&runner.model)?];
    let keep = if only.is_empty() {
        (0..runner.model.targets.len()).collect()
    } else {
        target_indices(&runner.model, only)?
    };
    let (xs, ys) = (values(a, steps), values(b, steps));
    let mut targets: Vec<GridTarget> = keep
        .iter()
        .map(|&j| GridTarget {
            id: runner.model.targets[j].id.clone(),
            label: runner.model.targets[j].label.clone(),
            probability: Vec::with_capacity(steps),
        })
        .collect();
    for &y in &ys {
        let mut row: Vec<Vec<f64>> = vec![Vec::with_capacity(steps); keep.len()];
        for &x in &xs {
            let r = runner.run_moved(&[(inputs[0], x), (inputs[1], y)])?;
            for (out, &j) in row.iter_mut().zip(&keep) {
                out.push(r.targets[j].estimate.probability);
            }
        }
        for (t, r) in targets.iter_mut().zip(row) {
            t.probability.push(r);
        }
    }
    let cfg = runner.config();
    Ok(Grid {
        name: runner.model.name.clone(),
        parameters: [a.path.clone(), b.path.clone()],
        x: xs,
        y: ys,
        draws: cfg.draws,
        seed: cfg.seed,
        targets,
    })
}

/// Runs `steps` evenly spaced values from `vary.start` to `vary.end`, keeping
/// the targets in `only` (all if empty).
pub fn sweep(runner: &Runner, vary: &Vary, steps: usize, only: &[String]) -> Result<Sweep, Error> {
    let input = vary.resolve(&runner.model)?;
    let keep = if only.is_empty() {
        (0..runner.model.targets.len()).collect()
    } else {
        target_indices(&runner.model, only)?
    };
    let cfg = runner.config();
    let mut points = Vec::with_capacity(steps);
    for value in values(vary, steps) {
        let r = runner.run_at(input, value)?;
        let targets = keep
            .iter()
            .map(|&j| {
                let t = &r.targets[j];
                SweepTarget {
                    id: t.id.clone(),
                    label: t.label.clone(),
                    probability: t.estimate.probability,
                    ci95: t.estimate.ci95,
                }
            })
            .collect();
        points.push(SweepPoint { value, targets });
    }
    Ok(Sweep {
        name: runner.model.name.clone(),
        parameter: vary.path.clone(),
        draws: cfg.draws,
        seed: cfg.seed,
        points,
    })
}
