//! `calibrate` output: TOML ready to paste into an indicator, with the
//! estimates and their weaknesses as comments.

use crate::calibrate::{CountFit, GrowthFit, SeriesKind};

pub fn render_growth(fit: &GrowthFit, origin: &str) -> String {
    let (field, what, unit) = match fit.kind {
        SeriesKind::Share => ("change", "yearly changes", 100.0),
        _ => ("growth", "yearly growth rates", 100.0),
    };
    let pct = |x: f64| {
        format!(
            "{:.2}{}",
            x * unit,
            if fit.kind == SeriesKind::Share {
                " pt"
            } else {
                " %"
            }
        )
    };
    let mut out = format!(
        "# dabiao calibrate · {origin}\n# {} values, {}–{} ({} {what})\n",
        fit.n + 1,
        fit.first_year,
        fit.last_year,
        fit.n
    );
    out.push_str(&format!(
        "# mean {} (standard error {}), sd {}",
        pct(fit.mean.value),
        pct(fit.mean.se),
        pct(fit.sd)
    ));
    if let Some(p) = fit.persistence {
        out.push_str(&format!(
            "; persistence {:.2} (standard error {:.2})",
            p.value, p.se
        ));
    }
    out.push('\n');
    for w in &fit.warnings {
        out.push_str(&format!("# warning: {w}\n"));
    }
    let phi = fit
        .persistence
        .filter(|p| !p.indistinguishable_from_zero())
        .map_or(0.0, |p| p.value);
    if phi != 0.0 {
        out.push_str("# with persistence, `sd` is that of the yearly innovations (smaller than the sd above)\n");
    }
    out.push_str(&format!(
        "{field} = {{ mean = {{ mean = {:.5}, sd = {:.5} }}, sd = {:.5} }}\npersistence = {:.2}\n",
        fit.mean.value, fit.mean.se, fit.innovation_sd, phi
    ));
    out
}

pub fn render_count(fit: &CountFit, origin: &str) -> String {
    let mut out = format!(
        "# dabiao calibrate · {origin}\n# {} values, {}–{} ({} yearly additions)\n# mean {:.2} (standard error {:.2}), variance {:.2}\n",
        fit.n + 1,
        fit.first_year,
        fit.last_year,
        fit.n,
        fit.mean.value,
        fit.mean.se,
        fit.variance
    );
    if fit.exit_rate > 0.0 {
        out.push_str(&format!(
            "# gross entries, with {:.1} % of units leaving each year: each year's change plus exit_rate × the count before\n",
            fit.exit_rate * 100.0
        ));
    } else {
        out.push_str("# net additions (no exit rate): if units leave, give --exit-rate to get the gross entries a scenario's `entries` are\n");
    }
    for w in &fit.warnings {
        out.push_str(&format!("# warning: {w}\n"));
    }
    let mean = format!(
        "{{ mean = {:.3}, sd = {:.3}, min = 0 }}",
        fit.mean.value, fit.mean.se
    );
    match fit.dispersion {
        Some(r) => out.push_str(&format!(
            "entries = {{ dist = \"negative_binomial\", mean = {mean}, dispersion = {r:.3} }}\n"
        )),
        None => {
            out.push_str("# the additions scatter no more than a Poisson's\n");
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
