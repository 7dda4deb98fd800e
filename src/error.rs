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
