//! Loops around the engine that answer "what if": a sweep over one parameter,
//! solving for the value that gives a probability, and the sensitivity of
//! every target to every input. Each loop reruns the same seed and draws
//! (common random numbers), so that differences between runs reflect the
//! assumption, not the noise.

pub mod precision;
pub mod sensitivity;
pub mod solve;
pub mod sweep;

use crate::error::{did_you_mean, Error};
use crate::model::Model;
use crate::simulate::{simulate, RunConfig};
use crate::stats::results::{finish, Results, RunInfo};

/// A scenario held in memory, rerun with extra overrides.
pub struct Runner<'a> {
    pub file: &'a str,
    pub text: &'a str,
    /// `--set` overrides that apply to every run.
    pub overrides: &'a [String],
    /// Draws and seed; `None` takes the file's.
    pub draws: Option<u64>,
    pub seed: Option<u64>,
    pub threads: usize,
    /// Called with the number of paths after each chunk of every run.
    pub progress: &'a (dyn Fn(u64) + Sync),
}

impl Runner<'_> {
    /// Loads the scenario with `extra` overrides after the common ones.
    pub fn model(&self, extra: &[String]) -> Result<Model, Error> {
        let all: Vec<String> = self.overrides.iter().chain(extra).cloned().collect();
        crate::scenario::load(self.file, self.text, &all).map_err(Error::Input)
    }

    pub fn config(&self, model: &Model) -> RunConfig {
        RunConfig {
            draws: self.draws.unwrap_or(model.draws),
            seed: self.seed.unwrap_or(model.seed),
            threads: self.threads,
        }
    }

    /// Runs a model and summarises it.
    pub fn results(&self, model: &Model, extra: &[String]) -> Result<Results, Error> {
        let cfg = self.config(model);
        let start = std::time::Instant::now();
        let tally = simulate(model, &cfg, self.progress)
            .map_err(|e| Error::Other(format!("cannot start worker threads: {e}")))?;
        let info = RunInfo {
            file: self.file.to_string(),
            draws: cfg.draws,
            seed: cfg.seed,
            threads: cfg.threads,
            seconds: start.elapsed().as_secs_f64(),
            overrides: self.overrides.iter().chain(extra).cloned().collect(),
            precision: None,
            sha256: None,
        };
        Ok(finish(model, &tally, info))
    }

    /// Loads with `extra` overrides and runs.
    pub fn run(&self, extra: &[String]) -> Result<Results, Error> {
        let model = self.model(extra)?;
        self.results(&model, extra)
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
    /// Parses `PATH=START..END` (a clap value parser).
    pub fn parse(text: &str) -> Result<Vary, String> {
        let usage = || {
            "expected PATH=START..END, e.g. indicators.output.growth.mean=0.05..0.15".to_string()
        };
        let (path, range) = text.split_once('=').ok_or_else(usage)?;
        let (a, b) = range.split_once("..").ok_or_else(usage)?;
        let number = |s: &str| {
            s.trim()
                .parse::<f64>()
                .ok()
                .filter(|x| x.is_finite())
                .ok_or_else(|| format!("`{}` is not a number", s.trim()))
        };
        let (start, end) = (number(a)?, number(b)?);
        if start == end {
            return Err("the range is empty".into());
        }
        Ok(Vary {
            path: path.trim().to_string(),
            start,
            end,
        })
    }

    /// The `--set` override for value `v`.
    pub fn set(&self, v: f64) -> String {
        format!("{}={v:?}", self.path)
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
                    let mut d = crate::error::Diagnostic::new(format!("unknown target `{id}`"));
                    d.help = did_you_mean(id, model.targets.iter().map(|t| t.id.as_str()));
                    Error::Input(vec![d])
                })
        })
        .collect()
}
