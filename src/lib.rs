//! dabiao (达标, "to hit the target"): Monte Carlo odds that a plan reaches
//! its targets.
//!
//! The pipeline, in reading order: a scenario file is parsed, overridden and
//! validated ([`scenario`]) into a [`model::Model`] of plain data; the engine
//! ([`simulate`]) runs it into a mergeable [`stats::tally::Tally`]; that is
//! summarised into [`stats::results::Results`]; renderers ([`report`]) turn
//! results into text. [`calibrate`] estimates growth assumptions from observed
//! series. [`part`] and [`study`] cut runs and studies into shards that
//! merge exactly. [`cmd`] is the glue and the only part that does I/O.

pub mod analysis;
pub mod calibrate;
pub mod cli;
pub mod cmd;
pub mod error;
pub mod extract;
pub mod model;
pub mod part;
pub mod report;
pub mod scenario;
pub mod series;
pub mod simulate;
pub mod stats;
pub mod study;
pub mod text;
pub mod usage;
