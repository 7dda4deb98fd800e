//! The JSON contract: `docs/results.schema.json` is what the types in
//! `stats::results` generate, and every shipped scenario's output (with
//! `--sensitivity`, and several files at once) validates against it.
//!
//! After changing the contract's types on purpose, rewrite the file with
//! `DABIAO_WRITE_SCHEMA=1 cargo test contract` and commit it.

use std::path::Path;

use crate::cli::json;

fn schema_path() -> std::path::PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("docs/results.schema.json")
}

#[test]
fn the_committed_schema_is_the_one_the_types_generate() {
    let generated = dabiao::report::json::schema();
    if std::env::var_os("DABIAO_WRITE_SCHEMA").is_some() {
        std::fs::write(schema_path(), &generated).unwrap();
    }
    let committed = std::fs::read_to_string(schema_path()).unwrap_or_default();
    assert!(
        committed == generated,
        "docs/results.schema.json differs from the types in src/stats/results.rs; \
         if the change is meant, run DABIAO_WRITE_SCHEMA=1 cargo test contract"
    );
}

#[test]
fn every_shipped_scenarios_output_validates_against_the_schema() {
    let schema: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(schema_path()).unwrap()).unwrap();
    let validator = jsonschema::validator_for(&schema).expect("a valid JSON Schema");
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("scenarios");
    let mut files: Vec<String> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().path().display().to_string())
        .filter(|p| p.ends_with(".toml"))
        .collect();
    files.sort();
    assert!(files.len() >= 5);
    let mut args = vec![
        "run",
        "--draws",
        "2000",
        "--sensitivity",
        "--format",
        "json",
    ];
    args.extend(files.iter().map(String::as_str));
    let all = json(&args);
    let outputs = all.as_array().expect("several files give an array");
    assert_eq!(outputs.len(), files.len());
    for (file, out) in files.iter().zip(outputs) {
        let errors: Vec<String> = validator
            .iter_errors(out)
            .map(|e| format!("{} at {}", e, e.instance_path()))
            .collect();
        assert!(errors.is_empty(), "{file}:\n{}", errors.join("\n"));
    }
    // The schema is not vacuous: a wrong type is caught.
    let mut broken = outputs[0].clone();
    broken["targets"][0]["probability"] = serde_json::json!("high");
    assert!(!validator.is_valid(&broken));
    let mut broken = outputs[0].clone();
    broken["targets"][0]["tier"] = serde_json::json!("maybe");
    assert!(!validator.is_valid(&broken));
}

#[test]
fn warnings_are_data() {
    // A share pushed out of [0, 1] is clamped: the warning says which
    // indicator, on what share of paths, with no prose.
    let text = crate::cli::VALID.replace(
        "change = { mean = 0.001, sd = 0.001 }",
        "change = { mean = 0.001, sd = 0.1 }",
    );
    let path = crate::cli::scenario("warnings_data", &text);
    let v = json(&["run", &path, "--draws", "4000", "--format", "json"]);
    let w = &v["warnings"][0];
    assert_eq!(w["kind"], "clamped");
    assert_eq!(w["indicator"], "rd");
    let share = w["share"].as_f64().unwrap();
    assert!(share > 0.1 && share < 1.0, "{share}");
    assert_eq!(w.as_object().unwrap().len(), 3);
}

#[test]
fn drivers_name_their_subject_and_aspect() {
    // A slump whose mean effect is uncertain: missed paths drew a worse one.
    let text = "[scenario]\nname = \"t\"\nbase_year = 2020\nhorizon = 2025
[indicators.output]
kind = \"level\"
base = 100
growth = { mean = 0.05, sd = 0.02 }
[shocks.slump]
label = \"Slump\"
probability = 0.5
effect = { mean = { dist = \"uniform\", low = -0.3, high = 0.0 }, sd = 0.01 }
affects = { output = 1.0 }
[targets.t]
indicator = \"output\"
at_least = 110
";
    let path = crate::cli::scenario("drivers_roles", text);
    let v = json(&["run", &path, "--draws", "20000", "--format", "json"]);
    let drivers = v["targets"][0]["drivers"].as_array().unwrap();
    let slump = drivers
        .iter()
        .find(|d| d["aspect"] == "effect_mean")
        .unwrap_or_else(|| panic!("{drivers:?}"));
    assert_eq!(slump["subject"], "Slump");
    assert!(slump["year"].is_null());
    assert!(slump["miss_mean"].as_f64().unwrap() < slump["hit_mean"].as_f64().unwrap());
    let own = drivers.iter().find(|d| d["aspect"] == "growth").unwrap();
    assert_eq!(own["subject"], "output");
}
