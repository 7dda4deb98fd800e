//! Errors and the exit codes they map to.

use std::fmt;

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
    pub message: String,
    pub help: Option<String>,
}

impl Diagnostic {
    pub fn new(message: impl Into<String>) -> Diagnostic {
        Diagnostic {
            file: None,
            line_col: None,
            origin: None,
            path: None,
            message: message.into(),
            help: None,
        }
    }

    pub fn with_help(mut self, help: Option<String>) -> Diagnostic {
        self.help = help;
        self
    }
}

impl fmt::Display for Diagnostic {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut place = String::new();
        if let Some(file) = &self.file {
            place.push_str(file);
            if let (Some((line, col)), None) = (self.line_col, &self.origin) {
                place.push_str(&format!(":{line}:{col}"));
            }
        }
        if let Some(origin) = &self.origin {
            if !place.is_empty() {
                place.push(' ');
            }
            place.push_str(&format!("(from {origin})"));
        }
        if !place.is_empty() {
            write!(f, "{place}: ")?;
        }
        if let Some(path) = &self.path {
            write!(f, "{path}: ")?;
        }
        write!(f, "{}", self.message)?;
        if let Some(help) = &self.help {
            write!(f, "\n  help: {help}")?;
        }
        Ok(())
    }
}

#[derive(Debug)]
pub enum Error {
    /// Invalid input: scenario, flag or override (exit code 2).
    Input(Vec<Diagnostic>),
    /// Anything else: I/O, the system (exit code 1).
    Other(String),
}

impl Error {
    pub fn input(message: impl Into<String>) -> Error {
        Error::Input(vec![Diagnostic::new(message)])
    }

    pub fn exit_code(&self) -> u8 {
        match self {
            Error::Input(_) => 2,
            Error::Other(_) => 1,
        }
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Error::Input(diags) => {
                for (k, d) in diags.iter().enumerate() {
                    if k > 0 {
                        writeln!(f)?;
                    }
                    write!(f, "error: {d}")?;
                }
                if diags.len() > 1 {
                    write!(f, "\n{} problems found", diags.len())?;
                }
                Ok(())
            }
            Error::Other(msg) => write!(f, "error: {msg}"),
        }
    }
}

impl Error {
    /// The error as JSON, for `--format json` (on standard error): the exit
    /// code and each problem with its file, line, column, field path,
    /// message and help, so that a program can place it.
    pub fn to_json(&self) -> String {
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
                    "message": d.message,
                    "help": d.help,
                })).collect::<Vec<_>>(),
            }
        });
        serde_json::to_string_pretty(&value).unwrap_or_default()
    }
}

/// "Did you mean …?" for a misspelt name among `candidates`.
pub fn did_you_mean<'a>(
    name: &str,
    candidates: impl IntoIterator<Item = &'a str>,
) -> Option<String> {
    let mut best: Option<(f64, &str)> = None;
    for c in candidates {
        let score = strsim::jaro_winkler(name, c);
        let close = strsim::levenshtein(name, c) <= (name.len().max(c.len()) / 3).max(1);
        if (score >= 0.8 || close) && best.is_none_or(|(s, _)| score > s) {
            best = Some((score, c));
        }
    }
    best.map(|(_, c)| format!("did you mean `{c}`?"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn suggestions_catch_typos_and_ignore_strangers() {
        let fields = ["growth", "persistence", "compounding", "base", "history"];
        assert_eq!(
            did_you_mean("grwth", fields).as_deref(),
            Some("did you mean `growth`?")
        );
        assert_eq!(
            did_you_mean("persistance", fields).as_deref(),
            Some("did you mean `persistence`?")
        );
        assert_eq!(did_you_mean("colour", fields), None);
    }
}
