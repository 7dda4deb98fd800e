//! Rare targets estimated by importance sampling, against exact
//! probabilities near 10⁻⁵: the estimate, its interval's coverage across
//! seeds, its relative standard error at the default draws, the run's other
//! targets untouched, and the bound kept where no shift reaches a target.

use dabiao::analysis::rare::refine;
use dabiao::model::dist::norm_cdf;
use dabiao::simulate::RunConfig;
use dabiao::stats::results::Results;

use super::closed_form::results;

/// x grows by N(5 %, 5 %) in logs for five years, so ln(X₂₀₂₅/100) is
/// N(0.25, 0.0125); y has an uncertain trend N(5 %, 2 %) as well, so its is
/// N(0.25, 0.0225). Thresholds put the targets near 10⁻⁵ and 5·10⁻⁵.
const TEXT: &str = "[scenario]\nname = \"t\"\nbase_year = 2020\nhorizon = 2025
[indicators.x]
kind = \"level\"
base = 100
growth = { mean = 0.05, sd = 0.05 }
compounding = \"log\"
[indicators.y]
kind = \"level\"
base = 100
growth = { mean = { mean = 0.05, sd = 0.02 }, sd = 0.05 }
compounding = \"log\"
[targets.rare_x]
indicator = \"x\"
at_least = 206.86
[targets.rare_y]
indicator = \"y\"
at_least = 230
[targets.common]
indicator = \"x\"
at_least = 125
[targets.beyond_reach]
indicator = \"x\"
at_least = 100000
";

fn exact(id: &str) -> f64 {
    let tail = |c: f64, var: f64| 1.0 - norm_cdf(((c / 100.0f64).ln() - 0.25) / var.sqrt());
    match id {
        "rare_x" => tail(206.86, 0.0125),
        "rare_y" => tail(230.0, 0.0225),
        "common" => tail(125.0, 0.0125),
        _ => 0.0,
    }
}

fn refined(draws: u64, seed: u64) -> Results {
    refined_on(draws, seed, 2)
}

/// The run, then its rare targets estimated again on `threads` threads.
fn refined_on(draws: u64, seed: u64, threads: usize) -> Results {
    let model = dabiao::scenario::load("t.toml", TEXT, &[]).unwrap();
    let mut r = results(&model, draws, seed);
    let cfg = RunConfig {
        draws,
        seed,
        threads,
    };
    refine(&model, &cfg, &mut r).unwrap();
    r
}

#[test]
fn rare_targets_get_estimates_near_their_exact_probabilities() {
    assert!((exact("rare_x") - 9.98e-6).abs() < 1e-8);
    assert!((exact("rare_y") - 5.09e-5).abs() < 1e-7);
    let r = refined(100_000, 1);
    for id in ["rare_x", "rare_y"] {
        let t = r.targets.iter().find(|t| t.id == id).unwrap();
        let how = t.importance.expect("estimated by importance sampling");
        let (p, se) = (t.estimate.probability, t.estimate.std_error);
        // At the default draws the issue asks for 10 % or better; the
        // shift reaches 0.5 % here.
        assert!(se / p < 0.02, "{id}: {p} ± {se}");
        assert!(
            (p - exact(id)).abs() < 4.0 * se,
            "{id}: {p} ± {se} vs {}",
            exact(id)
        );
        assert!(!t.estimate.is_bound() && how.pilots <= 4 && how.shift > 3.0);
        // The run alone saw a handful of hits at most.
        assert!(how.run.hits < 20, "{id}: {:?}", how.run);
    }
    // The common target is the run's own estimate, untouched.
    let plain = results(
        &dabiao::scenario::load("t.toml", TEXT, &[]).unwrap(),
        100_000,
        1,
    );
    let common = |r: &Results| r.targets.iter().find(|t| t.id == "common").unwrap().clone();
    assert_eq!(common(&r), common(&plain));
    assert!(common(&r).importance.is_none());
    // No shift of the normal scores reaches a thousandfold rise in five
    // years (z ≈ 60) within the pilots: the bound stays.
    let beyond = r.targets.iter().find(|t| t.id == "beyond_reach").unwrap();
    assert!(beyond.importance.is_none() && beyond.estimate.hits == 0);
    // The same numbers on one thread or three.
    for threads in [1, 3] {
        assert_eq!(refined_on(100_000, 1, threads).targets, r.targets);
    }
}

#[test]
fn importance_sampled_intervals_cover_the_exact_answer() {
    // 100 seeds × 2 targets at 16 384 draws: intervals from the 16
    // replicates with Student's t should cover 95 % (over 600 intervals
    // they covered 94.3 %); at least 180 of 200, 2.6 standard deviations
    // below 94.3 %.
    let mut covered = 0;
    for seed in 0..100 {
        let r = refined(16_384, 500 + seed);
        for id in ["rare_x", "rare_y"] {
            let t = r.targets.iter().find(|t| t.id == id).unwrap();
            assert!(t.importance.is_some(), "{id}, seed {seed}");
            let (lo, hi) = t.estimate.ci95;
            covered += usize::from(lo <= exact(id) && exact(id) <= hi);
        }
    }
    assert!(covered >= 180, "{covered} of 200");
}
