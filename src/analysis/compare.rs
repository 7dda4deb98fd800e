//! `compare`: a scenario as written and its variants (or two files with the
//! same targets), run on the same random numbers, with each target's paired
//! difference from the first and its interval. Paired, the interval is far
//! tighter than two separate ones: paths that both hit or both miss cancel.

use schemars::JsonSchema;
use serde::Serialize;

use crate::error::Error;
use crate::model::{Model, Tier};
use crate::simulate::{simulate_paired, RunConfig};
use crate::stats::paired_difference;
use crate::stats::results::{finish, Estimate, Results, RunInfo};

/// One scenario in a comparison.
pub struct Arm {
    pub model: Model,
    pub file: String,
    pub sha256: Option<String>,
}

/// What was compared, and how each target fares under each.
#[derive(Debug, Clone, PartialEq, Serialize, JsonSchema)]
pub struct Comparison {
    pub run: RunInfo,
    /// The scenarios compared; the first is the baseline.
    pub arms: Vec<ArmInfo>,
    /// Every target of the baseline, in its file's order.
    pub targets: Vec<ComparedTarget>,
    /// Each arm's full results, for the reports' charts.
    #[serde(skip)]
    pub results: Vec<Results>,
}

/// One scenario compared.
#[derive(Debug, Clone, PartialEq, Serialize, JsonSchema)]
pub struct ArmInfo {
    /// The variant's id, or `as_written` for the file without a variant, or
    /// the file's name when two files are compared.
    pub id: String,
    pub label: String,
    pub file: String,
}

/// One target under every arm.
#[derive(Debug, Clone, PartialEq, Serialize, JsonSchema)]
pub struct ComparedTarget {
    pub id: String,
    pub label: String,
    pub tier: Tier,
    /// The probability under each arm, in `arms` order (`null` where an arm
    /// has no target of this id).
    pub estimates: Vec<Option<Estimate>>,
    /// Each later arm's difference from the first, in `arms` order from the
    /// second (`null` where it has no such target).
    pub differences: Vec<Option<Difference>>,
}

/// A paired difference of probabilities, on the same paths.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, JsonSchema)]
pub struct Difference {
    /// This arm's probability minus the first arm's.
    pub difference: f64,
    /// Its 95 % interval (Agresti–Min adjusted Wald for paired proportions).
    pub ci95: (f64, f64),
    /// Paths hit under the first arm only, and under this arm only.
    pub discordant: [u64; 2],
}

/// Runs every arm on the same draws and seed and compares them.
pub fn compare(
    arms: &[Arm],
    names: Vec<ArmInfo>,
    cfg: &RunConfig,
    overrides: &[String],
    progress: &(dyn Fn(u64) + Sync),
) -> Result<Comparison, Error> {
    let base = &arms[0].model;
    let models: Vec<&Model> = arms.iter().map(|a| &a.model).collect();
    let matched: Vec<Vec<Option<usize>>> = arms
        .iter()
        .map(|a| {
            base.targets
                .iter()
                .map(|t| a.model.targets.iter().position(|u| u.id == t.id))
                .collect()
        })
        .collect();
    let start = std::time::Instant::now();
    let (tallies, discordant) =
        simulate_paired(&models, &matched, cfg, progress).map_err(Error::threads)?;
    let seconds = start.elapsed().as_secs_f64();
    let info = RunInfo::new(
        cfg.draws,
        cfg.seed,
        cfg.threads,
        seconds,
        overrides.to_vec(),
    );
    let results: Vec<Results> = arms
        .iter()
        .zip(&tallies)
        .map(|(a, t)| finish(&a.model, t, &a.file, a.sha256.clone(), info.clone()))
        .collect();
    let targets = base
        .targets
        .iter()
        .enumerate()
        .map(|(k, t)| ComparedTarget {
            id: t.id.clone(),
            label: t.label.clone(),
            tier: t.tier,
            estimates: (0..arms.len())
                .map(|v| matched[v][k].map(|kv| results[v].targets[kv].estimate))
                .collect(),
            differences: (1..arms.len())
                .map(|v| {
                    matched[v][k].map(|_| {
                        let [n12, n21] = discordant[v][k];
                        let (difference, ci95) = paired_difference(cfg.draws, n12, n21);
                        Difference {
                            difference,
                            ci95,
                            discordant: [n12, n21],
                        }
                    })
                })
                .collect(),
        })
        .collect();
    Ok(Comparison {
        run: info,
        arms: names,
        targets,
        results,
    })
}
