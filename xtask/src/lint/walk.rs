//! Where schemas and examples sit in an OpenAPI 3.0 document, as JSON
//! pointers into the document as written (`$ref`s are not followed, so each
//! schema is visited once, where it is written).

use serde_json::Value;

use crate::raw::{self, METHODS, escape};

/// The extension that marks an example as wrong on the Atlas page it was
/// transcribed from, kept as the page has it; its value says what is wrong.
pub const KNOWN_PAGE_ERROR: &str = "x-known-page-error";

/// A schema written in the document.
pub struct SchemaAt<'a> {
    pub pointer: String,
    pub schema: &'a Value,
    /// Written in place rather than under `components/schemas`; typify
    /// names such a schema after where it sits.
    pub inline: bool,
}

/// An example written in the document, with the schema it must match.
pub struct ExampleAt<'a> {
    pub pointer: String,
    pub value: &'a Value,
    pub schema_pointer: String,
    /// Marked with [`KNOWN_PAGE_ERROR`].
    pub known_page_error: bool,
}

/// Every parameter object written in the document (not `$ref`s), with
/// its pointer and, inside an operation, its `METHOD /path`.
pub fn parameters(document: &Value) -> Vec<(String, Option<String>, &Value)> {
    let mut found = Vec::new();
    for (pointer, parameter) in children(document, "/components/parameters") {
        found.push((pointer, None, parameter));
    }
    for (path, _) in children(document, "/paths") {
        let path_name = raw::unescape(path.rsplit('/').next().unwrap_or_default());
        for (pointer, parameter) in children(document, &format!("{path}/parameters")) {
            found.push((pointer, Some(path_name.clone()), parameter));
        }
        for method in METHODS {
            let place = raw::label(method, &path_name);
            for (pointer, parameter) in children(document, &format!("{path}/{method}/parameters")) {
                found.push((pointer, Some(place.clone()), parameter));
            }
        }
    }
    found.retain(|(_, _, parameter)| parameter.get("$ref").is_none());
    found
}

/// Every media type object: the content of responses and request bodies.
fn media_types(document: &Value) -> Vec<(String, &Value)> {
    let pointers = |at: &str| {
        children(document, at)
            .into_iter()
            .map(|(pointer, _)| pointer)
    };
    let mut owners: Vec<String> = Vec::new();
    owners.extend(pointers("/components/responses"));
    owners.extend(pointers("/components/requestBodies"));
    for path in pointers("/paths") {
        for method in METHODS {
            owners.extend(pointers(&format!("{path}/{method}/responses")));
            owners.push(format!("{path}/{method}/requestBody"));
        }
    }
    owners
        .iter()
        .flat_map(|owner| children(document, &format!("{owner}/content")))
        .collect()
}

/// Every schema written in the document: component schemas, the schemas
/// of parameters and media types, and all schemas nested in those.
pub fn schemas(document: &Value) -> Vec<SchemaAt<'_>> {
    let mut found = Vec::new();
    for (pointer, schema) in children(document, "/components/schemas") {
        visit_schema(pointer, schema, false, &mut found);
    }
    let parameters = parameters(document).into_iter().map(|(p, _, v)| (p, v));
    for (pointer, owner) in parameters.chain(media_types(document)) {
        if let Some(schema) = owner.get("schema") {
            visit_schema(format!("{pointer}/schema"), schema, true, &mut found);
        }
    }
    found
}

/// The pointers of the discriminating property of each discriminated
/// schema, in the schema and in the schemas its mapping names (their
/// `allOf` members too): xtask makes that property the enum's variant
/// ([`crate::tagged_unions`]), never a Rust type of its own.
pub fn discriminating_properties(document: &Value) -> Vec<String> {
    let mut found = Vec::new();
    for (pointer, schema) in children(document, "/components/schemas") {
        let Some(discriminator) = schema.get("discriminator") else {
            continue;
        };
        let Some(property) = discriminator.get("propertyName").and_then(Value::as_str) else {
            continue;
        };
        let property = format!("/properties/{}", escape(property));
        found.push(format!("{pointer}{property}"));
        let targets = discriminator.get("mapping").and_then(Value::as_object);
        for target in targets.into_iter().flat_map(|m| m.values()) {
            let Some(target) = target.as_str().and_then(|t| t.strip_prefix('#')) else {
                continue;
            };
            found.push(format!("{target}{property}"));
            let members = document
                .pointer(&format!("{target}/allOf"))
                .and_then(Value::as_array);
            for index in 0..members.map_or(0, Vec::len) {
                found.push(format!("{target}/allOf/{index}{property}"));
            }
        }
    }
    found
}

fn visit_schema<'a>(pointer: String, schema: &'a Value, inline: bool, out: &mut Vec<SchemaAt<'a>>) {
    if !schema.is_object() || schema.get("$ref").is_some() {
        return;
    }
    for (child, value) in children(schema, "/properties") {
        visit_schema(format!("{pointer}{child}"), value, true, out);
    }
    for key in ["items", "additionalProperties", "not"] {
        if let Some(value) = schema.get(key) {
            visit_schema(format!("{pointer}/{key}"), value, true, out);
        }
    }
    for key in ["allOf", "anyOf", "oneOf"] {
        for (child, value) in children(schema, &format!("/{key}")) {
            visit_schema(format!("{pointer}{child}"), value, true, out);
        }
    }
    out.push(SchemaAt {
        pointer,
        schema,
        inline,
    });
}

/// Every example: a schema's `example`, and the `example` or `examples`
/// of a parameter or media type, each with the schema it must match.
pub fn examples(document: &Value) -> Vec<ExampleAt<'_>> {
    let marked = |v: &Value| v.get(KNOWN_PAGE_ERROR).is_some();
    let mut found = Vec::new();
    for at in schemas(document) {
        if let Some(value) = at.schema.get("example") {
            found.push(ExampleAt {
                pointer: format!("{}/example", at.pointer),
                value,
                schema_pointer: at.pointer.clone(),
                known_page_error: marked(at.schema),
            });
        }
    }
    let parameters = parameters(document).into_iter().map(|(p, _, v)| (p, v));
    for (pointer, owner) in parameters.chain(media_types(document)) {
        if owner.get("schema").is_none() {
            continue;
        }
        let schema_pointer = format!("{pointer}/schema");
        if let Some(value) = owner.get("example") {
            found.push(ExampleAt {
                pointer: format!("{pointer}/example"),
                value,
                schema_pointer: schema_pointer.clone(),
                known_page_error: marked(owner),
            });
        }
        for (example_pointer, example) in children(owner, "/examples") {
            let example = match example.get("$ref").and_then(Value::as_str) {
                Some(target) => match target.strip_prefix('#') {
                    Some(target) => document.pointer(target).unwrap_or(example),
                    None => continue,
                },
                None => example,
            };
            if let Some(value) = example.get("value") {
                found.push(ExampleAt {
                    pointer: format!("{pointer}{example_pointer}/value"),
                    value,
                    schema_pointer: schema_pointer.clone(),
                    known_page_error: marked(owner) || marked(example),
                });
            }
        }
    }
    found
}

/// The members of the mapping at `pointer`, or the elements of the list
/// there, each with its own pointer.
fn children<'a>(value: &'a Value, pointer: &str) -> Vec<(String, &'a Value)> {
    match value.pointer(pointer) {
        Some(Value::Object(members)) => members
            .iter()
            .map(|(key, child)| (format!("{pointer}/{}", escape(key)), child))
            .collect(),
        Some(Value::Array(elements)) => elements
            .iter()
            .enumerate()
            .map(|(i, child)| (format!("{pointer}/{i}"), child))
            .collect(),
        _ => Vec::new(),
    }
}
