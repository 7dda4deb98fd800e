//! `[indicators]`: each indicator's kind and fields, its history and base,
//! and the order in which formulas are evaluated.

use std::collections::BTreeMap;

use super::{IndicatorKind, Validator, MAX_HISTORY_YEARS};
use crate::error::did_you_mean;
use crate::model::dist::{Continuous, Param, Shape};
use crate::model::formula::{Formula, FormulaError};
use crate::model::{Compounding, Indicator, Kind, ParamAspect, Role};
use crate::scenario::dists;
use crate::scenario::reader::{Path, Reader};

const COMMON: [&str; 4] = ["label", "unit", "source", "kind"];

/// An indicator as read, before years are known to the model.
pub(super) struct Draft {
    pub ind: Indicator,
    pub history: BTreeMap<i32, f64>,
}

impl Validator {
    pub(super) fn indicator(
        &mut self,
        path: &Path,
        index: usize,
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
        let names = IndicatorKind::ALL.map(IndicatorKind::name);
        let kind = self.r.req(
            path,
            t,
            "kind",
            "one of \"level\", \"count\", \"share\", \"formula\"",
            |r, p, v| r.choice(p, v, &names).and_then(IndicatorKind::from_name),
        );
        let kind = kind?;
        let specific: &[&str] = match kind {
            IndicatorKind::Level => &[
                "base",
                "history",
                "observed_growth",
                "growth",
                "persistence",
                "compounding",
            ],
            IndicatorKind::Count => &["base", "history", "entries", "exit_rate"],
            IndicatorKind::Share => &["base", "history", "change", "persistence"],
            IndicatorKind::Formula => &["formula"],
        };
        let allowed: Vec<&str> = COMMON.iter().chain(specific).copied().collect();
        self.r
            .check_keys(path, t, &allowed, &format!("a {} indicator", kind.name()));

        let mut history = if kind == IndicatorKind::Formula {
            BTreeMap::new()
        } else {
            self.history(path, t, kind, years)
        };
        let rates = match (kind, years) {
            (IndicatorKind::Level, Some((base_year, _))) => {
                self.observed_growth(path, t, base_year, &history)
            }
            _ => None,
        };
        // With observed growth, `base` is the level in the year before it.
        let anchor = match (&rates, years) {
            (Some(r), _) => Some(r.anchor),
            (None, y) => y.map(|(b, _)| b),
        };
        let kind = match kind {
            IndicatorKind::Formula => {
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
                let base = self.base(path, index, t, k, &history, anchor);
                let base = match (base, &rates) {
                    (Some(b), Some(r)) => Some(self.carry_forward(b, r, &mut history)),
                    (b, _) => b,
                };
                match k {
                    IndicatorKind::Level => {
                        let growth = self
                            .r
                            .req_value(path, t, "growth", "the distribution of annual growth")
                            .and_then(|(p, v)| {
                                let role = Role::indicator(index, ParamAspect::Trend);
                                self.deviate(&p, v, role, Magnitude::GROWTH)
                            });
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
                    IndicatorKind::Share => {
                        let change = self
                            .r
                            .req_value(path, t, "change", "the distribution of the annual change")
                            .and_then(|(p, v)| {
                                let role = Role::indicator(index, ParamAspect::ChangeTrend);
                                self.deviate(&p, v, role, Magnitude::CHANGE)
                            });
                        let persistence = self.persistence(path, t);
                        Kind::Share {
                            base: base?,
                            change: change?,
                            persistence: persistence?,
                        }
                    }
                    _ => {
                        // A count (formulas were handled above).
                        let entries = self
                            .r
                            .req_value(
                                path,
                                t,
                                "entries",
                                "the count distribution of additions a year",
                            )
                            .and_then(|(p, v)| dists::entries(&mut self.dists(), &p, v, index));
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
        kind: IndicatorKind,
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
        index: usize,
        t: &toml::Table,
        kind: IndicatorKind,
        history: &BTreeMap<i32, f64>,
        year: Option<i32>,
    ) -> Option<Param> {
        let bpath = path.key("base");
        let observed = year.and_then(|b| history.get(&b).copied());
        let Some(v) = t.get("base") else {
            if observed.is_none() {
                let year = year.map_or("the base year".to_string(), |b| b.to_string());
                self.r.error_help(
                    path,
                    format!("missing field `base` (the value in {year})"),
                    Some(format!("give `base`, or a `history` that includes {year}; an unknown base can be a range: base = {{ dist = \"uniform\", low = …, high = … }}")),
                );
            }
            return observed.map(Param::Fixed);
        };
        let role = Role::indicator(index, ParamAspect::Base);
        let p = self.dists().param(&bpath, v, Some(role))?;
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
            IndicatorKind::Share => (0.0, 1.0),
            _ => (0.0, f64::INFINITY),
        };
        let p = self.dists().check_range(&bpath, p, lo, hi, "the base")?;
        let p = if kind == IndicatorKind::Count {
            self.dists().check_count(&bpath, p, "the base")?
        } else {
            p
        };
        if let (Param::Fixed(b), IndicatorKind::Count) = (p, kind) {
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

    /// A growth or change distribution: its mean may be uncertain, it must
    /// have a mean, and its size must be that of a fraction unless the table
    /// says `unchecked = true`.
    fn deviate(
        &mut self,
        path: &Path,
        v: &toml::Value,
        role: Role,
        limit: Magnitude,
    ) -> Option<Continuous> {
        let (v, unchecked) = self.unchecked(path, v);
        let d = self.dists().continuous(path, &v, Some(role))?;
        if let Shape::StudentT { df, .. } = d.shape {
            if df <= 1.0 {
                self.r.error(
                    &path.key("df"),
                    format!("growth deviations are measured from the mean, which a Student t with df = {df} does not have; use df > 1"),
                );
                return None;
            }
        }
        if !unchecked {
            let loc = crate::model::dist::central(d.loc, &self.params);
            let r = d.resolve(loc);
            let (key, spread) = match d.shape {
                Shape::Normal { sd } => ("sd", sd),
                Shape::StudentT { scale, .. } => ("scale", scale),
                // Other shapes: what a normal's sd would be, half the central 68 %.
                _ => (
                    "spread",
                    0.5 * (d.shape.quantile(loc, 0.8413) - d.shape.quantile(loc, 0.1587)),
                ),
            };
            let bad = [("mean", r.mean), (key, spread)]
                .into_iter()
                .find(|(_, x)| x.abs() > limit.limit);
            if let Some((what, x)) = bad {
                let p = match v.as_table() {
                    Some(t) if t.contains_key(what) => path.key(what),
                    _ => path.clone(),
                };
                let sign = if what == "mean" && x > 0.0 { "+" } else { "" };
                self.r.error_help(
                    &p,
                    format!(
                        "{} {what} {x} is {sign}{:.0} {} a year; {} are fractions",
                        limit.name,
                        x * 100.0,
                        limit.per,
                        limit.unit
                    ),
                    Some(format!(
                        "did you mean {}? If {x} is meant, add `unchecked = true` to this table",
                        x / 100.0
                    )),
                );
                return None;
            }
        }
        Some(d)
    }

    /// `v` without its `unchecked` key, and whether that key said true.
    fn unchecked(&mut self, path: &Path, v: &toml::Value) -> (toml::Value, bool) {
        let Some(t) = v.as_table().filter(|t| t.contains_key("unchecked")) else {
            return (v.clone(), false);
        };
        let on = self
            .r
            .boolean(&path.key("unchecked"), &t["unchecked"])
            .unwrap_or(false);
        let mut rest = t.clone();
        rest.remove("unchecked");
        (toml::Value::Table(rest), on)
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

    pub(super) fn formula_order(
        &mut self,
        drafts: &[Draft],
        ind_path: &Path,
    ) -> Option<Vec<usize>> {
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
/// Growth rates observed where levels are not: the level is known in
/// `anchor`, and `rates` carry it to the base year.
pub(super) struct ObservedGrowth {
    anchor: i32,
    rates: Vec<(i32, f64)>,
}

impl Validator {
    /// `observed_growth = { 2022 = 0.07, 2023 = 0.026 }`: yearly growth
    /// rates for consecutive years up to the base year, published where the
    /// level was not.
    fn observed_growth(
        &mut self,
        path: &Path,
        t: &toml::Table,
        base_year: i32,
        history: &BTreeMap<i32, f64>,
    ) -> Option<ObservedGrowth> {
        let gpath = path.key("observed_growth");
        let g = t
            .get("observed_growth")
            .and_then(|v| self.r.table(&gpath, v))?;
        let mut rates = Vec::new();
        for (key, v) in g {
            let p = gpath.key(key);
            let Some(year) = key
                .parse::<i64>()
                .ok()
                .and_then(|y| self.r.year_in_range(&p, y))
            else {
                self.r.error(
                    &p,
                    format!("observed_growth is keyed by year, found `{key}`"),
                );
                return None;
            };
            let rate = self.r.number(&p, v)?;
            if rate <= -1.0 || rate > 1.0 {
                self.r.error_help(
                    &p,
                    format!(
                        "growth of {rate} is {:+.0} % in a year; growth rates are fractions",
                        rate * 100.0
                    ),
                    (rate > 1.0).then(|| format!("did you mean {}?", rate / 100.0)),
                );
                return None;
            }
            rates.push((year, rate));
        }
        rates.sort_by_key(|r| r.0);
        let (first, last) = (rates.first()?.0, rates.last()?.0);
        let consecutive = rates.windows(2).all(|w| w[1].0 == w[0].0 + 1);
        if !consecutive || last != base_year {
            self.r.error_help(
                &gpath,
                format!("observed growth must cover consecutive years up to the base year ({base_year}); found {first}–{last}{}", if consecutive { "" } else { " with gaps" }),
                Some(format!("`base` is then the level in the year before the first rate ({})", first - 1)),
            );
            return None;
        }
        if let Some((&y, _)) = history.range(first..).next() {
            self.r.error_help(
                &path.key("history").key(&y.to_string()),
                format!("{y} has both an observed level and an observed growth rate"),
                Some(format!(
                    "observed growth starts after the last known level; end history at {}",
                    first - 1
                )),
            );
            return None;
        }
        Some(ObservedGrowth {
            anchor: first - 1,
            rates,
        })
    }

    /// The base year's level: the anchor's carried forward by the observed
    /// rates. A known level fills the years between as observed values; an
    /// uncertain one is scaled, its uncertainty carried along.
    fn carry_forward(
        &mut self,
        base: Param,
        g: &ObservedGrowth,
        history: &mut BTreeMap<i32, f64>,
    ) -> Param {
        let factor: f64 = g.rates.iter().map(|(_, r)| 1.0 + r).product();
        match base {
            Param::Fixed(b) => {
                history.insert(g.anchor, b);
                let mut level = b;
                for &(year, rate) in &g.rates {
                    level *= 1.0 + rate;
                    history.insert(year, level);
                }
                Param::Fixed(level)
            }
            Param::Drawn(slot) => {
                self.params[slot] = self.params[slot].scaled(factor);
                base
            }
        }
    }
}

/// How large a yearly growth or change can be before it looks like a
/// percentage typed as a number (6 for 0.06).
#[derive(Clone, Copy)]
struct Magnitude {
    name: &'static str,
    limit: f64,
    /// What 100 × the value is in.
    per: &'static str,
    unit: &'static str,
}

impl Magnitude {
    /// A level's growth above 100 % a year.
    const GROWTH: Magnitude = Magnitude {
        name: "growth",
        limit: 1.0,
        per: "%",
        unit: "growth rates",
    };
    /// A share's change above 25 points a year.
    const CHANGE: Magnitude = Magnitude {
        name: "change",
        limit: 0.25,
        per: "points",
        unit: "shares and their changes",
    };
}

fn value_problem(kind: IndicatorKind, x: f64) -> Option<String> {
    match kind {
        IndicatorKind::Share if !(0.0..=1.0).contains(&x) => Some(format!(
            "a share is a fraction in [0, 1] (0.35 = 35 %), found {x}"
        )),
        IndicatorKind::Count if x < 0.0 || x.fract() != 0.0 => {
            Some(format!("a count is a whole number ≥ 0, found {x}"))
        }
        IndicatorKind::Level if x < 0.0 => Some(format!("a level is ≥ 0, found {x}")),
        _ => None,
    }
}
