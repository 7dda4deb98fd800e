//! What a run accumulates: hit counts, quantile sketches and sums, all of
//! bounded size and all merged by integer addition, so that tallies of any
//! split of the work, merged in any order, are bit-for-bit the same.

use super::sketch::Sketch;

/// Fractional bits of the fixed-point sums: values are rounded to 2^-32
/// (2.3e-10) before summing, which no reported mean can notice.
const FRACTION_BITS: i32 = 32;
/// Largest magnitude summed exactly; larger (absurd) values are counted apart.
const MAX_SUMMED: f64 = 4.0e18;

/// An exact, order-independent sum of finite values, in 128-bit fixed point.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct FixedSum {
    total: i128,
    count: u64,
    /// Values too large to sum (their mean is not reported).
    skipped: u64,
}

impl FixedSum {
    #[inline]
    pub fn add(&mut self, x: f64) {
        if !x.is_finite() {
            return;
        }
        let scaled = x * f64::from(1u32 << 16) * f64::from(1u32 << 16);
        if scaled.abs() < 9.0e18 {
            // Fast path: fits an i64 (|x| < 2^31).
            self.total += scaled.round() as i64 as i128;
        } else if x.abs() < MAX_SUMMED {
            self.total += scaled.round() as i128;
        } else {
            self.skipped += 1;
            return;
        }
        self.count += 1;
    }

    pub fn merge(&mut self, other: &FixedSum) {
        self.total += other.total;
        self.count += other.count;
        self.skipped += other.skipped;
    }

    /// The mean of the values summed, if any were and none were skipped.
    pub fn mean(&self) -> Option<f64> {
        (self.count > 0 && self.skipped == 0)
            .then(|| self.total as f64 / 2f64.powi(FRACTION_BITS) / self.count as f64)
    }
}

/// Per-run accumulators. Indicator statistics cover the years from the base
/// year to the horizon (`span` of them), indicator-major.
#[derive(Debug, Clone, PartialEq)]
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
}

impl Tally {
    pub fn new(indicators: usize, targets: usize, span: usize) -> Tally {
        Tally {
            draws: 0,
            span,
            hits: vec![0; targets],
            target_sketches: vec![Sketch::new(); targets],
            value_sketches: vec![Sketch::new(); indicators * span],
            value_sums: vec![FixedSum::default(); indicators * span],
            stopped_at_zero: vec![0; indicators],
            clamped: vec![0; indicators],
        }
    }

    /// Adds one indicator-year's values for a batch of paths.
    pub fn add_values(&mut self, stat: usize, values: &[f64]) {
        let (sketch, sum) = (&mut self.value_sketches[stat], &mut self.value_sums[stat]);
        for &v in values {
            sketch.add(v);
            sum.add(v);
        }
    }

    /// Adds one target's statistic for a batch of paths.
    pub fn add_statistics(&mut self, target: usize, values: &[f64]) {
        let sketch = &mut self.target_sketches[target];
        values.iter().for_each(|&v| sketch.add(v));
    }

    pub fn merge(&mut self, other: &Tally) {
        fn add_all(a: &mut [u64], b: &[u64]) {
            a.iter_mut().zip(b).for_each(|(x, y)| *x += y);
        }
        self.draws += other.draws;
        add_all(&mut self.hits, &other.hits);
        add_all(&mut self.stopped_at_zero, &other.stopped_at_zero);
        add_all(&mut self.clamped, &other.clamped);
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
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fixed_sum_is_exact_and_order_independent() {
        let xs = [1e9, 0.1, -1e9, 0.2, 3.0e-7, 12345.678];
        let mut a = FixedSum::default();
        xs.iter().for_each(|&x| a.add(x));
        let mut b = FixedSum::default();
        xs.iter().rev().for_each(|&x| b.add(x));
        assert_eq!(a, b);
        let expected = (0.1 + 0.2 + 3.0e-7 + 12345.678) / 6.0;
        assert!((a.mean().unwrap() - expected).abs() < 1e-9);
        let mut big = FixedSum::default();
        big.add(1e30);
        assert_eq!(big.mean(), None);
        big.add(f64::NAN);
        assert_eq!(FixedSum::default().mean(), None);
    }
}
