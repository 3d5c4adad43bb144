//! Where a version of the spec comes from: a file, or the spec as committed
//! at a git revision.

use std::path::{Path, PathBuf};
use std::process::Command;

use anyhow::{Context, Result, bail};

use crate::SPEC_PATH;

/// One side of a diff.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Source {
    /// A spec file, relative to the current directory or absolute.
    File(PathBuf),
    /// `REV` (the project's spec at that revision) or `REV:PATH`.
    Revision(String),
}

/// A version of the spec, read.
#[derive(Clone, Debug)]
pub struct SpecText {
    /// How reports and errors name this version.
    pub name: String,
    /// Where errors point: the file, or `REV:PATH` for a revision.
    pub path: PathBuf,
    pub text: String,
}

impl Source {
    /// An argument as a source: an existing file, or else a git revision.
    /// A name that looks like a file (it has a `.yaml`, `.yml` or `.json`
    /// ending) stays a file, so a typo reads as "cannot read".
    pub fn from_arg(arg: &str) -> Source {
        let looks_like_file = [".yaml", ".yml", ".json"]
            .iter()
            .any(|ending| arg.ends_with(ending))
            && !arg.contains(':');
        if looks_like_file || Path::new(arg).is_file() {
            Source::File(PathBuf::from(arg))
        } else {
            Source::Revision(arg.to_string())
        }
    }

    /// Reads this version; `root` is the git work tree and the base of
    /// the names shown.
    pub fn read(&self, root: &Path) -> Result<SpecText> {
        match self {
            Source::File(path) => {
                let text = crate::spec::read_text(path)?;
                Ok(SpecText {
                    name: crate::shown_path(root, path),
                    path: path.clone(),
                    text,
                })
            }
            Source::Revision(revision) => {
                let object = if revision.contains(':') {
                    revision.clone()
                } else {
                    format!("{revision}:{SPEC_PATH}")
                };
                let text = git_show(root, revision, &object)?;
                Ok(SpecText {
                    name: object.clone(),
                    path: PathBuf::from(object),
                    text,
                })
            }
        }
    }
}

fn git_show(root: &Path, revision: &str, object: &str) -> Result<String> {
    let commit = revision.split(':').next().unwrap_or(revision);
    let verified = git(
        root,
        &[
            "rev-parse",
            "--verify",
            "--quiet",
            &format!("{commit}^{{commit}}"),
        ],
    )?;
    if !verified.status.success() {
        bail!("`{revision}` is neither a spec file nor a git revision");
    }
    let shown = git(root, &["show", object])?;
    if !shown.status.success() {
        let stderr = String::from_utf8_lossy(&shown.stderr);
        bail!("cannot read {object} from git: {}", stderr.trim());
    }
    String::from_utf8(shown.stdout).with_context(|| format!("{object} is not UTF-8"))
}

fn git(root: &Path, args: &[&str]) -> Result<std::process::Output> {
    Command::new("git")
        .args(args)
        .current_dir(root)
        .output()
        .context("cannot run git, needed to read a spec at a revision")
}

#[cfg(test)]
mod tests {
    use super::Source;

    #[test]
    fn arguments_become_files_or_revisions() {
        assert_eq!(
            Source::from_arg("old.yaml"),
            Source::File("old.yaml".into())
        );
        assert_eq!(
            Source::from_arg("HEAD~1"),
            Source::Revision("HEAD~1".into())
        );
        assert_eq!(
            Source::from_arg("main:spec/x.yaml"),
            Source::Revision("main:spec/x.yaml".into())
        );
    }
}
