//! The typed mocks as a user of the crate meets them: only the public
//! `mock` feature, a client built by `Client::builder()` with Digest or
//! bearer credentials, and the failures a caller's own error and retry
//! handling must meet.

use std::time::Duration;

use atlas_backup_snapshots::mock::{
    MockServer, MockServerExt, api_error, digest_challenge, in_order,
};
use atlas_backup_snapshots::types::{
    FlexBackupRestoreJob, FlexBackupRestoreJobCreate, FlexBackupSnapshot, FlexBackupStatus,
    PaginatedFlexBackupSnapshots,
};
use atlas_backup_snapshots::{Client, Credentials, Error, RetryPolicy};
use futures_util::TryStreamExt;
use tests::{get_serverless_snapshot, quick_retries};

const GROUP: &str = "32b6e34b3d91647abb20e7b8";
const SNAPSHOT: &str = "5cc310ace5dc7ce369814bc8";

fn client(server: &MockServer, credentials: Credentials, retry: RetryPolicy) -> Client {
    Client::builder()
        .base_url(server.base_url())
        .credentials(credentials)
        .retry(retry)
        .build()
        .unwrap()
}

/// A client with a bearer token and no retries.
fn bearer_client(server: &MockServer) -> Client {
    client(
        server,
        Credentials::bearer_token("token"),
        RetryPolicy::none(),
    )
}

fn snapshot() -> FlexBackupSnapshot {
    FlexBackupSnapshot::builder()
        .id(Some(SNAPSHOT.parse().unwrap()))
        .status(Some(FlexBackupStatus::Completed))
        .try_into()
        .unwrap()
}

async fn get_snapshot(client: &Client) -> Result<FlexBackupSnapshot, Error> {
    let answer = client
        .get_flex_backup_snapshot()
        .group_id(GROUP)
        .cluster_name("flex0")
        .snapshot_id(SNAPSHOT)
        .send()
        .await?;
    Ok(answer.into_inner())
}

#[tokio::test]
async fn an_api_key_answers_the_challenge_then_gets_the_typed_answer() {
    let server = MockServer::start_async().await;
    let challenge = digest_challenge(&server);
    let mock = server.get_flex_backup_snapshot(|when, then| {
        when.group_id(&GROUP.parse().unwrap())
            .cluster_name(&"flex0".parse().unwrap())
            .snapshot_id(&SNAPSHOT.parse().unwrap());
        then.ok(&snapshot());
    });
    let client = client(
        &server,
        Credentials::api_key("abcdefgh", "key"),
        RetryPolicy::none(),
    );
    assert_eq!(get_snapshot(&client).await.unwrap(), snapshot());
    challenge.assert_calls(1);
    mock.assert_calls(1);
    // The kept challenge answers the next call at once.
    get_snapshot(&client).await.unwrap();
    challenge.assert_calls(1);
    mock.assert_calls(2);
}

#[tokio::test]
async fn a_bearer_token_needs_no_challenge() {
    let server = MockServer::start_async().await;
    let mock = server.get_flex_backup_snapshot(|when, then| {
        when.into_inner().header("authorization", "Bearer token");
        then.ok(&snapshot());
    });
    let client = bearer_client(&server);
    get_snapshot(&client).await.unwrap();
    mock.assert();
}

#[tokio::test]
async fn a_typed_api_error_reaches_the_caller() {
    let server = MockServer::start_async().await;
    server.get_flex_backup_snapshot(|_, then| {
        then.not_found(&api_error(
            404,
            "SNAPSHOT_NOT_FOUND",
            "No snapshot with that id.",
        ))
    });
    let client = bearer_client(&server);
    let error = get_snapshot(&client).await.unwrap_err();
    assert!(error.is_not_found());
    assert_eq!(error.error_code(), Some("SNAPSHOT_NOT_FOUND"));
    assert_eq!(
        error.api_error().unwrap().detail.as_deref(),
        Some("No snapshot with that id.")
    );
}

#[tokio::test]
async fn a_rate_limit_gives_its_wait_to_the_caller() {
    let server = MockServer::start_async().await;
    server.get_flex_backup_snapshot(|_, then| then.rate_limited(7));
    let client = bearer_client(&server);
    let error = get_snapshot(&client).await.unwrap_err();
    assert!(error.is_rate_limited());
    assert_eq!(error.retry_after(), Some(Duration::from_secs(7)));
}

#[tokio::test]
async fn the_client_retries_a_rate_limit_as_long_as_its_policy_says() {
    let server = MockServer::start_async().await;
    let mock = server.get_flex_backup_snapshot(|_, then| then.rate_limited(0));
    let client = client(
        &server,
        Credentials::bearer_token("token"),
        quick_retries(3),
    );
    let error = get_snapshot(&client).await.unwrap_err();
    assert_eq!(error.attempts(), 3);
    mock.assert_calls(3);
}

#[tokio::test]
async fn a_sunset_endpoint_names_its_successor() {
    let server = MockServer::start_async().await;
    server.get_serverless_snapshot_v2(|_, then| then.gone());
    let client = bearer_client(&server);
    let error = get_serverless_snapshot(&client).await.unwrap_err();
    assert!(error.is_version_gone());
    assert!(
        error.to_string().contains("get_flex_backup_snapshot"),
        "{error}"
    );
}

#[tokio::test]
async fn a_write_is_matched_on_its_typed_body() {
    let server = MockServer::start_async().await;
    let body: FlexBackupRestoreJobCreate = FlexBackupRestoreJobCreate::builder()
        .snapshot_id(SNAPSHOT)
        .target_deployment_item_name("flex1")
        .try_into()
        .unwrap();
    let job: FlexBackupRestoreJob = FlexBackupRestoreJob::builder()
        .status(Some(FlexBackupStatus::Queued))
        .try_into()
        .unwrap();
    let mock = server.create_flex_restore_job(|when, then| {
        when.body(&body);
        then.ok(&job);
    });
    let client = bearer_client(&server);
    let answer = client
        .create_flex_restore_job()
        .group_id(GROUP)
        .cluster_name("flex0")
        .body(body.clone())
        .send()
        .await
        .unwrap();
    assert_eq!(answer.into_inner(), job);
    mock.assert();
}

#[tokio::test]
async fn pages_are_mocked_one_by_one() {
    let server = MockServer::start_async().await;
    for page in 1..=2_u32 {
        let results = (0..(3 - page)).map(|_| snapshot()).collect::<Vec<_>>();
        let body = PaginatedFlexBackupSnapshots::builder()
            .results(results)
            .try_into()
            .unwrap();
        server.list_flex_backup_snapshots(move |when, then| {
            when.page_num(std::num::NonZeroU32::new(page))
                .items_per_page(std::num::NonZeroU32::new(2));
            then.ok(&body);
        });
    }
    let client = bearer_client(&server);
    let items: Vec<_> = client
        .list_flex_backup_snapshots()
        .group_id(GROUP)
        .cluster_name("flex0")
        .items_per_page(2)
        .stream()
        .try_collect()
        .await
        .unwrap();
    assert_eq!(items.len(), 3);
}

/// The mocks of dedicated clusters' operations: a snapshot of one of two
/// kinds, a 201 answer (`created`), a 204 (`no_content`), and a body of
/// one of three kinds matched as sent.
#[tokio::test]
async fn dedicated_cluster_mocks_answer_with_their_own_shapes() {
    use atlas_backup_snapshots::types::{
        CollectionRestoreJobResponse, CollectionRestoreJobState, DiskBackupReplicaSet,
        DiskBackupSnapshot, DiskBackupSnapshotExportBucketRequest,
        DiskBackupSnapshotGcpExportBucketRequest, IndexStrategy, WriteStrategy,
    };
    let server = MockServer::start_async().await;
    let taken = DiskBackupSnapshot::ReplicaSet(
        DiskBackupReplicaSet::builder()
            .id(Some(SNAPSHOT.parse().unwrap()))
            .try_into()
            .unwrap(),
    );
    let take = server.take_backup_snapshot(|when, then| {
        when.cluster_name(&"Cluster0".parse().unwrap());
        then.ok(&taken)
    });
    let job: CollectionRestoreJobResponse = CollectionRestoreJobResponse::builder()
        .state(Some(CollectionRestoreJobState::Initializing))
        .try_into()
        .unwrap();
    let restore = server.create_collection_restore_job(|_, then| then.created(&job));
    let delete = server.delete_backup_snapshot(|_, then| then.no_content());
    let bucket = DiskBackupSnapshotExportBucketRequest::Gcp(
        DiskBackupSnapshotGcpExportBucketRequest::builder()
            .bucket_name("export-bucket")
            .role_id("668c5f0ed436263134491592")
            .try_into()
            .unwrap(),
    );
    let create_bucket = server.create_export_bucket(|when, then| {
        when.body(&bucket);
        then.api_error(409, &api_error(409, "BUCKET_EXISTS", "It exists."))
    });
    let client = bearer_client(&server);

    let snapshot = client
        .take_backup_snapshot()
        .group_id(GROUP)
        .cluster_name("Cluster0")
        .body_map(|body| body)
        .send()
        .await
        .unwrap();
    assert_eq!(*snapshot, taken);
    let created = client
        .create_collection_restore_job()
        .group_id(GROUP)
        .cluster_name("Cluster0")
        .body_map(|body| {
            body.index_strategy(IndexStrategy::All)
                .write_strategy(WriteStrategy::CreateNew)
                .target_cluster_name("Staging0")
                .target_group_id(GROUP)
        })
        .send()
        .await
        .unwrap();
    assert_eq!(created.status(), 201);
    assert_eq!(created.state, Some(CollectionRestoreJobState::Initializing));
    let deleted = client
        .delete_backup_snapshot()
        .group_id(GROUP)
        .cluster_name("Cluster0")
        .snapshot_id(SNAPSHOT)
        .send()
        .await
        .unwrap();
    assert_eq!(deleted.status(), 204);
    let error = client
        .create_export_bucket()
        .group_id(GROUP)
        .body(bucket.clone())
        .send()
        .await
        .unwrap_err();
    assert_eq!(error.error_code(), Some("BUCKET_EXISTS"));
    for mock in [take, restore, delete, create_bucket] {
        mock.assert_async().await;
    }
}

/// What a read of the snapshot answers, in a sequence.
enum Read {
    Status(FlexBackupStatus),
    Unavailable,
}

#[tokio::test]
async fn a_sequence_of_answers_plays_to_a_waiter() {
    let server = MockServer::start_async().await;
    let answers = [
        Read::Status(FlexBackupStatus::Queued),
        Read::Unavailable,
        Read::Status(FlexBackupStatus::Running),
        Read::Status(FlexBackupStatus::Completed),
    ];
    let reads = in_order(&server, answers, |server, read| {
        server.get_flex_backup_snapshot(move |when, then| {
            when.snapshot_id(&SNAPSHOT.parse().unwrap());
            match read {
                Read::Status(status) => {
                    let snapshot: FlexBackupSnapshot = FlexBackupSnapshot::builder()
                        .id(Some(SNAPSHOT.parse().unwrap()))
                        .status(Some(status))
                        .try_into()
                        .unwrap();
                    then.ok(&snapshot)
                }
                Read::Unavailable => then.api_error(
                    503,
                    &api_error(503, "SERVICE_UNAVAILABLE", "Try again later."),
                ),
            };
        })
    });
    let done = bearer_client(&server)
        .wait_until_flex_snapshot_completed()
        .group_id(GROUP)
        .cluster_name("flex0")
        .snapshot_id(SNAPSHOT)
        .min_delay(Duration::from_millis(5))
        .max_delay(Duration::from_millis(5))
        .wait(Duration::from_secs(10))
        .await
        .unwrap();
    assert_eq!(done.status, Some(FlexBackupStatus::Completed));
    assert_eq!(reads.calls_per_answer(), vec![1, 1, 1, 1]);
    assert_eq!(reads.calls(), 4);
}

#[tokio::test]
async fn the_last_answer_of_a_sequence_repeats() {
    let server = MockServer::start_async().await;
    let reads = in_order(
        &server,
        [FlexBackupStatus::Queued, FlexBackupStatus::Running],
        |server, status| {
            let snapshot: FlexBackupSnapshot = FlexBackupSnapshot::builder()
                .status(Some(status))
                .try_into()
                .unwrap();
            server.get_flex_backup_snapshot(move |_, then| then.ok(&snapshot))
        },
    );
    let client = bearer_client(&server);
    let mut statuses = Vec::new();
    for _ in 0..4 {
        statuses.push(get_snapshot(&client).await.unwrap().status.unwrap());
    }
    use FlexBackupStatus::{Queued, Running};
    assert_eq!(statuses, [Queued, Running, Running, Running]);
    assert_eq!(reads.calls_per_answer(), vec![1, 3]);
}
