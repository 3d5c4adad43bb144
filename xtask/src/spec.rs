//! Reading the spec and the checks that must pass before progenitor sees it.
//!
//! progenitor reports a missing operationId or a dangling `$ref` without a
//! line, or panics; these checks name the file, the line and the operation.

use std::path::Path;

use anyhow::{Context, Result, bail};
use openapiv3::OpenAPI;
use serde_json::Value;

use crate::raw::{self, SpecError, line_of_key};

/// The spec as written, for what openapiv3 does not type (extensions such
/// as `x-waiters`), and as openapiv3 types it.
#[derive(Debug)]
pub struct Spec {
    pub document: Value,
    pub openapi: OpenAPI,
}

/// Reads the spec at `path` and checks that every operation has an
/// operationId and every `$ref` resolves.
pub fn load(path: &Path) -> Result<Spec> {
    parse(&read_text(path)?, path)
}

/// The text of the spec file at `path`, which `regen`, `diff` and `lint`
/// all read through here.
pub fn read_text(path: &Path) -> Result<String> {
    std::fs::read_to_string(path)
        .with_context(|| format!("cannot read the spec {}", path.display()))
}

/// [`load`] for spec text already in memory, such as a spec taken from a git
/// revision; `path` names it in errors.
pub fn parse(text: &str, path: &Path) -> Result<Spec> {
    let document = raw::read(text, path)?;
    check_for_generator(text, &document, path)?;
    Ok(Spec {
        openapi: typed(text, path)?,
        document,
    })
}

/// What the generator needs beyond valid OpenAPI, checked on the document
/// `raw` read from `text`: version 3.0, an operationId on every operation,
/// every `$ref` resolving.
pub fn check_for_generator(text: &str, raw: &Value, path: &Path) -> Result<()> {
    let error = |line: Option<usize>, message: String| SpecError {
        path: path.to_path_buf(),
        line,
        message,
    };
    let version = raw
        .get("openapi")
        .and_then(Value::as_str)
        .unwrap_or_default();
    if !version.starts_with("3.0.") {
        bail!(error(
            line_of_key(text, "openapi"),
            format!(
                "OpenAPI version {version:?} is not supported: the generator reads OpenAPI 3.0.x"
            )
        ));
    }
    if let Some((line, message)) = check_operation_ids(text, raw) {
        bail!(error(line, message));
    }
    if let Some((line, message)) = check_refs(text, raw) {
        bail!(error(line, message));
    }
    Ok(())
}

/// The document as openapiv3 types it, read from the text rather than
/// from the value: serde_json's maps are sorted, and the generated code
/// follows the document's order.
pub fn typed(text: &str, path: &Path) -> Result<OpenAPI> {
    serde_yaml::from_str(text).map_err(|e| {
        anyhow::Error::new(SpecError {
            path: path.to_path_buf(),
            line: e.location().map(|l| l.line()),
            message: format!("not a valid OpenAPI document: {e}"),
        })
    })
}

fn check_operation_ids(text: &str, raw: &Value) -> Option<(Option<usize>, String)> {
    let operation = raw::operations(raw).find(|op| op.operation_id().trim().is_empty())?;
    Some((
        line_of_key(text, operation.path),
        format!(
            "{} has no operationId; it names the Rust method, so every operation needs one",
            operation.label()
        ),
    ))
}

fn check_refs(text: &str, raw: &Value) -> Option<(Option<usize>, String)> {
    let mut refs = Vec::new();
    collect_refs(raw, String::new(), &mut refs);
    refs.into_iter().find_map(|(pointer, target)| {
        let resolves = target
            .strip_prefix('#')
            .is_some_and(|fragment| raw.pointer(fragment).is_some());
        if resolves {
            return None;
        }
        let place = raw::operation_at(&pointer).unwrap_or_else(|| format!("#{pointer}"));
        let line = text
            .lines()
            .position(|l| l.contains("$ref") && l.contains(target.as_str()))
            .map(|i| i + 1);
        Some((
            line,
            format!("{place}: $ref '{target}' does not resolve to anything in this document"),
        ))
    })
}

/// Collects `(JSON pointer of the $ref, its target)` in document order.
pub(crate) fn collect_refs(value: &Value, pointer: String, out: &mut Vec<(String, String)>) {
    match value {
        Value::Object(map) => {
            if let Some(Value::String(target)) = map.get("$ref") {
                out.push((pointer.clone(), target.clone()));
            }
            for (key, child) in map {
                collect_refs(child, format!("{pointer}/{}", raw::escape(key)), out);
            }
        }
        Value::Array(items) => {
            for (i, child) in items.iter().enumerate() {
                collect_refs(child, format!("{pointer}/{i}"), out);
            }
        }
        _ => {}
    }
}
