//! The probability of each target at each value of one parameter.

use serde::Serialize;

use super::{target_indices, Runner, Vary};
use crate::error::Error;

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
    for k in 0..steps {
        let value = vary.start + (vary.end - vary.start) * k as f64 / (steps - 1) as f64;
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
