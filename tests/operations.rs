//! Each operation against a local server: the exact method, path, query
//! string and `Accept` header it sends, with the exact `Content-Type` and
//! body bytes of a write, its typed success body, a typed `ApiError` for
//! every error status the spec lists, and no request at all for an invalid
//! parameter or body.

// Atlas has deprecated or sunset every operation of the five pages.
#![allow(deprecated)]

use std::fmt::Debug;
use std::future::Future;

use atlas_backup_snapshots::types::{
    CloudBackupSnapshotStatus, FlexBackupRestoreJobDeliveryType, FlexBackupStatus, GroupId,
    LegacyBackupSnapshotPartTypeName, ServerlessBackupSnapshotFrequencyType,
    SharedTierSnapshotStatus,
};
use atlas_backup_snapshots::{
    Client, Error, ErrorKind, RateLimit, RateLimitHeaders, ResponseValue,
};
use httpmock::prelude::*;
use serde_json::{Value, json};
use tests::{fixture, local_client};

const GROUP: &str = "32b6e34b3d91647abb20e7b8";
const SNAPSHOT: &str = "5cc310ace5dc7ce369814bc8";
const PLAIN_JSON: &str = "application/json";
const ATLAS_V2: &str = "application/vnd.atlas.2023-01-01+json";
const ATLAS_FLEX: &str = "application/vnd.atlas.2024-11-13+json";

type Outcome<T> = Result<ResponseValue<T>, Error>;

/// The request an operation must send.
struct Expected {
    operation_id: &'static str,
    method: &'static str,
    path: String,
    query: Option<&'static str>,
    accept: &'static str,
    /// The `Content-Type` and exact bytes of the request body, if any.
    body: Option<(&'static str, &'static str)>,
}

impl Expected {
    /// A GET of `path` with `query`, accepting `accept`.
    fn get(
        operation_id: &'static str,
        path: String,
        query: Option<&'static str>,
        accept: &'static str,
    ) -> Self {
        Self {
            operation_id,
            method: "GET",
            path,
            query,
            accept,
            body: None,
        }
    }
}

impl Expected {
    /// A mock answering exactly this request with `status` and `body`.
    async fn mock<'a>(
        &self,
        server: &'a MockServer,
        status: u16,
        body: &Value,
    ) -> httpmock::Mock<'a> {
        let query = self.query;
        let content_type = if status < 300 {
            self.accept
        } else {
            PLAIN_JSON
        };
        server
            .mock_async(|when, then| {
                // The builder shares its state: each call adds to the mock.
                let when = when
                    .method(self.method)
                    .path(self.path.clone())
                    .header("accept", self.accept)
                    .is_true(move |request| request.uri().query() == query);
                if let Some((content_type, bytes)) = self.body {
                    when.header("content-type", content_type).body(bytes);
                }
                then.status(status)
                    .header("content-type", content_type)
                    .header("ratelimit-limit", "100")
                    .header("ratelimit-remaining", "99")
                    .body(body.to_string());
            })
            .await
    }

    /// Sends the operation to a server that answers `body`, and returns the
    /// typed result, after checking that exactly this request arrived.
    async fn success<T, F, Fut>(&self, body: Value, call: F) -> T
    where
        T: Debug,
        F: FnOnce(Client) -> Fut,
        Fut: Future<Output = Outcome<T>>,
    {
        let server = MockServer::start_async().await;
        let mock = self.mock(&server, 200, &body).await;
        let response = call(local_client(&server.base_url())).await;
        mock.assert_async().await;
        let response = response.unwrap_or_else(|e| panic!("{}: {e:?}", self.operation_id));
        assert_eq!(response.status(), 200);
        assert_eq!(
            response.rate_limit(),
            Some(RateLimit {
                limit: Some(100),
                remaining: Some(99)
            })
        );
        response.into_inner()
    }

    /// For every error status the spec lists for this operation, the call
    /// returns the server's `ApiError`, typed.
    async fn errors<T, F, Fut>(&self, call: F)
    where
        T: Debug,
        F: Fn(Client) -> Fut,
        Fut: Future<Output = Outcome<T>>,
    {
        let statuses = error_statuses(self.operation_id);
        assert!(
            !statuses.is_empty(),
            "{} lists no error status",
            self.operation_id
        );
        for status in statuses {
            let server = MockServer::start_async().await;
            let body = json!({
                "error": status,
                "errorCode": format!("CODE_{status}"),
                "detail": "local test",
                "badRequestDetail": { "fields": [{ "field": "groupId", "description": "bad" }] },
            });
            let mock = self.mock(&server, status, &body).await;
            let outcome = call(local_client(&server.base_url())).await;
            mock.assert_async().await;
            let error = outcome.map(|_| ()).map_err(Error::into_kind);
            match error {
                Err(ErrorKind::Api {
                    status: answered,
                    body: error,
                    ..
                }) => {
                    assert_eq!(answered.as_u16(), status);
                    assert_eq!(error.error, i32::from(status));
                    assert_eq!(error.error_code, format!("CODE_{status}"));
                    let fields = &error.bad_request_detail.as_ref().unwrap().fields;
                    assert_eq!(fields[0].field, "groupId");
                }
                other => panic!(
                    "{} {status}: expected a typed ApiError, got {other:?}",
                    self.operation_id
                ),
            }
        }
    }
}

impl Expected {
    /// A 410 `VERSION_GONE` fails with a message that says what to use
    /// instead: `instead`, the spec's deprecation note or a newer release.
    async fn gone<T, F, Fut>(&self, call: F, instead: &str)
    where
        T: Debug,
        F: FnOnce(Client) -> Fut,
        Fut: Future<Output = Outcome<T>>,
    {
        let server = MockServer::start_async().await;
        let body =
            json!({ "error": 410, "errorCode": "VERSION_GONE", "detail": "This version is gone." });
        let mock = self.mock(&server, 410, &body).await;
        let error = call(local_client(&server.base_url())).await.unwrap_err();
        mock.assert_async().await;
        assert!(error.is_version_gone(), "{error:?}");
        assert_eq!(
            error.to_string(),
            format!(
                "{}: 410 Gone: VERSION_GONE: This version is gone. Atlas no longer serves this endpoint. {instead}",
                self.operation_id
            )
        );
    }
}

/// What a 410 of a serverless operation says to use instead.
const USE_FLEX_GET: &str = "Sunset 2026-01-22. Atlas has removed the serverless snapshot endpoints; use `get_flex_backup_snapshot` instead.";
/// What a 410 of an operation the spec does not deprecate says.
const USE_NEWER_RELEASE: &str =
    "Use a newer release of atlas-backup-snapshots, which calls the version that replaced it.";

/// The non-2xx statuses the spec lists for an operation.
fn error_statuses(operation_id: &str) -> Vec<u16> {
    let spec = xtask::spec::load(&xtask::workspace_root().join(xtask::SPEC_PATH)).unwrap();
    let operation = spec
        .operations()
        .find(|(_, _, op)| op.operation_id.as_deref() == Some(operation_id))
        .unwrap_or_else(|| panic!("{operation_id} is not in the spec"))
        .2;
    operation
        .responses
        .responses
        .keys()
        .filter_map(|status| match status {
            openapiv3::StatusCode::Code(code) if *code >= 400 => Some(*code),
            _ => None,
        })
        .collect()
}

/// A page's example body with its known page errors put right (the
/// `page_examples` suite checks those errors).
fn example(page: &str, fixes: &[(&str, Value)]) -> Value {
    let mut body: Value = serde_json::from_str(&fixture(page, 200)).unwrap();
    for (pointer, value) in fixes {
        *body.pointer_mut(pointer).unwrap() = value.clone();
    }
    body
}

fn get_serverless_snapshot_v1() -> Expected {
    Expected::get(
        "getServerlessSnapshotV1",
        format!(
            "/api/atlas/v1.0/groups/{GROUP}/serverless/serverless0/backup/snapshots/{SNAPSHOT}"
        ),
        Some("pretty=true"),
        PLAIN_JSON,
    )
}

async fn call_get_serverless_snapshot_v1(
    client: Client,
) -> Outcome<atlas_backup_snapshots::types::ServerlessBackupSnapshot> {
    client
        .get_serverless_snapshot_v1()
        .group_id(GROUP)
        .instance_name("serverless0")
        .snapshot_id(SNAPSHOT)
        .pretty(true)
        .send()
        .await
}

#[tokio::test]
async fn get_serverless_snapshot_v1_sends_its_request_and_types_its_answers() {
    let expected = get_serverless_snapshot_v1();
    let body = example(
        "000_a09300ffccf3d5f9",
        &[
            ("/id", json!(SNAPSHOT)),
            ("/serverlessInstanceName", json!("serverless0")),
        ],
    );
    let snapshot = expected
        .success(body, call_get_serverless_snapshot_v1)
        .await;
    assert_eq!(snapshot.id.as_deref().map(String::as_str), Some(SNAPSHOT));
    assert_eq!(snapshot.status, Some(CloudBackupSnapshotStatus::Completed));
    assert_eq!(snapshot.storage_size_bytes, Some(1024));
    expected.errors(call_get_serverless_snapshot_v1).await;
    expected
        .gone(call_get_serverless_snapshot_v1, USE_FLEX_GET)
        .await;
}

fn get_shared_tier_snapshot_v1() -> Expected {
    Expected::get(
        "getSharedTierSnapshotV1",
        format!("/api/atlas/v1.0/groups/{GROUP}/clusters/M2AWS/backup/tenant/snapshots/{SNAPSHOT}"),
        None,
        PLAIN_JSON,
    )
}

async fn call_get_shared_tier_snapshot_v1(
    client: Client,
) -> Outcome<atlas_backup_snapshots::types::SharedTierSnapshot> {
    client
        .get_shared_tier_snapshot_v1()
        .group_id(GROUP)
        .cluster_name("M2AWS")
        .snapshot_id(SNAPSHOT)
        .send()
        .await
}

#[tokio::test]
async fn get_shared_tier_snapshot_v1_sends_its_request_and_types_its_answers() {
    let expected = get_shared_tier_snapshot_v1();
    let body = example("001_0febfd8663e828a6", &[]);
    let snapshot = expected
        .success(body, call_get_shared_tier_snapshot_v1)
        .await;
    assert_eq!(snapshot.status, Some(SharedTierSnapshotStatus::Failed));
    assert_eq!(snapshot.mongo_db_version.as_deref(), Some("4.2.7"));
    assert_eq!(
        snapshot.finish_time.map(|t| t.to_rfc3339()),
        Some("2019-04-26T14:08:07+00:00".to_string())
    );
    expected.errors(call_get_shared_tier_snapshot_v1).await;
    expected.gone(call_get_shared_tier_snapshot_v1, "Atlas has removed this v1.0 endpoint from its API and migrated M2 and M5 clusters to flex clusters; use `get_flex_backup_snapshot` instead.").await;
}

fn get_serverless_snapshot_v2() -> Expected {
    Expected::get(
        "getServerlessSnapshotV2",
        format!("/api/atlas/v2/groups/{GROUP}/serverless/serverless0/backup/snapshots/{SNAPSHOT}"),
        None,
        ATLAS_V2,
    )
}

async fn call_get_serverless_snapshot_v2(
    client: Client,
) -> Outcome<atlas_backup_snapshots::types::ServerlessBackupSnapshot> {
    client
        .get_serverless_snapshot_v2()
        .group_id(GROUP)
        .cluster_name("serverless0")
        .snapshot_id(SNAPSHOT)
        .send()
        .await
}

#[tokio::test]
async fn get_serverless_snapshot_v2_sends_its_request_and_types_its_answers() {
    let expected = get_serverless_snapshot_v2();
    let body = example(
        "002_4c9947135e3c7d0e",
        &[("/mongodVersion", json!("8.0.4"))],
    );
    let snapshot = expected
        .success(body, call_get_serverless_snapshot_v2)
        .await;
    assert_eq!(
        snapshot.frequency_type,
        Some(ServerlessBackupSnapshotFrequencyType::Hourly)
    );
    assert_eq!(snapshot.links[0].rel.as_deref(), Some("self"));
    expected.errors(call_get_serverless_snapshot_v2).await;
    expected
        .gone(call_get_serverless_snapshot_v2, USE_FLEX_GET)
        .await;
}

fn list_serverless_snapshots_v1() -> Expected {
    Expected::get(
        "listServerlessSnapshotsV1",
        format!("/api/atlas/v1.0/groups/{GROUP}/serverless/serverless0/backup/snapshots"),
        Some("includeCount=false&itemsPerPage=2&pageNum=3"),
        PLAIN_JSON,
    )
}

async fn call_list_serverless_snapshots_v1(
    client: Client,
) -> Outcome<atlas_backup_snapshots::types::PaginatedServerlessBackupSnapshots> {
    client
        .list_serverless_snapshots_v1()
        .group_id(GROUP)
        .cluster_name("serverless0")
        .include_count(false)
        .items_per_page(2)
        .page_num(3)
        .send()
        .await
}

#[tokio::test]
async fn list_serverless_snapshots_v1_sends_its_request_and_types_its_answers() {
    let expected = list_serverless_snapshots_v1();
    let mut body = example(
        "003_29d22861862584a8",
        &[("/results/0/mongodVersion", json!("8.0.4"))],
    );
    // As Atlas answers with includeCount=false: no totalCount.
    body.as_object_mut().unwrap().remove("totalCount");
    let page = expected
        .success(body, call_list_serverless_snapshots_v1)
        .await;
    assert_eq!(page.results.len(), 1);
    assert_eq!(page.total_count, None);
    expected.errors(call_list_serverless_snapshots_v1).await;
    expected.gone(call_list_serverless_snapshots_v1, "Sunset 2026-01-22. Atlas has removed the serverless snapshot endpoints; use `list_flex_backup_snapshots` instead.").await;
}

fn get_legacy_snapshot_v2() -> Expected {
    Expected::get(
        "getLegacySnapshotV2",
        format!("/api/atlas/v2/groups/{GROUP}/clusters/Cluster0/snapshots/{SNAPSHOT}"),
        Some("pretty=false"),
        ATLAS_V2,
    )
}

async fn call_get_legacy_snapshot_v2(
    client: Client,
) -> Outcome<atlas_backup_snapshots::types::LegacyBackupSnapshot> {
    client
        .get_legacy_snapshot_v2()
        .group_id(GROUP)
        .cluster_name("Cluster0")
        .snapshot_id(SNAPSHOT)
        .pretty(false)
        .send()
        .await
}

#[tokio::test]
async fn get_legacy_snapshot_v2_sends_its_request_and_types_its_answers() {
    let expected = get_legacy_snapshot_v2();
    let body = example(
        "004_5c5a46628cca301b",
        &[
            ("/parts/0/machineId", json!("node0.example.net:27017")),
            (
                "/parts/0/masterKeyUUID",
                json!("6e1a4f3c-2b7d-4c8e-9f10-112233445566"),
            ),
            ("/parts/0/mongodVersion", json!("8.0.4")),
        ],
    );
    let snapshot = expected.success(body, call_get_legacy_snapshot_v2).await;
    assert_eq!(
        snapshot.created.as_ref().and_then(|c| c.increment),
        Some(1_199_145_600)
    );
    assert_eq!(
        snapshot.parts[0].type_name,
        Some(LegacyBackupSnapshotPartTypeName::ReplicaSet)
    );
    expected.errors(call_get_legacy_snapshot_v2).await;
    expected.gone(call_get_legacy_snapshot_v2, "Atlas has deprecated legacy backup snapshots; use the snapshots of Cloud Backups instead, which clusters on MongoDB 4.2 and later have.").await;
}

/// Sends a call to a server that records every request, and returns the
/// refusal the call must end in, having checked that nothing was sent.
async fn refused_without_a_request<T: Debug>(
    call: impl AsyncFnOnce(Client) -> Outcome<T>,
) -> String {
    let server = MockServer::start_async().await;
    let any_request = server
        .mock_async(|_, then| {
            then.status(500);
        })
        .await;
    let outcome = call(local_client(&server.base_url())).await;
    assert_eq!(any_request.hits_async().await, 0, "a request was sent");
    match outcome.map_err(Error::into_kind) {
        Err(ErrorKind::InvalidRequest(message)) => message,
        other => panic!("expected the call to be refused, got {other:?}"),
    }
}

#[tokio::test]
async fn invalid_parameters_are_refused_before_any_request() {
    let message = refused_without_a_request(async |client: Client| {
        client
            .get_serverless_snapshot_v2()
            .group_id("not-a-group-id")
            .cluster_name("serverless0")
            .snapshot_id(SNAPSHOT)
            .send()
            .await
    })
    .await;
    assert_eq!(
        message,
        r#"group_id is invalid: doesn't match pattern "^([a-f0-9]{24})$""#
    );

    let message = refused_without_a_request(async |client: Client| {
        client
            .get_legacy_snapshot_v2()
            .group_id(GROUP)
            .cluster_name("-starts-with-a-dash")
            .snapshot_id(SNAPSHOT)
            .send()
            .await
    })
    .await;
    assert_eq!(
        message,
        r#"cluster_name is invalid: doesn't match pattern "^[a-zA-Z0-9][a-zA-Z0-9-]*$""#
    );

    let message = refused_without_a_request(async |client: Client| {
        client
            .get_shared_tier_snapshot_v1()
            .group_id(GROUP)
            .cluster_name("M2AWS")
            .snapshot_id("5CC310ACE5DC7CE369814BC8")
            .send()
            .await
    })
    .await;
    assert_eq!(
        message,
        r#"snapshot_id is invalid: doesn't match pattern "^([a-f0-9]{24})$""#
    );

    let message = refused_without_a_request(async |client: Client| {
        client
            .get_serverless_snapshot_v1()
            .group_id(GROUP)
            .instance_name("has space")
            .snapshot_id(SNAPSHOT)
            .send()
            .await
    })
    .await;
    assert_eq!(
        message,
        r#"instance_name is invalid: doesn't match pattern "^[a-zA-Z0-9][a-zA-Z0-9-]*$""#
    );

    let message = refused_without_a_request(async |client: Client| {
        client
            .list_serverless_snapshots_v1()
            .group_id(GROUP)
            .cluster_name("serverless0")
            .page_num(0)
            .send()
            .await
    })
    .await;
    assert_eq!(message, "page_num must not be 0");

    for (size, refusal) in [
        (0, "items_per_page must be from 1 to 500, not 0"),
        (501, "items_per_page must be from 1 to 500, not 501"),
    ] {
        let message = refused_without_a_request(async |client: Client| {
            client
                .list_flex_backup_snapshots()
                .group_id(GROUP)
                .cluster_name("flex0")
                .items_per_page(size)
                .send()
                .await
        })
        .await;
        assert_eq!(message, refusal);
    }
}

#[tokio::test]
async fn a_refusal_names_the_operation_and_sends_nothing() {
    let server = MockServer::start_async().await;
    let error = local_client(&server.base_url())
        .list_flex_restore_jobs()
        .group_id(GROUP)
        .cluster_name("flex0")
        .page_num(0)
        .send()
        .await
        .unwrap_err();
    assert_eq!(
        error.to_string(),
        "listFlexRestoreJobs: invalid request: page_num must not be 0"
    );
    assert_eq!(error.attempts(), 0);
}

#[tokio::test]
async fn a_missing_required_parameter_is_refused_before_any_request() {
    let message = refused_without_a_request(async |client: Client| {
        client
            .list_serverless_snapshots_v1()
            .group_id(GROUP)
            .send()
            .await
    })
    .await;
    assert_eq!(message, "cluster_name is required and was not set");
}

const JOB: &str = "6dd4a1b2c3d4e5f6a7b8c9d0";
const FLEX: &str = "/api/atlas/v2/groups/32b6e34b3d91647abb20e7b8/flexClusters/flex0/backup";

fn flex_snapshot() -> Value {
    json!({
        "id": SNAPSHOT,
        "status": "COMPLETED",
        "mongoDBVersion": "8.0.4",
        "startTime": "2026-11-30T02:00:00Z",
        "finishTime": "2026-11-30T02:03:10Z",
        "expiration": "2026-12-07T02:00:00Z",
        "links": [{ "href": format!("https://cloud.mongodb.com{FLEX}/snapshots/{SNAPSHOT}"), "rel": "self" }],
    })
}

fn flex_restore_job(delivery: &str, status: &str) -> Value {
    json!({
        "id": JOB,
        "deliveryType": delivery,
        "snapshotId": SNAPSHOT,
        "projectId": GROUP,
        "instanceName": "flex0",
        "targetProjectId": GROUP,
        "targetDeploymentItemName": "flex1",
        "status": status,
        "restoreScheduledDate": "2026-12-01T08:00:00Z",
    })
}

async fn call_list_flex_backup_snapshots(
    client: Client,
) -> Outcome<atlas_backup_snapshots::types::PaginatedFlexBackupSnapshots> {
    client
        .list_flex_backup_snapshots()
        .group_id(GROUP)
        .cluster_name("flex0")
        .include_count(false)
        .items_per_page(2)
        .page_num(3)
        .send()
        .await
}

#[tokio::test]
async fn list_flex_backup_snapshots_sends_its_request_and_types_its_answers() {
    let expected = Expected::get(
        "listFlexBackupSnapshots",
        format!("{FLEX}/snapshots"),
        Some("includeCount=false&itemsPerPage=2&pageNum=3"),
        ATLAS_FLEX,
    );
    let page = expected
        .success(
            json!({ "results": [flex_snapshot()], "links": [] }),
            call_list_flex_backup_snapshots,
        )
        .await;
    assert_eq!(page.results.len(), 1);
    assert_eq!(page.results[0].status, Some(FlexBackupStatus::Completed));
    assert_eq!(page.total_count, None);
    expected.errors(call_list_flex_backup_snapshots).await;
    expected
        .gone(call_list_flex_backup_snapshots, USE_NEWER_RELEASE)
        .await;
}

async fn call_get_flex_backup_snapshot(
    client: Client,
) -> Outcome<atlas_backup_snapshots::types::FlexBackupSnapshot> {
    client
        .get_flex_backup_snapshot()
        .group_id(GROUP)
        .cluster_name("flex0")
        .snapshot_id(SNAPSHOT)
        .send()
        .await
}

#[tokio::test]
async fn get_flex_backup_snapshot_sends_its_request_and_types_its_answers() {
    let expected = Expected::get(
        "getFlexBackupSnapshot",
        format!("{FLEX}/snapshots/{SNAPSHOT}"),
        None,
        ATLAS_FLEX,
    );
    let snapshot = expected
        .success(flex_snapshot(), call_get_flex_backup_snapshot)
        .await;
    assert_eq!(snapshot.id.as_deref().map(String::as_str), Some(SNAPSHOT));
    assert_eq!(snapshot.mongo_db_version.as_deref(), Some("8.0.4"));
    assert_eq!(
        snapshot.finish_time.map(|t| t.to_rfc3339()),
        Some("2026-11-30T02:03:10+00:00".to_string())
    );
    expected.errors(call_get_flex_backup_snapshot).await;
    expected
        .gone(call_get_flex_backup_snapshot, USE_NEWER_RELEASE)
        .await;
}

async fn call_download_flex_backup(
    client: Client,
) -> Outcome<atlas_backup_snapshots::types::FlexBackupRestoreJob> {
    client
        .download_flex_backup()
        .group_id(GROUP)
        .cluster_name("flex0")
        .body_map(|body| body.snapshot_id(SNAPSHOT))
        .send()
        .await
}

#[tokio::test]
async fn download_flex_backup_sends_its_body_and_types_its_answers() {
    let expected = Expected {
        operation_id: "downloadFlexBackup",
        method: "POST",
        path: format!("{FLEX}/download"),
        query: None,
        accept: ATLAS_FLEX,
        body: Some((ATLAS_FLEX, r#"{"snapshotId":"5cc310ace5dc7ce369814bc8"}"#)),
    };
    let mut answer = flex_restore_job("DOWNLOAD", "QUEUED");
    answer["snapshotUrl"] = json!("https://restore.example.net/flex0.tar.gz");
    let job = expected.success(answer, call_download_flex_backup).await;
    assert_eq!(
        job.delivery_type,
        Some(FlexBackupRestoreJobDeliveryType::Download)
    );
    assert_eq!(
        job.snapshot_url.as_deref(),
        Some("https://restore.example.net/flex0.tar.gz")
    );
    expected.errors(call_download_flex_backup).await;
    expected
        .gone(call_download_flex_backup, USE_NEWER_RELEASE)
        .await;
}

async fn call_list_flex_restore_jobs(
    client: Client,
) -> Outcome<atlas_backup_snapshots::types::PaginatedFlexRestoreJobs> {
    client
        .list_flex_restore_jobs()
        .group_id(GROUP)
        .cluster_name("flex0")
        .items_per_page(500)
        .send()
        .await
}

#[tokio::test]
async fn list_flex_restore_jobs_sends_its_request_and_types_its_answers() {
    let expected = Expected::get(
        "listFlexRestoreJobs",
        format!("{FLEX}/restoreJobs"),
        Some("itemsPerPage=500"),
        ATLAS_FLEX,
    );
    let page = expected
        .success(
            json!({ "results": [flex_restore_job("RESTORE", "RUNNING")], "totalCount": 1 }),
            call_list_flex_restore_jobs,
        )
        .await;
    assert_eq!(page.total_count, Some(1));
    assert_eq!(page.results[0].status, Some(FlexBackupStatus::Running));
    expected.errors(call_list_flex_restore_jobs).await;
    expected
        .gone(call_list_flex_restore_jobs, USE_NEWER_RELEASE)
        .await;
}

async fn call_create_flex_restore_job(
    client: Client,
) -> Outcome<atlas_backup_snapshots::types::FlexBackupRestoreJob> {
    client
        .create_flex_restore_job()
        .group_id(GROUP)
        .cluster_name("flex0")
        .pretty(true)
        .body_map(|body| {
            body.snapshot_id(SNAPSHOT)
                .target_deployment_item_name("Restauración-1")
                .target_project_id(GROUP.parse::<GroupId>().ok())
        })
        .send()
        .await
}

#[tokio::test]
async fn create_flex_restore_job_sends_its_body_and_types_its_answers() {
    let expected = Expected {
        operation_id: "createFlexRestoreJob",
        method: "POST",
        path: format!("{FLEX}/restoreJobs"),
        query: Some("pretty=true"),
        accept: ATLAS_FLEX,
        // Letters of any script pass the name's `\p{L}` pattern.
        body: Some((
            ATLAS_FLEX,
            r#"{"snapshotId":"5cc310ace5dc7ce369814bc8","targetDeploymentItemName":"Restauración-1","targetProjectId":"32b6e34b3d91647abb20e7b8"}"#,
        )),
    };
    let job = expected
        .success(
            flex_restore_job("RESTORE", "PENDING"),
            call_create_flex_restore_job,
        )
        .await;
    assert_eq!(job.id.as_deref().map(String::as_str), Some(JOB));
    assert_eq!(job.status, Some(FlexBackupStatus::Pending));
    expected.errors(call_create_flex_restore_job).await;
    expected
        .gone(call_create_flex_restore_job, USE_NEWER_RELEASE)
        .await;
}

async fn call_get_flex_restore_job(
    client: Client,
) -> Outcome<atlas_backup_snapshots::types::FlexBackupRestoreJob> {
    client
        .get_flex_restore_job()
        .group_id(GROUP)
        .cluster_name("flex0")
        .restore_job_id(JOB)
        .send()
        .await
}

#[tokio::test]
async fn get_flex_restore_job_sends_its_request_and_types_its_answers() {
    let expected = Expected::get(
        "getFlexRestoreJob",
        format!("{FLEX}/restoreJobs/{JOB}"),
        None,
        ATLAS_FLEX,
    );
    let job = expected
        .success(
            flex_restore_job("RESTORE", "COMPLETED"),
            call_get_flex_restore_job,
        )
        .await;
    assert_eq!(job.status, Some(FlexBackupStatus::Completed));
    assert_eq!(
        job.target_deployment_item_name
            .as_deref()
            .map(String::as_str),
        Some("flex1")
    );
    expected.errors(call_get_flex_restore_job).await;
    expected
        .gone(call_get_flex_restore_job, USE_NEWER_RELEASE)
        .await;
}

#[tokio::test]
async fn invalid_bodies_are_refused_before_any_request() {
    let message = refused_without_a_request(async |client: Client| {
        client
            .create_flex_restore_job()
            .group_id(GROUP)
            .cluster_name("flex0")
            .body_map(|body| body.snapshot_id(SNAPSHOT))
            .send()
            .await
    })
    .await;
    assert_eq!(
        message,
        "target_deployment_item_name is required and was not set"
    );

    let message = refused_without_a_request(async |client: Client| {
        client
            .create_flex_restore_job()
            .group_id(GROUP)
            .cluster_name("flex0")
            .body_map(|body| {
                body.snapshot_id(SNAPSHOT)
                    .target_deployment_item_name("two words")
            })
            .send()
            .await
    })
    .await;
    assert_eq!(
        message,
        r#"error converting supplied value for target_deployment_item_name: doesn't match pattern "^[\p{L}\p{N}\-_.(),:&@+']{1,64}$""#
    );

    let too_long = "x".repeat(65);
    let message = refused_without_a_request(async |client: Client| {
        client
            .create_flex_restore_job()
            .group_id(GROUP)
            .cluster_name("flex0")
            .body_map(|body| {
                body.snapshot_id(SNAPSHOT)
                    .target_deployment_item_name(too_long.as_str())
            })
            .send()
            .await
    })
    .await;
    assert_eq!(
        message,
        r#"error converting supplied value for target_deployment_item_name: doesn't match pattern "^[\p{L}\p{N}\-_.(),:&@+']{1,64}$""#
    );

    let message = refused_without_a_request(async |client: Client| {
        client
            .download_flex_backup()
            .group_id(GROUP)
            .cluster_name("flex0")
            .send()
            .await
    })
    .await;
    assert_eq!(message, "snapshot_id is required and was not set");

    let message = refused_without_a_request(async |client: Client| {
        client
            .download_flex_backup()
            .group_id(GROUP)
            .cluster_name("flex0")
            .body_map(|body| body.snapshot_id("not-a-snapshot"))
            .send()
            .await
    })
    .await;
    assert_eq!(
        message,
        r#"error converting supplied value for snapshot_id: doesn't match pattern "^([a-f0-9]{24})$""#
    );

    let message = refused_without_a_request(async |client: Client| {
        client
            .get_flex_restore_job()
            .group_id(GROUP)
            .cluster_name("flex0")
            .restore_job_id("6DD4A1B2")
            .send()
            .await
    })
    .await;
    assert_eq!(
        message,
        r#"restore_job_id is invalid: doesn't match pattern "^([a-f0-9]{24})$""#
    );
}
