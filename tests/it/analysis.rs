//! Sweep, solve, sensitivity, drivers and precision against closed forms.

use std::process::Command;

use crate::cli::{json, scenario};
use crate::closed_form::{norm_sf, run};
use dabiao::model::dist::{norm_cdf, norm_pdf, norm_quantile};
use dabiao::model::Aspect;

/// One log-compounding level: P(X_5 ≥ 130) = 1 − Φ((ln 1.3 − 5μ)/(σ√5)) for every μ.
const LEVEL: &str = "[scenario]
name = \"t\"
base_year = 2020
horizon = 2025
[run]
draws = 100000
seed = 5
[indicators.x]
kind = \"level\"
base = 100
growth = { mean = 0.05, sd = 0.1 }
compounding = \"log\"
[indicators.y]
kind = \"level\"
base = 100
growth = { mean = 0.05, sd = 0.1 }
compounding = \"log\"
[shocks.s]
probability = 0.2
effect = -0.05
affects = { y = 1.0 }
[targets.a]
indicator = \"x\"
at_least = 130
[targets.b]
indicator = \"y\"
at_least = 130
";

fn exact(mu: f64) -> f64 {
    norm_sf((1.3f64.ln() - 5.0 * mu) / (0.1 * 5f64.sqrt()))
}

#[test]
fn sweep_follows_the_closed_form_and_is_monotone() {
    let path = scenario("sweep", LEVEL);
    let v = json(&[
        "sweep",
        &path,
        "--vary",
        "indicators.x.growth.mean=0.0..0.12",
        "--steps",
        "7",
        "--target",
        "a",
        "--format",
        "json",
    ]);
    assert_eq!(v["schema_version"], dabiao::report::json::SCHEMA_VERSION);
    assert_eq!(v["parameter"], "indicators.x.growth.mean");
    let points = v["points"].as_array().unwrap();
    assert_eq!(points.len(), 7);
    let mut last = -1.0;
    for p in points {
        let mu = p["value"].as_f64().unwrap();
        let t = &p["targets"][0];
        assert_eq!(t["id"], "a");
        let got = t["probability"].as_f64().unwrap();
        let e = exact(mu);
        let se = (e * (1.0 - e) / 100_000.0).sqrt().max(1e-5);
        assert!((got - e).abs() < 4.0 * se, "μ = {mu}: {got} vs {e}");
        // Common random numbers: every path's outcome rises with μ.
        assert!(got >= last, "not monotone at μ = {mu}");
        last = got;
    }
}

#[test]
fn solve_finds_the_closed_form_value_and_it_reproduces_the_probability() {
    let path = scenario("solve", LEVEL);
    let v = json(&[
        "solve",
        &path,
        "--vary",
        "indicators.x.growth.mean=0.0..0.2",
        "--target",
        "a",
        "--probability",
        "0.8",
        "--format",
        "json",
    ]);
    // 1 − Φ((ln 1.3 − 5μ)/(0.1√5)) = 0.8  ⇔  μ = (ln 1.3 − 0.1√5·Φ⁻¹(0.2))/5
    let truth = (1.3f64.ln() - 0.1 * 5f64.sqrt() * norm_quantile(0.2)) / 5.0;
    assert_eq!(v["schema_version"], dabiao::report::json::SCHEMA_VERSION);
    let value = v["value"].as_f64().unwrap();
    // Monte Carlo error in P maps to μ through the slope dP/dμ.
    let slope = norm_pdf(norm_quantile(0.2)) * 5.0 / (0.1 * 5f64.sqrt());
    let tolerance = 4.0 * (0.16f64 / 100_000.0).sqrt() / slope;
    assert!(
        (value - truth).abs() < tolerance,
        "{value} vs {truth} ± {tolerance}"
    );
    let (lo, hi) = (
        v["interval"][0].as_f64().unwrap(),
        v["interval"][1].as_f64().unwrap(),
    );
    assert!(
        lo <= value && value <= hi && hi - lo < 4.0 * tolerance,
        "[{lo}, {hi}]"
    );
    // Running at the answer gives the goal back.
    let r = json(&[
        "run",
        &path,
        "--format",
        "json",
        "--set",
        &format!("indicators.x.growth.mean={value}"),
    ]);
    let p = r["targets"][0]["probability"].as_f64().unwrap();
    assert!((p - 0.8).abs() < 0.002, "{p}");
}

#[test]
fn solve_says_when_the_probability_is_out_of_reach() {
    let path = scenario("solve_out", LEVEL);
    let out = Command::new(env!("CARGO_BIN_EXE_dabiao"))
        .args([
            "solve",
            &path,
            "--vary",
            "indicators.x.growth.mean=0.0..0.02",
            "--target",
            "a",
            "--probability",
            "0.9",
        ])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("not reachable"));
    assert!(out.stdout.is_empty());
}

#[test]
fn sensitivity_moves_only_what_an_input_touches() {
    let path = scenario("sens", LEVEL);
    let v = json(&[
        "run",
        &path,
        "--format",
        "json",
        "--sensitivity",
        "--draws",
        "50000",
    ]);
    let rows = v["sensitivity"].as_array().unwrap();
    let row = |name: &str| {
        rows.iter()
            .find(|r| r["parameter"] == name)
            .unwrap_or_else(|| panic!("{name}"))
    };
    let p = |r: &serde_json::Value, id: &str, side: &str| {
        r["targets"]
            .as_array()
            .unwrap()
            .iter()
            .find(|t| t["id"] == id)
            .unwrap()[side]
            .as_f64()
            .unwrap()
    };
    let x = row("indicators.x.growth.mean");
    assert!((p(x, "a", "probability_low") - exact(0.04)).abs() < 0.01);
    assert!((p(x, "a", "probability_high") - exact(0.06)).abs() < 0.01);
    // Separate random streams: x's growth does not change y's draws at all.
    assert_eq!(p(x, "b", "probability_low"), p(x, "b", "probability_high"));
    let s = row("shocks.s.probability");
    assert_eq!(p(s, "a", "probability_low"), p(s, "a", "probability_high"));
    assert!(p(s, "b", "probability_low") > p(s, "b", "probability_high"));
    // Ordered by swing: moving a mean by a point moves a more than the shock's probability moves b.
    assert_eq!(rows[0]["parameter"], "indicators.x.growth.mean");
}

#[test]
fn drivers_match_the_conditional_means_of_a_normal() {
    // An uncertain trend m ~ N(0.05, 0.02²) held for the path, years scatter by 0.05:
    // S = ln(X_5/100) = 5m + Σe ~ N(0.25, 25·0.0004 + 5·0.0025). E[m | S ≥ c] is
    // 0.05 + Cov(m, S)/σ_S · φ(a)/(1 − Φ(a)), with a = (c − 0.25)/σ_S.
    let r = run(
        "[scenario]\nname = \"t\"\nbase_year = 2020\nhorizon = 2025
[indicators.x]
kind = \"level\"
base = 100
growth = { mean = { mean = 0.05, sd = 0.02 }, sd = 0.05 }
compounding = \"log\"
[indicators.noise]
kind = \"level\"
base = 1
growth = { mean = 0.0, sd = 0.1 }
[targets.a]
indicator = \"x\"
at_least = 130
",
        400_000,
        6,
    );
    let t = &r.targets[0];
    let sd_s = (25.0 * 0.0004 + 5.0 * 0.0025f64).sqrt();
    let a = (1.3f64.ln() - 0.25) / sd_s;
    let k = 5.0 * 0.0004 / sd_s;
    let hit = 0.05 + k * norm_pdf(a) / norm_sf(a);
    let miss = 0.05 - k * norm_pdf(a) / norm_cdf(a);
    let trend = t
        .drivers
        .iter()
        .find(|d| d.aspect == Aspect::Trend)
        .expect("the trend is a driver");
    // Every 16th of 400 000 paths: 25 000 sampled, about 9 000 of them hits; the
    // se of a conditional mean is about 0.018/√9 000 = 0.0002.
    assert!(
        (trend.hit_mean - hit).abs() < 0.001,
        "{} vs {hit}",
        trend.hit_mean
    );
    assert!(
        (trend.miss_mean - miss).abs() < 0.001,
        "{} vs {miss}",
        trend.miss_mean
    );
    // An unrelated indicator cannot explain anything, and is not listed.
    assert!(t.drivers.iter().all(|d| d.subject != "noise"));
    assert!(trend.effect > 0.5);
}

#[test]
fn drivers_are_only_what_can_move_the_target_and_is_beyond_noise() {
    // x's base is uncertain by a hair (its effect on the odds is real but
    // far below what 20 000 draws can see); a shock strikes y only, and y
    // is not correlated with x. Only x's own growth is a driver of a.
    let r = run(
        "[scenario]\nname = \"t\"\nbase_year = 2020\nhorizon = 2025
[indicators.x]
kind = \"level\"
base = { dist = \"uniform\", low = 99.9999, high = 100.0001 }
growth = { mean = 0.05, sd = 0.1 }
compounding = \"log\"
[indicators.y]
kind = \"level\"
base = 100
growth = { mean = 0.05, sd = 0.1 }
[shocks.recession]
probability = 0.2
effect = -0.1
affects = { y = 1.0 }
[targets.a]
indicator = \"x\"
at_least = 130
[targets.b]
indicator = \"y\"
at_least = 130
",
        20_000,
        8,
    );
    let aspects = |k: usize| -> Vec<(String, Aspect)> {
        r.targets[k]
            .drivers
            .iter()
            .map(|d| (d.subject.clone(), d.aspect))
            .collect()
    };
    assert_eq!(aspects(0), [("x".to_string(), Aspect::Growth)]);
    // The shock does move y: it is among b's drivers.
    assert!(aspects(1).contains(&("recession".to_string(), Aspect::Strikes)));
}

#[test]
fn precision_draws_until_every_interval_is_narrow_enough() {
    let path = scenario("precision", LEVEL);
    let v = json(&["run", &path, "--format", "json", "--precision", "0.0003"]);
    let draws = v["run"]["draws"].as_u64().unwrap();
    // Whole rounds of one chunk per replicate (16 384 paths), more than one.
    assert_eq!(draws % 16_384, 0);
    assert!(draws > 16_384, "{draws}");
    for t in v["targets"].as_array().unwrap() {
        let p = t["probability"].as_f64().unwrap();
        let (lo, hi) = (
            t["ci95"][0].as_f64().unwrap(),
            t["ci95"][1].as_f64().unwrap(),
        );
        assert!((p - lo).max(hi - p) <= 0.0003, "{t}");
    }
    // The first round was not enough.
    let first = json(&["run", &path, "--format", "json", "--draws", "16384"]);
    assert!(first["targets"].as_array().unwrap().iter().any(|t| {
        let p = t["probability"].as_f64().unwrap();
        (p - t["ci95"][0].as_f64().unwrap()).max(t["ci95"][1].as_f64().unwrap() - p) > 0.0003
    }));
    // And the result is that of a plain run of that many draws.
    let plain = json(&[
        "run",
        &path,
        "--format",
        "json",
        "--draws",
        &draws.to_string(),
    ]);
    assert_eq!(v["targets"], plain["targets"]);
}

#[test]
fn targets_beyond_any_shift_are_shown_as_a_bound() {
    let text = LEVEL.replace(
        "at_least = 130\n[targets.b]",
        "at_least = 100000\n[targets.b]",
    );
    let path = scenario("rare", &text);
    // No hit in 100 000 draws, and none where importance sampling's pilots
    // went: the bound is Wilson's for 100 000 paths (quasi-Monte Carlo's
    // replicates all saw none, and independent paths), or for 50 000
    // antithetic pairs.
    let bounds = [
        ("sobol", "< 0.0038%"),
        ("mc", "< 0.0038%"),
        ("antithetic", "< 0.0077%"),
    ];
    for (sampler, bound) in bounds {
        let out = Command::new(env!("CARGO_BIN_EXE_dabiao"))
            .args(["run", &path, "--quiet", "--sampler", sampler])
            .output()
            .unwrap();
        let table = String::from_utf8_lossy(&out.stdout);
        let line = table
            .lines()
            .find(|l| l.trim_start().starts_with('a'))
            .unwrap();
        assert!(line.contains(bound), "{sampler}: {line}");
    }
}

#[test]
fn sweep_moves_an_uncertain_input_as_a_whole_on_the_same_draws() {
    // An uncertain base: the sweep moves its range, keeping its width, and
    // draws the same numbers as a plain run. At the range's own centre the
    // sweep reproduces the run exactly.
    let text = LEVEL.replace(
        "base = 100\ngrowth = { mean = 0.05, sd = 0.1 }\ncompounding = \"log\"\n[indicators.y]",
        "base = { dist = \"uniform\", low = 90, high = 110 }\ngrowth = { mean = 0.05, sd = 0.1 }\ncompounding = \"log\"\n[indicators.y]",
    );
    assert_ne!(text, LEVEL);
    let path = scenario("sweep_uncertain", &text);
    let draws = ["--draws", "20000"];
    let sweep = json(
        &[
            &[
                "sweep",
                &path,
                "--vary",
                "indicators.x.base=90..110",
                "--steps",
                "3",
            ][..],
            &draws,
            &["--format", "json"],
        ]
        .concat(),
    );
    let run = json(&[&["run", &path][..], &draws, &["--format", "json"]].concat());
    // Moved as a whole, it must fit whole: centred on 0 it would go negative.
    let out = Command::new(env!("CARGO_BIN_EXE_dabiao"))
        .args(["sweep", &path, "--vary", "indicators.x.base=0..110"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("would range over [-10, 10], outside [0, ∞)"),
        "{err}"
    );
    let middle = &sweep["points"][1];
    assert_eq!(middle["value"], 100.0);
    for (k, t) in middle["targets"].as_array().unwrap().iter().enumerate() {
        assert_eq!(t["probability"], run["targets"][k]["probability"], "{t}");
    }
    // Target b is on y, which the base of x cannot touch: the same at every point.
    let b: Vec<&serde_json::Value> = sweep["points"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| &p["targets"][1]["probability"])
        .collect();
    assert!(b.iter().all(|p| *p == b[0]), "{b:?}");
    // ln X_5 = ln(B) + N(0.25, 0.05), B ~ U(c − 10, c + 10): P(X_5 ≥ 130)
    // averaged over the base by quadrature, at c = 90 and c = 110.
    for (point, c) in [(0, 90.0), (2, 110.0)] {
        let n = 2000;
        let exact: f64 = (0..n)
            .map(|j| {
                let b = c - 10.0 + 20.0 * (j as f64 + 0.5) / n as f64;
                norm_sf(((130.0f64 / b).ln() - 0.25) / (0.1 * 5f64.sqrt()))
            })
            .sum::<f64>()
            / n as f64;
        let got = sweep["points"][point]["targets"][0]["probability"]
            .as_f64()
            .unwrap();
        let se = (exact * (1.0 - exact) / 20_000.0).sqrt();
        assert!((got - exact).abs() < 4.0 * se, "c = {c}: {got} vs {exact}");
    }
}

#[test]
fn sweep_over_a_threshold_follows_the_closed_form() {
    let path = scenario("sweep_threshold", LEVEL);
    let v = json(&[
        "sweep",
        &path,
        "--vary",
        "targets.a.at_least=110..150",
        "--steps",
        "5",
        "--target",
        "a",
        "--format",
        "json",
    ]);
    for p in v["points"].as_array().unwrap() {
        let t = p["value"].as_f64().unwrap();
        let e = norm_sf(((t / 100.0).ln() - 0.25) / (0.1 * 5f64.sqrt()));
        let got = p["targets"][0]["probability"].as_f64().unwrap();
        let se = (e * (1.0 - e) / 100_000.0).sqrt().max(1e-5);
        assert!((got - e).abs() < 4.0 * se, "threshold {t}: {got} vs {e}");
    }
}

#[test]
fn vary_names_what_it_can_move_and_where_it_must_stay() {
    let path = scenario("vary_errors", LEVEL);
    let dabiao = |vary: &str| {
        Command::new(env!("CARGO_BIN_EXE_dabiao"))
            .args(["sweep", &path, "--vary", vary])
            .output()
            .unwrap()
    };
    let out = dabiao("indicators.x.growht.mean=0..0.1");
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("not an input --vary can move"), "{err}");
    assert!(
        err.contains("did you mean `indicators.x.growth.mean`?"),
        "{err}"
    );
    let out = dabiao("shocks.s.probability=0..1.5");
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("must stay within [0, 1], found 1.5"), "{err}");
    let out = dabiao("indicators.x.persistence=0..1");
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("must stay within (-1, 1)"), "{err}");
    assert!(out.stdout.is_empty());
}
