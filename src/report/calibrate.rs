//! `calibrate` output: TOML ready to paste into an indicator, with the
//! estimates and their weaknesses as comments, in the command's language.

use crate::calibrate::{CountFit, GrowthFit, SeriesKind};
use crate::report::words::Lang;
use crate::text::Text;
use crate::tr;

pub fn render_growth(fit: &GrowthFit, origin: &Text, lang: Lang) -> String {
    let share = fit.kind == SeriesKind::Share;
    let (field, what) = if share {
        ("change", tr!("yearly changes", "个年变化"))
    } else {
        ("growth", tr!("yearly growth rates", "个年增长率"))
    };
    let pct = |x: f64| format!("{:.2}{}", x * 100.0, if share { " pt" } else { " %" });
    let say = |t: Text| t.get(lang).to_string();
    let mut out = say(head(origin, fit.n, (fit.first_year, fit.last_year), what));
    out.push_str(&say(tr!(
        "# mean {m} (standard error {se}), sd {sd}",
        "# 均值 {m}（标准误 {se}），标准差 {sd}",
        m = pct(fit.mean.value),
        se = pct(fit.mean.se),
        sd = pct(fit.sd)
    )));
    if let Some(p) = fit.persistence {
        out.push_str(&say(tr!(
            "; persistence {v:.2} (standard error {se:.2})",
            "；持续性 {v:.2}（标准误 {se:.2}）",
            v = p.value,
            se = p.se
        )));
    }
    out.push('\n');
    warnings(&mut out, &fit.warnings, lang);
    let phi = fit
        .persistence
        .filter(|p| !p.indistinguishable_from_zero())
        .map_or(0.0, |p| p.value);
    if phi != 0.0 {
        out.push_str(&say(tr!(
            "# with persistence, `sd` is that of the yearly innovations (smaller than the sd above)\n",
            "# 有持续性时，`sd` 是每年新息的标准差（小于上面的标准差）\n"
        )));
    }
    out.push_str(&format!(
        "{field} = {{ mean = {{ mean = {:.5}, sd = {:.5} }}, sd = {:.5} }}\npersistence = {:.2}\n",
        fit.mean.value, fit.mean.se, fit.innovation_sd, phi
    ));
    out
}

pub fn render_count(fit: &CountFit, origin: &Text, lang: Lang) -> String {
    let say = |t: Text| t.get(lang).to_string();
    let additions = tr!("yearly additions", "个年新增");
    let mut out = say(head(
        origin,
        fit.n,
        (fit.first_year, fit.last_year),
        additions,
    ));
    out.push_str(&say(tr!(
        "# mean {m:.2} (standard error {se:.2}), variance {v:.2}\n",
        "# 均值 {m:.2}（标准误 {se:.2}），方差 {v:.2}\n",
        m = fit.mean.value,
        se = fit.mean.se,
        v = fit.variance
    )));
    if fit.exit_rate > 0.0 {
        out.push_str(&say(tr!(
            "# gross entries, with {pct:.1} % of units leaving each year: each year's change plus exit_rate × the count before\n",
            "# 新增总数，每年有 {pct:.1}% 的单位退出：每年的变化加上 exit_rate × 上年数量\n",
            pct = fit.exit_rate * 100.0
        )));
    } else {
        out.push_str(&say(tr!(
            "# net additions (no exit rate): if units leave, give --exit-rate to get the gross entries a scenario's `entries` are\n",
            "# 净新增（无退出率）：若有单位退出，请给 --exit-rate，以得到情景 `entries` 所指的新增总数\n"
        )));
    }
    warnings(&mut out, &fit.warnings, lang);
    let mean = format!(
        "{{ mean = {:.3}, sd = {:.3}, min = 0 }}",
        fit.mean.value, fit.mean.se
    );
    match fit.dispersion {
        Some(r) => out.push_str(&format!(
            "entries = {{ dist = \"negative_binomial\", mean = {mean}, dispersion = {r:.3} }}\n"
        )),
        None => {
            out.push_str(&say(tr!(
                "# the additions scatter no more than a Poisson's\n",
                "# 新增的离散程度不超过泊松分布\n"
            )));
            out.push_str(&format!(
                "entries = {{ dist = \"poisson\", mean = {mean} }}\n"
            ));
        }
    }
    if fit.exit_rate > 0.0 {
        out.push_str(&format!("exit_rate = {}\n", fit.exit_rate));
    }
    out
}

/// The first two lines: where the series came from, how many values over
/// which years, and how many `what` (yearly movements) they give.
fn head(origin: &Text, n: usize, (first, last): (i32, i32), what: Text) -> Text {
    tr!(
        "# dabiao calibrate · {origin}\n# {values} values, {first}–{last} ({n} {what})\n",
        "# dabiao calibrate · {origin}\n# {values} 个值，{first}–{last}（{n} {what}）\n",
        origin = origin,
        values = n + 1,
        what = what
    )
}

fn warnings(out: &mut String, warnings: &[Text], lang: Lang) {
    for w in warnings {
        out.push_str(tr!("# warning: {w}\n", "# 注意：{w}\n", w = w).get(lang));
    }
}
