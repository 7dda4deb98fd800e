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
    // A bound that is a tick (0.3 = 3 × 0.1) stays one despite rounding.
    let first = (lo / step - 1e-9).ceil() as i64;
    let last = (hi / step + 1e-9).floor() as i64;
    (first..=last).map(|k| k as f64 * step).collect()
}

/// How an axis's tick values read.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Axis {
    /// Calendar years: "2025".
    Year,
    /// Quantities, grouped by thousands with a space: "7 168", "31 744".
    Number,
    /// Fractions as percentages: "30 %", "2.5 %".
    Percent,
    /// Changes of a share, in percentage points: "1.5 pt".
    Points,
}

impl Axis {
    /// A parameter's axis: a rate reads as a percentage.
    pub fn for_parameter(path: &str) -> Axis {
        if super::format::path_is_rate(path) {
            Axis::Percent
        } else {
            Axis::Number
        }
    }
}

/// The labels of an axis's ticks, all with the same decimals: the fewest
/// that show every tick exactly: "0.0 %, 2.5 %, 5.0 %", "0 %, 10 %, 20 %".
pub fn tick_labels(ts: &[f64], axis: Axis) -> Vec<String> {
    let scale = match axis {
        Axis::Percent | Axis::Points => 100.0,
        Axis::Year | Axis::Number => 1.0,
    };
    let vs: Vec<f64> = ts.iter().map(|t| t * scale).collect();
    let exact = |d: i32| {
        let m = 10f64.powi(d);
        vs.iter()
            .all(|v| ((v * m).round() - v * m).abs() <= 1e-6 * (v * m).abs().max(1.0))
    };
    // Values that are not round (a sweep's grid, a run's draws) get enough
    // decimals to tell neighbours apart by three digits of their gap.
    let gap = vs
        .windows(2)
        .map(|p| (p[1] - p[0]).abs())
        .filter(|g| *g > 0.0)
        .fold(f64::INFINITY, f64::min);
    let spread = if gap.is_finite() {
        gap
    } else {
        vs.iter().fold(0.0, |m: f64, v| m.max(v.abs()))
    };
    let enough = if spread > 0.0 {
        (2 - spread.log10().floor() as i32).clamp(0, 6)
    } else {
        0
    };
    let decimals = if axis == Axis::Year {
        0
    } else {
        (0..enough).find(|&d| exact(d)).unwrap_or(enough) as usize
    };
    vs.iter()
        .map(|&v| {
            // "-0" is a rounding's artefact, not a value.
            let v = if v == 0.0 { 0.0 } else { v };
            let text = format!("{v:.decimals$}");
            match axis {
                Axis::Year => text,
                Axis::Number => group_thousands(&text),
                Axis::Percent => format!("{text} %"),
                Axis::Points => format!("{text} pt"),
            }
        })
        .collect()
}

/// "31744.5" as "31 744.5": groups of three, from four digits on, so that
/// the ticks of one axis read alike.
fn group_thousands(text: &str) -> String {
    let (sign, rest) = text.strip_prefix('-').map_or(("", text), |r| ("-", r));
    let (int, frac) = rest
        .split_once('.')
        .map_or((rest, None), |(a, b)| (a, Some(b)));
    let mut out = String::from(sign);
    for (k, c) in int.chars().enumerate() {
        if k > 0 && int.len() >= 4 && (int.len() - k) % 3 == 0 {
            out.push(' ');
        }
        out.push(c);
    }
    if let Some(f) = frac {
        out.push('.');
        out.push_str(f);
    }
    out
}

/// A chart of probability (0–1, up) against a parameter (across).
pub struct ProbabilityPlot {
    w: f64,
    h: f64,
    x0: f64,
    x1: f64,
}

impl ProbabilityPlot {
    const LEFT: f64 = 56.0;
    const RIGHT: f64 = 16.0;
    pub const TOP: f64 = 16.0;
    const BOTTOM: f64 = 48.0;

    /// A 720 × 360 chart over the parameter's range `x0..x1`.
    pub fn new(x0: f64, x1: f64) -> ProbabilityPlot {
        ProbabilityPlot {
            w: 720.0,
            h: 360.0,
            x0,
            x1,
        }
    }

    pub fn px(&self, x: f64) -> f64 {
        Self::LEFT
            + (x - self.x0) / (self.x1 - self.x0).max(1e-300) * (self.w - Self::LEFT - Self::RIGHT)
    }

    pub fn py(&self, y: f64) -> f64 {
        Self::TOP + (1.0 - y) * (self.h - Self::TOP - Self::BOTTOM)
    }

    /// The plot's left and right edges, and its foot.
    pub fn edges(&self) -> (f64, f64, f64) {
        (Self::LEFT, self.w - Self::RIGHT, self.h - Self::BOTTOM)
    }

    /// The opening tag, the probability grid, the parameter's ticks and its name.
    pub fn open(&self, x_label: &str, x_axis: Axis) -> String {
        let (w, h, left, right, top, bottom) = (
            self.w,
            self.h,
            Self::LEFT,
            Self::RIGHT,
            Self::TOP,
            Self::BOTTOM,
        );
        let mut s = format!(
            "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 {w} {h}\" width=\"{w}\" height=\"{h}\" role=\"img\">\n"
        );
        let ys = ticks(0.0, 1.0, 5);
        for (&t, label) in ys.iter().zip(tick_labels(&ys, Axis::Percent)) {
            s.push_str(&format!(
                "<line x1=\"{left}\" x2=\"{:.1}\" y1=\"{y:.1}\" y2=\"{y:.1}\" stroke=\"#ddd\"/><text x=\"{:.1}\" y=\"{:.1}\" text-anchor=\"end\" font-size=\"11\">{label}</text>\n",
                w - right,
                left - 6.0,
                self.py(t) + 4.0,
                y = self.py(t)
            ));
        }
        let xs = ticks(self.x0, self.x1, 6);
        for (&t, label) in xs.iter().zip(tick_labels(&xs, x_axis)) {
            s.push_str(&format!(
                "<line x1=\"{x:.1}\" x2=\"{x:.1}\" y1=\"{top}\" y2=\"{:.1}\" stroke=\"#eee\"/><text x=\"{x:.1}\" y=\"{:.1}\" text-anchor=\"middle\" font-size=\"11\">{}</text>\n",
                h - bottom,
                h - bottom + 16.0,
                escape(&label),
                x = self.px(t)
            ));
        }
        s.push_str(&format!(
            "<text x=\"{:.1}\" y=\"{:.1}\" text-anchor=\"middle\" font-size=\"12\">{}</text>\n",
            (left + w - right) / 2.0,
            h - 8.0,
            escape(x_label)
        ));
        s
    }
}

/// A line chart of probability (0–1) against a parameter.
pub fn probability_lines(
    series: &[(String, Vec<(f64, f64)>)],
    x_label: &str,
    x_axis: Axis,
) -> String {
    let xs: Vec<f64> = series
        .iter()
        .flat_map(|(_, p)| p.iter().map(|q| q.0))
        .collect();
    let plot = ProbabilityPlot::new(
        xs.iter().copied().fold(f64::INFINITY, f64::min),
        xs.iter().copied().fold(f64::NEG_INFINITY, f64::max),
    );
    let (px, py) = (|x| plot.px(x), |y| plot.py(y));
    let mut s = plot.open(x_label, x_axis);
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

/// Probability over a grid (`p[j][i]` at `xs[i]`, `ys[j]`): cells shaded
/// from white (0) to dark blue (1), and contour lines at 10 %, 50 % and
/// 90 % by marching squares with linear interpolation.
pub fn heat_map(xs: &[f64], ys: &[f64], p: &[Vec<f64>], names: &[String; 2]) -> String {
    let (w, h, left, right, top, bottom) = (420.0, 392.0, 64.0, 16.0, 28.0, 56.0);
    let (nx, ny) = (xs.len(), ys.len());
    let (cw, ch) = (
        (w - left - right) / nx as f64,
        (h - top - bottom) / ny as f64,
    );
    // Cell centres: grid point (i, j) sits in the middle of its cell.
    let cx = |i: f64| left + (i + 0.5) * cw;
    let cy = |j: f64| h - bottom - (j + 0.5) * ch;
    let mut s = format!(
        "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 {w} {h}\" width=\"{w}\" height=\"{h}\" role=\"img\">\n"
    );
    for (j, row) in p.iter().enumerate() {
        for (i, &v) in row.iter().enumerate() {
            let v = v.clamp(0.0, 1.0);
            // White to #08306b.
            let mix = |a: f64, b: f64| (a + (b - a) * v).round() as u8;
            s.push_str(&format!(
                "<rect x=\"{:.1}\" y=\"{:.1}\" width=\"{:.1}\" height=\"{:.1}\" fill=\"#{:02x}{:02x}{:02x}\"><title>{:.1}%</title></rect>\n",
                cx(i as f64) - cw / 2.0,
                cy(j as f64) - ch / 2.0,
                cw + 0.2,
                ch + 0.2,
                mix(255.0, 8.0),
                mix(255.0, 48.0),
                mix(255.0, 107.0),
                v * 100.0
            ));
        }
    }
    for (level, colour) in [(0.1, "#fdae6b"), (0.5, "#e6550d"), (0.9, "#a63603")] {
        for ((x0, y0), (x1, y1)) in contour(p, level) {
            s.push_str(&format!(
                "<line x1=\"{:.1}\" y1=\"{:.1}\" x2=\"{:.1}\" y2=\"{:.1}\" stroke=\"{colour}\" stroke-width=\"2\"/>\n",
                cx(x0),
                cy(y0),
                cx(x1),
                cy(y1)
            ));
        }
    }
    // Every few grid points labelled, each parameter as the quantity it is.
    let labelled = |vs: &[f64], path: &str| {
        let at: Vec<usize> = (0..vs.len()).step_by(vs.len().div_ceil(6).max(1)).collect();
        let picked: Vec<f64> = at.iter().map(|&k| vs[k]).collect();
        at.into_iter()
            .zip(tick_labels(&picked, Axis::for_parameter(path)))
            .collect::<Vec<_>>()
    };
    for (i, label) in labelled(xs, &names[0]) {
        s.push_str(&format!(
            "<text x=\"{:.1}\" y=\"{:.1}\" text-anchor=\"middle\" font-size=\"11\">{}</text>\n",
            cx(i as f64),
            h - bottom + 16.0,
            escape(&label)
        ));
    }
    for (j, label) in labelled(ys, &names[1]) {
        s.push_str(&format!(
            "<text x=\"{:.1}\" y=\"{:.1}\" text-anchor=\"end\" font-size=\"11\">{}</text>\n",
            left - 6.0,
            cy(j as f64) + 4.0,
            escape(&label)
        ));
    }
    s.push_str(&format!(
        "<text x=\"{:.1}\" y=\"{:.1}\" text-anchor=\"middle\" font-size=\"12\">{}</text>\n<text x=\"4\" y=\"{:.1}\" font-size=\"12\">↑ {}</text>\n</svg>\n",
        (left + w - right) / 2.0,
        h - 8.0,
        escape(&names[0]),
        14.0,
        escape(&names[1])
    ));
    s
}

/// Segments of the `level` contour of `p` (rows over y), in grid units.
fn contour(p: &[Vec<f64>], level: f64) -> Vec<((f64, f64), (f64, f64))> {
    let mut out = Vec::new();
    for j in 0..p.len().saturating_sub(1) {
        for i in 0..p[j].len().saturating_sub(1) {
            // Corners anticlockwise from (i, j); where each edge crosses.
            let corners = [
                (i as f64, j as f64, p[j][i]),
                (i as f64 + 1.0, j as f64, p[j][i + 1]),
                (i as f64 + 1.0, j as f64 + 1.0, p[j + 1][i + 1]),
                (i as f64, j as f64 + 1.0, p[j + 1][i]),
            ];
            let mut cuts = Vec::new();
            for e in 0..4 {
                let (a, b) = (corners[e], corners[(e + 1) % 4]);
                if (a.2 < level) != (b.2 < level) {
                    let t = (level - a.2) / (b.2 - a.2);
                    cuts.push((a.0 + t * (b.0 - a.0), a.1 + t * (b.1 - a.1)));
                }
            }
            // Two cuts: one segment; four (a saddle): pair neighbours.
            for pair in cuts.chunks_exact(2) {
                out.push((pair[0], pair[1]));
            }
        }
    }
    out
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
    fn contours_cross_edges_where_the_level_lies() {
        // 0 on the left column, 1 on the right: the 0.5 contour runs up the middle.
        let p = vec![vec![0.0, 1.0], vec![0.0, 1.0]];
        assert_eq!(contour(&p, 0.5), vec![((0.5, 0.0), (0.5, 1.0))]);
        // A quarter of the way along each edge for 0.25.
        assert_eq!(contour(&p, 0.25), vec![((0.25, 0.0), (0.25, 1.0))]);
        // Nothing where the level is out of range.
        assert!(contour(&p, 1.5).is_empty());
    }

    #[test]
    fn tick_labels_share_the_fewest_decimals_that_show_them() {
        assert_eq!(
            tick_labels(&ticks(0.0, 0.3, 3), Axis::Percent),
            ["0 %", "10 %", "20 %", "30 %"]
        );
        assert_eq!(
            tick_labels(&[0.0, 0.025, 0.05], Axis::Percent),
            ["0.0 %", "2.5 %", "5.0 %"]
        );
        assert_eq!(
            tick_labels(&[7168.0, 31744.0, 1_000_000.0], Axis::Number),
            ["7 168", "31 744", "1 000 000"]
        );
        assert_eq!(
            tick_labels(&[-0.5, 0.0, 0.5], Axis::Number),
            ["-0.5", "0.0", "0.5"]
        );
        assert_eq!(tick_labels(&[-0.01, 0.0], Axis::Points), ["-1 pt", "0 pt"]);
        assert_eq!(tick_labels(&[2024.0, 2030.0], Axis::Year), ["2024", "2030"]);
        assert_eq!(tick_labels(&[0.6000000000000001], Axis::Percent), ["60 %"]);
        // A grid that is not round: three digits of its step.
        assert_eq!(
            tick_labels(&[0.05, 0.0633333333, 0.0766666667], Axis::Percent),
            ["5.00 %", "6.33 %", "7.67 %"]
        );
    }

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
