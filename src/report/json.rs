//! JSON output: the versioned contract other programs rely on, as types.
//!
//! Every field is documented here, and `docs/results.schema.json` is
//! generated from these types (a test fails when the two disagree). Values
//! are data: ids, names of enums and numbers; no prose and no `Debug` text.
//! A value that can be non-finite is an `Option` (`null`).

use schemars::JsonSchema;
use serde::Serialize;

use crate::model::requirement::{Pace, Requirement};
use crate::model::{Aspect, Direction, Metric, Reading, Tier};
use crate::stats::results::{
    Driver, IndicatorResult, Results, SensitivityRow, TargetDetail, TargetResult, Warning,
};

/// Bumped when a key changes meaning or disappears (adding keys does not).
/// 2: warnings became objects, drivers name their subject and aspect.
pub const SCHEMA_VERSION: u32 = 2;

/// One object for one scenario; an array of objects for several.
pub fn render_all(all: &[Results]) -> String {
    let outputs: Vec<Output> = all.iter().map(Output::from).collect();
    let text = match outputs.as_slice() {
        [one] => serde_json::to_string_pretty(one),
        many => serde_json::to_string_pretty(many),
    };
    let mut s = text.unwrap_or_default();
    s.push('\n');
    s
}

/// The JSON Schema of one scenario's output, as committed in
/// `docs/results.schema.json`.
pub fn schema() -> String {
    // What serialising emits: `Option` fields are always there, as `null`.
    let schema = schemars::generate::SchemaSettings::draft2020_12()
        .for_serialize()
        .into_generator()
        .into_root_schema_for::<Output>();
    let mut s = serde_json::to_string_pretty(&schema).unwrap_or_default();
    s.push('\n');
    s
}

fn finite(x: f64) -> Option<f64> {
    x.is_finite().then_some(x)
}

/// One scenario's results.
#[derive(Debug, Serialize, JsonSchema)]
pub struct Output {
    /// The version of this contract; see `SCHEMA_VERSION`.
    pub schema_version: u32,
    pub scenario: Scenario,
    pub run: Run,
    /// Every target, in the file's order.
    pub targets: Vec<Target>,
    /// Every indicator, in the file's order.
    pub indicators: Vec<Indicator>,
    /// What a reader must know about the run.
    pub warnings: Vec<WarningOut>,
    /// With `--sensitivity`: each uncertain input moved down and up, the
    /// strongest swing first; otherwise `null`.
    pub sensitivity: Option<Vec<Sensitivity>>,
}

/// What was simulated.
#[derive(Debug, Serialize, JsonSchema)]
pub struct Scenario {
    /// `[scenario] name`.
    pub name: String,
    /// `[scenario] document`: the plan's title, if given.
    pub document: Option<String>,
    /// `[scenario] region`, if given.
    pub region: Option<String>,
    /// The scenario file as given on the command line.
    pub file: String,
    /// The last year whose values are known.
    pub base_year: i32,
    /// The last simulated year.
    pub horizon: i32,
}

/// How it was simulated.
#[derive(Debug, Serialize, JsonSchema)]
pub struct Run {
    /// Simulated paths.
    pub draws: u64,
    /// The random seed: with `draws`, the file and `overrides`, it fixes every number.
    pub seed: u64,
    /// Worker threads (never changes a number).
    pub threads: usize,
    /// Wall-clock seconds the simulation took.
    pub seconds: f64,
    /// `--set` overrides applied, as given.
    pub overrides: Vec<String>,
    /// `--precision`: the 95 % half-width asked for, or `null`.
    pub precision: Option<f64>,
    /// Whether every target's interval got that narrow before `--max-draws`;
    /// `null` without `--precision`.
    pub reached: Option<bool>,
    /// The version of dabiao that ran.
    pub dabiao_version: &'static str,
}

/// One target's probability and what lies behind it.
#[derive(Debug, Serialize, JsonSchema)]
pub struct Target {
    /// The target's id in the file.
    pub id: String,
    pub label: String,
    /// `floor` (must) or `stretch` (strive for).
    pub tier: Tier,
    #[serde(flatten)]
    pub kind: TargetKind,
    /// Paths on which the target held.
    pub hits: u64,
    pub draws: u64,
    /// `hits / draws`.
    pub probability: f64,
    /// The Wilson 95 % interval of the probability, `[low, high]`.
    pub ci95: [f64; 2],
    /// The standard error of the probability.
    pub std_error: f64,
    /// How paths that hit differ from paths that missed, strongest first.
    pub drivers: Vec<DriverOut>,
    /// Statistic targets only: the statistic's quantiles (`null` where it
    /// was never defined).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub outcome: Option<Option<Quantiles>>,
    /// Statistic targets only: whether every year it looks at is observed,
    /// so that the answer is the data's.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub observed: Option<bool>,
    /// Statistic targets only: the target's arithmetic, where it has one.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub requirement: Option<RequirementOut>,
}

/// What a target asks: a statistic of one indicator, or a combination of
/// other targets.
#[derive(Debug, Serialize, JsonSchema)]
#[serde(untagged)]
pub enum TargetKind {
    Stat {
        /// The indicator's id.
        indicator: String,
        metric: Metric,
        /// The first year the statistic looks at.
        from: i32,
        /// The last year the statistic looks at.
        to: i32,
        threshold: Option<f64>,
        direction: Direction,
    },
    Composite {
        composite: Composite,
        /// The member targets' ids.
        members: Vec<String>,
    },
}

/// How a composite combines its members.
#[derive(Debug, Serialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum Composite {
    /// Every member holds.
    All,
    /// At least one member holds.
    Any,
}

/// What about a driver's subject differs between hits and misses.
#[derive(Debug, Serialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum AspectName {
    /// Realised average yearly growth of a level or formula.
    Growth,
    /// Realised average yearly change of a share.
    Change,
    /// Realised average yearly net additions of a count.
    NetAdditions,
    /// How many years a shock struck.
    Strikes,
    /// An uncertain base-year value, drawn per path (its year in `year`).
    Base,
    /// An uncertain growth trend, drawn per path.
    Trend,
    /// An uncertain change trend of a share, drawn per path.
    ChangeTrend,
    /// An uncertain mean of yearly entries, drawn per path.
    MeanEntries,
    /// An uncertain shock probability, drawn per path.
    Probability,
    /// An uncertain mean effect of a shock, drawn per path.
    EffectMean,
}

/// The 5th, 25th, 50th, 75th and 95th percentiles.
#[derive(Debug, Serialize, JsonSchema)]
pub struct Quantiles {
    pub p5: Option<f64>,
    pub p25: Option<f64>,
    pub p50: Option<f64>,
    pub p75: Option<f64>,
    pub p95: Option<f64>,
}

impl Quantiles {
    fn of(q: [Option<f64>; 5]) -> Quantiles {
        let [p5, p25, p50, p75, p95] = q;
        Quantiles {
            p5,
            p25,
            p50,
            p75,
            p95,
        }
    }
}

/// An input whose average differs between paths that hit and paths that
/// missed (tallied on every 16th path).
#[derive(Debug, Serialize, JsonSchema)]
pub struct DriverOut {
    /// The indicator's or shock's label, or the drawn parameter's path.
    pub subject: String,
    pub aspect: AspectName,
    /// The year of a drawn `base`; `null` for other aspects.
    pub year: Option<i32>,
    /// The input's mean on paths that hit.
    pub hit_mean: Option<f64>,
    /// The input's mean on paths that missed.
    pub miss_mean: Option<f64>,
    /// The difference of the means in pooled standard deviations.
    pub effect: Option<f64>,
}

/// A target's arithmetic: what it needs, from where, against what is assumed.
#[derive(Debug, Serialize, JsonSchema)]
pub struct RequirementOut {
    /// The year the required pace starts from.
    pub anchor_year: i32,
    /// The value there (the central value if the base is uncertain).
    pub anchor_value: Option<f64>,
    /// Whether the base is uncertain (drawn per path).
    pub base_uncertain: bool,
    /// The value the target needs in its last year, where one value says it.
    pub needed_value: Option<f64>,
    /// The yearly pace the target requires.
    pub required_per_year: Option<f64>,
    /// The yearly pace the scenario assumes.
    pub assumed_per_year: Option<f64>,
    /// How pace is measured: compound growth, a share's change in points,
    /// or a count's net additions.
    pub pace: Pace,
}

/// One indicator's simulated paths, summarised year by year.
#[derive(Debug, Serialize, JsonSchema)]
pub struct Indicator {
    pub id: String,
    pub label: String,
    pub unit: String,
    /// `level`, `count`, `share` or `formula` (a formula whose unit is a
    /// share reads as `share`).
    pub kind: Reading,
    /// The years below, from the first observed to the horizon.
    pub years: Vec<i32>,
    /// Quantiles of the value in each year.
    pub quantiles: YearQuantiles,
    /// The mean value in each year.
    pub mean: Vec<Option<f64>>,
    /// The observed value in each year, where there is one.
    pub observed: Vec<Option<f64>>,
}

/// Quantiles of a value, one entry a year.
#[derive(Debug, Serialize, JsonSchema)]
pub struct YearQuantiles {
    pub p5: Vec<Option<f64>>,
    pub p25: Vec<Option<f64>>,
    pub p50: Vec<Option<f64>>,
    pub p75: Vec<Option<f64>>,
    pub p95: Vec<Option<f64>>,
}

/// Something a reader must know, as data; `kind` says which.
#[derive(Debug, Serialize, JsonSchema)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum WarningOut {
    /// A level's growth fell below −100 % and it stopped at 0.
    StoppedAtZero {
        /// The indicator's id.
        indicator: String,
        /// The share of paths it happened on.
        share: f64,
    },
    /// A share left [0, 1] and was held at the bound.
    Clamped {
        /// The indicator's id.
        indicator: String,
        /// The share of paths it happened on.
        share: f64,
    },
    /// A target's statistic was undefined (e.g. a division by zero) and
    /// counted as a miss.
    Undefined {
        /// The target's id.
        target: String,
        /// The share of paths it happened on.
        share: f64,
    },
    /// `--max-draws` stopped the run before `--precision` was reached.
    PrecisionNotReached {
        /// The 95 % half-width asked for.
        half_width: f64,
        /// The draws made.
        draws: u64,
    },
    /// The correlation matrix was not valid; the nearest valid one was used.
    RepairedCorrelation {
        /// The pairs that moved by more than 0.0005.
        changes: Vec<CorrelationChange>,
    },
}

/// One correlation moved by the repair.
#[derive(Debug, Serialize, JsonSchema)]
pub struct CorrelationChange {
    /// The indicators' ids.
    pub a: String,
    pub b: String,
    /// The correlation in the file, and the one used.
    pub was: f64,
    pub now: f64,
}

/// One input moved down and up by `--sensitivity`.
#[derive(Debug, Serialize, JsonSchema)]
pub struct Sensitivity {
    /// The input's path in the scenario.
    pub parameter: String,
    /// Its central value moved down, and up.
    pub low: Option<f64>,
    pub high: Option<f64>,
    /// Every target's probability at both.
    pub targets: Vec<SensitivityTarget>,
}

/// A target's probability with one input moved down and up.
#[derive(Debug, Serialize, JsonSchema)]
pub struct SensitivityTarget {
    pub id: String,
    pub probability_low: f64,
    pub probability_high: f64,
}

impl From<&Results> for Output {
    fn from(r: &Results) -> Output {
        Output {
            schema_version: SCHEMA_VERSION,
            scenario: Scenario {
                name: r.name.clone(),
                document: r.document.clone(),
                region: r.region.clone(),
                file: r.run.file.clone(),
                base_year: r.base_year,
                horizon: r.horizon,
            },
            run: Run {
                draws: r.run.draws,
                seed: r.run.seed,
                threads: r.run.threads,
                seconds: r.run.seconds,
                overrides: r.run.overrides.clone(),
                precision: r.run.precision.map(|p| p.half_width),
                reached: r.run.precision.map(|p| p.reached),
                dabiao_version: env!("CARGO_PKG_VERSION"),
            },
            targets: r.targets.iter().map(Target::from).collect(),
            indicators: r.indicators.iter().map(Indicator::from).collect(),
            warnings: r.warnings.iter().map(WarningOut::from).collect(),
            sensitivity: r
                .sensitivity
                .as_ref()
                .map(|rows| rows.iter().map(Sensitivity::from).collect()),
        }
    }
}

impl From<&TargetResult> for Target {
    fn from(t: &TargetResult) -> Target {
        let (kind, outcome, observed, requirement) = match &t.detail {
            TargetDetail::Stat {
                indicator,
                metric,
                from,
                to,
                threshold,
                direction,
                outcome,
                observed,
                requirement,
                ..
            } => (
                TargetKind::Stat {
                    indicator: indicator.clone(),
                    metric: *metric,
                    from: *from,
                    to: *to,
                    threshold: finite(*threshold),
                    direction: *direction,
                },
                Some(outcome.map(|o| Quantiles::of(o.map(finite)))),
                Some(*observed),
                requirement.as_ref().map(RequirementOut::from),
            ),
            TargetDetail::Composite { all, members } => (
                TargetKind::Composite {
                    composite: if *all { Composite::All } else { Composite::Any },
                    members: members.clone(),
                },
                None,
                None,
                None,
            ),
        };
        Target {
            id: t.id.clone(),
            label: t.label.clone(),
            tier: t.tier,
            kind,
            hits: t.estimate.hits,
            draws: t.estimate.draws,
            probability: t.estimate.probability,
            ci95: [t.estimate.ci95.0, t.estimate.ci95.1],
            std_error: t.estimate.std_error(),
            drivers: t.drivers.iter().map(DriverOut::from).collect(),
            outcome,
            observed,
            requirement,
        }
    }
}

impl From<&Driver> for DriverOut {
    fn from(d: &Driver) -> DriverOut {
        let (aspect, year) = match d.aspect {
            Aspect::Growth => (AspectName::Growth, None),
            Aspect::Change => (AspectName::Change, None),
            Aspect::NetAdditions => (AspectName::NetAdditions, None),
            Aspect::Strikes => (AspectName::Strikes, None),
            Aspect::Base(year) => (AspectName::Base, Some(year)),
            Aspect::Trend => (AspectName::Trend, None),
            Aspect::ChangeTrend => (AspectName::ChangeTrend, None),
            Aspect::MeanEntries => (AspectName::MeanEntries, None),
            Aspect::Probability => (AspectName::Probability, None),
            Aspect::EffectMean => (AspectName::EffectMean, None),
        };
        DriverOut {
            subject: d.subject.clone(),
            aspect,
            year,
            hit_mean: finite(d.hit_mean),
            miss_mean: finite(d.miss_mean),
            effect: finite(d.effect),
        }
    }
}

impl From<&Requirement> for RequirementOut {
    fn from(q: &Requirement) -> RequirementOut {
        RequirementOut {
            anchor_year: q.anchor_year,
            anchor_value: finite(q.anchor_value),
            base_uncertain: q.base_uncertain,
            needed_value: q.needed_value,
            required_per_year: q.required,
            assumed_per_year: q.assumed,
            pace: q.pace,
        }
    }
}

impl From<&IndicatorResult> for Indicator {
    fn from(i: &IndicatorResult) -> Indicator {
        let [p5, p25, p50, p75, p95] = i.quantiles.clone();
        Indicator {
            id: i.id.clone(),
            label: i.label.clone(),
            unit: i.unit.clone(),
            kind: i.kind,
            years: i.years.clone(),
            quantiles: YearQuantiles {
                p5,
                p25,
                p50,
                p75,
                p95,
            },
            mean: i.mean.clone(),
            observed: i.observed.clone(),
        }
    }
}

impl From<&Warning> for WarningOut {
    fn from(w: &Warning) -> WarningOut {
        match w {
            Warning::StoppedAtZero { indicator, share } => WarningOut::StoppedAtZero {
                indicator: indicator.clone(),
                share: *share,
            },
            Warning::Clamped { indicator, share } => WarningOut::Clamped {
                indicator: indicator.clone(),
                share: *share,
            },
            Warning::Undefined { target, share } => WarningOut::Undefined {
                target: target.clone(),
                share: *share,
            },
            Warning::PrecisionNotReached { half_width, draws } => WarningOut::PrecisionNotReached {
                half_width: *half_width,
                draws: *draws,
            },
            Warning::RepairedCorrelation { changes } => WarningOut::RepairedCorrelation {
                changes: changes
                    .iter()
                    .map(|(a, b, was, now)| CorrelationChange {
                        a: a.clone(),
                        b: b.clone(),
                        was: *was,
                        now: *now,
                    })
                    .collect(),
            },
        }
    }
}

impl From<&SensitivityRow> for Sensitivity {
    fn from(row: &SensitivityRow) -> Sensitivity {
        Sensitivity {
            parameter: row.parameter.clone(),
            low: finite(row.low),
            high: finite(row.high),
            targets: row
                .targets
                .iter()
                .map(|(id, low, high)| SensitivityTarget {
                    id: id.clone(),
                    probability_low: *low,
                    probability_high: *high,
                })
                .collect(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn name_of(v: impl Serialize) -> String {
        serde_json::to_value(v)
            .unwrap()
            .as_str()
            .unwrap()
            .to_string()
    }

    #[test]
    fn enums_serialise_as_their_names() {
        for m in Metric::ALL {
            assert_eq!(name_of(m), m.name());
        }
        for d in [Direction::AtLeast, Direction::AtMost] {
            assert_eq!(name_of(d), d.name());
        }
        for t in [Tier::Floor, Tier::Stretch] {
            assert_eq!(name_of(t), t.name());
        }
    }
}
