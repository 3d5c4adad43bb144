//! Sending one call: every attempt authenticated, traced, and retried
//! while the retry policy allows.

use std::time::{Duration, Instant};

use bytes::{Bytes, BytesMut};
use progenitor_client::{ClientHooks, OperationInfo};
use reqwest::{Request, Response, StatusCode};
use tracing::Instrument;
use tracing::field::Empty;

use crate::Client;
use crate::auth::Failure;
use crate::retry::{self, Repeatable, is_retryable_error, is_retryable_status};
use crate::runtime::{self, Runtime};

/// How much of an error body the client keeps: enough for any error Atlas
/// or a proxy writes, bounded against a hostile server.
pub(crate) const ERROR_BODY_LIMIT: usize = 64 * 1024;

impl ClientHooks<Runtime> for Client {
    async fn exec(&self, request: Request, info: &OperationInfo) -> reqwest::Result<Response> {
        let operation = runtime::current_operation().unwrap_or(info.operation_id);
        // Boxed so that the generated `send` future, which holds this one,
        // stays small: moving a large future costs more than one allocation.
        Box::pin(self.inner.send(&self.client, request, operation)).await
    }
}

impl Runtime {
    /// Sends `request`, retrying as the policy allows, and returns the last
    /// answer.
    async fn send(
        &self,
        http: &reqwest::Client,
        mut request: Request,
        operation: &'static str,
    ) -> reqwest::Result<Response> {
        let started = Instant::now();
        let repeatable = self.0.retry.repeatable(request.method());
        let mut attempt = 1;
        loop {
            runtime::record(|call| call.attempts = attempt);
            let spare = if attempt < self.0.retry.attempts() {
                request.try_clone()
            } else {
                None
            };
            let outcome = self.attempt(http, request, operation, attempt).await;
            let wait = retry_asked(&outcome, repeatable).and_then(|retry_after| {
                self.0
                    .retry
                    .wait_before_retry(attempt, retry_after, started.elapsed())
            });
            match (wait, spare) {
                (Some(wait), Some(spare)) => {
                    let wait_ms = wait.as_millis() as u64;
                    tracing::debug!(operation, attempt, wait_ms, "retrying");
                    tokio::time::sleep(wait).await;
                    request = spare;
                    attempt += 1;
                }
                _ => return finish(outcome),
            }
        }
    }

    /// One request, in a span that carries the operation, the attempt, the
    /// status and the time taken; never a header.
    async fn attempt(
        &self,
        http: &reqwest::Client,
        request: Request,
        operation: &'static str,
        attempt: u32,
    ) -> Result<Response, Failure> {
        let span = tracing::info_span!(
            "atlas_request",
            operation,
            method = %request.method(),
            path = request.url().path(),
            attempt,
            status = Empty,
            elapsed_ms = Empty,
        );
        let sent = Instant::now();
        let outcome = self
            .0
            .auth
            .send(http, request)
            .instrument(span.clone())
            .await;
        span.record("elapsed_ms", sent.elapsed().as_millis() as u64);
        if let Ok(response) = &outcome {
            span.record("status", response.status().as_u16());
        }
        outcome
    }
}

/// `Some(Retry-After)` when the outcome is worth another attempt of a
/// request that allows `repeatable`.
fn retry_asked(
    outcome: &Result<Response, Failure>,
    repeatable: Repeatable,
) -> Option<Option<Duration>> {
    match outcome {
        Ok(response) => {
            let retry_after = retry::retry_after(response.headers());
            is_retryable_status(response.status(), retry_after.is_some(), repeatable)
                .then_some(retry_after)
        }
        Err(Failure::Transport(e)) if is_retryable_error(e, repeatable) => Some(None),
        Err(_) => None,
    }
}

/// Records the last answer for the error it may become. A failure to
/// authenticate is recorded and an empty 401 stands in for the answer,
/// since this hook can only fail with a `reqwest::Error`.
fn finish(outcome: Result<Response, Failure>) -> reqwest::Result<Response> {
    match outcome {
        Ok(response) => {
            let status = response.status();
            let headers = (!status.is_success()).then(|| response.headers().clone());
            runtime::record(|call| {
                call.status = Some(status);
                call.headers = headers;
            });
            Ok(response)
        }
        Err(Failure::Transport(e)) => Err(e),
        Err(Failure::Auth(e)) => {
            runtime::record(|call| call.auth_failure = Some(e));
            let mut stand_in = http::Response::new(Vec::<u8>::new());
            *stand_in.status_mut() = StatusCode::UNAUTHORIZED;
            Ok(Response::from(stand_in))
        }
    }
}

/// The body of `response`, cut at `limit` bytes: what is left unread is
/// dropped with the connection.
pub(crate) async fn read_at_most(mut response: Response, limit: usize) -> reqwest::Result<Bytes> {
    let mut body = BytesMut::new();
    while let Some(chunk) = response.chunk().await? {
        let room = limit - body.len();
        body.extend_from_slice(&chunk[..chunk.len().min(room)]);
        if body.len() == limit {
            break;
        }
    }
    Ok(body.freeze())
}
