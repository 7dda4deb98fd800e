//! `[variants.ID]`: the scenarios an economist compares (基准, 乐观, 悲观),
//! each a label and a set of `--set` overrides, kept in the file itself.

use super::overrides::Override;
use super::reader::{Path, Problem, Reader, Seg};
use crate::error::did_you_mean;
use crate::tr;

/// One variant as written.
#[derive(Debug, Clone)]
pub struct Variant {
    pub id: String,
    pub label: String,
    /// Its `set`, in the file's order, as overrides.
    pub set: Vec<Override>,
}

/// Reads and removes `[variants]` from the scenario's TOML: what remains is
/// the scenario as written. Every problem is returned.
pub fn take(root: &mut toml::Table) -> Result<Vec<Variant>, Vec<Problem>> {
    let Some(section) = root.remove("variants") else {
        return Ok(Vec::new());
    };
    let mut r = Reader::default();
    let path = Path::root().key("variants");
    let mut out = Vec::new();
    if let Some(t) = r.table(&path, &section) {
        for (id, v) in t {
            let p = path.key(id);
            r.check_id(&p, id);
            let Some(vt) = r.table(&p, v) else {
                continue;
            };
            r.check_keys(&p, vt, &["label", "set"], &tr!("a variant", "变体"));
            let label = r.opt(&p, vt, "label", Reader::string).unwrap_or(id);
            let set = r.req(
                &p,
                vt,
                "set",
                tr!(
                    "the values it changes, e.g. {{ \"indicators.output.growth.mean\" = 0.05 }}",
                    "它改变的值，例如 {{ \"indicators.output.growth.mean\" = 0.05 }}"
                ),
                |r, p, v| r.table(p, v),
            );
            let mut overrides = Vec::new();
            for (key, value) in set.into_iter().flatten() {
                let raw = format!("{key}={value}");
                if key.is_empty() || key.split('.').any(str::is_empty) {
                    r.error(
                        &p.key("set").key(key),
                        tr!("`{key}` is not a path", "`{key}` 不是路径"),
                    );
                    continue;
                }
                overrides.push(Override {
                    raw,
                    path: Path(key.split('.').map(|s| Seg::Key(s.to_string())).collect()),
                    value: value.clone(),
                });
            }
            out.push(Variant {
                id: id.clone(),
                label: label.to_string(),
                set: overrides,
            });
        }
    }
    if r.problems.is_empty() {
        Ok(out)
    } else {
        Err(r.problems)
    }
}

/// The variant named `id`, or a problem naming the ones there are.
pub fn find<'v>(variants: &'v [Variant], id: &str) -> Result<&'v Variant, Problem> {
    variants.iter().find(|v| v.id == id).ok_or_else(|| {
        let ids: Vec<&str> = variants.iter().map(|v| v.id.as_str()).collect();
        Problem {
            path: Path::root().key("variants"),
            at_key: false,
            message: tr!("unknown variant `{id}`", "没有变体 `{id}`"),
            help: did_you_mean(id, ids.iter().copied()).or_else(|| {
                Some(if ids.is_empty() {
                    tr!("this file has no [variants]", "此文件没有 [variants]")
                } else {
                    let list = ids.join(", ");
                    tr!("its variants are: {list}", "它的变体有：{list}")
                })
            }),
        }
    })
}
