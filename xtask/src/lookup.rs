//! `$ref`s of the typed spec looked up in its components: what the
//! adaptation, the operation facts and the command line's table read
//! through a reference.

use indexmap::IndexMap;
use openapiv3::{
    Components, Operation, Parameter, ParameterSchemaOrContent, ReferenceOr, RequestBody, Response,
    Schema,
};

/// The parameters of `operation`, its path item's included, with `$ref`s
/// to shared parameters looked up. A dangling `$ref` is skipped: loading
/// the spec has already refused those.
pub fn parameters(
    components: &Components,
    path_parameters: &[ReferenceOr<Parameter>],
    operation: &Operation,
) -> Vec<Parameter> {
    path_parameters
        .iter()
        .chain(&operation.parameters)
        .filter_map(|p| item(&components.parameters, "parameters", p).cloned())
        .collect()
}

/// The schema `schema` is or names, through any number of `$ref`s.
pub fn schema<'a>(
    components: &'a Components,
    schema: &'a ReferenceOr<Schema>,
) -> Option<&'a Schema> {
    match schema {
        ReferenceOr::Item(schema) => Some(schema),
        ReferenceOr::Reference { reference } => {
            let target = reference.strip_prefix("#/components/schemas/")?;
            self::schema(components, components.schemas.get(target)?)
        }
    }
}

/// The component schema `reference` names, if it is written inline there.
pub fn component_schema<'a>(components: &'a Components, reference: &str) -> Option<&'a Schema> {
    component(&components.schemas, "schemas", reference)
}

/// The answer `response` is or names.
pub fn response<'a>(
    components: &'a Components,
    response: &'a ReferenceOr<Response>,
) -> Option<&'a Response> {
    item(&components.responses, "responses", response)
}

/// The request body `body` is or names.
pub fn request_body<'a>(
    components: &'a Components,
    body: &'a ReferenceOr<RequestBody>,
) -> Option<&'a RequestBody> {
    item(&components.request_bodies, "requestBodies", body)
}

/// The schema of `parameter`, looked up; `None` for one given as content.
pub fn parameter_schema<'a>(
    components: &'a Components,
    parameter: &'a Parameter,
) -> Option<&'a Schema> {
    match &parameter.parameter_data_ref().format {
        ParameterSchemaOrContent::Schema(schema) => self::schema(components, schema),
        ParameterSchemaOrContent::Content(_) => None,
    }
}

/// The item that `item` is, or names in the section `section` of the
/// kind `kind`.
fn item<'a, T>(
    section: &'a IndexMap<String, ReferenceOr<T>>,
    kind: &str,
    item: &'a ReferenceOr<T>,
) -> Option<&'a T> {
    match item {
        ReferenceOr::Item(item) => Some(item),
        ReferenceOr::Reference { reference } => component(section, kind, reference),
    }
}

/// The inline component that `reference` names in the section `section`
/// of the kind `kind` (`parameters`, `responses`, `schemas`).
fn component<'a, T>(
    section: &'a IndexMap<String, ReferenceOr<T>>,
    kind: &str,
    reference: &str,
) -> Option<&'a T> {
    let name = reference.strip_prefix(&format!("#/components/{kind}/"))?;
    section.get(name)?.as_item()
}
