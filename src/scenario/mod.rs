//! The scenario file: TOML text, `--set` overrides, validation into a
//! [`Model`], and diagnostics located in the file. Knows nothing of simulation.

mod dists;
pub mod locate;
pub mod overrides;
pub mod paths;
pub mod reader;
pub mod validate;

use crate::error::Diagnostic;
use crate::model::Model;
use locate::{line_col, Locator};

/// Parses, overrides and validates one scenario's text. `file` names it in messages.
pub fn load(file: &str, text: &str, overrides: &[String]) -> Result<Model, Vec<Diagnostic>> {
    let located = |mut d: Diagnostic| {
        d.file = Some(file.to_string());
        d
    };
    let mut root: toml::Table = toml::from_str(text).map_err(|e| {
        let mut d = Diagnostic::new(format!("invalid TOML: {}", e.message().trim()));
        d.line_col = e.span().map(|s| line_col(text, s.start));
        let at = e.span().and_then(|s| text.get(s.start..)).unwrap_or("");
        if at.chars().next().is_some_and(|c| !c.is_ascii()) {
            d.help = Some(
                "ids and field names are a–z, 0–9 and _, starting with a letter \
                 (e.g. [indicators.output]); put a Chinese name in `label`"
                    .into(),
            );
        }
        vec![located(d)]
    })?;
    let mut applied = Vec::new();
    let mut diags = Vec::new();
    for raw in overrides {
        match overrides::parse(raw) {
            Ok(o) => match overrides::apply(&mut root, &o) {
                Ok(()) => applied.push(o),
                Err(p) => {
                    let mut d = p.into_diagnostic();
                    d.origin = Some(format!("--set {raw}"));
                    diags.push(located(d));
                }
            },
            Err(message) => {
                let mut d = Diagnostic::new(message);
                d.origin = Some("--set".into());
                diags.push(d);
            }
        }
    }
    if !diags.is_empty() {
        return Err(diags);
    }
    validate::validate(&root).map_err(|problems| {
        let locator = Locator::new(text);
        problems
            .into_iter()
            .map(|p| {
                let origin = applied
                    .iter()
                    .rev()
                    .find(|o| p.path.starts_with(&o.path))
                    .map(|o| format!("--set {}", o.raw));
                let line_col = locator.locate(&p.path, p.at_key);
                let mut d = p.into_diagnostic();
                d.line_col = line_col;
                d.origin = origin;
                located(d)
            })
            .collect()
    })
}
