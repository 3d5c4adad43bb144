//! Authentication against local servers: HTTP Digest for API keys, checked
//! by a server that computes the expected response itself; OAuth 2.0
//! client credentials for service accounts; plain bearer tokens.

// Atlas deprecates or sunsets every operation these pages describe.
#![allow(deprecated)]

use std::sync::{Arc, Mutex};
use std::time::Duration;

use atlas_backup_snapshots::{AuthError, Client, Credentials, ErrorKind, RetryPolicy};
use httpmock::prelude::*;
use tests::digest_server::{
    PRIVATE_KEY, PUBLIC_KEY, REALM, challenge, digest_fields, digest_response,
};
use tests::{SERVERLESS_SNAPSHOT_PATH, assert_key_refused, fixture, get_serverless_snapshot};

/// Nonces as Atlas makes them: base64, with `+`, `/` and `=`.
const NONCE_1: &str = "dGhl+c2VydmVy/c29uY2U=";
const NONCE_2: &str = "c2Vjb25k/+bm9uY2U+==";

fn client(base_url: &str, credentials: Credentials) -> Client {
    Client::builder()
        .base_url(base_url)
        .credentials(credentials)
        .retry(RetryPolicy::none())
        .build()
        .unwrap()
}

/// Whether `header` is a correct RFC 7616 MD5 answer with `qop=auth` to
/// `nonce`, for a GET of `uri`, with nonce count `nc`.
fn is_valid_digest(header: &str, nonce: &str, uri: &str, nc: &str) -> bool {
    let Some(f) = digest_fields(header) else {
        return false;
    };
    let field = |name: &str| f.get(name).map(String::as_str).unwrap_or_default();
    let expected = digest_response("GET", uri, nonce, nc, field("cnonce"));
    field("username") == PUBLIC_KEY
        && field("realm") == REALM
        && field("nonce") == nonce
        && field("uri") == uri
        && field("qop") == "auth"
        && field("nc") == nc
        && !field("cnonce").is_empty()
        && field("response") == expected
}

/// A mock that accepts a valid Digest answer to `nonce` with count `nc`.
async fn accepts<'a>(
    server: &'a MockServer,
    nonce: &'static str,
    nc: &'static str,
) -> httpmock::Mock<'a> {
    server
        .mock_async(|when, then| {
            when.method(GET)
                .path(SERVERLESS_SNAPSHOT_PATH)
                .is_true(move |request| {
                    let header = request.headers().get("authorization").cloned();
                    header.is_some_and(|h| {
                        is_valid_digest(
                            h.to_str().unwrap_or(""),
                            nonce,
                            SERVERLESS_SNAPSHOT_PATH,
                            nc,
                        )
                    })
                });
            then.status(200)
                .header("content-type", "application/vnd.atlas.2023-01-01+json")
                .body(snapshot_body());
        })
        .await
}

/// A mock that answers an answer to `nonce` with a new challenge.
async fn rechallenges<'a>(
    server: &'a MockServer,
    nonce: &'static str,
    next: &str,
    stale: bool,
) -> httpmock::Mock<'a> {
    let next = challenge(next, stale);
    server
        .mock_async(|when, then| {
            when.method(GET)
                .path(SERVERLESS_SNAPSHOT_PATH)
                .is_true(move |request| {
                    let header = request.headers().get("authorization").cloned();
                    header.is_some_and(|h| {
                        h.to_str()
                            .unwrap_or("")
                            .contains(&format!("nonce=\"{nonce}\""))
                    })
                });
            then.status(401)
                .header("www-authenticate", next)
                .body(unauthorized_body());
        })
        .await
}

/// A mock that answers a request without `Authorization` with a
/// challenge for [`NONCE_1`].
async fn challenges_unauthenticated(server: &MockServer) -> httpmock::Mock<'_> {
    server
        .mock_async(|when, then| {
            when.method(GET)
                .path(SERVERLESS_SNAPSHOT_PATH)
                .header_missing("authorization");
            then.status(401)
                .header("www-authenticate", challenge(NONCE_1, false))
                .body(unauthorized_body());
        })
        .await
}

fn snapshot_body() -> String {
    // The page's example: its "string" mongodVersion decodes as sent.
    fixture("002_4c9947135e3c7d0e", 200)
}

fn unauthorized_body() -> String {
    fixture("002_4c9947135e3c7d0e", 401)
}

#[tokio::test]
async fn digest_challenge_then_one_round_trip_then_stale_then_recovery() {
    let server = MockServer::start_async().await;
    let unauthenticated = challenges_unauthenticated(&server).await;
    let first = accepts(&server, NONCE_1, "00000001").await;
    let client = client(
        &server.base_url(),
        Credentials::api_key(PUBLIC_KEY, PRIVATE_KEY),
    );

    // The first call meets the challenge and answers it: two round trips.
    get_serverless_snapshot(&client).await.unwrap();
    unauthenticated.assert_calls_async(1).await;
    first.assert_calls_async(1).await;

    // The next calls reuse the nonce with a growing count: one round trip.
    let second = accepts(&server, NONCE_1, "00000002").await;
    get_serverless_snapshot(&client).await.unwrap();
    second.assert_calls_async(1).await;
    let third = accepts(&server, NONCE_1, "00000003").await;
    get_serverless_snapshot(&client).await.unwrap();
    third.assert_calls_async(1).await;
    unauthenticated.assert_calls_async(1).await;

    // The server declares the nonce stale: the client answers the new
    // challenge once, counting from 1 again, and carries on.
    for mock in [first, second, third] {
        mock.delete_async().await;
    }
    let stale = rechallenges(&server, NONCE_1, NONCE_2, true).await;
    let renewed = accepts(&server, NONCE_2, "00000001").await;
    get_serverless_snapshot(&client).await.unwrap();
    stale.assert_calls_async(1).await;
    renewed.assert_calls_async(1).await;
    let recovered = accepts(&server, NONCE_2, "00000002").await;
    get_serverless_snapshot(&client).await.unwrap();
    recovered.assert_calls_async(1).await;
    unauthenticated.assert_calls_async(1).await;
}

#[tokio::test]
async fn a_refused_key_is_reported_as_such_after_two_requests_then_one_a_call() {
    let server = MockServer::start_async().await;
    let unauthenticated = challenges_unauthenticated(&server).await;
    // Wrong key: the server refuses the answer with the same nonce.
    let refused = rechallenges(&server, NONCE_1, NONCE_1, false).await;
    let client = client(
        &server.base_url(),
        Credentials::api_key(PUBLIC_KEY, "wrong"),
    );

    let error = get_serverless_snapshot(&client).await.unwrap_err();
    assert_key_refused(&error, 2);
    unauthenticated.assert_calls_async(1).await;
    refused.assert_calls_async(1).await;

    let again = get_serverless_snapshot(&client).await.unwrap_err();
    assert_key_refused(&again, 1);
    unauthenticated.assert_calls_async(1).await;
    refused.assert_calls_async(2).await;
}

#[tokio::test]
async fn attempts_count_the_digest_challenge_and_every_retry() {
    let server = MockServer::start_async().await;
    let unauthenticated = challenges_unauthenticated(&server).await;
    let unavailable = server
        .mock_async(|when, then| {
            when.method(GET)
                .path(SERVERLESS_SNAPSHOT_PATH)
                .header_exists("authorization");
            then.status(503);
        })
        .await;
    let client = Client::builder()
        .base_url(server.base_url())
        .credentials(Credentials::api_key(PUBLIC_KEY, PRIVATE_KEY))
        .retry(tests::quick_retries(3))
        .build()
        .unwrap();
    let error = get_serverless_snapshot(&client).await.unwrap_err();
    assert_eq!(error.status().map(|s| s.as_u16()), Some(503));
    // One challenge, then three answered attempts.
    assert_eq!(error.attempts(), 4, "{error}");
    unauthenticated.assert_calls_async(1).await;
    unavailable.assert_calls_async(3).await;
}

#[tokio::test]
async fn a_basic_challenge_is_refused_and_the_key_never_sent() {
    let server = MockServer::start_async().await;
    let basic = server
        .mock_async(|when, then| {
            when.method(GET)
                .path(SERVERLESS_SNAPSHOT_PATH)
                .header_missing("authorization");
            then.status(401)
                .header("www-authenticate", r#"Basic realm="MMS Public API""#);
        })
        .await;
    let anything_else = server
        .mock_async(|_, then| {
            then.status(200);
        })
        .await;
    let client = client(
        &server.base_url(),
        Credentials::api_key(PUBLIC_KEY, PRIVATE_KEY),
    );

    let error = get_serverless_snapshot(&client).await.unwrap_err();
    assert!(
        matches!(
            error.kind(),
            ErrorKind::Auth(AuthError::BasicChallengeRefused)
        ),
        "{error:?}"
    );
    assert!(error.to_string().contains("Basic"), "{error}");
    basic.assert_calls_async(1).await;
    anything_else.assert_calls_async(0).await;
}

#[tokio::test]
async fn a_malformed_digest_challenge_is_a_clear_error() {
    let server = MockServer::start_async().await;
    server
        .mock_async(|when, then| {
            when.method(GET).path(SERVERLESS_SNAPSHOT_PATH);
            then.status(401).header(
                "www-authenticate",
                r#"Digest realm="MMS Public API", nonce="unterminated"#,
            );
        })
        .await;
    let client = client(
        &server.base_url(),
        Credentials::api_key(PUBLIC_KEY, PRIVATE_KEY),
    );
    let error = get_serverless_snapshot(&client).await.unwrap_err();
    assert!(
        matches!(
            error.kind(),
            ErrorKind::Auth(AuthError::InvalidChallenge(_))
        ),
        "{error:?}"
    );
}

const CLIENT_ID: &str = "mdb_sa_id_0123456789abcdef";
const CLIENT_SECRET: &str = "mdb_sa_sk_fedcba9876543210";

/// `Basic base64(CLIENT_ID:CLIENT_SECRET)`, computed once by hand with
/// `printf '%s:%s' "$CLIENT_ID" "$CLIENT_SECRET" | base64 -w0`.
const CLIENT_BASIC: &str =
    "Basic bWRiX3NhX2lkXzAxMjM0NTY3ODlhYmNkZWY6bWRiX3NhX3NrX2ZlZGNiYTk4NzY1NDMyMTA=";

async fn token_endpoint<'a>(
    server: &'a MockServer,
    token: &str,
    expires_in: u64,
) -> httpmock::Mock<'a> {
    let body = serde_json::json!({
        "access_token": token,
        "token_type": "Bearer",
        "expires_in": expires_in,
    });
    server
        .mock_async(|when, then| {
            when.method(POST)
                .path("/api/oauth/token")
                .header("authorization", CLIENT_BASIC)
                .header("content-type", "application/x-www-form-urlencoded")
                .body("grant_type=client_credentials");
            then.status(200)
                .header("content-type", "application/json")
                .body(body.to_string());
        })
        .await
}

async fn api_with_token<'a>(server: &'a MockServer, token: &str) -> httpmock::Mock<'a> {
    let bearer = format!("Bearer {token}");
    server
        .mock_async(|when, then| {
            when.method(GET)
                .path(SERVERLESS_SNAPSHOT_PATH)
                .header("authorization", bearer);
            then.status(200)
                .header("content-type", "application/vnd.atlas.2023-01-01+json")
                .body(snapshot_body());
        })
        .await
}

fn service_account() -> Credentials {
    Credentials::service_account(CLIENT_ID, CLIENT_SECRET)
}

#[tokio::test]
async fn a_service_account_token_is_fetched_once_and_shared() {
    let server = MockServer::start_async().await;
    let tokens = token_endpoint(&server, "token-1", 3600).await;
    let api = api_with_token(&server, "token-1").await;
    let client = client(&server.base_url(), service_account());

    for _ in 0..3 {
        get_serverless_snapshot(&client).await.unwrap();
    }
    // Concurrent calls on a fresh client share one token request.
    let fresh = self::client(&server.base_url(), service_account());
    let calls = (0..8).map(|_| get_serverless_snapshot(&fresh));
    for result in futures_util::future::join_all(calls).await {
        result.unwrap();
    }
    tokens.assert_calls_async(2).await;
    api.assert_calls_async(11).await;
}

#[tokio::test]
async fn a_token_is_replaced_before_it_expires() {
    let server = MockServer::start_async().await;
    // A two-second token is replaced after half its life.
    let first = token_endpoint(&server, "token-1", 2).await;
    first.up_to_n_times_async(1).await;
    let second = token_endpoint(&server, "token-2", 3600).await;
    let api_1 = api_with_token(&server, "token-1").await;
    let api_2 = api_with_token(&server, "token-2").await;
    let client = client(&server.base_url(), service_account());

    get_serverless_snapshot(&client).await.unwrap();
    get_serverless_snapshot(&client).await.unwrap();
    tokio::time::sleep(Duration::from_millis(1100)).await;
    get_serverless_snapshot(&client).await.unwrap();
    first.assert_calls_async(1).await;
    second.assert_calls_async(1).await;
    api_1.assert_calls_async(2).await;
    api_2.assert_calls_async(1).await;
}

#[tokio::test]
async fn a_refused_token_request_is_a_clear_error_and_nothing_else_is_sent() {
    let server = MockServer::start_async().await;
    let tokens = server
        .mock_async(|when, then| {
            when.method(POST).path("/api/oauth/token");
            then.status(401)
                .header("content-type", "application/json")
                .body(r#"{"error":"invalid_client","error_description":"unknown client"}"#);
        })
        .await;
    let api = server
        .mock_async(|when, then| {
            when.method(GET);
            then.status(200);
        })
        .await;
    let client = client(&server.base_url(), service_account());

    let error = get_serverless_snapshot(&client).await.unwrap_err();
    match error.kind() {
        ErrorKind::Auth(AuthError::TokenRejected { status, body }) => {
            assert_eq!(status.as_u16(), 401);
            assert!(body.contains("invalid_client"), "{body}");
        }
        other => panic!("expected a refused token request, got {other:?}"),
    }
    assert!(error.is_unauthorized());
    assert!(!format!("{error} {error:?}").contains(CLIENT_SECRET));
    tokens.assert_calls_async(1).await;
    api.assert_calls_async(0).await;
}

#[tokio::test]
async fn a_token_answer_that_is_not_a_bearer_token_is_a_clear_error() {
    for body in [
        "<html>Service Unavailable</html>",
        r#"{"access_token":"t","token_type":"mac","expires_in":60}"#,
        r#"{"token_type":"Bearer","expires_in":60}"#,
    ] {
        let server = MockServer::start_async().await;
        server
            .mock_async(|when, then| {
                when.method(POST).path("/api/oauth/token");
                then.status(200).body(body);
            })
            .await;
        let client = client(&server.base_url(), service_account());
        let error = get_serverless_snapshot(&client).await.unwrap_err();
        assert!(
            matches!(
                error.kind(),
                ErrorKind::Auth(AuthError::InvalidTokenResponse(_))
            ),
            "{body}: {error:?}"
        );
    }
}

#[tokio::test]
async fn a_bearer_token_is_sent_as_is() {
    let server = MockServer::start_async().await;
    let api = api_with_token(&server, "my-own-token").await;
    let client = client(
        &server.base_url(),
        Credentials::bearer_token("my-own-token"),
    );
    get_serverless_snapshot(&client).await.unwrap();
    api.assert_calls_async(1).await;
}

#[test]
fn debug_output_never_shows_a_secret() {
    for (credentials, secret) in [
        (Credentials::api_key(PUBLIC_KEY, PRIVATE_KEY), PRIVATE_KEY),
        (service_account(), CLIENT_SECRET),
        (Credentials::bearer_token("my-own-token"), "my-own-token"),
    ] {
        let builder = Client::builder().credentials(credentials.clone());
        let client = builder.clone().build().unwrap();
        for shown in [
            format!("{credentials:?}"),
            format!("{builder:?}"),
            format!("{client:?}"),
            format!("{client:#?}"),
        ] {
            assert!(!shown.contains(secret), "{shown}");
        }
    }
}

/// Everything a `tracing` subscriber writes, for checking spans.
#[derive(Clone, Default)]
struct Captured(Arc<Mutex<Vec<u8>>>);

impl std::io::Write for Captured {
    fn write(&mut self, bytes: &[u8]) -> std::io::Result<usize> {
        self.0.lock().unwrap().extend_from_slice(bytes);
        Ok(bytes.len())
    }
    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

#[tokio::test]
async fn each_request_is_traced_with_its_outcome_and_no_secret() {
    let server = MockServer::start_async().await;
    challenges_unauthenticated(&server).await;
    accepts(&server, NONCE_1, "00000001").await;
    let captured = Captured::default();
    let writer = captured.clone();
    let subscriber = tracing_subscriber::fmt()
        .with_writer(move || writer.clone())
        .with_max_level(tracing::Level::DEBUG)
        .with_span_events(tracing_subscriber::fmt::format::FmtSpan::CLOSE)
        .with_ansi(false)
        .finish();
    let _guard = tracing::subscriber::set_default(subscriber);

    let client = client(
        &server.base_url(),
        Credentials::api_key(PUBLIC_KEY, PRIVATE_KEY),
    );
    get_serverless_snapshot(&client).await.unwrap();

    let log = String::from_utf8(captured.0.lock().unwrap().clone()).unwrap();
    let span = log
        .lines()
        .find(|line| line.contains("atlas_request") && line.contains("close"))
        .unwrap_or_else(|| panic!("no closed request span in:\n{log}"));
    for field in [
        "operation=\"getServerlessSnapshotV2\"",
        "method=GET",
        "attempt=1",
        "status=200",
        "elapsed_ms=",
    ] {
        assert!(span.contains(field), "{field} missing from {span}");
    }
    for secret in [PRIVATE_KEY, "response=", "Digest"] {
        assert!(!log.contains(secret), "{secret} in the trace:\n{log}");
    }
}

/// A mock on `from` that redirects every request to the same path on `to`.
async fn redirects_to<'a>(
    from: &'a MockServer,
    to: &MockServer,
    status: u16,
) -> httpmock::Mock<'a> {
    let location = to.url(SERVERLESS_SNAPSHOT_PATH);
    from.mock_async(|when, then| {
        when.path(SERVERLESS_SNAPSHOT_PATH);
        then.status(status).header("location", location);
    })
    .await
}

/// Asserts that the call failed with the redirect's own status: the
/// client does not follow redirects.
fn assert_not_followed(error: &atlas_backup_snapshots::Error, status: u16) {
    assert_eq!(error.status().map(|s| s.as_u16()), Some(status), "{error}");
    assert!(matches!(error.kind(), ErrorKind::Http { .. }), "{error:?}");
    assert!(error.to_string().contains(&status.to_string()), "{error}");
}

#[tokio::test]
async fn a_redirect_never_takes_a_bearer_token_to_another_host() {
    let (atlas, elsewhere) = (
        MockServer::start_async().await,
        MockServer::start_async().await,
    );
    let anything = elsewhere
        .mock_async(|_, then| {
            then.status(200).body(snapshot_body());
        })
        .await;
    for status in [301, 302, 307, 308] {
        let redirect = redirects_to(&atlas, &elsewhere, status).await;
        let client = client(&atlas.base_url(), Credentials::bearer_token("secret-token"));
        let error = get_serverless_snapshot(&client).await.unwrap_err();
        assert_not_followed(&error, status);
        redirect.assert_calls_async(1).await;
        redirect.delete_async().await;
    }
    anything.assert_calls_async(0).await;
}

#[tokio::test]
async fn a_digest_challenge_from_a_host_a_request_was_redirected_to_is_never_answered() {
    let (atlas, elsewhere) = (
        MockServer::start_async().await,
        MockServer::start_async().await,
    );
    // The other host challenges whatever reaches it.
    let challenge_there = elsewhere
        .mock_async(|_, then| {
            then.status(401)
                .header("www-authenticate", challenge(NONCE_2, false))
                .body(unauthorized_body());
        })
        .await;
    // Atlas challenges, takes the answer, then redirects.
    let challenge_here = challenges_unauthenticated(&atlas).await;
    let redirect = atlas
        .mock_async(|when, then| {
            when.path(SERVERLESS_SNAPSHOT_PATH)
                .header_exists("authorization");
            then.status(307)
                .header("location", elsewhere.url(SERVERLESS_SNAPSHOT_PATH));
        })
        .await;
    let client = client(
        &atlas.base_url(),
        Credentials::api_key(PUBLIC_KEY, PRIVATE_KEY),
    );
    let error = get_serverless_snapshot(&client).await.unwrap_err();
    assert_not_followed(&error, 307);
    assert_eq!(error.attempts(), 2, "the challenge, then the answer");
    challenge_here.assert_calls_async(1).await;
    redirect.assert_calls_async(1).await;
    challenge_there.assert_calls_async(0).await;
}
