//! Maintainer tooling for the Atlas backup-snapshot client.
//!
//! The pipeline is one function per step, in this order:
//! [`spec::load`] reads and checks the spec, [`adapt::for_progenitor`] bends
//! it in memory to what progenitor can type, [`generate::client_tokens`] runs
//! progenitor, [`postprocess::apply`] adds what progenitor leaves out, and
//! [`regen`] formats the result and writes or checks the committed file.
//! The same adapted spec also gives the command line ([`command_line`])
//! and the typed mocks ([`generate::mock_tokens`], [`postprocess::mocks`]).

pub mod adapt;
pub mod cli;
pub mod command_line;
pub mod diff;
pub mod generate;
pub mod lint;
mod operations;
pub mod patterns;
pub mod postprocess;
pub mod public_api;
pub mod raw;
pub mod regen;
pub mod spec;
pub mod tagged_unions;
pub mod waiters;

use std::path::{Path, PathBuf};

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
