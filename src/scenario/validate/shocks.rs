//! `[shocks]`: rare common events that move several indicators at once.

use super::{IndicatorKind, Validator};
use crate::model::{ParamAspect, Role, Shock};
use crate::scenario::reader::{Path, Reader};
use crate::tr;

impl Validator {
    pub(super) fn shocks(
        &mut self,
        root: &toml::Table,
        ids: &[String],
        kinds: &[Option<IndicatorKind>],
        years: Option<(i32, i32)>,
    ) -> Option<Vec<Shock>> {
        let path = Path::root().key("shocks");
        let Some(v) = root.get("shocks") else {
            return Some(Vec::new());
        };
        let t = self.r.table(&path, v)?;
        let mut out = Vec::new();
        let mut ok = true;
        for (index, (id, sv)) in t.iter().enumerate() {
            let p = path.key(id);
            self.r.check_id(&p, id);
            match self.shock(&p, index, id, sv, ids, kinds, years) {
                Some(s) => out.push(s),
                None => ok = false,
            }
        }
        ok.then_some(out)
    }

    #[allow(clippy::too_many_arguments)]
    fn shock(
        &mut self,
        path: &Path,
        index: usize,
        id: &str,
        v: &toml::Value,
        ids: &[String],
        kinds: &[Option<IndicatorKind>],
        years: Option<(i32, i32)>,
    ) -> Option<Shock> {
        let t = self.r.table(path, v)?;
        self.r.check_keys(
            path,
            t,
            &["label", "probability", "effect", "affects", "years"],
            &tr!("a shock", "冲击"),
        );
        let label = self
            .r
            .opt(path, t, "label", Reader::string)
            .unwrap_or(id)
            .to_string();
        let probability = self
            .r
            .req_value(
                path,
                t,
                "probability",
                tr!("the chance per simulated year", "每个模拟年发生的概率"),
            )
            .and_then(|(p, v)| {
                let role = Role::shock(index, ParamAspect::Probability);
                let param = self.dists().param(&p, v, Some(role))?;
                self.dists()
                    .check_range(&p, param, 0.0, 1.0, tr!("a probability", "概率"))
            });
        let effect = self
            .r
            .req_value(
                path,
                t,
                "effect",
                tr!(
                    "the distribution of the size of an occurrence",
                    "每次发生时冲击大小的分布"
                ),
            )
            .and_then(|(p, v)| {
                let role = Role::shock(index, ParamAspect::EffectMean);
                self.dists().continuous(&p, v, Some(role))
            });
        let apath = path.key("affects");
        let affects = self.r.req(
            path,
            t,
            "affects",
            tr!(
                "loadings by indicator, e.g. {{ output = 1.0 }}",
                "各指标的载荷，例如 {{ output = 1.0 }}"
            ),
            |r, p, v| r.table(p, v),
        );
        let mut loadings = Vec::new();
        let mut ok = affects.is_some();
        for (ind, lv) in affects.into_iter().flatten() {
            let p = apath.key(ind);
            let Some(loading) = self.r.number(&p, lv) else {
                ok = false;
                continue;
            };
            match self.r.indicator(&p, ind, ids) {
                Some(i)
                    if kinds[i]
                        .is_some_and(|k| k.moves_by_deviates() || k == IndicatorKind::Count) =>
                {
                    loadings.push((i, loading))
                }
                Some(i) => {
                    let kind = kinds[i].map_or("invalid", IndicatorKind::name);
                    self.r.error(&p, tr!("`{ind}` is a {kind} indicator; shocks move the growth of levels, the change of shares and the entries of counts", "`{ind}` 是 {kind} 类指标；冲击作用于 level 的增长、share 的变化和 count 的新增"));
                    ok = false;
                }
                None => ok = false,
            }
        }
        let (first, last) = match (t.get("years"), years) {
            (None, Some((b, h))) => (b + 1, h),
            (None, None) => (0, 0),
            (Some(yv), years) => {
                let yp = path.key("years");
                let pair = yv.as_array().filter(|a| a.len() == 2);
                let Some(pair) = pair else {
                    self.r.error(
                        &yp,
                        tr!(
                            "expected [first, last], e.g. [2024, 2025]",
                            "应为 [起, 止]，例如 [2024, 2025]"
                        ),
                    );
                    return None;
                };
                let a = self.r.year(&yp.index(0), &pair[0])?;
                let b = self.r.year(&yp.index(1), &pair[1])?;
                if let Some((base, horizon)) = years {
                    if a > b || a <= base || b > horizon {
                        let first = base + 1;
                        self.r.error(&yp, tr!("expected simulated years with first ≤ last, within {first}–{horizon}, found [{a}, {b}]", "应为模拟年份，起 ≤ 止，且在 {first}–{horizon} 之内，实为 [{a}, {b}]"));
                        return None;
                    }
                }
                (a, b)
            }
        };
        if !ok {
            return None;
        }
        Some(Shock {
            id: id.to_string(),
            label,
            probability: probability?,
            effect: effect?,
            loadings,
            first,
            last,
        })
    }
}
