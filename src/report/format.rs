//! Number formatting shared by the renderers.

use unicode_width::UnicodeWidthStr;

use crate::model::requirement::Pace;
use crate::model::{Direction, Metric, Reading};
use crate::report::words::Lang;
use crate::stats::results::Estimate;

/// A number for a CSV or data file: at most 12 significant digits, so that
/// float noise does not show (0.062, not 0.062000000000000006); empty if
/// it is not finite.
pub fn datum(x: f64) -> String {
    if !x.is_finite() {
        return String::new();
    }
    tidy(x).to_string()
}

/// `x` to 12 significant digits: the number a data file should hold.
pub fn tidy(x: f64) -> f64 {
    format!("{x:.11e}").parse().unwrap_or(x)
}

/// A probability as a percentage with sensible precision: two significant
/// digits of it, or of its distance from 100 %, below 0.01 % of either
/// (rare targets are estimated, not bounded).
pub fn probability(p: f64) -> String {
    let pct = p * 100.0;
    let two_digits = |x: f64| (1.0 - x.log10().floor()).clamp(3.0, 12.0) as usize;
    if pct == 0.0 || pct == 100.0 || (10.0..=90.0).contains(&pct) {
        format!("{pct:.1}%")
    } else if (1.0..=99.0).contains(&pct) {
        format!("{pct:.2}%")
    } else if pct < 1.0 {
        format!("{pct:.*}%", two_digits(pct))
    } else {
        format!("{pct:.*}%", two_digits(100.0 - pct))
    }
}

/// A probability estimate: a bare number, or a bound when every or no path hit.
pub fn estimate(e: &Estimate) -> String {
    if e.probability == 0.0 {
        format!("< {}", probability(e.ci95.1))
    } else if e.probability == 1.0 {
        format!("> {}", probability(e.ci95.0))
    } else {
        probability(e.probability)
    }
}

pub fn interval(ci: (f64, f64)) -> String {
    let (a, b) = (probability(ci.0), probability(ci.1));
    format!("{}–{}", a.trim_end_matches('%'), b)
}

/// A plain number with about four significant digits and thousands separators.
pub fn number(x: f64) -> String {
    if !x.is_finite() {
        return "—".into();
    }
    let a = x.abs();
    if a >= 1e15 {
        return format!("{x:.3e}");
    }
    let decimals = if a >= 1000.0 {
        0
    } else if a >= 100.0 {
        1
    } else if a >= 10.0 {
        2
    } else if a >= 0.01 || a == 0.0 {
        3
    } else {
        return format!("{x:.2e}");
    };
    let s = format!("{x:.decimals$}");
    let s = if s.contains('.') {
        s.trim_end_matches('0').trim_end_matches('.')
    } else {
        &s
    };
    group_thousands(s)
}

fn group_thousands(s: &str) -> String {
    let (sign, rest) = s.strip_prefix('-').map_or(("", s), |r| ("-", r));
    let (int, frac) = rest
        .split_once('.')
        .map_or((rest, None), |(a, b)| (a, Some(b)));
    if int.len() <= 4 {
        return s.to_string();
    }
    let mut out = String::new();
    for (k, c) in int.chars().enumerate() {
        if k > 0 && (int.len() - k) % 3 == 0 {
            out.push(',');
        }
        out.push(c);
    }
    match frac {
        Some(f) => format!("{sign}{out}.{f}"),
        None => format!("{sign}{out}"),
    }
}

/// A probability that is a bound when no path, or every path, hit: "< 0.019%"
/// (the interval's upper end), not "0.0%".
pub fn bounded(p: f64, ci: (f64, f64)) -> String {
    if p == 0.0 {
        format!("< {}", probability(ci.1))
    } else if p == 1.0 {
        format!("> {}", probability(ci.0))
    } else {
        probability(p)
    }
}

/// Whether an input's path names a rate or probability, read as a
/// percentage: a mean or sd of growth or change, an exit rate, a shock's
/// probability or effect.
pub(super) fn path_is_rate(path: &str) -> bool {
    [
        ".growth.mean",
        ".growth.sd",
        ".change.mean",
        ".change.sd",
        ".exit_rate",
        ".probability",
        ".effect",
    ]
    .iter()
    .any(|end| path.ends_with(end))
}

/// An input's value as the quantity it is: a rate as a percentage with
/// `digits` significant digits ("4%", "10.7%"), anything else as a number.
pub fn parameter(path: &str, x: f64, digits: usize) -> String {
    if !x.is_finite() {
        return "—".into();
    }
    if !path_is_rate(path) {
        return number(x);
    }
    let pct = x * 100.0;
    if pct == 0.0 {
        return "0%".into();
    }
    let magnitude = pct.abs().log10().floor() as i32;
    let decimals = (digits as i32 - 1 - magnitude).max(0) as usize;
    let text = format!("{pct:.decimals$}");
    let text = if text.contains('.') {
        text.trim_end_matches('0').trim_end_matches('.').to_string()
    } else {
        text
    };
    format!("{text}%")
}

/// A rate (0.2 = 20 %) with a sign.
pub fn rate(x: f64) -> String {
    if !x.is_finite() {
        return "—".into();
    }
    let pct = x * 100.0;
    if pct.abs() >= 0.1 || pct == 0.0 {
        format!("{pct:+.1}%")
    } else {
        format!("{pct:+.2}%")
    }
}

/// A value of an indicator of `kind`: shares as percentages, counts whole.
pub fn value(x: f64, kind: Reading) -> String {
    if !x.is_finite() {
        return "—".into();
    }
    match kind {
        Reading::Share => format!("{:.2}%", x * 100.0),
        Reading::Count => number(x.round()),
        Reading::Level | Reading::Formula => number(x),
    }
}

/// A change of a share in percentage points, with its sign: "+0.20 pt",
/// "+0.20个百分点".
pub fn points(x: f64, lang: Lang) -> String {
    match lang {
        Lang::En => format!("{:+.2} pt", x * 100.0),
        Lang::Zh => format!("{:+.2}个百分点", x * 100.0),
    }
}

/// A yearly pace.
pub fn pace(x: f64, pace: Pace, lang: Lang) -> String {
    if !x.is_finite() {
        return "—".into();
    }
    match pace {
        Pace::Rate => rate(x),
        Pace::Points => points(x, lang),
        Pace::Units => format!("{:+.1}", x),
    }
}

/// A threshold with its direction, and the unit where the statistic has one.
pub fn threshold(
    x: f64,
    d: Direction,
    metric: Metric,
    kind: Reading,
    unit: &str,
    lang: Lang,
) -> String {
    let v = statistic(x, metric, kind, lang).replace('+', "");
    let with_unit =
        !metric.is_rate() && kind != Reading::Share && !["", "index", "share"].contains(&unit);
    if with_unit {
        format!("{} {v} {unit}", direction(d))
    } else {
        format!("{} {v}", direction(d))
    }
}

/// A target's statistic: rates as percentages, the rest in the indicator's terms.
pub fn statistic(x: f64, metric: Metric, kind: Reading, lang: Lang) -> String {
    if metric.is_rate() {
        return rate(x);
    }
    match (metric, kind) {
        (Metric::Value | Metric::Entries | Metric::MinEntries, _) => value(x, kind),
        (_, Reading::Share) => points(x, lang),
        (_, Reading::Count) => format!("{:+}", x.round()),
        _ => format!("{}{}", if x >= 0.0 { "+" } else { "" }, number(x)),
    }
}

pub fn direction(d: Direction) -> &'static str {
    match d {
        Direction::AtLeast => "≥",
        Direction::AtMost => "≤",
        Direction::Above => ">",
        Direction::Below => "<",
    }
}

/// Terminal width of `s` (CJK characters take two columns).
pub fn width(s: &str) -> usize {
    UnicodeWidthStr::width(s)
}

/// `s` cut to at most `max` columns, with an ellipsis if cut.
pub fn truncate(s: &str, max: usize) -> String {
    if width(s) <= max {
        return s.to_string();
    }
    let mut out = String::new();
    for c in s.chars() {
        if width(&out) + unicode_width::UnicodeWidthChar::width(c).unwrap_or(0) + 1 > max {
            break;
        }
        out.push(c);
    }
    out.push('…');
    out
}

/// `s` in lines of at most `max` columns: broken at spaces where it has
/// them, else between characters (Chinese has no spaces); only a word
/// longer than a whole line is cut.
pub fn wrap(s: &str, max: usize) -> Vec<String> {
    let max = max.max(1);
    let mut lines = Vec::new();
    let mut line = String::new();
    for word in s.split_inclusive(' ') {
        if width(&line) + width(word.trim_end()) <= max {
            line.push_str(word);
            continue;
        }
        // The word does not fit: a spaced word starts a new line; a run of
        // characters without spaces fills the line, character by character.
        if !line.is_empty() && width(word.trim_end()) <= max && word.ends_with(' ') {
            lines.push(line.trim_end().to_string());
            line = word.to_string();
            continue;
        }
        for c in word.chars() {
            let w = unicode_width::UnicodeWidthChar::width(c).unwrap_or(0);
            if width(&line) + w > max && !line.trim().is_empty() {
                lines.push(line.trim_end().to_string());
                line.clear();
            }
            if !(line.is_empty() && c == ' ') {
                line.push(c);
            }
        }
    }
    if !line.trim().is_empty() || lines.is_empty() {
        lines.push(line.trim_end().to_string());
    }
    lines
}

/// Lays out rows as columns; `right[k]` right-aligns column k.
pub fn columns(rows: &[Vec<String>], right: &[bool], indent: usize) -> String {
    columns_styled(rows, right, indent, &|_, _| None)
}

/// [`columns`], with `style(row, column)` around a cell's text (the padding
/// is computed on the plain text, so styled tables line up).
pub fn columns_styled(
    rows: &[Vec<String>],
    right: &[bool],
    indent: usize,
    style: &dyn Fn(usize, usize) -> Option<anstyle::Style>,
) -> String {
    let n = rows.iter().map(Vec::len).max().unwrap_or(0);
    let widths: Vec<usize> = (0..n)
        .map(|k| {
            rows.iter()
                .filter_map(|r| r.get(k))
                .map(|c| width(c))
                .max()
                .unwrap_or(0)
        })
        .collect();
    let mut out = String::new();
    for (r, row) in rows.iter().enumerate() {
        let mut line = " ".repeat(indent);
        for (k, cell) in row.iter().enumerate() {
            let pad = widths[k] - width(cell);
            if k > 0 {
                line.push_str("  ");
            }
            let text = match style(r, k) {
                Some(s) if !cell.is_empty() => format!("{s}{cell}{s:#}"),
                _ => cell.clone(),
            };
            if right.get(k).copied().unwrap_or(false) {
                line.push_str(&" ".repeat(pad));
                line.push_str(&text);
            } else {
                line.push_str(&text);
                line.push_str(&" ".repeat(pad));
            }
        }
        out.push_str(line.trim_end());
        out.push('\n');
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parameters_read_as_their_quantity_and_rare_odds_as_bounds() {
        let g = "indicators.output.growth.mean";
        assert_eq!(parameter(g, 0.04, 3), "4%");
        assert_eq!(parameter(g, 0.107025, 3), "10.7%");
        assert_eq!(parameter(g, 0.203625, 4), "20.36%");
        assert_eq!(parameter("shocks.downturn.probability", 0.1, 3), "10%");
        assert_eq!(
            parameter("indicators.output.base", 1234.5, 3),
            number(1234.5)
        );
        assert_eq!(bounded(0.0, (0.0, 0.00019)), "< 0.019%");
        assert_eq!(bounded(1.0, (0.9998, 1.0)), "> 99.980%");
        assert_eq!(bounded(0.5, (0.49, 0.51)), "50.0%");
    }

    #[test]
    fn labels_wrap_at_spaces_or_between_chinese_characters() {
        assert_eq!(
            wrap("All floor targets of the plan", 12),
            ["All floor", "targets of", "the plan"]
        );
        assert_eq!(
            wrap("规模以上工业企业突破160家", 10),
            ["规模以上工", "业企业突破", "160家"]
        );
        assert_eq!(wrap("short", 36), ["short"]);
        assert_eq!(wrap("", 10), [""]);
        for max in 5..30 {
            for line in wrap(
                "Industrial output of enterprises above designated size",
                max,
            ) {
                assert!(width(&line) <= max.max(11), "{max}: {line}");
            }
        }
        for line in wrap("建有研发机构企业占规模以上工业企业比重达42%以上 (2027)", 16)
        {
            assert!(width(&line) <= 16, "{line}");
        }
    }

    #[test]
    fn numbers_read_well() {
        assert_eq!(number(1234567.8), "1,234,568");
        assert_eq!(number(1234.6), "1235");
        assert_eq!(number(300.0), "300");
        assert_eq!(number(201.25), "201.2");
        assert_eq!(number(-0.5), "-0.5");
        assert_eq!(rate(0.2), "+20.0%");
        assert_eq!(probability(0.4123), "41.2%");
        assert_eq!(probability(0.00123), "0.123%");
        // Wilson's upper bound for 0 of 1000 is 0.00383.
        assert_eq!(estimate(&Estimate::new(0, 1000)), "< 0.383%");
    }

    #[test]
    fn data_carry_no_float_noise() {
        assert_eq!(datum(0.062000000000000006), "0.062");
        assert_eq!(datum(0.1 + 0.2), "0.3");
        assert_eq!(datum(123456.0), "123456");
        assert_eq!(datum(1.0e-7), "0.0000001");
        assert_eq!(datum(f64::NAN), "");
    }

    #[test]
    fn cjk_columns_align() {
        let rows = vec![
            vec!["工业总产值达到300亿元".to_string(), "1".to_string()],
            vec!["output".to_string(), "22".to_string()],
        ];
        let text = columns(&rows, &[false, true], 0);
        let widths: Vec<usize> = text.lines().map(width).collect();
        assert_eq!(widths[0], widths[1]);
    }
}
