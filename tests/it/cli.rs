//! Tests of the real command: output formats, reproducibility, overrides,
//! and one test per kind of bad input (exit code 2, a message that names the
//! cause, nothing on standard output).

use std::process::Command;

use crate::closed_form::norm_sf;

pub struct Out {
    pub code: i32,
    pub stdout: String,
    pub stderr: String,
}

pub fn dabiao(args: &[&str]) -> Out {
    // The reports' language follows the locale: tests expect English.
    let out = Command::new(env!("CARGO_BIN_EXE_dabiao"))
        .args(args)
        .env_remove("LC_ALL")
        .env_remove("LC_MESSAGES")
        .env("LANG", "C.UTF-8")
        .output()
        .expect("run dabiao");
    Out {
        code: out.status.code().unwrap_or(-1),
        stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
    }
}

pub const EXAMPLE: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/scenarios/example.toml");

/// Writes a scenario to a fresh file and returns its path.
pub fn scenario(name: &str, text: &str) -> String {
    let path = format!("{}/{name}.toml", env!("CARGO_TARGET_TMPDIR"));
    std::fs::write(&path, text).unwrap();
    path
}

/// A small valid scenario that the bad-input tests break one way each.
pub const VALID: &str = r#"[scenario]
name = "t"
base_year = 2020
horizon = 2025

[indicators.output]
kind = "level"
base = 100
growth = { mean = 0.05, sd = 0.1 }
compounding = "log"

[indicators.rd]
kind = "share"
base = 0.01
change = { mean = 0.001, sd = 0.001 }

[targets.output_130]
indicator = "output"
at_least = 130
"#;

pub fn json(args: &[&str]) -> serde_json::Value {
    let out = dabiao(args);
    assert_eq!(out.code, 0, "{}", out.stderr);
    serde_json::from_str(&out.stdout).expect("valid JSON")
}

#[test]
fn example_runs_as_a_readable_table() {
    let out = dabiao(&["run", EXAMPLE, "--draws", "20000", "--quiet"]);
    assert_eq!(out.code, 0, "{}", out.stderr);
    assert!(out.stdout.contains("工业总产值达到300亿元"));
    assert!(out.stdout.contains("P(hit)") && out.stdout.contains("needs/yr"));
    // Chinese labels line up: every target row has its tier at the same column.
    let cols: Vec<usize> = out
        .stdout
        .lines()
        .filter(|l| l.contains("stretch") && !l.trim_start().starts_with("every"))
        .map(|l| unicode_width::UnicodeWidthStr::width(&l[..l.find("stretch").unwrap()]))
        .collect();
    assert_eq!(cols.len(), 5);
    assert!(
        cols.windows(2).all(|w| w[0] == w[1]),
        "{cols:?}\n{}",
        out.stdout
    );
}

#[test]
fn json_has_the_contract_keys_and_is_identical_for_any_thread_count() {
    let strip = |mut v: serde_json::Value| {
        let run = v["run"].as_object_mut().unwrap();
        run.remove("seconds");
        run.remove("threads");
        v
    };
    let one = json(&[
        "run",
        EXAMPLE,
        "--draws",
        "30000",
        "--threads",
        "1",
        "--format",
        "json",
    ]);
    let four = json(&[
        "run",
        EXAMPLE,
        "--draws",
        "30000",
        "--threads",
        "4",
        "--format",
        "json",
    ]);
    assert_eq!(one["run"]["threads"], 1);
    assert_eq!(strip(one.clone()), strip(four));

    assert_eq!(one["schema_version"], 2);
    for key in ["name", "file", "base_year", "horizon"] {
        assert!(!one["scenario"][key].is_null(), "scenario.{key}");
    }
    for key in ["draws", "seed", "threads", "seconds"] {
        assert!(!one["run"][key].is_null(), "run.{key}");
    }
    let t = &one["targets"][0];
    for key in [
        "id",
        "label",
        "tier",
        "indicator",
        "metric",
        "threshold",
        "direction",
        "hits",
        "draws",
        "probability",
        "ci95",
        "std_error",
    ] {
        assert!(!t[key].is_null(), "targets[0].{key}");
    }
    for q in ["p5", "p25", "p50", "p75", "p95"] {
        assert!(t["outcome"][q].is_number());
    }
    let composite = one["targets"]
        .as_array()
        .unwrap()
        .iter()
        .find(|t| t["id"] == "plan")
        .unwrap();
    assert!(composite.get("outcome").is_none());
    let ind = &one["indicators"][0];
    let years = ind["years"].as_array().unwrap().len();
    assert_eq!(years, 5);
    for q in ["p5", "p25", "p50", "p75", "p95"] {
        assert_eq!(ind["quantiles"][q].as_array().unwrap().len(), years);
    }
    assert_eq!(ind["mean"].as_array().unwrap().len(), years);
}

#[test]
fn seed_flag_changes_draws_and_file_seed_is_the_default() {
    let a = json(&["run", EXAMPLE, "--draws", "5000", "--format", "json"]);
    let b = json(&[
        "run", EXAMPLE, "--draws", "5000", "--seed", "2021", "--format", "json",
    ]);
    let c = json(&[
        "run", EXAMPLE, "--draws", "5000", "--seed", "7", "--format", "json",
    ]);
    assert_eq!(a["run"]["seed"], 2021);
    assert_eq!(a["targets"], b["targets"]);
    assert_ne!(a["targets"], c["targets"]);
}

#[test]
fn set_overrides_a_value_and_the_answer_follows_the_closed_form() {
    let path = scenario("set_ok", VALID);
    let v = json(&[
        "run",
        &path,
        "--draws",
        "200000",
        "--format",
        "json",
        "--set",
        "indicators.output.growth.mean=0.08",
    ]);
    let p = v["targets"][0]["probability"].as_f64().unwrap();
    let exact = norm_sf((1.3f64.ln() - 0.4) / (0.1 * 5f64.sqrt()));
    assert!(
        (p - exact).abs() < 4.0 * (exact * (1.0 - exact) / 200000.0).sqrt(),
        "{p} vs {exact}"
    );
    assert_eq!(
        v["run"]["overrides"][0],
        "indicators.output.growth.mean=0.08"
    );
    // A field the file leaves out is added; a whole distribution can be set.
    let v = json(&[
        "run",
        &path,
        "--draws",
        "1000",
        "--format",
        "json",
        "--set",
        "indicators.output.persistence=0.5",
        "--set",
        "indicators.output.growth={dist=\"uniform\",low=0.1,high=0.15}",
        "--set",
        "run.seed=5",
    ]);
    assert_eq!(v["run"]["seed"], 5);
    assert_eq!(v["targets"][0]["probability"], 1.0);
}

#[test]
fn csv_has_one_row_per_target() {
    let out = dabiao(&["run", EXAMPLE, "--draws", "2000", "--format", "csv"]);
    assert_eq!(out.code, 0);
    let mut reader = csv::Reader::from_reader(out.stdout.as_bytes());
    assert!(reader.headers().unwrap().iter().any(|h| h == "probability"));
    assert_eq!(reader.records().count(), 5);
}

#[test]
fn several_files_give_one_section_each() {
    let path = scenario("second", VALID);
    let out = dabiao(&["run", EXAMPLE, &path, "--draws", "2000"]);
    assert_eq!(out.code, 0, "{}", out.stderr);
    assert!(out.stdout.contains("通城县") && out.stdout.contains("output_130"));
    let v = json(&["run", EXAMPLE, &path, "--draws", "2000", "--format", "json"]);
    assert_eq!(v.as_array().unwrap().len(), 2);
}

#[test]
fn check_shows_the_arithmetic() {
    let out = dabiao(&["check", EXAMPLE]);
    assert_eq!(out.code, 0, "{}", out.stderr);
    // 300亿 from ~147.5亿 in four years: about 19.4 % a year.
    assert!(
        out.stdout.contains("ok") && out.stdout.contains("+19.4%"),
        "{}",
        out.stdout
    );
}

#[test]
fn correlation_repair_is_used_and_reported() {
    let text = VALID.to_string()
        + "[indicators.c]\nkind = \"level\"\nbase = 1\ngrowth = { mean = 0.0, sd = 0.1 }\n\
           [correlation]\npairs = [[\"output\", \"rd\", 0.9], [\"output\", \"c\", 0.9], [\"rd\", \"c\", -0.9]]\nrepair = true\n";
    let v = json(&[
        "run",
        &scenario("repair", &text),
        "--draws",
        "1000",
        "--format",
        "json",
    ]);
    let warnings = v["warnings"].as_array().unwrap();
    let repaired = warnings
        .iter()
        .find(|w| w["kind"] == "repaired_correlation")
        .unwrap_or_else(|| panic!("{warnings:?}"));
    assert!(!repaired["changes"].as_array().unwrap().is_empty());
}

/// Runs `check` and `run` on a broken variant of VALID and checks the failure.
pub fn rejects(name: &str, text: &str, extra: &[&str], expected: &[&str]) {
    let path = scenario(name, text);
    for cmd in ["check", "run"] {
        let mut args = vec![cmd, path.as_str()];
        args.extend_from_slice(extra);
        let out = dabiao(&args);
        assert_eq!(out.code, 2, "{name}/{cmd}: exit code\n{}", out.stderr);
        assert!(
            out.stdout.is_empty(),
            "{name}/{cmd}: printed to stdout: {}",
            out.stdout
        );
        assert!(
            !out.stderr.contains("panicked"),
            "{name}/{cmd}: {}",
            out.stderr
        );
        for e in expected {
            assert!(
                out.stderr.contains(e),
                "{name}/{cmd}: expected `{e}` in:\n{}",
                out.stderr
            );
        }
    }
    // In Chinese every problem and every help is said in Chinese.
    let mut args = vec!["check", path.as_str(), "--lang", "zh"];
    args.extend_from_slice(extra);
    let out = dabiao(&args);
    assert_eq!(out.code, 2, "{name}/zh: exit code\n{}", out.stderr);
    assert_all_chinese(&out.stderr, name);
}

/// Every line of a `--lang zh` error report starts with 错误： or 提示：
/// (or counts the problems), says something in Chinese and holds no English
/// phrase (three words in a row) outside quotes and code.
pub fn assert_all_chinese(stderr: &str, name: &str) {
    if let Some(why) = not_chinese(stderr) {
        panic!("{name}: {why}\n{stderr}");
    }
}

/// The first line of a `--lang zh` error report that is not all Chinese.
pub fn not_chinese(stderr: &str) -> Option<String> {
    let chinese = |s: &str| {
        let han = s.chars().any(|c| ('\u{4e00}'..='\u{9fff}').contains(&c));
        // Quoted values and `code` are the user's or the file's own words.
        let mut bare = String::new();
        let mut quote: Option<char> = None;
        for c in s.chars() {
            match quote {
                Some(q) if c == q => quote = None,
                Some(_) => {}
                None if c == '`' || c == '"' => quote = Some(c),
                None => bare.push(c),
            }
        }
        // Three words in a row, the last perhaps with a comma or a full stop
        // ("expected a number,"); a list of names ("dist, min, max") is not.
        let (mut run, mut english) = (0, false);
        for token in bare.split(' ') {
            let word = token.trim_end_matches([',', '.', ';', ':']);
            if !word.is_empty() && word.chars().all(|c| c.is_ascii_alphabetic()) {
                run += 1;
                english |= run >= 3;
                if word.len() != token.len() {
                    run = 0;
                }
            } else {
                run = 0;
            }
        }
        han && !english
    };
    let mut lines = 0;
    for line in stderr.lines().filter(|l| !l.trim().is_empty()) {
        let said = line
            .strip_prefix("错误：")
            .or_else(|| line.trim_start().strip_prefix("提示："))
            .or_else(|| line.starts_with("共发现").then_some(line));
        // A matrix or list continued from the line above.
        let continued = line.starts_with("  ") && !line.trim_start().starts_with("提示：");
        match said {
            Some(text) if !chinese(text) => return Some(format!("not in Chinese: {line}")),
            None if !continued => return Some(format!("a line that is not a problem: {line}")),
            _ => {}
        }
        lines += 1;
    }
    (lines == 0).then(|| "no message".to_string())
}

pub fn broken(from: &str, to: &str) -> String {
    assert!(VALID.contains(from), "{from}");
    VALID.replacen(from, to, 1)
}

#[test]
fn bad_toml_syntax_names_line_and_column() {
    rejects(
        "syntax",
        &broken("base = 100", "base = "),
        &[],
        &["syntax.toml:8:", "invalid TOML"],
    );
}

#[test]
fn misspelt_field_gets_a_suggestion() {
    rejects(
        "field",
        &broken(
            "compounding = \"log\"",
            "compounding = \"log\"\npersistance = 0.3",
        ),
        &[],
        &[
            "field.toml:11:1",
            "indicators.output.persistance",
            "unknown field",
            "did you mean `persistence`?",
        ],
    );
}

#[test]
fn misspelt_id_gets_a_suggestion() {
    rejects(
        "id",
        &broken("indicator = \"output\"", "indicator = \"outptu\""),
        &[],
        &[
            "id.toml:18:13",
            "targets.output_130.indicator",
            "unknown indicator `outptu`",
            "did you mean `output`?",
        ],
    );
}

#[test]
fn misspelt_choice_gets_a_suggestion() {
    rejects(
        "choice",
        &broken("kind = \"level\"", "kind = \"levle\""),
        &[],
        &["indicators.output.kind", "did you mean `level`?"],
    );
}

#[test]
fn missing_required_field_is_named() {
    rejects(
        "missing",
        &broken("growth = { mean = 0.05, sd = 0.1 }\n", ""),
        &[],
        &["indicators.output", "missing field `growth`"],
    );
}

#[test]
fn wrong_type_says_what_was_expected() {
    rejects(
        "type",
        &broken("sd = 0.1", "sd = \"high\""),
        &[],
        &[
            "indicators.output.growth.sd",
            "expected a number, found the string \"high\"",
        ],
    );
}

#[test]
fn invalid_distribution_parameters_are_rejected() {
    rejects(
        "sd",
        &broken("sd = 0.1", "sd = -0.1"),
        &[],
        &["growth.sd", "≥ 0"],
    );
    rejects(
        "pct",
        &broken("{ mean = 0.05, sd = 0.1 }", "{ p5 = 0.01 }"),
        &[],
        &["exactly two percentiles"],
    );
    rejects(
        "trunc",
        &broken(
            "{ mean = 0.05, sd = 0.1 }",
            "{ mean = 0.0, sd = 0.01, min = 1 }",
        ),
        &[],
        &["keep only"],
    );
    rejects(
        "prob",
        &broken("base = 0.01", "base = 1.5"),
        &[],
        &["indicators.rd.base", "between 0 and 1"],
    );
    rejects(
        "uncertain",
        &broken("base = 0.01", "base = { mean = 0.01, sd = 0.01 }"),
        &[],
        &["indicators.rd.base", "min"],
    );
}

#[test]
fn invalid_correlation_names_the_pairs_and_the_nearest_matrix() {
    let text = VALID.to_string()
        + "[indicators.c]\nkind = \"level\"\nbase = 1\ngrowth = { mean = 0.0, sd = 0.1 }\n\
           [correlation]\npairs = [[\"output\", \"rd\", 0.9], [\"output\", \"c\", 0.9], [\"rd\", \"c\", -0.9]]\n";
    rejects(
        "psd",
        &text,
        &[],
        &[
            "correlation.pairs",
            "output ~ rd (0.9)",
            "rd ~ c (-0.9)",
            "nearest valid matrix",
            "repair = true",
        ],
    );
}

#[test]
fn formula_problems_are_located() {
    let cyc = VALID.to_string() + "[indicators.a]\nkind = \"formula\"\nformula = \"b + 1\"\n[indicators.b]\nkind = \"formula\"\nformula = \"a * 2\"\n";
    rejects("cycle", &cyc, &[], &["cycle: a → b → a"]);
    let unknown =
        VALID.to_string() + "[indicators.a]\nkind = \"formula\"\nformula = \"rd / outptu\"\n";
    rejects(
        "formula",
        &unknown,
        &[],
        &[
            "indicators.a.formula",
            "character 6",
            "did you mean `output`?",
        ],
    );
}

#[test]
fn years_out_of_place_are_rejected() {
    rejects(
        "future_history",
        &broken("base = 100", "base = 100\nhistory = { 2021 = 105 }"),
        &[],
        &["history.2021", "after the base year"],
    );
    rejects(
        "no_history",
        &broken(
            "at_least = 130",
            "metric = \"cagr\"\nfrom = 2018\nat_least = 0.1",
        ),
        &[],
        &["targets.output_130", "2018", "no observed value"],
    );
    rejects(
        "horizon",
        &broken("at_least = 130", "year = 2030\nat_least = 130"),
        &[],
        &["after the horizon"],
    );
}

#[test]
fn composite_with_unknown_member_gets_a_suggestion() {
    let text = VALID.to_string() + "[targets.plan]\nall = [\"output_13\"]\n";
    rejects(
        "composite",
        &text,
        &[],
        &["targets.plan.all[0]", "did you mean `output_130`?"],
    );
}

#[test]
fn shock_on_a_formula_is_rejected() {
    // A formula moves with its inputs; a shock loads on those.
    let text = VALID.to_string()
        + "[indicators.f]\nkind = \"formula\"\nformula = \"output * 2\"\n\
           [shocks.s]\nprobability = 0.1\neffect = -0.1\naffects = { f = 1.0 }\n";
    rejects(
        "shock",
        &text,
        &[],
        &[
            "shocks.s.affects.f",
            "formula indicator",
            "entries of counts",
        ],
    );
}

#[test]
fn check_reports_every_problem_in_a_file() {
    let text = broken("sd = 0.1", "sd = -1")
        .replacen("kind = \"share\"", "kind = \"shares\"", 1)
        .replacen("at_least = 130", "at_lest = 130", 1);
    rejects(
        "many",
        &text,
        &[],
        &[
            "growth.sd",
            "did you mean `share`?",
            "did you mean `at_least`?",
            "problems found",
        ],
    );
}

#[test]
fn bad_overrides_say_which_part_is_unknown() {
    rejects(
        "o1",
        VALID,
        &["--set", "indicators.outptu.growth.mean=0.1"],
        &[
            "from --set",
            "unknown indicator `outptu`",
            "did you mean `output`?",
        ],
    );
    rejects(
        "o2",
        VALID,
        &["--set", "indicators.output.growth.maen=0.1"],
        &[
            "from --set",
            "indicators.output.growth.maen",
            "did you mean `mean`?",
        ],
    );
    rejects(
        "o3",
        VALID,
        &["--set", "indicators.output.growth.mean"],
        &["expected PATH=VALUE"],
    );
    rejects(
        "o4",
        VALID,
        &["--set", "indicators.output.base.mean=1"],
        &["is the integer 100 in the file, not a table"],
    );
    rejects(
        "o5",
        VALID,
        &["--set", "scenari.name=x"],
        &["unknown section `scenari`", "did you mean `scenario`?"],
    );
}

#[test]
fn bad_flags_and_missing_files_exit_2() {
    for args in [
        vec!["run", EXAMPLE, "--draws", "0"],
        vec!["run", EXAMPLE, "--format", "xml"],
        vec!["run", EXAMPLE, "--threads", "0"],
        vec!["run"],
        vec!["frobnicate"],
    ] {
        let out = dabiao(&args);
        assert_eq!(out.code, 2, "{args:?}: {}", out.stderr);
        assert!(out.stdout.is_empty());
    }
    let out = dabiao(&["run", "no/such/file.toml"]);
    assert_eq!(out.code, 2);
    assert!(
        out.stderr.contains("no/such/file.toml") && out.stderr.contains("cannot read"),
        "{}",
        out.stderr
    );
}

#[test]
fn calibrate_prints_toml_that_a_scenario_accepts() {
    let csv = format!("{}/series.csv", env!("CARGO_TARGET_TMPDIR"));
    // Two value columns, so --column is needed.
    let series = "year,output,other\n2016,80,1\n2017,86.5,1\n2018,92,1\n2019,101.3,1\n2020,99,1\n2021,110.4,1\n";
    std::fs::write(&csv, series).unwrap();
    let out = dabiao(&["calibrate", &csv, "--column", "output"]);
    assert_eq!(out.code, 0, "{}", out.stderr);
    assert!(
        out.stdout.contains("# warning: only 6 values"),
        "{}",
        out.stdout
    );
    // Paste the fragment into an indicator: the scenario must validate.
    let fragment: String = out
        .stdout
        .lines()
        .filter(|l| !l.starts_with('#'))
        .map(|l| format!("{l}\n"))
        .collect();
    let text = VALID.replacen("growth = { mean = 0.05, sd = 0.1 }\n", &fragment, 1);
    let check = dabiao(&["check", &scenario("calibrated", &text)]);
    assert_eq!(check.code, 0, "{}\n{text}", check.stderr);
}

#[test]
fn calibrate_counts_and_scenario_history() {
    let csv = format!("{}/counts.csv", env!("CARGO_TARGET_TMPDIR"));
    std::fs::write(
        &csv,
        "year,n\n2016,80\n2017,86\n2018,92\n2019,101\n2020,99\n2021,110\n2022,125\n2023,131\n",
    )
    .unwrap();
    let out = dabiao(&["calibrate", &csv, "--kind", "count"]);
    assert_eq!(out.code, 0, "{}", out.stderr);
    assert!(
        out.stdout
            .contains("entries = { dist = \"negative_binomial\""),
        "{}",
        out.stdout
    );
    assert!(out.stdout.contains("# net additions"), "{}", out.stdout);
    // Gross of 5 % exits: the net mean 51/7 = 7.29 plus 5 % of the mean
    // count before each year (693/7 = 99): 12.24.
    let gross = dabiao(&["calibrate", &csv, "--kind", "count", "--exit-rate", "0.05"]);
    assert_eq!(gross.code, 0, "{}", gross.stderr);
    assert!(
        gross.stdout.contains("# gross entries, with 5.0 %"),
        "{}",
        gross.stdout
    );
    assert!(
        gross.stdout.contains("exit_rate = 0.05"),
        "{}",
        gross.stdout
    );
    assert!(gross.stdout.contains("mean = 12.236"), "{}", gross.stdout);
    let out = dabiao(&[
        "calibrate",
        concat!(env!("CARGO_MANIFEST_DIR"), "/scenarios/tongcheng_2024.toml"),
        "--indicator",
        "value_added",
    ]);
    assert_eq!(out.code, 0, "{}", out.stderr);
    assert!(out.stdout.contains("3 values, 2021–2023"), "{}", out.stdout);
}

#[test]
fn calibrate_rejects_bad_series() {
    let cases = [
        (
            "gap",
            "year,v\n2016,1\n2018,2\n2019,3\n2020,4\n",
            vec![],
            "no value for 2017",
        ),
        (
            "dup",
            "year,v\n2016,1\n2016,2\n2017,3\n2018,4\n",
            vec![],
            "2016 appears twice",
        ),
        (
            "neg",
            "year,v\n2016,1\n2017,-2\n2018,3\n2019,4\n",
            vec![],
            "must be positive",
        ),
        ("short", "year,v\n2016,1\n2017,2\n", vec![], "too few"),
        (
            "empty",
            "year,v\n2016,1\n2017,\n2018,3\n2019,4\n",
            vec![],
            "no value for 2017",
        ),
        (
            "col",
            "year,v\n2016,1\n2017,2\n2018,3\n",
            vec!["--column", "w"],
            "no column `w`",
        ),
    ];
    for (name, text, extra, expected) in cases {
        let csv = format!("{}/bad_{name}.csv", env!("CARGO_TARGET_TMPDIR"));
        std::fs::write(&csv, text).unwrap();
        let mut args = vec!["calibrate", csv.as_str()];
        args.extend(extra);
        let out = dabiao(&args);
        assert_eq!(out.code, 2, "{name}: {}", out.stderr);
        assert!(out.stdout.is_empty());
        assert!(
            out.stderr.contains(expected),
            "{name}: expected `{expected}` in {}",
            out.stderr
        );
    }
    let out = dabiao(&["calibrate", EXAMPLE, "--indicator", "outptu"]);
    assert_eq!(out.code, 2);
    assert!(
        out.stderr.contains("did you mean `output`?"),
        "{}",
        out.stderr
    );
}

#[test]
fn an_undefined_statistic_is_a_miss_and_says_so() {
    // x / (x − x) divides by zero on every path.
    let text = VALID.to_string()
        + "[indicators.f]\nkind = \"formula\"\nformula = \"output / (output - output)\"\n\
           [targets.f_big]\nindicator = \"f\"\nat_least = 1\n";
    let v = json(&[
        "run",
        &scenario("undefined", &text),
        "--draws",
        "2000",
        "--format",
        "json",
    ]);
    let t = v["targets"]
        .as_array()
        .unwrap()
        .iter()
        .find(|t| t["id"] == "f_big")
        .unwrap();
    assert_eq!(t["hits"], 0);
    let warnings = v["warnings"].as_array().unwrap();
    assert!(
        warnings
            .iter()
            .any(|w| w["kind"] == "undefined" && w["target"] == "f_big"),
        "{warnings:?}"
    );
}

#[test]
fn one_html_report_at_a_time_and_nothing_written_when_refused() {
    let path = scenario("html_two", VALID);
    let dir = format!("{}/html_two_out", env!("CARGO_TARGET_TMPDIR"));
    let _ = std::fs::remove_dir_all(&dir);
    let out = dabiao(&["run", &path, &path, "--format", "html", "--out", &dir]);
    assert_eq!(out.code, 2, "{}", out.stderr);
    assert!(out.stdout.is_empty());
    assert!(
        out.stderr.contains("--format html prints one report"),
        "{}",
        out.stderr
    );
    assert!(
        !std::path::Path::new(&dir).exists(),
        "refused, yet wrote --out"
    );
}

#[test]
fn the_cross_plan_summary_gives_the_reports_joint_figures() {
    // Once the summary showed a plan's own composite and the reports the
    // engine's joint tally: 0.017 % against "< 0.002 %" for one plan.
    let shengsi = concat!(env!("CARGO_MANIFEST_DIR"), "/scenarios/shengsi.toml");
    let args = ["--draws", "20000", "-q"];
    let table = dabiao(&[&["run", EXAMPLE, shengsi][..], &args].concat());
    let md = dabiao(&[&["run", shengsi, "--format", "md"][..], &args].concat());
    let figure = |line: &str| {
        line.split(": ")
            .nth(1)
            .unwrap()
            .split(' ')
            .next()
            .unwrap()
            .to_string()
    };
    let joint: Vec<String> = md
        .stdout
        .lines()
        .filter(|l| l.starts_with("All floor targets:") || l.starts_with("All stretch targets:"))
        .map(figure)
        .collect();
    assert_eq!(joint.len(), 2, "{}", md.stdout);
    let row = table
        .stdout
        .lines()
        .find(|l| l.contains("嵊泗") && l.contains("→"))
        .unwrap();
    let cells: Vec<&str> = row.split_whitespace().collect();
    assert_eq!(
        cells[cells.len() - 2..],
        [joint[0].as_str(), joint[1].as_str()],
        "{row}"
    );
}
