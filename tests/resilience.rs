//! Retries, timeouts and errors against local servers: what is retried and
//! for how long, and that every broken answer becomes a clear error that
//! keeps what the server said.

// Atlas deprecates or sunsets every operation these pages describe.
#![allow(deprecated)]

use std::time::{Duration, Instant};

use atlas_backup_snapshots::{Client, ErrorKind, RetryPolicy};
use httpmock::prelude::*;
use tests::{
    SERVERLESS_SNAPSHOT_PATH, fixture, get_serverless_snapshot, nothing_listening, quick_retries,
    stub,
};

fn client(server: &MockServer, retry: RetryPolicy) -> Client {
    Client::builder()
        .base_url(server.base_url())
        .retry(retry)
        .build()
        .unwrap()
}

/// A mock answering the snapshot request with `status`, `body` and
/// `headers`, serving at most `times` requests when set.
async fn answer<'a>(
    server: &'a MockServer,
    status: u16,
    body: &str,
    headers: &[(&str, &str)],
    times: Option<usize>,
) -> httpmock::Mock<'a> {
    stub(
        server,
        GET,
        SERVERLESS_SNAPSHOT_PATH,
        status,
        body,
        headers,
        times,
    )
    .await
}

/// A mock answering 429 with `errorCode` `code` and `Retry-After:
/// retry_after`, serving at most `times` requests when set.
async fn rate_limited<'a>(
    server: &'a MockServer,
    code: &str,
    retry_after: &str,
    times: Option<usize>,
) -> httpmock::Mock<'a> {
    let body = api_error(429, code);
    answer(
        server,
        429,
        &body,
        &[JSON, ("retry-after", retry_after)],
        times,
    )
    .await
}

/// A mock answering the snapshot request with the page's example.
async fn snapshot(server: &MockServer) -> httpmock::Mock<'_> {
    let body = fixture("002_4c9947135e3c7d0e", 200);
    answer(server, 200, &body, &[], None).await
}

/// The snapshot request to `server` under `retry`, which succeeds.
async fn success(server: &MockServer, retry: RetryPolicy) {
    get_serverless_snapshot(&client(server, retry))
        .await
        .unwrap();
}

/// The error of the snapshot request to `server` under `retry`.
async fn failure(server: &MockServer, retry: RetryPolicy) -> atlas_backup_snapshots::Error {
    get_serverless_snapshot(&client(server, retry))
        .await
        .unwrap_err()
}

fn api_error(status: u16, code: &str) -> String {
    serde_json::json!({ "error": status, "errorCode": code, "detail": format!("{code} from a local server") })
        .to_string()
}

const JSON: (&str, &str) = ("content-type", "application/json");

#[tokio::test]
async fn a_rate_limited_call_waits_as_asked_then_succeeds() {
    let server = MockServer::start_async().await;
    let limited = rate_limited(&server, "RATE_LIMITED", "1", Some(1)).await;
    let ok = snapshot(&server).await;
    let started = Instant::now();
    success(&server, quick_retries(3)).await;
    assert!(
        started.elapsed() >= Duration::from_secs(1),
        "Retry-After was not honoured"
    );
    limited.assert_calls_async(1).await;
    ok.assert_calls_async(1).await;
}

#[tokio::test]
async fn a_wait_longer_than_the_deadline_is_not_waited_for() {
    let server = MockServer::start_async().await;
    let limited = rate_limited(&server, "RATE_LIMITED", "30", None).await;
    let policy = quick_retries(5).deadline(Duration::from_secs(5));
    let error = failure(&server, policy).await;
    assert!(error.is_rate_limited(), "{error}");
    assert_eq!(error.retry_after(), Some(Duration::from_secs(30)));
    assert_eq!(error.error_code(), Some("RATE_LIMITED"));
    assert_eq!(error.attempts(), 1);
    limited.assert_calls_async(1).await;
}

#[tokio::test]
async fn any_429_is_rate_limited_and_retried_whatever_its_error_code() {
    let server = MockServer::start_async().await;
    let limited = rate_limited(&server, "RATE_LIMITED_TOKEN_BUCKET", "0", None).await;
    let error = failure(&server, quick_retries(3)).await;
    assert!(error.is_rate_limited(), "{error}");
    assert_eq!(error.error_code(), Some("RATE_LIMITED_TOKEN_BUCKET"));
    assert_eq!(error.attempts(), 3);
    limited.assert_calls_async(3).await;
}

#[tokio::test]
async fn a_request_timeout_is_retried() {
    let server = MockServer::start_async().await;
    let timed_out = answer(&server, 408, "", &[], Some(2)).await;
    let ok = snapshot(&server).await;
    success(&server, quick_retries(3)).await;
    timed_out.assert_calls_async(2).await;
    ok.assert_calls_async(1).await;

    let server = MockServer::start_async().await;
    let timed_out = answer(&server, 408, "", &[], None).await;
    let error = failure(&server, quick_retries(2)).await;
    assert_eq!(error.status().map(|s| s.as_u16()), Some(408));
    assert_eq!(error.attempts(), 2);
    timed_out.assert_calls_async(2).await;
}

#[tokio::test]
async fn service_unavailable_until_the_budget_ends_carries_the_last_status() {
    let server = MockServer::start_async().await;
    let unavailable = answer(
        &server,
        503,
        &api_error(503, "SERVICE_UNAVAILABLE"),
        &[JSON],
        None,
    )
    .await;
    let error = failure(&server, quick_retries(3)).await;
    assert_eq!(error.status().map(|s| s.as_u16()), Some(503));
    assert_eq!(error.attempts(), 3);
    assert_eq!(
        error.to_string(),
        "getServerlessSnapshotV2: 503 Service Unavailable: SERVICE_UNAVAILABLE: \
         SERVICE_UNAVAILABLE from a local server (3 requests)"
    );
    unavailable.assert_calls_async(3).await;
}

#[tokio::test]
async fn retries_can_be_switched_off() {
    let server = MockServer::start_async().await;
    let unavailable = answer(&server, 503, "", &[], None).await;
    let error = failure(&server, RetryPolicy::none()).await;
    assert_eq!(error.attempts(), 1);
    unavailable.assert_calls_async(1).await;
}

#[tokio::test]
async fn other_client_errors_are_never_retried() {
    for (status, code) in [
        (400, "INVALID_PARAMETER"),
        (401, "UNAUTHORIZED"),
        (403, "FORBIDDEN"),
        (404, "SNAPSHOT_NOT_FOUND"),
        (500, "UNEXPECTED_ERROR"),
    ] {
        let server = MockServer::start_async().await;
        let mock = answer(&server, status, &api_error(status, code), &[JSON], None).await;
        let error = failure(&server, quick_retries(4)).await;
        assert_eq!(error.error_code(), Some(code));
        assert_eq!(error.status().map(|s| s.as_u16()), Some(status));
        assert_eq!(error.is_not_found(), status == 404);
        mock.assert_calls_async(1).await;
    }
}

#[tokio::test]
async fn a_sunset_endpoint_says_so() {
    let server = MockServer::start_async().await;
    let gone = answer(&server, 410, &api_error(410, "VERSION_GONE"), &[JSON], None).await;
    let error = failure(&server, quick_retries(4)).await;
    assert!(error.is_version_gone());
    assert_eq!(
        error.to_string(),
        "getServerlessSnapshotV2: 410 Gone: VERSION_GONE: VERSION_GONE from a local server. \
         Atlas no longer serves this endpoint. Sunset 2026-01-22. Atlas has removed the \
         serverless snapshot endpoints; use `get_flex_backup_snapshot` instead."
    );
    gone.assert_calls_async(1).await;
}

#[tokio::test]
async fn an_html_error_page_keeps_its_status_and_text() {
    let page = "<html><body><h1>502 Bad Gateway</h1></body></html>";
    let server = MockServer::start_async().await;
    let proxy = answer(&server, 502, page, &[("content-type", "text/html")], None).await;
    let error = failure(&server, quick_retries(2)).await;
    match error.kind() {
        ErrorKind::Http { status, body, .. } => {
            assert_eq!(status.as_u16(), 502);
            assert_eq!(body, page);
        }
        other => panic!("expected the proxy's page, got {other:?}"),
    }
    assert!(error.to_string().contains("502 Bad Gateway"), "{error}");
    proxy.assert_calls_async(2).await;

    // The same on a status the spec lists with a JSON body.
    let server = MockServer::start_async().await;
    answer(&server, 500, page, &[("content-type", "text/html")], None).await;
    let error = failure(&server, quick_retries(2)).await;
    assert!(
        matches!(error.kind(), ErrorKind::Http { status, body, .. } if status.as_u16() == 500 && body == page),
        "{error:?}"
    );
}

#[tokio::test]
async fn broken_and_hostile_bodies_are_errors_not_panics() {
    let huge = "<p>".repeat(400_000);
    let truncated: &[(u16, &str)] = &[(400, &huge), (418, &huge)];
    for &(status, body) in truncated {
        let server = MockServer::start_async().await;
        answer(&server, status, body, &[], None).await;
        let error = failure(&server, RetryPolicy::none()).await;
        match error.kind() {
            ErrorKind::Http { body, .. } => assert_eq!(body.len(), 64 * 1024, "{status}"),
            other => panic!("{status}: {other:?}"),
        }
    }
    let broken_success = [
        "",
        "{",
        "[]",
        "null",
        "\u{0}\u{1}binary",
        r#"{"status": 7}"#,
        r#"{"createdAt": "yesterday"}"#,
    ];
    for body in broken_success {
        let server = MockServer::start_async().await;
        answer(&server, 200, body, &[JSON], None).await;
        let error = failure(&server, RetryPolicy::none()).await;
        match error.kind() {
            ErrorKind::Decode {
                status, body: kept, ..
            } => {
                assert_eq!(status.as_u16(), 200);
                assert_eq!(kept.as_ref(), body.as_bytes());
            }
            other => panic!("{body:?}: {other:?}"),
        }
    }
}

#[tokio::test]
async fn connection_errors_are_retried_then_reported() {
    let client = Client::builder()
        .base_url(nothing_listening())
        .retry(quick_retries(3))
        .build()
        .unwrap();
    let error = get_serverless_snapshot(&client).await.unwrap_err();
    assert!(
        matches!(error.kind(), ErrorKind::Transport(e) if e.is_connect()),
        "{error:?}"
    );
    assert_eq!(error.attempts(), 3);
    // The chain below the message says why the connection failed.
    let causes: Vec<String> =
        std::iter::successors(std::error::Error::source(&error), |e| e.source())
            .map(ToString::to_string)
            .collect();
    assert!(!causes.is_empty(), "{error}");
}

#[tokio::test]
async fn a_slow_server_times_out() {
    let server = MockServer::start_async().await;
    server
        .mock_async(|when, then| {
            when.method(GET).path(SERVERLESS_SNAPSHOT_PATH);
            then.status(200).delay(Duration::from_secs(5));
        })
        .await;
    let client = Client::builder()
        .base_url(server.base_url())
        .timeout(Duration::from_millis(200))
        .retry(RetryPolicy::none())
        .build()
        .unwrap();
    let error = get_serverless_snapshot(&client).await.unwrap_err();
    assert!(
        matches!(error.kind(), ErrorKind::Transport(e) if e.is_timeout()),
        "{error:?}"
    );
}

#[tokio::test]
async fn every_request_names_the_crate_and_its_version() {
    let server = MockServer::start_async().await;
    let named = server
        .mock_async(|when, then| {
            when.method(GET)
                .path(SERVERLESS_SNAPSHOT_PATH)
                .is_true(|request| {
                    let headers = request.headers();
                    let agent = headers.get("user-agent").and_then(|v| v.to_str().ok());
                    let version = agent.and_then(|a| a.strip_prefix("atlas-backup-snapshots/"));
                    version.is_some_and(|v| {
                        v.split('.').count() == 3 && v.split('.').all(|n| n.parse::<u32>().is_ok())
                    })
                });
            then.status(200).body("{}");
        })
        .await;
    get_serverless_snapshot(&client(&server, RetryPolicy::none()))
        .await
        .unwrap();
    named.assert_calls_async(1).await;
}
