//! The release a change of the generated API needs, as semver names it:
//! major (a caller's code may stop compiling or working), minor (the API
//! grows, nothing breaks) or patch (neither), with the items that force
//! it, by the rules of Rust's semver conventions as cargo-semver-checks
//! checks them ([`ALL`]). Whether callers can build a struct, match an
//! enum exhaustively or implement a trait is read from the generated
//! items ([`Shapes`]), so the rules follow the generator.
//!
//! Before 1.0, Cargo reads the minor number as the major one: a major
//! change bumps the minor number, anything else the patch number
//! ([`NextVersion`]).

use std::collections::BTreeSet;
use std::fmt;

use anyhow::{Context, Result, bail};
use serde::Serialize;

use super::rust_api::{ApiChanges, name_of, owner};
use super::shapes::Shapes;
use super::units;

/// A release as semver names it, least to most.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Release {
    Patch,
    Minor,
    Major,
}

impl Release {
    pub fn from_name(name: &str) -> Option<Release> {
        [Release::Patch, Release::Minor, Release::Major]
            .into_iter()
            .find(|release| release.to_string() == name)
    }
}

impl fmt::Display for Release {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Release::Patch => "patch",
            Release::Minor => "minor",
            Release::Major => "major",
        })
    }
}

/// A rule of the verdict.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Rule {
    pub id: &'static str,
    pub release: Release,
    pub description: &'static str,
}

pub const ITEM_REMOVED: Rule = Rule {
    id: "item-removed",
    release: Release::Major,
    description: "a public item is gone: a type, field, variant, method, trait method or trait implementation",
};
pub const METHOD_RENAMED: Rule = Rule {
    id: "method-renamed",
    release: Release::Major,
    description: "an operation's method and builder are renamed with its operationId",
};
pub const SIGNATURE_CHANGED: Rule = Rule {
    id: "signature-changed",
    release: Release::Major,
    description: "an item keeps its name and changes its type or signature",
};
pub const FIELD_ADDED_TO_BUILDABLE_STRUCT: Rule = Rule {
    id: "field-added-to-buildable-struct",
    release: Release::Major,
    description: "a public field is added to a struct that callers can build with a literal (every field public, not `#[non_exhaustive]`)",
};
pub const VARIANT_ADDED_TO_EXHAUSTIVE_ENUM: Rule = Rule {
    id: "variant-added-to-exhaustive-enum",
    release: Release::Major,
    description: "a variant is added to an enum that callers can match exhaustively (not `#[non_exhaustive]`)",
};
pub const BUILDER_VALUE_REQUIRED: Rule = Rule {
    id: "builder-value-required",
    release: Release::Major,
    description: "a builder requires a value it did not: a new required parameter or body property, or one that became required",
};
pub const TRAIT_METHOD_ADDED: Rule = Rule {
    id: "trait-method-added",
    release: Release::Major,
    description: "a method without a default is added to a trait that callers can implement (not sealed)",
};
pub const NON_EXHAUSTIVE_ADDED: Rule = Rule {
    id: "non-exhaustive-added",
    release: Release::Major,
    description: "a struct that callers could build, or an enum they could match exhaustively, becomes `#[non_exhaustive]`",
};
pub const TRAIT_SEALED: Rule = Rule {
    id: "trait-sealed",
    release: Release::Major,
    description: "a trait that callers could implement becomes sealed",
};
pub const ITEM_ADDED: Rule = Rule {
    id: "item-added",
    release: Release::Minor,
    description: "a public item is added where no caller's code can break: a type, an operation, a setter, a field of a struct built by its builder, a variant of a `#[non_exhaustive]` enum",
};
pub const ITEM_DEPRECATED: Rule = Rule {
    id: "item-deprecated",
    release: Release::Minor,
    description: "an item becomes `#[deprecated]`",
};
pub const NON_EXHAUSTIVE_REMOVED: Rule = Rule {
    id: "non-exhaustive-removed",
    release: Release::Minor,
    description: "a struct or enum is no longer `#[non_exhaustive]`",
};

/// Every rule, in the order of a verdict's reasons.
pub const ALL: &[Rule] = &[
    ITEM_REMOVED,
    METHOD_RENAMED,
    SIGNATURE_CHANGED,
    FIELD_ADDED_TO_BUILDABLE_STRUCT,
    VARIANT_ADDED_TO_EXHAUSTIVE_ENUM,
    BUILDER_VALUE_REQUIRED,
    TRAIT_METHOD_ADDED,
    NON_EXHAUSTIVE_ADDED,
    TRAIT_SEALED,
    ITEM_ADDED,
    ITEM_DEPRECATED,
    NON_EXHAUSTIVE_REMOVED,
];

/// The release a change needs, and why.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Verdict {
    pub release: Release,
    /// The crate's version and the one this release takes, when the
    /// version was read.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub version: Option<NextVersion>,
    /// Every item that forces a release, breaking first; an item's
    /// members (a type's fields, an operation's builder) are its own.
    pub reasons: Vec<Reason>,
}

/// One item and the rule it meets.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Reason {
    pub rule: &'static str,
    pub release: Release,
    /// The item, named as in the Rust API's lists, without its type or
    /// signature: `enum types::Status`, `field types::Thing.id`.
    pub item: String,
}

/// The crate's version and the next.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct NextVersion {
    pub current: String,
    pub next: String,
}

impl Verdict {
    /// The reasons of `release`.
    pub fn reasons_of(&self, release: Release) -> impl Iterator<Item = &Reason> {
        self.reasons.iter().filter(move |r| r.release == release)
    }

    /// The verdict with the version after `current` (`x.y.z`).
    pub fn after_version(mut self, current: &str) -> Result<Verdict> {
        let next = next_version(current, self.release)?;
        self.version = Some(NextVersion {
            current: current.to_string(),
            next,
        });
        Ok(self)
    }
}

/// The version a `release` after `current` takes: before 1.0 a major
/// change bumps the minor number (`0.y.z`) or, before 0.1, the patch
/// number, and the other changes the patch number.
pub fn next_version(current: &str, release: Release) -> Result<String> {
    let numbers: Vec<u64> = current
        .split('.')
        .map(str::parse)
        .collect::<Result<_, _>>()
        .ok()
        .filter(|numbers: &Vec<u64>| numbers.len() == 3)
        .with_context(|| format!("`{current}` is not a version of three numbers (x.y.z)"))?;
    let [major, minor, patch] = [numbers[0], numbers[1], numbers[2]];
    Ok(match (major, minor, release) {
        (0, 0, _) => format!("0.0.{}", patch + 1),
        (0, _, Release::Major) => format!("0.{}.0", minor + 1),
        (0, _, _) => format!("0.{minor}.{}", patch + 1),
        (_, _, Release::Major) => format!("{}.0.0", major + 1),
        (_, _, Release::Minor) => format!("{major}.{}.0", minor + 1),
        (_, _, Release::Patch) => format!("{major}.{minor}.{}", patch + 1),
    })
}

/// Why a version before 1.0 takes the number a `release` after it takes.
pub fn pre_release_note(current: &str, release: Release) -> Option<&'static str> {
    if current.starts_with("0.0.") {
        Some("before 0.1 every release bumps the patch number")
    } else if !current.starts_with("0.") {
        None
    } else if release == Release::Major {
        Some("before 1.0 a major change bumps the minor number")
    } else {
        Some("before 1.0 a minor change bumps the patch number")
    }
}

/// The `version` of the `[package]` table of the manifest `text`.
pub fn package_version(text: &str) -> Result<String> {
    let mut in_package = false;
    for line in text.lines().map(str::trim) {
        if line.starts_with('[') {
            in_package = line == "[package]";
        } else if let Some(value) = line.strip_prefix("version").map(str::trim_start)
            && in_package
        {
            let Some(value) = value.strip_prefix('=').map(str::trim) else {
                continue;
            };
            match value.strip_prefix('"').and_then(|v| v.strip_suffix('"')) {
                Some(version) => return Ok(version.to_string()),
                None => bail!("the package's version is not a string: {value}"),
            }
        }
    }
    bail!("no version in the [package] table")
}

/// The verdict on `changes`, the change from a version of the shapes
/// `old` to one of the shapes `new`: their names those of the new version
/// where an operation was renamed, and the operations left out of the
/// comparison left out of both.
pub fn judge(old: &Shapes, new: &Shapes, changes: &ApiChanges) -> Verdict {
    let mut reasons = Vec::new();
    let mut reason = |rule: Rule, item: String| {
        reasons.push(Reason {
            rule: rule.id,
            release: rule.release,
            item,
        });
    };
    // An attribute's line (`#[non_exhaustive] types::A`) is judged by the
    // shapes below.
    let listed = |items: &[String]| -> Vec<String> {
        items
            .iter()
            .filter(|item| !item.starts_with("#["))
            .cloned()
            .collect()
    };
    for item in units::folded(&listed(&changes.removed)) {
        reason(ITEM_REMOVED, name_of(item));
    }
    for renamed in &changes.renamed {
        reason(
            METHOD_RENAMED,
            format!("fn Client::{} → fn Client::{}", renamed.old, renamed.new),
        );
    }
    for changed in &changes.changed {
        reason(SIGNATURE_CHANGED, name_of(&changed.old));
    }
    let mut additive = Vec::new();
    for item in listed(&changes.added) {
        let owner = owner(&item);
        let path = owner.split(['.', '(']).next().unwrap_or(owner);
        if item.starts_with("field ") && old.structs.get(path).is_some_and(|s| s.buildable()) {
            reason(FIELD_ADDED_TO_BUILDABLE_STRUCT, name_of(&item));
        } else if let Some(enum_path) = item
            .starts_with("variant ")
            .then(|| path.rsplit_once("::").map_or(path, |(e, _)| e))
            && old.enums.get(enum_path) == Some(&false)
        {
            reason(VARIANT_ADDED_TO_EXHAUSTIVE_ENUM, name_of(&item));
        } else {
            additive.push(item);
        }
    }
    for item in units::folded(&additive) {
        reason(ITEM_ADDED, name_of(item));
    }
    for required in new.required.difference(&old.required) {
        let (builder, _) = required.split_once('.').unwrap_or((required, ""));
        if old.structs.contains_key(builder) {
            reason(BUILDER_VALUE_REQUIRED, required.clone());
        }
    }
    for (path, before) in &old.structs {
        match new.structs.get(path) {
            Some(after) if before.buildable() && after.non_exhaustive => {
                reason(NON_EXHAUSTIVE_ADDED, format!("struct {path}"));
            }
            Some(after) if before.non_exhaustive && !after.non_exhaustive => {
                reason(NON_EXHAUSTIVE_REMOVED, format!("struct {path}"));
            }
            _ => {}
        }
    }
    for (path, before) in &old.enums {
        match new.enums.get(path) {
            Some(true) if !before => reason(NON_EXHAUSTIVE_ADDED, format!("enum {path}")),
            Some(false) if *before => reason(NON_EXHAUSTIVE_REMOVED, format!("enum {path}")),
            _ => {}
        }
    }
    // A trait's method named as a method of `Client` that comes or goes
    // is the mock of that operation, which comes or goes with it.
    let client_methods = |items: &[String]| -> BTreeSet<String> {
        items
            .iter()
            .filter_map(|item| match units::declaration(item) {
                Some(units::Unit::Operation(method)) => Some(method),
                _ => None,
            })
            .collect()
    };
    let (gone, come) = (
        client_methods(&changes.removed),
        client_methods(&changes.added),
    );
    for (name, before) in &old.traits {
        let Some(after) = new.traits.get(name) else {
            reason(ITEM_REMOVED, format!("trait {name}"));
            continue;
        };
        if after.sealed && !before.sealed {
            reason(TRAIT_SEALED, format!("trait {name}"));
        }
        for method in before.required_methods.difference(&after.required_methods) {
            if !gone.contains(method) {
                reason(ITEM_REMOVED, format!("fn {name}::{method}"));
            }
        }
        for method in after.required_methods.difference(&before.required_methods) {
            if !before.sealed {
                reason(TRAIT_METHOD_ADDED, format!("fn {name}::{method}"));
            } else if !come.contains(method) {
                // Callers only call a sealed trait's methods: more API.
                reason(ITEM_ADDED, format!("fn {name}::{method}"));
            }
        }
    }
    for name in new.traits.keys() {
        if !old.traits.contains_key(name) {
            reason(ITEM_ADDED, format!("trait {name}"));
        }
    }
    for deprecated in &changes.deprecated {
        reason(ITEM_DEPRECATED, name_of(&deprecated.new));
    }
    let order = |id: &str| ALL.iter().position(|rule| rule.id == id);
    reasons.sort_by(|a, b| {
        (b.release, order(a.rule), &a.item).cmp(&(a.release, order(b.rule), &b.item))
    });
    reasons.dedup();
    Verdict {
        release: reasons.first().map_or(Release::Patch, |r| r.release),
        version: None,
        reasons,
    }
}

#[cfg(test)]
mod tests;
