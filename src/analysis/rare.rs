//! Rare targets: a target that the run puts below [`RARE`] is estimated
//! again by importance sampling, so that it gets a number with a standard
//! error instead of "< x %".
//!
//! The draws that decide it are moved toward where it is hit: every normal
//! score (the per-path parameters', every indicator's, the shocks' effects)
//! is shifted by a mean chosen by the cross-entropy method (Rubinstein and
//! Kroese, 2004): a pilot of up to 8 192 paths, the tenth with the largest
//! margin (or, once a tenth hit, those that hit) averaged with their
//! likelihood ratios, and again from there, for at most [`ROUNDS`] rounds.
//! The estimate is then the mean, over as many paths as the run drew, of
//! each hit's likelihood ratio against the model's own draws, which has
//! the target's probability as its expectation whatever the shift; its
//! standard error comes from the spread between the 16 quasi-Monte Carlo
//! replicates. Uniform draws (shock strikes, counts) are not moved.

use crate::error::Error;
use crate::model::{Model, Sampler};
use crate::simulate::{normal_dimensions, visit_shifted, weighted_hits, RunConfig, CHUNK};
use crate::stats::results::{Estimate, Importance, Results, Verdict, Warning};
use crate::stats::{replicate_variance, t95};

/// Targets the run puts below this probability are estimated again.
pub const RARE: f64 = 0.001;
/// Paths in a pilot: as many as the run draws, from one chunk to eight
/// (the best tenth of 8 192 sets the next shift).
fn pilot(draws: u64) -> u64 {
    draws.clamp(CHUNK as u64, 8 * CHUNK as u64)
}
/// The share of a pilot's paths that sets the next shift.
const ELITE: f64 = 0.1;
/// Pilots before giving up on a target no shift reaches (each shift
/// reached levels about ten times rarer than the last in the tests; three
/// did for 10⁻⁵).
const ROUNDS: usize = 8;

/// Estimates again, by importance sampling, every target of `results` that
/// the run put below [`RARE`] and has a threshold (not composites): on
/// success its estimate is replaced and `importance` says how it was made;
/// a target no shift reaches keeps the run's own.
pub fn refine(model: &Model, cfg: &RunConfig, results: &mut Results) -> Result<(), Error> {
    let mut m = model.clone();
    m.sampler = Sampler::Sobol;
    let normal = normal_dimensions(&m);
    for (k, t) in results.targets.iter_mut().enumerate() {
        if t.estimate.probability >= RARE {
            continue;
        }
        let Some((shift, rounds)) = tilt(&m, cfg, k, &normal) else {
            continue;
        };
        let Some(estimate) = weighted(&m, cfg, &shift, k)? else {
            continue;
        };
        t.importance = Some(Importance {
            run: t.estimate,
            shift: shift.iter().map(|x| x * x).sum::<f64>().sqrt(),
            pilots: rounds,
        });
        results.warnings.push(Warning::ImportanceSampled {
            target: t.id.clone(),
            hits: t.estimate.hits,
        });
        t.estimate = estimate;
        t.verdict = Verdict::of(estimate.probability);
    }
    Ok(())
}

/// The cross-entropy shift toward target `k`, and the pilots it took; none
/// when the target has no threshold or no shift reached it.
fn tilt(m: &Model, cfg: &RunConfig, k: usize, normal: &[bool]) -> Option<(Vec<f64>, usize)> {
    let (dims, seed, pilot) = (normal.len(), cfg.seed, pilot(cfg.draws));
    let mut shift = vec![0.0; dims];
    let mut margins = Vec::with_capacity(pilot as usize);
    for round in 1..=ROUNDS {
        margins.clear();
        visit_shifted(m, seed, pilot, &shift, k, |x, _, _| margins.push(x));
        if margins.is_empty() {
            return None;
        }
        margins.sort_by(f64::total_cmp);
        let cut = margins[((1.0 - ELITE) * margins.len() as f64) as usize];
        if !cut.is_finite() {
            return None;
        }
        let level = cut.min(0.0);
        let (mut sums, mut total) = (vec![0.0; dims], 0.0);
        visit_shifted(m, seed, pilot, &shift, k, |x, lw, z| {
            if x >= level {
                let w = lw.exp();
                total += w;
                for (s, &z) in sums.iter_mut().zip(z) {
                    *s += w * z;
                }
            }
        });
        if !(total > 0.0 && total.is_finite()) {
            return None;
        }
        for ((s, &sum), &normal) in shift.iter_mut().zip(&sums).zip(normal) {
            *s = if normal { sum / total } else { 0.0 };
        }
        if level == 0.0 {
            return Some((shift, round));
        }
    }
    None
}

/// Target `k`'s probability from `cfg.draws` paths shifted by `shift`; none
/// if no path hit or a replicate's weights could not be summed.
fn weighted(
    m: &Model,
    cfg: &RunConfig,
    shift: &[f64],
    k: usize,
) -> Result<Option<Estimate>, Error> {
    let w = weighted_hits(m, cfg, shift, k).map_err(Error::threads)?;
    if w.hits == 0 {
        return Ok(None);
    }
    // Each replicate's draws and summed likelihood ratios of hits.
    let mut replicates = Vec::new();
    for (r, &n) in w.draws.iter().enumerate().filter(|(_, &n)| n > 0) {
        let Some(p) = w.replicate(r) else {
            return Ok(None);
        };
        replicates.push((n as f64, n as f64 * p));
    }
    let draws: f64 = replicates.iter().map(|r| r.0).sum();
    let p = replicates.iter().map(|r| r.1).sum::<f64>() / draws;
    let Some((variance, df)) = replicate_variance(p, replicates.into_iter()) else {
        return Ok(None);
    };
    let se = variance.sqrt();
    let half = t95(df) * se;
    Ok(Some(Estimate {
        hits: w.hits,
        draws: cfg.draws,
        probability: p,
        ci95: ((p - half).max(0.0), (p + half).min(1.0)),
        std_error: se,
    }))
}
