//! The arguments of `cargo xtask`'s commands, parsed with clap.

use std::path::PathBuf;

use anyhow::{Result, bail};
use clap::error::ErrorKind;
use clap::{Parser, Subcommand};

use crate::diff::verdict::Release;
use crate::diff::{report, rules::Level};

/// `cargo xtask`: maintainer commands for the Atlas backup-snapshot client.
#[derive(Debug, Parser)]
#[command(name = "cargo xtask", disable_version_flag = true)]
struct Args {
    #[command(subcommand)]
    command: Command,
}

/// A command and its arguments.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// Generate the client, its command line and its mocks from the spec
    ///
    /// Writes each generated file whose bytes changed, atomically.
    Regen(Regen),
    /// Report what changes from OLD to NEW for callers
    ///
    /// Compares the HTTP contract and the crate's public Rust API of two
    /// versions of the spec.
    Diff(Diff),
    /// Check the spec; exit 1 with the findings
    ///
    /// Valid OpenAPI 3.0, operationId, summary and x-source on every
    /// operation, compiling patterns, examples that match their schemas,
    /// required path parameters, no duplicate Rust types.
    Lint(Lint),
}

/// `cargo xtask regen`.
#[derive(Debug, clap::Args)]
pub struct Regen {
    /// Write nothing; exit 1 and print a diff if a file is stale
    #[arg(long)]
    pub check: bool,
    /// Read this spec instead of spec/atlas-backup-snapshots.yaml
    #[arg(long, value_name = "PATH")]
    pub spec: Option<PathBuf>,
    /// Generate only the client, into this file
    #[arg(long, value_name = "PATH")]
    pub out: Option<PathBuf>,
}

/// `cargo xtask diff`.
#[derive(Debug, clap::Args)]
pub struct Diff {
    /// A spec file or a git revision (REV or REV:PATH) [default: HEAD]
    pub old: Option<String>,
    /// A spec file or a git revision [default: the spec in the working tree]
    pub new: Option<String>,
    /// text, markdown for a pull request, json, or githubactions (one
    /// annotation a finding)
    #[arg(long, value_name = "F", default_value = "text", value_parser = format_named)]
    pub format: report::Format,
    /// Exit 1 when a change is at level L or above (breaking, warning or
    /// info), or when the release it needs is at least L (major or
    /// minor; also when the Rust API was not compared). A version the
    /// generator cannot build still has its contract compared; its Rust
    /// API section says why it is unavailable
    #[arg(long, value_name = "L", value_parser = fail_on_named)]
    pub fail_on: Option<FailOn>,
}

/// What `--fail-on` fails on.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum FailOn {
    /// A change of the contract or the Rust API at this level or above.
    Level(Level),
    /// A verdict of this release or above.
    Release(Release),
}

/// `cargo xtask lint`.
#[derive(Debug, clap::Args)]
pub struct Lint {
    /// Read this spec instead of spec/atlas-backup-snapshots.yaml
    #[arg(long, value_name = "PATH")]
    pub spec: Option<PathBuf>,
}

fn format_named(name: &str) -> Result<report::Format, String> {
    report::Format::from_name(name)
        .ok_or_else(|| "expected text, markdown, json or githubactions".to_string())
}

fn fail_on_named(name: &str) -> Result<FailOn, String> {
    match (Level::from_name(name), Release::from_name(name)) {
        (Some(level), _) => Ok(FailOn::Level(level)),
        (None, Some(release)) if release > Release::Patch => Ok(FailOn::Release(release)),
        _ => Err("expected breaking, warning, info, major or minor".to_string()),
    }
}

/// The command `args` (program name excluded) give, or `None` when they
/// ask for help, which is printed; bad arguments are an error with clap's
/// message and usage.
pub fn parse(args: impl IntoIterator<Item = String>) -> Result<Option<Command>> {
    let program = std::iter::once("cargo xtask".to_string());
    match Args::try_parse_from(program.chain(args)) {
        Ok(args) => Ok(Some(args.command)),
        Err(e) if e.kind() == ErrorKind::DisplayHelp => {
            print!("{}", e.render());
            Ok(None)
        }
        Err(e) if e.kind() == ErrorKind::DisplayHelpOnMissingArgumentOrSubcommand => {
            bail!("no command given\n\n{}", e.render())
        }
        Err(e) => bail!(
            "{}",
            e.render()
                .to_string()
                .trim_start_matches("error: ")
                .trim_end()
        ),
    }
}
