//! Tables of cells from what statistics bureaus publish: CSV in UTF-8 or
//! GBK/GB18030, or the first sheet of a spreadsheet (.xlsx, .xls, .ods).

use std::path::Path;

use calamine::{open_workbook_auto_from_rs, Data, Reader};

use crate::error::{Diagnostic, Error};
use crate::text::Text;
use crate::tr;

/// The cells of the file, row by row, as text.
pub fn read(path: &Path) -> Result<Vec<Vec<String>>, Error> {
    let file = super::display_name(path);
    let fail = |message: Text| {
        let mut d = Diagnostic::new(message);
        d.file = Some(file.clone());
        Error::Input(vec![d])
    };
    let bytes = super::read_bytes(path).map_err(&fail)?;
    let spreadsheet = path
        .extension()
        .and_then(|e| e.to_str())
        .is_some_and(|e| ["xlsx", "xlsm", "xls", "ods"].contains(&e.to_ascii_lowercase().as_str()));
    if spreadsheet {
        let mut book = open_workbook_auto_from_rs(std::io::Cursor::new(bytes)).map_err(|e| {
            fail(tr!(
                "not a spreadsheet dabiao can read: {e}",
                "不是 dabiao 能读的电子表格（\"{e}\"）"
            ))
        })?;
        let sheet = book
            .sheet_names()
            .first()
            .cloned()
            .ok_or_else(|| fail(tr!("the workbook has no sheet", "工作簿中没有工作表")))?;
        let range = book.worksheet_range(&sheet).map_err(|e| {
            fail(tr!(
                "cannot read sheet `{sheet}`: {e}",
                "无法读取工作表 `{sheet}`（\"{e}\"）"
            ))
        })?;
        return Ok(range
            .rows()
            .map(|row| row.iter().map(cell).collect())
            .collect());
    }
    let text = crate::extract::text::decode(&bytes).map_err(&fail)?;
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .trim(csv::Trim::All)
        .from_reader(text.as_bytes());
    reader
        .records()
        .map(|r| {
            r.map(|r| r.iter().map(String::from).collect())
                .map_err(|e| fail(tr!("not CSV: {e}", "不是 CSV（\"{e}\"）")))
        })
        .collect()
}

/// A spreadsheet cell as the text a CSV would hold.
fn cell(c: &Data) -> String {
    match c {
        Data::Empty | Data::Error(_) => String::new(),
        Data::String(s) | Data::DateTimeIso(s) | Data::DurationIso(s) => s.clone(),
        Data::Float(x) => x.to_string(),
        Data::Int(x) => x.to_string(),
        Data::Bool(b) => b.to_string(),
        Data::DateTime(d) => d.as_f64().to_string(),
    }
}
