//! `dabiao compare`: a scenario and its variants, or two files, on the same
//! random numbers.

use super::progress::Progress;
use crate::analysis::compare::{compare as run_compare, Arm, ArmInfo};
use crate::cli::{CompareArgs, Format};
use crate::error::{Diagnostic, Error};
use crate::model::Sampler;
use crate::report;
use crate::simulate::RunConfig;
use crate::tr;

pub fn compare(args: &CompareArgs) -> Result<(), Error> {
    args.check().map_err(Error::input)?;
    if args.run.sampler() != Sampler::MonteCarlo && args.run.sampler.is_some() {
        return Err(Error::input(tr!(
            "compare draws independent paths (--sampler mc): its paired differences count the paths on which the arms disagree one by one",
            "compare 抽取独立路径（--sampler mc）：其配对差异逐条统计各方案结果不同的路径"
        )));
    }
    let (mut arms, names) = arms(args)?;
    for arm in &mut arms {
        arm.model.sampler = Sampler::MonteCarlo;
    }
    let base = &arms[0].model;
    let cfg = RunConfig {
        draws: args.run.draws.unwrap_or(base.draws),
        seed: args.run.seed.unwrap_or(base.seed),
        threads: args.run.threads(),
    };
    let progress = Progress::new(Some(cfg.draws * arms.len() as u64), args.run.quiet);
    let c = run_compare(&arms, names, &cfg, &args.set, &|n| progress.advance(n))?;
    progress.done();
    let lang = super::lang(args.lang);
    let out = match args.format {
        Format::Table => report::compare::table(&c, lang),
        Format::Json => report::json::compare(&c),
        Format::Csv => report::compare::csv(&c),
        Format::Md => report::compare::markdown(&c, lang),
        Format::Html => report::compare::html(&c, lang),
        Format::Xlsx => {
            return Err(Error::input(tr!(
                "compare cannot write xlsx",
                "compare 不能写 xlsx"
            )))
        }
    };
    super::emit(out.as_bytes(), args.output.as_deref())
}

/// The scenarios to compare: two files as written, or one file as written
/// and its variants (those named, or all).
fn arms(args: &CompareArgs) -> Result<(Vec<Arm>, Vec<ArmInfo>), Error> {
    let mut arms = Vec::new();
    let mut names = Vec::new();
    let mut problems = Vec::new();
    let texts: Vec<(String, String)> = args
        .files
        .iter()
        .map(|p| Ok((super::display_name(p), super::read_input(p)?)))
        .collect::<Result<_, Error>>()?;
    let mut load =
        |file: &str, text: &str, variant: Option<&str>| match crate::scenario::load_variant(
            file,
            text,
            variant,
            &args.set,
            &super::sources::Files::beside(std::path::Path::new(file)),
        ) {
            Ok(model) => Some((model, super::sha256(text))),
            Err(d) => {
                problems.extend(d);
                None
            }
        };
    if let [(file, text)] = texts.as_slice() {
        let Some((base, sha)) = load(file, text, None) else {
            return Err(Error::Input(problems));
        };
        let ids: Vec<String> = if args.variants.is_empty() {
            base.variants.iter().map(|v| v.id.clone()).collect()
        } else {
            args.variants.clone()
        };
        if ids.is_empty() {
            let mut d = Diagnostic::new(tr!(
                "nothing to compare: the file has no [variants]",
                "无可比较：文件没有 [variants]"
            ));
            d.file = Some(file.clone());
            d.help = Some(tr!("add [variants.ID] with a label and a set of values, or give two files: dabiao compare A.toml B.toml", "请加入带 label 和 set 的 [variants.ID]，或给出两个文件：dabiao compare A.toml B.toml"));
            return Err(Error::Input(vec![d]));
        }
        names.push(ArmInfo {
            id: "as_written".into(),
            label: base.name.clone(),
            file: file.clone(),
        });
        arms.push(Arm {
            model: base,
            file: file.clone(),
            sha256: Some(sha.clone()),
        });
        for id in &ids {
            if let Some((model, _)) = load(file, text, Some(id)) {
                let label = model
                    .variant
                    .as_ref()
                    .map_or(id.clone(), |v| v.label.clone());
                names.push(ArmInfo {
                    id: id.clone(),
                    label,
                    file: file.clone(),
                });
                arms.push(Arm {
                    model,
                    file: file.clone(),
                    sha256: Some(sha.clone()),
                });
            }
        }
    } else {
        for (file, text) in &texts {
            if let Some((model, sha)) = load(file, text, None) {
                names.push(ArmInfo {
                    id: file.clone(),
                    label: model.name.clone(),
                    file: file.clone(),
                });
                arms.push(Arm {
                    model,
                    file: file.clone(),
                    sha256: Some(sha),
                });
            }
        }
    }
    if !problems.is_empty() {
        return Err(Error::Input(problems));
    }
    // Two files must share targets for a comparison to mean anything.
    let shared = arms[1..].iter().all(|a| {
        arms[0]
            .model
            .targets
            .iter()
            .any(|t| a.model.targets.iter().any(|u| u.id == t.id))
    });
    if !shared {
        return Err(Error::input(tr!(
            "{a} and {b} have no target id in common: nothing to compare",
            "{a} 与 {b} 没有共同的目标 id：无可比较",
            a = names[0].file,
            b = names[1].file
        )));
    }
    Ok((arms, names))
}
