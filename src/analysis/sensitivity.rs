//! How each target's probability moves when each input moves down and up,
//! each by a step on its own scale, so that rankings compare like with
//! like: an input the scenario gives as a distribution moves by one sd of
//! it (what the scenario says it does not know); a fixed mean growth by
//! `delta` (one point a year), a fixed share change by a tenth of that, and
//! a fixed probability or mean entries by 10 % of its value.

use crate::error::Error;
use crate::model::shift::{Input, Scale};
use crate::model::Kind;
use crate::model::Model;
use crate::simulate::{simulate, RunConfig};
use crate::stats::results::{SensitivityInput, SensitivityRow, SensitivityStep, SensitivityTarget};

/// How far levels move: a share of their central value.
pub const LEVEL_DELTA: f64 = 0.10;
/// A share's change moves by this share of `delta`: shares move in tenths
/// of a point a year where levels move in points.
pub const CHANGE_DELTA: f64 = 0.1;

/// Every input moved down and up, rows ordered by their largest swing.
pub fn sensitivity(
    model: &Model,
    cfg: &RunConfig,
    delta: f64,
) -> Result<Vec<SensitivityRow>, Error> {
    let mut rows = Vec::new();
    for (input, scale) in model.inputs() {
        let centre = model.input_value(input);
        let (amount, step) = match (model.input_sd(input), scale) {
            (Some(sd), _) => (sd, SensitivityStep::OneSd),
            (None, Scale::Growth) => (delta, SensitivityStep::Delta),
            (None, Scale::Change) => (CHANGE_DELTA * delta, SensitivityStep::TenthOfDelta),
            (None, Scale::Level) => (LEVEL_DELTA * centre.abs(), SensitivityStep::TenPercent),
        };
        let mut probabilities = Vec::new();
        for sign in [-1.0, 1.0] {
            let tally = simulate(&model.shifted(input, sign * amount), cfg, &|_| {})
                .map_err(Error::threads)?;
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
        let (subject, what) = describe(model, input);
        rows.push(SensitivityRow {
            parameter: crate::scenario::paths::input(model, input),
            subject,
            input: what,
            low: centre - amount,
            high: centre + amount,
            step,
            targets,
        });
    }
    rows.sort_by(|a, b| b.swing().total_cmp(&a.swing()));
    Ok(rows)
}

/// What an input belongs to (its label) and which of its inputs it is.
fn describe(model: &Model, input: Input) -> (String, SensitivityInput) {
    let indicator = |i: usize| model.indicators[i].label.clone();
    match input {
        Input::Growth(i) => match model.indicators[i].kind {
            Kind::Share { .. } => (indicator(i), SensitivityInput::ChangeMean),
            _ => (indicator(i), SensitivityInput::GrowthMean),
        },
        Input::Sd(i) => (indicator(i), SensitivityInput::Sd),
        Input::Persistence(i) => (indicator(i), SensitivityInput::Persistence),
        Input::Base(i) => (indicator(i), SensitivityInput::Base),
        Input::Entries(i) => (indicator(i), SensitivityInput::MeanEntries),
        Input::ExitRate(i) => (indicator(i), SensitivityInput::ExitRate),
        Input::ShockProbability(s) => (
            model.shocks[s].label.clone(),
            SensitivityInput::ShockProbability,
        ),
        Input::Threshold(k) => (model.targets[k].label.clone(), SensitivityInput::Threshold),
    }
}
