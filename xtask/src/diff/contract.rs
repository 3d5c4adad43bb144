//! The HTTP contract compared rule by rule, on specs whose `$ref`s are
//! resolved (see [`super::resolve`]).
//!
//! Operations are matched by method and path, with path parameter names
//! ignored so that renaming `{instanceName}` is a parameter change, not a
//! removed and an added operation. Parameters are matched by location and
//! name, responses by status, media types by name, properties by name.

use std::collections::{BTreeMap, BTreeSet};

use heck::ToSnakeCase;
use serde_json::{Map, Value};

use super::Finding;
use super::rules::{self, Rule};
use crate::operations::METHODS;

/// Every change of the contract from `old` to `new`, both resolved.
pub fn compare(old: &Value, new: &Value) -> Vec<Finding> {
    let mut findings = Vec::new();
    compare_operations(old, new, &mut findings);
    compare_component_schemas(old, new, &mut findings);
    compare_security_schemes(old, new, &mut findings);
    findings
}

/// One operation of a document.
struct Operation<'a> {
    path: &'a str,
    method: &'static str,
    operation: &'a Value,
    /// Path-level and operation-level parameters, by `(in, name)`, with the
    /// pointer of each (relative to the path item).
    parameters: BTreeMap<(String, String), (String, &'a Value)>,
    /// The security requirements that apply: the operation's or the
    /// document's.
    security: Option<&'a Value>,
}

fn operations_of(document: &Value) -> BTreeMap<(String, &'static str), Operation<'_>> {
    let mut operations = BTreeMap::new();
    let Some(paths) = document.get("paths").and_then(Value::as_object) else {
        return operations;
    };
    for (path, item) in paths {
        for method in METHODS {
            let Some(operation) = item.get(method) else {
                continue;
            };
            let mut parameters = BTreeMap::new();
            let levels = [("", item), (method, operation)];
            for (prefix, owner) in levels {
                let list = owner.get("parameters").and_then(Value::as_array);
                for (i, parameter) in list.into_iter().flatten().enumerate() {
                    let key = (text(parameter, "in"), text(parameter, "name"));
                    let pointer = match prefix {
                        "" => format!("/parameters/{i}"),
                        method => format!("/{method}/parameters/{i}"),
                    };
                    parameters.insert(key, (pointer, parameter));
                }
            }
            let security = operation.get("security").or(document.get("security"));
            let key = (template_shape(path), method);
            operations.insert(
                key,
                Operation {
                    path,
                    method,
                    operation,
                    parameters,
                    security,
                },
            );
        }
    }
    operations
}

/// The path with every `{name}` written `{}`.
fn template_shape(path: &str) -> String {
    let mut shape = String::new();
    let mut in_name = false;
    for c in path.chars() {
        match c {
            '{' => {
                in_name = true;
                shape.push_str("{}");
            }
            '}' => in_name = false,
            c if !in_name => shape.push(c),
            _ => {}
        }
    }
    shape
}

/// Findings about one operation (or the components, with an empty place).
struct Collector<'a> {
    place: String,
    method: &'static str,
    findings: &'a mut Vec<Finding>,
}

impl Collector<'_> {
    fn push(&mut self, rule: Rule, pointer: String, message: String) {
        self.findings
            .push(Finding::new(rule, self.place.clone(), pointer, message));
    }

    /// A pointer into the operation, relative to its path item.
    fn at(&self, rest: &str) -> String {
        format!("/{}{rest}", self.method)
    }
}

fn compare_operations(old: &Value, new: &Value, findings: &mut Vec<Finding>) {
    let old_operations = operations_of(old);
    let new_operations = operations_of(new);
    for (key, old_op) in &old_operations {
        if !new_operations.contains_key(key) {
            let mut out = collector(old_op, findings);
            let pointer = out.at("");
            out.push(
                rules::OPERATION_REMOVED,
                pointer,
                format!(
                    "operation {} was removed; the Rust method `{}` goes away",
                    operation_id(old_op.operation),
                    method_name(old_op.operation)
                ),
            );
        }
    }
    for (key, new_op) in &new_operations {
        let mut out = collector(new_op, findings);
        match old_operations.get(key) {
            None => {
                let pointer = out.at("");
                out.push(
                    rules::OPERATION_ADDED,
                    pointer,
                    format!(
                        "operation {} was added, as the Rust method `{}`",
                        operation_id(new_op.operation),
                        method_name(new_op.operation)
                    ),
                );
            }
            Some(old_op) => compare_operation(old_op, new_op, &mut out),
        }
    }
}

fn collector<'a>(operation: &Operation<'_>, findings: &'a mut Vec<Finding>) -> Collector<'a> {
    Collector {
        place: format!("{} {}", operation.method.to_uppercase(), operation.path),
        method: operation.method,
        findings,
    }
}

fn compare_operation(old: &Operation<'_>, new: &Operation<'_>, out: &mut Collector<'_>) {
    let (old_id, new_id) = (operation_id(old.operation), operation_id(new.operation));
    if old_id != new_id {
        let pointer = out.at("/operationId");
        out.push(
            rules::OPERATION_ID_CHANGED,
            pointer,
            format!(
                "operationId {old_id} became {new_id}; the Rust method `{}` is renamed `{}`",
                method_name(old.operation),
                method_name(new.operation)
            ),
        );
    }
    let deprecated = |op: &Value| op.get("deprecated") == Some(&Value::Bool(true));
    match (deprecated(old.operation), deprecated(new.operation)) {
        (false, true) => {
            let pointer = out.at("/deprecated");
            out.push(
                rules::OPERATION_DEPRECATED,
                pointer,
                format!("operation {new_id} became deprecated"),
            );
        }
        (true, false) => {
            let pointer = out.at("/deprecated");
            out.push(
                rules::OPERATION_UNDEPRECATED,
                pointer,
                format!("operation {new_id} is no longer deprecated"),
            );
        }
        _ => {}
    }
    compare_parameters(old, new, out);
    if old.security != new.security {
        let pointer = out.at("/security");
        out.push(
            rules::SECURITY_REQUIREMENTS_CHANGED,
            pointer,
            format!(
                "accepted security changed from {} to {}",
                requirements(old.security),
                requirements(new.security)
            ),
        );
    }
    compare_responses(old.operation, new.operation, out);
}

fn compare_parameters(old: &Operation<'_>, new: &Operation<'_>, out: &mut Collector<'_>) {
    let required = |p: &Value| p.get("required") == Some(&Value::Bool(true));
    for ((location, name), (pointer, _)) in &old.parameters {
        if !new
            .parameters
            .contains_key(&(location.clone(), name.clone()))
        {
            out.push(
                rules::PARAMETER_REMOVED,
                pointer.clone(),
                format!("{location} parameter `{name}` was removed"),
            );
        }
    }
    for ((location, name), (pointer, parameter)) in &new.parameters {
        let Some((_, old_parameter)) = old.parameters.get(&(location.clone(), name.clone())) else {
            let (rule, kind) = if required(parameter) {
                (rules::PARAMETER_ADDED_REQUIRED, "required")
            } else {
                (rules::PARAMETER_ADDED_OPTIONAL, "optional")
            };
            let message = format!("{kind} {location} parameter `{name}` was added");
            out.push(rule, pointer.clone(), message);
            continue;
        };
        match (required(old_parameter), required(parameter)) {
            (false, true) => out.push(
                rules::PARAMETER_BECAME_REQUIRED,
                format!("{pointer}/required"),
                format!("{location} parameter `{name}` became required"),
            ),
            (true, false) => out.push(
                rules::PARAMETER_BECAME_OPTIONAL,
                format!("{pointer}/required"),
                format!("{location} parameter `{name}` became optional"),
            ),
            _ => {}
        }
        if let (Some(old_schema), Some(new_schema)) =
            (old_parameter.get("schema"), parameter.get("schema"))
        {
            let mut schemas = SchemaComparison {
                side: Side::Request,
                body: String::new(),
                out,
            };
            schemas.compare(old_schema, new_schema, &format!("{pointer}/schema"), name);
        }
    }
}

fn compare_responses(old: &Value, new: &Value, out: &mut Collector<'_>) {
    let (old_responses, new_responses) = (members(old, "responses"), members(new, "responses"));
    for status in old_responses.keys() {
        if !new_responses.contains_key(status) {
            let rule = if status.starts_with('2') {
                rules::RESPONSE_SUCCESS_STATUS_REMOVED
            } else {
                rules::RESPONSE_ERROR_STATUS_REMOVED
            };
            let pointer = out.at(&format!("/responses/{}", escape(status)));
            out.push(rule, pointer, format!("response {status} was removed"));
        }
    }
    for (status, new_response) in &new_responses {
        let pointer = out.at(&format!("/responses/{}", escape(status)));
        match old_responses.get(status) {
            None => out.push(
                rules::RESPONSE_STATUS_ADDED,
                pointer,
                format!("response {status} was added"),
            ),
            Some(old_response) => {
                compare_content(old_response, new_response, status, &pointer, out);
            }
        }
    }
}

fn compare_content(old: &Value, new: &Value, status: &str, pointer: &str, out: &mut Collector<'_>) {
    let (old_content, new_content) = (members(old, "content"), members(new, "content"));
    let removed: Vec<_> = old_content
        .keys()
        .filter(|m| !new_content.contains_key(*m))
        .collect();
    let added: Vec<_> = new_content
        .keys()
        .filter(|m| !old_content.contains_key(*m))
        .collect();
    let schema_at = |media: &str| format!("{pointer}/content/{}/schema", escape(media));
    let schemas = |out: &mut Collector<'_>, old: &Value, new: &Value, at: String| {
        if let (Some(old), Some(new)) = (old.get("schema"), new.get("schema")) {
            SchemaComparison {
                side: Side::Response,
                body: format!("{status} response body"),
                out,
            }
            .compare(old, new, &at, "");
        }
    };
    if let ([old_type], [new_type]) = (removed.as_slice(), added.as_slice()) {
        out.push(
            rules::RESPONSE_MEDIA_TYPE_CHANGED,
            format!("{pointer}/content/{}", escape(new_type)),
            format!("response {status} media type {old_type} became {new_type}"),
        );
        let at = schema_at(new_type);
        schemas(out, old_content[*old_type], new_content[*new_type], at);
    } else {
        for media in removed {
            out.push(
                rules::RESPONSE_MEDIA_TYPE_REMOVED,
                format!("{pointer}/content/{}", escape(media)),
                format!("response {status} no longer offers {media}"),
            );
        }
        for media in added {
            out.push(
                rules::RESPONSE_MEDIA_TYPE_ADDED,
                format!("{pointer}/content/{}", escape(media)),
                format!("response {status} now offers {media}"),
            );
        }
    }
    for (media, new_media) in &new_content {
        if let Some(old_media) = old_content.get(media) {
            schemas(out, old_media, new_media, schema_at(media));
        }
    }
}

/// Which way a schema's values travel, which decides how a change is judged.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Side {
    /// A parameter the caller sends.
    Request,
    /// A body Atlas returns.
    Response,
}

struct SchemaComparison<'c, 'f> {
    side: Side,
    /// How messages name a response body, such as `200 response body`.
    body: String,
    out: &'c mut Collector<'f>,
}

impl SchemaComparison<'_, '_> {
    /// Compares two schemas at `pointer`; `field` names the value: the
    /// parameter, or the property path in the body (`results[].status`),
    /// empty for the body itself.
    fn compare(&mut self, old: &Value, new: &Value, pointer: &str, field: &str) {
        let subject = match self.side {
            Side::Request => format!("parameter `{field}`"),
            Side::Response if field.is_empty() => self.body.clone(),
            Side::Response => format!("property `{field}`"),
        };
        let (old_type, new_type) = (type_of(old), type_of(new));
        if old_type != new_type {
            let rule = match self.side {
                Side::Request => rules::PARAMETER_TYPE_CHANGED,
                Side::Response => rules::RESPONSE_PROPERTY_TYPE_CHANGED,
            };
            let message = format!("{subject}: type {old_type} became {new_type}");
            self.out.push(rule, pointer.to_string(), message);
            return;
        }
        self.compare_enums(old, new, pointer, &subject);
        self.compare_pattern(old, new, pointer, &subject);
        match self.side {
            Side::Request => self.compare_bounds(old, new, pointer, &subject),
            Side::Response => self.compare_properties(old, new, pointer, field),
        }
        if let (Some(old_items), Some(new_items)) = (old.get("items"), new.get("items")) {
            let items = format!("{field}[]");
            self.compare(old_items, new_items, &format!("{pointer}/items"), &items);
        }
        for combinator in ["allOf", "anyOf", "oneOf"] {
            let (Some(old_list), Some(new_list)) = (
                old.get(combinator).and_then(Value::as_array),
                new.get(combinator).and_then(Value::as_array),
            ) else {
                continue;
            };
            for (i, (old_part, new_part)) in old_list.iter().zip(new_list).enumerate() {
                let at = format!("{pointer}/{combinator}/{i}");
                self.compare(old_part, new_part, &at, field);
            }
        }
    }

    fn compare_enums(&mut self, old: &Value, new: &Value, pointer: &str, subject: &str) {
        let (Some(old_values), Some(new_values)) = (enum_values(old), enum_values(new)) else {
            return;
        };
        let (added, removed) = match self.side {
            Side::Request => (
                rules::REQUEST_ENUM_VALUE_ADDED,
                rules::REQUEST_ENUM_VALUE_REMOVED,
            ),
            Side::Response => (
                rules::RESPONSE_ENUM_VALUE_ADDED,
                rules::RESPONSE_ENUM_VALUE_REMOVED,
            ),
        };
        let at = format!("{pointer}/enum");
        for value in old_values.difference(&new_values) {
            let message = format!("{subject}: enum value {value} was removed");
            self.out.push(removed, at.clone(), message);
        }
        for value in new_values.difference(&old_values) {
            let message = format!("{subject}: enum value {value} was added");
            self.out.push(added, at.clone(), message);
        }
    }

    fn compare_pattern(&mut self, old: &Value, new: &Value, pointer: &str, subject: &str) {
        let (old_pattern, new_pattern) = (old.get("pattern"), new.get("pattern"));
        let change = match (old_pattern, new_pattern) {
            (a, b) if a == b => return,
            (None, Some(b)) => format!("pattern {b} was added"),
            (Some(a), None) => format!("pattern {a} was removed"),
            (a, b) => format!("pattern {} became {}", shown(a), shown(b)),
        };
        let rule = match self.side {
            Side::Request => rules::PARAMETER_PATTERN_CHANGED,
            Side::Response => rules::RESPONSE_PROPERTY_PATTERN_CHANGED,
        };
        let pointer = format!("{pointer}/pattern");
        self.out.push(rule, pointer, format!("{subject}: {change}"));
    }

    /// Minimum, maximum and default, which only narrow or change what a
    /// caller may send.
    fn compare_bounds(&mut self, old: &Value, new: &Value, pointer: &str, subject: &str) {
        let bound = |schema: &Value, key: &str| schema.get(key).and_then(Value::as_f64);
        let limits = [
            (
                "minimum",
                rules::PARAMETER_MINIMUM_INCREASED,
                rules::PARAMETER_MINIMUM_DECREASED,
                f64::NEG_INFINITY,
            ),
            (
                "maximum",
                rules::PARAMETER_MAXIMUM_DECREASED,
                rules::PARAMETER_MAXIMUM_INCREASED,
                f64::INFINITY,
            ),
        ];
        for (key, narrowed, widened, unbounded) in limits {
            let (before, after) = (bound(old, key), bound(new, key));
            if before == after {
                continue;
            }
            let (from, to) = (before.unwrap_or(unbounded), after.unwrap_or(unbounded));
            let narrows = if key == "minimum" {
                to > from
            } else {
                to < from
            };
            let rule = if narrows { narrowed } else { widened };
            let message = format!(
                "{subject}: {key} {} became {}",
                shown(old.get(key)),
                shown(new.get(key))
            );
            self.out.push(rule, format!("{pointer}/{key}"), message);
        }
        if old.get("default") != new.get("default") {
            let message = format!(
                "{subject}: default {} became {}",
                shown(old.get("default")),
                shown(new.get("default"))
            );
            let rule = rules::PARAMETER_DEFAULT_CHANGED;
            self.out.push(rule, format!("{pointer}/default"), message);
        }
    }

    fn compare_properties(&mut self, old: &Value, new: &Value, pointer: &str, field: &str) {
        let (old_properties, new_properties) =
            (members(old, "properties"), members(new, "properties"));
        let required = |s: &Value, name: &str| {
            s.get("required")
                .and_then(Value::as_array)
                .is_some_and(|names| names.iter().any(|n| n == name))
        };
        let child = |name: &str| match field {
            "" => name.to_string(),
            _ => format!("{field}.{name}"),
        };
        for name in old_properties.keys() {
            if !new_properties.contains_key(name) {
                self.out.push(
                    rules::RESPONSE_PROPERTY_REMOVED,
                    format!("{pointer}/properties/{}", escape(name)),
                    format!("property `{}` was removed", child(name)),
                );
            }
        }
        for (name, new_property) in &new_properties {
            let at = format!("{pointer}/properties/{}", escape(name));
            let Some(old_property) = old_properties.get(name) else {
                let message = format!("property `{}` was added", child(name));
                self.out.push(rules::RESPONSE_PROPERTY_ADDED, at, message);
                continue;
            };
            match (required(old, name), required(new, name)) {
                (true, false) => self.out.push(
                    rules::RESPONSE_PROPERTY_BECAME_OPTIONAL,
                    at.clone(),
                    format!("property `{}` is no longer required", child(name)),
                ),
                (false, true) => self.out.push(
                    rules::RESPONSE_PROPERTY_BECAME_REQUIRED,
                    at.clone(),
                    format!("property `{}` became required", child(name)),
                ),
                _ => {}
            }
            self.compare(old_property, new_property, &at, &child(name));
        }
    }
}

fn compare_component_schemas(old: &Value, new: &Value, findings: &mut Vec<Finding>) {
    let (old_schemas, new_schemas) = (components(old, "schemas"), components(new, "schemas"));
    let mut out = Collector {
        place: String::new(),
        method: "",
        findings,
    };
    let removed: Vec<_> = old_schemas
        .keys()
        .filter(|name| !new_schemas.contains_key(*name))
        .collect();
    let mut added: BTreeSet<_> = new_schemas
        .keys()
        .filter(|name| !old_schemas.contains_key(*name))
        .collect();
    for name in removed {
        let renamed_to = added
            .iter()
            .copied()
            .find(|candidate| new_schemas[*candidate] == old_schemas[name]);
        match renamed_to {
            Some(new_name) => {
                added.remove(new_name);
                out.push(
                    rules::SCHEMA_RENAMED,
                    format!("/components/schemas/{}", escape(new_name)),
                    format!(
                        "schema {name} was renamed {new_name}; the Rust type `types::{name}` becomes `types::{new_name}`"
                    ),
                );
            }
            None => out.push(
                rules::SCHEMA_REMOVED,
                format!("/components/schemas/{}", escape(name)),
                format!("schema {name} was removed; the Rust type `types::{name}` goes away"),
            ),
        }
    }
    for name in added {
        out.push(
            rules::SCHEMA_ADDED,
            format!("/components/schemas/{}", escape(name)),
            format!("schema {name} was added"),
        );
    }
}

fn compare_security_schemes(old: &Value, new: &Value, findings: &mut Vec<Finding>) {
    let (old_schemes, new_schemes) = (
        components(old, "securitySchemes"),
        components(new, "securitySchemes"),
    );
    let mut out = Collector {
        place: String::new(),
        method: "",
        findings,
    };
    let at = |name: &str| format!("/components/securitySchemes/{}", escape(name));
    for name in old_schemes.keys() {
        if !new_schemes.contains_key(name) {
            let message = format!("security scheme {name} was removed");
            out.push(rules::SECURITY_SCHEME_REMOVED, at(name), message);
        }
    }
    for (name, new_scheme) in &new_schemes {
        let Some(old_scheme) = old_schemes.get(name) else {
            let message = format!("security scheme {name} was added");
            out.push(rules::SECURITY_SCHEME_ADDED, at(name), message);
            continue;
        };
        // Descriptions are prose for readers; everything else is contract.
        let keys: BTreeSet<&String> = old_scheme
            .as_object()
            .into_iter()
            .chain(new_scheme.as_object())
            .flat_map(Map::keys)
            .filter(|key| *key != "description")
            .collect();
        let changed: Vec<&str> = keys
            .into_iter()
            .filter(|key| old_scheme.get(key.as_str()) != new_scheme.get(key.as_str()))
            .map(String::as_str)
            .collect();
        if !changed.is_empty() {
            let message = format!("security scheme {name} changed its {}", changed.join(", "));
            out.push(rules::SECURITY_SCHEME_CHANGED, at(name), message);
        }
    }
}

fn components<'a>(document: &'a Value, kind: &str) -> BTreeMap<&'a String, &'a Value> {
    document
        .get("components")
        .map(|components| members(components, kind))
        .unwrap_or_default()
}

/// The members of the mapping under `key`, sorted by name.
fn members<'a>(value: &'a Value, key: &str) -> BTreeMap<&'a String, &'a Value> {
    value
        .get(key)
        .and_then(Value::as_object)
        .into_iter()
        .flatten()
        .collect()
}

fn text(value: &Value, key: &str) -> String {
    value
        .get(key)
        .and_then(Value::as_str)
        .unwrap_or_default()
        .to_string()
}

fn operation_id(operation: &Value) -> String {
    text(operation, "operationId")
}

/// The Rust method progenitor makes of the operation.
fn method_name(operation: &Value) -> String {
    operation_id(operation).to_snake_case()
}

/// `type` with its `format`, such as `integer (int32)`; `any` when untyped.
fn type_of(schema: &Value) -> String {
    let kind = schema.get("type").and_then(Value::as_str).unwrap_or("any");
    match schema.get("format").and_then(Value::as_str) {
        Some(format) => format!("{kind} ({format})"),
        None => kind.to_string(),
    }
}

fn enum_values(schema: &Value) -> Option<BTreeSet<String>> {
    let values = schema.get("enum")?.as_array()?;
    Some(values.iter().map(Value::to_string).collect())
}

/// A value as JSON, or `none`.
fn shown(value: Option<&Value>) -> String {
    value.map_or_else(|| "none".to_string(), Value::to_string)
}

/// Security requirements as `A or B+C`.
fn requirements(security: Option<&Value>) -> String {
    let alternatives: Vec<String> = security
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
        .map(|requirement| {
            let names: Vec<&str> = requirement
                .as_object()
                .into_iter()
                .flat_map(Map::keys)
                .map(String::as_str)
                .collect();
            if names.is_empty() {
                "none".to_string()
            } else {
                names.join("+")
            }
        })
        .collect();
    if alternatives.is_empty() {
        "none".to_string()
    } else {
        alternatives.join(" or ")
    }
}

/// A JSON pointer segment.
pub fn escape(segment: &str) -> String {
    segment.replace('~', "~0").replace('/', "~1")
}

#[cfg(test)]
mod tests {
    use super::template_shape;

    #[test]
    fn path_shapes_ignore_parameter_names() {
        assert_eq!(
            template_shape("/groups/{groupId}/clusters/{name}"),
            "/groups/{}/clusters/{}"
        );
    }
}
