//! `[targets]`: statistic targets, composites, the observed data targets
//! reach back to, and the order composites are evaluated in.

use super::{Head, IndicatorKind, Validator};
use crate::error::did_you_mean;
use crate::model::{
    Direction, Indicator, Metric, StatTarget, Target, TargetKind, Tier, Unmodelled,
};
use crate::scenario::reader::{Path, Reader};
use crate::text::Text;
use crate::tr;

/// What a target may refer to: the indicators, their kinds, the other
/// targets, and the scenario's years.
#[derive(Clone, Copy)]
struct Known<'a> {
    ids: &'a [String],
    kinds: &'a [Option<IndicatorKind>],
    target_ids: &'a [&'a str],
    head: &'a Head,
}

impl Validator {
    pub(super) fn targets(
        &mut self,
        root: &toml::Table,
        ids: &[String],
        kinds: &[Option<IndicatorKind>],
        head: &Head,
    ) -> Vec<Target> {
        let path = Path::root().key("targets");
        let Some(t) = root.get("targets").and_then(|v| self.r.table(&path, v)) else {
            return Vec::new();
        };
        let target_ids: Vec<&str> = t.keys().map(String::as_str).collect();
        let known = Known {
            ids,
            kinds,
            target_ids: &target_ids,
            head,
        };
        let mut out = Vec::new();
        for (id, tv) in t {
            let p = path.key(id);
            self.r.check_id(&p, id);
            if let Some(target) = self.target(&p, id, tv, &known) {
                out.push(target);
            }
        }
        out
    }

    fn target(&mut self, path: &Path, id: &str, v: &toml::Value, known: &Known) -> Option<Target> {
        let Known {
            ids,
            kinds,
            target_ids,
            head,
        } = *known;
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
                &tr!("a composite target (all/any)", "组合目标（all/any）"),
            );
            if t.contains_key("all") && t.contains_key("any") {
                self.r.error(
                    path,
                    tr!(
                        "a composite target takes `all` or `any`, not both",
                        "组合目标用 `all` 或 `any`，不可兼用"
                    ),
                );
                return None;
            }
            let all = t.contains_key("all");
            let key = if all { "all" } else { "any" };
            let mp = path.key(key);
            let Some(list) = t[key].as_array() else {
                self.r.error(
                    &mp,
                    tr!(
                        "expected an array of target ids, e.g. [\"output_300\", \"rd_2pct\"]",
                        "应为目标 id 的数组，例如 [\"output_300\", \"rd_2pct\"]"
                    ),
                );
                return None;
            };
            let mut members = Vec::new();
            for (k, m) in list.iter().enumerate() {
                let Some(name) = self.r.string(&mp.index(k), m) else {
                    continue;
                };
                match target_ids.iter().position(|x| *x == name) {
                    Some(_) if name == id => self.r.error(
                        &mp.index(k),
                        tr!("`{id}` cannot include itself", "`{id}` 不能包含自身"),
                    ),
                    Some(j) => members.push(j),
                    None => self.r.error_help(
                        &mp.index(k),
                        tr!("unknown target `{name}`", "没有目标 `{name}`"),
                        did_you_mean(name, target_ids.iter().copied()),
                    ),
                }
            }
            if members.is_empty() || members.len() != list.len() {
                if list.is_empty() {
                    self.r.error(
                        &mp,
                        tr!(
                            "a composite target needs at least one member",
                            "组合目标至少需要一个成员"
                        ),
                    );
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
                "above",
                "below",
                "unchecked",
                "tier",
                "all",
                "any",
            ],
            &tr!("a target", "目标"),
        );
        let indicator = self.r.req(
            path,
            t,
            "indicator",
            tr!(
                "the id of the indicator the target is about",
                "目标所属指标的 id"
            ),
            Reader::string,
        );
        let indicator =
            indicator.and_then(|name| self.r.indicator(&path.key("indicator"), name, ids));
        let names: Vec<&str> = Metric::ALL.iter().map(|m| m.name()).collect();
        let metric = match t.get("metric") {
            None => Some(Metric::Value),
            Some(v) => self
                .r
                .choice(&path.key("metric"), v, &names)
                .and_then(|n| Metric::ALL.into_iter().find(|m| m.name() == n)),
        };
        let given: Vec<Direction> = Direction::ALL
            .into_iter()
            .filter(|d| t.contains_key(d.name()))
            .collect();
        let threshold = match given.as_slice() {
            [d] => self
                .r
                .number(&path.key(d.name()), &t[d.name()])
                .map(|x| (x, *d)),
            [] => {
                self.r.error_help(
                    path,
                    tr!("missing threshold: `at_least = …`, `at_most = …`, `above = …` or `below = …`", "缺少门槛：`at_least = …`、`at_most = …`、`above = …` 或 `below = …`"),
                    Some(tr!("`at_least = 160` is 160 or more (达到); `above = 160` is more than 160 (突破, 超过)", "`at_least = 160` 即 160 及以上（达到）；`above = 160` 即超过 160（突破、超过）")),
                );
                None
            }
            many => {
                let keys: Vec<String> = many.iter().map(|d| format!("`{}`", d.name())).collect();
                self.r.error(
                    path,
                    Text::new(
                        format!("give one threshold, not {}", keys.join(" and ")),
                        format!("只能给一个门槛，不可同时给 {}", keys.join("、")),
                    ),
                );
                None
            }
        };
        let metric = metric?;
        let year_of = |r: &mut Reader, key: &str| r.opt(path, t, key, Reader::year);
        let (from, to) = if metric == Metric::Value {
            for key in ["from", "to"] {
                if t.contains_key(key) {
                    self.r.error_help(
                        &path.key(key),
                        tr!("`{key}` is for growth metrics; a value target uses `year`", "`{key}` 用于增长类指标；数值目标用 `year`"),
                        Some(tr!("set metric = \"cagr\" (or change, increase, min_growth, min_increase) to compare two years", "设 metric = \"cagr\"（或 change、increase、min_growth、min_increase）以比较两个年份")),
                    );
                }
            }
            let y = year_of(&mut self.r, "year").unwrap_or(head.horizon);
            (y, y)
        } else {
            if t.contains_key("year") {
                self.r.error_help(
                    &path.key("year"),
                    tr!(
                        "`year` is for value targets; a {m} target uses `from` and `to`",
                        "`year` 用于数值目标；{m} 目标用 `from` 和 `to`",
                        m = metric.name()
                    ),
                    None,
                );
            }
            let from = year_of(&mut self.r, "from").unwrap_or(head.base_year);
            let to = year_of(&mut self.r, "to").unwrap_or(head.horizon);
            if from >= to {
                self.r.error(
                    path,
                    tr!(
                        "`from` ({from}) must be before `to` ({to})",
                        "`from`（{from}）须早于 `to`（{to}）"
                    ),
                );
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
                tr!(
                    "{last} is after the horizon ({h})",
                    "{last} 在目标年（{h}）之后",
                    h = head.horizon
                ),
            );
            return None;
        }
        let (threshold, direction) = threshold?;
        let indicator = indicator?;
        if metric.is_entries() {
            if kinds[indicator] != Some(IndicatorKind::Count) {
                self.r.error(
                    &path.key("metric"),
                    tr!(
                        "`{m}` counts a count indicator's gross entries; `{id}` is a {k} indicator",
                        "`{m}` 统计计数指标的新增总数；`{id}` 是 {k} 类指标",
                        m = metric.name(),
                        id = ids[indicator],
                        k = kinds[indicator].map_or("invalid", IndicatorKind::name)
                    ),
                );
                return None;
            }
            if from < head.base_year {
                self.r.error_help(
                    &path.key("from"),
                    tr!("gross entries are simulated from the base year ({b}) on; {from} is before it", "新增总数从基期年（{b}）起模拟；{from} 在此之前", b = head.base_year),
                    Some(tr!("start the target at {b} or later", "请让目标从 {b} 或之后开始", b = head.base_year)),
                );
                return None;
            }
        }
        let unchecked = t
            .get("unchecked")
            .and_then(|v| self.r.boolean(&path.key("unchecked"), v))
            .unwrap_or(false);
        let share = kinds[indicator] == Some(IndicatorKind::Share);
        if !unchecked && threshold.abs() > 1.0 && (metric.is_rate() || share) {
            let what = if metric.is_rate() {
                tr!("a {m} threshold", "{m} 门槛", m = metric.name())
            } else {
                tr!("a share's threshold", "比重门槛")
            };
            self.r.error_help(
                &path.key(direction.name()),
                tr!(
                    "{what} of {threshold} is {pct:.0} %; rates and shares are fractions",
                    "{what} {threshold} 即 {pct:.0}%；比率和比重以小数表示",
                    what = what,
                    pct = threshold * 100.0
                ),
                Some(tr!(
                    "did you mean {y}? If {threshold} is meant, add `unchecked = true` to this target",
                    "是否想写 {y}？若确为 {threshold}，请在此目标中加 `unchecked = true`",
                    y = threshold / 100.0
                )),
            );
            return None;
        }
        Some(Target {
            id: id.to_string(),
            label,
            tier: tier?,
            kind: TargetKind::Stat(StatTarget {
                indicator,
                metric,
                from,
                to,
                threshold,
                direction,
            }),
        })
    }

    /// `[unmodelled.ID]`: the plan's targets that the scenario lists, with
    /// the reason, rather than drops.
    pub(super) fn unmodelled(&mut self, root: &toml::Table) -> Vec<Unmodelled> {
        let path = Path::root().key("unmodelled");
        let Some(t) = root.get("unmodelled").and_then(|v| self.r.table(&path, v)) else {
            return Vec::new();
        };
        let targets = root.get("targets").and_then(toml::Value::as_table);
        let mut out = Vec::new();
        for (id, v) in t {
            let p = path.key(id);
            self.r.check_id(&p, id);
            if targets.is_some_and(|t| t.contains_key(id)) {
                self.r.error(
                    &p,
                    tr!(
                        "`{id}` is a simulated target too; an id names one or the other",
                        "`{id}` 也是模拟目标；一个 id 只能指其中之一"
                    ),
                );
            }
            let Some(u) = self.r.table(&p, v) else {
                continue;
            };
            self.r.check_keys(
                &p,
                u,
                &["label", "why"],
                &tr!("an unmodelled target", "未模拟的目标"),
            );
            let label = self.r.req(
                &p,
                u,
                "label",
                tr!("the plan's words", "规划原文"),
                Reader::string,
            );
            let why = self.r.req(
                &p,
                u,
                "why",
                tr!(
                    "why the scenario does not simulate it",
                    "情景不模拟它的原因"
                ),
                Reader::string,
            );
            if let (Some(label), Some(why)) = (label, why) {
                out.push(Unmodelled {
                    id: id.clone(),
                    label: label.to_string(),
                    why: why.to_string(),
                });
            }
        }
        out
    }

    /// Targets that reach back before the base year need observed values there.
    pub(super) fn check_target_data(
        &mut self,
        targets: Vec<Target>,
        indicators: &[Indicator],
        base_year: i32,
        first_year: i32,
    ) -> Vec<Target> {
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
                let p = Path::root().key("targets").key(&t.id);
                let years: Vec<String> = missing.iter().map(|y| y.to_string()).collect();
                self.r.error_help(
                    &p,
                    tr!("needs `{id}` in {y}, before the base year, but it has no observed value there", "需要 `{id}` 在基期年之前的 {y} 的值，但那里没有观测值", id = ind.id, y = years.join(", ")),
                    Some(tr!("add those years to indicators.{id}.history, or start the target later", "请把这些年份加入 indicators.{id}.history，或让目标晚些开始", id = ind.id)),
                );
            }
        }
        targets
    }

    /// Statistic targets in file order, then composites once their members are known.
    pub(super) fn target_order(&mut self, targets: &[Target]) -> Option<Vec<usize>> {
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
                    tr!(
                        "composite targets include each other in a cycle: {s}",
                        "组合目标循环包含：{s}",
                        s = stuck.join(", ")
                    ),
                );
                return None;
            }
        }
    }
}
