//! Reading the spec and the checks that must pass before progenitor sees it.
//!
//! progenitor reports a missing operationId or a dangling `$ref` without a
//! line, or panics; these checks name the file, the line and the operation.

use std::fmt;
use std::path::{Path, PathBuf};

use anyhow::{Context, Result, bail};
use openapiv3::OpenAPI;
use serde_json::Value;

use crate::operations::METHODS;

/// An error located in the spec file.
#[derive(Debug)]
pub struct SpecError {
    pub path: PathBuf,
    pub line: Option<usize>,
    pub message: String,
}

impl fmt::Display for SpecError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.line {
            Some(line) => write!(f, "{}:{}: {}", self.path.display(), line, self.message),
            None => write!(f, "{}: {}", self.path.display(), self.message),
        }
    }
}

impl std::error::Error for SpecError {}

/// Reads the spec at `path` and checks that every operation has an
/// operationId and every `$ref` resolves.
pub fn load(path: &Path) -> Result<OpenAPI> {
    let text = std::fs::read_to_string(path)
        .with_context(|| format!("cannot read the spec {}", path.display()))?;
    parse(&text, path)
}

/// [`load`] for spec text already in memory, such as a spec taken from a git
/// revision; `path` names it in errors.
pub fn parse(text: &str, path: &Path) -> Result<OpenAPI> {
    let error = |line: Option<usize>, message: String| SpecError {
        path: path.to_path_buf(),
        line,
        message,
    };
    let yaml_error = |e: serde_yaml::Error| {
        let line = e.location().map(|l| l.line());
        error(line, format!("not a valid OpenAPI document: {e}"))
    };

    let raw: Value = serde_yaml::from_str(text).map_err(yaml_error)?;
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
    if let Some((line, message)) = check_operation_ids(text, &raw) {
        bail!(error(line, message));
    }
    if let Some((line, message)) = check_refs(text, &raw) {
        bail!(error(line, message));
    }
    Ok(serde_yaml::from_str(text).map_err(yaml_error)?)
}

/// Every operation of the raw document as `(path, method, operation)`.
fn operations(raw: &Value) -> impl Iterator<Item = (&str, &str, &Value)> {
    raw.get("paths")
        .and_then(Value::as_object)
        .into_iter()
        .flatten()
        .flat_map(|(path, item)| {
            METHODS
                .iter()
                .filter_map(move |method| Some((path.as_str(), *method, item.get(*method)?)))
        })
}

fn check_operation_ids(text: &str, raw: &Value) -> Option<(Option<usize>, String)> {
    let (path, method, _) = operations(raw).find(|(_, _, op)| {
        op.get("operationId")
            .and_then(Value::as_str)
            .is_none_or(|id| id.trim().is_empty())
    })?;
    Some((
        line_of_key(text, path),
        format!(
            "{} {path} has no operationId; it names the Rust method, so every operation needs one",
            method.to_uppercase()
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
        let place = operation_at(&pointer).unwrap_or_else(|| format!("#{pointer}"));
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
fn collect_refs(value: &Value, pointer: String, out: &mut Vec<(String, String)>) {
    match value {
        Value::Object(map) => {
            if let Some(Value::String(target)) = map.get("$ref") {
                out.push((pointer.clone(), target.clone()));
            }
            for (key, child) in map {
                let escaped = key.replace('~', "~0").replace('/', "~1");
                collect_refs(child, format!("{pointer}/{escaped}"), out);
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

/// `GET /path` for a JSON pointer inside an operation.
fn operation_at(pointer: &str) -> Option<String> {
    let mut parts = pointer.strip_prefix("/paths/")?.splitn(3, '/');
    let path = parts.next()?.replace("~1", "/").replace("~0", "~");
    let method = parts.next().filter(|m| METHODS.contains(m))?;
    Some(format!("{} {path}", method.to_uppercase()))
}

/// The 1-based line on which `key:` is written, for errors about a mapping key.
pub fn line_of_key(text: &str, key: &str) -> Option<usize> {
    let plain = format!("{key}:");
    let quoted = format!("'{key}':");
    let double = format!("\"{key}\":");
    text.lines()
        .position(|l| {
            let l = l.trim_start();
            l.starts_with(&plain) || l.starts_with(&quoted) || l.starts_with(&double)
        })
        .map(|i| i + 1)
}
