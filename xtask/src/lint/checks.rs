//! The checks of `cargo xtask lint` that need no validator: what every
//! operation must carry, path parameters, patterns and Rust type names.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use serde_json::Value;

use super::validator::ExampleCheck;
use super::walk::{self, SchemaAt};
use super::{LintFinding, rules};
use crate::raw;

/// An operationId, a summary and an `x-source` naming a document in one of
/// the `sources` folders on every operation; the folders are named from
/// the workspace `root`.
pub fn operations(root: &Path, document: &Value, sources: &[PathBuf], out: &mut Vec<LintFinding>) {
    for found in raw::operations(document) {
        let (operation, pointer, place) = (found.operation, found.pointer(), found.label());
        let text = |key: &str| {
            operation
                .get(key)
                .and_then(Value::as_str)
                .filter(|s| !s.trim().is_empty())
        };
        if text("operationId").is_none() {
            out.push(LintFinding::new(
                rules::MISSING_OPERATION_ID,
                &pointer,
                format!("{place} has no operationId, which names its Rust method"),
            ));
        }
        if text("summary").is_none() {
            out.push(LintFinding::new(
                rules::MISSING_SUMMARY,
                &pointer,
                format!("{place} has no summary"),
            ));
        }
        match text("x-source") {
            None => out.push(LintFinding::new(
                rules::MISSING_X_SOURCE,
                &pointer,
                format!("{place} has no x-source naming the Atlas document it transcribes"),
            )),
            Some(name) if !is_source(sources, name) => out.push(LintFinding::new(
                rules::UNKNOWN_X_SOURCE,
                &format!("{pointer}/x-source"),
                format!(
                    "{place}: x-source {name} is not a file in {}",
                    sources
                        .iter()
                        .map(|dir| crate::shown_path(root, dir))
                        .collect::<Vec<_>>()
                        .join(" or ")
                ),
            )),
            Some(_) => {}
        }
    }
}

/// A plain file name of a file in one of the `sources` folders.
fn is_source(sources: &[PathBuf], name: &str) -> bool {
    let plain = !name.contains(['/', '\\']) && name != "..";
    plain && sources.iter().any(|dir| dir.join(name).is_file())
}

/// Every path parameter is required, as OpenAPI demands and as the
/// generated builder assumes.
pub fn path_parameters(document: &Value, out: &mut Vec<LintFinding>) {
    for (pointer, place, parameter) in walk::parameters(document) {
        let in_path = parameter.get("in").and_then(Value::as_str) == Some("path");
        if in_path && parameter.get("required") != Some(&Value::Bool(true)) {
            let name = parameter.get("name").and_then(Value::as_str).unwrap_or("?");
            let place = place.map(|p| format!("{p}: ")).unwrap_or_default();
            out.push(LintFinding::new(
                rules::OPTIONAL_PATH_PARAMETER,
                &format!("{pointer}/required"),
                format!("{place}path parameter `{name}` is not marked `required: true`"),
            ));
        }
    }
}

/// Every pattern compiles with regress as the generated client compiles it
/// (a bad pattern would panic there).
pub fn patterns(schemas: &[SchemaAt<'_>], out: &mut Vec<LintFinding>) {
    for at in schemas {
        let Some(pattern) = at.schema.get("pattern") else {
            continue;
        };
        let error = match pattern.as_str() {
            Some(text) => crate::patterns::compile(text).err().map(|e| e.to_string()),
            None => Some("it is not a string".to_string()),
        };
        if let Some(error) = error {
            out.push(LintFinding::new(
                rules::PATTERN_DOES_NOT_COMPILE,
                &format!("{}/pattern", at.pointer),
                format!("pattern {pattern} does not compile: {error}"),
            ));
        }
    }
}

/// No inline schema that becomes a Rust type of its own is the same as
/// another one, or as a component schema: typify names each inline schema
/// after where it sits, so two copies are two Rust types for one thing.
pub fn duplicate_types(schemas: &[SchemaAt<'_>], out: &mut Vec<LintFinding>) {
    let mut by_shape: BTreeMap<String, Vec<&SchemaAt<'_>>> = BTreeMap::new();
    for at in schemas.iter().filter(|at| makes_rust_type(at.schema)) {
        by_shape.entry(shape(at.schema)).or_default().push(at);
    }
    for group in by_shape.values() {
        // The one to keep: a component schema if there is one, else the
        // first inline schema.
        let Some(kept) = group.iter().find(|at| !at.inline).or(group.first()) else {
            continue;
        };
        for at in group
            .iter()
            .filter(|at| at.inline && at.pointer != kept.pointer)
        {
            let advice = if kept.inline {
                "move it to components/schemas and $ref it from both places"
            } else {
                "$ref that component schema instead"
            };
            out.push(LintFinding::new(
                rules::DUPLICATE_INLINE_TYPE,
                &at.pointer,
                format!(
                    "this inline schema is the same as #{} and would be a second Rust type; {advice}",
                    kept.pointer
                ),
            ));
        }
    }
}

/// Whether typify turns the schema into a named type rather than a
/// built-in one: enums, constrained strings, objects and combinations.
fn makes_rust_type(schema: &Value) -> bool {
    let keys = [
        "enum",
        "pattern",
        "minLength",
        "maxLength",
        "properties",
        "allOf",
        "anyOf",
        "oneOf",
    ];
    keys.iter().any(|key| schema.get(key).is_some())
}

/// The schema as canonical JSON without what does not change its Rust
/// type: documentation, examples and extensions.
fn shape(schema: &Value) -> String {
    match schema {
        Value::Object(map) => {
            let mut members: Vec<_> = map
                .iter()
                .filter(|(key, _)| {
                    !key.starts_with("x-")
                        && !matches!(
                            key.as_str(),
                            "description" | "title" | "example" | "examples" | "externalDocs"
                        )
                })
                .map(|(key, value)| format!("{key:?}:{}", shape(value)))
                .collect();
            members.sort();
            format!("{{{}}}", members.join(","))
        }
        Value::Array(items) => {
            let items: Vec<_> = items.iter().map(shape).collect();
            format!("[{}]", items.join(","))
        }
        other => other.to_string(),
    }
}

/// Whether a string example matches its schema's `pattern` as the client
/// compiles it: the Python validator leaves out the patterns Python's `re`
/// cannot read (`\p{L}`). `None` when it matches, or has no pattern.
pub fn example_pattern(check: &ExampleCheck) -> Option<String> {
    let text = check.instance.as_str()?;
    let pattern = check.schema.get("pattern")?.as_str()?;
    let regex = crate::patterns::compile(pattern).ok()?;
    let matched = regex.find(text).is_some();
    (!matched).then(|| format!("{text:?} does not match {pattern:?}"))
}
