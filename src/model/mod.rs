//! The validated, compiled scenario: plain data the engine runs on.
//!
//! Indicators, shocks and targets are addressed by index; distributions are
//! enums with their constants precomputed; formulas are postfix code. Nothing
//! here knows about TOML, files or the command line.

pub mod correlation;
pub mod dist;
mod drivers;
pub mod formula;
pub mod requirement;
pub mod shift;

pub use drivers::{Aspect, DriverInput};

use correlation::Matrix;
use dist::{Continuous, Param};
use formula::Formula;

/// How the engine draws paths.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum Sampler {
    /// Independent paths (plain Monte Carlo).
    MonteCarlo,
    /// Paths in antithetic pairs: the second path of each pair takes the
    /// first's normal scores negated and its uniforms reflected, wherever a
    /// draw is made from one; pairs are independent of each other. Counts'
    /// entries and exits by rejection are drawn independently.
    Antithetic,
    /// Randomised quasi-Monte Carlo: per-path parameters, normal scores,
    /// shocks and counts by inversion take their numbers from scrambled
    /// Sobol' points, in independently scrambled replicates (chunk `c` in
    /// replicate `c mod REPLICATES`), and intervals from the spread between
    /// replicates' means (`simulate::qmc`). The default: on the reference
    /// and every shipped plan it did better for the time it takes than
    /// antithetic pairs or independent paths (docs/performance.md).
    #[default]
    Sobol,
}

impl Sampler {
    pub const ALL: [Sampler; 3] = [Sampler::MonteCarlo, Sampler::Antithetic, Sampler::Sobol];

    /// The name the command line, JSON and parts use.
    pub fn name(self) -> &'static str {
        match self {
            Sampler::MonteCarlo => "mc",
            Sampler::Antithetic => "antithetic",
            Sampler::Sobol => "sobol",
        }
    }

    pub fn from_name(name: &str) -> Option<Sampler> {
        Sampler::ALL.into_iter().find(|s| s.name() == name)
    }
}

#[derive(Debug, Clone)]
pub struct Model {
    pub name: String,
    pub document: Option<String>,
    pub region: Option<String>,
    pub base_year: i32,
    pub horizon: i32,
    /// Earliest year any history or target reaches back to.
    pub first_year: i32,
    /// Defaults from `[run]`; the command line may replace them.
    pub draws: u64,
    pub seed: u64,
    /// How paths are drawn; set by the command line.
    pub sampler: Sampler,
    pub indicators: Vec<Indicator>,
    /// Parameters drawn once per path (uncertain means, bases, probabilities);
    /// `Param::Drawn(slot)` refers to `params[slot]`. Their own locations are fixed.
    pub params: Vec<Continuous>,
    /// Whose each per-path parameter is, and what of it.
    pub param_roles: Vec<Role>,
    pub correlation: Option<Correlation>,
    /// The copula over per-path parameters (`[correlation] parameters`);
    /// its members are slots of `params`.
    pub param_correlation: Option<Correlation>,
    pub shocks: Vec<Shock>,
    pub targets: Vec<Target>,
    /// Targets in evaluation order: statistics first, then composites after their members.
    pub target_order: Vec<usize>,
    /// Formula indicators in an order where every input comes first.
    pub formula_order: Vec<usize>,
    /// The plan's targets this scenario does not simulate, and why.
    pub unmodelled: Vec<Unmodelled>,
    /// The file's `[variants]`, and the one applied (if any).
    pub variants: Vec<VariantName>,
    pub variant: Option<VariantName>,
}

/// A variant of a scenario: its id under `[variants]` and its label.
#[derive(Debug, Clone, PartialEq, serde::Serialize, schemars::JsonSchema)]
pub struct VariantName {
    /// Its id under `[variants]`.
    pub id: String,
    /// What it assumes, in the file's words.
    pub label: String,
}

/// A target of the plan that the scenario lists but does not simulate.
#[derive(Debug, Clone, PartialEq, serde::Serialize, schemars::JsonSchema)]
pub struct Unmodelled {
    /// Its id under `[unmodelled]`.
    pub id: String,
    /// The plan's words.
    pub label: String,
    /// Why it is not simulated.
    pub why: String,
}

#[derive(Debug, Clone)]
pub struct Indicator {
    pub id: String,
    pub label: String,
    pub unit: String,
    pub source: Option<String>,
    pub kind: Kind,
    /// Known values by year index (`year − first_year`), for years up to
    /// `base_year`; `None` where nothing was observed or the base is uncertain.
    pub observed: Vec<Option<f64>>,
}

impl Indicator {
    /// How the indicator's values read: a formula whose unit is "share"
    /// reads as a share.
    pub fn reads_as(&self) -> Reading {
        match &self.kind {
            Kind::Level { .. } => Reading::Level,
            Kind::Count { .. } => Reading::Count,
            Kind::Share { .. } => Reading::Share,
            Kind::Formula(_) if self.unit == "share" => Reading::Share,
            Kind::Formula(_) => Reading::Formula,
        }
    }
}

/// Whose a per-path parameter is, and what it is of its owner: set when the
/// parameter is registered, so that nothing downstream reads a path.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Role {
    pub owner: Owner,
    pub aspect: ParamAspect,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Owner {
    Indicator(usize),
    Shock(usize),
}

/// What a per-path parameter is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ParamAspect {
    /// An indicator's uncertain base-year value.
    Base,
    /// A level's uncertain mean growth.
    Trend,
    /// A share's uncertain mean change.
    ChangeTrend,
    /// A count's uncertain mean entries a year.
    MeanEntries,
    /// A shock's uncertain probability a year.
    Probability,
    /// A shock's uncertain mean effect.
    EffectMean,
}

impl Role {
    pub fn indicator(i: usize, aspect: ParamAspect) -> Role {
        Role {
            owner: Owner::Indicator(i),
            aspect,
        }
    }

    pub fn shock(s: usize, aspect: ParamAspect) -> Role {
        Role {
            owner: Owner::Shock(s),
            aspect,
        }
    }
}

/// How an indicator's values read in reports: levels as numbers, counts
/// whole, shares as percentages.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, schemars::JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum Reading {
    Level,
    Count,
    Share,
    Formula,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Compounding {
    /// `X_t = X_{t−1}·(1 + g_t)`, stopping at 0.
    Simple,
    /// `X_t = X_{t−1}·exp(g_t)`
    Log,
}

#[derive(Debug, Clone)]
pub enum Kind {
    Level {
        base: Param,
        growth: Continuous,
        persistence: f64,
        compounding: Compounding,
    },
    Share {
        base: Param,
        change: Continuous,
        persistence: f64,
    },
    Count {
        base: Param,
        entries: Entries,
        exit_rate: f64,
    },
    Formula(Formula),
}

impl Kind {
    pub fn name(&self) -> &'static str {
        match self {
            Kind::Level { .. } => "level",
            Kind::Share { .. } => "share",
            Kind::Count { .. } => "count",
            Kind::Formula(_) => "formula",
        }
    }

    /// The base-year value, for the kinds that have one.
    pub fn base(&self) -> Option<Param> {
        match self {
            Kind::Level { base, .. } | Kind::Share { base, .. } | Kind::Count { base, .. } => {
                Some(*base)
            }
            Kind::Formula(_) => None,
        }
    }

    /// The yearly growth (level) or change (share) distribution.
    pub fn deviate(&self) -> Option<&Continuous> {
        match self {
            Kind::Level { growth, .. } => Some(growth),
            Kind::Share { change, .. } => Some(change),
            _ => None,
        }
    }
}

/// Yearly additions to a count: Poisson, or negative binomial as a
/// gamma–Poisson mixture with the given dispersion.
#[derive(Debug, Clone)]
pub struct Entries {
    pub mean: Param,
    pub dispersion: Option<f64>,
}

#[derive(Debug, Clone)]
pub struct Correlation {
    /// Indicator indices (or parameter slots), in matrix order.
    pub members: Vec<usize>,
    /// The matrix the engine uses (repaired if the file asked for it).
    pub matrix: Matrix,
    pub cholesky: Matrix,
    /// The matrix as written, when `repair = true` had to change it.
    pub repaired_from: Option<Matrix>,
}

#[derive(Debug, Clone)]
pub struct Shock {
    pub id: String,
    pub label: String,
    pub probability: Param,
    pub effect: Continuous,
    /// `(indicator index, loading)`
    pub loadings: Vec<(usize, f64)>,
    pub first: i32,
    pub last: i32,
}

/// Serialised by its `name()` (a test holds the two equal).
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, schemars::JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum Tier {
    Floor,
    Stretch,
}

impl Tier {
    pub fn name(self) -> &'static str {
        match self {
            Tier::Floor => "floor",
            Tier::Stretch => "stretch",
        }
    }
}

/// Serialised by its `name()` (a test holds the two equal).
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, schemars::JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum Direction {
    /// The threshold or more (达到).
    AtLeast,
    /// The threshold or less.
    AtMost,
    /// More than the threshold (突破, 超过).
    Above,
    /// Less than the threshold.
    Below,
}

impl Direction {
    pub const ALL: [Direction; 4] = [
        Direction::AtLeast,
        Direction::AtMost,
        Direction::Above,
        Direction::Below,
    ];

    /// The target's key in the file.
    pub fn name(self) -> &'static str {
        match self {
            Direction::AtLeast => "at_least",
            Direction::AtMost => "at_most",
            Direction::Above => "above",
            Direction::Below => "below",
        }
    }

    /// Whether higher values are the ones that hit.
    pub fn wants_high(self) -> bool {
        matches!(self, Direction::AtLeast | Direction::Above)
    }

    /// Whether a statistic meets the threshold; an undefined or infinite
    /// statistic (a division by zero) never does.
    #[inline]
    pub fn holds(self, statistic: f64, threshold: f64) -> bool {
        statistic.is_finite()
            && match self {
                Direction::AtLeast => statistic >= threshold,
                Direction::AtMost => statistic <= threshold,
                Direction::Above => statistic > threshold,
                Direction::Below => statistic < threshold,
            }
    }
}

/// Serialised by its `name()` (a test holds the two equal).
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, schemars::JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum Metric {
    Value,
    Cagr,
    Change,
    Increase,
    MinGrowth,
    MinIncrease,
    /// A count's gross entries summed over (from, to], before exits.
    Entries,
    /// A count's smallest single-year gross entries in (from, to].
    MinEntries,
}

impl Metric {
    pub const ALL: [Metric; 8] = [
        Metric::Value,
        Metric::Cagr,
        Metric::Change,
        Metric::Increase,
        Metric::MinGrowth,
        Metric::MinIncrease,
        Metric::Entries,
        Metric::MinEntries,
    ];

    pub fn name(self) -> &'static str {
        match self {
            Metric::Value => "value",
            Metric::Cagr => "cagr",
            Metric::Change => "change",
            Metric::Increase => "increase",
            Metric::MinGrowth => "min_growth",
            Metric::MinIncrease => "min_increase",
            Metric::Entries => "entries",
            Metric::MinEntries => "min_entries",
        }
    }

    /// Whether the statistic counts a count's gross entries (counts only).
    pub fn is_entries(self) -> bool {
        matches!(self, Metric::Entries | Metric::MinEntries)
    }

    /// Whether the statistic is a rate (shown as a percentage).
    pub fn is_rate(self) -> bool {
        matches!(self, Metric::Cagr | Metric::Change | Metric::MinGrowth)
    }
}

#[derive(Debug, Clone)]
pub struct Target {
    pub id: String,
    pub label: String,
    pub tier: Tier,
    pub kind: TargetKind,
}

#[derive(Debug, Clone)]
pub enum TargetKind {
    Stat(StatTarget),
    /// `all` (true) or `any` (false) of earlier targets, by index.
    Composite {
        all: bool,
        members: Vec<usize>,
    },
}

/// A statistic of one indicator's path compared with a threshold. For
/// `value`, `from == to == year`.
#[derive(Debug, Clone, Copy)]
pub struct StatTarget {
    pub indicator: usize,
    pub metric: Metric,
    pub from: i32,
    pub to: i32,
    pub threshold: f64,
    pub direction: Direction,
}

impl StatTarget {
    /// The statistic, given the indicator's value in a year.
    #[inline]
    pub fn statistic(&self, value: impl Fn(i32) -> f64, entries: impl Fn(i32) -> f64) -> f64 {
        let (a, b) = (value(self.from), value(self.to));
        match self.metric {
            Metric::Value => b,
            Metric::Cagr => (b / a).powf(1.0 / f64::from(self.to - self.from)) - 1.0,
            Metric::Change => b / a - 1.0,
            Metric::Increase => b - a,
            Metric::MinGrowth => ((self.from + 1)..=self.to)
                .map(|t| value(t) / value(t - 1) - 1.0)
                .fold(f64::INFINITY, nan_min),
            Metric::MinIncrease => ((self.from + 1)..=self.to)
                .map(|t| value(t) - value(t - 1))
                .fold(f64::INFINITY, nan_min),
            Metric::Entries => ((self.from + 1)..=self.to).map(entries).sum(),
            Metric::MinEntries => ((self.from + 1)..=self.to)
                .map(entries)
                .fold(f64::INFINITY, nan_min),
        }
    }
}

impl StatTarget {
    /// The statistic as a function of the last year's value `x`, for metrics
    /// that depend on it alone once the first year's value `a` is known.
    #[inline]
    pub fn statistic_of_value(&self, a: f64, x: f64) -> f64 {
        match self.metric {
            Metric::Cagr => (x / a).powf(1.0 / f64::from(self.to - self.from)) - 1.0,
            Metric::Change => x / a - 1.0,
            Metric::Increase => x - a,
            _ => x,
        }
    }

    /// The last-year value at which the statistic equals the threshold.
    pub fn value_threshold(&self, a: f64) -> f64 {
        match self.metric {
            Metric::Cagr => a * (1.0 + self.threshold).powi(self.to - self.from),
            Metric::Change => a * (1.0 + self.threshold),
            Metric::Increase => a + self.threshold,
            _ => self.threshold,
        }
    }
}

/// `min` that lets NaN through, so an undefined year makes the statistic undefined.
#[inline]
fn nan_min(a: f64, b: f64) -> f64 {
    if a.is_nan() || b.is_nan() {
        f64::NAN
    } else {
        a.min(b)
    }
}

impl Model {
    /// Years from `first_year` to `horizon`.
    pub fn n_years(&self) -> usize {
        (self.horizon - self.first_year + 1) as usize
    }

    #[inline]
    pub fn year_index(&self, year: i32) -> usize {
        (year - self.first_year) as usize
    }

    pub fn years(&self) -> impl Iterator<Item = i32> {
        self.first_year..=self.horizon
    }

    pub fn indicator(&self, id: &str) -> Option<usize> {
        self.indicators.iter().position(|i| i.id == id)
    }

    /// For a target whose statistic is an increasing function of its last
    /// year's value alone: the first year's value (`NAN` for `value`, which
    /// needs none). Such a target is hit exactly when that value passes
    /// [`StatTarget::value_threshold`], and its quantiles are those of the
    /// value mapped through [`StatTarget::statistic_of_value`].
    pub fn value_form(&self, t: &StatTarget) -> Option<f64> {
        let ind = &self.indicators[t.indicator];
        let first = || ind.observed[self.year_index(t.from)];
        match t.metric {
            Metric::Value => Some(f64::NAN),
            Metric::Increase => first(),
            // Ratios of counts stay on the exact path: a rounded threshold
            // could move a tie between whole numbers.
            Metric::Cagr | Metric::Change if !matches!(ind.kind, Kind::Count { .. }) => {
                first().filter(|&a| a > 0.0)
            }
            _ => None,
        }
    }

    /// The central value of a parameter: fixed, or the mean of its distribution.
    pub fn central(&self, p: Param) -> f64 {
        dist::central(p, &self.params)
    }

    /// The central yearly growth (level) or change (share): the mean of the
    /// distribution at the central location.
    pub fn central_deviate_mean(&self, d: &Continuous) -> f64 {
        d.resolve(self.central(d.loc)).mean
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn statistics_follow_the_format_definitions() {
        // Values 100, 110, 99, 121 in 2020..2023, with gross entries 12,
        // 4, 30 in 2021..2023.
        let values = |y: i32| [100.0, 110.0, 99.0, 121.0][(y - 2020) as usize];
        let entries = |y: i32| [f64::NAN, 12.0, 4.0, 30.0][(y - 2020) as usize];
        let t = |metric, from, to| StatTarget {
            indicator: 0,
            metric,
            from,
            to,
            threshold: 0.0,
            direction: Direction::AtLeast,
        };
        let v = |t: StatTarget| t.statistic(values, entries);
        assert_eq!(v(t(Metric::Value, 2023, 2023)), 121.0);
        assert!((v(t(Metric::Cagr, 2020, 2022)) - (0.99f64.sqrt() - 1.0)).abs() < 1e-15);
        assert!((v(t(Metric::Change, 2020, 2023)) - 0.21).abs() < 1e-12);
        assert_eq!(v(t(Metric::Increase, 2021, 2023)), 11.0);
        assert!((v(t(Metric::MinGrowth, 2020, 2023)) - (-0.1)).abs() < 1e-12);
        assert_eq!(v(t(Metric::MinIncrease, 2020, 2023)), -11.0);
        assert_eq!(v(t(Metric::MinIncrease, 2022, 2023)), 22.0);
        assert_eq!(v(t(Metric::Entries, 2020, 2023)), 46.0);
        assert_eq!(v(t(Metric::Entries, 2021, 2022)), 4.0);
        assert_eq!(v(t(Metric::MinEntries, 2020, 2023)), 4.0);
    }
}
