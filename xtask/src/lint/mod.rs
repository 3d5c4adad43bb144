//! `cargo xtask lint`: what a spec must be before it is merged.
//!
//! | rule | finding |
//! |---|---|
//! | `invalid-openapi` | openapi-spec-validator rejects the document as OpenAPI 3.0 |
//! | `missing-operation-id` | an operation has no operationId |
//! | `missing-summary` | an operation has no summary |
//! | `missing-x-source` | an operation has no `x-source` |
//! | `unknown-x-source` | `x-source` names no file in `../shared/seeds/` or `../shared/sources/` |
//! | `pattern-does-not-compile` | a `pattern` does not compile (regress, as in the client) |
//! | `example-does-not-match` | an example breaks its own schema and is not marked `x-known-page-error` |
//! | `optional-path-parameter` | a path parameter is not `required: true` |
//! | `duplicate-inline-type` | an inline schema repeats another one, so the client would get two Rust types for it |
//!
//! The checks in [`checks`] read the document as written; the validators
//! ([`validator`]) run in Python.

pub mod checks;
pub mod validator;
pub mod walk;

use std::fmt;
use std::path::{Path, PathBuf};

use anyhow::{Context, Result, bail};
use serde_json::Value;

use crate::raw::{self, resolve::resolve_refs};

/// The folders of the Atlas documents that `x-source` names, relative to
/// the workspace root: the reference pages, and excerpts of Atlas's
/// published OpenAPI documents.
pub const SOURCE_PATHS: [&str; 2] = ["../shared/seeds", "../shared/sources"];

/// [`SOURCE_PATHS`] under the workspace root `root`.
pub fn source_dirs(root: &Path) -> Vec<PathBuf> {
    SOURCE_PATHS.iter().map(|path| root.join(path)).collect()
}

/// The lint rules' ids, as in the table above.
pub mod rules {
    pub const INVALID_OPENAPI: &str = "invalid-openapi";
    pub const MISSING_OPERATION_ID: &str = "missing-operation-id";
    pub const MISSING_SUMMARY: &str = "missing-summary";
    pub const MISSING_X_SOURCE: &str = "missing-x-source";
    pub const UNKNOWN_X_SOURCE: &str = "unknown-x-source";
    pub const PATTERN_DOES_NOT_COMPILE: &str = "pattern-does-not-compile";
    pub const EXAMPLE_DOES_NOT_MATCH: &str = "example-does-not-match";
    pub const OPTIONAL_PATH_PARAMETER: &str = "optional-path-parameter";
    pub const DUPLICATE_INLINE_TYPE: &str = "duplicate-inline-type";
}

/// One problem in the spec.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub struct LintFinding {
    /// JSON pointer into the spec as written.
    pub pointer: String,
    /// One of [`rules`].
    pub rule: &'static str,
    pub message: String,
}

impl LintFinding {
    /// A finding of `rule` at `pointer`.
    pub fn new(rule: &'static str, pointer: &str, message: String) -> LintFinding {
        LintFinding {
            pointer: pointer.to_string(),
            rule,
            message,
        }
    }
}

impl fmt::Display for LintFinding {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} #{}: {}", self.rule, self.pointer, self.message)
    }
}

/// Lints the spec at `spec`, with the documents that `x-source` names
/// looked up in `sources`. The findings come sorted by place; an
/// unreadable file, a YAML error or a missing `sources` folder is an error.
pub fn lint(spec: &Path, sources: &[PathBuf]) -> Result<Vec<LintFinding>> {
    let text = std::fs::read_to_string(spec)
        .with_context(|| format!("cannot read the spec {}", spec.display()))?;
    let document: Value = raw::read(&text, spec)?;
    if let Some(missing) = sources.iter().find(|dir| !dir.is_dir()) {
        bail!(
            "{} is missing: x-source names the documents in it",
            missing.display()
        );
    }

    let mut findings = Vec::new();
    checks::operations(&document, sources, &mut findings);
    checks::path_parameters(&document, &mut findings);
    let schemas = walk::schemas(&document);
    checks::patterns(&schemas, &mut findings);
    let tags = walk::discriminating_properties(&document);
    let typed: Vec<_> = schemas
        .into_iter()
        .filter(|at| !tags.contains(&at.pointer))
        .collect();
    checks::duplicate_types(&typed, &mut findings);

    let resolved = resolve_refs(&document);
    let examples: Vec<_> = walk::examples(&document)
        .into_iter()
        .filter(|example| !example.known_page_error)
        .filter_map(|example| {
            Some(validator::ExampleCheck {
                schema: resolved.pointer(&example.schema_pointer)?.clone(),
                pointer: example.pointer,
                instance: example.value.clone(),
            })
        })
        .collect();
    let validation = validator::validate(spec, &examples)?;
    for problem in validation.spec {
        findings.push(LintFinding::new(
            rules::INVALID_OPENAPI,
            &problem.pointer,
            problem.message,
        ));
    }
    for problem in validation.examples {
        findings.push(LintFinding::new(
            rules::EXAMPLE_DOES_NOT_MATCH,
            &problem.pointer,
            format!(
                "the example breaks its schema: {}; if the Atlas page has it so, mark it `{}`",
                problem.message,
                walk::KNOWN_PAGE_ERROR
            ),
        ));
    }
    findings.sort();
    findings.dedup();
    Ok(findings)
}
