use std::io::Write;
use std::process::ExitCode;

fn main() -> ExitCode {
    match dabiao::cmd::main() {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            // A closed or full standard error loses the message, nothing more.
            let _ = writeln!(std::io::stderr(), "{e}");
            ExitCode::from(e.exit_code())
        }
    }
}
