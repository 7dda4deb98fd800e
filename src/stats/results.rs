//! The summary of a run: probabilities with Wilson intervals, quantiles of
//! every target's statistic and of every indicator's path, the arithmetic of
//! each target, and the warnings a reader must see. Plain numbers; the
//! renderers in `report` turn them into text.

use super::tally::Tally;
use super::{wilson, Z95};
use crate::model::requirement::Requirement;
use crate::model::{
    Aspect, Direction, DriverInput, Kind, Metric, Model, ParamAspect, Reading, TargetKind, Tier,
};

/// The quantile levels reported everywhere.
pub const LEVELS: [f64; 5] = [0.05, 0.25, 0.5, 0.75, 0.95];
pub const LEVEL_NAMES: [&str; 5] = ["p5", "p25", "p50", "p75", "p95"];

/// Everything about a run that is not a result: what was run, and how.
#[derive(Debug, Clone, PartialEq)]
pub struct RunInfo {
    pub file: String,
    pub draws: u64,
    pub seed: u64,
    pub threads: usize,
    pub seconds: f64,
    /// `--set` overrides applied, as given.
    pub overrides: Vec<String>,
    /// What `--precision` asked for, and whether the run got there.
    pub precision: Option<Precision>,
    /// SHA-256 of the scenario file's bytes, in hex.
    pub sha256: Option<String>,
}

/// `--precision E`: every target's 95 % interval at most `half_width` on
/// each side, unless `--max-draws` stopped the run first.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Precision {
    pub half_width: f64,
    pub reached: bool,
}

/// Every target's probability with one input moved down and up.
#[derive(Debug, Clone, PartialEq)]
pub struct SensitivityRow {
    pub parameter: String,
    /// The input's central value moved down and up.
    pub low: f64,
    pub high: f64,
    /// `(target id, probability at low, probability at high)`
    pub targets: Vec<(String, f64, f64)>,
}

impl SensitivityRow {
    /// The largest change of any target's probability.
    pub fn swing(&self) -> f64 {
        self.targets
            .iter()
            .map(|(_, a, b)| (b - a).abs())
            .fold(0.0, f64::max)
    }

    /// The target this input moves most: `(id, probability low, probability high)`.
    pub fn most_moved(&self) -> Option<&(String, f64, f64)> {
        self.targets
            .iter()
            .max_by(|x, y| (x.2 - x.1).abs().total_cmp(&(y.2 - y.1).abs()))
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
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Estimate {
    pub hits: u64,
    pub draws: u64,
    pub probability: f64,
    pub ci95: (f64, f64),
}

impl Estimate {
    pub fn new(hits: u64, draws: u64) -> Estimate {
        Estimate {
            hits,
            draws,
            probability: hits as f64 / draws.max(1) as f64,
            ci95: wilson(hits, draws, Z95),
        }
    }

    /// The binomial standard error of the probability.
    pub fn std_error(&self) -> f64 {
        let p = self.probability;
        (p * (1.0 - p) / self.draws.max(1) as f64).sqrt()
    }

    /// Whether no path, or every path, hit: the probability is a bound.
    pub fn is_bound(&self) -> bool {
        self.hits == 0 || self.hits == self.draws
    }
}

/// The running estimates of every target after some draws, in chunk order.
#[derive(Debug, Clone, PartialEq)]
pub struct ConvergencePoint {
    pub draws: u64,
    pub targets: Vec<Estimate>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Results {
    pub name: String,
    pub document: Option<String>,
    pub region: Option<String>,
    pub base_year: i32,
    pub horizon: i32,
    pub run: RunInfo,
    pub targets: Vec<TargetResult>,
    pub indicators: Vec<IndicatorResult>,
    pub warnings: Vec<Warning>,
    /// Filled by `run --sensitivity`, strongest swing first.
    pub sensitivity: Option<Vec<SensitivityRow>>,
    /// Every floor and every stretch statistic target at once (`None` if a
    /// tier has no targets).
    pub joint_floor: Option<Estimate>,
    pub joint_stretch: Option<Estimate>,
    pub convergence: Vec<ConvergencePoint>,
    pub assumptions: Vec<super::assumptions::Assumption>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct TargetResult {
    pub id: String,
    pub label: String,
    pub tier: Tier,
    /// Paths that hit, of how many, the probability and its interval.
    pub estimate: Estimate,
    pub detail: TargetDetail,
    /// How paths that hit differ from paths that missed, strongest first.
    pub drivers: Vec<Driver>,
    pub verdict: Verdict,
}

/// One input's contrast between hit and missed paths.
#[derive(Debug, Clone, PartialEq)]
pub struct Driver {
    /// The label of the indicator or shock (or the parameter's path).
    pub subject: String,
    pub aspect: Aspect,
    /// Whether the input is the target's own indicator's realised movement:
    /// part of the outcome rather than an explanation of it.
    pub own_outcome: bool,
    /// Whether the input is drawn before anything happens (a per-path
    /// parameter) or strikes from outside (a shock): a cause, not a symptom.
    pub exogenous: bool,
    pub unit: DriverUnit,
    pub hit_mean: f64,
    pub miss_mean: f64,
    /// Standardised difference: (hit mean − miss mean) / pooled sd.
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
    pub fn sensitivity_of(&self, id: &str) -> Vec<(String, f64, f64)> {
        let Some(rows) = &self.sensitivity else {
            return Vec::new();
        };
        let mut bars: Vec<(String, f64, f64)> = rows
            .iter()
            .filter_map(|row| {
                row.targets
                    .iter()
                    .find(|x| x.0 == id)
                    .map(|x| (row.parameter.clone(), x.1, x.2))
            })
            .filter(|(_, a, b)| a != b)
            .collect();
        bars.sort_by(|a, b| (b.2 - b.1).abs().total_cmp(&(a.2 - a.1).abs()));
        bars
    }
}

#[derive(Debug, Clone, PartialEq)]
pub enum TargetDetail {
    Stat {
        indicator: String,
        /// `level`, `count`, `share` or `formula`: how values read.
        indicator_kind: Reading,
        unit: String,
        metric: Metric,
        from: i32,
        to: i32,
        threshold: f64,
        direction: Direction,
        /// Quantiles of the statistic at [`LEVELS`]; `None` if it was never defined.
        outcome: Option<[f64; 5]>,
        /// The statistic's distribution as `(cumulative probability, value)`
        /// at 0, 1, 2, … 100 %: an empirical CDF on the real support.
        ecdf: Vec<(f64, f64)>,
        /// Every year it looks at is observed: the answer is the data's.
        observed: bool,
        requirement: Option<Requirement>,
    },
    Composite {
        all: bool,
        members: Vec<String>,
    },
}

#[derive(Debug, Clone, PartialEq)]
pub struct IndicatorResult {
    pub id: String,
    pub label: String,
    pub unit: String,
    /// `level`, `count`, `share` or `formula` (a formula with unit "share" reads as `share`).
    pub kind: Reading,
    pub years: Vec<i32>,
    /// Quantiles at [`LEVELS`], one vector per level, over `years`.
    pub quantiles: [Vec<Option<f64>>; 5],
    pub mean: Vec<Option<f64>>,
    /// The observed value, where the year is observed.
    pub observed: Vec<Option<f64>>,
}

#[derive(Debug, Clone, PartialEq)]
pub enum Warning {
    /// A level fell to zero (simple compounding with growth below −100 %).
    StoppedAtZero { indicator: String, share: f64 },
    /// A share was held inside [0, 1].
    Clamped { indicator: String, share: f64 },
    /// A statistic could not be computed on some paths (e.g. division by zero).
    Undefined { target: String, share: f64 },
    /// `--max-draws` stopped the run before every interval was as narrow as
    /// `--precision` asked.
    PrecisionNotReached { half_width: f64, draws: u64 },
    /// The correlation matrix was replaced by the nearest valid one.
    RepairedCorrelation {
        changes: Vec<(String, String, f64, f64)>,
    },
}

/// Turns a finished tally into results.
pub fn finish(model: &Model, tally: &Tally, run: RunInfo) -> Results {
    let n = tally.draws;
    let mut warnings = run_warnings(model, tally, &run);
    let targets = (0..model.targets.len())
        .map(|k| target_result(model, tally, k, &mut warnings))
        .collect();
    let years: Vec<i32> = model.years().collect();
    let indicators = (0..model.indicators.len())
        .map(|i| indicator_result(model, tally, i, &years))
        .collect();
    Results {
        name: model.name.clone(),
        document: model.document.clone(),
        region: model.region.clone(),
        base_year: model.base_year,
        horizon: model.horizon,
        run,
        targets,
        indicators,
        warnings,
        sensitivity: None,
        joint_floor: has_tier(model, Tier::Floor).then(|| Estimate::new(tally.joint[0], n)),
        joint_stretch: has_tier(model, Tier::Stretch).then(|| Estimate::new(tally.joint[1], n)),
        convergence: convergence(tally),
        assumptions: super::assumptions::assumptions(model),
    }
}

/// What a reader must know about the run as a whole and each indicator,
/// in report order (targets add theirs after).
fn run_warnings(model: &Model, tally: &Tally, run: &RunInfo) -> Vec<Warning> {
    let n = tally.draws;
    let mut warnings = Vec::new();
    if let Some(p) = run.precision.filter(|p| !p.reached) {
        warnings.push(Warning::PrecisionNotReached {
            half_width: p.half_width,
            draws: n,
        });
    }
    if let Some(c) = model.correlation.as_ref() {
        if let Some(orig) = &c.repaired_from {
            let mut changes = Vec::new();
            for a in 0..c.members.len() {
                for b in a + 1..c.members.len() {
                    let (was, now) = (orig.get(a, b), c.matrix.get(a, b));
                    if (was - now).abs() > 5e-4 {
                        let id = |k: usize| model.indicators[c.members[k]].id.clone();
                        changes.push((id(a), id(b), was, now));
                    }
                }
            }
            warnings.push(Warning::RepairedCorrelation { changes });
        }
    }
    for (i, ind) in model.indicators.iter().enumerate() {
        if tally.stopped_at_zero[i] > 0 {
            warnings.push(Warning::StoppedAtZero {
                indicator: ind.id.clone(),
                share: tally.share(tally.stopped_at_zero[i]),
            });
        }
        if tally.clamped[i] > 0 {
            warnings.push(Warning::Clamped {
                indicator: ind.id.clone(),
                share: tally.share(tally.clamped[i]),
            });
        }
    }
    warnings
}

/// One target's probability, the distribution of its statistic and what
/// drives it; an undefined statistic adds a warning.
fn target_result(
    model: &Model,
    tally: &Tally,
    k: usize,
    warnings: &mut Vec<Warning>,
) -> TargetResult {
    let t = &model.targets[k];
    let n = tally.draws;
    let detail = match &t.kind {
        TargetKind::Stat(s) => {
            let ind = &model.indicators[s.indicator];
            // Targets decided by one year's value share that value's sketch.
            let (sketch, map) = match model.value_form(s) {
                Some(a) => {
                    let year = (s.to - model.base_year).max(0) as usize;
                    (
                        &tally.value_sketches[s.indicator * tally.span + year],
                        Some(a),
                    )
                }
                None => (&tally.target_sketches[k], None),
            };
            if sketch.nonfinite() > 0 {
                warnings.push(Warning::Undefined {
                    target: t.id.clone(),
                    share: tally.share(sketch.nonfinite()),
                });
            }
            let observed = ind.observed[model.year_index(s.to)];
            let ranked = sketch.ranked();
            let at = |q: f64| match (map, observed) {
                (Some(a), Some(v)) => Some(s.statistic_of_value(a, v)),
                (Some(a), None) => ranked.quantile(q).map(|x| s.statistic_of_value(a, x)),
                (None, _) => ranked.quantile(q),
            };
            let outcome = quantiles(at);
            let ecdf = (0..=100)
                .filter_map(|c| {
                    let q = f64::from(c) / 100.0;
                    at(q).map(|v| (q, v))
                })
                .collect();
            TargetDetail::Stat {
                indicator: ind.id.clone(),
                indicator_kind: ind.reads_as(),
                unit: ind.unit.clone(),
                metric: s.metric,
                from: s.from,
                to: s.to,
                threshold: s.threshold,
                direction: s.direction,
                outcome,
                ecdf,
                observed: s.to < model.base_year
                    || (s.to == model.base_year && ind.observed[model.year_index(s.to)].is_some()),
                requirement: model.requirement(k),
            }
        }
        TargetKind::Composite { all, members } => TargetDetail::Composite {
            all: *all,
            members: members
                .iter()
                .map(|&m| model.targets[m].id.clone())
                .collect(),
        },
    };
    let estimate = Estimate::new(tally.hits[k], n);
    TargetResult {
        verdict: Verdict::of(estimate.probability),
        drivers: drivers(model, tally, k),
        id: t.id.clone(),
        label: t.label.clone(),
        tier: t.tier,
        estimate,
        detail,
    }
}

/// One indicator's quantiles and mean in each year, observed years as observed.
fn indicator_result(model: &Model, tally: &Tally, i: usize, years: &[i32]) -> IndicatorResult {
    let ind = &model.indicators[i];
    let mut quantiles: [Vec<Option<f64>>; 5] = Default::default();
    let mut mean = Vec::with_capacity(years.len());
    for &y in years {
        let observed = ind.observed[model.year_index(y)];
        if y < model.base_year || observed.is_some() {
            quantiles.iter_mut().for_each(|q| q.push(observed));
            mean.push(observed);
        } else {
            let stat = i * tally.span + (y - model.base_year) as usize;
            let ranked = tally.value_sketches[stat].ranked();
            for (q, &level) in quantiles.iter_mut().zip(&LEVELS) {
                q.push(ranked.quantile(level));
            }
            mean.push(tally.value_sums[stat].mean());
        }
    }
    IndicatorResult {
        id: ind.id.clone(),
        label: ind.label.clone(),
        unit: ind.unit.clone(),
        kind: ind.reads_as(),
        years: years.to_vec(),
        quantiles,
        mean,
        observed: ind.observed.clone(),
    }
}

fn has_tier(model: &Model, tier: Tier) -> bool {
    model
        .targets
        .iter()
        .any(|t| t.tier == tier && matches!(t.kind, TargetKind::Stat(_)))
}

/// Running estimates after 1, 3, 7, … chunks, from the octave tallies.
fn convergence(tally: &Tally) -> Vec<ConvergencePoint> {
    let n_targets = tally.hits.len();
    let mut hits = vec![0u64; n_targets];
    let mut draws = 0;
    let mut out = Vec::new();
    for (o, &d) in tally.octave_draws.iter().enumerate() {
        if d == 0 {
            break;
        }
        draws += d;
        for (k, h) in hits.iter_mut().enumerate() {
            *h += tally.octave_hits[o * n_targets + k];
        }
        out.push(ConvergencePoint {
            draws,
            targets: hits.iter().map(|&h| Estimate::new(h, draws)).collect(),
        });
    }
    out
}

/// Fewest sampled hit (and missed) paths for a target's drivers to be reported.
pub const MIN_DRIVER_PATHS: u64 = 30;

/// The inputs that separate target `k`'s hits from its misses.
fn drivers(model: &Model, tally: &Tally, k: usize) -> Vec<Driver> {
    let inputs = model.driver_inputs();
    let n_in = inputs.len();
    let mut out: Vec<Driver> = inputs
        .iter()
        .enumerate()
        .filter_map(|(j, &input)| {
            let d = &tally.drivers[k * n_in + j];
            // A contrast needs paths on both sides to mean anything.
            if d.hit.n() < MIN_DRIVER_PATHS || d.miss.n() < MIN_DRIVER_PATHS {
                return None;
            }
            let ((mh, vh), (mm, vm)) = (d.hit.mean_variance()?, d.miss.mean_variance()?);
            let (nh, nm) = (d.hit.n() as f64, d.miss.n() as f64);
            let pooled = (((nh - 1.0) * vh + (nm - 1.0) * vm) / (nh + nm - 2.0)).sqrt();
            let own = match (&model.targets[k].kind, input) {
                (TargetKind::Stat(s), DriverInput::Indicator(i)) => s.indicator == i,
                _ => false,
            };
            // Rates and probabilities read as percentages, as do a share's base.
            let fraction = |p: usize| match model.param_roles[p].aspect {
                ParamAspect::Trend
                | ParamAspect::ChangeTrend
                | ParamAspect::Probability
                | ParamAspect::EffectMean => true,
                ParamAspect::MeanEntries => false,
                ParamAspect::Base => model
                    .driver_indicator(input)
                    .is_some_and(|i| matches!(model.indicators[i].kind, Kind::Share { .. })),
            };
            let (subject, aspect) = model.driver_subject(input);
            (pooled > 1e-12).then(|| Driver {
                subject,
                aspect,
                own_outcome: own,
                exogenous: !matches!(input, DriverInput::Indicator(_)),
                unit: match input {
                    DriverInput::Indicator(i) => match model.indicators[i].kind {
                        Kind::Share { .. } => DriverUnit::Points,
                        Kind::Count { .. } => DriverUnit::PerYear,
                        _ => DriverUnit::Rate,
                    },
                    DriverInput::Shock(_) => DriverUnit::Times,
                    DriverInput::Param(p) if fraction(p) => DriverUnit::Fraction,
                    DriverInput::Param(_) => DriverUnit::Value,
                },
                hit_mean: mh,
                miss_mean: mm,
                effect: (mh - mm) / pooled,
            })
        })
        .collect();
    out.sort_by(|a, b| b.effect.abs().total_cmp(&a.effect.abs()));
    out
}

fn quantiles(q: impl Fn(f64) -> Option<f64>) -> Option<[f64; 5]> {
    let mut out = [0.0; 5];
    for (o, &level) in out.iter_mut().zip(&LEVELS) {
        *o = q(level)?;
    }
    Some(out)
}
