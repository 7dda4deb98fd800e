//! Statistics: what a run accumulates ([`tally`]), the quantile sketch it
//! uses ([`sketch`]), and the summary computed from it ([`results`]).
//! Computes, never formats.

pub mod assumptions;
pub mod results;
pub mod sketch;
pub mod tally;

/// z for a two-sided 95 % interval.
pub const Z95: f64 = 1.959963984540054;

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
    let n = n as f64;
    let p = hits as f64 / n;
    let z2 = z * z;
    let denom = 1.0 + z2 / n;
    let center = (p + z2 / (2.0 * n)) / denom;
    let half = z * (p * (1.0 - p) / n + z2 / (4.0 * n * n)).sqrt() / denom;
    ((center - half).max(0.0), (center + half).min(1.0))
}

#[cfg(test)]
mod tests {
    use super::*;

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
