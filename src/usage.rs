//! Mistakes on the command line (an unknown flag, a bad value) in Chinese
//! when the command's language is: clap words them in English only. Help
//! and version texts stay clap's.

use std::error::Error as _;

use clap::error::{ContextKind, ContextValue, ErrorKind};

use crate::report::words::Lang;

/// The language `--lang` names among the arguments, if it does (parsing
/// failed, so it is looked for by hand).
pub fn lang_of(args: &[String]) -> Option<Lang> {
    let mut given = None;
    for (k, a) in args.iter().enumerate() {
        let value = match a.strip_prefix("--lang=") {
            Some(v) => Some(v),
            None if a == "--lang" => args.get(k + 1).map(String::as_str),
            None => None,
        };
        match value {
            Some("zh") => given = Some(Lang::Zh),
            Some("en") => given = Some(Lang::En),
            _ => {}
        }
    }
    given
}

/// The error in Chinese, as dabiao's own errors read ("错误：…", "  提示：…");
/// `None` for help and version, which are not errors.
pub fn in_chinese(e: &clap::Error) -> Option<String> {
    let kind = e.kind();
    if matches!(
        kind,
        ErrorKind::DisplayHelp
            | ErrorKind::DisplayVersion
            | ErrorKind::DisplayHelpOnMissingArgumentOrSubcommand
    ) {
        return None;
    }
    let get = |k: ContextKind| match e.get(k) {
        Some(ContextValue::String(s)) => Some(s.clone()),
        Some(ContextValue::Strings(v)) => Some(v.join(", ")),
        Some(ContextValue::Number(n)) => Some(n.to_string()),
        _ => None,
    };
    let arg = get(ContextKind::InvalidArg).unwrap_or_default();
    let value = get(ContextKind::InvalidValue).unwrap_or_default();
    let message = match kind {
        ErrorKind::UnknownArgument => format!("没有参数 `{arg}`"),
        ErrorKind::InvalidSubcommand => {
            let sub = get(ContextKind::InvalidSubcommand).unwrap_or_default();
            format!("没有子命令 `{sub}`")
        }
        ErrorKind::InvalidValue => format!("`{arg}` 的值 `{value}` 无效"),
        ErrorKind::ValueValidation => {
            // The reason is the parser's, in English: quoted as its.
            let why = e
                .source()
                .map(|s| format!("（原因：\"{s}\"）"))
                .unwrap_or_default();
            format!("`{arg}` 的值 `{value}` 无效{why}")
        }
        ErrorKind::MissingRequiredArgument => format!("缺少必需的参数：{arg}"),
        ErrorKind::MissingSubcommand => "缺少子命令".to_string(),
        ErrorKind::ArgumentConflict => {
            let other = get(ContextKind::PriorArg).unwrap_or_default();
            format!("`{arg}` 不能与 `{other}` 同时使用")
        }
        ErrorKind::TooManyValues => format!("`{arg}` 的值 `{value}` 多余"),
        ErrorKind::TooFewValues | ErrorKind::WrongNumberOfValues => {
            format!("`{arg}` 的值个数不对")
        }
        ErrorKind::NoEquals => format!("`{arg}` 的值须用 `=` 给出"),
        _ => {
            let text = e.to_string();
            let first = text
                .lines()
                .next()
                .unwrap_or("")
                .trim_start_matches("error: ");
            format!("命令行参数有误（clap 原文：\"{first}\"）")
        }
    };
    let mut out = format!("错误：{message}");
    let suggested =
        get(ContextKind::SuggestedArg).or_else(|| get(ContextKind::SuggestedSubcommand));
    if let Some(s) = suggested {
        out.push_str(&format!("\n  提示：是否想写 `{s}`？"));
    }
    if let Some(values) = get(ContextKind::ValidValue) {
        out.push_str(&format!("\n  提示：可选的值：{values}"));
    }
    out.push_str("\n  提示：`dabiao --help` 或 `dabiao <子命令> --help` 列出用法");
    Some(out)
}
