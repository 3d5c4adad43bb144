//! A change inside a component that several operations reach through
//! `$ref`, reported once. The contract is compared on resolved specs, so
//! such a change is first found at every operation; here the findings of
//! one rule at one place of one component, with the same values, become
//! one finding at the component that lists the operations.
//!
//! The component is the last `$ref` on the way to the finding's pointer in
//! the spec as written ([`resolve::origin`]), in the new version or, for
//! what was removed, the old one.

use std::collections::BTreeMap;

use serde_json::Value;

use super::Finding;
use crate::raw::{escape, resolve, unescape};

/// `findings` with those that share a component place, reached from more
/// than one operation, made one each.
pub fn group(old: &Value, new: &Value, findings: Vec<Finding>) -> Vec<Finding> {
    let mut groups: BTreeMap<Key, Vec<Finding>> = BTreeMap::new();
    let mut out = Vec::new();
    for finding in findings {
        match key(old, new, &finding) {
            Some(key) => groups.entry(key).or_default().push(finding),
            None => out.push(finding),
        }
    }
    for (key, members) in groups {
        let mut operations: Vec<String> = members.iter().map(|f| f.operation.clone()).collect();
        operations.sort();
        operations.dedup();
        if operations.len() < 2 {
            out.extend(members);
            continue;
        }
        let mut finding = members.into_iter().next().expect("a group has a member");
        finding.operation = String::new();
        finding.pointer = key.pointer;
        finding.message = key.message;
        finding.operations = operations;
        out.push(finding);
    }
    out
}

/// What makes findings one change of a shared component.
#[derive(PartialEq, Eq, PartialOrd, Ord)]
struct Key {
    rule: &'static str,
    /// The place in the component, from the document root.
    pointer: String,
    /// The message as the component would have it.
    message: String,
    before: Option<String>,
    after: Option<String>,
}

fn key(old: &Value, new: &Value, finding: &Finding) -> Option<Key> {
    let (_, path) = finding.operation.split_once(' ')?;
    let at = format!("/paths/{}{}", escape(path), finding.pointer);
    // A whole branch of a `oneOf` is a change of the list that holds it,
    // not of the schema the branch names.
    let (list, branch) = match at.rsplit_once('/') {
        Some((list, index))
            if index.parse::<usize>().is_ok()
                && ["/oneOf", "/anyOf", "/allOf"]
                    .iter()
                    .any(|c| list.ends_with(c)) =>
        {
            (list, format!("/{index}"))
        }
        _ => (at.as_str(), String::new()),
    };
    let (component, rest) = resolve::origin(new, list).or_else(|| resolve::origin(old, list))?;
    let rest = rest + &branch;
    let component = component.strip_prefix('#')?;
    let value = |v: &Option<Value>| v.as_ref().map(Value::to_string);
    Some(Key {
        rule: finding.rule,
        pointer: format!("{component}{rest}"),
        message: relative_message(finding, &rest),
        before: value(&finding.before),
        after: value(&finding.after),
    })
}

/// The finding's message with the field named from the component, not
/// from the operation's body: `results[].status` read in `Thing` is
/// `status`. A message whose field cannot be told stays as it is.
fn relative_message(finding: &Finding, rest: &str) -> String {
    let (_, in_operation) = finding
        .pointer
        .strip_prefix('/')
        .and_then(|pointer| pointer.split_once('/'))
        .unwrap_or_default();
    let in_body = (in_operation.starts_with("responses/")
        || in_operation.starts_with("requestBody/"))
    .then(|| in_operation.split_once("/schema/"))
    .flatten();
    let (Some((_, below_body)), Some(in_component)) = (in_body, field_of(rest)) else {
        return finding.message.clone();
    };
    let in_body = field_of(&format!("/{below_body}")).unwrap_or_default();
    if in_component.is_empty() || !in_body.ends_with(&in_component) {
        return finding.message.clone();
    }
    finding
        .message
        .replacen(&format!("`{in_body}`"), &format!("`{in_component}`"), 1)
}

/// The field a schema pointer names, as the messages write it
/// (`/properties/results/items/properties/status/enum` is
/// `results[].status`); `None` when it has none.
fn field_of(pointer: &str) -> Option<String> {
    let mut segments = pointer.split('/').skip(1);
    let mut field = String::new();
    while let Some(segment) = segments.next() {
        match segment {
            "properties" => {
                let name = unescape(segments.next()?);
                if !field.is_empty() {
                    field.push('.');
                }
                field.push_str(&name);
            }
            "items" => field.push_str("[]"),
            "allOf" | "anyOf" | "oneOf" => {
                segments.next()?;
            }
            _ => break,
        }
    }
    Some(field)
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;
    use crate::diff::rules;

    fn enum_removed(operation: &str, pointer: &str, field: &str) -> Finding {
        let message = format!("property `{field}`: enum value `\"b\"` was removed");
        let mut finding = Finding::new(
            rules::RESPONSE_ENUM_VALUE_REMOVED,
            operation.into(),
            pointer.into(),
            message,
        );
        finding.before = Some(json!(["a", "b"]));
        finding.after = Some(json!(["a"]));
        finding
    }

    /// A spec whose `Thing` three operations reach, one through `Page`,
    /// and whose `Other` one operation reaches; both have `properties`.
    fn spec(properties: Value) -> Value {
        let ok = |schema: &str| {
            json!({"responses": {"200": {"content": {"application/json": {"schema":
                {"$ref": format!("#/components/schemas/{schema}")}}}}}})
        };
        json!({"paths": {
            "/things": {"get": ok("Page"), "post": ok("Thing")},
            "/things/{id}": {"get": ok("Thing")},
            "/other": {"get": ok("Other")},
        }, "components": {"schemas": {
            "Thing": {"properties": properties},
            "Page": {"properties": {"results": {"items": {"$ref": "#/components/schemas/Thing"}}}},
            "Other": {"properties": properties},
        }}})
    }

    const BODY: &str = "/responses/200/content/application~1json/schema";

    #[test]
    fn one_change_reached_from_three_operations_is_one_finding() {
        let status = |values: Value| spec(json!({"status": {"enum": values}}));
        let (old, new) = (status(json!(["a", "b"])), status(json!(["a"])));
        let findings = vec![
            enum_removed(
                "GET /things",
                &format!("/get{BODY}/properties/results/items/properties/status/enum"),
                "results[].status",
            ),
            enum_removed(
                "POST /things",
                &format!("/post{BODY}/properties/status/enum"),
                "status",
            ),
            enum_removed(
                "GET /things/{id}",
                &format!("/get{BODY}/properties/status/enum"),
                "status",
            ),
            enum_removed(
                "GET /other",
                &format!("/get{BODY}/properties/status/enum"),
                "status",
            ),
        ];
        let other = findings[3].clone();
        let grouped = group(&old, &new, findings);
        assert_eq!(grouped.len(), 2, "{grouped:#?}");
        let shared = grouped.iter().find(|f| f.operation.is_empty()).unwrap();
        assert_eq!(
            shared.pointer,
            "/components/schemas/Thing/properties/status/enum"
        );
        assert_eq!(
            shared.message,
            "property `status`: enum value `\"b\"` was removed"
        );
        assert_eq!(
            shared.operations,
            ["GET /things", "GET /things/{id}", "POST /things"]
        );
        assert!(
            grouped.contains(&other),
            "one operation's finding stays as it was"
        );
    }

    /// What was added is only in the new version, where its component is
    /// found.
    #[test]
    fn a_property_added_to_a_shared_schema_is_one_finding() {
        let old = spec(json!({"id": {"type": "string"}}));
        let new = spec(json!({"id": {"type": "string"}, "size": {"type": "integer"}}));
        // The message names the field from the operation's body.
        let added = |operation: &str, method: &str, below: &str, field: &str| {
            Finding::new(
                rules::RESPONSE_PROPERTY_ADDED,
                operation.into(),
                format!("/{method}{BODY}{below}/properties/size"),
                format!("property `{field}` was added"),
            )
        };
        let findings = vec![
            added(
                "GET /things",
                "get",
                "/properties/results/items",
                "results[].size",
            ),
            added("POST /things", "post", "", "size"),
            added("GET /things/{id}", "get", "", "size"),
            added("GET /other", "get", "", "size"),
        ];
        let other = findings[3].clone();
        let grouped = group(&old, &new, findings);
        assert_eq!(grouped.len(), 2, "{grouped:#?}");
        let shared = grouped.iter().find(|f| f.operation.is_empty()).unwrap();
        assert_eq!(shared.rule, rules::RESPONSE_PROPERTY_ADDED.id);
        assert_eq!(shared.pointer, "/components/schemas/Thing/properties/size");
        assert_eq!(shared.message, "property `size` was added");
        assert_eq!(
            shared.operations,
            ["GET /things", "GET /things/{id}", "POST /things"]
        );
        assert!(grouped.contains(&other), "{grouped:#?}");
    }

    #[test]
    fn fields_are_named_as_messages_name_them() {
        let at = "/properties/a/items/allOf/0/properties/b~1c/enum";
        assert_eq!(field_of(at).as_deref(), Some("a[].b/c"));
        assert_eq!(field_of("/enum").as_deref(), Some(""));
        assert_eq!(field_of("/properties"), None);
    }
}
