//! `dabiao check`: validate without simulating.

use crate::cli::CheckArgs;
use crate::error::Error;
use crate::report;

pub fn check(args: &CheckArgs) -> Result<(), Error> {
    let loaded = super::load_all(&args.scenario)?;
    let text: String = loaded
        .iter()
        .map(|l| report::check::render(&l.file, &l.model))
        .collect::<Vec<_>>()
        .join("\n");
    super::print(&text)
}
