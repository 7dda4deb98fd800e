//! `dabiao study`: many scenario files, variants and sweeps, listed in a
//! study file; all of it, or one shard of it as a part for `dabiao merge`.

use std::path::{Path, PathBuf};
use std::time::Instant;

use super::progress::Progress;
use crate::cli::{Format, StudyArgs};
use crate::error::{Diagnostic, Error};
use crate::part::{encode, Body, Part};
use crate::report;
use crate::simulate::Shard;
use crate::study::{
    item_model, items, parse, run_item, Item, StudyFileLoaded, StudyIdentity, StudyPart, StudySpec,
    StudyTable, MAX_ITEMS,
};
use crate::text::Text;
use crate::tr;

pub fn study(args: &StudyArgs) -> Result<(), Error> {
    args.check().map_err(Error::input)?;
    let study_file = args.file.display().to_string();
    let text = super::read_input(&args.file)?;
    let spec = parse(&study_file, &text).map_err(Error::Input)?;
    let (loaded, groups) = load_files(&args.file, &spec)?;
    let all = items(&spec, &groups, &loaded);
    if all.len() > MAX_ITEMS {
        return Err(Error::input(tr!(
            "{study_file}: {n} work items; a study may list at most {MAX_ITEMS}",
            "{study_file}：{n} 个工作项；一个研究最多 {MAX_ITEMS} 个",
            n = all.len()
        )));
    }
    check_items(&all, &loaded)?;
    let identity = StudyIdentity {
        name: spec.name.clone(),
        sha256: super::sha256(&text),
        files: loaded
            .iter()
            .map(|l| (l.file.clone(), l.sha256.clone()))
            .collect(),
        items: all.len() as u64,
        draws: spec.draws,
        seed: spec.seed,
    };
    let shard = args.shard.unwrap_or(Shard { index: 0, count: 1 });
    let mine: Vec<(u64, &Item)> = (0u64..)
        .zip(&all)
        .filter(|(k, _)| k % shard.count == shard.index)
        .collect();
    let threads = args
        .threads
        .map_or_else(rayon::current_num_threads, |t| t as usize);
    let total: u64 = mine
        .iter()
        .map(|(_, i)| spec.draws.unwrap_or(loaded[i.file].model.draws))
        .sum();
    let progress = Progress::new(Some(total), args.quiet);
    let start = Instant::now();
    let mut done = Vec::with_capacity(mine.len());
    for (k, item) in mine {
        let rows = run_item(&spec, item, &loaded[item.file], threads, &|n| {
            progress.advance(n)
        })?;
        done.push((k, rows));
    }
    progress.done();
    if args.shard.is_some() {
        let output = args.output.as_deref().ok_or_else(|| {
            Error::input(tr!(
                "--shard writes a part: give it a file with -o PART",
                "--shard 写出一个分片文件：请用 -o PART 指定文件"
            ))
        })?;
        let part = Part {
            shard,
            threads,
            seconds: start.elapsed().as_secs_f64(),
            body: Body::Study(StudyPart {
                identity,
                items: done,
            }),
        };
        return super::write_whole(output, &encode(&part));
    }
    let table = StudyTable {
        study: spec.name,
        items: identity.items,
        rows: done.into_iter().flat_map(|(_, rows)| rows).collect(),
    };
    let out = render(&table, args.format)?;
    let out = super::for_excel(out, args.excel_csv && args.format == Format::Csv);
    super::emit(&out, args.output.as_deref())
}

/// The study's table in the format asked for: text, or a workbook's bytes.
pub(super) fn render(t: &StudyTable, format: Format) -> Result<Vec<u8>, Error> {
    let text = match format {
        Format::Table => report::study::table(t),
        Format::Json => report::json::study(t),
        Format::Csv => report::study::csv(t),
        Format::Md => report::study::markdown(t),
        Format::Html => report::study::html(t),
        Format::Xlsx => return report::xlsx::study(t).map_err(Error::Other),
    };
    Ok(text.into_bytes())
}

/// Every scenario file the groups name (folders give their `*.toml`, in
/// name order; the study file itself is left out), each loaded once, and
/// each group's files as indices into them.
fn load_files(
    study: &Path,
    spec: &StudySpec,
) -> Result<(Vec<StudyFileLoaded>, Vec<Vec<usize>>), Error> {
    let base = study.parent().unwrap_or(Path::new(""));
    let study_canon = std::fs::canonicalize(study).ok();
    let mut loaded: Vec<StudyFileLoaded> = Vec::new();
    let mut groups = Vec::new();
    let mut problems = Vec::new();
    for (g, group) in spec.groups.iter().enumerate() {
        let mut indices = Vec::new();
        for entry in &group.files {
            let path = tidy(&base.join(entry));
            let files = if path.is_dir() {
                match toml_files(&path) {
                    Ok(files) => files,
                    Err(e) => {
                        problems.push(problem(
                            study,
                            tr!("plans[{g}]: {e}", "plans[{g}]：{e}", e = e),
                        ));
                        continue;
                    }
                }
            } else {
                vec![path]
            };
            for path in files {
                if std::fs::canonicalize(&path).ok() == study_canon {
                    continue;
                }
                let file = path.display().to_string();
                if let Some(k) = loaded.iter().position(|l| l.file == file) {
                    indices.push(k);
                    continue;
                }
                let text = match super::read_input(&path) {
                    Ok(t) => t,
                    Err(Error::Input(d)) => {
                        problems.extend(d);
                        continue;
                    }
                    Err(e) => return Err(e),
                };
                let files = super::sources::Files::beside(&path);
                match crate::scenario::load_variant(&file, &text, None, &[], &files) {
                    Ok(model) => {
                        indices.push(loaded.len());
                        loaded.push(StudyFileLoaded {
                            sha256: super::sha256(&text),
                            file,
                            text,
                            model,
                            histories: files.recorded(),
                        });
                    }
                    Err(d) => problems.extend(d),
                }
            }
        }
        if indices.is_empty() && problems.is_empty() {
            problems.push(problem(
                study,
                tr!(
                    "plans[{g}]: no scenario file found in {files}",
                    "plans[{g}]：在 {files} 中没有找到情景文件",
                    files = format!("{:?}", group.files)
                ),
            ));
        }
        groups.push(indices);
    }
    if problems.is_empty() {
        Ok((loaded, groups))
    } else {
        Err(Error::Input(problems))
    }
}

/// `path` with `.` and `name/..` taken out, as a reader would write it
/// (`studies/../scenarios/a.toml` is `scenarios/a.toml`).
fn tidy(path: &Path) -> PathBuf {
    use std::path::Component;
    let mut out: Vec<Component> = Vec::new();
    for c in path.components() {
        match c {
            Component::CurDir => {}
            Component::ParentDir if matches!(out.last(), Some(Component::Normal(_))) => {
                out.pop();
            }
            c => out.push(c),
        }
    }
    if out.is_empty() {
        PathBuf::from(".")
    } else {
        out.iter().collect()
    }
}

fn problem(study: &Path, message: Text) -> Diagnostic {
    let mut d = Diagnostic::new(message);
    d.file = Some(study.display().to_string());
    d
}

/// The `*.toml` files directly in a folder, by name.
fn toml_files(dir: &Path) -> Result<Vec<PathBuf>, Text> {
    let entries = std::fs::read_dir(dir).map_err(|e| {
        let dir = dir.display();
        tr!(
            "cannot list {dir}: {e}",
            "无法列出 {dir}：{e}",
            e = crate::text::io_error(&e)
        )
    })?;
    let mut files: Vec<PathBuf> = entries
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.is_file() && p.extension().is_some_and(|x| x == "toml"))
        .collect();
    files.sort();
    Ok(files)
}

/// Checks before anything runs that every item's variant exists and its
/// sweep names an input the file has: a shard must not fail halfway.
fn check_items(all: &[Item], loaded: &[StudyFileLoaded]) -> Result<(), Error> {
    let mut problems = Vec::new();
    for item in all {
        let l = &loaded[item.file];
        match item_model(item, l) {
            Err(Error::Input(d)) => problems.extend(d),
            Err(e) => return Err(e),
            Ok(model) => {
                if let Some((vary, _)) = &item.point {
                    if let Err(Error::Input(d)) = vary.resolve(&model) {
                        problems.extend(d.into_iter().map(|mut d| {
                            d.file = Some(l.file.clone());
                            d
                        }));
                    }
                }
            }
        }
    }
    problems.dedup_by(|a, b| a.to_string() == b.to_string());
    if problems.is_empty() {
        Ok(())
    } else {
        Err(Error::Input(problems))
    }
}
