//! `--set PATH=VALUE`: replace or add one value before the scenario is checked.

use super::reader::{describe, Path, Problem, Seg};
use super::validate::SECTIONS;
use crate::error::did_you_mean;
use crate::text::Text;
use crate::tr;

/// One parsed override.
#[derive(Debug, Clone)]
pub struct Override {
    /// As given on the command line.
    pub raw: String,
    pub path: Path,
    pub value: toml::Value,
}

/// Parses `PATH=VALUE`, `VALUE` in TOML syntax (a bare word is taken as a string).
pub fn parse(raw: &str) -> Result<Override, Text> {
    if raw.contains(['\n', '\r']) {
        return Err(tr!(
            "`{r}`: spans several lines; give one value per --set",
            "`{r}`：跨了多行；每个 --set 只给一个值",
            r = raw.escape_debug()
        ));
    }
    let Some((path, value)) = raw.split_once('=') else {
        return Err(tr!(
            "`{raw}`: expected PATH=VALUE, e.g. indicators.output.growth.mean=0.12",
            "`{raw}`：应为 路径=值，例如 indicators.output.growth.mean=0.12"
        ));
    };
    let path = path.trim();
    if path.is_empty() || path.split('.').any(str::is_empty) {
        return Err(tr!(
            "`{raw}`: the path `{path}` has an empty part",
            "`{raw}`：路径 `{path}` 有空的部分"
        ));
    }
    if let Some(c) = path
        .chars()
        .find(|c| !(c.is_ascii_alphanumeric() || "._-".contains(*c)))
    {
        return Err(tr!(
            "`{r}`: the path holds `{c}`; a path is ids and field names joined by dots",
            "`{r}`：路径中有 `{c}`；路径是以点连接的 id 和字段名",
            r = raw.escape_debug(),
            c = c.escape_debug()
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
        None => return Err(tr!("`{raw}`: `{value}` is not a TOML value (a number, \"string\", [array] or {{ inline = \"table\" }})", "`{raw}`：`{value}` 不是 TOML 值（数、\"字符串\"、[数组] 或 {{ inline = \"table\" }}）")),
    };
    Ok(Override {
        raw: raw.to_string(),
        path: Path(segs),
        value,
    })
}

/// Applies an override to the scenario's TOML; ids must exist already.
pub fn apply(root: &mut toml::Table, o: &Override) -> Result<(), Problem> {
    let problem = |path: &Path, message: Text, help: Option<Text>| Problem {
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
            tr!("unknown section `{section}`", "没有 `{section}` 部分"),
            did_you_mean(section, SECTIONS),
        ));
    }
    if matches!(section, "indicators" | "shocks" | "targets") {
        let Some(id) = keys.get(1) else {
            return Err(problem(
                &o.path,
                tr!(
                    "`{section}` holds tables by id; name one, e.g. {section}.ID.FIELD=…",
                    "`{section}` 中的表以 id 区分；请指明一个，例如 {section}.ID.FIELD=…"
                ),
                None,
            ));
        };
        let existing: Vec<&str> = root
            .get(section)
            .and_then(|s| s.as_table())
            .map(|t| t.keys().map(String::as_str).collect())
            .unwrap_or_default();
        if !existing.contains(id) {
            let what = match section {
                "indicators" => tr!("indicator", "指标"),
                "shocks" => tr!("shock", "冲击"),
                _ => tr!("target", "目标"),
            };
            return Err(problem(
                &Path::root().key(section).key(id),
                tr!("unknown {what} `{id}`", "没有{what} `{id}`", what = what),
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
                    tr!(
                        "`{here}` is {found} in the file, not a table",
                        "`{here}` 在文件中是{found}，不是表",
                        found = describe(other)
                    ),
                    Some(tr!(
                        "set it whole, e.g. --set '{here}={{ mean = 0.1, sd = 0.05 }}'",
                        "请整体设置，例如 --set '{here}={{ mean = 0.1, sd = 0.05 }}'"
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
