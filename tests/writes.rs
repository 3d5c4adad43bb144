//! Writes against local servers. A POST is retried only where Atlas
//! certainly did not act (429, 503 with `Retry-After`, no connection), so
//! that a restore is never started twice by accident; callers can opt a
//! write into full retries. A PUT and a DELETE are retried like a read;
//! when a DELETE meets 404 after an attempt whose outcome is unknown, its
//! error says that the earlier attempt may have done the deletion. Also the restore flow of
//! `examples/restore_flex_snapshot.rs`, run as written.

// Each example loads the examples' shared module, as cargo builds each
// example alone; run here side by side, they load it once each.
#![allow(clippy::duplicate_mod)]

use std::time::Duration;

use atlas_backup_snapshots::types::FlexBackupStatus;
use atlas_backup_snapshots::{Client, ErrorKind, RetryPolicy};
use httpmock::prelude::*;
use serde_json::json;
use tests::{nothing_listening, quick_retries, stub};

#[path = "../generated-client/examples/restore_flex_snapshot.rs"]
#[allow(dead_code)] // its `main` and environment reading are not run here
mod example;

const GROUP: &str = "32b6e34b3d91647abb20e7b8";
const SNAPSHOT: &str = "5cc310ace5dc7ce369814bc8";
const JOB: &str = "6dd4a1b2c3d4e5f6a7b8c9d0";
const RESTORE_JOBS: &str =
    "/api/atlas/v2/groups/32b6e34b3d91647abb20e7b8/flexClusters/flex0/backup/restoreJobs";
const JSON: (&str, &str) = ("content-type", "application/json");

fn client(base_url: &str, retry: RetryPolicy) -> Client {
    Client::builder()
        .base_url(base_url)
        .retry(retry)
        .build()
        .unwrap()
}

fn job(status: &str) -> String {
    json!({
        "id": JOB,
        "snapshotId": SNAPSHOT,
        "targetDeploymentItemName": "flex1",
        "deliveryType": "RESTORE",
        "status": status,
    })
    .to_string()
}

/// Creates a restore job of `SNAPSHOT` into `flex1` on `client`.
async fn create_restore_job(client: &Client) -> Result<(), atlas_backup_snapshots::Error> {
    client
        .create_flex_restore_job()
        .group_id(GROUP)
        .cluster_name("flex0")
        .body_map(|body| {
            body.snapshot_id(SNAPSHOT)
                .target_deployment_item_name("flex1")
        })
        .send()
        .await
        .map(drop)
}

/// A mock answering the create request with `status`, `body` and
/// `headers`, serving at most `times` requests when set.
async fn answer_create<'a>(
    server: &'a MockServer,
    status: u16,
    headers: &[(&str, &str)],
    times: Option<usize>,
) -> httpmock::Mock<'a> {
    let body = if status == 200 {
        job("QUEUED")
    } else {
        json!({ "error": status, "errorCode": format!("CODE_{status}") }).to_string()
    };
    let headers = [&[JSON], headers].concat();
    stub(server, POST, RESTORE_JOBS, status, &body, &headers, times).await
}

#[tokio::test]
async fn a_write_is_never_repeated_after_a_bad_gateway_or_gateway_timeout() {
    for status in [502, 504] {
        let error = failed_write(status, &[("retry-after", "0")], 4, 1).await;
        assert_eq!(error.status().map(|s| s.as_u16()), Some(status));
    }
}

/// The error of a write, allowed `attempts`, to a server that answers
/// every request with `status` and `headers`, having checked that it sent
/// `requests`.
async fn failed_write(
    status: u16,
    headers: &[(&str, &str)],
    attempts: u32,
    requests: u32,
) -> atlas_backup_snapshots::Error {
    let server = MockServer::start_async().await;
    let answered = answer_create(&server, status, headers, None).await;
    let error = create_restore_job(&client(&server.base_url(), quick_retries(attempts)))
        .await
        .unwrap_err();
    assert_eq!(error.attempts(), requests, "{error}");
    answered.assert_calls_async(requests as usize).await;
    error
}

/// A write that meets `status` with `Retry-After: 0` once is sent again,
/// once, and succeeds.
async fn assert_repeated_once_after(status: u16) {
    let server = MockServer::start_async().await;
    let refused = answer_create(&server, status, &[("retry-after", "0")], Some(1)).await;
    let created = answer_create(&server, 200, &[], None).await;
    create_restore_job(&client(&server.base_url(), quick_retries(3)))
        .await
        .unwrap();
    refused.assert_calls_async(1).await;
    created.assert_calls_async(1).await;
}

#[tokio::test]
async fn a_write_is_repeated_after_a_rate_limit() {
    assert_repeated_once_after(429).await;
}

#[tokio::test]
async fn a_write_is_repeated_after_a_request_timeout() {
    // A 408 says the server did not receive the whole request.
    failed_write(408, &[], 3, 3).await;
}

#[tokio::test]
async fn a_write_is_repeated_after_a_503_only_with_retry_after() {
    failed_write(503, &[], 3, 1).await;

    assert_repeated_once_after(503).await;
}

#[tokio::test]
async fn a_write_that_timed_out_after_sending_is_not_repeated() {
    let server = MockServer::start_async().await;
    let slow = server
        .mock_async(|when, then| {
            when.method(POST).path(RESTORE_JOBS);
            then.status(200).delay(Duration::from_secs(5));
        })
        .await;
    let client = Client::builder()
        .base_url(server.base_url())
        .timeout(Duration::from_millis(200))
        .retry(quick_retries(4))
        .build()
        .unwrap();
    let error = create_restore_job(&client).await.unwrap_err();
    assert!(
        matches!(error.kind(), ErrorKind::Transport(e) if e.is_timeout()),
        "{error:?}"
    );
    assert_eq!(error.attempts(), 1);
    slow.assert_calls_async(1).await;
}

#[tokio::test]
async fn a_write_that_could_not_connect_is_repeated() {
    let error = create_restore_job(&client(&nothing_listening(), quick_retries(3)))
        .await
        .unwrap_err();
    assert!(
        matches!(error.kind(), ErrorKind::Transport(e) if e.is_connect()),
        "{error:?}"
    );
    assert_eq!(error.attempts(), 3);
}

#[tokio::test]
async fn a_caller_can_opt_a_write_into_full_retries() {
    let server = MockServer::start_async().await;
    let gateway = answer_create(&server, 502, &[], Some(1)).await;
    let created = answer_create(&server, 200, &[], None).await;
    let strict = client(&server.base_url(), RetryPolicy::none());
    let lenient = strict.with_retry(quick_retries(3).retry_writes(true));
    create_restore_job(&lenient).await.unwrap();
    gateway.assert_calls_async(1).await;
    created.assert_calls_async(1).await;
}

#[tokio::test]
async fn the_example_restores_and_polls_until_the_job_completes() {
    let server = MockServer::start_async().await;
    let created = answer_create(&server, 200, &[], None).await;
    let job_path = format!("{RESTORE_JOBS}/{JOB}");
    let running = server
        .mock_async(|when, then| {
            when.method(GET).path(job_path.clone());
            then.status(200).header(JSON.0, JSON.1).body(job("RUNNING"));
        })
        .await;
    running.up_to_n_times_async(2).await;
    let completed = server
        .mock_async(|when, then| {
            when.method(GET).path(job_path.clone());
            then.status(200)
                .header(JSON.0, JSON.1)
                .body(job("COMPLETED"));
        })
        .await;
    let restore = restore_of_flex0();
    let polling = example::Polling {
        at_most: Duration::from_secs(10),
        min_delay: Some(Duration::from_millis(10)),
    };
    let client = client(&server.base_url(), RetryPolicy::none());
    let job = example::restore_and_wait(&client, &restore, &polling)
        .await
        .unwrap();
    assert_eq!(job.status, Some(FlexBackupStatus::Completed));
    created.assert_calls_async(1).await;
    running.assert_calls_async(2).await;
    completed.assert_calls_async(1).await;
}

/// The example's error when the job it creates always reads as `status`
/// and it waits at most `at_most`.
async fn example_error(status: &str, at_most: Duration) -> Box<dyn std::error::Error> {
    let server = MockServer::start_async().await;
    answer_create(&server, 200, &[], None).await;
    server
        .mock_async(|when, then| {
            when.method(GET).path(format!("{RESTORE_JOBS}/{JOB}"));
            then.status(200).header(JSON.0, JSON.1).body(job(status));
        })
        .await;
    let polling = example::Polling {
        at_most,
        min_delay: Some(Duration::from_millis(10)),
    };
    let client = client(&server.base_url(), RetryPolicy::none());
    example::restore_and_wait(&client, &restore_of_flex0(), &polling)
        .await
        .unwrap_err()
}

#[tokio::test]
async fn the_example_stops_waiting_at_its_bound_and_names_the_job() {
    let error = example_error("RUNNING", Duration::from_millis(100)).await;
    let message = error.to_string();
    let prefix = format!("flex restore job {RESTORE_JOBS}/{JOB} is not done within 100ms, after ");
    assert!(message.starts_with(&prefix), "{message}");
    assert!(
        message.ends_with(" reads; it goes on in Atlas"),
        "{message}"
    );
    let waited = error
        .downcast_ref::<atlas_backup_snapshots::WaitError<atlas_backup_snapshots::types::FlexBackupRestoreJob>>()
        .unwrap();
    assert_eq!(
        waited.last().unwrap().status,
        Some(FlexBackupStatus::Running)
    );
}

#[tokio::test]
async fn the_example_reports_a_failed_restore() {
    let error = example_error("FAILED", Duration::from_secs(10)).await;
    assert_eq!(
        error.to_string(),
        format!("flex restore job {RESTORE_JOBS}/{JOB} failed: `status` is \"FAILED\"")
    );
}

fn restore_of_flex0() -> example::Restore {
    example::Restore {
        group_id: GROUP.to_string(),
        cluster: "flex0".to_string(),
        snapshot_id: SNAPSHOT.to_string(),
        target_cluster: "flex1".to_string(),
    }
}

/// A PUT replaces the Backup Compliance Policy with the body it sends:
/// sending it again leaves what sending it once does, so it is retried
/// like a read, after a 502 or a 504 too.
#[tokio::test]
async fn a_put_is_repeated_like_a_read() {
    let policy = json!({ "authorizedEmail": "owner@example.com",
        "authorizedUserFirstName": "Ada", "authorizedUserLastName": "Lovelace", "state": "UPDATING" });
    for status in [502, 504] {
        let server = MockServer::start_async().await;
        let path = format!("/api/atlas/v2/groups/{GROUP}/backupCompliancePolicy");
        let gateway = stub(&server, PUT, &path, status, "", &[], Some(1)).await;
        let policy = policy.to_string();
        let updated = stub(&server, PUT, &path, 200, &policy, &[JSON], None).await;
        let answer = client(&server.base_url(), quick_retries(4))
            .update_compliance_policy()
            .group_id(GROUP)
            .body_map(|body| {
                body.authorized_email("owner@example.com")
                    .authorized_user_first_name("Ada")
                    .authorized_user_last_name("Lovelace")
            })
            .send()
            .await
            .unwrap();
        assert_eq!(answer.status(), 200);
        gateway.assert_calls_async(1).await;
        updated.assert_calls_async(1).await;
    }
}

const SNAPSHOT_PATH: &str = "/api/atlas/v2/groups/32b6e34b3d91647abb20e7b8/clusters/Cluster0/backup/snapshots/5cc310ace5dc7ce369814bc8";

/// Deletes `SNAPSHOT` of `Cluster0` on a server that first answers
/// `first` (once), then 404, and returns the error.
async fn delete_after(first: impl FnOnce(httpmock::Then)) -> atlas_backup_snapshots::Error {
    let server = MockServer::start_async().await;
    let earlier = server
        .mock_async(|when, then| {
            when.method(DELETE).path(SNAPSHOT_PATH);
            first(then);
        })
        .await;
    earlier.up_to_n_times_async(1).await;
    let not_found =
        json!({ "error": 404, "errorCode": "SNAPSHOT_NOT_FOUND", "detail": "No such snapshot." })
            .to_string();
    let gone = stub(
        &server,
        DELETE,
        SNAPSHOT_PATH,
        404,
        &not_found,
        &[JSON],
        None,
    )
    .await;
    let client = Client::builder()
        .base_url(server.base_url())
        .retry(quick_retries(3))
        .timeout(Duration::from_millis(300))
        .build()
        .unwrap();
    let error = client
        .delete_backup_snapshot()
        .group_id(GROUP)
        .cluster_name("Cluster0")
        .snapshot_id(SNAPSHOT)
        .send()
        .await
        .unwrap_err();
    earlier.assert_calls_async(1).await;
    gone.assert_calls_async(1).await;
    error
}

#[tokio::test]
async fn a_retried_delete_that_meets_404_says_an_unknown_attempt_may_have_deleted() {
    for (status, seen) in [
        (502, "ended in 502 Bad Gateway"),
        (504, "ended in 504 Gateway Timeout"),
        (503, "ended in 503 Service Unavailable"),
    ] {
        let error = delete_after(|then| {
            then.status(status);
        })
        .await;
        assert!(error.is_not_found());
        assert!(error.earlier_attempt_may_have_deleted());
        assert_eq!(
            error.to_string(),
            format!(
                "deleteBackupSnapshot: 404 Not Found: SNAPSHOT_NOT_FOUND: No such snapshot. \
                 An earlier attempt of this call {seen} and may have done the deletion. (2 requests)"
            )
        );
    }
    let error = delete_after(|then| {
        then.status(200).delay(Duration::from_secs(5));
    })
    .await;
    assert!(error.earlier_attempt_may_have_deleted());
    assert!(
        error
            .to_string()
            .ends_with("An earlier attempt of this call got no answer and may have done the deletion. (2 requests)"),
        "{error}"
    );
}

#[tokio::test]
async fn a_delete_refused_before_acting_meets_404_without_doubt() {
    // A 429 and a 503 with `Retry-After` say the earlier attempt did nothing.
    for (status, retry_after) in [(429, "0"), (503, "0")] {
        let error = delete_after(|then| {
            then.status(status).header("retry-after", retry_after);
        })
        .await;
        assert!(error.is_not_found());
        assert!(!error.earlier_attempt_may_have_deleted());
        assert_eq!(
            error.to_string(),
            "deleteBackupSnapshot: 404 Not Found: SNAPSHOT_NOT_FOUND: No such snapshot. (2 requests)"
        );
    }
}

#[path = "../generated-client/examples/take_snapshot.rs"]
#[allow(dead_code)] // its `main` and environment reading are not run here
mod take_snapshot_example;

#[path = "../generated-client/examples/restore_snapshot.rs"]
#[allow(dead_code)]
mod restore_snapshot_example;

#[path = "../generated-client/examples/point_in_time_restore.rs"]
#[allow(dead_code)]
mod point_in_time_example;

const CLUSTER0: &str = "/api/atlas/v2/groups/32b6e34b3d91647abb20e7b8/clusters/Cluster0/backup";

/// Answers `method` on `path` with `bodies` in turn, the last one to every
/// later request, each `bodies` entry a JSON value, and returns the mocks.
async fn answers<'a>(
    server: &'a MockServer,
    method: &str,
    path: &str,
    bodies: &[serde_json::Value],
) -> Vec<httpmock::Mock<'a>> {
    let mut mocks = Vec::new();
    for (i, body) in bodies.iter().enumerate() {
        let mock = server
            .mock_async(|when, then| {
                when.method(method).path(path);
                then.status(200)
                    .header(JSON.0, JSON.1)
                    .body(body.to_string());
            })
            .await;
        if i + 1 < bodies.len() {
            mock.up_to_n_times_async(1).await;
        }
        mocks.push(mock);
    }
    mocks
}

fn quick_polling() -> take_snapshot_example::Polling {
    take_snapshot_example::Polling {
        at_most: Duration::from_secs(10),
        min_delay: Some(Duration::from_millis(10)),
    }
}

fn replica_set_snapshot(status: &str) -> serde_json::Value {
    json!({ "type": "replicaSet", "id": SNAPSHOT, "status": status, "replicaSetName": "Cluster0-shard-0" })
}

fn snapshot_of_cluster0() -> take_snapshot_example::Snapshot {
    take_snapshot_example::Snapshot {
        group_id: GROUP.parse().unwrap(),
        cluster: "Cluster0".parse().unwrap(),
        description: "before the migration".to_string(),
        retention_days: std::num::NonZeroU32::new(7).unwrap(),
    }
}

#[tokio::test]
async fn the_snapshot_example_takes_one_and_waits_until_it_is_completed() {
    let server = MockServer::start_async().await;
    let taken = server
        .mock_async(|when, then| {
            when.method(POST)
                .path(format!("{CLUSTER0}/snapshots"))
                .json_body(json!({ "description": "before the migration", "retentionInDays": 7 }));
            then.status(200)
                .header(JSON.0, JSON.1)
                .body(replica_set_snapshot("queued").to_string());
        })
        .await;
    let snapshot_path = format!("{CLUSTER0}/snapshots/{SNAPSHOT}");
    let reads = answers(
        &server,
        "GET",
        &snapshot_path,
        &[
            replica_set_snapshot("inProgress"),
            replica_set_snapshot("completed"),
        ],
    )
    .await;
    let client = client(&server.base_url(), RetryPolicy::none());
    let snapshot =
        take_snapshot_example::take_and_wait(&client, &snapshot_of_cluster0(), &quick_polling())
            .await
            .unwrap();
    assert_eq!(
        snapshot.status,
        Some(atlas_backup_snapshots::types::CloudBackupSnapshotStatus::Completed)
    );
    taken.assert_calls_async(1).await;
    reads[0].assert_calls_async(1).await;
    reads[1].assert_calls_async(1).await;
}

#[tokio::test]
async fn the_snapshot_example_reports_a_failed_snapshot_and_a_sharded_cluster() {
    let server = MockServer::start_async().await;
    answers(
        &server,
        "POST",
        &format!("{CLUSTER0}/snapshots"),
        &[replica_set_snapshot("queued")],
    )
    .await;
    answers(
        &server,
        "GET",
        &format!("{CLUSTER0}/snapshots/{SNAPSHOT}"),
        &[replica_set_snapshot("failed")],
    )
    .await;
    let client = client(&server.base_url(), RetryPolicy::none());
    let error =
        take_snapshot_example::take_and_wait(&client, &snapshot_of_cluster0(), &quick_polling())
            .await
            .unwrap_err();
    assert_eq!(
        error.to_string(),
        format!("snapshot {CLUSTER0}/snapshots/{SNAPSHOT} failed: `status` is \"failed\"")
    );

    let server = MockServer::start_async().await;
    let sharded = json!({ "type": "shardedCluster", "id": SNAPSHOT, "status": "queued" });
    answers(
        &server,
        "POST",
        &format!("{CLUSTER0}/snapshots"),
        &[sharded],
    )
    .await;
    let client = client_of(&server);
    let error =
        take_snapshot_example::take_and_wait(&client, &snapshot_of_cluster0(), &quick_polling())
            .await
            .unwrap_err();
    assert_eq!(
        error.to_string(),
        "Cluster0 is a sharded cluster, not a replica set"
    );
}

fn client_of(server: &MockServer) -> Client {
    client(&server.base_url(), RetryPolicy::none())
}

fn dedicated_restore_job(finished: bool, failed: bool) -> serde_json::Value {
    let mut job = json!({
        "id": JOB,
        "deliveryType": "automated",
        "snapshotId": SNAPSHOT,
        "targetClusterName": "Staging0",
        "targetGroupId": GROUP,
        "failed": failed,
        "cancelled": false,
        "expired": false,
    });
    if finished {
        job["finishedAt"] = json!("2026-11-30T03:00:00Z");
    }
    job
}

/// A mock answering the creation of a restore job of `Cluster0` whose
/// body is `request` with the job, not yet finished.
async fn creates_restore_job(
    server: &MockServer,
    request: serde_json::Value,
) -> httpmock::Mock<'_> {
    let job = dedicated_restore_job(false, false).to_string();
    server
        .mock_async(|when, then| {
            when.method(POST)
                .path(format!("{CLUSTER0}/restoreJobs"))
                .json_body(request);
            then.status(200).header(JSON.0, JSON.1).body(job);
        })
        .await
}

fn restore_into_staging0() -> restore_snapshot_example::Restore {
    restore_snapshot_example::Restore {
        group_id: GROUP.parse().unwrap(),
        cluster: "Cluster0".parse().unwrap(),
        snapshot_id: SNAPSHOT.parse().unwrap(),
        target_group_id: GROUP.parse().unwrap(),
        target_cluster: "Staging0".parse().unwrap(),
    }
}

fn restore_polling(at_most: Duration) -> restore_snapshot_example::Polling {
    restore_snapshot_example::Polling {
        at_most,
        min_delay: Some(Duration::from_millis(10)),
    }
}

#[tokio::test]
async fn the_restore_example_restores_into_another_cluster_and_waits_until_it_finishes() {
    let server = MockServer::start_async().await;
    let created = creates_restore_job(
        &server,
        json!({
            "deliveryType": "automated",
            "snapshotId": SNAPSHOT,
            "targetClusterName": "Staging0",
            "targetGroupId": GROUP,
        }),
    )
    .await;
    let reads = answers(
        &server,
        "GET",
        &format!("{CLUSTER0}/restoreJobs/{JOB}"),
        &[
            dedicated_restore_job(false, false),
            dedicated_restore_job(true, false),
        ],
    )
    .await;
    let job = restore_snapshot_example::restore_and_wait(
        &client_of(&server),
        &restore_into_staging0(),
        &restore_polling(Duration::from_secs(10)),
    )
    .await
    .unwrap();
    assert!(job.finished_at.is_some());
    created.assert_calls_async(1).await;
    reads[0].assert_calls_async(1).await;
    reads[1].assert_calls_async(1).await;
}

#[tokio::test]
async fn the_restore_example_reports_a_failed_job_and_stops_at_its_bound() {
    for (job, at_most, message) in [
        (
            dedicated_restore_job(false, true),
            Duration::from_secs(10),
            format!("restore job {CLUSTER0}/restoreJobs/{JOB} failed: `failed` is true"),
        ),
        (
            dedicated_restore_job(false, false),
            Duration::from_millis(100),
            format!("restore job {CLUSTER0}/restoreJobs/{JOB} is not done within 100ms, after "),
        ),
    ] {
        let server = MockServer::start_async().await;
        answers(
            &server,
            "POST",
            &format!("{CLUSTER0}/restoreJobs"),
            &[dedicated_restore_job(false, false)],
        )
        .await;
        answers(
            &server,
            "GET",
            &format!("{CLUSTER0}/restoreJobs/{JOB}"),
            &[job],
        )
        .await;
        let error = restore_snapshot_example::restore_and_wait(
            &client_of(&server),
            &restore_into_staging0(),
            &restore_polling(at_most),
        )
        .await
        .unwrap_err();
        assert!(error.to_string().starts_with(&message), "{error}");
    }
}

#[tokio::test]
async fn the_point_in_time_example_restores_a_moment_and_waits() {
    let server = MockServer::start_async().await;
    let created = creates_restore_job(
        &server,
        json!({
            "deliveryType": "pointInTime",
            "pointInTimeUTCSeconds": 1_796_003_940,
            "targetClusterName": "Staging0",
            "targetGroupId": GROUP,
        }),
    )
    .await;
    let reads = answers(
        &server,
        "GET",
        &format!("{CLUSTER0}/restoreJobs/{JOB}"),
        &[dedicated_restore_job(true, false)],
    )
    .await;
    let moment = point_in_time_example::PointInTime {
        group_id: GROUP.parse().unwrap(),
        cluster: "Cluster0".parse().unwrap(),
        moment: "2026-11-30T01:59:00Z".parse().unwrap(),
        target_group_id: GROUP.parse().unwrap(),
        target_cluster: "Staging0".parse().unwrap(),
    };
    let polling = point_in_time_example::Polling {
        at_most: Duration::from_secs(10),
        min_delay: Some(Duration::from_millis(10)),
    };
    let job = point_in_time_example::restore_and_wait(&client_of(&server), &moment, &polling)
        .await
        .unwrap();
    assert!(job.finished_at.is_some());
    created.assert_calls_async(1).await;
    reads[0].assert_calls_async(1).await;
}
