//! `dabiao backtest` against hand-computed percentiles and scores.

use crate::cli::{dabiao, json, scenario};

/// x's 2021 value is its base, U(90, 110) (no growth); y grows 10 % for
/// sure from 100.
const PLAN: &str = "[scenario]\nname = \"t\"\nbase_year = 2020\nhorizon = 2022
[indicators.x]
kind = \"level\"
base = { dist = \"uniform\", low = 90, high = 110 }
growth = { mean = 0.0, sd = 0.0 }
[indicators.y]
kind = \"level\"
base = 100
growth = { mean = 0.1, sd = 0.0 }
[targets.x105]
indicator = \"x\"
year = 2021
at_least = 105
[targets.y105]
indicator = \"y\"
year = 2021
at_least = 105
[targets.both]
all = [\"x105\", \"y105\", \"later\"]
[targets.later]
indicator = \"y\"
year = 2022
at_least = 120
";

#[test]
fn percentiles_and_scores_match_hand_computation() {
    let path = scenario("backtest", PLAN);
    let actuals = scenario(
        "backtest_actuals",
        "indicator,year,value,source\nx,2021,95,bulletin\ny,2021,100,bulletin\nx,2019,90,history\n",
    );
    let draws: f64 = 100_000.0;
    let v = json(&[
        "backtest",
        &path,
        "--actuals",
        &actuals,
        "--draws",
        "100000",
        "--format",
        "json",
        "-q",
    ]);
    // 95 is the 25th percentile of U(90, 110) (to within a sketch bucket);
    // 100 is below every path of y (all at 110).
    let values = v["values"].as_array().unwrap();
    assert_eq!(values.len(), 2);
    let pct = values[0]["percentile"].as_f64().unwrap();
    assert!((pct - 0.25).abs() < 0.01, "{pct}");
    assert_eq!(values[1]["percentile"].as_f64().unwrap(), 0.0);
    assert_eq!(v["ignored"], 1);
    // x105: forecast p ≈ 0.25, missed: Brier p², log score −ln(1 − p).
    // y105: forecast 1, missed: Brier 1, log score ln(2·draws).
    // both: decided (missed) although `later` is not.
    let t = v["targets"].as_array().unwrap();
    let ids: Vec<&str> = t.iter().map(|t| t["id"].as_str().unwrap()).collect();
    assert_eq!(ids, ["x105", "y105", "both"]);
    let p = t[0]["probability"].as_f64().unwrap();
    assert!((p - 0.25).abs() < 0.01, "{p}");
    assert_eq!(t[0]["hit"], false);
    assert!((t[0]["brier"].as_f64().unwrap() - p * p).abs() < 1e-12);
    assert!((t[0]["log_score"].as_f64().unwrap() + (1.0 - p).ln()).abs() < 1e-12);
    assert_eq!(t[1]["probability"].as_f64().unwrap(), 1.0);
    assert_eq!(t[1]["brier"].as_f64().unwrap(), 1.0);
    assert!((t[1]["log_score"].as_f64().unwrap() - (2.0 * draws).ln()).abs() < 1e-9);
    assert_eq!(t[2]["hit"], false);
    let mean = (p * p + 1.0 + t[2]["brier"].as_f64().unwrap()) / 3.0;
    assert!((v["brier"].as_f64().unwrap() - mean).abs() < 1e-12);
}

#[test]
fn actuals_are_checked_like_a_scenario() {
    let path = scenario("backtest_bad", PLAN);
    let actuals = scenario(
        "backtest_bad_actuals",
        "indicator,year,value\nxx,2021,95\ny,20x1,100\n",
    );
    let out = dabiao(&["backtest", &path, "--actuals", &actuals]);
    assert_eq!(out.code, 2, "{}", out.stderr);
    assert!(
        out.stderr.contains("unknown indicator `xx`") && out.stderr.contains("did you mean `x`?"),
        "{}",
        out.stderr
    );
    assert!(out.stderr.contains(":3:"), "the line: {}", out.stderr);
    let wrong = scenario("backtest_columns", "id,year,value\nx,2021,95\n");
    let out = dabiao(&["backtest", &path, "--actuals", &wrong]);
    assert_eq!(out.code, 2);
    assert!(
        out.stderr
            .contains("expected columns indicator, year and value"),
        "{}",
        out.stderr
    );
}

#[test]
fn the_table_speaks_chinese_under_lang_zh() {
    let path = scenario("backtest_zh", PLAN);
    let actuals = scenario(
        "backtest_zh_actuals",
        "indicator,year,value,source\nx,2021,95,bulletin\ny,2021,100,bulletin\n",
    );
    let out = dabiao(&[
        "backtest",
        &path,
        "--actuals",
        &actuals,
        "--draws",
        "2000",
        "-q",
        "--lang",
        "zh",
    ]);
    assert_eq!(out.code, 0, "{}", out.stderr);
    for word in [
        "预测起点",
        "实际值",
        "百分位",
        "由实际值判定的目标",
        "平均Brier分数",
        "未达到",
    ] {
        assert!(out.stdout.contains(word), "{word}\n{}", out.stdout);
    }
    for english in ["forecast from", "percentile", "missed", "mean Brier"] {
        assert!(!out.stdout.contains(english), "{english}\n{}", out.stdout);
    }
}
