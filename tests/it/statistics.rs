//! The engine against closed-form answers. Each test states its model, the
//! exact probability, and a tolerance of a few standard errors, with a fixed
//! seed and 200 000 draws (standard error ≤ 0.0011).

use statrs::distribution::{
    Beta, Binomial, ContinuousCDF, Discrete, NegativeBinomial, Poisson, StudentsT,
};

use crate::closed_form::{assert_probability, bivariate_upper, norm_sf, run};
use dabiao::model::dist::{norm_cdf, norm_quantile};
use dabiao::simulate::{simulate, RunConfig};

const N: u64 = 200_000;
/// Standard errors allowed: a fixed seed makes each test deterministic; four
/// standard errors keeps a correct engine from failing by chance (p ≈ 6e-5).
const K: f64 = 4.0;

/// Base 2020, five simulated years.
fn head() -> String {
    "[scenario]\nname = \"t\"\nbase_year = 2020\nhorizon = 2025\n".to_string()
}

#[test]
fn log_compounding_level_is_lognormal() {
    let r = run(
        &format!(
            "{}
[indicators.x]
kind = \"level\"
base = 100
growth = {{ mean = 0.05, sd = 0.1 }}
compounding = \"log\"
[targets.a]
indicator = \"x\"
at_least = 130
[targets.b]
indicator = \"x\"
year = 2023
at_most = 110
",
            head()
        ),
        N,
        11,
    );
    // ln X_t = ln 100 + N(t·0.05, t·0.01)
    assert_probability(
        &r,
        "a",
        norm_sf((1.3f64.ln() - 0.25) / (0.1 * 5f64.sqrt())),
        K,
    );
    assert_probability(
        &r,
        "b",
        norm_cdf((1.1f64.ln() - 0.15) / (0.1 * 3f64.sqrt())),
        K,
    );
}

#[test]
fn persistence_gives_the_ar1_variance_of_a_sum() {
    let (phi, sd, mu): (f64, f64, f64) = (0.6, 0.05, 0.03);
    let threshold = 100.0 * (5.0 * mu + 0.05).exp();
    let r = run(
        &format!(
            "{}
[indicators.x]
kind = \"level\"
base = 100
growth = {{ mean = {mu}, sd = {sd} }}
persistence = {phi}
compounding = \"log\"
[targets.a]
indicator = \"x\"
at_least = {threshold}
",
            head()
        ),
        N,
        12,
    );
    // Σ_t u_t = Σ_s e_s·(1 − φ^(T−s+1))/(1 − φ)
    let var: f64 = (1..=5)
        .map(|k| ((1.0 - phi.powi(k)) / (1.0 - phi)).powi(2))
        .sum::<f64>()
        * sd
        * sd;
    assert_probability(&r, "a", norm_sf(0.05 / var.sqrt()), K);
}

#[test]
fn correlated_pair_and_composites_follow_the_bivariate_normal() {
    let rho = 0.6;
    let r = run(
        &format!(
            "{}
[indicators.x]
kind = \"level\"
base = 100
growth = {{ mean = 0.0, sd = 0.1 }}
compounding = \"log\"
[indicators.y]
kind = \"level\"
base = 100
growth = {{ mean = 0.0, sd = 0.1 }}
compounding = \"log\"
[correlation]
pairs = [[\"x\", \"y\", {rho}]]
[targets.a]
indicator = \"x\"
year = 2024
at_least = {}
[targets.b]
indicator = \"y\"
year = 2024
at_least = {}
[targets.both]
all = [\"a\", \"b\"]
[targets.either]
any = [\"a\", \"b\"]
",
            head(),
            100.0 * 0.1f64.exp(),
            100.0 * (-0.05f64).exp()
        ),
        N,
        13,
    );
    // Four years: sums have sd 0.2 and correlation ρ.
    let (za, zb) = (0.5, -0.25);
    let both = bivariate_upper(za, zb, rho);
    assert_probability(&r, "a", norm_sf(za), K);
    assert_probability(&r, "b", norm_sf(zb), K);
    assert_probability(&r, "both", both, K);
    assert_probability(&r, "either", norm_sf(za) + norm_sf(zb) - both, K);
}

#[test]
fn gaussian_copula_carries_rank_correlation_to_other_marginals() {
    // Uniform growth, one year: P(both above their medians) = 1/4 + asin(ρ)/(2π).
    let r = run(
        "[scenario]\nname = \"t\"\nbase_year = 2020\nhorizon = 2021
[indicators.x]
kind = \"level\"
base = 100
growth = { dist = \"uniform\", low = 0.0, high = 0.1 }
[indicators.y]
kind = \"level\"
base = 100
growth = { dist = \"triangular\", low = 0.0, mode = 0.05, high = 0.1 }
[correlation]
pairs = [[\"x\", \"y\", 0.5]]
[targets.a]
indicator = \"x\"
metric = \"min_growth\"
at_least = 0.05
[targets.b]
indicator = \"y\"
metric = \"min_growth\"
at_least = 0.05
[targets.both]
all = [\"a\", \"b\"]
",
        N,
        14,
    );
    assert_probability(&r, "a", 0.5, K);
    assert_probability(
        &r,
        "both",
        0.25 + 0.5f64.asin() / (2.0 * std::f64::consts::PI),
        K,
    );
}

#[test]
fn poisson_entries_with_exits_are_thinned_binomially() {
    let r = run(
        &format!(
            "{}
[indicators.n]
kind = \"count\"
base = 50
entries = {{ dist = \"poisson\", mean = 8 }}
exit_rate = 0.1
[targets.many]
indicator = \"n\"
at_least = 62
[targets.few]
indicator = \"n\"
year = 2023
at_most = 45
",
            head()
        ),
        N,
        15,
    );
    // N_T = Binomial(50, 0.9^T) survivors + Poisson(8·Σ_k 0.9^k) surviving entrants.
    let tail = |years: i32, k: u64, upper: bool| -> f64 {
        let survivors = Binomial::new(0.9f64.powi(years), 50).unwrap();
        let lambda = 8.0 * (0..years).map(|k| 0.9f64.powi(k)).sum::<f64>();
        let entrants = Poisson::new(lambda).unwrap();
        let mut p = 0.0;
        for a in 0..=50u64 {
            for b in 0..400u64 {
                let hit = if upper { a + b >= k } else { a + b <= k };
                if hit {
                    p += survivors.pmf(a) * entrants.pmf(b);
                }
            }
        }
        p
    };
    assert_probability(&r, "many", tail(5, 62, true), K);
    assert_probability(&r, "few", tail(3, 45, false), K);
}

#[test]
fn negative_binomial_entries_add_up_to_a_negative_binomial() {
    let r = run(
        "[scenario]\nname = \"t\"\nbase_year = 2020\nhorizon = 2023
[indicators.n]
kind = \"count\"
base = 0
entries = { dist = \"negative_binomial\", mean = 10, dispersion = 2 }
[targets.a]
indicator = \"n\"
at_least = 35
",
        N,
        16,
    );
    // Three independent NB(r = 2, mean 10) years sum to NB(r = 6, p = 2/12).
    let nb = NegativeBinomial::new(6.0, 2.0 / 12.0).unwrap();
    let below: f64 = (0..35).map(|k| nb.pmf(k)).sum();
    assert_probability(&r, "a", 1.0 - below, K);
}

#[test]
fn uncertain_mean_and_base_add_their_variances() {
    let r = run(
        &format!(
            "{}
[indicators.x]
kind = \"level\"
base = {{ dist = \"lognormal\", mu = {}, sigma = 0.1 }}
growth = {{ mean = {{ mean = 0.04, sd = 0.02 }}, sd = 0.05 }}
compounding = \"log\"
[targets.a]
indicator = \"x\"
at_least = 130
",
            head(),
            100f64.ln()
        ),
        N,
        17,
    );
    // ln X_T ~ N(ln 100 + 5·0.04, 0.1² + 5²·0.02² + 5·0.05²): the mean is held for the whole path.
    let var: f64 = 0.01 + 25.0 * 0.0004 + 5.0 * 0.0025;
    assert_probability(&r, "a", norm_sf((1.3f64.ln() - 0.2) / var.sqrt()), K);
}

#[test]
fn shocks_apply_only_inside_their_window_with_their_loadings() {
    let r = run(
        &format!(
            "{}
[indicators.x]
kind = \"level\"
base = 100
growth = {{ mean = 0.05, sd = 0.04 }}
compounding = \"log\"
[indicators.y]
kind = \"level\"
base = 100
growth = {{ mean = 0.05, sd = 0.04 }}
compounding = \"log\"
[shocks.downturn]
probability = 0.3
effect = {{ mean = -0.1, sd = 0.02 }}
affects = {{ x = 1.0, y = 0.5 }}
years = [2022, 2023]
[targets.x]
indicator = \"x\"
at_least = 115
[targets.y]
indicator = \"y\"
at_least = 122
[targets.x_before]
indicator = \"x\"
year = 2021
at_least = 106
",
            head()
        ),
        N,
        18,
    );
    // K ~ Binomial(2, 0.3) occurrences, each adding loading·N(−0.1, 0.02²).
    let exact = |threshold: f64, loading: f64| -> f64 {
        (0..=2)
            .map(|k| {
                let pk = [0.49, 0.42, 0.09][k];
                let k = k as f64;
                let mean = 0.25 - 0.1 * loading * k;
                let var = 5.0 * 0.0016 + k * (0.02 * loading).powi(2);
                pk * norm_sf(((threshold / 100.0f64).ln() - mean) / var.sqrt())
            })
            .sum()
    };
    assert_probability(&r, "x", exact(115.0, 1.0), K);
    assert_probability(&r, "y", exact(122.0, 0.5), K);
    // 2021 is outside the window: plain growth.
    assert_probability(&r, "x_before", norm_sf((1.06f64.ln() - 0.05) / 0.04), K);
}

#[test]
fn shocks_loading_on_one_indicator_add_up() {
    let r = run(
        &format!(
            "{}
[indicators.x]
kind = \"level\"
base = 100
growth = {{ mean = 0.05, sd = 0.04 }}
compounding = \"log\"
[shocks.demand]
probability = 0.2
effect = {{ mean = -0.1, sd = 0.02 }}
affects = {{ x = 1.0 }}
[shocks.credit]
probability = 0.4
effect = {{ mean = -0.05, sd = 0.03 }}
affects = {{ x = 0.5 }}
[targets.x]
indicator = \"x\"
at_least = 115
",
            head()
        ),
        N,
        19,
    );
    // K₁ ~ Binomial(5, 0.2) demand years, K₂ ~ Binomial(5, 0.4) credit years,
    // independent; each adds its loading times its normal effect.
    let binomial = |k: i32, p: f64| -> f64 {
        let choose = [1.0, 5.0, 10.0, 10.0, 5.0, 1.0][k as usize];
        choose * p.powi(k) * (1.0 - p).powi(5 - k)
    };
    let mut exact = 0.0;
    for k1 in 0..=5 {
        for k2 in 0..=5 {
            let (a, b) = (f64::from(k1), f64::from(k2));
            let mean = 0.25 - 0.1 * a - 0.5 * 0.05 * b;
            let var = 5.0 * 0.0016 + a * 0.02f64.powi(2) + b * (0.5 * 0.03f64).powi(2);
            exact += binomial(k1, 0.2)
                * binomial(k2, 0.4)
                * norm_sf(((115.0f64 / 100.0).ln() - mean) / var.sqrt());
        }
    }
    assert_probability(&r, "x", exact, K);
}

#[test]
fn shares_move_by_their_changes() {
    let r = run(
        &format!(
            "{}
[indicators.s]
kind = \"share\"
base = 0.3
change = {{ mean = 0.01, sd = 0.02 }}
[targets.level]
indicator = \"s\"
at_least = 0.36
[targets.up]
indicator = \"s\"
metric = \"increase\"
from = 2021
to = 2025
at_least = 0.05
[targets.steady]
indicator = \"s\"
metric = \"min_increase\"
at_least = 0.0
",
            head()
        ),
        N,
        19,
    );
    let sd5 = 0.02 * 5f64.sqrt();
    assert_probability(&r, "level", norm_sf(0.01 / sd5), K);
    // Four yearly changes from 2021 to 2025.
    assert_probability(&r, "up", norm_sf((0.05 - 0.04) / (0.02 * 2.0)), K);
    assert_probability(&r, "steady", norm_cdf(0.5).powi(5), K);
}

#[test]
fn formulas_combine_indicators_year_by_year() {
    let r = run(
        &format!(
            "{}
[indicators.a]
kind = \"level\"
base = 50
growth = {{ mean = 0.05, sd = 0.1 }}
compounding = \"log\"
[indicators.b]
kind = \"level\"
base = 100
growth = {{ mean = 0.02, sd = 0.05 }}
compounding = \"log\"
[indicators.ratio]
kind = \"formula\"
formula = \"a / b\"
[indicators.pct]
kind = \"formula\"
formula = \"100 * ratio\"
[targets.r]
indicator = \"ratio\"
at_least = 0.55
[targets.p]
indicator = \"pct\"
year = 2022
at_most = 50
",
            head()
        ),
        N,
        20,
    );
    // ln(a/b) ~ N(ln 0.5 + t·0.03, t·(0.01 + 0.0025))
    assert_probability(
        &r,
        "r",
        norm_sf((1.1f64.ln() - 0.15) / (5.0 * 0.0125f64).sqrt()),
        K,
    );
    assert_probability(
        &r,
        "p",
        norm_cdf((0.0 - 0.06) / (2.0 * 0.0125f64).sqrt()),
        K,
    );
}

#[test]
fn min_growth_is_every_year_at_least() {
    let r = run(
        &format!(
            "{}
[indicators.x]
kind = \"level\"
base = 100
growth = {{ mean = 0.08, sd = 0.05 }}
[targets.all_years]
indicator = \"x\"
metric = \"min_growth\"
at_least = 0.03
[targets.late_years]
indicator = \"x\"
metric = \"min_growth\"
from = 2022
at_least = 0.03
[targets.adds]
indicator = \"x\"
metric = \"min_increase\"
from = 2020
to = 2021
at_least = 3
",
            head()
        ),
        N,
        21,
    );
    let p1 = norm_sf(-1.0);
    assert_probability(&r, "all_years", p1.powi(5), K);
    assert_probability(&r, "late_years", p1.powi(3), K);
    // One year from 100: an increase of 3 is growth of 3 %.
    assert_probability(&r, "adds", p1, K);
}

#[test]
fn cagr_targets_reach_back_into_history() {
    let r = run(
        "[scenario]\nname = \"t\"\nbase_year = 2020\nhorizon = 2023
[indicators.x]
kind = \"level\"
history = { 2018 = 80, 2019 = 90, 2020 = 100 }
growth = { mean = 0.03, sd = 0.05 }
compounding = \"log\"
[targets.plan]
indicator = \"x\"
metric = \"cagr\"
from = 2018
to = 2023
at_least = 0.06
[targets.past_value]
indicator = \"x\"
year = 2019
at_least = 85
[targets.past_growth]
indicator = \"x\"
metric = \"cagr\"
from = 2018
to = 2020
at_least = 0.2
",
        N,
        22,
    );
    // X_2023 ≥ 80·1.06^5 with ln X_2023 ~ N(ln 100 + 0.09, 3·0.0025).
    let need = (80.0 * 1.06f64.powi(5) / 100.0).ln();
    assert_probability(
        &r,
        "plan",
        norm_sf((need - 0.09) / (3.0 * 0.0025f64).sqrt()),
        K,
    );
    // Observed: certain either way.
    assert_eq!(crate::closed_form::probability(&r, "past_value"), 1.0);
    assert_eq!(crate::closed_form::probability(&r, "past_growth"), 0.0);
}

#[test]
fn every_distribution_draws_from_its_cdf() {
    // One simulated year from 100 with simple compounding: the growth statistic is the draw.
    let (lp5, lp95): (f64, f64) = (0.02f64.ln(), 0.08f64.ln());
    let lsigma = (lp95 - lp5) / (2.0 * norm_quantile(0.95));
    let lmu = 0.5 * (lp5 + lp95);
    let cases: [(&str, &str, f64, f64); 9] = [
        (
            "t",
            "{ dist = \"student_t\", mean = 0.05, scale = 0.02, df = 4 }",
            0.08,
            1.0 - StudentsT::new(0.0, 1.0, 4.0).unwrap().cdf(1.5),
        ),
        (
            "u",
            "{ dist = \"uniform\", low = 0.0, high = 0.1 }",
            0.07,
            0.3,
        ),
        (
            "tri",
            "{ dist = \"triangular\", low = 0.0, mode = 0.02, high = 0.1 }",
            0.05,
            0.0025 / 0.008,
        ),
        (
            "pert",
            "{ dist = \"pert\", low = 0.0, mode = 0.03, high = 0.1 }",
            0.05,
            1.0 - Beta::new(2.2, 3.8).unwrap().cdf(0.5),
        ),
        (
            "logn",
            "{ dist = \"lognormal\", p5 = 0.02, p95 = 0.08 }",
            0.05,
            norm_sf((0.05f64.ln() - lmu) / lsigma),
        ),
        (
            "pct",
            "{ p10 = 0.0, p90 = 0.1 }",
            0.08,
            norm_sf(0.03 / (0.05 / norm_quantile(0.9))),
        ),
        (
            "tmin",
            "{ mean = 0.05, sd = 0.05, min = 0.0 }",
            0.08,
            norm_sf(0.6) / norm_sf(-1.0),
        ),
        (
            "tmax",
            "{ mean = 0.05, sd = 0.05, max = 0.06 }",
            0.04,
            1.0 - norm_cdf(-0.2) / norm_cdf(0.2),
        ),
        (
            "ttail",
            "{ mean = 0.0, sd = 0.05, min = 0.1 }",
            0.11,
            norm_sf(2.2) / norm_sf(2.0),
        ),
    ];
    let mut text = "[scenario]\nname = \"t\"\nbase_year = 2020\nhorizon = 2021\n".to_string();
    for (id, dist, c, _) in &cases {
        text.push_str(&format!(
            "[indicators.{id}]\nkind = \"level\"\nbase = 100\ngrowth = {dist}\n\
             [targets.{id}]\nindicator = \"{id}\"\nmetric = \"min_growth\"\nat_least = {c}\n"
        ));
    }
    let r = run(&text, N, 23);
    for (id, _, _, exact) in &cases {
        assert_probability(&r, id, *exact, K);
    }
}

#[test]
fn indicator_quantiles_and_means_match_the_lognormal() {
    let r = run(
        &format!(
            "{}
[indicators.x]
kind = \"level\"
base = 100
growth = {{ mean = 0.05, sd = 0.1 }}
compounding = \"log\"
",
            head()
        ),
        N,
        24,
    );
    let x = &r.indicators[0];
    let last = x.years.len() - 1;
    let s = 0.1 * 5f64.sqrt();
    for (k, q) in [0.05, 0.25, 0.5, 0.75, 0.95].into_iter().enumerate() {
        let z = norm_quantile(q);
        let exact = 100.0 * (0.25 + s * z).exp();
        // Sample quantile: rank error √(q(1−q)/n) becomes a value error via the density.
        let density = (-0.5 * z * z).exp() / (2.0 * std::f64::consts::PI).sqrt() / (s * exact);
        let tol = 4.0 * (q * (1.0 - q) / N as f64).sqrt() / density + 0.0005 * exact;
        let got = x.quantiles[k][last].unwrap();
        assert!(
            (got - exact).abs() < tol,
            "p{}: {got} vs {exact} (tolerance {tol})",
            q * 100.0
        );
    }
    let mean = x.mean[last].unwrap();
    let exact_mean = 100.0 * (0.25 + 0.5 * s * s).exp();
    let sd = exact_mean * ((s * s).exp() - 1.0).sqrt();
    assert!(
        (mean - exact_mean).abs() < 4.0 * sd / (N as f64).sqrt(),
        "{mean} vs {exact_mean}"
    );
    // Observed years are reported as observed.
    assert_eq!(x.quantiles[2][0], Some(100.0));
}

#[test]
fn thread_count_never_changes_a_number() {
    let text = std::fs::read_to_string(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/scenarios/example.toml"
    ))
    .unwrap();
    let model = dabiao::scenario::load("example.toml", &text, &[]).unwrap();
    let tally = |threads| {
        simulate(
            &model,
            &RunConfig {
                draws: 50_000,
                seed: 9,
                threads,
            },
            &|_| {},
        )
        .unwrap()
    };
    let one = tally(1);
    assert_eq!(one, tally(3));
    assert_eq!(one, tally(8));
    assert_eq!(one.draws, 50_000);
}

#[test]
fn fan_chart_quantiles_match_a_full_sort_of_the_same_draws() {
    // The reference workload, 1 000 000 draws: every reported quantile must be
    // within 0.1 % (relative) or 0.1 percentile rank of the exact quantile.
    let text = std::fs::read_to_string(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/benches/reference.toml"
    ))
    .unwrap();
    let model = dabiao::scenario::load("reference.toml", &text, &[]).unwrap();
    let draws = 1_000_000;
    let results = crate::closed_form::results(&model, draws, model.seed);
    let n = model.indicators.len();
    let cells = [(0, 2023), (7, 2027), (3, 2025)];
    // One replay of the draws collects every cell's values.
    let mut columns: Vec<Vec<f64>> = vec![Vec::with_capacity(draws as usize); cells.len()];
    dabiao::simulate::for_each_path(&model, model.seed, draws, |_, v| {
        for (column, &(i, year)) in columns.iter_mut().zip(&cells) {
            column.push(v[model.year_index(year) * n + i]);
        }
    });
    for (mut exact, (i, year)) in columns.into_iter().zip(cells) {
        let t = model.year_index(year);
        exact.sort_by(f64::total_cmp);
        for (k, q) in dabiao::stats::results::LEVELS.into_iter().enumerate() {
            let reported = results.indicators[i].quantiles[k][t].unwrap();
            let truth = exact[(q * (draws - 1) as f64).floor() as usize];
            let rank = exact.partition_point(|&x| x <= reported) as f64 / draws as f64;
            assert!(
                (reported - truth).abs() <= 0.001 * truth.abs() || (rank - q).abs() <= 0.001,
                "x{} {year} p{}: reported {reported}, exact {truth}, rank {rank}",
                i + 1,
                q * 100.0
            );
        }
    }
}

#[test]
fn negative_binomial_entries_with_exits_are_thinned_too() {
    let r = run(
        "[scenario]\nname = \"t\"\nbase_year = 2020\nhorizon = 2023
[indicators.n]
kind = \"count\"
base = 40
entries = { dist = \"negative_binomial\", mean = 10, dispersion = 2 }
exit_rate = 0.2
[targets.a]
indicator = \"n\"
at_least = 45
",
        N,
        25,
    );
    // Thinning NB(r, m) by survival s gives NB(r, m·s): entrants of year t
    // survive the 3 − t later years. Survivors of the base are Binomial(40, 0.8³).
    // The total is the convolution of these four independent counts.
    let pmf_of = |f: &dyn Fn(u64) -> f64| (0..400).map(f).collect::<Vec<f64>>();
    let mut total = pmf_of(&|k| Binomial::new(0.8f64.powi(3), 40).unwrap().pmf(k));
    for later_years in 0..3 {
        let mean = 10.0 * 0.8f64.powi(later_years);
        let nb = NegativeBinomial::new(2.0, 2.0 / (2.0 + mean)).unwrap();
        let year = pmf_of(&|k| nb.pmf(k));
        let mut next = vec![0.0; 400];
        for (a, pa) in total.iter().enumerate() {
            for (b, pb) in year.iter().enumerate().take(400 - a) {
                next[a + b] += pa * pb;
            }
        }
        total = next;
    }
    let exact: f64 = total[45..].iter().sum();
    assert_probability(&r, "a", exact, K);
}

#[test]
fn stops_at_zero_and_clamps_count_paths_not_years() {
    use dabiao::stats::results::{Results, Warning};
    let share_of = |r: &Results, stopped: bool| {
        r.warnings
            .iter()
            .find_map(|w| match (w, stopped) {
                (Warning::StoppedAtZero { share, .. }, true) => Some(*share),
                (Warning::Clamped { share, .. }, false) => Some(*share),
                _ => None,
            })
            .expect("a warning")
    };
    let check = |got: f64, p: f64| {
        let se = (p * (1.0 - p) / N as f64).sqrt();
        assert!((got - p).abs() < K * se, "{got} vs {p}");
    };
    // g ~ N(−0.9, 0.5) independently each year stops the level with
    // probability Φ(−0.2) a year; a path stops at least once in five years
    // with probability 1 − (1 − Φ(−0.2))^5 (counting years would exceed 1).
    let level = run(
        &format!(
            "{}
[indicators.x]
kind = \"level\"
base = 100
growth = {{ mean = -0.9, sd = 0.5 }}
[targets.a]
indicator = \"x\"
at_least = 1
",
            head()
        ),
        N,
        29,
    );
    check(share_of(&level, true), 1.0 - (1.0 - norm_cdf(-0.2)).powi(5));
    // A share 0.5 changed by N(0, 0.3) in its one year leaves [0, 1] with
    // probability 2Φ(−0.5/0.3).
    let share = run(
        "[scenario]\nname = \"t\"\nbase_year = 2020\nhorizon = 2021
[indicators.s]
kind = \"share\"
base = 0.5
change = { mean = 0.0, sd = 0.3, unchecked = true }  # 30 points a year, on purpose
[targets.b]
indicator = \"s\"
at_least = 0.6
",
        N,
        31,
    );
    check(share_of(&share, false), 2.0 * norm_cdf(-0.5 / 0.3));
}

#[test]
fn a_shocks_uncertain_mean_effect_is_drawn_per_path() {
    // One year; growth fixed at 5 %; the shock strikes every year with an
    // effect of exactly its mean, uniform on [−20 %, 0] per path. So
    // X = 100·(1.05 + e), e ~ U(−0.2, 0): P(X ≥ 100) = P(e ≥ −0.05) = 1/4,
    // P(X ≤ 90) = P(e ≤ −0.15) = 1/4. (Once the drawn mean was left at 0.)
    let r = run(
        "[scenario]\nname = \"t\"\nbase_year = 2020\nhorizon = 2021
[indicators.x]
kind = \"level\"
base = 100
growth = { mean = 0.05, sd = 0 }
[shocks.s]
probability = 1
effect = { mean = { dist = \"uniform\", low = -0.2, high = 0.0 }, sd = 0 }
affects = { x = 1 }
[targets.up]
indicator = \"x\"
at_least = 100
[targets.down]
indicator = \"x\"
at_most = 90
",
        20_000,
        5,
    );
    assert_probability(&r, "up", 0.25, K);
    assert_probability(&r, "down", 0.25, K);
}
