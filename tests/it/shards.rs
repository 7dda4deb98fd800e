//! Shards and merge: parts of a run merge to exactly the single run, parts
//! that do not belong together are refused, studies merge to the unsharded
//! study; and the cluster recipe on a real single-node Slurm.

use std::path::{Path, PathBuf};
use std::process::Command;

use sha2::Digest;

use crate::cli::dabiao;

const SCENARIOS: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/scenarios");

/// A fresh, empty folder for one test.
fn folder(name: &str) -> PathBuf {
    let dir = Path::new(env!("CARGO_TARGET_TMPDIR"))
        .join("shards")
        .join(name);
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

/// Output without what depends on the machine: wall-clock seconds and threads.
fn without_timing(json: &str) -> String {
    json.lines()
        .filter(|l| !l.contains("\"seconds\"") && !l.contains("\"threads\""))
        .collect::<Vec<_>>()
        .join("\n")
}

/// Runs shard `i` of `n` into `dir/i.part` and returns the part's path.
fn shard(file: &str, args: &[&str], i: u64, n: u64, dir: &Path) -> String {
    let part = dir.join(format!("{i}.part")).display().to_string();
    let spec = format!("{i}/{n}");
    let mut all = vec!["run", file, "--quiet", "--shard", &spec, "-o", &part];
    all.extend(args);
    let out = dabiao(&all);
    assert_eq!(out.code, 0, "{file} {spec}: {}", out.stderr);
    part
}

fn merge(parts: &[String], format: &str) -> crate::cli::Out {
    let mut args = vec!["merge", "--format", format];
    args.extend(parts.iter().map(String::as_str));
    dabiao(&args)
}

#[test]
fn shards_of_every_shipped_plan_merge_to_the_single_run() {
    let mut files: Vec<String> = std::fs::read_dir(SCENARIOS)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|x| x == "toml"))
        .map(|p| p.display().to_string())
        .collect();
    files.sort();
    assert!(files.len() >= 6, "{files:?}");
    // 40 chunks, the last one short: every shard count below splits them unevenly.
    let run = ["--draws", "40500", "--seed", "11"];
    for file in &files {
        let mut single = vec!["run", file.as_str(), "--quiet", "--format", "json"];
        single.extend(run);
        let single_json = dabiao(&single);
        assert_eq!(single_json.code, 0, "{}", single_json.stderr);
        single[4] = "csv";
        let single_csv = dabiao(&single).stdout;
        for n in [1, 2, 4, 7] {
            let dir = folder(&format!(
                "{}-{n}",
                Path::new(file).file_stem().unwrap().to_string_lossy()
            ));
            let parts: Vec<String> = (0..n).map(|i| shard(file, &run, i, n, &dir)).collect();
            let merged = merge(&parts, "json");
            assert_eq!(merged.code, 0, "{file} in {n}: {}", merged.stderr);
            assert_eq!(
                without_timing(&merged.stdout),
                without_timing(&single_json.stdout),
                "{file} in {n} shards"
            );
            let mut reversed = parts.clone();
            reversed.reverse();
            let csv = merge(&reversed, "csv");
            assert_eq!(csv.stdout, single_csv, "{file} in {n} shards, reversed");
            assert_eq!(
                without_timing(&merge(&reversed, "json").stdout),
                without_timing(&merged.stdout)
            );
        }
    }
}

#[test]
fn merge_writes_the_report_folder_and_file_that_run_writes() {
    let dir = folder("report");
    let file = format!("{SCENARIOS}/example.toml");
    let run = ["--draws", "5000", "--seed", "3"];
    let parts: Vec<String> = (0..3).map(|i| shard(&file, &run, i, 3, &dir)).collect();
    let out_dir = dir.join("report");
    let result = dir.join("merged.md");
    let mut args = vec!["merge", "--format", "md", "-o"];
    let result_s = result.display().to_string();
    let out_s = out_dir.display().to_string();
    args.push(&result_s);
    args.extend(["--out", &out_s]);
    args.extend(parts.iter().map(String::as_str));
    let out = dabiao(&args);
    assert_eq!(out.code, 0, "{}", out.stderr);
    assert!(
        out.stdout.is_empty(),
        "-o writes the file, not standard output"
    );
    let md = std::fs::read_to_string(&result).unwrap();
    assert!(md.contains("工业总产值达到300亿元"), "{md}");
    for name in ["report.html", "results.json", "targets.csv", "fan.csv"] {
        assert!(out_dir.join(name).is_file(), "{name}");
    }
    let single = dabiao(&[
        "run", &file, "--quiet", "--format", "csv", "--draws", "5000", "--seed", "3",
    ]);
    assert_eq!(
        std::fs::read_to_string(out_dir.join("targets.csv")).unwrap(),
        single.stdout
    );
}

/// Rewrites a part's header as if another version had written it, with a
/// checksum that matches (so only the version is wrong).
fn as_other_version(part: &[u8]) -> Vec<u8> {
    let magic = b"dabiao part\n".len();
    let len = u16::from_le_bytes([part[magic + 4], part[magic + 5]]) as usize;
    let body = &part[magic + 6 + len..part.len() - 32];
    let mut out = part[..magic + 4].to_vec();
    out.extend_from_slice(&5u16.to_le_bytes());
    out.extend_from_slice(b"0.0.1");
    out.extend_from_slice(body);
    let digest = sha2::Sha256::digest(&out);
    out.extend_from_slice(&digest);
    out
}

#[test]
fn parts_that_do_not_belong_together_are_refused_with_what_differs() {
    let dir = folder("bad");
    let file = format!("{SCENARIOS}/example.toml");
    let run = ["--draws", "9000", "--seed", "3"];
    let parts: Vec<String> = (0..3).map(|i| shard(&file, &run, i, 3, &dir)).collect();
    let other_seed = folder("bad-seed");
    let foreign = shard(
        &file,
        &["--draws", "9000", "--seed", "4"],
        1,
        3,
        &other_seed,
    );
    let write = |name: &str, bytes: &[u8]| {
        let p = dir.join(name);
        std::fs::write(&p, bytes).unwrap();
        p.display().to_string()
    };
    let bytes = std::fs::read(&parts[1]).unwrap();
    let truncated = write("truncated.part", &bytes[..bytes.len() / 2]);
    let mut flipped = bytes.clone();
    flipped[bytes.len() / 3] ^= 0x10;
    let damaged = write("damaged.part", &flipped);
    let old = write("old.part", &as_other_version(&bytes));
    let not_a_part = write("targets.csv", b"scenario,file\n");
    let (p0, p1, p2) = (parts[0].clone(), parts[1].clone(), parts[2].clone());
    let cases: Vec<(Vec<String>, &str)> = vec![
        (vec![p0.clone(), foreign.clone(), p2.clone()], "seed is 3"),
        (vec![p0.clone(), p2.clone()], "1 of 3 shards missing: 1"),
        (
            vec![p0.clone(), p1.clone(), p1.clone(), p2.clone()],
            "shard 1/3 is given twice",
        ),
        (vec![p0.clone(), truncated, p2.clone()], "truncated"),
        (vec![p0.clone(), damaged, p2.clone()], "checksum"),
        (vec![p0.clone(), old, p2.clone()], "dabiao 0.0.1"),
        (vec![not_a_part, p1.clone(), p2.clone()], "not a part"),
    ];
    for (set, expected) in cases {
        let out = merge(&set, "json");
        assert_eq!(out.code, 2, "{set:?}: {}", out.stderr);
        assert!(out.stderr.contains(expected), "{expected}: {}", out.stderr);
        assert!(out.stdout.is_empty());
    }
    // Flags that belong to a whole run, and shards that do not exist.
    for (args, expected) in [
        (vec!["--shard", "3/3", "-o", "x.part"], "count from 0"),
        (vec!["--shard", "0/0", "-o", "x.part"], "1 to"),
        (vec!["--shard", "0/2"], "--output"),
        (
            vec!["--shard", "0/2", "-o", "x.part", "--sensitivity"],
            "--sensitivity",
        ),
    ] {
        let mut all = vec!["run", file.as_str()];
        all.extend(args);
        let out = dabiao(&all);
        assert_eq!(out.code, 2, "{all:?}");
        assert!(out.stderr.contains(expected), "{expected}: {}", out.stderr);
    }
}

#[test]
fn a_study_in_shards_merges_to_the_study_in_one_go() {
    let dir = folder("study");
    let study = dir.join("study.toml");
    std::fs::write(
        &study,
        format!(
            r#"[study]
name = "two plans"
draws = 4000
seed = 9

[[plans]]
files = ["{SCENARIOS}/example.toml", "{SCENARIOS}/xinyi.toml"]

[[plans]]
files = ["{SCENARIOS}/example.toml"]
sweep = {{ vary = "indicators.output.growth.mean=0.06..0.12", steps = 3 }}
"#
        ),
    )
    .unwrap();
    let study = study.display().to_string();
    let whole = dabiao(&["study", &study, "--quiet", "--format", "csv"]);
    assert_eq!(whole.code, 0, "{}", whole.stderr);
    // Five runs: two files, then three sweep points.
    let runs: std::collections::BTreeSet<(String, String)> = whole
        .stdout
        .lines()
        .skip(1)
        .map(|l| {
            let f: Vec<&str> = l.split(',').collect();
            (f[0].to_string(), f[5].to_string())
        })
        .collect();
    assert_eq!(runs.len(), 5, "{runs:?}");
    // A run's rows are the run's own numbers.
    let single = dabiao(&[
        "run",
        &format!("{SCENARIOS}/xinyi.toml"),
        "--quiet",
        "--format",
        "csv",
        "--draws",
        "4000",
        "--seed",
        "9",
    ]);
    let xinyi_prob = single
        .stdout
        .lines()
        .nth(1)
        .unwrap()
        .split(',')
        .nth(13)
        .unwrap()
        .to_string();
    let study_prob = whole
        .stdout
        .lines()
        .find(|l| l.contains("xinyi.toml"))
        .unwrap()
        .split(',')
        .nth(16)
        .unwrap()
        .to_string();
    assert_eq!(study_prob, xinyi_prob);
    for n in [2u64, 3, 7] {
        let parts: Vec<String> = (0..n)
            .map(|i| {
                let part = dir.join(format!("{n}-{i}.part")).display().to_string();
                let spec = format!("{i}/{n}");
                let out = dabiao(&["study", &study, "--quiet", "--shard", &spec, "-o", &part]);
                assert_eq!(out.code, 0, "{}", out.stderr);
                part
            })
            .collect();
        let merged = merge(&parts, "csv");
        assert_eq!(merged.code, 0, "{}", merged.stderr);
        assert_eq!(merged.stdout, whole.stdout, "{n} shards");
        let html = merge(&parts, "html");
        assert!(html.stdout.contains("<table class=\"sortable\">"));
        let mut short = parts.clone();
        short.pop();
        let out = merge(&short, "csv");
        assert_eq!(out.code, 2);
        assert!(out.stderr.contains("missing"), "{}", out.stderr);
    }
}

/// Stops the test cluster's daemons however the test ends.
struct Cluster(PathBuf);

impl Drop for Cluster {
    fn drop(&mut self) {
        let _ = Command::new("bash")
            .arg(concat!(
                env!("CARGO_MANIFEST_DIR"),
                "/tests/slurm/cluster.sh"
            ))
            .arg("stop")
            .arg(&self.0)
            .status();
    }
}

/// The recipe of docs/cluster.md on a real single-node Slurm: four shards
/// of the reference scenario as an array job, the merge as a dependent job.
#[test]
fn the_slurm_recipe_runs_an_array_job_and_its_merge() {
    let needed = ["sbatch", "sinfo", "slurmctld", "slurmd", "munged"];
    let missing: Vec<&str> = needed
        .iter()
        .copied()
        .filter(|b| {
            !Command::new("sh")
                .args(["-c", &format!("command -v {b}")])
                .output()
                .is_ok_and(|o| o.status.success())
        })
        .collect();
    let root = Command::new("id")
        .arg("-u")
        .output()
        .is_ok_and(|o| o.stdout == b"0\n");
    if !missing.is_empty() || !root {
        eprintln!(
            "SKIPPED the Slurm test: {} (.ci/run installs slurm-wlm and munge and runs it as root)",
            if root {
                format!("{} not installed", missing.join(", "))
            } else {
                "it starts munged, slurmctld and slurmd, which needs root".into()
            }
        );
        return;
    }
    let dir = folder("slurm");
    let cluster = Cluster(dir.join("cluster"));
    let up = Command::new("bash")
        .arg(concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/tests/slurm/cluster.sh"
        ))
        .arg("start")
        .arg(&cluster.0)
        .status()
        .unwrap();
    assert!(up.success(), "the test cluster did not start");
    let reference = concat!(env!("CARGO_MANIFEST_DIR"), "/benches/reference.toml");
    let reference = if Path::new(reference).exists() {
        reference.to_string()
    } else {
        format!("{SCENARIOS}/example.toml")
    };
    let result = dir.join("merged.json");
    let submit = Command::new(concat!(env!("CARGO_MANIFEST_DIR"), "/cluster/submit.sh"))
        .env("SLURM_CONF", cluster.0.join("slurm.conf"))
        .env("DABIAO", env!("CARGO_BIN_EXE_dabiao"))
        .env("WHAT", "run")
        .env("INPUT", &reference)
        .env("PARTS", dir.join("parts"))
        .env("RESULT", &result)
        .env("SHARDS", "4")
        .env("DABIAO_ARGS", "--draws 100000 --seed 5")
        .env("WAIT", "1")
        .output()
        .unwrap();
    assert!(
        submit.status.success(),
        "{}{}",
        String::from_utf8_lossy(&submit.stdout),
        String::from_utf8_lossy(&submit.stderr)
    );
    let merged = std::fs::read_to_string(&result).unwrap_or_else(|e| {
        let logs: Vec<String> = std::fs::read_dir(dir.join("parts"))
            .into_iter()
            .flatten()
            .flatten()
            .filter(|e| e.path().extension().is_some_and(|x| x == "log"))
            .map(|e| std::fs::read_to_string(e.path()).unwrap_or_default())
            .collect();
        panic!("no merged result ({e}); job logs:\n{}", logs.join("\n"))
    });
    for i in 0..4 {
        assert!(dir.join("parts").join(format!("{i}.part")).is_file());
    }
    let single = dabiao(&[
        "run", &reference, "--quiet", "--format", "json", "--draws", "100000", "--seed", "5",
    ]);
    assert_eq!(without_timing(&merged), without_timing(&single.stdout));
}
