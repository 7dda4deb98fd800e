//! `dabiao check`: validate without simulating.

use crate::cli::CheckArgs;
use crate::error::Error;
use crate::report;

pub fn check(args: &CheckArgs) -> Result<(), Error> {
    let loaded = super::load_all(&args.scenario)?;
    // Without --variant, every variant of each file must load too.
    let mut problems = Vec::new();
    for l in loaded.iter().filter(|l| l.model.variant.is_none()) {
        for v in &l.model.variants {
            let set = &args.scenario.set.set;
            // A variant may name other files than the file itself does.
            let files = super::sources::Files::beside(std::path::Path::new(&l.file));
            if let Err(d) =
                crate::scenario::load_variant(&l.file, &l.text, Some(&v.id), set, &files)
            {
                problems.extend(d);
            }
        }
    }
    if !problems.is_empty() {
        return Err(Error::Input(problems));
    }
    let lang = super::lang(args.lang);
    let text: String = loaded
        .iter()
        .map(|l| report::check::render(&l.file, &l.model, lang))
        .collect::<Vec<_>>()
        .join("\n");
    super::emit(text.as_bytes(), args.output.as_deref())
}
