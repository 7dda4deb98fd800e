//! Randomised quasi-Monte Carlo (`Sampler::Sobol`): which of a path's draws
//! take which dimension of the scrambled Sobol' points, and where a chunk's
//! paths sit among its replicate's points.
//!
//! A path's draws are not equally important, and Sobol' points are most even
//! in their first dimensions. The per-path parameters come first (an
//! uncertain mean growth moves every year). An indicator's normal scores
//! over the years (the copula's for correlated indicators, its own for the
//! others: its "walk") are taken as a rotation of independent components,
//! ordered as the principal components of a random walk (the first moves
//! every year the same way, and decides most of where the indicator ends);
//! the first component of every walk comes next, then every shock's strikes
//! and effects, each count's exits and entries, then the further
//! components. The rotation is orthogonal, so the scores are still
//! independent standard normals: only which of them the even dimensions
//! carry changes. Counts drawn by inversion take their uniform from the
//! point; those drawn by rejection still seed their generator from their
//! stream (`simulate::counts`).

use super::sobol::{Scrambled, MAX_DIMS};
use super::worker::STRIDE;
use super::{stream_rng, CHUNK, REPLICATES};

/// The most steps whose walks are rotated: the rotation costs `steps²`
/// products a walk and path, and plans run five to ten years.
const MAX_ROTATED: usize = 16;

/// Which dimension each draw of a path takes.
pub(super) struct Layout {
    /// Dimensions of a path's point.
    pub dims: usize,
    /// Whether each dimension is used as a normal score (the copula's
    /// components, the shocks' effects) rather than a uniform (strikes).
    pub normal: Vec<bool>,
    /// Each indicator's walk if it has normal scores of its own (the copula's
    /// members are walks `0 … n_corr − 1`).
    pub own_walk: Vec<Option<usize>>,
    /// Steps (years simulated), walks and per-path parameters.
    steps: usize,
    walks: usize,
    params: usize,
    /// The rotation by (step, component): a walk's normal in step `s` is
    /// `Σ_k rotation[s × steps + k] · z_k`. Empty past [`MAX_ROTATED`] steps,
    /// where step `s` takes component `s` as it is.
    rotation: Vec<f64>,
    /// Each shock's strike and effect dimensions by (shock, step), for the
    /// steps of its window (others unused).
    strikes: Vec<usize>,
    effects: Vec<usize>,
    /// Each count's exits' and entries' dimensions by (count, step).
    counts: Vec<[usize; 2]>,
}

impl Layout {
    /// Walks are the copula's `n_corr` members, in order, then each
    /// indicator that `own` marks (normal scores of its own); `windows`:
    /// each shock's steps.
    pub fn new(
        steps: usize,
        n_corr: usize,
        own: &[bool],
        params: usize,
        windows: &[std::ops::Range<usize>],
        n_counts: usize,
    ) -> Layout {
        let mut walks = n_corr;
        let own_walk = own
            .iter()
            .map(|&own| {
                walks += usize::from(own);
                own.then(|| walks - 1)
            })
            .collect();
        let mut next = params + walks;
        let mut take = |used: bool| {
            next += usize::from(used);
            if used {
                next - 1
            } else {
                usize::MAX
            }
        };
        let in_window = |s: usize, step| windows[s].contains(&step);
        let each = (0..windows.len()).flat_map(|s| (0..steps).map(move |step| (s, step)));
        let strikes: Vec<usize> = each
            .clone()
            .map(|(s, step)| take(in_window(s, step)))
            .collect();
        let effects = each.map(|(s, step)| take(in_window(s, step))).collect();
        let counts: Vec<[usize; 2]> = (0..n_counts * steps)
            .map(|_| [take(true), take(true)])
            .collect();
        let dims = next + walks * steps.saturating_sub(1);
        let mut normal = vec![true; dims];
        let uniform = strikes.iter().chain(counts.iter().flatten());
        for &d in uniform.filter(|&&d| d < dims) {
            normal[d] = false;
        }
        Layout {
            dims,
            normal,
            own_walk,
            steps,
            walks,
            params,
            rotation: if steps <= MAX_ROTATED {
                random_walk_components(steps)
            } else {
                Vec::new()
            },
            strikes,
            effects,
            counts,
        }
    }

    /// The dimension of component `k` of walk `w`.
    pub fn component(&self, k: usize, w: usize) -> usize {
        if k == 0 {
            self.params + w
        } else {
            self.dims - self.walks * (self.steps - k) + w
        }
    }

    /// Walk `w`'s normal scores on a block of `len` paths, from the block's
    /// points (`uniforms`, normal scores by (dimension, path) columns
    /// [`STRIDE`] apart): step `s`'s go to `out[at(s)..][..len]`.
    pub fn walk(
        &self,
        uniforms: &[f64],
        w: usize,
        len: usize,
        out: &mut [f64],
        at: impl Fn(usize) -> usize,
    ) {
        let steps = self.steps;
        if self.rotation.is_empty() {
            for s in 0..steps {
                let z = &uniforms[self.component(s, w) * STRIDE..][..len];
                out[at(s)..][..len].copy_from_slice(z);
            }
            return;
        }
        for s in 0..steps {
            let out = &mut out[at(s)..][..len];
            out.fill(0.0);
            for k in 0..steps {
                let q = self.rotation[s * steps + k];
                let z = &uniforms[self.component(k, w) * STRIDE..][..len];
                out.iter_mut().zip(z).for_each(|(n, &z)| *n += q * z);
            }
        }
    }

    /// The dimensions of count `row`'s exits and entries in `step`.
    pub fn count(&self, row: usize, step: usize) -> [usize; 2] {
        self.counts[row * self.steps + step]
    }

    /// The dimension of per-path parameter `slot`.
    pub fn param(&self, slot: usize) -> usize {
        debug_assert!(slot < self.params);
        slot
    }

    /// The dimensions of shock `s`'s strike and effect in `step`.
    pub fn shock(&self, s: usize, step: usize) -> (usize, usize) {
        let at = s * self.steps + step;
        (self.strikes[at], self.effects[at])
    }
}

/// The orthogonal matrix (by step, component) that turns independent
/// normals `z` into a random walk's steps whose `k`th component moves the
/// walk along its `k`th principal component: with `C_ij = min(i, j)` the
/// walk's covariance, its eigenvectors `e_k(i) ∝ sin((2k − 1)iπ/(2T + 1))`
/// and eigenvalues `1/(4 sin²((2k − 1)π/(2(2T + 1))))`, the walk is
/// `W = Σ_k √λ_k e_k z_k`, and its steps `W_i − W_{i−1}`.
pub(super) fn random_walk_components(steps: usize) -> Vec<f64> {
    let t = steps as f64;
    let pi = std::f64::consts::PI;
    let walk = |i: usize, k: usize| {
        if i == 0 {
            return 0.0;
        }
        let odd = (2 * k + 1) as f64;
        let norm = 2.0 / (2.0 * t + 1.0).sqrt();
        let lambda = 1.0 / (4.0 * (odd * pi / (2.0 * (2.0 * t + 1.0))).sin().powi(2));
        norm * (odd * i as f64 * pi / (2.0 * t + 1.0)).sin() * lambda.sqrt()
    };
    let mut q = vec![0.0; steps * steps];
    for s in 0..steps {
        for k in 0..steps {
            q[s * steps + k] = walk(s + 1, k) - walk(s, k);
        }
    }
    q
}

/// A worker's replicates' point sets for one seed, each scrambled when the
/// worker first meets a chunk of it (a few milliseconds for all sixteen at
/// a hundred dimensions: a short run, or a sweep's many, need few).
pub(super) struct Points {
    seed: u64,
    dims: usize,
    sets: Vec<Option<Scrambled>>,
}

impl Points {
    pub fn new(seed: u64, dims: usize) -> Points {
        Points {
            seed,
            dims: dims.min(MAX_DIMS),
            sets: vec![None; REPLICATES],
        }
    }

    pub fn seed(&self) -> u64 {
        self.seed
    }

    /// Scrambles chunk `chunk`'s replicate's points if not yet done.
    pub fn prepare(&mut self, chunk: u64) {
        let r = chunk % REPLICATES as u64;
        let (seed, dims) = (self.seed, self.dims);
        self.sets[r as usize]
            .get_or_insert_with(|| Scrambled::new(dims, &mut stream_rng(seed, r, SCRAMBLE_STREAM)));
    }

    /// Chunk `chunk`'s replicate's points ([`Points::prepare`]d), and the
    /// index of its first path's. Points of a replicate past 2³² repeat
    /// (runs of more than 7·10¹⁰ paths).
    pub fn of_chunk(&self, chunk: u64) -> (&Scrambled, u32) {
        let r = (chunk % REPLICATES as u64) as usize;
        let set = self.sets[r].as_ref().expect("prepared for the chunk");
        (set, ((chunk / REPLICATES as u64) * CHUNK as u64) as u32)
    }
}

/// The stream a replicate's scramble is drawn from: `stream_rng(seed,
/// replicate, SCRAMBLE_STREAM)`, far past any model's components.
const SCRAMBLE_STREAM: u64 = u64::MAX;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_components_are_a_rotation_led_by_the_walks_end() {
        for steps in [1, 2, 5, 9] {
            let q = random_walk_components(steps);
            for a in 0..steps {
                for b in 0..steps {
                    let dot: f64 = (0..steps)
                        .map(|s| q[s * steps + a] * q[s * steps + b])
                        .sum();
                    let want = if a == b { 1.0 } else { 0.0 };
                    assert!((dot - want).abs() < 1e-12, "{steps}: {a}·{b} = {dot}");
                }
            }
            // The first component carries more of the walk's end (the sum
            // of the steps) than any other.
            let end = |k: usize| (0..steps).map(|s| q[s * steps + k]).sum::<f64>().abs();
            assert!((1..steps).all(|k| end(0) > end(k)), "{steps}");
        }
    }

    #[test]
    fn every_draw_has_a_dimension_of_its_own() {
        let layout = Layout::new(5, 2, &[false, true, false], 2, &[0..5, 2..4], 1);
        assert_eq!(layout.own_walk, [None, Some(2), None]);
        let mut dims: Vec<usize> = (0..5)
            .flat_map(|k| (0..3).map(move |a| (k, a)))
            .map(|(k, a)| layout.component(k, a))
            .collect();
        dims.extend([layout.param(0), layout.param(1)]);
        dims.extend((0..5).flat_map(|step| layout.count(0, step)));
        for (s, window) in [(0, 0..5), (1, 2..4)] {
            for step in window {
                let (strike, effect) = layout.shock(s, step);
                dims.extend([strike, effect]);
            }
        }
        dims.sort_unstable();
        assert_eq!(dims, (0..layout.dims).collect::<Vec<_>>());
        assert_eq!(layout.shock(1, 0), (usize::MAX, usize::MAX));
    }
}
