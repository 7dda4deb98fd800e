//! The format 1.1 additions against closed forms, as `statistics` does for
//! version 1: strict thresholds, parameter correlations, gross entries,
//! shocks on counts, when a value target is reached, variants.

use statrs::distribution::{Discrete, Poisson};

use crate::closed_form::{assert_probability, bivariate_upper, norm_sf, run};
use dabiao::model::dist::norm_quantile;

const N: u64 = 100_000;
const K: f64 = 4.0;

#[test]
fn above_and_below_are_strict_on_a_poisson_count() {
    // Three years of Poisson(10) entries from 0: N ~ Poisson(30), and
    // P(N = 30) ≈ 0.073, so strict and non-strict differ by 30 standard errors.
    let r = run(
        "[scenario]\nname = \"t\"\nbase_year = 2020\nhorizon = 2023
[indicators.n]
kind = \"count\"
base = 0
entries = { dist = \"poisson\", mean = 10 }
[targets.at_least]
indicator = \"n\"
at_least = 30
[targets.above]
indicator = \"n\"
above = 30
[targets.at_most]
indicator = \"n\"
at_most = 30
[targets.below]
indicator = \"n\"
below = 30
",
        N,
        31,
    );
    let n = Poisson::new(30.0).unwrap();
    let up_to = |k: u64| (0..=k).map(|j| n.pmf(j)).sum::<f64>();
    assert_probability(&r, "at_least", 1.0 - up_to(29), K);
    assert_probability(&r, "above", 1.0 - up_to(30), K);
    assert_probability(&r, "at_most", up_to(30), K);
    assert_probability(&r, "below", up_to(29), K);
}

#[test]
fn unmodelled_targets_are_listed_by_check_reports_and_json() {
    let text = crate::cli::VALID.to_string()
        + "\n[unmodelled.design_centres]\nlabel = \"省级以上工业设计中心2个以上\"\n\
           why = \"no count of design centres for the base year\"\n";
    let path = crate::cli::scenario("unmodelled", &text);
    let out = crate::cli::dabiao(&["check", &path]);
    assert_eq!(out.code, 0, "{}", out.stderr);
    assert!(out.stdout.contains("Not simulated (1)"), "{}", out.stdout);
    assert!(out.stdout.contains("省级以上工业设计中心2个以上: no count"));
    let table = crate::cli::dabiao(&["run", &path, "--draws", "2000", "-q"]);
    assert!(table.stdout.contains("省级以上工业设计中心2个以上"));
    let v = crate::cli::json(&["run", &path, "--draws", "2000", "--format", "json"]);
    assert_eq!(
        v["unmodelled"],
        serde_json::json!([{
            "id": "design_centres",
            "label": "省级以上工业设计中心2个以上",
            "why": "no count of design centres for the base year"
        }])
    );
    // An id is a simulated target or an unmodelled one, not both; `why` is required.
    let both = crate::cli::VALID.to_string()
        + "\n[unmodelled.output_130]\nlabel = \"x\"\nwhy = \"y\"\n[unmodelled.bare]\nlabel = \"z\"\n";
    crate::cli::rejects(
        "unmodelled_bad",
        &both,
        &[],
        &[
            "unmodelled.output_130",
            "a simulated target too",
            "unmodelled.bare",
            "`why`",
        ],
    );
}

#[test]
fn correlated_uncertain_trends_follow_the_bivariate_normal() {
    // ln X_5 = ln 100 + 5μ + √5·σ·z with μ ~ N(0.05, 0.03) drawn per path
    // and σ = 0.05: variance 25·0.03² + 5·0.05² = 0.035. The trends of x
    // and y have correlation 0.7, so ln X_5 and ln Y_5 have correlation
    // 25·0.7·0.03²/0.035 = 0.45.
    let text = "[scenario]\nname = \"t\"\nbase_year = 2020\nhorizon = 2025
[indicators.x]
kind = \"level\"
base = 100
growth = { mean = { dist = \"normal\", mean = 0.05, sd = 0.03 }, sd = 0.05 }
compounding = \"log\"
[indicators.y]
kind = \"level\"
base = 100
growth = { mean = { dist = \"normal\", mean = 0.05, sd = 0.03 }, sd = 0.05 }
compounding = \"log\"
[correlation]
parameters = [[\"indicators.x.growth.mean\", \"indicators.y.growth.mean\", 0.7]]
[targets.a]
indicator = \"x\"
at_least = 135
[targets.b]
indicator = \"y\"
at_least = 125
[targets.both]
all = [\"a\", \"b\"]
";
    let sd = 0.035f64.sqrt();
    let z = |threshold: f64| ((threshold / 100.0f64).ln() - 0.25) / sd;
    let rho = 25.0 * 0.7 * 0.03 * 0.03 / 0.035;
    let r = run(text, N, 41);
    assert_probability(&r, "a", norm_sf(z(135.0)), K);
    assert_probability(&r, "b", norm_sf(z(125.0)), K);
    assert_probability(&r, "both", bivariate_upper(z(135.0), z(125.0), rho), K);
    // Without `parameters` the trends are independent: the joint odds are
    // the product, which the correlated run is well above.
    let alone = run(&text.replace("parameters = [[", "# [["), N, 41);
    assert_probability(&alone, "both", norm_sf(z(135.0)) * norm_sf(z(125.0)), K);
}

#[test]
fn correlated_uniform_bases_keep_their_marginals_under_the_copula() {
    // Bases U(90, 110) coupled with normal-score correlation −0.5 (and a
    // third, fixed indicator that the copula leaves alone). No growth: the
    // 2021 values are the bases, P(x ≥ 105) = 1/4, and both at once is the
    // bivariate normal orthant at Φ⁻¹(3/4).
    let text = "[scenario]\nname = \"t\"\nbase_year = 2020\nhorizon = 2021
[indicators.x]
kind = \"level\"
base = { dist = \"uniform\", low = 90, high = 110 }
growth = { mean = 0.0, sd = 0.0 }
[indicators.y]
kind = \"level\"
base = { dist = \"uniform\", low = 90, high = 110 }
growth = { mean = 0.0, sd = 0.0 }
[indicators.w]
kind = \"level\"
base = { dist = \"uniform\", low = 0, high = 1 }
growth = { mean = 0.0, sd = 0.0 }
[correlation]
parameters = [[\"indicators.y.base\", \"indicators.x.base\", -0.5]]
[targets.x]
indicator = \"x\"
at_least = 105
[targets.y]
indicator = \"y\"
at_least = 105
[targets.w]
indicator = \"w\"
at_least = 0.25
[targets.both]
all = [\"x\", \"y\"]
[targets.xw]
all = [\"x\", \"w\"]
";
    let r = run(text, N, 43);
    let q = norm_quantile(0.75);
    assert_probability(&r, "x", 0.25, K);
    assert_probability(&r, "y", 0.25, K);
    assert_probability(&r, "w", 0.75, K);
    assert_probability(&r, "both", bivariate_upper(q, q, -0.5), K);
    assert_probability(&r, "xw", 0.25 * 0.75, K);
}

#[test]
fn parameter_correlations_name_what_is_wrong() {
    let base = crate::cli::VALID.replace(
        "base = 100\n",
        "base = { dist = \"uniform\", low = 90, high = 110 }\n",
    );
    let with = |pairs: &str| format!("{base}\n[correlation]\nparameters = [{pairs}]\n");
    crate::cli::rejects(
        "param_fixed",
        &with("[\"indicators.output.base\", \"indicators.rd.base\", 0.5]"),
        &[],
        &[
            "indicators.rd.base` is a fixed number",
            "give it as a distribution",
        ],
    );
    crate::cli::rejects(
        "param_misspelt",
        &with("[\"indicators.output.bse\", \"indicators.rd.base\", 0.5]"),
        &[],
        &[
            "not a parameter drawn per path",
            "did you mean `indicators.output.base`?",
        ],
    );
    // Correlations that cannot hold together: refused, or repaired on request.
    let three = base.replace(
        "change = { mean = 0.001, sd = 0.001 }",
        "change = { mean = { dist = \"uniform\", low = 0, high = 0.002 }, sd = 0.001 }",
    ) + "\n[correlation]\nparameters = [\
         [\"indicators.output.base\", \"indicators.output.growth.mean\", 0.9],\
         [\"indicators.output.growth.mean\", \"indicators.rd.change.mean\", 0.9],\
         [\"indicators.output.base\", \"indicators.rd.change.mean\", -0.9]]\n";
    let three = three.replace(
        "growth = { mean = 0.05, sd = 0.1 }",
        "growth = { mean = { dist = \"normal\", mean = 0.05, sd = 0.01 }, sd = 0.1 }",
    );
    crate::cli::rejects(
        "param_not_psd",
        &three,
        &[],
        &[
            "correlation.parameters",
            "cannot hold together",
            "repair = true",
        ],
    );
    let repaired = three.replace("[correlation]\n", "[correlation]\nrepair = true\n");
    let path = crate::cli::scenario("param_repaired", &repaired);
    let v = crate::cli::json(&["run", &path, "--draws", "2000", "--format", "json"]);
    let warning = &v["warnings"][0];
    assert_eq!(warning["kind"], "repaired_correlation");
    assert_eq!(warning["of"], "parameters");
    assert_eq!(warning["changes"][0]["a"], "indicators.output.base");
}

#[test]
fn gross_entries_count_before_exits() {
    // Base 50, Poisson(8) entries, 10 % exits a year, three years: gross
    // entries sum to Poisson(24) whatever the exits, and the smallest year
    // is at least 6 with probability P(Poisson(8) ≥ 6)³.
    let r = run(
        "[scenario]\nname = \"t\"\nbase_year = 2020\nhorizon = 2023
[indicators.n]
kind = \"count\"
base = 50
entries = { dist = \"poisson\", mean = 8 }
exit_rate = 0.1
[targets.gross]
indicator = \"n\"
metric = \"entries\"
at_least = 26
[targets.every_year]
indicator = \"n\"
metric = \"min_entries\"
above = 5
[targets.later]
indicator = \"n\"
metric = \"entries\"
from = 2021
at_most = 14
",
        N,
        47,
    );
    let tail = |lambda: f64, k: u64| {
        1.0 - (0..k)
            .map(|j| Poisson::new(lambda).unwrap().pmf(j))
            .sum::<f64>()
    };
    assert_probability(&r, "gross", tail(24.0, 26), K);
    assert_probability(&r, "every_year", tail(8.0, 6).powi(3), K);
    assert_probability(&r, "later", 1.0 - tail(16.0, 15), K);
}

#[test]
fn a_count_draws_its_entries_alike_whatever_its_exit_rate() {
    // Each year reads one word for exits and one for entries, whatever the
    // parameters: with another exit rate the same seed gives every path the
    // same gross entries (so the same hits, to the path), and only the level
    // moves.
    let text = |exit: f64| {
        format!(
            "[scenario]\nname = \"t\"\nbase_year = 2020\nhorizon = 2025
[indicators.n]
kind = \"count\"
base = 400
entries = {{ dist = \"negative_binomial\", mean = {{ dist = \"uniform\", low = 20, high = 60 }}, dispersion = 6 }}
exit_rate = {exit}
[targets.gross]
indicator = \"n\"
metric = \"entries\"
at_least = 200
[targets.yearly]
indicator = \"n\"
metric = \"min_entries\"
at_least = 25
[targets.level]
indicator = \"n\"
at_least = 380
"
        )
    };
    let (a, b) = (run(&text(0.05), 20_000, 5), run(&text(0.15), 20_000, 5));
    let hits = |r: &dabiao::stats::results::Results, id: &str| {
        let t = r.targets.iter().find(|t| t.id == id).unwrap();
        (t.estimate.probability * t.estimate.draws as f64).round() as u64
    };
    for id in ["gross", "yearly"] {
        assert_eq!(hits(&a, id), hits(&b, id), "{id}");
        assert!(
            hits(&a, id) > 1000 && hits(&a, id) < 19_000,
            "{id} is informative"
        );
    }
    assert!(hits(&a, "level") > hits(&b, "level") + 1000);
}

#[test]
fn a_shock_on_a_count_scales_its_mean_entries_in_struck_years() {
    // Poisson(10) entries; a shock striking with probability 0.3 a year,
    // effect −0.2 and loading 2.5, halves that year's mean. Over two
    // years, k ~ Binomial(2, 0.3) strikes make gross entries Poisson(20 − 5k).
    let r = run(
        "[scenario]\nname = \"t\"\nbase_year = 2020\nhorizon = 2022
[indicators.n]
kind = \"count\"
base = 0
entries = { dist = \"poisson\", mean = 10 }
[shocks.slump]
probability = 0.3
effect = -0.2
affects = { n = 2.5 }
[targets.gross]
indicator = \"n\"
metric = \"entries\"
at_least = 18
",
        N,
        53,
    );
    let strikes = [0.49, 0.42, 0.09];
    let exact: f64 = strikes
        .iter()
        .enumerate()
        .map(|(k, w)| {
            let n = Poisson::new(20.0 - 5.0 * k as f64).unwrap();
            w * (1.0 - (0..18).map(|j| n.pmf(j)).sum::<f64>())
        })
        .sum();
    assert_probability(&r, "gross", exact, K);
}

#[test]
fn entries_metrics_belong_to_counts_after_the_base_year() {
    crate::cli::rejects(
        "entries_on_level",
        &crate::cli::VALID.replace("at_least = 130", "metric = \"entries\"\nat_least = 130"),
        &[],
        &[
            "counts a count indicator's gross entries",
            "`output` is a level indicator",
        ],
    );
    let count = "[scenario]\nname = \"t\"\nbase_year = 2020\nhorizon = 2023
[indicators.n]
kind = \"count\"
base = 50
history = { 2019 = 45 }
entries = { mean = 8 }
[targets.gross]
indicator = \"n\"
metric = \"entries\"
from = 2019
at_least = 26
";
    crate::cli::rejects(
        "entries_before_base",
        count,
        &[],
        &[
            "targets.gross.from",
            "simulated from the base year (2020) on",
        ],
    );
}

/// `(by_year, first_reached)` of target `id`.
fn reached(r: &dabiao::stats::results::Results, id: &str) -> dabiao::stats::results::Reached {
    let t = r.targets.iter().find(|t| t.id == id).expect("target");
    match &t.detail {
        dabiao::stats::results::TargetDetail::Stat { reached, .. } => {
            reached.clone().expect("reached")
        }
        _ => panic!("{id} is not a statistic target"),
    }
}

#[test]
fn by_year_follows_the_lognormal_and_first_reached_adds_up() {
    // ln X_t = ln 100 + Σ g, g ~ N(0.05, 0.1): P(X_t ≥ 120) = Φ̄((ln 1.2 − 0.05t)/(0.1√t)).
    let r = run(
        "[scenario]\nname = \"t\"\nbase_year = 2020\nhorizon = 2025
[indicators.x]
kind = \"level\"
base = 100
growth = { mean = 0.05, sd = 0.1 }
compounding = \"log\"
[targets.a]
indicator = \"x\"
year = 2025
at_least = 120
",
        N,
        59,
    );
    let got = reached(&r, "a");
    assert_eq!(got.by_year.len(), 5);
    for (t, &(year, p)) in got.by_year.iter().enumerate() {
        let t = (t + 1) as f64;
        assert_eq!(year, 2020 + t as i32);
        let exact = norm_sf((1.2f64.ln() - 0.05 * t) / (0.1 * t.sqrt()));
        let se = (exact * (1.0 - exact) / N as f64).sqrt();
        assert!((p - exact).abs() < K * se, "{year}: {p} vs {exact}");
    }
    // The last year's share is the target's hits; its probability, estimated
    // by conditioning on that year, agrees with it.
    let e = &r.targets[0].estimate;
    assert_eq!(got.by_year[4].1, e.hits as f64 / e.draws as f64);
    let se = (e.probability * (1.0 - e.probability) / N as f64).sqrt();
    assert!((got.by_year[4].1 - e.probability).abs() < K * se);
    // First passages: the first year's is that year's share; together with
    // `never` they sum to 1; reached by a year is at least held in it.
    let first = &got.first_reached;
    assert_eq!(first.years[0].1, got.by_year[0].1);
    let total: f64 = first.years.iter().map(|(_, p)| p).sum::<f64>() + first.never;
    assert!((total - 1.0).abs() < 1e-12, "{total}");
    for &(year, p) in &got.by_year {
        assert!(first.by(year) >= p, "{year}");
    }
}

#[test]
fn a_count_without_exits_is_reached_exactly_when_it_holds() {
    // A count that only grows stays above a threshold once past it: reached
    // by a year and held in that year are the same paths.
    let r = run(
        "[scenario]\nname = \"t\"\nbase_year = 2020\nhorizon = 2024
[indicators.n]
kind = \"count\"
base = 10
entries = { dist = \"poisson\", mean = 3 }
[targets.n25]
indicator = \"n\"
at_least = 25
",
        N,
        61,
    );
    let got = reached(&r, "n25");
    for &(year, p) in &got.by_year {
        assert!((got.first_reached.by(year) - p).abs() < 1e-12, "{year}");
        // N_t = 10 + Poisson(3t).
        let t = f64::from(year - 2020);
        let exact = 1.0
            - (0..15)
                .map(|j| Poisson::new(3.0 * t).unwrap().pmf(j))
                .sum::<f64>();
        let se = (exact * (1.0 - exact) / N as f64).sqrt().max(1e-6);
        assert!((p - exact).abs() < K * se, "{year}: {p} vs {exact}");
    }
    let v = crate::cli::json(&[
        "run",
        &crate::cli::scenario("reached_json", crate::cli::VALID),
        "--draws",
        "2000",
        "--format",
        "json",
    ]);
    let target = &v["targets"][0];
    assert_eq!(target["by_year"].as_object().unwrap().len(), 5);
    let first = target["first_reached"].as_object().unwrap();
    assert_eq!(first.keys().next_back().unwrap(), "never");
    assert_eq!(first.len(), 6);
}

/// A level with P(X_5 ≥ 130) = Φ̄((ln 1.3 − 5μ)/(0.1√5)), and variants of μ.
const VARIANTS: &str = "[scenario]\nname = \"t\"\nbase_year = 2020\nhorizon = 2025
[run]
draws = 100000
seed = 67
[indicators.x]
kind = \"level\"
base = 100
growth = { mean = 0.05, sd = 0.1 }
compounding = \"log\"
[targets.a]
indicator = \"x\"
at_least = 130
[variants.low]
label = \"悲观\"
set = { \"indicators.x.growth.mean\" = 0.045 }
[variants.high]
label = \"乐观\"
set = { \"indicators.x.growth.mean\" = 0.07 }
";

fn level_exact(mu: f64) -> f64 {
    norm_sf((1.3f64.ln() - 5.0 * mu) / (0.1 * 5f64.sqrt()))
}

#[test]
fn a_variant_is_its_set_applied_and_says_so() {
    let path = crate::cli::scenario("variants_run", VARIANTS);
    let v = crate::cli::json(&["run", &path, "--variant", "high", "--format", "json"]);
    assert_eq!(v["scenario"]["variant"]["id"], "high");
    let t = &v["targets"][0];
    let (p, n) = (t["probability"].as_f64().unwrap(), 100_000.0);
    let exact = level_exact(0.07);
    assert!(
        (p - exact).abs() < K * (exact * (1.0 - exact) / n).sqrt(),
        "{p} vs {exact}"
    );
    // --set applies after the variant.
    let v = crate::cli::json(&[
        "run",
        &path,
        "--variant",
        "high",
        "--set",
        "indicators.x.growth.mean=0.05",
        "--draws",
        "20000",
        "--format",
        "json",
    ]);
    let p = v["targets"][0]["probability"].as_f64().unwrap();
    assert!((p - level_exact(0.05)).abs() < 0.015, "{p}");
    // An unknown variant, and a variant whose set does not fit, are errors
    // that say where they come from.
    crate::cli::rejects(
        "variant_unknown",
        VARIANTS,
        &["--variant", "hihg"],
        &["unknown variant `hihg`", "did you mean `high`?"],
    );
    let broken = VARIANTS.replace(
        "\"indicators.x.growth.mean\" = 0.07",
        "\"indicators.y.growth.mean\" = 0.07",
    );
    let path = crate::cli::scenario("variant_broken", &broken);
    let out = crate::cli::dabiao(&["check", &path]);
    assert_eq!(out.code, 2, "{}", out.stdout);
    assert!(
        out.stderr.contains("unknown indicator `y`") && out.stderr.contains("variant high"),
        "{}",
        out.stderr
    );
}

#[test]
fn compare_pairs_variants_on_the_same_paths() {
    let path = crate::cli::scenario("variants_compare", VARIANTS);
    let v = crate::cli::json(&["compare", &path, "--format", "json", "--quiet"]);
    assert_eq!(v["schema_version"], dabiao::report::json::SCHEMA_VERSION);
    let ids: Vec<&str> = v["arms"]
        .as_array()
        .unwrap()
        .iter()
        .map(|a| a["id"].as_str().unwrap())
        .collect();
    assert_eq!(ids, ["as_written", "low", "high"]);
    let t = &v["targets"][0];
    let n = 100_000.0;
    for (k, mu) in [0.05, 0.045, 0.07].into_iter().enumerate() {
        let p = t["estimates"][k]["probability"].as_f64().unwrap();
        let exact = level_exact(mu);
        assert!(
            (p - exact).abs() < K * (exact * (1.0 - exact) / n).sqrt(),
            "{mu}: {p} vs {exact}"
        );
    }
    // Paired, the interval is far narrower than two independent ones; the
    // smaller the change, the fewer paths it moves across the threshold and
    // the more pairing gains.
    for (k, mu, gain) in [(0, 0.045, 0.35), (1, 0.07, 0.6)] {
        let d = &t["differences"][k];
        let exact = level_exact(mu) - level_exact(0.05);
        let (lo, hi) = (
            d["ci95"][0].as_f64().unwrap(),
            d["ci95"][1].as_f64().unwrap(),
        );
        assert!(
            lo <= exact && exact <= hi,
            "{mu}: {exact} outside [{lo}, {hi}]"
        );
        let p = |m: f64| level_exact(m) * (1.0 - level_exact(m)) / n;
        let unpaired = 2.0 * 1.96 * (p(mu) + p(0.05)).sqrt();
        assert!(
            hi - lo < gain * unpaired,
            "{mu}: width {} vs unpaired {unpaired}",
            hi - lo
        );
    }
    // Two files with the same targets compare the same way; a table and
    // the HTML page (the fans overlaid) come out too.
    let other = crate::cli::scenario(
        "variants_other",
        &VARIANTS.replace("mean = 0.05, sd", "mean = 0.07, sd"),
    );
    let two = crate::cli::json(&["compare", &path, &other, "--format", "json", "-q"]);
    assert_eq!(
        two["targets"][0]["differences"][0]["difference"],
        v["targets"][0]["differences"][1]["difference"]
    );
    let html = crate::cli::dabiao(&[
        "compare", &path, "--format", "html", "-q", "--draws", "2000",
    ]);
    assert_eq!(html.code, 0, "{}", html.stderr);
    assert!(html.stdout.contains("<svg") && html.stdout.contains("乐观"));
    let table = crate::cli::dabiao(&["compare", &path, "-q", "--draws", "2000"]);
    assert!(
        table.stdout.contains("high − as_written"),
        "{}",
        table.stdout
    );
}

#[test]
fn sensitivity_moves_each_input_on_its_own_scale() {
    // A level's fixed growth moves by --delta, a share's fixed change by a
    // tenth of it, an uncertain base by its own sd (U(90, 110): 20/√12),
    // mean entries by 10 %.
    let text = crate::cli::VALID.replace(
        "base = 100\n",
        "base = { dist = \"uniform\", low = 90, high = 110 }\n",
    ) + "\n[indicators.n]\nkind = \"count\"\nbase = 10\nentries = { mean = 4 }\n";
    let path = crate::cli::scenario("sensitivity_steps", &text);
    let v = crate::cli::json(&[
        "run",
        &path,
        "--sensitivity",
        "--draws",
        "4000",
        "--format",
        "json",
    ]);
    let rows = v["sensitivity"].as_array().unwrap();
    let step = |name: &str| {
        let r = rows.iter().find(|r| r["parameter"] == name).unwrap();
        let (lo, hi) = (r["low"].as_f64().unwrap(), r["high"].as_f64().unwrap());
        (r["step"].as_str().unwrap().to_string(), (hi - lo) / 2.0)
    };
    let close = |(kind, got): (String, f64), want_kind: &str, want: f64| {
        assert_eq!(kind, want_kind);
        assert!(
            (got - want).abs() < 1e-3 * want,
            "{want_kind}: {got} vs {want}"
        );
    };
    close(step("indicators.output.growth.mean"), "delta", 0.01);
    close(step("indicators.rd.change.mean"), "tenth_of_delta", 0.001);
    close(
        step("indicators.output.base"),
        "one_sd",
        20.0 / 12f64.sqrt(),
    );
    close(step("indicators.n.entries.mean"), "ten_percent", 0.4);
}

#[test]
fn observed_growth_carries_the_last_known_level_to_the_base_year() {
    // 2021's level is only known to lie in U(90, 110); 2022 and 2023 are
    // published as growth rates, +7 % and +2.6 %. The 2023 level is
    // U(90, 110) × 1.07 × 1.026, and with no growth after it,
    // P(X_2024 ≥ 108) = (110 − 108/1.09782)/20.
    let text = "[scenario]\nname = \"t\"\nbase_year = 2023\nhorizon = 2024
[indicators.va]
kind = \"level\"
base = { dist = \"uniform\", low = 90, high = 110 }
observed_growth = { 2022 = 0.07, 2023 = 0.026 }
growth = { mean = 0.0, sd = 0.0 }
[targets.a]
indicator = \"va\"
at_least = 108
";
    let r = run(text, N, 71);
    let factor = 1.07 * 1.026;
    assert_probability(&r, "a", (110.0 - 108.0 / factor) / 20.0, K);
    // A known level fills the years between: 100 in 2021, 107 in 2022,
    // 109.782 in 2023, all observed; a target on 2022 is the data's.
    let known = text.replace("{ dist = \"uniform\", low = 90, high = 110 }", "100")
        + "[targets.early]\nindicator = \"va\"\nyear = 2022\nat_least = 106.9\n";
    let r = run(&known, 2000, 71);
    let va = &r.indicators[0];
    assert_eq!(va.years, [2021, 2022, 2023, 2024]);
    assert_eq!(
        va.observed[..3],
        [Some(100.0), Some(107.0), Some(100.0 * factor)]
    );
    assert_eq!(r.targets[1].estimate.probability, 1.0);
    // Rates must run up to the base year without gaps, and not overlap
    // history's levels.
    let gap = text.replace("2023 = 0.026", "2024 = 0.026");
    crate::cli::rejects(
        "growth_gap",
        &gap,
        &[],
        &[
            "indicators.va.observed_growth",
            "consecutive years up to the base year (2023)",
        ],
    );
    let overlap = text.replace("base = {", "history = { 2022 = 104 }\nbase = {");
    crate::cli::rejects(
        "growth_overlap",
        &overlap,
        &[],
        &[
            "indicators.va.history.2022",
            "both an observed level and an observed growth rate",
        ],
    );
    crate::cli::rejects(
        "growth_percent",
        &text.replace("2022 = 0.07", "2022 = 7"),
        &[],
        &["+700 %", "did you mean 0.07?"],
    );
}

#[test]
fn a_sweep_over_two_inputs_is_a_grid_of_closed_forms() {
    // ln X_5 = ln b + 5μ + 0.05·√5·Z: P(X_5 ≥ 140) = Φ̄((ln(140/b) − 5μ)/(0.05√5)).
    let text = "[scenario]\nname = \"t\"\nbase_year = 2020\nhorizon = 2025
[indicators.x]
kind = \"level\"
base = 100
growth = { mean = 0.05, sd = 0.05 }
compounding = \"log\"
[targets.a]
indicator = \"x\"
at_least = 140
";
    let path = crate::cli::scenario("grid", text);
    let v = crate::cli::json(&[
        "sweep",
        &path,
        "--vary",
        "indicators.x.base=90..110",
        "--vary",
        "indicators.x.growth.mean=0.02..0.1",
        "--steps",
        "5",
        "--draws",
        "20000",
        "--format",
        "json",
        "-q",
    ]);
    assert_eq!(v["parameters"][1], "indicators.x.growth.mean");
    let (xs, ys) = (v["x"].as_array().unwrap(), v["y"].as_array().unwrap());
    let p = &v["targets"][0]["probability"];
    for (j, y) in ys.iter().enumerate() {
        for (i, x) in xs.iter().enumerate() {
            let (b, mu) = (x.as_f64().unwrap(), y.as_f64().unwrap());
            let exact = norm_sf(((140.0 / b).ln() - 5.0 * mu) / (0.05 * 5f64.sqrt()));
            let got = p[j][i].as_f64().unwrap();
            let se = (exact * (1.0 - exact) / 20_000.0).sqrt().max(1e-4);
            assert!(
                (got - exact).abs() < K * se,
                "b {b}, μ {mu}: {got} vs {exact}"
            );
            // The same draws at every point: exactly monotone in both.
            if i > 0 {
                assert!(got >= p[j][i - 1].as_f64().unwrap());
            }
            if j > 0 {
                assert!(got >= p[j - 1][i].as_f64().unwrap());
            }
        }
    }
    let html = crate::cli::dabiao(&[
        "sweep",
        &path,
        "--vary",
        "indicators.x.base=90..110",
        "--vary",
        "indicators.x.growth.mean=0.02..0.1",
        "--steps",
        "6",
        "--draws",
        "4000",
        "--format",
        "html",
        "-q",
    ]);
    assert_eq!(html.code, 0, "{}", html.stderr);
    // Shaded cells and the three contours.
    assert_eq!(html.stdout.matches("<rect").count(), 36);
    for colour in ["#fdae6b", "#e6550d", "#a63603"] {
        assert!(html.stdout.contains(colour), "{colour}");
    }
}
