//! `dabiao run`: simulate and report.

use std::time::Instant;

use super::output::{folder_names, Staging};
use super::progress::Progress;
use super::Loaded;
use crate::analysis::precision::{precise_enough, until_precise};
use crate::analysis::rare::refine;
use crate::analysis::sensitivity::sensitivity;
use crate::cli::{Format, RunArgs};
use crate::error::Error;
use crate::part::{encode, histories_digest, Body, Part, RunIdentity, RunPart};
use crate::report;
use crate::report::table::Terminal;
use crate::report::words::Lang;
use crate::simulate::{simulate, simulate_shard, RunConfig, Shard};
use crate::stats::results::{finish, Results, RunInfo};

pub fn run(args: &RunArgs) -> Result<(), Error> {
    args.check().map_err(Error::input)?;
    let mut loaded = super::load_all(&args.scenario)?;
    for l in &mut loaded {
        l.model.sampler = args.run.sampler();
    }
    let threads = args.run.threads();
    if let (Some(shard), [l]) = (args.shard, loaded.as_slice()) {
        return run_shard(args, l, shard, threads);
    }
    // Refuse an --out that is not ours before any work is done.
    let mut staging = args.out.as_deref().map(Staging::new).transpose()?;
    let mut all = Vec::new();
    for l in &loaded {
        let mut cfg = RunConfig {
            draws: args.run.draws.unwrap_or(l.model.draws),
            seed: args.run.seed.unwrap_or(l.model.seed),
            threads,
        };
        let start = Instant::now();
        let tally = match args.precision {
            None => {
                let progress = Progress::new(Some(cfg.draws), args.run.quiet);
                let tally =
                    simulate(&l.model, &cfg, &|n| progress.advance(n)).map_err(Error::threads)?;
                progress.done();
                tally
            }
            Some(e) => {
                let progress = Progress::new(Some(args.max_draws), args.run.quiet);
                let tally = until_precise(&l.model, cfg.seed, threads, e, args.max_draws, &|n| {
                    progress.advance(n)
                })?;
                progress.done();
                tally
            }
        };
        cfg.draws = tally.draws;
        let info = RunInfo {
            precision: args.precision,
            reached: args.precision.map(|e| precise_enough(&tally, e)),
            ..RunInfo::new(
                cfg.draws,
                cfg.seed,
                threads,
                start.elapsed().as_secs_f64(),
                args.scenario.set.set.clone(),
            )
        };
        let mut results = finish(&l.model, &tally, &l.file, Some(l.sha256.clone()), info);
        refine(&l.model, &cfg, &mut results)?;
        if args.sensitivity {
            results.sensitivity = Some(sensitivity(&l.model, &cfg, args.delta)?);
        }
        all.push(results);
    }
    let lang = super::lang(args.lang);
    if let Some(staging) = staging.as_mut() {
        // One scenario fills the directory; several get one folder each.
        let folders = if loaded.len() == 1 {
            vec![String::new()]
        } else {
            folder_names(loaded.iter().map(|l| l.file.as_str()))
                .into_iter()
                .map(|f| format!("{f}/"))
                .collect()
        };
        for ((l, r), prefix) in loaded.iter().zip(&all).zip(&folders) {
            for (name, bytes) in report_files(r, lang, args.excel_csv)? {
                staging.write(&format!("{prefix}{name}"), &bytes)?;
            }
            if let Some(n) = args.export_paths {
                staging.write_with(&format!("{prefix}paths.csv"), |w| {
                    super::export::paths_csv(&l.model, r.run.seed, n.min(r.run.draws), w)
                })?;
            }
        }
    }
    if let Some(staging) = staging {
        staging.commit()?;
    }
    let out = render(
        &all,
        args.format,
        lang,
        super::terminal(args.output.as_deref()),
    )?;
    let out = super::for_excel(out, args.excel_csv && args.format == Format::Csv);
    super::emit(&out, args.output.as_deref())
}

/// Runs one shard of the run and writes its part (`--shard I/N -o PART`).
fn run_shard(args: &RunArgs, l: &Loaded, shard: Shard, threads: usize) -> Result<(), Error> {
    let output = args.output.as_deref().ok_or_else(|| {
        Error::input(crate::tr!(
            "--shard writes a part: give it a file with -o PART",
            "--shard 写出一个分片文件：请用 -o PART 指定文件"
        ))
    })?;
    let cfg = RunConfig {
        draws: args.run.draws.unwrap_or(l.model.draws),
        seed: args.run.seed.unwrap_or(l.model.seed),
        threads,
    };
    let start = Instant::now();
    let progress = Progress::new(Some(shard.paths(cfg.draws)), args.run.quiet);
    let tally =
        simulate_shard(&l.model, &cfg, shard, &|n| progress.advance(n)).map_err(Error::threads)?;
    progress.done();
    let part = Part {
        shard,
        threads,
        seconds: start.elapsed().as_secs_f64(),
        body: Body::Run(Box::new(RunPart {
            identity: RunIdentity {
                file: l.file.clone(),
                sha256: l.sha256.clone(),
                variant: args.scenario.set.variant.clone(),
                overrides: args.scenario.set.set.clone(),
                seed: cfg.seed,
                draws: cfg.draws,
                sampler: l.model.sampler.name().into(),
                histories_sha256: histories_digest(&l.histories),
            },
            text: l.text.clone(),
            histories: l.histories.clone(),
            tally,
        })),
    };
    super::write_whole(output, &encode(&part))
}

/// Every file of a report directory.
pub(super) fn report_files(
    r: &Results,
    lang: Lang,
    excel_csv: bool,
) -> Result<Vec<(String, Vec<u8>)>, Error> {
    let mut files = vec![
        (
            "report.html".to_string(),
            report::html::render(r, lang).into_bytes(),
        ),
        (
            "report.md".to_string(),
            report::markdown::render(r, lang, true).into_bytes(),
        ),
        (
            "results.json".to_string(),
            report::json::render_all(std::slice::from_ref(r)).into_bytes(),
        ),
        (
            "targets.csv".to_string(),
            super::for_excel(
                report::csv::render(std::slice::from_ref(r)).into_bytes(),
                excel_csv,
            ),
        ),
        (
            "fan.csv".to_string(),
            super::for_excel(report::csv::fan(r).into_bytes(), excel_csv),
        ),
        (
            "report.xlsx".to_string(),
            report::xlsx::workbook(std::slice::from_ref(r), lang).map_err(Error::Other)?,
        ),
    ];
    let charts = report::describe::charts(r, lang);
    let pngs = pngs(&charts, lang);
    let figures: Vec<report::docx::Figure> = charts
        .iter()
        .zip(&pngs)
        .filter(|(c, _)| report::docx::wanted(c))
        .map(|(chart, png)| report::docx::Figure { chart, png })
        .collect();
    files.push((
        "report.docx".to_string(),
        report::docx::document(r, &figures, lang).map_err(Error::Other)?,
    ));
    for (c, png) in charts.iter().zip(pngs) {
        let name = c.file.strip_suffix(".svg").unwrap_or(&c.file);
        files.push((format!("{name}.png"), png));
    }
    files.extend(charts.into_iter().map(|c| (c.file, c.svg.into_bytes())));
    Ok(files)
}

/// Each chart as a PNG (for `fan-output.png` beside its SVG, and the Word
/// report), rendered in parallel; none, with a warning saying what to
/// install, when the charts need a Chinese font the system lacks.
fn pngs(charts: &[report::describe::Chart], lang: Lang) -> Vec<Vec<u8>> {
    use rayon::prelude::*;
    let raster = super::png::Rasteriser::new();
    let done: Result<Vec<_>, crate::text::Text> =
        charts.par_iter().map(|c| raster.png(&c.svg)).collect();
    done.unwrap_or_else(|message| {
        let warning = crate::tr!(
            "warning: PNG charts not written: {m}",
            "注意：未写出 PNG 图表：{m}",
            m = message
        );
        eprintln!("{}", warning.get(lang));
        Vec::new()
    })
}

/// The output in `format`: text, or a workbook's bytes.
pub(super) fn render(
    all: &[Results],
    format: Format,
    lang: Lang,
    term: Terminal,
) -> Result<Vec<u8>, Error> {
    let text = match format {
        Format::Md => all
            .iter()
            .map(|r| report::markdown::render(r, lang, false))
            .collect::<Vec<_>>()
            .join("\n"),
        Format::Html => all.iter().map(|r| report::html::render(r, lang)).collect(),
        Format::Table => {
            let mut sections: Vec<String> = all
                .iter()
                .map(|r| report::table::render_for(r, lang, term))
                .collect();
            if all.len() > 1 {
                sections.push(report::table::summary(all, lang));
            }
            sections.join("\n")
        }
        Format::Json => report::json::render_all(all),
        Format::Csv => report::csv::render(all),
        Format::Xlsx => return report::xlsx::workbook(all, lang).map_err(Error::Other),
    };
    Ok(text.into_bytes())
}
