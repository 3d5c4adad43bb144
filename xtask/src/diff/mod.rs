//! `cargo xtask diff`: what a spec change does to the HTTP contract and to
//! the crate's public Rust API, in one report.
//!
//! Each version comes from a file or a git revision ([`source`]); `$ref`s
//! are resolved ([`resolve`]) and the contract compared rule by rule
//! ([`contract`], rules listed in [`rules`]); both versions are generated,
//! side by side and cut to what their public items show
//! ([`crate::generate::outline`]),
//! and those items compared operation by operation ([`rust_api`]), with an
//! operation one version cannot generate left out and listed, and the
//! contract compared all the same; [`verdict`] judges the release the
//! change needs, by semver, from those items and their [`shapes`];
//! [`report`] renders the result, an operation or a type that comes or
//! goes as one entry ([`units`]). A change
//! of a component that several operations reach is reported once, at the
//! component ([`shared`]), and the findings of a rule that reaches many
//! operations are summed up in the reports people read ([`summary`]).
//!
//! A finding's place is the operation (`GET /path`, empty for components
//! and for a shared component's change, which lists its operations)
//! and a JSON pointer into the resolved spec, relative to the operation's
//! path item (`/get/responses/200/...`) or to the document for components.
//! The pointer is into the new version, or the old one for what was
//! removed.

pub mod contract;
pub mod markdown;
pub mod report;
pub mod rules;
pub mod rust_api;
pub mod shapes;
pub mod shared;
pub mod source;
pub mod summary;
pub mod units;
pub mod verdict;

use std::path::Path;

use anyhow::{Context, Result};
use serde::Serialize;
use serde_json::Value;

use self::rules::{Level, Rule};
use self::rust_api::RustApi;
use self::source::{Source, SpecText};
use self::verdict::{Release, Verdict};
use crate::raw::{self, resolve};
use crate::{EXIT_FINDINGS, SPEC_PATH, flags};

/// The manifest whose version the verdict bumps.
pub const CRATE_MANIFEST: &str = "generated-client/Cargo.toml";

/// Runs `cargo xtask diff` in the workspace `root`: its exit status.
pub fn run(root: &Path, flags: flags::Diff) -> Result<u8> {
    let old = flags.old.map_or_else(
        || Source::Revision("HEAD".to_string()),
        |arg| Source::from_arg(&arg),
    );
    let new = flags.new.map_or_else(
        || Source::File(root.join(SPEC_PATH)),
        |arg| Source::from_arg(&arg),
    );
    let mut report = diff(&old.read(root)?, &new.read(root)?)?;
    report.verdict = match report.verdict {
        Some(verdict) => Some(verdict.after_version(&crate_version(root)?)?),
        None => None,
    };
    print!("{}", report::render(&report, flags.format));
    let fails = match flags.fail_on {
        Some(flags::FailOn::Level(level)) => report.reaches(level),
        // A release that cannot be judged may be major.
        Some(flags::FailOn::Release(release)) => report
            .verdict
            .as_ref()
            .is_none_or(|verdict| verdict.release >= release),
        None => false,
    };
    Ok(if fails { EXIT_FINDINGS } else { 0 })
}

/// The version of the crate, from its manifest in the workspace `root`.
fn crate_version(root: &Path) -> Result<String> {
    let path = root.join(CRATE_MANIFEST);
    let text = std::fs::read_to_string(&path)
        .with_context(|| format!("cannot read {}", path.display()))?;
    verdict::package_version(&text)
        .with_context(|| format!("cannot read the crate's version from {CRATE_MANIFEST}"))
}

/// One change of the contract.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Finding {
    /// The rule's id, from [`rules`].
    pub rule: &'static str,
    pub level: Level,
    /// `GET /path`, or empty for a change of the components.
    pub operation: String,
    /// JSON pointer, see the module documentation.
    pub pointer: String,
    /// One line for the reviewer; values in it are Markdown code spans.
    pub message: String,
    /// The value at `pointer` in the old version, where the rule compares
    /// values; `None` when it was absent or the rule compares none.
    pub before: Option<serde_json::Value>,
    /// The value at `pointer` in the new version, likewise.
    pub after: Option<serde_json::Value>,
    /// For a change of a shared component ([`shared`]), whose `operation`
    /// is empty: `GET /path` of each operation it reaches, sorted.
    pub operations: Vec<String>,
}

impl Finding {
    /// A finding of `rule` at `operation` and `pointer`.
    pub fn new(rule: Rule, operation: String, pointer: String, message: String) -> Finding {
        Finding {
            rule: rule.id,
            level: rule.level,
            operation,
            pointer,
            message,
            before: None,
            after: None,
            operations: Vec::new(),
        }
    }

    /// The order of a report: most severe first, then by place.
    fn sort_key(&self) -> (Level, &str, &str, &str, &str) {
        (
            self.level,
            &self.operation,
            &self.pointer,
            self.rule,
            &self.message,
        )
    }
}

/// Everything `cargo xtask diff` found.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Report {
    /// How the old and new versions are named.
    pub old: String,
    pub new: String,
    pub findings: Vec<Finding>,
    pub rust_api: RustApi,
    /// The release the change of the Rust API needs; `None` when it was
    /// not compared.
    pub verdict: Option<Verdict>,
}

impl Report {
    /// How many findings have `level`.
    pub fn count(&self, level: Level) -> usize {
        self.findings.iter().filter(|f| f.level == level).count()
    }

    /// The release the verdict names, if the Rust API was compared.
    pub fn release(&self) -> Option<Release> {
        self.verdict.as_ref().map(|verdict| verdict.release)
    }

    /// Whether nothing changed.
    pub fn is_empty(&self) -> bool {
        self.findings.is_empty() && self.rust_api.is_empty()
    }

    /// Whether anything is at `level` or more severe, in the contract or
    /// in the Rust API (levels in [`rust_api`]).
    pub fn reaches(&self, level: Level) -> bool {
        self.findings
            .iter()
            .map(|f| f.level)
            .chain(self.rust_api.levels())
            .any(|found| found <= level)
    }
}

/// Compares two versions of the spec. Input that is not OpenAPI is an
/// error; a version the generator cannot build still has its contract
/// compared, and the Rust API section says why it is unavailable.
pub fn diff(old: &SpecText, new: &SpecText) -> Result<Report> {
    // Each version read on a core of its own, too.
    let (old_document, new_document) = std::thread::scope(|scope| {
        let old_document = scope.spawn(|| raw::read(&old.text, &old.path));
        let new_document = raw::read(&new.text, &new.path);
        (
            old_document.join().expect("reading does not panic"),
            new_document,
        )
    });
    let (old_document, new_document) = (old_document?, new_document?);
    // The generations, the longest steps, are independent of each other
    // and of the contract, so all three run side by side.
    std::thread::scope(|scope| {
        let old_items = scope.spawn(|| public_items(old, &old_document));
        let new_items = scope.spawn(|| public_items(new, &new_document));
        let findings = contract::compare(
            &resolve::resolve_refs_keeping_names(&old_document),
            &resolve::resolve_refs_keeping_names(&new_document),
        );
        let mut findings = shared::group(&old_document, &new_document, findings);
        findings.sort_by(|a, b| a.sort_key().cmp(&b.sort_key()));
        let joined = |items: std::thread::ScopedJoinHandle<'_, _>| {
            items.join().expect("generation does not panic")
        };
        let (old_items, new_items) = (joined(old_items)?, joined(new_items)?);
        let (rust_api, verdict) = match (old_items, new_items) {
            (Ok(old_items), Ok(new_items)) => {
                let pairs = contract::pair_operations(&old_document, &new_document);
                let (changes, [old_shapes, new_shapes]) =
                    rust_api::compare(&old_items, &new_items, &pairs);
                let verdict = verdict::judge(&old_shapes, &new_shapes, &changes);
                (RustApi::Compared(changes), Some(verdict))
            }
            (Err(e), _) | (_, Err(e)) => (
                RustApi::Unavailable {
                    reason: one_line(&e),
                },
                None,
            ),
        };
        Ok(Report {
            old: old.name.clone(),
            new: new.name.clone(),
            findings,
            rust_api,
            verdict,
        })
    })
}

/// The public Rust items of the client that `spec`, read as `document`,
/// generates: the outer error when it is not OpenAPI at all, the inner one,
/// naming the version as the report does, when it cannot be generated.
fn public_items(spec: &SpecText, document: &Value) -> Result<Result<rust_api::VersionApi>> {
    let openapi = crate::spec::typed(&spec.text, &spec.path)?;
    let name = std::path::Path::new(&spec.name);
    Ok(crate::spec::check_for_generator(&spec.text, document, name)
        .and_then(|()| rust_api::public_items_of(openapi, document, name)))
}

/// An error and its causes on one line.
fn one_line(error: &anyhow::Error) -> String {
    let text = format!("{error:#}");
    text.lines().next().unwrap_or_default().trim().to_string()
}
