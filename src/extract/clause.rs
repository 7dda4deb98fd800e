//! One clause of a plan: whether it states a target, and if so its number,
//! unit, comparison, metric and indicator.

use super::rules::{self, Measure, UnitKind};
use super::{is_han, quantity, text, Found, Plan};
use crate::model::Direction;

/// A number with its unit at the end of a clause, the comparison after it,
/// and where the number starts.
pub(super) struct Tail {
    value: f64,
    unit: &'static str,
    kind: UnitKind,
    scale: f64,
    suffix: Option<Direction>,
    approximate: bool,
    pub(super) start: usize,
}

pub(super) fn tail(clause: &str) -> Option<Tail> {
    let mut s = clause.trim_end_matches([' ', ')', '(', '”', '"', '」', '等', '。']);
    // "…30%的比例配置", "…2000亿元的目标": the number is the target's.
    if let Some(i) = s.rfind('的') {
        let after = &s[i + '的'.len_utf8()..];
        let ends_in_unit = rules::UNITS.iter().any(|(u, _, _)| s[..i].ends_with(u));
        if ends_in_unit && after.chars().count() <= 6 && after.chars().all(is_han) {
            s = &s[..i];
        }
    }
    let mut suffix = None;
    let mut approximate = false;
    for (w, d) in rules::SUFFIXES {
        if let Some(rest) = s.strip_suffix(w) {
            suffix = Some(d);
            approximate = w == "左右";
            s = rest;
            break;
        }
    }
    let (unit, kind, scale) = rules::UNITS
        .iter()
        .find(|(u, _, _)| s.ends_with(u))
        .copied()?;
    let s = &s[..s.len() - unit.len()];
    // The number: ASCII digits and a point, or Chinese numerals.
    let digits_start = s
        .char_indices()
        .rev()
        .take_while(|(_, c)| c.is_ascii_digit() || *c == '.')
        .last()
        .map(|(i, _)| i);
    let (value, start) = match digits_start {
        Some(i) => (s[i..].parse::<f64>().ok()?, i),
        // 千亿, 百亿 are numbers in themselves ("迈上千亿").
        None if scale > 1.0 && unit.chars().count() == 2 && kind == UnitKind::Level => {
            (1.0, s.len())
        }
        None => {
            let i = s
                .char_indices()
                .rev()
                .take_while(|(_, c)| "零一二两三四五六七八九十百千".contains(*c))
                .last()
                .map(|(i, _)| i)?;
            (text::chinese_number(&s[i..])?, i)
        }
    };
    // A range (5—10亿元) or a year (2025年) is not a target's number.
    if s[..start].ends_with('—') || s[..start].ends_with('-') {
        return None;
    }
    Some(Tail {
        value,
        unit,
        kind,
        scale,
        suffix,
        approximate,
        start,
    })
}

/// Words before a number that make "N家以上X" a target: 新增2家以上省级工业设计中心.
const COUNT_VERBS: [&str; 13] = [
    "新增", "培育", "打造", "实现", "推动", "建成", "形成", "引进", "招引", "共", "完成", "引导",
    "提取",
];

/// A count stated before its noun ("新增5家以上省级企业技术中心"): the number
/// as a tail, and the noun as the subject.
fn inner(clause: &str) -> Option<(Tail, String)> {
    // "30%以上达到能效标杆水平": a share stated first.
    let lead = clause.trim_start();
    let digits = lead
        .find(|c: char| !(c.is_ascii_digit() || c == '.'))
        .unwrap_or(0);
    if digits > 0 && lead[digits..].starts_with('%') {
        let rest = lead[digits + 1..].trim_start_matches("以上");
        if let Some(noun) = rest.strip_prefix("达到") {
            let value = lead[..digits].parse::<f64>().ok()?;
            let tail = Tail {
                value,
                unit: "%",
                kind: UnitKind::Percent,
                scale: 0.01,
                suffix: Some(Direction::AtLeast),
                approximate: false,
                start: clause.len() - lead.len(),
            };
            return Some((tail, clean(noun)));
        }
    }
    let mut search = 0;
    while let Some(i) = clause[search..]
        .find(|c: char| c.is_ascii_digit())
        .map(|i| i + search)
    {
        let end = clause[i..]
            .find(|c: char| !(c.is_ascii_digit() || c == '.'))
            .map_or(clause.len(), |j| i + j);
        search = end;
        let Ok(value) = clause[i..end].parse::<f64>() else {
            continue;
        };
        let after = &clause[end..];
        // Counts ("5家"), and shares with 以上 ("提取0.5%以上作为…").
        let Some(&(unit, kind, scale)) = rules::UNITS.iter().find(|(u, k, _)| {
            after.starts_with(u)
                && (*k == UnitKind::Count
                    || (*k == UnitKind::Percent && after[u.len()..].starts_with("以上")))
        }) else {
            continue;
        };
        let mut rest = &after[unit.len()..];
        let mut suffix = None;
        let mut approximate = false;
        for (w, d) in rules::SUFFIXES {
            if let Some(r) = rest.strip_prefix(w) {
                rest = r;
                suffix = Some(d);
                approximate = w == "左右";
                break;
            }
        }
        let noun = clean(rest.trim_start_matches('的'));
        let verb = COUNT_VERBS.iter().any(|v| clause[..i].contains(v));
        if verb && noun.chars().filter(|&c| is_han(c)).count() >= 2 && !clause[..i].ends_with('—')
        {
            let tail = Tail {
                value,
                unit,
                kind,
                scale,
                suffix,
                approximate,
                start: i,
            };
            return Some((tail, noun));
        }
    }
    None
}

/// Where a clause stands: its line, the year and tier in force.
#[derive(Clone, Copy)]
pub(super) struct At {
    pub(super) line: usize,
    pub(super) year: Option<i32>,
    pub(super) stretch: bool,
}

/// What a sentence's earlier clauses leave to the next: the quantity it is
/// about, and the comparison of its last target.
#[derive(Default)]
pub(super) struct Carried {
    pub(super) subject: Option<usize>,
    comparison: Option<(Direction, Measure)>,
}

pub(super) fn read_clause(
    plan: &mut Plan,
    at: At,
    clause: &str,
    carried: &mut Carried,
    keep_subject: bool,
) {
    let At {
        line,
        year,
        stretch,
    } = at;
    let Carried {
        subject,
        comparison,
    } = carried;
    let (t, named) = match tail(clause) {
        Some(t) => (t, None),
        None => match inner(clause) {
            Some((t, noun)) => (t, Some(noun)),
            None => return,
        },
    };
    if t.unit == "倍" {
        plan.unplaced.push((
            line,
            clause.trim().to_string(),
            crate::tr!(
                "a number in {u} that no metric here measures",
                "以{u}计的数，没有可衡量它的指标",
                u = t.unit
            ),
        ));
        return;
    }
    let head = &clause[..t.start];
    // Target words: without one, a number is a fact, not a target.
    // The comparator nearest the number, except a 超 or 达 that begins a
    // name ("超百亿元企业7家": firms above 100亿, seven of them).
    let comparator = rules::COMPARATORS
        .iter()
        .filter_map(|(w, d)| head.rfind(w).map(|i| (i, *w, *d)))
        .filter(|(i, w, _)| {
            let after = &head[i + w.len()..];
            !(w.chars().count() == 1
                && !after.is_empty()
                && after.starts_with(|c: char| "百千万亿".contains(c) || c.is_ascii_digit()))
        })
        .max_by_key(|(i, w, _)| (*i, w.len()));
    let measure = rules::MEASURES
        .iter()
        .find(|(w, _)| head.contains(w))
        .map(|(_, m)| *m);
    // A count stated before its noun has its verb (新增, 培育 …) before it.
    let listed = named.is_none() && comparator.is_none() && measure.is_none() && t.suffix.is_none();
    if listed && comparison.is_none() {
        return;
    }
    // Without a year before it, a target is for the plan's horizon (0 here,
    // set once the horizon is known).
    let year = year.unwrap_or(0);
    // A past value: "从2014年的0.68%提升到1.0%".
    let past = history(head);
    let name = if keep_subject {
        None
    } else {
        named.or_else(|| subject_name(head, comparator.map(|c| (c.0, c.1))))
    };
    let quantity = match name {
        Some(name) => {
            // 千亿 and 百亿 are amounts in 亿元.
            let unit = match t.unit {
                "千亿" | "百亿" | "亿" => "亿元",
                u => u,
            };
            let q = quantity(plan, &name, unit, t.kind, line);
            *subject = Some(q);
            q
        }
        None => match *subject {
            Some(q) => q,
            None => {
                plan.unplaced.push((
                    line,
                    clause.trim().to_string(),
                    crate::tr!(
                        "no indicator named before the number",
                        "数字之前没有指明指标"
                    ),
                ));
                return;
            }
        },
    };
    // In the scenario's terms; a percentage read as "0.68e-2", which is
    // 0.0068 to the last digit (0.68 / 100 and 0.68 × 0.01 are not).
    let scaled = |v: f64| {
        if t.kind == UnitKind::Percent {
            format!("{v}e-2").parse().unwrap_or(v / 100.0)
        } else {
            v * t.scale
        }
    };
    if let Some((y, v)) = past {
        plan.indicators[quantity].history.push((y, scaled(v), line));
    }
    // A value for a year up to the base year ("2022年…实现…X亿元") is what
    // happened, not a target: it is the indicator's history (or base).
    if year > 0 && year <= plan.base_year && measure.is_none_or(|m| m == Measure::Value) {
        plan.indicators[quantity]
            .history
            .push((year, scaled(t.value), line));
        return;
    }
    let measure = match (listed, *comparison) {
        (true, Some((_, m))) => m,
        _ => measure.unwrap_or(Measure::Value),
    };
    if t.kind == UnitKind::Percent
        && matches!(
            measure,
            Measure::YearlyGrowth | Measure::Growth | Measure::Fall
        )
    {
        plan.indicators[quantity].growth_only = true;
    }
    let direction = match (measure, t.suffix, comparator, *comparison) {
        (Measure::Fall, _, _, _) => Direction::AtMost,
        (_, Some(d), _, _) => d,
        (_, None, Some((_, _, d)), _) => d,
        (_, None, None, Some((d, _))) => d,
        _ => Direction::AtLeast,
    };
    *comparison = Some((direction, measure));
    let sign = if measure == Measure::Fall { -1.0 } else { 1.0 };
    let threshold = sign * scaled(t.value);
    plan.targets.push(Found {
        label: clause.trim().to_string(),
        line,
        quantity,
        measure,
        direction,
        threshold,
        year,
        stretch,
        approximate: t.approximate,
    });
}

/// The year and value of a past figure in the words before a target's number.
fn history(head: &str) -> Option<(i32, f64)> {
    let i = head.find("从")?;
    let rest = &head[i + "从".len()..];
    let y: i32 = rest.get(..4)?.parse().ok()?;
    let after = rest
        .get(4..)?
        .trim_start_matches('年')
        .trim_start_matches('的');
    let digits: String = after
        .chars()
        .take_while(|c| c.is_ascii_digit() || *c == '.')
        .collect();
    Some((y, digits.parse().ok()?))
}

/// The indicator a clause is about: the words before its comparator (or
/// after it, when nothing stands before), without year phrases, 力争, 全县 …
fn subject_name(head: &str, comparator: Option<(usize, &str)>) -> Option<String> {
    let mut s = match comparator {
        Some((i, w)) => {
            let before = clean(&head[..i]);
            if before.chars().count() >= 2 {
                before
            } else {
                clean(&head[i + w.len()..])
            }
        }
        None => clean(head),
    };
    for (w, _) in rules::MEASURES {
        s = s.replace(w, "");
    }
    let s = clean(&s);
    (s.chars().count() >= 2 && s.chars().any(is_han)).then_some(s)
}

/// Without year phrases, leading noise and trailing particles.
pub(super) fn clean(s: &str) -> String {
    // A past value's phrase (从2014年的0.68%) is not part of the name.
    let s = s.find('从').map_or(s, |i| &s[..i]);
    let mut s = s.trim().to_string();
    // 到2025年, 2027年, 从2014年的0.68%.
    loop {
        let before = s.clone();
        if let Some(i) = s.find('年') {
            let head: String = s[..i]
                .chars()
                .rev()
                .take(5)
                .collect::<Vec<_>>()
                .into_iter()
                .rev()
                .collect();
            let digits: String = head.chars().filter(char::is_ascii_digit).collect();
            if digits.len() == 4 {
                let start = s[..i]
                    .rfind(|c: char| !c.is_ascii_digit() && c != '到' && c != '至' && c != '从')
                    .map_or(0, |j| j + s[j..].chars().next().map_or(1, char::len_utf8));
                let mut end = i + '年'.len_utf8();
                if s[end..].starts_with("末") || s[end..].starts_with("底") {
                    end += '末'.len_utf8();
                }
                s.replace_range(start..end, "");
            }
        }
        for w in rules::SUBJECT_NOISE {
            if let Some(rest) = s.strip_prefix(w) {
                s = rest.to_string();
            }
        }
        s = s
            .trim_matches([' ', '，', '、', '的', '“', '”', '"'])
            .to_string();
        if let Some(i) = s.find("从") {
            s.truncate(i);
        }
        if s == before {
            return s;
        }
    }
}
