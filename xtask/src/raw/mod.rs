//! The spec as written, a plain JSON value: reading it with a located
//! error, walking its operations, naming them and pointing into it. `spec`, `diff` and `lint` all read
//! the document through here.

pub mod resolve;

use std::collections::BTreeMap;
use std::fmt;
use std::path::{Path, PathBuf};

use serde_json::Value;

/// The HTTP methods an OpenAPI path item may hold, in the order OpenAPI
/// lists them.
pub const METHODS: [&str; 8] = [
    "get", "put", "post", "delete", "options", "head", "patch", "trace",
];

/// An error located in a spec file.
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

/// The YAML (or JSON) `text` as a value; `path` names it in the error,
/// which carries the line where YAML can tell it.
pub fn read(text: &str, path: &Path) -> Result<Value, SpecError> {
    serde_yaml::from_str(text).map_err(|e| SpecError {
        path: path.to_path_buf(),
        line: e.location().map(|l| l.line()),
        message: format!("not valid YAML, so not a valid OpenAPI document: {e}"),
    })
}

/// One operation of a document as written.
#[derive(Clone, Copy, Debug)]
pub struct RawOperation<'a> {
    pub path: &'a str,
    /// Lower case, as the path item's key.
    pub method: &'static str,
    /// The path item holding the operation.
    pub item: &'a Value,
    pub operation: &'a Value,
}

impl RawOperation<'_> {
    /// `GET /path`.
    pub fn label(&self) -> String {
        label(self.method, self.path)
    }

    /// The JSON pointer of the operation in the document.
    pub fn pointer(&self) -> String {
        format!("/paths/{}/{}", escape(self.path), self.method)
    }

    /// The operationId, empty when there is none.
    pub fn operation_id(&self) -> &str {
        self.operation
            .get("operationId")
            .and_then(Value::as_str)
            .unwrap_or_default()
    }
}

/// Every operation of `document`, by path in document order, then by method
/// in the order of [`METHODS`].
pub fn operations(document: &Value) -> impl Iterator<Item = RawOperation<'_>> {
    document
        .get("paths")
        .and_then(Value::as_object)
        .into_iter()
        .flatten()
        .flat_map(|(path, item)| {
            METHODS.iter().filter_map(move |method| {
                Some(RawOperation {
                    path,
                    method,
                    item,
                    operation: item.get(*method)?,
                })
            })
        })
}

/// How errors and reports name an operation: `GET /path`.
pub fn label(method: &str, path: &str) -> String {
    format!("{} {path}", method.to_uppercase())
}

/// `GET /path` for a JSON pointer at or inside an operation.
pub fn operation_at(pointer: &str) -> Option<String> {
    let mut parts = pointer.strip_prefix("/paths/")?.splitn(3, '/');
    let path = unescape(parts.next()?);
    let method = parts.next().filter(|m| METHODS.contains(m))?;
    Some(label(method, &path))
}

/// A key as one segment of a JSON pointer.
pub fn escape(segment: &str) -> String {
    segment.replace('~', "~0").replace('/', "~1")
}

/// A segment of a JSON pointer as the key it stands for.
pub fn unescape(segment: &str) -> String {
    segment.replace("~1", "/").replace("~0", "~")
}

/// The members of the mapping under `key`, sorted by name.
pub fn members<'a>(value: &'a Value, key: &str) -> BTreeMap<&'a String, &'a Value> {
    value
        .get(key)
        .and_then(Value::as_object)
        .into_iter()
        .flatten()
        .collect()
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pointers_escape_and_name_operations() {
        assert_eq!(escape("/a~b"), "~1a~0b");
        assert_eq!(unescape("~1a~0b"), "/a~b");
        assert_eq!(
            operation_at("/paths/~1things~1{id}/get/responses"),
            Some("GET /things/{id}".to_string())
        );
        assert_eq!(operation_at("/components/schemas/A"), None);
    }

    #[test]
    fn operations_come_with_their_places() {
        let document = serde_json::json!({"paths": {"/a/{id}": {
            "parameters": [], "post": {"operationId": "makeA"}, "get": {"operationId": "getA"}
        }}});
        let found: Vec<_> = operations(&document)
            .map(|op| (op.label(), op.pointer(), op.operation_id().to_string()))
            .collect();
        assert_eq!(
            found,
            [
                (
                    "GET /a/{id}".into(),
                    "/paths/~1a~1{id}/get".into(),
                    "getA".into()
                ),
                (
                    "POST /a/{id}".into(),
                    "/paths/~1a~1{id}/post".into(),
                    "makeA".into()
                ),
            ]
        );
    }

    #[test]
    fn a_yaml_error_names_file_and_line() {
        let error = read("a: [\n", Path::new("x.yaml")).unwrap_err().to_string();
        assert!(error.starts_with("x.yaml:2: not valid YAML"), "{error}");
    }
}
