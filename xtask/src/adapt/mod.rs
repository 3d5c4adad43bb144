//! In-memory changes that let progenitor 0.15 type this spec.
//!
//! The spec stays a faithful record of the Atlas sources; what the
//! generator cannot take as written is changed here, one concern a module:
//! versioned media types, the newest of several ([`media_types`]), one
//! success and one error body per operation ([`answers`]), schemas typify
//! cannot read ([`typify`], [`tagged_unions`]), and parameters marked
//! `x-omit-from-client` (here). What the change loses is kept as
//! [`OperationFacts`] for [`crate::postprocess`] to put back into the
//! generated code.

mod answers;
pub mod media_types;
mod tagged_unions;
mod typify;

use std::collections::HashMap;

use anyhow::{Result, bail};
use openapiv3::{Components, OpenAPI, Operation, Parameter, ReferenceOr};

use crate::facts::{self, Concession, MediaTypes, OperationFacts};
use crate::lookup;
use crate::operations::slots_mut;
use crate::tagged_unions::TaggedUnion;

/// Marks a parameter that the generated client does not offer.
const OMIT_EXTENSION: &str = "x-omit-from-client";

/// An operation the generator cannot take, left out of a lenient
/// adaptation ([`for_progenitor_without_refused`]).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Refused {
    /// `GET /path`.
    pub operation: String,
    pub operation_id: String,
    /// Why, on one line, after the operation.
    pub reason: String,
}

/// The spec as progenitor is shown it, with what the rewrite keeps aside
/// for post-processing to put back.
#[derive(Clone, Debug)]
pub struct Adapted {
    /// The rewritten spec.
    pub openapi: OpenAPI,
    /// What each operation needs restored, in document order.
    pub operations: Vec<OperationFacts>,
    /// The discriminated schemas, whose enums post-processing writes.
    pub unions: Vec<TaggedUnion>,
}

/// Rewrites `openapi` for progenitor; an operation it cannot adapt is an
/// error.
pub fn for_progenitor(openapi: OpenAPI) -> Result<Adapted> {
    adapt(openapi, &mut |refused| {
        bail!("{}: {}", refused.operation, refused.reason)
    })
}

/// [`for_progenitor`] that leaves out each operation it cannot adapt, and
/// says why, instead of failing: the rest still generates.
pub fn for_progenitor_without_refused(openapi: OpenAPI) -> Result<(Adapted, Vec<Refused>)> {
    let mut refusals = Vec::new();
    let adapted = adapt(openapi, &mut |refused| {
        refusals.push(refused);
        Ok(())
    })?;
    Ok((adapted, refusals))
}

/// The adaptation, with `refuse` deciding what an operation that cannot
/// be adapted does: fail the whole (its error), or be left out (`Ok`).
fn adapt(mut openapi: OpenAPI, refuse: &mut dyn FnMut(Refused) -> Result<()>) -> Result<Adapted> {
    let unions = tagged_unions::subtypes_for_typify(&mut openapi)?;
    let omitted = omitted_parameter_refs(&openapi);
    let shared_vendor_types = media_types::plain_json_shared_content(&mut openapi);
    typify::schemas_for_typify(&mut openapi);
    let components = openapi.components.clone().unwrap_or_default();

    let mut facts = Vec::new();
    for (path, item) in openapi.paths.paths.iter_mut() {
        let ReferenceOr::Item(item) = item else {
            bail!("path {path} is a $ref; path items must be written inline");
        };
        item.parameters.retain(|p| !is_omitted(p, &omitted));
        let path_parameters = item.parameters.clone();
        for (method, slot) in slots_mut(item) {
            let Some(operation) = slot else {
                continue;
            };
            let place = crate::raw::label(method, path);
            let adapted = adapt_operation(
                &place,
                &components,
                &path_parameters,
                &omitted,
                &shared_vendor_types,
                operation,
            );
            match adapted {
                Ok(operation_facts) => facts.push(operation_facts),
                Err(e) => {
                    let reason = e.to_string();
                    let reason = reason
                        .strip_prefix(&format!("{place}: "))
                        .unwrap_or(&reason);
                    refuse(Refused {
                        reason: reason.to_string(),
                        operation: place,
                        operation_id: operation.operation_id.clone().unwrap_or_default(),
                    })?;
                    *slot = None;
                }
            }
        }
    }
    Ok(Adapted {
        openapi,
        operations: facts,
        unions,
    })
}

/// One operation rewritten for progenitor, and its facts.
fn adapt_operation(
    place: &str,
    components: &Components,
    path_parameters: &[ReferenceOr<Parameter>],
    omitted: &[String],
    shared_vendor_types: &HashMap<String, media_types::Offered>,
    operation: &mut Operation,
) -> Result<OperationFacts> {
    operation.parameters.retain(|p| !is_omitted(p, omitted));
    let accept = media_types::versioned_accept(operation, shared_vendor_types);
    let content_type = media_types::versioned_content_type(operation, shared_vendor_types);
    let newest = media_types::newest_version(content_type.as_ref(), accept.as_ref());
    let bodiless_success = answers::body_or_nothing(place, components, operation)?;
    let error_bodies = answers::one_error_body(components, operation);
    let parameters = lookup::parameters(components, path_parameters, operation);
    let (paging, unstreamed) = facts::paging(place, components, &parameters, operation)?;
    let concessions: Vec<Concession> = (newest.into_iter())
        .chain(unstreamed)
        .chain(error_bodies)
        .collect();
    for concession in &concessions {
        let doc = concession.doc();
        operation.description = Some(match operation.description.take() {
            Some(description) => format!("{description}\n\n{doc}"),
            None => doc,
        });
    }
    Ok(OperationFacts {
        operation_id: operation.operation_id.clone().unwrap_or_default(),
        media_types: MediaTypes {
            accept: accept.map(|offered| offered.kept),
            content_type: content_type.map(|offered| offered.kept),
        },
        deprecation: facts::deprecation(operation),
        irreversible: facts::irreversible(operation),
        bounds: facts::bounds(components, &parameters),
        choices: facts::choices(components, &parameters),
        paging,
        bodiless_success,
        concessions,
    })
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
mod tests;
