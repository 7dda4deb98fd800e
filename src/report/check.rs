//! `check` output: what each target asks for, in plain arithmetic.

use super::format::{self as f, columns};
use super::words::{tier, w, Lang, Word};
use crate::model::{Model, TargetKind, Unmodelled};

pub fn render(file: &str, m: &Model, lang: Lang) -> String {
    let mut out = format!(
        "{file}: {} · {} · {} {}, {} {} · {} {} → {}\n",
        w(lang, Word::CheckOk),
        m.name,
        m.indicators.len(),
        w(lang, Word::IndicatorsWord),
        m.targets.len(),
        w(lang, Word::TargetsWord),
        w(lang, Word::BaseWord),
        m.base_year,
        m.horizon
    );
    let header = [
        Word::Target,
        Word::Tier,
        Word::IndicatorColumn,
        Word::Asks,
        Word::From,
        Word::NeedsValue,
        Word::NeedsPerYear,
        Word::AssumesPerYear,
    ];
    let mut rows = vec![header
        .iter()
        .map(|&h| w(lang, h).to_string())
        .collect::<Vec<_>>()];
    for (k, t) in m.targets.iter().enumerate() {
        let mut row = vec![f::truncate(&t.label, 36), tier(lang, t.tier).to_string()];
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
                    f::threshold(s.threshold, s.direction, s.metric, kind, &ind.unit, lang)
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
                    row.push(w(lang, Word::ObservedWord).into());
                    row.push(String::new());
                } else {
                    row.push(
                        q.and_then(|q| q.required.map(|x| f::pace(x, q.pace, lang)))
                            .unwrap_or("—".into()),
                    );
                    row.push(
                        q.and_then(|q| q.assumed.map(|x| f::pace(x, q.pace, lang)))
                            .unwrap_or("—".into()),
                    );
                }
            }
            TargetKind::Composite { all, members } => {
                row.push(String::new());
                let names: Vec<&str> = members.iter().map(|&j| m.targets[j].id.as_str()).collect();
                row.push(f::truncate(
                    &format!(
                        "{} {}",
                        w(lang, if *all { Word::AllOf } else { Word::AnyOf }),
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
    out.push_str(&unmodelled(&m.unmodelled, lang));
    if let Some(v) = &m.variant {
        out.push_str(&format!(
            "\n{}: {} ({})\n",
            w(lang, Word::VariantApplied),
            v.id,
            v.label
        ));
    } else if !m.variants.is_empty() {
        out.push_str(&format!(
            "\n{}\n",
            w(lang, Word::VariantsChecked).replace("{n}", &m.variants.len().to_string())
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
