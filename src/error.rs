//! Errors and the exit codes they map to. Their messages are in both
//! languages ([`Text`]); the command's `--lang` picks one when printing.

use std::fmt;

use crate::report::words::Lang;
use crate::text::Text;
use crate::tr;

/// One problem with the input, located as precisely as the input allows.
#[derive(Debug, Clone, PartialEq)]
pub struct Diagnostic {
    /// The scenario file, if the problem is in one.
    pub file: Option<String>,
    /// 1-based line and column in the file.
    pub line_col: Option<(usize, usize)>,
    /// Where the value came from when not from the file (`--set …`).
    pub origin: Option<String>,
    /// The field's path, e.g. `indicators.output.growth.sd`.
    pub path: Option<String>,
    pub message: Text,
    pub help: Option<Text>,
}

impl Diagnostic {
    pub fn new(message: Text) -> Diagnostic {
        Diagnostic {
            file: None,
            line_col: None,
            origin: None,
            path: None,
            message,
            help: None,
        }
    }

    pub fn with_help(mut self, help: Option<Text>) -> Diagnostic {
        self.help = help;
        self
    }

    /// "file:line:col (from origin): path: message", and the help on a
    /// line of its own.
    pub fn render(&self, lang: Lang) -> String {
        let mut place = String::new();
        if let Some(file) = &self.file {
            place.push_str(file);
            if let (Some((line, col)), None) = (self.line_col, &self.origin) {
                place.push_str(&format!(":{line}:{col}"));
            }
        }
        if let Some(origin) = &self.origin {
            // A full-width parenthesis brings its own space.
            if !place.is_empty() && lang == Lang::En {
                place.push(' ');
            }
            place.push_str(tr!("(from {origin})", "（来自 {origin}）").get(lang));
        }
        let mut out = String::new();
        if !place.is_empty() {
            out.push_str(&format!("{place}: "));
        }
        if let Some(path) = &self.path {
            out.push_str(&format!("{path}: "));
        }
        out.push_str(self.message.get(lang));
        if let Some(help) = &self.help {
            out.push_str(tr!("\n  help: {h}", "\n  提示：{h}", h = help).get(lang));
        }
        out
    }
}

impl fmt::Display for Diagnostic {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.render(Lang::En))
    }
}

#[derive(Debug)]
pub enum Error {
    /// Invalid input: scenario, flag or override (exit code 2).
    Input(Vec<Diagnostic>),
    /// Anything else: I/O, the system (exit code 1).
    Other(Text),
}

impl Error {
    pub fn input(message: Text) -> Error {
        Error::Input(vec![Diagnostic::new(message)])
    }

    /// The worker threads could not be started (the system's limits).
    pub fn threads(e: impl fmt::Display) -> Error {
        Error::Other(tr!(
            "cannot start worker threads: {e}",
            "无法启动工作线程（\"{e}\"）"
        ))
    }

    pub fn exit_code(&self) -> u8 {
        match self {
            Error::Input(_) => 2,
            Error::Other(_) => 1,
        }
    }

    /// Each problem on a line of its own after "error:" (which `main`
    /// colours), and how many there were.
    pub fn render(&self, lang: Lang) -> String {
        match self {
            Error::Input(diags) => {
                let mut lines: Vec<String> = diags
                    .iter()
                    .map(|d| format!("{}{}", prefix(lang), d.render(lang)))
                    .collect();
                if diags.len() > 1 {
                    let n = diags.len();
                    lines.push(
                        tr!("{n} problems found", "共发现 {n} 个问题")
                            .get(lang)
                            .to_string(),
                    );
                }
                lines.join("\n")
            }
            Error::Other(msg) => format!("{}{}", prefix(lang), msg.get(lang)),
        }
    }

    /// The error as JSON, for `--format json` (on standard error): the exit
    /// code and each problem with its file, line, column, field path,
    /// message and help, so that a program can place it.
    pub fn to_json(&self, lang: Lang) -> String {
        let (kind, diagnostics) = match self {
            Error::Input(d) => ("input", d.clone()),
            Error::Other(m) => ("other", vec![Diagnostic::new(m.clone())]),
        };
        let value = serde_json::json!({
            "error": {
                "kind": kind,
                "exit_code": self.exit_code(),
                "diagnostics": diagnostics.iter().map(|d| serde_json::json!({
                    "file": d.file,
                    "line": d.line_col.map(|(l, _)| l),
                    "column": d.line_col.map(|(_, c)| c),
                    "origin": d.origin,
                    "path": d.path,
                    "message": d.message.get(lang),
                    "help": d.help.as_ref().map(|h| h.get(lang)),
                })).collect::<Vec<_>>(),
            }
        });
        serde_json::to_string_pretty(&value).unwrap_or_default()
    }
}

/// What starts each problem's line (`main` colours it).
pub fn prefix(lang: Lang) -> &'static str {
    match lang {
        Lang::En => "error: ",
        Lang::Zh => "错误：",
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.render(Lang::En))
    }
}

/// "Did you mean …?" for a misspelt name among `candidates`.
pub fn did_you_mean<'a>(name: &str, candidates: impl IntoIterator<Item = &'a str>) -> Option<Text> {
    let mut best: Option<(f64, &str)> = None;
    for c in candidates {
        let score = strsim::jaro_winkler(name, c);
        let close = strsim::levenshtein(name, c) <= (name.len().max(c.len()) / 3).max(1);
        if (score >= 0.8 || close) && best.is_none_or(|(s, _)| score > s) {
            best = Some((score, c));
        }
    }
    best.map(|(_, c)| tr!("did you mean `{c}`?", "是否想写 `{c}`？"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn suggestions_catch_typos_and_ignore_strangers() {
        let fields = ["growth", "persistence", "compounding", "base", "history"];
        let en = |t: Option<Text>| t.map(|t| t.en().to_string());
        assert_eq!(
            en(did_you_mean("grwth", fields)).as_deref(),
            Some("did you mean `growth`?")
        );
        assert_eq!(
            en(did_you_mean("persistance", fields)).as_deref(),
            Some("did you mean `persistence`?")
        );
        assert_eq!(did_you_mean("colour", fields), None);
    }
}
