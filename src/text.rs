//! Messages in both languages. Errors arise deep in validation, far from
//! `--lang`; they carry both wordings and the language is chosen where they
//! are printed. [`tr!`](crate::tr) makes one, so that a message without its
//! Chinese is a compile error, as a report phrase without it is (`words!`).

use std::fmt::{self, Display};

use crate::report::words::Lang;

/// A message in English and in Chinese (boxed: errors carry it by value).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Text {
    en: Box<str>,
    zh: Box<str>,
}

impl Text {
    pub fn new(en: String, zh: String) -> Text {
        Text {
            en: en.into(),
            zh: zh.into(),
        }
    }

    /// Words that read the same in both: a name, a path, a number, a
    /// message from the system or a library that has no Chinese.
    pub fn same(s: impl Into<String>) -> Text {
        let s: String = s.into();
        Text::new(s.clone(), s)
    }

    pub fn get(&self, lang: Lang) -> &str {
        match lang {
            Lang::En => &self.en,
            Lang::Zh => &self.zh,
        }
    }

    pub fn en(&self) -> &str {
        &self.en
    }

    /// The texts joined by `sep` in each language.
    pub fn join(texts: &[Text], sep: &str) -> Text {
        let side = |lang| {
            texts
                .iter()
                .map(|t| t.get(lang))
                .collect::<Vec<_>>()
                .join(sep)
        };
        Text::new(side(Lang::En), side(Lang::Zh))
    }
}

/// A system error (a file not found, permission denied) in both languages:
/// the system's own words in English; in Chinese, the common kinds said in
/// Chinese and any other quoted as the system's.
pub fn io_error(e: &std::io::Error) -> Text {
    use std::io::ErrorKind;
    let zh = match e.kind() {
        ErrorKind::NotFound => "文件或文件夹不存在".to_string(),
        ErrorKind::PermissionDenied => "没有权限".to_string(),
        ErrorKind::AlreadyExists => "已存在".to_string(),
        ErrorKind::IsADirectory => "是文件夹，不是文件".to_string(),
        ErrorKind::NotADirectory => "不是文件夹".to_string(),
        ErrorKind::StorageFull => "磁盘已满".to_string(),
        ErrorKind::ReadOnlyFilesystem => "文件系统只读".to_string(),
        ErrorKind::InvalidData => "内容无效".to_string(),
        _ => format!("系统提示：\"{e}\""),
    };
    Text::new(e.to_string(), zh)
}

/// What an argument of [`tr!`](crate::tr) writes in each language: a
/// [`Text`] its own wording, anything else what it displays as, with the
/// format's width and precision (`{x:.2}`) applied as `format!` would.
pub trait InLang {
    fn fmt_in(&self, lang: Lang, f: &mut fmt::Formatter<'_>) -> fmt::Result;
}

impl InLang for Text {
    fn fmt_in(&self, lang: Lang, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.pad(self.get(lang))
    }
}

impl InLang for &Text {
    fn fmt_in(&self, lang: Lang, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        (**self).fmt_in(lang, f)
    }
}

impl<T: Display + ?Sized> InLang for T {
    fn fmt_in(&self, _: Lang, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        Display::fmt(self, f)
    }
}

/// An argument of [`tr!`](crate::tr) in one language.
pub struct In<'a, T: ?Sized>(pub &'a T, pub Lang);

impl<T: InLang + ?Sized> Display for In<'_, T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.0.fmt_in(self.1, f)
    }
}

/// `tr!("expected {what}, found {found}", "应为{what}，实为{found}", what = …, found = …)`:
/// a [`Text`] from an English and a Chinese format string. Named arguments
/// are evaluated once; a `Text` among them goes into each language in that
/// language. Variables named inside the strings are captured as `format!`
/// captures them (a `Text` cannot be: pass it as an argument).
#[macro_export]
macro_rules! tr {
    ($en:literal, $zh:literal $(, $name:ident = $value:expr)* $(,)?) => {{
        $(let $name = &$value;)*
        $crate::text::Text::new(
            format!($en $(, $name = $crate::text::In($name, $crate::report::words::Lang::En))*),
            format!($zh $(, $name = $crate::text::In($name, $crate::report::words::Lang::Zh))*),
        )
    }};
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn arguments_go_into_each_language_in_it() {
        let found = tr!("the string \"{s}\"", "字符串\"{s}\"", s = "x");
        let key = "growth";
        let t = tr!(
            "`{key}`: expected a number, found {found}",
            "`{key}`：应为数字，实为{found}",
            found = found
        );
        assert_eq!(
            t.get(Lang::En),
            "`growth`: expected a number, found the string \"x\""
        );
        assert_eq!(t.get(Lang::Zh), "`growth`：应为数字，实为字符串\"x\"");
        assert_eq!(
            Text::join(&[t.clone(), Text::same("2")], "; ").get(Lang::Zh),
            "`growth`：应为数字，实为字符串\"x\"; 2"
        );
        // Widths and precisions apply to numbers as `format!` applies them.
        let t = tr!(
            "{x:.0} % and {y:+.2}",
            "{x:.0}% 和 {y:+.2}",
            x = 600.4,
            y = 0.5
        );
        assert_eq!(t.get(Lang::En), "600 % and +0.50");
        assert_eq!(t.get(Lang::Zh), "600% 和 +0.50");
    }
}
