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
    /// Number of simulated paths (default: the file's [run] draws, else 100000).
    #[arg(long, value_parser = clap::value_parser!(u64).range(1..))]
    pub draws: Option<u64>,
    /// Random seed (default: the file's [run] seed, else 1).
    #[arg(long)]
    pub seed: Option<u64>,
    /// Worker threads (default: all cores). Never changes a result.
    #[arg(long, value_parser = clap::value_parser!(u32).range(1..=4096))]
    pub threads: Option<u32>,
    #[arg(long, value_enum, default_value_t = Format::Table)]
    pub format: Format,
    /// No progress bar.
    #[arg(long, short)]
    pub quiet: bool,
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
}
