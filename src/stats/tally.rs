//! What a run accumulates: hit counts, quantile sketches and sums, all of
//! bounded size and all merged by integer addition, so that tallies of any
//! split of the work, merged in any order, are bit-for-bit the same.

use serde::{Deserialize, Serialize};

use super::sketch::Sketch;

/// Fractional bits of the fixed-point sums: values are rounded to 2^-32
/// (2.3e-10) before summing, which no reported mean can notice.
const FRACTION_BITS: i32 = 32;
/// Largest magnitude summed; larger (absurd) values are counted apart. A chunk
/// of them still fits the fixed-point total with room for 10^9 chunks.
const MAX_SUMMED: f64 = 1.0e18;

/// An order-independent sum of finite values, in 128-bit fixed point.
///
/// Values arrive a chunk at a time in a [`ChunkSum`], summed in f64 in a
/// fixed order (whatever thread runs the chunk); that sum enters the total
/// rounded to 2^-32. Integer totals then merge exactly in any order.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct FixedSum {
    total: i128,
    count: u64,
    /// Values too large to sum (their mean is not reported).
    skipped: u64,
}

/// Lanes of a chunk's running sum: value `j` of the chunk is added to lane
/// `j % SUM_LANES`. Four independent additions at a time instead of one long
/// chain, and still a fixed order, whatever thread runs the chunk.
const SUM_LANES: usize = 4;

/// One chunk's running sum, fed in path order, a block of paths at a time.
#[derive(Debug, Clone, Copy, Default)]
pub struct ChunkSum {
    lanes: [f64; SUM_LANES],
    count: u64,
    skipped: u64,
}

impl ChunkSum {
    /// Adds the next values (non-finite ones are left out). Every batch but
    /// a chunk's last must hold a multiple of four values, so that each
    /// value's lane is its position in the chunk.
    #[inline(always)]
    pub fn add_all(&mut self, values: &[f64]) {
        // Lanes in locals and no branch inside the loop: it runs in
        // registers, on vector lanes. Counting is left to the end.
        let mut lanes = self.lanes;
        let mut all_summed = true;
        let mut add = |lane: &mut f64, x: f64| {
            // False for NaN and infinities too.
            let summed = x.abs() < MAX_SUMMED;
            *lane += if summed { x } else { 0.0 };
            all_summed &= summed;
        };
        let mut quads = values.chunks_exact(SUM_LANES);
        for quad in &mut quads {
            for (lane, &x) in lanes.iter_mut().zip(quad) {
                add(lane, x);
            }
        }
        for (lane, &x) in lanes.iter_mut().zip(quads.remainder()) {
            add(lane, x);
        }
        self.lanes = lanes;
        if all_summed {
            self.count += values.len() as u64;
        } else {
            self.count_apart(values);
        }
    }

    /// Counts values one by one: summed, or finite but too large to sum.
    fn count_apart(&mut self, values: &[f64]) {
        for &x in values {
            if x.abs() < MAX_SUMMED {
                self.count += 1;
            } else if x.is_finite() {
                self.skipped += 1;
            }
        }
    }

    fn sum(&self) -> f64 {
        let [a, b, c, d] = self.lanes;
        (a + b) + (c + d)
    }
}

impl FixedSum {
    /// Adds a finished chunk's sum and clears it.
    pub fn take(&mut self, chunk: &mut ChunkSum) {
        // Truncation, not rounding: one instruction instead of a libm call, and
        // the 2^-32 it can lose per chunk is far below any reported digit.
        self.total += to_fixed(chunk.sum());
        self.count += chunk.count;
        self.skipped += chunk.skipped;
        *chunk = ChunkSum::default();
    }

    pub fn merge(&mut self, other: &FixedSum) {
        self.total += other.total;
        self.count += other.count;
        self.skipped += other.skipped;
    }

    /// The mean of the values summed, if any were and none were skipped.
    pub fn mean(&self) -> Option<f64> {
        (self.count > 0 && self.skipped == 0).then(|| self.sum() / self.count as f64)
    }

    /// The sum of the values summed (skipped ones left out).
    pub fn sum(&self) -> f64 {
        self.total as f64 / 2f64.powi(FRACTION_BITS)
    }
}

/// `x` in fixed point, through an i64 when it fits (one instruction; the
/// conversion to i128 is a library call).
#[inline]
fn to_fixed(x: f64) -> i128 {
    let scaled = x * 2f64.powi(FRACTION_BITS);
    if scaled.abs() < 9.0e18 {
        scaled as i64 as i128
    } else {
        scaled as i128
    }
}

/// Count, sum and sum of squares of one input over some paths, in fixed point.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Moments {
    n: u64,
    sum: i128,
    squares: i128,
}

/// Moments of one chunk in f64, summed in path order, then added to a
/// [`Moments`] in fixed point: deterministic, and cheap per path.
#[derive(Debug, Clone, Copy, Default)]
pub struct ChunkMoments {
    n: u64,
    sum: f64,
    squares: f64,
}

impl ChunkMoments {
    /// Adds `x` if it is finite and at most 1e9 in size. No branch: the
    /// engine adds each driver input to a hit's or a miss's moments, and
    /// which it is the processor cannot predict.
    #[inline]
    pub fn add(&mut self, x: f64) {
        let kept = x.abs() <= 1e9;
        let x = if kept { x } else { 0.0 };
        self.n += u64::from(kept);
        self.sum += x;
        self.squares += x * x;
    }
}

impl Moments {
    /// Adds a chunk's moments and clears them.
    pub fn take(&mut self, chunk: &mut ChunkMoments) {
        self.n += chunk.n;
        self.sum += to_fixed(chunk.sum);
        self.squares += to_fixed(chunk.squares);
        *chunk = ChunkMoments::default();
    }

    pub fn merge(&mut self, other: &Moments) {
        self.n += other.n;
        self.sum += other.sum;
        self.squares += other.squares;
    }

    pub fn n(&self) -> u64 {
        self.n
    }

    /// Mean and sample variance, from two values on.
    pub fn mean_variance(&self) -> Option<(f64, f64)> {
        (self.n >= 2).then(|| {
            let scale = 2f64.powi(FRACTION_BITS);
            let n = self.n as f64;
            let mean = self.sum as f64 / scale / n;
            let var = ((self.squares as f64 / scale) - n * mean * mean) / (n - 1.0);
            (mean, var.max(0.0))
        })
    }
}

/// An input's moments over the paths that hit a target and those that missed.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct DriverSums {
    pub hit: Moments,
    pub miss: Moments,
}

/// Antithetic pairs of paths (paths 2i and 2i + 1 of a chunk) by how many of
/// the two a target held on: what the variance of a pair's mean, and so an
/// honest interval, is computed from.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct PairCounts {
    /// Whole pairs counted.
    pub pairs: u64,
    /// Pairs on which the target held on exactly one path, and on both.
    pub one: u64,
    pub both: u64,
}

impl PairCounts {
    pub fn merge(&mut self, other: &PairCounts) {
        self.pairs += other.pairs;
        self.one += other.one;
        self.both += other.both;
    }

    /// Counts the pairs of `hit` (whose length is even).
    #[inline]
    pub fn add(&mut self, hit: &[bool]) {
        for pair in hit.chunks_exact(2) {
            self.one += u64::from(pair[0] ^ pair[1]);
            self.both += u64::from(pair[0] & pair[1]);
        }
        self.pairs += (hit.len() / 2) as u64;
    }
}

/// Per-run accumulators. Indicator statistics cover the years from the base
/// year to the horizon (`span` of them), indicator-major.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Tally {
    pub draws: u64,
    pub span: usize,
    /// Paths on which each target held.
    pub hits: Vec<u64>,
    /// The distribution of each target's statistic (empty for composites).
    pub target_sketches: Vec<Sketch>,
    /// Each indicator's value in each year from the base year on.
    pub value_sketches: Vec<Sketch>,
    pub value_sums: Vec<FixedSum>,
    /// Paths on which a level hit zero (growth below −100 %).
    pub stopped_at_zero: Vec<u64>,
    /// Paths on which a share was held inside [0, 1].
    pub clamped: Vec<u64>,
    /// By (target, driver input), on the sampled paths (see `simulate`).
    pub drivers: Vec<DriverSums>,
    /// Paths on which every floor (0) and every stretch (1) statistic target held.
    pub joint: [u64; 2],
    /// With antithetic sampling, each target's pairs, and the joint floor's
    /// and stretch's; empty (and all zero) otherwise.
    pub pairs: Vec<PairCounts>,
    pub joint_pairs: [PairCounts; 2],
    /// Hits by (octave of the chunk index, target) and draws by octave: chunk
    /// `c` counts in octave ⌊log2(c + 1)⌋. Summing octaves gives the running
    /// estimate after 1, 3, 7, 15… chunks, as if they had run in order.
    pub octave_hits: Vec<u64>,
    pub octave_draws: Vec<u64>,
    /// With antithetic sampling, pairs by (octave, target), as `octave_hits`.
    pub octave_pairs: Vec<PairCounts>,
    /// With quasi-Monte Carlo, each replicate's draws, and hits by (target,
    /// replicate) followed by the joint floor's and stretch's: what the
    /// spread between replicates' means, and so an honest interval, is
    /// computed from. Empty otherwise.
    pub replicate_draws: Vec<u64>,
    pub replicate_hits: Vec<u64>,
    /// The same by octave: draws by (octave, replicate), hits by (octave,
    /// target, replicate).
    pub octave_replicate_draws: Vec<u64>,
    pub octave_replicate_hits: Vec<u64>,
    /// With quasi-Monte Carlo, the targets estimated by conditioning, and
    /// for each (row of this list, replicate) the sum of its paths'
    /// probabilities; and the same by (octave, row, replicate).
    pub conditioned: Vec<usize>,
    pub replicate_probabilities: Vec<FixedSum>,
    pub octave_replicate_probabilities: Vec<FixedSum>,
    /// By (target × span + years after the base year), for value targets:
    /// paths on which the condition held that year, and on which that year
    /// was the first it held.
    pub held: Vec<u64>,
    pub first_held: Vec<u64>,
}

/// Octaves of chunk indices kept (2^40 chunks is beyond any run).
pub const OCTAVES: usize = 40;

/// The octave chunk `c` counts in.
pub fn octave(chunk: u64) -> usize {
    (63 - (chunk + 1).leading_zeros()) as usize
}

impl Tally {
    /// `count` as a share of the paths drawn.
    pub fn share(&self, count: u64) -> f64 {
        count as f64 / self.draws.max(1) as f64
    }

    pub fn new(
        indicators: usize,
        targets: usize,
        span: usize,
        inputs: usize,
        antithetic: bool,
        replicates: usize,
        conditioned: Vec<usize>,
    ) -> Tally {
        let pair_rows = if antithetic { targets } else { 0 };
        let r = replicates;
        Tally {
            draws: 0,
            span,
            hits: vec![0; targets],
            target_sketches: vec![Sketch::new(); targets],
            value_sketches: vec![Sketch::new(); indicators * span],
            value_sums: vec![FixedSum::default(); indicators * span],
            stopped_at_zero: vec![0; indicators],
            clamped: vec![0; indicators],
            drivers: vec![DriverSums::default(); targets * inputs],
            joint: [0; 2],
            pairs: vec![PairCounts::default(); pair_rows],
            joint_pairs: Default::default(),
            octave_hits: vec![0; OCTAVES * targets],
            octave_draws: vec![0; OCTAVES],
            octave_pairs: vec![PairCounts::default(); OCTAVES * pair_rows],
            replicate_draws: vec![0; r],
            replicate_hits: vec![0; (targets + 2) * r],
            octave_replicate_draws: vec![0; OCTAVES * r],
            octave_replicate_hits: vec![0; OCTAVES * targets * r],
            replicate_probabilities: vec![FixedSum::default(); conditioned.len() * r],
            octave_replicate_probabilities: vec![
                FixedSum::default();
                OCTAVES * conditioned.len() * r
            ],
            conditioned,
            held: vec![0; targets * span],
            first_held: vec![0; targets * span],
        }
    }

    /// Whether `other` has this tally's shape (the same targets, indicators,
    /// years and driver inputs) and well-formed sketches: a tally read from
    /// a file is checked against the model's empty one before it is merged.
    pub fn is_shaped_like(&self, other: &Tally) -> bool {
        self.span == other.span
            && self.hits.len() == other.hits.len()
            && self.target_sketches.len() == other.target_sketches.len()
            && self.value_sketches.len() == other.value_sketches.len()
            && self.value_sums.len() == other.value_sums.len()
            && self.stopped_at_zero.len() == other.stopped_at_zero.len()
            && self.clamped.len() == other.clamped.len()
            && self.drivers.len() == other.drivers.len()
            && self.octave_hits.len() == other.octave_hits.len()
            && self.octave_draws.len() == other.octave_draws.len()
            && self.pairs.len() == other.pairs.len()
            && self.octave_pairs.len() == other.octave_pairs.len()
            && self.replicate_draws.len() == other.replicate_draws.len()
            && self.replicate_hits.len() == other.replicate_hits.len()
            && self.octave_replicate_draws.len() == other.octave_replicate_draws.len()
            && self.octave_replicate_hits.len() == other.octave_replicate_hits.len()
            && self.conditioned == other.conditioned
            && self.replicate_probabilities.len() == other.replicate_probabilities.len()
            && self.octave_replicate_probabilities.len()
                == other.octave_replicate_probabilities.len()
            && self.held.len() == other.held.len()
            && self.first_held.len() == other.first_held.len()
            && other
                .target_sketches
                .iter()
                .chain(&other.value_sketches)
                .all(Sketch::is_well_formed)
    }

    pub fn merge(&mut self, other: &Tally) {
        fn add_all(a: &mut [u64], b: &[u64]) {
            a.iter_mut().zip(b).for_each(|(x, y)| *x += y);
        }
        self.draws += other.draws;
        add_all(&mut self.hits, &other.hits);
        add_all(&mut self.stopped_at_zero, &other.stopped_at_zero);
        add_all(&mut self.clamped, &other.clamped);
        add_all(&mut self.joint, &other.joint);
        add_all(&mut self.octave_hits, &other.octave_hits);
        add_all(&mut self.octave_draws, &other.octave_draws);
        add_all(&mut self.replicate_draws, &other.replicate_draws);
        add_all(&mut self.replicate_hits, &other.replicate_hits);
        add_all(
            &mut self.octave_replicate_draws,
            &other.octave_replicate_draws,
        );
        add_all(
            &mut self.octave_replicate_hits,
            &other.octave_replicate_hits,
        );
        for (a, b) in self
            .pairs
            .iter_mut()
            .chain(&mut self.joint_pairs)
            .chain(&mut self.octave_pairs)
            .zip(
                other
                    .pairs
                    .iter()
                    .chain(&other.joint_pairs)
                    .chain(&other.octave_pairs),
            )
        {
            a.merge(b);
        }
        for (a, b) in (self.replicate_probabilities.iter_mut())
            .chain(&mut self.octave_replicate_probabilities)
            .zip(
                (other.replicate_probabilities.iter()).chain(&other.octave_replicate_probabilities),
            )
        {
            a.merge(b);
        }
        add_all(&mut self.held, &other.held);
        add_all(&mut self.first_held, &other.first_held);
        self.target_sketches
            .iter_mut()
            .zip(&other.target_sketches)
            .for_each(|(a, b)| a.merge(b));
        self.value_sketches
            .iter_mut()
            .zip(&other.value_sketches)
            .for_each(|(a, b)| a.merge(b));
        self.value_sums
            .iter_mut()
            .zip(&other.value_sums)
            .for_each(|(a, b)| a.merge(b));
        self.drivers
            .iter_mut()
            .zip(&other.drivers)
            .for_each(|(a, b)| {
                a.hit.merge(&b.hit);
                a.miss.merge(&b.miss);
            });
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fixed_sums_of_chunks_merge_in_any_order() {
        let chunks: [&[f64]; 3] = [&[1e9, 0.1], &[-1e9, 0.2, f64::NAN], &[3.0e-7, 12345.678]];
        let sum_of = |chunks: &mut dyn Iterator<Item = &&[f64]>| {
            let mut total = FixedSum::default();
            for c in chunks {
                let mut chunk = ChunkSum::default();
                chunk.add_all(c);
                total.take(&mut chunk);
            }
            total
        };
        let a = sum_of(&mut chunks.iter());
        let b = sum_of(&mut chunks.iter().rev());
        assert_eq!(a, b);
        // Chunks are summed in f64: the error is f64 rounding of the magnitudes summed.
        let expected = (0.1 + 0.2 + 3.0e-7 + 12345.678) / 6.0;
        let bound = 4.0 * f64::EPSILON * (2e9 + 12345.978) / 6.0;
        assert!(
            (a.mean().unwrap() - expected).abs() <= bound,
            "{:?}",
            a.mean()
        );
        let mut big = FixedSum::default();
        let mut chunk = ChunkSum::default();
        chunk.add_all(&[1e30, 1.0]);
        big.take(&mut chunk);
        assert_eq!(big.mean(), None);
        assert_eq!(FixedSum::default().mean(), None);
    }

    #[test]
    fn moments_leave_out_undefined_and_huge_values() {
        let mut chunk = ChunkMoments::default();
        for x in [
            1.0,
            f64::NAN,
            f64::INFINITY,
            -2e9,
            3.0,
            f64::NEG_INFINITY,
            -1e9,
        ] {
            chunk.add(x);
        }
        let mut m = Moments::default();
        m.take(&mut chunk);
        assert_eq!(m.n(), 3);
        // 1, 3 and −1e9: mean (4 − 1e9)/3, variance from the fixed-point sums.
        let (mean, variance) = m.mean_variance().unwrap();
        let exact_mean = (4.0 - 1e9) / 3.0;
        assert!((mean - exact_mean).abs() < 1e-6, "{mean}");
        let exact_variance = (1.0 + 9.0 + 1e18 - 3.0 * exact_mean * exact_mean) / 2.0;
        assert!((variance / exact_variance - 1.0).abs() < 1e-9, "{variance}");
    }
}
