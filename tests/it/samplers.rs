//! Antithetic pairs and randomised quasi-Monte Carlo against plain Monte
//! Carlo: the same closed forms, honest intervals (95 % of them cover the
//! exact answer across seeds), and less variance.

use dabiao::model::dist::norm_cdf;
use dabiao::model::{Model, Sampler};

use super::closed_form::results;

/// Output 100 growing 6 % ± 10 % a year for five years, and a base drawn
/// uniformly from 80–120 with fixed 5 % growth: each target's probability
/// has a closed form (the first by quadrature).
const TEXT: &str = "[scenario]\nname = \"t\"\nbase_year = 2020\nhorizon = 2025
[indicators.output]
kind = \"level\"
base = 100
growth = { mean = 0.06, sd = 0.10 }
[indicators.firms]
kind = \"level\"
base = { dist = \"uniform\", low = 80, high = 120 }
growth = 0.05
[targets.low]
indicator = \"output\"
at_least = 110
[targets.middle]
indicator = \"output\"
at_least = 130
[targets.high]
indicator = \"output\"
at_least = 180
[targets.base_drawn]
indicator = \"firms\"
at_least = 130
";

fn model(sampler: Sampler) -> Model {
    let mut m = dabiao::scenario::load("t.toml", TEXT, &[]).unwrap();
    m.sampler = sampler;
    m
}

/// Each target's exact probability. Output in 2025 is 100·Π(1 + g_t) with
/// five independent normal g: the law of Σ ln(1 + g_t) by numerical
/// convolution on a fine grid (the tail of the last cell by linear share).
fn exact() -> Vec<(&'static str, f64)> {
    let density = |x: f64| {
        // The density of ln(1 + g) at x: g = eˣ − 1, times the Jacobian eˣ.
        let g = x.exp() - 1.0;
        (-(g - 0.06).powi(2) / (2.0 * 0.01)).exp() / (0.1 * (2.0 * std::f64::consts::PI).sqrt())
            * x.exp()
    };
    let (lo, hi, n) = (-0.6f64, 0.6f64, 1200usize);
    let h = (hi - lo) / n as f64;
    let one: Vec<f64> = (0..n)
        .map(|i| density(lo + (i as f64 + 0.5) * h) * h)
        .collect();
    let mut sum = one.clone();
    for _ in 1..5 {
        let mut next = vec![0.0; sum.len() + n - 1];
        for (i, &a) in sum.iter().enumerate() {
            for (j, &b) in one.iter().enumerate() {
                next[i + j] += a * b;
            }
        }
        sum = next;
    }
    // Cell k of the five-fold sum is centred on 5·lo + (k + 2.5)·h.
    let tail = |c: f64| {
        let t = (c / 100.0).ln();
        sum.iter()
            .enumerate()
            .map(|(k, p)| {
                let start = 5.0 * lo + (k as f64 + 2.0) * h;
                p * ((start + h - t) / h).clamp(0.0, 1.0)
            })
            .sum::<f64>()
    };
    let firms = (120.0 - 130.0 / 1.05f64.powi(5)) / 40.0;
    vec![
        ("low", tail(110.0)),
        ("middle", tail(130.0)),
        ("high", tail(180.0)),
        ("base_drawn", firms),
    ]
}

#[test]
fn antithetic_and_plain_runs_agree_with_the_closed_forms() {
    for sampler in Sampler::ALL {
        let r = results(&model(sampler), 200_000, 3);
        assert_eq!(r.run.sampler, sampler.name());
        for (id, p) in exact() {
            let t = r.targets.iter().find(|t| t.id == id).unwrap();
            let se = (p * (1.0 - p) / 200_000.0).sqrt();
            assert!(
                (t.estimate.probability - p).abs() < 4.0 * se,
                "{}: {id} {} vs exact {p}",
                sampler.name(),
                t.estimate.probability
            );
        }
    }
    // The quadrature against the lognormal approximation of the same law
    // (ln(1 + g) has mean 0.0538 and variance 0.0089 to first order).
    let approx = 1.0 - norm_cdf(((1.3f64).ln() - 5.0 * 0.0538) / (5.0f64 * 0.0089).sqrt());
    let middle = exact()[1].1;
    assert!((middle - approx).abs() < 0.01, "{middle} vs {approx}");
}

#[test]
fn antithetic_intervals_cover_the_exact_answer_95_times_in_100() {
    // 300 seeds × 4 targets at 2 048 draws: coverage should be 0.95 with a
    // standard error of about 0.006 (intervals of one seed are correlated,
    // so allow 0.93–0.97).
    let exact = exact();
    let m = model(Sampler::Antithetic);
    let (mut covered, mut total) = (0, 0);
    let mut widths = 0.0;
    for seed in 0..300 {
        let r = results(&m, 2048, 1000 + seed);
        for &(id, p) in &exact {
            let t = r.targets.iter().find(|t| t.id == id).unwrap();
            let (lo, hi) = t.estimate.ci95;
            covered += usize::from(lo <= p && p <= hi);
            total += 1;
            widths += hi - lo;
        }
    }
    let coverage = covered as f64 / total as f64;
    assert!(
        (0.93..=0.97).contains(&coverage),
        "coverage {coverage} over {total} intervals"
    );
    // Narrower than plain Monte Carlo's at the same draws.
    let plain = model(Sampler::MonteCarlo);
    let mut plain_widths = 0.0;
    for seed in 0..300 {
        let r = results(&plain, 2048, 1000 + seed);
        for &(id, _) in &exact {
            let (lo, hi) = r.targets.iter().find(|t| t.id == id).unwrap().estimate.ci95;
            plain_widths += hi - lo;
        }
    }
    assert!(
        widths < 0.85 * plain_widths,
        "antithetic {widths} against plain {plain_widths}"
    );
}

/// Over `seeds` seeds at `draws`: the share of intervals that cover the
/// exact answers, the summed widths, and each target's estimates.
fn coverage(sampler: Sampler, draws: u64, seeds: u64) -> (f64, f64, Vec<Vec<f64>>) {
    let exact = exact();
    let m = model(sampler);
    let (mut covered, mut widths) = (0, 0.0);
    let mut estimates = vec![Vec::new(); exact.len()];
    for seed in 0..seeds {
        let r = results(&m, draws, 1000 + seed);
        for (k, &(id, p)) in exact.iter().enumerate() {
            let t = r.targets.iter().find(|t| t.id == id).unwrap();
            let (lo, hi) = t.estimate.ci95;
            covered += usize::from(lo <= p && p <= hi);
            widths += hi - lo;
            estimates[k].push(t.estimate.probability);
        }
    }
    let share = covered as f64 / (seeds as usize * exact.len()) as f64;
    (share, widths, estimates)
}

fn variance(xs: &[f64]) -> f64 {
    let mean = xs.iter().sum::<f64>() / xs.len() as f64;
    xs.iter().map(|x| (x - mean).powi(2)).sum::<f64>() / (xs.len() - 1) as f64
}

#[test]
fn quasi_monte_carlo_intervals_cover_the_exact_answer_95_times_in_100() {
    // 300 seeds × 4 targets at 16 384 draws (one chunk in each of the 16
    // replicates): intervals from the replicates' spread, with Student's t
    // for 15 degrees of freedom, should cover 95 % (standard error about
    // 0.006; intervals of one seed are correlated, so allow 0.93–0.97).
    let (share, widths, estimates) = coverage(Sampler::Sobol, 16_384, 300);
    assert!((0.93..=0.97).contains(&share), "coverage {share}");
    // The estimates themselves vary far less than plain Monte Carlo's: the
    // model's draws are the own normals of one indicator and a uniform base
    // (one dimension each), where the points are nets. A variance from 300
    // runs is within about ±16 % (1 sd); the least gain measured was 7×.
    let (_, plain_widths, plain) = coverage(Sampler::MonteCarlo, 16_384, 300);
    for (k, (a, b)) in plain.iter().zip(&estimates).enumerate() {
        let ratio = variance(a) / variance(b);
        assert!(ratio > 4.0, "target {k}: variance ratio {ratio}");
    }
    assert!(
        widths < 0.6 * plain_widths,
        "{widths} against {plain_widths}"
    );
}

#[test]
fn quasi_monte_carlo_is_the_same_for_any_thread_count_and_counts_each_replicate() {
    use dabiao::simulate::{simulate, RunConfig, CHUNK, REPLICATES};
    let m = model(Sampler::Sobol);
    // 40 chunks and a part: replicates 0–7 have three chunks, 8 two and the
    // part, the rest two.
    let draws = 40 * CHUNK as u64 + 100;
    let tally = |threads| {
        let cfg = RunConfig {
            draws,
            seed: 9,
            threads,
        };
        simulate(&m, &cfg, &|_| {}).unwrap()
    };
    let one = tally(1);
    assert_eq!(one, tally(3));
    assert_eq!(one.replicate_draws.len(), REPLICATES);
    assert_eq!(one.replicate_draws.iter().sum::<u64>(), draws);
    assert_eq!(one.replicate_draws[8], 2 * CHUNK as u64 + 100);
    let r = REPLICATES;
    for (k, &hits) in one.hits.iter().enumerate() {
        assert_eq!(
            one.replicate_hits[k * r..(k + 1) * r].iter().sum::<u64>(),
            hits
        );
    }
}

#[test]
fn antithetic_estimates_vary_less_across_seeds_and_never_more() {
    // The spread of the estimate itself over 200 seeds, not the reported
    // interval. For a target whose event and its mirror image cannot both
    // happen, the variance ratio is (1 − p)/(1 − 2p): 1.1 for the high
    // target, 1.4 for the low one; near the median (the middle target, and
    // the drawn base at p = 0.45, whose ratio is 5.9) pairs nearly always
    // split, and the gain is large.
    let spread = |sampler: Sampler| {
        let m = model(sampler);
        let runs: Vec<Vec<f64>> = (0..200)
            .map(|seed| {
                let r = results(&m, 2048, 5000 + seed);
                r.targets.iter().map(|t| t.estimate.probability).collect()
            })
            .collect();
        (0..runs[0].len())
            .map(|k| {
                let xs: Vec<f64> = runs.iter().map(|r| r[k]).collect();
                let mean = xs.iter().sum::<f64>() / xs.len() as f64;
                xs.iter().map(|x| (x - mean).powi(2)).sum::<f64>() / (xs.len() - 1) as f64
            })
            .collect::<Vec<f64>>()
    };
    let (plain, paired) = (spread(Sampler::MonteCarlo), spread(Sampler::Antithetic));
    let ratio: Vec<f64> = plain.iter().zip(&paired).map(|(a, b)| a / b).collect();
    // A variance estimated from 200 runs is within about ±20 % (1 sd).
    assert!(ratio.iter().all(|&r| r > 0.7), "{ratio:?}");
    assert!(ratio[1] > 3.0 && ratio[3] > 3.0, "{ratio:?}");
}

#[test]
fn pairs_are_the_same_for_any_thread_count_and_a_lone_last_path_is_counted() {
    use dabiao::simulate::{simulate, RunConfig};
    // 2 049 draws: the last chunk ends on the first path of a pair.
    let m = model(Sampler::Antithetic);
    let tally = |threads| {
        let cfg = RunConfig {
            draws: 2049,
            seed: 9,
            threads,
        };
        simulate(&m, &cfg, &|_| {}).unwrap()
    };
    let one = tally(1);
    assert_eq!(one, tally(3));
    assert_eq!(one.draws, 2049);
    assert!(one.pairs.iter().all(|p| p.pairs == 1024));
    // Every pair's hits are among the target's hits; the lone path adds one or none.
    for (k, p) in one.pairs.iter().enumerate() {
        let in_pairs = p.one + 2 * p.both;
        assert!(one.hits[k] == in_pairs || one.hits[k] == in_pairs + 1);
    }
}

/// One year of a share near its ceiling and floor, a simple level that can
/// stop at zero and a log level, with targets on every side of what each
/// can reach: quasi-Monte Carlo estimates them by conditioning on the year.
const EDGES: &str = "[scenario]\nname = \"t\"\nbase_year = 2020\nhorizon = 2021
[indicators.high_share]
kind = \"share\"
base = 0.8
change = { mean = 0.0, sd = 0.2 }
[indicators.low_share]
kind = \"share\"
base = 0.1
change = { mean = 0.0, sd = 0.2 }
[indicators.simple]
kind = \"level\"
base = 100
growth = { mean = -0.5, sd = 0.5 }
[indicators.log]
kind = \"level\"
base = 100
growth = { mean = 0.05, sd = 0.1 }
compounding = \"log\"
[targets.share_reaches_one]
indicator = \"high_share\"
at_least = 1.0
[targets.share_above_one]
indicator = \"high_share\"
above = 1.0
[targets.share_below_one]
indicator = \"high_share\"
below = 1.0
[targets.share_at_zero]
indicator = \"low_share\"
at_most = 0.0
[targets.share_at_least_zero]
indicator = \"low_share\"
at_least = 0.0
[targets.level_stops]
indicator = \"simple\"
at_most = 0
[targets.level_goes_on]
indicator = \"simple\"
above = 0
[targets.level_at_least_zero]
indicator = \"simple\"
at_least = 0
[targets.level_holds]
indicator = \"simple\"
at_least = 100
[targets.log_below]
indicator = \"log\"
below = 110
[targets.level_holds_unconditioned]
any = [\"level_holds\"]
";

#[test]
fn conditioning_on_the_target_year_meets_the_closed_forms_at_every_edge() {
    let phi = norm_cdf;
    let exact = [
        ("share_reaches_one", phi(-1.0)),
        ("share_above_one", 0.0),
        ("share_below_one", phi(1.0)),
        ("share_at_zero", phi(-0.5)),
        ("share_at_least_zero", 1.0),
        ("level_stops", phi(-1.0)),
        ("level_goes_on", phi(1.0)),
        ("level_at_least_zero", 1.0),
        ("level_holds", phi(-1.0)),
        ("log_below", phi((1.1f64.ln() - 0.05) / 0.1)),
    ];
    let mut m = dabiao::scenario::load("t.toml", EDGES, &[]).unwrap();
    m.sampler = Sampler::Sobol;
    let r = results(&m, 16_384, 4);
    let get = |id: &str| r.targets.iter().find(|t| t.id == id).unwrap();
    for (id, p) in exact {
        let e = get(id).estimate;
        if p == 0.0 || p == 1.0 {
            assert_eq!(e.probability, p, "{id}");
        } else {
            // Nothing is drawn before the year: every path's probability is
            // the exact answer, and so is their mean (to the sums' 2⁻³²).
            assert!((e.probability - p).abs() < 1e-9, "{id}: {e:?} vs {p}");
        }
    }
    // The same event through a composite counts hits: the data's share,
    // off the exact answer by sampling error.
    let (plain, smooth) = (
        get("level_holds_unconditioned").estimate,
        get("level_holds").estimate,
    );
    assert_eq!(plain.hits, smooth.hits);
    assert_eq!(plain.probability, plain.hits as f64 / plain.draws as f64);
    assert!((plain.probability - phi(-1.0)).abs() > 1e-6, "{plain:?}");
}
