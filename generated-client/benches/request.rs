//! One GET of a snapshot through the client, next to the same request
//! written by hand with `reqwest` and `serde_json`, against a local server
//! that answers with a prebuilt response over a kept-alive connection.
//!
//! Before timing, `main` checks that both sides put the same request on the
//! wire, so the difference is the client's own work: validating the
//! parameters, building the request, authenticating, tracing, retry
//! bookkeeping and error mapping.

// Atlas has sunset the serverless operations; they are what there is to call.
#![allow(deprecated)]

mod support;

use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use atlas_backup_snapshots::types::ServerlessBackupSnapshot;
use atlas_backup_snapshots::{Client, Credentials, RetryPolicy};
use divan::Bencher;
use reqwest::header::ACCEPT;
use support::{ATLAS_V2_JSON, CLUSTER, GROUP_ID, SNAPSHOT_ID, TOKEN};

/// What the client sends as its `User-Agent`, so the hand-written request
/// carries the same bytes.
const USER_AGENT: &str = concat!("atlas-backup-snapshots/", env!("CARGO_PKG_VERSION"));

/// Calls per round and rounds of the interleaved comparison.
const CALLS_PER_ROUND: u32 = 50;
const ROUNDS: usize = 200;

fn main() {
    assert_same_request();
    divan::main();
    // On a shared machine the load drifts between divan's benches;
    // alternating the two sides in short rounds cancels the drift out.
    let listing_or_testing = std::env::args().any(|a| a == "--list" || a == "--test");
    if !listing_or_testing {
        interleaved();
    }
}

fn snapshot_response() -> bytes::Bytes {
    support::ok(ATLAS_V2_JSON, support::snapshot_json(0).as_bytes())
}

/// The client as compared with the hand-written call, which does not retry.
fn client(base_url: &str) -> Client {
    client_retrying(base_url, RetryPolicy::none())
}

fn client_retrying(base_url: &str, retry: RetryPolicy) -> Client {
    Client::builder()
        .base_url(base_url)
        .credentials(Credentials::bearer_token(TOKEN))
        .retry(retry)
        .build()
        .expect("a client")
}

async fn get_with_client(client: &Client) -> ServerlessBackupSnapshot {
    client
        .get_serverless_snapshot_v2()
        .group_id(GROUP_ID)
        .cluster_name(CLUSTER)
        .snapshot_id(SNAPSHOT_ID)
        .send()
        .await
        .expect("a snapshot")
        .into_inner()
}

/// The same call as a caller would write it without the client.
async fn get_by_hand(http: &reqwest::Client, base_url: &str) -> ServerlessBackupSnapshot {
    let url = format!(
        "{base_url}/api/atlas/v2/groups/{GROUP_ID}/serverless/{CLUSTER}/backup/snapshots/{SNAPSHOT_ID}"
    );
    http.get(url)
        .header(ACCEPT, ATLAS_V2_JSON)
        .bearer_auth(TOKEN)
        .send()
        .await
        .and_then(reqwest::Response::error_for_status)
        .expect("a response")
        .json()
        .await
        .expect("a snapshot")
}

fn hand_written_http() -> reqwest::Client {
    reqwest::Client::builder()
        .user_agent(USER_AGENT)
        .build()
        .expect("an HTTP client")
}

/// A hand-written client with the timeouts the client sets on its own
/// `reqwest::Client` (10 s to connect, 30 s per request), as a careful
/// caller would set them.
fn hand_written_http_with_timeouts() -> reqwest::Client {
    reqwest::Client::builder()
        .user_agent(USER_AGENT)
        .connect_timeout(Duration::from_secs(10))
        .timeout(Duration::from_secs(30))
        .build()
        .expect("an HTTP client")
}

/// Sends one request each way to a server that records them, and panics
/// unless the two heads hold the same lines (in any order).
fn assert_same_request() {
    let heads = Arc::new(Mutex::new(Vec::new()));
    let recorded = Arc::clone(&heads);
    let base_url = support::serve(move |head| {
        let mut lines: Vec<String> = head.lines().map(str::to_ascii_lowercase).collect();
        lines.sort();
        recorded.lock().unwrap().push(lines);
        snapshot_response()
    });
    let runtime = support::runtime();
    let by_client = runtime.block_on(get_with_client(&client(&base_url)));
    let by_hand = runtime.block_on(get_by_hand(&hand_written_http(), &base_url));
    assert_eq!(by_client, by_hand, "both sides decode the same snapshot");
    let heads = heads.lock().unwrap();
    assert_eq!(heads.len(), 2);
    assert_eq!(heads[0], heads[1], "both sides send the same request");
}

/// The sides the interleaved comparison times.
#[derive(Clone, Copy)]
enum Side {
    Client,
    /// With the default retry policy, which keeps a copy of each request
    /// in case it has to be sent again.
    ClientReadyToRetry,
    ByHand,
    ByHandWithTimeouts,
}

const SIDES: [Side; 4] = [
    Side::Client,
    Side::ClientReadyToRetry,
    Side::ByHand,
    Side::ByHandWithTimeouts,
];

/// Times the sides in rotating rounds against one server and prints the
/// median time per call of each, and each client side's ratio to each
/// hand-written side.
fn interleaved() {
    let base_url = support::serve(|_| snapshot_response());
    let client = client(&base_url);
    let ready_to_retry = client_retrying(&base_url, RetryPolicy::default());
    let http = hand_written_http();
    let http_with_timeouts = hand_written_http_with_timeouts();
    let runtime = support::runtime();
    runtime.block_on(get_with_client(&client));
    runtime.block_on(get_with_client(&ready_to_retry));
    runtime.block_on(get_by_hand(&http, &base_url));
    runtime.block_on(get_by_hand(&http_with_timeouts, &base_url));
    let time_round = |side: Side| {
        let started = Instant::now();
        runtime.block_on(async {
            for _ in 0..CALLS_PER_ROUND {
                match side {
                    Side::Client => divan::black_box(get_with_client(&client).await),
                    Side::ClientReadyToRetry => {
                        divan::black_box(get_with_client(&ready_to_retry).await)
                    }
                    Side::ByHand => divan::black_box(get_by_hand(&http, &base_url).await),
                    Side::ByHandWithTimeouts => {
                        divan::black_box(get_by_hand(&http_with_timeouts, &base_url).await)
                    }
                };
            }
        });
        started.elapsed() / CALLS_PER_ROUND
    };
    let mut times: [Vec<Duration>; SIDES.len()] = Default::default();
    for round in 0..ROUNDS {
        // Each side goes first in a quarter of the rounds.
        for turn in 0..SIDES.len() {
            let side = (round + turn) % SIDES.len();
            times[side].push(time_round(SIDES[side]));
        }
    }
    let medians = times.clone().map(|mut t| median(&mut t));
    eprintln!(
        "\ninterleaved, {ROUNDS} rounds of {CALLS_PER_ROUND} calls each side, median per call:\n  \
         client {:.2?}, with the default retry policy {:.2?}\n  \
         reqwest + serde_json {:.2?}, the same with the client's timeouts {:.2?}",
        medians[0], medians[1], medians[2], medians[3],
    );
    eprintln!("ratios (of the medians; median of each round's own ratio):");
    for (client, name) in [(0, "client"), (1, "with the default retry policy")] {
        for (by_hand, against) in [(2, "reqwest + serde_json"), (3, "with the timeouts")] {
            let ratio = medians[client].as_secs_f64() / medians[by_hand].as_secs_f64();
            let paired = paired_ratio(&times[client], &times[by_hand]);
            eprintln!("  {name} / {against}: {ratio:.3}; {paired:.3}");
        }
    }
}

/// The sides of a round ran back to back, under the same load: the median
/// of the rounds' own ratios cancels drift between rounds.
fn paired_ratio(times: &[Duration], others: &[Duration]) -> f64 {
    let mut ratios: Vec<f64> = times
        .iter()
        .zip(others)
        .map(|(time, other)| time.as_secs_f64() / other.as_secs_f64())
        .collect();
    ratios.sort_unstable_by(f64::total_cmp);
    ratios[ratios.len() / 2]
}

fn median(times: &mut [Duration]) -> Duration {
    times.sort_unstable();
    times[times.len() / 2]
}

mod get_snapshot {
    use super::*;

    /// Through the client, with a bearer token and no retries.
    #[divan::bench(sample_count = 3000)]
    fn client(bencher: Bencher) {
        let base_url = support::serve(|_| snapshot_response());
        let client = super::client(&base_url);
        let runtime = support::runtime();
        // Opens the connection, so that every timed call reuses it.
        runtime.block_on(get_with_client(&client));
        bencher.bench_local(|| runtime.block_on(get_with_client(&client)));
    }

    /// By hand, with a default `reqwest::Client`.
    #[divan::bench(sample_count = 3000)]
    fn reqwest_serde(bencher: Bencher) {
        let base_url = support::serve(|_| snapshot_response());
        let http = hand_written_http();
        let runtime = support::runtime();
        runtime.block_on(get_by_hand(&http, &base_url));
        bencher.bench_local(|| runtime.block_on(get_by_hand(&http, &base_url)));
    }

    /// By hand, with the timeouts the client sets on its `reqwest::Client`:
    /// the share of the difference that is reqwest's timer rather than the
    /// client's code.
    #[divan::bench(sample_count = 3000)]
    fn reqwest_serde_with_timeouts(bencher: Bencher) {
        let base_url = support::serve(|_| snapshot_response());
        let http = hand_written_http_with_timeouts();
        let runtime = support::runtime();
        runtime.block_on(get_by_hand(&http, &base_url));
        bencher.bench_local(|| runtime.block_on(get_by_hand(&http, &base_url)));
    }
}
