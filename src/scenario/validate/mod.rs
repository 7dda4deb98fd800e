//! From a scenario's TOML (overrides applied) to a [`Model`], reporting every
//! problem found, not just the first. One file a section: `indicators`
//! (with history, bases and formulas), `correlation`, `shocks`, `targets`;
//! this one holds the whole: the `[scenario]` and `[run]` tables, the limits,
//! and how the sections' results become a model.

mod correlation;
mod indicators;
mod shocks;
mod targets;

use super::dists::DistReader;
use super::paths;
use super::reader::{Path, Problem, Reader};
use crate::model::dist::{Continuous, Param};
use crate::model::{Indicator, Kind, Model, Role, TargetKind};
use crate::text::Text;
use crate::tr;

pub const SECTIONS: [&str; 7] = [
    "scenario",
    "run",
    "indicators",
    "correlation",
    "shocks",
    "targets",
    "unmodelled",
];

/// Limits on a model's size: each keeps a worker's memory and the time of
/// validation bounded (docs/promises.md states them).
pub const MAX_INDICATORS: usize = 1000;
pub const MAX_TARGETS: usize = 1024;
pub const MAX_SHOCKS: usize = 64;
pub const MAX_SIMULATED_YEARS: i32 = 100;
pub const MAX_HISTORY_YEARS: i32 = 100;
/// Indicators × years from the first observed to the horizon: each such
/// cell keeps a quantile sketch (up to 64 KiB) in every worker thread.
pub const MAX_CELLS: usize = 4000;
/// The most a count's base or mean yearly entries may be.
pub const MAX_COUNT: f64 = 1e9;

pub const DEFAULT_DRAWS: u64 = 100_000;
pub const DEFAULT_SEED: u64 = 1;

/// An indicator's kind, as the file names it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum IndicatorKind {
    Level,
    Count,
    Share,
    Formula,
}

impl IndicatorKind {
    pub const ALL: [IndicatorKind; 4] = [
        IndicatorKind::Level,
        IndicatorKind::Count,
        IndicatorKind::Share,
        IndicatorKind::Formula,
    ];

    pub fn name(self) -> &'static str {
        match self {
            IndicatorKind::Level => "level",
            IndicatorKind::Count => "count",
            IndicatorKind::Share => "share",
            IndicatorKind::Formula => "formula",
        }
    }

    fn from_name(name: &str) -> Option<IndicatorKind> {
        IndicatorKind::ALL.into_iter().find(|k| k.name() == name)
    }

    /// Whether its yearly movement is a continuous deviate, which
    /// correlation and shocks act on (levels' growth, shares' change).
    fn moves_by_deviates(self) -> bool {
        matches!(self, IndicatorKind::Level | IndicatorKind::Share)
    }
}

/// Validates a scenario and compiles it into a model.
pub fn validate(root: &toml::Table) -> Result<Model, Vec<Problem>> {
    let mut v = Validator {
        r: Reader::default(),
        params: Vec::new(),
        param_roles: Vec::new(),
    };
    let model = v.model(root);
    match model {
        Some(mut m) if v.r.problems.is_empty() => {
            // Parameters are named by their paths, known once the model is.
            let drawn: Vec<String> = m
                .param_roles
                .iter()
                .map(|&role| paths::parameter(&m, role))
                .collect();
            let fixed: Vec<String> = paths::roles(&m)
                .into_iter()
                .map(|role| paths::parameter(&m, role))
                .filter(|p| !drawn.contains(p))
                .collect();
            match v.parameter_correlation(root, &drawn, &fixed) {
                Some(c) if v.r.problems.is_empty() => {
                    m.param_correlation = c;
                    Ok(m)
                }
                _ => Err(v.r.problems),
            }
        }
        _ => Err(v.r.problems),
    }
}

struct Validator {
    r: Reader,
    params: Vec<Continuous>,
    param_roles: Vec<Role>,
}

impl Validator {
    fn dists(&mut self) -> DistReader<'_> {
        DistReader {
            r: &mut self.r,
            params: &mut self.params,
            roles: &mut self.param_roles,
        }
    }

    fn model(&mut self, root: &toml::Table) -> Option<Model> {
        self.r.check_keys(
            &Path::root(),
            root,
            &SECTIONS,
            &tr!("a scenario file", "情景文件"),
        );
        let head = self.scenario(root);
        let (draws, seed) = self.run(root);
        let years = head.as_ref().map(|h| (h.base_year, h.horizon));

        let ind_path = Path::root().key("indicators");
        let ind_table = match root.get("indicators") {
            Some(t) => self.r.table(&ind_path, t),
            None => {
                self.r.error(
                    &Path::root(),
                    tr!(
                        "missing section [indicators]: a scenario needs at least one indicator",
                        "缺少 [indicators] 部分：情景至少需要一个指标"
                    ),
                );
                None
            }
        };
        let empty = toml::Table::new();
        let ind_table = ind_table.unwrap_or(&empty);
        let ids: Vec<String> = ind_table.keys().cloned().collect();
        for (section, n, max) in [
            ("indicators", ids.len(), MAX_INDICATORS),
            ("targets", section_len(root, "targets"), MAX_TARGETS),
            ("unmodelled", section_len(root, "unmodelled"), MAX_TARGETS),
            ("shocks", section_len(root, "shocks"), MAX_SHOCKS),
        ] {
            if n > max {
                self.r.error(
                    &Path::root().key(section),
                    tr!(
                        "{n} {section}: a scenario holds at most {max}",
                        "{section} 有 {n} 个：一个情景最多 {max} 个"
                    ),
                );
                return None;
            }
        }
        let kinds: Vec<Option<IndicatorKind>> = ind_table
            .values()
            .map(|v| {
                v.get("kind")
                    .and_then(|k| k.as_str())
                    .and_then(IndicatorKind::from_name)
            })
            .collect();
        let mut drafts = Vec::new();
        for (index, (id, value)) in ind_table.iter().enumerate() {
            let path = ind_path.key(id);
            self.r.check_id(&path, id);
            if let Some(d) = self.indicator(&path, index, id, value, &ids, years) {
                drafts.push(d);
            }
        }
        // Formula inputs are indices into the file's indicators: only sound if all were read.
        let formula_order = if drafts.len() == ids.len() {
            self.formula_order(&drafts, &ind_path)
        } else {
            None
        };
        let correlation = self.correlation(root, &ids, &kinds);
        let shocks = self.shocks(root, &ids, &kinds, years);
        let head = head?;
        let targets = self.targets(root, &ids, &kinds, &head);
        let unmodelled = self.unmodelled(root);
        let n_targets = section_len(root, "targets");
        if drafts.len() != ids.len() {
            return None;
        }
        let first_year = drafts
            .iter()
            .flat_map(|d| d.history.keys().copied())
            .chain(targets.iter().filter_map(|t| match &t.kind {
                TargetKind::Stat(s) => Some(s.from),
                _ => None,
            }))
            .fold(head.base_year, i32::min);
        let n_years = (head.horizon - first_year + 1) as usize;
        if n_years * ids.len() > MAX_CELLS {
            self.r.error(
                &ind_path,
                tr!(
                    "{n} indicators over {n_years} years ({first_year}–{last}) are {cells} indicator-years; a scenario holds at most {MAX_CELLS}",
                    "{n} 个指标、{n_years} 年（{first_year}–{last}）共 {cells} 个指标年；一个情景最多 {MAX_CELLS} 个",
                    n = ids.len(),
                    last = head.horizon,
                    cells = n_years * ids.len()
                ),
            );
            return None;
        }
        let mut indicators: Vec<Indicator> = drafts
            .into_iter()
            .map(|mut d| {
                let mut observed = vec![None; n_years];
                for (&y, &v) in &d.history {
                    observed[(y - first_year) as usize] = Some(v);
                }
                if let Some(Param::Fixed(b)) = d.ind.kind.base() {
                    observed[(head.base_year - first_year) as usize] = Some(b);
                }
                d.ind.observed = observed;
                d.ind
            })
            .collect();
        // Formula indicators are observed wherever all their inputs are.
        for &i in formula_order.as_deref().unwrap_or(&[]) {
            if let Kind::Formula(f) = &indicators[i].kind {
                let observed = (0..=(head.base_year - first_year) as usize)
                    .map(|t| {
                        let v = f.eval(|j| indicators[j].observed[t].unwrap_or(f64::NAN));
                        v.is_finite().then_some(v)
                    })
                    .collect::<Vec<_>>();
                indicators[i].observed[..observed.len()].copy_from_slice(&observed);
            }
        }
        let targets = self.check_target_data(targets, &indicators, head.base_year, first_year);
        // Composite members are positions among the file's targets: only
        // sound when every target was read.
        if targets.len() != n_targets {
            return None;
        }
        let target_order = self.target_order(&targets)?;
        Some(Model {
            name: head.name,
            document: head.document,
            region: head.region,
            base_year: head.base_year,
            horizon: head.horizon,
            first_year,
            draws,
            seed,
            sampler: Default::default(),
            indicators,
            params: std::mem::take(&mut self.params),
            param_roles: std::mem::take(&mut self.param_roles),
            correlation: correlation?,
            param_correlation: None,
            shocks: shocks?,
            targets,
            target_order,
            formula_order: formula_order?,
            unmodelled,
            variants: Vec::new(),
            variant: None,
        })
    }

    fn scenario(&mut self, root: &toml::Table) -> Option<Head> {
        let path = Path::root().key("scenario");
        let Some(v) = root.get("scenario") else {
            self.r.error(
                &Path::root(),
                tr!(
                    "missing section [scenario] (name, base_year, horizon)",
                    "缺少 [scenario] 部分（name、base_year、horizon）"
                ),
            );
            return None;
        };
        let t = self.r.table(&path, v)?;
        self.r.check_keys(
            &path,
            t,
            &[
                "name",
                "document",
                "region",
                "base_year",
                "horizon",
                "notes",
            ],
            &Text::same("[scenario]"),
        );
        let name = self.r.req(
            &path,
            t,
            "name",
            tr!("a short title", "简短标题"),
            Reader::string,
        );
        let document = self
            .r
            .opt(&path, t, "document", Reader::string)
            .map(String::from);
        let region = self
            .r
            .opt(&path, t, "region", Reader::string)
            .map(String::from);
        self.r.opt(&path, t, "notes", Reader::string);
        let base_year = self.r.req(
            &path,
            t,
            "base_year",
            tr!("the last year whose values are known", "数值已知的最后一年"),
            Reader::year,
        );
        let horizon = self.r.req(
            &path,
            t,
            "horizon",
            tr!("the last simulated year", "模拟的最后一年"),
            Reader::integer,
        );
        let (base_year, horizon) = (base_year?, horizon?);
        if horizon <= i64::from(base_year) || horizon > i64::from(base_year + MAX_SIMULATED_YEARS) {
            self.r.error(
                &path.key("horizon"),
                tr!("the horizon must be after the base year ({base_year}) and within {MAX_SIMULATED_YEARS} years of it, found {horizon}", "目标年须在基期年（{base_year}）之后、{MAX_SIMULATED_YEARS} 年之内，实为 {horizon}"),
            );
            return None;
        }
        Some(Head {
            name: name?.to_string(),
            document,
            region,
            base_year,
            horizon: horizon as i32,
        })
    }

    fn run(&mut self, root: &toml::Table) -> (u64, u64) {
        let path = Path::root().key("run");
        let Some(t) = root.get("run").and_then(|v| self.r.table(&path, v)) else {
            return (DEFAULT_DRAWS, DEFAULT_SEED);
        };
        self.r
            .check_keys(&path, t, &["draws", "seed"], &Text::same("[run]"));
        let draws = self.r.opt(&path, t, "draws", Reader::integer);
        let draws = match draws {
            Some(d) if d >= 1 => d as u64,
            Some(d) => {
                self.r.error(
                    &path.key("draws"),
                    tr!(
                        "expected at least 1 draw, found {d}",
                        "抽样次数至少为 1，实为 {d}"
                    ),
                );
                DEFAULT_DRAWS
            }
            None => DEFAULT_DRAWS,
        };
        let seed = match self.r.opt(&path, t, "seed", Reader::integer) {
            Some(s) if s >= 0 => s as u64,
            Some(s) => {
                self.r.error(
                    &path.key("seed"),
                    tr!("expected a seed ≥ 0, found {s}", "随机种子应 ≥ 0，实为 {s}"),
                );
                DEFAULT_SEED
            }
            None => DEFAULT_SEED,
        };
        (draws, seed)
    }
}

/// How many entries a section's table has (0 if it is missing or not a table).
fn section_len(root: &toml::Table, section: &str) -> usize {
    root.get(section)
        .and_then(|t| t.as_table())
        .map_or(0, |t| t.len())
}

struct Head {
    name: String,
    document: Option<String>,
    region: Option<String>,
    base_year: i32,
    horizon: i32,
}
