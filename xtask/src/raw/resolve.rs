//! `$ref` resolution, so that a change is found where it takes effect: a
//! schema shared by five operations changes all five.

use serde_json::{Map, Value};

/// The document with every local `$ref` (`#/...`) replaced by a copy of its
/// target, resolved in turn. Keys beside a `$ref` are dropped, as OpenAPI
/// 3.0 ignores them. A `$ref` that would recurse into itself, or that does
/// not resolve, is kept as it is.
pub fn resolve_refs(document: &Value) -> Value {
    let mut stack = Vec::new();
    resolve(document, document, &mut stack)
}

fn resolve(document: &Value, value: &Value, stack: &mut Vec<String>) -> Value {
    match value {
        Value::Object(map) => {
            if let Some(Value::String(target)) = map.get("$ref")
                && let Some(resolved) = resolve_target(document, target, stack)
            {
                return resolved;
            }
            let map: Map<String, Value> = map
                .iter()
                .map(|(key, child)| (key.clone(), resolve(document, child, stack)))
                .collect();
            Value::Object(map)
        }
        Value::Array(items) => Value::Array(
            items
                .iter()
                .map(|child| resolve(document, child, stack))
                .collect(),
        ),
        other => other.clone(),
    }
}

fn resolve_target(document: &Value, target: &str, stack: &mut Vec<String>) -> Option<Value> {
    if stack.iter().any(|seen| seen == target) {
        return None;
    }
    let found = document.pointer(target.strip_prefix('#')?)?;
    stack.push(target.to_string());
    let resolved = resolve(document, found, stack);
    stack.pop();
    Some(resolved)
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::resolve_refs;

    #[test]
    fn replaces_references_transitively_and_keeps_cycles() {
        let document = json!({
            "a": {"$ref": "#/components/B", "description": "ignored"},
            "components": {
                "B": {"items": {"$ref": "#/components/C"}},
                "C": {"type": "string"},
                "Node": {"properties": {"next": {"$ref": "#/components/Node"}}},
            },
        });
        let resolved = resolve_refs(&document);
        assert_eq!(resolved["a"], json!({"items": {"type": "string"}}));
        assert_eq!(
            resolved["components"]["Node"]["properties"]["next"]["properties"]["next"],
            json!({"$ref": "#/components/Node"})
        );
    }
}
