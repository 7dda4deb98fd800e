//! From a scenario's TOML (overrides applied) to a [`Model`], reporting every
//! problem found, not just the first.

use std::collections::BTreeMap;

use super::dists::{self, DistReader};
use super::reader::{valid_id, Path, Problem, Reader};
use crate::error::did_you_mean;
use crate::model::correlation::Matrix;
use crate::model::dist::{Continuous, Param};
use crate::model::formula::{Formula, FormulaError};
use crate::model::{
    Compounding, Correlation, Direction, Indicator, Kind, Metric, Model, Shock, StatTarget, Target,
    TargetKind, Tier,
};

pub const SECTIONS: [&str; 6] = [
    "scenario",
    "run",
    "indicators",
    "correlation",
    "shocks",
    "targets",
];
pub const KINDS: [&str; 4] = ["level", "count", "share", "formula"];
const COMMON: [&str; 4] = ["label", "unit", "source", "kind"];

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

/// Validates a scenario and compiles it into a model.
pub fn validate(root: &toml::Table) -> Result<Model, Vec<Problem>> {
    let mut v = Validator {
        r: Reader::default(),
        params: Vec::new(),
        param_names: Vec::new(),
    };
    let model = v.model(root);
    match model {
        Some(m) if v.r.problems.is_empty() => Ok(m),
        _ => Err(v.r.problems),
    }
}

struct Validator {
    r: Reader,
    params: Vec<Continuous>,
    param_names: Vec<String>,
}

/// An indicator as read, before years are known to the model.
struct Draft {
    ind: Indicator,
    history: BTreeMap<i32, f64>,
}

impl Validator {
    fn dists(&mut self) -> DistReader<'_> {
        DistReader {
            r: &mut self.r,
            params: &mut self.params,
            names: &mut self.param_names,
        }
    }

    fn model(&mut self, root: &toml::Table) -> Option<Model> {
        self.r
            .check_keys(&Path::root(), root, &SECTIONS, "a scenario file");
        let head = self.scenario(root);
        let (draws, seed) = self.run(root);
        let years = head.as_ref().map(|h| (h.base_year, h.horizon));

        let ind_path = Path::root().key("indicators");
        let ind_table = match root.get("indicators") {
            Some(t) => self.r.table(&ind_path, t),
            None => {
                self.r.error(
                    &Path::root(),
                    "missing section [indicators]: a scenario needs at least one indicator",
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
            ("shocks", section_len(root, "shocks"), MAX_SHOCKS),
        ] {
            if n > max {
                self.r.error(
                    &Path::root().key(section),
                    format!("{n} {section}: a scenario holds at most {max}"),
                );
                return None;
            }
        }
        let kinds: Vec<Option<&str>> = ind_table
            .values()
            .map(|v| {
                v.get("kind")
                    .and_then(|k| k.as_str())
                    .filter(|k| KINDS.contains(k))
            })
            .collect();
        let mut drafts = Vec::new();
        for (id, value) in ind_table {
            let path = ind_path.key(id);
            if !valid_id(id) {
                self.r.error(
                    &path,
                    format!(
                        "`{id}` is not a valid id: ids are a–z, 0–9 and _, starting with a letter"
                    ),
                );
            }
            if let Some(d) = self.indicator(&path, id, value, &ids, years) {
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
        let targets = self.targets(root, &ids, &head);
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
                format!(
                    "{} indicators over {n_years} years ({first_year}–{}) are {} indicator-years; a scenario holds at most {MAX_CELLS}",
                    ids.len(),
                    head.horizon,
                    n_years * ids.len()
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
        let targets =
            self.check_target_data(root, targets, &indicators, head.base_year, first_year);
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
            indicators,
            params: std::mem::take(&mut self.params),
            param_names: std::mem::take(&mut self.param_names),
            correlation: correlation?,
            shocks: shocks?,
            targets,
            target_order,
            formula_order: formula_order?,
        })
    }

    fn scenario(&mut self, root: &toml::Table) -> Option<Head> {
        let path = Path::root().key("scenario");
        let Some(v) = root.get("scenario") else {
            self.r.error(
                &Path::root(),
                "missing section [scenario] (name, base_year, horizon)",
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
            "[scenario]",
        );
        let name = self
            .r
            .req(&path, t, "name", "a short title", Reader::string);
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
            "the last year whose values are known",
            Reader::year,
        );
        let horizon = self.r.req(
            &path,
            t,
            "horizon",
            "the last simulated year",
            Reader::integer,
        );
        let (base_year, horizon) = (base_year?, horizon?);
        if horizon <= i64::from(base_year) || horizon > i64::from(base_year + MAX_SIMULATED_YEARS) {
            self.r.error(
                &path.key("horizon"),
                format!("the horizon must be after the base year ({base_year}) and within {MAX_SIMULATED_YEARS} years of it, found {horizon}"),
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
        self.r.check_keys(&path, t, &["draws", "seed"], "[run]");
        let draws = self.r.opt(&path, t, "draws", Reader::integer);
        let draws = match draws {
            Some(d) if d >= 1 => d as u64,
            Some(d) => {
                self.r.error(
                    &path.key("draws"),
                    format!("expected at least 1 draw, found {d}"),
                );
                DEFAULT_DRAWS
            }
            None => DEFAULT_DRAWS,
        };
        let seed = match self.r.opt(&path, t, "seed", Reader::integer) {
            Some(s) if s >= 0 => s as u64,
            Some(s) => {
                self.r
                    .error(&path.key("seed"), format!("expected a seed ≥ 0, found {s}"));
                DEFAULT_SEED
            }
            None => DEFAULT_SEED,
        };
        (draws, seed)
    }

    fn indicator(
        &mut self,
        path: &Path,
        id: &str,
        value: &toml::Value,
        ids: &[String],
        years: Option<(i32, i32)>,
    ) -> Option<Draft> {
        let t = self.r.table(path, value)?;
        let label = self
            .r
            .opt(path, t, "label", Reader::string)
            .unwrap_or(id)
            .to_string();
        let unit = self
            .r
            .opt(path, t, "unit", Reader::string)
            .unwrap_or("")
            .to_string();
        let source = self
            .r
            .opt(path, t, "source", Reader::string)
            .map(String::from);
        let kind = self.r.req(
            path,
            t,
            "kind",
            "one of \"level\", \"count\", \"share\", \"formula\"",
            |r, p, v| r.choice(p, v, &KINDS),
        );
        let kind = kind?;
        let specific: &[&str] = match kind {
            "level" => &["base", "history", "growth", "persistence", "compounding"],
            "count" => &["base", "history", "entries", "exit_rate"],
            "share" => &["base", "history", "change", "persistence"],
            _ => &["formula"],
        };
        let allowed: Vec<&str> = COMMON.iter().chain(specific).copied().collect();
        self.r
            .check_keys(path, t, &allowed, &format!("a {kind} indicator"));

        let history = if kind == "formula" {
            BTreeMap::new()
        } else {
            self.history(path, t, kind, years)
        };
        let kind = match kind {
            "formula" => {
                let text = self.r.req(
                    path,
                    t,
                    "formula",
                    "an expression of other indicators",
                    Reader::string,
                )?;
                let fpath = path.key("formula");
                match Formula::compile(text, |name, offset| lookup(name, offset, id, ids)) {
                    Ok(f) => Kind::Formula(f),
                    Err(e) => {
                        let (message, help) = split_help(&e);
                        self.r.error_help(
                            &fpath,
                            format!(
                                "in \"{}\" at character {}: {message}",
                                excerpt(text, e.offset),
                                e.offset + 1
                            ),
                            help,
                        );
                        return None;
                    }
                }
            }
            k => {
                let base = self.base(path, t, k, &history, years);
                match k {
                    "level" => {
                        let growth = self.r.req(
                            path,
                            t,
                            "growth",
                            "the distribution of annual growth",
                            |_, _, _| Some(()),
                        );
                        let growth =
                            growth.and_then(|_| self.deviate(&path.key("growth"), &t["growth"]));
                        let persistence = self.persistence(path, t);
                        let compounding = match t.get("compounding") {
                            None => Some(Compounding::Simple),
                            Some(v) => self
                                .r
                                .choice(&path.key("compounding"), v, &["simple", "log"])
                                .map(|c| {
                                    if c == "log" {
                                        Compounding::Log
                                    } else {
                                        Compounding::Simple
                                    }
                                }),
                        };
                        Kind::Level {
                            base: base?,
                            growth: growth?,
                            persistence: persistence?,
                            compounding: compounding?,
                        }
                    }
                    "share" => {
                        let change = self.r.req(
                            path,
                            t,
                            "change",
                            "the distribution of the annual change",
                            |_, _, _| Some(()),
                        );
                        let change =
                            change.and_then(|_| self.deviate(&path.key("change"), &t["change"]));
                        let persistence = self.persistence(path, t);
                        Kind::Share {
                            base: base?,
                            change: change?,
                            persistence: persistence?,
                        }
                    }
                    _ => {
                        let entries = self.r.req(
                            path,
                            t,
                            "entries",
                            "the count distribution of additions a year",
                            |_, _, _| Some(()),
                        );
                        let entries = entries.and_then(|_| {
                            dists::entries(&mut self.dists(), &path.key("entries"), &t["entries"])
                        });
                        let exit_rate = match t.get("exit_rate") {
                            None => Some(0.0),
                            Some(v) => {
                                let p = path.key("exit_rate");
                                self.r.number(&p, v).and_then(|x| {
                                    if (0.0..1.0).contains(&x) {
                                        Some(x)
                                    } else {
                                        self.r.error(
                                            &p,
                                            format!("expected a probability in [0, 1), found {x}"),
                                        );
                                        None
                                    }
                                })
                            }
                        };
                        Kind::Count {
                            base: base?,
                            entries: entries?,
                            exit_rate: exit_rate?,
                        }
                    }
                }
            }
        };
        Some(Draft {
            ind: Indicator {
                id: id.to_string(),
                label,
                unit,
                source,
                kind,
                observed: Vec::new(),
            },
            history,
        })
    }

    fn history(
        &mut self,
        path: &Path,
        t: &toml::Table,
        kind: &str,
        years: Option<(i32, i32)>,
    ) -> BTreeMap<i32, f64> {
        let mut out = BTreeMap::new();
        let hpath = path.key("history");
        let Some(h) = t.get("history").and_then(|v| self.r.table(&hpath, v)) else {
            return out;
        };
        for (key, v) in h {
            let p = hpath.key(key);
            let Ok(year) = key.parse::<i64>() else {
                self.r
                    .error(&p, format!("history is keyed by year, found `{key}`"));
                continue;
            };
            let Some(year) = self.r.year_in_range(&p, year) else {
                continue;
            };
            if let Some((base_year, _)) = years {
                if year < base_year - MAX_HISTORY_YEARS {
                    self.r.error(
                        &p,
                        format!("{year} is more than {MAX_HISTORY_YEARS} years before the base year {base_year}, the most history a scenario holds"),
                    );
                    continue;
                }
                if year > base_year {
                    self.r.error_help(
                        &p,
                        format!("{year} is after the base year {base_year}"),
                        Some("history holds observed values; move base_year forward to use newer data".into()),
                    );
                    continue;
                }
            }
            let Some(x) = self.r.number(&p, v) else {
                continue;
            };
            if let Some(problem) = value_problem(kind, x) {
                self.r.error(&p, problem);
                continue;
            }
            out.insert(year, x);
        }
        out
    }

    fn base(
        &mut self,
        path: &Path,
        t: &toml::Table,
        kind: &str,
        history: &BTreeMap<i32, f64>,
        years: Option<(i32, i32)>,
    ) -> Option<Param> {
        let bpath = path.key("base");
        let observed = years.and_then(|(b, _)| history.get(&b).copied());
        let Some(v) = t.get("base") else {
            if observed.is_none() {
                let year = years.map_or("the base year".to_string(), |(b, _)| b.to_string());
                self.r.error_help(
                    path,
                    format!("missing field `base` (the value in {year})"),
                    Some(format!("give `base`, or a `history` that includes {year}; an unknown base can be a range: base = {{ dist = \"uniform\", low = …, high = … }}")),
                );
            }
            return observed.map(Param::Fixed);
        };
        let p = self.dists().param(&bpath, v, true)?;
        if let (Some(obs), Param::Fixed(b)) = (observed, p) {
            if obs != b {
                self.r.error(
                    &bpath,
                    format!("`base` ({b}) disagrees with history for the base year ({obs})"),
                );
                return None;
            }
        }
        let (lo, hi) = match kind {
            "share" => (0.0, 1.0),
            _ => (0.0, f64::INFINITY),
        };
        let p = self.dists().check_range(&bpath, p, lo, hi, "the base")?;
        let p = if kind == "count" {
            self.dists().check_count(&bpath, p, "the base")?
        } else {
            p
        };
        if let (Param::Fixed(b), "count") = (p, kind) {
            if b.fract() != 0.0 {
                self.r.error(
                    &bpath,
                    format!("a count's base must be a whole number, found {b}"),
                );
                return None;
            }
        }
        Some(p)
    }

    /// A growth or change distribution: its mean may be uncertain, and it must have a mean.
    fn deviate(&mut self, path: &Path, v: &toml::Value) -> Option<Continuous> {
        let d = self.dists().continuous(path, v, true)?;
        if let crate::model::dist::Shape::StudentT { df, .. } = d.shape {
            if df <= 1.0 {
                self.r.error(
                    &path.key("df"),
                    format!("growth deviations are measured from the mean, which a Student t with df = {df} does not have; use df > 1"),
                );
                return None;
            }
        }
        Some(d)
    }

    fn persistence(&mut self, path: &Path, t: &toml::Table) -> Option<f64> {
        let Some(v) = t.get("persistence") else {
            return Some(0.0);
        };
        let p = path.key("persistence");
        let x = self.r.number(&p, v)?;
        if x > -1.0 && x < 1.0 {
            Some(x)
        } else {
            self.r.error(
                &p,
                format!("persistence is an AR(1) coefficient in (−1, 1), found {x}"),
            );
            None
        }
    }

    fn formula_order(&mut self, drafts: &[Draft], ind_path: &Path) -> Option<Vec<usize>> {
        // Depth-first topological sort; a grey node met again closes a cycle.
        let n = drafts.len();
        let mut state = vec![0u8; n];
        let mut order = Vec::new();
        fn visit(
            i: usize,
            drafts: &[Draft],
            state: &mut [u8],
            order: &mut Vec<usize>,
            stack: &mut Vec<usize>,
        ) -> Result<(), Vec<usize>> {
            if state[i] == 2 {
                return Ok(());
            }
            if state[i] == 1 {
                let start = stack.iter().position(|&k| k == i).unwrap_or(0);
                return Err(stack[start..].to_vec());
            }
            state[i] = 1;
            stack.push(i);
            if let Kind::Formula(f) = &drafts[i].ind.kind {
                for j in f.inputs() {
                    if j < drafts.len() {
                        visit(j, drafts, state, order, stack)?;
                    }
                }
                order.push(i);
            }
            stack.pop();
            state[i] = 2;
            Ok(())
        }
        for i in 0..n {
            let mut stack = Vec::new();
            if let Err(cycle) = visit(i, drafts, &mut state, &mut order, &mut stack) {
                let names: Vec<&str> = cycle.iter().map(|&k| drafts[k].ind.id.as_str()).collect();
                self.r.error(
                    &ind_path.key(names[0]).key("formula"),
                    format!(
                        "formulas form a cycle: {} → {}",
                        names.join(" → "),
                        names[0]
                    ),
                );
                return None;
            }
        }
        Some(order)
    }

    fn correlation(
        &mut self,
        root: &toml::Table,
        ids: &[String],
        kinds: &[Option<&str>],
    ) -> Option<Option<Correlation>> {
        let path = Path::root().key("correlation");
        let Some(v) = root.get("correlation") else {
            return Some(None);
        };
        let t = self.r.table(&path, v)?;
        self.r
            .check_keys(&path, t, &["pairs", "repair"], "[correlation]");
        let repair = self
            .r
            .opt(&path, t, "repair", Reader::boolean)
            .unwrap_or(false);
        let ppath = path.key("pairs");
        let pairs = match t.get("pairs") {
            Some(toml::Value::Array(a)) => a,
            Some(other) => {
                self.r.error(
                    &ppath,
                    format!(
                        "expected an array of [id, id, correlation], found {}",
                        super::reader::describe(other)
                    ),
                );
                return None;
            }
            None => return Some(None),
        };
        let mut read = Vec::new();
        // Each pair's first position, by its indicators in order.
        let mut seen = std::collections::HashMap::new();
        let mut ok = true;
        for (k, pair) in pairs.iter().enumerate() {
            let p = ppath.index(k);
            let items = match pair.as_array() {
                Some(a) if a.len() == 3 => a,
                _ => {
                    self.r.error(
                        &p,
                        "expected [id, id, correlation], e.g. [\"output\", \"revenue\", 0.8]",
                    );
                    ok = false;
                    continue;
                }
            };
            let mut idx = [0usize; 2];
            for (s, item) in items[..2].iter().enumerate() {
                let ip = p.index(s);
                match self
                    .r
                    .string(&ip, item)
                    .map(|id| (id, ids.iter().position(|x| x == id)))
                {
                    Some((_, Some(i))) if matches!(kinds[i], Some("level" | "share")) => idx[s] = i,
                    Some((id, Some(i))) => {
                        self.r.error(&ip, format!("`{id}` is a {} indicator; correlation is between the growth of level and share indicators", kinds[i].unwrap_or("invalid")));
                        ok = false;
                    }
                    Some((id, None)) => {
                        self.r.error_help(
                            &ip,
                            format!("unknown indicator `{id}`"),
                            did_you_mean(id, ids.iter().map(String::as_str)),
                        );
                        ok = false;
                    }
                    None => ok = false,
                }
            }
            let rho = self.r.number(&p.index(2), &items[2]);
            match rho {
                Some(x) if (-1.0..=1.0).contains(&x) => {}
                Some(x) => {
                    self.r.error(
                        &p.index(2),
                        format!("a correlation lies in [−1, 1], found {x}"),
                    );
                    ok = false;
                }
                None => ok = false,
            }
            if ok && idx[0] == idx[1] {
                self.r
                    .error(&p, format!("`{}` paired with itself", ids[idx[0]]));
                ok = false;
            }
            if ok {
                let key = (idx[0].min(idx[1]), idx[0].max(idx[1]));
                let first = *seen.entry(key).or_insert(k);
                if first != k {
                    self.r.error(
                        &p,
                        format!(
                            "the pair {} ~ {} is already given in pairs[{first}]",
                            ids[idx[0]], ids[idx[1]]
                        ),
                    );
                    ok = false;
                }
                read.push((idx[0], idx[1], rho.unwrap_or(0.0)));
            }
        }
        if !ok {
            return None;
        }
        let mut members: Vec<usize> = read.iter().flat_map(|&(a, b, _)| [a, b]).collect();
        members.sort_unstable();
        members.dedup();
        let n = members.len();
        let pos = |i: usize| members.binary_search(&i).unwrap_or(0);
        let mut matrix = Matrix::identity(n);
        for &(a, b, rho) in &read {
            matrix.set(pos(a), pos(b), rho);
            matrix.set(pos(b), pos(a), rho);
        }
        let mut repaired_from = None;
        if !matrix.is_psd() {
            let nearest = matrix.nearest_correlation();
            if !repair {
                let involved: Vec<usize> = matrix
                    .indices_in_negative_directions()
                    .iter()
                    .map(|&k| members[k])
                    .collect();
                let involved: std::collections::HashSet<usize> = involved.into_iter().collect();
                let named: Vec<String> = read
                    .iter()
                    .filter(|(a, b, _)| involved.contains(a) && involved.contains(b))
                    .map(|&(a, b, rho)| format!("{} ~ {} ({rho})", ids[a], ids[b]))
                    .collect();
                let shown = if members.len() <= SHOWN_MATRIX {
                    format!(
                        "the nearest valid matrix is\n{}",
                        show_matrix(&nearest, &members, ids)
                    )
                } else {
                    let pos = |i: usize| members.binary_search(&i).unwrap_or(0);
                    let mut moves: Vec<(f64, String)> = read
                        .iter()
                        .map(|&(a, b, rho)| {
                            let now = nearest.get(pos(a), pos(b));
                            (
                                (now - rho).abs(),
                                format!("{} ~ {}: {rho} → {now:.3}", ids[a], ids[b]),
                            )
                        })
                        .collect();
                    moves.sort_by(|x, y| y.0.total_cmp(&x.0));
                    let list: Vec<String> =
                        moves.into_iter().take(SHOWN_PAIRS).map(|m| m.1).collect();
                    format!(
                        "the nearest valid matrix moves these pairs most:\n  {}",
                        list.join("\n  ")
                    )
                };
                self.r.error_help(
                    &ppath,
                    format!(
                        "these correlations cannot hold together (the matrix is not positive semi-definite): {}",
                        shorten(&named, SHOWN_PAIRS)
                    ),
                    Some(format!("{shown}\n  set `repair = true` in [correlation] to use it")),
                );
                return None;
            }
            repaired_from = Some(std::mem::replace(&mut matrix, nearest));
        }
        let cholesky = matrix.cholesky();
        Some(Some(Correlation {
            members,
            matrix,
            cholesky,
            repaired_from,
        }))
    }

    fn shocks(
        &mut self,
        root: &toml::Table,
        ids: &[String],
        kinds: &[Option<&str>],
        years: Option<(i32, i32)>,
    ) -> Option<Vec<Shock>> {
        let path = Path::root().key("shocks");
        let Some(v) = root.get("shocks") else {
            return Some(Vec::new());
        };
        let t = self.r.table(&path, v)?;
        let mut out = Vec::new();
        let mut ok = true;
        for (id, sv) in t {
            let p = path.key(id);
            if !valid_id(id) {
                self.r.error(
                    &p,
                    format!(
                        "`{id}` is not a valid id: ids are a–z, 0–9 and _, starting with a letter"
                    ),
                );
            }
            match self.shock(&p, id, sv, ids, kinds, years) {
                Some(s) => out.push(s),
                None => ok = false,
            }
        }
        ok.then_some(out)
    }

    fn shock(
        &mut self,
        path: &Path,
        id: &str,
        v: &toml::Value,
        ids: &[String],
        kinds: &[Option<&str>],
        years: Option<(i32, i32)>,
    ) -> Option<Shock> {
        let t = self.r.table(path, v)?;
        self.r.check_keys(
            path,
            t,
            &["label", "probability", "effect", "affects", "years"],
            "a shock",
        );
        let label = self
            .r
            .opt(path, t, "label", Reader::string)
            .unwrap_or(id)
            .to_string();
        let probability = self.r.req(
            path,
            t,
            "probability",
            "the chance per simulated year",
            |_, _, _| Some(()),
        );
        let probability = probability
            .and_then(|_| {
                self.dists()
                    .param(&path.key("probability"), &t["probability"], true)
            })
            .and_then(|p| {
                self.dists()
                    .check_range(&path.key("probability"), p, 0.0, 1.0, "a probability")
            });
        let effect = self.r.req(
            path,
            t,
            "effect",
            "the distribution of the size of an occurrence",
            |_, _, _| Some(()),
        );
        let effect = effect.and_then(|_| {
            self.dists()
                .continuous(&path.key("effect"), &t["effect"], true)
        });
        let apath = path.key("affects");
        let affects = self.r.req(
            path,
            t,
            "affects",
            "loadings by indicator, e.g. { output = 1.0 }",
            |r, p, v| r.table(p, v),
        );
        let mut loadings = Vec::new();
        let mut ok = affects.is_some();
        for (ind, lv) in affects.into_iter().flatten() {
            let p = apath.key(ind);
            let Some(loading) = self.r.number(&p, lv) else {
                ok = false;
                continue;
            };
            match ids.iter().position(|x| x == ind) {
                Some(i) if matches!(kinds[i], Some("level" | "share")) => {
                    loadings.push((i, loading))
                }
                Some(i) => {
                    self.r.error(&p, format!("`{ind}` is a {} indicator; shocks move the growth of level and the change of share indicators", kinds[i].unwrap_or("invalid")));
                    ok = false;
                }
                None => {
                    self.r.error_help(
                        &p,
                        format!("unknown indicator `{ind}`"),
                        did_you_mean(ind, ids.iter().map(String::as_str)),
                    );
                    ok = false;
                }
            }
        }
        let (first, last) = match (t.get("years"), years) {
            (None, Some((b, h))) => (b + 1, h),
            (None, None) => (0, 0),
            (Some(yv), years) => {
                let yp = path.key("years");
                let pair = yv.as_array().filter(|a| a.len() == 2);
                let Some(pair) = pair else {
                    self.r
                        .error(&yp, "expected [first, last], e.g. [2024, 2025]");
                    return None;
                };
                let a = self.r.year(&yp.index(0), &pair[0])?;
                let b = self.r.year(&yp.index(1), &pair[1])?;
                if let Some((base, horizon)) = years {
                    if a > b || a <= base || b > horizon {
                        self.r.error(&yp, format!("expected simulated years with first ≤ last, within {}–{horizon}, found [{a}, {b}]", base + 1));
                        return None;
                    }
                }
                (a, b)
            }
        };
        if !ok {
            return None;
        }
        Some(Shock {
            id: id.to_string(),
            label,
            probability: probability?,
            effect: effect?,
            loadings,
            first,
            last,
        })
    }

    fn targets(&mut self, root: &toml::Table, ids: &[String], head: &Head) -> Vec<Target> {
        let path = Path::root().key("targets");
        let Some(t) = root.get("targets").and_then(|v| self.r.table(&path, v)) else {
            return Vec::new();
        };
        let target_ids: Vec<&str> = t.keys().map(String::as_str).collect();
        let mut out = Vec::new();
        for (id, tv) in t {
            let p = path.key(id);
            if !valid_id(id) {
                self.r.error(
                    &p,
                    format!(
                        "`{id}` is not a valid id: ids are a–z, 0–9 and _, starting with a letter"
                    ),
                );
            }
            if let Some(target) = self.target(&p, id, tv, ids, &target_ids, head) {
                out.push(target);
            }
        }
        out
    }

    fn target(
        &mut self,
        path: &Path,
        id: &str,
        v: &toml::Value,
        ids: &[String],
        target_ids: &[&str],
        head: &Head,
    ) -> Option<Target> {
        let t = self.r.table(path, v)?;
        let label = self
            .r
            .opt(path, t, "label", Reader::string)
            .unwrap_or(id)
            .to_string();
        let tier = match t.get("tier") {
            None => Some(Tier::Floor),
            Some(v) => self
                .r
                .choice(&path.key("tier"), v, &["floor", "stretch"])
                .map(|c| {
                    if c == "floor" {
                        Tier::Floor
                    } else {
                        Tier::Stretch
                    }
                }),
        };
        if t.contains_key("all") || t.contains_key("any") {
            self.r.check_keys(
                path,
                t,
                &["label", "tier", "all", "any"],
                "a composite target (all/any)",
            );
            if t.contains_key("all") && t.contains_key("any") {
                self.r
                    .error(path, "a composite target takes `all` or `any`, not both");
                return None;
            }
            let all = t.contains_key("all");
            let key = if all { "all" } else { "any" };
            let mp = path.key(key);
            let Some(list) = t[key].as_array() else {
                self.r.error(
                    &mp,
                    "expected an array of target ids, e.g. [\"output_300\", \"rd_2pct\"]",
                );
                return None;
            };
            let mut members = Vec::new();
            for (k, m) in list.iter().enumerate() {
                let Some(name) = self.r.string(&mp.index(k), m) else {
                    continue;
                };
                match target_ids.iter().position(|x| *x == name) {
                    Some(_) if name == id => self
                        .r
                        .error(&mp.index(k), format!("`{id}` cannot include itself")),
                    Some(j) => members.push(j),
                    None => self.r.error_help(
                        &mp.index(k),
                        format!("unknown target `{name}`"),
                        did_you_mean(name, target_ids.iter().copied()),
                    ),
                }
            }
            if members.is_empty() || members.len() != list.len() {
                if list.is_empty() {
                    self.r
                        .error(&mp, "a composite target needs at least one member");
                }
                return None;
            }
            return Some(Target {
                id: id.to_string(),
                label,
                tier: tier?,
                kind: TargetKind::Composite { all, members },
            });
        }
        self.r.check_keys(
            path,
            t,
            &[
                "label",
                "indicator",
                "metric",
                "year",
                "from",
                "to",
                "at_least",
                "at_most",
                "tier",
                "all",
                "any",
            ],
            "a target",
        );
        let indicator = self.r.req(
            path,
            t,
            "indicator",
            "the id of the indicator the target is about",
            Reader::string,
        );
        let indicator = indicator.and_then(|name| match ids.iter().position(|x| x == name) {
            Some(i) => Some(i),
            None => {
                self.r.error_help(
                    &path.key("indicator"),
                    format!("unknown indicator `{name}`"),
                    did_you_mean(name, ids.iter().map(String::as_str)),
                );
                None
            }
        });
        let names: Vec<&str> = Metric::ALL.iter().map(|m| m.name()).collect();
        let metric = match t.get("metric") {
            None => Some(Metric::Value),
            Some(v) => self
                .r
                .choice(&path.key("metric"), v, &names)
                .and_then(|n| Metric::ALL.into_iter().find(|m| m.name() == n)),
        };
        let threshold = match (t.get("at_least"), t.get("at_most")) {
            (Some(v), None) => self
                .r
                .number(&path.key("at_least"), v)
                .map(|x| (x, Direction::AtLeast)),
            (None, Some(v)) => self
                .r
                .number(&path.key("at_most"), v)
                .map(|x| (x, Direction::AtMost)),
            (Some(_), Some(_)) => {
                self.r.error(
                    path,
                    "give one threshold: `at_least` or `at_most`, not both",
                );
                None
            }
            (None, None) => {
                self.r
                    .error(path, "missing threshold: `at_least = …` or `at_most = …`");
                None
            }
        };
        let metric = metric?;
        let year_of = |r: &mut Reader, key: &str| r.opt(path, t, key, Reader::year);
        let (from, to) = if metric == Metric::Value {
            for key in ["from", "to"] {
                if t.contains_key(key) {
                    self.r.error_help(&path.key(key), format!("`{key}` is for growth metrics; a value target uses `year`"), Some("set metric = \"cagr\" (or change, increase, min_growth, min_increase) to compare two years".into()));
                }
            }
            let y = year_of(&mut self.r, "year").unwrap_or(head.horizon);
            (y, y)
        } else {
            if t.contains_key("year") {
                self.r.error_help(
                    &path.key("year"),
                    format!(
                        "`year` is for value targets; a {} target uses `from` and `to`",
                        metric.name()
                    ),
                    None,
                );
            }
            let from = year_of(&mut self.r, "from").unwrap_or(head.base_year);
            let to = year_of(&mut self.r, "to").unwrap_or(head.horizon);
            if from >= to {
                self.r
                    .error(path, format!("`from` ({from}) must be before `to` ({to})"));
                return None;
            }
            (from, to)
        };
        let (year_key, last) = if metric == Metric::Value {
            ("year", to)
        } else {
            ("to", to)
        };
        if last > head.horizon {
            self.r.error(
                &path.key(year_key),
                format!("{last} is after the horizon ({})", head.horizon),
            );
            return None;
        }
        let (threshold, direction) = threshold?;
        Some(Target {
            id: id.to_string(),
            label,
            tier: tier?,
            kind: TargetKind::Stat(StatTarget {
                indicator: indicator?,
                metric,
                from,
                to,
                threshold,
                direction,
            }),
        })
    }

    /// Targets that reach back before the base year need observed values there.
    fn check_target_data(
        &mut self,
        root: &toml::Table,
        targets: Vec<Target>,
        indicators: &[Indicator],
        base_year: i32,
        first_year: i32,
    ) -> Vec<Target> {
        let names: Vec<String> = root
            .get("targets")
            .and_then(|t| t.as_table())
            .map(|t| t.keys().cloned().collect())
            .unwrap_or_default();
        for t in &targets {
            let TargetKind::Stat(s) = &t.kind else {
                continue;
            };
            let ind = &indicators[s.indicator];
            let needed: Vec<i32> = match s.metric {
                Metric::Value => vec![s.to],
                Metric::MinGrowth | Metric::MinIncrease => (s.from..=s.to).collect(),
                _ => vec![s.from, s.to],
            };
            let missing: Vec<i32> = needed
                .into_iter()
                .filter(|&y| y < base_year && ind.observed[(y - first_year) as usize].is_none())
                .collect();
            if !missing.is_empty() {
                let p = Path::root()
                    .key("targets")
                    .key(names.iter().find(|n| **n == t.id).map_or(&t.id, |n| n));
                let years: Vec<String> = missing.iter().map(|y| y.to_string()).collect();
                self.r.error_help(
                    &p,
                    format!("needs `{}` in {}, before the base year, but it has no observed value there", ind.id, years.join(", ")),
                    Some(format!("add those years to indicators.{}.history, or start the target later", ind.id)),
                );
            }
        }
        targets
    }

    /// Statistic targets in file order, then composites once their members are known.
    fn target_order(&mut self, targets: &[Target]) -> Option<Vec<usize>> {
        let mut order: Vec<usize> = (0..targets.len())
            .filter(|&k| matches!(targets[k].kind, TargetKind::Stat(_)))
            .collect();
        let mut placed = vec![false; targets.len()];
        order.iter().for_each(|&k| placed[k] = true);
        loop {
            let before = order.len();
            for (k, t) in targets.iter().enumerate() {
                if let TargetKind::Composite { members, .. } = &t.kind {
                    if !placed[k] && members.iter().all(|&m| placed[m]) {
                        placed[k] = true;
                        order.push(k);
                    }
                }
            }
            if order.len() == targets.len() {
                return Some(order);
            }
            if order.len() == before {
                let stuck: Vec<&str> = (0..targets.len())
                    .filter(|&k| !placed[k])
                    .map(|k| targets[k].id.as_str())
                    .collect();
                self.r.error(
                    &Path::root().key("targets"),
                    format!(
                        "composite targets include each other in a cycle: {}",
                        stuck.join(", ")
                    ),
                );
                return None;
            }
        }
    }
}

/// A long formula shortened to the 60 characters around `offset`.
fn excerpt(text: &str, offset: usize) -> String {
    const AROUND: usize = 30;
    if text.chars().count() <= 2 * AROUND {
        return text.to_string();
    }
    let at = text.get(..offset).map_or(0, |s| s.chars().count());
    let start = at.saturating_sub(AROUND);
    let part: String = text.chars().skip(start).take(2 * AROUND).collect();
    let end = start + 2 * AROUND < text.chars().count();
    format!(
        "{}{part}{}",
        if start > 0 { "…" } else { "" },
        if end { "…" } else { "" }
    )
}

/// Matrices up to this size are shown whole in messages; larger ones by the
/// pairs that change most. Lists in messages show this many pairs at most.
const SHOWN_MATRIX: usize = 8;
const SHOWN_PAIRS: usize = 10;

/// The first `n` items joined, and how many more there are.
fn shorten(items: &[String], n: usize) -> String {
    let mut s = items[..items.len().min(n)].join(", ");
    if items.len() > n {
        s.push_str(&format!(" and {} more", items.len() - n));
    }
    s
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

fn lookup(name: &str, offset: usize, own: &str, ids: &[String]) -> Result<usize, FormulaError> {
    if name == own {
        return Err(FormulaError {
            offset,
            message: format!("`{own}` refers to itself"),
        });
    }
    ids.iter()
        .position(|x| x == name)
        .ok_or_else(|| FormulaError {
            offset,
            message: match did_you_mean(name, ids.iter().map(String::as_str)) {
                Some(help) => format!("unknown indicator `{name}`\n{help}"),
                None => format!("unknown indicator `{name}`"),
            },
        })
}

fn split_help(e: &FormulaError) -> (String, Option<String>) {
    match e.message.split_once('\n') {
        Some((m, h)) => (m.to_string(), Some(h.to_string())),
        None => (e.message.clone(), None),
    }
}

/// Why `x` cannot be an observed value of a `kind` indicator, if it cannot.
fn value_problem(kind: &str, x: f64) -> Option<String> {
    match kind {
        "share" if !(0.0..=1.0).contains(&x) => Some(format!(
            "a share is a fraction in [0, 1] (0.35 = 35 %), found {x}"
        )),
        "count" if x < 0.0 || x.fract() != 0.0 => {
            Some(format!("a count is a whole number ≥ 0, found {x}"))
        }
        "level" if x < 0.0 => Some(format!("a level is ≥ 0, found {x}")),
        _ => None,
    }
}

fn show_matrix(m: &Matrix, members: &[usize], ids: &[String]) -> String {
    let width = members
        .iter()
        .map(|&i| ids[i].len())
        .max()
        .unwrap_or(0)
        .max(6);
    let mut s = format!("  {:width$}", "");
    for &i in members {
        s.push_str(&format!(" {:>width$}", ids[i]));
    }
    for (a, &i) in members.iter().enumerate() {
        s.push_str(&format!("\n  {:width$}", ids[i]));
        for b in 0..members.len() {
            s.push_str(&format!(" {:>width$.3}", m.get(a, b)));
        }
    }
    s
}
