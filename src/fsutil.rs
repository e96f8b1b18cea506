//! The one way castkit writes a file: into a temporary file in the same folder, flushed to disk, then renamed
//! over the destination.
//!
//! A rename within one file system is atomic, so a crash, a full disk or a `kill -9` at any moment leaves
//! either the old file or the new one, complete, never a mix. The temporary file is removed if anything fails
//! before the rename.
//!
//! Permissions: a file that already exists keeps its mode; a new file gets `0644` (readable by the web server
//! that serves the feed). Modification time: the new file's mtime is the time of the write.
//!
//! Symbolic links: writing to a path that is a link writes the file it points to (the temporary file goes
//! beside that file, and is renamed over it), so the link stays a link, as mutagen and eyeD3 do; renaming
//! over the link itself would replace it with a regular file and leave the real one unchanged. A hard link
//! is a second name of the same file, and a rename gives one name a new file: the other names keep the old
//! content.
//!
//! A process killed mid-write (`kill -9`, a power cut) leaves its hidden temporary file
//! (`.NAME.XXXXXX.castkit-tmp`) beside the untouched destination. The next write to the same destination
//! removes such leftovers first, but never one still being written: a writer holds an exclusive lock on its
//! temporary file until the rename (the lock goes with the process), and a leftover is removed only when its
//! lock can be taken. So two castkits writing the same file at once (two builds of one show into one folder
//! share the website's files) both succeed, the last rename winning, whole either way.

use std::fs::{self, File};
use std::io::{self, BufWriter, Read, Write};
use std::path::{Path, PathBuf};

/// Why an atomic write failed. Each variant names the file and the step, so messages can say what to do; the
/// I/O error is its [`source`](std::error::Error::source).
#[derive(Debug, thiserror::Error)]
pub enum WriteError {
    /// The folder for the temporary file could not be created or used.
    #[error("cannot create a temporary file in `{}`", dir.display())]
    Temp {
        /// The folder of the destination.
        dir: PathBuf,
        /// The underlying error.
        source: io::Error,
    },
    /// Writing or flushing the new content failed (for example, no space left on the device).
    #[error("cannot write the new content of `{}`", path.display())]
    Write {
        /// The destination.
        path: PathBuf,
        /// The underlying error.
        source: io::Error,
    },
    /// The content was complete but could not be renamed into place.
    #[error("cannot replace `{}`", path.display())]
    Rename {
        /// The destination.
        path: PathBuf,
        /// The underlying error.
        source: io::Error,
    },
}

/// Writes a new file at `path` with `bytes`, whole or not at all, and never over an existing one (a file
/// that appeared meanwhile included): the content goes to a temporary file in the same folder, synced, then
/// is linked into place only if nothing is there (tempfile's `persist_noclobber`).
///
/// # Errors
/// [`WriteError::Rename`] with [`io::ErrorKind::AlreadyExists`] when `path` exists; other variants as for
/// [`write_atomic`]. Nothing is left behind on failure.
pub fn write_new(path: &Path, bytes: &[u8]) -> Result<(), WriteError> {
    let dir = match path.parent() {
        Some(d) if !d.as_os_str().is_empty() => d,
        _ => Path::new("."),
    };
    let mut temp = tempfile::Builder::new()
        .prefix(".castkit-new.")
        .suffix(".castkit-tmp")
        .tempfile_in(dir)
        .map_err(|source| WriteError::Temp {
            dir: dir.to_path_buf(),
            source,
        })?;
    let write = |source| WriteError::Write {
        path: path.to_path_buf(),
        source,
    };
    temp.write_all(bytes).map_err(write)?;
    temp.as_file().sync_all().map_err(write)?;
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        temp.as_file()
            .set_permissions(fs::Permissions::from_mode(0o644))
            .map_err(write)?;
    }
    temp.persist_noclobber(path)
        .map_err(|e| WriteError::Rename {
            path: path.to_path_buf(),
            source: e.error,
        })?;
    Ok(())
}

/// Steps of an atomic write, named so tests can inject a failure at each (see [`write_atomic_with`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Step {
    /// After the temporary file is created, before any content is written.
    Created,
    /// After the content is written and synced, before the rename.
    Synced,
    /// Just before the rename.
    Rename,
}

/// Writes `path` atomically with the bytes `fill` produces.
///
/// # Errors
/// Returns a [`WriteError`] naming the step that failed; the destination is then unchanged.
pub fn write_atomic<F>(path: &Path, fill: F) -> Result<(), WriteError>
where
    F: FnOnce(&mut dyn Write) -> io::Result<()>,
{
    write_atomic_with(path, fill, |_| Ok(()))
}

/// [`write_atomic`] with a hook called at each [`Step`]; a hook that returns an error aborts the write there,
/// as a real failure at that step would. Used by tests to prove the destination survives every failure.
///
/// # Errors
/// As [`write_atomic`], plus whatever the hook returns.
pub fn write_atomic_with<F, H>(path: &Path, fill: F, hook: H) -> Result<(), WriteError>
where
    F: FnOnce(&mut dyn Write) -> io::Result<()>,
    H: FnMut(Step) -> io::Result<()>,
{
    write_atomic_file(
        path,
        |file| {
            let mut writer = BufWriter::with_capacity(256 * 1024, file);
            fill(&mut writer)?;
            writer.flush()
        },
        hook,
    )
}

/// Where a write to `path` goes: the file a symbolic link (or a chain of them) points to, else `path`
/// itself (also when it does not exist yet).
///
/// # Errors
/// When `path` is a link whose target cannot be resolved (a dangling link, a loop).
pub fn final_target(path: &Path) -> io::Result<PathBuf> {
    match fs::symlink_metadata(path) {
        Ok(meta) if meta.file_type().is_symlink() => fs::canonicalize(path),
        _ => Ok(path.to_path_buf()),
    }
}

/// The general form: `fill` writes the temporary [`File`] itself, so it can copy from another file with
/// `std::io::copy` (which uses `copy_file_range` on Linux, moving the bytes inside the kernel).
///
/// # Errors
/// As [`write_atomic_with`].
pub fn write_atomic_file<F, H>(path: &Path, fill: F, mut hook: H) -> Result<(), WriteError>
where
    F: FnOnce(&mut File) -> io::Result<()>,
    H: FnMut(Step) -> io::Result<()>,
{
    // Through a link to its target, so the link stays. A link that cannot be resolved is replaced, as any
    // other path would be: there is no file behind it to keep.
    let target = final_target(path).unwrap_or_else(|_| path.to_path_buf());
    let path = target.as_path();
    let dir = match path.parent() {
        Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
        _ => PathBuf::from("."),
    };
    let file_name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    remove_leftovers(&dir, &file_name);
    let mut temp = locked_temp(&dir, &file_name)?;
    let write_err = |source| WriteError::Write {
        path: path.to_path_buf(),
        source,
    };
    hook(Step::Created).map_err(write_err)?;
    fill(temp.as_file_mut()).map_err(write_err)?;
    temp.as_file().sync_all().map_err(write_err)?;
    set_permissions(temp.as_file(), path).map_err(write_err)?;
    hook(Step::Synced).map_err(write_err)?;
    hook(Step::Rename).map_err(|source| WriteError::Rename {
        path: path.to_path_buf(),
        source,
    })?;
    temp.persist(path).map_err(|e| WriteError::Rename {
        path: path.to_path_buf(),
        source: e.error,
    })?;
    // Make the rename itself durable. Failing to sync a directory (some file systems refuse) is not an error:
    // the content is already on disk and the rename has happened.
    if let Ok(d) = File::open(&dir) {
        let _ = d.sync_all();
    }
    Ok(())
}

/// Copies `len` bytes from `source` (at its position) to the end of `dest`, in chunks, asking the kernel to
/// start writing each chunk to disk while the next is copied (`sync_file_range`, Linux). The final `fsync`
/// of an atomic write then has little left to wait for, instead of the whole file. The bytes are moved by
/// `std::io::copy`, which uses `copy_file_range` between files. Returns the bytes copied (fewer than `len`
/// when `source` ends early).
///
/// # Errors
/// Any read or write error.
pub fn copy_with_writeback(source: &mut File, dest: &mut File, len: u64) -> io::Result<u64> {
    const CHUNK: u64 = 4 << 20;
    let mut copied = 0;
    while copied < len {
        let want = CHUNK.min(len - copied);
        let n = io::copy(&mut Read::take(&mut *source, want), dest)?;
        copied += n;
        start_writeback(dest);
        if n < want {
            break;
        }
    }
    Ok(copied)
}

#[cfg(target_os = "linux")]
fn start_writeback(file: &File) {
    use std::os::fd::AsRawFd;
    // SAFETY: a plain system call on a file descriptor this `File` owns; offset 0 and length 0 mean "the
    // whole file", and SYNC_FILE_RANGE_WRITE only starts writeback (it never waits, never fails the copy).
    unsafe {
        libc::sync_file_range(file.as_raw_fd(), 0, 0, libc::SYNC_FILE_RANGE_WRITE);
    }
}

#[cfg(not(target_os = "linux"))]
fn start_writeback(_file: &File) {}

/// A new temporary file for `file_name` in `dir`, locked: the lock is held until the rename, so the file is
/// not a leftover while this write goes on. Another writer's [`remove_leftovers`] can remove it between its
/// creation and the lock; a file found unlinked once locked is made again. A file system without locks only
/// means that leftovers there are never removed.
fn locked_temp(dir: &Path, file_name: &str) -> Result<tempfile::NamedTempFile, WriteError> {
    let mut attempts = 0;
    loop {
        let temp = tempfile::Builder::new()
            .prefix(&format!(".{file_name}."))
            .suffix(".castkit-tmp")
            .tempfile_in(dir)
            .map_err(|source| WriteError::Temp {
                dir: dir.to_path_buf(),
                source,
            })?;
        let _ = temp.as_file().lock();
        attempts += 1;
        if attempts >= 8 || !unlinked(temp.as_file()) {
            return Ok(temp);
        }
    }
}

/// Whether an open file has no name left in any folder.
#[cfg(unix)]
fn unlinked(file: &File) -> bool {
    use std::os::unix::fs::MetadataExt;
    file.metadata().is_ok_and(|m| m.nlink() == 0)
}

#[cfg(not(unix))]
fn unlinked(_file: &File) -> bool {
    false
}

/// Removes temporary files that an interrupted write to `file_name` left in `dir`: those whose lock can be
/// taken, so no write holds them.
fn remove_leftovers(dir: &Path, file_name: &str) {
    let prefix = format!(".{file_name}.");
    let Ok(entries) = fs::read_dir(dir) else {
        return;
    };
    for entry in entries.flatten() {
        let name = entry.file_name();
        let name = name.to_string_lossy();
        if name.starts_with(&prefix)
            && name.ends_with(".castkit-tmp")
            && File::open(entry.path()).is_ok_and(|f| f.try_lock().is_ok())
        {
            let _ = fs::remove_file(entry.path());
        }
    }
}

#[cfg(unix)]
fn set_permissions(temp: &File, destination: &Path) -> io::Result<()> {
    use std::os::unix::fs::PermissionsExt;
    let mode = match fs::metadata(destination) {
        Ok(m) => m.permissions().mode() & 0o7777,
        Err(_) => 0o644,
    };
    temp.set_permissions(fs::Permissions::from_mode(mode))
}

#[cfg(not(unix))]
fn set_permissions(_temp: &File, _destination: &Path) -> io::Result<()> {
    Ok(())
}

/// A file type in words (`a named pipe (FIFO)`, `a folder`…), for refusing anything but a regular file:
/// opening a FIFO for reading waits for a writer forever, and a device never ends.
pub fn file_type_in_words(kind: std::fs::FileType) -> &'static str {
    #[cfg(unix)]
    {
        use std::os::unix::fs::FileTypeExt;
        if kind.is_fifo() {
            return "a named pipe (FIFO)";
        }
        if kind.is_socket() {
            return "a socket";
        }
        if kind.is_char_device() || kind.is_block_device() {
            return "a device";
        }
    }
    if kind.is_dir() {
        "a folder"
    } else {
        "not a regular file"
    }
}

/// castkit's cache folder, per the environment: `CASTKIT_CACHE_DIR` when set (`off` or empty: no cache at
/// all, `None`), else `$XDG_CACHE_HOME/castkit`, else `~/.cache/castkit`; `None` when none of these is known.
///
/// The folder may not exist yet: whoever writes into it creates it. The kept copies of fetched feeds live
/// below it. Probe stores live beside each show's catalogue unless `CASTKIT_CACHE_DIR` names a folder (see
/// [`cache_dir_setting`]), so one variable moves or turns off all of castkit's caches.
pub fn cache_dir() -> Option<PathBuf> {
    match std::env::var_os("CASTKIT_CACHE_DIR") {
        Some(d) if d == "off" || d.is_empty() => None,
        Some(d) => Some(PathBuf::from(d)),
        None => match std::env::var_os("XDG_CACHE_HOME") {
            Some(x) if !x.is_empty() => Some(PathBuf::from(x).join("castkit")),
            _ => Some(
                PathBuf::from(std::env::var_os("HOME")?)
                    .join(".cache")
                    .join("castkit"),
            ),
        },
    }
}

/// What `CASTKIT_CACHE_DIR` asks for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum CacheDirSetting {
    /// Not set: each cache at its usual place.
    Unset,
    /// `off` (or empty): no cache is read or written.
    Off,
    /// Every cache below this folder.
    At(PathBuf),
}

/// Reads `CASTKIT_CACHE_DIR` (see [`CacheDirSetting`]).
pub fn cache_dir_setting() -> CacheDirSetting {
    match std::env::var_os("CASTKIT_CACHE_DIR") {
        Some(d) if d == "off" || d.is_empty() => CacheDirSetting::Off,
        Some(d) => CacheDirSetting::At(PathBuf::from(d)),
        None => CacheDirSetting::Unset,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn leftovers(dir: &Path) -> Vec<String> {
        fs::read_dir(dir)
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .filter(|n| n.ends_with(".castkit-tmp"))
            .collect()
    }

    #[test]
    fn copy_with_writeback_copies_exactly_the_range_across_chunks() {
        let dir = tempfile::tempdir().unwrap();
        let source_path = dir.path().join("source");
        // 9 MiB + 7 bytes: three chunks, the last one partial; a pattern that shows any misplaced byte.
        let bytes: Vec<u8> = (0..(9u32 << 20) + 7).map(|i| (i % 251) as u8).collect();
        fs::write(&source_path, &bytes).unwrap();
        let mut source = File::open(&source_path).unwrap();
        io::Seek::seek(&mut source, io::SeekFrom::Start(5)).unwrap();
        let dest_path = dir.path().join("dest");
        let mut dest = File::create(&dest_path).unwrap();
        dest.write_all(b"head").unwrap();
        let want = bytes.len() as u64 - 5 - 100;
        assert_eq!(
            copy_with_writeback(&mut source, &mut dest, want).unwrap(),
            want
        );
        drop(dest);
        let written = fs::read(&dest_path).unwrap();
        assert_eq!(&written[..4], b"head");
        assert!(
            written[4..] == bytes[5..bytes.len() - 100],
            "the copied bytes differ"
        );
        // Asking for more than the source has copies what is there and says how much.
        let mut source = File::open(&source_path).unwrap();
        let mut dest = File::create(dir.path().join("short")).unwrap();
        assert_eq!(
            copy_with_writeback(&mut source, &mut dest, u64::MAX).unwrap(),
            bytes.len() as u64
        );
    }

    #[test]
    fn writes_new_file_and_replaces_existing_one() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("feed.xml");
        write_atomic(&path, |w| w.write_all(b"one")).unwrap();
        assert_eq!(fs::read(&path).unwrap(), b"one");
        write_atomic(&path, |w| w.write_all(b"two")).unwrap();
        assert_eq!(fs::read(&path).unwrap(), b"two");
        assert!(leftovers(dir.path()).is_empty());
    }

    #[test]
    fn a_failure_at_any_step_leaves_the_old_file_and_no_temporary() {
        for failing in [Step::Created, Step::Synced, Step::Rename] {
            let dir = tempfile::tempdir().unwrap();
            let path = dir.path().join("feed.xml");
            fs::write(&path, b"old").unwrap();
            let result = write_atomic_with(
                &path,
                |w| w.write_all(b"new content"),
                |step| {
                    if step == failing {
                        Err(io::Error::other("injected"))
                    } else {
                        Ok(())
                    }
                },
            );
            assert!(result.is_err(), "{failing:?}");
            assert_eq!(fs::read(&path).unwrap(), b"old", "{failing:?}");
            assert!(leftovers(dir.path()).is_empty(), "{failing:?}");
        }
    }

    #[test]
    fn a_failing_producer_leaves_the_old_file() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("feed.xml");
        fs::write(&path, b"old").unwrap();
        let err = write_atomic(&path, |w| {
            w.write_all(b"partial")?;
            Err(io::Error::other("render failed"))
        })
        .unwrap_err();
        assert!(matches!(err, WriteError::Write { .. }));
        assert_eq!(fs::read(&path).unwrap(), b"old");
        assert!(leftovers(dir.path()).is_empty());
    }

    #[test]
    fn leftovers_of_an_interrupted_write_are_removed_by_the_next_one() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("feed.xml");
        fs::write(dir.path().join(".feed.xml.AbC123.castkit-tmp"), b"half").unwrap();
        fs::write(
            dir.path().join(".other.xml.AbC123.castkit-tmp"),
            b"not ours",
        )
        .unwrap();
        write_atomic(&path, |w| w.write_all(b"whole")).unwrap();
        assert_eq!(leftovers(dir.path()), [".other.xml.AbC123.castkit-tmp"]);
    }

    /// A temporary file another write still holds (its lock taken) is not a leftover: a second writer of
    /// the same file leaves it alone, so the first one's rename still succeeds.
    #[test]
    fn a_temporary_file_still_being_written_is_not_removed() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("index.html");
        let busy = dir.path().join(".index.html.XyZ789.castkit-tmp");
        fs::write(&busy, b"being written").unwrap();
        let held = File::open(&busy).unwrap();
        held.lock().unwrap();
        write_atomic(&path, |w| w.write_all(b"whole")).unwrap();
        assert_eq!(leftovers(dir.path()), [".index.html.XyZ789.castkit-tmp"]);
        // Its writer finishes (the lock goes), and the next write removes what it left.
        drop(held);
        write_atomic(&path, |w| w.write_all(b"again")).unwrap();
        assert!(leftovers(dir.path()).is_empty());
    }

    #[cfg(unix)]
    #[test]
    fn existing_permissions_are_kept_and_new_files_are_world_readable() {
        use std::os::unix::fs::PermissionsExt;
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("a.mp3");
        write_atomic(&path, |w| w.write_all(b"x")).unwrap();
        assert_eq!(
            fs::metadata(&path).unwrap().permissions().mode() & 0o777,
            0o644
        );
        fs::set_permissions(&path, fs::Permissions::from_mode(0o600)).unwrap();
        write_atomic(&path, |w| w.write_all(b"y")).unwrap();
        assert_eq!(
            fs::metadata(&path).unwrap().permissions().mode() & 0o777,
            0o600
        );
    }
}
