//! Maintainer tooling for the Atlas backup-snapshot client: `cargo xtask
//! regen`, `diff` and `lint`, whose arguments [`flags`] parses.
//!
//! `regen` runs the pipeline ([`pipeline::Pipeline`]), each step once, in
//! this order: [`spec::load`] reads and checks the spec,
//! [`adapt::for_progenitor`] bends it in memory to what progenitor can type
//! and keeps what it bends as [`facts`], [`generate`] runs progenitor,
//! [`postprocess`] adds what progenitor leaves out, and
//! [`regen::ensure_file_contents`] writes or checks each formatted file.
//! The same adapted spec also gives the command line's table
//! ([`cli_table`]) and the typed mocks ([`postprocess::mocks`]).

pub mod adapt;
pub mod cli_table;
pub mod diff;
pub mod facts;
pub mod flags;
pub mod generate;
pub mod lint;
pub mod lookup;
pub mod naming;
mod operations;
pub mod patterns;
pub mod pipeline;
pub mod postprocess;
pub mod public_api;
pub mod raw;
pub mod regen;
pub mod spec;
pub mod tagged_unions;
pub mod waiters;
pub mod watches;

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use anyhow::{Context, Result};

/// Exit status when `regen --check` finds a committed file stale.
pub const EXIT_DRIFT: u8 = 1;
/// Exit status when `diff --fail-on` or `lint` finds what it looks for.
pub const EXIT_FINDINGS: u8 = 1;
/// Exit status for bad input: a bad argument, a spec that cannot be read or
/// is not OpenAPI, or, for `regen` and `lint`, one that cannot be generated.
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
/// which [`run`] turns into [`EXIT_ERROR`]. `--help` prints and is `Ok(0)`.
pub fn execute(args: impl IntoIterator<Item = String>) -> Result<u8> {
    let Some(command) = flags::parse(args)? else {
        return Ok(0);
    };
    let here = std::env::current_dir().context("cannot read the current directory")?;
    let root = find_workspace_root(&here)?;
    match command {
        flags::Command::Regen(flags) => regen::run(&root, flags),
        flags::Command::Diff(flags) => diff::run(&root, flags),
        flags::Command::Lint(flags) => lint::run(&root, flags),
    }
}

/// The workspace root of the checkout `cargo xtask` runs in, where `spec/`
/// and `generated-client/` live: [`find_workspace_root`] from the current
/// directory. For tests and benches, which cargo runs inside the checkout;
/// the commands themselves report a missing root as an error.
pub fn workspace_root() -> PathBuf {
    let here = std::env::current_dir().expect("the current directory is readable");
    find_workspace_root(&here).unwrap_or_else(|e| panic!("{e:#}"))
}

/// The nearest directory at or above `start` whose `Cargo.toml` has a
/// `[workspace]` table. Found at run time, never from where the binary was
/// compiled: two checkouts that share one target directory run the same
/// binary, and each must read and write its own tree.
pub fn find_workspace_root(start: &Path) -> anyhow::Result<PathBuf> {
    start
        .ancestors()
        .find(|dir| declares_workspace(&dir.join("Cargo.toml")))
        .map(Path::to_path_buf)
        .ok_or_else(|| {
            anyhow::anyhow!(
                "no Cargo.toml with a [workspace] table in {} or above it; run cargo xtask inside the checkout",
                start.display()
            )
        })
}

fn declares_workspace(manifest: &Path) -> bool {
    std::fs::read_to_string(manifest)
        .is_ok_and(|text| text.lines().any(|line| line.trim() == "[workspace]"))
}

/// `path` as messages show it: relative to the workspace `root` when it
/// lies inside, so output does not depend on the checkout.
pub fn shown_path(root: &Path, path: &Path) -> String {
    let absolute = std::path::absolute(path).unwrap_or_else(|_| path.to_path_buf());
    absolute
        .strip_prefix(root)
        .unwrap_or(path)
        .display()
        .to_string()
}

/// The spec, relative to the workspace root.
pub const SPEC_PATH: &str = "spec/atlas-backup-snapshots.yaml";

/// The generated client file, relative to the workspace root.
pub const GENERATED_PATH: &str = "generated-client/src/generated.rs";
