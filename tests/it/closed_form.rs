//! Closed forms the engine is tested against, and a runner for small scenarios.

use dabiao::model::dist::norm_cdf;
use dabiao::model::Model;
use dabiao::simulate::{simulate, RunConfig};
use dabiao::stats::results::{finish, Results, RunInfo};

/// Runs a scenario given as text.
pub fn run(text: &str, draws: u64, seed: u64) -> Results {
    let model = dabiao::scenario::load("test.toml", text, &[]).unwrap_or_else(|d| {
        panic!(
            "scenario invalid: {}",
            d.iter()
                .map(|x| x.to_string())
                .collect::<Vec<_>>()
                .join("\n")
        )
    });
    results(&model, draws, seed)
}

/// Runs a model on 2 threads and summarises it, with a fixed run record.
pub fn results(model: &Model, draws: u64, seed: u64) -> Results {
    let tally = simulate(
        model,
        &RunConfig {
            draws,
            seed,
            threads: 2,
        },
        &|_| {},
    )
    .expect("threads");
    finish(
        model,
        &tally,
        "test.toml",
        None,
        RunInfo::new(draws, seed, 2, 0.0, vec![]),
    )
}

pub fn probability(r: &Results, id: &str) -> f64 {
    r.targets
        .iter()
        .find(|t| t.id == id)
        .unwrap_or_else(|| panic!("no target {id}"))
        .estimate
        .probability
}

/// Asserts the estimate is within `k` standard errors of the exact probability.
pub fn assert_probability(r: &Results, id: &str, exact: f64, k: f64) {
    let t = r.targets.iter().find(|t| t.id == id).expect("target");
    let n = t.estimate.draws as f64;
    let se = (exact * (1.0 - exact) / n).sqrt();
    let diff = (t.estimate.probability - exact).abs();
    assert!(
        diff <= k * se + 1e-12,
        "{id}: estimated {:.5}, exact {exact:.5}, off by {:.1} standard errors ({diff:.5})",
        t.estimate.probability,
        diff / se.max(1e-300)
    );
}

/// Upper tail of the standard normal.
pub fn norm_sf(z: f64) -> f64 {
    norm_cdf(-z)
}

/// `P(X > a, Y > b)` for standard bivariate normal with correlation `rho`,
/// by Simpson's rule over x of `φ(x)·P(Y > b | x)`.
pub fn bivariate_upper(a: f64, b: f64, rho: f64) -> f64 {
    let s = (1.0 - rho * rho).sqrt();
    let f = |x: f64| {
        (-0.5 * x * x).exp() / (2.0 * std::f64::consts::PI).sqrt() * norm_sf((b - rho * x) / s)
    };
    let (lo, hi, n) = (a, a.max(0.0) + 12.0, 20_000);
    let h = (hi - lo) / n as f64;
    let mut sum = f(lo) + f(hi);
    for k in 1..n {
        sum += f(lo + k as f64 * h) * if k % 2 == 1 { 4.0 } else { 2.0 };
    }
    sum * h / 3.0
}

#[test]
fn bivariate_normal_matches_known_orthant_probability() {
    // P(X > 0, Y > 0) = 1/4 + asin(ρ)/(2π)
    let rho: f64 = 0.6;
    let exact = 0.25 + rho.asin() / (2.0 * std::f64::consts::PI);
    assert!((bivariate_upper(0.0, 0.0, rho) - exact).abs() < 1e-9);
    // Independence factorises.
    assert!((bivariate_upper(0.5, -0.3, 0.0) - norm_sf(0.5) * norm_sf(-0.3)).abs() < 1e-9);
}
