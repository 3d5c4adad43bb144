//! Sending one call: every request authenticated and traced, the request
//! sent again while the retry policy allows, and a record of what was sent
//! for the error the call may become.

use std::future::Future;
use std::sync::Arc;
use std::time::{Duration, Instant};

use futures_util::FutureExt;
use progenitor_client::ClientHooks;
use reqwest::header::HeaderMap;
use reqwest::{Method, Request, Response, StatusCode};
use tracing::Instrument;
use tracing::field::Empty;

use crate::Client;
use crate::auth::{Authenticator, CountedHttp, Failure};
use crate::error::AuthError;
use crate::retry::{
    self, Repeatable, RetryPolicy, UnknownOutcome, is_retryable_error, is_retryable_status,
};

/// What a [`Client`] carries beside its HTTP client: the credentials, with
/// what it learned using them, and the retry policy. Build one with
/// [`Client::builder`].
#[derive(Clone, Debug)]
pub struct AuthAndRetry {
    /// Shared by the clients that [`Client::with_retry`] derives, so that
    /// they reuse what it learned (Digest nonces, a token).
    pub(crate) auth: Arc<Authenticator>,
    pub(crate) retry: RetryPolicy,
}

/// What was sent for one call, for the error it may become: the
/// generated error alone loses the status of a body that does not decode,
/// and has no room for an authentication failure. The generated `send`
/// owns it and lends it to [`exec`].
#[derive(Debug, Default)]
pub(crate) struct CallRecord {
    /// The operationId, for the request's span.
    pub(crate) operation: &'static str,
    /// Every request sent: retries, Digest challenges and token requests.
    pub(crate) requests: u32,
    pub(crate) status: Option<StatusCode>,
    /// Those of a failed answer. Boxed: the record is part of every
    /// call's future, and only a failed call keeps them.
    pub(crate) headers: Option<Box<HeaderMap>>,
    pub(crate) auth_failure: Option<AuthError>,
    /// A DELETE that ends in 404 after an attempt whose outcome is
    /// unknown: that attempt may have done the deletion.
    pub(crate) unknown_earlier: Option<UnknownOutcome>,
}

impl CallRecord {
    /// The record of a call of `operation` that has sent nothing yet.
    pub(crate) fn new(operation: &'static str) -> Self {
        Self {
            operation,
            ..Self::default()
        }
    }
}

// progenitor's `pre` and `post` hooks keep their defaults. Its `exec` is
// never called: the generated code sends with [`exec`] below, which keeps
// the record of the call.
impl ClientHooks<AuthAndRetry> for Client {}

/// Sends `request`, the generated request of the call that `call`
/// records, as the client's credentials and retry policy say.
pub(crate) fn exec<'a>(
    client: &'a Client,
    request: Request,
    call: &'a mut CallRecord,
) -> impl Future<Output = reqwest::Result<Response>> + Send + 'a {
    client.inner.send(&client.client, request, call)
}

impl AuthAndRetry {
    /// Sends `request`, retrying as the policy allows, and returns the last
    /// answer.
    //
    // An `async` block rather than an `async fn`, which would keep the
    // request twice, as its argument and as its local. Only the request
    // and its spare live across an await: every call's future holds this
    // one, and a smaller future costs less to move and to touch.
    #[allow(
        clippy::manual_async_fn,
        reason = "an `async fn` would keep the request twice"
    )]
    fn send<'a>(
        &'a self,
        http: &'a reqwest::Client,
        mut request: Request,
        call: &'a mut CallRecord,
    ) -> impl Future<Output = reqwest::Result<Response>> + Send + 'a {
        async move {
            let operation = call.operation;
            let started = Instant::now();
            let http = CountedHttp::new(http);
            let repeatable = self.retry.repeatable(request.method());
            let deletes = request.method() == Method::DELETE;
            let mut unknown_earlier = None;
            let mut attempt = 1;
            loop {
                let wait = {
                    let spare = if attempt < self.retry.attempts() {
                        spare(&request)
                    } else {
                        None
                    };
                    let outcome = self.attempt(&http, request, operation, attempt).await;
                    let wait = retry_asked(&outcome, repeatable).and_then(|retry_after| {
                        self.retry
                            .wait_before_retry(attempt, retry_after, started.elapsed())
                    });
                    match (wait, spare) {
                        (Some(wait), Some(spare)) => {
                            if deletes {
                                unknown_earlier = unknown_earlier.or(unknown_outcome(&outcome));
                            }
                            request = spare;
                            wait
                        }
                        _ => {
                            call.requests += http.sent();
                            if matches!(&outcome, Ok(r) if r.status() == StatusCode::NOT_FOUND) {
                                call.unknown_earlier = unknown_earlier;
                            }
                            return finish(outcome, call);
                        }
                    }
                };
                let wait_ms = wait.as_millis() as u64;
                tracing::debug!(operation, attempt, wait_ms, "retrying");
                // Boxed, as only a retried call needs the room.
                Box::pin(tokio::time::sleep(wait)).await;
                attempt += 1;
            }
        }
    }

    /// One attempt, in a span that carries the operation, the attempt, the
    /// status and the time taken; never a header. It can take more than
    /// one request: a Digest challenge, a token.
    //
    // Not an `async fn`, which would hold the request beside the future it
    // is moved into.
    fn attempt<'a>(
        &'a self,
        http: &'a CountedHttp<'_>,
        request: Request,
        operation: &'static str,
        attempt: u32,
    ) -> impl Future<Output = Result<Response, Failure>> + 'a {
        let span = tracing::info_span!(
            "atlas_request",
            operation,
            method = %request.method(),
            path = request.url().path(),
            attempt,
            status = Empty,
            elapsed_ms = Empty,
        );
        // A span that no subscriber records needs no clock.
        let sent = (!span.is_disabled()).then(Instant::now);
        let answered = span.clone();
        self.auth
            .send(http, request)
            .instrument(span)
            .inspect(move |outcome| {
                let Some(sent) = sent else {
                    return;
                };
                answered.record("elapsed_ms", sent.elapsed().as_millis() as u64);
                if let Ok(response) = outcome {
                    answered.record("status", response.status().as_u16());
                }
            })
    }
}

/// A copy of `request` to send if it has to be sent again, or `None` when
/// its body cannot be copied. A request without a body is copied field by
/// field: `Request::try_clone` allocates a map of extensions to copy the
/// timeout into, then drops it for a copy of the extensions, on every call
/// that may be retried. The timeout is the one extension a request that
/// reqwest's `RequestBuilder` built can have.
fn spare(request: &Request) -> Option<Request> {
    if request.body().is_some() {
        return request.try_clone();
    }
    let mut spare = Request::new(request.method().clone(), request.url().clone());
    *spare.headers_mut() = request.headers().clone();
    *spare.version_mut() = request.version();
    if let Some(timeout) = request.timeout() {
        *spare.timeout_mut() = Some(*timeout);
    }
    Some(spare)
}

/// `Some(Retry-After)` when the outcome is worth another attempt of a
/// request that allows `repeatable`.
fn retry_asked(
    outcome: &Result<Response, Failure>,
    repeatable: Repeatable,
) -> Option<Option<Duration>> {
    match outcome {
        Ok(response) if response.status().is_success() => None,
        Ok(response) => {
            let retry_after = retry::retry_after(response.headers());
            is_retryable_status(response.status(), retry_after.is_some(), repeatable)
                .then_some(retry_after)
        }
        Err(Failure::Transport(e)) if is_retryable_error(e, repeatable) => Some(None),
        Err(_) => None,
    }
}

/// The unknown outcome of an attempt, if it is one.
fn unknown_outcome(outcome: &Result<Response, Failure>) -> Option<UnknownOutcome> {
    match outcome {
        Ok(response) => UnknownOutcome::of_status(
            response.status(),
            retry::retry_after(response.headers()).is_some(),
        ),
        Err(Failure::Transport(e)) => UnknownOutcome::of_error(e),
        Err(Failure::Auth(_)) => None,
    }
}

/// Records the last answer for the error it may become. A failure to
/// authenticate is recorded and an empty 401 stands in for the answer,
/// since the generated code takes only a `reqwest::Error`.
fn finish(outcome: Result<Response, Failure>, call: &mut CallRecord) -> reqwest::Result<Response> {
    match outcome {
        Ok(response) => {
            let status = response.status();
            call.status = Some(status);
            if !status.is_success() {
                call.headers = Some(Box::new(response.headers().clone()));
            }
            Ok(response)
        }
        Err(Failure::Transport(e)) => Err(e),
        Err(Failure::Auth(e)) => {
            call.auth_failure = Some(e);
            let mut stand_in = http::Response::new(Vec::<u8>::new());
            *stand_in.status_mut() = StatusCode::UNAUTHORIZED;
            Ok(Response::from(stand_in))
        }
    }
}

#[cfg(test)]
mod tests {
    use std::time::Duration;

    use reqwest::header::{ACCEPT, HeaderValue};
    use reqwest::{Method, Version};

    use super::*;

    fn same(a: &Request, b: &Request) {
        assert_eq!(a.method(), b.method());
        assert_eq!(a.url(), b.url());
        assert_eq!(a.headers(), b.headers());
        assert_eq!(a.version(), b.version());
        assert_eq!(a.timeout(), b.timeout());
        assert_eq!(
            a.body().and_then(reqwest::Body::as_bytes),
            b.body().and_then(reqwest::Body::as_bytes)
        );
    }

    #[test]
    fn a_spare_is_the_request_as_try_clone_copies_it() {
        let http = reqwest::Client::new();
        let mut read = http
            .request(Method::DELETE, "https://atlas.test/groups/1?pretty=true")
            .header(ACCEPT, HeaderValue::from_static("application/json"))
            .timeout(Duration::from_secs(7))
            .build()
            .unwrap();
        *read.version_mut() = Version::HTTP_2;
        let copy = spare(&read).unwrap();
        same(&copy, &read.try_clone().unwrap());
        assert_eq!(copy.timeout(), Some(&Duration::from_secs(7)));

        let write = http
            .post("https://atlas.test/groups/1/restores")
            .body("{\"snapshotId\":\"5cc310ace5dc7ce369814bc8\"}")
            .build()
            .unwrap();
        same(&spare(&write).unwrap(), &write);
    }

    #[test]
    fn a_body_that_cannot_be_copied_gives_no_spare() {
        let stream = futures_util::stream::iter([Ok::<_, std::io::Error>("a")]);
        let write = reqwest::Client::new()
            .post("https://atlas.test/")
            .body(reqwest::Body::wrap_stream(stream))
            .build()
            .unwrap();
        assert!(spare(&write).is_none());
    }
}
