//! `cargo xtask diff`: what a spec change does to the HTTP contract and to
//! the crate's public Rust API, in one report.
//!
//! Each version comes from a file or a git revision ([`source`]); `$ref`s
//! are resolved ([`resolve`]) and the contract compared rule by rule
//! ([`contract`], rules listed in [`rules`]); both versions are generated
//! and their public items compared ([`rust_api`]); [`report`] renders the
//! result.
//!
//! A finding's place is the operation (`GET /path`, empty for components)
//! and a JSON pointer into the resolved spec, relative to the operation's
//! path item (`/get/responses/200/...`) or to the document for components.
//! The pointer is into the new version, or the old one for what was
//! removed.

pub mod contract;
pub mod report;
pub mod resolve;
pub mod rules;
pub mod rust_api;
pub mod source;

use anyhow::Result;
use serde::Serialize;
use serde_json::Value;

use self::rules::{Level, Rule};
use self::rust_api::ApiChanges;
use self::source::SpecText;

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
    /// One line for the reviewer.
    pub message: String,
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
    pub rust_api: ApiChanges,
}

impl Report {
    /// How many findings have `level`.
    pub fn count(&self, level: Level) -> usize {
        self.findings.iter().filter(|f| f.level == level).count()
    }

    /// Whether nothing changed.
    pub fn is_empty(&self) -> bool {
        self.findings.is_empty() && self.rust_api.is_empty()
    }

    /// Whether anything is at `level` or more severe. A removed or changed
    /// Rust item counts as breaking, an added one as info.
    pub fn reaches(&self, level: Level) -> bool {
        let api = &self.rust_api;
        let api_level = if !api.removed.is_empty() || !api.changed.is_empty() {
            Some(Level::Breaking)
        } else if !api.added.is_empty() {
            Some(Level::Info)
        } else {
            None
        };
        self.findings
            .iter()
            .map(|f| f.level)
            .chain(api_level)
            .any(|found| found <= level)
    }
}

/// Compares two versions of the spec. An invalid spec is an error naming
/// its version and, where it can, the line.
pub fn diff(old: &SpecText, new: &SpecText) -> Result<Report> {
    // Generating checks each spec first, with file and line in errors; the
    // two versions are independent, so they are generated side by side.
    let (old_items, new_items) = std::thread::scope(|scope| {
        let old_items = scope.spawn(|| rust_api::public_items_of(old));
        let new_items = rust_api::public_items_of(new);
        (
            old_items.join().expect("generation does not panic"),
            new_items,
        )
    });
    let rust_api = rust_api::compare(&old_items?, &new_items?);

    let old_document: Value = serde_yaml::from_str(&old.text)?;
    let new_document: Value = serde_yaml::from_str(&new.text)?;
    let mut findings = contract::compare(
        &resolve::resolve_refs(&old_document),
        &resolve::resolve_refs(&new_document),
    );
    findings.sort_by(|a, b| a.sort_key().cmp(&b.sort_key()));
    Ok(Report {
        old: old.name.clone(),
        new: new.name.clone(),
        findings,
        rust_api,
    })
}
