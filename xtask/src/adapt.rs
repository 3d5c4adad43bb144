//! In-memory changes that let progenitor 0.15 type this spec.
//!
//! The spec stays a faithful record of the Atlas pages; what the generator
//! cannot take as written is changed here, and what the change loses (the
//! versioned media type) is kept as [`OperationFacts`] for
//! [`crate::postprocess`] to put back into the generated code.

use anyhow::{Result, bail};
use openapiv3::{OpenAPI, Operation, Parameter, ReferenceOr, Response};

use crate::operations::operations_mut;

/// What the generated code of one operation must carry that progenitor
/// does not emit by itself.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct OperationFacts {
    pub operation_id: String,
    /// The versioned `Accept` media type of the success response, if it is
    /// not plain `application/json`.
    pub accept: Option<String>,
    /// The deprecation note, if the operation is deprecated.
    pub deprecation: Option<String>,
}

/// Marks a parameter that the generated client does not offer.
const OMIT_EXTENSION: &str = "x-omit-from-client";
/// The note a deprecated operation carries into `#[deprecated]`.
const DEPRECATION_EXTENSION: &str = "x-deprecation";

/// Rewrites `openapi` for progenitor and returns what each operation needs
/// restored afterwards, in document order.
pub fn for_progenitor(openapi: &mut OpenAPI) -> Result<Vec<OperationFacts>> {
    let omitted = omitted_parameter_refs(openapi);
    let shared_responses = openapi
        .components
        .as_ref()
        .map(|c| c.responses.clone())
        .unwrap_or_default();

    let mut facts = Vec::new();
    for (path, item) in openapi.paths.paths.iter_mut() {
        let ReferenceOr::Item(item) = item else {
            bail!("path {path} is a $ref; path items must be written inline");
        };
        item.parameters.retain(|p| !is_omitted(p, &omitted));
        for (method, operation) in operations_mut(item) {
            let place = format!("{} {path}", method.to_uppercase());
            operation.parameters.retain(|p| !is_omitted(p, &omitted));
            let accept = versioned_accept(&place, operation, &shared_responses)?;
            facts.push(OperationFacts {
                operation_id: operation.operation_id.clone().unwrap_or_default(),
                accept,
                deprecation: deprecation(operation),
            });
        }
    }
    if let Some(components) = openapi.components.as_mut() {
        for response in components.responses.values_mut() {
            if let ReferenceOr::Item(response) = response {
                plain_json_media_type(response);
            }
        }
    }
    Ok(facts)
}

/// A versioned Atlas media type such as `application/vnd.atlas.2023-01-01+json`.
fn is_vendor_json(media_type: &str) -> bool {
    media_type.starts_with("application/vnd.") && media_type.ends_with("+json")
}

/// Renames vendor JSON media types of `response` to `application/json`, the
/// only one progenitor types, and returns the vendor type it replaced.
fn plain_json_media_type(response: &mut Response) -> Option<String> {
    let vendor = response
        .content
        .keys()
        .find(|m| is_vendor_json(m))
        .cloned()?;
    if !response.content.contains_key("application/json") {
        let media = response.content.shift_remove(&vendor)?;
        response
            .content
            .insert("application/json".to_string(), media);
    }
    Some(vendor)
}

/// The vendor media type the success response of `operation` names, after
/// renaming it in place.
fn versioned_accept(
    place: &str,
    operation: &mut Operation,
    shared: &indexmap::IndexMap<String, ReferenceOr<Response>>,
) -> Result<Option<String>> {
    let mut accept = None;
    for (status, response) in operation.responses.responses.iter_mut() {
        let is_success = matches!(status, openapiv3::StatusCode::Code(200..=299));
        let vendor = match response {
            ReferenceOr::Item(response) => plain_json_media_type(response),
            ReferenceOr::Reference { reference } => {
                let name = reference.rsplit('/').next().unwrap_or_default();
                match shared.get(name) {
                    Some(ReferenceOr::Item(r)) => {
                        r.content.keys().find(|m| is_vendor_json(m)).cloned()
                    }
                    _ => None,
                }
            }
        };
        if let (true, Some(vendor)) = (is_success, vendor) {
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

fn deprecation(operation: &Operation) -> Option<String> {
    if !operation.deprecated {
        return None;
    }
    let note = operation
        .extensions
        .get(DEPRECATION_EXTENSION)
        .and_then(|v| v.as_str())
        .unwrap_or("Atlas has deprecated this operation.");
    Some(note.split_whitespace().collect::<Vec<_>>().join(" "))
}

/// `$ref` strings of shared parameters marked as omitted from the client.
fn omitted_parameter_refs(openapi: &OpenAPI) -> Vec<String> {
    let Some(components) = &openapi.components else {
        return Vec::new();
    };
    components
        .parameters
        .iter()
        .filter(|(_, p)| matches!(p, ReferenceOr::Item(p) if has_omit_mark(p)))
        .map(|(name, _)| format!("#/components/parameters/{name}"))
        .collect()
}

fn has_omit_mark(parameter: &Parameter) -> bool {
    parameter
        .parameter_data_ref()
        .extensions
        .get(OMIT_EXTENSION)
        .and_then(|v| v.as_bool())
        .unwrap_or(false)
}

fn is_omitted(parameter: &ReferenceOr<Parameter>, omitted_refs: &[String]) -> bool {
    match parameter {
        ReferenceOr::Item(p) => has_omit_mark(p),
        ReferenceOr::Reference { reference } => omitted_refs.contains(reference),
    }
}
