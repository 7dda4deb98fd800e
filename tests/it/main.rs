//! The one integration-test binary: closed-form statistical tests of the
//! engine, and tests of the real command.

mod analysis;
mod backtest;
mod bad_input;
mod cli;
mod closed_form;
mod contract;
mod conventions;
mod data_in;
mod excel;
mod extract;
mod fixture;
mod format_1_1;
mod fuzz;
// Symlinks and signals: Unix only.
#[cfg(unix)]
mod out_dir;
mod plans;
mod rare;
mod reports;
mod samplers;
mod shards;
mod statistics;
