//! What the engine precomputes from a model once per run: every decision that
//! does not depend on a path, as indices and plain numbers.

use super::counts::{Binomial, NegBinomial};
use super::qmc::Layout;
use crate::model::dist::{Continuous, Param, Resolved, Shape};
use crate::model::{
    Compounding, Direction, DriverInput, Entries, Kind, Metric, Model, Sampler, StatTarget,
    TargetKind, Tier,
};
use crate::stats::tally::Tally;

/// Where a number a target reads comes from.
#[derive(Clone, Copy)]
pub(super) enum Source {
    /// A column of simulated values (indicator × span + year from the base).
    Column(usize),
    /// An observed value before the base year: the same on every path.
    Fixed(f64),
}

/// How a target is decided on a path.
pub(super) enum Eval<'m> {
    /// Hit when one year's value passes `threshold`: targets whose statistic
    /// rises with that value.
    Value {
        source: Source,
        threshold: f64,
        direction: Direction,
    },
    /// Any other statistic, computed and kept for its quantiles.
    Statistic(&'m StatTarget),
    Composite {
        all: bool,
        members: &'m [usize],
    },
}

/// Where an indicator's yearly shock effect comes from.
pub(super) enum ShockSource {
    /// No shock loads on it.
    None,
    /// One shock does: its effect in struck years times the loading.
    One { shock: usize, loading: f64 },
    /// Several do: their effects times their loadings, summed in this
    /// order, as `(shock, loading)`.
    Several(Vec<(usize, f64)>),
}

/// How a yearly growth (or change) moves an indicator.
#[derive(Clone, Copy)]
pub(super) enum Move {
    /// `X·(1 + g)`, stopping at 0.
    Simple,
    /// `X·exp(g)`
    Log,
    /// `S + g`, held inside [0, 1].
    Share,
}

impl Move {
    /// Whether growth `g` stops a simple level at zero.
    #[inline(always)]
    pub fn stops(g: f64) -> bool {
        g <= -1.0
    }

    /// Whether a share moved to `v` must be held inside [0, 1].
    #[inline(always)]
    pub fn clamps(v: f64) -> bool {
        !(0.0..=1.0).contains(&v)
    }
}

/// How one indicator goes from one year to the next.
pub(super) enum Step<'m> {
    /// Growth (or change) deviations from an untruncated normal, the common
    /// case: `center + sd·z` without the general sampler's dispatch.
    Normal {
        sd: f64,
        phi: f64,
        corr: Option<usize>,
        to: Move,
    },
    /// Any other growth or change distribution.
    Deviate {
        d: &'m Continuous,
        phi: f64,
        corr: Option<usize>,
        to: Move,
    },
    Count {
        entries: &'m Entries,
        /// Negative-binomial entries, or Poisson where there is no dispersion.
        spread: Option<NegBinomial>,
        /// Exits, when the exit rate is positive.
        exits: Option<Binomial>,
    },
    /// Evaluated after the others, year by year in dependency order.
    Formula,
}

pub(super) struct Plan<'m> {
    pub m: &'m Model,
    pub n_ind: usize,
    pub n_years: usize,
    /// Index of the base year among all years.
    pub base: usize,
    /// Years from the base year to the horizon; columns hold one each.
    pub span: usize,
    /// Every indicator's observed value by (year index × indicators + indicator),
    /// NaN where none: what targets and drivers read before the base year.
    pub observed: Vec<f64>,
    /// Resolution of each per-path parameter's distribution (fixed locations).
    pub params: Vec<Resolved>,
    /// Whether each per-path parameter is drawn on its own (not through
    /// the parameters' copula).
    pub param_alone: Vec<bool>,
    /// The parameters' copula: member slots and the Cholesky factor, row-major.
    pub param_members: &'m [usize],
    pub param_cholesky: &'m [f64],
    /// Resolution of each indicator's growth/change where its location is fixed.
    pub deviates: Vec<Resolved>,
    /// For each indicator whose growth/change location is drawn per path, its
    /// row among the per-path resolutions.
    pub drawn_deviate: Vec<Option<usize>>,
    /// Value targets over simulated years, as `(target, indicator, last
    /// step, threshold, direction)`: when their condition holds is tallied.
    pub reach: Vec<(usize, usize, usize, f64, Direction)>,
    /// Each count indicator's row among the gross-entries columns.
    pub entries_row: Vec<Option<usize>>,
    pub n_counts: usize,
    /// `(indicator, base, is a count)` for every indicator with a base.
    pub bases: Vec<(usize, Param, bool)>,
    pub steps: Vec<Step<'m>>,
    /// The correlation's Cholesky factor, row-major, and its size.
    pub cholesky: &'m [f64],
    pub n_corr: usize,
    pub effects: Vec<Resolved>,
    /// Each shock's window as steps (years after the base year, from 0).
    pub shock_steps: Vec<std::ops::Range<usize>>,
    /// Where each indicator's yearly shock effect comes from.
    pub shock_sources: Vec<ShockSource>,
    pub evals: Vec<Eval<'m>>,
    /// Columns that vary between paths; observed ones are constant and not tallied.
    pub varying: Vec<usize>,
    /// Each target's tier if it is a statistic (composites are left out of
    /// the joint floor and stretch tallies).
    pub tiers: Vec<Option<Tier>>,
    /// Driver inputs, and whether each is a compound rate (levels, formulas).
    pub inputs: Vec<(DriverInput, bool)>,
    /// Distinct target windows as year indices, and each target's window.
    pub windows: Vec<(usize, usize)>,
    pub target_windows: Vec<Option<usize>>,
    /// With quasi-Monte Carlo, which dimension each draw takes.
    pub qmc: Option<Layout>,
    /// With quasi-Monte Carlo, the value targets estimated by conditioning.
    pub conditions: Vec<Condition>,
}

/// A value target on a year of a normal-growth indicator, estimated by
/// conditioning: each path counts not its hit or miss but the probability,
/// given everything drawn before that year and the year's shocks, that the
/// year's normal score carries the indicator past the threshold (a normal
/// CDF). The same mean, a smaller variance, and a smooth function of the
/// point, which quasi-Monte Carlo integrates far better than a jump.
pub(super) struct Condition {
    pub target: usize,
    pub indicator: usize,
    /// The step (year after the base, from 0) whose score is integrated out.
    pub step: usize,
    pub threshold: f64,
    pub direction: Direction,
}

impl<'m> Plan<'m> {
    pub fn new(m: &'m Model) -> Plan<'m> {
        let n_ind = m.indicators.len();
        let n_years = m.n_years();
        let span = (m.horizon - m.base_year + 1) as usize;
        let base = m.year_index(m.base_year);
        let mut corr_pos = vec![None; n_ind];
        if let Some(c) = &m.correlation {
            for (k, &i) in c.members.iter().enumerate() {
                corr_pos[i] = Some(k);
            }
        }
        let fixed_loc = |p: Param| match p {
            Param::Fixed(v) => v,
            // Placeholder: drawn locations are resolved per path.
            Param::Drawn(_) => 0.0,
        };
        let deviates = m
            .indicators
            .iter()
            .map(|ind| match ind.kind.deviate() {
                Some(d) => d.resolve(fixed_loc(d.loc)),
                None => Resolved::default(),
            })
            .collect();
        let mut n_drawn_deviates = 0;
        let drawn_deviate = m
            .indicators
            .iter()
            .map(|ind| match ind.kind.deviate() {
                Some(d) if matches!(d.loc, Param::Drawn(_)) => {
                    n_drawn_deviates += 1;
                    Some(n_drawn_deviates - 1)
                }
                _ => None,
            })
            .collect();
        let mut n_counts = 0;
        let entries_row = m
            .indicators
            .iter()
            .map(|ind| {
                matches!(ind.kind, Kind::Count { .. }).then(|| {
                    n_counts += 1;
                    n_counts - 1
                })
            })
            .collect();
        let bases = m
            .indicators
            .iter()
            .enumerate()
            .filter_map(|(i, ind)| {
                ind.kind
                    .base()
                    .map(|b| (i, b, matches!(ind.kind, Kind::Count { .. })))
            })
            .collect();
        let mut observed = vec![f64::NAN; n_years * n_ind];
        for (i, ind) in m.indicators.iter().enumerate() {
            for (t, v) in ind.observed.iter().enumerate() {
                observed[t * n_ind + i] = v.unwrap_or(f64::NAN);
            }
        }
        let source = |year: i32, i: usize| {
            let t = m.year_index(year);
            if t >= base {
                Source::Column(i * span + t - base)
            } else {
                Source::Fixed(observed[t * n_ind + i])
            }
        };
        let evals = m
            .targets
            .iter()
            .map(|t| match &t.kind {
                TargetKind::Stat(s) => match m.value_form(s) {
                    Some(a) => Eval::Value {
                        source: source(s.to, s.indicator),
                        threshold: s.value_threshold(a),
                        direction: s.direction,
                    },
                    None => Eval::Statistic(s),
                },
                TargetKind::Composite { all, members } => Eval::Composite { all: *all, members },
            })
            .collect();
        let varying = (0..n_ind * span)
            .filter(|&c| m.indicators[c / span].observed[base + c % span].is_none())
            .collect();
        let inputs = m
            .driver_inputs()
            .into_iter()
            .map(|d| {
                let rate = match d {
                    DriverInput::Indicator(i) => !matches!(
                        m.indicators[i].kind,
                        Kind::Share { .. } | Kind::Count { .. }
                    ),
                    _ => false,
                };
                (d, rate)
            })
            .collect();
        let mut windows = Vec::new();
        let target_windows = (0..m.targets.len())
            .map(|k| {
                let (a, b) = m.target_window(k)?;
                let w = (m.year_index(a), m.year_index(b));
                Some(windows.iter().position(|&x| x == w).unwrap_or_else(|| {
                    windows.push(w);
                    windows.len() - 1
                }))
            })
            .collect();
        let mut plan = Plan {
            m,
            n_ind,
            n_years,
            base,
            span,
            observed,
            params: m
                .params
                .iter()
                .map(|d| d.resolve(fixed_loc(d.loc)))
                .collect(),
            param_alone: (0..m.params.len())
                .map(|p| {
                    m.param_correlation
                        .as_ref()
                        .is_none_or(|c| !c.members.contains(&p))
                })
                .collect(),
            param_members: m
                .param_correlation
                .as_ref()
                .map_or(&[][..], |c| &c.members[..]),
            param_cholesky: m
                .param_correlation
                .as_ref()
                .map_or(&[][..], |c| &c.cholesky.data[..]),
            deviates,
            drawn_deviate,
            reach: m
                .targets
                .iter()
                .enumerate()
                .filter_map(|(k, t)| match &t.kind {
                    TargetKind::Stat(s) if s.metric == Metric::Value && s.to > m.base_year => {
                        let last = (s.to - m.base_year) as usize;
                        Some((k, s.indicator, last, s.threshold, s.direction))
                    }
                    _ => None,
                })
                .collect(),
            entries_row,
            n_counts,
            bases,
            steps: steps(m, &corr_pos),
            cholesky: m
                .correlation
                .as_ref()
                .map_or(&[][..], |c| &c.cholesky.data[..]),
            n_corr: m.correlation.as_ref().map_or(0, |c| c.members.len()),
            effects: m
                .shocks
                .iter()
                .map(|s| s.effect.resolve(fixed_loc(s.effect.loc)))
                .collect(),
            shock_steps: m
                .shocks
                .iter()
                .map(|s| {
                    let step =
                        |year: i32| (year - m.base_year - 1).clamp(0, span as i32 - 1) as usize;
                    step(s.first)..step(s.last + 1)
                })
                .collect(),
            shock_sources: (0..n_ind)
                .map(|i| {
                    let loadings: Vec<(usize, f64)> = m
                        .shocks
                        .iter()
                        .enumerate()
                        .flat_map(|(s, shock)| {
                            shock
                                .loadings
                                .iter()
                                .filter(move |l| l.0 == i)
                                .map(move |l| (s, l.1))
                        })
                        .collect();
                    match loadings[..] {
                        [] => ShockSource::None,
                        [(shock, loading)] => ShockSource::One { shock, loading },
                        _ => ShockSource::Several(loadings),
                    }
                })
                .collect(),
            evals,
            varying,
            inputs,
            windows,
            target_windows,
            tiers: m
                .targets
                .iter()
                .map(|t| matches!(t.kind, TargetKind::Stat(_)).then_some(t.tier))
                .collect(),
            qmc: None,
            conditions: Vec::new(),
        };
        if m.sampler == Sampler::Sobol {
            let own: Vec<bool> = (plan.steps.iter())
                .map(|s| {
                    matches!(
                        s,
                        Step::Normal { corr: None, .. } | Step::Deviate { corr: None, .. }
                    )
                })
                .collect();
            let (steps, params) = (span - 1, m.params.len());
            let layout = Layout::new(
                steps,
                plan.n_corr,
                &own,
                params,
                &plan.shock_steps,
                n_counts,
            );
            plan.qmc = Some(layout);
            plan.conditions = conditions(&plan);
        }
        plan
    }

    pub fn empty_tally(&self) -> Tally {
        Tally::new(
            self.n_ind,
            self.m.targets.len(),
            self.span,
            self.inputs.len(),
            self.m.sampler == Sampler::Antithetic,
            if self.m.sampler == Sampler::Sobol {
                super::REPLICATES
            } else {
                0
            },
            self.conditions.iter().map(|c| c.target).collect(),
        )
    }
}

fn steps<'m>(m: &'m Model, corr_pos: &[Option<usize>]) -> Vec<Step<'m>> {
    let step = |i: usize, d: &'m Continuous, phi: f64, to: Move| match d.shape {
        Shape::Normal { sd } if !d.is_truncated() => Step::Normal {
            sd,
            phi,
            corr: corr_pos[i],
            to,
        },
        _ => Step::Deviate {
            d,
            phi,
            corr: corr_pos[i],
            to,
        },
    };
    m.indicators
        .iter()
        .enumerate()
        .map(|(i, ind)| match &ind.kind {
            Kind::Level {
                growth,
                persistence,
                compounding,
                ..
            } => {
                let to = match compounding {
                    Compounding::Simple => Move::Simple,
                    Compounding::Log => Move::Log,
                };
                step(i, growth, *persistence, to)
            }
            Kind::Share {
                change,
                persistence,
                ..
            } => step(i, change, *persistence, Move::Share),
            Kind::Count {
                entries, exit_rate, ..
            } => Step::Count {
                entries,
                spread: entries.dispersion.map(NegBinomial::new),
                exits: (*exit_rate > 0.0).then(|| Binomial::new(*exit_rate)),
            },
            Kind::Formula(_) => Step::Formula,
        })
        .collect()
}

/// The value targets a quasi-Monte Carlo run estimates by conditioning: those
/// on a simulated year of an indicator whose yearly deviations are normal
/// with a positive spread.
fn conditions(plan: &Plan) -> Vec<Condition> {
    let span = plan.span;
    (plan.evals.iter().enumerate())
        .filter_map(|(target, eval)| match *eval {
            Eval::Value {
                source: Source::Column(c),
                threshold,
                direction,
            } if c % span > 0 => {
                let indicator = c / span;
                match plan.steps[indicator] {
                    Step::Normal { sd, .. } if sd > 0.0 && sd.is_finite() => Some(Condition {
                        target,
                        indicator,
                        step: c % span - 1,
                        threshold,
                        direction,
                    }),
                    _ => None,
                }
            }
            _ => None,
        })
        .collect()
}
