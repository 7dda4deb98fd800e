//! The format 1.1 additions against closed forms, as `statistics` does for
//! version 1: strict thresholds, parameter correlations, gross entries,
//! shocks on counts, when a value target is reached, variants.

use statrs::distribution::{Discrete, Poisson};

use crate::closed_form::{assert_probability, run};

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
