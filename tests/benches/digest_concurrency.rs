//! 200 concurrent GETs through one client, with an API key (HTTP Digest)
//! against a server that checks nonce counts as strictly as Apache does,
//! next to the same calls with a bearer token. Each batch starts from a
//! fresh client, so its challenges are part of it.
//!
//! Besides divan's timings (a server that answers at once: the client's
//! own work), `main` prints, against a server that takes 20 ms an answer
//! as a distant network would, each kind's median batch time in
//! alternating rounds with its ratio to the bearer batch, and the requests
//! a batch cost: the client's default, a nonce pool that grows to 32,
//! beside pools of at most 1 and 8. Each nonce carries one request at a
//! time, so latency is what an API key's calls pay for the nonce counts a
//! strict server demands. Then it checks the targets, and that a
//! sequential caller pays one challenge in all.

// The serverless operation is the one the local server answers.
#![allow(deprecated)]

use std::time::{Duration, Instant};

use atlas_backup_snapshots::{Client, Credentials, RetryPolicy};
use divan::Bencher;
use futures_util::future::join_all;
use tests::digest_server::{DigestServer, Options, PRIVATE_KEY, PUBLIC_KEY};
use tests::{fixture, get_serverless_snapshot};

const CALLS: usize = 200;
const TOKEN: &str = "bench-bearer-token";
const ROUNDS: usize = 10;
const NETWORK_LATENCY: Duration = Duration::from_millis(20);

/// The targets for the client's default, against the bearer batch.
const MOST_TIME_RATIO: f64 = 2.0;
const MOST_REQUESTS: f64 = 232.0;

/// How a batch authenticates.
#[derive(Clone, Copy, Debug)]
enum Kind {
    Bearer,
    /// An API key with the client's default nonce pool.
    Digest,
    /// An API key holding at most this many nonces.
    DigestAtMost(usize),
}

const KINDS: [Kind; 4] = [
    Kind::Bearer,
    Kind::Digest,
    Kind::DigestAtMost(1),
    Kind::DigestAtMost(8),
];

fn main() {
    divan::main();
    let listing_or_testing = std::env::args().any(|a| a == "--list" || a == "--test");
    if !listing_or_testing {
        interleaved(NETWORK_LATENCY);
        sequential(NETWORK_LATENCY);
    }
}

fn server(latency: Duration) -> DigestServer {
    DigestServer::start(Options {
        latency,
        bearer_token: Some(TOKEN.into()),
        body: fixture("002_4c9947135e3c7d0e", 200),
        ..Options::default()
    })
}

fn client(server: &DigestServer, kind: Kind) -> Client {
    let builder = Client::builder()
        .base_url(server.base_url())
        .retry(RetryPolicy::none());
    let api_key = || Credentials::api_key(PUBLIC_KEY, PRIVATE_KEY);
    match kind {
        Kind::Bearer => builder.credentials(Credentials::bearer_token(TOKEN)),
        Kind::Digest => builder.credentials(api_key()),
        Kind::DigestAtMost(nonces) => builder.credentials(api_key()).max_digest_nonces(nonces),
    }
    .build()
    .expect("a client")
}

fn runtime() -> tokio::runtime::Runtime {
    tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("a tokio runtime")
}

/// 200 calls at once on a fresh client; panics unless all succeed.
async fn batch(server: &DigestServer, kind: Kind) {
    let client = client(server, kind);
    let outcomes = join_all((0..CALLS).map(|_| get_serverless_snapshot(&client))).await;
    for outcome in outcomes {
        outcome.expect("every call succeeds");
    }
}

#[divan::bench(args = KINDS, sample_count = 20)]
fn two_hundred_concurrent_gets(bencher: Bencher, kind: Kind) {
    let server = server(Duration::ZERO);
    let runtime = runtime();
    bencher.bench_local(|| runtime.block_on(batch(&server, kind)));
}

/// Times the kinds in alternating rounds against one server each,
/// answering after `latency`, and prints each median batch time, its ratio
/// to bearer and the requests one batch cost; then whether the default
/// met its targets.
fn interleaved(latency: Duration) {
    let runtime = runtime();
    let servers: Vec<DigestServer> = KINDS.iter().map(|_| server(latency)).collect();
    let mut times: Vec<Vec<Duration>> = vec![Vec::new(); KINDS.len()];
    for round in 0..ROUNDS {
        for offset in 0..KINDS.len() {
            let k = (round + offset) % KINDS.len();
            let started = Instant::now();
            runtime.block_on(batch(&servers[k], KINDS[k]));
            times[k].push(started.elapsed());
        }
    }
    let medians: Vec<Duration> = times.iter_mut().map(|t| median(t)).collect();
    eprintln!(
        "\n{CALLS} concurrent GETs on a fresh client, server latency {latency:?}, \
         {ROUNDS} alternating rounds, median per batch:"
    );
    let mut figures = Vec::new();
    for (k, kind) in KINDS.iter().enumerate() {
        let stats = servers[k].stats();
        let requests = f64::from(stats.requests) / ROUNDS as f64;
        let ratio = medians[k].as_secs_f64() / medians[0].as_secs_f64();
        eprintln!(
            "  {kind:?}: {:.2?}, ratio to bearer {ratio:.2}, {requests:.0} requests a batch ({} refused)",
            medians[k], stats.refused,
        );
        figures.push((ratio, requests, stats.refused));
    }
    let (ratio, requests, refused) = figures[1];
    let met = ratio <= MOST_TIME_RATIO && requests <= MOST_REQUESTS && refused == 0;
    eprintln!(
        "  target: the default within {MOST_TIME_RATIO}x bearer, at most {MOST_REQUESTS} \
         requests, none refused: {}",
        if met { "met" } else { "MISSED" }
    );
}

/// 200 calls one after another on a fresh client with the default pool:
/// one challenge, then one request a call.
fn sequential(latency: Duration) {
    let runtime = runtime();
    let server = server(latency);
    let client = client(&server, Kind::Digest);
    runtime.block_on(async {
        for _ in 0..CALLS {
            get_serverless_snapshot(&client)
                .await
                .expect("every call succeeds");
        }
    });
    let stats = server.stats();
    let after = f64::from(stats.requests - stats.challenges) / CALLS as f64;
    eprintln!(
        "\n{CALLS} sequential GETs on a fresh client: {} requests, {} challenge(s), \
         {after:.2} requests a call after them ({} refused)",
        stats.requests, stats.challenges, stats.refused
    );
}

fn median(times: &mut [Duration]) -> Duration {
    times.sort_unstable();
    times[times.len() / 2]
}
