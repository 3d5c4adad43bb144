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

fn client(base_url: &str) -> Client {
    Client::builder()
        .base_url(base_url)
        .credentials(Credentials::bearer_token(TOKEN))
        .retry(RetryPolicy::none())
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

/// The three sides the interleaved comparison times.
#[derive(Clone, Copy)]
enum Side {
    Client,
    ByHand,
    ByHandWithTimeouts,
}

/// Times the three sides in rotating rounds against one server and prints
/// the median time per call of each, and the client's ratio to each
/// hand-written side.
fn interleaved() {
    let base_url = support::serve(|_| snapshot_response());
    let client = client(&base_url);
    let http = hand_written_http();
    let http_with_timeouts = hand_written_http_with_timeouts();
    let runtime = support::runtime();
    runtime.block_on(get_with_client(&client));
    runtime.block_on(get_by_hand(&http, &base_url));
    runtime.block_on(get_by_hand(&http_with_timeouts, &base_url));
    let time_round = |side: Side| {
        let started = Instant::now();
        runtime.block_on(async {
            for _ in 0..CALLS_PER_ROUND {
                match side {
                    Side::Client => divan::black_box(get_with_client(&client).await),
                    Side::ByHand => divan::black_box(get_by_hand(&http, &base_url).await),
                    Side::ByHandWithTimeouts => {
                        divan::black_box(get_by_hand(&http_with_timeouts, &base_url).await)
                    }
                };
            }
        });
        started.elapsed() / CALLS_PER_ROUND
    };
    let sides = [Side::Client, Side::ByHand, Side::ByHandWithTimeouts];
    let mut times: [Vec<Duration>; 3] = Default::default();
    for round in 0..ROUNDS {
        // Each side goes first in a third of the rounds.
        for turn in 0..sides.len() {
            let side = (round + turn) % sides.len();
            times[side].push(time_round(sides[side]));
        }
    }
    // The three sides of a round ran back to back, under the same load:
    // the median of the rounds' own ratios cancels drift between rounds.
    let paired = |other: &[Duration]| {
        let mut ratios: Vec<f64> = times[0]
            .iter()
            .zip(other)
            .map(|(client, other)| client.as_secs_f64() / other.as_secs_f64())
            .collect();
        ratios.sort_unstable_by(f64::total_cmp);
        ratios[ratios.len() / 2]
    };
    let (paired_by_hand, paired_with_timeouts) = (paired(&times[1]), paired(&times[2]));
    let [client, by_hand, with_timeouts] = times.map(|mut t| median(&mut t));
    let ratio = |other: Duration| client.as_secs_f64() / other.as_secs_f64();
    eprintln!(
        "\ninterleaved, {ROUNDS} rounds of {CALLS_PER_ROUND} calls each side, median per call \
         (ratio of the medians; median of each round's ratio):\n  \
         client {client:.2?}\n  \
         reqwest + serde_json {by_hand:.2?} (ratio {:.3}; {paired_by_hand:.3})\n  \
         the same with the client's timeouts {with_timeouts:.2?} (ratio {:.3}; {paired_with_timeouts:.3})",
        ratio(by_hand),
        ratio(with_timeouts),
    );
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
