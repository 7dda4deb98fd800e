//! A read plan as a draft scenario: every target found, every indicator it
//! needs, and a placeholder (`"TODO: …"`, which `check` refuses with what is
//! missing) wherever a base or a belief must come from the economist.

use super::rules::{Measure, UnitKind, NAMES};
use super::{Found, Plan, Quantity};
use crate::report::words::Lang;
use crate::scenario::reader::PLACEHOLDER;
use crate::text::Text;
use crate::tr;

/// What a draft holds, for the summary on standard error.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Counts {
    pub targets: usize,
    pub floor: usize,
    pub stretch: usize,
    /// Targets on a value in a year, on growth (yearly or over the period),
    /// each year's floor, and additions or doublings.
    pub values: usize,
    pub growth: usize,
    pub yearly: usize,
    pub additions: usize,
    pub indicators: usize,
    pub placeholders: usize,
    pub unplaced: usize,
}

/// The draft's TOML, its comments and placeholders in `lang`, and what it holds.
pub fn render(plan: &Plan, source: &str, lang: Lang) -> (String, Counts) {
    let say = |t: Text| t.get(lang).to_string();
    let ids = ids(&plan.indicators);
    let mut out = String::new();
    let mut counts = Counts {
        targets: plan.targets.len(),
        stretch: plan.targets.iter().filter(|t| t.stretch).count(),
        indicators: plan.indicators.len(),
        unplaced: plan.unplaced.len(),
        ..Counts::default()
    };
    counts.floor = counts.targets - counts.stretch;
    for t in &plan.targets {
        match t.measure {
            Measure::Value => counts.values += 1,
            Measure::YearlyGrowth | Measure::Growth | Measure::Fall => counts.growth += 1,
            Measure::EachYear => counts.yearly += 1,
            Measure::Added | Measure::Doubling => counts.additions += 1,
        }
    }
    out.push_str(&say(tr!(
        "# A draft scenario from {source}, written by `dabiao extract`.\n\
         # Every target the plan states is below, in its own words, with the line it is on.\n\
         # Values marked \"{PLACEHOLDER} …\" are not in the plan: give each a value or a\n\
         # range with its source (`dabiao check` lists them). Check every target's reading.\n\n",
        "# 由 `dabiao extract` 根据 {source} 写出的情景草稿。\n\
         # 规划列出的每个目标都在下面，用其原文，并注明所在行。\n\
         # 标为 \"{PLACEHOLDER} …\" 的值规划中没有：请给出数值或区间及其来源\n\
         # （`dabiao check` 会列出它们）。请逐一核对每个目标的解读。\n\n"
    )));
    let title = plan
        .title
        .clone()
        .unwrap_or_else(|| say(tr!("plan", "规划")));
    out.push_str("[scenario]\n");
    out.push_str(&format!("name = {}\n", quote(&title)));
    let document = match &plan.number {
        Some(n) if !title.contains(n.as_str()) => format!("{title} ({n})"),
        _ => title.clone(),
    };
    out.push_str(&format!("document = {}\n", quote(&document)));
    if let Some(r) = &plan.region {
        out.push_str(&say(tr!(
            "region = {r}  # inferred from the title\n",
            "region = {r}  # 由标题推断\n",
            r = quote(r)
        )));
    }
    out.push_str(&say(tr!(
        "base_year = {y}  # inferred: the year before the plan's period (or its 文号's year)\n",
        "base_year = {y}  # 推断：规划期前一年（或文号年份）\n",
        y = plan.base_year
    )));
    out.push_str(&say(tr!(
        "horizon = {y}  # inferred: the latest target year\n\n",
        "horizon = {y}  # 推断：最晚的目标年份\n\n",
        y = plan.horizon
    )));
    for (k, (q, id)) in plan.indicators.iter().zip(&ids).enumerate() {
        match ratio_of(&plan.indicators, k) {
            Some((a, b)) => {
                out.push_str(&format!("[indicators.{id}]\n"));
                out.push_str(&say(tr!(
                    "kind = \"formula\"  # a share of two indicators the plan also targets\n",
                    "kind = \"formula\"  # 规划另有目标的两个指标之比\n"
                )));
                out.push_str(&format!("label = {}\nunit = \"share\"\n", quote(&q.name)));
                out.push_str(&format!(
                    "source = {}\n",
                    quote(&format!(
                        "{} ÷ {}",
                        plan.indicators[a].name, plan.indicators[b].name
                    ))
                ));
                out.push_str(&format!("formula = \"{} / {}\"\n\n", ids[a], ids[b]));
            }
            None => indicator(
                &mut out,
                q,
                id,
                plan.base_year,
                &mut counts.placeholders,
                lang,
            ),
        }
    }
    for (k, t) in plan.targets.iter().enumerate() {
        target(
            &mut out,
            k + 1,
            t,
            &ids[t.quantity],
            &plan.indicators[t.quantity],
            plan.base_year,
            lang,
        );
    }
    for (k, (line, quote_text, why)) in plan.unplaced.iter().enumerate() {
        out.push_str(&say(tr!(
            "[unmodelled.u{n}]  # line {line}\n",
            "[unmodelled.u{n}]  # 第 {line} 行\n",
            n = k + 1
        )));
        out.push_str(&format!("label = {}\n", quote(quote_text)));
        out.push_str(&format!("why = {}\n\n", quote(why.get(lang))));
    }
    (out, counts)
}

/// For a share named "A占B(的)比重" (or 比例) where the plan also targets A
/// and B as levels in one unit: their indices, so that the share is A ÷ B.
fn ratio_of(quantities: &[Quantity], k: usize) -> Option<(usize, usize)> {
    let q = &quantities[k];
    if q.kind != UnitKind::Percent || q.growth_only {
        return None;
    }
    let (a, rest) = q.name.split_once('占')?;
    let b = rest
        .trim_end_matches("比重")
        .trim_end_matches("比例")
        .trim_end_matches('的');
    let find = |name: &str| {
        quantities
            .iter()
            .position(|x| x.kind == UnitKind::Level && !name.is_empty() && x.name == name)
    };
    let (a, b) = (find(a)?, find(b)?);
    (quantities[a].unit == quantities[b].unit).then_some((a, b))
}

/// Ids for the quantities: a known name's id, else `q1`, `q2`, …, each
/// made unique.
fn ids(quantities: &[Quantity]) -> Vec<String> {
    let mut taken = std::collections::HashSet::new();
    let mut out: Vec<String> = Vec::new();
    for (k, q) in quantities.iter().enumerate() {
        let base = NAMES
            .iter()
            .find(|(name, _)| q.name.contains(name))
            .map_or(format!("q{}", k + 1), |(_, id)| id.to_string());
        let mut id = base.clone();
        let mut n = 2;
        while taken.contains(&id) {
            id = format!("{base}_{n}");
            n += 1;
        }
        taken.insert(id.clone());
        out.push(id);
    }
    out
}

fn indicator(
    out: &mut String,
    q: &Quantity,
    id: &str,
    base_year: i32,
    placeholders: &mut usize,
    lang: Lang,
) {
    let say = |t: Text| t.get(lang).to_string();
    let mut todo = |what: Text| {
        *placeholders += 1;
        quote(&format!("{PLACEHOLDER} {}", what.get(lang)))
    };
    let name = &q.name;
    out.push_str(&format!("[indicators.{id}]\n"));
    let base_value = q
        .history
        .iter()
        .find(|(y, _, _)| *y == base_year)
        .map(|&(_, v, _)| v);
    let history: Vec<String> = q
        .history
        .iter()
        .filter(|(y, _, _)| *y < base_year)
        .map(|(y, v, _)| format!("{y} = {v}"))
        .collect();
    let lines: Vec<String> = q.history.iter().map(|(_, _, l)| l.to_string()).collect();
    let source = say(if lines.is_empty() {
        tr!(
            "named on line {line} of the plan; say where its base comes from",
            "见规划第 {line} 行；请注明基期值的来源",
            line = q.line
        )
    } else {
        tr!(
            "the plan text, line {lines}",
            "规划原文，第 {lines} 行",
            lines = lines.join(", ")
        )
    });
    let base = |todo: &mut dyn FnMut(Text) -> String| match base_value {
        Some(v) => v.to_string(),
        None => todo(tr!(
            "base of {name} ({base_year})",
            "{name}的基期值（{base_year}）"
        )),
    };
    let growth = |todo: &mut dyn FnMut(Text) -> String| {
        format!(
            "growth = {{ mean = {}, sd = {} }}\n\n",
            todo(tr!("mean yearly growth of {name}", "{name}的年增长率均值")),
            todo(tr!(
                "sd of the yearly growth of {name}",
                "{name}的年增长率标准差"
            ))
        )
    };
    let guessed = |unit: &str| say(tr!("guessed from the unit {unit}", "由单位 {unit} 推测"));
    match (q.kind, q.growth_only) {
        (UnitKind::Percent, true) => {
            out.push_str(&say(tr!(
                "kind = \"level\"  # its targets are growth rates: an index\n",
                "kind = \"level\"  # 其目标是增长率：用指数表示\n"
            )));
            out.push_str(&format!(
                "label = {}\nunit = \"index\"\n",
                quote(&format!("{name} (指数, {base_year} = 100)"))
            ));
            out.push_str(&format!(
                "source = {}\n",
                quote(&say(tr!(
                    "an index, {base_year} = 100",
                    "指数，{base_year} = 100"
                )))
            ));
            out.push_str("base = 100\n");
            out.push_str(&growth(&mut todo));
        }
        (UnitKind::Percent, false) => {
            out.push_str(&format!("kind = \"share\"  # {}\n", guessed("%")));
            out.push_str(&format!("label = {}\nunit = \"share\"\n", quote(name)));
            out.push_str(&format!("source = {}\n", quote(&source)));
            if !history.is_empty() {
                out.push_str(&format!("history = {{ {} }}\n", history.join(", ")));
            }
            out.push_str(&format!("base = {}\n", base(&mut todo)));
            out.push_str(&format!(
                "change = {{ mean = {}, sd = {} }}\n\n",
                todo(tr!("mean yearly change of {name}", "{name}的年变化均值")),
                todo(tr!(
                    "sd of the yearly change of {name}",
                    "{name}的年变化标准差"
                ))
            ));
        }
        (UnitKind::Count, _) => {
            out.push_str(&format!("kind = \"count\"  # {}\n", guessed(&q.unit)));
            out.push_str(&format!(
                "label = {}\nunit = {}\n",
                quote(name),
                quote(&q.unit)
            ));
            out.push_str(&format!("source = {}\n", quote(&source)));
            if !history.is_empty() {
                out.push_str(&format!("history = {{ {} }}\n", history.join(", ")));
            }
            out.push_str(&format!("base = {}\n", base(&mut todo)));
            out.push_str(&format!(
                "entries = {{ dist = \"poisson\", mean = {} }}\n\n",
                todo(tr!("mean yearly entries of {name}", "{name}的年均新增"))
            ));
        }
        (UnitKind::Level, _) => {
            out.push_str(&format!("kind = \"level\"  # {}\n", guessed(&q.unit)));
            out.push_str(&format!(
                "label = {}\nunit = {}\n",
                quote(name),
                quote(&q.unit)
            ));
            out.push_str(&format!("source = {}\n", quote(&source)));
            if !history.is_empty() {
                out.push_str(&format!("history = {{ {} }}\n", history.join(", ")));
            }
            out.push_str(&format!("base = {}\n", base(&mut todo)));
            out.push_str(&growth(&mut todo));
        }
    }
}

fn target(
    out: &mut String,
    k: usize,
    t: &Found,
    id: &str,
    q: &Quantity,
    base_year: i32,
    lang: Lang,
) {
    let line = t.line;
    out.push_str(
        tr!(
            "[targets.t{k}]  # line {line}\n",
            "[targets.t{k}]  # 第 {line} 行\n"
        )
        .get(lang),
    );
    out.push_str(&format!("label = {}\n", quote(&t.label)));
    out.push_str(&format!("indicator = \"{id}\"\n"));
    let period = |out: &mut String, metric: &str| {
        out.push_str(&format!(
            "metric = \"{metric}\"\nfrom = {base_year}\nto = {}\n",
            t.year
        ));
    };
    let count = q.kind == UnitKind::Count;
    let percent = q.kind == UnitKind::Percent;
    match t.measure {
        Measure::Value | Measure::Doubling => out.push_str(&format!("year = {}\n", t.year)),
        Measure::YearlyGrowth => period(out, "cagr"),
        Measure::Growth | Measure::Fall => period(out, "change"),
        Measure::EachYear if count => period(out, "min_entries"),
        Measure::EachYear if percent => period(out, "min_growth"),
        Measure::EachYear => period(out, "min_increase"),
        Measure::Added if count => period(out, "entries"),
        Measure::Added if percent => out.push_str(&format!("year = {}\n", t.year)),
        Measure::Added => period(out, "increase"),
    }
    let note = if t.approximate {
        tr!(
            "  # 左右 (about): read as at least",
            "  # 左右：按“不低于”解读"
        )
    } else {
        Text::same("")
    };
    let note = note.get(lang);
    out.push_str(&format!(
        "{} = {}{note}\n",
        t.direction.name(),
        number(t.threshold)
    ));
    if t.stretch {
        out.push_str("tier = \"stretch\"  # 力争\n");
    }
    out.push('\n');
}

/// A number as short as it reads: 0.2, not 0.20000000000000001.
fn number(x: f64) -> String {
    let short = format!("{x:.6}");
    short
        .trim_end_matches('0')
        .trim_end_matches('.')
        .to_string()
}

/// A TOML basic string.
fn quote(s: &str) -> String {
    let escaped: String = s
        .chars()
        .flat_map(|c| match c {
            '"' => vec!['\\', '"'],
            '\\' => vec!['\\', '\\'],
            c if c.is_control() => vec![' '],
            c => vec![c],
        })
        .collect();
    format!("\"{escaped}\"")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_share_of_two_targeted_levels_is_their_ratio() {
        let plan = super::super::read(
            "某县制造业实施方案 (某发〔2023〕1号)\n\
             到2027年,研发投入达到20亿元,营业收入达到1000亿元,研发投入占营业收入比重达到2%。\n",
        )
        .unwrap();
        let (text, _) = render(&plan, "plan.txt", Lang::En);
        assert!(text.contains("formula = \"q1 / revenue\""), "{text}");
        // The ratio is a formula: no base or change to give.
        assert!(
            !text.contains("TODO: base of 研发投入占营业收入比重"),
            "{text}"
        );
    }

    #[test]
    fn a_draft_parses_and_check_names_each_placeholder() {
        let plan = super::super::read(
            "关于全力打造制造业强县的实施意见 (隽发〔2022〕12号)\n\
             到2025年,力争全县工业总产值达到300亿元、年均增长20%以上;规模以上工业企业突破160家。\n",
        )
        .unwrap();
        let (text, counts) = render(&plan, "plan.txt", Lang::En);
        assert_eq!((counts.targets, counts.stretch), (3, 2));
        let problems = crate::scenario::load("draft.toml", &text, &[]).unwrap_err();
        let messages: Vec<String> = problems
            .iter()
            .map(|d| d.message.en().to_string())
            .collect();
        assert!(
            messages.contains(
                &"base of 工业总产值 (2021) is not known: give a value or a range".to_string()
            ),
            "{messages:?}"
        );
        assert_eq!(problems.len(), counts.placeholders, "{messages:?}");
    }
}
