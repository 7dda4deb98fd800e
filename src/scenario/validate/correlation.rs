//! `[correlation]`: pairs into a matrix, checked, and repaired on request.

use std::collections::{HashMap, HashSet};

use super::{IndicatorKind, Validator};
use crate::error::did_you_mean;
use crate::model::correlation::Matrix;
use crate::model::Correlation;
use crate::scenario::reader::{describe, Path, Reader};
use crate::text::Text;
use crate::tr;

/// Matrices up to this size are shown whole in messages; larger ones by the
/// pairs that change most. Lists in messages show this many pairs at most.
const SHOWN_MATRIX: usize = 8;
const SHOWN_PAIRS: usize = 10;

impl Validator {
    /// `[correlation] pairs`: the copula over indicators' yearly deviates.
    pub(super) fn correlation(
        &mut self,
        root: &toml::Table,
        ids: &[String],
        kinds: &[Option<IndicatorKind>],
    ) -> Option<Option<Correlation>> {
        let Some((t, repair)) = self.correlation_table(root)? else {
            return Some(None);
        };
        self.r.check_keys(
            &Path::root().key("correlation"),
            t,
            &["pairs", "parameters", "repair"],
            &Text::same("[correlation]"),
        );
        let ppath = Path::root().key("correlation").key("pairs");
        let example = &tr!(
            "[id, id, correlation], e.g. [\"output\", \"revenue\", 0.8]",
            "[id, id, 相关系数]，例如 [\"output\", \"revenue\", 0.8]"
        );
        let Some(pairs) = self.pairs(&ppath, t.get("pairs"), example)? else {
            return Some(None);
        };
        let read = self.read_pairs(&ppath, pairs, example, ids, |r, ip, id| {
            match r.indicator(ip, id, ids) {
                Some(i) if kinds[i].is_some_and(IndicatorKind::moves_by_deviates) => Some(i),
                Some(i) => {
                    let kind = kinds[i].map_or("invalid", IndicatorKind::name);
                    r.error(ip, tr!("`{id}` is a {kind} indicator; correlation is between the growth of level and share indicators", "`{id}` 是 {kind} 类指标；相关只用于 level 与 share 类指标的增长"));
                    None
                }
                None => None,
            }
        })?;
        self.matrix(&ppath, &read, ids, repair).map(Some)
    }

    /// `[correlation] parameters`: the copula over parameters drawn once
    /// per path, named by their `--set` paths; `names` holds every
    /// parameter's path, and what a fixed value's path would be is `fixed`.
    pub(super) fn parameter_correlation(
        &mut self,
        root: &toml::Table,
        names: &[String],
        fixed: &[String],
    ) -> Option<Option<Correlation>> {
        let Some((t, repair)) = self.correlation_table(root)? else {
            return Some(None);
        };
        let ppath = Path::root().key("correlation").key("parameters");
        let example = &tr!(
            "[path, path, correlation], e.g. [\"indicators.revenue.growth.mean\", \"indicators.rd.base\", 0.6]",
            "[路径, 路径, 相关系数]，例如 [\"indicators.revenue.growth.mean\", \"indicators.rd.base\", 0.6]"
        );
        let Some(pairs) = self.pairs(&ppath, t.get("parameters"), example)? else {
            return Some(None);
        };
        let read = self.read_pairs(&ppath, pairs, example, names, |r, ip, path| {
            if let Some(k) = names.iter().position(|n| n == path) {
                return Some(k);
            }
            if fixed.iter().any(|f| f == path) {
                r.error_help(
                    ip,
                    tr!("`{path}` is a fixed number, not drawn per path", "`{path}` 是固定数值，并非每条路径抽取"),
                    Some(tr!("give it as a distribution (e.g. {{ dist = \"uniform\", low = …, high = … }}) to correlate it", "要使其相关，请写成分布（例如 {{ dist = \"uniform\", low = …, high = … }}）")),
                );
            } else {
                let help = did_you_mean(path, names.iter().map(String::as_str)).or_else(|| {
                    Some(if names.is_empty() {
                        tr!("no parameter of this scenario is drawn per path", "本情景没有每条路径抽取的参数")
                    } else {
                        let list = names.join(", ");
                        tr!("the parameters drawn per path are: {list}", "每条路径抽取的参数有：{list}")
                    })
                });
                r.error_help(ip, tr!("`{path}` is not a parameter drawn per path", "`{path}` 不是每条路径抽取的参数"), help);
            }
            None
        })?;
        self.matrix(&ppath, &read, names, repair).map(Some)
    }

    /// The `[correlation]` table and its `repair` flag, if there is one.
    fn correlation_table<'t>(
        &mut self,
        root: &'t toml::Table,
    ) -> Option<Option<(&'t toml::Table, bool)>> {
        let path = Path::root().key("correlation");
        let Some(v) = root.get("correlation") else {
            return Some(None);
        };
        let t = self.r.table(&path, v)?;
        let repair = self
            .r
            .opt(&path, t, "repair", Reader::boolean)
            .unwrap_or(false);
        Some(Some((t, repair)))
    }

    /// The array of pairs at `path`, if given.
    fn pairs<'t>(
        &mut self,
        path: &Path,
        v: Option<&'t toml::Value>,
        example: &Text,
    ) -> Option<Option<&'t Vec<toml::Value>>> {
        match v {
            Some(toml::Value::Array(a)) => Some(Some(a)),
            Some(other) => {
                self.r.error(
                    path,
                    tr!(
                        "expected an array of {example}, found {found}",
                        "应为由 {example} 组成的数组，实为{found}",
                        example = example,
                        found = describe(other)
                    ),
                );
                None
            }
            None => Some(None),
        }
    }

    /// Each `[a, b, rho]` as positions among `names`, found by `find`; every
    /// problem reported, `None` if there was one.
    fn read_pairs(
        &mut self,
        ppath: &Path,
        pairs: &[toml::Value],
        example: &Text,
        names: &[String],
        mut find: impl FnMut(&mut Reader, &Path, &str) -> Option<usize>,
    ) -> Option<Vec<(usize, usize, f64)>> {
        let mut read = Vec::new();
        // Each pair's first position, by its members in order.
        let mut seen = HashMap::new();
        let mut ok = true;
        for (k, pair) in pairs.iter().enumerate() {
            let p = ppath.index(k);
            let items = match pair.as_array() {
                Some(a) if a.len() == 3 => a,
                _ => {
                    self.r.error(
                        &p,
                        tr!("expected {example}", "应为 {example}", example = example),
                    );
                    ok = false;
                    continue;
                }
            };
            let mut idx = [0usize; 2];
            for (s, item) in items[..2].iter().enumerate() {
                let ip = p.index(s);
                match self
                    .r
                    .string(&ip, item)
                    .and_then(|id| find(&mut self.r, &ip, id))
                {
                    Some(i) => idx[s] = i,
                    None => ok = false,
                }
            }
            let rho = self.r.number(&p.index(2), &items[2]);
            match rho {
                Some(x) if (-1.0..=1.0).contains(&x) => {}
                Some(x) => {
                    self.r.error(
                        &p.index(2),
                        tr!(
                            "a correlation lies in [−1, 1], found {x}",
                            "相关系数在 [−1, 1] 内，实为 {x}"
                        ),
                    );
                    ok = false;
                }
                None => ok = false,
            }
            if ok && idx[0] == idx[1] {
                self.r.error(
                    &p,
                    tr!(
                        "`{a}` paired with itself",
                        "`{a}` 与自身配对",
                        a = names[idx[0]]
                    ),
                );
                ok = false;
            }
            if ok {
                let key = (idx[0].min(idx[1]), idx[0].max(idx[1]));
                let first = *seen.entry(key).or_insert(k);
                if first != k {
                    self.r.error(
                        &p,
                        tr!(
                            "the pair {a} ~ {b} is already given in [{first}]",
                            "{a} ~ {b} 这一对已在 [{first}] 给出",
                            a = names[idx[0]],
                            b = names[idx[1]]
                        ),
                    );
                    ok = false;
                }
                read.push((idx[0], idx[1], rho.unwrap_or(0.0)));
            }
        }
        ok.then_some(read)
    }

    /// The pairs as a matrix over the members they name, checked positive
    /// semi-definite, and repaired to the nearest valid one if `repair`.
    fn matrix(
        &mut self,
        ppath: &Path,
        read: &[(usize, usize, f64)],
        ids: &[String],
        repair: bool,
    ) -> Option<Correlation> {
        let mut members: Vec<usize> = read.iter().flat_map(|&(a, b, _)| [a, b]).collect();
        members.sort_unstable();
        members.dedup();
        let n = members.len();
        let pos = |i: usize| members.binary_search(&i).unwrap_or(0);
        let mut matrix = Matrix::identity(n);
        for &(a, b, rho) in read {
            matrix.set(pos(a), pos(b), rho);
            matrix.set(pos(b), pos(a), rho);
        }
        let mut repaired_from = None;
        if !matrix.is_psd() {
            let nearest = matrix.nearest_correlation();
            if !repair {
                let involved: Vec<usize> = matrix
                    .indices_in_negative_directions()
                    .iter()
                    .map(|&k| members[k])
                    .collect();
                let involved: HashSet<usize> = involved.into_iter().collect();
                let named: Vec<String> = read
                    .iter()
                    .filter(|(a, b, _)| involved.contains(a) && involved.contains(b))
                    .map(|&(a, b, rho)| format!("{} ~ {} ({rho})", ids[a], ids[b]))
                    .collect();
                let shown = if members.len() <= SHOWN_MATRIX {
                    tr!(
                        "the nearest valid matrix is\n{m}",
                        "最近的有效矩阵为\n{m}",
                        m = show_matrix(&nearest, &members, ids)
                    )
                } else {
                    let mut moves: Vec<(f64, String)> = read
                        .iter()
                        .map(|&(a, b, rho)| {
                            let now = nearest.get(pos(a), pos(b));
                            (
                                (now - rho).abs(),
                                format!("{} ~ {}: {rho} → {now:.3}", ids[a], ids[b]),
                            )
                        })
                        .collect();
                    moves.sort_by(|x, y| y.0.total_cmp(&x.0));
                    let list: Vec<String> =
                        moves.into_iter().take(SHOWN_PAIRS).map(|m| m.1).collect();
                    tr!(
                        "the nearest valid matrix moves these pairs most:\n  {l}",
                        "最近的有效矩阵改动最大的几对：\n  {l}",
                        l = list.join("\n  ")
                    )
                };
                self.r.error_help(
                    ppath,
                    tr!(
                        "these correlations cannot hold together (the matrix is not positive semi-definite): {pairs}",
                        "这些相关系数不能同时成立（矩阵不是半正定的）：{pairs}",
                        pairs = shorten(&named, SHOWN_PAIRS)
                    ),
                    Some(tr!(
                        "{shown}\n  set `repair = true` in [correlation] to use it",
                        "{shown}\n  在 [correlation] 中设 `repair = true` 即可使用它",
                        shown = shown
                    )),
                );
                return None;
            }
            repaired_from = Some(std::mem::replace(&mut matrix, nearest));
        }
        let cholesky = matrix.cholesky();
        Some(Correlation {
            members,
            matrix,
            cholesky,
            repaired_from,
        })
    }
}

/// The first `n` items joined, and how many more there are.
fn shorten(items: &[String], n: usize) -> Text {
    let s = items[..items.len().min(n)].join(", ");
    if items.len() > n {
        let more = items.len() - n;
        tr!("{s} and {more} more", "{s} 等（另有 {more} 对）")
    } else {
        Text::same(s)
    }
}

fn show_matrix(m: &Matrix, members: &[usize], ids: &[String]) -> String {
    let width = members
        .iter()
        .map(|&i| ids[i].len())
        .max()
        .unwrap_or(0)
        .max(6);
    let mut s = format!("  {:width$}", "");
    for &i in members {
        s.push_str(&format!(" {:>width$}", ids[i]));
    }
    for (a, &i) in members.iter().enumerate() {
        s.push_str(&format!("\n  {:width$}", ids[i]));
        for b in 0..members.len() {
            s.push_str(&format!(" {:>width$.3}", m.get(a, b)));
        }
    }
    s
}
