//! 200 concurrent GETs through one client, with an API key (HTTP Digest)
//! against a server that checks nonce counts as strictly as Apache does
//! and keeps a bounded table of nonces, next to the same calls with a
//! bearer token. Each batch starts from a fresh client, so its challenges
//! are part of it.
//!
//! Besides divan's timings (a server that answers at once: the client's
//! own work), `main` prints, against servers that take 20 ms an answer as
//! a distant network would, each case's median batch time in alternating
//! rounds with its ratio to the bearer batch, and the requests, stale
//! answers and refusals a batch cost: the client's default pool against a
//! server that keeps 1,000 nonces and one that keeps 8 (as Apache's
//! default table does), beside a pool of one nonce. Each nonce carries one
//! request at a time, so latency is what an API key's calls pay for the
//! nonce counts a strict server demands. Then it checks the targets, and
//! that a sequential caller pays one challenge in all.

// The serverless operation is the one the local server answers.
#![allow(deprecated)]

use std::time::{Duration, Instant};

use atlas_backup_snapshots::{Client, Credentials, RetryPolicy};
use divan::Bencher;
use futures_util::future::join_all;
use tests::digest_server::{DEFAULT_KEPT_NONCES, DigestServer, Options, PRIVATE_KEY, PUBLIC_KEY};
use tests::{fixture, get_serverless_snapshot};

const CALLS: usize = 200;
const TOKEN: &str = "bench-bearer-token";
const ROUNDS: usize = 10;
const NETWORK_LATENCY: Duration = Duration::from_millis(20);

/// How a batch authenticates, and how many nonces its server keeps.
#[derive(Clone, Copy, Debug)]
struct Case {
    auth: Auth,
    kept_nonces: usize,
}

#[derive(Clone, Copy, Debug)]
enum Auth {
    Bearer,
    /// An API key with the client's default nonce pool.
    ApiKey,
    /// An API key holding at most this many nonces.
    ApiKeyAtMost(usize),
}

const CASES: [Case; 4] = [
    Case {
        auth: Auth::Bearer,
        kept_nonces: DEFAULT_KEPT_NONCES,
    },
    Case {
        auth: Auth::ApiKey,
        kept_nonces: 1_000,
    },
    Case {
        auth: Auth::ApiKey,
        kept_nonces: 8,
    },
    Case {
        auth: Auth::ApiKeyAtMost(1),
        kept_nonces: 8,
    },
];

/// The default pool's target against a server that keeps many nonces, as
/// a ratio to the bearer batch: 32 nonces, each carrying one request per
/// round trip, put the floor near 2.5x.
const TARGET_TO_BEARER: f64 = 4.0;

/// Its target against a server that keeps fewer nonces than the pool's
/// most, as a ratio to the floor of such a server: each nonce it keeps
/// carries one request per round trip, so 200 calls over 8 nonces take at
/// least 25 round trips, 7.6x a bearer batch of 66 ms, whatever the
/// client does. The rest is the cost of finding the server's bound.
const TARGET_TO_FLOOR: f64 = 2.0;

fn main() {
    divan::main();
    let listing_or_testing = std::env::args().any(|a| a == "--list" || a == "--test");
    if !listing_or_testing {
        interleaved(NETWORK_LATENCY);
        sequential(NETWORK_LATENCY);
    }
}

fn server(latency: Duration, kept_nonces: usize) -> DigestServer {
    DigestServer::start(Options {
        latency,
        kept_nonces,
        bearer_token: Some(TOKEN.into()),
        body: fixture("002_4c9947135e3c7d0e", 200),
        ..Options::default()
    })
}

fn client(server: &DigestServer, auth: Auth) -> Client {
    let builder = Client::builder()
        .base_url(server.base_url())
        .retry(RetryPolicy::none());
    let api_key = || Credentials::api_key(PUBLIC_KEY, PRIVATE_KEY);
    match auth {
        Auth::Bearer => builder.credentials(Credentials::bearer_token(TOKEN)),
        Auth::ApiKey => builder.credentials(api_key()),
        Auth::ApiKeyAtMost(nonces) => builder.credentials(api_key()).max_digest_nonces(nonces),
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
async fn batch(server: &DigestServer, auth: Auth) {
    let client = client(server, auth);
    let outcomes = join_all((0..CALLS).map(|_| get_serverless_snapshot(&client))).await;
    for outcome in outcomes {
        outcome.expect("every call succeeds");
    }
}

#[divan::bench(args = CASES, sample_count = 20)]
fn two_hundred_concurrent_gets(bencher: Bencher, case: Case) {
    let server = server(Duration::ZERO, case.kept_nonces);
    let runtime = runtime();
    bencher.bench_local(|| runtime.block_on(batch(&server, case.auth)));
}

/// Times the cases in alternating rounds against one server each,
/// answering after `latency`, and prints each median batch time, its ratio
/// to bearer and what one batch cost; then whether the default pool met
/// its targets.
fn interleaved(latency: Duration) {
    let runtime = runtime();
    let servers: Vec<DigestServer> = CASES
        .iter()
        .map(|case| server(latency, case.kept_nonces))
        .collect();
    let mut times: Vec<Vec<Duration>> = vec![Vec::new(); CASES.len()];
    for round in 0..ROUNDS {
        for offset in 0..CASES.len() {
            let k = (round + offset) % CASES.len();
            let started = Instant::now();
            runtime.block_on(batch(&servers[k], CASES[k].auth));
            times[k].push(started.elapsed());
        }
    }
    let medians: Vec<Duration> = times.iter_mut().map(|t| median(t)).collect();
    eprintln!(
        "\n{CALLS} concurrent GETs on a fresh client, server latency {latency:?}, \
         {ROUNDS} alternating rounds, median per batch:"
    );
    let per_batch = |n: u32| f64::from(n) / ROUNDS as f64;
    let mut met = true;
    for (k, case) in CASES.iter().enumerate() {
        let stats = servers[k].stats();
        let ratio = medians[k].as_secs_f64() / medians[0].as_secs_f64();
        eprintln!(
            "  {:?}, server keeps {} nonces: {:.2?}, ratio to bearer {ratio:.2}, \
             {:.0} requests a batch ({:.0} challenges, {:.1} stale, {} refused)",
            case.auth,
            case.kept_nonces,
            medians[k],
            per_batch(stats.requests),
            per_batch(stats.challenges),
            per_batch(stats.stale),
            stats.refused,
        );
        if !matches!(case.auth, Auth::ApiKey) {
            continue;
        }
        met &= stats.refused == 0;
        if case.kept_nonces >= CALLS {
            met &= ratio <= TARGET_TO_BEARER;
        } else {
            let floor = latency * CALLS.div_ceil(case.kept_nonces) as u32;
            let to_floor = medians[k].as_secs_f64() / floor.as_secs_f64();
            eprintln!(
                "    its floor: {floor:.0?}, {:.2}x bearer; the batch took {to_floor:.2}x the floor",
                floor.as_secs_f64() / medians[0].as_secs_f64()
            );
            met &= to_floor <= TARGET_TO_FLOOR;
        }
    }
    eprintln!(
        "  target: the default pool within {TARGET_TO_BEARER}x bearer against a server \
         that keeps 1,000 nonces, within {TARGET_TO_FLOOR}x the floor against one that \
         keeps 8, none refused: {}",
        if met { "met" } else { "MISSED" }
    );
}

/// 200 calls one after another on a fresh client with the default pool:
/// one challenge, then one request a call.
fn sequential(latency: Duration) {
    let runtime = runtime();
    let server = server(latency, DEFAULT_KEPT_NONCES);
    let client = client(&server, Auth::ApiKey);
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
