//! From a finished tally to [`Results`]: targets with their statistics'
//! quantiles, arithmetic and drivers, indicators year by year, warnings,
//! joint odds and convergence.

use super::*;
use crate::model::{DriverInput, Kind, ParamAspect};
use crate::stats::tally::{FixedSum, Tally};

/// Turns a finished tally into results; `file` and `sha256` say where the
/// scenario came from.
pub fn finish(
    model: &Model,
    tally: &Tally,
    file: &str,
    sha256: Option<String>,
    run: RunInfo,
) -> Results {
    let mut warnings = run_warnings(model, tally, &run);
    let targets = (0..model.targets.len())
        .map(|k| target_result(model, tally, k, &mut warnings))
        .collect();
    let years: Vec<i32> = model.years().collect();
    let indicators = (0..model.indicators.len())
        .map(|i| indicator_result(model, tally, i, &years))
        .collect();
    Results {
        scenario: ScenarioInfo {
            name: model.name.clone(),
            document: model.document.clone(),
            region: model.region.clone(),
            file: file.to_string(),
            variant: model.variant.clone(),
            sha256,
            base_year: model.base_year,
            horizon: model.horizon,
        },
        run: RunInfo {
            sampler: model.sampler.name(),
            ..run
        },
        targets,
        unmodelled: model.unmodelled.clone(),
        indicators,
        warnings,
        sensitivity: None,
        joint_floor: has_tier(model, Tier::Floor).then(|| joint_estimate(tally, 0)),
        joint_stretch: has_tier(model, Tier::Stretch).then(|| joint_estimate(tally, 1)),
        convergence: convergence(tally),
        assumptions: crate::stats::assumptions::assumptions(model),
        assumed_shocks: crate::stats::assumptions::shocks(model),
        assumed_correlations: crate::stats::assumptions::correlations(model),
    }
}

/// What a reader must know about the run as a whole and each indicator,
/// in report order (targets add theirs after).
fn run_warnings(model: &Model, tally: &Tally, run: &RunInfo) -> Vec<Warning> {
    let n = tally.draws;
    let mut warnings = Vec::new();
    if let (Some(half_width), Some(false)) = (run.precision, run.reached) {
        warnings.push(Warning::PrecisionNotReached {
            half_width,
            draws: n,
        });
    }
    let indicator = |i: usize| model.indicators[i].id.clone();
    let parameter = |p: usize| crate::scenario::paths::parameter(model, model.param_roles[p]);
    let copulas: [(_, &dyn Fn(usize) -> String, _); 2] = [
        (&model.correlation, &indicator, CorrelationOf::Pairs),
        (
            &model.param_correlation,
            &parameter,
            CorrelationOf::Parameters,
        ),
    ];
    for (c, name, of) in copulas {
        let Some((c, orig)) = c
            .as_ref()
            .and_then(|c| Some((c, c.repaired_from.as_ref()?)))
        else {
            continue;
        };
        let mut changes = Vec::new();
        for a in 0..c.members.len() {
            for b in a + 1..c.members.len() {
                let (was, now) = (orig.get(a, b), c.matrix.get(a, b));
                if (was - now).abs() > 5e-4 {
                    changes.push(CorrelationChange {
                        a: name(c.members[a]),
                        b: name(c.members[b]),
                        was,
                        now,
                    });
                }
            }
        }
        warnings.push(Warning::RepairedCorrelation { of, changes });
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
            let outcome = quantiles(at).map(Quantiles::from_array);
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
                reached: reached(model, tally, k),
            }
        }
        TargetKind::Composite { all, members } => TargetDetail::Composite {
            composite: if *all { Composite::All } else { Composite::Any },
            members: members
                .iter()
                .map(|&m| model.targets[m].id.clone())
                .collect(),
        },
    };
    let estimate = target_estimate(tally, k);
    TargetResult {
        verdict: Verdict::of(estimate.probability),
        drivers: drivers(model, tally, k),
        id: t.id.clone(),
        label: t.label.clone(),
        tier: t.tier,
        estimate,
        importance: None,
        detail,
    }
}

/// When value target `k` holds, if it is one over simulated years.
fn reached(model: &Model, tally: &Tally, k: usize) -> Option<Reached> {
    let TargetKind::Stat(s) = &model.targets[k].kind else {
        return None;
    };
    if s.metric != Metric::Value || s.to <= model.base_year {
        return None;
    }
    let years = (model.base_year + 1)..=s.to;
    let row = |counts: &[u64]| -> Vec<(i32, f64)> {
        years
            .clone()
            .map(|y| {
                let step = (y - model.base_year) as usize;
                (y, tally.share(counts[k * tally.span + step]))
            })
            .collect()
    };
    let first = row(&tally.first_held);
    let ever: u64 = (1..=(s.to - model.base_year) as usize)
        .map(|step| tally.first_held[k * tally.span + step])
        .sum();
    Some(Reached {
        by_year: row(&tally.held),
        first_reached: FirstReached {
            years: first,
            never: tally.share(tally.draws - ever),
        },
    })
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
        quantiles: Quantiles::from_array(quantiles),
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

/// Target `k`'s probability: from antithetic pairs or quasi-Monte Carlo
/// replicates where the run drew them.
pub fn target_estimate(tally: &Tally, k: usize) -> Estimate {
    if let Some(row) = tally.conditioned.iter().position(|&t| t == k) {
        let r = tally.replicate_draws.len();
        let sums = &tally.replicate_probabilities[row * r..(row + 1) * r];
        let sums: Vec<f64> = sums.iter().map(FixedSum::sum).collect();
        return Estimate::conditioned(tally.hits[k], tally.draws, &sums, &tally.replicate_draws);
    }
    match tally.pairs.get(k) {
        Some(pairs) => Estimate::paired(tally.hits[k], tally.draws, pairs),
        None => replicated(tally, tally.hits[k], k),
    }
}

/// The joint floor's (0) or stretch's (1) probability.
fn joint_estimate(tally: &Tally, j: usize) -> Estimate {
    if tally.pairs.is_empty() {
        replicated(tally, tally.joint[j], tally.hits.len() + j)
    } else {
        Estimate::paired(tally.joint[j], tally.draws, &tally.joint_pairs[j])
    }
}

/// Row `row` of the replicates' hits, if the run drew replicates.
fn replicated(tally: &Tally, hits: u64, row: usize) -> Estimate {
    let r = tally.replicate_draws.len();
    if r == 0 {
        return Estimate::new(hits, tally.draws);
    }
    let row = &tally.replicate_hits[row * r..(row + 1) * r];
    Estimate::replicated(
        hits,
        tally.draws,
        row.iter().copied(),
        &tally.replicate_draws,
    )
}

/// Running estimates after 1, 3, 7, … chunks, from the octave tallies.
fn convergence(tally: &Tally) -> Vec<ConvergencePoint> {
    let n_targets = tally.hits.len();
    let mut hits = vec![0u64; n_targets];
    let mut pairs = vec![PairCounts::default(); tally.pairs.len()];
    let r = tally.replicate_draws.len();
    let mut replicate_draws = vec![0u64; r];
    let mut replicate_hits = vec![0u64; n_targets * r];
    let rows = tally.conditioned.len();
    let mut replicate_sums = vec![FixedSum::default(); rows * r];
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
        for (k, p) in pairs.iter_mut().enumerate() {
            p.merge(&tally.octave_pairs[o * n_targets + k]);
        }
        let octave_draws = &tally.octave_replicate_draws[o * r..(o + 1) * r];
        for (a, b) in replicate_draws.iter_mut().zip(octave_draws) {
            *a += b;
        }
        let octave_hits = &tally.octave_replicate_hits[o * n_targets * r..(o + 1) * n_targets * r];
        for (a, b) in replicate_hits.iter_mut().zip(octave_hits) {
            *a += b;
        }
        let octave_sums = &tally.octave_replicate_probabilities[o * rows * r..(o + 1) * rows * r];
        for (a, b) in replicate_sums.iter_mut().zip(octave_sums) {
            a.merge(b);
        }
        let conditioned = |k: usize| {
            let row = tally.conditioned.iter().position(|&t| t == k)?;
            let sums: Vec<f64> = replicate_sums[row * r..(row + 1) * r]
                .iter()
                .map(FixedSum::sum)
                .collect();
            Some(Estimate::conditioned(
                hits[k],
                draws,
                &sums,
                &replicate_draws,
            ))
        };
        let estimate = |k: usize| {
            if let Some(e) = conditioned(k) {
                return e;
            }
            match pairs.get(k) {
                Some(p) => Estimate::paired(hits[k], draws, p),
                None if r > 0 => Estimate::replicated(
                    hits[k],
                    draws,
                    replicate_hits[k * r..(k + 1) * r].iter().copied(),
                    &replicate_draws,
                ),
                None => Estimate::new(hits[k], draws),
            }
        };
        out.push(ConvergencePoint {
            draws,
            targets: (0..n_targets).map(estimate).collect(),
        });
    }
    out
}

/// Fewest sampled hit (and missed) paths for a target's drivers to be reported.
pub const MIN_DRIVER_PATHS: u64 = 30;

/// Standard errors a driver's standardised difference must clear to be
/// reported: below it, the difference may be sampling noise.
pub const DRIVER_SIGNIFICANCE: f64 = 3.0;

/// The inputs that separate target `k`'s hits from its misses: only those
/// that can move it, and only where the difference is clearly beyond noise.
fn drivers(model: &Model, tally: &Tally, k: usize) -> Vec<Driver> {
    let inputs = model.driver_inputs();
    let reaches = model.driver_reaches(k);
    let n_in = inputs.len();
    let mut out: Vec<Driver> = inputs
        .iter()
        .enumerate()
        .filter(|&(j, _)| reaches[j])
        .filter_map(|(j, &input)| {
            let d = &tally.drivers[k * n_in + j];
            // A contrast needs paths on both sides to mean anything.
            if d.hit.n() < MIN_DRIVER_PATHS || d.miss.n() < MIN_DRIVER_PATHS {
                return None;
            }
            let ((mh, vh), (mm, vm)) = (d.hit.mean_variance()?, d.miss.mean_variance()?);
            let (nh, nm) = (d.hit.n() as f64, d.miss.n() as f64);
            let pooled = (((nh - 1.0) * vh + (nm - 1.0) * vm) / (nh + nm - 2.0)).sqrt();
            if pooled <= 1e-12 {
                return None;
            }
            let effect = (mh - mm) / pooled;
            // The standard error of a standardised difference (Hedges and
            // Olkin 1985): √(1/n₁ + 1/n₂ + d²/(2(n₁ + n₂))).
            let se = (1.0 / nh + 1.0 / nm + effect * effect / (2.0 * (nh + nm))).sqrt();
            if effect.abs() < DRIVER_SIGNIFICANCE * se {
                return None;
            }
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
            Some(Driver {
                subject,
                aspect,
                year: (aspect == Aspect::Base).then_some(model.base_year),
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
                effect,
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
