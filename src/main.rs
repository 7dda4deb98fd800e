use std::io::Write;
use std::process::ExitCode;

use clap::Parser;

use dabiao::cli::Cli;
use dabiao::report::words::Lang;

fn main() -> ExitCode {
    let cli = match Cli::try_parse() {
        Ok(cli) => cli,
        Err(e) => {
            // Help and version go to stdout with code 0; usage errors to
            // stderr with 2, in Chinese when the command asks for it.
            let args: Vec<String> = std::env::args().collect();
            match dabiao::usage::in_chinese(&e).filter(|_| {
                dabiao::usage::lang_of(&args).unwrap_or_else(dabiao::cmd::locale_lang) == Lang::Zh
            }) {
                Some(text) => {
                    let _ = writeln!(anstream::stderr(), "{text}");
                }
                None => {
                    let _ = e.print();
                }
            }
            return ExitCode::from(u8::try_from(e.exit_code()).unwrap_or(2));
        }
    };
    let json = cli.wants_json();
    let lang = cli.lang().unwrap_or_else(dabiao::cmd::locale_lang);
    match dabiao::cmd::run(cli) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            // A closed or full standard error loses the message, nothing more.
            let text = if json {
                e.to_json(lang)
            } else {
                e.render(lang)
            };
            // "error:" in bold red on a terminal; anstream drops the colour
            // for a pipe, a file, NO_COLOR or TERM=dumb.
            let red = anstyle::Style::new()
                .bold()
                .fg_color(Some(anstyle::AnsiColor::Red.into()));
            let text = if json {
                text
            } else {
                let word = dabiao::error::prefix(lang);
                text.lines()
                    .map(|l| match l.strip_prefix(word) {
                        Some(rest) => format!("{red}{word}{red:#}{rest}"),
                        None => l.to_string(),
                    })
                    .collect::<Vec<_>>()
                    .join("\n")
            };
            let _ = writeln!(anstream::stderr(), "{text}");
            ExitCode::from(e.exit_code())
        }
    }
}
