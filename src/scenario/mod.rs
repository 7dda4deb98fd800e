//! The scenario file: TOML text, `--set` overrides, validation into a
//! [`Model`], and diagnostics located in the file. Knows nothing of simulation.

mod dists;
pub mod history_files;
pub mod locate;
pub mod overrides;
pub mod paths;
pub mod reader;
pub mod validate;
pub mod variants;

use crate::error::Diagnostic;
use crate::model::{Model, VariantName};
use crate::tr;
use history_files::Sources;
use locate::{line_col, Locator};

/// Parses, overrides and validates one scenario's text, as written. `file`
/// names it in messages. Held in memory: a `history_file` is refused (the
/// commands that read files beside a scenario call [`load_variant`]).
pub fn load(file: &str, text: &str, overrides: &[String]) -> Result<Model, Vec<Diagnostic>> {
    load_variant(file, text, None, overrides, &history_files::NoFiles)
}

/// Parses the text, applies variant `variant`'s `set` (if any) and then the
/// overrides, reads the histories it names from `sources`, and validates
/// the result.
pub fn load_variant(
    file: &str,
    text: &str,
    variant: Option<&str>,
    overrides: &[String],
    sources: &dyn Sources,
) -> Result<Model, Vec<Diagnostic>> {
    let located = |mut d: Diagnostic| {
        d.file = Some(file.to_string());
        d
    };
    let mut root: toml::Table = toml::from_str(text).map_err(|e| {
        let why = e.message().trim().to_string();
        // The parser's own words have no Chinese: quoted as its.
        let mut d = Diagnostic::new(tr!(
            "invalid TOML: {why}",
            "TOML 格式错误（解析器原文：\"{why}\"）"
        ));
        d.line_col = e.span().map(|s| line_col(text, s.start));
        let at = e.span().and_then(|s| text.get(s.start..)).unwrap_or("");
        if at.chars().next().is_some_and(|c| !c.is_ascii()) {
            d.help = Some(tr!(
                "ids and field names are a–z, 0–9 and _, starting with a letter \
                 (e.g. [indicators.output]); put a Chinese name in `label`",
                "id 和字段名由 a–z、0–9 和 _ 组成，以字母开头（例如 [indicators.output]）；\
                 中文名称请写在 `label` 中"
            ));
        }
        vec![located(d)]
    })?;
    let locator = Locator::new(text);
    let at = |p: reader::Problem| {
        let line_col = locator.locate(&p.path, p.at_key);
        let mut d = p.into_diagnostic();
        d.line_col = line_col;
        located(d)
    };
    let variants = variants::take(&mut root)
        .map_err(|problems| problems.into_iter().map(at).collect::<Vec<_>>())?;
    let chosen = match variant {
        Some(id) => Some(variants::find(&variants, id).map_err(|p| vec![at(p)])?),
        None => None,
    };
    // Where each applied override came from, for messages.
    let mut applied: Vec<(overrides::Override, String)> = Vec::new();
    let mut diags = Vec::new();
    for o in chosen.iter().flat_map(|v| &v.set) {
        let origin = format!(
            "variant {}: {}",
            chosen.map_or("", |v| v.id.as_str()),
            o.raw
        );
        match overrides::apply(&mut root, o) {
            Ok(()) => applied.push((o.clone(), origin)),
            Err(p) => {
                let mut d = p.into_diagnostic();
                d.origin = Some(origin);
                diags.push(located(d));
            }
        }
    }
    for raw in overrides {
        match overrides::parse(raw) {
            Ok(o) => match overrides::apply(&mut root, &o) {
                Ok(()) => applied.push((o, format!("--set {raw}"))),
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
    let (read, problems) = history_files::resolve(&mut root, sources);
    if !problems.is_empty() {
        return Err(problems.into_iter().map(at).collect());
    }
    let mut model = validate::validate(&root).map_err(|problems| {
        problems
            .into_iter()
            .map(|p| history_files::blame(p, &read))
            .map(|p| {
                // The override that wrote the value, else the variant whose
                // values the problem arose under.
                let origin = applied
                    .iter()
                    .rev()
                    .find(|(o, _)| p.path.starts_with(&o.path))
                    .map(|(_, origin)| origin.clone())
                    .or_else(|| chosen.map(|v| format!("variant {}", v.id)));
                let mut d = at(p);
                d.origin = origin;
                d
            })
            .collect::<Vec<_>>()
    })?;
    let name = |v: &variants::Variant| VariantName {
        id: v.id.clone(),
        label: v.label.clone(),
    };
    model.variants = variants.iter().map(name).collect();
    model.variant = chosen.map(name);
    Ok(model)
}
