//! Studies: many scenario files, each as written and under its variants,
//! each possibly swept over one input, as one list of work items that any
//! number of shards can share (`dabiao study STUDY.toml --shard I/N`).
//!
//! The study file names groups of plans:
//!
//! ```toml
//! [study]
//! name = "Five county plans"
//! draws = 100000          # optional: each file's own otherwise
//! seed = 2026             # optional: each file's own otherwise
//!
//! [[plans]]
//! files = ["../scenarios/"]      # files, or folders whose *.toml are all run
//! variants = "all"               # "none" (the default), "all", or a list of ids
//!
//! [[plans]]
//! files = ["../scenarios/tongcheng_2024.toml"]
//! sweep = { vary = "indicators.output.base=100..140", steps = 5 }
//! ```
//!
//! Item `k` of the list belongs to shard `k mod N`. Each item is a whole run
//! (its own seed and draws), so a study's rows do not depend on how it was cut.

use serde::{Deserialize, Serialize};

use crate::analysis::sweep::values;
use crate::analysis::{Runner, Vary};
use crate::error::{Diagnostic, Error};
use crate::model::Model;
use crate::scenario::history_files::Recorded;
use crate::stats::results::{Estimate, Results, TargetDetail};
use crate::text::Text;
use crate::tr;

/// The most work items a study may list.
pub const MAX_ITEMS: usize = 1_000_000;

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct StudyFile {
    study: Header,
    plans: Vec<Group>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct Header {
    name: String,
    draws: Option<u64>,
    seed: Option<u64>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct Group {
    files: Vec<String>,
    #[serde(default)]
    variants: Variants,
    sweep: Option<SweepSpec>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct SweepSpec {
    vary: String,
    #[serde(default = "default_steps")]
    steps: u32,
}

fn default_steps() -> u32 {
    5
}

/// Which variants of each file a group runs, beside the file as written.
#[derive(Debug, Default, Clone, PartialEq, Deserialize)]
#[serde(untagged)]
pub enum Variants {
    #[default]
    #[serde(skip)]
    None,
    Word(String),
    Ids(Vec<String>),
}

/// A study file, read: its groups with file names as written.
#[derive(Debug, Clone)]
pub struct StudySpec {
    pub name: String,
    pub draws: Option<u64>,
    pub seed: Option<u64>,
    pub groups: Vec<GroupSpec>,
}

#[derive(Debug, Clone)]
pub struct GroupSpec {
    /// Files or folders, as written (relative to the study file).
    pub files: Vec<String>,
    /// `None`: as written only; `Some(empty)`: every variant; else these.
    pub variants: Option<Vec<String>>,
    pub sweep: Option<(Vary, usize)>,
}

/// Reads a study file's text.
pub fn parse(file: &str, text: &str) -> Result<StudySpec, Vec<Diagnostic>> {
    let located = |message: Text, span: Option<std::ops::Range<usize>>| {
        let mut d = Diagnostic::new(message);
        d.file = Some(file.to_string());
        d.line_col = span.map(|s| crate::scenario::locate::line_col(text, s.start));
        d
    };
    let raw: StudyFile = toml::from_str(text).map_err(|e| {
        let why = e.message().trim().to_string();
        // The parser's own words have no Chinese: quoted as its.
        let message = tr!("{why}", "TOML 格式错误（解析器原文：\"{why}\"）");
        vec![located(message, e.span())]
    })?;
    let mut problems = Vec::new();
    let mut groups = Vec::new();
    for (k, g) in raw.plans.into_iter().enumerate() {
        let at = |m: Text| located(tr!("plans[{k}]: {m}", "plans[{k}]：{m}", m = m), None);
        if g.files.is_empty() {
            problems.push(at(tr!(
                "`files` lists no scenario file or folder",
                "`files` 没有列出情景文件或文件夹"
            )));
        }
        let variants = match g.variants {
            Variants::None => None,
            Variants::Word(w) if w == "none" => None,
            Variants::Word(w) if w == "all" => Some(Vec::new()),
            Variants::Word(w) => {
                problems.push(at(tr!(
                    "variants: expected \"none\", \"all\" or a list of variant ids, found \"{w}\"",
                    "variants：应为 \"none\"、\"all\" 或变体 id 列表，实为 \"{w}\""
                )));
                None
            }
            Variants::Ids(ids) => Some(ids),
        };
        let sweep = match g.sweep {
            None => None,
            Some(s) if !(2..=1000).contains(&s.steps) => {
                problems.push(at(tr!(
                    "sweep.steps: expected 2 to 1000, found {n}",
                    "sweep.steps：应为 2 至 1000，实为 {n}",
                    n = s.steps
                )));
                None
            }
            Some(s) => match Vary::parse(&s.vary) {
                Ok(v) => Some((v, s.steps as usize)),
                Err(e) => {
                    problems.push(at(tr!("sweep.vary: {e}", "sweep.vary：{e}", e = e)));
                    None
                }
            },
        };
        groups.push(GroupSpec {
            files: g.files,
            variants,
            sweep,
        });
    }
    if groups.is_empty() {
        problems.push(located(
            tr!(
                "no [[plans]]: add one with files = [\"…\"]",
                "没有 [[plans]]：请加一个，如 files = [\"…\"]"
            ),
            None,
        ));
    }
    if problems.is_empty() {
        Ok(StudySpec {
            name: raw.study.name,
            draws: raw.study.draws,
            seed: raw.study.seed,
            groups,
        })
    } else {
        Err(problems)
    }
}

/// One scenario file of a study, loaded.
pub struct StudyFileLoaded {
    /// The path as the study resolved it.
    pub file: String,
    pub sha256: String,
    pub text: String,
    pub model: Model,
    /// The series its `history_file`s named, as read with it.
    pub histories: Vec<Recorded>,
}

/// One run of a study: a file, one of its variants (or as written), and one
/// point of the group's sweep (or none).
#[derive(Debug, Clone, PartialEq)]
pub struct Item {
    /// Index into the loaded files.
    pub file: usize,
    pub variant: Option<String>,
    pub point: Option<(Vary, f64)>,
}

/// The study's work items in order: group by group, file by file, as
/// written then each variant, each sweep point.
pub fn items(spec: &StudySpec, files: &[Vec<usize>], loaded: &[StudyFileLoaded]) -> Vec<Item> {
    let mut items = Vec::new();
    for (g, group_files) in spec.groups.iter().zip(files) {
        for &f in group_files {
            let mut arms = vec![None];
            match &g.variants {
                None => {}
                Some(ids) if ids.is_empty() => {
                    arms.extend(loaded[f].model.variants.iter().map(|v| Some(v.id.clone())))
                }
                Some(ids) => arms.extend(ids.iter().cloned().map(Some)),
            }
            for variant in arms {
                match &g.sweep {
                    None => items.push(Item {
                        file: f,
                        variant,
                        point: None,
                    }),
                    Some((vary, steps)) => {
                        for value in values(vary, *steps) {
                            items.push(Item {
                                file: f,
                                variant: variant.clone(),
                                point: Some((vary.clone(), value)),
                            });
                        }
                    }
                }
            }
        }
    }
    items
}

/// One target's odds in one run of a study (a row of its table).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct StudyRow {
    /// The scenario file.
    pub file: String,
    /// `[scenario] name` and `region`.
    pub scenario: String,
    pub region: Option<String>,
    /// The variant run, or `null` for the file as written.
    pub variant: Option<String>,
    /// The swept input's path and its value in this run, or `null`.
    pub parameter: Option<String>,
    pub value: Option<f64>,
    /// The target's id, or `all_floor` / `all_stretch` for every floor /
    /// stretch target at once (the plan's headline odds).
    pub id: String,
    pub label: String,
    /// `floor` or `stretch`.
    pub tier: String,
    /// The indicator, metric, year, comparator and threshold (`null` for composites).
    pub indicator: Option<String>,
    pub metric: Option<String>,
    pub year: Option<i32>,
    pub direction: Option<String>,
    pub threshold: Option<f64>,
    pub hits: u64,
    pub draws: u64,
    pub probability: f64,
    /// The Wilson 95 % interval, `[low, high]`.
    pub ci95: (f64, f64),
}

/// Loads an item's model: the file, its variant, the study's overrides.
pub fn item_model(item: &Item, loaded: &StudyFileLoaded) -> Result<Model, Error> {
    match &item.variant {
        None => Ok(loaded.model.clone()),
        Some(id) => crate::scenario::load_variant(
            &loaded.file,
            &loaded.text,
            Some(id),
            &[],
            &loaded.histories,
        )
        .map_err(Error::Input),
    }
}

/// Runs one item to its rows.
pub fn run_item(
    spec: &StudySpec,
    item: &Item,
    loaded: &StudyFileLoaded,
    threads: usize,
    progress: &(dyn Fn(u64) + Sync),
) -> Result<Vec<StudyRow>, Error> {
    let model = item_model(item, loaded)?;
    let runner = Runner {
        file: &loaded.file,
        model,
        overrides: &[],
        draws: spec.draws,
        seed: spec.seed,
        threads,
        progress,
    };
    let results = match &item.point {
        None => runner.run_moved(&[])?,
        Some((vary, value)) => {
            let input = vary.resolve(&runner.model)?;
            runner.run_at(input, *value)?
        }
    };
    Ok(rows(&results, item))
}

/// The rows of one run: every target, then the headline joint odds.
pub fn rows(r: &Results, item: &Item) -> Vec<StudyRow> {
    let row = |id: String, label: String, tier: &str, e: &Estimate| StudyRow {
        file: r.scenario.file.clone(),
        scenario: r.scenario.name.clone(),
        region: r.scenario.region.clone(),
        variant: item.variant.clone(),
        parameter: item.point.as_ref().map(|(v, _)| v.path.clone()),
        value: item.point.as_ref().map(|&(_, x)| x),
        id,
        label,
        tier: tier.to_string(),
        indicator: None,
        metric: None,
        year: None,
        direction: None,
        threshold: None,
        hits: e.hits,
        draws: e.draws,
        probability: e.probability,
        ci95: e.ci95,
    };
    let mut rows = Vec::with_capacity(r.targets.len() + 2);
    for t in &r.targets {
        let mut x = row(t.id.clone(), t.label.clone(), t.tier.name(), &t.estimate);
        match &t.detail {
            TargetDetail::Stat {
                indicator,
                metric,
                to,
                direction,
                threshold,
                ..
            } => {
                x.indicator = Some(indicator.clone());
                x.metric = Some(metric.name().to_string());
                x.year = Some(*to);
                x.direction = Some(direction.name().to_string());
                x.threshold = Some(*threshold);
            }
            TargetDetail::Composite { composite, .. } => {
                x.metric = Some(composite.name().to_string());
            }
        }
        rows.push(x);
    }
    let joint = [
        (
            "all_floor",
            "Every floor target at once",
            "floor",
            &r.joint_floor,
        ),
        (
            "all_stretch",
            "Every stretch target at once",
            "stretch",
            &r.joint_stretch,
        ),
    ];
    for (id, label, tier, e) in joint {
        if let Some(e) = e {
            rows.push(row(id.into(), label.into(), tier, e));
        }
    }
    rows
}

impl StudyTable {
    /// Each run's headline row: every floor target at once, or where a plan
    /// sets only stretch targets, every stretch target at once.
    pub fn headline(&self) -> Vec<&StudyRow> {
        let same_run = |a: &StudyRow, b: &StudyRow| {
            a.file == b.file
                && a.variant == b.variant
                && a.parameter == b.parameter
                && a.value == b.value
        };
        let mut out: Vec<&StudyRow> = Vec::new();
        for r in &self.rows {
            let joint = r.id == "all_floor" || r.id == "all_stretch";
            match out.last() {
                _ if !joint => {}
                // all_floor comes first in a run's rows: keep it.
                Some(last) if same_run(last, r) => {}
                _ => out.push(r),
            }
        }
        out
    }
}

/// What makes two shards parts of the same study.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct StudyIdentity {
    pub name: String,
    /// SHA-256 of the study file.
    pub sha256: String,
    /// Every scenario file run, with its SHA-256, in the study's order.
    pub files: Vec<(String, String)>,
    pub items: u64,
    pub draws: Option<u64>,
    pub seed: Option<u64>,
}

impl StudyIdentity {
    pub fn fields(&self) -> Vec<(&'static str, String)> {
        vec![
            ("study", self.name.clone()),
            ("study file SHA-256", self.sha256.clone()),
            ("scenario files", format!("{:?}", self.files)),
            ("work items", self.items.to_string()),
            ("draws", format!("{:?}", self.draws)),
            ("seed", format!("{:?}", self.seed)),
        ]
    }
}

/// One shard of a study: the rows of its items, by item index.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct StudyPart {
    pub identity: StudyIdentity,
    pub items: Vec<(u64, Vec<StudyRow>)>,
}

/// A study's table, whole.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct StudyTable {
    /// `[study] name`.
    pub study: String,
    /// Work items run (file × variant × sweep point).
    pub items: u64,
    /// Every target of every run, in the study's order.
    pub rows: Vec<StudyRow>,
}
