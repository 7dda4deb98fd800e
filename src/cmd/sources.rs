//! The files a scenario's `history_file`s name, read beside the scenario
//! (or from the working directory for standard input) through the same
//! bureau-aware reader as `calibrate` and `backtest`, and recorded.

use std::cell::RefCell;
use std::path::{Path, PathBuf};

use crate::error::{did_you_mean, Error};
use crate::scenario::history_files::{Recorded, Sources};
use crate::text::Text;
use crate::tr;

pub struct Files {
    dir: PathBuf,
    read: RefCell<Vec<Recorded>>,
}

impl Files {
    /// For the scenario at `scenario` (`-`: standard input).
    pub fn beside(scenario: &Path) -> Files {
        let dir = match scenario.parent() {
            Some(d) if scenario != Path::new("-") => d.to_path_buf(),
            _ => PathBuf::new(),
        };
        Files {
            dir,
            read: RefCell::new(Vec::new()),
        }
    }

    /// The series read so far.
    pub fn recorded(self) -> Vec<Recorded> {
        self.read.into_inner()
    }
}

impl Sources for Files {
    fn series(&self, file: &str, column: Option<&str>) -> Result<Vec<(i32, f64)>, Text> {
        let rows = super::table::read(&self.dir.join(file)).map_err(|e| match e {
            Error::Input(d) => {
                Text::join(&d.into_iter().map(|d| d.message).collect::<Vec<_>>(), "; ")
            }
            Error::Other(m) => m,
        })?;
        let all = crate::series::read(&rows)?;
        let names = || all.iter().map(|s| s.name.as_str());
        let found = match column {
            Some(c) => all.iter().find(|s| s.name == c).ok_or_else(|| {
                let hint = did_you_mean(c, names()).unwrap_or_else(|| {
                    let list = names().collect::<Vec<_>>().join(", ");
                    tr!("it has: {list}", "表中有：{list}")
                });
                tr!(
                    "no column `{c}`; {hint}",
                    "没有 `{c}` 列；{hint}",
                    hint = hint
                )
            })?,
            None if all.len() == 1 => &all[0],
            None => {
                return Err(tr!(
                    "the table has {n} series: name one with `column` ({list})",
                    "表中有 {n} 个序列：请用 `column` 指明一个（{list}）",
                    n = all.len(),
                    list = names().collect::<Vec<_>>().join(", ")
                ))
            }
        };
        self.read.borrow_mut().push(Recorded {
            file: file.to_string(),
            column: column.map(String::from),
            points: found.points.clone(),
        });
        Ok(found.points.clone())
    }
}
