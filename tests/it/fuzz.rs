//! Fuzzing the real command with mutants of the shipped scenarios (and of the seeds in `tests/fuzz_seeds/`): numbers
//! pushed to extremes, NaN and infinities, lines deleted, duplicated and
//! swapped, keys and kinds exchanged, broken syntax, random bytes, deep
//! nesting, long strings and huge horizons. Every mutant must end in exit 0
//! (valid probabilities) or exit 2 (a message, nothing on stdout): never a
//! panic, an abort or a hang.
//!
//! CI runs `DABIAO_FUZZ_CASES` mutants (500 by default) from the fixed
//! `DABIAO_FUZZ_SEED`; run thousands locally with, e.g.,
//! `DABIAO_FUZZ_CASES=5000 DABIAO_FUZZ_SEED=7 cargo test fuzz`.
//! A failing mutant is saved under `target/tmp/fuzz/` to reproduce.

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};

use rand::seq::IndexedRandom;
use rand::{Rng, SeedableRng};
use rand_xoshiro::Xoshiro256PlusPlus;

/// Longest a single command may take before it counts as a hang.
const HANG: Duration = Duration::from_secs(60);

const EXTREMES: [&str; 22] = [
    "0",
    "-0.0",
    "-1",
    "1e308",
    "-1e308",
    "5e-324",
    "nan",
    "inf",
    "-inf",
    "9223372036854775807",
    "-9223372036854775808",
    "4294969321",
    "2147483648",
    "-2147483000",
    "1e20",
    "0.999999999",
    "1.0000001",
    "1e-300",
    "99999",
    "\"\"",
    "[]",
    "{}",
];

const WORDS: [&str; 26] = [
    "level",
    "count",
    "share",
    "formula",
    "uniform",
    "normal",
    "lognormal",
    "triangular",
    "beta",
    "student_t",
    "poisson",
    "negative_binomial",
    "cagr",
    "value",
    "change",
    "min_growth",
    "stretch",
    "floor",
    "log",
    "entries",
    "min_entries",
    "above",
    "below",
    "parameters",
    "unchecked",
    "bogus",
];

/// The shipped scenarios, and seeds that reach what they do not use
/// (`tests/fuzz_seeds/`: every format 1.1 addition).
fn scenarios() -> Vec<Vec<u8>> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut files: Vec<PathBuf> = ["scenarios", "tests/fuzz_seeds"]
        .iter()
        .flat_map(|d| std::fs::read_dir(root.join(d)).unwrap())
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "toml"))
        .collect();
    files.sort();
    files.iter().map(|f| std::fs::read(f).unwrap()).collect()
}

/// Byte ranges of number-like tokens.
fn numbers(text: &[u8]) -> Vec<(usize, usize)> {
    let mut out = Vec::new();
    let mut i = 0;
    while i < text.len() {
        let starts = text[i].is_ascii_digit()
            || (text[i] == b'-' && text.get(i + 1).is_some_and(u8::is_ascii_digit));
        if starts && (i == 0 || !text[i - 1].is_ascii_alphanumeric() && text[i - 1] != b'_') {
            let start = i;
            i += 1;
            while i < text.len() && (text[i].is_ascii_alphanumeric() || b".+-_".contains(&text[i]))
            {
                i += 1;
            }
            out.push((start, i));
        } else {
            i += 1;
        }
    }
    out
}

fn lines(text: &[u8]) -> Vec<Vec<u8>> {
    text.split(|&b| b == b'\n').map(<[u8]>::to_vec).collect()
}

fn join(lines: &[Vec<u8>]) -> Vec<u8> {
    lines.join(&b'\n')
}

fn replace_range(text: &[u8], (a, b): (usize, usize), with: &[u8]) -> Vec<u8> {
    [&text[..a], with, &text[b..]].concat()
}

/// One mutation of `text`.
fn mutate(text: &[u8], rng: &mut Xoshiro256PlusPlus) -> Vec<u8> {
    let mut ls = lines(text);
    let n = ls.len().max(1);
    match rng.random_range(0..13) {
        0 | 1 => {
            let nums = numbers(text);
            match nums.choose(rng) {
                Some(&r) => replace_range(text, r, EXTREMES.choose(rng).unwrap().as_bytes()),
                None => text.to_vec(),
            }
        }
        2 => {
            ls.remove(rng.random_range(0..n).min(ls.len() - 1));
            join(&ls)
        }
        3 => {
            let k = rng.random_range(0..ls.len());
            let line = ls[k].clone();
            ls.insert(rng.random_range(0..=ls.len()), line);
            join(&ls)
        }
        4 => {
            let (a, b) = (rng.random_range(0..ls.len()), rng.random_range(0..ls.len()));
            ls.swap(a, b);
            join(&ls)
        }
        k @ (5 | 6) => {
            // Line a's key with line b's value: a key exchanged for another
            // key of the file, or a value for another line's value (of any
            // kind), as `k` says.
            let eq = |l: &[u8]| l.windows(3).position(|w| w == b" = ");
            let keyed: Vec<usize> = (0..ls.len()).filter(|&k| eq(&ls[k]).is_some()).collect();
            if keyed.len() < 2 {
                return text.to_vec();
            }
            let (a, b) = (*keyed.choose(rng).unwrap(), *keyed.choose(rng).unwrap());
            let (key, value) = if k == 5 { (b, a) } else { (a, b) };
            let (at_key, at_value) = (eq(&ls[key]).unwrap(), eq(&ls[value]).unwrap());
            ls[a] = [&ls[key][..at_key], &ls[value][at_value..]].concat();
            join(&ls)
        }
        7 => {
            let s = String::from_utf8_lossy(text).into_owned();
            let from = WORDS.choose(rng).unwrap();
            let to = WORDS.choose(rng).unwrap();
            s.replacen(&format!("\"{from}\""), &format!("\"{to}\""), 1)
                .into_bytes()
        }
        8 => {
            let at = rng.random_range(0..=text.len());
            let c = *b"[]{}=\"',.#\n\\".choose(rng).unwrap();
            [&text[..at], &[c], &text[at..]].concat()
        }
        9 => text[..rng.random_range(0..=text.len())].to_vec(),
        10 => {
            let at = rng.random_range(0..=text.len());
            let bytes: Vec<u8> = (0..rng.random_range(1..64))
                .map(|_| rng.random::<u8>())
                .collect();
            [&text[..at], &bytes, &text[at..]].concat()
        }
        11 => {
            // Deep nesting, or a long string, on a line of its own.
            let depth = rng.random_range(10..20_000);
            let line = match rng.random_range(0..4) {
                0 => format!("x = {}{}", "[".repeat(depth), "]".repeat(depth)),
                1 => format!("x = {}1{}", "{ a = ".repeat(depth), " }".repeat(depth)),
                2 => format!(
                    "formula = \"{}output{}\"",
                    "(".repeat(depth),
                    ")".repeat(depth)
                ),
                _ => format!("label = \"{}\"", "长".repeat(depth * 10)),
            };
            ls.insert(rng.random_range(0..=ls.len()), line.into_bytes());
            join(&ls)
        }
        _ => {
            // Horizons and base years anywhere.
            let s = String::from_utf8_lossy(text).into_owned();
            let key = if rng.random() { "horizon" } else { "base_year" };
            let year: i64 = *[0, 999, 1000, 2026, 2100, 2222, 9999, 10000, i64::MAX]
                .choose(rng)
                .unwrap();
            s.lines()
                .map(|l| {
                    if l.starts_with(key) {
                        format!("{key} = {year}")
                    } else {
                        l.to_string()
                    }
                })
                .collect::<Vec<_>>()
                .join("\n")
                .into_bytes()
        }
    }
}

struct Ran {
    code: Option<i32>,
    stdout: String,
    stderr: String,
}

/// Runs the binary, killing it if it hangs.
fn run(args: &[&str]) -> Ran {
    let mut child = Command::new(env!("CARGO_BIN_EXE_dabiao"))
        .args(args)
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let start = Instant::now();
    // Pipes are drained by threads so that a chatty child cannot block.
    let mut out = child.stdout.take().unwrap();
    let mut err = child.stderr.take().unwrap();
    let out = std::thread::spawn(move || {
        let mut s = Vec::new();
        std::io::Read::read_to_end(&mut out, &mut s).ok();
        s
    });
    let err = std::thread::spawn(move || {
        let mut s = Vec::new();
        std::io::Read::read_to_end(&mut err, &mut s).ok();
        s
    });
    let status = loop {
        if let Some(status) = child.try_wait().unwrap() {
            break Some(status);
        }
        if start.elapsed() > HANG {
            let _ = child.kill();
            let _ = child.wait();
            break None;
        }
        std::thread::sleep(Duration::from_millis(1));
    };
    Ran {
        code: status.and_then(|s| s.code()),
        stdout: String::from_utf8_lossy(&out.join().unwrap()).into_owned(),
        stderr: String::from_utf8_lossy(&err.join().unwrap()).into_owned(),
    }
}

/// How the binary handled a mutant: refused cleanly (`None`), ran with
/// valid results (`Some(Ok)`), or what went wrong (`Some(Err)`).
fn judge(path: &str) -> Option<Result<(), String>> {
    let check = run(&["check", path]);
    match check.code {
        Some(0) if !check.stdout.is_empty() => {}
        Some(2) => {
            // Refused in Chinese too, every word of it.
            let zh = run(&["check", path, "--lang", "zh"]);
            let why = crate::cli::not_chinese(&zh.stderr)
                .map(|why| format!("check --lang zh: {why}\n{}", zh.stderr));
            return failed_cleanly("check", &check).or(why).map(Err);
        }
        _ => {
            let why = format!("check: exit {:?}\n{}", check.code, check.stderr);
            return Some(Err(why));
        }
    }
    let args = [
        "run",
        path,
        "--draws",
        "1000",
        "--threads",
        "1",
        "--sensitivity",
    ];
    let ran = run(&[&args[..], &["--format", "json"]].concat());
    match ran.code {
        Some(0) => {}
        Some(2) => return failed_cleanly("run", &ran).map(Err),
        _ => return Some(Err(format!("run: exit {:?}\n{}", ran.code, ran.stderr))),
    }
    if let Some(why) = valid_results(&ran.stdout) {
        return Some(Err(why));
    }
    // The same run through another renderer, in the other language.
    let html = run(&[&args[..], &["--format", "html", "--lang", "zh"]].concat());
    if html.code != Some(0) || !html.stdout.contains("</html>") {
        let why = format!("run --format html: exit {:?}\n{}", html.code, html.stderr);
        return Some(Err(why));
    }
    // A file with variants is compared too (check has loaded every one).
    if std::fs::read_to_string(path).is_ok_and(|t| t.contains("[variants.")) {
        let compared = run(&[
            "compare",
            path,
            "--draws",
            "1000",
            "--threads",
            "1",
            "--format",
            "json",
        ]);
        if compared.code != Some(0) {
            let why = format!("compare: exit {:?}\n{}", compared.code, compared.stderr);
            return Some(Err(why));
        }
    }
    Some(Ok(()))
}

fn failed_cleanly(cmd: &str, r: &Ran) -> Option<String> {
    if !r.stdout.is_empty() {
        return Some(format!("{cmd}: exit 2 but printed {:?}", r.stdout));
    }
    if !r.stderr.starts_with("error: ") || r.stderr.contains("panicked") {
        return Some(format!("{cmd}: exit 2 with {:?}", r.stderr));
    }
    None
}

fn valid_results(stdout: &str) -> Option<String> {
    let v: serde_json::Value = match serde_json::from_str(stdout) {
        Ok(v) => v,
        Err(e) => return Some(format!("run: invalid JSON ({e})")),
    };
    for t in v["targets"].as_array().into_iter().flatten() {
        let p = t["probability"].as_f64();
        let ci: Vec<Option<f64>> = t["ci95"]
            .as_array()
            .map_or(vec![None], |a| a.iter().map(|x| x.as_f64()).collect());
        let ok = |x: Option<f64>| x.is_some_and(|x| (0.0..=1.0).contains(&x));
        if !ok(p) || !ci.iter().all(|&x| ok(x)) {
            return Some(format!(
                "run: target {} has probability {p:?}, ci95 {ci:?}",
                t["id"]
            ));
        }
    }
    None
}

#[test]
fn mutants_of_the_shipped_scenarios_exit_0_or_2() {
    let env = |name: &str, default: u64| {
        std::env::var(name)
            .ok()
            .and_then(|v| v.parse().ok())
            .unwrap_or(default)
    };
    let cases = env("DABIAO_FUZZ_CASES", 500) as usize;
    let seed = env("DABIAO_FUZZ_SEED", 20_261_203);
    let originals = scenarios();
    let dir = Path::new(env!("CARGO_TARGET_TMPDIR")).join("fuzz");
    std::fs::create_dir_all(&dir).unwrap();
    let next = AtomicUsize::new(0);
    let valid = AtomicUsize::new(0);
    let failures = std::sync::Mutex::new(Vec::new());
    let workers = std::thread::available_parallelism().map_or(2, |n| n.get().min(4));
    std::thread::scope(|s| {
        for _ in 0..workers {
            s.spawn(|| loop {
                let case = next.fetch_add(1, Ordering::Relaxed);
                if case >= cases {
                    break;
                }
                // Each case's mutant depends only on (seed, case).
                let mut rng = Xoshiro256PlusPlus::seed_from_u64(seed ^ (case as u64) << 20);
                let mut text = originals.choose(&mut rng).unwrap().clone();
                for _ in 0..rng.random_range(1..=3) {
                    text = mutate(&text, &mut rng);
                }
                let path = dir.join(format!("case-{case}.toml"));
                std::fs::write(&path, &text).unwrap();
                match judge(path.to_str().unwrap()) {
                    None => std::fs::remove_file(&path).unwrap(),
                    Some(Ok(())) => {
                        valid.fetch_add(1, Ordering::Relaxed);
                        std::fs::remove_file(&path).unwrap()
                    }
                    Some(Err(why)) => failures.lock().unwrap().push(format!(
                        "{} (seed {seed}, case {case}): {why}",
                        path.display()
                    )),
                }
            });
        }
    });
    let failures = failures.into_inner().unwrap();
    // Shown with --nocapture: how many mutants were still valid scenarios.
    eprintln!(
        "fuzz: {cases} mutants (seed {seed}): {} ran, {} refused, {} mishandled",
        valid.load(Ordering::Relaxed),
        cases - valid.load(Ordering::Relaxed) - failures.len(),
        failures.len()
    );
    assert!(
        failures.is_empty(),
        "{} of {cases} mutants mishandled:\n{}",
        failures.len(),
        failures.join("\n")
    );
}
