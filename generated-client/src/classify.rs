//! What a failed call was: the generated code's error, completed with what
//! the call record kept, as an [`ErrorKind`].

use bytes::Bytes;
use progenitor_client::ResponseValue;
use reqwest::StatusCode;
use reqwest::header::HeaderMap;

use crate::body::{KEPT_ERROR_BODY, read_at_most};
use crate::error::ErrorKind;
use crate::types::ApiError;

/// The typed error body of an operation: [`ApiError`], or `()` for an
/// operation whose spec lists no error status.
pub(crate) trait ErrorBody: Sized {
    /// The error an answer with this body is.
    fn into_kind(answer: ResponseValue<Self>) -> ErrorKind;
}

impl ErrorBody for ApiError {
    fn into_kind(answer: ResponseValue<Self>) -> ErrorKind {
        ErrorKind::Api {
            status: answer.status(),
            headers: answer.headers().clone(),
            body: Box::new(answer.into_inner()),
        }
    }
}

impl ErrorBody for () {
    fn into_kind(answer: ResponseValue<Self>) -> ErrorKind {
        ErrorKind::Http {
            status: answer.status(),
            headers: answer.headers().clone(),
            body: String::new(),
        }
    }
}

/// Classifies a failure of the generated code. `status` and `headers` are
/// those of the last answer, which the generated error may have dropped.
pub(crate) async fn classify<E: ErrorBody>(
    error: progenitor_client::Error<E>,
    status: Option<StatusCode>,
    headers: HeaderMap,
) -> ErrorKind {
    use progenitor_client::Error as Generated;
    match error {
        Generated::InvalidRequest(message) | Generated::Custom(message) => {
            ErrorKind::InvalidRequest(message)
        }
        Generated::CommunicationError(e)
        | Generated::ResponseBodyError(e)
        | Generated::InvalidUpgrade(e) => ErrorKind::Transport(e),
        Generated::ErrorResponse(answer) => E::into_kind(answer),
        Generated::InvalidResponsePayload(body, source) => match status {
            Some(status) if !status.is_success() => from_error_body(status, headers, &body),
            status => ErrorKind::Decode {
                status: status.unwrap_or(StatusCode::OK),
                body,
                error: source,
            },
        },
        Generated::UnexpectedResponse(response) => {
            let status = response.status();
            let headers = response.headers().clone();
            match read_at_most(response, KEPT_ERROR_BODY).await {
                Ok(body) => from_error_body(status, headers, &body),
                Err(e) => ErrorKind::Transport(e),
            }
        }
    }
}

/// Atlas's error JSON if `body` is one, else the body as text, at most
/// [`KEPT_ERROR_BODY`] bytes of it.
fn from_error_body(status: StatusCode, headers: HeaderMap, body: &Bytes) -> ErrorKind {
    match serde_json::from_slice::<ApiError>(body) {
        Ok(api_error) => ErrorKind::Api {
            status,
            headers,
            body: Box::new(api_error),
        },
        Err(_) => ErrorKind::Http {
            status,
            headers,
            body: String::from_utf8_lossy(&body[..body.len().min(KEPT_ERROR_BODY)]).into_owned(),
        },
    }
}
