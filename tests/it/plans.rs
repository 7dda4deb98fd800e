//! The five plans: every scenario passes `check`, accounts for every target of
//! its plan as its header says, and has its headline probabilities
//! pinned, so that a change to the model or the engine is seen.
//!
//! Pinned values come from a 200 000-draw run at each file's own seed; the
//! test runs the first 40 000 of those draws (the same chunks, so the same
//! random numbers) and allows four standard errors of a 40 000-draw estimate.

use std::process::Command;

const PLANS: [&str; 6] = [
    "yangjiang",
    "xinyi",
    "tongcheng_2021",
    "tongcheng_2024",
    "rongchang",
    "shengsi",
];

fn path(name: &str) -> String {
    format!("{}/scenarios/{name}.toml", env!("CARGO_MANIFEST_DIR"))
}

#[test]
fn every_plan_passes_check() {
    for name in PLANS.iter().chain(&["example"]) {
        let out = Command::new(env!("CARGO_BIN_EXE_dabiao"))
            .args(["check", &path(name)])
            .output()
            .unwrap();
        assert!(
            out.status.success(),
            "{name}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
    }
}

#[test]
fn every_indicator_has_a_source() {
    for name in PLANS {
        let text = std::fs::read_to_string(path(name)).unwrap();
        let model = dabiao::scenario::load(name, &text, &[]).unwrap();
        for ind in &model.indicators {
            assert!(
                ind.source.as_deref().is_some_and(|s| s.len() > 10),
                "{name}: {} has no source",
                ind.id
            );
        }
    }
}

/// Every plan accounts for every target of its plan text: each says in its
/// header how many targets the plan has, how many it models and how many it
/// lists as `[unmodelled]`, and the file must agree.
#[test]
fn every_reworked_plan_accounts_for_its_targets_as_its_header_says() {
    for name in PLANS {
        let text = std::fs::read_to_string(path(name)).unwrap();
        let line = text
            .lines()
            .find(|l| l.starts_with("# Targets in the plan: "))
            .unwrap_or_else(|| panic!("{name}: no \"# Targets in the plan\" line"));
        let numbers: Vec<usize> = line
            .split(|c: char| !c.is_ascii_digit())
            .filter_map(|w| w.parse().ok())
            .collect();
        let [total, modelled, unmodelled] = numbers[..] else {
            panic!("{name}: expected three counts in {line:?}");
        };
        let model = dabiao::scenario::load(name, &text, &[]).unwrap();
        let stats = model
            .targets
            .iter()
            .filter(|t| matches!(t.kind, dabiao::model::TargetKind::Stat(_)))
            .count();
        assert_eq!(stats, modelled, "{name}: modelled targets");
        assert_eq!(model.unmodelled.len(), unmodelled, "{name}: unmodelled");
        assert_eq!(modelled + unmodelled, total, "{name}: {line}");
        for u in &model.unmodelled {
            assert!(u.why.len() > 10, "{name}: {} needs a reason", u.id);
        }
    }
}

fn assert_pinned(name: &str, pins: &[(&str, f64)]) {
    let text = std::fs::read_to_string(path(name)).unwrap();
    let model = dabiao::scenario::load(name, &text, &[]).unwrap();
    let draws = 40_000;
    let r = crate::closed_form::results(&model, draws, model.seed);
    for &(id, pinned) in pins {
        let p = r
            .targets
            .iter()
            .find(|t| t.id == id)
            .unwrap_or_else(|| panic!("{name}: no target {id}"))
            .estimate
            .probability;
        let se = (pinned * (1.0 - pinned) / draws as f64)
            .sqrt()
            .max(1.0 / draws as f64);
        assert!(
            (p - pinned).abs() <= 4.0 * se,
            "{name}.{id}: {p:.5}, pinned at {pinned:.5}"
        );
    }
}

#[test]
fn yangjiang_headline_odds() {
    assert_pinned(
        "yangjiang",
        &[
            ("mfg_va_350", 0.31094),
            ("advanced_35", 0.18133),
            ("firms_100yi_7", 0.42966),
            ("new_100yi_2", 0.571815),
            ("hightech_30_yearly", 0.35541),
            ("upgrades_60_yearly", 0.1224),
            ("floor", 0.00678),
        ],
    );
}

#[test]
fn xinyi_headline_odds() {
    assert_pinned(
        "xinyi",
        &[
            ("rd_1pct", 0.275945),
            ("investment_105", 0.103445),
            ("renovation_15", 0.4287),
            ("renovating_firms_32", 0.256145),
            ("park_23_5", 0.31089),
            ("floor", 0.00125),
        ],
    );
}

#[test]
fn tongcheng_odds_as_of_the_plan_and_after_the_actuals() {
    assert_pinned(
        "tongcheng_2021",
        &[
            ("output_300", 0.00939),
            ("mfg_share_95", 0.167305),
            ("firms_160", 0.253015),
            ("srsi_30", 0.46136),
            ("rd_1_6", 0.08759),
            ("health_100", 0.027885),
        ],
    );
    assert_pinned(
        "tongcheng_2024",
        &[
            ("output_300", 0.0),
            ("output_growth_20", 0.0),
            ("mfg_share_95", 0.74865),
            ("srsi_30", 0.999835),
            ("hitech_25", 0.285495),
            ("little_giants_10", 0.023505),
        ],
    );
}

#[test]
fn rongchang_headline_odds() {
    assert_pinned(
        "rongchang",
        &[
            ("revenue_1000", 0.928395),
            ("revenue_1500", 0.440375),
            ("rd_intensity_2pct", 0.286435),
            ("energy_minus_13", 0.416895),
            ("hightech_350", 0.03037),
            ("tech_firms_double", 0.08797),
        ],
    );
}

#[test]
fn shengsi_headline_odds() {
    assert_pinned(
        "shengsi",
        &[
            ("revenue_25", 0.07189),
            ("tech_firms_8_yearly", 0.209825),
            ("projects_3_yearly", 0.086405),
            ("renovation_2_yearly", 0.231715),
            ("floor", 0.000255),
        ],
    );
}

#[test]
fn several_plans_end_with_a_cross_plan_summary() {
    let args: Vec<String> = ["run", "--draws", "2000"]
        .iter()
        .map(|s| s.to_string())
        .chain(PLANS.iter().map(|p| path(p)))
        .collect();
    let out = Command::new(env!("CARGO_BIN_EXE_dabiao"))
        .args(&args)
        .output()
        .unwrap();
    assert!(out.status.success());
    let text = String::from_utf8_lossy(&out.stdout);
    let summary = &text[text.find("Across plans").expect("summary")..];
    for name in [
        "阳江",
        "信宜",
        "通城 制造业强县 (as of 2021)",
        "通城 制造业强县 (updated to 2024)",
        "荣昌",
        "嵊泗",
    ] {
        assert!(summary.contains(name), "{name} missing from:\n{summary}");
    }
    // Tongcheng's targets are all 力争: no floor composite.
    let tongcheng = summary.lines().find(|l| l.contains("as of 2021")).unwrap();
    assert!(tongcheng.contains('—'), "{tongcheng}");
}
