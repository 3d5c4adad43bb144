//! In-memory changes that let progenitor 0.15 type this spec.
//!
//! The spec stays a faithful record of the Atlas pages; what the generator
//! cannot take as written is changed here, and what the change loses (the
//! versioned media type) is kept as [`OperationFacts`] for
//! [`crate::postprocess`] to put back into the generated code.

use std::collections::HashMap;

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
    let shared_vendor_types = plain_json_shared_responses(openapi);

    let mut facts = Vec::new();
    for (path, item) in openapi.paths.paths.iter_mut() {
        let ReferenceOr::Item(item) = item else {
            bail!("path {path} is a $ref; path items must be written inline");
        };
        item.parameters.retain(|p| !is_omitted(p, &omitted));
        for (method, operation) in operations_mut(item) {
            let place = format!("{} {path}", method.to_uppercase());
            operation.parameters.retain(|p| !is_omitted(p, &omitted));
            let accept = versioned_accept(&place, operation, &shared_vendor_types)?;
            facts.push(OperationFacts {
                operation_id: operation.operation_id.clone().unwrap_or_default(),
                accept,
                deprecation: deprecation(operation),
            });
        }
    }
    Ok(facts)
}

/// Renames the vendor media types of the shared responses and returns, for
/// each one renamed, its `$ref` string and the vendor type it had.
fn plain_json_shared_responses(openapi: &mut OpenAPI) -> HashMap<String, String> {
    let Some(components) = openapi.components.as_mut() else {
        return HashMap::new();
    };
    components
        .responses
        .iter_mut()
        .filter_map(|(name, response)| match response {
            ReferenceOr::Item(response) => Some((
                format!("#/components/responses/{name}"),
                plain_json_media_type(response)?,
            )),
            ReferenceOr::Reference { .. } => None,
        })
        .collect()
}

/// A versioned Atlas media type such as `application/vnd.atlas.2023-01-01+json`.
fn is_vendor_json(media_type: &str) -> bool {
    media_type.starts_with("application/vnd.") && media_type.ends_with("+json")
}

/// Renames the vendor JSON media type of `response` to `application/json`,
/// the only one progenitor types, and returns the vendor type. A response
/// that already has `application/json` keeps it, and progenitor types that.
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
    shared_vendor_types: &HashMap<String, String>,
) -> Result<Option<String>> {
    let mut accept = None;
    for (status, response) in operation.responses.responses.iter_mut() {
        let is_success = matches!(status, openapiv3::StatusCode::Code(200..=299));
        let vendor = match response {
            ReferenceOr::Item(response) => plain_json_media_type(response),
            ReferenceOr::Reference { reference } => shared_vendor_types.get(reference).cloned(),
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

#[cfg(test)]
mod tests {
    use super::*;

    fn spec(yaml: &str) -> OpenAPI {
        serde_yaml::from_str(yaml).unwrap()
    }

    const SPEC: &str = r#"
openapi: 3.0.3
info: { title: t, version: "1" }
paths:
  /things:
    get:
      operationId: listThings
      deprecated: true
      x-deprecation: >-
        Use the
        other one.
      parameters:
        - $ref: '#/components/parameters/envelope'
        - name: wrap
          in: query
          x-omit-from-client: true
          schema: { type: boolean }
        - name: pretty
          in: query
          schema: { type: boolean }
      responses:
        '200': { $ref: '#/components/responses/things' }
        '404':
          description: Not Found
          content:
            application/json: { schema: { type: string } }
components:
  parameters:
    envelope:
      name: envelope
      in: query
      x-omit-from-client: true
      schema: { type: boolean }
  responses:
    things:
      description: OK
      content:
        application/vnd.atlas.2023-01-01+json: { schema: { type: string } }
"#;

    #[test]
    fn shared_vendor_response_becomes_plain_json_and_the_accept_header() {
        let mut openapi = spec(SPEC);
        let facts = for_progenitor(&mut openapi).unwrap();
        assert_eq!(
            facts,
            [OperationFacts {
                operation_id: "listThings".into(),
                accept: Some("application/vnd.atlas.2023-01-01+json".into()),
                deprecation: Some("Use the other one.".into()),
            }]
        );
        let ReferenceOr::Item(shared) = &openapi.components.unwrap().responses["things"] else {
            panic!("the shared response is no longer inline");
        };
        assert_eq!(
            shared.content.keys().collect::<Vec<_>>(),
            ["application/json"]
        );
    }

    #[test]
    fn parameters_marked_for_omission_are_dropped_inline_and_by_reference() {
        let mut openapi = spec(SPEC);
        for_progenitor(&mut openapi).unwrap();
        let (_, _, operation) = openapi.operations().next().unwrap();
        let names: Vec<_> = operation
            .parameters
            .iter()
            .map(|p| match p {
                ReferenceOr::Item(p) => p.parameter_data_ref().name.clone(),
                ReferenceOr::Reference { reference } => reference.clone(),
            })
            .collect();
        assert_eq!(names, ["pretty"]);
    }

    #[test]
    fn plain_json_operations_need_nothing_restored() {
        let mut openapi =
            spec(&SPEC.replace("application/vnd.atlas.2023-01-01+json", "application/json"));
        let facts = for_progenitor(&mut openapi).unwrap();
        assert_eq!(facts[0].accept, None);
    }
}
