//! Series as bureaus publish them, through `calibrate` and `backtest`: GBK
//! CSVs, years as `2021年`, thousands separators, years across the top (the
//! yearbook layout), and spreadsheets.

use crate::cli::{dabiao, scenario};

fn file(name: &str, bytes: &[u8]) -> String {
    let path = format!("{}/data_in_{name}", env!("CARGO_TARGET_TMPDIR"));
    std::fs::write(&path, bytes).unwrap();
    path
}

const YEARS: [i32; 9] = [2015, 2016, 2017, 2018, 2019, 2020, 2021, 2022, 2023];
const OUTPUT: [f64; 9] = [
    1050.5, 1131.0, 1240.2, 1302.9, 1411.0, 1398.4, 1562.7, 1650.0, 1772.3,
];

/// The plain series every other layout must read as.
fn plain(name: &str) -> String {
    let mut csv = String::from("year,output\n");
    for (y, v) in YEARS.iter().zip(OUTPUT) {
        csv.push_str(&format!("{y},{v}\n"));
    }
    file(&format!("plain_{name}.csv"), csv.as_bytes())
}

fn calibrated(path: &str, column: &str) -> String {
    let out = dabiao(&["calibrate", path, "--column", column]);
    assert_eq!(out.code, 0, "{path}: {}", out.stderr);
    // The first line names the source; the estimates follow.
    out.stdout.lines().skip(1).collect::<Vec<_>>().join("\n")
}

#[test]
fn a_gbk_yearbook_table_calibrates_as_the_plain_series() {
    let expected = calibrated(&plain("gbk"), "output");
    // Years across, 2015年 …, thousands separators, a title and a unit line,
    // a second series, saved in GBK as bureaus' sites serve it.
    let mut text = String::from("通城县工业主要指标\n单位：亿元\n指标,");
    text.push_str(
        &YEARS
            .iter()
            .map(|y| format!("{y}年"))
            .collect::<Vec<_>>()
            .join(","),
    );
    text.push_str("\n工业总产值,");
    text.push_str(
        &OUTPUT
            .iter()
            .map(|v| format!("\"{}\"", with_separators(*v)))
            .collect::<Vec<_>>()
            .join(","),
    );
    text.push_str("\n规上企业(家),90,95,99,101,104,108,111,117,125\n");
    let (gbk, _, bad) = encoding_rs::GBK.encode(&text);
    assert!(!bad);
    assert!(std::str::from_utf8(&gbk).is_err(), "the file is not UTF-8");
    let path = file("yearbook.csv", &gbk);
    assert_eq!(calibrated(&path, "工业总产值"), expected);
    let out = dabiao(&["calibrate", &path]);
    assert_eq!(out.code, 2);
    assert!(
        out.stderr.contains("--column 工业总产值|规上企业(家)"),
        "{}",
        out.stderr
    );
}

fn with_separators(v: f64) -> String {
    let whole = v.trunc() as i64;
    let frac = format!("{:.1}", v.fract())
        .trim_start_matches('0')
        .to_string();
    let digits = whole.to_string();
    let mut out = String::new();
    for (k, c) in digits.chars().enumerate() {
        if k > 0 && (digits.len() - k) % 3 == 0 {
            out.push(',');
        }
        out.push(c);
    }
    out + &frac
}

#[test]
fn a_spreadsheet_series_calibrates_as_the_plain_series() {
    let expected = calibrated(&plain("xlsx"), "output");
    let mut book = rust_xlsxwriter::Workbook::new();
    let ws = book.add_worksheet();
    ws.write_string(0, 0, "年份").unwrap();
    ws.write_string(0, 1, "output").unwrap();
    for (k, (y, v)) in YEARS.iter().zip(OUTPUT).enumerate() {
        // Years as numbers, as a spreadsheet holds them.
        ws.write_number(k as u32 + 1, 0, *y).unwrap();
        ws.write_number(k as u32 + 1, 1, v).unwrap();
    }
    let path = file("series.xlsx", &book.save_to_buffer().unwrap());
    assert_eq!(calibrated(&path, "output"), expected);
}

const PLAN: &str = r#"[scenario]
name = "t"
base_year = 2020
horizon = 2023

[run]
draws = 4000
seed = 3

[indicators.x]
kind = "level"
base = 100.0
growth = { mean = 0.05, sd = 0.03 }

[indicators.n]
kind = "count"
base = 50
entries = { mean = 4 }

[targets.x_120]
indicator = "x"
at_least = 120
year = 2023
"#;

#[test]
fn actuals_in_the_yearbook_layout_score_as_rows_do() {
    let plan = scenario("data_in_plan", PLAN);
    let rows = file(
        "actuals_rows.csv",
        b"indicator,year,value,source\nx,2021,104.5,bulletin\nx,2022,110.2,bulletin\nn,2021,53,bulletin\nx,2023,121,bulletin\n",
    );
    let wide = file(
        "actuals_wide.csv",
        "指标,2021年,2022年,2023年\nx,104.5,110.2,121\nn,53,—,\n".as_bytes(),
    );
    let json = |actuals: &str| {
        let out = dabiao(&["backtest", &plan, "--actuals", actuals, "--format", "json"]);
        assert_eq!(out.code, 0, "{}", out.stderr);
        let mut v: serde_json::Value = serde_json::from_str(&out.stdout).unwrap();
        // Actuals in indicator-then-year order, whichever layout they came in.
        if let Some(a) = v["values"].as_array_mut() {
            a.sort_by_key(|x| (x["indicator"].to_string(), x["year"].as_i64()));
        }
        v
    };
    let (a, b) = (json(&rows), json(&wide));
    assert_eq!(a["values"], b["values"]);
    assert_eq!(a["targets"], b["targets"]);
    assert!(a["values"].as_array().is_some_and(|x| x.len() == 4), "{a}");
    let bad = file("actuals_bad.csv", "指标,2021年,2022年\nxx,1,2\n".as_bytes());
    let out = dabiao(&["backtest", &plan, "--actuals", &bad]);
    assert_eq!(out.code, 2);
    assert!(out.stderr.contains("did you mean `x`?"), "{}", out.stderr);
}

/// `history_file` and `column`: an indicator's history read from a bureau's
/// table beside the scenario gives the run that typing it in gives; a wrong
/// column is refused with the columns there are; and shards of the run merge
/// after the table is gone, from the series their parts carry.
#[test]
fn a_history_named_in_the_scenario_is_read_from_the_bureaus_table() {
    let dir = std::path::Path::new(env!("CARGO_TARGET_TMPDIR")).join("history_file");
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    let years: Vec<String> = YEARS.iter().map(|y| format!("{y}年")).collect();
    let values: Vec<String> = OUTPUT
        .iter()
        .map(|v| format!("\"{}\"", with_separators(*v)))
        .collect();
    let table = format!(
        "通城县工业主要指标\n单位：亿元\n指标,{}\n工业总产值,{}\n规上企业(家),90,95,99,101,104,108,111,117,125\n",
        years.join(","),
        values.join(",")
    );
    let (gbk, _, _) = encoding_rs::GBK.encode(&table);
    std::fs::write(dir.join("yearbook.csv"), &gbk).unwrap();
    let scenario = |history: &str| {
        format!(
            "[scenario]\nname = \"t\"\nbase_year = 2023\nhorizon = 2026\n[run]\ndraws = 4000\nseed = 3\n
[indicators.output]\nkind = \"level\"\nlabel = \"工业总产值\"\nsource = \"yearbook\"\n{history}
growth = {{ mean = 0.06, sd = 0.04 }}\npersistence = 0.3\n
[targets.double]\nindicator = \"output\"\nyear = 2026\nat_least = 2100\n
[targets.since_2020]\nindicator = \"output\"\nmetric = \"cagr\"\nfrom = 2020\nto = 2026\nat_least = 0.04\n"
        )
    };
    let typed: Vec<String> = YEARS
        .iter()
        .zip(OUTPUT)
        .map(|(y, v)| format!("{y} = {v}"))
        .collect();
    let write = |name: &str, history: &str| {
        let path = dir.join(name);
        std::fs::write(&path, scenario(history)).unwrap();
        path.display().to_string()
    };
    let typed = write(
        "typed.toml",
        &format!("history = {{ {} }}", typed.join(", ")),
    );
    let named = write(
        "named.toml",
        "history_file = \"yearbook.csv\"\ncolumn = \"工业总产值\"",
    );
    let targets = |file: &str| {
        let out = dabiao(&["run", file, "--quiet", "--format", "csv"]);
        assert_eq!(out.code, 0, "{file}: {}", out.stderr);
        out.stdout.replace(file, "FILE")
    };
    assert_eq!(targets(&named), targets(&typed));

    let wrong = write(
        "wrong.toml",
        "history_file = \"yearbook.csv\"\ncolumn = \"工业总产\"",
    );
    let out = dabiao(&["check", &wrong]);
    assert_eq!(out.code, 2, "{}", out.stderr);
    assert!(
        out.stderr.contains("indicators.output.history_file")
            && out.stderr.contains("did you mean `工业总产值`"),
        "{}",
        out.stderr
    );
    let both = write(
        "both.toml",
        "history_file = \"yearbook.csv\"\nhistory = { 2023 = 1.0 }",
    );
    let out = dabiao(&["check", &both]);
    assert_eq!(out.code, 2);
    assert!(out.stderr.contains("not both"), "{}", out.stderr);

    let single = dabiao(&[
        "run",
        &named,
        "--quiet",
        "--format",
        "json",
        "--threads",
        "1",
    ]);
    let parts: Vec<String> = (0..2)
        .map(|i| {
            let part = dir.join(format!("{i}.part")).display().to_string();
            let spec = format!("{i}/2");
            let out = dabiao(&["run", &named, "--quiet", "--shard", &spec, "-o", &part]);
            assert_eq!(out.code, 0, "{}", out.stderr);
            part
        })
        .collect();
    std::fs::remove_file(dir.join("yearbook.csv")).unwrap();
    let merged = dabiao(&["merge", "--format", "json", &parts[0], &parts[1]]);
    assert_eq!(merged.code, 0, "{}", merged.stderr);
    let without_timing = |json: &str| {
        json.lines()
            .filter(|l| !l.contains("\"seconds\"") && !l.contains("\"threads\""))
            .collect::<Vec<_>>()
            .join("\n")
    };
    assert_eq!(
        without_timing(&merged.stdout),
        without_timing(&single.stdout)
    );
}
