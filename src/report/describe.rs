//! Pieces of text shared by the reports: distributions in words, a target's
//! cells, the marks and files of charts.

use super::charts::{self, Mark};
use super::format as f;
use super::words::{driver_input, tier, verdict, w, Lang, Word};
use crate::model::Reading;
use crate::stats::assumptions::{Assumption, DistSummary};
use crate::stats::results::{Composite, Driver, DriverUnit, Results, TargetDetail, TargetResult};

/// A distribution's or a parameter's name in the report's language, as the
/// scenario file names it in English ("uniform", "low").
fn dist_word(name: &str, lang: Lang) -> &str {
    if lang == Lang::En {
        return name;
    }
    match name {
        "normal" => "正态",
        "student_t" => "t分布",
        "uniform" => "均匀",
        "triangular" => "三角",
        "pert" => "PERT",
        "lognormal" => "对数正态",
        "poisson" => "泊松",
        "negative_binomial" => "负二项",
        "mean" => "均值",
        "sd" => "标准差",
        "low" => "下限",
        "high" => "上限",
        "mode" => "众数",
        "df" => "自由度",
        "scale" => "尺度",
        "dispersion" => "离散参数",
        "min" => "最小",
        "max" => "最大",
        "mu" => "μ",
        "sigma" => "σ",
        other => other,
    }
}

/// A distribution in words, values read as `kind` says (rates as %):
/// "uniform(low 200, high 500)", "均匀(下限 200, 上限 500)".
pub fn dist(d: &DistSummary, rate: bool, lang: Lang) -> String {
    let v = |x: f64| {
        if rate {
            format!("{:.2}%", x * 100.0)
        } else {
            f::number(x)
        }
    };
    if d.name == "fixed" {
        return v(d.central);
    }
    let mut parts: Vec<String> = Vec::new();
    let word = |name| dist_word(name, lang);
    if let Some(m) = &d.uncertain_mean {
        parts.push(format!("{} ~ {}", word("mean"), dist(m, rate, lang)));
    }
    for &(name, x) in &d.params {
        let shown = match name {
            "df" | "dispersion" | "mu" | "sigma" => f::number(x),
            _ => v(x),
        };
        parts.push(format!("{} {shown}", word(name)));
    }
    if let Some(x) = d.min {
        parts.push(format!("{} {}", word("min"), v(x)));
    }
    if let Some(x) = d.max {
        parts.push(format!("{} {}", word("max"), v(x)));
    }
    format!("{}({})", word(d.name), parts.join(", "))
}

/// What a report's subtitle says: the plan's document and region, the
/// variant, base year → horizon.
pub fn subtitle(r: &Results, lang: Lang) -> Vec<String> {
    let mut sub = Vec::new();
    if let Some(d) = &r.scenario.document {
        sub.push(d.clone());
    }
    if let Some(g) = &r.scenario.region {
        sub.push(g.clone());
    }
    if let Some(v) = &r.scenario.variant {
        sub.push(format!("{}: {}", w(lang, Word::Variant), v.label));
    }
    sub.push(format!(
        "{} {} → {}",
        w(lang, Word::Horizon),
        r.scenario.base_year,
        r.scenario.horizon
    ));
    sub
}

/// An assumption's base, yearly movement and persistence, in words.
pub fn assumption_cells(a: &Assumption, lang: Lang) -> [String; 3] {
    let share = a.kind == Reading::Share;
    let base = a
        .base
        .as_ref()
        .map(|b| dist(b, share, lang))
        .unwrap_or_default();
    let movement = match (&a.movement, &a.formula) {
        (Some(m), _) if a.kind == Reading::Count => {
            let pct = a.exit_rate * 100.0;
            let entries = dist(m, false, lang);
            match (lang, a.exit_rate > 0.0) {
                (Lang::En, true) => format!("entries {entries}; exits {pct:.1}%/yr"),
                (Lang::En, false) => format!("entries {entries}"),
                (Lang::Zh, true) => format!("年新增 {entries}；年退出率 {pct:.1}%"),
                (Lang::Zh, false) => format!("年新增 {entries}"),
            }
        }
        (Some(m), _) => dist(m, true, lang),
        (None, Some(formula)) => format!("= {formula}"),
        _ => String::new(),
    };
    let persistence = if a.persistence != 0.0 {
        format!("{:.2}", a.persistence)
    } else {
        String::new()
    };
    [base, movement, persistence]
}

/// Each shock in words: how often, when, how hard, on what.
pub fn shock_lines(r: &Results, lang: Lang) -> Vec<String> {
    r.assumed_shocks
        .iter()
        .map(|s| {
            let p = if s.probability.name == "fixed" {
                f::probability(s.probability.central)
            } else {
                dist(&s.probability, true, lang)
            };
            let on: Vec<String> = s
                .loadings
                .iter()
                .map(|(label, l)| {
                    if *l == 1.0 {
                        label.clone()
                    } else {
                        format!("{label} (× {})", f::number(*l))
                    }
                })
                .collect();
            match lang {
                Lang::En => format!(
                    "{}: {p} a year, {}–{}; effect {}; on {}",
                    s.label,
                    s.first,
                    s.last,
                    dist(&s.effect, true, lang),
                    on.join(", ")
                ),
                Lang::Zh => format!(
                    "{}：每年发生概率 {p}（{}–{}年）；冲击幅度 {}；影响 {}",
                    s.label,
                    s.first,
                    s.last,
                    dist(&s.effect, true, lang),
                    on.join("、")
                ),
            }
        })
        .collect()
}

/// Each correlated pair in words: "工业总产值 (growth trend) ~ 规上企业 (mean entries): 0.60".
pub fn correlation_lines(r: &Results, lang: Lang) -> Vec<String> {
    use crate::model::ParamAspect as P;
    use crate::stats::assumptions::Correlated;
    let what = |c: Correlated| {
        let (en, zh) = match c {
            Correlated::Movement => ("year-to-year movement", "年度波动"),
            Correlated::Parameter(P::Base) => ("base-year value", "基期值"),
            Correlated::Parameter(P::Trend) => ("growth trend", "增长趋势"),
            Correlated::Parameter(P::ChangeTrend) => ("change trend", "变化趋势"),
            Correlated::Parameter(P::MeanEntries) => ("mean entries", "年均新增"),
            Correlated::Parameter(P::Probability) => ("probability", "发生概率"),
            Correlated::Parameter(P::EffectMean) => ("mean effect", "平均冲击幅度"),
        };
        match lang {
            Lang::En => en,
            Lang::Zh => zh,
        }
    };
    r.assumed_correlations
        .iter()
        .map(|c| {
            format!(
                "{} ({}) ~ {} ({}): {:.2}",
                c.a.0,
                what(c.a.1),
                c.b.0,
                what(c.b.1),
                c.rho
            )
        })
        .collect()
}

/// The word keys of the columns [`target_cells`] fills, in order.
pub const TARGET_COLUMNS: [Word; 9] = [
    Word::Target,
    Word::Tier,
    Word::Probability,
    Word::Interval,
    Word::Verdict,
    Word::Median,
    Word::Threshold,
    Word::Needs,
    Word::Assumes,
];

/// Label, tier, probability, interval, verdict, median, threshold, needs, assumes.
pub fn target_cells(t: &TargetResult, lang: Lang) -> Vec<String> {
    let mut cells = vec![
        t.label.clone(),
        tier(lang, t.tier).to_string(),
        f::estimate(&t.estimate),
        f::interval(t.estimate.ci95),
        verdict(lang, t.verdict).to_string(),
    ];
    match &t.detail {
        TargetDetail::Stat {
            indicator_kind,
            unit,
            metric,
            threshold,
            direction,
            outcome,
            requirement,
            observed,
            ..
        } => {
            cells.push(outcome.map_or("—".into(), |o| {
                f::statistic(o[2], *metric, *indicator_kind, lang)
            }));
            cells.push(f::threshold(
                *threshold,
                *direction,
                *metric,
                *indicator_kind,
                unit,
                lang,
            ));
            if *observed {
                cells.push(w(lang, Word::Observed).to_string());
                cells.push(String::new());
            } else {
                let q = requirement.as_ref();
                cells.push(
                    q.and_then(|q| q.required.map(|x| f::pace(x, q.pace, lang)))
                        .unwrap_or("—".into()),
                );
                cells.push(
                    q.and_then(|q| q.assumed.map(|x| f::pace(x, q.pace, lang)))
                        .unwrap_or("—".into()),
                );
            }
        }
        TargetDetail::Composite { composite, members } => {
            cells.push(String::new());
            let how = match composite {
                Composite::All => w(lang, Word::CompositeAll),
                Composite::Any => w(lang, Word::CompositeAny),
            };
            // The count, not the ids: the ids can run long (JSON lists them).
            cells.push(format!("{how} {}", members.len()));
            cells.push(String::new());
            cells.push(String::new());
        }
    }
    cells
}

/// Sentences saying why targets are missed: for each target both hit and
/// missed, its strongest driver, preferring what explains the outcome over
/// the outcome's own growth.
pub fn why(r: &Results, lang: Lang) -> Vec<(String, String)> {
    r.targets
        .iter()
        .filter_map(|t| Some((t.label.clone(), driver_sentence(t.main_driver()?, lang))))
        .collect()
}

/// A chart: its file name, its caption and its SVG.
pub struct Chart {
    pub file: String,
    /// What the chart shows (its alt text; the chart draws it too).
    pub title: String,
    /// What a caption adds to the chart: a target's probability with its
    /// interval, where the chart is one target's.
    pub caption: Option<String>,
    pub svg: String,
}

/// How the run drew its paths, in words.
pub fn sampler(r: &Results, lang: Lang) -> &'static str {
    w(
        lang,
        match r.run.sampler {
            "antithetic" => Word::SamplerAntithetic,
            "sobol" => Word::SamplerSobol,
            _ => Word::SamplerIndependent,
        },
    )
}

/// Every chart of a report, in reading order.
pub fn charts(r: &Results, lang: Lang) -> Vec<Chart> {
    let mut out = Vec::new();
    let odds = |t: &TargetResult| {
        Some(format!(
            "{}: {} ({} {}–{})",
            w(lang, Word::Probability),
            f::estimate(&t.estimate),
            w(lang, Word::Interval),
            f::probability(t.estimate.ci95.0),
            f::probability(t.estimate.ci95.1)
        ))
    };
    for ind in &r.indicators {
        let marks: Vec<Mark> = r
            .targets
            .iter()
            .filter_map(|t| match &t.detail {
                TargetDetail::Stat {
                    indicator,
                    to,
                    requirement,
                    ..
                } if *indicator == ind.id => {
                    let value = requirement.as_ref()?.needed_value?;
                    Some(Mark {
                        year: *to,
                        value,
                        label: t.label.clone(),
                    })
                }
                _ => None,
            })
            .collect();
        let unit = if ind.unit.is_empty() || ind.kind == Reading::Share {
            String::new()
        } else {
            format!(" ({})", ind.unit)
        };
        out.push(Chart {
            file: format!("fan_{}.svg", ind.id),
            title: format!("{}{unit}", ind.label),
            caption: None,
            svg: charts::fan(ind, &marks, lang),
        });
    }
    for t in &r.targets {
        if let Some(svg) = charts::distribution(t, lang) {
            out.push(Chart {
                file: format!("target_{}.svg", t.id),
                title: t.label.clone(),
                caption: odds(t),
                svg,
            });
        }
    }
    for t in &r.targets {
        if let TargetDetail::Stat {
            reached: Some(reached),
            ..
        } = &t.detail
        {
            out.push(Chart {
                file: format!("reached_{}.svg", t.id),
                title: t.label.clone(),
                caption: odds(t),
                svg: charts::reached(reached, &t.label, lang),
            });
        }
    }
    for (k, t) in r.targets.iter().enumerate() {
        if let Some(svg) = charts::convergence(&r.convergence, k, &t.label, lang) {
            out.push(Chart {
                file: format!("convergence_{}.svg", t.id),
                title: t.label.clone(),
                caption: odds(t),
                svg,
            });
        }
    }
    for t in &r.targets {
        let mut bars: Vec<(String, f64, f64)> = r
            .sensitivity_of(&t.id)
            .into_iter()
            .map(|(row, a, b)| (super::words::sensitivity_input(lang, row, 44), a, b))
            .collect();
        if bars.is_empty() {
            continue;
        }
        // The eight that move it most fit a chart.
        bars.truncate(8);
        let svg = charts::tornado(&bars, t.estimate.probability, &t.label, lang);
        out.push(Chart {
            file: format!("tornado_{}.svg", t.id),
            title: t.label.clone(),
            caption: odds(t),
            svg,
        });
    }
    out
}

/// For each value target over simulated years, a line on when it is
/// reached: "reached by 2025 on 35 % of paths (first in 2023: 5 %, …)".
pub fn reached_lines(r: &Results, lang: Lang) -> Vec<(String, String)> {
    r.targets
        .iter()
        .filter_map(|t| match &t.detail {
            TargetDetail::Stat {
                reached: Some(reached),
                to,
                ..
            } => {
                let first: Vec<String> = reached
                    .first_reached
                    .years
                    .iter()
                    .map(|&(y, p)| match lang {
                        Lang::En => format!("{y} {}", f::probability(p)),
                        Lang::Zh => format!("{y}年 {}", f::probability(p)),
                    })
                    .collect();
                let by = f::probability(reached.first_reached.by(*to));
                let line = match lang {
                    Lang::En => format!(
                        "reached by {to} on {by} of paths (first in {})",
                        first.join(", ")
                    ),
                    Lang::Zh => format!(
                        "到{to}年累计达到的概率 {by}（首次达到：{}）",
                        first.join("，")
                    ),
                };
                Some((t.label.clone(), line))
            }
            _ => None,
        })
        .collect()
}

/// "missed mainly when X was low (a on missed paths, b on hit paths)"
pub fn driver_sentence(d: &Driver, lang: Lang) -> String {
    let show = |x: f64| match (d.unit, lang) {
        (DriverUnit::Rate, _) => f::rate(x),
        (DriverUnit::Points, _) => f::points(x, lang),
        (DriverUnit::PerYear, Lang::En) => format!("{x:+.1}/yr"),
        (DriverUnit::PerYear, Lang::Zh) => format!("{x:+.1}/年"),
        (DriverUnit::Times, Lang::En) => format!("{x:.2} times"),
        (DriverUnit::Times, Lang::Zh) => format!("{x:.2}倍"),
        (DriverUnit::Fraction, _) => format!("{:.2}%", x * 100.0),
        (DriverUnit::Value, _) => f::number(x),
    };
    let low = d.hit_mean > d.miss_mean;
    let times = d.unit == DriverUnit::Times;
    match lang {
        Lang::En => {
            let how = match (times, low) {
                (true, true) => "few",
                (true, false) => "many",
                (false, true) => "low",
                (false, false) => "high",
            };
            format!(
                "missed mainly when {} was {how} ({} on missed paths, {} on hit paths)",
                driver_input(lang, d),
                show(d.miss_mean),
                show(d.hit_mean)
            )
        }
        Lang::Zh => {
            let how = match (times, low) {
                (true, true) => "较少",
                (true, false) => "较多",
                (false, true) => "偏低",
                (false, false) => "偏高",
            };
            format!(
                "未达标主要因为{}{how}（未达标路径 {}，达标路径 {}）",
                driver_input(lang, d),
                show(d.miss_mean),
                show(d.hit_mean)
            )
        }
    }
}
