//! The maintained validators, run in Python: openapi-spec-validator for the
//! document, openapi-schema-validator (its dependency) for examples.
//!
//! They are installed at a pinned version into a virtualenv under the
//! target directory the first time lint runs, so `cargo xtask lint` needs
//! only `python3` (with `venv` and `pip`) and PyPI. The virtualenv is
//! built beside its final place and renamed into it when complete, so an
//! interrupted install is never mistaken for a finished one, and parallel
//! runs (the tests) do not break each other.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::sync::Mutex;

use anyhow::{Context, Result, bail};
use serde::{Deserialize, Serialize};
use serde_json::Value;

/// The validator, pinned.
const VALIDATOR: &str = "openapi-spec-validator==0.9.0";
const SCRIPT: &str = include_str!("validate.py");

/// An example to check, with its `$ref`-resolved schema.
#[derive(Serialize)]
pub struct ExampleCheck {
    pub pointer: String,
    pub schema: Value,
    pub instance: Value,
}

/// A problem the validators reported, at a JSON pointer of the spec.
#[derive(Debug, Deserialize)]
pub struct Problem {
    pub pointer: String,
    pub message: String,
}

/// What the validators found.
#[derive(Debug, Deserialize)]
pub struct Validation {
    /// The document is not valid OpenAPI 3.0.
    pub spec: Vec<Problem>,
    /// An example breaks its schema.
    pub examples: Vec<Problem>,
}

/// Validates the spec file at `spec` and each of `examples`, with the
/// validator installed in the target directory of the workspace `root`.
pub fn validate(root: &Path, spec: &Path, examples: &[ExampleCheck]) -> Result<Validation> {
    let python = installed_python(root)?;
    let mut child = Command::new(&python)
        .arg("-c")
        .arg(SCRIPT)
        .arg(spec)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .with_context(|| format!("cannot run {}", python.display()))?;
    let input = serde_json::to_vec(examples)?;
    child
        .stdin
        .take()
        .expect("stdin is piped")
        .write_all(&input)
        .context("cannot send the examples to the validator")?;
    let output = child.wait_with_output()?;
    if !output.status.success() {
        bail!(
            "the OpenAPI validator failed on {}:\n{}",
            spec.display(),
            String::from_utf8_lossy(&output.stderr).trim()
        );
    }
    serde_json::from_slice(&output.stdout).context("the validator's answer is not JSON")
}

/// Where the virtualenv lives: one folder per pinned version, in the
/// target directory of the workspace `root`.
fn environment_dir(root: &Path) -> PathBuf {
    let target = std::env::var_os("CARGO_TARGET_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| root.join("target"));
    target
        .join("xtask-python")
        .join(VALIDATOR.replace("==", "-"))
}

/// The virtualenv's Python, installing the validator first if needed.
fn installed_python(root: &Path) -> Result<PathBuf> {
    // One install at a time within this process; other processes are kept
    // apart by the rename.
    static INSTALLING: Mutex<()> = Mutex::new(());
    let _guard = INSTALLING.lock().unwrap_or_else(|e| e.into_inner());

    let dir = environment_dir(root);
    let python = dir.join("bin").join("python");
    if python.is_file() {
        return Ok(python);
    }
    let partial = dir.with_file_name(format!(
        "{}.partial-{}",
        VALIDATOR.replace("==", "-"),
        std::process::id()
    ));
    let _ = std::fs::remove_dir_all(&partial);
    eprintln!("installing {VALIDATOR} into {} (once)", dir.display());
    run(
        Command::new("python3").args(["-m", "venv"]).arg(&partial),
        "python3 -m venv (lint needs Python 3 with venv and pip)",
    )?;
    run(
        Command::new(partial.join("bin").join("python")).args([
            "-m",
            "pip",
            "install",
            "--quiet",
            "--disable-pip-version-check",
            VALIDATOR,
        ]),
        &format!("pip install {VALIDATOR}"),
    )?;
    if let Err(e) = std::fs::rename(&partial, &dir) {
        let _ = std::fs::remove_dir_all(&partial);
        // Another process finished first; its install is as good as ours.
        if !python.is_file() {
            return Err(e)
                .with_context(|| format!("cannot move the virtualenv to {}", dir.display()));
        }
    }
    Ok(python)
}

fn run(command: &mut Command, what: &str) -> Result<()> {
    let output = command
        .output()
        .with_context(|| format!("cannot run {what}"))?;
    if !output.status.success() {
        bail!(
            "{what} failed:\n{}",
            String::from_utf8_lossy(&output.stderr).trim()
        );
    }
    Ok(())
}
