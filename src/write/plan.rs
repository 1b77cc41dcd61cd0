//! The one rule for what a run may write, checked before its first byte: [`OutputPlan`] is told
//! the run's inputs, then claims each output path. It refuses an output that exists and is not a
//! regular file, that is (or resolves to) an input, that lies inside an input folder the run
//! walks, or that another output of the run already claimed. [`AtomicFile`] does the writing.
//!
//! [`AtomicFile`]: super::AtomicFile

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Component, Path, PathBuf};

use super::atomic::{check_replaceable, remove_stale_partials};
use crate::error::{Error, Result};

/// What identifies a file whatever it is called: its device and inode.
#[cfg(unix)]
type FileId = (u64, u64);
#[cfg(not(unix))]
type FileId = PathBuf;

#[cfg(unix)]
fn file_id(_path: &Path, meta: &std::fs::Metadata) -> FileId {
    use std::os::unix::fs::MetadataExt;
    (meta.dev(), meta.ino())
}

#[cfg(not(unix))]
fn file_id(path: &Path, _meta: &std::fs::Metadata) -> FileId {
    resolve(path)
}

/// The outputs of one run, checked against its inputs and each other.
///
/// ```
/// # let dir = tempfile::tempdir().unwrap();
/// # let data = dir.path().join("x.csv");
/// # std::fs::write(&data, "text,label\n").unwrap();
/// use chaff::write::OutputPlan;
/// let mut plan = OutputPlan::new();
/// plan.input(&data);
/// assert!(plan.claim(&data, "the model").is_err()); // the output would overwrite the input
/// plan.claim(&dir.path().join("m.chaff"), "the model").unwrap();
/// assert!(plan.claim(&dir.path().join("m.chaff"), "the report").is_err()); // both would write it
/// ```
#[derive(Debug, Default)]
pub struct OutputPlan {
    /// Input files, with their names as given.
    inputs: BTreeMap<FileId, String>,
    /// Input folders the run walks, resolved, with their names as given.
    folders: Vec<(PathBuf, PathBuf)>,
    /// The folder per-input outputs go to, resolved.
    output_folder: Option<PathBuf>,
    /// Claimed outputs, resolved, with who writes each.
    claimed: BTreeMap<PathBuf, String>,
}

impl OutputPlan {
    /// A plan with no inputs and no outputs yet.
    pub fn new() -> OutputPlan {
        OutputPlan::default()
    }

    /// Declares an input file. One that cannot be looked at is not recorded (reading it fails).
    pub fn input(&mut self, path: &Path) {
        if let Ok(meta) = std::fs::metadata(path) {
            self.inputs
                .insert(file_id(path, &meta), path.display().to_string());
        }
    }

    /// Declares standard input as an input: a file redirected onto it must not be overwritten.
    pub fn stdin(&mut self) {
        #[cfg(unix)]
        {
            use std::os::fd::AsFd;
            let file = std::io::stdin()
                .as_fd()
                .try_clone_to_owned()
                .map(std::fs::File::from);
            if let Ok(meta) = file.and_then(|f| f.metadata()) {
                if meta.is_file() {
                    let id = file_id(Path::new("-"), &meta);
                    self.inputs.insert(id, "standard input".to_owned());
                }
            }
        }
    }

    /// Declares the folder per-input outputs go to. When it lies inside an input folder, the
    /// walk of that folder skips it ([`OutputPlan::skips`]), so outputs are never read back.
    pub fn output_folder(&mut self, dir: &Path) {
        self.output_folder = Some(resolve(dir));
    }

    /// Declares an input folder the run walks.
    pub fn input_folder(&mut self, dir: &Path) {
        self.folders.push((resolve(dir), dir.to_owned()));
    }

    /// Whether a file found by walking an input folder is in the output folder (which lies
    /// strictly inside that input folder), and so is not an input.
    pub fn skips(&self, file: &Path) -> bool {
        self.excluded()
            .is_some_and(|out| file.canonicalize().is_ok_and(|f| f.starts_with(out)))
    }

    /// The output folder, when it lies strictly inside an input folder and is skipped by walks.
    fn excluded(&self) -> Option<&Path> {
        let out = self.output_folder.as_deref()?;
        self.folders
            .iter()
            .any(|(f, _)| out != f && out.starts_with(f))
            .then_some(out)
    }

    /// Claims `output` for `writer` (in words: "the model", "the output of a.txt"), or says why
    /// it must not be written.
    pub fn claim(&mut self, output: &Path, writer: &str) -> Result<()> {
        if let Some(meta) = check_replaceable(output)? {
            if let Some(input) = self.inputs.get(&file_id(output, &meta)) {
                return Err(Error::OutputIsInput {
                    output: output.to_owned(),
                    input: input.clone(),
                });
            }
        }
        let resolved = resolve(output);
        let excluded = self.excluded();
        if let Some((_, folder)) = self.folders.iter().find(|(f, _)| {
            resolved.starts_with(f) && !excluded.is_some_and(|out| resolved.starts_with(out))
        }) {
            return Err(Error::OutputInInputFolder {
                output: output.to_owned(),
                folder: folder.clone(),
            });
        }
        if let Some(first) = self.claimed.get(&resolved) {
            return Err(Error::OutputCollision {
                output: output.to_owned(),
                first: first.clone(),
                second: writer.to_owned(),
            });
        }
        self.claimed.insert(resolved, writer.to_owned());
        Ok(())
    }

    /// Removes from the claimed outputs' folders what killed runs left behind (see
    /// [`remove_stale_partials`]); returns how many files.
    pub fn remove_stale_partials(&self) -> Result<usize> {
        let folders: BTreeSet<&Path> = self.claimed.keys().filter_map(|p| p.parent()).collect();
        folders
            .into_iter()
            .map(remove_stale_partials)
            .sum::<Result<usize>>()
    }
}

/// `path` made absolute with symbolic links resolved in its existing part: the canonical form
/// of its longest existing ancestor, with the rest appended (`.` dropped, `..` applied).
fn resolve(path: &Path) -> PathBuf {
    let absolute = match std::env::current_dir() {
        Ok(cwd) => cwd.join(path),
        Err(_) => path.to_owned(),
    };
    let parts: Vec<Component> = absolute.components().collect();
    for existing in (1..=parts.len()).rev() {
        let head: PathBuf = parts[..existing].iter().collect();
        if let Ok(mut out) = head.canonicalize() {
            for part in &parts[existing..] {
                match part {
                    Component::ParentDir => {
                        out.pop();
                    }
                    Component::Normal(name) => out.push(name),
                    _ => {}
                }
            }
            return out;
        }
    }
    absolute
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn resolve_follows_links_in_the_existing_part() {
        let dir = tempfile::tempdir().unwrap();
        let real = dir.path().canonicalize().unwrap();
        std::fs::create_dir(real.join("a")).unwrap();
        assert_eq!(resolve(&real.join("a/./b/../c")), real.join("a/c"));
        #[cfg(unix)]
        {
            std::os::unix::fs::symlink(real.join("a"), real.join("l")).unwrap();
            assert_eq!(resolve(&real.join("l/new/x")), real.join("a/new/x"));
        }
    }

    #[test]
    fn each_refusal_is_its_own_error() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path();
        let input = root.join("in/a.txt");
        std::fs::create_dir_all(root.join("in/out")).unwrap();
        std::fs::write(&input, "x").unwrap();
        let mut plan = OutputPlan::new();
        plan.output_folder(&root.join("in/out"));
        plan.input_folder(&root.join("in"));
        plan.input(&input);
        assert!(matches!(
            plan.claim(&input, "w"),
            Err(Error::OutputIsInput { .. })
        ));
        assert!(matches!(
            plan.claim(&root.join("in/b.txt"), "w"),
            Err(Error::OutputInInputFolder { .. })
        ));
        assert!(matches!(
            plan.claim(&root.join("in"), "w"),
            Err(Error::OutputNotRegular { kind: "folder", .. })
        ));
        plan.claim(&root.join("in/out/a.txt"), "first").unwrap();
        let err = plan.claim(&root.join("in/out/../out/a.txt"), "second");
        assert!(
            matches!(&err, Err(Error::OutputCollision { first, second, .. }) if first == "first" && second == "second"),
            "{err:?}"
        );
        std::fs::write(root.join("in/out/a.txt"), "x").unwrap();
        assert!(plan.skips(&root.join("in/out/a.txt")));
        assert!(!plan.skips(&input));
    }
}
