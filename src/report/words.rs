//! The reports' own words, in English or Chinese (`--lang zh`).

use crate::model::{Aspect, Tier};
use crate::stats::results::{Driver, SensitivityInput, SensitivityRow, Verdict};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Lang {
    #[default]
    En,
    Zh,
}

/// The reports' own words: one variant a phrase, each in both languages,
/// so that a phrase missing in either is a compile error, never a "?".
macro_rules! words {
    ($($word:ident => ($en:expr, $zh:expr),)*) => {
        #[derive(Debug, Clone, Copy, PartialEq, Eq)]
        pub enum Word {
            $($word,)*
        }

        /// A phrase in the report's language.
        pub fn w(lang: Lang, word: Word) -> &'static str {
            let (en, zh) = match word {
                $(Word::$word => ($en, $zh),)*
            };
            match lang {
                Lang::En => en,
                Lang::Zh => zh,
            }
        }
    };
}

words! {
    Assumptions => ("Assumptions", "假设"),
    Targets => ("Targets", "目标"),
    Target => ("Target", "目标"),
    Tier => ("Tier", "层级"),
    Floor => ("floor", "底线"),
    Stretch => ("stretch", "力争"),
    Probability => ("Probability", "概率"),
    Interval => ("95% interval", "95%区间"),
    Verdict => ("Verdict", "判断"),
    Median => ("Median outcome", "中位结果"),
    Threshold => ("Threshold", "门槛"),
    Needs => ("Growth needed / yr", "所需年增速"),
    Assumes => ("Growth assumed / yr", "假设年增速"),
    Indicator => ("Indicator", "指标"),
    Base => ("Base", "基期值"),
    Movement => ("Growth or change per year", "年增长或变化"),
    Persistence => ("Persistence", "持续性"),
    Source => ("Source", "来源"),
    Joint => ("All targets of a tier at once", "同一层级目标全部达成"),
    AllFloor => ("All floor targets", "全部底线目标"),
    AllStretch => ("All stretch targets", "全部力争目标"),
    Why => ("Why targets are missed", "未达标的主要原因"),
    Unmodelled => ("Targets of the plan not simulated", "未模拟的规划目标"),
    Fans => ("Indicators: the fan of outcomes", "指标：结果分布扇形图"),
    Distributions => ("Each target's outcome", "各目标结果分布"),
    Convergence => ("Convergence: the estimate as draws accumulate", "收敛：估计值随抽样次数的变化"),
    WhenReached => ("When is it reached", "何时达到"),
    FirstReached => ("first reached that year", "当年首次达到"),
    HoldsThatYear => ("holds that year", "当年达到"),
    ReachedByThen => ("reached by then", "累计已达到"),
    Sensitivity => ("Sensitivity: what moves the odds", "敏感性：哪些假设影响概率"),
    Manifest => ("Run manifest", "运行信息"),
    Version => ("dabiao version", "dabiao版本"),
    File => ("Scenario file", "情景文件"),
    Seed => ("Seed", "随机种子"),
    Draws => ("Draws", "抽样次数"),
    Threads => ("Threads", "线程"),
    Sampler => ("Sampler", "抽样方法"),
    SamplerAntithetic => ("antithetic pairs (each path with its mirror image)", "对偶抽样 (每条路径配一条镜像路径)"),
    SamplerIndependent => ("independent paths", "独立路径"),
    SamplerSobol => ("randomised quasi-Monte Carlo (scrambled Sobol' points, 16 replicates)", "随机化拟蒙特卡洛 (扰乱的 Sobol' 点列, 16 组独立重复)"),
    Overrides => ("Overrides", "命令行覆盖"),
    Correlation => ("Correlation matrix", "相关矩阵"),
    AsWritten => ("as written", "按文件"),
    Repaired => ("repaired to the nearest valid matrix (repair = true)", "已修正为最近的有效矩阵 (repair = true)"),
    None => ("none", "无"),
    Warnings => ("Warnings", "警告"),
    Observed => ("observed", "已观测"),
    History => ("observed", "历史值"),
    MedianLine => ("median", "中位数"),
    Band90 => ("5–95 %", "5–95%"),
    Band50 => ("25–75 %", "25–75%"),
    HitRegion => ("hit", "达标区域"),
    Cumulative => ("share of paths at or below", "累计概率"),
    DrawsAxis => ("draws", "抽样次数"),
    Estimate => ("estimate", "估计值"),
    Document => ("Document", "文件"),
    Region => ("Region", "地区"),
    Variant => ("Variant", "情景"),
    Scenarios => ("Scenarios compared", "对比的情景"),
    Horizon => ("Base year → horizon", "基期 → 目标年"),
    CompositeAll => ("all of", "全部"),
    CompositeAny => ("any of", "任一"),
    Low => ("down", "下调"),
    High => ("up", "上调"),
    ColTarget => ("target", "目标"),
    ColTier => ("tier", "层级"),
    ColP => ("P(hit)", "达标概率"),
    ColVerdict => ("verdict", "判断"),
    ColMedian => ("median", "中位数"),
    ColThreshold => ("threshold", "门槛"),
    ColNeeds => ("needs/yr", "所需/年"),
    ColAssumes => ("assumes/yr", "假设/年"),
    BaseWord => ("base", "基期"),
    DrawsWord => ("draws", "次模拟"),
    SeedWord => ("seed", "种子"),
    ThreadsWord => ("threads", "线程"),
    SweepOf => ("sweep of", "扫描"),
    SameDrawsEveryValue => ("the same draws at every value", "每个取值使用相同的随机数"),
    SameDrawsEveryPoint => ("the same draws at every point", "每个格点使用相同的随机数"),
    Across => ("across", "横向"),
    Down => ("down", "纵向"),
    SweepHtmlIntro => ("Probability of each target as the input varies.", "各目标的概率随该输入的变化。"),
    GridHtmlIntro => ("Probability of each target over the grid. Darker is likelier; the lines are the 10 %, 50 % and 90 % contours.", "各目标在网格上的概率：颜色越深越可能；线为10%、50%和90%等值线。"),
    SolveReaches => ("reaches a {goal} chance at", "达到{goal}概率所需的"),
    SolveCompatible => ("values compatible with the Monte Carlo error", "在蒙特卡洛误差范围内的取值"),
    SolveTo => ("to", "至"),
    SolveAtValue => ("at {value} the estimate is {p} ({runs} runs with the same draws)", "取{value}时估计概率为{p} (共{runs}次运行，使用相同的随机数)"),
    SolveChartKey => ("Dots: each run's estimate, with its 95 % interval; dashed: the probability asked for; blue line: the answer; shaded: the values compatible with the Monte Carlo error.", "圆点：每次运行的估计值及其95%区间；虚线：所求概率；蓝线：解；阴影：在蒙特卡洛误差范围内的取值。"),
    ForecastFrom => ("forecast from", "预测起点"),
    WhereActualsFell => ("Where each actual fell in the forecast:", "各实际值落在预测分布中的位置："),
    Year => ("year", "年份"),
    Actual => ("actual", "实际值"),
    P5 => ("p5", "5%分位"),
    MedianColumn => ("median", "中位数"),
    P95 => ("p95", "95%分位"),
    Percentile => ("percentile", "百分位"),
    NoTargetDecided => ("No target is decided by these actuals yet.", "这些实际值尚不能判定任何目标。"),
    TargetsDecided => ("Targets decided by the actuals:", "由实际值判定的目标："),
    Forecast => ("forecast", "预测概率"),
    Outcome => ("outcome", "结果"),
    Brier => ("Brier", "Brier分数"),
    LogScore => ("log score", "对数得分"),
    Hit => ("hit", "达到"),
    Missed => ("missed", "未达到"),
    MeanScores => ("mean Brier {brier} (0 is perfect; 0.25 is a coin's 50 % every time) · mean log score {log} (ln 2 = 0.69 for 50 %)", "平均Brier分数 {brier} (0为完美；每次都报50%为0.25) · 平均对数得分 {log} (50%时为ln 2 = 0.69)"),
    ActualsIgnored => ("{n} actual(s) at or before the base year or after the horizon were not scored.", "{n}个实际值在基期或之前、或在目标年之后，未计分。"),
    SameNumbersEveryScenario => ("the same random numbers for every scenario", "各情景使用相同的随机数"),
    CompareScenarios => ("Scenarios:", "情景："),
    ComparePaired => ("Differences are paired (the same paths under both), with 95 % intervals.", "差值为配对差 (两者使用相同路径)，附95%区间。"),
    CheckOk => ("ok", "通过"),
    IndicatorsWord => ("indicators", "个指标"),
    TargetsWord => ("targets", "个目标"),
    IndicatorColumn => ("indicator", "指标"),
    Asks => ("asks", "要求"),
    From => ("from", "起点"),
    NeedsValue => ("needs", "需达到"),
    NeedsPerYear => ("needs/yr", "所需年增速"),
    AssumesPerYear => ("assumes/yr", "假设年增速"),
    ObservedWord => ("observed", "已观测"),
    AllOf => ("all of", "全部达到："),
    AnyOf => ("any of", "任一达到："),
    VariantApplied => ("Variant applied", "已应用变体"),
    VariantsChecked => ("Variants ({n}, each checked):", "变体 (共{n}个，均已检查)："),
    SecondsWord => ("s", "秒"),
    VariantWord => ("variant", "情景"),
    EveryFloorAtOnce => ("every floor target at once", "全部底线目标同时达成"),
    EveryStretchAtOnce => ("every stretch target at once", "全部力争目标同时达成"),
    WhenReachedHead => ("When value targets are reached (the first year each holds):", "各目标何时达成（首次达成的年份）："),
    WhyHead => ("Why targets are missed (the input that differs most between paths that hit and paths that missed):", "未达标的主要原因（达标与未达标路径之间差异最大的输入）："),
    SensitivityHead => ("Sensitivity: each input moved down and up by a step on its own scale, largest swing first", "敏感性：每个输入按其自身尺度下调和上调一步，影响最大的在前"),
    ColInput => ("input", "输入"),
    ColStep => ("step", "步长"),
    ColLow => ("low", "下调值"),
    ColHigh => ("high", "上调值"),
    ColMovesMost => ("target that moves most", "变化最大的目标"),
    ColPLow => ("P at low", "下调时概率"),
    ColPHigh => ("P at high", "上调时概率"),
    StepSd => ("its sd", "一个标准差"),
    StepTenPercent => ("10 %", "10%"),
    AcrossPlans => ("Across plans: the chance that every target of a tier is hit", "各规划：同一层级目标全部达成的概率"),
    ColPlan => ("plan", "规划"),
    ColSpan => ("base → horizon", "基期 → 目标年"),
    ColAllFloor => ("all floor", "全部底线"),
    ColAllStretch => ("all stretch", "全部力争"),
    NotSimulated => ("Not simulated", "未模拟"),
    Shocks => ("Shocks", "冲击"),
    Charts => ("Charts", "图表"),
    Correlations => ("Correlations", "相关性"),
}

/// An input `--sensitivity` moved, in the plan's words: "工业总产值 · mean
/// growth", in at most `max` columns (the subject is shortened, never the
/// aspect, which says what moved).
pub fn sensitivity_input(lang: Lang, row: &SensitivityRow, max: usize) -> String {
    let (en, zh) = match row.input {
        SensitivityInput::GrowthMean => ("mean growth", "增速均值"),
        SensitivityInput::ChangeMean => ("mean yearly change", "年变化均值"),
        SensitivityInput::Sd => ("year-to-year sd", "年度波动标准差"),
        SensitivityInput::Persistence => ("persistence", "持续性"),
        SensitivityInput::Base => ("base-year value", "基期值"),
        SensitivityInput::MeanEntries => ("mean entries a year", "年均新增"),
        SensitivityInput::ExitRate => ("exit rate", "退出率"),
        SensitivityInput::ShockProbability => ("probability a year", "年发生概率"),
        SensitivityInput::Threshold => ("threshold", "门槛"),
    };
    let aspect = match lang {
        Lang::En => en,
        Lang::Zh => zh,
    };
    let room = max.saturating_sub(super::format::width(aspect) + 3).max(4);
    format!("{} · {aspect}", super::format::truncate(&row.subject, room))
}

/// A tier's name in the report's language.
pub fn tier(lang: Lang, tier: Tier) -> &'static str {
    w(
        lang,
        match tier {
            Tier::Floor => Word::Floor,
            Tier::Stretch => Word::Stretch,
        },
    )
}

/// A driver input in words: "工业总产值 growth trend", "工业总产值增长趋势".
pub fn driver_input(lang: Lang, d: &Driver) -> String {
    let s = &d.subject;
    let y = d.year.unwrap_or_default();
    match (lang, d.aspect) {
        (Lang::En, Aspect::Growth) => format!("{s} average growth"),
        (Lang::En, Aspect::Change) => format!("{s} yearly change"),
        (Lang::En, Aspect::NetAdditions) => format!("{s} yearly net additions"),
        (Lang::En, Aspect::Strikes) => format!("{s} (years it struck)"),
        (Lang::En, Aspect::Base) => format!("{s} in {y}"),
        (Lang::En, Aspect::Trend) => format!("{s} growth trend"),
        (Lang::En, Aspect::ChangeTrend) => format!("{s} yearly change trend"),
        (Lang::En, Aspect::MeanEntries) => format!("{s} mean entries"),
        (Lang::En, Aspect::Probability) => format!("{s} probability"),
        (Lang::Zh, Aspect::Growth) => format!("{s}年均增速"),
        (Lang::Zh, Aspect::Change) => format!("{s}年均变化"),
        (Lang::Zh, Aspect::NetAdditions) => format!("{s}年均净增"),
        (Lang::Zh, Aspect::Strikes) => format!("{s}发生年数"),
        (Lang::Zh, Aspect::Base) => format!("{s}{y}年基期值"),
        (Lang::Zh, Aspect::Trend) => format!("{s}增长趋势"),
        (Lang::Zh, Aspect::ChangeTrend) => format!("{s}变化趋势"),
        (Lang::Zh, Aspect::MeanEntries) => format!("{s}年均新增"),
        (Lang::Zh, Aspect::Probability) => format!("{s}发生概率"),
        (Lang::En, Aspect::EffectMean) => format!("{s} mean effect"),
        (Lang::Zh, Aspect::EffectMean) => format!("{s}平均冲击幅度"),
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
