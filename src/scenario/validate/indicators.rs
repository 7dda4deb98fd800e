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
use crate::text::Text;
use crate::tr;

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
            tr!(
                "one of \"level\", \"count\", \"share\", \"formula\"",
                "\"level\"、\"count\"、\"share\"、\"formula\" 之一"
            ),
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
        self.r.check_keys(
            path,
            t,
            &allowed,
            &tr!("a {k} indicator", "{k} 类指标", k = kind.name()),
        );

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
                    tr!("an expression of other indicators", "其他指标的表达式"),
                    Reader::string,
                )?;
                let fpath = path.key("formula");
                match Formula::compile(text, |name, offset| lookup(name, offset, id, ids)) {
                    Ok(f) => Kind::Formula(f),
                    Err(e) => {
                        self.r.error_help(
                            &fpath,
                            tr!(
                                "in \"{part}\" at character {at}: {message}",
                                "\"{part}\" 第 {at} 个字符处：{message}",
                                part = excerpt(text, e.offset),
                                at = e.offset + 1,
                                message = e.message
                            ),
                            e.help,
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
                            .req_value(
                                path,
                                t,
                                "growth",
                                tr!("the distribution of annual growth", "年增长率的分布"),
                            )
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
                            .req_value(
                                path,
                                t,
                                "change",
                                tr!("the distribution of the annual change", "年变化的分布"),
                            )
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
                                tr!(
                                    "the count distribution of additions a year",
                                    "每年新增数的分布"
                                ),
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
                                            tr!(
                                                "expected a probability in [0, 1), found {x}",
                                                "应为 [0, 1) 内的概率，实为 {x}"
                                            ),
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
                self.r.error(
                    &p,
                    tr!(
                        "history is keyed by year, found `{key}`",
                        "history 以年份为键，实为 `{key}`"
                    ),
                );
                continue;
            };
            let Some(year) = self.r.year_in_range(&p, year) else {
                continue;
            };
            if let Some((base_year, _)) = years {
                if year < base_year - MAX_HISTORY_YEARS {
                    self.r.error(
                        &p,
                        tr!("{year} is more than {MAX_HISTORY_YEARS} years before the base year {base_year}, the most history a scenario holds", "{year} 比基期年 {base_year} 早 {MAX_HISTORY_YEARS} 年以上，超出情景可容纳的历史"),
                    );
                    continue;
                }
                if year > base_year {
                    self.r.error_help(
                        &p,
                        tr!("{year} is after the base year {base_year}", "{year} 在基期年 {base_year} 之后"),
                        Some(tr!("history holds observed values; move base_year forward to use newer data", "history 只放观测值；要用更新的数据，请把 base_year 后移")),
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
                let year = year.map_or(tr!("the base year", "基期年"), |b| {
                    Text::same(b.to_string())
                });
                self.r.error_help(
                    path,
                    tr!("missing field `base` (the value in {year})", "缺少字段 `base`（{year}的值）", year = year),
                    Some(tr!("give `base`, or a `history` that includes {year}; an unknown base can be a range: base = {{ dist = \"uniform\", low = …, high = … }}", "请给出 `base`，或包含{year}的 `history`；未知的基期值可写成区间：base = {{ dist = \"uniform\", low = …, high = … }}", year = year)),
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
                    tr!(
                        "`base` ({b}) disagrees with history for the base year ({obs})",
                        "`base`（{b}）与 history 中基期年的值（{obs}）不一致"
                    ),
                );
                return None;
            }
        }
        let (lo, hi) = match kind {
            IndicatorKind::Share => (0.0, 1.0),
            _ => (0.0, f64::INFINITY),
        };
        let p = self
            .dists()
            .check_range(&bpath, p, lo, hi, tr!("the base", "基期值"))?;
        let p = if kind == IndicatorKind::Count {
            self.dists()
                .check_count(&bpath, p, tr!("the base", "基期值"))?
        } else {
            p
        };
        if let (Param::Fixed(b), IndicatorKind::Count) = (p, kind) {
            if b.fract() != 0.0 {
                self.r.error(
                    &bpath,
                    tr!(
                        "a count's base must be a whole number, found {b}",
                        "计数指标的基期值须为整数，实为 {b}"
                    ),
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
                    tr!("growth deviations are measured from the mean, which a Student t with df = {df} does not have; use df > 1", "增长偏离以均值为准，而 df = {df} 的 t 分布没有均值；请用 df > 1"),
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
                    tr!(
                        "{name} {what} {x} is {sign}{pct:.0} {per} a year; {unit} are fractions",
                        "{name} 的 {what} 为 {x}，即每年 {sign}{pct:.0} {per}；{unit}",
                        name = limit.name,
                        pct = x * 100.0,
                        per = Text::new(limit.per[0].into(), limit.per[1].into()),
                        unit = Text::new(limit.unit[0].into(), limit.unit[1].into())
                    ),
                    Some(tr!(
                        "did you mean {y}? If {x} is meant, add `unchecked = true` to this table",
                        "是否想写 {y}？若确为 {x}，请在此表中加 `unchecked = true`",
                        y = x / 100.0
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
                tr!(
                    "persistence is an AR(1) coefficient in (−1, 1), found {x}",
                    "persistence 是 (−1, 1) 内的 AR(1) 系数，实为 {x}"
                ),
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
                    tr!(
                        "formulas form a cycle: {cycle} → {first}",
                        "公式循环引用：{cycle} → {first}",
                        cycle = names.join(" → "),
                        first = names[0]
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
            message: tr!("`{own}` refers to itself", "`{own}` 引用了自身"),
            help: None,
        });
    }
    ids.iter()
        .position(|x| x == name)
        .ok_or_else(|| FormulaError {
            offset,
            message: tr!("unknown indicator `{name}`", "没有指标 `{name}`"),
            help: did_you_mean(name, ids.iter().map(String::as_str)),
        })
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
                    tr!(
                        "observed_growth is keyed by year, found `{key}`",
                        "observed_growth 以年份为键，实为 `{key}`"
                    ),
                );
                return None;
            };
            let rate = self.r.number(&p, v)?;
            if rate <= -1.0 || rate > 1.0 {
                self.r.error_help(
                    &p,
                    tr!(
                        "growth of {rate} is {pct:+.0} % in a year; growth rates are fractions",
                        "增长率 {rate} 即一年 {pct:+.0}%；增长率以小数表示",
                        pct = rate * 100.0
                    ),
                    (rate > 1.0)
                        .then(|| tr!("did you mean {y}?", "是否想写 {y}？", y = rate / 100.0)),
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
                if consecutive {
                    tr!("observed growth must cover consecutive years up to the base year ({base_year}); found {first}–{last}", "observed_growth 须覆盖至基期年（{base_year}）的连续年份；实为 {first}–{last}")
                } else {
                    tr!("observed growth must cover consecutive years up to the base year ({base_year}); found {first}–{last} with gaps", "observed_growth 须覆盖至基期年（{base_year}）的连续年份；实为 {first}–{last}，中有缺年")
                },
                Some(tr!("`base` is then the level in the year before the first rate ({y})", "此时 `base` 是第一个增长率前一年（{y}）的水平", y = first - 1)),
            );
            return None;
        }
        if let Some((&y, _)) = history.range(first..).next() {
            self.r.error_help(
                &path.key("history").key(&y.to_string()),
                tr!(
                    "{y} has both an observed level and an observed growth rate",
                    "{y} 同时有观测水平和观测增长率"
                ),
                Some(tr!(
                    "observed growth starts after the last known level; end history at {end}",
                    "观测增长率应从最后一个已知水平之后开始；history 请止于 {end}",
                    end = first - 1
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
    /// What 100 × the value is in, in English and Chinese.
    per: [&'static str; 2],
    /// What is written as a fraction, said in English and Chinese.
    unit: [&'static str; 2],
}

impl Magnitude {
    /// A level's growth above 100 % a year.
    const GROWTH: Magnitude = Magnitude {
        name: "growth",
        limit: 1.0,
        per: ["%", "%"],
        unit: ["growth rates", "增长率以小数表示"],
    };
    /// A share's change above 25 points a year.
    const CHANGE: Magnitude = Magnitude {
        name: "change",
        limit: 0.25,
        per: ["points", "个百分点"],
        unit: ["shares and their changes", "比重及其变化以小数表示"],
    };
}

fn value_problem(kind: IndicatorKind, x: f64) -> Option<Text> {
    match kind {
        IndicatorKind::Share if !(0.0..=1.0).contains(&x) => Some(tr!(
            "a share is a fraction in [0, 1] (0.35 = 35 %), found {x}",
            "比重是 [0, 1] 内的小数（0.35 即 35%），实为 {x}"
        )),
        IndicatorKind::Count if x < 0.0 || x.fract() != 0.0 => Some(tr!(
            "a count is a whole number ≥ 0, found {x}",
            "计数是 ≥ 0 的整数，实为 {x}"
        )),
        IndicatorKind::Level if x < 0.0 => {
            Some(tr!("a level is ≥ 0, found {x}", "水平值 ≥ 0，实为 {x}"))
        }
        _ => None,
    }
}
