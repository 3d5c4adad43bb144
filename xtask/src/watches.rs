//! Writes followed by a wait: the `x-watch` extension of a write names the
//! waiter that reads what it wrote, which the command line's `--watch`
//! runs after the write, as Atlas's CLI runs the `watcher` of its writes.
//! Read here from the spec as written, with the waiters, and checked: the
//! waiter exists, and each required parameter of the operation it reads
//! comes from the write's parameter of the same name or from a string
//! field of the write's answer.
//!
//! ```yaml
//! post:
//!   operationId: createBackupPrivateEndpoint
//!   x-watch:
//!     waiter: privateEndpointActive   # a waiter of x-waiters
//!     fromAnswer: {endpointId: id}    # the read's endpointId is the answer's id
//! ```

use std::collections::BTreeMap;

use anyhow::Result;
use serde::Deserialize;
use serde_json::Value;

use crate::raw::resolve::follow;
use crate::raw::{self, RawOperation};
use crate::waiters::{OperationWaiters, Problem, Waiter, property, refuse_any, success_schema};

/// The extension on a write.
pub const EXTENSION: &str = "x-watch";

/// A write and the waiter that reads what it wrote.
#[derive(Clone, Debug, PartialEq)]
pub struct Watch {
    /// The write's operationId.
    pub operation_id: String,
    /// The operationId of the read the waiter makes.
    pub read: String,
    pub waiter: Waiter,
    /// Each parameter of the read taken from the write's answer, with the
    /// answer's field that gives it; the others come from the write's
    /// parameters of the same name.
    pub from_answer: Vec<(String, String)>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
struct WrittenWatch {
    waiter: String,
    #[serde(default)]
    from_answer: BTreeMap<String, String>,
    /// Why the waiter is the one that reads the write.
    #[serde(rename = "x-curation", default)]
    _curation: Option<String>,
}

/// The watches of `document`, whose waiters are `waiters`, or, for regen,
/// an error listing every problem.
pub fn read(document: &Value, waiters: &[OperationWaiters]) -> Result<Vec<Watch>> {
    let (watches, problems) = check(document, waiters);
    refuse_any(EXTENSION, &problems)?;
    Ok(watches)
}

/// The watches of `document` that are well formed, and a problem for each
/// that is not.
pub fn check(document: &Value, waiters: &[OperationWaiters]) -> (Vec<Watch>, Vec<Problem>) {
    let mut found = Vec::new();
    let mut problems = Vec::new();
    for write in raw::operations(document) {
        let Some(written) = write.operation.get(EXTENSION) else {
            continue;
        };
        let at = format!("{}/{EXTENSION}", write.pointer());
        let place = write.label();
        let mut refuse = |message: String| {
            problems.push(Problem {
                pointer: at.clone(),
                message: format!("{place}: {message}"),
            });
        };
        if write.method == "get" {
            refuse(format!(
                "{EXTENSION} follows a write with a wait; a read waits with its own `watch-…` command"
            ));
            continue;
        }
        let written: WrittenWatch = match serde_json::from_value(written.clone()) {
            Ok(written) => written,
            Err(e) => {
                refuse(format!("{EXTENSION} is malformed: {e}"));
                continue;
            }
        };
        let Some((read_id, waiter)) = waiters.iter().find_map(|o| {
            o.waiters
                .iter()
                .find(|w| w.name == written.waiter)
                .map(|w| (o.operation_id.as_str(), w))
        }) else {
            refuse(format!(
                "{EXTENSION} names `{}`, which is no waiter, or a malformed one",
                written.waiter
            ));
            continue;
        };
        let Some(read) = raw::operations(document).find(|o| o.operation_id() == read_id) else {
            continue;
        };
        let before = problems.len();
        let mut refuse = |message: String| {
            problems.push(Problem {
                pointer: at.clone(),
                message: format!("{place}: {message}"),
            });
        };
        let write_parameters = parameters(document, &write);
        let answer = success_schema(document, write.operation);
        for (parameter, field) in &written.from_answer {
            if !parameters(document, &read).contains_key(parameter.as_str()) {
                refuse(format!(
                    "{EXTENSION} gives `{parameter}`, which is no parameter of {read_id}"
                ));
            }
            let kind = answer
                .and_then(|answer| property(document, answer, field))
                .and_then(|schema| schema.get("type"))
                .and_then(Value::as_str);
            if kind != Some("string") {
                refuse(format!(
                    "{EXTENSION} takes `{parameter}` from `{field}`, which is no string field of the write's answer"
                ));
            }
        }
        for (name, required) in parameters(document, &read) {
            let given =
                write_parameters.contains_key(name) || written.from_answer.contains_key(name);
            if required && !given {
                refuse(format!(
                    "{read_id} needs `{name}`, which is neither a parameter of the write nor given `fromAnswer`"
                ));
            }
        }
        if problems.len() == before {
            found.push(Watch {
                operation_id: write.operation_id().to_string(),
                read: read_id.to_string(),
                waiter: waiter.clone(),
                from_answer: written.from_answer.into_iter().collect(),
            });
        }
    }
    (found, problems)
}

/// The parameters of `operation`, its path item's included, by name, and
/// whether each is required.
fn parameters<'a>(document: &'a Value, operation: &RawOperation<'a>) -> BTreeMap<&'a str, bool> {
    let listed = |holder: &'a Value| {
        holder
            .get("parameters")
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
    };
    listed(operation.item)
        .chain(listed(operation.operation))
        .map(|parameter| follow(document, parameter))
        .filter_map(|parameter| {
            let name = parameter.get("name")?.as_str()?;
            let required = parameter.get("required").and_then(Value::as_bool);
            Some((name, required == Some(true)))
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;
    use crate::waiters;

    /// A spec with a read that has a waiter, and a create and a delete.
    fn spec(create: Value, delete: Value) -> Value {
        let id = json!({ "name": "thingId", "in": "path", "required": true, "schema": { "type": "string" } });
        let group = json!({ "name": "groupId", "in": "path", "required": true, "schema": { "type": "string" } });
        let thing = json!({ "content": { "application/json": {
            "schema": { "$ref": "#/components/schemas/Thing" } } } });
        json!({
            "paths": {
                "/groups/{groupId}/things": { "post": {
                    "operationId": "createThing",
                    "parameters": [group],
                    "x-watch": create,
                    "responses": { "201": thing }
                } },
                "/groups/{groupId}/things/{thingId}": {
                    "parameters": [group],
                    "get": {
                        "operationId": "getThing",
                        "parameters": [id],
                        "x-waiters": { "thingReady": {
                            "description": "Waits.", "resource": "thing",
                            "minDelay": 1, "maxDelay": 10, "maxWait": 60,
                            "success": [{ "field": "status", "equals": ["READY"] }]
                        } },
                        "responses": { "200": thing }
                    },
                    "delete": {
                        "operationId": "deleteThing",
                        "parameters": [id],
                        "x-watch": delete,
                        "responses": { "204": { "description": "Deleted" } }
                    }
                }
            },
            "components": { "schemas": { "Thing": { "type": "object", "properties": {
                "id": { "type": "string" },
                "size": { "type": "integer" },
                "status": { "type": "string", "enum": ["PENDING", "READY"] }
            } } } }
        })
    }

    fn checked(document: &Value) -> (Vec<Watch>, Vec<String>) {
        let (waiters, problems) = waiters::check(document);
        assert_eq!(problems, vec![]);
        let (watches, problems) = check(document, &waiters);
        (watches, problems.into_iter().map(|p| p.message).collect())
    }

    #[test]
    fn a_watch_takes_parameters_from_the_write_and_its_answer() {
        let document = spec(
            json!({ "waiter": "thingReady", "fromAnswer": { "thingId": "id" } }),
            json!({ "waiter": "thingReady" }),
        );
        let (watches, problems) = checked(&document);
        assert_eq!(problems, Vec::<String>::new());
        assert_eq!(watches.len(), 2);
        assert_eq!(watches[0].operation_id, "createThing");
        assert_eq!(watches[0].read, "getThing");
        assert_eq!(watches[0].waiter.name, "thingReady");
        assert_eq!(
            watches[0].from_answer,
            [("thingId".to_string(), "id".to_string())]
        );
        assert!(watches[1].from_answer.is_empty());
    }

    #[test]
    fn a_watch_that_cannot_give_the_read_its_parameters_is_refused() {
        let document = spec(
            json!({ "waiter": "thingReady", "fromAnswer": { "size": "size", "thingId": "name" } }),
            json!({ "waiter": "thingGone" }),
        );
        let (_, problems) = checked(&document);
        assert_eq!(
            problems,
            [
                "POST /groups/{groupId}/things: x-watch gives `size`, which is no parameter of getThing",
                "POST /groups/{groupId}/things: x-watch takes `size` from `size`, which is no string field of the write's answer",
                "POST /groups/{groupId}/things: x-watch takes `thingId` from `name`, which is no string field of the write's answer",
                "DELETE /groups/{groupId}/things/{thingId}: x-watch names `thingGone`, which is no waiter, or a malformed one",
            ]
        );
        let document = spec(
            json!({ "waiter": "thingReady" }),
            json!({ "waiter": "thingReady" }),
        );
        let (_, problems) = checked(&document);
        assert_eq!(
            problems,
            [
                "POST /groups/{groupId}/things: getThing needs `thingId`, which is neither a parameter of the write nor given `fromAnswer`"
            ]
        );
    }

    #[test]
    fn a_malformed_watch_is_an_error_for_regen() {
        let document = spec(
            json!({ "waiter": "thingReady", "fromAnswer": { "thingId": "id" }, "timeout": 5 }),
            json!({ "waiter": "thingReady" }),
        );
        let (waiters, _) = waiters::check(&document);
        let error = read(&document, &waiters).unwrap_err().to_string();
        assert!(
            error.contains("#/paths/~1groups~1{groupId}~1things/post/x-watch: POST /groups/{groupId}/things: x-watch is malformed: unknown field `timeout`"),
            "{error}"
        );
    }
}
