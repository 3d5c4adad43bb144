//! HTTP Digest against a server that checks nonce counts strictly, as
//! Apache's `AuthDigestNcCheck On` does: concurrent calls, on one nonce,
//! on a few, and on the nonces a client adds as calls wait at a distance;
//! nonce expiry, `nextnonce` and a refused key, each with the requests it
//! costs.

// The serverless operation is the one the strict server answers.
#![allow(deprecated)]

use std::time::Duration;

use atlas_backup_snapshots::{Client, Credentials, RetryPolicy};
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

#[tokio::test]
async fn two_hundred_concurrent_calls_at_a_distance_add_nonces_up_to_the_most() {
    // Calls wait on a nonce for a round trip each: the client adds nonces,
    // one challenge each, up to its default most of 32.
    let server = server(Options {
        latency: Duration::from_millis(20),
        ..Options::default()
    });
    let client = Client::builder()
        .base_url(server.base_url())
        .credentials(Credentials::api_key(PUBLIC_KEY, PRIVATE_KEY))
        .retry(RetryPolicy::none())
        .build()
        .unwrap();
    assert_eq!(concurrent_calls(&client, 200).await, 200);
    assert_eq!(
        server.stats(),
        Stats {
            requests: 232,
            challenges: 32,
            refused: 0,
            stale: 0,
            accepted: 200,
        }
    );

    // The nonces stay: a second burst needs no challenge.
    assert_eq!(concurrent_calls(&client, 200).await, 200);
    let stats = server.stats();
    assert_eq!((stats.requests, stats.challenges), (432, 32), "{stats:?}");
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
    let client = Client::builder()
        .base_url(server.base_url())
        .credentials(Credentials::api_key(PUBLIC_KEY, "not-the-private-key"))
        .retry(RetryPolicy::none())
        .build()
        .unwrap();
    let outcomes = join_all((0..20).map(|_| get_serverless_snapshot(&client))).await;
    for outcome in outcomes {
        let error = outcome.unwrap_err();
        assert_key_refused(&error, error.attempts());
    }
    let stats = server.stats();
    assert_eq!((stats.requests, stats.challenges), (2 + 19, 1), "{stats:?}");
}
