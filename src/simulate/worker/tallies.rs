//! The phases that add a block's paths to the thread's tally: when value
//! targets are reached, the drivers of a miss (on sampled paths), and the
//! quantile sketches and sums; and what ends a chunk.

use super::{Worker, STRIDE};
use crate::model::DriverInput;
use crate::simulate::kernels::reach_year;
use crate::simulate::plan::Eval;
use crate::simulate::{stream_key, CHUNK, DRIVER_EVERY};
use crate::stats::tally::{octave, OCTAVES};

impl<'p, 'm> Worker<'p, 'm> {
    /// For each value target, in each simulated year up to its own: the
    /// paths on which its condition holds, and those on which it holds for
    /// the first time.
    #[inline(always)]
    pub(super) fn tally_reached(&mut self, len: usize) {
        let plan = self.plan;
        let span = plan.span;
        for &(k, i, last, threshold, direction) in &plan.reach {
            let reached = &mut self.combined[..len];
            reached.fill(false);
            for s in 1..=last {
                let x = &self.cols[(i * span + s) * STRIDE..][..len];
                let (held, first) = reach_year(direction, x, threshold, reached);
                self.tally.held[k * span + s] += held;
                self.tally.first_held[k * span + s] += first;
            }
        }
    }

    /// Adds the driver inputs of one path in each [`DRIVER_EVERY`] of the
    /// chunk (the block starts at path `first`) to each target's hit or miss
    /// moments: the first, or with quasi-Monte Carlo one picked at random
    /// (every 16th point of a Sobol' sequence is bunched in its first
    /// dimensions: a sixteenth of the range of the first one, in each
    /// replicate).
    #[inline(always)]
    pub(super) fn tally_drivers(&mut self, first: usize, len: usize) {
        let chunk = self.chunk;
        let random = self.plan.qmc.is_some();
        for group in (0..len).step_by(DRIVER_EVERY) {
            let pick = if random {
                let path = chunk * CHUNK as u64 + (first + group) as u64;
                (stream_key(path) % DRIVER_EVERY as u64) as usize
            } else {
                0
            };
            if group + pick < len {
                self.tally_path_drivers(group + pick);
            }
        }
    }

    #[inline(always)]
    pub(super) fn tally_path_drivers(&mut self, j: usize) {
        let plan = self.plan;
        let (n_in, np, steps) = (plan.inputs.len(), plan.m.params.len(), plan.span - 1);
        for (w, &(a, b)) in plan.windows.iter().enumerate() {
            let years = (b - a) as f64;
            let per_year = 1.0 / years;
            for (k, &(input, rate)) in plan.inputs.iter().enumerate() {
                self.driver_values[w * n_in + k] = match input {
                    DriverInput::Indicator(i) => {
                        let (x0, x1) = (self.value(i, a, j), self.value(i, b, j));
                        if rate {
                            // (x1/x0)^(1/years) − 1, without powf's cost.
                            ((x1 / x0).ln() * per_year).exp_m1()
                        } else {
                            (x1 - x0) / years
                        }
                    }
                    // Years after `a` up to `b` in which the shock struck
                    // (shocks strike only after the base year).
                    DriverInput::Shock(s) => (a.max(plan.base) + 1..=b)
                        .filter(|t| self.struck[(s * steps + t - plan.base - 1) * STRIDE + j])
                        .count() as f64,
                    DriverInput::Param(slot) => self.drawn[j * np + slot],
                };
            }
        }
        for (k, window) in plan.target_windows.iter().enumerate() {
            let Some(w) = *window else { continue };
            let values = &self.driver_values[w * n_in..(w + 1) * n_in];
            let sums = &mut self.driver_chunk[k * n_in..(k + 1) * n_in];
            // Hit or miss picks the moments by index, not by a branch: it
            // is a coin toss the processor could not predict.
            let miss = usize::from(!self.hit[k * STRIDE + j]);
            for (sums, &x) in sums.iter_mut().zip(values) {
                sums[miss].add(x);
            }
        }
    }

    /// Feeds the block's varying values and target statistics to the tally.
    #[inline(always)]
    pub(super) fn tally_values(&mut self, len: usize) {
        for &c in &self.plan.varying {
            let values = &self.cols[c * STRIDE..][..len];
            self.tally.value_sketches[c].add_all(values);
            self.sums[c].add_all(values);
        }
        for (k, eval) in self.plan.evals.iter().enumerate() {
            if let Eval::Statistic(_) = eval {
                self.tally.target_sketches[k].add_all(&self.stats[k * STRIDE..][..len]);
            }
        }
    }

    pub(super) fn end_chunk(&mut self, chunk: u64, paths: usize) {
        let tally = &mut self.tally;
        for &c in &self.plan.varying {
            tally.value_sums[c].take(&mut self.sums[c]);
        }
        for (d, [hit, miss]) in tally.drivers.iter_mut().zip(&mut self.driver_chunk) {
            d.hit.take(hit);
            d.miss.take(miss);
        }
        tally.draws += paths as u64;
        let o = octave(chunk).min(OCTAVES - 1);
        let n_targets = self.hits_before.len();
        for (k, (now, before)) in tally.hits.iter().zip(&self.hits_before).enumerate() {
            tally.octave_hits[o * n_targets + k] += now - before;
        }
        tally.octave_draws[o] += paths as u64;
        let r = tally.replicate_draws.len();
        if r > 0 {
            // Chunk `c` belongs to replicate `c mod REPLICATES`.
            let rep = (chunk % r as u64) as usize;
            tally.replicate_draws[rep] += paths as u64;
            tally.octave_replicate_draws[o * r + rep] += paths as u64;
            let now = tally.hits.iter().chain(&tally.joint);
            let before = self.hits_before.iter().chain(&self.joint_before);
            for (k, (now, before)) in now.zip(before).enumerate() {
                tally.replicate_hits[k * r + rep] += now - before;
                if k < n_targets {
                    tally.octave_replicate_hits[(o * n_targets + k) * r + rep] += now - before;
                }
            }
            let rows = self.probability_sums.len();
            for (row, sum) in self.probability_sums.iter_mut().enumerate() {
                let mut copy = *sum;
                tally.replicate_probabilities[row * r + rep].take(sum);
                tally.octave_replicate_probabilities[(o * rows + row) * r + rep].take(&mut copy);
            }
        }
        for (k, (now, before)) in tally.pairs.iter().zip(&self.pairs_before).enumerate() {
            let p = &mut tally.octave_pairs[o * n_targets + k];
            p.pairs += now.pairs - before.pairs;
            p.one += now.one - before.one;
            p.both += now.both - before.both;
        }
    }
}
