//! Writing a report directory all or nothing, and only over what dabiao owns.
//!
//! Files are written into a staging directory created exclusively, with an
//! unpredictable name, beside the target; it is renamed into place only when
//! every file is complete. The target may be missing, an empty directory, or
//! a report directory that dabiao wrote earlier: one holding the marker file
//! [`MARKER`] and nothing that the marker does not list. Anything else (a
//! file, a symbolic link, a folder with the user's files) is refused before
//! any work is done, and nothing of the user's is ever moved or removed.
//!
//! On SIGINT, SIGTERM or SIGHUP the staging directory (and a replaced report
//! on its way out) is removed before the process dies of the signal.

use std::collections::BTreeSet;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::sync::{Mutex, MutexGuard, OnceLock};

use crate::error::{Diagnostic, Error};
use crate::text::Text;
use crate::tr;

/// The file in every report directory that lists what dabiao wrote there.
pub const MARKER: &str = ".dabiao-report";
const MARKER_HEAD: &str = "# dabiao report directory: dabiao wrote the files below and replaces\n\
                           # them on the next run with --out; it refuses if anything else is here.\n";

/// How often a commit retries when concurrent runs race for the target.
const ATTEMPTS: usize = 20;

fn io(path: &Path, e: std::io::Error) -> Error {
    let path = path.display();
    Error::Other(tr!(
        "{path}: {e}",
        "{path}：{e}",
        e = crate::text::io_error(&e)
    ))
}

/// A report directory being written: files go to a private staging
/// directory, which [`Staging::commit`] renames into place. Dropped without
/// a commit, it removes itself.
pub struct Staging {
    /// As the user gave it, for messages.
    given: PathBuf,
    target: PathBuf,
    dir: Option<tempfile::TempDir>,
    written: BTreeSet<String>,
}

impl Staging {
    /// Checks that `target` may be written, and creates the staging
    /// directory beside it. Refuses (exit code 2) what dabiao does not own.
    pub fn new(target: &Path) -> Result<Staging, Error> {
        let given = target.to_path_buf();
        let target = resolve(target)?;
        check_owned(&target, &given)?;
        let parent = target.parent().unwrap_or(Path::new("/"));
        std::fs::create_dir_all(parent).map_err(|e| io(parent, e))?;
        let name = target
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default();
        let mut paths = cleanup::lock();
        let dir = tempfile::Builder::new()
            .prefix(&format!(".{name}.dabiao-"))
            .tempdir_in(parent)
            .map_err(|e| io(parent, e))?;
        paths.push(dir.path().to_path_buf());
        drop(paths);
        Ok(Staging {
            given,
            target,
            dir: Some(dir),
            written: BTreeSet::new(),
        })
    }

    fn root(&self) -> &Path {
        self.dir.as_ref().map_or(Path::new(""), |d| d.path())
    }

    /// Writes one file, `rel` a relative path of plain names.
    pub fn write(&mut self, rel: &str, bytes: &[u8]) -> Result<(), Error> {
        self.write_with(rel, |w| w.write_all(bytes))
    }

    /// Writes one file through `fill`, which gets a buffered writer.
    pub fn write_with(
        &mut self,
        rel: &str,
        fill: impl FnOnce(&mut dyn Write) -> std::io::Result<()>,
    ) -> Result<(), Error> {
        debug_assert!(rel.split('/').all(safe_name), "unsafe report path {rel}");
        let path = self.root().join(rel);
        // Folders and the file are made under the lock: a signal's cleanup
        // cannot run between them and leave a folder it did not see.
        let guard = cleanup::lock();
        if let Some(p) = path.parent() {
            std::fs::create_dir_all(p).map_err(|e| io(p, e))?;
        }
        let file = std::fs::File::create_new(&path).map_err(|e| io(&path, e))?;
        drop(guard);
        let mut w = std::io::BufWriter::new(cleanup::Guarded(file));
        fill(&mut w)
            .and_then(|_| w.flush())
            .map_err(|e| io(&path, e))?;
        self.written.insert(rel.to_string());
        Ok(())
    }

    /// Puts the report in place of the target: all files, or none.
    pub fn commit(mut self) -> Result<(), Error> {
        let listing: String = self.written.iter().map(|f| format!("{f}\n")).collect();
        self.write(MARKER, format!("{MARKER_HEAD}{listing}").as_bytes())?;
        let Some(dir) = self.dir.take() else {
            return Ok(());
        };
        let target = self.target.clone();
        let parent = target.parent().unwrap_or(Path::new("/")).to_path_buf();
        let staged = dir.keep();
        let result = (|| {
            // Renames fail when another run got there first; then look again.
            let mut last = None;
            for attempt in 0..ATTEMPTS {
                if attempt > 0 {
                    // Back off (1, 2, 4 … 64 ms) so that racing runs, on a
                    // busy machine, stop taking turns to fail each other.
                    std::thread::sleep(std::time::Duration::from_millis(1 << attempt.min(6)));
                }
                check_owned(&target, &self.given)?;
                let mut paths = cleanup::lock();
                let placed = if is_dir(&target) && !is_empty_dir(&target) {
                    // Our own earlier report: moved into a private folder
                    // first, so that the swap is two renames.
                    let trash = tempfile::Builder::new()
                        .prefix(".dabiao-old-")
                        .tempdir_in(&parent)
                        .map_err(|e| io(&parent, e))?;
                    let old = trash.path().join("old");
                    if let Err(e) = std::fs::rename(&target, &old) {
                        last = Some(e);
                        continue; // another run moved it first
                    }
                    // Checked again once moved: anything added since the
                    // check above goes back, and nothing is removed.
                    if let Err(refusal) = check_owned(&old, &self.given) {
                        return Err(match std::fs::rename(&old, &target) {
                            Ok(()) => refusal,
                            Err(_) => {
                                let now = trash.keep().join("old");
                                Error::Other(tr!(
                                    "{given} changed while the report was written; it is now {now}",
                                    "写报告期间 {given} 被改动；它现在位于 {now}",
                                    given = self.given.display(),
                                    now = now.display()
                                ))
                            }
                        });
                    }
                    paths.push(trash.path().to_path_buf());
                    let placed = std::fs::rename(&staged, &target);
                    // Removed while the lock is held: a signal finds it gone.
                    let _ = std::fs::remove_dir_all(trash.path());
                    cleanup::forget(&mut paths, trash.path());
                    placed
                } else {
                    // Missing or empty: a rename replaces an empty directory.
                    std::fs::rename(&staged, &target)
                };
                match placed {
                    Ok(()) => {
                        cleanup::forget(&mut paths, &staged);
                        return Ok(());
                    }
                    Err(e) => last = Some(e),
                }
            }
            Err(Error::Other(tr!(
                "{given}: the report could not be put in place ({why}); nothing was written",
                "{given}：报告无法放到位（{why}）；未写入任何内容",
                given = self.given.display(),
                why = last.map_or_else(String::new, |e| e.to_string())
            )))
        })();
        if result.is_err() {
            let mut paths = cleanup::lock();
            let _ = std::fs::remove_dir_all(&staged);
            cleanup::forget(&mut paths, &staged);
        }
        result
    }
}

impl Drop for Staging {
    fn drop(&mut self) {
        if let Some(dir) = self.dir.take() {
            let mut paths = cleanup::lock();
            cleanup::forget(&mut paths, dir.path());
            drop(dir);
        }
    }
}

/// A name that stays inside its folder: not empty, not `.` or `..`, no separators.
fn safe_name(name: &str) -> bool {
    !name.is_empty() && name != "." && name != ".." && !name.contains(['/', '\\', '\0'])
}

/// Folder names for several scenarios' reports: each file's stem made safe
/// (no separators, no leading dots, never `..`) and distinct.
pub fn folder_names<'a>(files: impl IntoIterator<Item = &'a str>) -> Vec<String> {
    let mut taken: BTreeSet<String> = BTreeSet::new();
    files
        .into_iter()
        .map(|file| {
            let stem = Path::new(file)
                .file_stem()
                .map(|s| s.to_string_lossy().into_owned())
                .unwrap_or_default();
            let clean: String = stem
                .chars()
                .map(|c| {
                    if c.is_control() || "/\\:".contains(c) {
                        '_'
                    } else {
                        c
                    }
                })
                .collect();
            let clean = clean.trim_start_matches('.').to_string();
            let base = if clean.is_empty() {
                "scenario".to_string()
            } else {
                clean
            };
            // Case-insensitive, for file systems that are.
            let mut name = base.clone();
            let mut k = 2;
            while !taken.insert(name.to_lowercase()) {
                name = format!("{base}-{k}");
                k += 1;
            }
            name
        })
        .collect()
}

/// The target as an absolute path whose last part is a plain name.
fn resolve(target: &Path) -> Result<PathBuf, Error> {
    let absolute = std::path::absolute(target).map_err(|e| io(target, e))?;
    // `a/..`, `.`: the folder they name, resolved where it exists.
    let named = absolute
        .file_name()
        .is_some_and(|n| safe_name(&n.to_string_lossy()));
    let resolved = if named {
        absolute
    } else {
        std::fs::canonicalize(&absolute).map_err(|e| io(target, e))?
    };
    if resolved.file_name().is_none() {
        return Err(refuse(
            target,
            tr!("is the root of the file system", "是文件系统的根目录"),
            tr!(
                "give a folder of its own for the report",
                "请为报告另给一个文件夹"
            ),
        ));
    }
    Ok(resolved)
}

fn refuse(target: &Path, why: Text, help: Text) -> Error {
    let target = target.display();
    let mut d = Diagnostic::new(tr!(
        "--out {target}: {why}",
        "--out {target}：{why}",
        why = why
    ));
    d.help = Some(help);
    Error::Input(vec![d])
}

fn is_dir(p: &Path) -> bool {
    std::fs::symlink_metadata(p).is_ok_and(|m| m.is_dir())
}

fn is_empty_dir(p: &Path) -> bool {
    std::fs::read_dir(p).is_ok_and(|mut d| d.next().is_none())
}

/// Whether dabiao may write `target`: missing, an empty folder, or a report
/// folder of dabiao's holding nothing its marker does not list.
fn check_owned(target: &Path, given: &Path) -> Result<(), Error> {
    let help = || {
        tr!(
            "dabiao writes only into a new or empty folder, or over a report folder it wrote itself; \
             give another folder, e.g. --out report",
            "dabiao 只写入新的或空的文件夹，或覆盖它自己写的报告文件夹；请另给一个文件夹，例如 --out report"
        )
    };
    let meta = match std::fs::symlink_metadata(target) {
        Ok(m) => m,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(()),
        Err(e) => return Err(io(target, e)),
    };
    if meta.file_type().is_symlink() {
        return Err(refuse(
            given,
            tr!("is a symbolic link", "是符号链接"),
            help(),
        ));
    }
    if !meta.is_dir() {
        return Err(refuse(
            given,
            tr!("is an existing file", "是已有的文件"),
            help(),
        ));
    }
    let listed: BTreeSet<String> = std::fs::read_to_string(target.join(MARKER))
        .map(|text| {
            text.lines()
                .filter(|l| !l.starts_with('#') && !l.is_empty())
                .map(String::from)
                .collect()
        })
        .unwrap_or_default();
    let (foreign, has_marker) = foreign_entries(target, &listed).map_err(|e| io(target, e))?;
    if foreign.is_empty() {
        return Ok(());
    }
    let shown = foreign[..foreign.len().min(SHOWN)].join(", ");
    let shown = if foreign.len() > SHOWN {
        tr!("{shown} and more", "{shown} 等")
    } else {
        Text::same(shown)
    };
    let why = if has_marker {
        tr!(
            "is a dabiao report folder, but also holds what dabiao did not write ({shown})",
            "是 dabiao 的报告文件夹，但还有 dabiao 没写的内容（{shown}）",
            shown = shown
        )
    } else {
        tr!(
            "is a folder that dabiao did not write; it holds {shown}",
            "是 dabiao 没写过的文件夹，其中有 {shown}",
            shown = shown
        )
    };
    Err(refuse(given, why, help()))
}

/// How many foreign entries a refusal names.
const SHOWN: usize = 3;

/// Entries under `dir` that are not dabiao's (a folder is dabiao's only if a
/// listed file lies in it; links are never followed), at most `SHOWN + 1`
/// of them, and whether `dir` holds the marker.
fn foreign_entries(dir: &Path, listed: &BTreeSet<String>) -> std::io::Result<(Vec<String>, bool)> {
    let mut foreign = Vec::new();
    let mut has_marker = false;
    // Folders to look into, with their paths relative to `dir`: no recursion.
    let mut pending = vec![(dir.to_path_buf(), String::new())];
    while let Some((path, prefix)) = pending.pop() {
        for entry in std::fs::read_dir(&path)? {
            let entry = entry?;
            let name = entry.file_name().to_string_lossy().into_owned();
            let rel = if prefix.is_empty() {
                name
            } else {
                format!("{prefix}/{name}")
            };
            let kind = entry.file_type()?;
            if kind.is_dir() {
                let inside = format!("{rel}/");
                let ours = listed
                    .range(inside.clone()..)
                    .next()
                    .is_some_and(|f| f.starts_with(&inside));
                if ours {
                    pending.push((entry.path(), rel));
                } else {
                    foreign.push(inside);
                }
            } else if kind.is_file() && rel == MARKER {
                has_marker = true;
            } else if !(kind.is_file() && listed.contains(&rel)) {
                foreign.push(rel);
            }
            if foreign.len() > SHOWN {
                return Ok((foreign, has_marker));
            }
        }
    }
    Ok((foreign, has_marker))
}

/// Removing staging on a signal. Writers hold the lock while they write,
/// the signal thread while it removes, so no file lands in a folder after
/// it was removed.
mod cleanup {
    use super::*;

    fn registry() -> &'static Mutex<Vec<PathBuf>> {
        static PATHS: OnceLock<Mutex<Vec<PathBuf>>> = OnceLock::new();
        PATHS.get_or_init(|| {
            listen();
            Mutex::new(Vec::new())
        })
    }

    /// Paths to remove on a signal, locked.
    pub fn lock() -> MutexGuard<'static, Vec<PathBuf>> {
        registry().lock().unwrap_or_else(|e| e.into_inner())
    }

    pub fn forget(paths: &mut Vec<PathBuf>, path: &Path) {
        paths.retain(|p| p != path);
    }

    /// A writer that holds the lock while it writes.
    pub struct Guarded<W>(pub W);

    impl<W: Write> Write for Guarded<W> {
        fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
            let _guard = lock();
            self.0.write(buf)
        }
        fn flush(&mut self) -> std::io::Result<()> {
            let _guard = lock();
            self.0.flush()
        }
    }

    /// Off Unix there is no signal thread: Ctrl-C on Windows ends the
    /// process at once and may leave the staging folder beside the target
    /// (docs/promises.md says so); the target itself is never half written.
    #[cfg(not(unix))]
    fn listen() {}

    #[cfg(unix)]
    fn listen() {
        use signal_hook::consts::{SIGHUP, SIGINT, SIGTERM};
        let Ok(mut signals) = signal_hook::iterator::Signals::new([SIGINT, SIGTERM, SIGHUP]) else {
            return;
        };
        std::thread::spawn(move || {
            if let Some(signal) = signals.forever().next() {
                let paths = lock();
                for p in paths.iter() {
                    let _ = std::fs::remove_dir_all(p);
                }
                let _ = signal_hook::low_level::emulate_default_handler(signal);
                std::process::exit(128 + signal);
            }
        });
    }
}
