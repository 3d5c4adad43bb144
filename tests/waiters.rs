//! The generated waiters against a local server that answers a script and
//! keeps the time of every request it sees. The server runs on the test's
//! own runtime, so tokio's paused clock measures the waits: an hour's
//! bound takes no real time, and the delays between requests are exact.

use std::sync::{Arc, Mutex};
use std::time::Duration;

use atlas_backup_snapshots::types::{
    CloudBackupSnapshotStatus, DiskBackupReplicaSet, ObjectStoragePrivateEndpointResponse,
    ObjectStoragePrivateEndpointResponseStatus,
};
use atlas_backup_snapshots::{Client, RetryPolicy, WaitError};
use serde_json::{Value, json};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpListener;
use tokio::time::Instant;

const GROUP: &str = "32b6e34b3d91647abb20e7b8";
const SNAPSHOT: &str = "5cc310ace5dc7ce369814bc8";
const JOB: &str = "6dd4a1b2c3d4e5f6a7b8c9d0";
const CLUSTER0: &str = "/api/atlas/v2/groups/32b6e34b3d91647abb20e7b8/clusters/Cluster0";

/// One scripted answer.
#[derive(Clone)]
struct Answer {
    status: u16,
    headers: Vec<(&'static str, String)>,
    body: String,
}

fn ok(body: Value) -> Answer {
    Answer {
        status: 200,
        headers: Vec::new(),
        body: body.to_string(),
    }
}

fn error(status: u16, code: &str) -> Answer {
    Answer {
        status,
        headers: Vec::new(),
        body: json!({ "error": status, "errorCode": code, "detail": "scripted" }).to_string(),
    }
}

fn rate_limited(retry_after: u64) -> Answer {
    Answer {
        headers: vec![("retry-after", retry_after.to_string())],
        ..error(429, "RATE_LIMITED")
    }
}

/// What the server saw: the time and path of every request.
#[derive(Default)]
struct Seen {
    requests: Vec<(Instant, String)>,
}

/// A server on the current runtime that answers `script` in order, the
/// last answer to every later request.
struct ScriptedServer {
    base_url: String,
    seen: Arc<Mutex<Seen>>,
}

impl ScriptedServer {
    async fn start(script: Vec<Answer>) -> Self {
        let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
        let base_url = format!("http://{}", listener.local_addr().unwrap());
        let seen = Arc::new(Mutex::new(Seen::default()));
        let kept = Arc::clone(&seen);
        tokio::spawn(async move {
            let mut next = 0;
            loop {
                let (mut stream, _) = listener.accept().await.unwrap();
                let mut head = Vec::new();
                let mut buffer = [0_u8; 1024];
                while !head.windows(4).any(|w| w == b"\r\n\r\n") {
                    let read = stream.read(&mut buffer).await.unwrap();
                    if read == 0 {
                        break;
                    }
                    head.extend_from_slice(&buffer[..read]);
                }
                let head = String::from_utf8_lossy(&head);
                let path = head.split(' ').nth(1).unwrap_or_default().to_string();
                kept.lock().unwrap().requests.push((Instant::now(), path));
                let answer = &script[next.min(script.len() - 1)];
                next += 1;
                let mut response = format!(
                    "HTTP/1.1 {} Scripted\r\ncontent-type: application/json\r\ncontent-length: {}\r\nconnection: close\r\n",
                    answer.status,
                    answer.body.len()
                );
                for (name, value) in &answer.headers {
                    response.push_str(&format!("{name}: {value}\r\n"));
                }
                response.push_str("\r\n");
                response.push_str(&answer.body);
                stream.write_all(response.as_bytes()).await.unwrap();
                stream.shutdown().await.unwrap();
            }
        });
        Self { base_url, seen }
    }

    /// A client of this server that sends every request once, so that
    /// the waiter meets every failure itself.
    fn client(&self) -> Client {
        Client::builder()
            .base_url(&self.base_url)
            .retry(RetryPolicy::none())
            .build()
            .unwrap()
    }

    fn paths(&self) -> Vec<String> {
        let seen = self.seen.lock().unwrap();
        seen.requests.iter().map(|(_, path)| path.clone()).collect()
    }

    fn times(&self) -> Vec<Instant> {
        let seen = self.seen.lock().unwrap();
        seen.requests.iter().map(|(time, _)| *time).collect()
    }

    /// The delays between two requests.
    fn gaps(&self) -> Vec<Duration> {
        self.times().windows(2).map(|w| w[1] - w[0]).collect()
    }
}

fn snapshot(status: &str) -> Answer {
    ok(json!({ "id": SNAPSHOT, "type": "replicaSet", "status": status }))
}

fn snapshot_path() -> String {
    format!("{CLUSTER0}/backup/snapshots/{SNAPSHOT}")
}

async fn wait_for_snapshot(
    server: &ScriptedServer,
    bound: Duration,
) -> Result<DiskBackupReplicaSet, WaitError<DiskBackupReplicaSet>> {
    server
        .client()
        .wait_until_snapshot_completed()
        .group_id(GROUP)
        .cluster_name("Cluster0")
        .snapshot_id(SNAPSHOT)
        .wait(bound)
        .await
}

const HOUR: Duration = Duration::from_secs(3600);
// The spec's delays for snapshots.
const MIN_DELAY: Duration = Duration::from_secs(10);
const MAX_DELAY: Duration = Duration::from_secs(120);

#[tokio::test(start_paused = true)]
async fn a_snapshot_is_waited_for_through_its_intermediate_states() {
    let server = ScriptedServer::start(vec![
        snapshot("queued"),
        snapshot("inProgress"),
        snapshot("inProgress"),
        snapshot("completed"),
    ])
    .await;
    let started = Instant::now();
    let done = wait_for_snapshot(&server, HOUR).await.unwrap();
    assert_eq!(done.status, Some(CloudBackupSnapshotStatus::Completed));
    assert_eq!(server.paths(), vec![snapshot_path(); 4]);
    // The first read is at once, the next after the minimum delay.
    assert_eq!(server.times()[0], started);
    assert_eq!(server.gaps()[0], MIN_DELAY);
}

#[tokio::test(start_paused = true)]
async fn a_failure_state_ends_the_wait_with_the_failed_answer() {
    let server = ScriptedServer::start(vec![snapshot("queued"), snapshot("failed")]).await;
    let error = wait_for_snapshot(&server, HOUR).await.unwrap_err();
    assert_eq!(
        error.to_string(),
        format!(
            "snapshot {} failed: `status` is \"failed\"",
            snapshot_path()
        )
    );
    let WaitError::Failed { last, .. } = &error else {
        panic!("{error:?}");
    };
    assert_eq!(last.status, Some(CloudBackupSnapshotStatus::Failed));
    assert_eq!(server.paths().len(), 2);
}

#[tokio::test(start_paused = true)]
async fn the_wait_stops_at_its_bound_with_the_last_answer() {
    let server = ScriptedServer::start(vec![snapshot("queued"), snapshot("inProgress")]).await;
    let started = Instant::now();
    let error = wait_for_snapshot(&server, HOUR).await.unwrap_err();
    assert_eq!(started.elapsed(), HOUR, "no read after the bound");
    let WaitError::TimedOut {
        last, polls, bound, ..
    } = &error
    else {
        panic!("{error:?}");
    };
    assert_eq!(*bound, HOUR);
    assert_eq!(*polls as usize, server.paths().len());
    assert_eq!(
        last.as_ref().unwrap().status,
        Some(CloudBackupSnapshotStatus::InProgress)
    );
    // The last read is at the bound.
    assert_eq!(*server.times().last().unwrap() - started, HOUR);
    assert_eq!(
        error.to_string(),
        format!(
            "snapshot {} is not done within 3600s, after {polls} reads; it goes on in Atlas",
            snapshot_path()
        )
    );
}

#[tokio::test(start_paused = true)]
async fn delays_stay_between_the_minimum_and_the_maximum() {
    let mut script = vec![snapshot("queued")];
    script.extend(std::iter::repeat_n(snapshot("inProgress"), 40));
    script.push(snapshot("completed"));
    let server = ScriptedServer::start(script).await;
    wait_for_snapshot(&server, Duration::from_secs(24 * 3600))
        .await
        .unwrap();
    let gaps = server.gaps();
    assert_eq!(gaps.len(), 41);
    for gap in &gaps {
        assert!(*gap >= MIN_DELAY && *gap <= MAX_DELAY, "{gaps:?}");
    }
    // The ceiling doubles from the minimum: the fourth delay is at most
    // 80 s, and later ones reach past it.
    assert!(gaps[3] <= Duration::from_secs(80), "{gaps:?}");
    assert!(
        gaps.iter().any(|gap| *gap > Duration::from_secs(80)),
        "{gaps:?}"
    );
    // Jittered: not all the same.
    assert!(gaps[4..].windows(2).any(|w| w[0] != w[1]), "{gaps:?}");
}

#[tokio::test(start_paused = true)]
async fn the_caller_may_set_other_delays() {
    let mut script = vec![snapshot("queued"); 10];
    script.push(snapshot("completed"));
    let server = ScriptedServer::start(script).await;
    server
        .client()
        .wait_until_snapshot_completed()
        .group_id(GROUP)
        .cluster_name("Cluster0")
        .snapshot_id(SNAPSHOT)
        .min_delay(Duration::from_secs(1))
        .max_delay(Duration::from_secs(4))
        .wait(HOUR)
        .await
        .unwrap();
    for gap in server.gaps() {
        assert!(
            gap >= Duration::from_secs(1) && gap <= Duration::from_secs(4),
            "{gap:?}"
        );
    }
}

#[tokio::test(start_paused = true)]
async fn a_503_and_a_429_between_reads_do_not_end_the_wait() {
    let server = ScriptedServer::start(vec![
        snapshot("queued"),
        error(503, "SERVICE_UNAVAILABLE"),
        rate_limited(90),
        snapshot("completed"),
    ])
    .await;
    let done = wait_for_snapshot(&server, HOUR).await.unwrap();
    assert_eq!(done.status, Some(CloudBackupSnapshotStatus::Completed));
    let gaps = server.gaps();
    assert_eq!(gaps.len(), 3);
    assert!(gaps[1] >= MIN_DELAY && gaps[1] <= MAX_DELAY, "{gaps:?}");
    assert_eq!(gaps[2], Duration::from_secs(90), "as Retry-After asked");
}

#[tokio::test(start_paused = true)]
async fn a_transient_error_at_the_bound_is_kept_in_the_timeout() {
    let server =
        ScriptedServer::start(vec![snapshot("queued"), error(503, "SERVICE_UNAVAILABLE")]).await;
    let error = wait_for_snapshot(&server, Duration::from_secs(60))
        .await
        .unwrap_err();
    let WaitError::TimedOut {
        last, last_error, ..
    } = &error
    else {
        panic!("{error:?}");
    };
    assert_eq!(
        last.as_ref().unwrap().status,
        Some(CloudBackupSnapshotStatus::Queued)
    );
    assert_eq!(last_error.as_ref().unwrap().status().unwrap().as_u16(), 503);
    assert!(
        error
            .to_string()
            .contains("; the last read failed: getBackupSnapshot: 503"),
        "{error}"
    );
}

#[tokio::test(start_paused = true)]
async fn a_404_ends_the_wait_with_the_request_error() {
    let server = ScriptedServer::start(vec![
        snapshot("queued"),
        error(404, "CLUSTER_SNAPSHOT_NOT_FOUND"),
    ])
    .await;
    let error = wait_for_snapshot(&server, HOUR).await.unwrap_err();
    let WaitError::Request {
        error: cause, last, ..
    } = &error
    else {
        panic!("{error:?}");
    };
    assert!(cause.is_not_found());
    assert_eq!(
        last.as_ref().unwrap().status,
        Some(CloudBackupSnapshotStatus::Queued)
    );
    assert_eq!(
        error.to_string(),
        format!(
            "cannot read snapshot {}: getBackupSnapshot: 404 Not Found: CLUSTER_SNAPSHOT_NOT_FOUND: scripted",
            snapshot_path()
        )
    );
    assert_eq!(server.paths().len(), 2);
}

#[tokio::test(start_paused = true)]
async fn an_invalid_parameter_ends_the_wait_before_any_request() {
    let server = ScriptedServer::start(vec![snapshot("queued")]).await;
    let error = server
        .client()
        .wait_until_snapshot_completed()
        .group_id("not-a-group")
        .cluster_name("Cluster0")
        .snapshot_id(SNAPSHOT)
        .wait(HOUR)
        .await
        .unwrap_err();
    let WaitError::Request { error: cause, .. } = &error else {
        panic!("{error:?}");
    };
    assert!(cause.to_string().contains("group_id is invalid"), "{cause}");
    assert_eq!(error.resource(), "snapshot");
    assert!(server.paths().is_empty());
}

const ENDPOINT: &str = "6f1a2b3c4d5e6f7a8b9c0d1e";

fn endpoint_path() -> String {
    format!("/api/atlas/v2/groups/{GROUP}/backup/AWS/privateEndpoints/{ENDPOINT}")
}

fn endpoint(status: &str) -> Answer {
    ok(json!({ "id": ENDPOINT, "cloudProvider": "AWS", "status": status }))
}

async fn wait_for_endpoint_deleted(
    server: &ScriptedServer,
    bound: Duration,
) -> Result<(), WaitError<ObjectStoragePrivateEndpointResponse>> {
    server
        .client()
        .wait_until_private_endpoint_deleted()
        .group_id(GROUP)
        .cloud_provider("AWS")
        .endpoint_id(ENDPOINT)
        .wait(bound)
        .await
}

// The spec's delays for private endpoints.
const ENDPOINT_MIN_DELAY: Duration = Duration::from_secs(10);

#[tokio::test(start_paused = true)]
async fn a_deletion_is_waited_for_until_the_read_answers_404() {
    let server = ScriptedServer::start(vec![
        endpoint("DELETING"),
        error(503, "SERVICE_UNAVAILABLE"),
        endpoint("DELETING"),
        error(404, "RESOURCE_NOT_FOUND"),
    ])
    .await;
    let started = Instant::now();
    wait_for_endpoint_deleted(&server, HOUR).await.unwrap();
    assert_eq!(server.paths(), vec![endpoint_path(); 4]);
    assert_eq!(server.times()[0], started);
    assert_eq!(server.gaps()[0], ENDPOINT_MIN_DELAY);
}

#[tokio::test(start_paused = true)]
async fn a_deletion_that_fails_or_takes_too_long_says_so() {
    let server = ScriptedServer::start(vec![endpoint("DELETING"), endpoint("FAILED")]).await;
    let error = wait_for_endpoint_deleted(&server, HOUR).await.unwrap_err();
    assert_eq!(
        error.to_string(),
        format!(
            "private endpoint {} failed: `status` is \"FAILED\"",
            endpoint_path()
        )
    );
    assert_eq!(
        error.last().unwrap().status,
        Some(ObjectStoragePrivateEndpointResponseStatus::Failed)
    );

    let server = ScriptedServer::start(vec![endpoint("DELETING")]).await;
    let started = Instant::now();
    let error = wait_for_endpoint_deleted(&server, Duration::from_secs(300))
        .await
        .unwrap_err();
    assert_eq!(started.elapsed(), Duration::from_secs(300));
    let WaitError::TimedOut { last, polls, .. } = &error else {
        panic!("{error:?}");
    };
    assert_eq!(*polls as usize, server.paths().len());
    assert_eq!(
        last.as_ref().unwrap().status,
        Some(ObjectStoragePrivateEndpointResponseStatus::Deleting)
    );
    assert_eq!(
        *server.times().last().unwrap() - started,
        Duration::from_secs(300)
    );
}

#[tokio::test(start_paused = true)]
async fn an_unlisted_cloud_provider_ends_the_wait_before_any_request() {
    let server = ScriptedServer::start(vec![endpoint("ACTIVE")]).await;
    let error = server
        .client()
        .wait_until_private_endpoint_active()
        .group_id(GROUP)
        .cloud_provider("GCP")
        .endpoint_id(ENDPOINT)
        .wait(HOUR)
        .await
        .unwrap_err();
    assert_eq!(
        error.request_error().unwrap().to_string(),
        "getBackupPrivateEndpoint: invalid request: cloud_provider must be AWS, not \"GCP\""
    );
    assert!(server.paths().is_empty());
}

/// Each waiter of the spec for a deletion: the JSON of the resource as
/// Atlas writes it until its read answers 404.
#[tokio::test(start_paused = true)]
async fn every_waiter_of_a_deletion_ends_at_a_404() {
    type Waits = fn(
        &Client,
    ) -> std::pin::Pin<
        Box<dyn std::future::Future<Output = Result<(), String>> + '_>,
    >;
    let cases: Vec<(&str, Waits, Value)> = vec![
        (
            "private endpoint",
            |client| {
                Box::pin(async move {
                    client
                        .wait_until_private_endpoint_deleted()
                        .group_id(GROUP)
                        .cloud_provider("AWS")
                        .endpoint_id(ENDPOINT)
                        .wait(HOUR)
                        .await
                        .map_err(|e| e.to_string())
                })
            },
            json!({ "id": ENDPOINT, "status": "DELETING" }),
        ),
        (
            "snapshot",
            |client| {
                Box::pin(async move {
                    client
                        .wait_until_snapshot_deleted()
                        .group_id(GROUP)
                        .cluster_name("Cluster0")
                        .snapshot_id(SNAPSHOT)
                        .wait(HOUR)
                        .await
                        .map_err(|e| e.to_string())
                })
            },
            json!({ "id": SNAPSHOT, "type": "replicaSet", "status": "completed" }),
        ),
        (
            "sharded cluster snapshot",
            |client| {
                Box::pin(async move {
                    client
                        .wait_until_sharded_cluster_snapshot_deleted()
                        .group_id(GROUP)
                        .cluster_name("Cluster0")
                        .snapshot_id(SNAPSHOT)
                        .wait(HOUR)
                        .await
                        .map_err(|e| e.to_string())
                })
            },
            json!({ "id": SNAPSHOT, "type": "shardedCluster", "status": "completed" }),
        ),
        (
            "export bucket",
            |client| {
                Box::pin(async move {
                    client
                        .wait_until_export_bucket_deleted()
                        .group_id(GROUP)
                        .export_bucket_id(JOB)
                        .wait(HOUR)
                        .await
                        .map_err(|e| e.to_string())
                })
            },
            json!({ "_id": JOB, "cloudProvider": "AWS", "bucketName": "export-bucket", "iamRoleId": JOB }),
        ),
    ];
    for (resource, wait, present) in cases {
        let server = ScriptedServer::start(vec![
            ok(present.clone()),
            ok(present),
            error(404, "RESOURCE_NOT_FOUND"),
        ])
        .await;
        assert_eq!(wait(&server.client()).await, Ok(()), "{resource}");
        assert_eq!(server.paths().len(), 3, "{resource}");
    }
}

/// Each waiter of the spec: the JSON of a pending, a final and a failed
/// answer as Atlas writes them, and the failure's reason.
#[tokio::test(start_paused = true)]
async fn every_waiter_reads_its_states_as_atlas_writes_them() {
    let restore_job = |finished: bool, flag: Option<&str>| {
        let mut job = json!({ "id": JOB, "deliveryType": "automated",
            "failed": false, "cancelled": false, "expired": false });
        if finished {
            job["finishedAt"] = json!("2026-11-30T03:00:00Z");
        }
        if let Some(flag) = flag {
            job[flag] = json!(true);
        }
        job
    };
    let export = |state: &str| json!({ "id": JOB, "exportBucketId": JOB, "state": state });
    let collections = |state: &str| json!({ "id": JOB, "state": state });
    let flex = |status: &str| json!({ "id": JOB, "status": status });
    let sharded =
        |status: &str| json!({ "id": SNAPSHOT, "type": "shardedCluster", "status": status });
    let endpoint = |status: &str| json!({ "id": JOB, "cloudProvider": "AWS", "status": status });
    let policy = |state: &str| {
        json!({ "authorizedEmail": "owner@example.com", "authorizedUserFirstName": "Ada",
            "authorizedUserLastName": "Lovelace", "state": state })
    };
    type Waits = fn(
        &Client,
    ) -> std::pin::Pin<
        Box<dyn std::future::Future<Output = Result<(), String>> + '_>,
    >;
    // The resource, the wait, the answers that end in success and, for a
    // waiter with a failure state, those that end in failure and the
    // failure's reason.
    type Case = (
        &'static str,
        Waits,
        Vec<Value>,
        Option<(Vec<Value>, &'static str)>,
    );
    let cases: Vec<Case> = vec![
        (
            "restore job",
            |client| {
                Box::pin(async move {
                    client
                        .wait_until_restore_job_finished()
                        .group_id(GROUP)
                        .cluster_name("Cluster0")
                        .restore_job_id(JOB)
                        .wait(HOUR)
                        .await
                        .map(drop)
                        .map_err(|e| e.to_string())
                })
            },
            vec![restore_job(false, None), restore_job(true, None)],
            Some((
                vec![
                    restore_job(false, None),
                    restore_job(true, Some("cancelled")),
                ],
                "`cancelled` is true",
            )),
        ),
        (
            "export job",
            |client| {
                Box::pin(async move {
                    client
                        .wait_until_export_job_successful()
                        .group_id(GROUP)
                        .cluster_name("Cluster0")
                        .export_id(JOB)
                        .wait(HOUR)
                        .await
                        .map(drop)
                        .map_err(|e| e.to_string())
                })
            },
            vec![export("Queued"), export("InProgress"), export("Successful")],
            Some((
                vec![export("InProgress"), export("Cancelled")],
                "`state` is \"Cancelled\"",
            )),
        ),
        (
            "collection restore job",
            |client| {
                Box::pin(async move {
                    client
                        .wait_until_collection_restore_job_successful()
                        .group_id(GROUP)
                        .cluster_name("Cluster0")
                        .job_id(JOB)
                        .wait(HOUR)
                        .await
                        .map(drop)
                        .map_err(|e| e.to_string())
                })
            },
            vec![
                collections("INITIALIZING"),
                collections("FINALIZING"),
                collections("SUCCESSFUL"),
            ],
            Some((
                vec![collections("IN_PROGRESS"), collections("FAILED")],
                "`state` is \"FAILED\"",
            )),
        ),
        (
            "flex snapshot",
            |client| {
                Box::pin(async move {
                    client
                        .wait_until_flex_snapshot_completed()
                        .group_id(GROUP)
                        .cluster_name("flex0")
                        .snapshot_id(SNAPSHOT)
                        .wait(HOUR)
                        .await
                        .map(drop)
                        .map_err(|e| e.to_string())
                })
            },
            vec![flex("PENDING"), flex("RUNNING"), flex("COMPLETED")],
            Some((
                vec![flex("QUEUED"), flex("FAILED")],
                "`status` is \"FAILED\"",
            )),
        ),
        (
            "flex restore job",
            |client| {
                Box::pin(async move {
                    client
                        .wait_until_flex_restore_job_completed()
                        .group_id(GROUP)
                        .cluster_name("flex0")
                        .restore_job_id(JOB)
                        .wait(HOUR)
                        .await
                        .map(drop)
                        .map_err(|e| e.to_string())
                })
            },
            vec![flex("QUEUED"), flex("COMPLETED")],
            Some((
                vec![flex("RUNNING"), flex("FAILED")],
                "`status` is \"FAILED\"",
            )),
        ),
        (
            "sharded cluster snapshot",
            |client| {
                Box::pin(async move {
                    client
                        .wait_until_sharded_cluster_snapshot_completed()
                        .group_id(GROUP)
                        .cluster_name("Cluster0")
                        .snapshot_id(SNAPSHOT)
                        .wait(HOUR)
                        .await
                        .map(drop)
                        .map_err(|e| e.to_string())
                })
            },
            vec![sharded("queued"), sharded("completed")],
            Some((
                vec![sharded("inProgress"), sharded("failed")],
                "`status` is \"failed\"",
            )),
        ),
        (
            "private endpoint",
            |client| {
                Box::pin(async move {
                    client
                        .wait_until_private_endpoint_active()
                        .group_id(GROUP)
                        .cloud_provider("AWS")
                        .endpoint_id(JOB)
                        .wait(HOUR)
                        .await
                        .map(drop)
                        .map_err(|e| e.to_string())
                })
            },
            vec![
                endpoint("INITIATING"),
                endpoint("PENDING_ACCEPTANCE"),
                endpoint("ACTIVE"),
            ],
            Some((
                vec![endpoint("INITIATING"), endpoint("FAILED")],
                "`status` is \"FAILED\"",
            )),
        ),
        (
            "Backup Compliance Policy",
            |client| {
                Box::pin(async move {
                    client
                        .wait_until_compliance_policy_active()
                        .group_id(GROUP)
                        .wait(HOUR)
                        .await
                        .map(drop)
                        .map_err(|e| e.to_string())
                })
            },
            vec![policy("UPDATING"), policy("ACTIVE")],
            None,
        ),
    ];
    for (resource, wait, succeeding, failing) in cases {
        let reads = succeeding.len();
        let server = ScriptedServer::start(succeeding.into_iter().map(ok).collect()).await;
        assert_eq!(wait(&server.client()).await, Ok(()), "{resource}");
        assert_eq!(server.paths().len(), reads, "{resource}");
        let Some((failing, reason)) = failing else {
            continue;
        };
        let server = ScriptedServer::start(failing.into_iter().map(ok).collect()).await;
        let message = wait(&server.client()).await.unwrap_err();
        let path = &server.paths()[0];
        assert_eq!(message, format!("{resource} {path} failed: {reason}"));
    }
}
