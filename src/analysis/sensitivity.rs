//! How each target's probability moves when each input moves down and up:
//! rates (mean growth, change, shock probability) by `delta` (default one
//! point), levels (uncertain bases, mean entries) by 10 % of their value.

use crate::error::Error;
use crate::model::shift::Scale;
use crate::model::Model;
use crate::simulate::{simulate, RunConfig};
use crate::stats::results::{SensitivityRow, SensitivityTarget};

/// How far levels move: a share of their central value.
pub const LEVEL_DELTA: f64 = 0.10;

/// Every input moved down and up, rows ordered by their largest swing.
pub fn sensitivity(
    model: &Model,
    cfg: &RunConfig,
    delta: f64,
) -> Result<Vec<SensitivityRow>, Error> {
    let mut rows = Vec::new();
    for (input, scale) in model.inputs() {
        let centre = model.input_value(input);
        let amount = match scale {
            Scale::Rate => delta,
            Scale::Level => LEVEL_DELTA * centre.abs(),
        };
        let mut probabilities = Vec::new();
        for sign in [-1.0, 1.0] {
            let tally = simulate(&model.shifted(input, sign * amount), cfg, &|_| {})
                .map_err(|e| Error::Other(format!("cannot start worker threads: {e}")))?;
            probabilities.push(
                tally
                    .hits
                    .iter()
                    .map(|&h| h as f64 / tally.draws.max(1) as f64)
                    .collect::<Vec<_>>(),
            );
        }
        let targets = model
            .targets
            .iter()
            .enumerate()
            .map(|(k, t)| SensitivityTarget {
                id: t.id.clone(),
                probability_low: probabilities[0][k],
                probability_high: probabilities[1][k],
            })
            .collect();
        rows.push(SensitivityRow {
            parameter: crate::scenario::paths::input(model, input),
            low: centre - amount,
            high: centre + amount,
            targets,
        });
    }
    rows.sort_by(|a, b| b.swing().total_cmp(&a.swing()));
    Ok(rows)
}
