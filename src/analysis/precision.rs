//! Drawing until the answer is precise enough: whole rounds of chunks (one
//! per quasi-Monte Carlo replicate) at a time, until every target's 95 %
//! interval is at most `e` on each side. After each batch the draws are
//! raised to what the widest interval says is needed (a half-width falls as
//! one over the square root of the draws, or faster), with a tenth more, at
//! least by a quarter and at most eightfold. The schedule depends only on the
//! results so far, so it is deterministic for a seed, and the tally is
//! exactly that of one run of the final number of draws.

use crate::error::Error;
use crate::model::Model;
use crate::simulate::{simulate_paths, CHUNK, REPLICATES};
use crate::stats::results::target_estimate;
use crate::stats::tally::Tally;

/// A round: one chunk in each replicate. The first batch is one round.
const ROUND: u64 = (REPLICATES * CHUNK) as u64;

/// The widest half of any target's interval.
fn widest(tally: &Tally) -> f64 {
    (0..tally.hits.len())
        .map(|k| {
            let est = target_estimate(tally, k);
            let (lo, hi) = est.ci95;
            (est.probability - lo).max(hi - est.probability)
        })
        .fold(0.0, f64::max)
}

/// Whether every target's interval is within `e` of its estimate.
pub fn precise_enough(tally: &Tally, e: f64) -> bool {
    widest(tally) <= e
}

/// The draws to go on to from `done`, whose widest half-width is `width`.
fn next_draws(done: u64, width: f64, e: f64) -> u64 {
    let wanted = done as f64 * (width / e).powi(2) * 1.1;
    let wanted = wanted.clamp(1.25 * done as f64, 8.0 * done as f64) as u64;
    wanted.div_ceil(ROUND) * ROUND
}

pub fn until_precise(
    model: &Model,
    seed: u64,
    threads: usize,
    e: f64,
    max_draws: u64,
    progress: &(dyn Fn(u64) + Sync),
) -> Result<Tally, Error> {
    let run = |range| simulate_paths(model, seed, threads, range, progress).map_err(Error::threads);
    let mut done = ROUND.min(max_draws);
    let mut tally = run(0..done)?;
    while done < max_draws && !precise_enough(&tally, e) {
        let next = next_draws(done, widest(&tally), e).min(max_draws);
        tally.merge(&run(done..next)?);
        done = next;
    }
    Ok(tally)
}
