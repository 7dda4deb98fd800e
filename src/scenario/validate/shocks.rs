//! `[shocks]`: rare common events that move several indicators at once.

use super::{IndicatorKind, Validator};
use crate::model::{ParamAspect, Role, Shock};
use crate::scenario::reader::{Path, Reader};

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
            "a shock",
        );
        let label = self
            .r
            .opt(path, t, "label", Reader::string)
            .unwrap_or(id)
            .to_string();
        let probability = self
            .r
            .req_value(path, t, "probability", "the chance per simulated year")
            .and_then(|(p, v)| {
                let role = Role::shock(index, ParamAspect::Probability);
                let param = self.dists().param(&p, v, Some(role))?;
                self.dists()
                    .check_range(&p, param, 0.0, 1.0, "a probability")
            });
        let effect = self
            .r
            .req_value(
                path,
                t,
                "effect",
                "the distribution of the size of an occurrence",
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
            "loadings by indicator, e.g. { output = 1.0 }",
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
                    self.r.error(&p, format!("`{ind}` is a {} indicator; shocks move the growth of levels, the change of shares and the entries of counts", kinds[i].map_or("invalid", IndicatorKind::name)));
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
                    self.r
                        .error(&yp, "expected [first, last], e.g. [2024, 2025]");
                    return None;
                };
                let a = self.r.year(&yp.index(0), &pair[0])?;
                let b = self.r.year(&yp.index(1), &pair[1])?;
                if let Some((base, horizon)) = years {
                    if a > b || a <= base || b > horizon {
                        self.r.error(&yp, format!("expected simulated years with first ≤ last, within {}–{horizon}, found [{a}, {b}]", base + 1));
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
