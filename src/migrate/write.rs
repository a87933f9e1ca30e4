//! Writing a migrated file back, atomically.
//!
//! The new text goes to a temporary file in the same folder (so the rename cannot cross
//! file systems), is flushed to disk, gets the original's permissions, and is renamed over
//! the original. On any error the temporary file is removed and the original is untouched.
//! A symbolic link is followed, so the file it points to is replaced, not the link.

use std::fs::{self, File, OpenOptions};
use std::io::{self, Write};
use std::path::{Path, PathBuf};

/// Replace the file at `path`, whose content was `expected`, with `new`. Fails without
/// writing anything when the file changed since it was read.
pub fn replace_file(path: &Path, expected: &[u8], new: &[u8]) -> io::Result<()> {
    let target = fs::canonicalize(path)?;
    let dir = target.parent().unwrap_or(Path::new("."));
    let meta = fs::metadata(&target)?;
    let (tmp_path, mut tmp) = create_temp(dir, &target)?;
    let result = (|| {
        tmp.write_all(new)?;
        tmp.set_permissions(meta.permissions())?;
        #[cfg(unix)]
        {
            use std::os::unix::fs::MetadataExt;
            // Keep the owner when we may (as root); otherwise the file stays ours.
            let _ = std::os::unix::fs::fchown(&tmp, Some(meta.uid()), Some(meta.gid()));
        }
        tmp.sync_all()?;
        drop(tmp);
        // Someone may have edited the file while gwctl worked; never overwrite that.
        if fs::read(&target)? != expected {
            return Err(io::Error::other(
                "the file changed while gwctl was migrating it; it was left as it is",
            ));
        }
        fs::rename(&tmp_path, &target)?;
        // Make the rename itself durable; not every platform can open a folder for this.
        if let Ok(d) = File::open(dir) {
            let _ = d.sync_all();
        }
        Ok(())
    })();
    if result.is_err() {
        let _ = fs::remove_file(&tmp_path);
    }
    result
}

/// A new file beside `target`, named after it, that did not exist before.
fn create_temp(dir: &Path, target: &Path) -> io::Result<(PathBuf, File)> {
    let name = target
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let pid = std::process::id();
    for n in 0..100u32 {
        let p = dir.join(format!(".{name}.gwctl-{pid}-{n}.tmp"));
        match OpenOptions::new().write(true).create_new(true).open(&p) {
            Ok(f) => return Ok((p, f)),
            Err(e) if e.kind() == io::ErrorKind::AlreadyExists => continue,
            Err(e) => return Err(e),
        }
    }
    Err(io::Error::new(
        io::ErrorKind::AlreadyExists,
        "could not create a temporary file beside it",
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn replaces_content_and_keeps_permissions() {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("a.yaml");
        fs::write(&p, "old\n").unwrap();
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            fs::set_permissions(&p, fs::Permissions::from_mode(0o640)).unwrap();
        }
        replace_file(&p, b"old\n", b"new\n").unwrap();
        assert_eq!(fs::read_to_string(&p).unwrap(), "new\n");
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            let mode = fs::metadata(&p).unwrap().permissions().mode() & 0o777;
            assert_eq!(mode, 0o640);
        }
        let left: Vec<_> = fs::read_dir(dir.path()).unwrap().collect();
        assert_eq!(left.len(), 1, "no temporary file is left behind");
    }

    #[test]
    fn a_file_changed_meanwhile_is_not_overwritten() {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("a.yaml");
        fs::write(&p, "edited\n").unwrap();
        let err = replace_file(&p, b"old\n", b"new\n").unwrap_err();
        assert!(err.to_string().contains("changed"), "{err}");
        assert_eq!(fs::read_to_string(&p).unwrap(), "edited\n");
        assert_eq!(fs::read_dir(dir.path()).unwrap().count(), 1);
    }

    #[cfg(unix)]
    #[test]
    fn a_symlink_is_followed() {
        let dir = tempfile::tempdir().unwrap();
        let real = dir.path().join("real.yaml");
        let link = dir.path().join("link.yaml");
        fs::write(&real, "old\n").unwrap();
        std::os::unix::fs::symlink(&real, &link).unwrap();
        replace_file(&link, b"old\n", b"new\n").unwrap();
        assert!(
            fs::symlink_metadata(&link)
                .unwrap()
                .file_type()
                .is_symlink()
        );
        assert_eq!(fs::read_to_string(&real).unwrap(), "new\n");
    }
}
