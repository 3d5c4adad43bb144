//! `$ref` resolution, so that a change is found where it takes effect: a
//! schema shared by five operations changes all five.

use serde_json::{Map, Value};

/// The document with every local `$ref` (`#/...`) replaced by a copy of its
/// target, resolved in turn. Keys beside a `$ref` are dropped, as OpenAPI
/// 3.0 ignores them. A `$ref` that would recurse into itself, or that does
/// not resolve, is kept as it is.
pub fn resolve_refs(document: &Value) -> Value {
    Resolver {
        document,
        keep_names: false,
        stack: Vec::new(),
    }
    .resolve(document)
}

/// [`resolve_refs`], with each object that replaced a `$ref` keeping that
/// `$ref` beside its content, so that a schema can still be told by the
/// name it was given: the diff pairs `oneOf` branches so.
pub fn resolve_refs_keeping_names(document: &Value) -> Value {
    Resolver {
        document,
        keep_names: true,
        stack: Vec::new(),
    }
    .resolve(document)
}

struct Resolver<'d> {
    document: &'d Value,
    keep_names: bool,
    /// The targets being resolved, to keep a cycle as its `$ref`.
    stack: Vec<String>,
}

impl Resolver<'_> {
    fn resolve(&mut self, value: &Value) -> Value {
        match value {
            Value::Object(map) => {
                if let Some(Value::String(target)) = map.get("$ref")
                    && let Some(resolved) = self.resolve_target(target)
                {
                    return resolved;
                }
                let map: Map<String, Value> = map
                    .iter()
                    .map(|(key, child)| (key.clone(), self.resolve(child)))
                    .collect();
                Value::Object(map)
            }
            Value::Array(items) => {
                Value::Array(items.iter().map(|child| self.resolve(child)).collect())
            }
            other => other.clone(),
        }
    }

    fn resolve_target(&mut self, target: &str) -> Option<Value> {
        if self.stack.iter().any(|seen| seen == target) {
            return None;
        }
        let found = self.document.pointer(target.strip_prefix('#')?)?;
        self.stack.push(target.to_string());
        let mut resolved = self.resolve(found);
        self.stack.pop();
        if self.keep_names
            && let Value::Object(map) = &mut resolved
        {
            map.insert("$ref".to_string(), Value::String(target.to_string()));
        }
        Some(resolved)
    }
}

/// `value`, or what its local `$ref` names, followed to the end of a
/// chain; a chain that loops, or a `$ref` that leads nowhere, stops where
/// it is.
pub fn follow<'a>(document: &'a Value, mut value: &'a Value) -> &'a Value {
    let mut followed = Vec::new();
    while let Some(Value::String(target)) = value.get("$ref") {
        let Some(found) = target
            .strip_prefix('#')
            .and_then(|pointer| document.pointer(pointer))
        else {
            break;
        };
        if followed.contains(&target) {
            break;
        }
        followed.push(target);
        value = found;
    }
    value
}

/// Where a place of the resolved document was written: the last local
/// `$ref` followed on the way to `pointer` in `document` as written, and
/// the rest of the pointer from its target, such as
/// (`#/components/schemas/ApiError`, `/properties/detail`). `None` when no
/// `$ref` is on the way or the pointer leaves the document.
pub fn origin(document: &Value, pointer: &str) -> Option<(String, String)> {
    let segments: Vec<&str> = pointer.split('/').skip(1).collect();
    let mut current = document;
    let mut found = None;
    for at in 0..=segments.len() {
        // A chain of `$ref`s ends at its last target; one that loops ends too.
        let mut followed = Vec::new();
        while let Some(Value::String(target)) = current.get("$ref") {
            if followed.contains(&target) {
                break;
            }
            current = document.pointer(target.strip_prefix('#')?)?;
            followed.push(target);
            found = Some((target.clone(), at));
        }
        let Some(segment) = segments.get(at) else {
            break;
        };
        current = match current {
            Value::Object(map) => map.get(&super::unescape(segment))?,
            Value::Array(items) => items.get(segment.parse::<usize>().ok()?)?,
            _ => return None,
        };
    }
    let (target, at) = found?;
    let rest: String = segments[at..].iter().map(|s| format!("/{s}")).collect();
    Some((target, rest))
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::{follow, origin, resolve_refs, resolve_refs_keeping_names};

    #[test]
    fn follow_ends_a_chain_at_its_target_and_stops_on_a_loop_or_a_dead_end() {
        let document = json!({
            "a": {"$ref": "#/b"},
            "b": {"$ref": "#/c"},
            "c": {"type": "string"},
            "loop": {"$ref": "#/loop"},
            "dead": {"$ref": "#/nowhere"},
            "outside": {"$ref": "other.yaml#/c"}
        });
        assert_eq!(
            follow(&document, &document["a"]),
            &json!({"type": "string"})
        );
        assert_eq!(follow(&document, &document["loop"]), &document["loop"]);
        assert_eq!(follow(&document, &document["dead"]), &document["dead"]);
        assert_eq!(
            follow(&document, &document["outside"]),
            &document["outside"]
        );
    }

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
        let named = resolve_refs_keeping_names(&document);
        assert_eq!(
            named["a"],
            json!({"$ref": "#/components/B", "items": {"$ref": "#/components/C", "type": "string"}})
        );
    }

    #[test]
    fn origin_is_the_last_reference_on_the_way() {
        let document = json!({
            "paths": {"/a": {"get": {"schema": {"$ref": "#/components/Page"}}}},
            "components": {
                "Page": {"properties": {"results": {"items": {"$ref": "#/components/Alias"}}}},
                "Alias": {"$ref": "#/components/Thing"},
                "Thing": {"properties": {"status": {"enum": ["a"]}}},
                "Loop": {"$ref": "#/components/Loop"},
            },
        });
        let at = "/paths/~1a/get/schema/properties/results/items/properties/status/enum";
        assert_eq!(
            origin(&document, at),
            Some((
                "#/components/Thing".into(),
                "/properties/status/enum".into()
            ))
        );
        assert_eq!(
            origin(&document, "/paths/~1a/get/schema"),
            Some(("#/components/Page".into(), String::new()))
        );
        assert_eq!(origin(&document, "/paths/~1a/get"), None);
        assert_eq!(origin(&document, "/paths/~1a/get/schema/gone"), None);
        assert_eq!(origin(&document, "/components/Loop/x"), None);
    }
}
