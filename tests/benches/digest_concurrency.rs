//! 200 concurrent GETs through one client, with an API key (HTTP Digest)
//! against a server that checks nonce counts as strictly as Apache does,
//! next to the same calls with a bearer token. Each batch starts from a
//! fresh client, so the first challenge is part of it.
//!
//! Besides divan's timings, `main` prints the requests each batch cost and
//! the median time of each kind in alternating rounds, with its ratio to
//! the bearer batch, against a server that answers at once and one that
//! takes 2 ms an answer, as a nearby network would: each nonce carries one
//! request at a time, so latency is what an API key's calls pay for the
//! nonce counts a strict server demands.

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
const ROUNDS: usize = 20;
const NETWORK_LATENCY: Duration = Duration::from_millis(2);

/// How a batch authenticates.
#[derive(Clone, Copy, Debug)]
enum Kind {
    Bearer,
    /// An API key holding at most this many nonces.
    Digest(usize),
}

const KINDS: [Kind; 3] = [Kind::Bearer, Kind::Digest(1), Kind::Digest(8)];

fn main() {
    divan::main();
    let listing_or_testing = std::env::args().any(|a| a == "--list" || a == "--test");
    if !listing_or_testing {
        interleaved(Duration::ZERO);
        interleaved(NETWORK_LATENCY);
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
    match kind {
        Kind::Bearer => builder.credentials(Credentials::bearer_token(TOKEN)),
        Kind::Digest(nonces) => builder
            .credentials(Credentials::api_key(PUBLIC_KEY, PRIVATE_KEY))
            .digest_nonces(nonces),
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

/// Times the three kinds in alternating rounds against one server each,
/// answering after `latency`, and prints each median batch time, its ratio
/// to bearer and the requests one batch cost.
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
    for (k, kind) in KINDS.iter().enumerate() {
        let stats = servers[k].stats();
        let requests = f64::from(stats.requests) / ROUNDS as f64;
        eprintln!(
            "  {kind:?}: {:.2?}, ratio to bearer {:.2}, {requests:.0} requests a batch ({} refused)",
            medians[k],
            medians[k].as_secs_f64() / medians[0].as_secs_f64(),
            stats.refused,
        );
    }
}

fn median(times: &mut [Duration]) -> Duration {
    times.sort_unstable();
    times[times.len() / 2]
}
