//! `backtest`: a scenario's forecast against what happened. Each actual
//! value after the base year gets its percentile in the forecast's
//! distribution for that indicator and year; each target the actuals
//! decide gets its forecast probability against the outcome, scored.

use schemars::JsonSchema;
use serde::Serialize;

use crate::model::{Metric, Model, TargetKind, Tier};
use crate::stats::tally::Tally;

/// An observed value: indicator index, year, value.
pub type Actual = (usize, i32, f64);

#[derive(Debug, Clone, PartialEq, Serialize, JsonSchema)]
pub struct Backtest {
    /// `[scenario] name`.
    pub scenario: String,
    pub base_year: i32,
    pub draws: u64,
    pub seed: u64,
    /// Every actual after the base year, where it fell in the forecast.
    pub values: Vec<ValueCheck>,
    /// Every target the actuals decide.
    pub targets: Vec<TargetCheck>,
    /// The mean Brier score of the decided targets (0 best, 1 worst);
    /// `null` if none is decided.
    pub brier: Option<f64>,
    /// The mean log score (−ln of the probability given to what happened;
    /// 0 best); `null` if none is decided.
    pub log_score: Option<f64>,
    /// Actuals outside the forecast's years (at or before the base year,
    /// known when it was made; or after the horizon): not scored.
    pub ignored: usize,
}

/// One actual value against the forecast for its indicator and year.
#[derive(Debug, Clone, PartialEq, Serialize, JsonSchema)]
pub struct ValueCheck {
    pub indicator: String,
    pub year: i32,
    pub actual: f64,
    /// The forecast's 5th, 50th and 95th percentiles.
    pub p5: Option<f64>,
    pub p50: Option<f64>,
    pub p95: Option<f64>,
    /// The share of forecast paths at or below the actual (0 to 1): near 0
    /// or 1, the forecast did not see it coming.
    pub percentile: Option<f64>,
}

/// A target decided by the actuals.
#[derive(Debug, Clone, PartialEq, Serialize, JsonSchema)]
pub struct TargetCheck {
    pub id: String,
    pub label: String,
    pub tier: Tier,
    /// The forecast probability of hitting it.
    pub probability: f64,
    /// Whether it was hit.
    pub hit: bool,
    /// `(probability − outcome)²`.
    pub brier: f64,
    /// `−ln` of the probability given to the outcome, with the probability
    /// kept within half a path of 0 and 1 (a forecast of "never" that
    /// happened scores ln(2·draws), not infinity).
    pub log_score: f64,
}

/// Scores the forecast in `tally` (drawn from `seed`) against `actuals`.
pub fn backtest(model: &Model, tally: &Tally, seed: u64, actuals: &[Actual]) -> Backtest {
    let base = model.base_year;
    let (forecast, ignored): (Vec<&Actual>, Vec<&Actual>) = actuals
        .iter()
        .partition(|&&(_, y, _)| y > base && y <= model.horizon);
    let values = forecast
        .iter()
        .map(|&&(i, year, actual)| {
            let ranked = tally.value_sketches[i * tally.span + (year - base) as usize].ranked();
            ValueCheck {
                indicator: model.indicators[i].id.clone(),
                year,
                actual,
                p5: ranked.quantile(0.05),
                p50: ranked.quantile(0.5),
                p95: ranked.quantile(0.95),
                percentile: ranked.cdf(actual),
            }
        })
        .collect();
    let known = |i: usize, year: i32| -> f64 {
        let observed = model.indicators[i].observed[model.year_index(year)];
        observed
            .or_else(|| {
                actuals
                    .iter()
                    .find(|&&(j, y, _)| j == i && y == year)
                    .map(|a| a.2)
            })
            .unwrap_or(f64::NAN)
    };
    let outcomes = outcomes(model, &known);
    let n = tally.draws.max(1) as f64;
    let targets: Vec<TargetCheck> = model
        .targets
        .iter()
        .enumerate()
        .filter_map(|(k, t)| {
            let hit = outcomes[k]?;
            let p = tally.hits[k] as f64 / n;
            let o = if hit { 1.0 } else { 0.0 };
            let given = if hit { p } else { 1.0 - p };
            Some(TargetCheck {
                id: t.id.clone(),
                label: t.label.clone(),
                tier: t.tier,
                probability: p,
                hit,
                brier: (p - o) * (p - o),
                log_score: -given.clamp(0.5 / n, 1.0 - 0.5 / n).ln(),
            })
        })
        .collect();
    let mean = |f: fn(&TargetCheck) -> f64| {
        (!targets.is_empty()).then(|| targets.iter().map(f).sum::<f64>() / targets.len() as f64)
    };
    Backtest {
        scenario: model.name.clone(),
        base_year: base,
        draws: tally.draws,
        seed,
        brier: mean(|t| t.brier),
        log_score: mean(|t| t.log_score),
        values,
        targets,
        ignored: ignored.len(),
    }
}

/// Each target's outcome where every value it needs is known: `known(i,
/// year)` is NaN where not. Composites follow their members (an `all` is
/// decided as missed once a member is, an `any` as hit once one is).
fn outcomes(model: &Model, known: &dyn Fn(usize, i32) -> f64) -> Vec<Option<bool>> {
    let mut out: Vec<Option<bool>> = vec![None; model.targets.len()];
    for &k in &model.target_order {
        out[k] = match &model.targets[k].kind {
            TargetKind::Stat(s) => {
                let needed: Vec<i32> = match s.metric {
                    // Gross entries are not observed as levels are.
                    Metric::Entries | Metric::MinEntries => continue,
                    Metric::Value => vec![s.to],
                    Metric::MinGrowth | Metric::MinIncrease => (s.from..=s.to).collect(),
                    _ => vec![s.from, s.to],
                };
                // Undecided, or decided by what was known at the base year
                // (no forecast to score).
                if needed.iter().any(|&y| known(s.indicator, y).is_nan())
                    || needed.iter().all(|&y| y <= model.base_year)
                {
                    continue;
                }
                let statistic = s.statistic(|y| known(s.indicator, y), |_| f64::NAN);
                Some(s.direction.holds(statistic, s.threshold))
            }
            TargetKind::Composite { all, members } => {
                let member: Vec<Option<bool>> = members.iter().map(|&m| out[m]).collect();
                let decisive = !*all;
                if member.contains(&Some(decisive)) {
                    Some(decisive)
                } else if member.iter().all(Option::is_some) {
                    Some(!decisive)
                } else {
                    None
                }
            }
        };
    }
    out
}
