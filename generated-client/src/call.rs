//! Sending one call: every request authenticated and traced, and the
//! request sent again while the retry policy allows.

use std::future::Future;
use std::sync::Arc;
use std::time::Instant;

use futures_util::FutureExt;
use progenitor_client::ClientHooks;
use reqwest::{Method, Request, Response, StatusCode};
use tracing::Instrument;
use tracing::field::Empty;

use crate::Client;
use crate::auth::{Authenticator, CountedHttp, Failure};
use crate::retry::{Outcome, RetryPolicy, UnknownOutcome};

/// What a [`Client`] carries beside its HTTP client: the credentials, with
/// what it learned using them, and the retry policy. Made by
/// [`Client::builder`].
#[derive(Clone, Debug)]
pub(crate) struct AuthAndRetry {
    /// Shared by the clients that [`Client::with_retry`] derives, so that
    /// they reuse what it learned (Digest nonces, a token).
    pub(crate) auth: Arc<Authenticator>,
    pub(crate) retry: RetryPolicy,
}

// progenitor's generated code asks for its hooks; none of them is
// called, as the generated `send` sends with `runtime::exec`.
impl ClientHooks<AuthAndRetry> for Client {}

/// What one call sent and got.
pub(crate) struct Sent {
    /// The last attempt's outcome.
    pub(crate) outcome: Result<Response, Failure>,
    /// Every request sent: retries, Digest challenges and token requests.
    pub(crate) requests: u32,
    /// A DELETE that ends in 404 after an attempt whose outcome is
    /// unknown: that attempt may have done the deletion.
    pub(crate) unknown_earlier: Option<UnknownOutcome>,
}

impl AuthAndRetry {
    /// Sends `request`, a request of `operation`, retrying as the policy
    /// allows, and returns the last outcome with what the call sent.
    //
    // An `async` block rather than an `async fn`, which would keep the
    // request twice, as its argument and as its local. Only the request
    // and its spare live across an await: every call's future holds this
    // one, and a smaller future costs less to move and to touch.
    #[allow(
        clippy::manual_async_fn,
        reason = "an `async fn` would keep the request twice"
    )]
    pub(crate) fn send<'a>(
        &'a self,
        http: &'a reqwest::Client,
        mut request: Request,
        operation: &'static str,
    ) -> impl Future<Output = Sent> + Send + 'a {
        async move {
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
                    let wait = spare.as_ref().and_then(|_| {
                        self.retry.wait_after(
                            &seen(&outcome),
                            repeatable,
                            attempt,
                            started.elapsed(),
                        )
                    });
                    match (wait, spare) {
                        (Some(wait), Some(spare)) => {
                            if deletes {
                                unknown_earlier =
                                    unknown_earlier.or(UnknownOutcome::of(seen(&outcome)));
                            }
                            request = spare;
                            wait
                        }
                        _ => {
                            let not_found =
                                matches!(&outcome, Ok(r) if r.status() == StatusCode::NOT_FOUND);
                            return Sent {
                                outcome,
                                requests: http.sent(),
                                unknown_earlier: unknown_earlier.filter(|_| not_found),
                            };
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

/// An attempt's outcome as the retry rules read it.
fn seen(outcome: &Result<Response, Failure>) -> Outcome<'_> {
    match outcome {
        Ok(response) => Outcome::Answered {
            status: response.status(),
            headers: response.headers(),
        },
        Err(Failure::Transport(e)) => Outcome::NoAnswer(e),
        Err(Failure::Auth(_)) => Outcome::Final,
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
