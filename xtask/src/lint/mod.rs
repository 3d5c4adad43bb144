//! `cargo xtask lint`: what a spec must be before it is merged. Every rule
//! is in one table, [`rules::ALL`]; the README's table of lint rules and
//! the bad-spec cases of the tests are checked against it.
//!
//! The checks in [`checks`] read the document as written; the validators
//! ([`validator`]) run in Python.

pub mod checks;
pub mod concessions;
pub mod validator;
pub mod waiters;
pub mod walk;

use std::fmt;
use std::path::{Path, PathBuf};

use anyhow::{Result, bail};
use serde_json::Value;

use crate::raw::{self, resolve::resolve_refs};
use crate::{EXIT_FINDINGS, SPEC_PATH, flags, shown_path};

/// Runs `cargo xtask lint` in the workspace `root`: its exit status.
pub fn run(root: &Path, flags: flags::Lint) -> Result<u8> {
    let spec = flags.spec.unwrap_or_else(|| root.join(SPEC_PATH));
    let spec_name = shown_path(root, &spec);
    let findings = lint(root, &spec)?;
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

/// The folders of the Atlas documents that `x-source` names, relative to
/// the workspace root: the reference pages, and excerpts of Atlas's
/// published OpenAPI documents.
pub const SOURCE_PATHS: [&str; 2] = ["../shared/seeds", "../shared/sources"];

/// [`SOURCE_PATHS`] under the workspace root `root`.
pub fn source_dirs(root: &Path) -> Vec<PathBuf> {
    SOURCE_PATHS.iter().map(|path| root.join(path)).collect()
}

/// Every lint rule, in one table: its stable id and what it finds.
pub mod rules {
    /// One lint rule.
    #[derive(Clone, Copy, Debug, PartialEq, Eq)]
    pub struct Rule {
        /// Stable kebab-case id; findings, tests and the README use it.
        pub id: &'static str,
        /// What the rule finds.
        pub finding: &'static str,
    }

    macro_rules! rules {
        ($($name:ident = $id:literal, $finding:literal;)*) => {
            $(
                #[doc = $finding]
                pub const $name: &str = $id;
            )*
            /// Every rule, in the order of the README's table.
            pub const ALL: &[Rule] = &[$(Rule { id: $id, finding: $finding }),*];
        };
    }

    rules! {
        INVALID_OPENAPI = "invalid-openapi",
            "openapi-spec-validator rejects the document as OpenAPI 3.0.";
        MISSING_OPERATION_ID = "missing-operation-id",
            "An operation has no operationId.";
        MISSING_SUMMARY = "missing-summary",
            "An operation has no summary.";
        MISSING_X_SOURCE = "missing-x-source",
            "An operation has no `x-source` naming the Atlas document it transcribes.";
        UNKNOWN_X_SOURCE = "unknown-x-source",
            "`x-source` names no file in `../shared/seeds/` or `../shared/sources/`.";
        PATTERN_DOES_NOT_COMPILE = "pattern-does-not-compile",
            "A `pattern` does not compile with regress as the client compiles it, in Unicode mode where it is valid there.";
        EXAMPLE_DOES_NOT_MATCH = "example-does-not-match",
            "An example breaks its own schema and is not marked `x-known-page-error: <what is wrong>`.";
        OPTIONAL_PATH_PARAMETER = "optional-path-parameter",
            "A path parameter is not `required: true`.";
        DUPLICATE_INLINE_TYPE = "duplicate-inline-type",
            "An inline schema repeats another one, so the client would get two Rust types for one thing.";
        INVALID_WAITER = "invalid-waiter",
            "An `x-waiters` waiter is malformed, is not on a GET, watches a field or value that its operation's answer does not have, waits for a status other than a 404 its operation lists, has a minimum delay above its maximum, or takes another waiter's method name; or an `x-watch` names no waiter, or cannot give the waiter's read its parameters from the write's own and its answer's string fields.";
        PAGING_WITHOUT_RESULTS = "paging-without-results",
            "An operation takes `pageNum` and `itemsPerPage` but its 200 body has no `results` array, so the client cannot stream its items.";
        UNTYPED_ERROR_BODY = "untyped-error-body",
            "Error answers of one operation have different bodies; the client types the one most of them share, and the others reach the caller as status and text.";
        SEVERAL_RESOURCE_VERSIONS = "several-resource-versions",
            "An operation's request body or success answers come in several resource versions; the client sends and accepts the newest and cannot call the others.";
    }
}

/// One problem in the spec.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub struct LintFinding {
    /// JSON pointer into the spec as written.
    pub pointer: String,
    /// The id of one of [`rules::ALL`].
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

/// Lints the spec at `spec` in the workspace `root`, with the documents
/// that `x-source` names looked up in [`source_dirs`]. The findings come
/// sorted by place; an unreadable file, a YAML error or a missing source
/// folder is an error.
pub fn lint(root: &Path, spec: &Path) -> Result<Vec<LintFinding>> {
    let sources = &source_dirs(root);
    let text = crate::spec::read_text(spec)?;
    let document: Value = raw::read(&text, spec)?;
    if let Some(missing) = sources.iter().find(|dir| !dir.is_dir()) {
        bail!(
            "{} is missing: x-source names the documents in it",
            missing.display()
        );
    }

    let mut findings = Vec::new();
    checks::operations(root, &document, sources, &mut findings);
    checks::path_parameters(&document, &mut findings);
    waiters::check(&document, &mut findings);
    concessions::check(&text, spec, &document, &mut findings);
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
    let validation = validator::validate(root, spec, &examples)?;
    for problem in validation.spec {
        findings.push(LintFinding::new(
            rules::INVALID_OPENAPI,
            &problem.pointer,
            problem.message,
        ));
    }
    // Where Python found nothing, a pattern it cannot read is checked here.
    let reported = |check: &validator::ExampleCheck| {
        validation.examples.iter().any(|problem| {
            match problem.pointer.strip_prefix(&check.pointer) {
                Some(inner) => inner.is_empty() || inner.starts_with('/'),
                None => false,
            }
        })
    };
    for check in examples.iter().filter(|check| !reported(check)) {
        if let Some(message) = checks::example_pattern(check) {
            findings.push(LintFinding::new(
                rules::EXAMPLE_DOES_NOT_MATCH,
                &check.pointer,
                format!(
                    "the example breaks its schema: {message}; if the Atlas page has it so, mark it `{}`",
                    walk::KNOWN_PAGE_ERROR
                ),
            ));
        }
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
