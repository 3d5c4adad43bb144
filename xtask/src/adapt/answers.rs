//! One success type and one error type per operation, as progenitor 0.15
//! types them: an answer without a body beside answers with one is shown
//! to it as absent (Atlas's 200 beside 204 becomes an `Option`); two
//! different success bodies are refused, and of two different error
//! bodies the one most error answers share is typed.

use anyhow::{Result, bail};
use openapiv3::{Components, Operation, ReferenceOr, Response, StatusCode};

use crate::facts::{Concession, PLAIN_JSON};
use crate::lookup;

/// The success statuses of `operation` answered without a body beside
/// others answered with one, which it removes: progenitor 0.15 gives each
/// operation one success type, and panics otherwise. Refuses success
/// answers with two different bodies, which no `Option` covers.
pub(super) fn body_or_nothing(
    place: &str,
    components: &Components,
    operation: &mut Operation,
) -> Result<Vec<u16>> {
    let bodies: Vec<(StatusCode, Option<String>)> = operation
        .responses
        .responses
        .iter()
        .filter(|(status, _)| is_success(status))
        .map(|(status, response)| (status.clone(), body_schema(components, response)))
        .collect();
    let mut with_body = bodies.iter().filter(|(_, body)| body.is_some());
    let Some((first_status, first)) = with_body.next() else {
        return Ok(Vec::new());
    };
    if let Some((status, _)) = with_body.find(|(_, body)| body != first) {
        bail!(
            "{place}: success answers {first_status} and {status} have different bodies; the client decodes one success type per operation"
        );
    }
    let mut bodiless = Vec::new();
    for (status, body) in &bodies {
        match (status, body) {
            (_, Some(_)) => {}
            (StatusCode::Code(code), None) => bodiless.push(*code),
            (StatusCode::Range(_), None) => bail!(
                "{place}: success answers {first_status} and {status} differ, one with a body and a range of statuses without; the client can tell only single statuses apart"
            ),
        }
    }
    operation
        .responses
        .responses
        .retain(|status, _| !matches!(status, StatusCode::Code(code) if bodiless.contains(code)));
    Ok(bodiless)
}

/// Leaves out of `operation` the error answers progenitor 0.15 cannot
/// type beside the others, since it types one error body per operation
/// and panics otherwise: error answers without a body beside answers with
/// one, and error answers whose body differs from the one most of them
/// share (the first such, if two are as common). An error answer left out
/// fails the call all the same, as an answer the operation does not list,
/// with its status and body. Returns the [`Concession`] of the differing
/// bodies, if any.
pub(super) fn one_error_body(
    components: &Components,
    operation: &mut Operation,
) -> Option<Concession> {
    let answers = &operation.responses;
    let bodies: Vec<(String, Option<String>)> = answers
        .responses
        .iter()
        .filter(|(status, _)| !is_success(status))
        .map(|(status, response)| (status.to_string(), response))
        .chain(answers.default.iter().map(|d| ("default".to_string(), d)))
        .map(|(status, response)| (status, body_schema(components, response)))
        .collect();
    let sharing = |body: &String| {
        bodies
            .iter()
            .filter(|(_, b)| b.as_ref() == Some(body))
            .count()
    };
    let (typed_status, typed_body) = bodies
        .iter()
        .filter_map(|(status, body)| Some((status, body.as_ref()?)))
        .rev()
        .max_by_key(|(_, body)| sharing(body))?;
    let left_out: Vec<&str> = bodies
        .iter()
        .filter(|(_, body)| body.as_ref() != Some(typed_body))
        .map(|(status, _)| status.as_str())
        .collect();
    let untyped: Vec<String> = bodies
        .iter()
        .filter(|(_, body)| body.is_some() && body.as_ref() != Some(typed_body))
        .map(|(status, _)| status.clone())
        .collect();
    let concession = (!untyped.is_empty()).then(|| Concession::UntypedErrorBodies {
        typed: typed_status.clone(),
        untyped,
    });
    operation
        .responses
        .responses
        .retain(|status, _| is_success(status) || !left_out.contains(&status.to_string().as_str()));
    if left_out.contains(&"default") {
        operation.responses.default = None;
    }
    concession
}

/// The JSON schema of an answer, as text to compare; `None` without one.
fn body_schema(components: &Components, response: &ReferenceOr<Response>) -> Option<String> {
    let response = lookup::response(components, response)?;
    let schema = response.content.get(PLAIN_JSON)?.schema.as_ref()?;
    Some(serde_json::to_string(schema).unwrap_or_default())
}

pub(super) fn is_success(status: &StatusCode) -> bool {
    matches!(status, StatusCode::Code(200..=299) | StatusCode::Range(2))
}
