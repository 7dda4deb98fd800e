//! From a saved plan to clean lines: decoding (UTF-8, else GB18030), HTML
//! stripped to its text, full-width digits and punctuation normalised, and
//! numbers read, Chinese numerals included.

use crate::text::Text;
use crate::tr;

/// The largest plan `extract` reads; a plan is tens of kilobytes.
pub const MAX_PLAN_BYTES: usize = 4 << 20;

/// The text of `bytes`: UTF-8 if it is, else GB18030 (a superset of GBK).
/// Binary data is refused.
pub fn decode(bytes: &[u8]) -> Result<String, Text> {
    if bytes.is_empty() {
        return Err(tr!("the file is empty", "文件为空"));
    }
    if bytes.len() > MAX_PLAN_BYTES {
        return Err(tr!(
            "the file is larger than {mib} MiB; a plan is tens of kilobytes",
            "文件超过 {mib} MiB；一份规划只有几十 KB",
            mib = MAX_PLAN_BYTES >> 20
        ));
    }
    let controls = bytes
        .iter()
        .filter(|&&b| b < 0x09 || (0x0e..0x20).contains(&b))
        .count();
    if bytes.contains(&0) || controls * 100 > bytes.len() {
        return Err(tr!(
            "binary data, not a text or web page",
            "二进制数据，不是文本或网页"
        ));
    }
    match std::str::from_utf8(bytes) {
        Ok(s) => Ok(s.trim_start_matches('\u{feff}').to_string()),
        Err(_) => {
            let (text, _, bad) = encoding_rs::GB18030.decode(bytes);
            if bad {
                Err(tr!(
                    "neither UTF-8 nor GBK/GB18030 text",
                    "既不是 UTF-8 也不是 GBK/GB18030 文本"
                ))
            } else {
                Ok(text.into_owned())
            }
        }
    }
}

/// The visible text of an HTML page, block elements as line breaks; other
/// text is returned as it is.
pub fn strip_html(text: &str) -> String {
    let lower = text.to_ascii_lowercase();
    if !(lower.contains("<html") || lower.contains("<body") || lower.contains("<p")) {
        return text.to_string();
    }
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(open) = rest.find('<') {
        out.push_str(&rest[..open]);
        let tag = &rest[open..];
        let Some(close) = tag.find('>') else {
            rest = "";
            break;
        };
        let name: String = tag[1..close]
            .trim_start_matches('/')
            .chars()
            .take_while(|c| c.is_ascii_alphanumeric())
            .collect::<String>()
            .to_ascii_lowercase();
        rest = &tag[close + 1..];
        if matches!(name.as_str(), "script" | "style") && !tag[1..].starts_with('/') {
            let end = format!("</{name}");
            let at = rest.to_ascii_lowercase().find(&end).unwrap_or(rest.len());
            rest = &rest[at..];
            continue;
        }
        if matches!(
            name.as_str(),
            "p" | "br" | "div" | "li" | "tr" | "h1" | "h2" | "h3" | "h4" | "table" | "section"
        ) {
            out.push('\n');
        }
    }
    out.push_str(rest);
    out.replace("&nbsp;", " ")
        .replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&quot;", "\"")
        .replace("&amp;", "&")
}

/// Full-width digits, letters, percent signs and brackets as ASCII, and
/// the dashes of a range as one.
pub fn normalise(text: &str) -> String {
    text.chars()
        .map(|c| match c {
            '０'..='９' | 'Ａ'..='Ｚ' | 'ａ'..='ｚ' => {
                char::from_u32(c as u32 - 0xFEE0).unwrap_or(c)
            }
            '％' => '%',
            '．' => '.',
            '（' => '(',
            '）' => ')',
            '\u{3000}' => ' ',
            '－' | '—' | '–' | '～' | '~' => '—',
            c => c,
        })
        .collect()
}

/// A Chinese numeral's value: 一百 100, 两 2, 十二 12, 三十 30; `None` if it
/// is not one.
pub fn chinese_number(s: &str) -> Option<f64> {
    let digit = |c: char| match c {
        '零' => Some(0.0),
        '一' => Some(1.0),
        '二' | '两' => Some(2.0),
        '三' => Some(3.0),
        '四' => Some(4.0),
        '五' => Some(5.0),
        '六' => Some(6.0),
        '七' => Some(7.0),
        '八' => Some(8.0),
        '九' => Some(9.0),
        _ => None,
    };
    let (mut total, mut current) = (0.0, 0.0);
    let mut any = false;
    for c in s.chars() {
        if let Some(d) = digit(c) {
            current = d;
            any = true;
            continue;
        }
        let scale = match c {
            '十' => 10.0,
            '百' => 100.0,
            '千' => 1000.0,
            _ => return None,
        };
        total += if current == 0.0 { 1.0 } else { current } * scale;
        current = 0.0;
        any = true;
    }
    any.then_some(total + current)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numerals_and_width_are_normalised() {
        assert_eq!(chinese_number("一百"), Some(100.0));
        assert_eq!(chinese_number("两"), Some(2.0));
        assert_eq!(chinese_number("十二"), Some(12.0));
        assert_eq!(chinese_number("三十"), Some(30.0));
        assert_eq!(chinese_number("千"), Some(1000.0));
        assert_eq!(chinese_number("家"), None);
        assert_eq!(
            normalise("达到３００亿元、增长２０％"),
            "达到300亿元、增长20%"
        );
        assert_eq!(
            strip_html("<html><p>到2025年</p><script>x=1</script><p>达到300亿元</p>"),
            "\n到2025年\n\n达到300亿元\n"
        );
    }

    #[test]
    fn gbk_is_read_and_binary_refused() {
        let (gbk, _, _) = encoding_rs::GBK.encode("工业总产值达到300亿元");
        assert_eq!(decode(&gbk).unwrap(), "工业总产值达到300亿元");
        assert!(decode(&[0, 1, 2, 3]).unwrap_err().en().contains("binary"));
        assert!(decode(b"").unwrap_err().en().contains("empty"));
    }
}
