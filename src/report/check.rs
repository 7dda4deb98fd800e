//! `check` output: what each target asks for, in plain arithmetic.

use super::format::{self as f, columns};
use crate::model::{Model, TargetKind, Unmodelled};

pub fn render(file: &str, m: &Model) -> String {
    let mut out = format!(
        "{file}: ok · {} · {} indicators, {} targets · base {} → {}\n",
        m.name,
        m.indicators.len(),
        m.targets.len(),
        m.base_year,
        m.horizon
    );
    let mut rows = vec![vec![
        "target".to_string(),
        "tier".into(),
        "indicator".into(),
        "asks".into(),
        "from".into(),
        "needs".into(),
        "needs/yr".into(),
        "assumes/yr".into(),
    ]];
    for (k, t) in m.targets.iter().enumerate() {
        let mut row = vec![f::truncate(&t.label, 36), t.tier.name().to_string()];
        match &t.kind {
            TargetKind::Stat(s) => {
                let ind = &m.indicators[s.indicator];
                let kind = ind.reads_as();
                let when = if s.from == s.to {
                    s.to.to_string()
                } else {
                    format!("{}–{}", s.from, s.to)
                };
                row.push(ind.id.clone());
                row.push(format!(
                    "{} {when} {}",
                    s.metric.name(),
                    f::threshold(s.threshold, s.direction, s.metric, kind, &ind.unit)
                ));
                let q = m.requirement(k);
                let anchor = q.map(|q| {
                    let approx = if q.base_uncertain { "~" } else { "" };
                    format!(
                        "{approx}{} ({})",
                        f::value(q.anchor_value, kind),
                        q.anchor_year
                    )
                });
                row.push(anchor.unwrap_or_default());
                row.push(
                    q.and_then(|q| q.needed_value)
                        .map_or("—".into(), |v| f::value(v, kind)),
                );
                if s.to <= m.base_year {
                    row.push("observed".into());
                    row.push(String::new());
                } else {
                    row.push(
                        q.and_then(|q| q.required.map(|x| f::pace(x, q.pace)))
                            .unwrap_or("—".into()),
                    );
                    row.push(
                        q.and_then(|q| q.assumed.map(|x| f::pace(x, q.pace)))
                            .unwrap_or("—".into()),
                    );
                }
            }
            TargetKind::Composite { all, members } => {
                row.push(String::new());
                let names: Vec<&str> = members.iter().map(|&j| m.targets[j].id.as_str()).collect();
                row.push(f::truncate(
                    &format!(
                        "{} of {}",
                        if *all { "all" } else { "any" },
                        names.join(", ")
                    ),
                    40,
                ));
            }
        }
        rows.push(row);
    }
    out.push_str(&columns(
        &rows,
        &[false, false, false, false, true, true, true, true],
        2,
    ));
    out.push_str(&unmodelled(&m.unmodelled, super::words::Lang::En));
    if let Some(v) = &m.variant {
        out.push_str(&format!("\nVariant applied: {} ({})\n", v.id, v.label));
    } else if !m.variants.is_empty() {
        out.push_str(&format!(
            "\nVariants ({}, each checked):\n",
            m.variants.len()
        ));
        for v in &m.variants {
            out.push_str(&format!("  {}: {}\n", v.id, v.label));
        }
    }
    out
}

/// The plan's targets not simulated, one line each with why; empty if none.
pub fn unmodelled(list: &[Unmodelled], lang: super::words::Lang) -> String {
    if list.is_empty() {
        return String::new();
    }
    let mut out = format!(
        "\n{} ({}):\n",
        super::words::w(lang, super::words::Word::NotSimulated),
        list.len()
    );
    for u in list {
        out.push_str(&format!("  {}: {}\n", u.label, u.why));
    }
    out
}
