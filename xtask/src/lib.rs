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

use std::path::{Path, PathBuf};

/// The workspace root, where `spec/` and `generated-client/` live.
pub fn workspace_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .expect("xtask lives one level below the workspace root")
        .to_path_buf()
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
