//! Command-line parsing and exit codes for `cargo xtask`.

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use anyhow::{Context, Result, bail};
use clap::error::ErrorKind;
use clap::{Parser, Subcommand};

use crate::diff::{report, rules::Level, source::Source};

use crate::pipeline::{GeneratedFile, Pipeline};
use crate::regen::{Outcome, ensure_file_contents};
use crate::{SPEC_PATH, find_workspace_root, shown_path as shown};

/// `cargo xtask`: maintainer commands for the Atlas backup-snapshot client.
#[derive(Debug, Parser)]
#[command(name = "cargo xtask", disable_version_flag = true)]
struct Args {
    #[command(subcommand)]
    command: Command,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Generate the client, its command line, its mocks and the request
    /// bench's peer from the spec
    ///
    /// Writes each generated file whose bytes changed, atomically.
    Regen {
        /// Write nothing; exit 1 and print a diff if a file is stale
        #[arg(long)]
        check: bool,
        /// Read this spec instead of spec/atlas-backup-snapshots.yaml
        #[arg(long, value_name = "PATH")]
        spec: Option<PathBuf>,
        /// Generate only the client, into this file
        #[arg(long, value_name = "PATH")]
        out: Option<PathBuf>,
    },
    /// Report what changes from OLD to NEW for callers
    ///
    /// Compares the HTTP contract and the crate's public Rust API of two
    /// versions of the spec.
    Diff {
        /// A spec file or a git revision (REV or REV:PATH) [default: HEAD]
        old: Option<String>,
        /// A spec file or a git revision [default: the spec in the working tree]
        new: Option<String>,
        /// text, markdown for a pull request, json, or githubactions (one
        /// annotation a finding)
        #[arg(long, value_name = "F", default_value = "text", value_parser = format_named)]
        format: report::Format,
        /// Exit 1 when a change is at level L or above: breaking, warning or
        /// info. A version the generator cannot build still has its contract
        /// compared; its Rust API section says why it is unavailable
        #[arg(long, value_name = "L", value_parser = level_named)]
        fail_on: Option<Level>,
    },
    /// Check the spec; exit 1 with the findings
    ///
    /// Valid OpenAPI 3.0, operationId, summary and x-source on every
    /// operation, compiling patterns, examples that match their schemas,
    /// required path parameters, no duplicate Rust types.
    Lint {
        /// Read this spec instead of spec/atlas-backup-snapshots.yaml
        #[arg(long, value_name = "PATH")]
        spec: Option<PathBuf>,
    },
}

fn format_named(name: &str) -> Result<report::Format, String> {
    report::Format::from_name(name)
        .ok_or_else(|| "expected text, markdown, json or githubactions".to_string())
}

fn level_named(name: &str) -> Result<Level, String> {
    Level::from_name(name).ok_or_else(|| "expected breaking, warning or info".to_string())
}

/// Exit status when `--check` finds the committed file stale.
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
    let args = match Args::try_parse_from(std::iter::once("cargo xtask".to_string()).chain(args)) {
        Ok(args) => args,
        Err(e) if e.kind() == ErrorKind::DisplayHelp => {
            print!("{}", e.render());
            return Ok(0);
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
    };
    let root = checkout()?;
    match args.command {
        Command::Regen { check, spec, out } => regen(&root, check, spec, out),
        Command::Diff {
            old,
            new,
            format,
            fail_on,
        } => diff(&root, old, new, format, fail_on),
        Command::Lint { spec } => lint(&root, spec),
    }
}

fn regen(root: &Path, check: bool, spec: Option<PathBuf>, out: Option<PathBuf>) -> Result<u8> {
    let spec = spec.unwrap_or_else(|| root.join(SPEC_PATH));
    // `--out` names one file: the client's. Without it, every generated
    // file is written or checked.
    let targets = match out {
        Some(out) => vec![(GeneratedFile::Client, out)],
        None => GeneratedFile::ALL
            .map(|file| (file, root.join(file.path())))
            .to_vec(),
    };
    let spec_name = shown(root, &spec);
    let pipeline = Pipeline::load(&spec, &spec_name)?;
    // Every file is generated before any is written, so an error leaves
    // them all as they were.
    let files: Vec<GeneratedFile> = targets.iter().map(|(file, _)| *file).collect();
    let generated = pipeline.render_all(&files)?;
    let mut status = 0;
    for ((_, out), contents) in targets.iter().zip(generated) {
        let out_name = shown(root, out);
        match ensure_file_contents(out, &contents, check)? {
            Outcome::Unchanged => eprintln!("{out_name} is up to date with {spec_name}"),
            Outcome::Written => eprintln!("wrote {out_name}"),
            Outcome::Drift(diff) => {
                print!("{diff}");
                eprintln!(
                    "{out_name} does not match what {spec_name} generates; run `cargo xtask regen` and commit the result"
                );
                status = EXIT_DRIFT;
            }
        }
    }
    Ok(status)
}

fn diff(
    root: &Path,
    old: Option<String>,
    new: Option<String>,
    format: report::Format,
    fail_on: Option<Level>,
) -> Result<u8> {
    let old = old.map_or_else(
        || Source::Revision("HEAD".to_string()),
        |arg| Source::from_arg(&arg),
    );
    let new = new.map_or_else(
        || Source::File(root.join(SPEC_PATH)),
        |arg| Source::from_arg(&arg),
    );
    let report = crate::diff::diff(&old.read(root)?, &new.read(root)?)?;
    print!("{}", report::render(&report, format));
    Ok(match fail_on {
        Some(level) if report.reaches(level) => EXIT_FINDINGS,
        _ => 0,
    })
}

fn lint(root: &Path, spec: Option<PathBuf>) -> Result<u8> {
    let spec = spec.unwrap_or_else(|| root.join(SPEC_PATH));
    let spec_name = shown(root, &spec);
    let findings = crate::lint::lint(&spec, &crate::lint::source_dirs(root))?;
    for finding in &findings {
        println!("{spec_name}: {finding}");
    }
    if findings.is_empty() {
        eprintln!("{spec_name}: no findings");
        Ok(0)
    } else {
        eprintln!("{spec_name}: {} finding(s)", findings.len());
        Ok(EXIT_FINDINGS)
    }
}

/// The workspace root of the checkout the command runs in.
fn checkout() -> Result<PathBuf> {
    let here = std::env::current_dir().context("cannot read the current directory")?;
    find_workspace_root(&here)
}
