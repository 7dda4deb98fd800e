//! The commands: glue between the command line, files and the library. The
//! only code that touches files, standard streams or the environment.

mod analyse;
mod backtest;
mod calibrate;
mod check;
mod compare;
mod export;
mod extract;
mod merge;
mod output;
mod png;
mod progress;
mod run;
mod sources;
mod study;
mod table;

use std::io::Write;
use std::path::Path;

use sha2::Digest;

use crate::cli::{Cli, Command, CompletionsArgs, ManArgs, ScenarioArgs, SetArgs};
use crate::error::{Diagnostic, Error};
use crate::model::Model;
use crate::report::words::Lang;
use crate::scenario::history_files::Recorded;
use crate::text::Text;
use crate::tr;

/// Runs the command the command line asked for.
pub fn run(cli: Cli) -> Result<(), Error> {
    match cli.command {
        Command::Run(args) => run::run(&args),
        Command::Check(args) => check::check(&args),
        Command::Calibrate(args) => calibrate::calibrate(&args),
        Command::Sweep(args) => analyse::sweep(&args),
        Command::Solve(args) => analyse::solve(&args),
        Command::Compare(args) => compare::compare(&args),
        Command::Backtest(args) => backtest::backtest(&args),
        Command::Extract(args) => extract::extract(&args),
        Command::Merge(args) => merge::merge(&args),
        Command::Study(args) => study::study(&args),
        Command::Completions(args) => completions(&args),
        Command::Man(args) => man(&args),
    }
}

/// `dabiao man`: the man page on standard output, or every page into a folder.
fn man(args: &ManArgs) -> Result<(), Error> {
    use clap::CommandFactory;
    let page = |cmd: clap::Command, title: &str| -> Result<Vec<u8>, Error> {
        let mut roff = Vec::new();
        clap_mangen::Man::new(cmd)
            .title(title)
            .render(&mut roff)
            .map_err(|e| {
                Error::Other(tr!(
                    "cannot render the man page: {e}",
                    "无法生成 man 手册页：{e}",
                    e = crate::text::io_error(&e)
                ))
            })?;
        Ok(roff)
    };
    let cli = Cli::command();
    let Some(dir) = &args.out else {
        return print_bytes(&page(cli, "dabiao")?);
    };
    std::fs::create_dir_all(dir).map_err(|e| {
        let dir = dir.display();
        Error::input(tr!(
            "{dir}: cannot create it: {e}",
            "{dir}：无法创建：{e}",
            e = crate::text::io_error(&e)
        ))
    })?;
    for sub in cli.get_subcommands() {
        let name = format!("dabiao-{}", sub.get_name());
        write_whole(&dir.join(format!("{name}.1")), &page(sub.clone(), &name)?)?;
    }
    write_whole(&dir.join("dabiao.1"), &page(cli, "dabiao")?)
}

/// `dabiao completions SHELL`: the shell's completion script on standard output.
fn completions(args: &CompletionsArgs) -> Result<(), Error> {
    use clap::CommandFactory;
    let mut script = Vec::new();
    clap_complete::generate(args.shell, &mut Cli::command(), "dabiao", &mut script);
    print_bytes(&script)
}

/// The language of a command's words: `--lang` if given, else the locale's.
fn lang(opt: crate::cli::LangOpt) -> Lang {
    opt.given().unwrap_or_else(locale_lang)
}

/// The locale's language (LC_ALL, then LC_MESSAGES, then LANG, the first one
/// set): Chinese for `zh…`.
pub fn locale_lang() -> Lang {
    let locale = ["LC_ALL", "LC_MESSAGES", "LANG"]
        .iter()
        .filter_map(|v| std::env::var(v).ok())
        .find(|v| !v.is_empty())
        .unwrap_or_default();
    if locale.to_ascii_lowercase().starts_with("zh") {
        Lang::Zh
    } else {
        Lang::En
    }
}

/// CSV text for Excel when asked (`--excel-csv`): a UTF-8 byte-order mark
/// first, without which Excel on Chinese Windows reads UTF-8 as GBK.
fn for_excel(mut csv: Vec<u8>, excel: bool) -> Vec<u8> {
    if excel {
        csv.splice(0..0, "\u{feff}".bytes());
    }
    csv
}

/// What a table printed to `output` (standard output when `None`) is shown
/// on: a terminal's width, and colour unless `NO_COLOR` is set or `TERM` is
/// `dumb`; for a file or a pipe, neither.
fn terminal(output: Option<&Path>) -> crate::report::table::Terminal {
    use std::io::IsTerminal;
    if output.is_some() || !std::io::stdout().is_terminal() {
        return Default::default();
    }
    let no_colour = std::env::var_os("NO_COLOR").is_some_and(|v| !v.is_empty())
        || std::env::var("TERM").is_ok_and(|t| t == "dumb");
    crate::report::table::Terminal {
        width: console::Term::stdout()
            .size_checked()
            .map(|(_, cols)| cols as usize)
            .or_else(|| std::env::var("COLUMNS").ok()?.parse().ok()),
        colour: !no_colour,
    }
}

/// A loaded scenario and what it came from.
pub struct Loaded {
    pub file: String,
    pub model: Model,
    /// SHA-256 of the file's bytes, in hex.
    pub sha256: String,
    /// The file's text, for its other variants.
    pub text: String,
    /// The series its `history_file`s named, as read.
    pub histories: Vec<Recorded>,
}

/// SHA-256 of a file's text, in hex.
fn sha256(text: &str) -> String {
    sha2::Sha256::digest(text.as_bytes())
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

/// Loads the text of the scenario at `path` with `--variant` and `--set`
/// applied, reading the histories it names beside it; the series read.
fn load(set: &SetArgs, path: &Path, text: &str) -> Result<(Model, Vec<Recorded>), Vec<Diagnostic>> {
    let files = sources::Files::beside(path);
    let model = crate::scenario::load_variant(
        &display_name(path),
        text,
        set.variant.as_deref(),
        &set.set,
        &files,
    )?;
    Ok((model, files.recorded()))
}

/// Reads and validates every file; all problems of all files, or all models.
fn load_all(args: &ScenarioArgs) -> Result<Vec<Loaded>, Error> {
    let mut loaded = Vec::new();
    let mut diags = Vec::new();
    for path in &args.files {
        let file = display_name(path);
        match read(path) {
            Ok(text) => match load(&args.set, path, &text) {
                Ok((model, histories)) => loaded.push(Loaded {
                    file,
                    model,
                    sha256: sha256(&text),
                    text,
                    histories,
                }),
                Err(d) => diags.extend(d),
            },
            Err(message) => {
                let mut d = Diagnostic::new(message);
                d.file = Some(file);
                diags.push(d);
            }
        }
    }
    if diags.is_empty() {
        Ok(loaded)
    } else {
        Err(Error::Input(diags))
    }
}

/// Reads a file, turning failure into an input error that names it.
fn read_input(path: &Path) -> Result<String, Error> {
    read(path).map_err(|message| {
        let mut d = Diagnostic::new(message);
        d.file = Some(display_name(path));
        Error::Input(vec![d])
    })
}

/// The largest input file read: a scenario is a few kilobytes, a series less.
pub const MAX_INPUT_BYTES: u64 = 8 << 20;

/// How a file is named in messages and reports: `-` is standard input.
fn display_name(path: &Path) -> String {
    if path == Path::new("-") {
        "<stdin>".into()
    } else {
        path.display().to_string()
    }
}

/// A file's bytes, or standard input's for `-`, at most [`MAX_INPUT_BYTES`].
fn read_bytes(path: &Path) -> Result<Vec<u8>, Text> {
    use std::io::Read;
    let mut bytes = Vec::new();
    let read = if path == Path::new("-") {
        std::io::stdin()
            .lock()
            .take(MAX_INPUT_BYTES + 1)
            .read_to_end(&mut bytes)
    } else {
        std::fs::File::open(path).and_then(|f| f.take(MAX_INPUT_BYTES + 1).read_to_end(&mut bytes))
    };
    read.map_err(|e| {
        tr!(
            "cannot read the file: {e}",
            "无法读取文件：{e}",
            e = crate::text::io_error(&e)
        )
    })?;
    if bytes.len() as u64 > MAX_INPUT_BYTES {
        return Err(tr!(
            "the file is larger than {mib} MiB, the most dabiao reads (a scenario is a few kilobytes)",
            "文件超过 dabiao 可读的上限 {mib} MiB（一个情景只有几 KB）",
            mib = MAX_INPUT_BYTES >> 20
        ));
    }
    Ok(bytes)
}

/// Reads a UTF-8 text file, or standard input for `-`.
fn read(path: &Path) -> Result<String, Text> {
    let bytes = read_bytes(path)?;
    String::from_utf8(bytes).map_err(|e| {
        tr!(
            "not UTF-8 text (byte {at} is invalid)",
            "不是 UTF-8 文本（第 {at} 字节无效）",
            at = e.utf8_error().valid_up_to()
        )
    })
}

/// Writes to standard output; a closed pipe (`dabiao run … | head`) is not an error.
fn print(text: &str) -> Result<(), Error> {
    print_bytes(text.as_bytes())
}

fn print_bytes(bytes: &[u8]) -> Result<(), Error> {
    let mut out = std::io::stdout().lock();
    match out.write_all(bytes).and_then(|_| out.flush()) {
        Ok(()) => Ok(()),
        Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => Ok(()),
        Err(e) => Err(Error::Other(tr!(
            "cannot write to standard output: {e}",
            "无法写入标准输出：{e}",
            e = crate::text::io_error(&e)
        ))),
    }
}

/// Writes `bytes` to `path` through a temporary file beside it, renamed into
/// place: the file is whole or untouched (`-o FILE`).
fn write_whole(path: &Path, bytes: &[u8]) -> Result<(), Error> {
    let dir = path
        .parent()
        .filter(|p| !p.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    let fail = |e: std::io::Error| {
        let path = path.display();
        Error::Other(tr!(
            "cannot write {path}: {e}",
            "无法写入 {path}：{e}",
            e = crate::text::io_error(&e)
        ))
    };
    // Readable as a file written by any other program is (the umask applies),
    // not private as a temporary file is: parts are read by other jobs.
    #[cfg(unix)]
    let builder = {
        let mut b = tempfile::Builder::new();
        b.permissions(std::os::unix::fs::PermissionsExt::from_mode(0o666));
        b
    };
    #[cfg(not(unix))]
    let builder = tempfile::Builder::new();
    let mut tmp = builder.tempfile_in(dir).map_err(fail)?;
    tmp.write_all(bytes).map_err(fail)?;
    tmp.persist(path).map_err(|e| fail(e.error))?;
    Ok(())
}

/// Prints `bytes`, or writes them whole to `output` if given.
fn emit(bytes: &[u8], output: Option<&Path>) -> Result<(), Error> {
    match output {
        None => print_bytes(bytes),
        Some(path) => write_whole(path, bytes),
    }
}
