//! Statistics: what a run accumulates ([`tally`]), the quantile sketch it
//! uses ([`sketch`]), and the summary computed from it ([`results`]).
//! Computes, never formats.

pub mod assumptions;
pub mod results;
pub mod sketch;
pub mod tally;

/// z for a two-sided 95 % interval.
pub const Z95: f64 = 1.959963984540054;

/// Student's t for a two-sided 95 % interval with `df` degrees of freedom:
/// what an interval from a few replicates' spread needs in place of [`Z95`].
pub fn t95(df: u64) -> f64 {
    use statrs::distribution::{ContinuousCDF, StudentsT};
    match StudentsT::new(0.0, 1.0, df.max(1) as f64) {
        Ok(t) => t.inverse_cdf(0.975),
        Err(_) => f64::INFINITY,
    }
}

/// The variance of a pooled estimate `p = Σ x_r / Σ n_r` from independent
/// replicates, given as `(n_r, x_r)`: `n_r` draws and `x_r` the sum of what
/// they counted (hits, or hits' likelihood ratios). A ratio estimator's,
/// `R/(R − 1) · Σ (x_r − p·n_r)² / N²` over the `R` replicates that drew
/// (the variance of their mean when all are the same size), with its
/// degrees of freedom `R − 1`; none with fewer than two.
pub fn replicate_variance(
    p: f64,
    replicates: impl Iterator<Item = (f64, f64)>,
) -> Option<(f64, u64)> {
    let (mut n, mut squares, mut count) = (0.0, 0.0, 0u64);
    for (n_r, x_r) in replicates.filter(|r| r.0 > 0.0) {
        n += n_r;
        squares += (x_r - p * n_r).powi(2);
        count += 1;
    }
    let r = count as f64;
    (count >= 2).then(|| (r / (r - 1.0) * squares / (n * n), count - 1))
}

/// The Wilson score interval for `hits` successes in `n` trials.
pub fn wilson(hits: u64, n: u64, z: f64) -> (f64, f64) {
    if n == 0 {
        return (0.0, 1.0);
    }
    if hits == 0 {
        // The closed form is exactly 0 here; skip the float dust.
        let nf = n as f64;
        return (0.0, z * z / (nf + z * z));
    }
    wilson_at(hits as f64 / n as f64, n as f64, z)
}

/// The Wilson score interval of an estimate `p` worth `n` independent
/// trials (for antithetic pairs, the effective number the pairs' variance
/// implies: `n = p(1 − p)/se²`).
pub fn wilson_at(p: f64, n: f64, z: f64) -> (f64, f64) {
    let z2 = z * z;
    let denom = 1.0 + z2 / n;
    let center = (p + z2 / (2.0 * n)) / denom;
    let half = z * (p * (1.0 - p) / n + z2 / (4.0 * n * n)).sqrt() / denom;
    ((center - half).max(0.0), (center + half).min(1.0))
}

/// The difference of two proportions measured on the same `n` paths, from
/// the discordant paths: `n12` hit by the first only, `n21` by the second
/// only. Returns `p2 − p1` and its 95 % interval by Agresti and Min's
/// adjusted Wald (2005: half a path added to each of the four cells), which
/// keeps its coverage when discordant paths are few.
pub fn paired_difference(n: u64, n12: u64, n21: u64) -> (f64, (f64, f64)) {
    if n == 0 {
        return (0.0, (-1.0, 1.0));
    }
    let d = (n21 as f64 - n12 as f64) / n as f64;
    let (a, b, m) = (n12 as f64 + 0.5, n21 as f64 + 0.5, n as f64 + 2.0);
    let centre = (b - a) / m;
    let half = Z95 * ((a + b) - (b - a).powi(2) / m).max(0.0).sqrt() / m;
    (d, ((centre - half).max(-1.0), (centre + half).min(1.0)))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paired_difference_is_the_wald_interval_when_paths_are_many() {
        // Agresti's presidential-approval example (n = 1600; 794 approve
        // both times, 150 the first only, 86 the second only, 570 neither):
        // p2 − p1 = −0.04, and the plain Wald interval is −0.04 ± 1.96 ×
        // √((236 − 64²/1600))/1600 = (−0.0587, −0.0213). Half a path per
        // cell moves it by under 0.0005 at this n.
        let (d, (lo, hi)) = paired_difference(1600, 150, 86);
        assert!((d + 0.04).abs() < 1e-12, "{d}");
        assert!(
            (lo + 0.0587).abs() < 5e-4 && (hi + 0.0213).abs() < 5e-4,
            "{lo} {hi}"
        );
        // No discordant paths still leaves an interval around 0.
        let (d, (lo, hi)) = paired_difference(1000, 0, 0);
        assert_eq!(d, 0.0);
        assert!(lo < 0.0 && hi > 0.0);
    }

    #[test]
    fn wilson_matches_published_values() {
        // Newcombe (1998), example: 81 of 263 → 0.2553 to 0.3662.
        let (lo, hi) = wilson(81, 263, Z95);
        assert!(
            (lo - 0.2553).abs() < 5e-5 && (hi - 0.3662).abs() < 5e-5,
            "{lo} {hi}"
        );
        // No hits still gives an upper bound: 3.84/(n+3.84).
        let (lo, hi) = wilson(0, 1000, Z95);
        assert_eq!(lo, 0.0);
        assert!((hi - 0.003826).abs() < 1e-5, "{hi}");
    }
}
