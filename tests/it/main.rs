//! The one integration-test binary: closed-form statistical tests of the
//! engine, and tests of the real command.

mod analysis;
mod cli;
mod closed_form;
mod plans;
mod reports;
mod statistics;
