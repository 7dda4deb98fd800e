//! A read plan as a draft scenario: every target found, every indicator it
//! needs, and a placeholder (`"TODO: …"`, which `check` refuses with what is
//! missing) wherever a base or a belief must come from the economist.

use super::rules::{Measure, UnitKind, NAMES};
use super::{Found, Plan, Quantity};
use crate::scenario::reader::PLACEHOLDER;

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

/// The draft's TOML, and what it holds.
pub fn render(plan: &Plan, source: &str) -> (String, Counts) {
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
    out.push_str(&format!(
        "# A draft scenario from {source}, written by `dabiao extract`.\n\
         # Every target the plan states is below, in its own words, with the line it is on.\n\
         # Values marked \"{PLACEHOLDER} …\" are not in the plan: give each a value or a\n\
         # range with its source (`dabiao check` lists them). Check every target's reading.\n\n"
    ));
    let title = plan.title.clone().unwrap_or_else(|| "plan".into());
    out.push_str("[scenario]\n");
    out.push_str(&format!("name = {}\n", quote(&title)));
    let document = match &plan.number {
        Some(n) if !title.contains(n.as_str()) => format!("{title} ({n})"),
        _ => title.clone(),
    };
    out.push_str(&format!("document = {}\n", quote(&document)));
    if let Some(r) = &plan.region {
        out.push_str(&format!(
            "region = {}  # inferred from the title\n",
            quote(r)
        ));
    }
    out.push_str(&format!(
        "base_year = {}  # inferred: the year before the plan's period (or its 文号's year)\n",
        plan.base_year
    ));
    out.push_str(&format!(
        "horizon = {}  # inferred: the latest target year\n\n",
        plan.horizon
    ));
    for (k, (q, id)) in plan.indicators.iter().zip(&ids).enumerate() {
        match ratio_of(&plan.indicators, k) {
            Some((a, b)) => {
                out.push_str(&format!("[indicators.{id}]\n"));
                out.push_str(
                    "kind = \"formula\"  # a share of two indicators the plan also targets\n",
                );
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
            None => indicator(&mut out, q, id, plan.base_year, &mut counts.placeholders),
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
        );
    }
    for (k, (line, quote_text, why)) in plan.unplaced.iter().enumerate() {
        out.push_str(&format!("[unmodelled.u{}]  # line {line}\n", k + 1));
        out.push_str(&format!("label = {}\n", quote(quote_text)));
        out.push_str(&format!("why = {}\n\n", quote(why)));
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

fn indicator(out: &mut String, q: &Quantity, id: &str, base_year: i32, placeholders: &mut usize) {
    let mut todo = |what: String| {
        *placeholders += 1;
        quote(&format!("{PLACEHOLDER} {what}"))
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
    let source = if lines.is_empty() {
        format!(
            "named on line {} of the plan; say where its base comes from",
            q.line
        )
    } else {
        format!("the plan text, line {}", lines.join(", "))
    };
    let base = |todo: &mut dyn FnMut(String) -> String| match base_value {
        Some(v) => v.to_string(),
        None => todo(format!("base of {name} ({base_year})")),
    };
    match (q.kind, q.growth_only) {
        (UnitKind::Percent, true) => {
            out.push_str("kind = \"level\"  # its targets are growth rates: an index\n");
            out.push_str(&format!(
                "label = {}\nunit = \"index\"\n",
                quote(&format!("{name} (指数, {base_year} = 100)"))
            ));
            out.push_str(&format!(
                "source = {}\n",
                quote(&format!("an index, {base_year} = 100"))
            ));
            out.push_str("base = 100\n");
            out.push_str(&format!(
                "growth = {{ mean = {}, sd = {} }}\n\n",
                todo(format!("mean yearly growth of {name}")),
                todo(format!("sd of the yearly growth of {name}"))
            ));
        }
        (UnitKind::Percent, false) => {
            out.push_str("kind = \"share\"  # guessed from the unit %\n");
            out.push_str(&format!("label = {}\nunit = \"share\"\n", quote(name)));
            out.push_str(&format!("source = {}\n", quote(&source)));
            if !history.is_empty() {
                out.push_str(&format!("history = {{ {} }}\n", history.join(", ")));
            }
            out.push_str(&format!("base = {}\n", base(&mut todo)));
            out.push_str(&format!(
                "change = {{ mean = {}, sd = {} }}\n\n",
                todo(format!("mean yearly change of {name}")),
                todo(format!("sd of the yearly change of {name}"))
            ));
        }
        (UnitKind::Count, _) => {
            out.push_str(&format!(
                "kind = \"count\"  # guessed from the unit {}\n",
                q.unit
            ));
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
                todo(format!("mean yearly entries of {name}"))
            ));
        }
        (UnitKind::Level, _) => {
            out.push_str(&format!(
                "kind = \"level\"  # guessed from the unit {}\n",
                q.unit
            ));
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
                "growth = {{ mean = {}, sd = {} }}\n\n",
                todo(format!("mean yearly growth of {name}")),
                todo(format!("sd of the yearly growth of {name}"))
            ));
        }
    }
}

fn target(out: &mut String, k: usize, t: &Found, id: &str, q: &Quantity, base_year: i32) {
    out.push_str(&format!("[targets.t{k}]  # line {}\n", t.line));
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
        "  # 左右 (about): read as at least"
    } else {
        ""
    };
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
        let (text, _) = render(&plan, "plan.txt");
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
        let (text, counts) = render(&plan, "plan.txt");
        assert_eq!((counts.targets, counts.stretch), (3, 2));
        let problems = crate::scenario::load(
            "draft.toml",
            &text,
            &[],
            &crate::scenario::history_files::NoFiles,
        )
        .unwrap_err();
        let messages: Vec<String> = problems.iter().map(|d| d.message.clone()).collect();
        assert!(
            messages.contains(
                &"base of 工业总产值 (2021) is not known: give a value or a range".to_string()
            ),
            "{messages:?}"
        );
        assert_eq!(problems.len(), counts.placeholders, "{messages:?}");
    }
}
