//! `dabiao extract`: read a plan, write a draft scenario.

use crate::cli::ExtractArgs;
use crate::error::{Diagnostic, Error};
use crate::extract::{read, render, text};

pub fn extract(args: &ExtractArgs) -> Result<(), Error> {
    let file = args.plan.display().to_string();
    let fail = |message: String| {
        let mut d = Diagnostic::new(message);
        d.file = Some(file.clone());
        Error::Input(vec![d])
    };
    let bytes = read_bytes(&args.plan).map_err(&fail)?;
    let plan_text = text::decode(&bytes).map_err(&fail)?;
    let plan = read(&plan_text).map_err(&fail)?;
    let name = args
        .plan
        .file_name()
        .map_or(file.clone(), |n| n.to_string_lossy().into_owned());
    let (draft, counts) = render(&plan, &name);
    match &args.output {
        None => super::print(&draft)?,
        Some(path) => super::write_whole(path, draft.as_bytes())?,
    }
    eprintln!(
        "{} targets ({} floor, {} stretch; {} values in a year, {} growth rates, {} yearly floors, {} additions) on {} indicators; {} clause(s) listed as unmodelled; {} placeholder(s) to fill (dabiao check lists them)",
        counts.targets,
        counts.floor,
        counts.stretch,
        counts.values,
        counts.growth,
        counts.yearly,
        counts.additions,
        counts.indicators,
        counts.unplaced,
        counts.placeholders
    );
    Ok(())
}

fn read_bytes(path: &std::path::Path) -> Result<Vec<u8>, String> {
    use std::io::Read;
    let mut bytes = Vec::new();
    std::fs::File::open(path)
        .and_then(|f| {
            f.take(text::MAX_PLAN_BYTES as u64 + 1)
                .read_to_end(&mut bytes)
        })
        .map_err(|e| format!("cannot read the file: {e}"))?;
    Ok(bytes)
}
