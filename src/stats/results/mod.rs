//! The summary of a run: probabilities with Wilson intervals, quantiles of
//! every target's statistic and of every indicator's path, the arithmetic of
//! each target, and the warnings a reader must see. Plain numbers; the
//! renderers in `report` turn them into text. These types are also the JSON
//! contract; [`finish`] (in `finish.rs`) computes them from a tally.

mod finish;

pub use finish::{finish, target_estimate, DRIVER_SIGNIFICANCE, MIN_DRIVER_PATHS};

use schemars::JsonSchema;
use serde::Serialize;

use super::tally::PairCounts;
use super::{replicate_variance, t95, wilson, wilson_at, Z95};
use crate::model::requirement::Requirement;
use crate::model::{
    Aspect, Direction, Metric, Model, Reading, TargetKind, Tier, Unmodelled, VariantName,
};

/// The quantile levels reported everywhere.
pub const LEVELS: [f64; 5] = [0.05, 0.25, 0.5, 0.75, 0.95];
pub const LEVEL_NAMES: [&str; 5] = ["p5", "p25", "p50", "p75", "p95"];

/// What was simulated.
#[derive(Debug, Clone, PartialEq, Serialize, JsonSchema)]
pub struct ScenarioInfo {
    /// `[scenario] name`.
    pub name: String,
    /// `[scenario] document`: the plan's title, if given.
    pub document: Option<String>,
    /// `[scenario] region`, if given.
    pub region: Option<String>,
    /// The scenario file as given on the command line.
    pub file: String,
    /// The `[variants]` entry applied (`--variant`), or `null` for the file as written.
    pub variant: Option<VariantName>,
    /// SHA-256 of the scenario file's bytes, in hex.
    pub sha256: Option<String>,
    /// The last year whose values are known.
    pub base_year: i32,
    /// The last simulated year.
    pub horizon: i32,
}

/// How it was simulated.
#[derive(Debug, Clone, PartialEq, Serialize, JsonSchema)]
pub struct RunInfo {
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
    /// How paths were drawn: `mc` (independent), `antithetic` (pairs) or
    /// `sobol` (randomised quasi-Monte Carlo in replicates).
    pub sampler: &'static str,
    /// `--precision`: the 95 % half-width asked for, or `null`.
    pub precision: Option<f64>,
    /// Whether every target's interval got that narrow before `--max-draws`;
    /// `null` without `--precision`.
    pub reached: Option<bool>,
    /// The version of dabiao that ran.
    pub dabiao_version: &'static str,
}

impl RunInfo {
    /// A run of `draws` paths from `seed`, without `--precision`.
    pub fn new(
        draws: u64,
        seed: u64,
        threads: usize,
        seconds: f64,
        overrides: Vec<String>,
    ) -> RunInfo {
        RunInfo {
            draws,
            seed,
            threads,
            seconds,
            overrides,
            sampler: "mc",
            precision: None,
            reached: None,
            dabiao_version: env!("CARGO_PKG_VERSION"),
        }
    }
}

/// One input moved down and up by `--sensitivity`.
#[derive(Debug, Clone, PartialEq, Serialize, JsonSchema)]
pub struct SensitivityRow {
    /// The input's path in the scenario.
    pub parameter: String,
    /// What the input belongs to, in the plan's words: the indicator's,
    /// shock's or target's label.
    pub subject: String,
    /// Which of its inputs moved.
    pub input: SensitivityInput,
    /// Its central value moved down, and up.
    #[schemars(with = "Option<f64>")]
    pub low: f64,
    #[schemars(with = "Option<f64>")]
    pub high: f64,
    /// How far it was moved, and why that far.
    pub step: SensitivityStep,
    /// Every target's probability at both.
    pub targets: Vec<SensitivityTarget>,
}

/// Which input of an indicator, shock or target `--sensitivity` moved.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum SensitivityInput {
    /// A level's mean growth.
    GrowthMean,
    /// A share's mean change.
    ChangeMean,
    /// The sd of a level's growth or a share's change.
    Sd,
    /// The AR(1) persistence of growth or change.
    Persistence,
    /// The base-year value.
    Base,
    /// A count's mean entries a year.
    MeanEntries,
    /// A count's exit rate.
    ExitRate,
    /// A shock's probability a year.
    ShockProbability,
    /// A target's threshold.
    Threshold,
}

/// The step `--sensitivity` moves an input by, on the input's own scale.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum SensitivityStep {
    /// One sd of the input's own distribution (it is drawn per path).
    OneSd,
    /// `--delta` (a fixed mean growth, in points a year).
    Delta,
    /// A tenth of `--delta` (a fixed mean change of a share).
    TenthOfDelta,
    /// 10 % of its value (a fixed probability or mean entries).
    TenPercent,
}

/// A target's probability with one input moved down and up.
#[derive(Debug, Clone, PartialEq, Serialize, JsonSchema)]
pub struct SensitivityTarget {
    pub id: String,
    pub probability_low: f64,
    pub probability_high: f64,
}

impl SensitivityTarget {
    /// How far the probability moves, up or down.
    pub fn swing(&self) -> f64 {
        (self.probability_high - self.probability_low).abs()
    }
}

impl SensitivityRow {
    /// The largest change of any target's probability.
    pub fn swing(&self) -> f64 {
        self.targets
            .iter()
            .map(SensitivityTarget::swing)
            .fold(0.0, f64::max)
    }

    /// The target this input moves most.
    pub fn most_moved(&self) -> Option<&SensitivityTarget> {
        self.targets
            .iter()
            .max_by(|x, y| x.swing().total_cmp(&y.swing()))
    }
}

/// A probability on the calibrated likelihood scale.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Verdict {
    VirtuallyCertain,
    VeryLikely,
    Likely,
    AsLikelyAsNot,
    Unlikely,
    VeryUnlikely,
    ExceptionallyUnlikely,
}

impl Verdict {
    /// ≥ 99 %, ≥ 90 %, ≥ 66 %, ≥ 33 %, ≥ 10 %, ≥ 1 %, below.
    pub fn of(p: f64) -> Verdict {
        match p {
            p if p >= 0.99 => Verdict::VirtuallyCertain,
            p if p >= 0.90 => Verdict::VeryLikely,
            p if p >= 0.66 => Verdict::Likely,
            p if p >= 0.33 => Verdict::AsLikelyAsNot,
            p if p >= 0.10 => Verdict::Unlikely,
            p if p >= 0.01 => Verdict::VeryUnlikely,
            _ => Verdict::ExceptionallyUnlikely,
        }
    }
}

/// A probability with its interval.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, JsonSchema)]
pub struct Estimate {
    /// Paths on which the target held.
    pub hits: u64,
    pub draws: u64,
    /// The probability: `hits / draws`, or with quasi-Monte Carlo, for a
    /// value target on a year of a normal-growth indicator, the mean over
    /// paths of the probability that the year carried it past the threshold
    /// given everything before (estimated by conditioning).
    pub probability: f64,
    /// The Wilson 95 % interval of the probability, `[low, high]`. With
    /// antithetic pairs, at the effective number of draws that the variance
    /// between pairs implies (and, where no pair varies, at the number of
    /// pairs: as if each pair were one draw). With quasi-Monte Carlo, at the
    /// effective number the spread between replicates implies, with
    /// Student's t for their degrees of freedom.
    pub ci95: (f64, f64),
    /// The probability's standard error: binomial, from the variance
    /// between antithetic pairs, or from the spread between quasi-Monte
    /// Carlo replicates.
    pub std_error: f64,
}

impl Estimate {
    pub fn new(hits: u64, draws: u64) -> Estimate {
        let p = hits as f64 / draws.max(1) as f64;
        Estimate {
            hits,
            draws,
            probability: p,
            ci95: wilson(hits, draws, Z95),
            std_error: (p * (1.0 - p) / draws.max(1) as f64).sqrt(),
        }
    }

    /// The estimate from antithetic pairs: the standard error from the
    /// variance of the pairs' means (pairs are independent; the two paths
    /// of one are not). Needs two pairs or more; a lone last path counts in
    /// the probability, not in the variance.
    pub fn paired(hits: u64, draws: u64, pairs: &PairCounts) -> Estimate {
        let m = pairs.pairs as f64;
        if pairs.pairs < 2 {
            return Estimate::new(hits, draws);
        }
        let p = hits as f64 / draws as f64;
        let mean = (0.5 * pairs.one as f64 + pairs.both as f64) / m;
        let squares = 0.25 * pairs.one as f64 + pairs.both as f64;
        let variance = ((squares - m * mean * mean) / (m - 1.0)).max(0.0);
        let se = (variance / m).sqrt();
        let ci95 = if hits == 0 || hits == draws || variance == 0.0 {
            // Nothing to estimate a variance from: count each pair as one draw.
            wilson((p * m).round() as u64, pairs.pairs, Z95)
        } else {
            wilson_at(p, p * (1.0 - p) / (se * se), Z95)
        };
        Estimate {
            hits,
            draws,
            probability: p,
            ci95,
            std_error: if variance == 0.0 {
                (p * (1.0 - p) / m).sqrt()
            } else {
                se
            },
        }
    }

    /// The estimate from independently scrambled quasi-Monte Carlo
    /// replicates, `replicate_hits[r]` hits in `replicate_draws[r]` draws:
    /// the standard error from the spread of the replicates' hits about the
    /// pooled probability (a ratio estimator's, which is the spread of
    /// their means when all are the same size), and the interval at the
    /// effective number of draws it implies, with Student's t for the
    /// replicates' degrees of freedom in place of the normal's 1.96. Where
    /// no replicate differs (no hit, every path, or a net so even that
    /// every replicate counted the same), the interval is the binomial
    /// one: quasi-Monte Carlo does not do worse than independent draws.
    pub fn replicated(
        hits: u64,
        draws: u64,
        replicate_hits: impl Iterator<Item = u64>,
        replicate_draws: &[u64],
    ) -> Estimate {
        let p = hits as f64 / draws as f64;
        let replicates = replicate_draws.iter().zip(replicate_hits);
        let replicates = replicates.map(|(&n, h)| (n as f64, h as f64));
        let Some((variance, df)) = replicate_variance(p, replicates) else {
            return Estimate::new(hits, draws);
        };
        if hits == 0 || hits == draws || variance == 0.0 {
            return Estimate::new(hits, draws);
        }
        Estimate {
            hits,
            draws,
            probability: p,
            ci95: wilson_at(p, p * (1.0 - p) / variance, t95(df)),
            std_error: variance.sqrt(),
        }
    }

    /// The estimate by conditioning from quasi-Monte Carlo replicates: each
    /// path counted the probability that the target held given what came
    /// before its year, `replicate_sums[r]` summed over `replicate_draws[r]`
    /// paths. The standard error and interval from the replicates' spread,
    /// as [`Estimate::replicated`]; `hits` stays the paths on which the
    /// target held.
    pub fn conditioned(
        hits: u64,
        draws: u64,
        replicate_sums: &[f64],
        replicate_draws: &[u64],
    ) -> Estimate {
        let p = (replicate_sums.iter().sum::<f64>() / draws as f64).clamp(0.0, 1.0);
        let replicates = replicate_draws.iter().map(|&n| n as f64);
        let variance = replicate_variance(p, replicates.zip(replicate_sums.iter().copied()));
        match variance {
            Some((variance, df)) if variance > 0.0 && p > 0.0 && p < 1.0 => Estimate {
                hits,
                draws,
                probability: p,
                ci95: wilson_at(p, p * (1.0 - p) / variance, t95(df)),
                std_error: variance.sqrt(),
            },
            // Every replicate the same: an interval as if from hits.
            _ => Estimate {
                hits,
                probability: p,
                ..Estimate::new((p * draws as f64).round() as u64, draws)
            },
        }
    }

    /// Whether the probability is 0 or 1 (no path, or every path, hit): it
    /// is a bound.
    pub fn is_bound(&self) -> bool {
        self.probability == 0.0 || self.probability == 1.0
    }
}

/// The running estimates of every target after some draws, in chunk order.
#[derive(Debug, Clone, PartialEq)]
pub struct ConvergencePoint {
    pub draws: u64,
    pub targets: Vec<Estimate>,
}

/// One scenario's results: what every report renders, and (the fields not
/// marked `skip`) the JSON contract, documented field by field.
#[derive(Debug, Clone, PartialEq, Serialize, JsonSchema)]
pub struct Results {
    pub scenario: ScenarioInfo,
    pub run: RunInfo,
    /// Every target, in the file's order.
    pub targets: Vec<TargetResult>,
    /// The plan's targets the scenario lists but does not simulate, with why.
    pub unmodelled: Vec<Unmodelled>,
    /// Every indicator, in the file's order.
    pub indicators: Vec<IndicatorResult>,
    /// What a reader must know about the run.
    pub warnings: Vec<Warning>,
    /// With `--sensitivity`: each uncertain input moved down and up, the
    /// strongest swing first; otherwise `null`.
    pub sensitivity: Option<Vec<SensitivityRow>>,
    /// Every floor and every stretch statistic target at once (`None` if a
    /// tier has no targets).
    #[serde(skip)]
    pub joint_floor: Option<Estimate>,
    #[serde(skip)]
    pub joint_stretch: Option<Estimate>,
    #[serde(skip)]
    pub convergence: Vec<ConvergencePoint>,
    #[serde(skip)]
    pub assumptions: Vec<super::assumptions::Assumption>,
    #[serde(skip)]
    pub assumed_shocks: Vec<super::assumptions::ShockAssumption>,
    #[serde(skip)]
    pub assumed_correlations: Vec<super::assumptions::CorrelationAssumption>,
}

/// One target's probability and what lies behind it.
#[derive(Debug, Clone, PartialEq, Serialize, JsonSchema)]
pub struct TargetResult {
    /// The target's id in the file.
    pub id: String,
    pub label: String,
    /// `floor` (must) or `stretch` (strive for).
    pub tier: Tier,
    #[serde(flatten)]
    pub detail: TargetDetail,
    /// Paths that hit, of how many, the probability and its interval.
    /// For a rare target estimated by importance sampling (`importance`),
    /// the hits are those of the shifted paths, and the probability the
    /// mean of their likelihood ratios.
    #[serde(flatten)]
    pub estimate: Estimate,
    /// Set when the run put the target below 0.1 % and importance sampling
    /// estimated it again (`estimate` is then that estimate).
    pub importance: Option<Importance>,
    /// How paths that hit differ from paths that missed, strongest first.
    pub drivers: Vec<Driver>,
    #[serde(skip)]
    pub verdict: Verdict,
}

/// How a rare target's probability was estimated by importance sampling.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, JsonSchema)]
pub struct Importance {
    /// The run's own estimate, before importance sampling.
    pub run: Estimate,
    /// The length of the mean shift of the normal scores, in standard
    /// deviations.
    pub shift: f64,
    /// Pilot rounds the cross-entropy method took to choose the shift.
    pub pilots: usize,
}

/// An input whose average differs between paths that hit and paths that
/// missed (tallied on every 16th path).
#[derive(Debug, Clone, PartialEq, Serialize, JsonSchema)]
pub struct Driver {
    /// The indicator's or shock's label.
    pub subject: String,
    pub aspect: Aspect,
    /// The year of a drawn `base`; `null` for other aspects.
    pub year: Option<i32>,
    /// Whether the input is the target's own indicator's realised movement:
    /// part of the outcome rather than an explanation of it.
    #[serde(skip)]
    pub own_outcome: bool,
    /// Whether the input is drawn before anything happens (a per-path
    /// parameter) or strikes from outside (a shock): a cause, not a symptom.
    #[serde(skip)]
    pub exogenous: bool,
    #[serde(skip)]
    pub unit: DriverUnit,
    /// The input's mean on paths that hit.
    #[schemars(with = "Option<f64>")]
    pub hit_mean: f64,
    /// The input's mean on paths that missed.
    #[schemars(with = "Option<f64>")]
    pub miss_mean: f64,
    /// The difference of the means in pooled standard deviations.
    #[schemars(with = "Option<f64>")]
    pub effect: f64,
}

/// How a driver's values read.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DriverUnit {
    /// A growth rate (levels, formulas).
    Rate,
    /// A change in a share, per year.
    Points,
    /// Net additions per year.
    PerYear,
    /// Occurrences of a shock.
    Times,
    /// A fraction shown as a percentage (a share's base, a rate, a probability).
    Fraction,
    /// A drawn parameter, in its own units.
    Value,
}

impl TargetResult {
    /// The driver that best says why the target is missed, if it is both hit
    /// and missed. Causes before symptoms: a drawn base or trend, or a shock,
    /// that separates hits from misses clearly (|effect| ≥ 0.3); then another
    /// indicator's growth (≥ 0.2); the target's own growth (the outcome) last.
    pub fn main_driver(&self) -> Option<&Driver> {
        if self.estimate.is_bound() {
            return None;
        }
        let d = &self.drivers;
        d.iter()
            .find(|d| d.exogenous && d.effect.abs() >= 0.3)
            .or_else(|| d.iter().find(|d| !d.own_outcome && d.effect.abs() >= 0.2))
            .or(d.first())
    }
}

impl Results {
    /// How each input moves target `id`: `(input, probability low, probability
    /// high)`, largest swing first, leaving out inputs that do not move it.
    pub fn sensitivity_of(&self, id: &str) -> Vec<(&SensitivityRow, f64, f64)> {
        let Some(rows) = &self.sensitivity else {
            return Vec::new();
        };
        let mut bars: Vec<(&SensitivityRow, f64, f64)> = rows
            .iter()
            .filter_map(|row| {
                row.targets
                    .iter()
                    .find(|x| x.id == id)
                    .map(|x| (row, x.probability_low, x.probability_high))
            })
            .filter(|(_, a, b)| a != b)
            .collect();
        bars.sort_by(|a, b| (b.2 - b.1).abs().total_cmp(&(a.2 - a.1).abs()));
        bars
    }
}

/// What a target asks: a statistic of one indicator, or a combination of
/// other targets.
#[derive(Debug, Clone, PartialEq, Serialize, JsonSchema)]
#[serde(untagged)]
// One per target and run, never in a loop: boxing the larger variant buys nothing.
#[allow(clippy::large_enum_variant)]
pub enum TargetDetail {
    Stat {
        /// The indicator's id.
        indicator: String,
        /// `level`, `count`, `share` or `formula`: how values read.
        #[serde(skip)]
        indicator_kind: Reading,
        #[serde(skip)]
        unit: String,
        metric: Metric,
        /// The first year the statistic looks at.
        from: i32,
        /// The last year the statistic looks at.
        to: i32,
        #[schemars(with = "Option<f64>")]
        threshold: f64,
        direction: Direction,
        /// The statistic's quantiles; `null` where it was never defined.
        #[schemars(with = "Option<Quantiles<Option<f64>>>")]
        outcome: Option<Quantiles<f64>>,
        /// The statistic's distribution as `(cumulative probability, value)`
        /// at 0, 1, 2, … 100 %: an empirical CDF on the real support.
        #[serde(skip)]
        ecdf: Vec<(f64, f64)>,
        /// Whether every year it looks at is observed, so that the answer is
        /// the data's.
        observed: bool,
        /// The target's arithmetic, where it has one.
        requirement: Option<Requirement>,
        /// Value targets over simulated years: when the condition holds.
        #[serde(flatten)]
        reached: Option<Reached>,
    },
    Composite {
        composite: Composite,
        /// The member targets' ids.
        members: Vec<String>,
    },
}

/// When a value target's condition holds, from the first simulated year to
/// the target's own (the question of a mid-term review, 中期评估).
#[derive(Debug, Clone, PartialEq, Serialize, JsonSchema)]
pub struct Reached {
    /// For each simulated year up to the target's, the probability that the
    /// condition holds in that year: `{"2024": 0.12, "2025": 0.31}`.
    #[serde(serialize_with = "year_map")]
    #[schemars(with = "std::collections::BTreeMap<String, f64>")]
    pub by_year: Vec<(i32, f64)>,
    /// The distribution of the first simulated year in which it holds, and
    /// `never`; the shares sum to 1: `{"2024": 0.12, "2025": 0.19, "never": 0.69}`.
    #[serde(serialize_with = "first_map")]
    #[schemars(with = "std::collections::BTreeMap<String, f64>")]
    pub first_reached: FirstReached,
}

/// The first year a condition holds, as shares of paths.
#[derive(Debug, Clone, PartialEq)]
pub struct FirstReached {
    pub years: Vec<(i32, f64)>,
    pub never: f64,
}

impl FirstReached {
    /// The share of paths on which it held at least once by `year`.
    pub fn by(&self, year: i32) -> f64 {
        self.years
            .iter()
            .filter(|(y, _)| *y <= year)
            .map(|(_, p)| p)
            .sum()
    }
}

fn year_map<S: serde::Serializer>(years: &[(i32, f64)], s: S) -> Result<S::Ok, S::Error> {
    s.collect_map(years.iter().map(|(y, p)| (y.to_string(), p)))
}

fn first_map<S: serde::Serializer>(f: &FirstReached, s: S) -> Result<S::Ok, S::Error> {
    let years = f.years.iter().map(|(y, p)| (y.to_string(), *p));
    s.collect_map(years.chain(std::iter::once(("never".to_string(), f.never))))
}

/// How a composite combines its members.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum Composite {
    /// Every member holds.
    All,
    /// At least one member holds.
    Any,
}

impl Composite {
    /// The name the file uses.
    pub fn name(self) -> &'static str {
        match self {
            Composite::All => "all",
            Composite::Any => "any",
        }
    }
}

/// The 5th, 25th, 50th, 75th and 95th percentiles.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, JsonSchema)]
#[schemars(rename = "Quantiles_of_{T}")]
pub struct Quantiles<T> {
    pub p5: T,
    pub p25: T,
    pub p50: T,
    pub p75: T,
    pub p95: T,
}

impl<T> Quantiles<T> {
    pub fn from_array([p5, p25, p50, p75, p95]: [T; 5]) -> Quantiles<T> {
        Quantiles {
            p5,
            p25,
            p50,
            p75,
            p95,
        }
    }

    /// The quantiles in the order of [`LEVELS`].
    pub fn each(&self) -> [&T; 5] {
        [&self.p5, &self.p25, &self.p50, &self.p75, &self.p95]
    }
}

impl<T> std::ops::Index<usize> for Quantiles<T> {
    type Output = T;

    /// The quantile at `LEVELS[k]`.
    fn index(&self, k: usize) -> &T {
        self.each()[k]
    }
}

/// One indicator's simulated paths, summarised year by year.
#[derive(Debug, Clone, PartialEq, Serialize, JsonSchema)]
pub struct IndicatorResult {
    pub id: String,
    pub label: String,
    pub unit: String,
    /// `level`, `count`, `share` or `formula` (a formula whose unit is a
    /// share reads as `share`).
    pub kind: Reading,
    /// The years below, from the first observed to the horizon.
    pub years: Vec<i32>,
    /// Quantiles of the value in each year.
    pub quantiles: Quantiles<Vec<Option<f64>>>,
    /// The mean value in each year.
    pub mean: Vec<Option<f64>>,
    /// The observed value in each year, where there is one.
    pub observed: Vec<Option<f64>>,
}

/// Something a reader must know, as data; `kind` says which.
#[derive(Debug, Clone, PartialEq, Serialize, JsonSchema)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Warning {
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
    /// The run put a target below 0.1 %, and its probability was estimated
    /// again by importance sampling (its `importance` says how).
    ImportanceSampled {
        /// The target's id.
        target: String,
        /// Paths of the run that hit it.
        hits: u64,
    },
    /// The correlation matrix was not valid; the nearest valid one was used.
    RepairedCorrelation {
        /// Which matrix: `pairs` (indicators) or `parameters`.
        of: CorrelationOf,
        /// The pairs that moved by more than 0.0005.
        changes: Vec<CorrelationChange>,
    },
}

/// The two copulas of `[correlation]`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum CorrelationOf {
    /// `pairs`: indicators' yearly deviates.
    Pairs,
    /// `parameters`: parameters drawn once per path.
    Parameters,
}

/// One correlation moved by the repair.
#[derive(Debug, Clone, PartialEq, Serialize, JsonSchema)]
pub struct CorrelationChange {
    /// The indicators' ids, or the parameters' paths.
    pub a: String,
    pub b: String,
    /// The correlation in the file, and the one used.
    pub was: f64,
    pub now: f64,
}
