//! What a spec change does to the crate's public Rust API: both versions
//! are generated as `cargo xtask regen` would, and their public items
//! ([`crate::public_api::public_items`]) compared line by line.

use std::collections::BTreeMap;

use anyhow::{Context, Result};
use serde::Serialize;

use super::source::SpecText;
use crate::{public_api, regen};

/// The public items that differ between two versions of the crate, each
/// list sorted.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize)]
pub struct ApiChanges {
    pub added: Vec<String>,
    pub removed: Vec<String>,
    /// Items with the same name and a different signature or type.
    pub changed: Vec<ChangedItem>,
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
        self.added.is_empty() && self.removed.is_empty() && self.changed.is_empty()
    }
}

/// The public items of the client generated from `spec`.
pub fn public_items_of(spec: &SpecText) -> Result<Vec<String>> {
    let source = regen::generate_from_text(&spec.text, &spec.path, &spec.name)?;
    let file = syn::parse_file(&source)
        .with_context(|| format!("the code generated from {} does not parse", spec.name))?;
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
            ([a], [b]) if a != b => changes.changed.push(ChangedItem {
                old: a.clone(),
                new: b.clone(),
            }),
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

/// The part of an item's line that names it: a field without its type, a
/// function without its generics and signature, a variant without its
/// payload, a type without `#[deprecated]`.
fn name_of(item: &str) -> String {
    let item = item.strip_prefix("async ").unwrap_or(item);
    let item = item.strip_suffix(" #[deprecated]").unwrap_or(item);
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
