//! The one way casus writes a file: atomically. Reports, the fitted model, the saved evaluation,
//! monitor series and indicator tables all go through [`write_atomic`] or [`AtomicFile`], so a crash
//! or a full disk never leaves a half-written output behind.
//!
//! This is the crate's only I/O; it lives here because every crate that writes depends on
//! `casus-core`.

use std::fs::File;
use std::io::{self, Write as _};
use std::path::{Path, PathBuf};

/// A file that appears at its path only when complete: bytes go to a temporary file beside it
/// (`.NAME.casus-tmp-PID`, in the same folder so the rename cannot cross file systems), which
/// [`commit`](AtomicFile::commit) flushes to disk and renames over the path. Dropped without a
/// commit (an error, a panic), it removes the temporary file and leaves the path as it was.
#[derive(Debug)]
pub struct AtomicFile {
    path: PathBuf,
    tmp: PathBuf,
    file: File,
    committed: bool,
}

impl AtomicFile {
    /// Create the temporary file for `path`. The folder must exist.
    pub fn create(path: &Path) -> io::Result<AtomicFile> {
        let name = path
            .file_name()
            .ok_or_else(|| io::Error::new(io::ErrorKind::InvalidInput, "the path names no file"))?;
        let tmp = folder(path).join(format!(
            ".{}.casus-tmp-{}",
            name.to_string_lossy(),
            std::process::id()
        ));
        let file = File::create(&tmp)?;
        Ok(AtomicFile {
            path: path.to_path_buf(),
            tmp,
            file,
            committed: false,
        })
    }

    /// The temporary file to write into (`&File` is a writer).
    pub fn file(&self) -> &File {
        &self.file
    }

    /// Flush the file to disk, rename it over the path, and flush the folder so the rename itself
    /// survives a power cut. On an error before the rename the path is untouched; an error from the
    /// last step means the new file is in place but its name may not yet be durable.
    pub fn commit(mut self) -> io::Result<()> {
        self.file.sync_all()?;
        std::fs::rename(&self.tmp, &self.path)?;
        self.committed = true;
        sync_folder(&folder(&self.path))
    }
}

impl Drop for AtomicFile {
    fn drop(&mut self) {
        if !self.committed {
            let _ = std::fs::remove_file(&self.tmp);
        }
    }
}

/// Write `contents` to `path` atomically (see [`AtomicFile`]).
pub fn write_atomic(path: &Path, contents: impl AsRef<[u8]>) -> io::Result<()> {
    let f = AtomicFile::create(path)?;
    f.file().write_all(contents.as_ref())?;
    f.commit()
}

fn folder(path: &Path) -> PathBuf {
    match path.parent() {
        Some(d) if !d.as_os_str().is_empty() => d.to_path_buf(),
        _ => PathBuf::from("."),
    }
}

#[cfg(unix)]
fn sync_folder(dir: &Path) -> io::Result<()> {
    File::open(dir)?.sync_all()
}

/// Windows cannot open a folder as a file; its renames are journalled by NTFS.
#[cfg(not(unix))]
fn sync_folder(_: &Path) -> io::Result<()> {
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn scratch(name: &str) -> PathBuf {
        let d = std::env::temp_dir().join(format!("casus-atomic-{name}-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&d);
        std::fs::create_dir_all(&d).unwrap();
        d
    }

    #[test]
    fn replaces_whole_and_leaves_no_temporary_file() {
        let d = scratch("replace");
        let p = d.join("out.txt");
        write_atomic(&p, "one").unwrap();
        write_atomic(&p, b"two").unwrap();
        assert_eq!(std::fs::read_to_string(&p).unwrap(), "two");
        assert_eq!(std::fs::read_dir(&d).unwrap().count(), 1);
        std::fs::remove_dir_all(&d).unwrap();
    }

    #[test]
    fn an_uncommitted_file_leaves_the_old_one() {
        let d = scratch("drop");
        let p = d.join("out.txt");
        write_atomic(&p, "old").unwrap();
        {
            let f = AtomicFile::create(&p).unwrap();
            f.file().write_all(b"half").unwrap();
        }
        assert_eq!(std::fs::read_to_string(&p).unwrap(), "old");
        assert_eq!(std::fs::read_dir(&d).unwrap().count(), 1);
        assert!(write_atomic(&d.join("missing/out.txt"), "x").is_err());
        assert!(write_atomic(Path::new("/"), "x").is_err());
        std::fs::remove_dir_all(&d).unwrap();
    }
}
