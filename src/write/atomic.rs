//! Whole-or-nothing files: [`AtomicFile`] writes a temporary file beside its target, fsyncs it
//! and renames it onto the target, and only ever onto a path that is missing or a regular file.
//! The temporary names carry the writing process's id and host, so that a later run can
//! recognise what a killed run left behind and remove it ([`remove_stale_partials`]).

use std::fs::FileType;
use std::io::{self, Write};
use std::path::{Path, PathBuf};
use std::sync::OnceLock;

use crate::error::{Error, Result};

/// What every temporary file's name starts with; then `PID-HOST-` and six random characters.
const PARTIAL_PREFIX: &str = ".chaff-partial-";

/// A file being written: a temporary file beside `target`, renamed onto it by [`commit`].
///
/// [`commit`]: AtomicFile::commit
pub struct AtomicFile {
    target: PathBuf,
    tmp: io::BufWriter<tempfile::NamedTempFile>,
}

impl AtomicFile {
    /// Starts writing `target`, creating its folder if needed. Refuses a target that exists and
    /// is not a regular file ([`Error::OutputNotRegular`]): renaming onto a symbolic link, a
    /// FIFO or a device would replace it, not write to it.
    pub fn create(target: &Path) -> Result<AtomicFile> {
        check_replaceable(target)?;
        let dir = match target.parent() {
            Some(p) if !p.as_os_str().is_empty() => p.to_owned(),
            _ => PathBuf::from("."),
        };
        std::fs::create_dir_all(&dir).map_err(|e| Error::io(&dir, e))?;
        let prefix = format!("{PARTIAL_PREFIX}{}-{}-", std::process::id(), host());
        let mut builder = tempfile::Builder::new();
        builder.prefix(&prefix).rand_bytes(6);
        // Temporary files are private (0600) by default; the finished file should get what
        // any new file gets: 0666 less the umask.
        #[cfg(unix)]
        builder.permissions(std::os::unix::fs::PermissionsExt::from_mode(0o666));
        let tmp = builder.tempfile_in(&dir).map_err(|e| Error::io(&dir, e))?;
        Ok(AtomicFile {
            target: target.to_owned(),
            tmp: io::BufWriter::with_capacity(1 << 16, tmp),
        })
    }

    /// The final path.
    pub fn target(&self) -> &Path {
        &self.target
    }

    /// Flushes, fsyncs and renames the file onto its target, checking once more that the
    /// target is still missing or a regular file. Dropping an uncommitted file deletes it.
    pub fn commit(self) -> Result<()> {
        let target = self.target;
        let tmp = self
            .tmp
            .into_inner()
            .map_err(|e| Error::io(&target, e.into_error()))?;
        tmp.as_file()
            .sync_all()
            .map_err(|e| Error::io(&target, e))?;
        check_replaceable(&target)?;
        tmp.persist(&target)
            .map_err(|e| Error::io(&target, e.error))?;
        Ok(())
    }
}

impl Write for AtomicFile {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        self.tmp.write(buf)
    }
    fn flush(&mut self) -> io::Result<()> {
        self.tmp.flush()
    }
}

/// The target's metadata if it exists (a regular file), `None` if it does not; an error if it
/// is anything else, or cannot be looked at.
pub(crate) fn check_replaceable(target: &Path) -> Result<Option<std::fs::Metadata>> {
    match std::fs::symlink_metadata(target) {
        Ok(m) if m.file_type().is_file() => Ok(Some(m)),
        Ok(m) => Err(Error::OutputNotRegular {
            path: target.to_owned(),
            kind: kind(m.file_type()),
        }),
        Err(e) if e.kind() == io::ErrorKind::NotFound => Ok(None),
        Err(e) => Err(Error::io(target, e)),
    }
}

/// A file type in words, for messages.
fn kind(t: FileType) -> &'static str {
    #[cfg(unix)]
    {
        use std::os::unix::fs::FileTypeExt;
        if t.is_fifo() {
            return "FIFO (named pipe)";
        } else if t.is_char_device() {
            return "character device";
        } else if t.is_block_device() {
            return "block device";
        } else if t.is_socket() {
            return "socket";
        }
    }
    if t.is_dir() {
        "folder"
    } else if t.is_symlink() {
        "symbolic link"
    } else {
        "special file"
    }
}

/// This machine's name as it goes into temporary file names: letters, digits, `.` and `-`
/// (others become `_`); `unknown` where it cannot be read, and then no leftover is ever
/// recognised as this machine's.
fn host() -> &'static str {
    static HOST: OnceLock<String> = OnceLock::new();
    HOST.get_or_init(|| {
        let name = std::fs::read_to_string("/proc/sys/kernel/hostname").unwrap_or_default();
        let name: String = name
            .trim()
            .chars()
            .map(|c| {
                if c.is_ascii_alphanumeric() || c == '.' || c == '-' {
                    c
                } else {
                    '_'
                }
            })
            .collect();
        if name.is_empty() {
            "unknown".to_owned()
        } else {
            name
        }
    })
}

/// Whether process `pid` is running on this machine; `None` where that cannot be told (no
/// `/proc`).
fn running(pid: u32) -> Option<bool> {
    let proc = Path::new("/proc");
    if !proc.join("self").exists() {
        return None;
    }
    Some(proc.join(pid.to_string()).exists())
}

/// The process id and host of a temporary file's name, if it is one of chaff's.
fn partial_owner(name: &str) -> Option<(u32, &str)> {
    let rest = name.strip_prefix(PARTIAL_PREFIX)?;
    let (pid, rest) = rest.split_once('-')?;
    let (host, random) = rest.rsplit_once('-')?;
    if random.len() != 6 || !random.chars().all(|c| c.is_ascii_alphanumeric()) {
        return None;
    }
    Some((pid.parse().ok()?, host))
}

/// Removes from `dir` the temporary files of chaff runs that were killed before they could
/// clean up: those named for this host and a process that is no longer running. Files of
/// running processes, of other hosts (a shared folder), or from before names carried their
/// writer are left alone. Returns how many were removed; a missing folder has none.
pub fn remove_stale_partials(dir: &Path) -> Result<usize> {
    let entries = match std::fs::read_dir(dir) {
        Ok(e) => e,
        Err(e) if e.kind() == io::ErrorKind::NotFound => return Ok(0),
        Err(e) => return Err(Error::io(dir, e)),
    };
    let mut removed = 0;
    for entry in entries {
        let entry = entry.map_err(|e| Error::io(dir, e))?;
        let name = entry.file_name();
        let Some((pid, from)) = name.to_str().and_then(partial_owner) else {
            continue;
        };
        if from != host() || host() == "unknown" || running(pid) != Some(false) {
            continue;
        }
        if !entry.file_type().is_ok_and(|t| t.is_file()) {
            continue;
        }
        match std::fs::remove_file(entry.path()) {
            Ok(()) => removed += 1,
            // Another run removed it first.
            Err(e) if e.kind() == io::ErrorKind::NotFound => {}
            Err(e) => return Err(Error::io(entry.path(), e)),
        }
    }
    Ok(removed)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn temporary_names_carry_their_writer() {
        let dir = tempfile::tempdir().unwrap();
        let file = AtomicFile::create(&dir.path().join("out.txt")).unwrap();
        let name = std::fs::read_dir(dir.path())
            .unwrap()
            .map(|e| e.unwrap().file_name().into_string().unwrap())
            .find(|n| n.starts_with(PARTIAL_PREFIX))
            .unwrap();
        assert_eq!(partial_owner(&name), Some((std::process::id(), host())));
        drop(file);
    }

    #[test]
    fn only_leftovers_of_dead_processes_on_this_host_are_removed() {
        let dir = tempfile::tempdir().unwrap();
        // A process id above Linux's limit (2^22) is never running.
        let dead = 4_999_999;
        let me = std::process::id();
        let names = [
            format!("{PARTIAL_PREFIX}{dead}-{}-abc123", host()),
            format!("{PARTIAL_PREFIX}{me}-{}-abc123", host()),
            format!("{PARTIAL_PREFIX}{dead}-another-host-abc123"),
            format!("{PARTIAL_PREFIX}Ab12Cd"),
            "notes.txt".to_owned(),
        ];
        for n in &names {
            std::fs::write(dir.path().join(n), "x").unwrap();
        }
        let removed = remove_stale_partials(dir.path()).unwrap();
        let left: Vec<bool> = names.iter().map(|n| dir.path().join(n).exists()).collect();
        if running(me) == Some(true) && host() != "unknown" {
            assert_eq!(removed, 1);
            assert_eq!(left, [false, true, true, true, true]);
        } else {
            assert_eq!(
                removed, 0,
                "where the owner cannot be told, nothing is removed"
            );
        }
    }

    #[test]
    fn only_missing_or_regular_targets_are_replaced() {
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("f");
        std::fs::write(&file, "x").unwrap();
        assert!(check_replaceable(&file).unwrap().is_some());
        assert!(check_replaceable(&dir.path().join("none"))
            .unwrap()
            .is_none());
        let err = check_replaceable(dir.path()).unwrap_err();
        assert!(matches!(
            err,
            Error::OutputNotRegular { kind: "folder", .. }
        ));
        #[cfg(unix)]
        {
            let link = dir.path().join("link");
            std::os::unix::fs::symlink(&file, &link).unwrap();
            let err = AtomicFile::create(&link).err().unwrap();
            assert!(matches!(
                err,
                Error::OutputNotRegular {
                    kind: "symbolic link",
                    ..
                }
            ));
            assert!(std::fs::symlink_metadata(&link)
                .unwrap()
                .file_type()
                .is_symlink());
        }
    }
}
