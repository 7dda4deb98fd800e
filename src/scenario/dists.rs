//! Distributions as written in a scenario: inline tables with `dist`, their
//! parameters (or two percentiles), optional truncation, and means that are
//! themselves distributions (drawn once per path).

use super::reader::{describe, Path, Reader};
use super::validate::MAX_COUNT;
use crate::model::dist::{norm_quantile, Continuous, Param, Shape};
use crate::model::{ParamAspect, Role};
use crate::text::Text;
use crate::tr;

pub const CONTINUOUS: [&str; 6] = [
    "normal",
    "student_t",
    "uniform",
    "triangular",
    "pert",
    "lognormal",
];
const COUNT_DISTS: [&str; 2] = ["poisson", "negative_binomial"];
const PERCENTILES: [(&str, f64); 7] = [
    ("p5", 0.05),
    ("p10", 0.10),
    ("p25", 0.25),
    ("p50", 0.50),
    ("p75", 0.75),
    ("p90", 0.90),
    ("p95", 0.95),
];
/// A truncation that keeps less than this is an error.
const MIN_KEPT_MASS: f64 = 1e-3;

/// Reads distributions, registering per-path parameters in `params`.
pub struct DistReader<'a> {
    pub r: &'a mut Reader,
    pub params: &'a mut Vec<Continuous>,
    /// The role of each per-path parameter.
    pub roles: &'a mut Vec<Role>,
}

impl DistReader<'_> {
    /// A number (fixed) or a continuous distribution. With a `role`, its
    /// `mean` may itself be a distribution, a parameter drawn per path in
    /// that role.
    pub fn continuous(
        &mut self,
        path: &Path,
        v: &toml::Value,
        role: Option<Role>,
    ) -> Option<Continuous> {
        let table = match v {
            toml::Value::Table(t) => t,
            _ => return self.r.number(path, v).map(Continuous::fixed),
        };
        let mut all: Vec<&str> = CONTINUOUS.to_vec();
        all.extend(COUNT_DISTS);
        let dist = match table.get("dist") {
            None => "normal",
            Some(d) => self.r.choice(&path.key("dist"), d, &all)?,
        };
        if COUNT_DISTS.contains(&dist) {
            self.r.error(
                &path.key("dist"),
                tr!("\"{dist}\" is a count distribution: it belongs in a count indicator's `entries`", "\"{dist}\" 是计数分布：应放在计数指标的 `entries` 中"),
            );
            return None;
        }
        let pct: Vec<(&str, f64)> = PERCENTILES
            .iter()
            .filter(|(k, _)| table.contains_key(*k))
            .copied()
            .collect();
        let mut allowed = vec!["dist", "min", "max"];
        let shape_and_loc = match dist {
            "normal" => {
                allowed.extend(["mean", "sd"]);
                allowed.extend(PERCENTILES.map(|(k, _)| k));
                self.r.check_keys(
                    path,
                    table,
                    &allowed,
                    &tr!("a normal distribution", "正态分布"),
                );
                if pct.is_empty() {
                    let mean = self
                        .r
                        .req_value(path, table, "mean", tr!("the mean", "均值"));
                    let mean = mean.and_then(|(p, v)| self.param(&p, v, role));
                    let sd = self.r.req(
                        path,
                        table,
                        "sd",
                        tr!("the standard deviation", "标准差"),
                        Reader::number,
                    );
                    let sd = sd.and_then(|sd| self.non_negative(&path.key("sd"), sd));
                    Some((Shape::normal(sd?), mean?))
                } else {
                    let (a, b) = self.two_percentiles(path, table, &pct, &["mean", "sd"], false)?;
                    let sd = (b.1 - a.1) / (norm_quantile(b.0) - norm_quantile(a.0));
                    let mean = a.1 - sd * norm_quantile(a.0);
                    Some((Shape::normal(sd), Param::Fixed(mean)))
                }
            }
            "student_t" => {
                allowed.extend(["mean", "scale", "df"]);
                self.r.check_keys(
                    path,
                    table,
                    &allowed,
                    &tr!("a Student t distribution", "t 分布"),
                );
                let mean = self
                    .r
                    .req_value(path, table, "mean", tr!("the location", "位置参数"));
                let mean = mean.and_then(|(p, v)| self.param(&p, v, role));
                let scale = self.r.req(
                    path,
                    table,
                    "scale",
                    tr!("the scale", "尺度参数"),
                    Reader::number,
                );
                let scale = scale.and_then(|s| self.positive(&path.key("scale"), s));
                let df = self.r.req(
                    path,
                    table,
                    "df",
                    tr!("the degrees of freedom", "自由度"),
                    Reader::number,
                );
                let df = df.and_then(|d| self.positive(&path.key("df"), d));
                Some((Shape::student_t(scale?, df?), mean?))
            }
            "uniform" => {
                allowed.extend(["low", "high"]);
                self.r.check_keys(
                    path,
                    table,
                    &allowed,
                    &tr!("a uniform distribution", "均匀分布"),
                );
                let (low, high) = self.ends(path, table);
                let (low, high) = (low?, high?);
                if low >= high {
                    self.r.error(
                        &path.key("high"),
                        tr!(
                            "`high` ({high}) must be above `low` ({low})",
                            "`high`（{high}）须大于 `low`（{low}）"
                        ),
                    );
                    return None;
                }
                Some((Shape::Uniform { low, high }, Param::Fixed(0.0)))
            }
            "triangular" | "pert" => {
                allowed.extend(["low", "mode", "high"]);
                let what = if dist == "pert" {
                    tr!("a PERT distribution", "PERT 分布")
                } else {
                    tr!("a triangular distribution", "三角分布")
                };
                self.r.check_keys(path, table, &allowed, &what);
                let (low, high) = self.ends(path, table);
                let mode = self.r.req(
                    path,
                    table,
                    "mode",
                    tr!("the most likely value", "最可能值"),
                    Reader::number,
                );
                let (low, mode, high) = (low?, mode?, high?);
                if !(low <= mode && mode <= high && low < high) {
                    self.r.error(
                        path,
                        tr!("expected low ≤ mode ≤ high with low < high, found {low}, {mode}, {high}", "应满足 low ≤ mode ≤ high 且 low < high，实为 {low}, {mode}, {high}"),
                    );
                    return None;
                }
                let shape = if dist == "pert" {
                    Shape::pert(low, mode, high)
                } else {
                    Shape::Triangular { low, mode, high }
                };
                Some((shape, Param::Fixed(0.0)))
            }
            _ => {
                allowed.extend(["mu", "sigma"]);
                allowed.extend(PERCENTILES.map(|(k, _)| k));
                self.r.check_keys(
                    path,
                    table,
                    &allowed,
                    &tr!("a lognormal distribution", "对数正态分布"),
                );
                if pct.is_empty() {
                    let mu = self.r.req(
                        path,
                        table,
                        "mu",
                        tr!("the mean of the logarithm", "对数的均值"),
                        Reader::number,
                    );
                    let sigma = self.r.req(
                        path,
                        table,
                        "sigma",
                        tr!("the sd of the logarithm", "对数的标准差"),
                        Reader::number,
                    );
                    let sigma = sigma.and_then(|s| self.positive(&path.key("sigma"), s));
                    Some((
                        Shape::Lognormal {
                            mu: mu?,
                            sigma: sigma?,
                        },
                        Param::Fixed(0.0),
                    ))
                } else {
                    let (a, b) = self.two_percentiles(path, table, &pct, &["mu", "sigma"], true)?;
                    let sigma = (b.1.ln() - a.1.ln()) / (norm_quantile(b.0) - norm_quantile(a.0));
                    let mu = a.1.ln() - sigma * norm_quantile(a.0);
                    Some((Shape::Lognormal { mu, sigma }, Param::Fixed(0.0)))
                }
            }
        };
        let min = self.r.opt(path, table, "min", Reader::number);
        let max = self.r.opt(path, table, "max", Reader::number);
        let (shape, loc) = shape_and_loc?;
        let mut d = Continuous::new(loc, shape);
        d.min = min.unwrap_or(f64::NEG_INFINITY);
        d.max = max.unwrap_or(f64::INFINITY);
        if d.min >= d.max {
            self.r.error(
                &path.key("max"),
                tr!(
                    "`max` ({max}) must be above `min` ({min})",
                    "`max`（{max}）须大于 `min`（{min}）",
                    max = d.max,
                    min = d.min
                ),
            );
            return None;
        }
        if d.is_truncated() {
            let kept = d.kept_mass(self.central(d.loc));
            if kept < MIN_KEPT_MASS {
                self.r.error_help(
                    path,
                    tr!("`min`/`max` keep only {kept:.2e} of the distribution's probability", "`min`/`max` 只保留了分布概率的 {kept:.2e}"),
                    Some(tr!("truncation redraws values outside [min, max]; widen the bounds or move the distribution", "截断会重抽 [min, max] 之外的值；请放宽界限或移动分布")),
                );
                return None;
            }
        }
        Some(d)
    }

    /// A number, or (with a `role`) a distribution drawn once per path.
    pub fn param(&mut self, path: &Path, v: &toml::Value, role: Option<Role>) -> Option<Param> {
        match (v, role) {
            (toml::Value::Table(_), None) => {
                self.r.error_help(
                    path,
                    tr!("expected a number here", "此处应为数"),
                    Some(tr!("only one level of uncertainty is allowed: the mean of a distribution may be a distribution, but not its own mean", "不确定性只允许一层：分布的均值可以是分布，但其均值不能再是分布")),
                );
                None
            }
            (toml::Value::Table(_), Some(role)) => {
                let d = self.continuous(path, v, None)?;
                self.params.push(d);
                self.roles.push(role);
                Some(Param::Drawn(self.params.len() - 1))
            }
            _ => self.r.number(path, v).map(Param::Fixed),
        }
    }

    /// Checks that a parameter can only take values in `[lo, hi]`.
    pub fn check_range(
        &mut self,
        path: &Path,
        p: Param,
        lo: f64,
        hi: f64,
        what: Text,
    ) -> Option<Param> {
        let (a, b) = match p {
            Param::Fixed(v) => (v, v),
            Param::Drawn(slot) => {
                let d = &self.params[slot];
                d.support(self.central(d.loc))
            }
        };
        if a >= lo && b <= hi {
            return Some(p);
        }
        let range = match (lo == f64::NEG_INFINITY, hi == f64::INFINITY) {
            (false, true) => Text::same(format!("≥ {lo}")),
            (true, false) => Text::same(format!("≤ {hi}")),
            _ => tr!("between {lo} and {hi}", "在 {lo} 与 {hi} 之间"),
        };
        match p {
            Param::Fixed(v) => self.r.error(
                path,
                tr!(
                    "{what} must be {range}, found {v}",
                    "{what}须{range}，实为 {v}",
                    what = what,
                    range = range
                ),
            ),
            Param::Drawn(_) => self.r.error_help(
                path,
                tr!(
                    "{what} must be {range}, but this distribution reaches [{a}, {b}]",
                    "{what}须{range}，但此分布可取到 [{a}, {b}]",
                    what = what,
                    range = range
                ),
                Some(tr!(
                    "bound it with `min`/`max` (truncation), e.g. min = {m}",
                    "请用 `min`/`max` 截断，例如 min = {m}",
                    m = if a < lo { lo } else { a }
                )),
            ),
        }
        None
    }

    /// Checks that a count's value (fixed, or the center of its
    /// distribution) is at most [`MAX_COUNT`]: beyond it counts of firms or
    /// projects are a typo, and the samplers lose meaning.
    pub fn check_count(&mut self, path: &Path, p: Param, what: Text) -> Option<Param> {
        let c = self.central(p);
        if c.is_nan() || c <= MAX_COUNT {
            return Some(p);
        }
        self.r.error(
            path,
            tr!(
                "{what} is {c}; counts here are at most {MAX_COUNT:e}",
                "{what}为 {c}；此处计数最多 {MAX_COUNT:e}",
                what = what
            ),
        );
        None
    }

    /// The central value of a location: fixed, or the mean of its distribution.
    fn central(&self, p: Param) -> f64 {
        crate::model::dist::central(p, self.params)
    }

    fn two_percentiles(
        &mut self,
        path: &Path,
        table: &toml::Table,
        pct: &[(&str, f64)],
        exclusive: &[&str],
        positive: bool,
    ) -> Option<((f64, f64), (f64, f64))> {
        if let Some(k) = exclusive.iter().find(|k| table.contains_key(**k)) {
            self.r.error(
                &path.key(k),
                tr!(
                    "give either `{fields}` or two percentiles, not both",
                    "请给出 `{fields}` 或两个百分位数，不可兼有",
                    fields = exclusive.join("`/`")
                ),
            );
            return None;
        }
        if pct.len() != 2 {
            let names: Vec<&str> = pct.iter().map(|(k, _)| *k).collect();
            self.r.error(
                path,
                tr!(
                    "expected exactly two percentiles, found {n}: {list}",
                    "应恰好给出两个百分位数，实为 {n} 个：{list}",
                    n = pct.len(),
                    list = names.join(", ")
                ),
            );
            return None;
        }
        let a = self.r.number(&path.key(pct[0].0), &table[pct[0].0]);
        let b = self.r.number(&path.key(pct[1].0), &table[pct[1].0]);
        let (a, b) = (a?, b?);
        if b <= a {
            self.r.error(
                &path.key(pct[1].0),
                tr!(
                    "`{hi}` ({b}) must be above `{lo}` ({a})",
                    "`{hi}`（{b}）须大于 `{lo}`（{a}）",
                    hi = pct[1].0,
                    lo = pct[0].0
                ),
            );
            return None;
        }
        if positive && a <= 0.0 {
            self.r.error(
                &path.key(pct[0].0),
                tr!(
                    "a lognormal's percentiles must be positive, found {a}",
                    "对数正态分布的百分位数须为正，实为 {a}"
                ),
            );
            return None;
        }
        Some(((pct[0].1, a), (pct[1].1, b)))
    }

    /// A range's required `low` and `high` (uniform, triangular, PERT).
    fn ends(&mut self, path: &Path, table: &toml::Table) -> (Option<f64>, Option<f64>) {
        let low = tr!("the lower end", "下限");
        let high = tr!("the upper end", "上限");
        (
            self.r.req(path, table, "low", low, Reader::number),
            self.r.req(path, table, "high", high, Reader::number),
        )
    }

    fn positive(&mut self, path: &Path, x: f64) -> Option<f64> {
        if x > 0.0 {
            Some(x)
        } else {
            self.r.error(
                path,
                tr!(
                    "expected a number > 0, found {x}",
                    "应为 > 0 的数，实为 {x}"
                ),
            );
            None
        }
    }

    fn non_negative(&mut self, path: &Path, x: f64) -> Option<f64> {
        if x >= 0.0 {
            Some(x)
        } else {
            self.r.error(
                path,
                tr!(
                    "expected a number ≥ 0, found {x}",
                    "应为 ≥ 0 的数，实为 {x}"
                ),
            );
            None
        }
    }
}

/// Yearly additions of a count indicator.
/// A count's yearly entries; `indicator` owns an uncertain mean.
pub fn entries(
    d: &mut DistReader,
    path: &Path,
    v: &toml::Value,
    indicator: usize,
) -> Option<crate::model::Entries> {
    let Some(table) = v.as_table() else {
        d.r.error_help(
            path,
            tr!(
                "expected a count distribution, found {found}",
                "应为计数分布，实为{found}",
                found = describe(v)
            ),
            Some(tr!(
                "e.g. entries = {{ dist = \"poisson\", mean = 15 }}",
                "例如 entries = {{ dist = \"poisson\", mean = 15 }}"
            )),
        );
        return None;
    };
    let dist = match table.get("dist") {
        None => "poisson",
        Some(x) => d.r.choice(&path.key("dist"), x, &COUNT_DISTS)?,
    };
    let allowed: &[&str] = if dist == "poisson" {
        &["dist", "mean"]
    } else {
        &["dist", "mean", "dispersion"]
    };
    d.r.check_keys(
        path,
        table,
        allowed,
        &tr!("a {dist} distribution", "{dist} 分布"),
    );
    let mean = d.r.req_value(
        path,
        table,
        "mean",
        tr!("the mean number of additions a year", "每年新增数的均值"),
    );
    let mean = mean
        .and_then(|(p, v)| {
            d.param(
                &p,
                v,
                Some(Role::indicator(indicator, ParamAspect::MeanEntries)),
            )
        })
        .and_then(|p| {
            d.check_range(
                &path.key("mean"),
                p,
                0.0,
                f64::INFINITY,
                tr!("the mean", "均值"),
            )
        })
        .and_then(|p| d.check_count(&path.key("mean"), p, tr!("the mean", "均值")));
    let dispersion = if dist == "negative_binomial" {
        let x = d.r.req(
            path,
            table,
            "dispersion",
            Text::same("variance = mean + mean²/dispersion"),
            Reader::number,
        )?;
        if x <= 0.0 {
            d.r.error(
                &path.key("dispersion"),
                tr!(
                    "expected a number > 0, found {x}",
                    "应为 > 0 的数，实为 {x}"
                ),
            );
            return None;
        }
        Some(x)
    } else {
        None
    };
    Some(crate::model::Entries {
        mean: mean?,
        dispersion,
    })
}
