//! `dabiao extract`: a draft scenario from a plan's own text. Rule-based and
//! transparent: the plan is cut into sentences and clauses; a clause that
//! ends in a number with a unit (300亿元, 20%以上, 160家) is a target, whose
//! indicator is the words before its comparator, whose year is the latest
//! 到20XX年 before it, and whose tier is 力争 or not. The rules are tables in
//! [`rules`]; the same text always gives the same draft.

mod clause;
mod draft;
pub mod rules;
pub mod text;

use clause::{clean, read_clause, tail, At, Carried};
use rules::{Measure, UnitKind};

use crate::model::Direction;
use crate::text::Text;
use crate::tr;

pub use draft::render;

/// A plan read into targets.
#[derive(Debug, Clone, PartialEq)]
pub struct Plan {
    pub title: Option<String>,
    /// The 文号, e.g. 阳府〔2023〕14号.
    pub number: Option<String>,
    pub region: Option<String>,
    pub base_year: i32,
    pub horizon: i32,
    pub indicators: Vec<Quantity>,
    pub targets: Vec<Found>,
    /// Clauses with a number that looked like a target but could not be
    /// placed: `(line, quote, why)`.
    pub unplaced: Vec<(usize, String, Text)>,
    /// Each quantity's index by name, while reading.
    names: std::collections::HashMap<String, usize>,
}

/// A quantity the targets talk about.
#[derive(Debug, Clone, PartialEq)]
pub struct Quantity {
    pub name: String,
    pub unit: String,
    pub kind: UnitKind,
    /// Whether its targets are growth rates (then it is a level, an index).
    pub growth_only: bool,
    /// The line it is first named on.
    pub line: usize,
    /// Past values the text states: `(year, value, line)`.
    pub history: Vec<(i32, f64, usize)>,
}

/// One target as found.
#[derive(Debug, Clone, PartialEq)]
pub struct Found {
    /// The plan's words.
    pub label: String,
    pub line: usize,
    /// Index into `Plan::indicators`.
    pub quantity: usize,
    pub measure: Measure,
    pub direction: Direction,
    /// In the scenario's terms (20 % as 0.2).
    pub threshold: f64,
    pub year: i32,
    pub stretch: bool,
    /// "左右": about, read as at least.
    pub approximate: bool,
}

/// Reads a plan's text (already decoded).
pub fn read(text: &str) -> Result<Plan, Text> {
    let text = text::normalise(&text::strip_html(text));
    let lines: Vec<&str> = text.lines().collect();
    let (title, number) = title(&lines);
    let base_year = base_year(&lines, title.as_deref(), number.as_deref());
    let mut plan = Plan {
        region: title.as_deref().and_then(region),
        title,
        number,
        base_year,
        horizon: base_year + 5,
        indicators: Vec::new(),
        targets: Vec::new(),
        unplaced: Vec::new(),
        names: Default::default(),
    };
    for (k, line) in lines.iter().enumerate() {
        read_paragraph(&mut plan, k + 1, line);
    }
    if plan.targets.is_empty() {
        return Err(tr!(
            "no quantitative target found (a number with a unit, such as 300亿元 or 20%以上, after 到20XX年 or 达到)",
            "未找到量化目标（“到20XX年”或“达到”之后带单位的数，如 300亿元、20%以上）"
        ));
    }
    if let Some(last) = plan.targets.iter().map(|t| t.year).max().filter(|&y| y > 0) {
        plan.horizon = last.max(base_year + 1);
    }
    for t in plan.targets.iter_mut().filter(|t| t.year == 0) {
        t.year = plan.horizon;
    }
    drop_repeats(&mut plan);
    Ok(plan)
}

/// Plans restate their headline targets in the body: the same number, year
/// and measure of the same (or a contained) name is one target, kept where
/// it first appears.
fn drop_repeats(plan: &mut Plan) {
    let mut kept: Vec<Found> = Vec::new();
    // Kept targets by what a repeat must share: number, year, measure, unit.
    let mut by_key: std::collections::HashMap<(u64, i32, Measure, String), Vec<usize>> =
        Default::default();
    for t in std::mem::take(&mut plan.targets) {
        let here = &plan.indicators[t.quantity];
        let key = (t.threshold.to_bits(), t.year, t.measure, here.unit.clone());
        let same = by_key.entry(key).or_default();
        let repeated = same.iter().any(|&k| {
            let there = &plan.indicators[kept[k].quantity];
            there.name.contains(&here.name) || here.name.contains(&there.name)
        });
        if !repeated {
            same.push(kept.len());
            kept.push(t);
        }
    }
    plan.targets = kept;
}

/// The plan's title and 文号, from the first lines that look like them.
fn title(lines: &[&str]) -> (Option<String>, Option<String>) {
    let kinds = [
        "实施方案",
        "实施意见",
        "行动方案",
        "行动计划",
        "规划",
        "方案",
        "意见",
    ];
    let title = lines.iter().take(60).find_map(|l| {
        let l = l.rsplit('>').next().unwrap_or(l).trim();
        (l.chars().count() < 150 && kinds.iter().any(|k| l.contains(k)) && !l.starts_with("索引号"))
            .then(|| l.to_string())
    });
    let number = lines.iter().take(80).find_map(|l| {
        let open = l.find('〔')?;
        let close = l[open..].find('号')? + open + '号'.len_utf8();
        let start = l[..open]
            .char_indices()
            .rev()
            .take_while(|(_, c)| is_han(*c))
            .last()
            .map_or(open, |(i, _)| i);
        Some(l[start..close].to_string())
    });
    (title, number)
}

/// The year before the plan's first: from a period in the title
/// (2023-2027年), else from the 文号's year, else from the first 到20XX年.
fn base_year(lines: &[&str], title: Option<&str>, number: Option<&str>) -> i32 {
    let years = |s: &str| -> Vec<i32> {
        let mut out = Vec::new();
        let chars: Vec<char> = s.chars().collect();
        let mut k = 0;
        while k + 4 <= chars.len() {
            let digits: String = chars[k..k + 4].iter().collect();
            if chars[k..k + 4].iter().all(char::is_ascii_digit)
                && (k == 0 || !chars[k - 1].is_ascii_digit())
                && chars.get(k + 4).is_none_or(|c| !c.is_ascii_digit())
            {
                if let Ok(y) = digits.parse::<i32>() {
                    if (1990..=2100).contains(&y) {
                        out.push(y);
                    }
                }
                k += 4;
            } else {
                k += 1;
            }
        }
        out
    };
    if let Some(first) = title.map(years).and_then(|y| y.first().copied()) {
        return first - 1;
    }
    if let Some(y) = number.map(years).and_then(|y| y.first().copied()) {
        return y - 1;
    }
    lines
        .iter()
        .find_map(|l| l.find("到20").and_then(|i| years(&l[i..]).first().copied()))
        .map_or(2024, |y| y - 5)
}

/// The place: the first 市, 县 or 区 named in the title.
fn region(title: &str) -> Option<String> {
    let t = title.trim_start_matches("中共");
    let chars: Vec<char> = t.chars().collect();
    let at = chars
        .iter()
        .position(|&c| matches!(c, '市' | '县' | '区'))?;
    let start = at.saturating_sub(2);
    let name: String = chars[start..=at].iter().collect();
    name.chars().all(is_han).then_some(name)
}

fn is_han(c: char) -> bool {
    ('\u{4e00}'..='\u{9fff}').contains(&c)
}

/// The targets of one paragraph: sentences, each cut into clauses.
fn read_paragraph(plan: &mut Plan, line: usize, paragraph: &str) {
    if rules::NOT_TARGETS.iter().any(|w| paragraph.contains(w)) && paragraph.chars().count() < 80 {
        return;
    }
    let mut year = None;
    for sentence in paragraph.split(['。', '；', ';', '!', '！']) {
        let stretch_from = rules::STRETCH.iter().filter_map(|w| sentence.find(w)).min();
        // The subject, and the comparison of the sentence's last target for
        // a clause that only lists a further number ("…研究院5个、…中心8个").
        let mut carried = Carried::default();
        // The quantities of the sentence's targets, in order.
        let mut seen: Vec<usize> = Vec::new();
        let mut offset = 0;
        // How far the sentence has been searched for years: each part once,
        // however long the sentence.
        let mut scanned = 0;
        for clause in clauses(sentence) {
            // Where the clause ends in the sentence (a clause rebuilt from
            // "分别" is not found: the text up to the last one is used).
            let (at, end) = match sentence[offset..].find(clause.as_str()) {
                Some(i) => (offset + i, offset + i + clause.len()),
                None => (offset, offset),
            };
            offset = at;
            let newly = if end > scanned {
                &sentence[scanned..end]
            } else {
                clause.as_str()
            };
            if let Some(y) = last_year(newly) {
                year = Some(y);
            }
            scanned = scanned.max(end);
            if rules::NOT_TARGETS.iter().any(|w| clause.contains(w)) {
                continue;
            }
            let stretch = stretch_from.is_some_and(|s| s <= at);
            let mut clause = clause;
            if let Some(rest) = clause.strip_prefix(BACK) {
                let (back, rest) = rest.split_once(BACK).unwrap_or(("1", rest));
                let back: usize = back.parse().unwrap_or(1);
                carried.subject = seen.len().checked_sub(back).map(|k| seen[k]);
                clause = rest.to_string();
                // The subject is known: no name is read from the clause.
                let at = At {
                    line,
                    year,
                    stretch,
                };
                read_clause(plan, at, &clause, &mut carried, true);
                continue;
            }
            if let Some(rest) = clause.strip_prefix(DOUBLING) {
                let (name, words) = rest.split_once(DOUBLING).unwrap_or((rest, rest));
                let q = quantity(plan, name, "", UnitKind::Count, line);
                plan.targets.push(Found {
                    label: words.trim().to_string(),
                    line,
                    quantity: q,
                    measure: Measure::Doubling,
                    direction: Direction::AtLeast,
                    threshold: 1.0,
                    year: year.unwrap_or(0),
                    stretch,
                    approximate: false,
                });
                continue;
            }
            let before = plan.targets.len();
            let at = At {
                line,
                year,
                stretch,
            };
            read_clause(plan, at, &clause, &mut carried, false);
            if plan.targets.len() > before {
                seen.push(plan.targets[before].quantity);
            }
        }
    }
}

/// Marks a clause whose subject is the n-th last of its sentence's subjects.
const BACK: char = '\u{1}';

/// A sentence's clauses: cut at commas, colons and enumeration commas,
/// except that "A和B分别达到10家、30家" becomes "A达到10家" and "B达到30家".
fn clauses(sentence: &str) -> Vec<String> {
    let mut out = Vec::new();
    for part in sentence.split(['，', ',', '：', ':', '(', ')']) {
        if let Some(at) = part.find("分别") {
            let (subjects, rest) = (&part[..at], &part[at + "分别".len()..]);
            let verb_end = rest
                .char_indices()
                .find(|(_, c)| c.is_ascii_digit() || text::chinese_number(&c.to_string()).is_some())
                .map_or(0, |(i, _)| i);
            let (verb, numbers) = rest.split_at(verb_end);
            let names: Vec<&str> = subjects.split(['和', '、']).collect();
            let values: Vec<&str> = numbers.split('、').collect();
            // "…，分别达350家、170家、7家": the names are the sentence's
            // earlier subjects, marked for read_paragraph by how far back.
            if clean(subjects).is_empty() && values.len() > 1 {
                for (k, v) in values.iter().enumerate() {
                    out.push(format!("{BACK}{}{BACK}{verb}{v}", values.len() - k));
                }
                continue;
            }
            if names.len() == values.len() && names.len() > 1 {
                // A shared tail ("国家级和省级专精特新企业"): the last name's
                // words after its qualifier belong to every name.
                let tail = common_tail(&names);
                for (n, v) in names.iter().zip(values) {
                    let name = if n.ends_with(tail.as_str()) {
                        n.to_string()
                    } else {
                        format!("{n}{tail}")
                    };
                    out.push(format!("{name}{verb}{v}"));
                }
                continue;
            }
        }
        out.extend(parallel(part));
    }
    out.retain(|c| !c.trim().is_empty());
    out
}

/// A part's enumerated clauses. "建有研发机构、开展研发活动企业占…比重达42%、
/// 63%以上" pairs its names with its numbers in order; "A、B和C实现四个倍增"
/// gives each name a doubling.
fn parallel(part: &str) -> Vec<String> {
    let segs: Vec<&str> = part.split('、').collect();
    let has_digit = |s: &str| s.chars().any(|c| c.is_ascii_digit());
    if part.contains("实现") && part.contains("倍增") && !has_digit(part) {
        let names = part[..part.find("倍增").unwrap_or(part.len())]
            .split(['、', '和'])
            .map(|n| n.split("实现").next().unwrap_or(n).trim().to_string())
            .filter(|n| n.chars().filter(|&c| is_han(c)).count() >= 2);
        return names
            .map(|n| format!("{DOUBLING}{n}{DOUBLING}{part}"))
            .collect();
    }
    let names = segs.iter().take_while(|s| !has_digit(s)).count();
    let bare = segs
        .iter()
        .rev()
        .take_while(|s| s.starts_with(|c: char| c.is_ascii_digit()))
        .count();
    if names >= 1 && bare == names && names + 1 + bare == segs.len() {
        let numbered = segs[names];
        if let Some(t) = tail(numbered) {
            let head = &numbered[..t.start];
            let verb = rules::COMPARATORS
                .iter()
                .filter_map(|(w, _)| head.rfind(w).map(|i| &head[i..]))
                .min_by_key(|v| v.len())
                .unwrap_or("");
            let mut out: Vec<String> = segs[..names]
                .iter()
                .zip(std::iter::once(&numbered[t.start..]).chain(segs[names + 1..].iter().copied()))
                .map(|(n, v)| format!("{n}{verb}{v}"))
                .collect();
            out.push(format!("{head}{}", segs[segs.len() - 1]));
            return out;
        }
    }
    segs.iter().map(|s| s.to_string()).collect()
}

/// Marks a clause that names a doubling (倍增) of one quantity: the name
/// between two marks, then the plan's words.
const DOUBLING: char = '\u{2}';

/// What the last of several names adds after a qualifier like 级: in
/// "国家级、省级专精特新企业", "专精特新企业".
fn common_tail(names: &[&str]) -> String {
    let last = names.last().copied().unwrap_or("");
    match last.find('级') {
        Some(i) if names[..names.len() - 1].iter().all(|n| n.ends_with('级')) => {
            last[i + '级'.len_utf8()..].to_string()
        }
        _ => String::new(),
    }
}

/// The last year named in `s` as 20XX年 (not a past value's 从20XX年的).
fn last_year(s: &str) -> Option<i32> {
    let mut found = None;
    let mut rest = s;
    while let Some(i) = rest.find('年') {
        let before: String = rest[..i]
            .chars()
            .rev()
            .take(4)
            .collect::<Vec<_>>()
            .into_iter()
            .rev()
            .collect();
        let after = &rest[i + '年'.len_utf8()..];
        if before.len() == 4
            && before.chars().all(|c| c.is_ascii_digit())
            && !after.starts_with('的')
        {
            let y: i32 = before.parse().unwrap_or(0);
            if (1990..=2100).contains(&y) && !rest[..i].ends_with(&format!("从{y}")) {
                found = Some(y);
            }
        }
        rest = after;
    }
    found
}

/// The index of the quantity named `name`, added if new.
fn quantity(plan: &mut Plan, name: &str, unit: &str, kind: UnitKind, line: usize) -> usize {
    if let Some(&i) = plan.names.get(name) {
        return i;
    }
    plan.names.insert(name.to_string(), plan.indicators.len());
    plan.indicators.push(Quantity {
        name: name.to_string(),
        unit: unit.to_string(),
        kind,
        growth_only: false,
        line,
        history: Vec::new(),
    });
    plan.indicators.len() - 1
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_value_up_to_the_base_year_is_history_not_a_target() {
        let plan = read(
            "阳江市高质量建设制造强市实施方案 (阳府〔2023〕14号)\n\
             2021年,全市制造业增加值实现260亿元。到2027年,全市制造业增加值突破350亿元。\n",
        )
        .unwrap();
        assert_eq!(plan.base_year, 2022);
        assert_eq!(plan.targets.len(), 1);
        assert_eq!(plan.indicators[0].history, [(2021, 260.0, 2)]);
    }

    #[test]
    fn a_target_sentence_becomes_targets() {
        let plan = read(
            "关于全力打造制造业强县的实施意见 (隽发〔2022〕12号)\n\
             到2025年,力争全县工业总产值达到300亿元、年均增长20%以上;规模以上工业企业突破160家,国家级和省级专精特新企业分别达到10家、30家。\n\
             到2024年末,规模以上工业企业研发投入占营业务收入比重从2020年的0.68%提升到1.0%。\n\
             每年新增规模工业企业20家以上。\n\
             对新引进人才给予企业10万元/人奖励。",
        )
        .unwrap();
        assert_eq!(plan.base_year, 2021);
        assert_eq!(plan.number.as_deref(), Some("隽发〔2022〕12号"));
        let summary: Vec<(String, f64, Direction, bool)> = plan
            .targets
            .iter()
            .map(|t| {
                (
                    plan.indicators[t.quantity].name.clone(),
                    t.threshold,
                    t.direction,
                    t.stretch,
                )
            })
            .collect();
        assert_eq!(
            summary,
            [
                ("工业总产值".to_string(), 300.0, Direction::AtLeast, true),
                ("工业总产值".to_string(), 0.2, Direction::AtLeast, true),
                (
                    "规模以上工业企业".to_string(),
                    160.0,
                    Direction::Above,
                    false
                ),
                (
                    "国家级专精特新企业".to_string(),
                    10.0,
                    Direction::AtLeast,
                    false
                ),
                (
                    "省级专精特新企业".to_string(),
                    30.0,
                    Direction::AtLeast,
                    false
                ),
                (
                    "规模以上工业企业研发投入占营业务收入比重".to_string(),
                    0.01,
                    Direction::AtLeast,
                    false
                ),
                ("规模工业企业".to_string(), 20.0, Direction::AtLeast, false),
            ]
        );
        assert_eq!(plan.targets[1].measure, Measure::YearlyGrowth);
        assert_eq!(plan.targets[6].measure, Measure::EachYear);
        assert_eq!(plan.targets[5].year, 2024);
        assert_eq!(plan.indicators[4].history, [(2020, 0.0068, 3)]);
    }
}
