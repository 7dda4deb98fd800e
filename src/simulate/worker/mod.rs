//! One thread's share of a run: its tally and the scratch space it reuses.
//!
//! A chunk runs in blocks of [`BLOCK`] paths, one phase at a time over the
//! whole block: per-path parameters, the copula's scores, shocks, then each
//! indicator through every year, formulas, targets, and the tallies. Values
//! live in columns (one per indicator and year, a block of paths long), so
//! each phase is a plain loop over paths that the compiler vectorises, with
//! every decision about the model taken once per block instead of per path.
//!
//! Each random stream is still read in path order (path, then year, then
//! component within the year), so a path gets the same numbers whatever the
//! block size: blocks change the speed, never the draws.

use rand::RngCore;
use rand_distr::{Distribution, StandardNormal};
use rand_xoshiro::Xoshiro256PlusPlus;

mod tallies;

use super::counts::{Binomial, NegBinomial, Poisson, SmallPoissons, Word};
use super::kernels::{count_true, fill_center, fill_normals, has_avx2, holds_all, Strikes, Year};
use super::plan::{Eval, Move, Plan, ShockSource, Source, Step};
use super::qmc::Points;
use super::sobol::to_unit;
use super::{stream_rng, CHUNK, DRIVER_EVERY};
use crate::model::dist::{norm_quantiles, Param, Resolved, Shape};
use crate::model::formula::MAX_STACK;
use crate::model::{Direction, Entries, Kind, Sampler, Tier};
use crate::stats::tally::{ChunkMoments, ChunkSum, PairCounts, Tally};

/// The phases as functions of their own: `narrow` for any CPU, `wide`
/// compiled for AVX2 (wider vectors only, no fused multiply-add, so the
/// numbers are the same; a test holds them equal).
macro_rules! phases {
    ($($phase:ident($($arg:ident: $ty:ty),*);)*) => {
        mod narrow {
            use super::Worker;
            $(
                #[inline(never)]
                pub(super) fn $phase(w: &mut Worker, $($arg: $ty),*) {
                    w.$phase($($arg),*)
                }
            )*
        }
        #[cfg(target_arch = "x86_64")]
        mod wide {
            use super::Worker;
            $(
                #[target_feature(enable = "avx2")]
                pub(super) unsafe fn $phase(w: &mut Worker, $($arg: $ty),*) {
                    w.$phase($($arg),*)
                }
            )*
        }
    };
}

phases! {
    draw_params(len: usize);
    draw_points(first: usize, len: usize);
    draw_scores(len: usize);
    draw_shocks(len: usize);
    advance_indicator(i: usize, len: usize);
    eval_formulas(len: usize);
    evaluate_targets(len: usize);
    tally_drivers(first: usize, len: usize);
    tally_values(len: usize);
    tally_reached(len: usize);
}

/// Paths per block: enough to amortise each phase's setup, few enough that a
/// block's columns stay in the core's caches. A multiple of [`DRIVER_EVERY`] and
/// of [`GROUP`].
pub(super) const BLOCK: usize = 256;
const _: () = assert!(BLOCK % DRIVER_EVERY == 0 && BLOCK % GROUP == 0);
/// Distance between columns: a little more than a block, so that columns do
/// not start at addresses a power of two apart (they would share cache sets).
pub(super) const STRIDE: usize = BLOCK + 8;
/// Paths whose copula products are summed together in registers.
const GROUP: usize = 16;

/// Stream of the per-path parameters.
const PARAMS: usize = 0;
/// Stream of the correlated normal scores (with quasi-Monte Carlo, of the
/// dimensions past the Sobol' table's).
const COPULA: usize = 1;
/// Stream of the first indicator; the others follow, then the shocks.
const INDICATORS: usize = 2;

pub(super) struct Worker<'p, 'm> {
    plan: &'p Plan<'m>,
    pub tally: Tally,
    /// One random stream per component: [`PARAMS`], [`COPULA`], then each
    /// indicator from [`INDICATORS`], then each shock.
    rngs: Vec<Xoshiro256PlusPlus>,
    /// Per-path parameters by (path, slot): a path's are one slice.
    drawn: Vec<f64>,
    /// Counts' gross entries by (count row × steps + step, path).
    entries: Vec<f64>,
    /// One path's independent normals for the parameters' copula.
    param_normals: Vec<f64>,
    /// Per-path resolutions of growth distributions with drawn locations,
    /// by (row, path).
    resolved: Vec<Resolved>,
    /// Values by (indicator × span + year from base, path).
    cols: Vec<f64>,
    /// Correlated normal scores by (step × correlated + member, path).
    scores: Vec<f64>,
    /// The copula stream's normals by (step × correlated + member, path).
    normals: Vec<f64>,
    /// Whether each shock struck, and its effect where it did (0 where it
    /// did not), by (shock × steps + step, path).
    struck: Vec<bool>,
    struck_effect: Vec<f64>,
    /// Summed shock effects on the growth of indicators that several shocks
    /// load on, by (indicator × steps + step, path); zero for the others.
    shock_add: Vec<f64>,
    /// One indicator's normal scores or deviates by (step, path), its center,
    /// AR(1) state and whether a path stopped at zero or was clamped.
    deviates: Vec<f64>,
    center: Vec<f64>,
    ar: Vec<f64>,
    flags: Vec<bool>,
    /// Formula evaluation stack, [`MAX_STACK`] columns.
    stack: Vec<f64>,
    /// Conditioned targets' hit probabilities by (condition, path), and
    /// each one's running sum over the chunk.
    probabilities: Vec<f64>,
    probability_sums: Vec<ChunkSum>,
    /// Target statistics and hits by (target, path).
    stats: Vec<f64>,
    hit: Vec<bool>,
    /// Scratch row of hits: a composite's, or every floor's or stretch's.
    combined: Vec<bool>,
    /// The chunk's running sums of each column.
    sums: Vec<ChunkSum>,
    /// Driver input values by (window, input), on one sampled path.
    driver_values: Vec<f64>,
    /// This chunk's driver moments by (target, input): [hit, miss].
    driver_chunk: Vec<[ChunkMoments; 2]>,
    /// Hit counts (and pairs) when the current chunk began.
    hits_before: Vec<u64>,
    pairs_before: Vec<PairCounts>,
    /// Whether paths come in antithetic pairs, and the second path's
    /// parameters drawn with the first's.
    antithetic: bool,
    partner: Vec<f64>,
    /// A count's words by (path × steps + step): exits', entries'.
    count_words: Vec<[u64; 2]>,
    /// Each path's Poisson entries and the mean it was built for.
    poissons: Vec<(f64, Poisson)>,
    /// The block's small-mean Poisson draws of one year, queued.
    small: SmallPoissons,
    /// With quasi-Monte Carlo: the replicates' points (for the run's seed),
    /// the current chunk, and the block's coordinates by (dimension, path).
    points: Option<Points>,
    chunk: u64,
    uniforms: Vec<f64>,
    spare: Vec<f64>,
    /// Importance sampling: the mean shift of each normal dimension (empty
    /// when there is none) and each path's log likelihood ratio.
    shift: Vec<f64>,
    log_weights: Vec<f64>,
    /// Joint floor and stretch hits when the current chunk began.
    joint_before: [u64; 2],
    /// Whether blocks run on 256-bit vectors (the CPU has AVX2). Always
    /// false, and unread, off x86-64: only the portable phases exist there.
    #[cfg_attr(not(target_arch = "x86_64"), allow(dead_code))]
    wide: bool,
}

impl<'p, 'm> Worker<'p, 'm> {
    pub fn new(plan: &'p Plan<'m>) -> Self {
        let m = plan.m;
        let antithetic = m.sampler == Sampler::Antithetic;
        let (n, steps) = (plan.n_ind, plan.span - 1);
        let n_targets = m.targets.len();
        Worker {
            plan,
            tally: plan.empty_tally(),
            rngs: vec![stream_rng(0, 0, 0); INDICATORS + n + m.shocks.len()],
            drawn: vec![0.0; BLOCK * m.params.len()],
            param_normals: vec![0.0; plan.param_members.len()],
            entries: vec![0.0; plan.n_counts * steps * STRIDE],
            resolved: vec![
                Resolved::default();
                plan.drawn_deviate.iter().flatten().count() * STRIDE
            ],
            cols: vec![0.0; n * plan.span * STRIDE],
            scores: vec![0.0; steps * plan.n_corr * STRIDE],
            normals: vec![0.0; steps * plan.n_corr * STRIDE],
            struck: vec![false; m.shocks.len() * steps * STRIDE],
            struck_effect: vec![0.0; m.shocks.len() * steps * STRIDE],
            shock_add: vec![0.0; n * steps * STRIDE],
            deviates: vec![0.0; steps * STRIDE],
            center: vec![0.0; STRIDE],
            ar: vec![0.0; STRIDE],
            flags: vec![false; STRIDE],
            stack: vec![0.0; MAX_STACK * STRIDE],
            probabilities: vec![0.0; plan.conditions.len() * STRIDE],
            probability_sums: vec![ChunkSum::default(); plan.conditions.len()],
            stats: vec![0.0; n_targets * STRIDE],
            hit: vec![false; n_targets * STRIDE],
            combined: vec![false; STRIDE],
            sums: vec![ChunkSum::default(); n * plan.span],
            driver_values: vec![0.0; plan.windows.len() * plan.inputs.len()],
            driver_chunk: vec![Default::default(); n_targets * plan.inputs.len()],
            hits_before: vec![0; n_targets],
            // Pair counts are kept per target with antithetic pairs only.
            pairs_before: vec![PairCounts::default(); if antithetic { n_targets } else { 0 }],
            antithetic,
            partner: vec![0.0; m.params.len()],
            count_words: vec![[0; 2]; BLOCK * steps],
            poissons: vec![(f64::NAN, Poisson::Zero); STRIDE],
            small: SmallPoissons::with_capacity(BLOCK),
            points: None,
            chunk: 0,
            uniforms: vec![0.0; plan.qmc.as_ref().map_or(0, |q| q.dims) * STRIDE],
            spare: vec![0.0; STRIDE],
            shift: Vec::new(),
            log_weights: vec![0.0; STRIDE],
            joint_before: [0; 2],
            wide: has_avx2(),
        }
    }

    /// Runs the first `paths` paths of `chunk` and tallies them. After each
    /// block, `visit(self, first path in chunk, paths in block)` may read the
    /// block's values with [`Worker::path_values`].
    pub fn run_chunk(
        &mut self,
        seed: u64,
        chunk: u64,
        paths: usize,
        mut visit: impl FnMut(&Self, usize, usize),
    ) {
        debug_assert!(paths <= CHUNK);
        for (k, rng) in self.rngs.iter_mut().enumerate() {
            *rng = stream_rng(seed, chunk, k as u64);
        }
        if let Some(layout) = &self.plan.qmc {
            let points = match &mut self.points {
                Some(p) if p.seed() == seed => p,
                other => other.insert(Points::new(seed, layout.dims)),
            };
            points.prepare(chunk);
        }
        self.chunk = chunk;
        self.hits_before.copy_from_slice(&self.tally.hits);
        self.joint_before = self.tally.joint;
        self.pairs_before.copy_from_slice(&self.tally.pairs);
        for first in (0..paths).step_by(BLOCK) {
            let len = BLOCK.min(paths - first);
            self.run_block(first, len);
            visit(self, first, len);
        }
        self.end_chunk(chunk, paths);
    }

    fn run_block(&mut self, first: usize, len: usize) {
        // Each phase is its own function (one huge inlined block optimises
        // worse), compiled twice: for any x86-64 and for AVX2.
        macro_rules! run {
            ($phase:ident($($arg:expr),*)) => {{
                #[cfg(target_arch = "x86_64")]
                if self.wide {
                    // SAFETY: `wide` is set only where the CPU has AVX2.
                    unsafe { wide::$phase(self, $($arg),*) }
                } else {
                    narrow::$phase(self, $($arg),*)
                }
                #[cfg(not(target_arch = "x86_64"))]
                narrow::$phase(self, $($arg),*)
            }};
        }
        run!(draw_points(first, len));
        run!(draw_params(len));
        run!(draw_scores(len));
        run!(draw_shocks(len));
        for i in 0..self.plan.n_ind {
            run!(advance_indicator(i, len));
        }
        run!(eval_formulas(len));
        run!(evaluate_targets(len));
        run!(tally_drivers(first, len));
        run!(tally_values(len));
        run!(tally_reached(len));
    }

    /// Per-path parameters, drawn growth resolutions and base-year values.
    #[inline(always)]
    fn draw_params(&mut self, len: usize) {
        let plan = self.plan;
        let m = plan.m;
        let np = m.params.len();
        if np > 0 {
            let rng = &mut self.rngs[PARAMS];
            let (members, l) = (plan.param_members, plan.param_cholesky);
            let nc = members.len();
            let normals = &mut self.param_normals;
            let partner = &mut self.partner;
            let antithetic = self.antithetic;
            // With quasi-Monte Carlo, each parameter's normal score is its
            // point's coordinate.
            let point = |slot: usize, j: usize| {
                let layout = plan.qmc.as_ref()?;
                Some(self.uniforms[layout.param(slot) * STRIDE + j])
            };
            for (j, path) in self.drawn[..len * np].chunks_exact_mut(np).enumerate() {
                // An antithetic pair's second path reads nothing: its normals
                // are the first's negated, its other draws made with them.
                let second = antithetic && j % 2 == 1;
                // Coupled parameters first: correlated scores L·n, each
                // turned into a draw from its own marginal.
                for (z, &slot) in normals.iter_mut().zip(members) {
                    *z = if second {
                        -*z
                    } else if let Some(z) = point(slot, j) {
                        z
                    } else {
                        StandardNormal.sample(rng)
                    };
                }
                for (a, &slot) in members.iter().enumerate() {
                    let score: f64 = (0..=a).map(|k| l[a * nc + k] * normals[k]).sum();
                    path[slot] = m.params[slot].from_normal_score(&plan.params[slot], score);
                }
                let alone = (0..np).filter(|&slot| plan.param_alone[slot]);
                for slot in alone {
                    let (d, r) = (&m.params[slot], &plan.params[slot]);
                    path[slot] = if second {
                        partner[slot]
                    } else if let Some(z) = point(slot, j) {
                        d.from_normal_score(r, z)
                    } else if antithetic {
                        let (x, y) = d.sample_pair(r, r, rng);
                        partner[slot] = y;
                        x
                    } else {
                        d.sample(r, rng)
                    };
                }
            }
        }
        for (i, ind) in m.indicators.iter().enumerate() {
            if let (Some(row), Some(d)) = (plan.drawn_deviate[i], ind.kind.deviate()) {
                let out = &mut self.resolved[row * STRIDE..row * STRIDE + len];
                for (j, r) in out.iter_mut().enumerate() {
                    *r = d.resolve(d.loc.get(&self.drawn[j * np..(j + 1) * np]));
                }
            }
        }
        for &(i, base, is_count) in &plan.bases {
            let col = &mut self.cols[i * plan.span * STRIDE..][..len];
            let value = |v: f64| if is_count { v.round().max(0.0) } else { v };
            match base {
                Param::Fixed(v) => col.fill(value(v)),
                Param::Drawn(slot) => {
                    for (j, x) in col.iter_mut().enumerate() {
                        *x = value(self.drawn[j * np + slot]);
                    }
                }
            }
        }
    }

    /// With quasi-Monte Carlo, the block's paths' points: the coordinates
    /// of the Sobol' table's dimensions, then any further ones drawn from
    /// the [`COPULA`] stream in path order.
    #[inline(always)]
    fn draw_points(&mut self, first: usize, len: usize) {
        let (Some(layout), Some(points)) = (&self.plan.qmc, &self.points) else {
            return;
        };
        let (set, start) = points.of_chunk(self.chunk);
        let sobol = set.dims();
        for d in 0..sobol {
            set.fill(
                d,
                start.wrapping_add(first as u32),
                &mut self.uniforms[d * STRIDE..][..len],
            );
        }
        let rng = &mut self.rngs[COPULA];
        for j in 0..len {
            for d in sobol..layout.dims {
                self.uniforms[d * STRIDE + j] = if layout.normal[d] {
                    StandardNormal.sample(rng)
                } else {
                    to_unit(rng.next_u32())
                };
            }
        }
        // Normal scores where they are wanted, in place through a copy.
        let spare = &mut self.spare[..len];
        for d in (0..sobol).filter(|&d| layout.normal[d]) {
            let col = &mut self.uniforms[d * STRIDE..][..len];
            spare.copy_from_slice(col);
            norm_quantiles(spare, col);
        }
        // Shifted normals z + μ have the likelihood ratio φ(z + μ)/φ(z),
        // exp(−μ·x + μ²/2) at the drawn x = z + μ, against the model's.
        let log_weights = &mut self.log_weights[..len];
        log_weights.fill(0.0);
        for (d, &mu) in self.shift.iter().enumerate() {
            if mu == 0.0 || !layout.normal[d] {
                continue;
            }
            let col = &mut self.uniforms[d * STRIDE..][..len];
            for (x, lw) in col.iter_mut().zip(log_weights.iter_mut()) {
                *x += mu;
                *lw += mu * (0.5 * mu - *x);
            }
        }
    }

    /// Shifts the mean of each normal dimension of the quasi-Monte Carlo
    /// points by `shift` (importance sampling; empty for none).
    pub fn set_shift(&mut self, shift: &[f64]) {
        self.shift.clear();
        self.shift.extend_from_slice(shift);
    }

    /// The log likelihood ratio of each path of the last block against the
    /// model's own draws (zero without a shift).
    pub fn block_log_weights(&self, len: usize) -> &[f64] {
        &self.log_weights[..len]
    }

    /// Path `j`'s point in the last block: its coordinates, normal scores
    /// where the dimension is one, into `out`.
    pub fn block_point(&self, j: usize, out: &mut [f64]) {
        for (d, x) in out.iter_mut().enumerate() {
            *x = self.uniforms[d * STRIDE + j];
        }
    }

    /// By how much target `k` held on each path of the last block (negative
    /// where it missed, −∞ where its statistic is undefined), into `out`;
    /// false for a target with no threshold (a composite, a fixed value).
    pub fn block_margins(&self, k: usize, out: &mut [f64]) -> bool {
        let len = out.len();
        let (x, threshold, direction) = match &self.plan.evals[k] {
            Eval::Value {
                source: Source::Column(c),
                threshold,
                direction,
            } => (&self.cols[c * STRIDE..][..len], *threshold, *direction),
            Eval::Statistic(t) => (&self.stats[k * STRIDE..][..len], t.threshold, t.direction),
            _ => return false,
        };
        for (m, &x) in out.iter_mut().zip(x) {
            let above = x - threshold;
            *m = match direction {
                _ if !x.is_finite() => f64::NEG_INFINITY,
                Direction::AtLeast | Direction::Above => above,
                Direction::AtMost | Direction::Below => -above,
            };
        }
        true
    }

    /// Correlated standard normal scores for the copula: `L·n` each year.
    #[inline(always)]
    fn draw_scores(&mut self, len: usize) {
        let (nc, steps) = (self.plan.n_corr, self.plan.span - 1);
        if nc == 0 {
            return;
        }
        if let Some(layout) = &self.plan.qmc {
            // Each member's normals over the years: its walk (see `qmc`).
            for a in 0..nc {
                layout.walk(&self.uniforms, a, len, &mut self.normals, |s| {
                    (s * nc + a) * STRIDE
                });
            }
        } else {
            // Drawn in stream order (path, year, member), stored by (year,
            // member) columns so that the products below run down columns.
            fill_normals(
                &mut self.rngs[COPULA],
                &mut self.normals[..steps * nc * STRIDE],
                len,
                self.antithetic,
            );
        }
        // score_a = Σ_{k ≤ a} L_ak·n_k, summed from k = 0 up, from −0.0 (as
        // `Iterator::sum` does), [`GROUP`] paths at a time in registers (several
        // vectors, so that one path's additions wait on each other less).
        // Blocks are padded to a whole group; the padding's scores are unused.
        let l = self.plan.cholesky;
        let groups = len.div_ceil(GROUP) * GROUP;
        for s in 0..steps {
            let normals = &self.normals[s * nc * STRIDE..(s + 1) * nc * STRIDE];
            for a in 0..nc {
                let row = &l[a * nc..a * nc + a + 1];
                let score = &mut self.scores[(s * nc + a) * STRIDE..][..groups];
                for (q, out) in score.chunks_exact_mut(GROUP).enumerate() {
                    let mut acc = [-0.0; GROUP];
                    for (k, &l) in row.iter().enumerate() {
                        let z = &normals[k * STRIDE + GROUP * q..][..GROUP];
                        for (acc, &z) in acc.iter_mut().zip(z) {
                            *acc += l * z;
                        }
                    }
                    out.copy_from_slice(&acc);
                }
            }
        }
    }

    /// Which shocks strike in which years with what effect, and what they
    /// add to the growth of indicators that several shocks load on.
    #[inline(always)]
    fn draw_shocks(&mut self, len: usize) {
        let plan = self.plan;
        let m = plan.m;
        let (n, np, steps) = (plan.n_ind, m.params.len(), plan.span - 1);
        for (s, shock) in m.shocks.iter().enumerate() {
            let r = &plan.effects[s];
            let window = plan.shock_steps[s].clone();
            let rows = (s * steps + window.start) * STRIDE..(s * steps + window.end) * STRIDE;
            let drawn = &self.drawn;
            let strikes = Strikes {
                probability: |j: usize| shock.probability.get(&drawn[j * np..(j + 1) * np]),
                // An uncertain mean effect is resolved path by path.
                resolved: |j: usize| match shock.effect.loc {
                    Param::Fixed(_) => *r,
                    Param::Drawn(slot) => shock.effect.resolve(drawn[j * np + slot]),
                },
                struck: &mut self.struck[rows.clone()],
                effects: &mut self.struck_effect[rows],
            };
            let rng = &mut self.rngs[INDICATORS + n + s];
            match shock.effect.shape {
                _ if plan.qmc.is_some() => {
                    let layout = plan.qmc.as_ref().expect("quasi-Monte Carlo");
                    let uniforms = &self.uniforms;
                    strikes.draw_at_points(
                        window.start,
                        len,
                        |step, j| {
                            let (strike, effect) = layout.shock(s, step);
                            (uniforms[strike * STRIDE + j], uniforms[effect * STRIDE + j])
                        },
                        |r, z| shock.effect.from_normal_score(r, z),
                    )
                }
                _ if self.antithetic => strikes.draw_pairs(rng, len, |r0, r1, rng| {
                    shock.effect.sample_pair(r0, r1, rng)
                }),
                // The common case, without the general sampler's dispatch.
                Shape::Normal { sd } if !shock.effect.is_truncated() => {
                    strikes.draw(rng, len, |r, rng| {
                        let z: f64 = StandardNormal.sample(rng);
                        r.loc + sd * z
                    })
                }
                _ => strikes.draw(rng, len, |r, rng| shock.effect.sample(r, rng)),
            }
        }
        for (i, source) in plan.shock_sources.iter().enumerate() {
            let ShockSource::Several(loadings) = source else {
                continue;
            };
            let add = &mut self.shock_add[i * steps * STRIDE..(i + 1) * steps * STRIDE];
            add.fill(0.0);
            for &(s, loading) in loadings {
                for step in plan.shock_steps[s].clone() {
                    let add = &mut add[step * STRIDE..][..len];
                    let effect = &self.struck_effect[(s * steps + step) * STRIDE..][..len];
                    for (add, &effect) in add.iter_mut().zip(effect) {
                        *add += effect * loading;
                    }
                }
            }
        }
    }

    /// One indicator through every year from the base to the horizon.
    #[inline(always)]
    fn advance_indicator(&mut self, i: usize, len: usize) {
        let plan = self.plan;
        let (span, steps) = (plan.span, plan.span - 1);
        if matches!(plan.steps[i], Step::Normal { .. } | Step::Deviate { .. }) {
            fill_center(plan, &self.resolved, &mut self.center[..len], i);
        }
        let rng = &mut self.rngs[INDICATORS + i];
        // Each year's deviate is `center + sd·z` (a normal step, z from the
        // copula or this indicator's own stream) or drawn whole (any other
        // distribution). Own streams are read in path order.
        // With quasi-Monte Carlo, an indicator with normal scores of its own
        // takes them from its walk.
        let walk = plan.qmc.as_ref().and_then(|l| Some((l, l.own_walk[i]?)));
        let (phi, to, sd, corr) = match plan.steps[i] {
            Step::Normal { sd, phi, corr, to } => {
                if let Some((layout, w)) = walk {
                    layout.walk(&self.uniforms, w, len, &mut self.deviates, |s| s * STRIDE);
                } else if corr.is_none() {
                    for j in 0..len {
                        for s in 0..steps {
                            let d = &mut self.deviates[s * STRIDE..];
                            d[j] = if self.antithetic && j % 2 == 1 {
                                -d[j - 1]
                            } else {
                                StandardNormal.sample(rng)
                            };
                        }
                    }
                }
                (phi, to, Some(sd), corr)
            }
            Step::Deviate { d, phi, corr, to } => {
                let row = plan.drawn_deviate[i];
                let resolved = |j: usize| match row {
                    Some(row) => &self.resolved[row * STRIDE + j],
                    None => &plan.deviates[i],
                };
                match corr {
                    None if walk.is_some() => {
                        let (layout, w) = walk.expect("a walk");
                        layout.walk(&self.uniforms, w, len, &mut self.deviates, |s| s * STRIDE);
                        for j in 0..len {
                            let r = resolved(j);
                            for s in 0..steps {
                                let z = &mut self.deviates[s * STRIDE + j];
                                *z = d.from_normal_score(r, *z);
                            }
                        }
                    }
                    Some(k) => {
                        for j in 0..len {
                            let r = resolved(j);
                            for s in 0..steps {
                                let z = self.scores[(s * plan.n_corr + k) * STRIDE + j];
                                self.deviates[s * STRIDE + j] = d.from_normal_score(r, z);
                            }
                        }
                    }
                    None if self.antithetic => {
                        // Pairs of paths, year by year; a lone last path
                        // draws as the first of a pair.
                        for j in (0..len).step_by(2) {
                            let second = (j + 1).min(len - 1);
                            let (r0, r1) = (resolved(j), resolved(second));
                            for s in 0..steps {
                                let (x, y) = d.sample_pair(r0, r1, rng);
                                self.deviates[s * STRIDE + j] = x;
                                self.deviates[s * STRIDE + second] = if second > j { y } else { x };
                            }
                        }
                    }
                    None => {
                        for j in 0..len {
                            let r = resolved(j);
                            for s in 0..steps {
                                self.deviates[s * STRIDE + j] = d.sample(r, rng);
                            }
                        }
                    }
                }
                (phi, to, None, None)
            }
            Step::Count {
                entries,
                spread,
                exits,
            } => {
                self.advance_count(i, len, entries, spread, exits);
                return;
            }
            Step::Formula => return,
        };
        let ar = &mut self.ar[..len];
        let flags = &mut self.flags[..len];
        ar.fill(0.0);
        flags.fill(false);
        let center = &self.center[..len];
        for s in 0..steps {
            let input = match corr {
                Some(k) => &self.scores[(s * plan.n_corr + k) * STRIDE..][..len],
                None => &self.deviates[s * STRIDE..][..len],
            };
            let (shock, loading) = match plan.shock_sources[i] {
                ShockSource::One { shock, loading } => (
                    &self.struck_effect[(shock * steps + s) * STRIDE..][..len],
                    loading,
                ),
                _ => (&self.shock_add[(i * steps + s) * STRIDE..][..len], 1.0),
            };
            let (done, rest) = self.cols.split_at_mut((i * span + s + 1) * STRIDE);
            let prev = &done[(i * span + s) * STRIDE..][..len];
            let out = &mut rest[..len];
            let year = Year {
                to,
                phi,
                input,
                center,
                shock,
                loading,
                prev,
            };
            // Before the year moves the AR(1) state: each conditioned target
            // on this year needs last year's.
            if let Some(sd) = sd {
                for (row, c) in plan.conditions.iter().enumerate() {
                    if c.indicator == i && c.step == s {
                        let out = &mut self.probabilities[row * STRIDE..][..len];
                        year.hit_probability(sd, c.threshold, c.direction, ar, out);
                    }
                }
            }
            let events = match sd {
                Some(sd) => year.advance(|c, z| c + sd * z, ar, out),
                None => year.advance(|_, x| x, ar, out),
            };
            if events > 0 {
                year.mark_events(ar, flags);
            }
        }
        let flagged = count_true(flags);
        match to {
            Move::Share => self.tally.clamped[i] += flagged,
            _ => self.tally.stopped_at_zero[i] += flagged,
        }
    }

    /// A count through every year: exits thin last year's units, entries
    /// arrive. Each path's words are read from the stream in path order
    /// first; then the block goes year by year, so that the small-mean
    /// Poisson entries of all its paths are drawn together.
    #[inline(always)]
    fn advance_count(
        &mut self,
        i: usize,
        len: usize,
        entries: &Entries,
        spread: Option<NegBinomial>,
        exits: Option<Binomial>,
    ) {
        let plan = self.plan;
        let (span, steps) = (plan.span, plan.span - 1);
        let np = plan.m.params.len();
        let row = plan.entries_row[i].unwrap_or(0);
        let rng = &mut self.rngs[INDICATORS + i];
        // One word for the exits and one for the entries, every year,
        // whatever the parameters (rule 3). The second path of an antithetic
        // pair reads nothing: it mirrors the first's words.
        let words = &mut self.count_words[..len * steps];
        for j in 0..len {
            let mirror = self.antithetic && j % 2 == 1;
            for s in 0..steps {
                words[j * steps + s] = if mirror {
                    words[(j - 1) * steps + s]
                } else {
                    [rng.next_u64(), rng.next_u64()]
                };
            }
        }
        // A struck shock scales that year's mean entries by
        // max(0, 1 + effect × loading), for each shock that loads here.
        let one;
        let shocks: &[(usize, f64)] = match &plan.shock_sources[i] {
            ShockSource::None => &[],
            ShockSource::One { shock, loading } => {
                one = [(*shock, *loading)];
                &one
            }
            ShockSource::Several(list) => list,
        };
        // Each path's Poisson, built again only when its mean changes.
        let poissons = &mut self.poissons[..len];
        poissons.fill((f64::NAN, Poisson::Zero));
        for s in 1..span {
            let (done, rest) = self.cols.split_at_mut((i * span + s) * STRIDE);
            let prev = &done[(i * span + s - 1) * STRIDE..][..len];
            let next = &mut rest[..len];
            let gross_col = &mut self.entries[(row * steps + s - 1) * STRIDE..][..len];
            self.small.clear();
            for j in 0..len {
                let mirror = self.antithetic && j % 2 == 1;
                let words = self.count_words[j * steps + s - 1];
                let [exit_word, entry_word] = match &plan.qmc {
                    Some(layout) => {
                        let dims = layout.count(row, s - 1);
                        let at = |k: usize| self.uniforms[dims[k] * STRIDE + j];
                        [
                            Word::at_point(words[0], at(0)),
                            Word::at_point(words[1], at(1)),
                        ]
                    }
                    None => words.map(|word| Word::of(word, mirror)),
                };
                let units = prev[j] as u64;
                let exits = exits.map_or(0, |b| b.sample(units, exit_word));
                // The survivors now; the entries are added below.
                next[j] = (units - exits) as f64;
                let drawn = &self.drawn[j * np..(j + 1) * np];
                let mut mean = entries.mean.get(drawn);
                for &(shock, loading) in shocks {
                    let effect = self.struck_effect[(shock * steps + s - 1) * STRIDE + j];
                    mean *= (1.0 + effect * loading).max(0.0);
                }
                gross_col[j] = match spread {
                    Some(nb) => nb.sample(mean, entry_word) as f64,
                    None => {
                        let poisson = &mut poissons[j];
                        if poisson.0 != mean {
                            *poisson = (mean, Poisson::new(mean));
                        }
                        if self.small.push(j, &poisson.1, entry_word) {
                            continue;
                        }
                        poisson.1.sample(entry_word) as f64
                    }
                };
            }
            self.small.draw(|j, k| gross_col[j] = k as f64);
            for (next, &gross) in next.iter_mut().zip(gross_col.iter()) {
                *next += gross;
            }
        }
    }

    /// Formula indicators, year by year, each after its inputs.
    #[inline(always)]
    fn eval_formulas(&mut self, len: usize) {
        let plan = self.plan;
        let m = plan.m;
        let span = plan.span;
        for s in 0..span {
            for &i in &m.formula_order {
                if let Kind::Formula(f) = &m.indicators[i].kind {
                    let cols = &self.cols;
                    f.eval_columns(len, &mut self.stack, STRIDE, |j| {
                        &cols[(j * span + s) * STRIDE..][..len]
                    });
                    self.cols[(i * span + s) * STRIDE..][..len].copy_from_slice(&self.stack[..len]);
                }
            }
        }
    }

    /// Indicator `i`'s value in year index `t` on path `j` of the block.
    #[inline]
    fn value(&self, i: usize, t: usize, j: usize) -> f64 {
        let plan = self.plan;
        if t >= plan.base {
            self.cols[(i * plan.span + t - plan.base) * STRIDE + j]
        } else {
            plan.observed[t * plan.n_ind + i]
        }
    }

    /// Count `i`'s gross entries in year index `t` (after the base year) on
    /// path `j` of the block; NaN where they are not simulated.
    #[inline]
    fn gross_entries(&self, i: usize, t: usize, j: usize) -> f64 {
        let plan = self.plan;
        match plan.entries_row[i] {
            Some(row) if t > plan.base => {
                self.entries[(row * (plan.span - 1) + t - plan.base - 1) * STRIDE + j]
            }
            _ => f64::NAN,
        }
    }

    /// Whether target `k` held on each path of the last block.
    pub fn block_hits(&self, k: usize, len: usize) -> &[bool] {
        &self.hit[k * STRIDE..][..len]
    }

    /// Every indicator's value in every year on path `j` of the last block,
    /// year-major: the value of indicator `i` in year index `t` goes to
    /// `out[t × indicators + i]`.
    pub fn path_values(&self, j: usize, out: &mut [f64]) {
        let n = self.plan.n_ind;
        for (k, v) in out.iter_mut().enumerate() {
            *v = self.value(k % n, k / n, j);
        }
    }

    #[inline(always)]
    fn evaluate_targets(&mut self, len: usize) {
        let plan = self.plan;
        let m = plan.m;
        for &k in &m.target_order {
            let row = k * STRIDE;
            match &plan.evals[k] {
                Eval::Value {
                    source,
                    threshold,
                    direction,
                } => {
                    let hit = &mut self.hit[row..row + len];
                    match *source {
                        Source::Column(c) => {
                            let x = &self.cols[c * STRIDE..][..len];
                            holds_all(*direction, x, *threshold, hit);
                        }
                        Source::Fixed(x) => hit.fill(direction.holds(x, *threshold)),
                    }
                }
                Eval::Statistic(t) => {
                    let (i, first) = (t.indicator, m.first_year);
                    for j in 0..len {
                        let s = t.statistic(
                            |y| self.value(i, (y - first) as usize, j),
                            |y| self.gross_entries(i, (y - first) as usize, j),
                        );
                        self.stats[row + j] = s;
                    }
                    let (stats, hit) = (&self.stats[row..row + len], &mut self.hit[row..row + len]);
                    holds_all(t.direction, stats, t.threshold, hit);
                }
                Eval::Composite { all, members } => {
                    // Members may come after the composite in the table:
                    // combine their rows in scratch space, then copy.
                    let combined = &mut self.combined[..len];
                    combined.fill(*all);
                    for &h in members.iter() {
                        let member = &self.hit[h * STRIDE..][..len];
                        for (c, &m) in combined.iter_mut().zip(member) {
                            *c = if *all { *c & m } else { *c | m };
                        }
                    }
                    self.hit[row..row + len].copy_from_slice(combined);
                }
            }
            self.tally.hits[k] += count_true(&self.hit[row..row + len]);
            if self.antithetic {
                self.tally.pairs[k].add(&self.hit[row..row + (len & !1)]);
            }
        }
        // A conditioned target's probability where the path decided it, and
        // its own hit where the path left it undecided.
        for (row, c) in plan.conditions.iter().enumerate() {
            let p = &mut self.probabilities[row * STRIDE..][..len];
            for (p, &hit) in p.iter_mut().zip(&self.hit[c.target * STRIDE..]) {
                if p.is_nan() {
                    *p = f64::from(u8::from(hit));
                }
            }
            self.probability_sums[row].add_all(p);
        }
        // Paths on which every floor (and every stretch) statistic target held.
        for (j, tier) in [Tier::Floor, Tier::Stretch].into_iter().enumerate() {
            let joint = &mut self.combined[..len];
            joint.fill(true);
            for (k, _) in plan
                .tiers
                .iter()
                .enumerate()
                .filter(|(_, t)| **t == Some(tier))
            {
                for (c, &h) in joint.iter_mut().zip(&self.hit[k * STRIDE..][..len]) {
                    *c &= h;
                }
            }
            self.tally.joint[j] += count_true(joint);
            if self.antithetic {
                self.tally.joint_pairs[j].add(&joint[..len & !1]);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The AVX2 phases must give every number the portable ones give. On a
    /// CPU without AVX2 they cannot run, and must never be chosen.
    #[test]
    fn wide_and_narrow_phases_tally_the_same() {
        if !has_avx2() {
            let model = crate::scenario::load(
                "r.toml",
                include_str!("../../../benches/reference.toml"),
                &[],
            )
            .expect("valid scenario");
            let plan = Plan::new(&model);
            assert!(!Worker::new(&plan).wide, "wide phases chosen without AVX2");
            return;
        }
        let scenarios = [
            (
                "reference.toml",
                include_str!("../../../benches/reference.toml"),
            ),
            (
                "tongcheng_2021.toml",
                include_str!("../../../scenarios/tongcheng_2021.toml"),
            ),
            (
                "rongchang.toml",
                include_str!("../../../scenarios/rongchang.toml"),
            ),
            (
                "yangjiang.toml",
                include_str!("../../../scenarios/yangjiang.toml"),
            ),
        ];
        for (file, text) in scenarios {
            let model = crate::scenario::load(file, text, &[]).expect("valid scenario");
            let plan = Plan::new(&model);
            let (mut narrow, mut wide) = (Worker::new(&plan), Worker::new(&plan));
            narrow.wide = false;
            wide.wide = true;
            // Two whole chunks and a ragged one (a partial last block).
            for (chunk, paths) in [(0, CHUNK), (1, CHUNK), (2, 333)] {
                narrow.run_chunk(5, chunk, paths, |_, _, _| {});
                wide.run_chunk(5, chunk, paths, |_, _, _| {});
            }
            assert_eq!(narrow.tally, wide.tally, "{file}");
        }
    }
}
