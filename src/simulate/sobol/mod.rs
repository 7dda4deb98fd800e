//! Scrambled Sobol' points for randomised quasi-Monte Carlo (`--sampler sobol`).
//!
//! The direction numbers are Joe and Kuo's `new-joe-kuo-6.1000` (S. Joe and
//! F. Y. Kuo, "Constructing Sobol sequences with better two-dimensional
//! projections", SIAM J. Sci. Comput. 30, 2008; the file as they publish it at
//! web.maths.unsw.edu.au/~fkuo/sobol, one line a dimension from the second:
//! degree `s`, polynomial `a`, initial numbers `m_1 … m_s`).
//!
//! A replicate scrambles them: each dimension's direction numbers are
//! multiplied by a random lower-triangular binary matrix with a unit
//! diagonal (Matoušek's linear matrix scramble) and its points XORed with a
//! random digital shift. Every point of a replicate is then uniform on the
//! unit cube, the replicate's first 2^m points are still a (t, m, s)-net,
//! and replicates are independent of each other: the spread of their means
//! is an honest standard error.

use rand::RngCore;

/// Dimensions with direction numbers; any further input is drawn from its
/// pseudo-random stream.
pub const MAX_DIMS: usize = 1000;
/// Binary digits of a coordinate.
const BITS: usize = 32;

const JOE_KUO: &str = include_str!("new-joe-kuo-6.1000.txt");

/// One dimension's direction numbers: `v[b]` is what bit `b` of a point's
/// index XORs into its coordinate (digits from the most significant).
type Directions = [u32; BITS];

/// The unscrambled direction numbers of the first `dims` dimensions.
fn directions(dims: usize) -> Vec<Directions> {
    assert!(dims <= MAX_DIMS);
    // The first dimension is van der Corput's sequence.
    let first = std::array::from_fn(|b| 1u32 << (BITS - 1 - b));
    let rest = JOE_KUO.lines().take(dims.saturating_sub(1)).map(|line| {
        let mut numbers = line
            .split_whitespace()
            .map(|t| t.parse::<u32>().expect("the table"));
        let s = numbers.next().expect("degree") as usize;
        let a = numbers.next().expect("polynomial");
        let mut v = [0u32; BITS];
        for (b, m) in numbers.enumerate() {
            v[b] = m << (BITS - 1 - b);
        }
        for b in s..BITS {
            v[b] = v[b - s] ^ (v[b - s] >> s);
            for k in 1..s {
                if (a >> (s - 1 - k)) & 1 == 1 {
                    v[b] ^= v[b - k];
                }
            }
        }
        v
    });
    std::iter::once(first).chain(rest).take(dims).collect()
}

/// One replicate's scrambled point set over some dimensions.
#[derive(Debug, Clone)]
pub struct Scrambled {
    /// Scrambled direction numbers by dimension.
    v: Vec<Directions>,
    /// `step[d][k]`: what moving from index `i` to `i + 1` XORs into the
    /// coordinate when `i + 1` ends in `k` zero bits (`v[0] ^ … ^ v[k]`).
    step: Vec<Directions>,
    shift: Vec<u32>,
}

impl Scrambled {
    /// The point set of `dims` dimensions scrambled with numbers from `rng`.
    pub fn new(dims: usize, rng: &mut impl RngCore) -> Scrambled {
        let v: Vec<Directions> = directions(dims)
            .into_iter()
            .map(|plain| {
                // Row `r` of the matrix: which of the point's leading `r + 1`
                // digits its digit `r` sums (its own always).
                let rows: [u32; BITS] = std::array::from_fn(|r| {
                    let own = 1u32 << (BITS - 1 - r);
                    let above = !(own | (own - 1));
                    (rng.next_u32() & above) | own
                });
                plain.map(|x| {
                    rows.iter().enumerate().fold(0u32, |y, (r, row)| {
                        y | (((row & x).count_ones() & 1) << (BITS - 1 - r))
                    })
                })
            })
            .collect();
        let step = v
            .iter()
            .map(|v| {
                let mut acc = 0;
                std::array::from_fn(|k| {
                    acc ^= v[k];
                    acc
                })
            })
            .collect();
        let shift = (0..dims).map(|_| rng.next_u32()).collect();
        Scrambled { v, step, shift }
    }

    pub fn dims(&self) -> usize {
        self.v.len()
    }

    /// Coordinate `d` of point `index`, as 32 binary digits.
    #[inline]
    pub fn coordinate(&self, d: usize, index: u32) -> u32 {
        let v = &self.v[d];
        let mut x = self.shift[d];
        let mut bits = index;
        while bits != 0 {
            x ^= v[bits.trailing_zeros() as usize];
            bits &= bits - 1;
        }
        x
    }

    /// Writes coordinate `d` of points `first, first + 1, …` into `out`, as
    /// numbers in (0, 1): one XOR a point after the first.
    #[inline]
    pub fn fill(&self, d: usize, first: u32, out: &mut [f64]) {
        let step = &self.step[d];
        let mut x = self.coordinate(d, first);
        let mut index = first;
        for u in out {
            *u = to_unit(x);
            index = index.wrapping_add(1);
            x ^= step[index.trailing_zeros().min(BITS as u32 - 1) as usize];
        }
    }
}

/// The middle of the interval of width 2^-32 a coordinate stands for: never
/// 0 or 1, so that every normal score is finite.
#[inline]
pub fn to_unit(x: u32) -> f64 {
    (f64::from(x) + 0.5) * (1.0 / 4_294_967_296.0)
}

#[cfg(test)]
mod tests {
    use super::*;
    use rand::SeedableRng;
    use rand_xoshiro::Xoshiro256PlusPlus;

    /// Points `0 … n − 1` of the unscrambled sequence in dimension `d`.
    fn plain(d: usize, n: u32) -> Vec<f64> {
        let v = &directions(d + 1)[d];
        (0..n)
            .map(|i| {
                let x = (0..BITS)
                    .filter(|b| i >> b & 1 == 1)
                    .fold(0, |x, b| x ^ v[b]);
                f64::from(x) / 4_294_967_296.0
            })
            .collect()
    }

    #[test]
    fn the_unscrambled_points_are_sobols() {
        // The sequence's first points in its first three dimensions, as Joe
        // and Kuo's generator prints them (natural, not Gray-code, order).
        assert_eq!(plain(0, 4), [0.0, 0.5, 0.25, 0.75]);
        assert_eq!(plain(1, 4), [0.0, 0.5, 0.75, 0.25]);
        assert_eq!(
            plain(2, 8),
            [0.0, 0.5, 0.75, 0.25, 0.375, 0.875, 0.625, 0.125]
        );
        assert_eq!(directions(MAX_DIMS).len(), MAX_DIMS);
    }

    #[test]
    fn a_scrambled_replicate_stays_stratified_in_each_dimension() {
        // In every dimension, the first 2^m points of a scrambled replicate
        // fall one in each interval [k/2^m, (k+1)/2^m): the scramble keeps
        // the net, which is what makes the estimates better than random.
        let mut rng = Xoshiro256PlusPlus::seed_from_u64(7);
        let set = Scrambled::new(MAX_DIMS, &mut rng);
        let m = 10;
        let mut column = vec![0.0; 1 << m];
        for d in [0, 1, 2, 17, 500, MAX_DIMS - 1] {
            set.fill(d, 0, &mut column);
            let mut seen = vec![false; 1 << m];
            for &u in &column {
                let cell = (u * f64::from(1u32 << m)) as usize;
                assert!(!seen[cell], "dimension {d}: two points in cell {cell}");
                seen[cell] = true;
            }
            // Filling from any index gives the points coordinate() gives.
            let mut part = vec![0.0; 100];
            set.fill(d, 777, &mut part);
            for (k, &u) in part.iter().enumerate() {
                assert_eq!(u, to_unit(set.coordinate(d, 777 + k as u32)));
            }
        }
    }

    #[test]
    fn a_scrambled_point_is_uniform_over_replicates() {
        // One point of many independent replicates: uniform, so its mean is
        // 1/2 and its variance 1/12 (4 000 replicates: standard errors 0.0046
        // and 0.0014; tolerances are four of them).
        let mut rng = Xoshiro256PlusPlus::seed_from_u64(11);
        let n = 4000;
        let us: Vec<f64> = (0..n)
            .map(|_| to_unit(Scrambled::new(3, &mut rng).coordinate(2, 5)))
            .collect();
        let mean = us.iter().sum::<f64>() / n as f64;
        let var = us.iter().map(|u| (u - mean).powi(2)).sum::<f64>() / n as f64;
        assert!((mean - 0.5).abs() < 0.018, "{mean}");
        assert!((var - 1.0 / 12.0).abs() < 0.0056, "{var}");
    }
}
