//! In-memory changes that let progenitor 0.15 type this spec.
//!
//! The spec stays a faithful record of the Atlas sources; what the
//! generator cannot take as written is changed here, and what the change
//! loses (the versioned media types of answers and request bodies) is kept
//! as [`OperationFacts`] for [`crate::postprocess`] to put back into the
//! generated code.

use std::collections::HashMap;

use heck::ToUpperCamelCase;
use indexmap::IndexMap;
use serde_yaml::Value as YamlValue;

use anyhow::{Result, bail};
use openapiv3::{
    Components, IntegerType, MediaType, OpenAPI, Operation, Parameter, ParameterSchemaOrContent,
    ReferenceOr, Schema, SchemaKind, StatusCode, Type,
};

use crate::operations::slots_mut;
use crate::tagged_unions::TaggedUnion;

/// What the generated code of one operation must carry that progenitor
/// does not emit by itself.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct OperationFacts {
    pub operation_id: String,
    /// The versioned `Accept` media type of the success response, if it is
    /// not plain `application/json`.
    pub accept: Option<String>,
    /// The versioned `Content-Type` of the request body, if it is not plain
    /// `application/json`.
    pub content_type: Option<String>,
    /// The deprecation note, if the operation is deprecated, with its
    /// sunset date if the spec gives one.
    pub deprecation: Option<String>,
    /// Integer parameters with bounds the generated types do not enforce
    /// by themselves (typify turns `minimum: 1` into a `NonZero` type and
    /// drops `maximum`).
    pub bounds: Vec<ParameterBounds>,
    /// How the operation pages, if it takes Atlas's paging parameters.
    pub paging: Option<Paging>,
    /// Success statuses answered without a body beside one answered with
    /// a body (Atlas's 200 and 204): the call returns an `Option` of the
    /// body's type, `None` for these. progenitor is shown the others only.
    pub bodiless_success: Vec<u16>,
}

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

/// The `minimum` and `maximum` of one integer parameter.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ParameterBounds {
    /// The parameter's name in the spec, such as `itemsPerPage`.
    pub name: String,
    pub minimum: Option<i64>,
    pub maximum: Option<i64>,
}

/// Atlas pages with `pageNum` (from 1) and `itemsPerPage`, and answers with
/// the page's items in `results`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Paging {
    /// `itemsPerPage` when the caller does not choose one: the spec's default.
    pub default_page_size: u32,
}

/// The query parameter that numbers pages, from 1.
pub const PAGE_NUMBER_PARAMETER: &str = "pageNum";
/// The query parameter that sets how many items a page holds.
pub const PAGE_SIZE_PARAMETER: &str = "itemsPerPage";
/// The property of a paged response body that holds the page's items.
pub const PAGE_ITEMS_PROPERTY: &str = "results";

/// Marks a parameter that the generated client does not offer.
const OMIT_EXTENSION: &str = "x-omit-from-client";
/// The note a deprecated operation carries into `#[deprecated]`.
const DEPRECATION_EXTENSION: &str = "x-deprecation";
/// The date after which Atlas no longer serves an operation.
const SUNSET_EXTENSION: &str = "x-sunset";
/// The media type progenitor 0.15 types, for answers and request bodies.
const PLAIN_JSON: &str = "application/json";

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
    let unions = crate::tagged_unions::for_progenitor(&mut openapi)?;
    let omitted = omitted_parameter_refs(&openapi);
    let shared_vendor_types = plain_json_shared_content(&mut openapi);
    schemas_for_typify(&mut openapi);
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
    shared_vendor_types: &HashMap<String, String>,
    operation: &mut Operation,
) -> Result<OperationFacts> {
    operation.parameters.retain(|p| !is_omitted(p, omitted));
    let accept = versioned_accept(place, operation, shared_vendor_types)?;
    let content_type = versioned_content_type(operation, shared_vendor_types);
    let bodiless_success = body_or_nothing(place, components, operation)?;
    one_error_body(place, components, operation)?;
    let parameters = resolved_parameters(components, path_parameters, operation);
    Ok(OperationFacts {
        operation_id: operation.operation_id.clone().unwrap_or_default(),
        accept,
        content_type,
        deprecation: deprecation(operation),
        bounds: parameters
            .iter()
            .filter_map(|p| bounds(components, p))
            .collect(),
        paging: paging(place, components, &parameters, operation)?,
        bodiless_success,
    })
}

/// Renames the vendor media types of the shared responses and request
/// bodies, and returns, for each one renamed, its `$ref` string and the
/// vendor type it had.
fn plain_json_shared_content(openapi: &mut OpenAPI) -> HashMap<String, String> {
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
fn versioned_content_type(
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
fn versioned_accept(
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

/// The note of a deprecated operation, on one line, after its sunset date.
fn deprecation(operation: &Operation) -> Option<String> {
    if !operation.deprecated {
        return None;
    }
    let text = |key: &str| operation.extensions.get(key).and_then(|v| v.as_str());
    let note = text(DEPRECATION_EXTENSION).unwrap_or("Atlas has deprecated this operation.");
    let note = note.split_whitespace().collect::<Vec<_>>().join(" ");
    Some(match text(SUNSET_EXTENSION) {
        Some(date) => format!("Sunset {date}. {note}"),
        None => note,
    })
}

/// The success statuses of `operation` answered without a body beside
/// others answered with one, which it removes: progenitor 0.15 gives each
/// operation one success type, and panics otherwise. Refuses success
/// answers with two different bodies, which no `Option` covers.
fn body_or_nothing(
    place: &str,
    components: &Components,
    operation: &mut Operation,
) -> Result<Vec<u16>> {
    let bodies: Vec<(StatusCode, Option<String>)> = operation
        .responses
        .responses
        .iter()
        .filter(|(status, _)| is_success(status))
        .map(|(status, response)| (status.clone(), body_schema(components, response)))
        .collect();
    let mut with_body = bodies.iter().filter(|(_, body)| body.is_some());
    let Some((first_status, first)) = with_body.next() else {
        return Ok(Vec::new());
    };
    if let Some((status, _)) = with_body.find(|(_, body)| body != first) {
        bail!(
            "{place}: success answers {first_status} and {status} have different bodies; the client decodes one success type per operation"
        );
    }
    let mut bodiless = Vec::new();
    for (status, body) in &bodies {
        match (status, body) {
            (_, Some(_)) => {}
            (StatusCode::Code(code), None) => bodiless.push(*code),
            (StatusCode::Range(_), None) => bail!(
                "{place}: success answers {first_status} and {status} differ, one with a body and a range of statuses without; the client can tell only single statuses apart"
            ),
        }
    }
    operation
        .responses
        .responses
        .retain(|status, _| !matches!(status, StatusCode::Code(code) if bodiless.contains(code)));
    Ok(bodiless)
}

/// Leaves error answers without a body out of `operation` beside error
/// answers with one, and refuses error answers with two different bodies:
/// progenitor 0.15 types one error body per operation, and panics
/// otherwise. An error answer left out fails the call all the same, as
/// an answer the operation does not list, with its status.
fn one_error_body(place: &str, components: &Components, operation: &mut Operation) -> Result<()> {
    let answers = &operation.responses;
    let bodies: Vec<(String, Option<String>)> = answers
        .responses
        .iter()
        .filter(|(status, _)| !is_success(status))
        .map(|(status, response)| (status.to_string(), response))
        .chain(answers.default.iter().map(|d| ("default".to_string(), d)))
        .map(|(status, response)| (status, body_schema(components, response)))
        .collect();
    let mut with_body = bodies.iter().filter(|(_, body)| body.is_some());
    let Some((first_status, first)) = with_body.next() else {
        return Ok(());
    };
    if let Some((status, _)) = with_body.find(|(_, body)| body != first) {
        bail!(
            "{place}: error answers {first_status} and {status} have different bodies; the client decodes one error type per operation"
        );
    }
    let bodiless: Vec<&str> = bodies
        .iter()
        .filter(|(_, body)| body.is_none())
        .map(|(status, _)| status.as_str())
        .collect();
    operation
        .responses
        .responses
        .retain(|status, _| is_success(status) || !bodiless.contains(&status.to_string().as_str()));
    if bodiless.contains(&"default") {
        operation.responses.default = None;
    }
    Ok(())
}

/// The JSON schema of an answer, as text to compare; `None` without one.
fn body_schema(
    components: &Components,
    response: &ReferenceOr<openapiv3::Response>,
) -> Option<String> {
    let response = match response {
        ReferenceOr::Item(response) => Some(response),
        ReferenceOr::Reference { reference } => {
            component(&components.responses, "responses", reference)
        }
    };
    let schema = response?.content.get(PLAIN_JSON)?.schema.as_ref()?;
    Some(serde_json::to_string(schema).unwrap_or_default())
}

fn is_success(status: &StatusCode) -> bool {
    matches!(status, StatusCode::Code(200..=299) | StatusCode::Range(2))
}

/// The parameters of `operation`, its path item's included, with `$ref`s
/// to shared parameters looked up. A dangling `$ref` is skipped: loading
/// the spec has already refused those.
pub(crate) fn resolved_parameters(
    components: &Components,
    path_parameters: &[ReferenceOr<Parameter>],
    operation: &Operation,
) -> Vec<Parameter> {
    path_parameters
        .iter()
        .chain(&operation.parameters)
        .filter_map(|p| match p {
            ReferenceOr::Item(p) => Some(p.clone()),
            ReferenceOr::Reference { reference } => {
                component(&components.parameters, "parameters", reference).cloned()
            }
        })
        .collect()
}

/// The schema `schema` is or names.
pub(crate) fn resolved_schema<'a>(
    components: &'a Components,
    schema: &'a ReferenceOr<Schema>,
) -> Option<&'a Schema> {
    match schema {
        ReferenceOr::Item(schema) => Some(schema),
        ReferenceOr::Reference { reference } => {
            let target = reference.strip_prefix("#/components/schemas/")?;
            resolved_schema(components, components.schemas.get(target)?)
        }
    }
}

/// The inline component that `reference` names in the section `section`
/// (`parameters`, `responses`, `schemas`).
pub(crate) fn component<'a, T>(
    section: &'a IndexMap<String, ReferenceOr<T>>,
    kind: &str,
    reference: &str,
) -> Option<&'a T> {
    let name = reference.strip_prefix(&format!("#/components/{kind}/"))?;
    section.get(name)?.as_item()
}

pub(crate) fn parameter_schema<'a>(
    components: &'a Components,
    parameter: &'a Parameter,
) -> Option<&'a Schema> {
    match &parameter.parameter_data_ref().format {
        ParameterSchemaOrContent::Schema(schema) => resolved_schema(components, schema),
        ParameterSchemaOrContent::Content(_) => None,
    }
}

fn integer_type<'a>(
    components: &'a Components,
    parameter: &'a Parameter,
) -> Option<&'a IntegerType> {
    match &parameter_schema(components, parameter)?.schema_kind {
        SchemaKind::Type(Type::Integer(integer)) => Some(integer),
        _ => None,
    }
}

fn bounds(components: &Components, parameter: &Parameter) -> Option<ParameterBounds> {
    let integer = integer_type(components, parameter)?;
    let exclusive = |bound: Option<i64>, is_exclusive: bool, step: i64| {
        bound.map(|b| if is_exclusive { b + step } else { b })
    };
    let minimum = exclusive(integer.minimum, integer.exclusive_minimum, 1);
    let maximum = exclusive(integer.maximum, integer.exclusive_maximum, -1);
    (minimum.is_some() || maximum.is_some()).then(|| ParameterBounds {
        name: parameter.parameter_data_ref().name.clone(),
        minimum,
        maximum,
    })
}

/// Paging facts for an operation that takes both paging parameters in its
/// query; an error if it does but its success body has no `results` array.
fn paging(
    place: &str,
    components: &Components,
    parameters: &[Parameter],
    operation: &Operation,
) -> Result<Option<Paging>> {
    let query = |name: &str| {
        parameters.iter().find(
            |p| matches!(p, Parameter::Query { parameter_data, .. } if parameter_data.name == name),
        )
    };
    let (Some(_), Some(size)) = (query(PAGE_NUMBER_PARAMETER), query(PAGE_SIZE_PARAMETER)) else {
        return Ok(None);
    };
    if !success_body_has_items(components, operation) {
        bail!(
            "{place}: it takes {PAGE_NUMBER_PARAMETER} and {PAGE_SIZE_PARAMETER}, so its 200 body must hold the page's items in a `{PAGE_ITEMS_PROPERTY}` array"
        );
    }
    let default_page_size = parameter_schema(components, size)
        .and_then(|schema| schema.schema_data.default.as_ref())
        .and_then(|default| default.as_u64())
        .and_then(|default| u32::try_from(default).ok());
    let Some(default_page_size) = default_page_size else {
        bail!(
            "{place}: {PAGE_SIZE_PARAMETER} needs an integer `default`, the page size the client asks for when the caller sets none"
        );
    };
    Ok(Some(Paging { default_page_size }))
}

fn success_body_has_items(components: &Components, operation: &Operation) -> bool {
    let response = match operation
        .responses
        .responses
        .get(&openapiv3::StatusCode::Code(200))
    {
        Some(ReferenceOr::Item(response)) => Some(response),
        Some(ReferenceOr::Reference { reference }) => {
            component(&components.responses, "responses", reference)
        }
        None => None,
    };
    let schema = response
        .and_then(|r| r.content.get(PLAIN_JSON))
        .and_then(|media| media.schema.as_ref())
        .and_then(|schema| resolved_schema(components, schema));
    let Some(SchemaKind::Type(Type::Object(object))) = schema.map(|s| &s.schema_kind) else {
        return false;
    };
    object
        .properties
        .get(PAGE_ITEMS_PROPERTY)
        .and_then(|items| match items {
            ReferenceOr::Item(schema) => Some(&schema.schema_kind),
            ReferenceOr::Reference { reference } => {
                component(&components.schemas, "schemas", reference).map(|s| &s.schema_kind)
            }
        })
        .is_some_and(|kind| matches!(kind, SchemaKind::Type(Type::Array(_))))
}

/// Rewrites the component schemas typify 0.8 cannot take as written:
/// subtypes that extend a base listing them ([`inline_bases`]), and enums
/// whose values name no variant ([`unnamed_enums_as_strings`]). Each is
/// rewritten as a YAML value, which keeps the order of its keys, and so of
/// the fields typify writes.
fn schemas_for_typify(openapi: &mut OpenAPI) {
    let Some(components) = openapi.components.as_mut() else {
        return;
    };
    let bases: HashMap<String, YamlValue> = components
        .schemas
        .iter()
        .filter_map(|(name, schema)| {
            let mut value = serde_yaml::to_value(schema.as_item()?).ok()?;
            let object = value.as_mapping_mut()?;
            let lists = object.remove("oneOf").is_some() | object.remove("anyOf").is_some();
            object.remove("discriminator");
            lists.then(|| (format!("#/components/schemas/{name}"), value))
        })
        .collect();
    for schema in components.schemas.values_mut() {
        let ReferenceOr::Item(schema) = schema else {
            continue;
        };
        let Ok(mut value) = serde_yaml::to_value(&*schema) else {
            continue;
        };
        let changed = inline_bases(&mut value, &bases, &mut Vec::new())
            | unnamed_enums_as_strings(&mut value);
        if changed && let Ok(rewritten) = serde_yaml::from_value(value) {
            *schema = rewritten;
        }
    }
}

/// Inlines each `$ref`, in an `allOf`, to one of `bases`: a schema that
/// lists its subtypes in `oneOf` or `anyOf`, here without that list.
/// Atlas's subtypes extend their base so (`allOf: [$ref Base, {...}]`)
/// while the base lists them, and typify 0.8 merges such a cycle until
/// the stack overflows, which aborts. `inlined` holds the bases being
/// inlined, so that a base extending itself ends.
fn inline_bases<'b>(
    value: &mut YamlValue,
    bases: &'b HashMap<String, YamlValue>,
    inlined: &mut Vec<&'b str>,
) -> bool {
    match value {
        YamlValue::Mapping(map) => {
            let mut changed = false;
            for (key, child) in map.iter_mut() {
                let YamlValue::Sequence(parts) = child else {
                    changed |= inline_bases(child, bases, inlined);
                    continue;
                };
                if key.as_str() != Some("allOf") {
                    changed |= inline_bases(child, bases, inlined);
                    continue;
                }
                for part in parts {
                    let reference = part.get("$ref").and_then(YamlValue::as_str);
                    match reference.and_then(|r| bases.get_key_value(r)) {
                        Some((name, base)) if !inlined.contains(&name.as_str()) => {
                            *part = base.clone();
                            inlined.push(name);
                            inline_bases(part, bases, inlined);
                            inlined.pop();
                            changed = true;
                        }
                        _ => changed |= inline_bases(part, bases, inlined),
                    }
                }
            }
            changed
        }
        YamlValue::Sequence(items) => items.iter_mut().fold(false, |changed, item| {
            inline_bases(item, bases, inlined) | changed
        }),
        _ => false,
    }
}

/// Drops each `enum` of strings for which typify finds no distinct variant
/// names, which it panics on: values without a letter or digit, such as
/// Atlas's `Operator` (`<`, `>`). The value is then a string, which the
/// client's open enums would have kept anyway.
fn unnamed_enums_as_strings(value: &mut YamlValue) -> bool {
    match value {
        YamlValue::Mapping(map) => {
            let unnamed = map
                .get("enum")
                .and_then(YamlValue::as_sequence)
                .is_some_and(|values| !typify_names_variants(values));
            if unnamed {
                map.remove("enum");
            }
            map.values_mut().fold(unnamed, |changed, child| {
                unnamed_enums_as_strings(child) | changed
            })
        }
        YamlValue::Sequence(items) => items.iter_mut().fold(false, |changed, item| {
            unnamed_enums_as_strings(item) | changed
        }),
        _ => false,
    }
}

/// Whether typify 0.8 names the variants of an enum of `values` apart: it
/// tries each value in Pascal case, then with `_` and what cannot be in an
/// identifier written `X`.
fn typify_names_variants(values: &[YamlValue]) -> bool {
    let Some(values) = values
        .iter()
        .map(YamlValue::as_str)
        .collect::<Option<Vec<_>>>()
    else {
        return true;
    };
    let in_identifier = |c: char| c.is_alphanumeric() || c == '_';
    let name = |value: &str| {
        let name = value
            .replace('\'', "")
            .replace(|c| !in_identifier(c), "-")
            .to_upper_camel_case();
        match name.chars().next() {
            Some(c) if c.is_alphabetic() => name,
            _ => format!("X{name}"),
        }
    };
    let distinct = |names: Vec<String>| {
        let count = names.len();
        names
            .into_iter()
            .collect::<std::collections::HashSet<_>>()
            .len()
            == count
    };
    distinct(values.iter().map(|v| name(v)).collect())
        || distinct(
            values
                .iter()
                .map(|v| name(&v.replace(|c| c == '_' || !in_identifier(c), "X")))
                .collect(),
        )
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

    /// Adapts `openapi` where it is, for the tests that read it after, and
    /// returns its operations' facts.
    fn adapted_in_place(openapi: &mut OpenAPI) -> Result<Vec<OperationFacts>> {
        let adapted = for_progenitor(std::mem::take(openapi))?;
        *openapi = adapted.openapi;
        Ok(adapted.operations)
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
        let facts = adapted_in_place(&mut openapi).unwrap();
        assert_eq!(
            facts,
            [OperationFacts {
                operation_id: "listThings".into(),
                accept: Some("application/vnd.atlas.2023-01-01+json".into()),
                content_type: None,
                deprecation: Some("Use the other one.".into()),
                bounds: Vec::new(),
                paging: None,
                bodiless_success: Vec::new(),
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
        adapted_in_place(&mut openapi).unwrap();
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
        let facts = adapted_in_place(&mut openapi).unwrap();
        assert_eq!(facts[0].accept, None);
    }

    const WRITES: &str = r#"
openapi: 3.0.3
info: { title: t, version: "1" }
paths:
  /things:
    post:
      operationId: createThing
      deprecated: true
      x-sunset: "2026-01-22"
      x-deprecation: Use makeThing.
      requestBody: { $ref: '#/components/requestBodies/thing' }
      responses:
        '201':
          description: Created
          content:
            application/vnd.atlas.2024-11-13+json: { schema: { type: string } }
    put:
      operationId: putThing
      requestBody:
        content:
          application/vnd.atlas.2025-01-01+json: { schema: { type: string } }
      responses:
        '204': { description: No Content }
components:
  requestBodies:
    thing:
      content:
        application/vnd.atlas.2024-11-13+json: { schema: { type: string } }
"#;

    #[test]
    fn versioned_request_bodies_become_plain_json_and_the_content_type() {
        let mut openapi = spec(WRITES);
        let facts = adapted_in_place(&mut openapi).unwrap();
        let content_types: Vec<_> = facts.iter().map(|f| f.content_type.as_deref()).collect();
        assert_eq!(
            content_types,
            [
                Some("application/vnd.atlas.2025-01-01+json"),
                Some("application/vnd.atlas.2024-11-13+json"),
            ]
        );
        let shared = openapi.components.unwrap().request_bodies["thing"].clone();
        let ReferenceOr::Item(shared) = shared else {
            panic!("the shared request body is no longer inline");
        };
        assert_eq!(shared.content.keys().collect::<Vec<_>>(), [PLAIN_JSON]);
    }

    #[test]
    fn a_sunset_date_leads_the_deprecation_note() {
        let facts = adapted_in_place(&mut spec(WRITES)).unwrap();
        let create = facts.iter().find(|f| f.operation_id == "createThing");
        assert_eq!(
            create.and_then(|f| f.deprecation.as_deref()),
            Some("Sunset 2026-01-22. Use makeThing.")
        );
    }

    #[test]
    fn success_answers_with_different_bodies_are_refused() {
        let two_bodies = WRITES.replace(
            "        '204': { description: No Content }",
            "        '200':\n          description: OK\n          content:\n            application/json: { schema: { type: integer } }\n        '201':\n          description: Created\n          content:\n            application/json: { schema: { type: string } }",
        );
        let error = adapted_in_place(&mut spec(&two_bodies)).unwrap_err();
        assert_eq!(
            error.to_string(),
            "PUT /things: success answers 200 and 201 have different bodies; the client decodes one success type per operation"
        );
    }

    /// Atlas's `POST /groups/{groupId}/access`: 200 with a body, 204
    /// with the versioned media type and no schema; and an error answer
    /// without a body beside one with.
    const BODY_OR_NOTHING: &str = r#"
openapi: 3.0.3
info: { title: t, version: "1" }
paths:
  /access:
    post:
      operationId: addUser
      responses:
        '200':
          description: OK
          content:
            application/vnd.atlas.2023-02-01+json: { schema: { type: string } }
        '204': { $ref: '#/components/responses/noContent' }
        '401':
          description: Unauthorized
        '404':
          description: Not Found
          content:
            application/json: { schema: { type: integer } }
components:
  responses:
    noContent:
      description: No Content
      content:
        application/vnd.atlas.2023-02-01+json: { x-xgen-version: 2023-02-01 }
"#;

    /// [`BODY_OR_NOTHING`] with a body on its 401 unlike its 404's.
    fn two_error_bodies() -> String {
        BODY_OR_NOTHING.replace(
            "        '401':\n          description: Unauthorized\n",
            "        '401':\n          description: Unauthorized\n          content:\n            application/json: { schema: { type: string } }\n",
        )
    }

    #[test]
    fn a_body_or_nothing_leaves_progenitor_the_body_and_names_the_statuses_without() {
        let mut openapi = spec(BODY_OR_NOTHING);
        let facts = adapted_in_place(&mut openapi).unwrap();
        assert_eq!(facts[0].bodiless_success, [204]);
        assert_eq!(
            facts[0].accept.as_deref(),
            Some("application/vnd.atlas.2023-02-01+json")
        );
        let (_, _, operation) = openapi.operations().next().unwrap();
        let statuses: Vec<String> = operation
            .responses
            .responses
            .keys()
            .map(ToString::to_string)
            .collect();
        // The error answer without a body is left out beside the other.
        assert_eq!(statuses, ["200", "404"]);
        let shared = &openapi.components.unwrap().responses["noContent"];
        assert!(shared.as_item().unwrap().content.is_empty());
    }

    #[test]
    fn error_answers_with_different_bodies_are_refused() {
        let error = adapted_in_place(&mut spec(&two_error_bodies())).unwrap_err();
        assert_eq!(
            error.to_string(),
            "POST /access: error answers 401 and 404 have different bodies; the client decodes one error type per operation"
        );
    }

    #[test]
    fn a_lenient_adaptation_leaves_out_what_it_refuses_and_says_why() {
        let text = two_error_bodies().replace(
            "paths:\n",
            "paths:\n  /ok:\n    get:\n      operationId: getOk\n      responses: { '204': { description: None } }\n",
        );
        let openapi = spec(&text);
        let (adapted, refused) = for_progenitor_without_refused(openapi).unwrap();
        let (openapi, facts) = (adapted.openapi, adapted.operations);
        assert_eq!(facts.len(), 1);
        assert_eq!(facts[0].operation_id, "getOk");
        assert_eq!(
            refused,
            [Refused {
                operation: "POST /access".into(),
                operation_id: "addUser".into(),
                reason: "error answers 401 and 404 have different bodies; the client decodes one error type per operation".into(),
            }]
        );
        let item = openapi.paths.paths["/access"].as_item().unwrap();
        assert!(item.post.is_none());
    }

    /// Atlas's polymorphic schemas: a base that lists its subtypes, each
    /// of which extends the base; and an enum of operators.
    const SUBTYPES: &str = r#"
openapi: 3.0.3
info: { title: t, version: "1" }
paths: {}
components:
  schemas:
    Base:
      type: object
      discriminator: { propertyName: kind }
      oneOf: [{ $ref: '#/components/schemas/Sub' }]
      properties:
        kind: { type: string }
        operator: { type: string, enum: ['<', '>'] }
    Sub:
      type: object
      allOf:
        - $ref: '#/components/schemas/Base'
        - type: object
          properties:
            size: { type: integer }
"#;

    /// The schema `name` of [`SUBTYPES`] adapted, as JSON.
    fn adapted_subtypes(name: &str) -> serde_json::Value {
        let mut openapi = spec(SUBTYPES);
        adapted_in_place(&mut openapi).unwrap();
        serde_json::to_value(&openapi.components.unwrap().schemas[name]).unwrap()
    }

    #[test]
    fn a_subtype_extends_its_base_without_the_list_of_subtypes() {
        let sub = adapted_subtypes("Sub");
        assert_eq!(
            sub["allOf"][0],
            serde_json::json!({"type": "object", "properties": {
                "kind": {"type": "string"}, "operator": {"type": "string"}}})
        );
        assert_eq!(sub["allOf"][1]["properties"]["size"]["type"], "integer");
        // The base still lists the subtype.
        let base = adapted_subtypes("Base");
        assert_eq!(base["oneOf"][0]["$ref"], "#/components/schemas/Sub");
    }

    #[test]
    fn enums_typify_cannot_name_become_strings() {
        let base = adapted_subtypes("Base");
        assert_eq!(
            base["properties"]["operator"],
            serde_json::json!({"type": "string"})
        );
        let names = |values: &[&str]| {
            let values: Vec<YamlValue> = values.iter().map(|v| YamlValue::from(*v)).collect();
            typify_names_variants(&values)
        };
        assert!(names(&["AWS", "azure", "m10_nvme", "a b"]));
        assert!(names(&["a_b", "aB"]), "told apart on the second try");
        assert!(!names(&["<", ">"]));
        assert!(!names(&["a", "A"]));
    }

    #[test]
    fn an_answer_that_names_a_version_without_a_body_gives_accept_and_no_content() {
        let no_content = WRITES.replace(
            "        '204': { description: No Content }",
            "        '204':\n          description: No Content\n          content:\n            application/vnd.atlas.2023-01-01+json: {}",
        );
        let mut openapi = spec(&no_content);
        let facts = adapted_in_place(&mut openapi).unwrap();
        let put = facts.iter().find(|f| f.operation_id == "putThing").unwrap();
        assert_eq!(
            put.accept.as_deref(),
            Some("application/vnd.atlas.2023-01-01+json")
        );
        let (_, _, operation) = openapi
            .operations()
            .find(|(_, method, _)| *method == "put")
            .unwrap();
        let ReferenceOr::Item(answer) =
            &operation.responses.responses[&openapiv3::StatusCode::Code(204)]
        else {
            panic!("the answer is no longer inline");
        };
        assert!(answer.content.is_empty());
    }

    const PAGED: &str = r#"
openapi: 3.0.3
info: { title: t, version: "1" }
paths:
  /things:
    get:
      operationId: listThings
      parameters:
        - $ref: '#/components/parameters/itemsPerPage'
        - name: pageNum
          in: query
          schema: { type: integer, minimum: 1, default: 1 }
        - name: offset
          in: query
          schema: { type: integer, exclusiveMinimum: true, minimum: 0, exclusiveMaximum: true, maximum: 10 }
      responses:
        '200':
          description: OK
          content:
            application/json:
              schema: { $ref: '#/components/schemas/Page' }
components:
  parameters:
    itemsPerPage:
      name: itemsPerPage
      in: query
      schema: { type: integer, minimum: 1, maximum: 500, default: 100 }
  schemas:
    Page:
      type: object
      properties:
        results: { type: array, items: { type: string } }
"#;

    #[test]
    fn integer_bounds_are_kept_with_exclusive_ones_made_inclusive() {
        let facts = adapted_in_place(&mut spec(PAGED)).unwrap();
        let bounds = |name: &str, minimum, maximum| ParameterBounds {
            name: name.into(),
            minimum,
            maximum,
        };
        assert_eq!(
            facts[0].bounds,
            [
                bounds("itemsPerPage", Some(1), Some(500)),
                bounds("pageNum", Some(1), None),
                bounds("offset", Some(1), Some(9)),
            ]
        );
    }

    #[test]
    fn paging_parameters_and_a_results_array_make_a_paged_operation() {
        let facts = adapted_in_place(&mut spec(PAGED)).unwrap();
        assert_eq!(
            facts[0].paging,
            Some(Paging {
                default_page_size: 100
            })
        );
        let unpaged = PAGED.replace("name: pageNum", "name: page");
        assert_eq!(
            adapted_in_place(&mut spec(&unpaged)).unwrap()[0].paging,
            None
        );
    }

    #[test]
    fn a_paged_operation_needs_a_default_page_size() {
        let no_default = PAGED.replace("maximum: 500, default: 100", "maximum: 500");
        let error = adapted_in_place(&mut spec(&no_default)).unwrap_err();
        assert!(
            error
                .to_string()
                .contains("GET /things: itemsPerPage needs an integer `default`"),
            "{error}"
        );
    }
}
