//! `dabiao merge`: the parts of a sharded run or study, added up into what
//! the whole would have reported.

use crate::analysis::rare::refine;
use crate::simulate::RunConfig;
use std::path::Path;

use super::output::Staging;
use crate::cli::{Format, MergeArgs};
use crate::error::{Diagnostic, Error};
use crate::model::Sampler;
use crate::part::{decode, every_shard_once, histories_digest, same_source, Body, Part, RunPart};
use crate::simulate::{empty_tally, Shard};
use crate::stats::results::{finish, RunInfo};
use crate::study::StudyTable;
use crate::text::Text;
use crate::tr;

/// The largest part read: a tally is bounded by the model's size, not the
/// draws (a 1 000-indicator model's sketches stay well under this).
const MAX_PART_BYTES: u64 = 1 << 30;

pub fn merge(args: &MergeArgs) -> Result<(), Error> {
    args.check().map_err(Error::input)?;
    // Refuse an --out that is not ours before reading anything.
    let staging = args.out.as_deref().map(Staging::new).transpose()?;
    let lang = super::lang(args.lang);
    let mut parts = args.parts.iter().map(|p| Ok((name(p), read_part(p)?)));
    let Some(first) = parts.next() else {
        return Err(Error::input(tr!("no parts to merge", "没有可合并的分片")));
    };
    let (first_name, first) = first?;
    match &first.body {
        Body::Study(_) => {
            if args.out.is_some() {
                return Err(Error::input(tr!(
                    "--out writes a run's report; a study's table goes to -o FILE (--format html for its page)",
                    "--out 写出一次运行的报告；研究的表格请用 -o FILE（网页用 --format html）"
                )));
            }
            let table = merge_study(first_name, first, parts)?;
            let out = super::study::render(&table, args.format)?;
            let out = super::for_excel(out, args.excel_csv && args.format == Format::Csv);
            super::emit(&out, args.output.as_deref())
        }
        Body::Run(run) => {
            let merged = merge_run(&first_name, &first, run, parts)?;
            if let Some(mut staging) = staging {
                for (file, bytes) in super::run::report_files(&merged, lang, args.excel_csv)? {
                    staging.write(&file, &bytes)?;
                }
                staging.commit()?;
            }
            let term = super::terminal(args.output.as_deref());
            let out = super::run::render(std::slice::from_ref(&merged), args.format, lang, term)?;
            let out = super::for_excel(out, args.excel_csv && args.format == Format::Csv);
            super::emit(&out, args.output.as_deref())
        }
    }
}

fn name(path: &Path) -> String {
    path.display().to_string()
}

/// Reads and decodes one part; a problem names the file.
fn read_part(path: &Path) -> Result<Part, Error> {
    use std::io::Read;
    let fail = |message: Text| {
        let mut d = Diagnostic::new(message);
        d.file = Some(name(path));
        Error::Input(vec![d])
    };
    let mut bytes = Vec::new();
    std::fs::File::open(path)
        .and_then(|f| f.take(MAX_PART_BYTES + 1).read_to_end(&mut bytes))
        .map_err(|e| {
            fail(tr!(
                "cannot read the part: {e}",
                "无法读取分片：{e}",
                e = crate::text::io_error(&e)
            ))
        })?;
    if bytes.len() as u64 > MAX_PART_BYTES {
        return Err(fail(tr!(
            "larger than {mib} MiB: not a part dabiao wrote",
            "超过 {mib} MiB：不是 dabiao 写出的分片",
            mib = MAX_PART_BYTES >> 20
        )));
    }
    decode(&bytes).map_err(fail)
}

/// Adds up a run's parts, one at a time (memory is one tally and one part),
/// and summarises the whole.
fn merge_run(
    first_name: &str,
    first: &Part,
    run: &RunPart,
    rest: impl Iterator<Item = Result<(String, Part), Error>>,
) -> Result<crate::stats::results::Results, Error> {
    let id = &run.identity;
    if super::sha256(&run.text) != id.sha256 {
        return Err(Error::input(tr!(
            "{first_name}: the scenario it carries does not match its SHA-256",
            "{first_name}：其中的情景与其 SHA-256 不符"
        )));
    }
    if histories_digest(&run.histories) != id.histories_sha256 {
        return Err(Error::input(tr!(
            "{first_name}: the history files' series it carries do not match their SHA-256",
            "{first_name}：其中的历史文件序列与其 SHA-256 不符"
        )));
    }
    let mut model = crate::scenario::load_variant(
        &id.file,
        &run.text,
        id.variant.as_deref(),
        &id.overrides,
        &run.histories,
    )
    .map_err(Error::Input)?;
    model.sampler = Sampler::from_name(&id.sampler).ok_or_else(|| {
        Error::input(tr!(
            "{first_name}: drawn by a sampler this dabiao does not know ({s})",
            "{first_name}：所用抽样方法（{s}）本版 dabiao 不认识",
            s = id.sampler
        ))
    })?;
    let mut tally = empty_tally(&model);
    let mut shards: Vec<(String, Shard)> = Vec::new();
    let (mut threads, mut seconds) = (0, 0.0);
    let mut add = |name: String, part: &Part, run: &RunPart| -> Result<(), Error> {
        if !tally.is_shaped_like(&run.tally) {
            return Err(Error::input(tr!(
                "{name}: its tally does not fit the scenario it names (damaged, or not written by dabiao)",
                "{name}：其统计与所指情景不符（已损坏，或不是 dabiao 写出的）"
            )));
        }
        tally.merge(&run.tally);
        threads += part.threads;
        seconds += part.seconds;
        shards.push((name, part.shard));
        Ok(())
    };
    add(first_name.to_string(), first, run)?;
    for next in rest {
        let (name, part) = next?;
        same_source(first_name, first, &name, &part).map_err(Error::input)?;
        let Body::Run(r) = &part.body else {
            unreachable!("same_source compares the kind of part")
        };
        add(name, &part, r)?;
    }
    let named: Vec<(&str, Shard)> = shards.iter().map(|(n, s)| (n.as_str(), *s)).collect();
    every_shard_once(&named).map_err(Error::input)?;
    if tally.draws != id.draws {
        return Err(Error::input(tr!(
            "the parts hold {have} draws between them, where the run has {want}",
            "各分片合计 {have} 次抽样，而该运行有 {want} 次",
            have = tally.draws,
            want = id.draws
        )));
    }
    let info = RunInfo::new(id.draws, id.seed, threads, seconds, id.overrides.clone());
    let mut results = finish(&model, &tally, &id.file, Some(id.sha256.clone()), info);
    // Rare targets are estimated again here, as a whole run does; the
    // numbers do not depend on the threads.
    let cfg = RunConfig {
        draws: id.draws,
        seed: id.seed,
        threads: std::thread::available_parallelism().map_or(1, |n| n.get()),
    };
    refine(&model, &cfg, &mut results)?;
    Ok(results)
}

/// Puts a study's parts' rows in the study's order.
fn merge_study(
    first_name: String,
    first: Part,
    rest: impl Iterator<Item = Result<(String, Part), Error>>,
) -> Result<StudyTable, Error> {
    let mut items = Vec::new();
    let mut shards = Vec::new();
    let mut take = |name: String, part: Part| {
        shards.push((name, part.shard));
        if let Body::Study(s) = part.body {
            items.extend(s.items);
        }
    };
    let Body::Study(study) = &first.body else {
        unreachable!("called on a study's part")
    };
    let identity = study.identity.clone();
    // What later parts are compared with: the first, without its rows.
    let reference = Part {
        shard: first.shard,
        threads: first.threads,
        seconds: first.seconds,
        body: Body::Study(crate::study::StudyPart {
            identity: identity.clone(),
            items: Vec::new(),
        }),
    };
    take(first_name.clone(), first);
    for next in rest {
        let (name, part) = next?;
        same_source(&first_name, &reference, &name, &part).map_err(Error::input)?;
        take(name, part);
    }
    let named: Vec<(&str, Shard)> = shards.iter().map(|(n, s)| (n.as_str(), *s)).collect();
    every_shard_once(&named).map_err(Error::input)?;
    items.sort_by_key(|(k, _)| *k);
    let complete = items.len() as u64 == identity.items
        && items.iter().enumerate().all(|(k, (i, _))| *i == k as u64);
    if !complete {
        return Err(Error::input(tr!(
            "the parts hold {have} work items between them, where the study has {want} (damaged, or not written by dabiao)",
            "各分片合计 {have} 个工作项，而该研究有 {want} 个（已损坏，或不是 dabiao 写出的）",
            have = items.len(),
            want = identity.items
        )));
    }
    Ok(StudyTable {
        study: identity.name,
        items: identity.items,
        rows: items.into_iter().flat_map(|(_, rows)| rows).collect(),
    })
}
