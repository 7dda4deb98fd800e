//! Runs whose normal scores are shifted (importance sampling of rare
//! targets, `analysis::rare`): every path weighed by its likelihood ratio
//! against the model's own draws. Quasi-Monte Carlo points as
//! `Sampler::Sobol` draws them, so that replicates give the standard error.

use super::plan::Plan;
use super::worker::Worker;
use super::{on_threads, RunConfig, CHUNK, REPLICATES};
use crate::model::{Model, Sampler};
use crate::stats::tally::{ChunkSum, FixedSum};

/// Which dimensions of a model's quasi-Monte Carlo points are normal
/// scores (the others are uniforms): a shift has one number each, and
/// moves only the normal ones.
pub fn normal_dimensions(model: &Model) -> Vec<bool> {
    let mut m = model.clone();
    m.sampler = Sampler::Sobol;
    Plan::new(&m).qmc.map_or_else(Vec::new, |q| q.normal)
}

/// Whether the model's sampler draws the points a shift applies to.
fn check(model: &Model) {
    assert_eq!(
        model.sampler,
        Sampler::Sobol,
        "shifted runs draw Sobol' points"
    );
}

/// Runs paths `0 … draws − 1` on the calling thread with the normal scores
/// shifted by `shift`, and shows each to `visit(margin, log weight, point)`:
/// by how much target `k` held (`Worker::block_margins`), the path's log
/// likelihood ratio and its point (normal scores where the dimension is
/// one). Nothing for a target without a threshold.
pub fn visit_shifted(
    model: &Model,
    seed: u64,
    draws: u64,
    shift: &[f64],
    k: usize,
    mut visit: impl FnMut(f64, f64, &[f64]),
) {
    check(model);
    let plan = Plan::new(model);
    let mut worker = Worker::new(&plan);
    worker.set_shift(shift);
    let mut point = vec![0.0; shift.len()];
    let mut margins = vec![0.0; CHUNK];
    for chunk in 0..draws.div_ceil(CHUNK as u64) {
        let paths = (draws - chunk * CHUNK as u64).min(CHUNK as u64) as usize;
        worker.run_chunk(seed, chunk, paths, |w, _, len| {
            let margins = &mut margins[..len];
            if !w.block_margins(k, margins) {
                return;
            }
            for (j, (&x, &lw)) in margins.iter().zip(w.block_log_weights(len)).enumerate() {
                w.block_point(j, &mut point);
                visit(x, lw, &point);
            }
        });
    }
}

/// Target `k` on a shifted run: each replicate's draws and sum of the
/// likelihood ratios of the paths that hit, times 2⁴⁰ (in fixed point, so
/// that the sum is the same for any number of threads, and scaled so that
/// its 2⁻³² steps are 2⁻⁷² of a probability), and the paths that hit.
#[derive(Debug, Clone, PartialEq)]
pub struct Weighted {
    pub draws: Vec<u64>,
    sums: Vec<FixedSum>,
    pub hits: u64,
}

/// ln 2⁴⁰: the scale of the weights summed.
const SCALE_LN: f64 = 40.0 * std::f64::consts::LN_2;

impl Weighted {
    /// Replicate `r`'s estimate: its likelihood ratios of hits over its draws.
    pub fn replicate(&self, r: usize) -> Option<f64> {
        Some(self.sums[r].mean()? / 2f64.powi(40))
    }
}

/// Runs `cfg.draws` paths with the normal scores shifted by `shift` and
/// weighs target `k`'s hits.
pub fn weighted_hits(
    model: &Model,
    cfg: &RunConfig,
    shift: &[f64],
    k: usize,
) -> Result<Weighted, rayon::ThreadPoolBuildError> {
    check(model);
    let plan = Plan::new(model);
    let empty = || Weighted {
        draws: vec![0; REPLICATES],
        sums: vec![FixedSum::default(); REPLICATES],
        hits: 0,
    };
    // Each thread's worker, what it found, and one chunk's weights.
    let start = || {
        let mut worker = Worker::new(&plan);
        worker.set_shift(shift);
        (worker, empty(), vec![0.0; CHUNK])
    };
    let run = |(worker, out, weights): &mut (Worker, Weighted, Vec<f64>), chunk: u64| {
        let paths = (cfg.draws - chunk * CHUNK as u64).min(CHUNK as u64) as usize;
        let mut sum = ChunkSum::default();
        let mut hits = 0;
        worker.run_chunk(cfg.seed, chunk, paths, |w, _, len| {
            let hit = w.block_hits(k, len);
            let lw = w.block_log_weights(len);
            for ((x, &h), &lw) in weights.iter_mut().zip(hit).zip(lw) {
                *x = if h { (lw + SCALE_LN).exp() } else { 0.0 };
                hits += u64::from(h);
            }
            sum.add_all(&weights[..len]);
        });
        let r = (chunk % REPLICATES as u64) as usize;
        out.draws[r] += paths as u64;
        out.sums[r].take(&mut sum);
        out.hits += hits;
    };
    let merged = on_threads(
        cfg.threads,
        cfg.draws.div_ceil(CHUNK as u64),
        start,
        run,
        |(_, out, _)| out,
        |mut a, b| {
            for r in 0..REPLICATES {
                a.draws[r] += b.draws[r];
                a.sums[r].merge(&b.sums[r]);
            }
            a.hits += b.hits;
            a
        },
    )?;
    Ok(merged.unwrap_or_else(empty))
}
