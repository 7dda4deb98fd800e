//! Reading typed fields out of a TOML table, collecting every problem with
//! the path of the field it is about.

use std::fmt;

use crate::error::{did_you_mean, Diagnostic};
use crate::text::Text;
use crate::tr;

/// How a draft scenario (`dabiao extract`) marks a value it could not find:
/// `"TODO: base of 工业总产值 (2022)"`. `check` refuses it with what is missing.
pub const PLACEHOLDER: &str = "TODO:";

/// A field's address in the scenario: `indicators.output.growth.sd`, `correlation.pairs[2]`.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Path(pub Vec<Seg>);

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Seg {
    Key(String),
    Index(usize),
}

impl Path {
    pub fn root() -> Path {
        Path(Vec::new())
    }

    pub fn key(&self, k: &str) -> Path {
        let mut p = self.clone();
        p.0.push(Seg::Key(k.to_string()));
        p
    }

    pub fn index(&self, i: usize) -> Path {
        let mut p = self.clone();
        p.0.push(Seg::Index(i));
        p
    }

    pub fn starts_with(&self, prefix: &Path) -> bool {
        self.0.len() >= prefix.0.len() && self.0[..prefix.0.len()] == prefix.0[..]
    }
}

impl fmt::Display for Path {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (k, seg) in self.0.iter().enumerate() {
            match seg {
                Seg::Key(key) if k == 0 => write!(f, "{key}")?,
                Seg::Key(key) => write!(f, ".{key}")?,
                Seg::Index(i) => write!(f, "[{i}]")?,
            }
        }
        Ok(())
    }
}

/// A problem found while reading, not yet located in the file.
#[derive(Debug, Clone)]
pub struct Problem {
    pub path: Path,
    /// Whether the problem is about the key itself (unknown field) rather than its value.
    pub at_key: bool,
    pub message: Text,
    pub help: Option<Text>,
}

impl Problem {
    pub fn into_diagnostic(self) -> Diagnostic {
        Diagnostic {
            path: (!self.path.0.is_empty()).then(|| self.path.to_string()),
            ..Diagnostic::new(self.message)
        }
        .with_help(self.help)
    }
}

/// What a TOML value is, in words, for "expected …, found …".
pub fn describe(v: &toml::Value) -> Text {
    match v {
        toml::Value::String(s) => tr!("the string \"{s}\"", "字符串 \"{s}\""),
        toml::Value::Integer(i) => tr!("the integer {i}", "整数 {i}"),
        toml::Value::Float(x) => tr!("the number {x}", "数 {x}"),
        toml::Value::Boolean(b) => Text::same(b.to_string()),
        toml::Value::Datetime(d) => tr!("the date {d}", "日期 {d}"),
        toml::Value::Array(_) => tr!("an array", "数组"),
        toml::Value::Table(_) => tr!("a table", "表"),
    }
}

/// The years a scenario may speak of.
pub const FIRST_YEAR: i32 = 1000;
pub const LAST_YEAR: i32 = 9999;

/// Collects problems while reading.
#[derive(Debug, Default)]
pub struct Reader {
    pub problems: Vec<Problem>,
}

impl Reader {
    pub fn error(&mut self, path: &Path, message: Text) {
        self.problems.push(Problem {
            path: path.clone(),
            at_key: false,
            message,
            help: None,
        });
    }

    pub fn error_help(&mut self, path: &Path, message: Text, help: Option<Text>) {
        self.problems.push(Problem {
            path: path.clone(),
            at_key: false,
            message,
            help,
        });
    }

    /// Reports every key of `table` that is not in `allowed`, with a suggestion.
    pub fn check_keys(&mut self, path: &Path, table: &toml::Table, allowed: &[&str], what: &Text) {
        for key in table.keys() {
            if !allowed.contains(&key.as_str()) {
                let fields = allowed.join(", ");
                let help = did_you_mean(key, allowed.iter().copied()).or_else(|| {
                    Some(tr!(
                        "{what} takes: {fields}",
                        "{what}可有的字段：{fields}",
                        what = what
                    ))
                });
                self.problems.push(Problem {
                    path: path.key(key),
                    at_key: true,
                    message: tr!(
                        "unknown field `{key}` in {what}",
                        "{what}中没有字段 `{key}`",
                        what = what
                    ),
                    help,
                });
            }
        }
    }

    pub fn table<'a>(&mut self, path: &Path, v: &'a toml::Value) -> Option<&'a toml::Table> {
        match v {
            toml::Value::String(s) if s.starts_with(PLACEHOLDER) => {
                self.placeholder(path, s);
                None
            }
            toml::Value::Table(t) => Some(t),
            other => {
                let found = describe(other);
                self.error(
                    path,
                    tr!(
                        "expected a table, found {found}",
                        "应为表，实为{found}",
                        found = found
                    ),
                );
                None
            }
        }
    }

    /// A draft's placeholder (`"TODO: base of 工业总产值 (2022)"`): what is
    /// missing, said as such.
    fn placeholder(&mut self, path: &Path, text: &str) {
        let what = text[PLACEHOLDER.len()..].trim();
        self.error(
            path,
            tr!(
                "{what} is not known: give a value or a range",
                "{what}未知：请给出数值或区间"
            ),
        );
    }

    pub fn number(&mut self, path: &Path, v: &toml::Value) -> Option<f64> {
        match v {
            toml::Value::String(s) if s.starts_with(PLACEHOLDER) => {
                self.placeholder(path, s);
                None
            }
            toml::Value::Float(x) if x.is_finite() => Some(*x),
            toml::Value::Float(x) => {
                self.error(
                    path,
                    tr!(
                        "expected a finite number, found {x}",
                        "应为有限的数，实为 {x}"
                    ),
                );
                None
            }
            toml::Value::Integer(i) => Some(*i as f64),
            other => {
                let found = describe(other);
                self.error(
                    path,
                    tr!(
                        "expected a number, found {found}",
                        "应为数，实为{found}",
                        found = found
                    ),
                );
                None
            }
        }
    }

    pub fn integer(&mut self, path: &Path, v: &toml::Value) -> Option<i64> {
        match v {
            toml::Value::Integer(i) => Some(*i),
            toml::Value::Float(x) if x.fract() == 0.0 && x.abs() < 9e15 => Some(*x as i64),
            other => {
                let found = describe(other);
                self.error(
                    path,
                    tr!(
                        "expected a whole number, found {found}",
                        "应为整数，实为{found}",
                        found = found
                    ),
                );
                None
            }
        }
    }

    /// A calendar year: a whole number from [`FIRST_YEAR`] to [`LAST_YEAR`].
    pub fn year(&mut self, path: &Path, v: &toml::Value) -> Option<i32> {
        let y = self.integer(path, v)?;
        self.year_in_range(path, y)
    }

    /// `y` as a year, or a problem at `path` if it is not one.
    pub fn year_in_range(&mut self, path: &Path, y: i64) -> Option<i32> {
        if (i64::from(FIRST_YEAR)..=i64::from(LAST_YEAR)).contains(&y) {
            Some(y as i32)
        } else {
            self.error(
                path,
                tr!(
                    "expected a year from {FIRST_YEAR} to {LAST_YEAR}, found {y}",
                    "应为 {FIRST_YEAR} 至 {LAST_YEAR} 之间的年份，实为 {y}"
                ),
            );
            None
        }
    }

    pub fn string<'a>(&mut self, path: &Path, v: &'a toml::Value) -> Option<&'a str> {
        match v {
            toml::Value::String(s) => Some(s),
            other => {
                let found = describe(other);
                self.error(
                    path,
                    tr!(
                        "expected a string, found {found}",
                        "应为字符串，实为{found}",
                        found = found
                    ),
                );
                None
            }
        }
    }

    pub fn boolean(&mut self, path: &Path, v: &toml::Value) -> Option<bool> {
        match v {
            toml::Value::Boolean(b) => Some(*b),
            other => {
                let found = describe(other);
                self.error(
                    path,
                    tr!(
                        "expected true or false, found {found}",
                        "应为 true 或 false，实为{found}",
                        found = found
                    ),
                );
                None
            }
        }
    }

    /// A string that must be one of `choices`.
    pub fn choice<'c>(
        &mut self,
        path: &Path,
        v: &toml::Value,
        choices: &[&'c str],
    ) -> Option<&'c str> {
        let s = self.string(path, v)?;
        match choices.iter().find(|&&c| c == s) {
            Some(c) => Some(c),
            None => {
                let help = did_you_mean(s, choices.iter().copied());
                let list = choices
                    .iter()
                    .map(|c| format!("\"{c}\""))
                    .collect::<Vec<_>>()
                    .join(", ");
                self.error_help(
                    path,
                    tr!(
                        "\"{s}\" is not one of {list}",
                        "\"{s}\" 不在可选值 {list} 之中"
                    ),
                    help,
                );
                None
            }
        }
    }

    /// An optional field read with `read`; `None` if absent or invalid.
    pub fn opt<'v, T>(
        &mut self,
        path: &Path,
        table: &'v toml::Table,
        key: &str,
        read: impl FnOnce(&mut Self, &Path, &'v toml::Value) -> Option<T>,
    ) -> Option<T> {
        let v = table.get(key)?;
        read(self, &path.key(key), v)
    }

    /// A required field's path and value, for readers that need more than
    /// the reader (the validator's distributions); reports its absence.
    pub fn req_value<'v>(
        &mut self,
        path: &Path,
        table: &'v toml::Table,
        key: &str,
        what: Text,
    ) -> Option<(Path, &'v toml::Value)> {
        self.req(path, table, key, what, |_, p, v| Some((p.clone(), v)))
    }

    /// Reports `id` if it is not a valid id.
    pub fn check_id(&mut self, path: &Path, id: &str) {
        if !valid_id(id) {
            self.error(
                path,
                tr!(
                    "`{id}` is not a valid id: ids are a–z, 0–9 and _, starting with a letter",
                    "`{id}` 不是有效的 id：id 由 a–z、0–9 和 _ 组成，以字母开头"
                ),
            );
        }
    }

    /// The position of indicator `name` among `ids`; reports an unknown one
    /// with a suggestion.
    pub fn indicator(&mut self, path: &Path, name: &str, ids: &[String]) -> Option<usize> {
        let found = ids.iter().position(|x| x == name);
        if found.is_none() {
            self.error_help(
                path,
                tr!("unknown indicator `{name}`", "没有指标 `{name}`"),
                did_you_mean(name, ids.iter().map(String::as_str)),
            );
        }
        found
    }

    /// A required field read with `read`; reports its absence.
    pub fn req<'v, T>(
        &mut self,
        path: &Path,
        table: &'v toml::Table,
        key: &str,
        what: Text,
        read: impl FnOnce(&mut Self, &Path, &'v toml::Value) -> Option<T>,
    ) -> Option<T> {
        match table.get(key) {
            Some(v) => read(self, &path.key(key), v),
            None => {
                self.error(
                    path,
                    tr!(
                        "missing field `{key}` ({what})",
                        "缺少字段 `{key}`（{what}）",
                        what = what
                    ),
                );
                None
            }
        }
    }
}

/// Whether `id` is a valid id: `[a-z][a-z0-9_]*`.
pub fn valid_id(id: &str) -> bool {
    let mut chars = id.chars();
    matches!(chars.next(), Some('a'..='z'))
        && chars.all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_')
}
