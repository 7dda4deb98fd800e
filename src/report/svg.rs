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
    pub fn open(&self, x_label: &str, format_x: impl Fn(f64) -> String) -> String {
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
        for t in ticks(0.0, 1.0, 5) {
            s.push_str(&format!(
                "<line x1=\"{left}\" x2=\"{:.1}\" y1=\"{y:.1}\" y2=\"{y:.1}\" stroke=\"#ddd\"/><text x=\"{:.1}\" y=\"{:.1}\" text-anchor=\"end\" font-size=\"11\">{:.0}%</text>\n",
                w - right,
                left - 6.0,
                self.py(t) + 4.0,
                t * 100.0,
                y = self.py(t)
            ));
        }
        for t in ticks(self.x0, self.x1, 6) {
            s.push_str(&format!(
                "<line x1=\"{x:.1}\" x2=\"{x:.1}\" y1=\"{top}\" y2=\"{:.1}\" stroke=\"#eee\"/><text x=\"{x:.1}\" y=\"{:.1}\" text-anchor=\"middle\" font-size=\"11\">{}</text>\n",
                h - bottom,
                h - bottom + 16.0,
                escape(&format_x(t)),
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
    format_x: impl Fn(f64) -> String,
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
    let mut s = plot.open(x_label, format_x);
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
pub fn heat_map(
    xs: &[f64],
    ys: &[f64],
    p: &[Vec<f64>],
    names: &[String; 2],
    format_x: impl Fn(f64) -> String,
) -> String {
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
    let step_x = nx.div_ceil(6).max(1);
    for i in (0..nx).step_by(step_x) {
        s.push_str(&format!(
            "<text x=\"{:.1}\" y=\"{:.1}\" text-anchor=\"middle\" font-size=\"11\">{}</text>\n",
            cx(i as f64),
            h - bottom + 16.0,
            escape(&format_x(xs[i]))
        ));
    }
    let step_y = ny.div_ceil(6).max(1);
    for j in (0..ny).step_by(step_y) {
        s.push_str(&format!(
            "<text x=\"{:.1}\" y=\"{:.1}\" text-anchor=\"end\" font-size=\"11\">{}</text>\n",
            left - 6.0,
            cy(j as f64) + 4.0,
            escape(&format_x(ys[j]))
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
