//! The inner loops the worker's phases call: one year of one indicator on
//! a block of paths, a shock's strikes, normals in stream order, yearly
//! entries, and small branch-free helpers. Plain functions over slices.

use rand::Rng;
use rand_distr::{Distribution, StandardNormal};
use rand_xoshiro::Xoshiro256PlusPlus;

use super::plan::{Move, Plan};
use super::worker::{BLOCK, STRIDE};
use crate::model::dist::{norm_cdfs, Resolved};
use crate::model::Direction;

/// One year of one indicator on every path of a block: the AR(1) deviation
/// from the center, plus shocks, moves last year's value.
pub(super) struct Year<'a> {
    pub(super) to: Move,
    pub(super) phi: f64,
    /// What the deviate is made from: a normal score or the deviate itself.
    pub(super) input: &'a [f64],
    pub(super) center: &'a [f64],
    /// The shock effect on growth is `loading × shock`.
    pub(super) shock: &'a [f64],
    pub(super) loading: f64,
    pub(super) prev: &'a [f64],
}

impl Year<'_> {
    /// Updates the AR(1) state and writes this year's values; returns on how
    /// many paths a level stopped at zero or a share was clamped. One loop
    /// per kind of move, each branch-free so that it runs on vector lanes.
    #[inline(always)]
    pub(super) fn advance(
        &self,
        deviate: impl Fn(f64, f64) -> f64,
        ar: &mut [f64],
        out: &mut [f64],
    ) -> u64 {
        let (phi, loading, mut events) = (self.phi, self.loading, 0u64);
        let inputs = self
            .input
            .iter()
            .zip(self.center)
            .zip(self.shock)
            .zip(self.prev);
        let lanes = ar.iter_mut().zip(out.iter_mut()).zip(inputs);
        match self.to {
            Move::Simple => {
                for ((ar, out), (((&input, &c), &shock), &prev)) in lanes {
                    *ar = phi * *ar + (deviate(c, input) - c);
                    let g = c + *ar + loading * shock;
                    let stop = Move::stops(g);
                    events += u64::from(stop);
                    *out = if stop { 0.0 } else { prev * (1.0 + g) };
                }
            }
            Move::Log => {
                for ((ar, out), (((&input, &c), &shock), &prev)) in lanes {
                    *ar = phi * *ar + (deviate(c, input) - c);
                    *out = prev * (c + *ar + loading * shock).exp();
                }
            }
            Move::Share => {
                for ((ar, out), (((&input, &c), &shock), &prev)) in lanes {
                    *ar = phi * *ar + (deviate(c, input) - c);
                    let v = prev + (c + *ar + loading * shock);
                    events += u64::from(Move::clamps(v));
                    *out = v.clamp(0.0, 1.0);
                }
            }
        }
        events
    }

    /// For each path, the probability that this year's value passes
    /// `threshold` given everything before (`ar` is last year's AR(1)
    /// state): the growth is normal about `center + φ·ar + loading·shock`
    /// with spread `sd`, and the value rises with it, so the condition is
    /// the growth passing one bound (or always or never holding, where the
    /// threshold lies beyond what a level stopped at zero or a held share
    /// can reach). NaN where last year's value leaves the map undecided (a
    /// negative or missing level): the path's own hit or miss counts there.
    #[inline(always)]
    pub(super) fn hit_probability(
        &self,
        sd: f64,
        threshold: f64,
        direction: Direction,
        ar: &[f64],
        out: &mut [f64],
    ) {
        let up = matches!(direction, Direction::AtLeast | Direction::Above);
        let (always, never) = edges(self.to, threshold, direction);
        if always || never {
            out.fill(f64::from(u8::from(always)));
        } else {
            // Every path's normal score at the bound, then their CDFs in one
            // vector pass.
            let lanes = ar.iter().zip(self.center).zip(self.shock).zip(self.prev);
            for (z, (((&ar, &c), &shock), &prev)) in out.iter_mut().zip(lanes) {
                let mean = c + self.phi * ar + self.loading * shock;
                let bound = match self.to {
                    Move::Simple => threshold / prev - 1.0,
                    Move::Log => (threshold / prev).ln(),
                    Move::Share => threshold - prev,
                };
                *z = if up { mean - bound } else { bound - mean } / sd;
            }
            norm_cdfs(out);
        }
        // A level at zero stays there; a value not a positive number (or
        // not a number, for a share) leaves the path undecided.
        let prev = self.prev.iter();
        match self.to {
            Move::Share => {
                for (p, &prev) in out.iter_mut().zip(prev) {
                    *p = if prev.is_finite() { *p } else { f64::NAN };
                }
            }
            Move::Simple | Move::Log => {
                let at_zero = f64::from(u8::from(direction.holds(0.0, threshold)));
                for (p, &prev) in out.iter_mut().zip(prev) {
                    *p = match prev {
                        x if x > 0.0 && x.is_finite() => *p,
                        0.0 => at_zero,
                        _ => f64::NAN,
                    };
                }
            }
        }
    }

    /// Marks the paths with an event this year (rare: only called when
    /// [`Year::advance`] counted some), recomputing the growth from the
    /// updated AR(1) state with the same arithmetic.
    pub(super) fn mark_events(&self, ar: &[f64], flags: &mut [bool]) {
        let lanes = ar.iter().zip(self.center).zip(self.shock).zip(self.prev);
        for (flag, (((&ar, &c), &shock), &prev)) in flags.iter_mut().zip(lanes) {
            let g = c + ar + self.loading * shock;
            *flag |= match self.to {
                Move::Simple => Move::stops(g),
                Move::Log => false,
                Move::Share => Move::clamps(prev + g),
            };
        }
    }
}

/// Whether a value target on a year holds whatever the growth, or never
/// does, given a positive last value (a share's: any): `(always, never)`.
/// Otherwise it holds for growth past one bound.
#[inline]
fn edges(to: Move, thr: f64, direction: Direction) -> (bool, bool) {
    use Direction::*;
    match to {
        // 0 (growth of −100 % or less) or any positive value.
        Move::Simple => match direction {
            AtLeast => (thr <= 0.0, false),
            Above => (thr < 0.0, false),
            AtMost => (false, thr < 0.0),
            Below => (false, thr <= 0.0),
        },
        // Any positive value.
        Move::Log => match direction {
            AtLeast | Above => (thr <= 0.0, false),
            AtMost | Below => (false, thr <= 0.0),
        },
        // Any value in [0, 1].
        Move::Share => match direction {
            AtLeast => (thr <= 0.0, thr > 1.0),
            Above => (thr < 0.0, thr >= 1.0),
            AtMost => (thr >= 1.0, thr < 0.0),
            Below => (thr > 1.0, thr <= 0.0),
        },
    }
}

/// The mean of indicator `i`'s growth (or change) on each path of a block.
#[inline]
pub(super) fn fill_center(plan: &Plan, resolved: &[Resolved], center: &mut [f64], i: usize) {
    match plan.drawn_deviate[i] {
        Some(row) => {
            let resolved = &resolved[row * STRIDE..][..center.len()];
            for (c, r) in center.iter_mut().zip(resolved) {
                *c = r.mean;
            }
        }
        None => center.fill(plan.deviates[i].mean),
    }
}

/// Where one shock's draws on a block go.
pub(super) struct Strikes<'a, P, R> {
    /// The shock's probability on path `j` of the block.
    pub(super) probability: P,
    /// Its effect's distribution on path `j`, resolved.
    pub(super) resolved: R,
    /// Whether it struck, and its effect where it did, by (step in the
    /// shock's window, path).
    pub(super) struck: &'a mut [bool],
    pub(super) effects: &'a mut [f64],
}

impl<P: Fn(usize) -> f64, R: Fn(usize) -> Resolved> Strikes<'_, P, R> {
    /// Reads the shock's stream in path order: each year a uniform (does it
    /// strike?) and an `effect`. The effect is drawn every year, struck or
    /// not, so that the probability does not change which numbers come after.
    /// A function of its own with a local copy of the stream, as
    /// [`fill_normals`] is.
    #[inline(never)]
    pub(super) fn draw(
        self,
        rng: &mut Xoshiro256PlusPlus,
        len: usize,
        mut effect: impl FnMut(&Resolved, &mut Xoshiro256PlusPlus) -> f64,
    ) {
        assert!(len <= BLOCK);
        let mut local = rng.clone();
        for j in 0..len {
            let p = (self.probability)(j);
            let r = (self.resolved)(j);
            let years = self.struck.chunks_exact_mut(STRIDE);
            for (struck, effects) in years.zip(self.effects.chunks_exact_mut(STRIDE)) {
                let strikes = local.random::<f64>() < p;
                let e = effect(&r, &mut local);
                struck[j] = strikes;
                effects[j] = if strikes { e } else { 0.0 };
            }
        }
        *rng = local;
    }

    /// As [`Strikes::draw`] from quasi-Monte Carlo points: `point(step, j)`
    /// gives path `j`'s uniform for the strike and normal score for the
    /// effect in `step` (the window's first is `first`), `effect(r, z)` the
    /// effect at score `z`.
    pub(super) fn draw_at_points(
        self,
        first: usize,
        len: usize,
        point: impl Fn(usize, usize) -> (f64, f64),
        effect: impl Fn(&Resolved, f64) -> f64,
    ) {
        let years = self.struck.chunks_exact_mut(STRIDE);
        for (k, (struck, effects)) in years.zip(self.effects.chunks_exact_mut(STRIDE)).enumerate() {
            for j in 0..len {
                let (u, v) = point(first + k, j);
                struck[j] = u < (self.probability)(j);
                effects[j] = if struck[j] {
                    effect(&(self.resolved)(j), v)
                } else {
                    0.0
                };
            }
        }
    }

    /// As [`Strikes::draw`] for antithetic pairs: each year one uniform `u`
    /// decides whether the shock strikes the first path (`u < p`) and the
    /// second (`1 − u < p`), and one `pair` of effects serves both. A lone
    /// last path draws as the first of a pair.
    #[inline(never)]
    pub(super) fn draw_pairs(
        self,
        rng: &mut Xoshiro256PlusPlus,
        len: usize,
        mut pair: impl FnMut(&Resolved, &Resolved, &mut Xoshiro256PlusPlus) -> (f64, f64),
    ) {
        assert!(len <= BLOCK);
        let mut local = rng.clone();
        for j in (0..len).step_by(2) {
            let second = (j + 1).min(len - 1);
            let (p0, p1) = ((self.probability)(j), (self.probability)(second));
            let (r0, r1) = ((self.resolved)(j), (self.resolved)(second));
            let years = self.struck.chunks_exact_mut(STRIDE);
            for (struck, effects) in years.zip(self.effects.chunks_exact_mut(STRIDE)) {
                let u = local.random::<f64>();
                let (e0, e1) = pair(&r0, &r1, &mut local);
                struck[j] = u < p0;
                effects[j] = if struck[j] { e0 } else { 0.0 };
                if second > j {
                    struck[second] = 1.0 - u < p1;
                    effects[second] = if struck[second] { e1 } else { 0.0 };
                }
            }
        }
        *rng = local;
    }
}

/// Standard normals in stream order, path by path, each path's numbers
/// down the columns of `out` (one every [`STRIDE`]). A function of its own
/// with a local copy of the stream, so that the generator's state and the
/// loop's counters stay in registers: inlined into a phase, they were kept
/// in memory and the loop ran a fifth slower.
///
/// With `antithetic`, odd paths read nothing and take the path before's
/// numbers negated.
#[inline(never)]
pub(super) fn fill_normals(
    rng: &mut Xoshiro256PlusPlus,
    out: &mut [f64],
    len: usize,
    antithetic: bool,
) {
    assert!(len <= BLOCK);
    let mut local = rng.clone();
    if antithetic {
        for j in 0..len {
            for col in out.chunks_exact_mut(STRIDE) {
                col[j] = if j % 2 == 1 {
                    -col[j - 1]
                } else {
                    StandardNormal.sample(&mut local)
                };
            }
        }
    } else {
        for j in 0..len {
            for col in out.chunks_exact_mut(STRIDE) {
                col[j] = StandardNormal.sample(&mut local);
            }
        }
    }
    *rng = local;
}

pub(super) fn has_avx2() -> bool {
    #[cfg(target_arch = "x86_64")]
    return std::arch::is_x86_feature_detected!("avx2");
    #[cfg(not(target_arch = "x86_64"))]
    false
}

/// How many are true.
#[inline]
pub(super) fn count_true(flags: &[bool]) -> u64 {
    flags.iter().map(|&f| u64::from(f)).sum()
}

/// `hit[j] = direction.holds(x[j], threshold)` for every path.
#[inline]
pub(super) fn holds_all(direction: Direction, x: &[f64], threshold: f64, hit: &mut [bool]) {
    for (h, &x) in hit.iter_mut().zip(x) {
        *h = direction.holds(x, threshold);
    }
}

/// One year of a value target's reach: how many paths hold this year, and
/// how many for the first time (`reached` marks paths that held before,
/// and is updated). One pass, the direction matched once outside the loop.
#[inline]
pub(super) fn reach_year(
    direction: Direction,
    x: &[f64],
    threshold: f64,
    reached: &mut [bool],
) -> (u64, u64) {
    #[inline(always)]
    fn pass(x: &[f64], reached: &mut [bool], holds: impl Fn(f64) -> bool) -> (u64, u64) {
        let (mut held, mut first) = (0u64, 0u64);
        for (r, &x) in reached.iter_mut().zip(x) {
            // Undefined values never hold (as `Direction::holds`).
            let h = holds(x) & x.is_finite();
            held += u64::from(h);
            first += u64::from(h & !*r);
            *r |= h;
        }
        (held, first)
    }
    match direction {
        Direction::AtLeast => pass(x, reached, |x| x >= threshold),
        Direction::AtMost => pass(x, reached, |x| x <= threshold),
        Direction::Above => pass(x, reached, |x| x > threshold),
        Direction::Below => pass(x, reached, |x| x < threshold),
    }
}
