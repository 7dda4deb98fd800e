//! Command-line arguments (clap derive): one struct per subcommand, shared
//! option groups flattened.

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand, ValueEnum};

use crate::analysis::Vary;
use crate::model::Sampler;
use crate::report::words::Lang;
use crate::text::Text;
use crate::tr;

#[derive(Debug, Parser)]
#[command(
    name = "dabiao",
    version,
    about = "达标: Monte Carlo odds that a plan hits its targets",
    long_about = "dabiao runs a scenario file (a plan's starting values, growth assumptions and targets) \
                  through hundreds of thousands of simulated futures and reports, for every target, \
                  the probability of hitting it.\n\nExit codes: 0 success, 2 invalid input \
                  (scenario, flag or override), 1 anything else."
)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Simulate scenarios and report each target's probability.
    Run(RunArgs),
    /// Validate scenarios without simulating; show each target's arithmetic.
    Check(CheckArgs),
    /// Estimate growth assumptions from a series, as TOML to paste into a scenario.
    Calibrate(CalibrateArgs),
    /// The probability of each target at each value of one parameter.
    Sweep(SweepArgs),
    /// The parameter value at which a target reaches a probability.
    Solve(SolveArgs),
    /// A scenario and its variants (or two files) on the same random
    /// numbers: each target's probability under each, and the paired difference.
    Compare(CompareArgs),
    /// Score a scenario's forecast against what happened: each actual's
    /// percentile, and each decided target's Brier and log score.
    Backtest(BacktestArgs),
    /// A draft scenario from a plan's own text: every target it states, with
    /// placeholders for the bases and beliefs the economist must give.
    Extract(ExtractArgs),
    /// Merge the parts written by `run --shard` (or `study --shard`) into
    /// exactly what one run (or study) without shards reports.
    Merge(MergeArgs),
    /// Run many scenario files, their variants and sweeps, listed in a study
    /// file: one table of every plan's targets and headline odds.
    Study(StudyArgs),
    /// Print a shell completion script: `dabiao completions bash >
    /// ~/.local/share/bash-completion/completions/dabiao`.
    Completions(CompletionsArgs),
    /// Print the man page (roff), or with --out DIR write one page for
    /// dabiao and one for each subcommand: `dabiao man | man -l -`.
    Man(ManArgs),
}

#[derive(Debug, Args)]
#[command(
    after_help = "Examples:\n  dabiao man | man -l -\n  dabiao man --out ~/.local/share/man/man1"
)]
pub struct ManArgs {
    /// Write dabiao.1 and dabiao-SUBCOMMAND.1 into DIR (created if missing;
    /// pages already there are replaced).
    #[arg(long, value_name = "DIR")]
    pub out: Option<PathBuf>,
}

#[derive(Debug, Args)]
#[command(
    after_help = "Examples:\n  dabiao completions bash > ~/.local/share/bash-completion/completions/dabiao\n  dabiao completions zsh > ~/.zfunc/_dabiao\n  dabiao completions powershell >> $PROFILE"
)]
pub struct CompletionsArgs {
    /// bash, zsh, fish, powershell or elvish.
    #[arg(value_enum)]
    pub shell: clap_complete::Shell,
}

impl Cli {
    /// Whether the command asked for JSON: its errors then go to standard
    /// error as JSON too.
    /// The language the command's `--lang` names, if it has one and it is given.
    pub fn lang(&self) -> Option<Lang> {
        match &self.command {
            Command::Run(a) => a.lang,
            Command::Check(a) => a.lang,
            Command::Calibrate(a) => a.lang,
            Command::Sweep(a) => a.lang,
            Command::Solve(a) => a.lang,
            Command::Compare(a) => a.lang,
            Command::Backtest(a) => a.lang,
            Command::Extract(a) => a.lang,
            Command::Merge(a) => a.lang,
            Command::Study(_) | Command::Completions(_) | Command::Man(_) => LangOpt::default(),
        }
        .given()
    }

    pub fn wants_json(&self) -> bool {
        match &self.command {
            Command::Run(a) => a.format == Format::Json,
            Command::Compare(a) => a.format == Format::Json,
            Command::Merge(a) => a.format == Format::Json,
            Command::Study(a) => a.format == Format::Json,
            Command::Sweep(a) => a.format == SweepFormat::Json,
            Command::Solve(a) => a.format == SolveFormat::Json,
            Command::Backtest(a) => a.format == TextFormat::Json,
            Command::Check(_)
            | Command::Calibrate(_)
            | Command::Extract(_)
            | Command::Completions(_)
            | Command::Man(_) => false,
        }
    }
}

#[derive(Debug, Args)]
#[command(after_help = "Examples:\n  \
    dabiao merge parts/*.part --format json -o results.json\n  \
    dabiao merge parts/*.part --out report/")]
pub struct MergeArgs {
    /// Every part of one run or study, in any order.
    #[arg(required = true, value_name = "PART")]
    pub parts: Vec<PathBuf>,
    /// What to print (or write with -o).
    #[arg(long, value_enum, default_value_t = Format::Table)]
    pub format: Format,
    /// Write the output to FILE (whole or not at all) instead of printing it.
    #[arg(short = 'o', long = "output", value_name = "FILE")]
    pub output: Option<PathBuf>,
    /// Write a run's report directory into DIR, as `run --out` does.
    #[arg(long, value_name = "DIR")]
    pub out: Option<PathBuf>,
    #[command(flatten)]
    pub lang: LangOpt,
    /// CSV for Excel: start CSV output (and targets.csv, fan.csv in --out)
    /// with a UTF-8 byte-order mark, so that Excel on Chinese Windows reads
    /// the labels right. Without it, CSV is plain UTF-8 for pandas and R.
    #[arg(long)]
    pub excel_csv: bool,
}

#[derive(Debug, Args)]
#[command(after_help = "Examples:\n  \
    dabiao study scenarios/study.toml --format csv -o study.csv\n  \
    dabiao study scenarios/study.toml --shard 0/8 -o parts/0.part   (one job of eight)")]
pub struct StudyArgs {
    /// The study file: [study] name, draws, seed and [[plans]] groups of files.
    #[arg(value_name = "STUDY")]
    pub file: PathBuf,
    /// Run only shard I of N (work item k belongs to shard k mod N; I from
    /// 0) and write a part with -o, for `dabiao merge`.
    #[arg(long, value_name = "I/N", value_parser = shard, requires = "output")]
    pub shard: Option<crate::simulate::Shard>,
    /// Worker threads per run (default: all cores).
    #[arg(long, value_parser = clap::value_parser!(u32).range(1..=MAX_THREADS))]
    pub threads: Option<u32>,
    /// No progress bar.
    #[arg(long)]
    pub quiet: bool,
    /// What to print (or write with -o): the table, every row as JSON or CSV,
    /// or one sortable HTML page.
    #[arg(long, value_enum, default_value_t = Format::Table)]
    pub format: Format,
    /// Write to FILE (whole or not at all) instead of printing: the output,
    /// or with --shard the part.
    #[arg(short = 'o', long = "output", value_name = "FILE")]
    pub output: Option<PathBuf>,
    /// CSV for Excel: start CSV output (and targets.csv, fan.csv in --out)
    /// with a UTF-8 byte-order mark, so that Excel on Chinese Windows reads
    /// the labels right. Without it, CSV is plain UTF-8 for pandas and R.
    #[arg(long)]
    pub excel_csv: bool,
}

/// `I/N` (`--shard`): shard I of N, I from 0.
fn shard(text: &str) -> Result<crate::simulate::Shard, String> {
    let usage = || format!("expected I/N, e.g. 0/4 for the first of four shards, found `{text}`");
    let (i, n) = text.split_once('/').ok_or_else(usage)?;
    let i = i.trim().parse::<u64>().map_err(|_| usage())?;
    let n = n.trim().parse::<u64>().map_err(|_| usage())?;
    crate::simulate::Shard::new(i, n)
}

#[derive(Debug, Args)]
#[command(
    after_help = "Examples:\n  dabiao extract plan.html -o draft.toml\n  dabiao check draft.toml    (lists the placeholders left to fill)"
)]
pub struct ExtractArgs {
    /// The plan as published: a text file or a saved web page (UTF-8 or GBK).
    #[arg(value_name = "PLAN")]
    pub plan: PathBuf,
    /// Write the draft to FILE (all or nothing) instead of standard output.
    #[arg(short = 'o', long = "output", value_name = "FILE")]
    pub output: Option<PathBuf>,
    #[command(flatten)]
    pub lang: LangOpt,
}

#[derive(Debug, Args)]
#[command(
    after_help = "Examples:\n  dabiao backtest scenarios/tongcheng_2021.toml --actuals scenarios/tongcheng_actuals.csv"
)]
pub struct BacktestArgs {
    #[command(flatten)]
    pub scenario: OneScenarioArgs,
    /// What happened: a CSV with columns indicator (the scenario's id), year
    /// and value (other columns, such as source, are ignored).
    #[arg(long, value_name = "CSV")]
    pub actuals: PathBuf,
    #[command(flatten)]
    pub run: RunOptions,
    /// What to print: a table or JSON.
    #[arg(long, value_enum, default_value_t = TextFormat::Table)]
    pub format: TextFormat,
    /// Write to FILE (whole or not at all) instead of printing.
    #[arg(short = 'o', long = "output", value_name = "FILE")]
    pub output: Option<PathBuf>,
    #[command(flatten)]
    pub lang: LangOpt,
}

#[derive(Debug, Args)]
#[command(
    after_help = "Examples:\n  dabiao compare plan.toml\n  dabiao compare plan.toml --variant optimistic --format html -o compare.html\n  dabiao compare plan_a.toml plan_b.toml"
)]
pub struct CompareArgs {
    /// A scenario file with [variants], or two scenario files with the same targets.
    #[arg(required = true, num_args = 1..=2, value_name = "FILE")]
    pub files: Vec<PathBuf>,
    /// The variants to set beside the file as written (repeatable; default: all).
    #[arg(long = "variant", value_name = "ID")]
    pub variants: Vec<String>,
    /// Replace one value in every scenario compared, VALUE in TOML syntax (repeatable).
    #[arg(long = "set", value_name = "PATH=VALUE")]
    pub set: Vec<String>,
    #[command(flatten)]
    pub run: RunOptions,
    /// What to print: a table, JSON, one CSV row per target and scenario, or
    /// the Markdown or HTML report (with the scenarios' fans overlaid).
    #[arg(long, value_enum, default_value_t = Format::Table)]
    pub format: Format,
    /// Write to FILE (whole or not at all) instead of printing.
    #[arg(short = 'o', long = "output", value_name = "FILE")]
    pub output: Option<PathBuf>,
    #[command(flatten)]
    pub lang: LangOpt,
}

impl CompareArgs {
    /// Checks between arguments that no single one's parser can make.
    pub fn check(&self) -> Result<(), Text> {
        if self.files.len() == 2 && !self.variants.is_empty() {
            return Err(tr!(
                "--variant picks variants of one file; with two files, each is compared as written",
                "--variant 选的是一个文件的变体；两个文件时各按文件原样比较"
            ));
        }
        if self.format == Format::Xlsx {
            return Err(tr!(
                "compare prints a table, json, csv, md or html; xlsx is for run, merge and study",
                "compare 输出 table、json、csv、md 或 html；xlsx 用于 run、merge 和 study"
            ));
        }
        Ok(())
    }
}

#[derive(Debug, Args)]
#[command(
    after_help = "Examples:\n  dabiao calibrate output.csv --column output\n  dabiao calibrate firms.csv --kind count --exit-rate 0.03\n  dabiao calibrate scenarios/rongchang.toml --indicator revenue"
)]
pub struct CalibrateArgs {
    /// A CSV series (a year column and a value column), or a scenario file
    /// whose indicator's history to use (with --indicator).
    #[arg(value_name = "SERIES.csv|SCENARIO.toml")]
    pub input: PathBuf,
    /// The CSV column holding the values (default: the only column besides the year).
    #[arg(long, value_name = "NAME")]
    pub column: Option<String>,
    /// The scenario indicator whose history (and fixed base) to use.
    #[arg(long, value_name = "ID")]
    pub indicator: Option<String>,
    /// What a CSV series is (a scenario indicator's kind is known).
    #[arg(long, value_enum, default_value_t = SeriesKindArg::Level)]
    pub kind: SeriesKindArg,
    /// For a count: the share of units that leave each year, so that the
    /// entries estimated are gross, as a scenario's `entries` are (default:
    /// the scenario indicator's exit_rate, else 0: net additions).
    #[arg(long, value_name = "R", value_parser = exit_rate)]
    pub exit_rate: Option<f64>,
    /// Write to FILE (whole or not at all) instead of printing.
    #[arg(short = 'o', long = "output", value_name = "FILE")]
    pub output: Option<PathBuf>,
    #[command(flatten)]
    pub lang: LangOpt,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum SeriesKindArg {
    /// A level that compounds: growth rates.
    Level,
    /// A share: yearly changes.
    Share,
    /// A count: yearly additions.
    Count,
}

/// Scenario files and the overrides applied to each: `run` and `check`.
#[derive(Debug, Args)]
pub struct ScenarioArgs {
    /// Scenario files (TOML).
    #[arg(required = true, value_name = "FILE")]
    pub files: Vec<PathBuf>,
    #[command(flatten)]
    pub set: SetArgs,
}

/// One scenario file and its overrides: `sweep` and `solve`.
#[derive(Debug, Args)]
pub struct OneScenarioArgs {
    /// Scenario file (TOML).
    #[arg(value_name = "FILE")]
    pub file: PathBuf,
    #[command(flatten)]
    pub set: SetArgs,
}

/// `--variant` and `--set`, shared by every command that reads a scenario.
#[derive(Debug, Args)]
pub struct SetArgs {
    /// Apply the file's [variants.ID] first (its `set`), then any --set.
    #[arg(long, value_name = "ID")]
    pub variant: Option<String>,
    /// Replace one value of the scenario before it is checked, VALUE in TOML syntax:
    /// --set indicators.output.growth.mean=0.12 (repeatable)
    #[arg(long = "set", value_name = "PATH=VALUE")]
    pub set: Vec<String>,
}

#[derive(Debug, Args)]
#[command(
    after_help = "Examples:\n  dabiao run scenarios/rongchang.toml\n  dabiao run scenarios/*.toml --format csv -o targets.csv\n  dabiao run plan.toml --set indicators.output.growth.mean=0.12 --out report/\n  dabiao run plan.toml --format xlsx -o plan.xlsx --lang zh\n  dabiao run plan.toml --sensitivity --precision 0.005"
)]
pub struct RunArgs {
    #[command(flatten)]
    pub scenario: ScenarioArgs,
    #[command(flatten)]
    pub run: RunOptions,
    /// What to print: a table, the JSON contract, one CSV row per target,
    /// or the Markdown or HTML report.
    #[arg(long, value_enum, default_value_t = Format::Table)]
    pub format: Format,
    /// Also move each uncertain input down and up and report every target's
    /// probability at both (a tornado of what matters most).
    #[arg(long)]
    pub sensitivity: bool,
    /// How far --sensitivity moves a fixed mean growth (a share's fixed mean
    /// change moves a tenth as far); inputs given as distributions move by
    /// one sd of their own, fixed probabilities and mean entries by 10 %.
    #[arg(long, value_name = "D", default_value_t = 0.01, value_parser = positive)]
    pub delta: f64,
    /// Keep drawing, in whole chunks, until every target's 95 % interval is at
    /// most E on each side (e.g. 0.005 for half a point).
    #[arg(long, value_name = "E", value_parser = half_width)]
    pub precision: Option<f64>,
    /// Write report.html, report.md, results.json, targets.csv, fan.csv, report.xlsx and
    /// the charts (.svg) into DIR, all or nothing.
    #[arg(long, value_name = "DIR")]
    pub out: Option<PathBuf>,
    /// Also write the first N simulated paths (every indicator, every year)
    /// to paths.csv in --out, to audit the numbers behind the summary.
    #[arg(long, value_name = "N", requires = "out")]
    pub export_paths: Option<u64>,
    #[command(flatten)]
    pub lang: LangOpt,
    /// Run only shard I of N of the run's chunks (chunk c belongs to shard
    /// c mod N; I from 0) and write a part with -o, for `dabiao merge`.
    #[arg(long, value_name = "I/N", value_parser = shard, requires = "output")]
    pub shard: Option<crate::simulate::Shard>,
    /// Write to FILE (whole or not at all) instead of printing: the output,
    /// or with --shard the part.
    #[arg(short = 'o', long = "output", value_name = "FILE")]
    pub output: Option<PathBuf>,
    /// CSV for Excel: start CSV output (and targets.csv, fan.csv in --out)
    /// with a UTF-8 byte-order mark, so that Excel on Chinese Windows reads
    /// the labels right. Without it, CSV is plain UTF-8 for pandas and R.
    #[arg(long)]
    pub excel_csv: bool,
    /// The most draws --precision may use.
    #[arg(long, value_name = "N", default_value_t = 10_000_000, value_parser = clap::value_parser!(u64).range(1..))]
    pub max_draws: u64,
}

/// How a run draws: shared by the commands that simulate.
/// The most worker threads: each keeps its own buffers and tally.
pub const MAX_THREADS: i64 = 512;

#[derive(Debug, Args)]
pub struct RunOptions {
    /// Number of simulated paths (default: the file's [run] draws, else 100000).
    #[arg(long, value_parser = clap::value_parser!(u64).range(1..))]
    pub draws: Option<u64>,
    /// Random seed (default: the file's [run] seed, else 1).
    #[arg(long)]
    pub seed: Option<u64>,
    /// Worker threads, at most 512 (default: all cores). Never changes a result.
    #[arg(long, value_parser = clap::value_parser!(u32).range(1..=MAX_THREADS))]
    pub threads: Option<u32>,
    /// No progress bar (one appears on a terminal once a run takes a second).
    #[arg(long, short)]
    pub quiet: bool,
    /// How paths are drawn: `antithetic` pairs, each path with its mirror
    /// image (the default; intervals from the variance between pairs),
    /// `sobol`, randomised quasi-Monte Carlo (scrambled Sobol' points in 16
    /// independent replicates; intervals from the spread between them), or
    /// `mc`, independent paths. `compare` always draws independent paths.
    #[arg(long, value_name = "SAMPLER", value_parser = ["antithetic", "sobol", "mc"])]
    pub sampler: Option<String>,
}

impl RunOptions {
    /// The sampler asked for, or the default.
    pub fn sampler(&self) -> Sampler {
        self.sampler.as_deref().map_or_else(Sampler::default, |s| {
            Sampler::from_name(s).expect("clap checked the name")
        })
    }

    pub fn threads(&self) -> usize {
        self.threads
            .map(|t| t as usize)
            .unwrap_or_else(|| std::thread::available_parallelism().map_or(1, |n| n.get()))
    }
}

#[derive(Debug, Args)]
#[command(
    after_help = "Examples:\n  dabiao sweep plan.toml --vary indicators.output.growth.mean=0.05..0.15\n  dabiao sweep plan.toml --vary indicators.output.base=100..140 --vary indicators.output.growth.mean=0.04..0.12 --steps 9 --format html -o grid.html"
)]
pub struct SweepArgs {
    #[command(flatten)]
    pub scenario: OneScenarioArgs,
    /// The input and its range: a mean growth or change, its sd or
    /// persistence, a base, mean entries, an exit rate, a shock's probability
    /// or a target's threshold, e.g. indicators.output.growth.mean=0.05..0.15.
    /// An uncertain input moves as a whole: its centre takes each value.
    /// Given twice, the two inputs make a grid (a heat map in HTML).
    #[arg(long, required = true, value_name = "PATH=START..END", value_parser = Vary::parse_arg)]
    pub vary: Vec<Vary>,
    /// Number of values from START to END (on each axis of a grid).
    #[arg(long, default_value_t = 11, value_parser = clap::value_parser!(u32).range(2..=1000))]
    pub steps: u32,
    /// Only these targets (default: all).
    #[arg(long = "target", value_name = "ID")]
    pub targets: Vec<String>,
    #[command(flatten)]
    pub run: RunOptions,
    /// What to print: a table, JSON, CSV, or an HTML page with the curves.
    #[arg(long, value_enum, default_value_t = SweepFormat::Table)]
    pub format: SweepFormat,
    /// Also write sweep.html, sweep.csv, sweep.json and sweep.txt into DIR,
    /// all or nothing (as `run --out`: DIR must be new, empty or dabiao's).
    #[arg(long, value_name = "DIR")]
    pub out: Option<PathBuf>,
    /// Write to FILE (whole or not at all) instead of printing.
    #[arg(short = 'o', long = "output", value_name = "FILE")]
    pub output: Option<PathBuf>,
    #[command(flatten)]
    pub lang: LangOpt,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum SweepFormat {
    Table,
    Json,
    Csv,
    Html,
}

#[derive(Debug, Args)]
#[command(
    after_help = "Examples:\n  dabiao solve plan.toml --vary indicators.output.growth.mean=0.0..0.3 --target output_300 --probability 0.8"
)]
pub struct SolveArgs {
    #[command(flatten)]
    pub scenario: OneScenarioArgs,
    /// The input and the range to search: PATH=LOW..HIGH (what --vary of
    /// sweep accepts).
    #[arg(long, value_name = "PATH=LOW..HIGH", value_parser = Vary::parse_arg)]
    pub vary: Vary,
    /// The target whose probability to reach.
    #[arg(long, value_name = "ID")]
    pub target: String,
    /// The probability to reach, e.g. 0.8.
    #[arg(long, value_name = "P", value_parser = probability)]
    pub probability: f64,
    #[command(flatten)]
    pub run: RunOptions,
    /// What to print: a table or JSON.
    #[arg(long, value_enum, default_value_t = SolveFormat::Table)]
    pub format: SolveFormat,
    /// Write solve.html, solve.json and solve.txt into DIR (new, empty, or
    /// dabiao's own: replaced whole, as `run --out`).
    #[arg(long, value_name = "DIR")]
    pub out: Option<PathBuf>,
    /// Write to FILE (whole or not at all) instead of printing.
    #[arg(short = 'o', long = "output", value_name = "FILE")]
    pub output: Option<PathBuf>,
    #[command(flatten)]
    pub lang: LangOpt,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum SolveFormat {
    Table,
    Json,
    Html,
}

/// A table, or JSON.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum TextFormat {
    Table,
    Json,
}

#[derive(Debug, Args)]
#[command(
    after_help = "Examples:\n  dabiao check scenarios/*.toml\n  dabiao check plan.toml --variant optimistic\n  cat plan.toml | dabiao check -"
)]
pub struct CheckArgs {
    #[command(flatten)]
    pub scenario: ScenarioArgs,
    /// Write to FILE (whole or not at all) instead of printing.
    #[arg(short = 'o', long = "output", value_name = "FILE")]
    pub output: Option<PathBuf>,
    #[command(flatten)]
    pub lang: LangOpt,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Format {
    Table,
    Json,
    Csv,
    /// The Markdown report.
    Md,
    /// The HTML report (one file, self-contained).
    Html,
    /// An Excel workbook (with -o FILE.xlsx): numbers as numbers, a sheet of
    /// targets, one per indicator's fan with its chart, the assumptions.
    Xlsx,
}

/// `--format xlsx` writes a binary workbook: it needs a file.
fn xlsx_needs_a_file(format: Format, output: Option<&std::path::Path>) -> Result<(), Text> {
    if format == Format::Xlsx && output.is_none() {
        return Err(tr!(
            "--format xlsx writes a workbook, not text: give it a file with -o FILE.xlsx",
            "--format xlsx 写出工作簿而非文本：请用 -o FILE.xlsx 指定文件"
        ));
    }
    Ok(())
}

impl MergeArgs {
    /// Checks between flags that no single flag's parser can make.
    pub fn check(&self) -> Result<(), Text> {
        xlsx_needs_a_file(self.format, self.output.as_deref())
    }
}

impl StudyArgs {
    /// Checks between flags that no single flag's parser can make.
    pub fn check(&self) -> Result<(), Text> {
        if self.shard.is_none() {
            xlsx_needs_a_file(self.format, self.output.as_deref())?;
        }
        Ok(())
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum LangArg {
    En,
    Zh,
}

/// `--lang`, for every command that writes words of its own.
#[derive(Debug, Clone, Copy, Default, Args)]
pub struct LangOpt {
    /// The language of the output's own words and of error messages
    /// (default: from LC_ALL, LC_MESSAGES or LANG; Chinese when it starts with zh).
    #[arg(long, value_enum)]
    lang: Option<LangArg>,
}

impl LangOpt {
    /// The language `--lang` names, if given (else the locale's: `cmd::lang`).
    pub fn given(self) -> Option<Lang> {
        self.lang.map(|l| match l {
            LangArg::En => Lang::En,
            LangArg::Zh => Lang::Zh,
        })
    }
}

impl SweepArgs {
    /// Checks between flags that no single flag's parser can make.
    pub fn check(&self) -> Result<(), Text> {
        if self.vary.len() > 2 {
            return Err(tr!(
                "--vary at most twice: one input for curves, two for a grid",
                "--vary 最多两次：一个输入画曲线，两个输入画网格"
            ));
        }
        Ok(())
    }
}

impl RunArgs {
    /// Checks between flags that no single flag's parser can make.
    pub fn check(&self) -> Result<(), Text> {
        if self.format == Format::Html && self.scenario.files.len() > 1 {
            return Err(tr!(
                "--format html prints one report; for several scenarios use --out DIR",
                "--format html 只输出一份报告；多个情景请用 --out DIR"
            ));
        }
        if self.shard.is_none() {
            xlsx_needs_a_file(self.format, self.output.as_deref())?;
        }
        if self.shard.is_some() {
            if self.scenario.files.len() > 1 {
                return Err(tr!(
                    "--shard runs a part of one scenario: give one file",
                    "--shard 运行一个情景的一部分：请只给一个文件"
                ));
            }
            let alone = [
                (self.precision.is_some(), "--precision"),
                (self.sensitivity, "--sensitivity"),
                (self.out.is_some(), "--out"),
            ];
            if let Some((_, flag)) = alone.iter().find(|(given, _)| *given) {
                return Err(tr!(
                    "--shard writes a part of a plain run; {flag} belongs to the run as a whole (give it to `dabiao merge`, or run without shards)",
                    "--shard 写出普通运行的一部分；{flag} 属于整个运行（请交给 `dabiao merge`，或不分片运行）"
                ));
            }
        }
        Ok(())
    }
}

/// A finite number > 0 (`--delta`).
fn positive(text: &str) -> Result<f64, String> {
    match text.trim().parse::<f64>() {
        Ok(x) if x.is_finite() && x > 0.0 => Ok(x),
        _ => Err(format!("expected a positive number, found `{text}`")),
    }
}

/// A 95 % half-width in (0, 0.5) (`--precision`).
fn half_width(text: &str) -> Result<f64, String> {
    match text.trim().parse::<f64>() {
        Ok(x) if x > 0.0 && x < 0.5 => Ok(x),
        _ => Err(format!(
            "expected a half-width between 0 and 0.5 (e.g. 0.005), found `{text}`"
        )),
    }
}

/// A share in [0, 1) (`--exit-rate`).
fn exit_rate(text: &str) -> Result<f64, String> {
    match text.trim().parse::<f64>() {
        Ok(x) if (0.0..1.0).contains(&x) => Ok(x),
        _ => Err(format!(
            "expected a share in [0, 1), e.g. 0.04, found `{text}`"
        )),
    }
}

/// A probability in [0, 1] (`--probability`).
fn probability(text: &str) -> Result<f64, String> {
    match text.trim().parse::<f64>() {
        Ok(x) if (0.0..=1.0).contains(&x) => Ok(x),
        _ => Err(format!("expected a probability in [0, 1], found `{text}`")),
    }
}
