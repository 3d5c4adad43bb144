//! The interface between the generated code and the hand-written runtime.
//! Generated `send` methods call [`Operation::complete`]; nothing here is
//! meant to be called by hand.

use std::cell::RefCell;
use std::future::Future;
use std::num::{NonZeroU32, NonZeroU64};
use std::sync::Arc;

use bytes::Bytes;
use progenitor_client::ResponseValue;
use reqwest::StatusCode;
use reqwest::header::HeaderMap;

use crate::auth::Authenticator;
use crate::error::{AuthError, Error, ErrorKind};
use crate::retry::RetryPolicy;
use crate::transport::{ERROR_BODY_LIMIT, read_at_most};
use crate::types::ApiError;

/// What a [`Client`](crate::Client) carries beside its HTTP client: the
/// credentials and what it learned using them, and the retry policy.
/// Build one with [`Client::builder`](crate::Client::builder).
#[derive(Clone, Debug)]
pub struct Runtime(pub(crate) Arc<Settings>);

#[derive(Debug)]
pub(crate) struct Settings {
    /// Shared by the clients that [`Client::with_retry`](crate::Client::with_retry)
    /// derives, so that they reuse what it learned (a Digest nonce, a token).
    pub(crate) auth: Arc<Authenticator>,
    pub(crate) retry: RetryPolicy,
}

/// One operation of the spec, as its generated `send` names it.
#[doc(hidden)]
#[derive(Clone, Copy, Debug)]
pub struct Operation {
    /// The operationId.
    pub id: &'static str,
    /// The note of a deprecated operation.
    pub deprecation: Option<&'static str>,
}

/// What the runtime learned while sending one call, for the error it may
/// become: the progenitor error alone loses the status of a body that
/// does not decode, and has no room for an authentication failure.
#[derive(Debug, Default)]
pub(crate) struct CallRecord {
    pub(crate) attempts: u32,
    pub(crate) status: Option<StatusCode>,
    pub(crate) headers: Option<HeaderMap>,
    pub(crate) auth_failure: Option<AuthError>,
}

tokio::task_local! {
    static CALL: RefCell<CallRecord>;
    static OPERATION: Operation;
}

/// Updates the record of the call being sent, if there is one.
pub(crate) fn record(update: impl FnOnce(&mut CallRecord)) {
    let _ = CALL.try_with(|call| update(&mut call.borrow_mut()));
}

/// The operation being sent, if known.
pub(crate) fn current_operation() -> Option<&'static str> {
    OPERATION.try_with(|operation| operation.id).ok()
}

type Generated<T, E> = Result<ResponseValue<T>, progenitor_client::Error<E>>;

/// The typed error body of an operation: [`ApiError`], or `()` for an
/// operation whose spec lists no error status.
#[doc(hidden)]
pub trait ErrorBody: Sized {
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

impl Operation {
    /// Runs `dispatch`, the generated request, and turns its failure into
    /// an [`Error`].
    pub async fn complete<T, E: ErrorBody>(
        self,
        dispatch: impl Future<Output = Generated<T, E>>,
    ) -> Result<ResponseValue<T>, Error> {
        let recorded = async {
            let result = dispatch.await;
            (result, CALL.with(RefCell::take))
        };
        let (result, call) = OPERATION
            .scope(self, CALL.scope(RefCell::default(), recorded))
            .await;
        let kind = match (call.auth_failure, result) {
            (Some(failure), _) => ErrorKind::Auth(failure),
            (None, Ok(value)) => return Ok(value),
            (None, Err(error)) => {
                let (status, headers) = (call.status, call.headers.unwrap_or_default());
                error_kind(error, status, headers).await
            }
        };
        Err(self.error(call.attempts, kind))
    }

    /// Refuses an out-of-range integer parameter before anything is sent.
    /// A value that failed to convert is left for `dispatch` to report.
    pub fn check_bounds(
        self,
        name: &str,
        value: &Result<impl ParameterValue, String>,
        minimum: Option<i64>,
        maximum: Option<i64>,
    ) -> Result<(), Error> {
        let Some(value) = value.as_ref().ok().and_then(ParameterValue::as_i128) else {
            return Ok(());
        };
        let below = minimum.is_some_and(|min| value < i128::from(min));
        let above = maximum.is_some_and(|max| value > i128::from(max));
        if !(below || above) {
            return Ok(());
        }
        let range = match (minimum, maximum) {
            (Some(min), Some(max)) => format!("from {min} to {max}"),
            (Some(min), None) => format!("at least {min}"),
            (None, Some(max)) => format!("at most {max}"),
            (None, None) => unreachable!("a bound was crossed"),
        };
        Err(self.invalid_request(&format!("{name} must be {range}, not {value}")))
    }

    /// An error for a parameter refused before sending.
    pub fn invalid_request(self, message: &str) -> Error {
        self.error(0, ErrorKind::InvalidRequest(message.to_string()))
    }

    fn error(self, attempts: u32, kind: ErrorKind) -> Error {
        Error::new(self.id, self.deprecation, attempts, kind)
    }
}

/// Classifies a failure of the generated code. `status` and `headers` are
/// those of the last answer, which the generated error may have dropped.
async fn error_kind<E: ErrorBody>(
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
            match read_at_most(response, ERROR_BODY_LIMIT).await {
                Ok(body) => from_error_body(status, headers, &body),
                Err(e) => ErrorKind::Transport(e),
            }
        }
    }
}

/// Atlas's error JSON if `body` is one, else the body as text, at most
/// [`ERROR_BODY_LIMIT`] bytes of it.
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
            body: String::from_utf8_lossy(&body[..body.len().min(ERROR_BODY_LIMIT)]).into_owned(),
        },
    }
}

/// An integer parameter as [`Operation::check_bounds`] compares it.
#[doc(hidden)]
pub trait ParameterValue {
    /// The value, or `None` for an optional parameter left unset.
    fn as_i128(&self) -> Option<i128>;
}

impl<T: ParameterValue> ParameterValue for Option<T> {
    fn as_i128(&self) -> Option<i128> {
        self.as_ref()?.as_i128()
    }
}

macro_rules! integer_parameters {
    ($($t:ty => |$v:ident| $to_i128:expr),* $(,)?) => {$(
        impl ParameterValue for $t {
            fn as_i128(&self) -> Option<i128> {
                let $v = *self;
                Some($to_i128)
            }
        }
    )*};
}

integer_parameters! {
    i32 => |v| i128::from(v),
    i64 => |v| i128::from(v),
    u32 => |v| i128::from(v),
    u64 => |v| i128::from(v),
    NonZeroU32 => |v| i128::from(v.get()),
    NonZeroU64 => |v| i128::from(v.get()),
}
