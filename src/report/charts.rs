//! The report's charts as plain SVG: fan charts, each target's distribution,
//! convergence, and the sensitivity tornado. Everything drawn comes from the
//! results; the same results always give the same bytes.

use super::format as f;
use super::svg::{escape, tick_labels, ticks, Axis, COLOURS};
use super::words::{w, Lang, Word};
use crate::model::{Metric, Reading};
use crate::stats::results::{
    ConvergencePoint, IndicatorResult, Reached, TargetDetail, TargetResult,
};

/// The width of a chart that sits two to a row in the HTML report (whose
/// text column is 1 068 px); a tornado takes the whole row. The report scales
/// them to the page (`figure svg{width:100%}`), so these set their proportions
/// and the size of their text relative to the page.
const HALF_WIDTH: f64 = 520.0;

/// A plotting area with data ranges and pixel margins.
struct Frame {
    w: f64,
    h: f64,
    left: f64,
    right: f64,
    top: f64,
    bottom: f64,
    x: (f64, f64),
    y: (f64, f64),
    log_x: bool,
    /// The baseline of a legend at the top right: beside the title, or
    /// under it where the two would meet.
    legend_y: f64,
}

impl Frame {
    fn new(w: f64, h: f64, x: (f64, f64), y: (f64, f64)) -> Frame {
        let pad = |(a, b): (f64, f64)| {
            if b > a {
                (a, b)
            } else {
                (a - 0.5 * a.abs().max(1e-9), b + 0.5 * b.abs().max(1e-9))
            }
        };
        Frame {
            w,
            h,
            left: 64.0,
            right: 32.0,
            top: 28.0,
            bottom: 44.0,
            x: pad(x),
            y: pad(y),
            log_x: false,
            legend_y: 12.0,
        }
    }

    fn px(&self, x: f64) -> f64 {
        let (a, b, v) = if self.log_x {
            (self.x.0.ln(), self.x.1.ln(), x.ln())
        } else {
            (self.x.0, self.x.1, x)
        };
        self.left + (v - a) / (b - a) * (self.w - self.left - self.right)
    }

    fn py(&self, y: f64) -> f64 {
        self.top + (self.y.1 - y) / (self.y.1 - self.y.0) * (self.h - self.top - self.bottom)
    }

    fn open(&self) -> String {
        format!(
            "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 {} {}\" width=\"{}\" height=\"{}\" role=\"img\" font-family=\"system-ui, 'Noto Sans CJK SC', 'PingFang SC', 'Microsoft YaHei', sans-serif\">\n",
            self.w, self.h, self.w, self.h
        )
    }

    /// Grid, tick labels and axis titles.
    fn axes(&self, xs: &[f64], x_axis: Axis, y_axis: Axis, x_title: &str, y_title: &str) -> String {
        let mut s = String::new();
        let (x_end, y_end) = (self.w - self.right, self.h - self.bottom);
        let ys = ticks(self.y.0, self.y.1, 5);
        for (&t, label) in ys.iter().zip(tick_labels(&ys, y_axis)) {
            let y = self.py(t);
            s.push_str(&format!(
                "<line x1=\"{:.1}\" x2=\"{x_end:.1}\" y1=\"{y:.1}\" y2=\"{y:.1}\" stroke=\"#e4e4e4\"/><text x=\"{:.1}\" y=\"{:.1}\" text-anchor=\"end\" font-size=\"11\">{}</text>\n",
                self.left,
                self.left - 6.0,
                y + 4.0,
                escape(&label)
            ));
        }
        // Tick labels that would touch their neighbour's are left out, the
        // last (the run's end, the horizon) kept first.
        let mut kept: Vec<(f64, String)> = Vec::new();
        for (&t, label) in xs.iter().zip(tick_labels(xs, x_axis)).rev() {
            let x = self.px(t);
            let half = |l: &str| crate::report::format::width(l) as f64 * 3.1;
            if kept
                .last()
                .is_none_or(|(kx, kl)| (kx - x).abs() >= half(kl) + half(&label) + 6.0)
            {
                kept.push((x, label));
            }
        }
        for (x, label) in kept.into_iter().rev() {
            s.push_str(&format!(
                "<line x1=\"{x:.1}\" x2=\"{x:.1}\" y1=\"{y_end:.1}\" y2=\"{:.1}\" stroke=\"#999\"/><text x=\"{x:.1}\" y=\"{:.1}\" text-anchor=\"middle\" font-size=\"11\">{}</text>\n",
                y_end + 4.0,
                // Clear of the lowest value label, which sits on the foot.
                y_end + 18.0,
                escape(&label)
            ));
        }
        s.push_str(&format!(
            "<line x1=\"{:.1}\" x2=\"{x_end:.1}\" y1=\"{y_end:.1}\" y2=\"{y_end:.1}\" stroke=\"#666\"/>\n<text x=\"{:.1}\" y=\"{:.1}\" text-anchor=\"middle\" font-size=\"12\">{}</text>\n<text x=\"{:.1}\" y=\"12\" font-size=\"12\">{}</text>\n",
            self.left,
            (self.left + x_end) / 2.0,
            self.h - 8.0,
            escape(x_title),
            4.0,
            escape(y_title)
        ));
        s
    }
}

/// An indicator's chart over `years`, opened with its axes and title, its
/// value axis covering `values` (non-finite ones left out) with a margin.
fn over_years(
    ind: &IndicatorResult,
    years: &[f64],
    values: &[f64],
    legend: &str,
) -> (Frame, String) {
    let finite = values.iter().copied().filter(|v| v.is_finite());
    let lo = finite.clone().fold(f64::INFINITY, f64::min);
    let hi = finite.fold(f64::NEG_INFINITY, f64::max);
    let pad = 0.06 * (hi - lo).max(hi.abs() * 0.01);
    let mut frame = Frame::new(
        HALF_WIDTH,
        280.0,
        (years[0], years[years.len() - 1]),
        (lo - pad, hi + pad),
    );
    let step = ((years.len() as f64 / 8.0).ceil() as usize).max(1);
    let xs: Vec<f64> = years.iter().step_by(step).copied().collect();
    let title = match (ind.kind, ind.unit.as_str()) {
        (Reading::Share, _) => format!("{} (%)", ind.label),
        (_, "") => ind.label.clone(),
        (_, unit) => format!("{} ({unit})", ind.label),
    };
    // Title (12 px) and legend (11 px) on one line if they fit, else the
    // legend on a line of its own.
    let columns = |t: &str, px: f64| f::width(t) as f64 * px;
    if 4.0 + columns(&title, 6.4) + 16.0 + columns(legend, 5.9) > frame.w - frame.right {
        frame.legend_y = 28.0;
        frame.top += 16.0;
        frame.h += 16.0;
    }
    let mut s = frame.open();
    s.push_str(&frame.axes(&xs, Axis::Year, value_axis(ind.kind), "", &title));
    (frame, s)
}

fn points(ps: &[(f64, f64)], frame: &Frame) -> String {
    ps.iter()
        .map(|&(x, y)| format!("{:.1},{:.1}", frame.px(x), frame.py(y)))
        .collect::<Vec<_>>()
        .join(" ")
}

/// How an indicator's values read on an axis.
fn value_axis(kind: Reading) -> Axis {
    if kind == Reading::Share {
        Axis::Percent
    } else {
        Axis::Number
    }
}

/// How a target's statistic reads on an axis (as `format::statistic` writes it).
fn statistic_axis(metric: Metric, kind: Reading) -> Axis {
    match (metric, kind) {
        (m, _) if m.is_rate() => Axis::Percent,
        (Metric::Value | Metric::Entries | Metric::MinEntries, k) => value_axis(k),
        (_, Reading::Share) => Axis::Points,
        _ => Axis::Number,
    }
}

/// Baselines for the marks' labels (11 px, right-aligned 10 px left of each
/// mark): from its mark's own height, the first free one a line at a time
/// down (or, at the chart's foot, up), where its box meets no other label's, no marker and not the
/// legend, inside the chart. Widths are estimated from the text (a CJK
/// character is 11 px, other characters about 6.2).
fn place_labels(frame: &Frame, marks: &[Mark], at: &[(f64, f64)]) -> Vec<f64> {
    const LINE: f64 = 13.0;
    type Rect = (f64, f64, f64, f64);
    let width = |label: &str| crate::report::format::width(label) as f64 * 5.6;
    let meets = |a: &Rect, b: &Rect| a.0 < b.2 && b.0 < a.2 && a.1 < b.3 && b.1 < a.3;
    // The legend's line, and every marker.
    let mut taken: Vec<Rect> = vec![(0.0, 0.0, frame.w, frame.legend_y + 6.0)];
    taken.extend(
        at.iter()
            .map(|&(x, y)| (x - 7.0, y - 7.0, x + 7.0, y + 7.0)),
    );
    let (low, high) = (frame.top, frame.h - frame.bottom - 2.0);
    // Highest marks first, so that labels stack downwards in their order.
    let mut order: Vec<usize> = (0..marks.len()).collect();
    order.sort_by(|&a, &b| at[a].1.total_cmp(&at[b].1));
    let mut out = vec![0.0; marks.len()];
    for k in order {
        let (x, y) = at[k];
        let w = width(&marks[k].label);
        let rect = |base: f64| (x - 10.0 - w, base - 10.0, x - 10.0, base + 2.0);
        let wanted = (y - 8.0).clamp(low, high);
        // Down first (labels keep their marks' order), up only when the
        // chart's foot is reached.
        let free = (0..60)
            .map(|i| wanted + LINE * i as f64)
            .chain((1..60).map(|i| wanted - LINE * i as f64))
            .filter(|b| (low..=high).contains(b))
            .find(|&b| taken.iter().all(|t| !meets(&rect(b), t)))
            .unwrap_or(wanted);
        taken.push(rect(free));
        out[k] = free;
    }
    out
}

/// A target marked on a fan chart: its year, the value it needs, its label.
pub struct Mark {
    pub year: i32,
    pub value: f64,
    pub label: String,
}

/// Observed history, the 5–95 % and 25–75 % bands, the median, and targets.
pub fn fan(ind: &IndicatorResult, marks: &[Mark], lang: Lang) -> String {
    let years: Vec<f64> = ind.years.iter().map(|&y| f64::from(y)).collect();
    let q = |k: usize| -> Vec<(f64, f64)> {
        years
            .iter()
            .zip(&ind.quantiles[k])
            .filter_map(|(&y, v)| v.map(|v| (y, v)))
            .collect()
    };
    let observed: Vec<(f64, f64)> = years
        .iter()
        .zip(&ind.observed)
        .filter_map(|(&y, v)| v.map(|v| (y, v)))
        .collect();
    let all: Vec<f64> = q(0)
        .iter()
        .chain(&q(4))
        .chain(&observed)
        .map(|p| p.1)
        .chain(marks.iter().map(|m| m.value))
        .collect();
    let legend =
        [Word::History, Word::MedianLine, Word::Band50, Word::Band90].map(|word| w(lang, word));
    let (frame, mut s) = over_years(
        ind,
        &years,
        &all,
        &format!(
            "● {}  — {}  ■ {}  ■ {}",
            legend[0], legend[1], legend[2], legend[3]
        ),
    );
    for (a, b, colour) in [(0, 4, "#c6dbef"), (1, 3, "#6baed6")] {
        let (upper, lower) = (q(b), q(a));
        if upper.len() > 1 {
            let mut band = upper.clone();
            band.extend(lower.iter().rev());
            s.push_str(&format!(
                "<polygon fill=\"{colour}\" stroke=\"none\" points=\"{}\"/>\n",
                points(&band, &frame)
            ));
        }
    }
    s.push_str(&format!(
        "<polyline fill=\"none\" stroke=\"#08519c\" stroke-width=\"2\" points=\"{}\"/>\n",
        points(&q(2), &frame)
    ));
    if !observed.is_empty() {
        s.push_str(&format!(
            "<polyline fill=\"none\" stroke=\"#222\" stroke-width=\"2\" points=\"{}\"/>\n",
            points(&observed, &frame)
        ));
        for &(x, y) in &observed {
            s.push_str(&format!(
                "<circle cx=\"{:.1}\" cy=\"{:.1}\" r=\"3\" fill=\"#222\"/>\n",
                frame.px(x),
                frame.py(y)
            ));
        }
    }
    let at: Vec<(f64, f64)> = marks
        .iter()
        .map(|m| (frame.px(f64::from(m.year)), frame.py(m.value)))
        .collect();
    for &(x, y) in &at {
        s.push_str(&format!(
            "<path d=\"M{:.1},{y:.1} L{x:.1},{:.1} L{:.1},{y:.1} L{x:.1},{:.1} Z\" fill=\"#d62728\"/>\n",
            x - 6.0,
            y - 6.0,
            x + 6.0,
            y + 6.0,
        ));
    }
    // Labels after every marker, each moved up or down until it clears
    // the others, the legend and the markers; a white halo keeps it
    // readable over the bands, and a leader joins a moved one to its mark.
    for ((m, &(x, y)), label_y) in marks.iter().zip(&at).zip(place_labels(&frame, marks, &at)) {
        if (label_y - (y - 8.0)).abs() > 0.5 {
            s.push_str(&format!(
                "<line x1=\"{:.1}\" y1=\"{:.1}\" x2=\"{:.1}\" y2=\"{:.1}\" stroke=\"#d62728\" stroke-width=\"0.75\"/>\n",
                x - 7.0,
                y,
                x - 9.0,
                label_y - 4.0
            ));
        }
        s.push_str(&format!(
            "<text x=\"{:.1}\" y=\"{label_y:.1}\" text-anchor=\"end\" font-size=\"11\" fill=\"#d62728\" stroke=\"#fff\" stroke-width=\"3\" paint-order=\"stroke\" class=\"mark-label\">{}</text>\n",
            x - 10.0,
            escape(&m.label)
        ));
    }
    let legend = format!(
        "<text x=\"{:.1}\" y=\"{:.1}\" font-size=\"11\" text-anchor=\"end\"><tspan fill=\"#222\">● {}</tspan>  <tspan fill=\"#08519c\">— {}</tspan>  <tspan fill=\"#6baed6\">■ {}</tspan>  <tspan fill=\"#9ecae1\">■ {}</tspan></text>\n",
        frame.w - frame.right,
        frame.legend_y,
        legend[0],
        legend[1],
        legend[2],
        legend[3]
    );
    s.push_str(&legend);
    s.push_str("</svg>\n");
    s
}

/// The empirical CDF of a target's statistic, its threshold and the hit region.
pub fn distribution(t: &TargetResult, lang: Lang) -> Option<String> {
    let TargetDetail::Stat {
        ecdf,
        threshold,
        direction,
        metric,
        indicator_kind,
        ..
    } = &t.detail
    else {
        return None;
    };
    if ecdf.is_empty() {
        return None;
    }
    // The axis spans where the mass is (0.5 % to 99.5 %) and the threshold;
    // the curve's far tails run along the frame's edges.
    let low = ecdf.iter().find(|(q, _)| *q >= 0.005).or(ecdf.last());
    let high = ecdf
        .iter()
        .rev()
        .find(|(q, _)| *q <= 0.995)
        .or(ecdf.first());
    let (v0, v1) = (
        low.map_or(*threshold, |p| p.1).min(*threshold),
        high.map_or(*threshold, |p| p.1).max(*threshold),
    );
    let pad = 0.04 * (v1 - v0).max(v1.abs() * 0.01).max(1e-9);
    let frame = Frame::new(HALF_WIDTH, 240.0, (v0 - pad, v1 + pad), (0.0, 1.0));
    let inside = |v: f64| v.clamp(frame.x.0, frame.x.1);
    let mut s = frame.open();
    let (x_th, x_end) = (frame.px(*threshold), frame.w - frame.right);
    let (rx, rw) = if direction.wants_high() {
        (x_th, x_end - x_th)
    } else {
        (frame.left, x_th - frame.left)
    };
    s.push_str(&format!(
        "<rect x=\"{rx:.1}\" y=\"{:.1}\" width=\"{:.1}\" height=\"{:.1}\" fill=\"#2ca02c\" opacity=\"0.15\"/>\n",
        frame.top,
        rw.max(0.0),
        frame.h - frame.top - frame.bottom
    ));
    s.push_str(&frame.axes(
        &ticks(frame.x.0, frame.x.1, 5),
        statistic_axis(*metric, *indicator_kind),
        Axis::Percent,
        &t.label,
        w(lang, Word::Cumulative),
    ));
    let mut steps = Vec::with_capacity(2 * ecdf.len());
    for pair in ecdf.windows(2) {
        steps.push((inside(pair[0].1), pair[0].0));
        steps.push((inside(pair[1].1), pair[0].0));
    }
    if let Some(&(q, v)) = ecdf.last() {
        steps.push((inside(v), q));
    }
    s.push_str(&format!(
        "<polyline fill=\"none\" stroke=\"#08519c\" stroke-width=\"2\" points=\"{}\"/>\n",
        points(&steps, &frame)
    ));
    s.push_str(&format!(
        "<line x1=\"{x_th:.1}\" x2=\"{x_th:.1}\" y1=\"{:.1}\" y2=\"{:.1}\" stroke=\"#d62728\" stroke-dasharray=\"4 3\"/><text x=\"{:.1}\" y=\"{:.1}\" font-size=\"11\" fill=\"#2ca02c\" stroke=\"#fff\" stroke-width=\"3\" paint-order=\"stroke\">{} {}</text>\n",
        frame.top,
        frame.h - frame.bottom,
        rx + 4.0,
        // Where the curve is not: low in a region to the right (the CDF is
        // high there), high in one to the left.
        if direction.wants_high() {
            frame.h - frame.bottom - 6.0
        } else {
            frame.top + 12.0
        },
        w(lang, Word::HitRegion),
        f::probability(t.estimate.probability)
    ));
    s.push_str("</svg>\n");
    Some(s)
}

/// The running estimate with its 95 % interval against draws (log scale).
pub fn convergence(
    points_in: &[ConvergencePoint],
    k: usize,
    label: &str,
    lang: Lang,
) -> Option<String> {
    if points_in.len() < 2 {
        return None;
    }
    let est: Vec<(f64, f64, f64, f64)> = points_in
        .iter()
        .map(|p| {
            (
                p.draws as f64,
                p.targets[k].probability,
                p.targets[k].ci95.0,
                p.targets[k].ci95.1,
            )
        })
        .collect();
    let lo = est.iter().map(|e| e.2).fold(f64::INFINITY, f64::min);
    let hi = est.iter().map(|e| e.3).fold(f64::NEG_INFINITY, f64::max);
    let mut frame = Frame::new(
        HALF_WIDTH,
        220.0,
        (est[0].0, est[est.len() - 1].0),
        (lo, hi),
    );
    frame.log_x = true;
    let xs: Vec<f64> = est
        .iter()
        .map(|e| e.0)
        .step_by(((est.len() as f64) / 6.0).ceil().max(1.0) as usize)
        .collect();
    let mut s = frame.open();
    s.push_str(&frame.axes(
        &xs,
        Axis::Number,
        Axis::Percent,
        w(lang, Word::DrawsAxis),
        label,
    ));
    let mut band: Vec<(f64, f64)> = est.iter().map(|e| (e.0, e.3)).collect();
    band.extend(est.iter().rev().map(|e| (e.0, e.2)));
    s.push_str(&format!(
        "<polygon fill=\"#c6dbef\" points=\"{}\"/>\n",
        points(&band, &frame)
    ));
    let line: Vec<(f64, f64)> = est.iter().map(|e| (e.0, e.1)).collect();
    s.push_str(&format!(
        "<polyline fill=\"none\" stroke=\"#08519c\" stroke-width=\"2\" points=\"{}\"/>\n",
        points(&line, &frame)
    ));
    s.push_str("</svg>\n");
    Some(s)
}

/// When a value target is reached: bars for the first year its condition
/// holds, a line for the share holding each year, and one for the share
/// that has reached it by then.
pub fn reached(r: &Reached, label: &str, lang: Lang) -> String {
    let years: Vec<f64> = r.by_year.iter().map(|&(y, _)| f64::from(y)).collect();
    let (y0, y1) = (years[0] - 0.5, years[years.len() - 1] + 0.5);
    let mut frame = Frame::new(HALF_WIDTH, 240.0, (y0, y1), (0.0, 1.0));
    frame.left = 48.0;
    frame.bottom = 60.0;
    let mut s = frame.open();
    s.push_str(&frame.axes(&years, Axis::Year, Axis::Percent, "", label));
    let bar = 0.6 * (frame.px(1.0) - frame.px(0.0)).abs();
    for &(year, p) in &r.first_reached.years {
        let x = frame.px(f64::from(year)) - bar / 2.0;
        let (top, bottom) = (frame.py(p), frame.py(0.0));
        s.push_str(&format!(
            "<rect x=\"{x:.1}\" y=\"{top:.1}\" width=\"{bar:.1}\" height=\"{:.1}\" fill=\"#c6dbef\"/>\n",
            (bottom - top).max(0.0)
        ));
    }
    let held: Vec<(f64, f64)> = r.by_year.iter().map(|&(y, p)| (f64::from(y), p)).collect();
    let by: Vec<(f64, f64)> = r
        .by_year
        .iter()
        .map(|&(y, _)| (f64::from(y), r.first_reached.by(y)))
        .collect();
    for (line, colour, dash) in [
        (&held, "#08519c", ""),
        (&by, "#d94801", " stroke-dasharray=\"5 3\""),
    ] {
        s.push_str(&format!(
            "<polyline fill=\"none\" stroke=\"{colour}\" stroke-width=\"2\"{dash} points=\"{}\"/>\n",
            points(line, &frame)
        ));
    }
    // The key, under the axis.
    let y = frame.h - 8.0;
    s.push_str(&format!(
        "<rect x=\"{:.1}\" y=\"{:.1}\" width=\"10\" height=\"10\" fill=\"#c6dbef\"/><text x=\"{:.1}\" y=\"{y:.1}\" font-size=\"11\">{}</text>\
<line x1=\"{:.1}\" x2=\"{:.1}\" y1=\"{:.1}\" y2=\"{:.1}\" stroke=\"#08519c\" stroke-width=\"2\"/><text x=\"{:.1}\" y=\"{y:.1}\" font-size=\"11\">{}</text>\
<line x1=\"{:.1}\" x2=\"{:.1}\" y1=\"{:.1}\" y2=\"{:.1}\" stroke=\"#d94801\" stroke-width=\"2\" stroke-dasharray=\"5 3\"/><text x=\"{:.1}\" y=\"{y:.1}\" font-size=\"11\">{}</text>\n",
        frame.left,
        y - 9.0,
        frame.left + 14.0,
        escape(w(lang, Word::FirstReached)),
        frame.left + 150.0,
        frame.left + 170.0,
        y - 4.0,
        y - 4.0,
        frame.left + 174.0,
        escape(w(lang, Word::HoldsThatYear)),
        frame.left + 270.0,
        frame.left + 290.0,
        y - 4.0,
        y - 4.0,
        frame.left + 294.0,
        escape(w(lang, Word::ReachedByThen)),
    ));
    s.push_str("</svg>\n");
    s
}

/// One indicator under several scenarios: each one's median and 5–95 %
/// band in its own colour (as `svg::legend` keys them), observed years in black.
pub fn overlay(inds: &[&IndicatorResult]) -> String {
    let first = inds[0];
    let years: Vec<f64> = first.years.iter().map(|&y| f64::from(y)).collect();
    let series = |ind: &IndicatorResult, k: usize| -> Vec<(f64, f64)> {
        ind.years
            .iter()
            .zip(&ind.quantiles[k])
            .filter_map(|(&y, v)| v.filter(|v| v.is_finite()).map(|v| (f64::from(y), v)))
            .collect()
    };
    let all: Vec<f64> = inds
        .iter()
        .flat_map(|ind| series(ind, 0).into_iter().chain(series(ind, 4)))
        .map(|p| p.1)
        .collect();
    let (frame, mut s) = over_years(first, &years, &all, "");
    for (k, ind) in inds.iter().enumerate() {
        let colour = COLOURS[k % COLOURS.len()];
        let (upper, lower) = (series(ind, 4), series(ind, 0));
        if upper.len() > 1 {
            let mut band = upper;
            band.extend(lower.iter().rev());
            s.push_str(&format!(
                "<polygon fill=\"{colour}\" fill-opacity=\"0.15\" stroke=\"none\" points=\"{}\"/>\n",
                points(&band, &frame)
            ));
        }
    }
    for (k, ind) in inds.iter().enumerate() {
        s.push_str(&format!(
            "<polyline fill=\"none\" stroke=\"{}\" stroke-width=\"2\" points=\"{}\"/>\n",
            COLOURS[k % COLOURS.len()],
            points(&series(ind, 2), &frame)
        ));
    }
    for (&y, v) in first.years.iter().zip(&first.observed) {
        if let Some(v) = v {
            s.push_str(&format!(
                "<circle cx=\"{:.1}\" cy=\"{:.1}\" r=\"3\" fill=\"#222\"/>\n",
                frame.px(f64::from(y)),
                frame.py(*v)
            ));
        }
    }
    s.push_str("</svg>\n");
    s
}

/// Each input's low and high probability for one target, largest swing on top.
pub fn tornado(rows: &[(String, f64, f64)], base: f64, label: &str, lang: Lang) -> String {
    // Each input's bar runs from the probability with it moved down to the
    // probability with it moved up, split at the run's own probability:
    // the part from moving it down in orange, from moving it up in blue.
    const DOWN: &str = "#e6550d";
    const UP: &str = "#3182bd";
    let h = 96.0 + 24.0 * rows.len() as f64;
    let all: Vec<f64> = rows.iter().flat_map(|r| [r.1, r.2]).chain([base]).collect();
    let lo = all.iter().copied().fold(f64::INFINITY, f64::min);
    let hi = all.iter().copied().fold(f64::NEG_INFINITY, f64::max);
    let pad = ((hi - lo) * 0.05).max(1e-4);
    let (lo, hi) = ((lo - pad).max(0.0), (hi + pad).min(1.0));
    let mut frame = Frame::new(2.0 * HALF_WIDTH, h, (lo, hi), (0.0, rows.len() as f64));
    // Names on the left, bars in the middle, "down · up" on the right.
    frame.left = 280.0;
    frame.right = 170.0;
    frame.top = 40.0;
    let mut s = frame.open();
    s.push_str(&format!(
        "<text x=\"4\" y=\"16\" font-size=\"12\">{}</text>\n\
<rect x=\"{:.1}\" y=\"24\" width=\"10\" height=\"10\" fill=\"{DOWN}\"/>\
<text x=\"{:.1}\" y=\"33\" font-size=\"11\">{}</text>\
<rect x=\"{:.1}\" y=\"24\" width=\"10\" height=\"10\" fill=\"{UP}\"/>\
<text x=\"{:.1}\" y=\"33\" font-size=\"11\">{}</text>\n",
        escape(label),
        frame.left,
        frame.left + 14.0,
        w(lang, Word::Low),
        frame.left + 70.0,
        frame.left + 84.0,
        w(lang, Word::High),
    ));
    let xb = frame.px(base);
    for (k, (name, a, b)) in rows.iter().enumerate() {
        let y = frame.top + 24.0 * k as f64;
        let bar = |p: f64, colour: &str| {
            let (x0, x1) = (frame.px(p).min(xb), frame.px(p).max(xb));
            format!(
                "<rect x=\"{x0:.1}\" y=\"{y:.1}\" width=\"{:.1}\" height=\"16\" fill=\"{colour}\"/>",
                (x1 - x0).max(1.0)
            )
        };
        s.push_str(&format!(
            "<text x=\"{:.1}\" y=\"{:.1}\" text-anchor=\"end\" font-size=\"11\">{}</text>{}{}\
<text x=\"{:.1}\" y=\"{:.1}\" font-size=\"11\">{} {} · {} {}</text>\n",
            frame.left - 8.0,
            y + 12.0,
            escape(name),
            bar(*a, DOWN),
            bar(*b, UP),
            frame.w - frame.right + 8.0,
            y + 12.0,
            w(lang, Word::Low),
            f::probability(*a),
            w(lang, Word::High),
            f::probability(*b)
        ));
    }
    // The axis: probabilities as percentages, and the run's own as a line.
    let axis_y = frame.top + 24.0 * rows.len() as f64 + 4.0;
    s.push_str(&format!(
        "<line x1=\"{:.1}\" x2=\"{:.1}\" y1=\"{axis_y:.1}\" y2=\"{axis_y:.1}\" stroke=\"#888\"/>\n",
        frame.left,
        frame.w - frame.right
    ));
    let ts = ticks(lo, hi, 5);
    for (&t, label) in ts.iter().zip(tick_labels(&ts, Axis::Percent)) {
        let x = frame.px(t);
        s.push_str(&format!(
            "<line x1=\"{x:.1}\" x2=\"{x:.1}\" y1=\"{axis_y:.1}\" y2=\"{:.1}\" stroke=\"#888\"/>\
<text x=\"{x:.1}\" y=\"{:.1}\" text-anchor=\"middle\" font-size=\"10\" fill=\"#555\">{}</text>\n",
            axis_y + 4.0,
            axis_y + 16.0,
            label
        ));
    }
    s.push_str(&format!(
        "<line x1=\"{xb:.1}\" x2=\"{xb:.1}\" y1=\"{:.1}\" y2=\"{axis_y:.1}\" stroke=\"#222\" stroke-dasharray=\"3 2\"/>\
<text x=\"{xb:.1}\" y=\"{:.1}\" text-anchor=\"middle\" font-size=\"10\">{}</text>\n",
        frame.top - 2.0,
        axis_y + 30.0,
        f::probability(base)
    ));
    s.push_str("</svg>\n");
    s
}

/// A probability as a bar with its 95 % interval, for tables.
pub fn probability_bar(p: f64, ci: (f64, f64)) -> String {
    let x = |v: f64| 2.0 + v.clamp(0.0, 1.0) * 86.0;
    format!(
        "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"90\" height=\"14\" viewBox=\"0 0 90 14\">\
<rect x=\"2\" y=\"3\" width=\"86\" height=\"8\" fill=\"#eee\"/><rect x=\"2\" y=\"3\" width=\"{:.1}\" height=\"8\" fill=\"#6baed6\"/>\
<line x1=\"{:.1}\" x2=\"{:.1}\" y1=\"7\" y2=\"7\" stroke=\"#08306b\" stroke-width=\"2\"/>\
<line x1=\"{:.1}\" x2=\"{:.1}\" y1=\"2\" y2=\"12\" stroke=\"#08306b\"/><line x1=\"{:.1}\" x2=\"{:.1}\" y1=\"2\" y2=\"12\" stroke=\"#08306b\"/></svg>",
        x(p) - 2.0,
        x(ci.0),
        x(ci.1),
        x(ci.0),
        x(ci.0),
        x(ci.1),
        x(ci.1)
    )
}
