//! Writing a report directory all or nothing: files are written into a
//! staging directory beside the target, which is renamed into place only
//! when every file is complete. An interrupted or failed run leaves the old
//! directory (or none) behind, never a half-written one.

use std::path::{Path, PathBuf};

use crate::error::Error;

fn io(path: &Path, e: std::io::Error) -> Error {
    Error::Other(format!("{}: {e}", path.display()))
}

/// Writes `files` (`(relative path, contents)`) as directory `dir`.
pub fn write_dir(dir: &Path, files: &[(String, Vec<u8>)]) -> Result<(), Error> {
    let parent = match dir.parent() {
        Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
        _ => PathBuf::from("."),
    };
    std::fs::create_dir_all(&parent).map_err(|e| io(&parent, e))?;
    let name = dir
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| "report".into());
    let staging = parent.join(format!(".{name}.tmp-{}", std::process::id()));
    let result = (|| {
        for (rel, bytes) in files {
            let path = staging.join(rel);
            if let Some(p) = path.parent() {
                std::fs::create_dir_all(p).map_err(|e| io(p, e))?;
            }
            std::fs::write(&path, bytes).map_err(|e| io(&path, e))?;
        }
        if dir.exists() {
            let old = parent.join(format!(".{name}.old-{}", std::process::id()));
            std::fs::rename(dir, &old).map_err(|e| io(dir, e))?;
            std::fs::rename(&staging, dir).map_err(|e| io(dir, e))?;
            std::fs::remove_dir_all(&old).map_err(|e| io(&old, e))?;
        } else {
            std::fs::rename(&staging, dir).map_err(|e| io(dir, e))?;
        }
        Ok(())
    })();
    if result.is_err() {
        let _ = std::fs::remove_dir_all(&staging);
    }
    result
}
