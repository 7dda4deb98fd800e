//! Inputs that once crashed, hung or were silently misread: each now ends in
//! a clear message and exit code 2, or in a correct answer.

use crate::cli::{broken, dabiao, json, rejects, scenario, VALID};

#[test]
fn formulas_over_uncertain_bases_check_and_run() {
    // Two formula indicators whose inputs have an uncertain base, and a
    // target on one formula: once an unbounded recursion (stack overflow).
    let text = VALID.replace(
        "base = 100\n",
        "base = { dist = \"uniform\", low = 90, high = 110 }\n",
    ) + "\n[indicators.twice]\nkind = \"formula\"\nformula = \"output * 2\"\n\
           \n[indicators.half]\nkind = \"formula\"\nformula = \"output / 2\"\n\
           \n[targets.twice_250]\nindicator = \"twice\"\nat_least = 250\n";
    let path = scenario("formulas_uncertain", &text);
    let out = dabiao(&["check", &path]);
    assert_eq!(out.code, 0, "{}", out.stderr);
    // The central base is 100, so twice starts at 200 in 2020.
    assert!(out.stdout.contains("200 (2020)"), "{}", out.stdout);
    let v = json(&["run", &path, "--draws", "4000", "--format", "json"]);
    let p = v["targets"][1]["probability"].as_f64().unwrap();
    let direct = v["targets"][0]["probability"].as_f64().unwrap();
    assert!((0.0..=1.0).contains(&p) && (0.0..=1.0).contains(&direct));
}

#[test]
fn an_invalid_target_before_a_composite_is_one_clear_error() {
    let text = broken("indicator = \"output\"", "indicator = \"outptu\"")
        + "\n[targets.plan]\nall = [\"output_130\"]\n";
    rejects(
        "composite_after_bad",
        &text,
        &[],
        &["did you mean `output`?"],
    );
    let out = dabiao(&["check", &scenario("composite_after_bad", &text)]);
    assert!(!out.stderr.contains("cycle"), "{}", out.stderr);
    assert!(!out.stderr.contains("problems found"), "one problem only");
}

#[test]
fn years_beyond_the_calendar_are_refused_not_truncated() {
    for (name, from, to) in [
        (
            "history_min",
            "base = 100\n",
            "history = { \"-2147483000\" = 90 }\nbase = 100\n",
        ),
        (
            "history_huge",
            "base = 100\n",
            "history = { \"-2000000000\" = 90 }\nbase = 100\n",
        ),
        (
            "target_wrap",
            "at_least = 130",
            "year = 4294969321\nat_least = 130",
        ),
    ] {
        rejects(
            name,
            &broken(from, to),
            &[],
            &["expected a year from 1000 to 9999"],
        );
    }
    rejects(
        "history_far",
        &broken("base = 100\n", "history = { \"1900\" = 90 }\nbase = 100\n"),
        &[],
        &["more than 100 years before the base year"],
    );
}

#[test]
fn a_deeply_nested_formula_is_refused() {
    let deep = format!("{}output{}", "(".repeat(30_000), ")".repeat(30_000));
    let text = format!("{VALID}\n[indicators.f]\nkind = \"formula\"\nformula = \"{deep}\"\n");
    rejects("deep_formula", &text, &[], &["more than 64 deep"]);
    let signs = format!(
        "{VALID}\n[indicators.f]\nkind = \"formula\"\nformula = \"{}output\"\n",
        "-".repeat(30_000)
    );
    rejects("deep_signs", &signs, &[], &["more than 64 deep"]);
    // The message quotes a short excerpt, not the whole formula.
    let out = dabiao(&["check", &scenario("deep_formula", &text)]);
    assert!(out.stderr.len() < 1000, "{} bytes", out.stderr.len());
}

#[test]
fn huge_counts_are_refused_with_the_limit() {
    let text = VALID.to_string()
        + "\n[indicators.firms]\nkind = \"count\"\nbase = 10\nentries = { mean = 1e20 }\n";
    rejects("entries_huge", &text, &[], &["entries.mean", "at most 1e9"]);
}

#[test]
fn a_set_value_spanning_lines_is_refused() {
    let path = scenario("set_newline", VALID);
    let out = dabiao(&[
        "run",
        &path,
        "--set",
        "targets.output_130.at_least=5\nlabel=\"x\"",
    ]);
    assert_eq!(out.code, 2, "{}", out.stderr);
    assert!(out.stderr.contains("several lines"), "{}", out.stderr);
}

#[test]
fn a_chinese_id_is_told_what_ids_are() {
    let text = broken("[indicators.rd]", "[indicators.研发]");
    rejects(
        "chinese_id",
        &text,
        &[],
        &["chinese_id.toml:12:", "a–z, 0–9 and _", "label"],
    );
}

/// `n` levels over `base_year..=horizon`, with `extra` appended.
fn levels(n: usize, base_year: i32, horizon: i32, extra: &str) -> String {
    let mut text =
        format!("[scenario]\nname = \"big\"\nbase_year = {base_year}\nhorizon = {horizon}\n");
    for i in 0..n {
        text += &format!(
            "\n[indicators.x{i}]\nkind = \"level\"\nbase = 1\ngrowth = {{ mean = 0.01, sd = 0.01 }}\n"
        );
    }
    text + extra
}

/// A chain of correlations between neighbours: valid for ρ < 1/2.
fn chain(n: usize, rho: f64) -> String {
    let pairs: Vec<String> = (1..n)
        .map(|i| format!("[\"x{}\", \"x{i}\", {rho}]", i - 1))
        .collect();
    levels(
        n,
        2020,
        2025,
        &format!("\n[correlation]\npairs = [{}]\n", pairs.join(", ")),
    )
}

#[test]
fn oversized_models_are_refused_with_the_limit() {
    // 500 indicators over 200 years once needed 1.8 GB per worker thread.
    let far = levels(500, 2000, 2200, "");
    rejects("horizon_200", &far, &[], &["within 100 years"]);
    let wide = levels(500, 2000, 2100, "");
    rejects(
        "cells_500",
        &wide,
        &[],
        &["50500 indicator-years", "at most 4000"],
    );
    let many = levels(1001, 2020, 2021, "");
    rejects(
        "indicators_1001",
        &many,
        &[],
        &["1001 indicators", "at most 1000"],
    );
}

#[test]
fn a_large_correlation_matrix_is_checked_and_its_error_stays_short() {
    // A valid chain of 500 (once 21 s to check).
    let out = dabiao(&["check", &scenario("chain500", &chain(500, 0.45))]);
    assert_eq!(out.code, 0, "{}", out.stderr);
    // Two impossible pairs among many: refused, with a message that lists a
    // few pairs, not a 120 × 120 matrix.
    let bad = chain(120, 0.45).replace(
        "pairs = [",
        "pairs = [[\"x0\", \"x2\", -0.95], [\"x1\", \"x3\", -0.95], ",
    );
    let out = dabiao(&["check", &scenario("chain120_bad", &bad)]);
    assert_eq!(out.code, 2, "{}", out.stderr);
    for part in ["x0 ~ x2 (-0.95)", "moves these pairs most", "repair = true"] {
        assert!(out.stderr.contains(part), "{part}: {}", out.stderr);
    }
    assert!(out.stderr.len() < 4000, "{} bytes", out.stderr.len());
    let repaired = bad.replace("[correlation]\n", "[correlation]\nrepair = true\n");
    let out = dabiao(&["check", &scenario("chain120_repair", &repaired)]);
    assert_eq!(out.code, 0, "{}", out.stderr);
}

#[test]
fn inputs_too_large_to_be_scenarios_are_refused() {
    let out = dabiao(&["check", "/dev/zero"]);
    assert_eq!(out.code, 2, "{}", out.stderr);
    assert!(out.stderr.contains("larger than 8 MiB"), "{}", out.stderr);
}

#[test]
fn thread_counts_are_capped_and_never_exceed_the_work() {
    let path = scenario("threads", VALID);
    let out = dabiao(&["run", &path, "--threads", "4096"]);
    assert_eq!(out.code, 2);
    assert!(out.stderr.contains("512"), "{}", out.stderr);
    // 512 threads for two chunks of work run as two.
    let many = json(&[
        "run",
        &path,
        "--draws",
        "2000",
        "--threads",
        "512",
        "--format",
        "json",
    ]);
    let one = json(&[
        "run",
        &path,
        "--draws",
        "2000",
        "--threads",
        "1",
        "--format",
        "json",
    ]);
    assert_eq!(many["targets"], one["targets"]);
}

#[test]
fn a_closed_standard_error_is_not_a_panic() {
    let Ok(full) = std::fs::OpenOptions::new().write(true).open("/dev/full") else {
        eprintln!("skipped: no /dev/full on this system");
        return;
    };
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_dabiao"))
        .args(["run", "missing.toml"])
        .stderr(full)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
}

#[test]
fn calibrate_refuses_impossible_years_and_non_finite_values() {
    let dir = env!("CARGO_TARGET_TMPDIR");
    for (name, csv, expected) in [
        (
            "cal_years",
            "year,v\n-2147483648,1\n2147483647,2\n",
            "not a year from 1000 to 9999",
        ),
        (
            "cal_nan",
            "year,v\n2019,1\n2020,nan\n2021,2\n2022,3\n",
            "not a finite number",
        ),
        (
            "cal_inf",
            "year,v\n2019,1\n2020,inf\n2021,2\n2022,3\n",
            "not a finite number",
        ),
        (
            "cal_gap",
            "year,v\n1000,1\n9999,2\n9998,3\n",
            "no value for 1001–9997",
        ),
    ] {
        let path = format!("{dir}/{name}.csv");
        std::fs::write(&path, csv).unwrap();
        let out = dabiao(&["calibrate", &path]);
        assert_eq!(out.code, 2, "{name}: {}", out.stderr);
        assert!(out.stdout.is_empty());
        assert!(out.stderr.contains(expected), "{name}: {}", out.stderr);
    }
}

#[test]
fn precision_says_whether_it_was_reached() {
    let path = scenario("precision_reached", VALID);
    let run = |e: &str, max: &str| {
        json(&[
            "run",
            &path,
            "--precision",
            e,
            "--max-draws",
            max,
            "--format",
            "json",
        ])
    };
    let short = run("0.0001", "20000");
    assert_eq!(short["run"]["precision"], 0.0001);
    assert_eq!(short["run"]["reached"], false);
    let w = &short["warnings"][0];
    assert_eq!(w["kind"], "precision_not_reached");
    assert_eq!(w["half_width"], 0.0001);
    assert_eq!(w["draws"], 20000);
    let enough = run("0.02", "1000000");
    assert_eq!(enough["run"]["reached"], true);
    assert!(enough["warnings"].as_array().unwrap().is_empty());
    let table = dabiao(&[
        "run",
        &path,
        "--precision",
        "0.0001",
        "--max-draws",
        "20000",
    ]);
    assert!(table.stdout.contains("was not reached"), "{}", table.stdout);
    let plain = json(&["run", &path, "--draws", "2000", "--format", "json"]);
    assert!(plain["run"]["reached"].is_null());
}

#[test]
fn flags_out_of_range_are_refused_by_name() {
    let path = scenario("flags", VALID);
    let vary = "indicators.output.growth.mean=0.0..0.1";
    for (args, flag) in [
        (vec!["run", &path, "--delta", "0"], "--delta"),
        (vec!["run", &path, "--delta", "nan"], "--delta"),
        (vec!["run", &path, "--precision", "0.7"], "--precision"),
        (vec!["sweep", &path, "--vary", "x=1..1"], "--vary"),
        (
            vec![
                "solve",
                &path,
                "--vary",
                vary,
                "--target",
                "output_130",
                "--probability",
                "2",
            ],
            "--probability",
        ),
    ] {
        let out = dabiao(&args);
        assert_eq!(out.code, 2, "{args:?}: {}", out.stderr);
        assert!(out.stdout.is_empty());
        assert!(out.stderr.contains(flag), "{args:?}: {}", out.stderr);
    }
}

#[test]
fn percentages_typed_as_numbers_are_refused_with_the_fraction_meant() {
    rejects(
        "growth_percent",
        &broken("mean = 0.05, sd = 0.1", "mean = 6, sd = 0.1"),
        &[],
        &[
            "indicators.output.growth.mean",
            "+600 % a year",
            "did you mean 0.06?",
            "unchecked = true",
        ],
    );
    rejects(
        "change_sd_percent",
        &broken("sd = 0.001", "sd = 0.3"),
        &[],
        &[
            "indicators.rd.change.sd",
            "30 points a year",
            "did you mean 0.003?",
        ],
    );
    rejects(
        "cagr_percent",
        &broken("at_least = 130", "metric = \"cagr\"\nat_least = 20"),
        &[],
        &["targets.output_130.at_least", "2000 %", "did you mean 0.2?"],
    );
    let share_target = VALID.to_string() + "\n[targets.rd_2]\nindicator = \"rd\"\nat_least = 2\n";
    rejects(
        "share_percent",
        &share_target,
        &[],
        &["targets.rd_2.at_least", "did you mean 0.02?"],
    );
    // `unchecked = true` says the size is meant.
    let meant = broken(
        "mean = 0.05, sd = 0.1",
        "mean = 6, sd = 0.1, unchecked = true",
    )
    .replace(
        "at_least = 130",
        "metric = \"cagr\"\nat_least = 2\nunchecked = true",
    );
    let out = dabiao(&["check", &scenario("percent_meant", &meant)]);
    assert_eq!(out.code, 0, "{}", out.stderr);
}
