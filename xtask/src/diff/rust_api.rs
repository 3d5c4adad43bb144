//! What a spec change does to the crate's public Rust API: both versions
//! are generated as `cargo xtask regen` would, and their public items
//! ([`crate::public_api::public_items`]) compared line by line.
//!
//! Levels: a removed or changed item is breaking; an item that became
//! deprecated is a warning, since it still compiles; an added item or one
//! no longer deprecated is info. That includes a variant added to an enum:
//! every generated enum is open (its `Unrecognized(String)` variant holds
//! what it does not list), so code that reads one already handles values
//! it has no variant for, and the value moving from `Unrecognized` to its
//! own variant is the contract's `response-enum-value-added` warning.

use std::collections::BTreeMap;

use anyhow::Result;
use openapiv3::OpenAPI;
use serde::Serialize;

use super::outline::outline;
use super::rules::Level;
use crate::{postprocess, public_api, regen};

/// The Rust API section of a report: the comparison, or why there is none.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[serde(tag = "status", rename_all = "lowercase")]
pub enum RustApi {
    Compared(ApiChanges),
    /// One side cannot be generated; the reason is one line.
    Unavailable {
        reason: String,
    },
}

impl RustApi {
    /// The levels of the changes, see the module documentation.
    pub fn levels(&self) -> Vec<Level> {
        match self {
            RustApi::Compared(api) => api.levels(),
            RustApi::Unavailable { .. } => Vec::new(),
        }
    }

    /// Whether both sides were generated and their APIs are the same.
    pub fn is_empty(&self) -> bool {
        matches!(self, RustApi::Compared(api) if api.is_empty())
    }
}

/// The public items that differ between two versions of the crate, each
/// list sorted.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize)]
pub struct ApiChanges {
    pub added: Vec<String>,
    pub removed: Vec<String>,
    /// Items with the same name and a different signature or type.
    pub changed: Vec<ChangedItem>,
    /// Items that became `#[deprecated]`, otherwise the same.
    pub deprecated: Vec<ChangedItem>,
    /// Items no longer `#[deprecated]`, otherwise the same.
    pub undeprecated: Vec<ChangedItem>,
}

/// One item whose line changed.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct ChangedItem {
    pub old: String,
    pub new: String,
}

impl ApiChanges {
    /// Whether the public API is the same.
    pub fn is_empty(&self) -> bool {
        self.levels().is_empty()
    }

    /// The level of each kind of change present.
    pub fn levels(&self) -> Vec<Level> {
        [
            (self.removed.is_empty(), Level::Breaking),
            (self.changed.is_empty(), Level::Breaking),
            (self.deprecated.is_empty(), Level::Warning),
            (self.added.is_empty(), Level::Info),
            (self.undeprecated.is_empty(), Level::Info),
        ]
        .into_iter()
        .filter(|(empty, _)| !empty)
        .map(|(_, level)| level)
        .collect()
    }
}

/// The public items of the client generated from `openapi`, which
/// [`crate::spec::check_for_generator`] has passed; `spec_path` names it.
/// The code is cut to what they show first ([`outline`]).
pub fn public_items_of(openapi: OpenAPI, spec_path: &std::path::Path) -> Result<Vec<String>> {
    let file = regen::client_file_with(openapi, spec_path, |tokens, facts| {
        postprocess::apply_to_signatures(outline(tokens), facts)
    })?;
    Ok(public_api::public_items(&file))
}

/// Compares two lists of public items: an item whose name is on both
/// sides with different lines is changed, the rest added or removed.
pub fn compare(old: &[String], new: &[String]) -> ApiChanges {
    let by_name = |items: &[String]| -> BTreeMap<String, Vec<String>> {
        let mut map: BTreeMap<String, Vec<String>> = BTreeMap::new();
        for item in items {
            map.entry(name_of(item)).or_default().push(item.clone());
        }
        map
    };
    let (old_items, new_items) = (by_name(old), by_name(new));
    let mut changes = ApiChanges::default();
    for (name, old_lines) in &old_items {
        let new_lines = new_items.get(name).map(Vec::as_slice).unwrap_or_default();
        match (old_lines.as_slice(), new_lines) {
            ([a], [b]) if a != b => {
                let item = ChangedItem {
                    old: a.clone(),
                    new: b.clone(),
                };
                let list = match (is_deprecated(a), is_deprecated(b)) {
                    (false, true) if b.strip_suffix(DEPRECATED) == Some(a) => {
                        &mut changes.deprecated
                    }
                    (true, false) if a.strip_suffix(DEPRECATED) == Some(b) => {
                        &mut changes.undeprecated
                    }
                    _ => &mut changes.changed,
                };
                list.push(item);
            }
            _ => changes.removed.extend(
                old_lines
                    .iter()
                    .filter(|line| !new_lines.contains(line))
                    .cloned(),
            ),
        }
    }
    for (name, new_lines) in &new_items {
        let old_lines = old_items.get(name).map(Vec::as_slice).unwrap_or_default();
        if matches!((old_lines, new_lines.as_slice()), ([_], [_])) {
            continue;
        }
        changes.added.extend(
            new_lines
                .iter()
                .filter(|line| !old_lines.contains(line))
                .cloned(),
        );
    }
    changes.added.sort();
    changes.removed.sort();
    changes
}

/// How [`public_api::public_items`] marks a deprecated item.
const DEPRECATED: &str = " #[deprecated]";

fn is_deprecated(item: &str) -> bool {
    item.ends_with(DEPRECATED)
}

/// The part of an item's line that names it: a field without its type, a
/// function without its generics and signature, a variant without its
/// payload, a type without `#[deprecated]`.
fn name_of(item: &str) -> String {
    let item = item.strip_prefix("async ").unwrap_or(item);
    let item = item.strip_suffix(DEPRECATED).unwrap_or(item);
    if item.starts_with("field ") {
        return item
            .split_once(": ")
            .map_or(item, |(name, _)| name)
            .to_string();
    }
    let (keyword, rest) = item.split_once(' ').unwrap_or((item, ""));
    let end = match keyword {
        "fn" => rest.find('('),
        "variant" => rest.find(['(', ' ']),
        _ => return item.to_string(),
    };
    let name = &rest[..end.unwrap_or(rest.len())];
    format!("{keyword} {}", strip_trailing_generics(name))
}

/// `fn a::b<V>` without `<V>`.
fn strip_trailing_generics(head: &str) -> &str {
    if !head.ends_with('>') {
        return head;
    }
    let mut depth = 0;
    for (i, c) in head.char_indices().rev() {
        match c {
            '>' => depth += 1,
            '<' => {
                depth -= 1;
                if depth == 0 {
                    return &head[..i];
                }
            }
            _ => {}
        }
    }
    head
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The items of the whole client and of the cut one, for the spec at
    /// `path`; `None` when the generator refuses it.
    fn both_ways(path: &std::path::Path) -> Option<(Vec<String>, Vec<String>)> {
        let openapi = crate::spec::load(path).ok()?;
        let whole = regen::client_file(openapi.clone(), path).ok()?;
        let cut = public_items_of(openapi, path).unwrap();
        Some((public_api::public_items(&whole), cut))
    }

    #[test]
    fn the_cut_code_has_the_public_items_of_the_whole() {
        let root = crate::workspace_root();
        let (whole, cut) = both_ways(&root.join(crate::SPEC_PATH)).unwrap();
        assert!(whole.len() > 500, "{}", whole.len());
        assert_eq!(cut, whole);
        // Every pair of the diff corpus, for the shapes the spec lacks.
        let mut compared = 0;
        for case in std::fs::read_dir(root.join("tests/diff-corpus")).unwrap() {
            for side in ["old.yaml", "new.yaml"] {
                let path = case.as_ref().unwrap().path().join(side);
                if let Some((whole, cut)) = both_ways(&path) {
                    assert_eq!(cut, whole, "{}", path.display());
                    compared += 1;
                }
            }
        }
        assert!(compared > 100, "{compared}");
    }

    #[test]
    fn names_leave_out_types_signatures_and_attributes() {
        assert_eq!(
            name_of("field types::A.id: Option<String>"),
            "field types::A.id"
        );
        assert_eq!(
            name_of("fn builder::G<'a>::group_id<V>(mut self, value: V) -> Self where V: X"),
            "fn builder::G<'a>::group_id"
        );
        assert_eq!(
            name_of("async fn builder::G<'a>::send(self) -> Result<()>"),
            "fn builder::G<'a>::send"
        );
        assert_eq!(
            name_of("variant types::S::Failed"),
            "variant types::S::Failed"
        );
        assert_eq!(
            name_of("variant types::S::Other(String)"),
            "variant types::S::Other"
        );
        assert_eq!(name_of("struct Client #[deprecated]"), "struct Client");
    }

    #[test]
    fn deprecation_alone_is_its_own_change() {
        let old = [
            "fn C::a(&self)",
            "fn C::b(&self) #[deprecated]",
            "fn C::c(&self)",
        ]
        .map(String::from);
        let new = [
            "fn C::a(&self) #[deprecated]",
            "fn C::b(&self)",
            "fn C::c(&self, x: u8) #[deprecated]",
        ]
        .map(String::from);
        let changes = compare(&old, &new);
        let item = |old: &str, new: &str| ChangedItem {
            old: old.into(),
            new: new.into(),
        };
        assert_eq!(changes.deprecated, [item(&old[0], &new[0])]);
        assert_eq!(changes.undeprecated, [item(&old[1], &new[1])]);
        assert_eq!(changes.changed, [item(&old[2], &new[2])]);
        assert_eq!(
            changes.levels(),
            [Level::Breaking, Level::Warning, Level::Info]
        );
    }

    #[test]
    fn same_name_with_another_line_is_a_change() {
        let old = ["field A.x: i64", "field A.y: String", "struct A"].map(String::from);
        let new = ["field A.x: Option<i64>", "field A.z: String", "struct A"].map(String::from);
        let changes = compare(&old, &new);
        assert_eq!(changes.added, ["field A.z: String"]);
        assert_eq!(changes.removed, ["field A.y: String"]);
        assert_eq!(
            changes.changed,
            [ChangedItem {
                old: "field A.x: i64".into(),
                new: "field A.x: Option<i64>".into()
            }]
        );
    }
}
