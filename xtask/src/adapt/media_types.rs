//! Atlas's versioned media types (`application/vnd.atlas.<date>+json`),
//! on answers and request bodies, shown to progenitor 0.15 as
//! `application/json`, the only type it types; the versions they named
//! become the operation's `Accept` and `Content-Type` facts.
//!
//! Where a request body or the success answers offer several resource
//! versions, the client takes the newest (a dated version before a
//! `preview`, which is no release): progenitor types one body a way, and
//! the client sends one `Accept`. A success answer that only an older
//! version gives (Atlas's `POST …/search/deployment`: 200 in 2023-01-01,
//! 201 in 2024-05-30) is left out with its version. The choice is a
//! [`Concession::NewestVersion`].

use std::collections::{BTreeSet, HashMap};

use indexmap::IndexMap;
use openapiv3::{MediaType, OpenAPI, Operation, ReferenceOr};

use super::answers::is_success;
use crate::facts::{Concession, PLAIN_JSON, version_of};

/// The versioned media types a content offers, and the one it keeps.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(super) struct Offered {
    /// The newest, now `application/json`.
    pub kept: String,
    /// Every versioned JSON type it offered, `kept` among them.
    pub all: Vec<String>,
}

/// Renames the vendor media types of the shared responses and request
/// bodies, keeping the newest of several, and returns, for each one
/// renamed, its `$ref` string and what it offered.
pub(super) fn plain_json_shared_content(openapi: &mut OpenAPI) -> HashMap<String, Offered> {
    let Some(components) = openapi.components.as_mut() else {
        return HashMap::new();
    };
    let mut renamed = plain_json_shared(&mut components.responses, "responses", |r| &mut r.content);
    for response in components.responses.values_mut() {
        if let ReferenceOr::Item(response) = response {
            drop_untyped_json(&mut response.content);
        }
    }
    renamed.extend(plain_json_shared(
        &mut components.request_bodies,
        "requestBodies",
        |b| &mut b.content,
    ));
    renamed
}

/// [`plain_json_shared_content`] for one section of the components.
fn plain_json_shared<T>(
    section: &mut IndexMap<String, ReferenceOr<T>>,
    kind: &str,
    content: fn(&mut T) -> &mut IndexMap<String, MediaType>,
) -> HashMap<String, Offered> {
    section
        .iter_mut()
        .filter_map(|(name, component)| match component {
            ReferenceOr::Item(component) => Some((
                format!("#/components/{kind}/{name}"),
                plain_json_newest(content(component))?,
            )),
            ReferenceOr::Reference { .. } => None,
        })
        .collect()
}

/// A versioned Atlas media type such as `application/vnd.atlas.2023-01-01+json`.
fn is_vendor_json(media_type: &str) -> bool {
    media_type.starts_with("application/vnd.") && media_type.ends_with("+json")
}

/// The newest of `media_types`: the latest date, a version that names no
/// date (`preview`) only where none does.
fn newest<'a>(media_types: impl IntoIterator<Item = &'a String>) -> Option<&'a String> {
    media_types.into_iter().max_by_key(|media_type| {
        let version = version_of(media_type);
        let dated = version.len() == 10 && version.chars().all(|c| c.is_ascii_digit() || c == '-');
        (dated, version)
    })
}

/// Keeps the newest of the vendor JSON media types in the `content` of a
/// response or a request body, renamed to `application/json`, the only
/// one progenitor types, drops the others, and returns what it offered.
/// Content that already has `application/json` keeps it, and progenitor
/// types that.
fn plain_json_newest(content: &mut IndexMap<String, MediaType>) -> Option<Offered> {
    let all: Vec<String> = content
        .keys()
        .filter(|m| is_vendor_json(m))
        .cloned()
        .collect();
    let kept = newest(&all)?.clone();
    let media = content.shift_remove(&kept)?;
    content.retain(|media_type, _| !is_vendor_json(media_type));
    if !content.contains_key(PLAIN_JSON) {
        content.insert(PLAIN_JSON.to_string(), media);
    }
    Some(Offered { kept, all })
}

/// Removes a JSON media type that gives no schema from an answer's
/// `content`: there is nothing to type, and progenitor 0.15 stops at it.
/// Atlas writes its 204 answers so, with the version and nothing else.
fn drop_untyped_json(content: &mut IndexMap<String, MediaType>) {
    if content
        .get(PLAIN_JSON)
        .is_some_and(|media| media.schema.is_none())
    {
        content.shift_remove(PLAIN_JSON);
    }
}

/// The vendor media types of the request body of `operation`, after
/// renaming the newest in place.
pub(super) fn versioned_content_type(
    operation: &mut Operation,
    shared: &HashMap<String, Offered>,
) -> Option<Offered> {
    match operation.request_body.as_mut()? {
        ReferenceOr::Item(body) => plain_json_newest(&mut body.content),
        ReferenceOr::Reference { reference } => shared.get(reference).cloned(),
    }
}

/// The vendor media types the success answers of `operation` offer, the
/// newest kept: each answer renamed in place, and a success answer that
/// offers only older versions left out.
pub(super) fn versioned_accept(
    operation: &mut Operation,
    shared: &HashMap<String, Offered>,
) -> Option<Offered> {
    let mut offered: Vec<(String, Vec<String>)> = Vec::new();
    for (status, response) in operation.responses.responses.iter_mut() {
        let answer = match response {
            ReferenceOr::Item(response) => {
                let answer = plain_json_newest(&mut response.content);
                drop_untyped_json(&mut response.content);
                answer
            }
            ReferenceOr::Reference { reference } => shared.get(reference).cloned(),
        };
        if let (true, Some(answer)) = (is_success(status), answer) {
            offered.push((status.to_string(), answer.all));
        }
    }
    let all: BTreeSet<&String> = offered.iter().flat_map(|(_, all)| all).collect();
    let kept = newest(all.iter().copied())?.clone();
    let older: Vec<&String> = (offered.iter())
        .filter(|(_, versions)| !versions.contains(&kept))
        .map(|(status, _)| status)
        .collect();
    (operation.responses.responses).retain(|status, _| !older.contains(&&status.to_string()));
    Some(Offered {
        kept,
        all: all.into_iter().cloned().collect(),
    })
}

/// The concession of an operation whose request body or success answers
/// offer several versions, of which the client takes `body` and `answer`.
pub(super) fn newest_version(
    body: Option<&Offered>,
    answer: Option<&Offered>,
) -> Option<Concession> {
    let several = [body, answer]
        .into_iter()
        .flatten()
        .any(|offered| offered.all.len() > 1);
    if !several {
        return None;
    }
    let kept: BTreeSet<&String> = [body, answer]
        .into_iter()
        .flatten()
        .map(|o| &o.kept)
        .collect();
    let left_out: BTreeSet<&String> = [body, answer]
        .into_iter()
        .flatten()
        .flat_map(|offered| &offered.all)
        .filter(|media_type| !kept.contains(media_type))
        .collect();
    Some(Concession::NewestVersion {
        kept: kept.into_iter().cloned().collect(),
        left_out: left_out.into_iter().cloned().collect(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_newest_version_is_the_latest_date_and_a_preview_only_alone() {
        let types = |versions: &[&str]| -> Vec<String> {
            (versions.iter())
                .map(|v| format!("application/vnd.atlas.{v}+json"))
                .collect()
        };
        let newest_of =
            |versions: &[&str]| version_of(newest(&types(versions)).unwrap()).to_string();
        assert_eq!(
            newest_of(&["2023-01-01", "2024-08-05", "2023-02-01"]),
            "2024-08-05"
        );
        assert_eq!(newest_of(&["2025-03-12", "preview"]), "2025-03-12");
        assert_eq!(newest_of(&["preview"]), "preview");
        assert_eq!(newest(&types(&[])), None);
    }
}
