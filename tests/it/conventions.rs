//! The command line's conventions: -o FILE on every command that prints,
//! `-` for standard input, completions, examples in --help, errors as JSON
//! with --format json, the language from the locale, CSV for Excel.

use std::io::Write;
use std::process::{Command, Stdio};

use crate::cli::{dabiao, EXAMPLE};

fn tmp(name: &str) -> String {
    let dir = std::path::Path::new(env!("CARGO_TARGET_TMPDIR")).join("conventions");
    std::fs::create_dir_all(&dir).unwrap();
    dir.join(name).display().to_string()
}

#[test]
fn every_printing_command_writes_to_a_file_with_o() {
    let cases: Vec<(Vec<&str>, &str)> = vec![
        (vec!["check", EXAMPLE], "check.txt"),
        (
            vec![
                "sweep",
                EXAMPLE,
                "--vary",
                "indicators.output.growth.mean=0.05..0.15",
                "--steps",
                "3",
                "--draws",
                "2000",
                "--quiet",
            ],
            "sweep.txt",
        ),
        (
            vec![
                "solve",
                EXAMPLE,
                "--vary",
                "indicators.output.growth.mean=0.0..0.4",
                "--target",
                "output_300",
                "--probability",
                "0.5",
                "--draws",
                "2000",
                "--quiet",
            ],
            "solve.txt",
        ),
        (
            vec!["run", EXAMPLE, "--draws", "2000", "--quiet"],
            "run.txt",
        ),
    ];
    for (args, name) in cases {
        let printed = dabiao(&args);
        assert_eq!(printed.code, 0, "{args:?}: {}", printed.stderr);
        let file = tmp(name);
        let _ = std::fs::remove_file(&file);
        let written = dabiao(&[args.as_slice(), &["-o", &file]].concat());
        assert_eq!(written.code, 0, "{args:?}: {}", written.stderr);
        assert!(written.stdout.is_empty(), "{args:?}");
        let text = std::fs::read_to_string(&file).unwrap();
        // Timing lines aside, what is written is what is printed.
        let strip = |s: &str| {
            s.lines()
                .filter(|l| !l.contains(" threads · "))
                .collect::<Vec<_>>()
                .join("\n")
        };
        assert_eq!(strip(&text), strip(&printed.stdout), "{args:?}");
    }
}

#[test]
fn a_dash_reads_the_scenario_from_standard_input() {
    let text = std::fs::read(EXAMPLE).unwrap();
    let mut child = Command::new(env!("CARGO_BIN_EXE_dabiao"))
        .args(["run", "-", "--draws", "2000", "--quiet", "--format", "csv"])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .spawn()
        .unwrap();
    child.stdin.take().unwrap().write_all(&text).unwrap();
    let out = child.wait_with_output().unwrap();
    assert!(out.status.success());
    let from_file = dabiao(&[
        "run", EXAMPLE, "--draws", "2000", "--quiet", "--format", "csv",
    ]);
    let stdout = String::from_utf8(out.stdout).unwrap();
    // The same numbers; only the file column differs.
    let numbers = |s: &str| {
        s.lines()
            .map(|l| l.split(',').skip(2).collect::<Vec<_>>().join(","))
            .collect::<Vec<_>>()
    };
    assert_eq!(numbers(&stdout), numbers(&from_file.stdout));
    assert!(stdout.contains(",<stdin>,"), "{stdout}");
}

#[test]
fn completions_for_every_shell_and_examples_in_help() {
    for shell in ["bash", "zsh", "fish", "powershell"] {
        let out = dabiao(&["completions", shell]);
        assert_eq!(out.code, 0, "{shell}");
        for word in ["run", "merge", "shard", "format"] {
            assert!(out.stdout.contains(word), "{shell} lacks {word}");
        }
    }
    for cmd in [
        "run",
        "check",
        "calibrate",
        "sweep",
        "solve",
        "compare",
        "backtest",
        "extract",
        "merge",
        "study",
        "completions",
    ] {
        let out = dabiao(&[cmd, "--help"]);
        assert_eq!(out.code, 0);
        assert!(
            out.stdout.contains("Examples:\n  dabiao"),
            "{cmd} --help has no examples"
        );
    }
}

#[test]
fn errors_are_json_when_the_output_is() {
    let out = dabiao(&["run", "no-such-file.toml", "--format", "json"]);
    assert_eq!(out.code, 2);
    assert!(out.stdout.is_empty());
    let v: serde_json::Value = serde_json::from_str(&out.stderr).expect("JSON on stderr");
    assert_eq!(v["error"]["exit_code"], 2);
    assert_eq!(v["error"]["diagnostics"][0]["file"], "no-such-file.toml");
    let path = crate::cli::scenario(
        "json_error",
        &crate::cli::VALID.replace("horizon = 2025", "horizon = \"2025\""),
    );
    let out = dabiao(&["run", &path, "--format", "json"]);
    let v: serde_json::Value = serde_json::from_str(&out.stderr).expect("JSON on stderr");
    let d = &v["error"]["diagnostics"][0];
    assert!(d["line"].as_u64().is_some(), "{d}");
    assert!(
        d["message"].as_str().unwrap().contains("horizon")
            || d["path"].as_str().unwrap_or("").contains("horizon"),
        "{d}"
    );
    // Not asked for JSON: text.
    let out = dabiao(&["run", "no-such-file.toml"]);
    assert!(
        out.stderr.starts_with("error: no-such-file.toml"),
        "{}",
        out.stderr
    );
}

#[test]
fn the_language_follows_the_locale_unless_lang_says() {
    let md = |envs: &[(&str, &str)], extra: &[&str]| {
        let mut c = Command::new(env!("CARGO_BIN_EXE_dabiao"));
        c.args(
            [
                [
                    "run", EXAMPLE, "--draws", "1000", "--quiet", "--format", "md",
                ]
                .as_slice(),
                extra,
            ]
            .concat(),
        );
        c.env_remove("LC_ALL")
            .env_remove("LC_MESSAGES")
            .env_remove("LANG");
        for (k, v) in envs {
            c.env(k, v);
        }
        String::from_utf8(c.output().unwrap().stdout).unwrap()
    };
    let zh = "## 假设";
    assert!(md(&[("LANG", "zh_CN.UTF-8")], &[]).contains(zh));
    assert!(md(&[("LC_ALL", "zh_TW.UTF-8"), ("LANG", "en_US.UTF-8")], &[]).contains(zh));
    assert!(!md(&[("LANG", "en_GB.UTF-8")], &[]).contains(zh));
    assert!(!md(&[], &[]).contains(zh));
    assert!(!md(&[("LANG", "zh_CN.UTF-8")], &["--lang", "en"]).contains(zh));
}

#[test]
fn csv_is_plain_utf8_unless_excel_is_asked_for() {
    let args = [
        "run", EXAMPLE, "--draws", "1000", "--quiet", "--format", "csv",
    ];
    let plain = Command::new(env!("CARGO_BIN_EXE_dabiao"))
        .args(args)
        .output()
        .unwrap();
    assert!(plain.stdout.starts_with(b"scenario,"));
    let excel = Command::new(env!("CARGO_BIN_EXE_dabiao"))
        .args(args)
        .arg("--excel-csv")
        .output()
        .unwrap();
    assert_eq!(&excel.stdout[..3], b"\xef\xbb\xbf");
    assert_eq!(&excel.stdout[3..], &plain.stdout[..]);
}

#[test]
fn sweep_and_solve_say_rates_as_rates_rare_odds_as_bounds_and_write_a_folder() {
    let dir = tmp("sweep_out");
    let _ = std::fs::remove_dir_all(&dir);
    let out = dabiao(&[
        "sweep",
        EXAMPLE,
        "--vary",
        "indicators.output.growth.mean=0.05..0.15",
        "--steps",
        "3",
        "--draws",
        "3000",
        "--quiet",
        "--out",
        &dir,
    ]);
    assert_eq!(out.code, 0, "{}", out.stderr);
    // The rates as percentages; a target no path reached as a bound.
    let rows: Vec<&str> = out.stdout.lines().skip(3).collect();
    assert!(rows[0].trim_start().starts_with("5%"), "{}", out.stdout);
    assert!(rows[1].trim_start().starts_with("10%"), "{}", out.stdout);
    assert!(out.stdout.contains("< 0."), "{}", out.stdout);
    assert!(!out.stdout.contains(" 0.0%"), "{}", out.stdout);
    for name in ["sweep.html", "sweep.csv", "sweep.json", "sweep.txt"] {
        assert!(std::path::Path::new(&dir).join(name).is_file(), "{name}");
    }
    let solve_args = [
        "solve",
        EXAMPLE,
        "--vary",
        "indicators.output.growth.mean=0.0..0.4",
        "--target",
        "output_300",
        "--probability",
        "0.5",
        "--draws",
        "3000",
        "--quiet",
    ];
    let solve = dabiao(&solve_args);
    assert_eq!(solve.code, 0, "{}", solve.stderr);
    let first = solve.stdout.lines().next().unwrap();
    assert!(first.contains("growth.mean = 20."), "{first}");
    assert!(first.ends_with('%'), "{first}");
    // And a folder: the page with its chart, JSON with every run, the table.
    let dir = tmp("solve_out");
    let _ = std::fs::remove_dir_all(&dir);
    let solve = dabiao(&[solve_args.as_slice(), &["--out", &dir]].concat());
    assert_eq!(solve.code, 0, "{}", solve.stderr);
    let read = |name: &str| std::fs::read_to_string(std::path::Path::new(&dir).join(name)).unwrap();
    assert!(read("solve.html").contains("<svg"));
    assert_eq!(read("solve.txt"), solve.stdout);
    let json: serde_json::Value = serde_json::from_str(&read("solve.json")).unwrap();
    let runs = json["runs"].as_u64().unwrap();
    assert!(runs > 2);
    assert_eq!(json["evaluations"].as_array().unwrap().len() as u64, runs);
}

#[test]
fn check_sweep_solve_and_compare_speak_chinese_under_lang_zh() {
    let run = |args: &[&str]| {
        let out = dabiao(&[args, &["--lang", "zh"]].concat());
        assert_eq!(out.code, 0, "{args:?}: {}", out.stderr);
        out.stdout
    };
    let check = run(&["check", EXAMPLE]);
    for word in ["通过", "层级", "所需年增速", "假设年增速"] {
        assert!(check.contains(word), "check: {word}\n{check}");
    }
    let sweep = run(&[
        "sweep",
        EXAMPLE,
        "--vary",
        "indicators.output.growth.mean=0.05..0.15",
        "--steps",
        "3",
        "--draws",
        "2000",
        "--quiet",
    ]);
    assert!(
        sweep.contains("扫描") && sweep.contains("次模拟"),
        "{sweep}"
    );
    let solve = run(&[
        "solve",
        EXAMPLE,
        "--vary",
        "indicators.output.growth.mean=0.0..0.4",
        "--target",
        "output_300",
        "--probability",
        "0.5",
        "--draws",
        "2000",
        "--quiet",
    ]);
    assert!(
        solve.contains("概率所需的") && solve.contains("蒙特卡洛"),
        "{solve}"
    );
    let compare = run(&["compare", EXAMPLE, EXAMPLE, "--draws", "2000", "--quiet"]);
    assert!(
        compare.contains("情景：") && compare.contains("配对差"),
        "{compare}"
    );
    // And none of their English frame is left.
    for (out, english) in [
        (&check, "needs/yr"),
        (&sweep, "sweep of"),
        (&solve, "compatible"),
        (&compare, "Scenarios:"),
    ] {
        assert!(!out.contains(english), "{english}\n{out}");
    }
}

#[test]
fn man_pages_come_from_the_same_definitions_as_the_flags() {
    let page = dabiao(&["man"]);
    assert_eq!(page.code, 0, "{}", page.stderr);
    assert!(page.stdout.starts_with(".ie") || page.stdout.contains(".TH dabiao 1"));
    assert!(page.stdout.contains(".SH SUBCOMMANDS"), "{}", page.stdout);
    let dir = tmp("man");
    let _ = std::fs::remove_dir_all(&dir);
    let out = dabiao(&["man", "--out", &dir]);
    assert_eq!(out.code, 0, "{}", out.stderr);
    let run = std::fs::read_to_string(std::path::Path::new(&dir).join("dabiao-run.1")).unwrap();
    for flag in ["sampler", "precision", "excel", "shard"] {
        assert!(run.contains(flag), "dabiao-run.1 lacks --{flag}");
    }
    assert!(std::path::Path::new(&dir).join("dabiao.1").is_file());
}

/// `--lang zh` (or a Chinese locale) speaks Chinese in errors from every
/// command, not only the scenario's, also as JSON; and in calibrate's
/// comments and extract's draft.
#[test]
fn errors_calibrate_and_extract_speak_chinese_too() {
    let zh_locale = |args: &[&str]| {
        let out = Command::new(env!("CARGO_BIN_EXE_dabiao"))
            .args(args)
            .env_remove("LC_ALL")
            .env_remove("LC_MESSAGES")
            .env("LANG", "zh_CN.UTF-8")
            .output()
            .unwrap();
        (
            out.status.code().unwrap_or(-1),
            String::from_utf8_lossy(&out.stderr).into_owned(),
        )
    };
    let folder = tmp("zh_errors_file.txt");
    std::fs::write(&folder, "not a folder").unwrap();
    let part = tmp("zh_errors.part");
    std::fs::write(&part, "not a part").unwrap();
    let series = tmp("zh_errors.csv");
    std::fs::write(&series, "year,v\n2020,1\n2022,2\n2023,3\n").unwrap();
    let no_years = tmp("zh_errors_no_years.csv");
    std::fs::write(&no_years, "a,b\nx,y\n").unwrap();
    for args in [
        vec!["run", "no-such-file.toml", "--lang", "zh"],
        vec![
            "run", EXAMPLE, "--out", &folder, "--draws", "100", "--lang", "zh",
        ],
        vec!["run", EXAMPLE, "--format", "xlsx", "--lang", "zh"],
        vec!["merge", &part, "--lang", "zh"],
        vec!["calibrate", &series, "--lang", "zh"],
        vec!["calibrate", &no_years, "--lang", "zh"],
        vec![
            "calibrate",
            EXAMPLE,
            "--indicator",
            "outptu",
            "--lang",
            "zh",
        ],
        vec!["extract", &series, "--lang", "zh"],
        vec![
            "sweep",
            EXAMPLE,
            "--vary",
            "indicators.nope.base=1..2",
            "--lang",
            "zh",
        ],
        vec!["compare", EXAMPLE, "--lang", "zh"],
        vec!["study", "no-such-study.toml"],
        // The command line's own mistakes, which clap words in English.
        vec!["run", EXAMPLE, "--drows", "5", "--lang", "zh"],
        vec!["run", EXAMPLE, "--sampler", "foo", "--lang=zh"],
        vec!["run", "--lang", "zh"],
        vec!["frobnicate"],
        vec!["calibrate", &series, "--exit-rate", "2"],
    ] {
        let (code, stderr) = zh_locale(&args);
        assert_eq!(code, 2, "{args:?}: {stderr}");
        crate::cli::assert_all_chinese(&stderr, &args.join(" "));
    }
    let (_, stderr) = zh_locale(&["run", "no-such-file.toml", "--format", "json"]);
    let v: serde_json::Value = serde_json::from_str(&stderr).expect("JSON on stderr");
    let message = v["error"]["diagnostics"][0]["message"].as_str().unwrap();
    assert!(message.contains("无法读取文件"), "{message}");
    // --lang en overrides the locale.
    let (_, stderr) = zh_locale(&["run", "no-such-file.toml", "--lang", "en"]);
    assert!(stderr.starts_with("error: "), "{stderr}");

    // calibrate's comments, extract's draft and summary.
    let good = tmp("zh_calibrate.csv");
    std::fs::write(
        &good,
        "年份,产值\n2018,100\n2019,108\n2020,113\n2021,125\n2022,131\n",
    )
    .unwrap();
    let out = dabiao(&["calibrate", &good, "--lang", "zh"]);
    assert_eq!(out.code, 0, "{}", out.stderr);
    assert!(
        out.stdout.contains("# 5 个值，2018–2022（4 个年增长率）")
            && out.stdout.contains("# 注意："),
        "{}",
        out.stdout
    );
    let plan = tmp("zh_plan.txt");
    std::fs::write(
        &plan,
        "关于全力打造制造业强县的实施意见 (隽发〔2022〕12号)\n\
         到2025年,力争全县工业总产值达到300亿元、年均增长20%以上;规模以上工业企业突破160家。\n",
    )
    .unwrap();
    let out = dabiao(&["extract", &plan, "--lang", "zh"]);
    assert_eq!(out.code, 0, "{}", out.stderr);
    assert!(
        out.stdout.contains("TODO: 工业总产值的基期值（2021）")
            && out.stdout.contains("# 由 `dabiao extract`")
            && out.stderr.contains("个目标"),
        "{}\n{}",
        out.stdout,
        out.stderr
    );
    // The draft's placeholders are refused in Chinese, naming what is missing.
    let draft = tmp("zh_draft.toml");
    std::fs::write(&draft, &out.stdout).unwrap();
    let out = dabiao(&["check", &draft, "--lang", "zh"]);
    assert_eq!(out.code, 2);
    crate::cli::assert_all_chinese(&out.stderr, "draft");
    assert!(
        out.stderr
            .contains("工业总产值的基期值（2021）未知：请给出数值或区间"),
        "{}",
        out.stderr
    );
}

/// A Chinese report says its units and distributions in Chinese: no "pt",
/// "/yr", "times", "uniform(…)" or "entries … exits" left from English.
#[test]
fn units_and_distributions_are_chinese_in_chinese_reports() {
    let plan = concat!(env!("CARGO_MANIFEST_DIR"), "/scenarios/rongchang.toml");
    let out = dabiao(&[
        "run", plan, "--draws", "2000", "--quiet", "--format", "md", "--lang", "zh",
    ]);
    assert_eq!(out.code, 0, "{}", out.stderr);
    for english in [
        " pt",
        "/yr",
        " times",
        "uniform(",
        "normal(",
        "negative_binomial(",
        "entries ",
        "exits ",
        "mean ~",
    ] {
        assert!(
            !out.stdout.contains(english),
            "`{english}` in:\n{}",
            out.stdout
        );
    }
    for chinese in ["个百分点", "均匀(", "年新增", "年退出率"] {
        assert!(
            out.stdout.contains(chinese),
            "no `{chinese}` in:\n{}",
            out.stdout
        );
    }
}
