//! Continuous distributions: sampling, CDF, quantile, truncation and the
//! (truncated) mean, which growth deviations are measured from.
//!
//! A distribution is a [`Shape`] placed at a location (`loc`), which only the
//! normal and Student t use; the others carry absolute parameters. The location
//! may be drawn once per path ([`Param::Drawn`]), so everything that depends on
//! it (truncation bounds in probability space, the truncated mean) is computed
//! per path by [`Continuous::resolve`] and kept in a [`Resolved`].

use rand::Rng;
use rand_distr::{Beta, Distribution, StandardNormal, StandardUniform};
use statrs::function::{beta as sbeta, gamma};

/// A value that is either fixed or drawn once per path from `Model::params[slot]`.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Param {
    Fixed(f64),
    Drawn(usize),
}

/// The central value of a parameter: fixed, or the mean of the distribution
/// it is drawn from (`params` holds those, with fixed locations).
pub fn central(p: Param, params: &[Continuous]) -> f64 {
    match p {
        Param::Fixed(v) => v,
        Param::Drawn(slot) => {
            let d = &params[slot];
            d.resolve(d.loc.get(&[])).mean
        }
    }
}

impl Param {
    /// The value on the current path, given the drawn parameters.
    #[inline]
    pub fn get(self, drawn: &[f64]) -> f64 {
        match self {
            Param::Fixed(v) => v,
            Param::Drawn(slot) => drawn[slot],
        }
    }
}

#[derive(Debug, Clone)]
pub enum Shape {
    /// `loc + sd·Z`
    Normal {
        sd: f64,
    },
    /// `loc + scale·T_df`
    StudentT {
        scale: f64,
        df: f64,
        sampler: rand_distr::StudentT<f64>,
    },
    Uniform {
        low: f64,
        high: f64,
    },
    Triangular {
        low: f64,
        mode: f64,
        high: f64,
    },
    /// Beta-PERT: `low + (high − low)·Beta(α, β)`
    Pert {
        low: f64,
        high: f64,
        alpha: f64,
        beta: f64,
        sampler: Beta<f64>,
    },
    /// `exp(mu + sigma·Z)`
    Lognormal {
        mu: f64,
        sigma: f64,
    },
}

/// A continuous distribution, possibly truncated to `[min, max]`.
#[derive(Debug, Clone)]
pub struct Continuous {
    pub loc: Param,
    pub shape: Shape,
    pub min: f64,
    pub max: f64,
}

/// What sampling needs on one path: the location, the truncation bounds in
/// probability space and the mean of the (truncated) distribution.
#[derive(Debug, Clone, Copy, Default)]
pub struct Resolved {
    pub loc: f64,
    pub u_lo: f64,
    pub u_hi: f64,
    pub mean: f64,
    truncated: bool,
}

const SQRT_2: f64 = std::f64::consts::SQRT_2;

/// Standard normal CDF (libm's erfc, fdlibm's: within an ulp, and about
/// three times as fast as statrs's on the per-path copula and truncation).
#[inline]
pub fn norm_cdf(z: f64) -> f64 {
    0.5 * libm::erfc(-z / SQRT_2)
}

/// Standard normal density.
pub fn norm_pdf(z: f64) -> f64 {
    (-0.5 * z * z).exp() / (2.0 * std::f64::consts::PI).sqrt()
}

// AS 241's coefficients and how they are evaluated.
#[inline(always)]
fn poly<const N: usize>(c: &[f64; N], x: f64) -> f64 {
    c.iter().rev().fold(0.0, |acc, &k| acc * x + k)
}
// The published coefficients, digit for digit (Wichura 1988, Table).
#[allow(clippy::excessive_precision)]
const A: [f64; 8] = [
    3.387132872796366608,
    133.14166789178437745,
    1971.5909503065514427,
    13731.693765509461125,
    45921.953931549871457,
    67265.770927008700853,
    33430.575583588128105,
    2509.0809287301226727,
];
#[allow(clippy::excessive_precision)]
const B: [f64; 8] = [
    1.0,
    42.313330701600911252,
    687.1870074920579083,
    5394.1960214247511077,
    21213.794301586595867,
    39307.89580009271061,
    28729.085735721942674,
    5226.495278852854561,
];
#[allow(clippy::excessive_precision)]
const C: [f64; 8] = [
    1.42343711074968357734,
    4.6303378461565452959,
    5.7694972214606914055,
    3.64784832476320460504,
    1.27045825245236838258,
    0.24178072517745061177,
    0.0227238449892691845833,
    7.7454501427834140764e-4,
];
#[allow(clippy::excessive_precision)]
const D: [f64; 8] = [
    1.0,
    2.05319162663775882187,
    1.6763848301838038494,
    0.68976733498510000455,
    0.14810397642748007459,
    0.0151986665636164571966,
    5.475938084995344946e-4,
    1.05075007164441684324e-9,
];
#[allow(clippy::excessive_precision)]
const E: [f64; 8] = [
    6.6579046435011037772,
    5.4637849111641143699,
    1.7848265399172913358,
    0.29656057182850489123,
    0.026532189526576123093,
    0.0012426609473880784386,
    2.71155556874348757815e-5,
    2.01033439929228813265e-7,
];
#[allow(clippy::excessive_precision)]
const F: [f64; 8] = [
    1.0,
    0.59983220655588793769,
    0.13692988092273580531,
    0.0148753612908506148525,
    7.868691311456132591e-4,
    1.8463183175100546818e-5,
    1.4215117583164458887e-7,
    2.04426310338993978564e-15,
];

/// Standard normal quantile: Wichura (1988), algorithm AS 241 (PPND16),
/// relative error about 1e-16, rational functions with one log and one
/// square root in the tails.
#[inline]
pub fn norm_quantile(p: f64) -> f64 {
    if p <= 0.0 {
        return f64::NEG_INFINITY;
    }
    if p >= 1.0 {
        return f64::INFINITY;
    }
    let q = p - 0.5;
    if q.abs() <= 0.425 {
        return central_quantile(q);
    }
    let r = (-(if q < 0.0 { p } else { 1.0 - p }).ln()).sqrt();
    let z = if r <= 5.0 {
        let r = r - 1.6;
        poly(&C, r) / poly(&D, r)
    } else {
        let r = r - 5.0;
        poly(&E, r) / poly(&F, r)
    };
    if q < 0.0 {
        -z
    } else {
        z
    }
}

/// AS 241's rational function for `|p − 0.5| ≤ 0.425`, at `q = p − 0.5`.
#[inline(always)]
fn central_quantile(q: f64) -> f64 {
    let r = 0.180_625 - q * q;
    q * poly(&A, r) / poly(&B, r)
}

/// [`norm_quantile`] of each of `ps` into `out`, within an ulp or two of it
/// (the logarithm is [`ln_normal`], not libm's), in passes without branches
/// that run on vector lanes: the central formula on every lane; the 15 %
/// in the tails gathered, a batch at a time, their formula run on the
/// batch and the results put back (a branch taken on 15 % of lanes at
/// random, or both formulas on every lane, each cost more); and, in the
/// rare batch that has any, probabilities below 10⁻¹¹ (AS 241's far tail)
/// one by one.
#[inline(always)]
pub fn norm_quantiles(ps: &[f64], out: &mut [f64]) {
    const FAR: f64 = 1.0e-11;
    const BATCH: usize = 64;
    // Not a number counts too: norm_quantile says what it gives.
    let far_tail = |p: f64| p.min(1.0 - p) < FAR || p.is_nan();
    for (z, &p) in out.iter_mut().zip(ps) {
        *z = central_quantile(p - 0.5);
    }
    let (mut at, mut tails) = ([0usize; BATCH], [0.0f64; BATCH]);
    for (ps, out) in ps.chunks(BATCH).zip(out.chunks_mut(BATCH)) {
        let mut n = 0;
        for (k, &p) in ps.iter().enumerate() {
            at[n] = k;
            tails[n] = p;
            // Not a number goes to the tails, and on to the fix-up.
            n += usize::from((p - 0.5).abs() > 0.425 || p.is_nan());
        }
        let mut far = false;
        for p in &mut tails[..n] {
            let q = *p - 0.5;
            let t = if q < 0.0 { *p } else { 1.0 - *p };
            far |= far_tail(*p);
            let r = (-ln_normal(t.max(FAR))).sqrt() - 1.6;
            let z = poly(&C, r) / poly(&D, r);
            *p = if q < 0.0 { -z } else { z };
        }
        for (&k, &z) in at[..n].iter().zip(&tails[..n]) {
            out[k] = z;
        }
        if far {
            for (z, &p) in out.iter_mut().zip(ps) {
                if far_tail(p) {
                    *z = norm_quantile(p);
                }
            }
        }
    }
}

/// The standard normal CDF of every value in place, without branches or
/// library calls, so that it runs on vector lanes: Hart's algorithm 5666 as
/// West (2005, "Better approximations to cumulative normal functions",
/// Wilmott) gives it: a rational function times the density below |x| =
/// 7.07, a continued fraction beyond, 0 or 1 past 37; with [`exp_normal`]
/// for the density. Measured against libm's: within 2e-14 relative down to
/// −3, 5e-11 to −5 and 1e-8 beyond (where Φ is below 3e-7 and a path's
/// probability is summed with others, a bias no estimate can show). Not a
/// number stays so.
#[inline(always)]
#[allow(clippy::excessive_precision)]
pub fn norm_cdfs(xs: &mut [f64]) {
    const P: [f64; 7] = [
        220.206867912376,
        221.213596169931,
        112.079291497871,
        33.912866078383,
        6.37396220353165,
        0.700383064443688,
        3.52624965998911e-02,
    ];
    const Q: [f64; 8] = [
        440.413735824752,
        793.826512519948,
        637.333633378831,
        296.564248779674,
        86.7807322029461,
        16.064177579207,
        1.75566716318264,
        8.83883476483184e-02,
    ];
    const NEAR: f64 = 7.07106781186547;
    // Not a number is far too.
    let is_far = |x: f64| x.abs() >= NEAR || x.is_nan();
    let mut far = false;
    for x in xs.iter_mut() {
        far |= is_far(*x);
        let a = x.abs().min(NEAR);
        let tail = exp_normal(-0.5 * a * a) * poly(&P, a) / poly(&Q, a);
        let p = if *x > 0.0 { 1.0 - tail } else { tail };
        // Far lanes keep their value: no probability is 7.07 or more.
        *x = if x.abs() < NEAR { p } else { *x };
    }
    // The far tails (and not a number), rare: one at a time.
    if far {
        for x in xs.iter_mut().filter(|x| is_far(**x)) {
            let a = x.abs();
            let tail = if a > 37.0 {
                0.0
            } else {
                let cf = a + 1.0 / (a + 2.0 / (a + 3.0 / (a + 4.0 / (a + 0.65))));
                exp_normal(-0.5 * a * a) / cf / 2.506628274631
            };
            *x = match *x {
                x if x > 0.0 => 1.0 - tail,
                x if x.is_nan() => x,
                _ => tail,
            };
        }
    }
}

/// `e^y` for `y` in [−708, 0] (results normal), without branches or a
/// library call: fdlibm's `__ieee754_exp` (as musl has it) for such inputs.
#[inline(always)]
#[allow(clippy::excessive_precision)]
pub fn exp_normal(y: f64) -> f64 {
    const LN2_HI: f64 = 6.93147180369123816490e-01;
    const LN2_LO: f64 = 1.90821492927058770002e-10;
    const P: [f64; 5] = [
        1.66666666666666019037e-01,
        -2.77777777770155933842e-03,
        6.61375632143793436117e-05,
        -1.65339022054652515390e-06,
        4.13813679705723846039e-08,
    ];
    // k = round(y / ln 2) by the 1.5·2^52 trick: its low bits are k.
    const SHIFT: f64 = 6_755_399_441_055_744.0;
    let shifted = y * std::f64::consts::LOG2_E + SHIFT;
    let k = shifted - SHIFT;
    let hi = y - k * LN2_HI;
    let lo = k * LN2_LO;
    let r = hi - lo;
    let rr = r * r;
    let c = r - rr * (P[0] + rr * (P[1] + rr * (P[2] + rr * (P[3] + rr * P[4]))));
    let e = 1.0 - ((lo - (r * c) / (2.0 - c)) - hi);
    // 2^k in the exponent field: k + 1023 in [1, 1023] for these inputs.
    let scale = f64::from_bits(((shifted.to_bits() as i64 as i32 + 1023) as u64) << 52);
    e * scale
}

/// The natural logarithm of a positive, normal, finite `x`, without
/// branches or a library call, so that a loop of them runs on vector lanes:
/// fdlibm's `__ieee754_log` (as musl has it) for such inputs, within an ulp.
#[inline(always)]
#[allow(clippy::excessive_precision)]
pub fn ln_normal(x: f64) -> f64 {
    const LN2_HI: f64 = 6.93147180369123816490e-01;
    const LN2_LO: f64 = 1.90821492927058770002e-10;
    const LG: [f64; 7] = [
        6.666666666666735130e-01,
        3.999999999940941908e-01,
        2.857142874366239149e-01,
        2.222219843214978396e-01,
        1.818357216161805012e-01,
        1.531383769920937332e-01,
        1.479819860511658591e-01,
    ];
    // x = 2^k·(1 + f) with 1 + f in [√2/2, √2).
    let bits = x.to_bits() + ((0x3ff0_0000 - 0x3fe6_a09e) << 32);
    let high = ((bits >> 32) & 0x000f_ffff) + 0x3fe6_a09e;
    let f = f64::from_bits((high << 32) | (bits & 0xffff_ffff)) - 1.0;
    // k as a float without an integer conversion: 2^52 + e is exact.
    let k =
        f64::from_bits(0x4330_0000_0000_0000 | (bits >> 52)) - (4_503_599_627_370_496.0 + 1023.0);
    let hfsq = 0.5 * f * f;
    let s = f / (2.0 + f);
    let z = s * s;
    let w = z * z;
    let t1 = w * (LG[1] + w * (LG[3] + w * LG[5]));
    let t2 = z * (LG[0] + w * (LG[2] + w * (LG[4] + w * LG[6])));
    s * (hfsq + (t2 + t1)) + k * LN2_LO - hfsq + f + k * LN2_HI
}

fn t_cdf(t: f64, df: f64) -> f64 {
    if t.is_infinite() {
        return if t > 0.0 { 1.0 } else { 0.0 };
    }
    let x = df / (df + t * t);
    let tail = 0.5 * sbeta::beta_reg(0.5 * df, 0.5, x);
    if t > 0.0 {
        1.0 - tail
    } else {
        tail
    }
}

fn t_quantile(p: f64, df: f64) -> f64 {
    if p <= 0.0 {
        return f64::NEG_INFINITY;
    }
    if p >= 1.0 {
        return f64::INFINITY;
    }
    let p1 = if p >= 0.5 { 1.0 - p } else { p };
    let y = sbeta::inv_beta_reg(0.5 * df, 0.5, 2.0 * p1);
    let t = (df * (1.0 - y) / y).sqrt();
    if p >= 0.5 {
        t
    } else {
        -t
    }
}

/// `∫_a^b t f(t) dt` for the standard Student t with `df > 1` degrees of freedom.
fn t_partial_moment(a: f64, b: f64, df: f64) -> f64 {
    let c = (gamma::ln_gamma(0.5 * (df + 1.0))
        - gamma::ln_gamma(0.5 * df)
        - 0.5 * (df * std::f64::consts::PI).ln())
    .exp();
    let term = |t: f64| {
        if t.is_infinite() {
            0.0
        } else {
            (1.0 + t * t / df).powf(-0.5 * (df - 1.0))
        }
    };
    c * df / (df - 1.0) * (term(a) - term(b))
}

impl Shape {
    pub fn normal(sd: f64) -> Shape {
        Shape::Normal { sd }
    }

    /// Student t; `df` must be positive (checked by the caller).
    pub fn student_t(scale: f64, df: f64) -> Shape {
        let sampler = rand_distr::StudentT::new(df).expect("df validated positive");
        Shape::StudentT { scale, df, sampler }
    }

    /// Beta-PERT over `[low, high]` with the given mode (`low < high` checked by the caller).
    pub fn pert(low: f64, mode: f64, high: f64) -> Shape {
        let alpha = 1.0 + 4.0 * (mode - low) / (high - low);
        let beta = 1.0 + 4.0 * (high - mode) / (high - low);
        let sampler = Beta::new(alpha, beta).expect("PERT shapes are at least 1");
        Shape::Pert {
            low,
            high,
            alpha,
            beta,
            sampler,
        }
    }

    /// The interval outside which the shape has no probability.
    pub fn support(&self, loc: f64) -> (f64, f64) {
        match *self {
            Shape::Normal { sd: 0.0 } => (loc, loc),
            Shape::Normal { .. } | Shape::StudentT { .. } => (f64::NEG_INFINITY, f64::INFINITY),
            Shape::Uniform { low, high }
            | Shape::Triangular { low, high, .. }
            | Shape::Pert { low, high, .. } => (low, high),
            Shape::Lognormal { .. } => (0.0, f64::INFINITY),
        }
    }

    pub fn cdf(&self, loc: f64, x: f64) -> f64 {
        match *self {
            Shape::Normal { sd } => {
                if sd == 0.0 {
                    if x >= loc {
                        1.0
                    } else {
                        0.0
                    }
                } else {
                    norm_cdf((x - loc) / sd)
                }
            }
            Shape::StudentT { scale, df, .. } => t_cdf((x - loc) / scale, df),
            Shape::Uniform { low, high } => ((x - low) / (high - low)).clamp(0.0, 1.0),
            Shape::Triangular { low, mode, high } => {
                if x <= low {
                    0.0
                } else if x >= high {
                    1.0
                } else if x <= mode {
                    (x - low).powi(2) / ((high - low) * (mode - low))
                } else {
                    1.0 - (high - x).powi(2) / ((high - low) * (high - mode))
                }
            }
            Shape::Pert {
                low,
                high,
                alpha,
                beta,
                ..
            } => {
                let y = ((x - low) / (high - low)).clamp(0.0, 1.0);
                sbeta::beta_reg(alpha, beta, y)
            }
            Shape::Lognormal { mu, sigma } => {
                if x <= 0.0 {
                    0.0
                } else {
                    norm_cdf((x.ln() - mu) / sigma)
                }
            }
        }
    }

    pub fn quantile(&self, loc: f64, p: f64) -> f64 {
        let p = p.clamp(0.0, 1.0);
        match *self {
            Shape::Normal { sd } => loc + sd * norm_quantile(p),
            Shape::StudentT { scale, df, .. } => loc + scale * t_quantile(p, df),
            Shape::Uniform { low, high } => low + p * (high - low),
            Shape::Triangular { low, mode, high } => {
                let f_mode = (mode - low) / (high - low);
                if p < f_mode {
                    low + (p * (high - low) * (mode - low)).sqrt()
                } else {
                    high - ((1.0 - p) * (high - low) * (high - mode)).sqrt()
                }
            }
            Shape::Pert {
                low,
                high,
                alpha,
                beta,
                ..
            } => low + (high - low) * sbeta::inv_beta_reg(alpha, beta, p),
            Shape::Lognormal { mu, sigma } => (mu + sigma * norm_quantile(p)).exp(),
        }
    }

    /// The untruncated mean, where it exists (`None` for Student t with df ≤ 1).
    pub fn mean(&self, loc: f64) -> Option<f64> {
        match *self {
            Shape::Normal { .. } => Some(loc),
            Shape::StudentT { df, .. } => (df > 1.0).then_some(loc),
            Shape::Uniform { low, high } => Some(0.5 * (low + high)),
            Shape::Triangular { low, mode, high } => Some((low + mode + high) / 3.0),
            Shape::Pert {
                low,
                high,
                alpha,
                beta,
                ..
            } => Some(low + (high - low) * alpha / (alpha + beta)),
            Shape::Lognormal { mu, sigma } => Some((mu + 0.5 * sigma * sigma).exp()),
        }
    }

    /// An untruncated draw.
    #[inline]
    pub fn sample<R: Rng + ?Sized>(&self, loc: f64, rng: &mut R) -> f64 {
        match self {
            Shape::Normal { sd } => {
                let z: f64 = StandardNormal.sample(rng);
                loc + sd * z
            }
            Shape::StudentT { scale, sampler, .. } => loc + scale * sampler.sample(rng),
            Shape::Uniform { low, high } => {
                let u: f64 = StandardUniform.sample(rng);
                low + u * (high - low)
            }
            Shape::Triangular { .. } => {
                let u: f64 = StandardUniform.sample(rng);
                self.quantile(loc, u)
            }
            Shape::Pert {
                low, high, sampler, ..
            } => low + (high - low) * sampler.sample(rng),
            Shape::Lognormal { mu, sigma } => {
                let z: f64 = StandardNormal.sample(rng);
                (mu + sigma * z).exp()
            }
        }
    }
}

/// Points of the midpoint rule for truncated means that have no closed form.
const MEAN_QUADRATURE_POINTS: usize = 4096;

impl Continuous {
    /// An untruncated distribution.
    pub fn new(loc: Param, shape: Shape) -> Continuous {
        Continuous {
            loc,
            shape,
            min: f64::NEG_INFINITY,
            max: f64::INFINITY,
        }
    }

    /// A fixed value: a normal with no spread.
    pub fn fixed(v: f64) -> Continuous {
        Continuous::new(Param::Fixed(v), Shape::normal(0.0))
    }

    pub fn is_truncated(&self) -> bool {
        self.min > f64::NEG_INFINITY || self.max < f64::INFINITY
    }

    /// The support after truncation, at location `loc`.
    pub fn support(&self, loc: f64) -> (f64, f64) {
        let (lo, hi) = self.shape.support(loc);
        (lo.max(self.min), hi.min(self.max))
    }

    /// Probability kept by the truncation, at location `loc`.
    pub fn kept_mass(&self, loc: f64) -> f64 {
        if !self.is_truncated() {
            return 1.0;
        }
        let hi = if self.max == f64::INFINITY {
            1.0
        } else {
            self.shape.cdf(loc, self.max)
        };
        let lo = if self.min == f64::NEG_INFINITY {
            0.0
        } else {
            self.shape.cdf(loc, self.min)
        };
        (hi - lo).max(0.0)
    }

    /// Everything sampling needs at location `loc`.
    pub fn resolve(&self, loc: f64) -> Resolved {
        if !self.is_truncated() {
            return Resolved {
                loc,
                u_lo: 0.0,
                u_hi: 1.0,
                mean: self.shape.mean(loc).unwrap_or(f64::NAN),
                truncated: false,
            };
        }
        let u_lo = if self.min == f64::NEG_INFINITY {
            0.0
        } else {
            self.shape.cdf(loc, self.min)
        };
        let u_hi = if self.max == f64::INFINITY {
            1.0
        } else {
            self.shape.cdf(loc, self.max)
        };
        let mean = self.truncated_mean(loc, u_lo, u_hi);
        Resolved {
            loc,
            u_lo,
            u_hi,
            mean,
            truncated: true,
        }
    }

    fn truncated_mean(&self, loc: f64, u_lo: f64, u_hi: f64) -> f64 {
        let mass = u_hi - u_lo;
        if mass <= 1e-300 {
            // All probability sits at a bound; the nearer one is the honest answer.
            return self.quantile_at(loc, u_lo, u_hi, 0.5);
        }
        match self.shape {
            Shape::Normal { sd } if sd > 0.0 => {
                let a = (self.min - loc) / sd;
                let b = (self.max - loc) / sd;
                let pdf = |z: f64| if z.is_infinite() { 0.0 } else { norm_pdf(z) };
                loc + sd * (pdf(a) - pdf(b)) / mass
            }
            Shape::StudentT { scale, df, .. } if df > 1.0 => {
                let a = (self.min - loc) / scale;
                let b = (self.max - loc) / scale;
                loc + scale * t_partial_moment(a, b, df) / mass
            }
            Shape::Uniform { low, high } => 0.5 * (low.max(self.min) + high.min(self.max)),
            _ => {
                let n = MEAN_QUADRATURE_POINTS;
                let sum: f64 = (0..n)
                    .map(|k| self.quantile_at(loc, u_lo, u_hi, (k as f64 + 0.5) / n as f64))
                    .sum();
                sum / n as f64
            }
        }
    }

    /// The quantile `p` of the truncated distribution.
    #[inline]
    fn quantile_at(&self, loc: f64, u_lo: f64, u_hi: f64, p: f64) -> f64 {
        let x = self.shape.quantile(loc, u_lo + p * (u_hi - u_lo));
        x.clamp(self.min, self.max)
    }

    /// The distribution of `factor × X` (`factor > 0`): a level carried
    /// forward by known growth keeps its shape and relative uncertainty.
    pub fn scaled(&self, factor: f64) -> Continuous {
        let f = factor;
        let shape = match &self.shape {
            Shape::Normal { sd } => Shape::Normal { sd: sd * f },
            Shape::StudentT { scale, df, sampler } => Shape::StudentT {
                scale: scale * f,
                df: *df,
                sampler: *sampler,
            },
            Shape::Uniform { low, high } => Shape::Uniform {
                low: low * f,
                high: high * f,
            },
            Shape::Triangular { low, mode, high } => Shape::Triangular {
                low: low * f,
                mode: mode * f,
                high: high * f,
            },
            Shape::Pert {
                low,
                high,
                alpha,
                beta,
                sampler,
            } => Shape::Pert {
                low: low * f,
                high: high * f,
                alpha: *alpha,
                beta: *beta,
                sampler: *sampler,
            },
            Shape::Lognormal { mu, sigma } => Shape::Lognormal {
                mu: mu + f.ln(),
                sigma: *sigma,
            },
        };
        let loc = match self.loc {
            Param::Fixed(v) => Param::Fixed(v * f),
            drawn => drawn,
        };
        Continuous {
            loc,
            shape,
            min: self.min * f,
            max: self.max * f,
        }
    }

    /// The standard deviation (truncation included), by the midpoint rule
    /// over 4096 quantiles: accurate to far better than any use of it needs.
    pub fn sd(&self, loc: f64) -> f64 {
        const N: usize = 4096;
        let r = self.resolve(loc);
        let xs = (0..N).map(|k| self.quantile_at(loc, r.u_lo, r.u_hi, (k as f64 + 0.5) / N as f64));
        let (sum, squares) = xs.fold((0.0, 0.0), |(s, q), x| (s + x, q + x * x));
        let mean = sum / N as f64;
        (squares / N as f64 - mean * mean).max(0.0).sqrt()
    }

    /// A draw, given this path's resolution.
    #[inline]
    pub fn sample<R: Rng + ?Sized>(&self, r: &Resolved, rng: &mut R) -> f64 {
        if !r.truncated {
            return self.shape.sample(r.loc, rng);
        }
        // Inversion, not rejection: exactly one uniform per draw, so a run
        // with the location moved uses the same numbers and every draw moves
        // the same way (sweeps over a mean are monotone).
        let u: f64 = StandardUniform.sample(rng);
        self.quantile_at(r.loc, r.u_lo, r.u_hi, u)
    }

    /// An antithetic pair of draws, for paths resolved as `r0` and `r1`: one
    /// normal score `z` gives `z` and `−z`, one uniform `u` gives `u` and
    /// `1 − u`, so each draw has this distribution and the two are negatively
    /// dependent. The stream gives what one draw takes (PERT, which samples
    /// by rejection, draws twice, independently).
    #[inline]
    pub fn sample_pair<R: Rng + ?Sized>(
        &self,
        r0: &Resolved,
        r1: &Resolved,
        rng: &mut R,
    ) -> (f64, f64) {
        if r0.truncated || r1.truncated {
            let u: f64 = StandardUniform.sample(rng);
            return (
                self.quantile_at(r0.loc, r0.u_lo, r0.u_hi, u),
                self.quantile_at(r1.loc, r1.u_lo, r1.u_hi, 1.0 - u),
            );
        }
        match &self.shape {
            Shape::Normal { sd } => {
                let z: f64 = StandardNormal.sample(rng);
                (r0.loc + sd * z, r1.loc - sd * z)
            }
            Shape::StudentT { scale, sampler, .. } => {
                let t = sampler.sample(rng);
                (r0.loc + scale * t, r1.loc - scale * t)
            }
            Shape::Lognormal { mu, sigma } => {
                let z: f64 = StandardNormal.sample(rng);
                ((mu + sigma * z).exp(), (mu - sigma * z).exp())
            }
            Shape::Uniform { .. } | Shape::Triangular { .. } => {
                let u: f64 = StandardUniform.sample(rng);
                (
                    self.shape.quantile(r0.loc, u),
                    self.shape.quantile(r1.loc, 1.0 - u),
                )
            }
            Shape::Pert { .. } => (self.sample(r0, rng), self.sample(r1, rng)),
        }
    }

    /// The draw whose standard-normal score is `z` (Gaussian copula).
    #[inline]
    pub fn from_normal_score(&self, r: &Resolved, z: f64) -> f64 {
        match self.shape {
            Shape::Normal { sd } if !r.truncated => r.loc + sd * z,
            _ => self.quantile_at(r.loc, r.u_lo, r.u_hi, norm_cdf(z)),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use rand::SeedableRng;
    use rand_xoshiro::Xoshiro256PlusPlus;

    #[test]
    fn the_vector_quantiles_and_logarithm_are_the_scalar_ones() {
        let ps: Vec<f64> = (0..20_000)
            .map(|k| {
                let u = (k as f64 + 0.5) / 20_000.0;
                // Ever further into both tails, down to the far-tail formula's.
                if k % 2 == 0 {
                    u
                } else {
                    u.powi(1 + k % 13)
                }
            })
            .chain([1e-300, 1e-12, 1e-11, 0.075, 0.925, 1.0 - 1e-16, 0.0, 1.0])
            .collect();
        let mut zs = vec![0.0; ps.len()];
        norm_quantiles(&ps, &mut zs);
        for (&p, &z) in ps.iter().zip(&zs) {
            let exact = norm_quantile(p);
            assert!(
                z == exact || (z - exact).abs() <= 4.0 * f64::EPSILON * exact.abs(),
                "{p}: {z} against {exact}"
            );
            if p > 0.0 && p.is_normal() {
                let (l, exact) = (ln_normal(p), p.ln());
                assert!(
                    (l - exact).abs() <= 2.0 * f64::EPSILON * exact.abs(),
                    "ln {p}: {l} against {exact}"
                );
            }
        }
    }

    #[test]
    fn the_vector_cdf_and_exponential_are_libm_s_to_double_precision() {
        let xs: Vec<f64> = (0..40_000)
            .map(|k| -38.0 + 46.0 * k as f64 / 40_000.0)
            .chain([
                -7.07106781186547,
                7.07106781186547,
                -37.0,
                0.0,
                -0.0,
                40.0,
                -40.0,
            ])
            .collect();
        let mut got = xs.clone();
        norm_cdfs(&mut got);
        for (&x, &p) in xs.iter().zip(&got) {
            let exact = norm_cdf(x);
            // Relative in the lower tail (measured: 1.6e-14 above −3, 5e-11
            // to −5, 9e-9 beyond; past −37, about 1e-300, it is 0),
            // absolute above.
            let relative = if x >= -3.0 { 2e-14 } else { 1e-8 };
            let tolerance = if x < 0.0 {
                relative * exact + 1e-298
            } else {
                1e-15
            };
            assert!((p - exact).abs() <= tolerance, "{x}: {p} against {exact}");
            let y = -0.5 * x * x;
            if y >= -708.0 {
                let (e, exact) = (exp_normal(y), y.exp());
                assert!(
                    (e - exact).abs() <= 2.0 * f64::EPSILON * exact,
                    "exp {y}: {e} against {exact}"
                );
            }
        }
        let mut nan = [f64::NAN];
        norm_cdfs(&mut nan);
        assert!(nan[0].is_nan());
    }

    #[test]
    fn normal_quantile_inverts_cdf() {
        for &p in &[1e-9, 0.001, 0.05, 0.3, 0.5, 0.9, 0.999999] {
            let z = norm_quantile(p);
            assert!(
                (norm_cdf(z) - p).abs() < 1e-10 * p,
                "p={p}: {}",
                norm_cdf(z) - p
            );
        }
        assert!((norm_quantile(0.975) - 1.959963984540054).abs() < 1e-12);
    }

    #[test]
    #[allow(clippy::excessive_precision)]
    fn normal_functions_match_high_precision_values() {
        // mpmath at 40 digits, for the f64 arguments as written.
        let cdf = [
            (-37.5, 4.6053530095819548438e-308),
            (-20.0, 2.7536241186062336951e-89),
            (-8.9991, 1.1378777720599934011e-19),
            (-5.0, 2.8665157187919391167e-7),
            (-1.5, 0.066807201268858066004),
            (0.0, 0.5),
            (0.7, 0.75803634777692697138),
            (3.0, 0.99865010196836990547),
            (8.0, 0.9999999999999993779),
        ];
        for (z, want) in cdf {
            let got = norm_cdf(z);
            // Rounding z/√2 costs z²·ε relative in the far tail.
            let tol = 4e-16 + z * z * 3e-16;
            assert!(
                (got - want).abs() <= tol * want,
                "Φ({z}) = {got:e}, want {want:e}"
            );
        }
        let quantile = [
            (1e-300, -37.047096299361199237),
            (1e-20, -9.2623400897984075796),
            (1e-10, -6.3613409024040561991),
            (0.01, -2.3263478740408410931),
            (0.3, -0.52440051270804081597),
            (0.5, 0.0),
            (0.9, 1.2815515655446005935),
            (0.999999999999, 7.0344869100478352057),
        ];
        for (p, want) in quantile {
            let got = norm_quantile(p);
            assert!(
                (got - want).abs() <= 1e-15 * want.abs().max(1.0),
                "Φ⁻¹({p}) = {got}, want {want}"
            );
        }
        // And they invert each other across the range.
        for i in 1..10_000 {
            let p = i as f64 / 10_000.0;
            for p in [p, p * 1e-12, p * 1e-200] {
                let z = norm_quantile(p);
                let back = norm_cdf(z);
                assert!(
                    (back - p).abs() <= (1e-15 + z * z * 1e-15) * p,
                    "p = {p}: {back:e}"
                );
            }
        }
    }

    #[test]
    fn student_t_cdf_matches_known_values() {
        // t_{0.975, 5} = 2.570581835636314
        assert!((t_cdf(2.570581835636314, 5.0) - 0.975).abs() < 1e-12);
        assert!((t_quantile(0.975, 5.0) - 2.570581835636314).abs() < 1e-9);
        assert!((t_cdf(0.0, 3.0) - 0.5).abs() < 1e-15);
    }

    #[test]
    fn truncated_normal_mean_has_closed_form() {
        // Standard normal truncated to [0, ∞): mean √(2/π).
        let mut d = Continuous::new(Param::Fixed(0.0), Shape::normal(1.0));
        d.min = 0.0;
        let r = d.resolve(0.0);
        assert!((r.mean - (2.0 / std::f64::consts::PI).sqrt()).abs() < 1e-12);
        // Student t(3) truncated to [0, ∞): mean 2√3/π.
        let mut t = Continuous::new(Param::Fixed(0.0), Shape::student_t(1.0, 3.0));
        t.min = 0.0;
        let r = t.resolve(0.0);
        assert!((r.mean - 2.0 * 3f64.sqrt() / std::f64::consts::PI).abs() < 1e-9);
    }

    #[test]
    fn numeric_truncated_mean_agrees_with_closed_form_for_uniform_parts() {
        // Triangular(0, 0, 1) truncated to [0, 0.5]: density 2(1−x) on [0, .5], mass .75,
        // mean = ∫ 2x(1−x) dx / .75 = (1/4 − 1/12)/.75 = 2/9.
        let mut d = Continuous::new(
            Param::Fixed(0.0),
            Shape::Triangular {
                low: 0.0,
                mode: 0.0,
                high: 1.0,
            },
        );
        d.max = 0.5;
        let r = d.resolve(0.0);
        assert!((r.mean - 2.0 / 9.0).abs() < 1e-6, "{}", r.mean);
    }

    #[test]
    fn truncated_draws_stay_inside_and_have_the_truncated_mean() {
        let mut d = Continuous::new(Param::Fixed(0.0), Shape::normal(1.0));
        d.min = 1.0; // keeps 16 %: sampled by inversion
        let r = d.resolve(0.0);
        let mut rng = Xoshiro256PlusPlus::seed_from_u64(7);
        let n = 200_000;
        let mut sum = 0.0;
        for _ in 0..n {
            let x = d.sample(&r, &mut rng);
            assert!(x >= 1.0);
            sum += x;
        }
        // Mean of N(0,1) | X > 1 is φ(1)/(1−Φ(1)) = 1.5251; sd ≈ 0.46, se ≈ 0.001.
        assert!((sum / n as f64 - r.mean).abs() < 0.005);
        assert!((r.mean - 1.525135276160981).abs() < 1e-9);
    }

    #[test]
    fn pert_mean_and_quantile() {
        let s = Shape::pert(0.0, 0.2, 1.0);
        assert!((s.mean(0.0).unwrap() - (0.0 + 4.0 * 0.2 + 1.0) / 6.0).abs() < 1e-12);
        let q = s.quantile(0.0, 0.3);
        assert!((s.cdf(0.0, q) - 0.3).abs() < 1e-9);
    }
}
