//! A progress bar on standard error for the commands that simulate.

use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::time::{Duration, Instant};

use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};

/// Runs shorter than this show no progress bar.
const PROGRESS_AFTER: Duration = Duration::from_secs(1);

/// A progress bar on standard error that appears only once a run has taken
/// a second, and never when quiet or when standard error is not a terminal.
pub struct Progress {
    bar: ProgressBar,
    done: AtomicU64,
    shown: AtomicBool,
    start: Instant,
    quiet: bool,
}

impl Progress {
    /// A bar to `total` paths, or a count of paths where the total is not
    /// known in advance (`solve`).
    pub fn new(total: Option<u64>, quiet: bool) -> Progress {
        let bar = ProgressBar::with_draw_target(total, ProgressDrawTarget::hidden());
        let template = match total {
            Some(_) => "{spinner} {bar:40} {human_pos}/{human_len} paths · {eta} left",
            None => "{spinner} {human_pos} paths · {elapsed}",
        };
        if let Ok(style) = ProgressStyle::with_template(template) {
            bar.set_style(style);
        }
        Progress {
            bar,
            done: AtomicU64::new(0),
            shown: AtomicBool::new(false),
            start: Instant::now(),
            quiet,
        }
    }

    pub fn advance(&self, n: u64) {
        let done = self.done.fetch_add(n, Ordering::Relaxed) + n;
        if self.quiet || self.start.elapsed() < PROGRESS_AFTER {
            return;
        }
        if !self.shown.swap(true, Ordering::Relaxed) {
            // `stderr()` draws nothing when standard error is not a terminal.
            self.bar.set_draw_target(ProgressDrawTarget::stderr());
        }
        self.bar.set_position(done);
    }

    pub fn done(&self) {
        self.bar.finish_and_clear();
    }
}
