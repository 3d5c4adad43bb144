//! Command-line parsing and exit codes for `cargo xtask`.

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use anyhow::{Result, bail};

use crate::regen::{Outcome, regen};
use crate::{GENERATED_PATH, SPEC_PATH, workspace_root};

const USAGE: &str = "\
usage: cargo xtask regen [--check] [--spec PATH] [--out PATH]

  regen          generate the client from the spec and write it when it changed
  --check        write nothing; exit 1 and print a diff if the file is stale
  --spec PATH    read this spec instead of spec/atlas-backup-snapshots.yaml
  --out PATH     compare with or write this file instead of the client's";

/// Exit status when `--check` finds the committed file stale.
pub const EXIT_DRIFT: u8 = 1;
/// Exit status for bad input: an unreadable or invalid spec, a bad argument.
pub const EXIT_ERROR: u8 = 2;

/// Runs `cargo xtask` with `args` (program name excluded) and reports an
/// error on standard error with [`EXIT_ERROR`].
pub fn run(args: impl IntoIterator<Item = String>) -> ExitCode {
    match execute(args) {
        Ok(code) => ExitCode::from(code),
        Err(e) => {
            eprintln!("error: {e:#}");
            ExitCode::from(EXIT_ERROR)
        }
    }
}

/// Runs a command: `Ok` with its exit status, or `Err` for bad input,
/// which [`run`] turns into [`EXIT_ERROR`].
pub fn execute(args: impl IntoIterator<Item = String>) -> Result<u8> {
    let mut args = args.into_iter();
    match args.next().as_deref() {
        Some("regen") => regen_command(args),
        Some("help" | "--help" | "-h") => {
            println!("{USAGE}");
            Ok(0)
        }
        Some(other) => bail!("unknown command `{other}`\n\n{USAGE}"),
        None => bail!("no command given\n\n{USAGE}"),
    }
}

/// `path` as messages and the generated header show it: relative to the
/// workspace when it lies inside, so output does not depend on the checkout.
fn shown(root: &Path, path: &Path) -> String {
    let absolute = std::path::absolute(path).unwrap_or_else(|_| path.to_path_buf());
    absolute
        .strip_prefix(root)
        .unwrap_or(path)
        .display()
        .to_string()
}

fn regen_command(mut args: impl Iterator<Item = String>) -> Result<u8> {
    let root = workspace_root();
    let mut check = false;
    let mut spec = root.join(SPEC_PATH);
    let mut out = root.join(GENERATED_PATH);
    while let Some(arg) = args.next() {
        let mut value = || -> Result<PathBuf> {
            match args.next() {
                Some(v) => Ok(PathBuf::from(v)),
                None => bail!("{arg} needs a path\n\n{USAGE}"),
            }
        };
        match arg.as_str() {
            "--check" => check = true,
            "--spec" => spec = value()?,
            "--out" => out = value()?,
            _ => bail!("unknown argument `{arg}`\n\n{USAGE}"),
        }
    }

    let spec_name = shown(&root, &spec);
    let out_name = shown(&root, &out);
    Ok(match regen(&spec, &spec_name, &out, check)? {
        Outcome::Unchanged => {
            eprintln!("{out_name} is up to date with {spec_name}");
            0
        }
        Outcome::Written => {
            eprintln!("wrote {out_name}");
            0
        }
        Outcome::Drift(diff) => {
            print!("{diff}");
            eprintln!(
                "{out_name} does not match what {spec_name} generates; run `cargo xtask regen` and commit the result"
            );
            EXIT_DRIFT
        }
    })
}
