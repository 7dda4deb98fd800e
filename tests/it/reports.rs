//! The reports: snapshots of every renderer fed by a hand-built fixture, so
//! that an engine change moves numbers, never snapshots (set
//! UPDATE_SNAPSHOTS=1 to accept a deliberate change), the `--out`
//! directory, and a real browser rendering the page.

use std::path::{Path, PathBuf};
use std::process::Command;

use dabiao::report::words::Lang;

use crate::fixture;

const SMALL: &str = r#"[scenario]
name = "小县 制造业 (snapshot)"
document = "示例方案 (测试〔2024〕1号)"
region = "测试省"
base_year = 2022
horizon = 2025

[indicators.output]
kind = "level"
label = "工业总产值"
unit = "亿元"
source = "made up for the snapshot"
history = { 2021 = 90 }
base = 100
growth = { mean = { dist = "uniform", low = 0.04, high = 0.10 }, sd = 0.05 }
persistence = 0.3

[indicators.rd]
kind = "share"
label = "研发投入强度"
source = "made up"
base = 0.012
change = { mean = 0.001, sd = 0.001 }

[indicators.firms]
kind = "count"
label = "规上企业"
unit = "家"
source = "made up"
base = 50
entries = { mean = 6 }
exit_rate = 0.05

[shocks.downturn]
label = "Downturn"
probability = 0.1
effect = -0.06
affects = { output = 1.0 }

[targets.output_120]
label = "工业总产值达到120亿元"
indicator = "output"
at_least = 120

[targets.output_growth]
label = "年均增长8%以上"
indicator = "output"
metric = "cagr"
from = 2021
at_least = 0.08
tier = "stretch"

[targets.rd_1_5]
label = "研发投入强度达到1.5%"
indicator = "rd"
at_least = 0.015

[targets.firms_60]
label = "规上企业60家"
indicator = "firms"
at_least = 60
tier = "stretch"
"#;

fn snapshot(name: &str, actual: &str) {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("tests/snapshots")
        .join(name);
    if std::env::var_os("UPDATE_SNAPSHOTS").is_some() {
        std::fs::write(&path, actual).unwrap();
        return;
    }
    let expected = std::fs::read_to_string(&path).unwrap_or_else(|_| {
        panic!(
            "no snapshot {}: run with UPDATE_SNAPSHOTS=1 to create it",
            path.display()
        )
    });
    if expected != actual {
        let line = expected
            .lines()
            .zip(actual.lines())
            .position(|(a, b)| a != b)
            .unwrap_or(0);
        panic!(
            "{name} differs from its snapshot at line {}:\n  expected: {}\n  actual:   {}\n(UPDATE_SNAPSHOTS=1 accepts a deliberate change)",
            line + 1,
            expected.lines().nth(line).unwrap_or(""),
            actual.lines().nth(line).unwrap_or("")
        );
    }
}

#[test]
fn markdown_report_matches_its_snapshot() {
    let r = fixture::results();
    snapshot(
        "report.md",
        &dabiao::report::markdown::render(&r, Lang::En, true),
    );
    snapshot(
        "report.zh.md",
        &dabiao::report::markdown::render(&r, Lang::Zh, false),
    );
}

#[test]
fn html_report_matches_its_snapshot() {
    let html = dabiao::report::html::render(&fixture::results(), Lang::En);
    // Self-contained: nothing fetched, no script.
    for fetch in ["<script", "<link", "src=", "url(", "@import", "<img"] {
        assert!(
            !html.contains(fetch),
            "the page fetches or runs something: {fetch}"
        );
    }
    snapshot("report.html", &html);
}

#[test]
fn table_json_and_csv_match_their_snapshots() {
    let r = fixture::results();
    let all = std::slice::from_ref(&r);
    snapshot("table.txt", &dabiao::report::table::render(&r, Lang::En));
    let zh = dabiao::report::table::render(&r, Lang::Zh);
    // Chinese throughout: headings, tier, verdict, the run line.
    for word in ["达标概率", "判断", "基期", "次模拟", "种子"] {
        assert!(zh.contains(word), "{word} missing:\n{zh}");
    }
    for word in ["P(hit)", "verdict", " draws ·", "seed", "threads"] {
        assert!(!zh.contains(word), "{word} in the Chinese table:\n{zh}");
    }
    snapshot("table_zh.txt", &zh);
    snapshot("results.json", &dabiao::report::json::render_all(all));
    snapshot("targets.csv", &dabiao::report::csv::render(all));
    snapshot("fan.csv", &dabiao::report::csv::fan(&r));
}

#[test]
fn out_writes_every_file_and_replaces_a_directory_whole() {
    let scenario = Path::new(env!("CARGO_TARGET_TMPDIR")).join("small.toml");
    std::fs::write(&scenario, SMALL).unwrap();
    let dir = Path::new(env!("CARGO_TARGET_TMPDIR")).join("report_out");
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    let run = |extra: &[&str]| {
        let mut args = vec![
            "run",
            scenario.to_str().unwrap(),
            "--out",
            dir.to_str().unwrap(),
            "--draws",
            "5000",
            "--quiet",
        ];
        args.extend(extra);
        Command::new(env!("CARGO_BIN_EXE_dabiao"))
            .args(&args)
            .output()
            .unwrap()
    };
    let out = run(&["--export-paths", "4", "--lang", "zh"]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    for f in [
        "report.html",
        "report.md",
        "results.json",
        "targets.csv",
        "fan.csv",
        "paths.csv",
        "fan_output.svg",
        "target_output_120.svg",
        "convergence_output_120.svg",
    ] {
        assert!(dir.join(f).is_file(), "{f} missing");
    }
    let html = std::fs::read_to_string(dir.join("report.html")).unwrap();
    assert!(
        html.contains("极不可能") || html.contains("很可能") || html.contains("可能性相当"),
        "Chinese verdicts"
    );
    // Four paths × years 2021–2025, plus the header.
    assert_eq!(
        std::fs::read_to_string(dir.join("paths.csv"))
            .unwrap()
            .lines()
            .count(),
        1 + 4 * 5
    );
    // A second run replaces the report whole: no paths.csv this time.
    let out = run(&[]);
    assert!(out.status.success());
    assert!(dir.join("report.html").is_file());
    assert!(
        !dir.join("paths.csv").exists(),
        "the old report was replaced whole"
    );
    // A failing run leaves the directory as it was.
    let before = std::fs::read_to_string(dir.join("results.json")).unwrap();
    let out = run(&["--set", "indicators.output.growth.sd=-1"]);
    assert_eq!(out.status.code(), Some(2));
    assert_eq!(
        std::fs::read_to_string(dir.join("results.json")).unwrap(),
        before
    );
    let leftovers: Vec<_> = std::fs::read_dir(dir.parent().unwrap())
        .unwrap()
        .filter_map(|e| e.ok())
        .filter(|e| {
            let name = e.file_name().to_string_lossy().into_owned();
            name.contains(".report_out.") || name.starts_with(".dabiao-old-")
        })
        .collect();
    assert!(leftovers.is_empty(), "staging left behind");
}

/// Finds a Chromium; CI installs Debian's.
fn chromium() -> Option<PathBuf> {
    ["/usr/bin/chromium", "/usr/bin/chromium-browser"]
        .iter()
        .map(PathBuf::from)
        .find(|p| p.exists())
}

/// Headless Chromium with its own profile, nothing fetched, a tall window.
fn headless(browser: &Path, profile: &Path) -> Command {
    let mut c = Command::new(browser);
    c.args([
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-quic",
        "--no-first-run",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--window-size=1200,2400",
        &format!("--user-data-dir={}", profile.display()),
    ]);
    c
}

#[test]
fn report_renders_its_charts_in_a_real_browser() {
    let Some(browser) = chromium() else {
        assert!(
            std::env::var_os("CI").is_none(),
            "CI must install chromium (see .ci/run)"
        );
        eprintln!("skipped: no chromium on this machine (apt-get install chromium)");
        return;
    };
    let tmp = Path::new(env!("CARGO_TARGET_TMPDIR"));
    let page = tmp.join("browser_report.html");
    std::fs::write(
        &page,
        dabiao::report::html::render(&fixture::results(), Lang::Zh),
    )
    .unwrap();
    let shot = tmp.join("browser_report.png");
    let _ = std::fs::remove_file(&shot);
    let out = headless(&browser, &tmp.join("chromium-profile"))
        .args([
            "--hide-scrollbars",
            "--enable-logging=stderr",
            "--v=0",
            &format!("--screenshot={}", shot.display()),
        ])
        .arg(format!("file://{}", page.display()))
        .output()
        .unwrap();
    let log = String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success(), "chromium failed: {log}");
    let console: Vec<&str> = log
        .lines()
        .filter(|l| l.contains("CONSOLE") || l.contains("Uncaught"))
        .collect();
    assert!(console.is_empty(), "console messages: {console:?}");
    // Decode the screenshot and count pixels of the charts' median-line blue.
    let decoder = png::Decoder::new(std::fs::File::open(&shot).unwrap());
    let mut reader = decoder.read_info().unwrap();
    let mut buf = vec![0; reader.output_buffer_size()];
    let info = reader.next_frame(&mut buf).unwrap();
    let channels = info.color_type.samples();
    let blue = buf[..info.buffer_size()]
        .chunks(channels)
        .filter(|p| p[0] < 40 && (60..110).contains(&p[1]) && p[2] > 130)
        .count();
    assert!(
        blue > 500,
        "the charts did not draw: {blue} chart-blue pixels"
    );
}

/// Text in the reports' charts never overlaps other text: measured by the
/// browser (each `<text>`'s box, chart by chart), on the Chinese reports of a
/// scenario whose targets crowd one corner of a fan chart, of the fixture and
/// of 荣昌's plan. The charts use the page's width: two to a row, each at
/// least 45 % of the text column, a tornado the whole of it.
#[test]
fn chart_labels_do_not_overlap_in_a_real_browser() {
    let Some(browser) = chromium() else {
        assert!(
            std::env::var_os("CI").is_none(),
            "CI must install chromium (see .ci/run)"
        );
        eprintln!("skipped: no chromium on this machine (apt-get install chromium)");
        return;
    };
    let crowded = crate::closed_form::run(
        "[scenario]\nname = \"labels\"\nbase_year = 2022\nhorizon = 2027
[indicators.output]
kind = \"level\"
label = \"规上工业总产值\"
unit = \"亿元\"
base = 100
growth = { mean = 0.06, sd = 0.05 }
[targets.a]
label = \"工业总产值达到130亿元\"
indicator = \"output\"
at_least = 130
[targets.b]
label = \"力争131亿元\"
indicator = \"output\"
at_least = 131
[targets.c]
label = \"总产值133亿元以上 (stretch)\"
indicator = \"output\"
at_least = 133
tier = \"stretch\"
[targets.d]
label = \"2026年达到125亿元\"
indicator = \"output\"
year = 2026
at_least = 125
[targets.e]
label = \"2025年达到120\"
indicator = \"output\"
year = 2025
at_least = 120
",
        5000,
        1,
    );
    // Pairs of overlapping text boxes in each chart, written into the page.
    const PROBE: &str = r#"<script>
window.addEventListener('load', () => {
  const found = [];
  document.querySelectorAll('svg').forEach((svg, n) => {
    const boxes = [...svg.querySelectorAll('text')]
      .filter(t => t.textContent.trim() !== '')
      .map(t => [t.textContent, t.getBoundingClientRect()]);
    for (let i = 0; i < boxes.length; i++)
      for (let j = i + 1; j < boxes.length; j++) {
        const [a, r] = boxes[i], [b, q] = boxes[j];
        // A pixel of slack: glyph boxes include the line's leading.
        if (r.left + 1 < q.right && q.left + 1 < r.right && r.top + 1 < q.bottom && q.top + 1 < r.bottom)
          found.push(`chart ${n}: "${a}" and "${b}"`);
      }
  });
  document.body.setAttribute('data-overlaps', JSON.stringify(found));
  const narrow = [];
  document.querySelectorAll('.figs figure').forEach((fig, n) => {
    const svg = fig.querySelector('svg').getBoundingClientRect().width;
    const box = fig.getBoundingClientRect().width;
    const share = box / fig.parentElement.getBoundingClientRect().width;
    if (share < (fig.classList.contains('row') ? 0.99 : 0.45) || Math.abs(svg / box - 1) > 0.005)
      narrow.push(`figure ${n}: ${share.toFixed(2)} of the column, chart ${svg.toFixed(0)} px in ${box.toFixed(0)}`);
  });
  document.body.setAttribute('data-narrow', JSON.stringify(narrow));
});
</script>"#;
    let tmp = Path::new(env!("CARGO_TARGET_TMPDIR"));
    // A real plan's report: 20 targets, and the convergence charts' ticks
    // at 20 000 draws (15 360 and 20 000 once collided).
    let rongchang = crate::closed_form::run(
        &std::fs::read_to_string("scenarios/rongchang.toml").unwrap(),
        20_000,
        1,
    );
    for (name, results) in [
        ("crowded", crowded),
        ("fixture", fixture::results()),
        ("rongchang", rongchang),
    ] {
        let page = tmp.join(format!("overlap_{name}.html"));
        let html = dabiao::report::html::render(&results, Lang::Zh);
        std::fs::write(&page, html.replace("</body>", &format!("{PROBE}</body>"))).unwrap();
        let out = headless(&browser, &tmp.join("chromium-profile-overlap"))
            .args(["--virtual-time-budget=2000", "--dump-dom"])
            .arg(format!("file://{}", page.display()))
            .output()
            .unwrap();
        assert!(
            out.status.success(),
            "chromium failed: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        let dom = String::from_utf8_lossy(&out.stdout);
        let attribute = |key: &str| {
            let start = dom.find(key).expect("the probe ran") + key.len();
            dom[start..start + dom[start..].find('"').unwrap()].to_string()
        };
        let found = attribute("data-overlaps=\"");
        assert_eq!(found, "[]", "{name}: overlapping text: {found}");
        let narrow = attribute("data-narrow=\"");
        assert_eq!(
            narrow, "[]",
            "{name}: charts narrower than the page allows: {narrow}"
        );
    }
}

/// On a terminal the table fits its width: long labels wrap (at spaces, or
/// between Chinese characters), never cut; verdicts are coloured only when
/// asked, and a pipe gets no escape codes.
#[test]
fn the_table_fits_the_terminal_and_colours_only_there() {
    use dabiao::report::table::{render_for, Terminal};
    let mut r = fixture::results();
    r.targets[0].label = "规模以上工业企业营业收入迈上千亿、力争1500亿元并保持两位数增长".into();
    r.targets[1].label =
        "Industrial output of enterprises above designated size grows 8% a year or more".into();
    let width = |s: &str| unicode_width::UnicodeWidthStr::width(s);
    let plain = render_for(
        &r,
        Lang::En,
        Terminal {
            width: Some(120),
            colour: false,
        },
    );
    let table: Vec<&str> = plain
        .lines()
        .skip_while(|l| !l.trim_start().starts_with("target"))
        .take_while(|l| !l.trim().is_empty() && !l.contains("at once"))
        .collect();
    assert!(
        table.len() > r.targets.len() + 1,
        "nothing wrapped:\n{plain}"
    );
    for line in &table {
        assert!(
            width(line) <= 120,
            "{} columns: {line}\n{plain}",
            width(line)
        );
    }
    // Every label is there whole, across its lines.
    let text: String = table.iter().map(|l| l.trim()).collect::<Vec<_>>().join(" ");
    for word in [
        "迈上千亿",
        "力争1500亿元并保持两位数增长",
        "designated size",
        "a year or more",
    ] {
        assert!(
            text.contains(word) || text.replace(' ', "").contains(word),
            "{word} cut:\n{plain}"
        );
    }
    assert!(!plain.contains('\u{1b}'));
    let coloured = render_for(
        &r,
        Lang::En,
        Terminal {
            width: Some(120),
            colour: true,
        },
    );
    assert!(coloured.contains("\u{1b}["), "no colour");
    // Colour changes nothing else.
    let stripped = coloured
        .split('\u{1b}')
        .enumerate()
        .map(|(k, part)| {
            if k == 0 {
                part
            } else {
                part.split_once('m').map_or(part, |(_, rest)| rest)
            }
        })
        .collect::<String>();
    assert_eq!(stripped, plain);
    // The command through a pipe: no escape codes, even with a terminal's TERM.
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_dabiao"))
        .args(["run", crate::cli::EXAMPLE, "--draws", "1000", "--quiet"])
        .env("TERM", "xterm-256color")
        .output()
        .unwrap();
    assert!(!String::from_utf8_lossy(&out.stdout).contains('\u{1b}'));
}

/// The assumptions section says what a plan's file assumes beyond its
/// indicators: its shocks and its correlations, in words.
#[test]
fn assumptions_list_shocks_and_correlations_in_words() {
    let rongchang = concat!(env!("CARGO_MANIFEST_DIR"), "/scenarios/rongchang.toml");
    let out = crate::cli::dabiao(&[
        "run", rongchang, "--draws", "2000", "--quiet", "--format", "md",
    ]);
    assert_eq!(out.code, 0, "{}", out.stderr);
    assert!(out.stdout.contains("### Correlations"), "{}", out.stdout);
    // 荣昌 couples its revenue trend with new firms' entries (a parameter correlation).
    assert!(
        out.stdout.contains("(growth trend) ~ ") && out.stdout.contains("(mean entries): 0.50"),
        "{}",
        out.stdout
    );
}

/// A figure's caption adds to its chart (a target's odds) and never repeats
/// the title the chart draws; fan charts need none.
#[test]
fn captions_do_not_repeat_the_charts_titles() {
    let html = dabiao::report::html::render(&fixture::results(), Lang::Zh);
    let figures: Vec<&str> = html.split("<figure aria-label=\"").skip(1).collect();
    assert!(figures.len() > 5);
    for f in figures {
        let title = &f[..f.find('"').unwrap()];
        if let Some(at) = f.find("<figcaption>") {
            let caption = &f[at + 12..f.find("</figcaption>").unwrap()];
            assert_ne!(caption, title);
            assert!(caption.starts_with("概率"), "{caption}");
        }
    }
    assert!(!html.contains("<figcaption></figcaption>"));
}

/// A target's distribution chart spans where the mass is (0.5 %–99.5 %) and
/// the threshold, not the farthest path: with a heavy right tail the axis
/// stops well short of the largest outcome.
#[test]
fn distribution_axes_stop_where_the_mass_does() {
    let r = crate::closed_form::run(
        "[scenario]\nname = \"t\"\nbase_year = 2020\nhorizon = 2025
[indicators.x]
kind = \"level\"
base = 100
growth = { mean = 0.05, sd = 0.35 }
[targets.t]
indicator = \"x\"
at_least = 120
",
        20_000,
        3,
    );
    let t = &r.targets[0];
    let dabiao::stats::results::TargetDetail::Stat { ecdf, .. } = &t.detail else {
        panic!("a statistic target")
    };
    let largest = ecdf.last().unwrap().1;
    let svg = dabiao::report::charts::distribution(t, Lang::En).unwrap();
    let ticks: Vec<f64> = svg
        .split("text-anchor=\"middle\" font-size=\"11\">")
        .skip(1)
        .filter_map(|s| s[..s.find('<')?].replace(',', "").parse().ok())
        .collect();
    assert!(ticks.len() >= 3, "{svg}");
    let top = ticks.iter().copied().fold(f64::MIN, f64::max);
    assert!(
        top < 0.6 * largest,
        "axis to {top}, largest outcome {largest}"
    );
    assert!(top >= 120.0, "the threshold is on the axis");
}
