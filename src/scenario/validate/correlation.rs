//! `[correlation]`: pairs into a matrix, checked, and repaired on request.

use std::collections::{HashMap, HashSet};

use super::{IndicatorKind, Validator};
use crate::model::correlation::Matrix;
use crate::model::Correlation;
use crate::scenario::reader::{describe, Path, Reader};

/// Matrices up to this size are shown whole in messages; larger ones by the
/// pairs that change most. Lists in messages show this many pairs at most.
const SHOWN_MATRIX: usize = 8;
const SHOWN_PAIRS: usize = 10;

impl Validator {
    pub(super) fn correlation(
        &mut self,
        root: &toml::Table,
        ids: &[String],
        kinds: &[Option<IndicatorKind>],
    ) -> Option<Option<Correlation>> {
        let path = Path::root().key("correlation");
        let Some(v) = root.get("correlation") else {
            return Some(None);
        };
        let t = self.r.table(&path, v)?;
        self.r
            .check_keys(&path, t, &["pairs", "repair"], "[correlation]");
        let repair = self
            .r
            .opt(&path, t, "repair", Reader::boolean)
            .unwrap_or(false);
        let ppath = path.key("pairs");
        let pairs = match t.get("pairs") {
            Some(toml::Value::Array(a)) => a,
            Some(other) => {
                self.r.error(
                    &ppath,
                    format!(
                        "expected an array of [id, id, correlation], found {}",
                        describe(other)
                    ),
                );
                return None;
            }
            None => return Some(None),
        };
        let mut read = Vec::new();
        // Each pair's first position, by its indicators in order.
        let mut seen = HashMap::new();
        let mut ok = true;
        for (k, pair) in pairs.iter().enumerate() {
            let p = ppath.index(k);
            let items = match pair.as_array() {
                Some(a) if a.len() == 3 => a,
                _ => {
                    self.r.error(
                        &p,
                        "expected [id, id, correlation], e.g. [\"output\", \"revenue\", 0.8]",
                    );
                    ok = false;
                    continue;
                }
            };
            let mut idx = [0usize; 2];
            for (s, item) in items[..2].iter().enumerate() {
                let ip = p.index(s);
                let Some(id) = self.r.string(&ip, item) else {
                    ok = false;
                    continue;
                };
                match self.r.indicator(&ip, id, ids) {
                    Some(i) if kinds[i].is_some_and(IndicatorKind::moves_by_deviates) => idx[s] = i,
                    Some(i) => {
                        self.r.error(&ip, format!("`{id}` is a {} indicator; correlation is between the growth of level and share indicators", kinds[i].map_or("invalid", IndicatorKind::name)));
                        ok = false;
                    }
                    None => ok = false,
                }
            }
            let rho = self.r.number(&p.index(2), &items[2]);
            match rho {
                Some(x) if (-1.0..=1.0).contains(&x) => {}
                Some(x) => {
                    self.r.error(
                        &p.index(2),
                        format!("a correlation lies in [−1, 1], found {x}"),
                    );
                    ok = false;
                }
                None => ok = false,
            }
            if ok && idx[0] == idx[1] {
                self.r
                    .error(&p, format!("`{}` paired with itself", ids[idx[0]]));
                ok = false;
            }
            if ok {
                let key = (idx[0].min(idx[1]), idx[0].max(idx[1]));
                let first = *seen.entry(key).or_insert(k);
                if first != k {
                    self.r.error(
                        &p,
                        format!(
                            "the pair {} ~ {} is already given in pairs[{first}]",
                            ids[idx[0]], ids[idx[1]]
                        ),
                    );
                    ok = false;
                }
                read.push((idx[0], idx[1], rho.unwrap_or(0.0)));
            }
        }
        if !ok {
            return None;
        }
        let mut members: Vec<usize> = read.iter().flat_map(|&(a, b, _)| [a, b]).collect();
        members.sort_unstable();
        members.dedup();
        let n = members.len();
        let pos = |i: usize| members.binary_search(&i).unwrap_or(0);
        let mut matrix = Matrix::identity(n);
        for &(a, b, rho) in &read {
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
                    format!(
                        "the nearest valid matrix is\n{}",
                        show_matrix(&nearest, &members, ids)
                    )
                } else {
                    let pos = |i: usize| members.binary_search(&i).unwrap_or(0);
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
                    format!(
                        "the nearest valid matrix moves these pairs most:\n  {}",
                        list.join("\n  ")
                    )
                };
                self.r.error_help(
                    &ppath,
                    format!(
                        "these correlations cannot hold together (the matrix is not positive semi-definite): {}",
                        shorten(&named, SHOWN_PAIRS)
                    ),
                    Some(format!("{shown}\n  set `repair = true` in [correlation] to use it")),
                );
                return None;
            }
            repaired_from = Some(std::mem::replace(&mut matrix, nearest));
        }
        let cholesky = matrix.cholesky();
        Some(Some(Correlation {
            members,
            matrix,
            cholesky,
            repaired_from,
        }))
    }
}

/// The first `n` items joined, and how many more there are.
fn shorten(items: &[String], n: usize) -> String {
    let mut s = items[..items.len().min(n)].join(", ");
    if items.len() > n {
        s.push_str(&format!(" and {} more", items.len() - n));
    }
    s
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
