//! The rules `extract` reads a plan with, as tables: what a comparator,
//! a metric, a tier and a unit look like in a plan's Chinese. Each row is
//! one rule; the first that matches wins, so longer phrases come first.

use crate::model::Direction;

/// How a target's number compares with the outcome.
pub const COMPARATORS: [(&str, Direction); 21] = [
    ("不低于", Direction::AtLeast),
    ("不少于", Direction::AtLeast),
    ("不超过", Direction::AtMost),
    ("不高于", Direction::AtMost),
    ("突破", Direction::Above),
    ("超过", Direction::Above),
    ("迈上", Direction::AtLeast),
    ("提高至", Direction::AtLeast),
    ("提高到", Direction::AtLeast),
    ("提升至", Direction::AtLeast),
    ("提升到", Direction::AtLeast),
    ("增至", Direction::AtLeast),
    ("达到", Direction::AtLeast),
    ("低于", Direction::Below),
    ("达", Direction::AtLeast),
    ("超", Direction::Above),
    ("实现", Direction::AtLeast),
    ("培育", Direction::AtLeast),
    ("建成", Direction::AtLeast),
    ("新增", Direction::AtLeast),
    ("新建", Direction::AtLeast),
];

/// Words after the number that set or adjust the comparison: 以上 (the
/// number or more), 以内/以下 (at most, less), 左右 (about: read as at
/// least, with a comment).
pub const SUFFIXES: [(&str, Direction); 5] = [
    ("以上", Direction::AtLeast),
    ("以内", Direction::AtMost),
    ("以下", Direction::Below),
    ("左右", Direction::AtLeast),
    ("多", Direction::Above),
];

/// What is measured, by the words before the number.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Measure {
    /// A level, a count or a share in the target year.
    Value,
    /// 年均增长 X %: compound growth.
    YearlyGrowth,
    /// 增长 X % (not yearly): growth over the period.
    Growth,
    /// 下降 X %: a fall over the period.
    Fall,
    /// 每年 … X (a yearly floor): the smallest year's additions.
    EachYear,
    /// 新增 / 累计 X: additions over the period.
    Added,
    /// 倍增: doubling.
    Doubling,
}

/// Metric words, longest first.
pub const MEASURES: [(&str, Measure); 10] = [
    ("年均增长", Measure::YearlyGrowth),
    ("年均增速", Measure::YearlyGrowth),
    ("累计下降", Measure::Fall),
    ("下降", Measure::Fall),
    ("每年", Measure::EachYear),
    ("倍增", Measure::Doubling),
    ("累计", Measure::Added),
    ("新增", Measure::Added),
    ("增长", Measure::Growth),
    ("新培育", Measure::Added),
];

/// Words that make a target 力争 (stretch).
pub const STRETCH: [&str; 3] = ["力争", "争取", "冲刺"];

/// Units, longest first, and what kind of indicator they mean.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum UnitKind {
    /// Money and other quantities that compound: a level.
    Level,
    /// Things counted: firms, projects, patents.
    Count,
    /// A percentage: a share, or a rate of growth.
    Percent,
}

pub const UNITS: [(&str, UnitKind, f64); 22] = [
    ("亿元/平方公里", UnitKind::Level, 1.0),
    ("万元/人", UnitKind::Level, 1.0),
    ("万元/亩", UnitKind::Level, 1.0),
    ("万千瓦", UnitKind::Level, 1.0),
    ("万人次", UnitKind::Count, 10_000.0),
    ("人次", UnitKind::Count, 1.0),
    ("亿元", UnitKind::Level, 1.0),
    ("万元", UnitKind::Level, 1.0),
    ("千亿", UnitKind::Level, 1000.0),
    ("百亿", UnitKind::Level, 100.0),
    ("亿", UnitKind::Level, 1.0),
    ("万人", UnitKind::Count, 10_000.0),
    ("%", UnitKind::Percent, 0.01),
    ("家", UnitKind::Count, 1.0),
    ("个", UnitKind::Count, 1.0),
    ("项", UnitKind::Count, 1.0),
    ("件", UnitKind::Count, 1.0),
    ("台", UnitKind::Count, 1.0),
    ("种", UnitKind::Count, 1.0),
    ("人", UnitKind::Count, 1.0),
    ("亩", UnitKind::Level, 1.0),
    ("倍", UnitKind::Level, 1.0),
];

/// A clause with one of these is about a policy (a subsidy, a reward, a
/// threshold for approval), not a target.
pub const NOT_TARGETS: [&str; 12] = [
    "奖励",
    "补贴",
    "给予",
    "热线",
    "电话",
    "标准煤",
    "倍享受",
    "征求意见时间",
    "索引号",
    "发布日期",
    "文号",
    "微信",
];

/// Words at the start of a subject that are not part of the indicator's name.
pub const SUBJECT_NOISE: [&str; 24] = [
    "其中", "力争", "争取", "全县", "全市", "全区", "全省", "我县", "我市", "我区", "实现", "推动",
    "推进", "加快", "培育", "打造", "形成", "完成", "共", "累计", "每年", "新增", "年", "、",
];

/// The names of common indicators and the ids drafts give them.
pub const NAMES: [(&str, &str); 16] = [
    ("工业总产值", "output"),
    ("营业收入", "revenue"),
    ("主营业务收入", "revenue"),
    ("工业增加值", "value_added"),
    ("制造业增加值", "mfg_value_added"),
    ("规模以上工业企业", "firms"),
    ("规模工业企业", "firms"),
    ("规上工业企业", "firms"),
    ("高新技术企业", "hightech_firms"),
    ("专精特新", "srsi_firms"),
    ("小巨人", "little_giants"),
    ("研发投入强度", "rd_intensity"),
    ("R&D经费投入强度", "rd_intensity"),
    ("工业投资", "industrial_investment"),
    ("技改投资", "renovation_investment"),
    ("上市", "listed_firms"),
];
