//! Loops around the engine that answer "what if": a sweep over one input,
//! solving for the value that gives a probability, and the sensitivity of
//! every target to every input. All three move an input of the model the
//! same way (`model::shift`), and rerun the same seed and draws (common
//! random numbers), so that differences between runs reflect the
//! assumption, not the noise.

pub mod backtest;
pub mod compare;
pub mod precision;
pub mod rare;
pub mod sensitivity;
pub mod solve;
pub mod sweep;

use crate::error::{did_you_mean, Diagnostic, Error};
use crate::model::shift::{Input, Move};
use crate::model::Model;
use crate::simulate::{simulate, RunConfig};
use crate::stats::results::{finish, Results, RunInfo};
use crate::tr;

/// A scenario's model, rerun with one input moved (the same mechanism as
/// `--sensitivity`, so every run draws the same random numbers).
pub struct Runner<'a> {
    pub file: &'a str,
    /// The model, with the `--set` overrides that apply to every run.
    pub model: Model,
    pub overrides: &'a [String],
    /// Draws and seed; `None` takes the file's.
    pub draws: Option<u64>,
    pub seed: Option<u64>,
    pub threads: usize,
    /// Called with the number of paths after each chunk of every run.
    pub progress: &'a (dyn Fn(u64) + Sync),
}

impl Runner<'_> {
    pub fn config(&self) -> RunConfig {
        RunConfig {
            draws: self.draws.unwrap_or(self.model.draws),
            seed: self.seed.unwrap_or(self.model.seed),
            threads: self.threads,
        }
    }

    /// Runs the model with `vary`'s input at `value`, and summarises it.
    pub fn run_at(&self, input: Input, value: f64) -> Result<Results, Error> {
        self.run_moved(&[(input, value)])
    }

    /// Runs the model with each input at its value, and summarises it.
    pub fn run_moved(&self, moves: &[(Input, f64)]) -> Result<Results, Error> {
        let model = moves.iter().fold(self.model.clone(), |m, &(input, value)| {
            m.moved(input, Move::To(value))
        });
        let cfg = self.config();
        let start = std::time::Instant::now();
        let tally = simulate(&model, &cfg, self.progress).map_err(Error::threads)?;
        let info = RunInfo::new(
            cfg.draws,
            cfg.seed,
            cfg.threads,
            start.elapsed().as_secs_f64(),
            self.overrides.to_vec(),
        );
        Ok(finish(&model, &tally, self.file, None, info))
    }
}

/// A parameter to vary: `PATH=START..END`.
#[derive(Debug, Clone, PartialEq)]
pub struct Vary {
    pub path: String,
    pub start: f64,
    pub end: f64,
}

impl Vary {
    /// `--vary`'s parser: clap says its errors in English.
    pub fn parse_arg(text: &str) -> Result<Vary, String> {
        Vary::parse(text).map_err(|e| e.en().to_string())
    }

    /// Parses `PATH=START..END`.
    pub fn parse(text: &str) -> Result<Vary, crate::text::Text> {
        let usage = || {
            tr!(
                "expected PATH=START..END, e.g. indicators.output.growth.mean=0.05..0.15",
                "应为 路径=起..止，例如 indicators.output.growth.mean=0.05..0.15"
            )
        };
        let (path, range) = text.split_once('=').ok_or_else(usage)?;
        let (a, b) = range.split_once("..").ok_or_else(usage)?;
        let number = |s: &str| {
            let s = s.trim();
            s.parse::<f64>()
                .ok()
                .filter(|x| x.is_finite())
                .ok_or_else(|| tr!("`{s}` is not a number", "`{s}` 不是数"))
        };
        let (start, end) = (number(a)?, number(b)?);
        if start == end {
            return Err(tr!("the range is empty", "区间为空"));
        }
        Ok(Vary {
            path: path.trim().to_string(),
            start,
            end,
        })
    }

    /// The input this names in `model`, checked: both ends of the range
    /// must be values the input can take.
    pub fn resolve(&self, model: &Model) -> Result<Input, Error> {
        let (input, range) =
            crate::scenario::paths::parse(model, &self.path).map_err(|(message, help)| {
                let mut d = Diagnostic::new(tr!("--vary: {m}", "--vary：{m}", m = message));
                d.help = help;
                Error::Input(vec![d])
            })?;
        for end in [self.start, self.end] {
            if !range.contains(end) {
                return Err(Error::input(tr!(
                    "--vary: {p} must stay within {range}, found {end}",
                    "--vary：{p} 须在 {range} 之内，实为 {end}",
                    p = self.path
                )));
            }
            // An uncertain input moves as a whole: all of it must fit.
            let (a, b) = model.moved(input, Move::To(end)).input_support(input);
            if !(range.contains(a) && range.contains(b)) {
                return Err(Error::input(tr!(
                    "--vary: centred on {end}, {p} would range over [{a}, {b}], outside {range}",
                    "--vary：以 {end} 为中心时，{p} 的取值范围是 [{a}, {b}]，超出 {range}",
                    p = self.path
                )));
            }
        }
        Ok(input)
    }
}

/// Checks target ids against the model, with suggestions.
pub fn target_indices(model: &Model, ids: &[String]) -> Result<Vec<usize>, Error> {
    ids.iter()
        .map(|id| {
            model
                .targets
                .iter()
                .position(|t| &t.id == id)
                .ok_or_else(|| {
                    let mut d = Diagnostic::new(tr!("unknown target `{id}`", "没有目标 `{id}`"));
                    d.help = did_you_mean(id, model.targets.iter().map(|t| t.id.as_str()));
                    Error::Input(vec![d])
                })
        })
        .collect()
}
