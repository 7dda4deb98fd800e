//! The reports' own words, in English or Chinese (`--lang zh`).

use crate::model::Aspect;
use crate::stats::results::Verdict;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Lang {
    #[default]
    En,
    Zh,
}

/// A phrase in the report's language.
pub fn w(lang: Lang, key: &str) -> &'static str {
    let (en, zh) = match key {
        "assumptions" => ("Assumptions", "假设"),
        "targets" => ("Targets", "目标"),
        "target" => ("Target", "目标"),
        "tier" => ("Tier", "层级"),
        "floor" => ("floor", "底线"),
        "stretch" => ("stretch", "力争"),
        "probability" => ("Probability", "概率"),
        "interval" => ("95% interval", "95%区间"),
        "verdict" => ("Verdict", "判断"),
        "median" => ("Median outcome", "中位结果"),
        "threshold" => ("Threshold", "门槛"),
        "needs" => ("Growth needed / yr", "所需年增速"),
        "assumes" => ("Growth assumed / yr", "假设年增速"),
        "indicator" => ("Indicator", "指标"),
        "base" => ("Base", "基期值"),
        "movement" => ("Growth or change per year", "年增长或变化"),
        "persistence" => ("Persistence", "持续性"),
        "source" => ("Source", "来源"),
        "joint" => ("All targets of a tier at once", "同一层级目标全部达成"),
        "all_floor" => ("All floor targets", "全部底线目标"),
        "all_stretch" => ("All stretch targets", "全部力争目标"),
        "why" => ("Why targets are missed", "未达标的主要原因"),
        "fans" => ("Indicators: the fan of outcomes", "指标：结果分布扇形图"),
        "distributions" => ("Each target's outcome", "各目标结果分布"),
        "convergence" => (
            "Convergence: the estimate as draws accumulate",
            "收敛：估计值随抽样次数的变化",
        ),
        "sensitivity" => (
            "Sensitivity: what moves the odds",
            "敏感性：哪些假设影响概率",
        ),
        "manifest" => ("Run manifest", "运行信息"),
        "version" => ("dabiao version", "dabiao版本"),
        "file" => ("Scenario file", "情景文件"),
        "seed" => ("Seed", "随机种子"),
        "draws" => ("Draws", "抽样次数"),
        "threads" => ("Threads", "线程"),
        "overrides" => ("Overrides", "命令行覆盖"),
        "correlation" => ("Correlation matrix", "相关矩阵"),
        "as_written" => ("as written", "按文件"),
        "repaired" => (
            "repaired to the nearest valid matrix (repair = true)",
            "已修正为最近的有效矩阵 (repair = true)",
        ),
        "none" => ("none", "无"),
        "warnings" => ("Warnings", "警告"),
        "observed" => ("observed", "已观测"),
        "history" => ("observed", "历史值"),
        "median_line" => ("median", "中位数"),
        "band_90" => ("5–95 %", "5–95%"),
        "band_50" => ("25–75 %", "25–75%"),
        "hit_region" => ("hit", "达标区域"),
        "cumulative" => ("share of paths at or below", "累计概率"),
        "draws_axis" => ("draws", "抽样次数"),
        "estimate" => ("estimate", "估计值"),
        "document" => ("Document", "文件"),
        "region" => ("Region", "地区"),
        "horizon" => ("Base year → horizon", "基期 → 目标年"),
        "composite_all" => ("all of", "全部"),
        "composite_any" => ("any of", "任一"),
        "low" => ("down", "下调"),
        "high" => ("up", "上调"),
        _ => ("?", "?"),
    };
    match lang {
        Lang::En => en,
        Lang::Zh => zh,
    }
}

/// A driver input in words: "工业总产值 growth trend", "工业总产值增长趋势".
pub fn driver_input(lang: Lang, subject: &str, aspect: Aspect) -> String {
    let s = subject;
    match (lang, aspect) {
        (Lang::En, Aspect::Growth) => format!("{s} average growth"),
        (Lang::En, Aspect::Change) => format!("{s} yearly change"),
        (Lang::En, Aspect::NetAdditions) => format!("{s} yearly net additions"),
        (Lang::En, Aspect::Strikes) => format!("{s} (years it struck)"),
        (Lang::En, Aspect::Base(y)) => format!("{s} in {y}"),
        (Lang::En, Aspect::Trend) => format!("{s} growth trend"),
        (Lang::En, Aspect::ChangeTrend) => format!("{s} yearly change trend"),
        (Lang::En, Aspect::MeanEntries) => format!("{s} mean entries"),
        (Lang::En, Aspect::Probability) => format!("{s} probability"),
        (Lang::Zh, Aspect::Growth) => format!("{s}年均增速"),
        (Lang::Zh, Aspect::Change) => format!("{s}年均变化"),
        (Lang::Zh, Aspect::NetAdditions) => format!("{s}年均净增"),
        (Lang::Zh, Aspect::Strikes) => format!("{s}发生年数"),
        (Lang::Zh, Aspect::Base(y)) => format!("{s}{y}年基期值"),
        (Lang::Zh, Aspect::Trend) => format!("{s}增长趋势"),
        (Lang::Zh, Aspect::ChangeTrend) => format!("{s}变化趋势"),
        (Lang::Zh, Aspect::MeanEntries) => format!("{s}年均新增"),
        (Lang::Zh, Aspect::Probability) => format!("{s}发生概率"),
        (_, Aspect::Parameter) => s.to_string(),
    }
}

pub fn verdict(lang: Lang, v: Verdict) -> &'static str {
    let (en, zh) = match v {
        Verdict::VirtuallyCertain => ("virtually certain", "几乎确定"),
        Verdict::VeryLikely => ("very likely", "很可能"),
        Verdict::Likely => ("likely", "可能"),
        Verdict::AsLikelyAsNot => ("about as likely as not", "可能性相当"),
        Verdict::Unlikely => ("unlikely", "不太可能"),
        Verdict::VeryUnlikely => ("very unlikely", "很不可能"),
        Verdict::ExceptionallyUnlikely => ("exceptionally unlikely", "极不可能"),
    };
    match lang {
        Lang::En => en,
        Lang::Zh => zh,
    }
}
