//! What `--out` may touch: only new or empty folders and report folders that
//! dabiao wrote itself; staging never left behind, whatever happens.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use crate::cli::{dabiao, scenario, EXAMPLE, VALID};

/// A fresh, empty folder for one test.
fn workdir(name: &str) -> PathBuf {
    let dir = Path::new(env!("CARGO_TARGET_TMPDIR"))
        .join("out")
        .join(name);
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

/// Every file under `dir` (links as their targets' text), by relative path.
fn snapshot(dir: &Path) -> BTreeMap<String, Vec<u8>> {
    fn walk(root: &Path, dir: &Path, out: &mut BTreeMap<String, Vec<u8>>) {
        for e in std::fs::read_dir(dir).unwrap() {
            let e = e.unwrap();
            let rel = e.path().strip_prefix(root).unwrap().display().to_string();
            let kind = e.file_type().unwrap();
            if kind.is_symlink() {
                let to = std::fs::read_link(e.path()).unwrap();
                out.insert(rel, format!("-> {}", to.display()).into_bytes());
            } else if kind.is_dir() {
                out.insert(rel.clone() + "/", Vec::new());
                walk(root, &e.path(), out);
            } else {
                out.insert(rel, std::fs::read(e.path()).unwrap());
            }
        }
    }
    let mut out = BTreeMap::new();
    walk(dir, dir, &mut out);
    out
}

fn run_into(out: &Path, extra: &[&str]) -> crate::cli::Out {
    let mut args = vec![
        "run",
        EXAMPLE,
        "--draws",
        "2000",
        "--quiet",
        "--out",
        out.to_str().unwrap(),
    ];
    args.extend_from_slice(extra);
    dabiao(&args)
}

fn assert_refused(out: &crate::cli::Out, why: &str) {
    assert_eq!(out.code, 2, "{}", out.stderr);
    assert!(out.stdout.is_empty(), "{}", out.stdout);
    assert!(
        out.stderr.contains(why),
        "expected `{why}` in {}",
        out.stderr
    );
}

#[test]
fn a_folder_of_the_users_files_is_refused_and_left_byte_identical() {
    let root = workdir("users");
    let work = root.join("work");
    std::fs::create_dir_all(work.join("data")).unwrap();
    std::fs::write(work.join("plan.toml"), VALID).unwrap();
    std::fs::write(work.join("data/series.csv"), "year,v\n2020,1\n").unwrap();
    std::os::unix::fs::symlink("plan.toml", work.join("link.toml")).unwrap();
    let before = snapshot(&root);
    let out = run_into(&work, &[]);
    assert_refused(&out, "is a folder that dabiao did not write");
    assert!(out.stderr.contains("data"), "{}", out.stderr);
    assert_eq!(snapshot(&root), before, "nothing moved, changed or added");
}

#[test]
fn a_folder_holding_only_an_empty_folder_is_refused() {
    let root = workdir("empty_inside");
    std::fs::create_dir_all(root.join("work/kept")).unwrap();
    let before = snapshot(&root);
    assert_refused(&run_into(&root.join("work"), &[]), "kept/");
    assert_eq!(snapshot(&root), before);
}

#[test]
fn an_existing_file_or_link_is_refused_and_untouched() {
    let root = workdir("file");
    let file = root.join("report");
    std::fs::write(&file, "mine").unwrap();
    std::fs::create_dir_all(root.join("elsewhere")).unwrap();
    std::os::unix::fs::symlink("elsewhere", root.join("link")).unwrap();
    let before = snapshot(&root);
    assert_refused(&run_into(&file, &[]), "is an existing file");
    assert_refused(&run_into(&root.join("link"), &[]), "is a symbolic link");
    assert_eq!(snapshot(&root), before);
}

#[test]
fn a_report_folder_is_replaced_whole_but_not_once_a_user_adds_a_file() {
    let root = workdir("replace");
    let rep = root.join("rep");
    std::fs::create_dir_all(&rep).unwrap(); // empty folders are fine
    let out = run_into(&rep, &["--export-paths", "3"]);
    assert_eq!(out.code, 0, "{}", out.stderr);
    assert!(rep.join("paths.csv").is_file() && rep.join(".dabiao-report").is_file());
    let out = run_into(&rep, &[]);
    assert_eq!(out.code, 0, "{}", out.stderr);
    assert!(!rep.join("paths.csv").exists(), "replaced whole");
    std::fs::write(rep.join("notes.txt"), "my reading of the report").unwrap();
    let before = snapshot(&root);
    assert_refused(&run_into(&rep, &[]), "notes.txt");
    assert_eq!(snapshot(&root), before);
}

#[test]
fn several_files_get_distinct_safe_folders_inside_out() {
    let root = workdir("several");
    for d in ["a", "b"] {
        std::fs::create_dir_all(root.join(d)).unwrap();
        std::fs::write(root.join(d).join("plan.toml"), VALID).unwrap();
    }
    std::fs::write(root.join("...toml"), VALID).unwrap();
    let rep = root.join("out/rep");
    let files = [
        root.join("a/plan.toml"),
        root.join("b/plan.toml"),
        root.join("...toml"),
    ];
    let mut args = vec![
        "run",
        "--draws",
        "2000",
        "-q",
        "--out",
        rep.to_str().unwrap(),
    ];
    args.extend(files.iter().map(|f| f.to_str().unwrap()));
    let out = dabiao(&args);
    assert_eq!(out.code, 0, "{}", out.stderr);
    let mut folders: Vec<String> = std::fs::read_dir(&rep)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| !n.starts_with('.'))
        .collect();
    folders.sort();
    assert_eq!(folders, ["plan", "plan-2", "scenario"]);
    for f in &folders {
        assert!(rep.join(f).join("results.json").is_file(), "{f}");
    }
    // Nothing landed beside the report folder.
    let beside: Vec<_> = std::fs::read_dir(root.join("out")).unwrap().collect();
    assert_eq!(beside.len(), 1);
}

#[test]
fn links_planted_at_predictable_staging_names_redirect_nothing() {
    // dabiao once staged in `.NAME.tmp-PID` and `.NAME.old-PID`: plant links
    // there for the next few hundred process ids, pointing at a victim.
    let root = workdir("planted");
    let victim = root.join("victim");
    std::fs::create_dir_all(&victim).unwrap();
    let last: u32 = std::fs::read_to_string("/proc/sys/kernel/ns_last_pid")
        .ok()
        .and_then(|s| s.trim().parse().ok())
        .unwrap_or(1);
    for pid in last..last + 300 {
        for kind in ["tmp", "old"] {
            let link = root.join(format!(".rep.{kind}-{pid}"));
            std::os::unix::fs::symlink(&victim, link).unwrap();
        }
    }
    let rep = root.join("rep");
    for _ in 0..2 {
        let out = run_into(&rep, &[]);
        assert_eq!(out.code, 0, "{}", out.stderr);
    }
    assert!(rep.join("report.html").is_file());
    assert_eq!(std::fs::read_dir(&victim).unwrap().count(), 0);
}

/// Names of staging folders left in `dir`.
fn leftovers(dir: &Path) -> Vec<String> {
    std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n.contains(".dabiao-"))
        .collect()
}

#[test]
fn a_signal_while_writing_leaves_no_staging_and_no_report() {
    let root = workdir("signal");
    let rep = root.join("rep");
    for signal in ["INT", "TERM"] {
        // Enough paths that writing paths.csv takes a while.
        let mut child = Command::new(env!("CARGO_BIN_EXE_dabiao"))
            .args(["run", EXAMPLE, "--draws", "400000", "-q", "--threads", "1"])
            .args(["--export-paths", "400000", "--out", rep.to_str().unwrap()])
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .unwrap();
        // Signalled once paths.csv is being written into staging.
        let writing = || {
            leftovers(&root)
                .iter()
                .any(|d| root.join(d).join("paths.csv").exists())
        };
        let start = Instant::now();
        while !writing() && start.elapsed() < Duration::from_secs(60) {
            std::thread::sleep(Duration::from_millis(2));
        }
        assert!(writing(), "{signal}: paths.csv was never being written");
        let killed = Command::new("kill")
            .args([format!("-{signal}"), child.id().to_string()])
            .status()
            .unwrap();
        assert!(killed.success());
        let status = child.wait().unwrap();
        assert!(!status.success(), "{signal}: {status:?}");
        assert_eq!(leftovers(&root), Vec::<String>::new(), "{signal}");
        assert!(!rep.exists(), "{signal}: no half-written report");
    }
}

#[test]
fn concurrent_runs_into_one_folder_end_with_one_complete_report() {
    let root = workdir("concurrent");
    let rep = root.join("rep");
    let children: Vec<_> = (0..4)
        .map(|_| {
            Command::new(env!("CARGO_BIN_EXE_dabiao"))
                .args(["run", EXAMPLE, "--draws", "2000", "-q", "--threads", "1"])
                .args(["--out", rep.to_str().unwrap()])
                .stdout(Stdio::null())
                .stderr(Stdio::piped())
                .spawn()
                .unwrap()
        })
        .collect();
    for c in children {
        let out = c.wait_with_output().unwrap();
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
    }
    assert_eq!(leftovers(&root), Vec::<String>::new());
    let listed = std::fs::read_to_string(rep.join(".dabiao-report")).unwrap();
    let files: Vec<&str> = listed.lines().filter(|l| !l.starts_with('#')).collect();
    assert!(
        files.contains(&"results.json") && files.len() > 5,
        "{listed}"
    );
    for f in &files {
        assert!(rep.join(f).is_file(), "{f} listed but missing");
    }
    assert_eq!(
        std::fs::read_dir(&rep).unwrap().count(),
        files.len() + 1,
        "exactly the listed files and the marker"
    );
    let json: serde_json::Value =
        serde_json::from_slice(&std::fs::read(rep.join("results.json")).unwrap()).unwrap();
    assert_eq!(json["run"]["draws"], 2000);
}

#[test]
fn a_refused_out_costs_no_simulation() {
    // Refused before drawing: even a run of 10^12 paths answers at once.
    let root = workdir("early");
    std::fs::write(root.join("mine.txt"), "x").unwrap();
    let out = dabiao(&[
        "run",
        EXAMPLE,
        "--draws",
        "1000000000000",
        "--out",
        root.to_str().unwrap(),
    ]);
    assert_refused(&out, "mine.txt");
}

#[test]
fn paths_csv_streams_every_requested_path() {
    let root = workdir("paths");
    let rep = root.join("rep");
    let text = scenario("paths_stream", VALID);
    let out = dabiao(&[
        "run",
        &text,
        "--draws",
        "3000",
        "-q",
        "--export-paths",
        "2500",
        "--out",
        rep.to_str().unwrap(),
    ]);
    assert_eq!(out.code, 0, "{}", out.stderr);
    let csv = std::fs::read_to_string(rep.join("paths.csv")).unwrap();
    // 2 500 paths × 2020–2025, and the header.
    assert_eq!(csv.lines().count(), 1 + 2500 * 6);
    assert!(csv.lines().last().unwrap().starts_with("2499,2025,"));
}
