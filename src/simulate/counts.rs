//! Count samplers: Poisson and negative-binomial entries, binomial exits.
//!
//! Each draw reads exactly one word of its indicator's stream, whatever its
//! parameters: the word seeds a private SplitMix64 generator, from which an
//! exact rejection sampler takes as many numbers as it needs. So a change of
//! mean, dispersion or exit rate (or of the count the exits thin) never shifts
//! the numbers the later years of the same stream get (ARCHITECTURE.md rule 3),
//! and nothing is built per draw but a few floating-point constants.
//!
//! Binomial exits use Hörmann's transformed rejection with squeeze (BTRS) where
//! np ≥ 10, and inversion below; Poisson and gamma come from `rand_distr`
//! (transformed rejection, Marsaglia–Tsang), measured as fast as anything we
//! would write.

use std::sync::LazyLock;

use rand::{Rng, SeedableRng};
use rand_distr::Distribution;
use rand_xoshiro::SplitMix64;

/// One draw's word of its stream, and whether the draw is the mirror image
/// of the one made from the same word (the second path of an antithetic
/// pair): samplers by inversion then take 1 − u where the first took u;
/// samplers by rejection draw independently of it. With quasi-Monte Carlo,
/// draws by inversion take their uniform from the path's point instead.
#[derive(Debug, Clone, Copy)]
pub(super) struct Word {
    word: u64,
    mirror: bool,
    point: Option<f64>,
}

impl Word {
    pub(super) fn of(word: u64, mirror: bool) -> Word {
        Word {
            word,
            mirror,
            point: None,
        }
    }

    /// A draw at a quasi-Monte Carlo point's coordinate `u` in (0, 1).
    pub(super) fn at_point(word: u64, u: f64) -> Word {
        Word {
            word,
            mirror: false,
            point: Some(u),
        }
    }

    #[cfg(test)]
    fn new(word: u64) -> Word {
        Word::of(word, false)
    }

    /// The generator a draw by rejection uses, seeded from the word (and for
    /// a mirror image, from the word made different).
    #[inline(always)]
    fn private(self) -> SplitMix64 {
        const MIRROR: u64 = 0x9e37_79b9_7f4a_7c15;
        SplitMix64::seed_from_u64(if self.mirror {
            self.word ^ MIRROR
        } else {
            self.word
        })
    }

    /// The uniform a draw by inversion uses, in [0, 1) on the 2⁻⁵³ grid;
    /// reflected on that grid for a mirror image.
    #[inline(always)]
    fn uniform(self) -> f64 {
        if let Some(u) = self.point {
            return u;
        }
        let u: f64 = SplitMix64::seed_from_u64(self.word).random();
        if self.mirror {
            (1.0 - f64::EPSILON / 2.0) - u
        } else {
            u
        }
    }
}

/// Poisson(λ), built once for a mean and drawn from one word of a stream
/// each time; a path whose mean entries stay the same from year to year
/// keeps one.
#[derive(Debug, Clone, Copy)]
pub(super) enum Poisson {
    Zero,
    /// Inversion counting up from zero (λ + 1 steps on average), from e^−λ.
    Small {
        lambda: f64,
        exp_neg: f64,
    },
    /// Transformed rejection. Beyond its range (about 1.8e19) a Poisson is
    /// its mean to ten digits.
    Large(rand_distr::Poisson<f64>),
    Huge(f64),
}

impl Poisson {
    #[inline]
    pub(super) fn new(lambda: f64) -> Self {
        if lambda.is_nan() || lambda <= 0.0 {
            Poisson::Zero
        } else if lambda < 12.0 {
            Poisson::Small {
                lambda,
                exp_neg: (-lambda).exp(),
            }
        } else {
            rand_distr::Poisson::new(lambda).map_or(Poisson::Huge(lambda), Poisson::Large)
        }
    }

    #[inline]
    pub(super) fn sample(&self, word: Word) -> u64 {
        match *self {
            Poisson::Small { .. } => self.invert(word.uniform()),
            _ => self.sample_from(&mut word.private()),
        }
    }

    #[inline]
    fn sample_from(&self, rng: &mut SplitMix64) -> u64 {
        match *self {
            Poisson::Zero => 0,
            Poisson::Small { .. } => self.invert(rng.random()),
            Poisson::Large(d) => d.sample(rng) as u64,
            Poisson::Huge(lambda) => lambda as u64,
        }
    }

    /// Inversion from `u`, for the small means.
    #[inline]
    fn invert(&self, mut u: f64) -> u64 {
        match *self {
            Poisson::Small { lambda, exp_neg } => {
                let mut pk = exp_neg;
                let mut k = 0;
                while u >= pk {
                    u -= pk;
                    k += 1;
                    pk *= lambda * recip(k);
                    // A rounding residue past the last representable probability.
                    if pk == 0.0 {
                        break;
                    }
                }
                k
            }
            _ => unreachable!("inversion is for small means"),
        }
    }
}

/// Small-mean Poisson draws by inversion for many paths at once, giving the
/// numbers [`Poisson::sample`] gives one at a time: a few lanes of paths step
/// through the probabilities together until each has found its count, in
/// vector operations and one hard-to-predict branch per lane group, where
/// one path at a time pays a mispredicted branch for every draw.
pub(super) struct SmallPoissons {
    path: Vec<usize>,
    lambda: Vec<f64>,
    exp_neg: Vec<f64>,
    u: Vec<f64>,
}

/// Paths whose small-mean Poisson draws run side by side.
const LANES: usize = 4;

impl SmallPoissons {
    pub(super) fn with_capacity(n: usize) -> Self {
        SmallPoissons {
            path: Vec::with_capacity(n),
            lambda: Vec::with_capacity(n),
            exp_neg: Vec::with_capacity(n),
            u: Vec::with_capacity(n),
        }
    }

    pub(super) fn clear(&mut self) {
        self.path.clear();
        self.lambda.clear();
        self.exp_neg.clear();
        self.u.clear();
    }

    /// Queues path `path`'s draw from `poisson` when its mean is small (and
    /// says whether it did): the others are drawn on their own.
    #[inline]
    pub(super) fn push(&mut self, path: usize, poisson: &Poisson, word: Word) -> bool {
        match *poisson {
            Poisson::Small { lambda, exp_neg } => {
                self.path.push(path);
                self.lambda.push(lambda);
                self.exp_neg.push(exp_neg);
                self.u.push(word.uniform());
                true
            }
            _ => false,
        }
    }

    /// Draws every queued count and hands each (path, count) to `out`.
    #[inline(always)]
    pub(super) fn draw(&self, mut out: impl FnMut(usize, u64)) {
        for (g, path) in self.path.chunks(LANES).enumerate() {
            let first = g * LANES;
            // Padding lanes start done: u = 0 is below e^0 = 1.
            let mut lambda = [0.0; LANES];
            let mut pk = [1.0; LANES];
            let mut u = [0.0; LANES];
            let n = path.len();
            lambda[..n].copy_from_slice(&self.lambda[first..first + n]);
            pk[..n].copy_from_slice(&self.exp_neg[first..first + n]);
            u[..n].copy_from_slice(&self.u[first..first + n]);
            let mut k = [0u64; LANES];
            // Exactly `invert`'s steps, lane by lane: a lane that stops
            // never starts again, so its count is the steps it took. The
            // others' probabilities run on unused.
            // Masks of all ones or none, so that the lanes run as one vector.
            let mask = |c: bool| 0u64.wrapping_sub(c as u64);
            let mut go = [0u64; LANES];
            for l in 0..LANES {
                go[l] = mask(u[l] >= pk[l]);
            }
            let mut step = 0;
            while go.iter().fold(0, |a, &g| a | g) != 0 {
                step += 1;
                let r = recip(step);
                for l in 0..LANES {
                    u[l] -= f64::from_bits(pk[l].to_bits() & go[l]);
                    k[l] += go[l] & 1;
                    pk[l] *= lambda[l] * r;
                    go[l] &= mask(pk[l] != 0.0 && u[l] >= pk[l]);
                }
            }
            for (&j, &k) in path.iter().zip(&k) {
                out(j, k);
            }
        }
    }
}

/// 1/k, from a table for the small k that inversion meets.
#[inline(always)]
fn recip(k: u64) -> f64 {
    const N: usize = 256;
    static TABLE: [f64; N] = {
        let mut t = [0.0; N];
        let mut k = 1;
        while k < N {
            t[k] = 1.0 / k as f64;
            k += 1;
        }
        t
    };
    match TABLE.get(k as usize) {
        Some(&r) => r,
        None => 1.0 / k as f64,
    }
}

/// Negative binomial with dispersion `r` (variance μ + μ²/r), a gamma–Poisson
/// mixture, from one word of a stream; the unit gamma is built once.
#[derive(Debug, Clone, Copy)]
pub(super) struct NegBinomial {
    r: f64,
    gamma: rand_distr::Gamma<f64>,
}

impl NegBinomial {
    pub(super) fn new(r: f64) -> Self {
        NegBinomial {
            r,
            gamma: rand_distr::Gamma::new(r, 1.0).expect("dispersion validated positive"),
        }
    }

    #[inline]
    pub(super) fn sample(&self, mean: f64, word: Word) -> u64 {
        if mean.is_nan() || mean <= 0.0 {
            return 0;
        }
        let rng = &mut word.private();
        Poisson::new(self.gamma.sample(rng) * (mean / self.r)).sample_from(rng)
    }
}

/// ln k! from a table below 1024, else Stirling's series (error below 1e-24).
const TABLE: usize = 1024;
static LN_FACTORIAL: LazyLock<[f64; TABLE]> = LazyLock::new(|| {
    let mut t = [0.0; TABLE];
    for k in 2..TABLE {
        t[k] = t[k - 1] + (k as f64).ln();
    }
    t
});

#[inline]
fn ln_factorial(k: u64) -> f64 {
    if (k as usize) < TABLE {
        LN_FACTORIAL[k as usize]
    } else {
        let x = k as f64;
        let r = 1.0 / x;
        let r2 = r * r;
        x * x.ln() - x
            + 0.5 * (std::f64::consts::TAU * x).ln()
            + r * (1.0 / 12.0 - r2 * (1.0 / 360.0 - r2 * (1.0 / 1260.0)))
    }
}

/// Binomial(n, p) for a fixed p and any n: exits from a count of n units.
#[derive(Debug, Clone, Copy)]
pub(super) struct Binomial {
    /// The smaller of p and 1 − p; `flip` when that is 1 − p.
    p: f64,
    flip: bool,
    ln_q: f64,
    ln_odds: f64,
    odds: f64,
}

impl Binomial {
    pub(super) fn new(p: f64) -> Self {
        let flip = p > 0.5;
        let p = if flip { 1.0 - p } else { p };
        let q = 1.0 - p;
        Binomial {
            p,
            flip,
            ln_q: q.ln(),
            ln_odds: (p / q).ln(),
            odds: p / q,
        }
    }

    /// Binomial(n, p) from one word of a stream.
    #[inline]
    pub(super) fn sample(&self, n: u64, word: Word) -> u64 {
        let k = if n == 0 || self.p == 0.0 {
            0
        } else if n as f64 * self.p < 10.0 {
            self.invert(n, word.uniform())
        } else {
            self.btrs(n, &mut word.private())
        };
        if self.flip {
            n - k
        } else {
            k
        }
    }

    /// Inversion counting up from zero (np < 10: a few steps).
    #[inline]
    fn invert(&self, n: u64, mut u: f64) -> u64 {
        let mut pk = (n as f64 * self.ln_q).exp();
        let mut k = 0;
        while u >= pk && k < n {
            u -= pk;
            pk *= (n - k) as f64 / (k + 1) as f64 * self.odds;
            k += 1;
            // A rounding residue past the last representable probability.
            if pk == 0.0 {
                break;
            }
        }
        k
    }

    /// Hörmann (1993), "The generation of binomial random variates", J. Stat.
    /// Comput. Simul. 46: algorithm BTRS, for np ≥ 10 and p ≤ ½. About 1.15
    /// tries a draw, most accepted by the squeeze without a logarithm.
    #[inline]
    fn btrs(&self, n: u64, rng: &mut SplitMix64) -> u64 {
        let (nf, p) = (n as f64, self.p);
        let spq = (nf * p * (1.0 - p)).sqrt();
        let b = 1.15 + 2.53 * spq;
        let a = -0.0873 + 0.0248 * b + 0.01 * p;
        let c = nf * p + 0.5;
        let v_r = 0.92 - 4.2 / b;
        let alpha = (2.83 + 5.1 / b) * spq;
        let m = ((nf + 1.0) * p).floor() as u64;
        let h = ln_factorial(m) + ln_factorial(n - m);
        loop {
            let u = rng.random::<f64>() - 0.5;
            let v: f64 = rng.random();
            let us = 0.5 - u.abs();
            let k = ((2.0 * a / us + b) * u + c).floor();
            if k < 0.0 || k > nf {
                continue;
            }
            let k = k as u64;
            if us >= 0.07 && v <= v_r {
                return k;
            }
            let v = (v * alpha / (a / (us * us) + b)).ln();
            let bound =
                h - ln_factorial(k) - ln_factorial(n - k) + (k as f64 - m as f64) * self.ln_odds;
            if v <= bound {
                return k;
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use rand::RngCore;
    use rand_xoshiro::Xoshiro256PlusPlus;
    use statrs::distribution::{Binomial as B, Discrete, NegativeBinomial as NB, Poisson as P};

    /// `N` draws from consecutive words of one stream: every value's frequency
    /// within 5 binomial standard errors (plus 1/N) of its probability, and
    /// the mean within 5 standard errors of the closed form.
    fn check(
        draw: impl Fn(Word) -> u64,
        pmf: impl Fn(u64) -> f64,
        mean: f64,
        var: f64,
        what: &str,
    ) {
        for mirror in [false, true] {
            check_one(|w| draw(Word::of(w, mirror)), &pmf, mean, var, what);
        }
    }

    fn check_one(
        draw: impl Fn(u64) -> u64,
        pmf: impl Fn(u64) -> f64,
        mean: f64,
        var: f64,
        what: &str,
    ) {
        const N: usize = 400_000;
        let mut rng = Xoshiro256PlusPlus::seed_from_u64(11);
        let mut h: Vec<f64> = Vec::new();
        let mut sum = 0.0;
        for _ in 0..N {
            let k = draw(rng.next_u64());
            sum += k as f64;
            let k = k as usize;
            if h.len() <= k {
                h.resize(k + 1, 0.0);
            }
            h[k] += 1.0;
        }
        for (k, &c) in h.iter().enumerate() {
            let p = pmf(k as u64);
            let x = c / N as f64;
            let se = (p * (1.0 - p) / N as f64).sqrt();
            assert!(
                (x - p).abs() <= 5.0 * se + 1.0 / N as f64,
                "{what}: p({k}) = {x}, exact {p}"
            );
        }
        let m = sum / N as f64;
        assert!(
            (m - mean).abs() < 5.0 * (var / N as f64).sqrt(),
            "{what}: mean {m} vs {mean}"
        );
    }

    #[test]
    fn poisson_matches_its_pmf() {
        for lambda in [0.3, 4.5, 11.9, 17.0, 250.0] {
            let d = P::new(lambda).unwrap();
            let pois = Poisson::new(lambda);
            check(|w| pois.sample(w), |k| d.pmf(k), lambda, lambda, "poisson");
        }
        assert_eq!(Poisson::new(0.0).sample(Word::new(7)), 0);
        assert_eq!(Poisson::new(-1.0).sample(Word::new(7)), 0);
        assert_eq!(Poisson::new(1e25).sample(Word::new(7)), 1e25 as u64);
    }

    #[test]
    fn negative_binomial_matches_its_pmf() {
        for (mean, r) in [(0.4, 2.0), (6.0, 0.7), (30.0, 10.0), (70.0, 10.0)] {
            // statrs counts failures before r successes with p = r/(r+μ).
            let d = NB::new(r, r / (r + mean)).unwrap();
            let var = mean + mean * mean / r;
            let nb = NegBinomial::new(r);
            check(
                |w| nb.sample(mean, w),
                |k| d.pmf(k),
                mean,
                var,
                "neg. binomial",
            );
        }
        assert_eq!(NegBinomial::new(3.0).sample(0.0, Word::new(7)), 0);
    }

    #[test]
    fn binomial_matches_its_pmf_by_inversion_and_by_btrs_either_side_of_a_half() {
        for (n, p) in [
            (1, 0.3),
            (40, 0.05),
            (199, 0.05),
            (200, 0.05),
            (800, 0.1),
            (5000, 0.03),
            (60, 0.9),
            (2000, 0.5),
            (3, 0.999),
        ] {
            let d = B::new(p, n).unwrap();
            let b = Binomial::new(p);
            let var = n as f64 * p * (1.0 - p);
            check(
                |w| b.sample(n, w),
                |k| d.pmf(k),
                n as f64 * p,
                var,
                "binomial",
            );
        }
        assert_eq!(Binomial::new(0.0).sample(50, Word::new(99)), 0);
        assert_eq!(Binomial::new(1.0).sample(50, Word::new(99)), 50);
        assert_eq!(Binomial::new(0.2).sample(0, Word::new(99)), 0);
    }

    #[test]
    fn mirror_images_by_inversion_are_negatively_correlated_and_by_rejection_independent() {
        let corr = |draw: &dyn Fn(Word) -> u64| {
            let mut rng = Xoshiro256PlusPlus::seed_from_u64(5);
            let pairs: Vec<(f64, f64)> = (0..100_000)
                .map(|_| {
                    let word = rng.next_u64();
                    let a = draw(Word::of(word, false)) as f64;
                    let b = draw(Word::of(word, true)) as f64;
                    (a, b)
                })
                .collect();
            let n = pairs.len() as f64;
            let (ma, mb) = (
                pairs.iter().map(|p| p.0).sum::<f64>() / n,
                pairs.iter().map(|p| p.1).sum::<f64>() / n,
            );
            let cov = pairs.iter().map(|p| (p.0 - ma) * (p.1 - mb)).sum::<f64>() / n;
            let va = pairs.iter().map(|p| (p.0 - ma).powi(2)).sum::<f64>() / n;
            let vb = pairs.iter().map(|p| (p.1 - mb).powi(2)).sum::<f64>() / n;
            cov / (va * vb).sqrt()
        };
        let small = Poisson::new(6.0);
        assert!(corr(&|w| small.sample(w)) < -0.8);
        let exits = Binomial::new(0.05);
        assert!(corr(&|w| exits.sample(100, w)) < -0.8);
        // Rejection samplers: the mirror image is an independent draw
        // (|r| within 4/√n of 0).
        let large = Poisson::new(40.0);
        assert!(corr(&|w| large.sample(w)).abs() < 0.013);
        let nb = NegBinomial::new(4.0);
        assert!(corr(&|w| nb.sample(30.0, w)).abs() < 0.013);
    }

    #[test]
    fn small_poissons_drawn_together_are_the_draws_made_one_at_a_time() {
        let mut rng = Xoshiro256PlusPlus::seed_from_u64(3);
        let mut queue = SmallPoissons::with_capacity(256);
        // Means across the small range, and a few that are not small (drawn
        // on their own); 254 paths, so the last lane group is partial.
        let draws: Vec<(Poisson, Word)> = (0..254)
            .map(|j| {
                let lambda =
                    [0.05, 0.7, 3.0, 8.5, 11.99, 12.0, 40.0][j % 7] * (1.0 + j as f64 / 1e3);
                (Poisson::new(lambda), Word::new(rng.next_u64()))
            })
            .collect();
        let mut got = vec![None; draws.len()];
        for (j, (p, w)) in draws.iter().enumerate() {
            if !queue.push(j, p, *w) {
                got[j] = Some(p.sample(*w));
            }
        }
        queue.draw(|j, k| got[j] = Some(k));
        for (j, (p, w)) in draws.iter().enumerate() {
            assert_eq!(got[j], Some(p.sample(*w)), "path {j}");
        }
    }

    #[test]
    fn ln_factorial_is_continuous_across_the_table_edge() {
        let exact = |k: u64| (1..=k).map(|i| (i as f64).ln()).sum::<f64>();
        for k in [0, 1, 2, 10, 1023, 1024, 1025, 5000] {
            assert!(
                (ln_factorial(k) - exact(k)).abs() < 1e-9 * exact(k).max(1.0),
                "{k}"
            );
        }
    }
}
