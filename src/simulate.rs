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

use crate::model::dist::{Param, Resolved};
use crate::model::{Compounding, Kind, Model, TargetKind};
use crate::stats::tally::Tally;

/// Paths per chunk. Part of what a seed means: changing it changes results.
pub const CHUNK: usize = 1024;

#[derive(Debug, Clone, Copy)]
pub struct RunConfig {
    pub draws: u64,
    pub seed: u64,
    pub threads: usize,
}

/// The random stream of chunk `chunk` for `seed`.
pub fn chunk_rng(seed: u64, chunk: u64) -> Xoshiro256PlusPlus {
    // SplitMix64 finaliser of both parts: neighbouring seeds and chunks get
    // unrelated states (Xoshiro's own seeding then expands the 64 bits).
    fn mix(mut z: u64) -> u64 {
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        z ^ (z >> 31)
    }
    let key = mix(seed.wrapping_add(0x9e37_79b9_7f4a_7c15))
        ^ mix(chunk.wrapping_mul(0xd1b5_4a32_d192_ed03).wrapping_add(1));
    Xoshiro256PlusPlus::seed_from_u64(key)
}

/// Runs the model. `progress` is called with the number of paths after each chunk.
pub fn simulate(
    model: &Model,
    cfg: &RunConfig,
    progress: &(dyn Fn(u64) + Sync),
) -> Result<Tally, rayon::ThreadPoolBuildError> {
    let plan = Plan::new(model);
    let n_chunks = cfg.draws.div_ceil(CHUNK as u64);
    let next = AtomicU64::new(0);
    let threads = cfg.threads.max(1);
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
                    let paths = (cfg.draws - start).min(CHUNK as u64) as usize;
                    worker.run_chunk(cfg.seed, chunk, paths);
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

/// What the engine precomputes from the model once per run.
struct Plan<'m> {
    m: &'m Model,
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
    /// Position of each indicator in the correlation matrix.
    corr_pos: Vec<Option<usize>>,
    effects: Vec<Resolved>,
}

impl<'m> Plan<'m> {
    fn new(m: &'m Model) -> Plan<'m> {
        let mut corr_pos = vec![None; m.indicators.len()];
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
        Plan {
            m,
            n_years: m.n_years(),
            base: m.year_index(m.base_year),
            span: (m.horizon - m.base_year + 1) as usize,
            params: m
                .params
                .iter()
                .map(|d| d.resolve(fixed_loc(d.loc)))
                .collect(),
            deviates,
            drawn_deviates,
            corr_pos,
            effects: m
                .shocks
                .iter()
                .map(|s| s.effect.resolve(fixed_loc(s.effect.loc)))
                .collect(),
        }
    }

    fn empty_tally(&self) -> Tally {
        Tally::new(self.m.indicators.len(), self.m.targets.len(), self.span)
    }
}

/// One thread's tally and scratch space.
struct Worker<'p, 'm> {
    plan: &'p Plan<'m>,
    tally: Tally,
    drawn: Vec<f64>,
    resolved: Vec<Resolved>,
    /// Every indicator's value in every year, indicator-major.
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
    /// Indicator values by (indicator-year, path in chunk), fed to sketches per chunk.
    value_buf: Vec<f64>,
    /// Target statistics by (target, path in chunk).
    stat_buf: Vec<f64>,
}

impl<'p, 'm> Worker<'p, 'm> {
    fn new(plan: &'p Plan<'m>) -> Self {
        let m = plan.m;
        let n_ind = m.indicators.len();
        let n_corr = m.correlation.as_ref().map_or(0, |c| c.members.len());
        let mut values = vec![0.0; n_ind * plan.n_years];
        for (i, ind) in m.indicators.iter().enumerate() {
            for (t, v) in ind.observed.iter().enumerate() {
                values[i * plan.n_years + t] = v.unwrap_or(f64::NAN);
            }
        }
        Worker {
            plan,
            tally: plan.empty_tally(),
            drawn: vec![0.0; m.params.len()],
            resolved: plan.deviates.clone(),
            values,
            ar: vec![0.0; n_ind],
            shock_add: vec![0.0; n_ind],
            normals: vec![0.0; n_corr],
            scores: vec![0.0; n_corr],
            hit: vec![false; m.targets.len()],
            stopped: vec![false; n_ind],
            clamped: vec![false; n_ind],
            value_buf: vec![0.0; n_ind * plan.span * CHUNK],
            stat_buf: vec![0.0; m.targets.len() * CHUNK],
        }
    }

    fn run_chunk(&mut self, seed: u64, chunk: u64, paths: usize) {
        let mut rng = chunk_rng(seed, chunk);
        for p in 0..paths {
            self.run_path(&mut rng, p);
        }
        let plan = self.plan;
        for stat in 0..plan.m.indicators.len() * plan.span {
            self.tally
                .add_values(stat, &self.value_buf[stat * CHUNK..stat * CHUNK + paths]);
        }
        for (k, t) in plan.m.targets.iter().enumerate() {
            if matches!(t.kind, TargetKind::Stat(_)) {
                self.tally
                    .add_statistics(k, &self.stat_buf[k * CHUNK..k * CHUNK + paths]);
            }
        }
        self.tally.draws += paths as u64;
    }

    #[inline]
    fn run_path(&mut self, rng: &mut Xoshiro256PlusPlus, p: usize) {
        let plan = self.plan;
        let m = plan.m;
        let ny = plan.n_years;

        for (slot, d) in m.params.iter().enumerate() {
            self.drawn[slot] = d.sample(&plan.params[slot], rng);
        }
        for &i in &plan.drawn_deviates {
            if let Some(d) = m.indicators[i].kind.deviate() {
                self.resolved[i] = d.resolve(d.loc.get(&self.drawn));
            }
        }
        for (i, ind) in m.indicators.iter().enumerate() {
            if let Some(base) = ind.kind.base() {
                let v = base.get(&self.drawn);
                self.values[i * ny + plan.base] = if matches!(ind.kind, Kind::Count { .. }) {
                    v.round().max(0.0)
                } else {
                    v
                };
            }
        }
        self.eval_formulas(plan.base);
        self.ar.fill(0.0);
        self.stopped.fill(false);
        self.clamped.fill(false);

        for t in plan.base + 1..ny {
            let year = m.first_year + t as i32;
            self.draw_scores(rng);
            self.draw_shocks(rng, year);
            for (i, ind) in m.indicators.iter().enumerate() {
                let prev = self.values[i * ny + t - 1];
                let next = match &ind.kind {
                    Kind::Level {
                        growth,
                        persistence,
                        compounding,
                        ..
                    } => {
                        let g = self.growth(i, growth, *persistence, rng);
                        match compounding {
                            Compounding::Simple if g <= -1.0 => {
                                self.stopped[i] = true;
                                0.0
                            }
                            Compounding::Simple => prev * (1.0 + g),
                            Compounding::Log => prev * g.exp(),
                        }
                    }
                    Kind::Share {
                        change,
                        persistence,
                        ..
                    } => {
                        let s = prev + self.growth(i, change, *persistence, rng);
                        if !(0.0..=1.0).contains(&s) {
                            self.clamped[i] = true;
                        }
                        s.clamp(0.0, 1.0)
                    }
                    Kind::Count {
                        entries, exit_rate, ..
                    } => {
                        let n = prev as u64;
                        let exits = if *exit_rate > 0.0 && n > 0 {
                            Binomial::new(n, *exit_rate).map_or(0, |b| b.sample(rng))
                        } else {
                            0
                        };
                        let mean = entries.mean.get(&self.drawn);
                        (n - exits) as f64 + draw_entries(mean, entries.dispersion, rng)
                    }
                    Kind::Formula(_) => continue,
                };
                self.values[i * ny + t] = next;
            }
            self.eval_formulas(t);
        }

        for i in 0..m.indicators.len() {
            self.tally.stopped_at_zero[i] += u64::from(self.stopped[i]);
            self.tally.clamped[i] += u64::from(self.clamped[i]);
            for s in 0..plan.span {
                self.value_buf[(i * plan.span + s) * CHUNK + p] =
                    self.values[i * ny + plan.base + s];
            }
        }
        self.evaluate_targets(p);
    }

    /// This year's growth (or change) of indicator `i`: the (truncated) mean,
    /// plus the AR(1) deviation, plus shock effects.
    #[inline]
    fn growth(
        &mut self,
        i: usize,
        d: &crate::model::dist::Continuous,
        persistence: f64,
        rng: &mut Xoshiro256PlusPlus,
    ) -> f64 {
        let r = &self.resolved[i];
        let x = match self.plan.corr_pos[i] {
            Some(k) => d.from_normal_score(r, self.scores[k]),
            None => d.sample(r, rng),
        };
        self.ar[i] = persistence * self.ar[i] + (x - r.mean);
        r.mean + self.ar[i] + self.shock_add[i]
    }

    /// Correlated standard normal scores for the copula: `L·n`.
    #[inline]
    fn draw_scores(&mut self, rng: &mut Xoshiro256PlusPlus) {
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
    fn draw_shocks(&mut self, rng: &mut Xoshiro256PlusPlus, year: i32) {
        self.shock_add.fill(0.0);
        for (s, shock) in self.plan.m.shocks.iter().enumerate() {
            if year < shock.first || year > shock.last {
                continue;
            }
            let p = shock.probability.get(&self.drawn);
            if rng.random::<f64>() < p {
                let effect = shock.effect.sample(&self.plan.effects[s], rng);
                for &(i, loading) in &shock.loadings {
                    self.shock_add[i] += effect * loading;
                }
            }
        }
    }

    #[inline]
    fn eval_formulas(&mut self, t: usize) {
        let m = self.plan.m;
        let ny = self.plan.n_years;
        for &i in &m.formula_order {
            if let Kind::Formula(f) = &m.indicators[i].kind {
                let values = &self.values;
                let v = f.eval(|j| values[j * ny + t]);
                self.values[i * ny + t] = v;
            }
        }
    }

    #[inline]
    fn evaluate_targets(&mut self, p: usize) {
        let plan = self.plan;
        let m = plan.m;
        let ny = plan.n_years;
        for &k in &m.target_order {
            let hit = match &m.targets[k].kind {
                TargetKind::Stat(t) => {
                    let row = &self.values[t.indicator * ny..(t.indicator + 1) * ny];
                    let s = t.statistic(|y| row[(y - m.first_year) as usize]);
                    self.stat_buf[k * CHUNK + p] = s;
                    t.direction.holds(s, t.threshold)
                }
                TargetKind::Composite { all: true, members } => {
                    members.iter().all(|&j| self.hit[j])
                }
                TargetKind::Composite {
                    all: false,
                    members,
                } => members.iter().any(|&j| self.hit[j]),
            };
            self.hit[k] = hit;
            self.tally.hits[k] += u64::from(hit);
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
