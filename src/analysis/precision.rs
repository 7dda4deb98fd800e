//! Drawing until the answer is precise enough: whole chunks at a time,
//! doubling the draws, until every target's 95 % interval is at most `e` on
//! each side. The schedule depends only on the results so far, so it is
//! deterministic for a seed, and the tally is exactly that of one run of the
//! final number of draws.

use crate::error::Error;
use crate::model::Model;
use crate::simulate::{simulate_paths, CHUNK};
use crate::stats::results::target_estimate;
use crate::stats::tally::Tally;

/// The first batch: 16 chunks.
const FIRST: u64 = 16 * CHUNK as u64;

/// Whether every target's interval is within `e` of its estimate.
pub fn precise_enough(tally: &Tally, e: f64) -> bool {
    (0..tally.hits.len()).all(|k| {
        let est = target_estimate(tally, k);
        let (lo, hi) = est.ci95;
        (est.probability - lo).max(hi - est.probability) <= e
    })
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
    let mut done = FIRST.min(max_draws);
    let mut tally = run(0..done)?;
    while done < max_draws && !precise_enough(&tally, e) {
        let next = (2 * done).min(max_draws);
        tally.merge(&run(done..next)?);
        done = next;
    }
    Ok(tally)
}
