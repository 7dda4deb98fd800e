//! Plain SVG charts written by hand: small, dependency-free, and the same
//! inputs always give the same bytes.

/// Colours for series, distinguishable and print-safe.
pub const COLOURS: [&str; 8] = [
    "#1f77b4", "#d62728", "#2ca02c", "#9467bd", "#ff7f0e", "#17becf", "#8c564b", "#e377c2",
];

/// "Nice" tick values covering `[lo, hi]`.
pub fn ticks(lo: f64, hi: f64, target: usize) -> Vec<f64> {
    if hi.partial_cmp(&lo) != Some(std::cmp::Ordering::Greater) {
        return vec![lo];
    }
    let raw = (hi - lo) / target as f64;
    let mag = 10f64.powf(raw.log10().floor());
    let step = [1.0, 2.0, 2.5, 5.0, 10.0]
        .iter()
        .map(|m| m * mag)
        .find(|&s| s >= raw)
        .unwrap_or(10.0 * mag);
    let first = (lo / step).ceil() as i64;
    let last = (hi / step).floor() as i64;
    (first..=last).map(|k| k as f64 * step).collect()
}

/// A line chart of probability (0–1) against a parameter.
pub fn probability_lines(
    series: &[(String, Vec<(f64, f64)>)],
    x_label: &str,
    format_x: impl Fn(f64) -> String,
) -> String {
    let (w, h, left, right, top, bottom) = (720.0, 360.0, 56.0, 16.0, 16.0, 48.0);
    let xs: Vec<f64> = series
        .iter()
        .flat_map(|(_, p)| p.iter().map(|q| q.0))
        .collect();
    let (x0, x1) = (
        xs.iter().copied().fold(f64::INFINITY, f64::min),
        xs.iter().copied().fold(f64::NEG_INFINITY, f64::max),
    );
    let px = |x: f64| left + (x - x0) / (x1 - x0).max(1e-300) * (w - left - right);
    let py = |y: f64| top + (1.0 - y) * (h - top - bottom);
    let mut s = format!(
        "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 {w} {h}\" width=\"{w}\" height=\"{h}\" role=\"img\">\n"
    );
    for t in ticks(0.0, 1.0, 5) {
        s.push_str(&format!(
            "<line x1=\"{left}\" x2=\"{:.1}\" y1=\"{y:.1}\" y2=\"{y:.1}\" stroke=\"#ddd\"/><text x=\"{:.1}\" y=\"{:.1}\" text-anchor=\"end\" font-size=\"11\">{:.0}%</text>\n",
            w - right,
            left - 6.0,
            py(t) + 4.0,
            t * 100.0,
            y = py(t)
        ));
    }
    for t in ticks(x0, x1, 6) {
        s.push_str(&format!(
            "<line x1=\"{x:.1}\" x2=\"{x:.1}\" y1=\"{top}\" y2=\"{:.1}\" stroke=\"#eee\"/><text x=\"{x:.1}\" y=\"{:.1}\" text-anchor=\"middle\" font-size=\"11\">{}</text>\n",
            h - bottom,
            h - bottom + 16.0,
            format_x(t),
            x = px(t)
        ));
    }
    s.push_str(&format!(
        "<text x=\"{:.1}\" y=\"{:.1}\" text-anchor=\"middle\" font-size=\"12\">{}</text>\n",
        (left + w - right) / 2.0,
        h - 8.0,
        escape(x_label)
    ));
    for (k, (_, points)) in series.iter().enumerate() {
        let colour = COLOURS[k % COLOURS.len()];
        let path: Vec<String> = points
            .iter()
            .map(|&(x, y)| format!("{:.1},{:.1}", px(x), py(y)))
            .collect();
        s.push_str(&format!(
            "<polyline fill=\"none\" stroke=\"{colour}\" stroke-width=\"2\" points=\"{}\"/>\n",
            path.join(" ")
        ));
    }
    s.push_str("</svg>\n");
    s
}

/// The legend for `probability_lines`, as HTML.
pub fn legend(labels: &[String]) -> String {
    labels
        .iter()
        .enumerate()
        .map(|(k, l)| {
            format!(
                "<span class=\"key\"><span class=\"swatch\" style=\"background:{}\"></span>{}</span>",
                COLOURS[k % COLOURS.len()],
                escape(l)
            )
        })
        .collect::<Vec<_>>()
        .join(" ")
}

pub fn escape(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ticks_are_round_and_inside() {
        assert_eq!(
            ticks(0.0, 1.0, 5),
            vec![0.0, 0.2, 0.4, 0.6000000000000001, 0.8, 1.0]
        );
        let t = ticks(0.05, 0.15, 6);
        assert!(
            t.iter().all(|&x| (0.05..=0.15 + 1e-12).contains(&x)) && t.len() >= 4,
            "{t:?}"
        );
    }
}
