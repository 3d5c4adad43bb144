//! Waiters: the `x-waiters` extension of an operation that reads a
//! resource, which names each waiter, the answer fields it watches, the
//! values that end the wait in success or in failure, and its delays and
//! default bound. Read here from the spec as written, and checked against
//! the operation's success answer, for `regen` (which refuses a bad
//! waiter) and `lint` (which reports each one).
//!
//! ```yaml
//! x-waiters:
//!   snapshotCompleted:             # wait_until_snapshot_completed(), watch-snapshot-completed
//!     description: Waits until …
//!     resource: snapshot           # how errors name what is waited for
//!     minDelay: 10                 # seconds between two reads, at least …
//!     maxDelay: 120                # … and at most
//!     maxWait: 14400               # the default bound, for the command line
//!     success: [{field: status, equals: [completed]}]
//!     failure: [{field: status, equals: [failed]}]
//! ```
//!
//! A matcher is `{field, equals: [values]}` (wire values: strings,
//! booleans, integers) or `{field, present: true|false}`; `field` is a
//! property of the answer, dotted for a nested one. The failure matchers
//! are read first. A waiter for a deletion succeeds when the read answers
//! 404, the resource gone: its success is `[{status: 404}]` alone, on an
//! operation that lists a 404 answer.

use std::collections::BTreeMap;

use anyhow::{Result, bail};
use heck::{ToKebabCase, ToSnakeCase, ToUpperCamelCase};
use serde::Deserialize;
use serde_json::Value;

use crate::raw;
use crate::raw::resolve::follow;

/// The extension on an operation.
pub const EXTENSION: &str = "x-waiters";

/// The waiters of one operation.
#[derive(Clone, Debug, PartialEq)]
pub struct OperationWaiters {
    pub operation_id: String,
    pub waiters: Vec<Waiter>,
}

/// One waiter, as the spec declares it.
#[derive(Clone, Debug, PartialEq)]
pub struct Waiter {
    /// The name in the spec: `snapshotCompleted`.
    pub name: String,
    pub description: String,
    pub resource: String,
    /// Seconds.
    pub min_delay: u64,
    pub max_delay: u64,
    pub max_wait: u64,
    pub success: Success,
    pub failure: Vec<Matcher>,
}

/// What ends a wait in success.
#[derive(Clone, Debug, PartialEq)]
pub enum Success {
    /// Any one of these matching the answer.
    Matches(Vec<Matcher>),
    /// The read answering 404: the resource is gone.
    Gone,
}

/// The status of a read that finds its resource gone.
pub const GONE_STATUS: u16 = 404;

impl Waiter {
    /// Whether the waiter waits until its resource is gone.
    pub fn is_gone(&self) -> bool {
        self.success == Success::Gone
    }

    /// The matchers that end the wait in success; none for a deletion.
    pub fn success_matchers(&self) -> &[Matcher] {
        match &self.success {
            Success::Matches(matchers) => matchers,
            Success::Gone => &[],
        }
    }

    /// The client's method: `wait_until_snapshot_completed`.
    pub fn method(&self) -> String {
        format!("wait_until_{}", self.name.to_snake_case())
    }

    /// The builder the method returns: `WaitUntilSnapshotCompleted`.
    pub fn builder(&self) -> String {
        format!("WaitUntil{}", self.name.to_upper_camel_case())
    }

    /// The command line's command: `watch-snapshot-completed`.
    pub fn command(&self) -> String {
        format!("watch-{}", self.name.to_kebab_case())
    }
}

/// What one matcher asks of an answer.
#[derive(Clone, Debug, PartialEq)]
pub enum Matcher {
    /// The field holds one of these wire values.
    Equals { field: String, values: Vec<Value> },
    /// The field is there and not null (`true`), or is not (`false`).
    Present { field: String, present: bool },
}

impl Matcher {
    pub fn field(&self) -> &str {
        match self {
            Matcher::Equals { field, .. } | Matcher::Present { field, .. } => field,
        }
    }
}

/// A waiter the spec gets wrong, where it is written.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Problem {
    /// JSON pointer into the spec as written.
    pub pointer: String,
    pub message: String,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
struct WrittenWaiter {
    description: String,
    resource: String,
    min_delay: u64,
    max_delay: u64,
    max_wait: u64,
    success: Vec<WrittenMatcher>,
    #[serde(default)]
    failure: Vec<WrittenMatcher>,
    /// Why the values are what they are.
    #[serde(rename = "x-curation", default)]
    _curation: Option<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct WrittenMatcher {
    field: Option<String>,
    equals: Option<Vec<Value>>,
    present: Option<bool>,
    /// The status of a read that ends the wait: 404, the resource gone.
    status: Option<u16>,
}

/// The waiters of every operation of `document`, or, for regen, an error
/// listing every problem.
pub fn read(document: &Value) -> Result<Vec<OperationWaiters>> {
    let (waiters, problems) = check(document);
    refuse_any(EXTENSION, &problems)?;
    Ok(waiters)
}

/// An error listing every problem of `extension`, for regen, if there are
/// any.
pub(crate) fn refuse_any(extension: &str, problems: &[Problem]) -> Result<()> {
    if problems.is_empty() {
        return Ok(());
    }
    let list: Vec<String> = problems
        .iter()
        .map(|p| format!("#{}: {}", p.pointer, p.message))
        .collect();
    bail!("invalid {extension}:\n  {}", list.join("\n  "))
}

/// The waiters of every operation of `document` that are well formed,
/// and a problem for each that is not.
pub fn check(document: &Value) -> (Vec<OperationWaiters>, Vec<Problem>) {
    let mut found = Vec::new();
    let mut problems = Vec::new();
    // Method name → where it was first declared.
    let mut names: BTreeMap<String, String> = BTreeMap::new();
    for operation in raw::operations(document) {
        let Some(declared) = operation.operation.get(EXTENSION) else {
            continue;
        };
        let at = format!("{}/{EXTENSION}", operation.pointer());
        let place = operation.label();
        let Some(declared) = declared.as_object() else {
            problems.push(problem(
                &at,
                format!("{place}: {EXTENSION} is not a mapping of waiter names to waiters"),
            ));
            continue;
        };
        if operation.method != "get" {
            problems.push(problem(
                &at,
                format!(
                    "{place}: a waiter reads its resource, so it belongs on a GET, not on a {}",
                    operation.method.to_uppercase()
                ),
            ));
            continue;
        }
        let answer = success_schema(document, operation.operation);
        let mut waiters = Vec::new();
        for (name, written) in declared {
            let at = format!("{at}/{}", raw::escape(name));
            let written: WrittenWaiter = match serde_json::from_value(written.clone()) {
                Ok(written) => written,
                Err(e) => {
                    problems.push(problem(
                        &at,
                        format!("{place}: waiter `{name}` is malformed: {e}"),
                    ));
                    continue;
                }
            };
            let before = problems.len();
            let waiter = waiter(name, written, &at, &place, &mut problems);
            // A waiter whose status matcher is refused is not also said to
            // wait for a 404.
            let well_formed = problems.len() == before;
            if waiter.is_gone() && well_formed && !lists_status(operation.operation, GONE_STATUS) {
                problems.push(problem(
                    &at,
                    format!("{place}: waiter `{name}` waits for a {GONE_STATUS}, which the operation does not list among its answers"),
                ));
            }
            match &answer {
                Some(schema) => {
                    for (side, matchers) in [("success", waiter.success_matchers()), ("failure", &waiter.failure)] {
                        for (i, matcher) in matchers.iter().enumerate() {
                            let at = format!("{at}/{side}/{i}");
                            if let Err(message) = check_matcher(document, schema, matcher) {
                                problems.push(problem(&at, format!("{place}: waiter `{name}`: {message}")));
                            }
                        }
                    }
                }
                None => problems.push(problem(
                    &at,
                    format!("{place}: waiter `{name}` watches an answer, but the operation has no success answer with a schema"),
                )),
            }
            let method = waiter.method();
            if let Some(first) = names.get(&method) {
                problems.push(problem(
                    &at,
                    format!("{place}: waiter `{name}` would be `Client::{method}`, as the waiter at #{first} is"),
                ));
            } else {
                names.insert(method, at.clone());
            }
            if problems.len() == before {
                waiters.push(waiter);
            }
        }
        found.push(OperationWaiters {
            operation_id: operation.operation_id().to_string(),
            waiters,
        });
    }
    (found, problems)
}

fn problem(pointer: &str, message: String) -> Problem {
    Problem {
        pointer: pointer.to_string(),
        message,
    }
}

/// The waiter `name` as written, its own rules checked.
fn waiter(
    name: &str,
    written: WrittenWaiter,
    at: &str,
    place: &str,
    problems: &mut Vec<Problem>,
) -> Waiter {
    let mut refuse =
        |message: String| problems.push(problem(at, format!("{place}: waiter `{name}` {message}")));
    if written.min_delay == 0 {
        refuse("has a minDelay of 0: it would read the resource without pause".into());
    }
    if written.min_delay > written.max_delay {
        refuse(format!(
            "has a minDelay of {} s above its maxDelay of {} s",
            written.min_delay, written.max_delay
        ));
    }
    if written.max_wait < written.min_delay {
        refuse(format!(
            "has a maxWait of {} s below its minDelay of {} s",
            written.max_wait, written.min_delay
        ));
    }
    if written.success.is_empty() {
        refuse("has no success matcher: it could never succeed".into());
    }
    if name.to_snake_case().is_empty() {
        refuse("has a name that makes no Rust identifier".into());
    }
    let gone = written.success.iter().any(|m| m.status.is_some());
    if gone
        && !matches!(
            written.success.as_slice(),
            [WrittenMatcher {
                status: Some(GONE_STATUS),
                field: None,
                equals: None,
                present: None
            }]
        )
    {
        refuse(format!(
            "waits for a status, which it may only as its one success matcher `{{status: {GONE_STATUS}}}`: the resource gone"
        ));
    }
    if written.failure.iter().any(|m| m.status.is_some()) {
        refuse(
            "has a status among its failure matchers: a read that fails ends the wait by itself"
                .into(),
        );
    }
    let mut matchers = |written: Vec<WrittenMatcher>| -> Vec<Matcher> {
        written
            .into_iter()
            .filter(|m| m.status.is_none())
            .filter_map(|m| match (m.field, m.equals, m.present) {
                (Some(field), Some(values), None) if !values.is_empty() => {
                    Some(Matcher::Equals { field, values })
                }
                (Some(field), None, Some(present)) => Some(Matcher::Present { field, present }),
                (field, ..) => {
                    refuse(format!(
                        "has a matcher of `{}` without exactly one of a non-empty `equals` or `present`",
                        field.unwrap_or_default()
                    ));
                    None
                }
            })
            .collect()
    };
    let success = if gone {
        Success::Gone
    } else {
        Success::Matches(matchers(written.success))
    };
    let failure = matchers(written.failure);
    Waiter {
        name: name.to_string(),
        description: written.description,
        resource: written.resource,
        min_delay: written.min_delay,
        max_delay: written.max_delay,
        max_wait: written.max_wait,
        success,
        failure,
    }
}

/// Checks that the matcher's field is a property of `answer` and that its
/// values are values of that property.
fn check_matcher(document: &Value, answer: &Value, matcher: &Matcher) -> Result<(), String> {
    let field = matcher.field();
    let mut schema = answer;
    for part in field.split('.') {
        schema = property(document, schema, part).ok_or_else(|| {
            format!("`{field}` is not a property of the operation's success answer")
        })?;
    }
    let Matcher::Equals { values, .. } = matcher else {
        return Ok(());
    };
    let kind = schema.get("type").and_then(Value::as_str);
    let allowed = schema.get("enum").and_then(Value::as_array);
    for value in values {
        let fits = match (kind, value) {
            (Some("string"), Value::String(_)) | (Some("boolean"), Value::Bool(_)) => true,
            (Some("integer"), Value::Number(n)) => n.is_i64() || n.is_u64(),
            _ => false,
        };
        if !fits {
            return Err(format!(
                "{value} is not a value of `{field}`, which is of type {}",
                kind.unwrap_or("unknown")
            ));
        }
        if let Some(allowed) = allowed.filter(|allowed| !allowed.contains(value)) {
            let allowed: Vec<String> = allowed.iter().map(Value::to_string).collect();
            return Err(format!(
                "{value} is not a value of `{field}`, which takes {}",
                allowed.join(", ")
            ));
        }
    }
    Ok(())
}

/// Whether `operation` lists an answer of `status`.
fn lists_status(operation: &Value, status: u16) -> bool {
    operation
        .get("responses")
        .and_then(|responses| responses.get(status.to_string()))
        .is_some()
}

/// The schema of the first 2xx answer of `operation` that has one.
pub(crate) fn success_schema<'a>(document: &'a Value, operation: &'a Value) -> Option<&'a Value> {
    let responses = operation.get("responses")?.as_object()?;
    responses
        .iter()
        .filter(|(status, _)| status.starts_with('2'))
        .find_map(|(_, response)| {
            let response = follow(document, response);
            let content = response.get("content")?.as_object()?;
            content
                .values()
                .find_map(|media| media.get("schema"))
                .map(|schema| follow(document, schema))
        })
}

/// The schema of the property `name` of `schema`, its own or one of its
/// `allOf` parts'.
pub(crate) fn property<'a>(
    document: &'a Value,
    schema: &'a Value,
    name: &str,
) -> Option<&'a Value> {
    let schema = follow(document, schema);
    if let Some(found) = schema.get("properties").and_then(|p| p.get(name)) {
        return Some(follow(document, found));
    }
    schema
        .get("allOf")?
        .as_array()?
        .iter()
        .find_map(|part| property(document, part, name))
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn spec(method: &str, waiters: Value) -> Value {
        json!({
            "paths": { "/things/{id}": { method: {
                "operationId": "getThing",
                "x-waiters": waiters,
                "responses": { "200": { "content": { "application/json": {
                    "schema": { "$ref": "#/components/schemas/Thing" } } } } }
            } } },
            "components": { "schemas": {
                "Thing": { "type": "object", "properties": {
                    "status": { "$ref": "#/components/schemas/Status" },
                    "failed": { "type": "boolean" },
                    "finishedAt": { "type": "string", "format": "date-time" }
                } },
                "Status": { "type": "string", "enum": ["RUNNING", "DONE", "FAILED"] }
            } }
        })
    }

    fn done(success: Value) -> Value {
        json!({ "thingDone": {
            "description": "Waits.", "resource": "thing",
            "minDelay": 1, "maxDelay": 10, "maxWait": 60,
            "success": success,
            "failure": [{ "field": "failed", "equals": [true] }]
        } })
    }

    fn messages(document: &Value) -> Vec<String> {
        check(document).1.into_iter().map(|p| p.message).collect()
    }

    #[test]
    fn a_good_waiter_is_read() {
        let document = spec(
            "get",
            done(json!([{ "field": "status", "equals": ["DONE"] }])),
        );
        let (found, problems) = check(&document);
        assert_eq!(problems, vec![]);
        let waiter = &found[0].waiters[0];
        assert_eq!(waiter.method(), "wait_until_thing_done");
        assert_eq!(waiter.builder(), "WaitUntilThingDone");
        assert_eq!(waiter.command(), "watch-thing-done");
        assert_eq!(
            waiter.failure,
            vec![Matcher::Equals {
                field: "failed".into(),
                values: vec![json!(true)]
            }]
        );
    }

    #[test]
    fn fields_and_values_not_in_the_answer_are_refused() {
        let document = spec(
            "get",
            done(json!([
                { "field": "state", "equals": ["DONE"] },
                { "field": "status", "equals": ["done"] },
                { "field": "failed", "equals": ["yes"] },
                { "field": "finishedAt", "present": true }
            ])),
        );
        assert_eq!(
            messages(&document),
            [
                "GET /things/{id}: waiter `thingDone`: `state` is not a property of the operation's success answer",
                "GET /things/{id}: waiter `thingDone`: \"done\" is not a value of `status`, which takes \"RUNNING\", \"DONE\", \"FAILED\"",
                "GET /things/{id}: waiter `thingDone`: \"yes\" is not a value of `failed`, which is of type boolean",
            ]
        );
    }

    #[test]
    fn a_waiter_on_a_write_or_with_bad_delays_is_refused() {
        let success = json!([{ "field": "status", "equals": ["DONE"] }]);
        assert_eq!(
            messages(&spec("post", done(success.clone()))),
            [
                "POST /things/{id}: a waiter reads its resource, so it belongs on a GET, not on a POST"
            ]
        );
        let mut waiters = done(success);
        waiters["thingDone"]["minDelay"] = json!(20);
        assert_eq!(
            messages(&spec("get", waiters)),
            [
                "GET /things/{id}: waiter `thingDone` has a minDelay of 20 s above its maxDelay of 10 s"
            ]
        );
        let mut twice = done(json!([{ "field": "status", "equals": ["DONE"] }]));
        twice["thing_done"] = twice["thingDone"].clone();
        assert_eq!(
            messages(&spec("get", twice)),
            [
                "GET /things/{id}: waiter `thing_done` would be `Client::wait_until_thing_done`, as the waiter at #/paths/~1things~1{id}/get/x-waiters/thingDone is"
            ]
        );
    }

    #[test]
    fn a_waiter_for_a_deletion_waits_for_a_listed_404() {
        let gone = |success: Value| {
            let mut waiters = done(success);
            waiters["thingDone"]["failure"] = json!([{ "field": "status", "equals": ["FAILED"] }]);
            waiters
        };
        let mut document = spec("get", gone(json!([{ "status": 404 }])));
        assert_eq!(
            messages(&document),
            [
                "GET /things/{id}: waiter `thingDone` waits for a 404, which the operation does not list among its answers"
            ]
        );
        document["paths"]["/things/{id}"]["get"]["responses"]["404"] =
            json!({ "description": "Not Found" });
        let (found, problems) = check(&document);
        assert_eq!(problems, vec![]);
        let waiter = &found[0].waiters[0];
        assert!(waiter.is_gone());
        assert_eq!(waiter.success_matchers(), &[]);
        assert_eq!(waiter.failure.len(), 1);

        document["paths"]["/things/{id}"]["get"]["x-waiters"] = gone(json!([
            { "status": 404 },
            { "field": "status", "equals": ["DONE"] }
        ]));
        let refusal = "GET /things/{id}: waiter `thingDone` waits for a status, which it may only as its one success matcher `{status: 404}`: the resource gone";
        assert_eq!(messages(&document), [refusal]);
        document["paths"]["/things/{id}"]["get"]["x-waiters"] = gone(json!([{ "status": 200 }]));
        assert_eq!(messages(&document), [refusal]);
        let mut failing = gone(json!([{ "status": 404 }]));
        failing["thingDone"]["failure"] = json!([{ "status": 404 }]);
        document["paths"]["/things/{id}"]["get"]["x-waiters"] = failing;
        assert_eq!(
            messages(&document),
            [
                "GET /things/{id}: waiter `thingDone` has a status among its failure matchers: a read that fails ends the wait by itself"
            ]
        );
    }

    #[test]
    fn a_malformed_waiter_is_an_error_for_regen() {
        let mut waiters = done(json!([{ "field": "status", "equals": ["DONE"] }]));
        waiters["thingDone"]["minDelay"] = json!("soon");
        let error = read(&spec("get", waiters)).unwrap_err().to_string();
        assert!(
            error.contains("#/paths/~1things~1{id}/get/x-waiters/thingDone: GET /things/{id}: waiter `thingDone` is malformed: invalid type: string \"soon\", expected u64"),
            "{error}"
        );
    }
}
