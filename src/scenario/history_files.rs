//! `history_file` and `column`: an indicator's history read from a table as
//! a statistics bureau publishes it, named in the scenario instead of typed
//! into it. Reading is the caller's ([`Sources`]): the command line reads
//! files beside the scenario, `merge` the series its parts recorded, so that
//! a merge never depends on files moved since the shards ran.

use super::reader::{Path, Problem};
use crate::text::Text;
use crate::tr;

/// Where the series a scenario names come from.
pub trait Sources {
    /// The series `column` of the table in `file` (as the scenario writes
    /// it), or the table's only series when `column` is `None`: `(year,
    /// value)` pairs, or why not.
    fn series(&self, file: &str, column: Option<&str>) -> Result<Vec<(i32, f64)>, Text>;
}

/// No files to read: for a scenario held in memory.
pub struct NoFiles;

impl Sources for NoFiles {
    fn series(&self, _: &str, _: Option<&str>) -> Result<Vec<(i32, f64)>, Text> {
        Err(tr!(
            "history_file is read only when the scenario is read from a file",
            "只有从文件读入情景时才读取 history_file"
        ))
    }
}

/// An indicator whose history was read from a table.
#[derive(Debug, Clone, PartialEq)]
pub struct Read {
    pub indicator: String,
    pub file: String,
    pub column: Option<String>,
}

/// Replaces each indicator's `history_file` (and `column`) by the `history`
/// table read from it; what was read, and the problems met.
pub(super) fn resolve(root: &mut toml::Table, sources: &dyn Sources) -> (Vec<Read>, Vec<Problem>) {
    let (mut read, mut problems) = (Vec::new(), Vec::new());
    let Some(toml::Value::Table(indicators)) = root.get_mut("indicators") else {
        return (read, problems);
    };
    for (id, v) in indicators.iter_mut() {
        let toml::Value::Table(t) = v else { continue };
        let here = Path::root().key("indicators").key(id);
        let mut problem = |key: &str, message: Text| {
            problems.push(Problem {
                path: here.key(key),
                at_key: false,
                message,
                help: None,
            })
        };
        let column = match t.get("column") {
            None => None,
            Some(toml::Value::String(c)) => Some(c.clone()),
            Some(_) => {
                problem(
                    "column",
                    tr!(
                        "expected the name of a column, as a string",
                        "应为列名字符串"
                    ),
                );
                continue;
            }
        };
        let file = match t.get("history_file") {
            None if column.is_some() => {
                problem(
                    "column",
                    tr!(
                        "`column` names a column of `history_file`; give `history_file` too",
                        "`column` 指 `history_file` 中的列；请同时给出 `history_file`"
                    ),
                );
                continue;
            }
            None => continue,
            Some(toml::Value::String(f)) => f.clone(),
            Some(_) => {
                problem(
                    "history_file",
                    tr!("expected a file's path, as a string", "应为文件路径字符串"),
                );
                continue;
            }
        };
        if t.contains_key("history") {
            problem(
                "history_file",
                tr!(
                    "give `history` or `history_file`, not both",
                    "请给出 `history` 或 `history_file`，不可兼有"
                ),
            );
            continue;
        }
        match sources.series(&file, column.as_deref()) {
            Ok(points) => {
                let history: toml::Table = points
                    .into_iter()
                    .map(|(year, value)| (year.to_string(), toml::Value::Float(value)))
                    .collect();
                t.remove("history_file");
                t.remove("column");
                t.insert("history".into(), toml::Value::Table(history));
                read.push(Read {
                    indicator: id.clone(),
                    file,
                    column,
                });
            }
            Err(message) => problem(
                "history_file",
                tr!("{file}: {m}", "{file}：{m}", m = message),
            ),
        }
    }
    (read, problems)
}

/// A problem with a history that was read from a file names the file: the
/// table's values are not in the scenario's text to point at.
pub(super) fn blame(mut p: Problem, read: &[Read]) -> Problem {
    let mine = |r: &&Read| {
        p.path.starts_with(
            &Path::root()
                .key("indicators")
                .key(&r.indicator)
                .key("history"),
        )
    };
    if let Some(r) = read.iter().find(mine) {
        let file = &r.file;
        p.message = match &r.column {
            Some(c) => tr!(
                "{m} (read from {file}, column `{c}`)",
                "{m}（读自 {file} 的 `{c}` 列）",
                m = p.message
            ),
            None => tr!(
                "{m} (read from {file})",
                "{m}（读自 {file}）",
                m = p.message
            ),
        };
    }
    p
}

/// A series as it was read, kept so that it can be read again without the
/// file (a part carries those of its run).
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct Recorded {
    pub file: String,
    pub column: Option<String>,
    pub points: Vec<(i32, f64)>,
}

impl Sources for Vec<Recorded> {
    fn series(&self, file: &str, column: Option<&str>) -> Result<Vec<(i32, f64)>, Text> {
        self.iter()
            .find(|r| r.file == file && r.column.as_deref() == column)
            .map(|r| r.points.clone())
            .ok_or_else(|| {
                tr!(
                    "this series was not read when the scenario was",
                    "读入情景时并未读取此序列"
                )
            })
    }
}
