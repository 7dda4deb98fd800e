//! The engine: runs `draws` paths of a [`Model`] and tallies them.
//!
//! Paths are cut into chunks of [`CHUNK`]; chunk `c` draws from its own
//! Xoshiro256++ stream seeded from `(seed, c)`. Worker threads take chunks in
//! any order and keep one [`Tally`] each; tallies merge by integer addition,
//! so the result is the same for any number of threads. The model is
//! compiled once into a [`plan`] of indices and plain numbers; a [`worker`]
//! runs a chunk a block of paths at a time into buffers sized once per
//! thread: it allocates nothing, looks nothing up by name and does no I/O.

mod counts;
mod kernels;
mod plan;
mod qmc;
mod shifted;
mod sobol;

pub use shifted::{normal_dimensions, visit_shifted, weighted_hits, Weighted};
mod worker;

use std::sync::atomic::{AtomicU64, Ordering};

use rand::SeedableRng;
use rand_xoshiro::Xoshiro256PlusPlus;
use rayon::prelude::*;
use serde::{Deserialize, Serialize};

use crate::model::Model;
use crate::stats::tally::Tally;
use plan::Plan;
use worker::Worker;

/// Paths per chunk. Part of what a seed means: changing it changes results.
pub const CHUNK: usize = 1024;
/// Independently scrambled replicates of a quasi-Monte Carlo run: chunk `c`
/// belongs to replicate `c mod REPLICATES`. Sixteen give intervals with 15
/// degrees of freedom (Student's t of 2.13 where the normal's is 1.96) and
/// leave each replicate most of the points. Part of what a seed means.
pub const REPLICATES: usize = 16;
/// Drivers of a miss are tallied on every this-many-th path: plenty for a
/// contrast of means, and it keeps their cost out of the hot loop.
pub const DRIVER_EVERY: usize = 16;

#[derive(Debug, Clone, Copy)]
pub struct RunConfig {
    pub draws: u64,
    pub seed: u64,
    pub threads: usize,
}

/// The random stream of chunk `chunk` for `seed` (stream 0 of the chunk).
pub fn chunk_rng(seed: u64, chunk: u64) -> Xoshiro256PlusPlus {
    stream_rng(seed, chunk, 0)
}

/// Stream `stream` of chunk `chunk` for `seed`. Each component of a model
/// (per-path parameters, the copula, each indicator, each shock) draws from
/// its own stream, so that changing one input's distribution cannot change
/// the numbers another component gets: runs that differ in one assumption
/// differ only through it (common random numbers).
pub fn stream_rng(seed: u64, chunk: u64, stream: u64) -> Xoshiro256PlusPlus {
    // SplitMix64 finaliser of each part: neighbouring seeds and chunks get
    // unrelated states (Xoshiro's own seeding then expands the 64 bits).
    let key = stream_key(seed.wrapping_add(0x9e37_79b9_7f4a_7c15))
        ^ stream_key(chunk.wrapping_mul(0xd1b5_4a32_d192_ed03).wrapping_add(1))
        ^ stream_key(stream.wrapping_mul(0x8cb9_2ba7_2f3d_8dd7).wrapping_add(2));
    Xoshiro256PlusPlus::seed_from_u64(key)
}

/// SplitMix64's finaliser: a number with no visible relation to `z`'s
/// neighbours' (a stream's key, or which path of 16 a chunk's drivers read).
pub(crate) fn stream_key(mut z: u64) -> u64 {
    z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
    z ^ (z >> 31)
}

/// Runs the model. `progress` is called with the number of paths after each chunk.
pub fn simulate(
    model: &Model,
    cfg: &RunConfig,
    progress: &(dyn Fn(u64) + Sync),
) -> Result<Tally, rayon::ThreadPoolBuildError> {
    simulate_paths(model, cfg.seed, cfg.threads, 0..cfg.draws, progress)
}

/// Runs paths `paths` (starting on a chunk boundary) of the run with `seed`.
/// Tallies of consecutive ranges merge into exactly the tally of their union:
/// this is how a run keeps drawing until it is precise enough.
pub fn simulate_paths(
    model: &Model,
    seed: u64,
    threads: usize,
    paths: std::ops::Range<u64>,
    progress: &(dyn Fn(u64) + Sync),
) -> Result<Tally, rayon::ThreadPoolBuildError> {
    debug_assert_eq!(paths.start % CHUNK as u64, 0, "ranges start on a chunk");
    let chunks = Chunks {
        first: paths.start / CHUNK as u64,
        step: 1,
        draws: paths.end,
    };
    simulate_chunks(model, seed, threads, chunks, progress)
}

/// One of `count` shares of a run's chunks: chunk `c` belongs to shard
/// `c mod count`, so shards of any count cover every chunk exactly once and
/// their tallies merge into exactly the whole run's (`dabiao merge`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Shard {
    /// From 0 to `count − 1`.
    pub index: u64,
    pub count: u64,
}

impl Shard {
    /// The most shards a run may be cut into.
    pub const MAX_COUNT: u64 = 1 << 20;

    pub fn new(index: u64, count: u64) -> Result<Shard, String> {
        if count == 0 || count > Shard::MAX_COUNT {
            return Err(format!(
                "a run is cut into 1 to {} shards, not {count}",
                Shard::MAX_COUNT
            ));
        }
        if index >= count {
            return Err(format!(
                "shard {index} of {count} does not exist: shards count from 0 to {} (as Slurm's --array=0-{} and Kubernetes' JOB_COMPLETION_INDEX do)",
                count - 1,
                count - 1
            ));
        }
        Ok(Shard { index, count })
    }

    /// Paths this shard runs of a run of `draws`.
    pub fn paths(&self, draws: u64) -> u64 {
        let n_chunks = draws.div_ceil(CHUNK as u64);
        let mine = n_chunks.saturating_sub(self.index).div_ceil(self.count);
        let last = n_chunks.checked_sub(1);
        // Every chunk is whole but the run's last one.
        let short = last.filter(|l| l % self.count == self.index && draws % CHUNK as u64 != 0);
        mine * CHUNK as u64 - short.map_or(0, |_| CHUNK as u64 - draws % CHUNK as u64)
    }
}

/// Runs shard `shard` of the run of `cfg.draws` paths: its chunks only.
pub fn simulate_shard(
    model: &Model,
    cfg: &RunConfig,
    shard: Shard,
    progress: &(dyn Fn(u64) + Sync),
) -> Result<Tally, rayon::ThreadPoolBuildError> {
    let chunks = Chunks {
        first: shard.index,
        step: shard.count,
        draws: cfg.draws,
    };
    simulate_chunks(model, cfg.seed, cfg.threads, chunks, progress)
}

/// The chunks `first`, `first + step`, … of a run of `draws` paths.
struct Chunks {
    first: u64,
    step: u64,
    draws: u64,
}

fn simulate_chunks(
    model: &Model,
    seed: u64,
    threads: usize,
    chunks: Chunks,
    progress: &(dyn Fn(u64) + Sync),
) -> Result<Tally, rayon::ThreadPoolBuildError> {
    let plan = Plan::new(model);
    let end = chunks.draws;
    let n_chunks = end.div_ceil(CHUNK as u64);
    // Chunks to run: first + k × step for k in 0..to_run.
    let to_run = n_chunks.saturating_sub(chunks.first).div_ceil(chunks.step);
    let tally = on_threads(
        threads,
        to_run,
        || Worker::new(&plan),
        |worker, k| {
            let chunk = chunks.first + k * chunks.step;
            let paths = (end - chunk * CHUNK as u64).min(CHUNK as u64) as usize;
            worker.run_chunk(seed, chunk, paths, |_, _, _| {});
            progress(paths as u64);
        },
        |worker| worker.tally,
        // Merged into one worker's tally: no empty tally copied into.
        |mut a, b| {
            a.merge(&b);
            a
        },
    )?;
    Ok(tally.unwrap_or_else(|| plan.empty_tally()))
}

/// Runs tasks `0 … tasks − 1` (chunks, or a shard's share of them) on
/// `threads` threads that share nothing but the counter they take tasks
/// from: each makes its state with `start`, runs the tasks it takes with
/// `run`, in whatever order they come, and gives `end` of its state; those
/// are merged with `merge` in any order (what they hold must merge exactly,
/// so that the result is the same for any number of threads). None when
/// there was no task.
fn on_threads<S, T: Send>(
    threads: usize,
    tasks: u64,
    start: impl Fn() -> S + Sync,
    run: impl Fn(&mut S, u64) + Sync,
    end: impl Fn(S) -> T + Sync,
    merge: impl Fn(T, T) -> T + Sync + Send,
) -> Result<Option<T>, rayon::ThreadPoolBuildError> {
    let next = AtomicU64::new(0);
    // A thread with no task to run would only cost its buffers.
    let threads = threads.clamp(1, tasks.clamp(1, usize::MAX as u64) as usize);
    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(threads)
        .build()?;
    Ok(pool.install(|| {
        (0..threads)
            .into_par_iter()
            .map(|_| {
                let mut state = start();
                loop {
                    let k = next.fetch_add(1, Ordering::Relaxed);
                    if k >= tasks {
                        break;
                    }
                    run(&mut state, k);
                }
                end(state)
            })
            .reduce_with(merge)
    }))
}

/// An empty tally of the model's shape: what a part read from a file must match.
pub fn empty_tally(model: &Model) -> Tally {
    Plan::new(model).empty_tally()
}

/// Paths on which the first model hit a target and another missed it
/// (`[0]`), and the other way round (`[1]`): what a paired difference needs.
pub type Discordant = [u64; 2];

/// Runs several models on the same random numbers (each chunk's streams
/// are the same for all) and tallies each; for every later model `v` and
/// every target `k` of the first with a counterpart `matched[v][k]` in `v`,
/// counts the discordant paths. Memory is one chunk of the first model's
/// hits per thread, whatever the number of draws.
pub fn simulate_paired(
    models: &[&Model],
    matched: &[Vec<Option<usize>>],
    cfg: &RunConfig,
    progress: &(dyn Fn(u64) + Sync),
) -> Result<(Vec<Tally>, Vec<Vec<Discordant>>), rayon::ThreadPoolBuildError> {
    let plans: Vec<Plan> = models.iter().map(|m| Plan::new(m)).collect();
    let n_targets = models[0].targets.len();
    let n_chunks = cfg.draws.div_ceil(CHUNK as u64);
    let empty = || {
        let tallies: Vec<Tally> = plans.iter().map(Plan::empty_tally).collect();
        (tallies, vec![vec![[0u64; 2]; n_targets]; models.len()])
    };
    // Each thread's workers, the first model's hits in the chunk, and the
    // discordant paths.
    let start = || {
        let workers: Vec<Worker> = plans.iter().map(Worker::new).collect();
        let first_hits = vec![false; n_targets * CHUNK];
        (workers, first_hits, empty().1)
    };
    let run =
        |(workers, first_hits, discordant): &mut (Vec<Worker>, Vec<bool>, Vec<Vec<Discordant>>),
         chunk: u64| {
            let start = chunk * CHUNK as u64;
            let paths = (cfg.draws - start).min(CHUNK as u64) as usize;
            let (base, others) = workers.split_first_mut().expect("a model");
            base.run_chunk(cfg.seed, chunk, paths, |w, first, len| {
                for k in 0..n_targets {
                    first_hits[k * CHUNK + first..][..len].copy_from_slice(w.block_hits(k, len));
                }
            });
            progress(paths as u64);
            for (v, worker) in others.iter_mut().enumerate() {
                let (matched, counts) = (&matched[v + 1], &mut discordant[v + 1]);
                worker.run_chunk(cfg.seed, chunk, paths, |w, first, len| {
                    for (k, kv) in matched.iter().enumerate() {
                        let Some(kv) = *kv else { continue };
                        let a = &first_hits[k * CHUNK + first..][..len];
                        for (&a, &b) in a.iter().zip(w.block_hits(kv, len)) {
                            counts[k][0] += u64::from(a & !b);
                            counts[k][1] += u64::from(!a & b);
                        }
                    }
                });
                progress(paths as u64);
            }
        };
    let merged = on_threads(
        cfg.threads,
        n_chunks,
        start,
        run,
        |(workers, _, discordant)| {
            let tallies = workers.into_iter().map(|w| w.tally).collect::<Vec<_>>();
            (tallies, discordant)
        },
        |(mut ta, mut da), (tb, db)| {
            for (a, b) in ta.iter_mut().zip(&tb) {
                a.merge(b);
            }
            for (a, b) in da.iter_mut().flatten().zip(db.iter().flatten()) {
                a[0] += b[0];
                a[1] += b[1];
            }
            (ta, da)
        },
    )?;
    Ok(merged.unwrap_or_else(empty))
}

/// Runs paths `0..draws` in order on the calling thread and shows each to
/// `visit(path, values)`, with `values` year-major: the value of indicator
/// `i` in `year` is at `(year − first_year) × indicators + i`. These are the
/// same draws as [`simulate`] makes for the same seed: for audits and exports.
pub fn for_each_path(model: &Model, seed: u64, draws: u64, mut visit: impl FnMut(u64, &[f64])) {
    let plan = Plan::new(model);
    let mut worker = Worker::new(&plan);
    let mut values = vec![0.0; plan.n_ind * plan.n_years];
    for chunk in 0..draws.div_ceil(CHUNK as u64) {
        let start = chunk * CHUNK as u64;
        let paths = (draws - start).min(CHUNK as u64) as usize;
        worker.run_chunk(seed, chunk, paths, |worker, first, len| {
            for j in 0..len {
                worker.path_values(j, &mut values);
                visit(start + (first + j) as u64, &values);
            }
        });
    }
}
