//! One GET of a snapshot, two ways, against a local server that answers
//! with a prebuilt response over a kept-alive connection:
//!
//! - the client, built as applications build it (`Client::builder()`,
//!   default retry policy, a bearer token);
//! - the same request written by hand with `reqwest` and `serde_json`.
//!
//! Both use a `reqwest::Client` set up alike (the client's timeouts and
//! `User-Agent`), so the difference is the client's own code: validating
//! the parameters, building the request, authenticating, tracing, retry
//! bookkeeping, decoding and error mapping. Before timing, `main` checks
//! that the two put the same request on the wire and decode the same
//! snapshot.
//!
//! After divan's timings, `main` times the sides in interleaved rounds,
//! which a shared machine's drifting load cannot favour, and counts the
//! instructions of each call with callgrind (`support::callgrind`), which
//! the load does not move at all.

// Atlas has sunset the serverless operations; they are what there is to call.
#![allow(deprecated)]

mod support;

use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use atlas_backup_snapshots::{Client, Credentials};
use divan::Bencher;
use reqwest::header::ACCEPT;
use support::{ATLAS_V2_JSON, CLUSTER, GROUP_ID, SNAPSHOT_ID, TOKEN};

/// What the client sends as its `User-Agent`, so the other sides carry
/// the same bytes.
const USER_AGENT: &str = concat!("atlas-backup-snapshots/", env!("CARGO_PKG_VERSION"));

/// The most instructions a call through the client may take, as a
/// multiple of the hand-written call's.
const TARGET: f64 = 1.15;

/// Calls per round and rounds of the interleaved comparison.
const CALLS_PER_ROUND: u32 = 50;
const ROUNDS: usize = 200;

/// The sides compared, by the name `--calls` takes.
#[derive(Clone, Copy, Debug)]
enum Side {
    Client,
    ByHand,
}

const SIDES: [Side; 2] = [Side::Client, Side::ByHand];

impl Side {
    fn name(self) -> &'static str {
        match self {
            Side::Client => "client",
            Side::ByHand => "by-hand",
        }
    }
}

fn main() {
    if let Some((side, calls)) = support::callgrind::calls_asked() {
        let side = SIDES
            .into_iter()
            .find(|s| s.name() == side)
            .unwrap_or_else(|| panic!("no side {side}"));
        make_calls(side, calls);
        return;
    }
    assert_same_request();
    divan::main();
    let listing_or_testing = std::env::args().any(|a| a == "--list" || a == "--test");
    if !listing_or_testing {
        interleaved();
        instructions();
    }
}

fn snapshot_response() -> bytes::Bytes {
    support::ok(ATLAS_V2_JSON, support::snapshot_json(0).as_bytes())
}

/// Each side, ready to call the server at `base_url`.
struct Callers {
    base_url: String,
    client: Client,
    http: reqwest::Client,
}

impl Callers {
    fn new(base_url: String) -> Self {
        let client = Client::builder()
            .base_url(&base_url)
            .credentials(Credentials::bearer_token(TOKEN))
            .build()
            .expect("a client");
        Self {
            http: http_like_the_clients(),
            client,
            base_url,
        }
    }

    /// One call of `side`, its snapshot kept from the optimizer.
    async fn call(&self, side: Side) {
        match side {
            Side::Client => drop(divan::black_box(self.with_client().await)),
            Side::ByHand => drop(divan::black_box(self.by_hand().await)),
        }
    }

    /// The snapshot one call of `side` decodes, as JSON, which each side's
    /// type serializes to alike.
    async fn snapshot(&self, side: Side) -> serde_json::Value {
        match side {
            Side::Client => serde_json::to_value(self.with_client().await),
            Side::ByHand => serde_json::to_value(self.by_hand().await),
        }
        .expect("a snapshot serializes")
    }

    async fn with_client(&self) -> atlas_backup_snapshots::types::ServerlessBackupSnapshot {
        self.client
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
    async fn by_hand(&self) -> atlas_backup_snapshots::types::ServerlessBackupSnapshot {
        let url = format!(
            "{}/api/atlas/v2/groups/{GROUP_ID}/serverless/{CLUSTER}/backup/snapshots/{SNAPSHOT_ID}",
            self.base_url
        );
        self.http
            .get(url)
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
}

/// A `reqwest` client with the timeouts (10 s to connect, 30 s a request)
/// and `User-Agent` that the client sets on its own.
fn http_like_the_clients() -> reqwest::Client {
    reqwest::Client::builder()
        .user_agent(USER_AGENT)
        .connect_timeout(Duration::from_secs(10))
        .timeout(Duration::from_secs(30))
        .build()
        .expect("an HTTP client")
}

/// Sends one request from the client and one by hand to a server that
/// records them, and panics unless the two heads hold the same lines (in
/// any order) and both decode the same snapshot.
fn assert_same_request() {
    let heads = Arc::new(Mutex::new(Vec::new()));
    let recorded = Arc::clone(&heads);
    let base_url = support::serve(move |head| {
        let mut lines: Vec<String> = head.lines().map(str::to_ascii_lowercase).collect();
        lines.sort();
        recorded.lock().unwrap().push(lines);
        snapshot_response()
    });
    let callers = Callers::new(base_url);
    let runtime = support::runtime();
    let snapshots = SIDES.map(|side| runtime.block_on(callers.snapshot(side)));
    assert_eq!(
        snapshots[0], snapshots[1],
        "client and by hand decode alike"
    );
    let heads = heads.lock().unwrap();
    assert_eq!(heads.len(), 2);
    assert_eq!(
        heads[0], heads[1],
        "client and by hand send the same request"
    );
}

/// Makes `calls` calls of `side` after one that opens the connection: what
/// callgrind counts.
fn make_calls(side: Side, calls: u64) {
    let callers = Callers::new(support::serve(|_| snapshot_response()));
    let runtime = support::runtime();
    runtime.block_on(async {
        for _ in 0..=calls {
            callers.call(side).await;
        }
    });
}

/// Times the sides in rotating rounds against one server and prints the
/// median time per call of each, and each side's ratio to the
/// hand-written call.
fn interleaved() {
    let callers = Callers::new(support::serve(|_| snapshot_response()));
    let runtime = support::runtime();
    for side in SIDES {
        runtime.block_on(callers.call(side));
    }
    let time_round = |side: Side| {
        let started = Instant::now();
        runtime.block_on(async {
            for _ in 0..CALLS_PER_ROUND {
                callers.call(side).await;
            }
        });
        started.elapsed() / CALLS_PER_ROUND
    };
    let mut times: [Vec<Duration>; SIDES.len()] = Default::default();
    for round in 0..ROUNDS {
        // Each side goes first in half of the rounds.
        for turn in 0..SIDES.len() {
            let side = (round + turn) % SIDES.len();
            times[side].push(time_round(SIDES[side]));
        }
    }
    let medians = times.clone().map(|mut t| median(&mut t));
    eprintln!(
        "\nwall time, {ROUNDS} interleaved rounds of {CALLS_PER_ROUND} calls a side, median per call:"
    );
    for (s, side) in SIDES.iter().enumerate() {
        let paired = paired_ratio(&times[s], &times[1]);
        eprintln!(
            "  {:<8} {:>9.2?}  {paired:.3} of by-hand (median of each round's own ratio)",
            side.name(),
            medians[s],
        );
    }
}

/// Counts each side's instructions per call with callgrind and prints
/// them with their ratio to the hand-written call's.
fn instructions() {
    let names = SIDES.map(Side::name);
    let counts = match support::callgrind::instructions_per_call(&names) {
        Ok(counts) => counts,
        Err(e) => {
            eprintln!("\ninstructions not counted: {e}");
            return;
        }
    };
    eprintln!("\ninstructions per call (callgrind, the calling thread):");
    for (name, count) in names.iter().zip(&counts) {
        eprintln!(
            "  {name:<8} {count:>9.0}  {:.3} of by-hand",
            count / counts[1]
        );
    }
    let ratio = counts[0] / counts[1];
    let verdict = if ratio <= TARGET { "met" } else { "MISSED" };
    eprintln!("  target: the client within {TARGET} of by-hand: {verdict}");
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

    fn bench(bencher: Bencher, side: Side) {
        let callers = Callers::new(support::serve(|_| snapshot_response()));
        let runtime = support::runtime();
        // Opens the connection, so that every timed call reuses it.
        runtime.block_on(callers.call(side));
        bencher.bench_local(|| runtime.block_on(callers.call(side)));
    }

    /// Through the client, as applications build it.
    #[divan::bench(sample_count = 3000)]
    fn client(bencher: Bencher) {
        bench(bencher, Side::Client);
    }

    /// By hand, with `reqwest` and `serde_json`.
    #[divan::bench(sample_count = 3000)]
    fn by_hand(bencher: Bencher) {
        bench(bencher, Side::ByHand);
    }
}
