//! Atlas's versioned media types (`application/vnd.atlas.<date>+json`),
//! on answers and request bodies, shown to progenitor 0.15 as
//! `application/json`, the only type it types; the versions they named
//! become the operation's `Accept` and `Content-Type` facts.

use std::collections::HashMap;

use anyhow::{Result, bail};
use indexmap::IndexMap;
use openapiv3::{MediaType, OpenAPI, Operation, ReferenceOr};

use super::PLAIN_JSON;
use super::answers::is_success;

/// Renames the vendor media types of the shared responses and request
/// bodies, and returns, for each one renamed, its `$ref` string and the
/// vendor type it had.
pub(super) fn plain_json_shared_content(openapi: &mut OpenAPI) -> HashMap<String, String> {
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
) -> HashMap<String, String> {
    section
        .iter_mut()
        .filter_map(|(name, component)| match component {
            ReferenceOr::Item(component) => Some((
                format!("#/components/{kind}/{name}"),
                plain_json_media_type(content(component))?,
            )),
            ReferenceOr::Reference { .. } => None,
        })
        .collect()
}

/// A versioned Atlas media type such as `application/vnd.atlas.2023-01-01+json`.
fn is_vendor_json(media_type: &str) -> bool {
    media_type.starts_with("application/vnd.") && media_type.ends_with("+json")
}

/// Renames the vendor JSON media type in the `content` of a response or a
/// request body to `application/json`, the only one progenitor types, and
/// returns the vendor type. Content that already has `application/json`
/// keeps it, and progenitor types that.
fn plain_json_media_type(content: &mut IndexMap<String, MediaType>) -> Option<String> {
    let vendor = content.keys().find(|m| is_vendor_json(m)).cloned()?;
    if !content.contains_key(PLAIN_JSON) {
        let media = content.shift_remove(&vendor)?;
        content.insert(PLAIN_JSON.to_string(), media);
    }
    Some(vendor)
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

/// The vendor media type of the request body of `operation`, after
/// renaming it in place.
pub(super) fn versioned_content_type(
    operation: &mut Operation,
    shared_vendor_types: &HashMap<String, String>,
) -> Option<String> {
    match operation.request_body.as_mut()? {
        ReferenceOr::Item(body) => plain_json_media_type(&mut body.content),
        ReferenceOr::Reference { reference } => shared_vendor_types.get(reference).cloned(),
    }
}

/// The vendor media type the success response of `operation` names, after
/// renaming it in place.
pub(super) fn versioned_accept(
    place: &str,
    operation: &mut Operation,
    shared_vendor_types: &HashMap<String, String>,
) -> Result<Option<String>> {
    let mut accept = None;
    for (status, response) in operation.responses.responses.iter_mut() {
        let success = is_success(status);
        let vendor = match response {
            ReferenceOr::Item(response) => {
                let vendor = plain_json_media_type(&mut response.content);
                drop_untyped_json(&mut response.content);
                vendor
            }
            ReferenceOr::Reference { reference } => shared_vendor_types.get(reference).cloned(),
        };
        if let (true, Some(vendor)) = (success, vendor) {
            if accept.as_ref().is_some_and(|a| a != &vendor) {
                bail!(
                    "{place}: success responses name two versioned media types; the client can send only one Accept header"
                );
            }
            accept = Some(vendor);
        }
    }
    Ok(accept)
}
