//! What a target asks for, in plain arithmetic: the value it needs, the yearly
//! growth that takes the latest observed (or central base) value there, and
//! the growth the scenario assumes. Used by `check` and by every report.

use super::{Direction, Kind, Metric, Model, StatTarget, TargetKind};

/// How yearly movement is measured for an indicator.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, schemars::JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum Pace {
    /// Compound growth rate per year (level and formula indicators).
    Rate,
    /// Change in the fraction per year (shares; 0.01 = one point).
    Points,
    /// Net additions per year (counts).
    Units,
}

/// A target's arithmetic: what it needs, from where, against what is assumed.
#[derive(Debug, Clone, Copy, PartialEq, serde::Serialize, schemars::JsonSchema)]
pub struct Requirement {
    /// The year the required pace starts from: the base year.
    pub anchor_year: i32,
    /// The value there (the central value if the base is uncertain).
    #[schemars(with = "Option<f64>")]
    pub anchor_value: f64,
    /// Whether the base is uncertain (drawn per path).
    pub base_uncertain: bool,
    /// The value the target needs in its last year, where a single value says it.
    pub needed_value: Option<f64>,
    /// The yearly pace the target requires from the anchor (or, for targets
    /// that start in the future, over its own years).
    #[serde(rename = "required_per_year")]
    pub required: Option<f64>,
    /// The yearly pace the scenario assumes (central growth or change; net
    /// entries for counts, at the base level).
    #[serde(rename = "assumed_per_year")]
    pub assumed: Option<f64>,
    /// How pace is measured: compound growth, a share's change in points,
    /// or a count's net additions.
    pub pace: Pace,
    /// The target's direction (the target says it too).
    #[serde(skip)]
    pub direction: Direction,
}

fn pace_of(kind: &Kind) -> Pace {
    match kind {
        Kind::Share { .. } => Pace::Points,
        Kind::Count { .. } => Pace::Units,
        Kind::Level { .. } | Kind::Formula(_) => Pace::Rate,
    }
}

/// The pace from `a` to `b` over `years`.
fn pace_between(pace: Pace, a: f64, b: f64, years: f64) -> Option<f64> {
    let v = match pace {
        Pace::Rate => (b / a).powf(1.0 / years) - 1.0,
        Pace::Points | Pace::Units => (b - a) / years,
    };
    v.is_finite().then_some(v)
}

impl Model {
    /// The central value of indicator `i` in `year` (≤ base year): observed,
    /// or the central base, or a formula of central values.
    pub fn central_value(&self, i: usize, year: i32) -> Option<f64> {
        let t = self.year_index(year);
        let direct = |j: usize| {
            let ind = &self.indicators[j];
            match ind.observed.get(t).copied().flatten() {
                Some(v) => Some(v),
                None if year != self.base_year => None,
                None => ind.kind.base().map(|b| self.central(b)),
            }
        };
        if !matches!(self.indicators[i].kind, Kind::Formula(_)) {
            return direct(i);
        }
        // Formulas in their order of evaluation, each once: no recursion.
        let mut values: Vec<Option<f64>> = (0..self.indicators.len()).map(direct).collect();
        for &k in &self.formula_order {
            if let (None, Kind::Formula(f)) = (values[k], &self.indicators[k].kind) {
                if year == self.base_year {
                    let v = f.eval(|j| values[j].unwrap_or(f64::NAN));
                    values[k] = v.is_finite().then_some(v);
                }
            }
        }
        values[i]
    }

    /// The expected yearly effect of shocks on indicator `i`'s growth or
    /// change, averaged over the simulated years.
    fn expected_shock_effect(&self, i: usize) -> f64 {
        let years = f64::from(self.horizon - self.base_year);
        self.shocks
            .iter()
            .map(|s| {
                let loading: f64 = s
                    .loadings
                    .iter()
                    .filter(|(j, _)| *j == i)
                    .map(|(_, l)| l)
                    .sum();
                let effect = s.effect.resolve(self.central(s.effect.loc)).mean;
                let active = f64::from(s.last - s.first + 1) / years;
                self.central(s.probability) * effect * loading * active
            })
            .sum()
    }

    /// The assumed yearly pace of indicator `i` (central values, shocks'
    /// expected effect included).
    pub fn assumed_pace(&self, i: usize) -> Option<f64> {
        match &self.indicators[i].kind {
            Kind::Level { growth, .. } => {
                Some(self.central_deviate_mean(growth) + self.expected_shock_effect(i))
            }
            Kind::Share { change, .. } => {
                Some(self.central_deviate_mean(change) + self.expected_shock_effect(i))
            }
            Kind::Count {
                exit_rate, base, ..
            } => Some(self.assumed_entries(i)? - exit_rate * self.central(*base)),
            Kind::Formula(_) => None,
        }
    }

    /// The assumed gross entries a year of count `i` (central values, shocks'
    /// expected effect included); `None` for other kinds.
    pub fn assumed_entries(&self, i: usize) -> Option<f64> {
        match &self.indicators[i].kind {
            Kind::Count { entries, .. } => {
                Some(self.central(entries.mean) * (1.0 + self.expected_shock_effect(i)).max(0.0))
            }
            _ => None,
        }
    }

    /// The arithmetic of a statistic target; `None` for composites.
    pub fn requirement(&self, target: usize) -> Option<Requirement> {
        let TargetKind::Stat(t) = &self.targets[target].kind else {
            return None;
        };
        let ind = &self.indicators[t.indicator];
        let pace = pace_of(&ind.kind);
        let base_uncertain = matches!(ind.kind.base(), Some(super::dist::Param::Drawn(_)));
        let anchor_year = self.base_year;
        let anchor_value = self
            .central_value(t.indicator, anchor_year)
            .unwrap_or(f64::NAN);
        let from_value = if t.from <= self.base_year {
            self.central_value(t.indicator, t.from)
        } else {
            None
        };
        let span = f64::from(t.to - t.from);
        let needed_value = needed_value(t, from_value, pace);
        let required = if t.to <= self.base_year {
            None
        } else if let Some(needed) = needed_value {
            pace_between(pace, anchor_value, needed, f64::from(t.to - anchor_year))
        } else {
            // A target over future years only: its own terms are the pace.
            match (t.metric, pace) {
                (Metric::Cagr | Metric::MinGrowth, Pace::Rate) => Some(t.threshold),
                (Metric::Change, Pace::Rate) => pace_between(pace, 1.0, 1.0 + t.threshold, span),
                (Metric::Increase, Pace::Points | Pace::Units) => Some(t.threshold / span),
                (Metric::MinIncrease, Pace::Points | Pace::Units) => Some(t.threshold),
                (Metric::Entries, _) => Some(t.threshold / span),
                (Metric::MinEntries, _) => Some(t.threshold),
                _ => None,
            }
        };
        Some(Requirement {
            anchor_year,
            anchor_value,
            base_uncertain,
            needed_value,
            required,
            assumed: if t.metric.is_entries() {
                self.assumed_entries(t.indicator)
            } else {
                self.assumed_pace(t.indicator)
            },
            pace,
            direction: t.direction,
        })
    }
}

/// The value the target needs in its last year, where the starting value is known.
fn needed_value(t: &StatTarget, from_value: Option<f64>, pace: Pace) -> Option<f64> {
    match t.metric {
        Metric::Value => Some(t.threshold),
        Metric::Cagr => from_value.map(|a| a * (1.0 + t.threshold).powi(t.to - t.from)),
        Metric::Change => from_value.map(|a| a * (1.0 + t.threshold)),
        Metric::Increase => from_value.map(|a| a + t.threshold),
        // A yearly floor is not one value; for a level, growing at exactly the
        // floor every year is what it takes at the least.
        Metric::MinGrowth if pace == Pace::Rate => {
            from_value.map(|a| a * (1.0 + t.threshold).powi(t.to - t.from))
        }
        Metric::MinIncrease => from_value.map(|a| a + t.threshold * f64::from(t.to - t.from)),
        Metric::MinGrowth | Metric::Entries | Metric::MinEntries => None,
    }
}
