//! What the generated code calls: every generated `send` checks the
//! bounds of its parameters with [`Operation::check_bounds`] and their
//! listed values with [`Operation::check_listed`], then hands
//! the request it built, and the function that decodes the answer, to
//! [`exec`], which returns the call's outcome. The rest of the generated
//! code is progenitor's own.

use std::future::Future;
use std::num::{NonZeroU32, NonZeroU64};

use progenitor_client::ResponseValue;
use reqwest::header::HeaderMap;
use reqwest::{Request, Response, StatusCode};

use crate::Client;
use crate::auth::Failure;
use crate::classify::{ErrorBody, classify};
use crate::error::{Error, ErrorKind};

pub(crate) use crate::call::AuthAndRetry;

/// One operation of the spec, as its generated `send` names it.
#[derive(Clone, Copy, Debug)]
pub(crate) struct Operation {
    /// The operationId.
    pub(crate) id: &'static str,
    /// The note of a deprecated operation.
    pub(crate) deprecation: Option<&'static str>,
}

/// What progenitor's code makes of a request or an answer.
type Generated<T, E> = Result<T, progenitor_client::Error<E>>;

/// Sends `request`, which the generated code built for `operation`, with
/// `client`'s credentials and retry policy, and decodes the last answer
/// with `decode`. Every failure is an [`Error`]: a request refused before
/// sending, a failure to authenticate or to reach Atlas, and an answer
/// that is an error or does not decode.
//
// An `async` block rather than an `async fn`, which would keep the
// request twice, as its argument and as its local: every call's future
// holds this one.
#[allow(
    clippy::manual_async_fn,
    reason = "an `async fn` would keep the request twice"
)]
pub(crate) fn exec<T, E: ErrorBody, D>(
    operation: Operation,
    client: &Client,
    request: Generated<Request, E>,
    decode: impl FnOnce(Response) -> D,
) -> impl Future<Output = Result<ResponseValue<T>, Error>>
where
    D: Future<Output = Generated<ResponseValue<T>, E>>,
{
    async move {
        let request = match request {
            Ok(request) => request,
            Err(refused) => return Err(operation.failure(refused, None, 0).await),
        };
        let sent = client
            .inner
            .send(&client.client, request, operation.id)
            .await;
        let requests = sent.requests;
        let response = match sent.outcome {
            Ok(response) => response,
            Err(Failure::Auth(e)) => return Err(operation.error(requests, ErrorKind::Auth(e))),
            Err(Failure::Transport(e)) => {
                return Err(operation.error(requests, ErrorKind::Transport(e)));
            }
        };
        // Kept for an error status, whose body may not decode: the error
        // progenitor's code makes of it has neither.
        let status = response.status();
        let headers = (!status.is_success()).then(|| Box::new(response.headers().clone()));
        match decode(response).await {
            Ok(value) => Ok(value),
            Err(e) => Err(operation
                .failure(e, Some((status, headers)), requests)
                .await
                .after_unknown_outcome(sent.unknown_earlier)),
        }
    }
}

impl Operation {
    /// The error that a failure of progenitor's code is, after `requests`
    /// requests and the answer `answered`, if there was one.
    fn failure<E: ErrorBody>(
        self,
        error: progenitor_client::Error<E>,
        answered: Option<(StatusCode, Option<Box<HeaderMap>>)>,
        requests: u32,
    ) -> impl Future<Output = Error> {
        let (status, headers) = match answered {
            Some((status, headers)) => (Some(status), headers.map(|h| *h).unwrap_or_default()),
            None => (None, HeaderMap::new()),
        };
        // Boxed: only a failed call needs the room to classify it.
        let kind = Box::pin(classify(error, status, headers));
        async move { self.error(requests, kind.await) }
    }

    /// Refuses an out-of-range integer parameter before anything is sent.
    /// A value that failed to convert is left for `build_request` to report.
    pub(crate) fn check_bounds(
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

    /// Refuses a value of an enum parameter that the spec does not list:
    /// its enum keeps any value, so that answers decode, but Atlas
    /// refuses one it does not know. An unset parameter passes.
    pub(crate) fn check_listed(
        self,
        name: &str,
        value: Option<&str>,
        listed: &[&str],
    ) -> Result<(), Error> {
        let Some(value) = value.filter(|value| !listed.contains(value)) else {
            return Ok(());
        };
        let listed = match listed.split_last() {
            Some((last, [])) => (*last).to_string(),
            Some((last, rest)) => format!("{} or {last}", rest.join(", ")),
            None => "unset".to_string(),
        };
        Err(self.invalid_request(&format!("{name} must be {listed}, not {value:?}")))
    }

    /// An error for a parameter refused before sending.
    pub(crate) fn invalid_request(self, message: &str) -> Error {
        self.error(0, ErrorKind::InvalidRequest(message.to_string()))
    }

    fn error(self, attempts: u32, kind: ErrorKind) -> Error {
        Error::new(self.id, self.deprecation, attempts, kind)
    }
}

/// An integer parameter as [`Operation::check_bounds`] compares it.
pub(crate) trait ParameterValue {
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

#[cfg(test)]
mod tests {
    use super::*;

    const OPERATION: Operation = Operation {
        id: "listThings",
        deprecation: None,
    };

    #[test]
    fn an_unlisted_value_is_refused_naming_the_list() {
        assert!(
            OPERATION
                .check_listed("kind", Some("AWS"), &["AWS"])
                .is_ok()
        );
        assert!(OPERATION.check_listed("kind", None, &["AWS"]).is_ok());
        let refused = |listed: &[&str]| {
            OPERATION
                .check_listed("kind", Some("OCI"), listed)
                .unwrap_err()
                .to_string()
        };
        assert_eq!(
            refused(&["AWS"]),
            "listThings: invalid request: kind must be AWS, not \"OCI\""
        );
        assert_eq!(
            refused(&["AWS", "AZURE", "GCP"]),
            "listThings: invalid request: kind must be AWS, AZURE or GCP, not \"OCI\""
        );
    }
}
