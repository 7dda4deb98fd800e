//! The engine: runs `draws` paths of a [`Model`] and tallies them.
//!
//! Paths are cut into chunks of [`CHUNK`]; chunk `c` draws from its own
//! Xoshiro256++ stream seeded from `(seed, c)`. Worker threads take chunks in
//! any order and keep one [`Tally`] each; tallies merge by integer addition,
//! so the result is the same for any number of threads. The per-path loop
//! writes plain numbers into buffers sized once per worker: it allocates
//! nothing, looks nothing up by name and does no I/O. Sketches are fed a
//! chunk at a time, after the loop.

use std::sync::atomic::{AtomicU64, Ordering};

use rand::{Rng, SeedableRng};
use rand_distr::{Binomial, Distribution, Gamma, Poisson, StandardNormal};
use rand_xoshiro::Xoshiro256PlusPlus;
use rayon::prelude::*;

use crate::model::dist::{Continuous, Param, Resolved, Shape};
use crate::model::{
    Compounding, Direction, DriverInput, Entries, Kind, Model, StatTarget, TargetKind, Tier,
};
use crate::stats::tally::{octave, ChunkMoments, Tally, OCTAVES};

/// Paths per chunk. Part of what a seed means: changing it changes results.
pub const CHUNK: usize = 1024;
/// Drivers of a miss are tallied on every this-many-th path: plenty for a
/// contrast of means, and it keeps their cost out of the hot loop.
pub const DRIVER_EVERY: usize = 16;
/// Distance between columns of the per-chunk buffers. Not a multiple of 4 KiB:
/// columns exactly 8 KiB apart would share L1 cache sets and evict each other.
const STRIDE: usize = CHUNK + 16;

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
    // SplitMix64 finaliser of both parts: neighbouring seeds and chunks get
    // unrelated states (Xoshiro's own seeding then expands the 64 bits).
    fn mix(mut z: u64) -> u64 {
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        z ^ (z >> 31)
    }
    let key = mix(seed.wrapping_add(0x9e37_79b9_7f4a_7c15))
        ^ mix(chunk.wrapping_mul(0xd1b5_4a32_d192_ed03).wrapping_add(1))
        ^ mix(stream.wrapping_mul(0x8cb9_2ba7_2f3d_8dd7).wrapping_add(2));
    Xoshiro256PlusPlus::seed_from_u64(key)
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
    let plan = Plan::new(model);
    let end = paths.end;
    let next = AtomicU64::new(paths.start / CHUNK as u64);
    let n_chunks = end.div_ceil(CHUNK as u64);
    let threads = threads.max(1);
    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(threads)
        .build()?;
    let tally = pool.install(|| {
        (0..threads)
            .into_par_iter()
            .map(|_| {
                let mut worker = Worker::new(&plan);
                loop {
                    let chunk = next.fetch_add(1, Ordering::Relaxed);
                    if chunk >= n_chunks {
                        break;
                    }
                    let start = chunk * CHUNK as u64;
                    let paths = (end - start).min(CHUNK as u64) as usize;
                    worker.run_chunk(seed, chunk, paths);
                    progress(paths as u64);
                }
                worker.tally
            })
            .reduce(
                || plan.empty_tally(),
                |mut a, b| {
                    a.merge(&b);
                    a
                },
            )
    });
    Ok(tally)
}

/// Runs paths `0..draws` in order on the calling thread and shows each to
/// `visit(path, values)`, with `values` year-major: the value of indicator
/// `i` in `year` is at `(year − first_year) × indicators + i`. These are the
/// same draws as [`simulate`] makes for the same seed: for audits and exports.
pub fn for_each_path(model: &Model, seed: u64, draws: u64, mut visit: impl FnMut(u64, &[f64])) {
    let plan = Plan::new(model);
    let mut worker = Worker::new(&plan);
    for chunk in 0..draws.div_ceil(CHUNK as u64) {
        worker.seed_streams(seed, chunk);
        let start = chunk * CHUNK as u64;
        for p in 0..(draws - start).min(CHUNK as u64) as usize {
            worker.run_path(p);
            visit(start + p as u64, &worker.values);
        }
    }
}

/// How a target is decided on a path.
enum Eval<'m> {
    /// Hit when the value in `cell` (year × indicators + indicator) passes
    /// `threshold`: targets whose statistic rises with one year's value.
    Value {
        cell: usize,
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

/// How a yearly growth (or change) moves an indicator.
#[derive(Clone, Copy)]
enum Move {
    /// `X·(1 + g)`, stopping at 0.
    Simple,
    /// `X·exp(g)`
    Log,
    /// `S + g`, held inside [0, 1].
    Share,
}

/// How one indicator goes from one year to the next.
enum Step<'m> {
    /// Growth (or change) deviations from an untruncated normal, the common
    /// case: handled inline, without dispatching on the distribution.
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
        exit_rate: f64,
    },
    /// Evaluated after the others, in dependency order.
    Formula,
}

/// What the engine precomputes from the model once per run.
struct Plan<'m> {
    m: &'m Model,
    n_ind: usize,
    n_years: usize,
    /// Index of the base year among all years.
    base: usize,
    /// Years from the base year to the horizon.
    span: usize,
    /// Resolution of each per-path parameter's distribution (fixed locations).
    params: Vec<Resolved>,
    /// Resolution of each indicator's growth/change, where its location is fixed.
    deviates: Vec<Resolved>,
    /// Indicators whose growth/change location is drawn per path.
    drawn_deviates: Vec<usize>,
    /// `(indicator, base, is a count)` for every indicator with a base.
    bases: Vec<(usize, Param, bool)>,
    steps: Vec<Step<'m>>,
    effects: Vec<Resolved>,
    evals: Vec<Eval<'m>>,
    /// Indicator-years (indicator × span + year from base) that vary between
    /// paths; observed ones are constant and not tallied.
    varying: Vec<usize>,
    /// Each target's tier if it is a statistic (composites are left out of
    /// the joint floor and stretch tallies).
    tiers: Vec<Option<Tier>>,
    /// Driver inputs, and whether each is a compound rate (levels, formulas).
    inputs: Vec<(DriverInput, bool)>,
    /// Distinct target windows as year indices, and each target's window.
    windows: Vec<(usize, usize)>,
    target_windows: Vec<Option<usize>>,
}

impl<'m> Plan<'m> {
    fn new(m: &'m Model) -> Plan<'m> {
        let n_ind = m.indicators.len();
        let n_years = m.n_years();
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
        let drawn_deviates = m
            .indicators
            .iter()
            .enumerate()
            .filter(|(_, ind)| matches!(ind.kind.deviate(), Some(d) if matches!(d.loc, Param::Drawn(_))))
            .map(|(i, _)| i)
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
        let steps = m
            .indicators
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
                    exit_rate: *exit_rate,
                },
                Kind::Formula(_) => Step::Formula,
            })
            .collect();
        let evals = m
            .targets
            .iter()
            .map(|t| match &t.kind {
                TargetKind::Stat(s) => match m.value_form(s) {
                    Some(a) => Eval::Value {
                        cell: m.year_index(s.to) * n_ind + s.indicator,
                        threshold: s.value_threshold(a),
                        direction: s.direction,
                    },
                    None => Eval::Statistic(s),
                },
                TargetKind::Composite { all, members } => Eval::Composite { all: *all, members },
            })
            .collect();
        let span = (m.horizon - m.base_year + 1) as usize;
        let base = m.year_index(m.base_year);
        let varying = (0..n_ind * span)
            .filter(|&stat| m.indicators[stat / span].observed[base + stat % span].is_none())
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
        Plan {
            m,
            n_ind,
            n_years,
            base,
            span,
            params: m
                .params
                .iter()
                .map(|d| d.resolve(fixed_loc(d.loc)))
                .collect(),
            deviates,
            drawn_deviates,
            bases,
            steps,
            effects: m
                .shocks
                .iter()
                .map(|s| s.effect.resolve(fixed_loc(s.effect.loc)))
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
        }
    }

    fn empty_tally(&self) -> Tally {
        Tally::new(
            self.n_ind,
            self.m.targets.len(),
            self.span,
            self.inputs.len(),
        )
    }
}

/// One thread's tally and scratch space.
struct Worker<'p, 'm> {
    plan: &'p Plan<'m>,
    tally: Tally,
    drawn: Vec<f64>,
    resolved: Vec<Resolved>,
    /// Every indicator's value in every year, year-major.
    values: Vec<f64>,
    /// AR(1) state of each indicator's growth deviation.
    ar: Vec<f64>,
    /// Shock effects on each indicator's growth this year.
    shock_add: Vec<f64>,
    normals: Vec<f64>,
    scores: Vec<f64>,
    hit: Vec<bool>,
    stopped: Vec<bool>,
    clamped: Vec<bool>,
    /// Indicator values by (indicator-year, path in chunk), [`STRIDE`] apart,
    /// fed to the tally a column at a time.
    value_buf: Vec<f64>,
    /// Target statistics by (target, path in chunk).
    stat_buf: Vec<f64>,
    /// Whether each shock struck in each year (shock × years + year).
    struck: Vec<bool>,
    /// Driver input values by (window, input), on sampled paths.
    driver_values: Vec<f64>,
    /// This chunk's driver moments by (target, input): (hit, miss).
    driver_chunk: Vec<(ChunkMoments, ChunkMoments)>,
    /// One random stream per component: [`PARAMS`], [`COPULA`], then each
    /// indicator from [`INDICATORS`], then each shock.
    rngs: Vec<Xoshiro256PlusPlus>,
    /// Hit counts when the current chunk began.
    hits_before: Vec<u64>,
}

/// Stream of the per-path parameters.
const PARAMS: usize = 0;
/// Stream of the correlated normal scores.
const COPULA: usize = 1;
/// Stream of the first indicator; the others follow, then the shocks.
const INDICATORS: usize = 2;

impl<'p, 'm> Worker<'p, 'm> {
    fn new(plan: &'p Plan<'m>) -> Self {
        let m = plan.m;
        let n = plan.n_ind;
        let n_corr = m.correlation.as_ref().map_or(0, |c| c.members.len());
        let mut values = vec![0.0; n * plan.n_years];
        for (i, ind) in m.indicators.iter().enumerate() {
            for (t, v) in ind.observed.iter().enumerate() {
                values[t * n + i] = v.unwrap_or(f64::NAN);
            }
        }
        Worker {
            plan,
            tally: plan.empty_tally(),
            drawn: vec![0.0; m.params.len()],
            resolved: plan.deviates.clone(),
            values,
            ar: vec![0.0; n],
            shock_add: vec![0.0; n],
            normals: vec![0.0; n_corr],
            scores: vec![0.0; n_corr],
            hit: vec![false; m.targets.len()],
            stopped: vec![false; n],
            clamped: vec![false; n],
            value_buf: vec![0.0; n * plan.span * STRIDE],
            stat_buf: vec![0.0; m.targets.len() * STRIDE],
            struck: vec![false; m.shocks.len() * plan.n_years],
            driver_values: vec![0.0; plan.windows.len() * plan.inputs.len()],
            driver_chunk: vec![Default::default(); m.targets.len() * plan.inputs.len()],
            rngs: vec![chunk_rng(0, 0); INDICATORS + n + m.shocks.len()],
            hits_before: vec![0; m.targets.len()],
        }
    }

    fn run_chunk(&mut self, seed: u64, chunk: u64, paths: usize) {
        self.hits_before.copy_from_slice(&self.tally.hits);
        self.seed_streams(seed, chunk);
        for p in 0..paths {
            self.run_path(p);
        }
        let plan = self.plan;
        for &stat in &plan.varying {
            self.tally
                .add_values(stat, &self.value_buf[stat * STRIDE..stat * STRIDE + paths]);
        }
        for (k, eval) in plan.evals.iter().enumerate() {
            if let Eval::Statistic(_) = eval {
                self.tally
                    .add_statistics(k, &self.stat_buf[k * STRIDE..k * STRIDE + paths]);
            }
        }
        for (d, (hit, miss)) in self.tally.drivers.iter_mut().zip(&mut self.driver_chunk) {
            d.hit.take(hit);
            d.miss.take(miss);
        }
        self.tally.draws += paths as u64;
        let o = octave(chunk).min(OCTAVES - 1);
        let n_targets = self.hits_before.len();
        for (k, (now, before)) in self.tally.hits.iter().zip(&self.hits_before).enumerate() {
            self.tally.octave_hits[o * n_targets + k] += now - before;
        }
        self.tally.octave_draws[o] += paths as u64;
    }

    #[inline]
    /// Positions every component's stream at the start of `chunk`.
    fn seed_streams(&mut self, seed: u64, chunk: u64) {
        for (k, rng) in self.rngs.iter_mut().enumerate() {
            *rng = stream_rng(seed, chunk, k as u64);
        }
    }

    fn run_path(&mut self, p: usize) {
        let plan = self.plan;
        let m = plan.m;
        let n = plan.n_ind;

        for (slot, d) in m.params.iter().enumerate() {
            self.drawn[slot] = d.sample(&plan.params[slot], &mut self.rngs[PARAMS]);
        }
        for &i in &plan.drawn_deviates {
            if let Some(d) = m.indicators[i].kind.deviate() {
                self.resolved[i] = d.resolve(d.loc.get(&self.drawn));
            }
        }
        for &(i, base, is_count) in &plan.bases {
            let v = base.get(&self.drawn);
            self.values[plan.base * n + i] = if is_count { v.round().max(0.0) } else { v };
        }
        self.eval_formulas(plan.base);
        self.ar.fill(0.0);
        self.stopped.fill(false);
        self.clamped.fill(false);
        self.struck.fill(false);

        for t in plan.base + 1..plan.n_years {
            self.draw_scores();
            self.draw_shocks(m.first_year + t as i32);
            let (done, rest) = self.values.split_at_mut(t * n);
            let (prev_row, row) = (&done[(t - 1) * n..], &mut rest[..n]);
            let streams = &mut self.rngs[INDICATORS..INDICATORS + n];
            for ((i, step), rng) in plan.steps.iter().enumerate().zip(streams) {
                let prev = prev_row[i];
                row[i] = match *step {
                    Step::Normal { sd, phi, corr, to } => {
                        let z = match corr {
                            Some(k) => self.scores[k],
                            None => StandardNormal.sample(rng),
                        };
                        // The same arithmetic as the general path below.
                        let center = self.resolved[i].mean;
                        let x = center + sd * z;
                        self.ar[i] = phi * self.ar[i] + (x - center);
                        let g = center + self.ar[i] + self.shock_add[i];
                        advance(to, prev, g, &mut self.stopped[i], &mut self.clamped[i])
                    }
                    Step::Deviate { d, phi, corr, to } => {
                        let r = &self.resolved[i];
                        let x = match corr {
                            Some(k) => d.from_normal_score(r, self.scores[k]),
                            None => d.sample(r, rng),
                        };
                        self.ar[i] = phi * self.ar[i] + (x - r.mean);
                        let g = r.mean + self.ar[i] + self.shock_add[i];
                        advance(to, prev, g, &mut self.stopped[i], &mut self.clamped[i])
                    }
                    Step::Count { entries, exit_rate } => {
                        let units = prev as u64;
                        let exits = if exit_rate > 0.0 && units > 0 {
                            Binomial::new(units, exit_rate).map_or(0, |b| b.sample(rng))
                        } else {
                            0
                        };
                        let mean = entries.mean.get(&self.drawn);
                        (units - exits) as f64 + draw_entries(mean, entries.dispersion, rng)
                    }
                    Step::Formula => continue,
                };
            }
            self.eval_formulas(t);
        }

        for i in 0..n {
            self.tally.stopped_at_zero[i] += u64::from(self.stopped[i]);
            self.tally.clamped[i] += u64::from(self.clamped[i]);
            for s in 0..plan.span {
                self.value_buf[(i * plan.span + s) * STRIDE + p] =
                    self.values[(plan.base + s) * n + i];
            }
        }
        self.evaluate_targets(p);
        if p % DRIVER_EVERY == 0 {
            self.tally_drivers();
        }
    }

    /// Adds this path's driver inputs to each target's hit or miss moments.
    fn tally_drivers(&mut self) {
        let plan = self.plan;
        let (n, ny, n_in) = (plan.n_ind, plan.n_years, plan.inputs.len());
        for (w, &(a, b)) in plan.windows.iter().enumerate() {
            let years = (b - a) as f64;
            for (j, &(input, rate)) in plan.inputs.iter().enumerate() {
                self.driver_values[w * n_in + j] = match input {
                    DriverInput::Indicator(i) => {
                        let (x0, x1) = (self.values[a * n + i], self.values[b * n + i]);
                        if rate {
                            (x1 / x0).powf(1.0 / years) - 1.0
                        } else {
                            (x1 - x0) / years
                        }
                    }
                    DriverInput::Shock(s) => self.struck[s * ny + a + 1..=s * ny + b]
                        .iter()
                        .filter(|&&x| x)
                        .count() as f64,
                    DriverInput::Param(slot) => self.drawn[slot],
                };
            }
        }
        for (k, window) in plan.target_windows.iter().enumerate() {
            let Some(w) = *window else { continue };
            let values = &self.driver_values[w * n_in..(w + 1) * n_in];
            let sums = &mut self.driver_chunk[k * n_in..(k + 1) * n_in];
            for ((hit, miss), &x) in sums.iter_mut().zip(values) {
                if self.hit[k] {
                    hit.add(x);
                } else {
                    miss.add(x);
                }
            }
        }
    }

    /// Correlated standard normal scores for the copula: `L·n`.
    #[inline]
    fn draw_scores(&mut self) {
        let rng = &mut self.rngs[COPULA];
        let Some(c) = &self.plan.m.correlation else {
            return;
        };
        let n = self.normals.len();
        for v in self.normals.iter_mut() {
            *v = StandardNormal.sample(rng);
        }
        for a in 0..n {
            let row = &c.cholesky.data[a * n..a * n + a + 1];
            self.scores[a] = row.iter().zip(&self.normals).map(|(l, z)| l * z).sum();
        }
    }

    #[inline]
    fn draw_shocks(&mut self, year: i32) {
        self.shock_add.fill(0.0);
        for (s, shock) in self.plan.m.shocks.iter().enumerate() {
            if year < shock.first || year > shock.last {
                continue;
            }
            let p = shock.probability.get(&self.drawn);
            let rng = &mut self.rngs[INDICATORS + self.plan.n_ind + s];
            // The effect is drawn every year, struck or not, so that the
            // probability does not change which numbers come after.
            let strikes = rng.random::<f64>() < p;
            let r = &self.plan.effects[s];
            let effect = match shock.effect.shape {
                // The common case, without the general sampler's dispatch.
                Shape::Normal { sd } if !shock.effect.is_truncated() => {
                    let z: f64 = StandardNormal.sample(rng);
                    r.loc + sd * z
                }
                _ => shock.effect.sample(r, rng),
            };
            if strikes {
                self.struck[s * self.plan.n_years + (year - self.plan.m.first_year) as usize] =
                    true;
                for &(i, loading) in &shock.loadings {
                    self.shock_add[i] += effect * loading;
                }
            }
        }
    }

    #[inline]
    fn eval_formulas(&mut self, t: usize) {
        let m = self.plan.m;
        let row = &mut self.values[t * self.plan.n_ind..(t + 1) * self.plan.n_ind];
        for &i in &m.formula_order {
            if let Kind::Formula(f) = &m.indicators[i].kind {
                row[i] = f.eval(|j| row[j]);
            }
        }
    }

    #[inline]
    fn evaluate_targets(&mut self, p: usize) {
        let plan = self.plan;
        let m = plan.m;
        let n = plan.n_ind;
        for &k in &m.target_order {
            let hit = match &plan.evals[k] {
                Eval::Value {
                    cell,
                    threshold,
                    direction,
                } => direction.holds(self.values[*cell], *threshold),
                Eval::Statistic(t) => {
                    let values = &self.values;
                    let s = t.statistic(|y| values[(y - m.first_year) as usize * n + t.indicator]);
                    self.stat_buf[k * STRIDE + p] = s;
                    t.direction.holds(s, t.threshold)
                }
                Eval::Composite { all: true, members } => members.iter().all(|&j| self.hit[j]),
                Eval::Composite {
                    all: false,
                    members,
                } => members.iter().any(|&j| self.hit[j]),
            };
            self.hit[k] = hit;
            self.tally.hits[k] += u64::from(hit);
        }
        let (mut floor, mut stretch) = (true, true);
        for (tier, &hit) in plan.tiers.iter().zip(&self.hit) {
            match tier {
                Some(Tier::Floor) => floor &= hit,
                Some(Tier::Stretch) => stretch &= hit,
                None => {}
            }
        }
        self.tally.joint[0] += u64::from(floor);
        self.tally.joint[1] += u64::from(stretch);
    }
}

/// One year's move of a level or share by growth (or change) `g`.
#[inline]
fn advance(to: Move, prev: f64, g: f64, stopped: &mut bool, clamped: &mut bool) -> f64 {
    match to {
        Move::Simple if g <= -1.0 => {
            *stopped = true;
            0.0
        }
        Move::Simple => prev * (1.0 + g),
        Move::Log => prev * g.exp(),
        Move::Share => {
            let s = prev + g;
            if !(0.0..=1.0).contains(&s) {
                *clamped = true;
            }
            s.clamp(0.0, 1.0)
        }
    }
}

/// Yearly additions: Poisson, or negative binomial (gamma–Poisson mixture).
#[inline]
fn draw_entries(mean: f64, dispersion: Option<f64>, rng: &mut Xoshiro256PlusPlus) -> f64 {
    let lambda = match dispersion {
        Some(r) if mean > 0.0 => Gamma::new(r, mean / r).map_or(mean, |g| g.sample(rng)),
        _ => mean,
    };
    if lambda > 0.0 {
        Poisson::new(lambda).map_or(0.0, |d| d.sample(rng))
    } else {
        0.0
    }
}
