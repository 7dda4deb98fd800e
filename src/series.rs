//! Series as statistics bureaus publish them: a table of cells (from a CSV
//! in UTF-8 or GBK, or a spreadsheet's sheet) with years down a column or
//! across the top (the yearbook layout), year labels like `2021年`, numbers
//! with thousands separators or full-width digits, and marks for "no value"
//! (`—`, `…`, `-`). `calibrate` and `backtest` read their input through it.

use crate::extract::text::normalise;
use crate::text::Text;
use crate::tr;

/// One named series: `(year, value)` in the table's order.
#[derive(Debug, Clone, PartialEq)]
pub struct Series {
    pub name: String,
    pub points: Vec<(i32, f64)>,
}

/// A year label: `2021`, `2021年`, `2021 年`, `2021.0` (a spreadsheet's
/// number), `２０２１年`; years 1000 to 9999.
pub fn year(cell: &str) -> Option<i32> {
    let s = normalise(cell);
    let s = s.trim().trim_end_matches('年').trim();
    let s = s.strip_suffix(".0").unwrap_or(s);
    s.parse::<i32>().ok().filter(|y| (1000..=9999).contains(y))
}

/// A number as bureaus write it: `12,345.6`, `12 345.6`, `１２３４５.６`,
/// `6.5%` (0.065). `None` for an empty cell or a "no value" mark; `Err` for
/// text that is not a number.
pub fn number(cell: &str) -> Result<Option<f64>, Text> {
    let s = normalise(cell);
    let s = s.trim();
    if s.is_empty() || ["—", "-", "…", "...", "/", "NA", "N/A", "null"].contains(&s) {
        return Ok(None);
    }
    let (s, scale) = match s.strip_suffix('%') {
        Some(rest) => (rest.trim(), 0.01),
        None => (s, 1.0),
    };
    let digits: String = s
        .chars()
        .filter(|c| {
            !matches!(
                c,
                ',' | '，' | ' ' | '\u{a0}' | '\u{2009}' | '\u{202f}' | '\''
            )
        })
        .collect();
    digits
        .parse::<f64>()
        .ok()
        .filter(|x| x.is_finite())
        .map(|x| Some(x * scale))
        .ok_or_else(|| {
            tr!(
                "`{c}` is not a finite number",
                "`{c}` 不是有限的数",
                c = cell.trim()
            )
        })
}

/// The series of a table. Years down a column (a header row, one column of
/// years named `year`/`年份`/`年度`/`指标` or the first whose cells are years):
/// one series per other column, named by its header. Years across the
/// header row (the yearbook layout): one series per row, named by its first
/// cell. Rows above the header (a title, a unit line) are skipped; blank
/// rows are skipped; a cell without a value leaves its year out.
pub fn read(rows: &[Vec<String>]) -> Result<Vec<Series>, Text> {
    let rows: Vec<&Vec<String>> = rows
        .iter()
        .filter(|r| r.iter().any(|c| !c.trim().is_empty()))
        .collect();
    // The header is the first row that is either a yearbook header (two or
    // more years after the first cell, and nothing else there) or the head
    // of a column of years. Title and unit lines above it are skipped.
    for k in 0..rows.len() {
        let after: Vec<&String> = rows[k]
            .iter()
            .skip(1)
            .filter(|c| !c.trim().is_empty())
            .collect();
        if after.len() >= 2 && after.iter().all(|c| year(c).is_some()) {
            return across(&rows[k..]);
        }
        if year_column(rows[k], &rows[k + 1..]).is_some() {
            return down(&rows[k..]);
        }
    }
    Err(tr!(
        "no years found: expected a column of years (2019, 2020年 …) or years across a header row",
        "未找到年份：应有一列年份（2019、2020年 …）或表头一行年份"
    ))
}

/// The column of years under `header`, if any.
fn year_column(header: &[String], body: &[&Vec<String>]) -> Option<usize> {
    let named = header.iter().position(|h| {
        let h = h.trim();
        h.eq_ignore_ascii_case("year") || ["年份", "年度", "年", "指标"].contains(&h)
    });
    let is_years = |c: usize| {
        let cells: Vec<&str> = body
            .iter()
            .filter_map(|r| r.get(c).map(String::as_str))
            .collect();
        // Every cell a year, and the header itself not one (it names the column).
        !cells.is_empty()
            && cells.iter().all(|c| year(c).is_some())
            && header.get(c).is_some_and(|h| year(h).is_none())
    };
    // A column named as the years is the years, and its bad cells are named.
    named.or_else(|| (0..header.len()).find(|&c| is_years(c)))
}

fn down(rows: &[&Vec<String>]) -> Result<Vec<Series>, Text> {
    let header = rows[0];
    let yc =
        year_column(header, &rows[1..]).ok_or_else(|| tr!("no column of years", "没有年份列"))?;
    let mut out = Vec::new();
    for (c, name) in header.iter().enumerate().filter(|&(c, _)| c != yc) {
        let mut points = Vec::new();
        for (k, r) in rows[1..].iter().enumerate() {
            let cell = r.get(yc).map_or("", String::as_str);
            let y = year(cell).ok_or_else(|| {
                tr!(
                    "row {row}: `{c}` is not a year from 1000 to 9999",
                    "第 {row} 行：`{c}` 不是 1000 至 9999 之间的年份",
                    row = k + 2,
                    c = cell.trim()
                )
            })?;
            let cell = r.get(c).map_or("", String::as_str);
            if let Some(v) =
                number(cell).map_err(|e| tr!("{name}, {y}: {e}", "{name}，{y}：{e}", e = e))?
            {
                points.push((y, v));
            }
        }
        out.push(Series {
            name: name.trim().to_string(),
            points,
        });
    }
    Ok(out)
}

fn across(rows: &[&Vec<String>]) -> Result<Vec<Series>, Text> {
    let header = rows[0];
    let years: Vec<(usize, i32)> = header
        .iter()
        .enumerate()
        .skip(1)
        .filter_map(|(c, h)| year(h).map(|y| (c, y)))
        .collect();
    let mut out = Vec::new();
    for r in &rows[1..] {
        let name = r.first().map_or("", |s| s.trim()).to_string();
        if name.is_empty() {
            continue;
        }
        let mut points = Vec::new();
        for &(c, y) in &years {
            let cell = r.get(c).map_or("", String::as_str);
            if let Some(v) =
                number(cell).map_err(|e| tr!("{name}, {y}: {e}", "{name}，{y}：{e}", e = e))?
            {
                points.push((y, v));
            }
        }
        out.push(Series { name, points });
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn table(text: &str) -> Vec<Vec<String>> {
        text.lines()
            .map(|l| l.split('\t').map(String::from).collect())
            .collect()
    }

    #[test]
    fn bureau_cells_read_as_years_and_numbers() {
        for (cell, y) in [
            ("2021", 2021),
            ("2021年", 2021),
            (" 2021 年", 2021),
            ("2021.0", 2021),
            ("２０２１年", 2021),
        ] {
            assert_eq!(year(cell), Some(y), "{cell}");
        }
        assert_eq!(year("合计"), None);
        assert_eq!(year("21"), None);
        assert_eq!(number("12,345.6"), Ok(Some(12345.6)));
        assert_eq!(number("１２，３４５"), Ok(Some(12345.0)));
        assert_eq!(number("7 168"), Ok(Some(7168.0)));
        assert_eq!(number("6.5%"), Ok(Some(0.065)));
        assert_eq!(number("—"), Ok(None));
        assert_eq!(number(""), Ok(None));
        assert!(number("约300").is_err());
    }

    #[test]
    fn years_down_or_across_give_the_same_series() {
        let down = table("通城县主要指标\n年份\t工业总产值(亿元)\t规上企业(家)\n2019年\t1,050.5\t98\n2020年\t—\t101\n2021年\t1,210\t110");
        let across = table("单位：亿元，家\n指标\t2019年\t2020年\t2021年\n工业总产值(亿元)\t1,050.5\t—\t1,210\n规上企业(家)\t98\t101\t110");
        let a = read(&down).unwrap();
        let b = read(&across).unwrap();
        assert_eq!(a, b);
        assert_eq!(a[0].name, "工业总产值(亿元)");
        assert_eq!(a[0].points, [(2019, 1050.5), (2021, 1210.0)]);
        assert_eq!(a[1].points, [(2019, 98.0), (2020, 101.0), (2021, 110.0)]);
        assert!(read(&table("a\tb\n1\t2"))
            .unwrap_err()
            .en()
            .contains("no years"));
        // Values that look like years do not make a yearbook of a table.
        let big = read(&table("year\toutput\n2019\t1500\n2020\t2300")).unwrap();
        assert_eq!(big[0].points, [(2019, 1500.0), (2020, 2300.0)]);
        assert!(read(&table("year\tv\n2020\tabc"))
            .unwrap_err()
            .en()
            .contains("v, 2020"));
    }
}
