//! The HTTP contract compared rule by rule, on specs whose `$ref`s are
//! resolved (see [`crate::raw::resolve`]).
//!
//! Operations are matched by method and path first, with path parameter
//! names ignored so that renaming `{instanceName}` is a parameter rename,
//! not a removed and an added operation, and a new operationId on the same
//! request is a rename; the rest by operationId, so that moving one to
//! another path keeps it one operation. Parameters are
//! matched by location and name (path parameters by their place in the
//! path), responses by status, media types by name, properties by name,
//! security requirements as sets of alternatives.

mod branches;
mod components;
mod schema;

use std::collections::{BTreeMap, BTreeSet};

use serde_json::{Map, Value};

use self::schema::{SchemaComparison, Side};
use super::Finding;
use super::markdown::code;
use super::rules::{self, Rule};
use crate::naming::rust_method_name;
use crate::raw::{self, escape, members};

/// Every change of the contract from `old` to `new`, both resolved.
pub fn compare(old: &Value, new: &Value) -> Vec<Finding> {
    let mut findings = Vec::new();
    compare_operations(old, new, &mut findings);
    components::compare_component_schemas(old, new, &mut findings);
    components::compare_security_schemes(old, new, &mut findings);
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

impl Operation<'_> {
    fn id(&self) -> &str {
        self.operation
            .get("operationId")
            .and_then(Value::as_str)
            .unwrap_or_default()
    }

    /// What matches an operation when its operationId does not.
    fn shape(&self) -> (String, &'static str) {
        (template_shape(self.path), self.method)
    }
}

fn operations_of(document: &Value) -> Vec<Operation<'_>> {
    raw::operations(document)
        .map(|found| {
            let mut parameters = BTreeMap::new();
            let levels = [("", found.item), (found.method, found.operation)];
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
            Operation {
                path: found.path,
                method: found.method,
                operation: found.operation,
                parameters,
                security: found.operation.get("security").or(document.get("security")),
            }
        })
        .collect()
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

/// The names of the path's parameters, in the order the path has them.
fn template_names(path: &str) -> Vec<&str> {
    path.split('{')
        .skip(1)
        .filter_map(|part| part.split_once('}').map(|(name, _)| name))
        .collect()
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

    /// A finding that compares values: `before` and `after` are what the
    /// rule compared, absent where a version has none.
    fn push_values(
        &mut self,
        rule: Rule,
        pointer: String,
        message: String,
        before: Option<&Value>,
        after: Option<&Value>,
    ) {
        let mut finding = Finding::new(rule, self.place.clone(), pointer, message);
        finding.before = before.cloned();
        finding.after = after.cloned();
        self.findings.push(finding);
    }

    /// A pointer into the operation, relative to its path item.
    fn at(&self, rest: &str) -> String {
        format!("/{}{rest}", self.method)
    }
}

/// Pairs each old operation with its new version: by method and path
/// shape first, since a request to the same place is the same operation
/// whatever its operationId says; then, for those whose path changed, by
/// an operationId that names one operation on each side.
fn match_operations<'o, 'a>(
    old: &'o [Operation<'a>],
    new: &'o [Operation<'a>],
) -> Vec<(Option<&'o Operation<'a>>, Option<&'o Operation<'a>>)> {
    let mut matched: Vec<(usize, usize)> = Vec::new();
    let everything = |ops: &[Operation<'a>]| (0..ops.len()).collect::<Vec<_>>();
    let (old_shapes, new_shapes) = (
        unique_among(old, &everything(old), Operation::shape),
        unique_among(new, &everything(new), Operation::shape),
    );
    for (shape, &i) in &old_shapes {
        if let Some(&j) = new_shapes.get(shape) {
            matched.push((i, j));
        }
    }
    let left =
        |ops: &[Operation<'a>], matched: &[(usize, usize)], side: fn(&(usize, usize)) -> usize| {
            (0..ops.len())
                .filter(|at| !matched.iter().map(side).any(|taken| taken == *at))
                .collect::<Vec<_>>()
        };
    let (old_left, new_left) = (left(old, &matched, |m| m.0), left(new, &matched, |m| m.1));
    let id = |op: &Operation<'a>| op.id().to_string();
    let new_ids = unique_among(new, &new_left, id);
    for (old_id, i) in unique_among(old, &old_left, id) {
        if let Some(&j) = new_ids.get(&old_id).filter(|_| !old_id.is_empty()) {
            matched.push((i, j));
        }
    }
    let mut pairs: Vec<_> = matched
        .iter()
        .map(|&(i, j)| (Some(&old[i]), Some(&new[j])))
        .collect();
    let (old_left, new_left) = (left(old, &matched, |m| m.0), left(new, &matched, |m| m.1));
    pairs.extend(old_left.into_iter().map(|i| (Some(&old[i]), None)));
    pairs.extend(new_left.into_iter().map(|j| (None, Some(&new[j]))));
    pairs
}

/// The index of each operation at `indices` by `key`, for the keys only
/// one of them has.
fn unique_among<'a, K: Ord>(
    ops: &[Operation<'a>],
    indices: &[usize],
    key: impl Fn(&Operation<'a>) -> K,
) -> BTreeMap<K, usize> {
    let mut found: BTreeMap<K, Vec<usize>> = BTreeMap::new();
    for &i in indices {
        found.entry(key(&ops[i])).or_default().push(i);
    }
    found
        .into_iter()
        .filter_map(|(key, at)| match at.as_slice() {
            [one] => Some((key, *one)),
            _ => None,
        })
        .collect()
}

/// One operation as both sections of the report name it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct OperationName {
    /// `GET /path`.
    pub label: String,
    pub operation_id: String,
}

/// The operations of two versions of a document, paired as the contract
/// pairs them: `(old, new)`, one side `None` for an operation removed or
/// added. The documents need not be resolved.
pub fn pair_operations(
    old: &Value,
    new: &Value,
) -> Vec<(Option<OperationName>, Option<OperationName>)> {
    let (old_operations, new_operations) = (operations_of(old), operations_of(new));
    let name = |op: Option<&Operation<'_>>| {
        op.map(|op| OperationName {
            label: raw::label(op.method, op.path),
            operation_id: op.id().to_string(),
        })
    };
    match_operations(&old_operations, &new_operations)
        .into_iter()
        .map(|(old, new)| (name(old), name(new)))
        .collect()
}

fn compare_operations(old: &Value, new: &Value, findings: &mut Vec<Finding>) {
    let (old_operations, new_operations) = (operations_of(old), operations_of(new));
    for pair in match_operations(&old_operations, &new_operations) {
        match pair {
            (Some(old_op), None) => {
                let method = rust_method_name(old_op.id());
                let change = format!("was removed; the Rust method `{method}` goes away");
                whole_operation(old_op, rules::OPERATION_REMOVED, &change, findings);
            }
            (None, Some(new_op)) => {
                let method = rust_method_name(new_op.id());
                let change = format!("was added, as the Rust method `{method}`");
                whole_operation(new_op, rules::OPERATION_ADDED, &change, findings);
            }
            (Some(old_op), Some(new_op)) => {
                compare_operation(old_op, new_op, &mut collector(new_op, findings));
            }
            (None, None) => {}
        }
    }
}

/// A finding about an operation as a whole: `operation <id> <change>`.
fn whole_operation(
    operation: &Operation<'_>,
    rule: Rule,
    change: &str,
    findings: &mut Vec<Finding>,
) {
    let mut out = collector(operation, findings);
    let pointer = out.at("");
    let message = format!("operation {} {change}", code(operation.id()));
    out.push(rule, pointer, message);
}

fn collector<'a>(operation: &Operation<'_>, findings: &'a mut Vec<Finding>) -> Collector<'a> {
    Collector {
        place: raw::label(operation.method, operation.path),
        method: operation.method,
        findings,
    }
}

fn compare_operation(old: &Operation<'_>, new: &Operation<'_>, out: &mut Collector<'_>) {
    let (old_id, new_id) = (old.id(), new.id());
    if old_id != new_id {
        let pointer = out.at("/operationId");
        out.push_values(
            rules::OPERATION_ID_CHANGED,
            pointer,
            format!(
                "operationId {} became {}; the request and its answers are unchanged, and the Rust method `{}` becomes `{}`",
                code(old_id),
                code(new_id),
                rust_method_name(old_id),
                rust_method_name(new_id)
            ),
            old.operation.get("operationId"),
            new.operation.get("operationId"),
        );
    }
    if old.shape() != new.shape() {
        let old_label = raw::label(old.method, old.path);
        let pointer = out.at("");
        out.push_values(
            rules::OPERATION_PATH_CHANGED,
            pointer,
            format!(
                "operation {} moved from {} to {}; the Rust method `{}` stays",
                code(new_id),
                code(&old_label),
                code(&out.place),
                rust_method_name(new_id)
            ),
            Some(&Value::String(old_label.clone())),
            Some(&Value::String(out.place.clone())),
        );
    }
    let deprecated = |op: &Value| op.get("deprecated") == Some(&Value::Bool(true));
    let deprecation = match (deprecated(old.operation), deprecated(new.operation)) {
        (false, true) => Some((rules::OPERATION_DEPRECATED, "became deprecated")),
        (true, false) => Some((rules::OPERATION_UNDEPRECATED, "is no longer deprecated")),
        _ => None,
    };
    if let Some((rule, change)) = deprecation {
        let pointer = out.at("/deprecated");
        out.push(
            rule,
            pointer,
            format!("operation {} {change}", code(new_id)),
        );
    }
    compare_parameters(old, new, out);
    compare_security(old.security, new.security, out);
    compare_request_bodies(old.operation, new.operation, out);
    compare_responses(old.operation, new.operation, out);
}

/// The old name of each renamed path parameter, by its new name: the
/// parameters at the same place of two paths of one shape.
fn path_renames<'a>(old: &Operation<'a>, new: &Operation<'a>) -> BTreeMap<&'a str, &'a str> {
    if template_shape(old.path) != template_shape(new.path) {
        return BTreeMap::new();
    }
    template_names(new.path)
        .into_iter()
        .zip(template_names(old.path))
        .filter(|(new_name, old_name)| new_name != old_name)
        .collect()
}

fn compare_parameters(old: &Operation<'_>, new: &Operation<'_>, out: &mut Collector<'_>) {
    let required = |p: &Value| p.get("required") == Some(&Value::Bool(true));
    let renames = path_renames(old, new);
    // The key a new parameter had in the old version.
    let old_key = |location: &str, name: &str| -> (String, String) {
        match renames.get(name) {
            Some(old_name) if location == "path" => (location.to_string(), old_name.to_string()),
            _ => (location.to_string(), name.to_string()),
        }
    };
    let renamed_from: BTreeSet<&str> = renames.values().copied().collect();
    for ((location, name), (pointer, _)) in &old.parameters {
        let renamed = location == "path" && renamed_from.contains(name.as_str());
        if !renamed
            && !new
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
        let key = old_key(location, name);
        let Some((_, old_parameter)) = old.parameters.get(&key) else {
            let (rule, kind) = if required(parameter) {
                (rules::PARAMETER_ADDED_REQUIRED, "required")
            } else {
                (rules::PARAMETER_ADDED_OPTIONAL, "optional")
            };
            let message = format!("{kind} {location} parameter `{name}` was added");
            out.push(rule, pointer.clone(), message);
            continue;
        };
        if key.1 != *name {
            out.push_values(
                rules::PATH_PARAMETER_RENAMED,
                format!("{pointer}/name"),
                format!(
                    "path parameter `{}` was renamed `{name}`; its builder setter `{}` becomes `{}`",
                    key.1,
                    rust_method_name(&key.1),
                    rust_method_name(name)
                ),
                old_parameter.get("name"),
                parameter.get("name"),
            );
        }
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
            let mut schemas = SchemaComparison::new(Side::Parameter, String::new(), out);
            schemas.compare(old_schema, new_schema, &format!("{pointer}/schema"), name);
        }
    }
}

/// Security requirements compared as sets: each requirement is a set of
/// schemes used together, and an operation accepts any one of them.
fn compare_security(old: Option<&Value>, new: Option<&Value>, out: &mut Collector<'_>) {
    let (old_set, new_set) = (requirements(old), requirements(new));
    let pointer = out.at("/security");
    for requirement in old_set.difference(&new_set) {
        out.push_values(
            rules::SECURITY_REQUIREMENT_REMOVED,
            pointer.clone(),
            format!(
                "the operation no longer accepts {}",
                code(&requirement_name(requirement))
            ),
            old,
            new,
        );
    }
    for requirement in new_set.difference(&old_set) {
        out.push_values(
            rules::SECURITY_REQUIREMENT_ADDED,
            pointer.clone(),
            format!(
                "the operation now accepts {}",
                code(&requirement_name(requirement))
            ),
            old,
            new,
        );
    }
}

/// Each alternative as the sorted names of its schemes.
fn requirements(security: Option<&Value>) -> BTreeSet<Vec<String>> {
    security
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
        .map(|requirement| {
            let mut names: Vec<String> = requirement
                .as_object()
                .into_iter()
                .flat_map(Map::keys)
                .cloned()
                .collect();
            names.sort();
            names
        })
        .collect()
}

/// `A+B`, or `no authentication` for the empty requirement.
fn requirement_name(requirement: &[String]) -> String {
    if requirement.is_empty() {
        "no authentication".to_string()
    } else {
        requirement.join("+")
    }
}

/// The request bodies' schemas, media type by media type; a body whose one
/// media type was replaced by another is compared with it.
fn compare_request_bodies(old: &Value, new: &Value, out: &mut Collector<'_>) {
    let (Some(old_body), Some(new_body)) = (old.get("requestBody"), new.get("requestBody")) else {
        return;
    };
    let (old_content, new_content) = (members(old_body, "content"), members(new_body, "content"));
    let mut pairs: Vec<(&Value, &String, &Value)> = new_content
        .iter()
        .filter_map(|(media, new_media)| Some((*old_content.get(media)?, *media, *new_media)))
        .collect();
    if let ([(_, old_media)], [(new_type, new_media)]) = (
        old_content.iter().collect::<Vec<_>>().as_slice(),
        new_content.iter().collect::<Vec<_>>().as_slice(),
    ) && pairs.is_empty()
    {
        pairs.push((old_media, new_type, new_media));
    }
    for (old_media, media, new_media) in pairs {
        if let (Some(old_schema), Some(new_schema)) =
            (old_media.get("schema"), new_media.get("schema"))
        {
            let at = out.at(&format!("/requestBody/content/{}/schema", escape(media)));
            SchemaComparison::new(Side::RequestBody, "request body".to_string(), out)
                .compare(old_schema, new_schema, &at, "");
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
            SchemaComparison::new(Side::Response, format!("{status} response body"), out)
                .compare(old, new, &at, "");
        }
    };
    if let ([old_type], [new_type]) = (removed.as_slice(), added.as_slice()) {
        out.push(
            rules::RESPONSE_MEDIA_TYPE_CHANGED,
            format!("{pointer}/content/{}", escape(new_type)),
            format!(
                "response {status} media type {} became {}",
                code(old_type),
                code(new_type)
            ),
        );
        let at = schema_at(new_type);
        schemas(out, old_content[*old_type], new_content[*new_type], at);
    } else {
        for media in removed {
            out.push(
                rules::RESPONSE_MEDIA_TYPE_REMOVED,
                format!("{pointer}/content/{}", escape(media)),
                format!("response {status} no longer offers {}", code(media)),
            );
        }
        for media in added {
            out.push(
                rules::RESPONSE_MEDIA_TYPE_ADDED,
                format!("{pointer}/content/{}", escape(media)),
                format!("response {status} now offers {}", code(media)),
            );
        }
    }
    for (media, new_media) in &new_content {
        if let Some(old_media) = old_content.get(media) {
            schemas(out, old_media, new_media, schema_at(media));
        }
    }
}

fn text(value: &Value, key: &str) -> String {
    value
        .get(key)
        .and_then(Value::as_str)
        .unwrap_or_default()
        .to_string()
}

/// A value as a JSON code span, or `none`.
fn shown(value: Option<&Value>) -> String {
    value.map_or_else(|| "none".to_string(), |value| code(&value.to_string()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn path_shapes_ignore_parameter_names() {
        assert_eq!(
            template_shape("/groups/{groupId}/clusters/{name}"),
            "/groups/{}/clusters/{}"
        );
        assert_eq!(
            template_names("/groups/{groupId}/clusters/{name}"),
            ["groupId", "name"]
        );
    }

    #[test]
    fn security_requirements_are_sets() {
        let a = serde_json::json!([{"A": [], "B": []}, {"C": []}]);
        let b = serde_json::json!([{"C": []}, {"B": [], "A": []}]);
        assert_eq!(requirements(Some(&a)), requirements(Some(&b)));
    }
}
