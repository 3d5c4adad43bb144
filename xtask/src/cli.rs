//! Command-line parsing and exit codes for `cargo xtask`.

use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::{Context, Result, bail};

use crate::regen::{Face, Outcome, regen_face};
use crate::{SPEC_PATH, shown_path as shown, workspace_root};

const USAGE: &str = "\
usage: cargo xtask regen [--check] [--spec PATH] [--out PATH]
       cargo xtask diff [OLD] [NEW] [--format F] [--fail-on L]
       cargo xtask lint [--spec PATH]

  regen          generate the client, its command line, its mocks and the
                 request bench's peer from the spec and write each file
                 that changed
  --check        write nothing; exit 1 and print a diff if a file is stale
  --spec PATH    read this spec instead of spec/atlas-backup-snapshots.yaml
  --out PATH     generate only the client, into this file

  diff           report what changes from OLD to NEW in the HTTP contract and
                 in the crate's public Rust API. OLD and NEW are spec files or
                 git revisions (REV or REV:PATH); OLD defaults to HEAD, NEW to
                 the spec in the working tree
  --format F     text (the default), markdown for a pull request, json, or
                 githubactions (one annotation a finding)
  --fail-on L    exit 1 when a change is at level L or above: breaking,
                 warning or info. A version the generator cannot build
                 still has its contract compared; its Rust API section
                 says why it is unavailable

  lint           check the spec: valid OpenAPI 3.0, operationId, summary and
                 x-source on every operation, compiling patterns, examples
                 that match their schemas, required path parameters, no
                 duplicate Rust types; exit 1 with the findings";

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
/// which [`run`] turns into [`EXIT_ERROR`].
pub fn execute(args: impl IntoIterator<Item = String>) -> Result<u8> {
    let mut args = args.into_iter();
    match args.next().as_deref() {
        Some("regen") => regen_command(args),
        Some("diff") => diff_command(args),
        Some("lint") => lint_command(args),
        Some("help" | "--help" | "-h") => {
            println!("{USAGE}");
            Ok(0)
        }
        Some(other) => bail!("unknown command `{other}`\n\n{USAGE}"),
        None => bail!("no command given\n\n{USAGE}"),
    }
}

fn regen_command(mut args: impl Iterator<Item = String>) -> Result<u8> {
    let root = workspace_root();
    let mut check = false;
    let mut spec = root.join(SPEC_PATH);
    let mut out = None;
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
            "--out" => out = Some(value()?),
            _ => bail!("unknown argument `{arg}`\n\n{USAGE}"),
        }
    }

    // `--out` names one file: the client's. Without it, every generated
    // file is written or checked.
    let targets = match out {
        Some(out) => vec![(Face::Client, out)],
        None => Face::ALL
            .map(|face| (face, root.join(face.path())))
            .to_vec(),
    };
    let spec_name = shown(&root, &spec);
    let mut status = 0;
    for (face, out) in targets {
        let out_name = shown(&root, &out);
        match regen_face(face, &spec, &spec_name, &out, check)? {
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

fn diff_command(mut args: impl Iterator<Item = String>) -> Result<u8> {
    use crate::diff::{self, report, rules::Level, source::Source};

    let root = workspace_root();
    let mut format = report::Format::Text;
    let mut fail_on = None;
    let mut versions = Vec::new();
    while let Some(arg) = args.next() {
        let mut value = || match args.next() {
            Some(v) => Ok(v),
            None => bail!("{arg} needs a value\n\n{USAGE}"),
        };
        match arg.as_str() {
            "--format" => {
                let name = value()?;
                format = report::Format::from_name(&name)
                    .with_context(|| format!("unknown format `{name}`\n\n{USAGE}"))?;
            }
            "--fail-on" => {
                let name = value()?;
                fail_on = Some(
                    Level::from_name(&name)
                        .with_context(|| format!("unknown level `{name}`\n\n{USAGE}"))?,
                );
            }
            flag if flag.starts_with("--") => bail!("unknown argument `{flag}`\n\n{USAGE}"),
            _ if versions.len() == 2 => bail!("diff takes at most two versions\n\n{USAGE}"),
            _ => versions.push(Source::from_arg(&arg)),
        }
    }
    let mut versions = versions.into_iter();
    let old = versions
        .next()
        .unwrap_or_else(|| Source::Revision("HEAD".to_string()));
    let new = versions
        .next()
        .unwrap_or_else(|| Source::File(root.join(SPEC_PATH)));

    let report = diff::diff(&old.read(&root)?, &new.read(&root)?)?;
    print!("{}", report::render(&report, format));
    Ok(match fail_on {
        Some(level) if report.reaches(level) => EXIT_FINDINGS,
        _ => 0,
    })
}

fn lint_command(mut args: impl Iterator<Item = String>) -> Result<u8> {
    let root = workspace_root();
    let mut spec = root.join(SPEC_PATH);
    while let Some(arg) = args.next() {
        match (arg.as_str(), args.next()) {
            ("--spec", Some(path)) => spec = PathBuf::from(path),
            ("--spec", None) => bail!("--spec needs a path\n\n{USAGE}"),
            _ => bail!("unknown argument `{arg}`\n\n{USAGE}"),
        }
    }
    let spec_name = shown(&root, &spec);
    let findings = crate::lint::lint(&spec, &crate::lint::source_dirs(&root))?;
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
