//! Command-line arguments (clap derive): one struct per subcommand, shared
//! option groups flattened.

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand, ValueEnum};

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
}

#[derive(Debug, Args)]
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

#[derive(Debug, Args)]
pub struct ScenarioArgs {
    /// Scenario files (TOML).
    #[arg(required = true, value_name = "FILE")]
    pub files: Vec<PathBuf>,
    /// Replace one value of the scenario before it is checked, VALUE in TOML syntax:
    /// --set indicators.output.growth.mean=0.12
    #[arg(long = "set", value_name = "PATH=VALUE")]
    pub set: Vec<String>,
}

#[derive(Debug, Args)]
pub struct RunArgs {
    #[command(flatten)]
    pub scenario: ScenarioArgs,
    #[command(flatten)]
    pub run: RunOptions,
    #[arg(long, value_enum, default_value_t = Format::Table)]
    pub format: Format,
    /// Also move each uncertain input down and up and report every target's
    /// probability at both (a tornado of what matters most).
    #[arg(long)]
    pub sensitivity: bool,
    /// How far --sensitivity moves rates (growth, change, probabilities);
    /// levels always move by 10 %.
    #[arg(long, value_name = "D", default_value_t = 0.01)]
    pub delta: f64,
    /// Keep drawing, in whole chunks, until every target's 95 % interval is at
    /// most E on each side (e.g. 0.005 for half a point).
    #[arg(long, value_name = "E")]
    pub precision: Option<f64>,
    /// Write report.html, report.md, results.json, targets.csv, fan.csv and
    /// the charts (.svg) into DIR, all or nothing.
    #[arg(long, value_name = "DIR")]
    pub out: Option<PathBuf>,
    /// Also write the first N simulated paths (every indicator, every year)
    /// to paths.csv in --out, to audit the numbers behind the summary.
    #[arg(long, value_name = "N", requires = "out")]
    pub export_paths: Option<u64>,
    /// The language of the reports' own words.
    #[arg(long, value_enum, default_value_t = LangArg::En)]
    pub lang: LangArg,
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
    /// No progress bar.
    #[arg(long, short)]
    pub quiet: bool,
}

impl RunOptions {
    pub fn threads(&self) -> usize {
        self.threads
            .map(|t| t as usize)
            .unwrap_or_else(|| std::thread::available_parallelism().map_or(1, |n| n.get()))
    }
}

#[derive(Debug, Args)]
pub struct SweepArgs {
    /// Scenario file (TOML).
    #[arg(value_name = "FILE")]
    pub file: PathBuf,
    /// The parameter and its range: any --set path, e.g.
    /// indicators.output.growth.mean=0.05..0.15
    #[arg(long, value_name = "PATH=START..END")]
    pub vary: String,
    /// Number of values from START to END.
    #[arg(long, default_value_t = 11, value_parser = clap::value_parser!(u32).range(2..=1000))]
    pub steps: u32,
    /// Only these targets (default: all).
    #[arg(long = "target", value_name = "ID")]
    pub targets: Vec<String>,
    #[arg(long = "set", value_name = "PATH=VALUE")]
    pub set: Vec<String>,
    #[command(flatten)]
    pub run: RunOptions,
    #[arg(long, value_enum, default_value_t = SweepFormat::Table)]
    pub format: SweepFormat,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum SweepFormat {
    Table,
    Json,
    Csv,
    Html,
}

#[derive(Debug, Args)]
pub struct SolveArgs {
    /// Scenario file (TOML).
    #[arg(value_name = "FILE")]
    pub file: PathBuf,
    /// The parameter and the range to search: PATH=LOW..HIGH.
    #[arg(long, value_name = "PATH=LOW..HIGH")]
    pub vary: String,
    /// The target whose probability to reach.
    #[arg(long, value_name = "ID")]
    pub target: String,
    /// The probability to reach, e.g. 0.8.
    #[arg(long, value_name = "P")]
    pub probability: f64,
    #[arg(long = "set", value_name = "PATH=VALUE")]
    pub set: Vec<String>,
    #[command(flatten)]
    pub run: RunOptions,
    #[arg(long, value_enum, default_value_t = SolveFormat::Table)]
    pub format: SolveFormat,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum SolveFormat {
    Table,
    Json,
}

#[derive(Debug, Args)]
pub struct CheckArgs {
    #[command(flatten)]
    pub scenario: ScenarioArgs,
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
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum LangArg {
    En,
    Zh,
}
