//! HTTP Digest against a server that checks nonce counts strictly, as
//! Apache's `AuthDigestNcCheck On` does, and keeps a bounded table of
//! nonces, as Apache's shared memory does: concurrent calls, on one
//! nonce, on a few, and on the nonces a client adds as calls wait at a
//! distance, against a server that keeps 8 nonces and one that keeps
//! 1,000; forgotten and expired nonces, `nextnonce` and a refused key,
//! each with the requests it costs.

// The serverless operation is the one the strict server answers.
#![allow(deprecated)]

use std::time::Duration;

use atlas_backup_snapshots::{AuthError, Client, Credentials, ErrorKind, RetryPolicy};
use futures_util::future::join_all;
use tests::digest_server::{DigestServer, Options, PRIVATE_KEY, PUBLIC_KEY, Stats};
use tests::{assert_key_refused, fixture, get_serverless_snapshot};

fn server(options: Options) -> DigestServer {
    DigestServer::start(Options {
        body: fixture("002_4c9947135e3c7d0e", 200),
        ..options
    })
}

fn client(server: &DigestServer, private_key: &str, nonces: usize) -> Client {
    Client::builder()
        .base_url(server.base_url())
        .credentials(Credentials::api_key(PUBLIC_KEY, private_key))
        .max_digest_nonces(nonces)
        .retry(RetryPolicy::none())
        .build()
        .unwrap()
}

/// A client with the default pool of nonces (at most 32).
fn client_with_key(server: &DigestServer, private_key: &str) -> Client {
    Client::builder()
        .base_url(server.base_url())
        .credentials(Credentials::api_key(PUBLIC_KEY, private_key))
        .retry(RetryPolicy::none())
        .build()
        .unwrap()
}

/// Sends `calls` calls at once and returns how many succeeded.
async fn concurrent_calls(client: &Client, calls: usize) -> usize {
    let outcomes = join_all((0..calls).map(|_| get_serverless_snapshot(client))).await;
    outcomes.iter().filter(|outcome| outcome.is_ok()).count()
}

#[tokio::test]
async fn two_hundred_concurrent_calls_on_a_fresh_client_all_pass_with_one_challenge() {
    let server = server(Options::default());
    let client = client(&server, PRIVATE_KEY, 1);
    assert_eq!(concurrent_calls(&client, 200).await, 200);
    assert_eq!(
        server.stats(),
        Stats {
            requests: 201,
            challenges: 1,
            refused: 0,
            stale: 0,
            forgotten: 0,
            accepted: 200,
        }
    );
}

#[tokio::test]
async fn more_nonces_cost_one_challenge_each_and_are_all_accepted() {
    let server = server(Options::default());
    let client = client(&server, PRIVATE_KEY, 4);
    assert_eq!(concurrent_calls(&client, 200).await, 200);
    let stats = server.stats();
    assert!(
        (1..=4).contains(&stats.challenges),
        "{stats:?}: at most one challenge per nonce"
    );
    assert_eq!(stats.refused, 0, "{stats:?}");
    assert_eq!(stats.requests, 200 + stats.challenges, "{stats:?}");
}

fn default_client(server: &DigestServer) -> Client {
    client_with_key(server, PRIVATE_KEY)
}

/// A server 20 ms away that keeps at most `kept` nonces.
fn distant_server(kept: usize) -> DigestServer {
    server(Options {
        kept_nonces: kept,
        latency: Duration::from_millis(20),
        ..Options::default()
    })
}

/// Sends `calls` calls at once; asserts that every one succeeds, that the
/// burst cost at most one request a call, one a nonce fetched and two a
/// stale answer, and that the server refused nothing. Returns the burst's
/// figures.
async fn burst_all_succeed(server: &DigestServer, client: &Client, calls: usize) -> Stats {
    let before = server.stats();
    let outcomes = join_all((0..calls).map(|_| get_serverless_snapshot(client))).await;
    let stats = server.stats() - before;
    for outcome in outcomes {
        if let Err(error) = outcome {
            panic!("{error} ({stats:?})");
        }
    }
    let calls = u32::try_from(calls).unwrap();
    assert_eq!(stats.refused, 0, "{stats:?}");
    assert_eq!(stats.accepted, calls, "{stats:?}");
    assert!(
        stats.requests <= calls + stats.challenges + 2 * stats.stale,
        "{stats:?}"
    );
    stats
}

#[tokio::test]
async fn concurrent_calls_all_succeed_against_a_server_that_keeps_few_nonces() {
    // Eight nonces kept: the pool grows past them, the server forgets the
    // oldest while calls still use them, and the pool shrinks to what the
    // server keeps; every call succeeds, none as a refused key.
    for calls in [32, 200] {
        let server = distant_server(8);
        let client = default_client(&server);
        let fresh = burst_all_succeed(&server, &client, calls).await;
        eprintln!("8 kept, {calls} calls, fresh client: {fresh:?}");
        let warm = burst_all_succeed(&server, &client, calls).await;
        eprintln!("8 kept, {calls} calls, warm client: {warm:?}");
    }
}

#[tokio::test]
async fn nonces_forgotten_and_renewed_without_stale_are_not_a_refused_key() {
    // Apache answers a nonce it collected with a new challenge without
    // `stale`, even a nonce it gave a moment before: once the server has
    // accepted the key, that is a forgotten nonce, and every call succeeds.
    for calls in [32, 200] {
        let server = server(Options {
            kept_nonces: 8,
            latency: Duration::from_millis(20),
            renew_forgotten_without_stale: true,
            ..Options::default()
        });
        let client = default_client(&server);
        let fresh = burst_all_succeed(&server, &client, calls).await;
        eprintln!("8 kept, renewed without stale, {calls} calls: {fresh:?}");
        assert!(fresh.stale > 0, "the server forgot nonces: {fresh:?}");
    }
}

#[tokio::test]
async fn a_key_revoked_while_in_use_is_refused_not_taken_for_forgotten_nonces() {
    // Once the key was accepted, a refusal may be a forgotten nonce; a
    // call that meets only refusals without `stale`, while no call gets
    // through, says the key was refused, and later calls cost one request.
    let server = server(Options::default());
    let client = default_client(&server);
    get_serverless_snapshot(&client).await.unwrap();
    server.revoke_key();
    let error = get_serverless_snapshot(&client).await.unwrap_err();
    assert_key_refused(&error, error.attempts());
    eprintln!(
        "a key revoked while in use: refused after {} requests",
        error.attempts()
    );
    assert!(error.attempts() > 2, "{error:?}");
    let again = get_serverless_snapshot(&client).await.unwrap_err();
    assert_key_refused(&again, 1);
}

#[tokio::test]
async fn a_client_warm_from_sequential_calls_succeeds_in_a_burst_against_few_kept_nonces() {
    let server = distant_server(8);
    let client = default_client(&server);
    for _ in 0..10 {
        get_serverless_snapshot(&client).await.unwrap();
    }
    for calls in [32, 200] {
        let stats = burst_all_succeed(&server, &client, calls).await;
        eprintln!("8 kept, {calls} calls after 10 sequential: {stats:?}");
    }
}

#[tokio::test]
async fn concurrent_calls_against_a_server_that_keeps_many_nonces_forget_none() {
    // A thousand nonces kept: the pool grows to its most of 32, one
    // challenge a nonce, and the server forgets none of them.
    for calls in [32, 200] {
        let server = distant_server(1_000);
        let client = default_client(&server);
        let fresh = burst_all_succeed(&server, &client, calls).await;
        eprintln!("1000 kept, {calls} calls, fresh client: {fresh:?}");
        assert_eq!((fresh.stale, fresh.forgotten), (0, 0), "{fresh:?}");
        assert!(fresh.challenges <= 32, "{fresh:?}");
        assert_eq!(
            fresh.requests,
            fresh.accepted + fresh.challenges,
            "{fresh:?}"
        );

        // The nonces stay: a second burst needs at most the challenges of
        // the nonces the first did not reach.
        let warm = burst_all_succeed(&server, &client, calls).await;
        eprintln!("1000 kept, {calls} calls, warm client: {warm:?}");
        assert_eq!(warm.stale, 0, "{warm:?}");
        assert!(fresh.challenges + warm.challenges <= 32, "{warm:?}");
    }
}

#[tokio::test]
async fn a_server_that_forgets_every_nonce_fails_the_call_saying_so_not_as_a_refused_key() {
    // Every answer is stale: the key is right, the server keeps nothing.
    let server = server(Options {
        uses_per_nonce: Some(0),
        ..Options::default()
    });
    let client = client(&server, PRIVATE_KEY, 4);
    let error = get_serverless_snapshot(&client).await.unwrap_err();
    assert!(
        matches!(
            error.kind(),
            ErrorKind::Auth(AuthError::NoncesForgotten { times: 8 })
        ),
        "{error:?}"
    );
    let message = error.to_string();
    assert!(
        !message.contains("check the public and private key"),
        "{message}"
    );
    assert!(
        message.contains("the server kept forgetting the Digest nonces it gave (8 stale answers"),
        "{message}"
    );
    assert!(message.contains("the API key was not refused"), "{message}");
    // Each nonce is answered twice, then a new one is fetched: four
    // challenges and eight stale answers.
    let stats = server.stats();
    assert_eq!(
        (stats.requests, stats.challenges, stats.stale, stats.refused),
        (12, 4, 8, 0),
        "{stats:?}"
    );
    assert_eq!(error.attempts(), 12);
}

#[tokio::test]
async fn a_forgotten_nonce_is_answered_with_the_new_one_and_the_call_passes() {
    // One nonce kept: each challenge evicts the nonce before it.
    let server = server(Options {
        kept_nonces: 1,
        ..Options::default()
    });
    let client = client(&server, PRIVATE_KEY, 1);
    get_serverless_snapshot(&client).await.unwrap();
    // Another client's challenge takes the only slot.
    let other = client_with_key(&server, PRIVATE_KEY);
    get_serverless_snapshot(&other).await.unwrap();
    let before = server.stats();
    get_serverless_snapshot(&client).await.unwrap();
    let stats = server.stats() - before;
    assert_eq!(
        (stats.requests, stats.stale, stats.refused, stats.accepted),
        (2, 1, 0, 1),
        "{stats:?}: a stale answer, then the new nonce accepted"
    );
}

#[tokio::test]
async fn an_expired_nonce_costs_one_more_request_and_the_call_passes() {
    let server = server(Options {
        uses_per_nonce: Some(3),
        ..Options::default()
    });
    let client = client(&server, PRIVATE_KEY, 1);
    for _ in 0..7 {
        get_serverless_snapshot(&client).await.unwrap();
    }
    // One challenge, seven answers, and a stale answer after the 3rd and
    // the 6th.
    let stats = server.stats();
    assert_eq!(
        (stats.requests, stats.stale, stats.refused),
        (10, 2, 0),
        "{stats:?}"
    );
}

#[tokio::test]
async fn a_next_nonce_is_answered_without_a_stale_round_trip() {
    let server = server(Options {
        next_nonce: true,
        ..Options::default()
    });
    let client = client(&server, PRIVATE_KEY, 1);
    for _ in 0..10 {
        get_serverless_snapshot(&client).await.unwrap();
    }
    // Each answer retires its nonce: a client that ignored `nextnonce`
    // would pay a stale answer on every call after the first.
    let stats = server.stats();
    assert_eq!(
        (stats.requests, stats.stale, stats.refused),
        (11, 0, 0),
        "{stats:?}"
    );
}

#[tokio::test]
async fn a_refused_key_fails_after_two_requests_then_after_one() {
    let server = server(Options::default());
    let client = client(&server, "not-the-private-key", 1);

    let error = get_serverless_snapshot(&client).await.unwrap_err();
    assert_key_refused(&error, 2);
    assert_eq!(server.stats().requests, 2);

    let again = get_serverless_snapshot(&client).await.unwrap_err();
    assert_key_refused(&again, 1);
    assert_eq!(server.stats().requests, 3);
}

#[tokio::test]
async fn concurrent_calls_with_a_refused_key_all_fail_as_refused() {
    let server = server(Options::default());
    let client = client(&server, "not-the-private-key", 1);
    let outcomes = join_all((0..20).map(|_| get_serverless_snapshot(&client))).await;
    for outcome in outcomes {
        let error = outcome.unwrap_err();
        assert!(error.attempts() <= 2, "{error}");
        assert_key_refused(&error, error.attempts());
    }
    // The first call learns the key is refused; each later call sends one.
    assert_eq!(server.stats().requests, 2 + 19);
}

#[tokio::test]
async fn a_refused_key_adds_no_nonce_however_many_calls_wait() {
    let server = server(Options::default());
    let client = client_with_key(&server, "not-the-private-key");
    let outcomes = join_all((0..20).map(|_| get_serverless_snapshot(&client))).await;
    for outcome in outcomes {
        let error = outcome.unwrap_err();
        assert_key_refused(&error, error.attempts());
    }
    let stats = server.stats();
    assert_eq!((stats.requests, stats.challenges), (2 + 19, 1), "{stats:?}");
}
