//! A mergeable quantile sketch of bounded size with relative accuracy.
//!
//! Buckets are read straight off the bits of the magnitude: the exponent and
//! the top [`MANTISSA_BITS`] bits of the mantissa, so a bucket spans at most a
//! factor `1 + 2^-10` and its midpoint is within 0.05 % of every value in it.
//! Negative values, zeros and positive values are kept apart. Counts are
//! integers, so merging sketches in any order gives the same sketch: the
//! engine can tally per thread and the thread count never changes a number.
//!
//! Memory is bounded: a store keeps at most [`MAX_BUCKETS`] buckets (16
//! octaves); values smaller in magnitude than that range are folded into its
//! lowest bucket. The final fold depends only on the largest bucket ever seen,
//! so it too is independent of order.

use serde::{Deserialize, Serialize};

pub const MANTISSA_BITS: u32 = 10;
const SHIFT: u32 = 52 - MANTISSA_BITS;
pub const MAX_BUCKETS: usize = 16 << MANTISSA_BITS;
/// Values bucketed together by [`Sketch::add_all`].
const BATCH: usize = 128;

/// Counts of magnitudes of one sign, by bucket index.
///
/// Counts are kept in 32 bits, which halves the memory that the engine's
/// busiest loop touches; their high 32 bits are kept apart, in `high`, only
/// once some count has passed `u32::MAX` (over four billion values in one
/// bucket). Counts are written only through [`Store::add`] or, while the
/// sketch holds fewer than `u32::MAX` values in all (so that no count can
/// wrap), by the batch paths.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
struct Store {
    /// Bucket index of `counts[0]`.
    offset: i64,
    counts: Vec<u32>,
    /// Empty, or the high 32 bits of each count.
    high: Vec<u32>,
}

#[inline]
fn bucket(magnitude: f64) -> i64 {
    (magnitude.to_bits() >> SHIFT) as i64
}

/// The midpoint of a bucket's range of values.
fn bucket_value(index: i64) -> f64 {
    let lo = f64::from_bits((index as u64) << SHIFT);
    let hi = f64::from_bits(((index + 1) as u64) << SHIFT);
    0.5 * (lo + hi)
}

/// Makes room for `len` counts, doubling as a `Vec` does but never past
/// [`MAX_BUCKETS`]: a full store then holds 64 KiB, not up to twice that.
fn reserve_bounded(v: &mut Vec<u32>, len: usize) {
    if len > v.capacity() {
        let target = (2 * v.capacity()).min(MAX_BUCKETS).max(len);
        v.reserve_exact(target - v.len());
    }
}

impl Store {
    /// Bounded, with high halves for every count or none, and bucket
    /// indices that finite magnitudes can have (sign bit clear).
    fn is_well_formed(&self) -> bool {
        let max_index = (u64::MAX >> 1 >> SHIFT) as i64;
        self.counts.len() <= MAX_BUCKETS
            && (self.high.is_empty() || self.high.len() == self.counts.len())
            && self.offset >= 0
            && self.offset + (self.counts.len() as i64) <= max_index + 1
    }

    /// The number of values in all buckets, if it fits.
    fn total(&self) -> Option<u64> {
        (0..self.counts.len()).try_fold(0u64, |sum, k| sum.checked_add(self.count(k)))
    }

    fn highest(&self) -> i64 {
        self.offset + self.counts.len() as i64 - 1
    }

    /// The count of the bucket at position `k`.
    #[inline]
    fn count(&self, k: usize) -> u64 {
        let high = self.high.get(k).map_or(0, |&h| u64::from(h));
        high << 32 | u64::from(self.counts[k])
    }

    /// Adds `n` to the count at position `k`.
    fn add_at(&mut self, k: usize, n: u64) {
        let v = self.count(k) + n;
        self.counts[k] = v as u32;
        let high = (v >> 32) as u32;
        if high > 0 && self.high.is_empty() {
            self.high = vec![0; self.counts.len()];
        }
        if let Some(h) = self.high.get_mut(k) {
            *h = high;
        }
    }

    /// Adds `n` to bucket `index`. The kept range ends up from
    /// `max(lowest seen, highest seen − MAX_BUCKETS + 1)` to the highest seen,
    /// with anything lower in its first bucket, whatever the order of calls.
    #[inline]
    fn add(&mut self, index: i64, n: u64) {
        if self.counts.is_empty() {
            self.offset = index;
            self.counts.push(0);
        } else if index > self.highest() {
            self.extend_up(index);
        } else if index < self.offset {
            self.extend_down(index);
        }
        let pos = (index.max(self.offset) - self.offset) as usize;
        self.add_at(pos, n);
    }

    /// Grows downwards to `index`, as far as the size bound allows.
    fn extend_down(&mut self, index: i64) {
        let new_offset = index.max(self.highest() - MAX_BUCKETS as i64 + 1);
        if new_offset < self.offset {
            let grow = (self.offset - new_offset) as usize;
            for part in [&mut self.counts, &mut self.high] {
                if !part.is_empty() {
                    reserve_bounded(part, part.len() + grow);
                    part.splice(0..0, std::iter::repeat_n(0, grow));
                }
            }
            self.offset = new_offset;
        }
    }

    /// Grows upwards to `index`, folding the lowest buckets into the new
    /// first bucket if the range would exceed the bound.
    fn extend_up(&mut self, index: i64) {
        let new_len = (index - self.offset + 1) as usize;
        if new_len <= MAX_BUCKETS {
            reserve_bounded(&mut self.counts, new_len);
            self.counts.resize(new_len, 0);
            if !self.high.is_empty() {
                reserve_bounded(&mut self.high, new_len);
                self.high.resize(new_len, 0);
            }
            return;
        }
        let new_offset = index - MAX_BUCKETS as i64 + 1;
        let drop = (new_offset - self.offset) as usize;
        let mut folded = Store {
            offset: new_offset,
            counts: vec![0; MAX_BUCKETS],
            high: Vec::new(),
        };
        let kept = drop.min(self.counts.len() - 1);
        folded.add_at(0, (0..=kept).map(|k| self.count(k)).sum());
        for k in kept + 1..self.counts.len() {
            folded.add_at(k - drop, self.count(k));
        }
        *self = folded;
    }

    fn merge(&mut self, other: &Store) {
        // Merging into an empty store (a run's first tally) is a copy.
        if self.counts.is_empty() {
            self.clone_from(other);
            return;
        }
        for (index, c) in other.iter() {
            self.add(index, c);
        }
    }

    /// `(index, count)` from the smallest magnitude up.
    fn iter(&self) -> impl DoubleEndedIterator<Item = (i64, u64)> + '_ {
        (0..self.counts.len())
            .map(|k| (self.offset + k as i64, self.count(k)))
            .filter(|&(_, c)| c > 0)
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Sketch {
    negative: Store,
    positive: Store,
    zeros: u64,
    count: u64,
    /// Values that were NaN or infinite: counted, never mixed into quantiles.
    nonfinite: u64,
    min: f64,
    max: f64,
}

impl Default for Sketch {
    fn default() -> Self {
        Sketch {
            negative: Store::default(),
            positive: Store::default(),
            zeros: 0,
            count: 0,
            nonfinite: 0,
            min: f64::INFINITY,
            max: f64::NEG_INFINITY,
        }
    }
}

/// A sketch ready for quantiles: `(values up to this bucket, its value)`.
pub struct Ranked {
    buckets: Vec<(u64, f64)>,
    count: u64,
    max: f64,
}

impl Ranked {
    /// The share of the finite values at or below `x`, to within the
    /// bucket width; `None` if there are none.
    pub fn cdf(&self, x: f64) -> Option<f64> {
        if self.count == 0 {
            return None;
        }
        let k = self.buckets.partition_point(|&(_, value)| value <= x);
        let seen = k.checked_sub(1).map_or(0, |k| self.buckets[k].0);
        Some(seen as f64 / self.count as f64)
    }

    /// The `q` quantile (0 ≤ q ≤ 1): the value of rank `⌊q·(n−1)⌋` among the
    /// finite values, to within the bucket width. `None` if there are none.
    pub fn quantile(&self, q: f64) -> Option<f64> {
        if self.count == 0 {
            return None;
        }
        let rank = (q.clamp(0.0, 1.0) * (self.count - 1) as f64).floor() as u64;
        let k = self.buckets.partition_point(|&(seen, _)| seen <= rank);
        Some(self.buckets.get(k).map_or(self.max, |&(_, value)| value))
    }
}

impl Sketch {
    pub fn new() -> Sketch {
        Sketch::default()
    }

    #[inline]
    pub fn add(&mut self, x: f64) {
        if !x.is_finite() {
            self.nonfinite += 1;
            return;
        }
        self.count += 1;
        self.min = self.min.min(x);
        self.max = self.max.max(x);
        if x > 0.0 {
            self.positive.add(bucket(x), 1);
        } else if x < 0.0 {
            self.negative.add(bucket(-x), 1);
        } else {
            self.zeros += 1;
        }
    }

    /// Adds a batch of values; the same as `add` for each, faster. Inlined,
    /// so that it is compiled for the caller's vector width.
    #[inline(always)]
    pub fn add_all(&mut self, values: &[f64]) {
        for batch in values.chunks(BATCH) {
            if !(self.counts_stay_narrow(batch.len()) && self.add_all_in_range(batch)) {
                self.add_each(batch);
            }
        }
    }

    /// Whether `more` values can be counted in 32 bits straight: no bucket
    /// can hold more values than the sketch holds in all.
    #[inline(always)]
    fn counts_stay_narrow(&self, more: usize) -> bool {
        self.count + more as u64 <= u64::from(u32::MAX)
    }

    /// Adds every value if all are positive and inside the positive buckets
    /// kept (the common case) and says whether it did; adds none otherwise.
    /// Two passes: first buckets and extremes, with no branch, on vector
    /// lanes; then the counts.
    #[inline(always)]
    fn add_all_in_range(&mut self, values: &[f64]) -> bool {
        let offset = self.positive.offset;
        let counts = &mut self.positive.counts[..];
        let n = counts.len() as i64;
        let mut positions = [0i64; BATCH];
        // Extremes as bit patterns, which order positive finite values as
        // the values themselves; integer minima vectorise, float ones do not.
        let (mut lo, mut hi) = (i64::MAX, 0);
        let mut outside = false;
        for (p, &x) in positions.iter_mut().zip(values) {
            // Below the offset the position is negative; negative, infinite
            // and NaN values are above every finite bucket. Zero shares a
            // bucket with the smallest subnormals, so it is ruled out by name.
            *p = bucket(x) - offset;
            outside |= (*p < 0) | (*p >= n) | (x <= 0.0);
            let bits = x.to_bits() as i64;
            lo = lo.min(bits);
            hi = hi.max(bits);
        }
        if outside || values.is_empty() {
            return false;
        }
        for &p in &positions[..values.len()] {
            counts[p as usize] += 1;
        }
        let (lo, hi) = (f64::from_bits(lo as u64), f64::from_bits(hi as u64));
        self.count += values.len() as u64;
        self.min = self.min.min(lo);
        self.max = self.max.max(hi);
        true
    }

    /// Adds values one by one, in runs inside the kept range where it can.
    fn add_each(&mut self, values: &[f64]) {
        let mut rest = values;
        while !rest.is_empty() {
            if self.counts_stay_narrow(rest.len()) {
                rest = &rest[self.add_in_range(rest)..];
            }
            if let Some((&x, tail)) = rest.split_first() {
                self.add(x);
                rest = tail;
            }
        }
    }

    /// Adds values while they are positive and inside the positive buckets
    /// kept (the common case: no growing, no other kind of value), and says
    /// how many it added.
    #[inline]
    fn add_in_range(&mut self, values: &[f64]) -> usize {
        let offset = self.positive.offset;
        let counts = &mut self.positive.counts[..];
        let (mut lo, mut hi) = (self.min, self.max);
        let mut added = values.len();
        for (k, &x) in values.iter().enumerate() {
            // Below the offset the difference wraps to a huge position;
            // negative, infinite and NaN values are above every finite
            // bucket: all are misses. Zero shares a bucket with the smallest
            // subnormals, so it is ruled out by name.
            let pos = bucket(x).wrapping_sub(offset) as usize;
            if pos >= counts.len() || x <= 0.0 {
                added = k;
                break;
            }
            counts[pos] += 1;
            // Plain comparisons: x is neither NaN nor infinite here.
            lo = if x < lo { x } else { lo };
            hi = if x > hi { x } else { hi };
        }
        self.count += added as u64;
        self.min = lo;
        self.max = hi;
        added
    }

    pub fn merge(&mut self, other: &Sketch) {
        self.negative.merge(&other.negative);
        self.positive.merge(&other.positive);
        self.zeros += other.zeros;
        self.count += other.count;
        self.nonfinite += other.nonfinite;
        self.min = self.min.min(other.min);
        self.max = self.max.max(other.max);
    }

    /// Whether the sketch could have come from adding values: bounded
    /// stores, counts that add up, extremes in order. A sketch read from a
    /// file (a shard's part) is checked before it is merged.
    pub fn is_well_formed(&self) -> bool {
        let in_stores = self.negative.total().zip(self.positive.total());
        self.negative.is_well_formed()
            && self.positive.is_well_formed()
            && in_stores.and_then(|(n, p)| n.checked_add(p)?.checked_add(self.zeros))
                == Some(self.count)
            && (self.count == 0 || self.min <= self.max)
    }

    /// Finite values seen.
    #[cfg(test)]
    fn count(&self) -> u64 {
        self.count
    }

    pub fn nonfinite(&self) -> u64 {
        self.nonfinite
    }

    /// [`Ranked::quantile`] of this sketch: one quantile, as tests ask.
    #[cfg(test)]
    fn quantile(&self, q: f64) -> Option<f64> {
        self.ranked().quantile(q)
    }

    /// The buckets in order of value with running counts: quantiles of
    /// the sketch by binary search.
    pub fn ranked(&self) -> Ranked {
        let mut seen = 0;
        let mut running = |(value, c): (f64, u64)| {
            seen += c;
            (seen, value)
        };
        let negative = self.negative.iter().rev();
        let negative = negative.map(|(index, c)| (self.clamp(-bucket_value(index)), c));
        let zeros = (self.zeros > 0).then_some((0.0, self.zeros));
        let positive = self.positive.iter();
        let positive = positive.map(|(index, c)| (self.clamp(bucket_value(index)), c));
        Ranked {
            buckets: negative
                .chain(zeros)
                .chain(positive)
                .map(&mut running)
                .collect(),
            count: self.count,
            max: self.max,
        }
    }

    fn clamp(&self, v: f64) -> f64 {
        v.clamp(self.min, self.max)
    }

    /// Buckets in use (a measure of memory).
    #[cfg(test)]
    fn buckets(&self) -> usize {
        self.negative.counts.len() + self.positive.counts.len()
    }

    /// The lowest magnitude bucket kept for positive values (for tests).
    #[cfg(test)]
    fn positive_floor(&self) -> i64 {
        self.positive.offset
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use rand::{Rng, SeedableRng};
    use rand_distr::{Distribution, StandardNormal};
    use rand_xoshiro::Xoshiro256PlusPlus;

    /// Counts are kept in 32 bits until one passes `u32::MAX`; then whole.
    #[test]
    fn counts_past_32_bits_are_kept_whole() {
        let wide = u64::from(u32::MAX) + 5;
        let mut store = Store::default();
        store.add(100, u64::from(u32::MAX));
        store.add(100, 5);
        store.add(90, 1);
        assert_eq!(store.iter().collect::<Vec<_>>(), [(90, 1), (100, wide)]);
        // Growing up past the size bound folds every bucket into the first.
        let top = 100 + MAX_BUCKETS as i64 + 20;
        store.add(top, 2);
        let first = top - MAX_BUCKETS as i64 + 1;
        assert_eq!(
            store.iter().collect::<Vec<_>>(),
            [(first, wide + 1), (top, 2)]
        );

        // A sketch near 2^32 values counts batches one by one, in 64 bits.
        let mut sketch = Sketch::new();
        sketch.add_all(&[1.0, 2.0]);
        sketch.positive.add(bucket(1.0), u64::from(u32::MAX) - 100);
        sketch.count += u64::from(u32::MAX) - 100;
        sketch.add_all(&[1.0; 300]);
        let k = (bucket(1.0) - sketch.positive.offset) as usize;
        assert_eq!(sketch.positive.count(k), u64::from(u32::MAX) + 201);
        assert_eq!(sketch.count(), u64::from(u32::MAX) + 202);
    }

    fn exact_quantile(sorted: &[f64], q: f64) -> f64 {
        sorted[(q * (sorted.len() - 1) as f64).floor() as usize]
    }

    #[test]
    fn quantiles_are_within_the_relative_bound_of_the_exact_ones() {
        let mut rng = Xoshiro256PlusPlus::seed_from_u64(3);
        let mut xs: Vec<f64> = (0..200_000)
            .map(|_| {
                let z: f64 = StandardNormal.sample(&mut rng);
                z * 50.0 + 10.0
            })
            .collect();
        let mut s = Sketch::new();
        for &x in &xs {
            s.add(x);
        }
        xs.sort_by(f64::total_cmp);
        for q in [0.0, 0.01, 0.05, 0.25, 0.5, 0.75, 0.95, 0.99, 1.0] {
            let exact = exact_quantile(&xs, q);
            let got = s.quantile(q).unwrap();
            assert!(
                (got - exact).abs() <= exact.abs() * 0.0005 + 1e-12,
                "q={q}: {got} vs {exact}"
            );
        }
    }

    #[test]
    fn merging_in_any_order_gives_the_same_sketch() {
        let mut rng = Xoshiro256PlusPlus::seed_from_u64(5);
        let parts: Vec<Vec<f64>> = (0..4)
            .map(|k| {
                (0..5000)
                    .map(|_| rng.random::<f64>() * 10f64.powi(k * 3) - 1.0)
                    .collect()
            })
            .collect();
        let sketches: Vec<Sketch> = parts
            .iter()
            .map(|p| {
                let mut s = Sketch::new();
                p.iter().for_each(|&x| s.add(x));
                s
            })
            .collect();
        let mut forward = Sketch::new();
        sketches.iter().for_each(|s| forward.merge(s));
        let mut backward = Sketch::new();
        sketches.iter().rev().for_each(|s| backward.merge(s));
        let mut sequential = Sketch::new();
        parts.iter().flatten().for_each(|&x| sequential.add(x));
        assert_eq!(forward, backward);
        for q in [0.0, 0.1, 0.5, 0.9, 1.0] {
            assert_eq!(forward.quantile(q), sequential.quantile(q));
        }
    }

    #[test]
    fn range_is_bounded_by_folding_small_magnitudes() {
        let mut s = Sketch::new();
        for k in 0..400 {
            s.add(2f64.powi(k - 200));
        }
        assert!(s.buckets() <= MAX_BUCKETS);
        assert_eq!(s.count(), 400);
        // Everything below 2^(199−16) was folded into the lowest kept bucket.
        assert_eq!(
            s.positive_floor(),
            bucket(2f64.powi(199)) - MAX_BUCKETS as i64 + 1
        );
        assert_eq!(s.quantile(1.0), Some(2f64.powi(199)));
    }

    #[test]
    fn adding_a_batch_is_adding_each_value() {
        let mut rng = Xoshiro256PlusPlus::seed_from_u64(9);
        let special = [
            0.0,
            -0.0,
            -2.5,
            f64::NAN,
            f64::INFINITY,
            f64::NEG_INFINITY,
            f64::MIN_POSITIVE / 4.0,
            1e300,
            1e-300,
        ];
        let values: Vec<f64> = (0..20_000)
            .map(|k| {
                if k % 97 == 0 {
                    special[(k / 97) % special.len()]
                } else {
                    // Mostly in range, with the range growing now and then.
                    let z: f64 = StandardNormal.sample(&mut rng);
                    (z * (1.0 + (k / 5000) as f64)).exp() * 100.0
                }
            })
            .collect();
        let plain: Vec<f64> = values
            .iter()
            .copied()
            .filter(|x| (1e-200..1e200).contains(x))
            .collect();
        // New extremes inside the buckets already kept (no slow path).
        let one_bucket = vec![1.0005, 1.0001, 1.0009, 1.0003];
        // With and without the awkward values (which also set the extremes).
        for values in [&values, &plain, &one_bucket] {
            let mut one_by_one = Sketch::new();
            values.iter().for_each(|&x| one_by_one.add(x));
            let mut batched = Sketch::new();
            values.chunks(333).for_each(|c| batched.add_all(c));
            assert_eq!(batched, one_by_one);
        }
        // Whole batches inside the kept buckets: new extremes that stay in
        // the end buckets, and zeros where the kept buckets start at the
        // smallest subnormals (zero's bucket).
        let inside: [&[&[f64]]; 2] = [
            &[&[1.0005, 1.9985], &[1.5, 1.0001, 1.9989, 1.2]],
            &[&[5e-324, 1e-323], &[0.0, 5e-324, 1e-323]],
        ];
        for batches in inside {
            let mut one_by_one = Sketch::new();
            batches.concat().iter().for_each(|&x| one_by_one.add(x));
            let mut batched = Sketch::new();
            batches.iter().for_each(|b| batched.add_all(b));
            assert_eq!(batched, one_by_one, "{batches:?}");
        }
    }

    #[test]
    fn zeros_negatives_and_nonfinite() {
        let mut s = Sketch::new();
        for x in [-3.0, 0.0, 0.0, 2.0, f64::NAN, f64::INFINITY] {
            s.add(x);
        }
        assert_eq!(s.count(), 4);
        assert_eq!(s.nonfinite(), 2);
        assert_eq!(s.quantile(0.0), Some(-3.0));
        assert_eq!(s.quantile(0.5), Some(0.0));
        assert_eq!(s.quantile(1.0), Some(2.0));
        assert_eq!(Sketch::new().quantile(0.5), None);
    }
}
