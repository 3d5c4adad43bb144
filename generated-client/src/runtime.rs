//! What the generated code calls: every generated `send` keeps an
//! [`Operation::record`] of its call, sends its request with [`exec`] and
//! ends with [`Operation::complete`]. Nothing here is meant to be called by
//! hand.

use std::future::Future;
use std::num::{NonZeroU32, NonZeroU64};

use futures_util::future::{self, Either};
use progenitor_client::ResponseValue;

pub(crate) use crate::call::{CallRecord, exec};
use crate::classify::classify;
use crate::error::{Error, ErrorKind};

pub use crate::call::AuthAndRetry;
pub use crate::classify::ErrorBody;
pub use crate::decode::decode;
pub use crate::optional_query::OptionalQuery;
pub use crate::path_segment::{PathSegment, PathValue};
pub use crate::pattern::Pattern;

/// One operation of the spec, as its generated `send` names it.
#[doc(hidden)]
#[derive(Clone, Copy, Debug)]
pub struct Operation {
    /// The operationId.
    pub id: &'static str,
    /// The note of a deprecated operation.
    pub deprecation: Option<&'static str>,
}

type Generated<T, E> = Result<ResponseValue<T>, progenitor_client::Error<E>>;

impl Operation {
    /// The record of one call of this operation, for the generated
    /// request to fill in through [`exec`].
    pub(crate) fn record(self) -> CallRecord {
        CallRecord::new(self.id)
    }

    /// Turns the outcome of the generated request, and the record of what
    /// it sent, into the call's outcome.
    pub(crate) fn complete<T, E: ErrorBody>(
        self,
        result: Generated<T, E>,
        call: CallRecord,
    ) -> impl Future<Output = Result<ResponseValue<T>, Error>> {
        match (result, &call.auth_failure) {
            (Ok(value), None) => Either::Left(future::ready(Ok(value))),
            // Boxed: only a failed call needs the room to classify it.
            (result, _) => Either::Right(Box::pin(self.failure(result, call))),
        }
    }

    /// The outcome of a call that failed to authenticate or to succeed.
    async fn failure<T, E: ErrorBody>(
        self,
        result: Generated<T, E>,
        call: CallRecord,
    ) -> Result<ResponseValue<T>, Error> {
        let kind = match (call.auth_failure, result) {
            (Some(failure), _) => ErrorKind::Auth(failure),
            (None, Ok(value)) => return Ok(value),
            (None, Err(error)) => {
                let headers = call.headers.map(|h| *h).unwrap_or_default();
                classify(error, call.status, headers).await
            }
        };
        Err(self
            .error(call.requests, kind)
            .after_unknown_outcome(call.unknown_earlier))
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
