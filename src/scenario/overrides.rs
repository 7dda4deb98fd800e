//! `--set PATH=VALUE`: replace or add one value before the scenario is checked.

use super::reader::{describe, Path, Problem, Seg};
use super::validate::SECTIONS;
use crate::error::did_you_mean;

/// One parsed override.
#[derive(Debug, Clone)]
pub struct Override {
    /// As given on the command line.
    pub raw: String,
    pub path: Path,
    pub value: toml::Value,
}

/// Parses `PATH=VALUE`, `VALUE` in TOML syntax (a bare word is taken as a string).
pub fn parse(raw: &str) -> Result<Override, String> {
    if raw.contains(['\n', '\r']) {
        return Err(format!(
            "`{}`: spans several lines; give one value per --set",
            raw.escape_debug()
        ));
    }
    let Some((path, value)) = raw.split_once('=') else {
        return Err(format!(
            "`{raw}`: expected PATH=VALUE, e.g. indicators.output.growth.mean=0.12"
        ));
    };
    let path = path.trim();
    if path.is_empty() || path.split('.').any(str::is_empty) {
        return Err(format!("`{raw}`: the path `{path}` has an empty part"));
    }
    if let Some(c) = path
        .chars()
        .find(|c| !(c.is_ascii_alphanumeric() || "._-".contains(*c)))
    {
        return Err(format!(
            "`{}`: the path holds `{}`; a path is ids and field names joined by dots",
            raw.escape_debug(),
            c.escape_debug()
        ));
    }
    let segs = path.split('.').map(|s| Seg::Key(s.to_string())).collect();
    let value = value.trim();
    let parsed = toml::from_str::<toml::Table>(&format!("v = {value}"))
        .ok()
        .filter(|t| t.len() == 1)
        .and_then(|mut t| t.remove("v"));
    let value = match parsed {
        Some(v) => v,
        None if !value.is_empty() && !value.contains(['{', '}', '[', ']', '"', '\'', '=']) => {
            toml::Value::String(value.to_string())
        }
        None => return Err(format!("`{raw}`: `{value}` is not a TOML value (a number, \"string\", [array] or {{ inline = \"table\" }})")),
    };
    Ok(Override {
        raw: raw.to_string(),
        path: Path(segs),
        value,
    })
}

/// Applies an override to the scenario's TOML; ids must exist already.
pub fn apply(root: &mut toml::Table, o: &Override) -> Result<(), Problem> {
    let problem = |path: &Path, message: String, help: Option<String>| Problem {
        path: path.clone(),
        at_key: false,
        message,
        help,
    };
    let keys: Vec<&str> = o
        .path
        .0
        .iter()
        .map(|s| match s {
            Seg::Key(k) => k.as_str(),
            Seg::Index(_) => "",
        })
        .collect();
    let section = keys[0];
    if !SECTIONS.contains(&section) {
        return Err(problem(
            &Path::root().key(section),
            format!("unknown section `{section}`"),
            did_you_mean(section, SECTIONS),
        ));
    }
    if matches!(section, "indicators" | "shocks" | "targets") {
        let Some(id) = keys.get(1) else {
            return Err(problem(
                &o.path,
                format!("`{section}` holds tables by id; name one, e.g. {section}.ID.FIELD=…"),
                None,
            ));
        };
        let existing: Vec<&str> = root
            .get(section)
            .and_then(|s| s.as_table())
            .map(|t| t.keys().map(String::as_str).collect())
            .unwrap_or_default();
        if !existing.contains(id) {
            let what = &section[..section.len() - 1];
            return Err(problem(
                &Path::root().key(section).key(id),
                format!("unknown {what} `{id}`"),
                did_you_mean(id, existing),
            ));
        }
    }
    let mut table = root;
    let mut here = Path::root();
    for key in &keys[..keys.len() - 1] {
        here = here.key(key);
        let entry = table
            .entry(key.to_string())
            .or_insert_with(|| toml::Value::Table(toml::Table::new()));
        table = match entry {
            toml::Value::Table(t) => t,
            other => {
                return Err(problem(
                    &here,
                    format!("`{here}` is {} in the file, not a table", describe(other)),
                    Some(format!(
                        "set it whole, e.g. --set '{here}={{ mean = 0.1, sd = 0.05 }}'"
                    )),
                ))
            }
        };
    }
    table.insert(keys[keys.len() - 1].to_string(), o.value.clone());
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use rand::{Rng, SeedableRng};

    #[test]
    fn numbers_round_trip_and_random_text_never_panics() {
        let mut rng = rand_xoshiro::Xoshiro256PlusPlus::seed_from_u64(5);
        for _ in 0..2000 {
            let x: f64 = rng.random_range(-1e6..1e6);
            let o = parse(&format!("indicators.output.growth.mean={x:?}")).unwrap();
            assert_eq!(o.value.as_float(), Some(x));
            assert_eq!(o.path.to_string(), "indicators.output.growth.mean");
        }
        let alphabet: Vec<char> = "a.=_{}[]\"' 1e-\n\\长,#".chars().collect();
        let mut table = toml::Table::new();
        table.insert("indicators".into(), toml::Value::Table(toml::Table::new()));
        for _ in 0..20_000 {
            let len = rng.random_range(0..24);
            let raw: String = (0..len)
                .map(|_| alphabet[rng.random_range(0..alphabet.len())])
                .collect();
            // Either an error, or one value from one line, which then
            // applies or is refused.
            if let Ok(o) = parse(&raw) {
                assert!(!raw.contains('\n'), "{raw:?}");
                let _ = apply(&mut table.clone(), &o);
            }
        }
    }
}
