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
use atlas_backup_snapshots::{Client, Error, ErrorKind, RateLimitHeaders, ResponseValue};
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
        // A 204 has no body.
        let body = if status == 204 {
            String::new()
        } else {
            body.to_string()
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
                    .body(body);
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
        let status = success_status(self.operation_id);
        let server = MockServer::start_async().await;
        let mock = self.mock(&server, status, &body).await;
        let response = call(local_client(&server.base_url())).await;
        mock.assert_async().await;
        let response = response.unwrap_or_else(|e| panic!("{}: {e:?}", self.operation_id));
        assert_eq!(response.status(), status);
        let limit = response.rate_limit().expect("the answer's rate limit");
        assert_eq!((limit.limit, limit.remaining), (Some(100), Some(99)));
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

/// The project's spec, read once.
static SPEC: std::sync::LazyLock<openapiv3::OpenAPI> = std::sync::LazyLock::new(|| {
    xtask::spec::load(&xtask::workspace_root().join(xtask::SPEC_PATH))
        .unwrap()
        .openapi
});

/// The statuses the spec lists for an operation.
fn statuses(operation_id: &str) -> Vec<u16> {
    let operation = SPEC
        .operations()
        .find(|(_, _, op)| op.operation_id.as_deref() == Some(operation_id))
        .unwrap_or_else(|| panic!("{operation_id} is not in the spec"))
        .2;
    operation
        .responses
        .responses
        .keys()
        .filter_map(|status| match status {
            openapiv3::StatusCode::Code(code) => Some(*code),
            _ => None,
        })
        .collect()
}

/// The operationIds of the spec's operations curated from `source`.
fn operations_from(source: &str) -> Vec<&'static str> {
    SPEC.operations()
        .filter(|(_, _, op)| op.extensions.get("x-source").and_then(Value::as_str) == Some(source))
        .filter_map(|(_, _, op)| op.operation_id.as_deref())
        .collect()
}

/// The non-2xx statuses the spec lists for an operation.
fn error_statuses(operation_id: &str) -> Vec<u16> {
    let mut errors = statuses(operation_id);
    errors.retain(|status| *status >= 400);
    errors
}

/// The one success status the spec lists for an operation.
fn success_status(operation_id: &str) -> u16 {
    let successes: Vec<u16> = statuses(operation_id)
        .into_iter()
        .filter(|status| (200..300).contains(status))
        .collect();
    match successes.as_slice() {
        [status] => *status,
        other => panic!("{operation_id} lists the successes {other:?}"),
    }
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

/// Sends a call to a server that records every request, and asserts that
/// nothing was sent and that the call was refused with `expected`, word
/// for word.
async fn assert_refused<T: Debug>(call: impl AsyncFnOnce(Client) -> Outcome<T>, expected: &str) {
    let server = MockServer::start_async().await;
    let any_request = server
        .mock_async(|_, then| {
            then.status(500);
        })
        .await;
    let outcome = call(local_client(&server.base_url())).await;
    assert_eq!(any_request.hits_async().await, 0, "a request was sent");
    match outcome.map_err(Error::into_kind) {
        Err(ErrorKind::InvalidRequest(message)) => assert_eq!(message, expected),
        other => panic!("expected the call to be refused, got {other:?}"),
    }
}

#[tokio::test]
async fn invalid_parameters_are_refused_before_any_request() {
    assert_refused(
        async |client: Client| {
            client
                .get_serverless_snapshot_v2()
                .group_id("not-a-group-id")
                .cluster_name("serverless0")
                .snapshot_id(SNAPSHOT)
                .send()
                .await
        },
        r#"group_id is invalid: doesn't match pattern "^([a-f0-9]{24})$""#,
    )
    .await;

    assert_refused(
        async |client: Client| {
            client
                .get_legacy_snapshot_v2()
                .group_id(GROUP)
                .cluster_name("-starts-with-a-dash")
                .snapshot_id(SNAPSHOT)
                .send()
                .await
        },
        r#"cluster_name is invalid: doesn't match pattern "^[a-zA-Z0-9][a-zA-Z0-9-]*$""#,
    )
    .await;

    assert_refused(
        async |client: Client| {
            client
                .get_shared_tier_snapshot_v1()
                .group_id(GROUP)
                .cluster_name("M2AWS")
                .snapshot_id("5CC310ACE5DC7CE369814BC8")
                .send()
                .await
        },
        r#"snapshot_id is invalid: doesn't match pattern "^([a-f0-9]{24})$""#,
    )
    .await;

    assert_refused(
        async |client: Client| {
            client
                .get_serverless_snapshot_v1()
                .group_id(GROUP)
                .instance_name("has space")
                .snapshot_id(SNAPSHOT)
                .send()
                .await
        },
        r#"instance_name is invalid: doesn't match pattern "^[a-zA-Z0-9][a-zA-Z0-9-]*$""#,
    )
    .await;

    assert_refused(
        async |client: Client| {
            client
                .list_serverless_snapshots_v1()
                .group_id(GROUP)
                .cluster_name("serverless0")
                .page_num(0)
                .send()
                .await
        },
        "page_num must not be 0",
    )
    .await;

    for (size, refusal) in [
        (0, "items_per_page must be from 1 to 500, not 0"),
        (501, "items_per_page must be from 1 to 500, not 501"),
    ] {
        assert_refused(
            async |client: Client| {
                client
                    .list_flex_backup_snapshots()
                    .group_id(GROUP)
                    .cluster_name("flex0")
                    .items_per_page(size)
                    .send()
                    .await
            },
            refusal,
        )
        .await;
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
    assert_refused(
        async |client: Client| {
            client
                .list_serverless_snapshots_v1()
                .group_id(GROUP)
                .send()
                .await
        },
        "cluster_name is required and was not set",
    )
    .await;
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
    assert_refused(
        async |client: Client| {
            client
                .create_flex_restore_job()
                .group_id(GROUP)
                .cluster_name("flex0")
                .body_map(|body| body.snapshot_id(SNAPSHOT))
                .send()
                .await
        },
        "target_deployment_item_name is required and was not set",
    )
    .await;

    assert_refused(
        async |client: Client| {
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
    },
        r#"error converting supplied value for target_deployment_item_name: doesn't match pattern "^[\p{L}\p{N}\-_.(),:&@+']{1,64}$""#,
    )
    .await;

    let too_long = "x".repeat(65);
    assert_refused(
        async |client: Client| {
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
    },
        r#"error converting supplied value for target_deployment_item_name: doesn't match pattern "^[\p{L}\p{N}\-_.(),:&@+']{1,64}$""#,
    )
    .await;

    assert_refused(
        async |client: Client| {
            client
                .download_flex_backup()
                .group_id(GROUP)
                .cluster_name("flex0")
                .send()
                .await
        },
        "snapshot_id is required and was not set",
    )
    .await;

    assert_refused(
        async |client: Client| {
        client
            .download_flex_backup()
            .group_id(GROUP)
            .cluster_name("flex0")
            .body_map(|body| body.snapshot_id("not-a-snapshot"))
            .send()
            .await
    },
        r#"error converting supplied value for snapshot_id: doesn't match pattern "^([a-f0-9]{24})$""#,
    )
    .await;

    assert_refused(
        async |client: Client| {
            client
                .get_flex_restore_job()
                .group_id(GROUP)
                .cluster_name("flex0")
                .restore_job_id("6DD4A1B2")
                .send()
                .await
        },
        r#"restore_job_id is invalid: doesn't match pattern "^([a-f0-9]{24})$""#,
    )
    .await;
}

// The Cloud Backups operations of dedicated clusters, one case each: the
// request it must send, the answer the server gives, and the call. Each
// answer holds every field its type has, so that the typed value, written
// back as JSON, gives the answer again: every field was decoded into its
// type, none was lost. A call may also check typed fields on the way.

const CLUSTER: &str = "/api/atlas/v2/groups/32b6e34b3d91647abb20e7b8/clusters/Cluster0";
const BUCKETS: &str = "/api/atlas/v2/groups/32b6e34b3d91647abb20e7b8/backup/exportBuckets";
const V2024_05: &str = "application/vnd.atlas.2024-05-30+json";
const V2024_08: &str = "application/vnd.atlas.2024-08-05+json";
const V2025_03: &str = "application/vnd.atlas.2025-03-12+json";
const BUCKET: &str = "668c5f0ed436263134491592";
const EXPORT: &str = "7aa1b2c3d4e5f6a7b8c9d0e1";
const COLLECTION_JOB: &str = "6c5e8a2f9b1d4e3a7f0c1b2d";
const ROLE: &str = "5f3a1b2c4d5e6f7a8b9c0d1e";
const ENDPOINTS: &str = "/api/atlas/v2/groups/32b6e34b3d91647abb20e7b8/backup/AWS/privateEndpoints";
const ENDPOINT: &str = "6f1a2b3c4d5e6f7a8b9c0d1e";
const POLICY: &str = "/api/atlas/v2/groups/32b6e34b3d91647abb20e7b8/backupCompliancePolicy";
const V2023_10: &str = "application/vnd.atlas.2023-10-01+json";

type JsonCall = fn(Client) -> std::pin::Pin<Box<dyn Future<Output = Outcome<Value>>>>;

/// One operation: what it sends, what the server answers, how it is called.
struct Case {
    expected: Expected,
    answer: Value,
    call: JsonCall,
}

/// The typed answer as JSON, with its status and headers kept.
fn as_json<T: serde::Serialize>(outcome: Outcome<T>) -> Outcome<Value> {
    outcome.map(|response| {
        let (status, headers) = (response.status(), response.headers().clone());
        let json = serde_json::to_value(response.into_inner()).unwrap();
        ResponseValue::new(json, status, headers)
    })
}

fn read(
    operation_id: &'static str,
    path: String,
    query: Option<&'static str>,
    accept: &'static str,
) -> Expected {
    Expected::get(operation_id, path, query, accept)
}

fn write(
    operation_id: &'static str,
    method: &'static str,
    path: String,
    accept: &'static str,
    body: Option<&'static str>,
) -> Expected {
    Expected {
        operation_id,
        method,
        path,
        query: None,
        accept,
        body: body.map(|bytes| (accept, bytes)),
    }
}

fn links(path: &str) -> Value {
    json!([{ "href": format!("https://cloud.mongodb.com{path}"), "rel": "self" }])
}

fn replica_set_snapshot() -> Value {
    json!({
        "cloudProvider": "AWS",
        "copyRegions": ["US_WEST_2"],
        "createdAt": "2026-11-30T02:00:00Z",
        "description": "before the migration",
        "expiresAt": "2026-12-07T02:00:00Z",
        "frequencyType": "daily",
        "id": SNAPSHOT,
        "links": links(&format!("{CLUSTER}/backup/snapshots/{SNAPSHOT}")),
        "masterKeyUUID": "6e1a4f3c-2b7d-4c8e-9f10-112233445566",
        "mongodVersion": "8.0.4",
        "policyItems": ["5f3a1b2c4d5e6f7a8b9c0d10"],
        "replicaSetName": "Cluster0-shard-0",
        "snapshotType": "onDemand",
        "status": "completed",
        "storageSizeBytes": 1_073_741_824u64,
    })
}

fn sharded_cluster_snapshot() -> Value {
    json!({
        "configServerType": "EMBEDDED",
        "createdAt": "2026-11-30T02:00:00Z",
        "description": "nightly",
        "expiresAt": "2026-12-07T02:00:00Z",
        "frequencyType": "weekly",
        "id": SNAPSHOT,
        "links": links(&format!("{CLUSTER}/backup/snapshots/shardedCluster/{SNAPSHOT}")),
        "masterKeyUUID": "6e1a4f3c-2b7d-4c8e-9f10-112233445566",
        "members": [{ "cloudProvider": "GCP", "id": "6dd4a1b2c3d4e5f6a7b8c9d1", "replicaSetName": "shard-0" }],
        "mongodVersion": "8.0.4",
        "policyItems": ["5f3a1b2c4d5e6f7a8b9c0d10"],
        "snapshotIds": ["6dd4a1b2c3d4e5f6a7b8c9d1"],
        "snapshotType": "scheduled",
        "status": "inProgress",
        "storageSizeBytes": 42,
    })
}

fn restore_job(delivery: &str) -> Value {
    json!({
        "cancelled": false,
        "components": [{
            "downloadUrl": "https://restore.example.net/shard-0.tar.gz",
            "privateDownloadDeliveryUrls": [{ "deliveryUrl": "https://private.example.net/shard-0.tar.gz", "endpointId": "vpce-3bf78b0ddee411ba1" }],
            "replicaSetName": "shard-0",
        }],
        "deliveryType": delivery,
        "deliveryUrl": ["https://restore.example.net/Cluster0.tar.gz"],
        "desiredTimestamp": { "date": "2026-11-30T01:59:00Z", "increment": 1_199_145_601 },
        "expired": false,
        "expiresAt": "2026-12-01T08:00:00Z",
        "failed": false,
        "finishedAt": "2026-11-30T03:00:00Z",
        "id": JOB,
        "links": links(&format!("{CLUSTER}/backup/restoreJobs/{JOB}")),
        "oplogInc": 3,
        "oplogTs": 1_764_468_000,
        "pointInTimeUTCSeconds": 1_764_468_000,
        "privateDownloadDeliveryUrls": [{ "deliveryUrl": "https://private.example.net/Cluster0.tar.gz", "endpointId": "vpce-3bf78b0ddee411ba1" }],
        "snapshotId": SNAPSHOT,
        "targetClusterName": "Staging0",
        "targetGroupId": GROUP,
        "timestamp": "2026-11-30T02:00:00Z",
    })
}

fn export_job() -> Value {
    json!({
        "components": [{ "exportId": "7aa1b2c3d4e5f6a7b8c9d0e2", "replicaSetName": "shard-0" }],
        "createdAt": "2026-11-30T04:00:00Z",
        "customData": [{ "key": "team", "value": "payments" }],
        "exportBucketId": BUCKET,
        "exportStatus": { "exportedCollections": 3, "totalCollections": 4 },
        "finishedAt": "2026-11-30T05:00:00Z",
        "id": EXPORT,
        "links": links(&format!("{CLUSTER}/backup/exports/{EXPORT}")),
        "prefix": "/exported_snapshots/org/project/Cluster0/2026-11-30T0200/1764468000",
        "snapshotId": SNAPSHOT,
        "state": "Failed",
        "stateReason": { "errorCode": "EXPORT_FAILED", "message": "bucket unreachable" },
    })
}

fn aws_bucket() -> Value {
    json!({
        "_id": BUCKET,
        "bucketName": "export-bucket",
        "cloudProvider": "AWS",
        "iamRoleId": ROLE,
        "links": links(&format!("{BUCKETS}/{BUCKET}")),
        "region": "us-east-1",
        "requirePrivateNetworking": true,
    })
}

fn azure_bucket() -> Value {
    json!({
        "_id": BUCKET,
        "bucketName": "examplecontainer",
        "cloudProvider": "AZURE",
        "links": links(&format!("{BUCKETS}/{BUCKET}")),
        "roleId": ROLE,
        "serviceUrl": "https://examplestorageaccount.blob.core.windows.net/examplecontainer",
        "tenantId": "4297fc77-1592-4de8-a6d5-a8c32401df87",
    })
}

fn gcp_bucket() -> Value {
    json!({
        "_id": BUCKET,
        "bucketName": "export-bucket",
        "cloudProvider": "GCP",
        "links": links(&format!("{BUCKETS}/{BUCKET}")),
        "roleId": ROLE,
    })
}

fn schedule() -> Value {
    json!({
        "autoCopySettingsEnabled": false,
        "autoExportEnabled": true,
        "clusterId": "32b6e34b3d91647abb20e7b9",
        "clusterName": "Cluster0",
        "copyPolicyItemsEnabled": true,
        "copySettings": [{
            "cloudProvider": "AWS",
            "copyPolicyItems": [
                { "frequencyType": "daily", "id": "5f3a1b2c4d5e6f7a8b9c0d11", "retentionUnit": "days", "retentionValue": 7 },
                { "frequencyType": "ondemand", "id": "5f3a1b2c4d5e6f7a8b9c0d12" },
            ],
            "frequencies": ["DAILY", "ON_DEMAND"],
            "lastNumberOfSnapshots": 2,
            "regionName": "US_WEST_2",
            "shouldCopyOplogs": true,
            "zoneId": "5f3a1b2c4d5e6f7a8b9c0d13",
        }],
        "export": { "exportBucketId": BUCKET, "frequencyType": "monthly" },
        "extraRetentionSettings": [{ "frequencyType": "DAILY", "retentionDays": 30 }],
        "links": links(&format!("{CLUSTER}/backup/schedule")),
        "nextSnapshot": "2026-12-01T02:00:00Z",
        "policies": [{
            "id": "5f3a1b2c4d5e6f7a8b9c0d14",
            "policyItems": [{ "frequencyInterval": 6, "frequencyType": "hourly", "id": "5f3a1b2c4d5e6f7a8b9c0d10", "retentionUnit": "days", "retentionValue": 2 }],
        }],
        "referenceHourOfDay": 2,
        "referenceMinuteOfHour": 30,
        "restoreWindowDays": 7,
        "useOrgAndGroupNamesInExportPrefix": true,
    })
}

fn collection_restore_job(state: &str) -> Value {
    json!({
        "collectionSuffix": "_restored",
        "collections": [{ "sourceNamespace": "sales.orders", "targetNamespace": "sales.orders" }],
        "createdAt": "2026-07-07T12:00:00Z",
        "databaseSuffix": "",
        "databases": [{ "sourceNamespace": "inventory" }],
        "errorMessage": "",
        "finishedAt": "2026-07-07T12:30:00Z",
        "id": COLLECTION_JOB,
        "indexStatus": { "failedCollectionCount": 0, "state": "IN_PROGRESS" },
        "indexStrategy": "ALL",
        "oplogInc": 1,
        "oplogTs": 1_764_468_000,
        "pointInTimeUtcSeconds": 1_764_468_000,
        "restoredDocuments": 15500,
        "snapshotId": SNAPSHOT,
        "state": state,
        "targetClusterName": "targetCluster",
        "targetGroupId": GROUP,
        "totalDocuments": 20000,
        "writeStrategy": "CREATE_NEW",
    })
}

fn collection_state() -> Value {
    json!({
        "effectiveTargetNamespace": "sales.orders",
        "indexStatus": { "errorMessage": "duplicate key", "failedIndexes": [{ "name": "sku_1", "unique": true }], "state": "FAILED" },
        "restoredDocuments": 12000,
        "sourceNamespace": "sales.orders",
        "state": "INDEX_BUILD_FAILED",
        "targetNamespace": "sales.orders",
        "totalDocuments": 12000,
    })
}

fn private_endpoint(status: &str) -> Value {
    json!({
        "cloudProvider": "AWS",
        "errorMessage": "",
        "id": ENDPOINT,
        "privateEndpointConnectionName": "vpce-0a1b2c3d4e5f67890",
        "regionName": "US_EAST_1",
        "status": status,
        "vpcRegionName": "US_WEST_2",
    })
}

fn compliance_policy(state: &str) -> Value {
    json!({
        "authorizedEmail": "owner@example.com",
        "authorizedUserFirstName": "Ada",
        "authorizedUserLastName": "Lovelace",
        "copyProtectionEnabled": true,
        "deletable": false,
        "encryptionAtRestEnabled": false,
        "onDemandPolicyItem": { "frequencyInterval": 0, "frequencyType": "ondemand", "id": "5f3a1b2c4d5e6f7a8b9c0d15", "retentionUnit": "days", "retentionValue": 3 },
        "pitEnabled": true,
        "projectId": GROUP,
        "restoreWindowDays": 2,
        "scheduledPolicyItems": [
            { "frequencyInterval": 6, "frequencyType": "hourly", "id": "5f3a1b2c4d5e6f7a8b9c0d16", "retentionUnit": "days", "retentionValue": 2 },
            { "frequencyInterval": 40, "frequencyType": "monthly", "id": "5f3a1b2c4d5e6f7a8b9c0d17", "retentionUnit": "months", "retentionValue": 12 },
        ],
        "state": state,
        "updatedDate": "2026-11-30T02:00:00Z",
        "updatedUser": "owner@example.com",
    })
}

/// The policy a caller sends: one hourly item every six hours, kept two
/// days, and on-demand snapshots kept three.
fn compliance_policy_request()
-> atlas_backup_snapshots::types::builder::DataProtectionSettingsRequest {
    use atlas_backup_snapshots::types::{
        BackupComplianceOnDemandPolicyItem, BackupComplianceScheduledPolicyItem,
        DataProtectionSettingsRequest, DiskBackupSnapshotFrequencyType, RetentionUnit,
    };
    let hourly = BackupComplianceScheduledPolicyItem::builder()
        .frequency_interval(6)
        .frequency_type(DiskBackupSnapshotFrequencyType::Hourly)
        .retention_unit(RetentionUnit::Days)
        .retention_value(2);
    let on_demand = BackupComplianceOnDemandPolicyItem::builder()
        .frequency_interval(0)
        .frequency_type("ondemand")
        .retention_unit(RetentionUnit::Days)
        .retention_value(3);
    DataProtectionSettingsRequest::builder()
        .authorized_email("owner@example.com")
        .authorized_user_first_name("Ada")
        .authorized_user_last_name("Lovelace")
        .on_demand_policy_item(Some(on_demand.try_into().unwrap()))
        .scheduled_policy_items(vec![hourly.try_into().unwrap()])
}

fn page(items: Vec<Value>, path: &str) -> Value {
    json!({ "links": links(path), "results": items, "totalCount": 1 })
}

fn cloud_backup_cases() -> Vec<Case> {
    use atlas_backup_snapshots::types::{
        AwsRegion, BackupSnapshotRetentionRetentionUnit, CollectionRestoreJobState,
        CollectionRestoreState, DataProtectionSettingsState, DiskBackupCopyPolicyItem,
        DiskBackupExportJobState, DiskBackupRestoreDeliveryType, DiskBackupSnapshot,
        DiskBackupSnapshotAwsExportBucketRequest, DiskBackupSnapshotExportBucketRequest,
        DiskBackupSnapshotExportBucketResponse, IndexStrategy, ObjectStorageCloudProvider,
        ObjectStoragePrivateEndpointResponseStatus, WriteStrategy,
    };
    vec![
        Case {
            expected: read(
                "listExportBuckets",
                BUCKETS.into(),
                Some("itemsPerPage=3&pageNum=2"),
                V2024_05,
            ),
            answer: page(vec![aws_bucket(), azure_bucket(), gcp_bucket()], BUCKETS),
            call: |client| {
                Box::pin(async move {
                    let page = client
                        .list_export_buckets()
                        .group_id(GROUP)
                        .items_per_page(3)
                        .page_num(2)
                        .send()
                        .await?;
                    assert!(matches!(
                        page.results.as_slice(),
                        [
                            DiskBackupSnapshotExportBucketResponse::Aws(_),
                            DiskBackupSnapshotExportBucketResponse::Azure(_),
                            DiskBackupSnapshotExportBucketResponse::Gcp(_)
                        ]
                    ));
                    as_json(Ok(page))
                })
            },
        },
        Case {
            expected: write(
                "createExportBucket",
                "POST",
                BUCKETS.into(),
                V2024_05,
                Some(
                    r#"{"cloudProvider":"AWS","bucketName":"export-bucket","iamRoleId":"5f3a1b2c4d5e6f7a8b9c0d1e","requirePrivateNetworking":false}"#,
                ),
            ),
            answer: aws_bucket(),
            call: |client| {
                Box::pin(async move {
                    let bucket = DiskBackupSnapshotAwsExportBucketRequest::builder()
                        .bucket_name("export-bucket")
                        .iam_role_id(ROLE)
                        .require_private_networking(Some(false))
                        .try_into()
                        .unwrap();
                    let body = DiskBackupSnapshotExportBucketRequest::Aws(bucket);
                    as_json(
                        client
                            .create_export_bucket()
                            .group_id(GROUP)
                            .body(body)
                            .send()
                            .await,
                    )
                })
            },
        },
        Case {
            expected: read(
                "getExportBucket",
                format!("{BUCKETS}/{BUCKET}"),
                None,
                V2024_05,
            ),
            answer: gcp_bucket(),
            call: |client| {
                Box::pin(async move {
                    let bucket = client
                        .get_export_bucket()
                        .group_id(GROUP)
                        .export_bucket_id(BUCKET)
                        .send()
                        .await?;
                    let DiskBackupSnapshotExportBucketResponse::Gcp(gcp) = &*bucket else {
                        panic!("not a GCP bucket: {bucket:?}");
                    };
                    assert_eq!(gcp.role_id.as_str(), ROLE);
                    as_json(Ok(bucket))
                })
            },
        },
        Case {
            expected: write(
                "updateExportBucket",
                "PATCH",
                format!("{BUCKETS}/{BUCKET}"),
                V2024_05,
                Some(r#"{"requirePrivateNetworking":true}"#),
            ),
            answer: aws_bucket(),
            call: |client| {
                Box::pin(async move {
                    as_json(
                        client
                            .update_export_bucket()
                            .group_id(GROUP)
                            .export_bucket_id(BUCKET)
                            .body_map(|body| body.require_private_networking(true))
                            .send()
                            .await,
                    )
                })
            },
        },
        Case {
            expected: write(
                "deleteExportBucket",
                "DELETE",
                format!("{BUCKETS}/{BUCKET}"),
                ATLAS_V2,
                None,
            ),
            answer: Value::Null,
            call: |client| {
                Box::pin(async move {
                    as_json(
                        client
                            .delete_export_bucket()
                            .group_id(GROUP)
                            .export_bucket_id(BUCKET)
                            .send()
                            .await,
                    )
                })
            },
        },
        Case {
            expected: read(
                "listBackupExportJobs",
                format!("{CLUSTER}/backup/exports"),
                Some("includeCount=true"),
                ATLAS_V2,
            ),
            answer: page(vec![export_job()], &format!("{CLUSTER}/backup/exports")),
            call: |client| {
                Box::pin(async move {
                    let page = client
                        .list_backup_export_jobs()
                        .group_id(GROUP)
                        .cluster_name("Cluster0")
                        .include_count(true)
                        .send()
                        .await?;
                    assert_eq!(
                        page.results[0].state,
                        Some(DiskBackupExportJobState::Failed)
                    );
                    as_json(Ok(page))
                })
            },
        },
        Case {
            expected: write(
                "createBackupExportJob",
                "POST",
                format!("{CLUSTER}/backup/exports"),
                ATLAS_V2,
                Some(
                    r#"{"customData":[{"key":"team","value":"payments"}],"exportBucketId":"668c5f0ed436263134491592","snapshotId":"5cc310ace5dc7ce369814bc8"}"#,
                ),
            ),
            answer: export_job(),
            call: |client| {
                Box::pin(async move {
                    let label = atlas_backup_snapshots::types::BackupLabel::builder()
                        .key(Some("team".to_string()))
                        .value(Some("payments".to_string()));
                    as_json(
                        client
                            .create_backup_export_job()
                            .group_id(GROUP)
                            .cluster_name("Cluster0")
                            .body_map(|body| {
                                body.custom_data(vec![label.try_into().unwrap()])
                                    .export_bucket_id(BUCKET)
                                    .snapshot_id(SNAPSHOT)
                            })
                            .send()
                            .await,
                    )
                })
            },
        },
        Case {
            expected: read(
                "getBackupExportJob",
                format!("{CLUSTER}/backup/exports/{EXPORT}"),
                None,
                ATLAS_V2,
            ),
            answer: export_job(),
            call: |client| {
                Box::pin(async move {
                    as_json(
                        client
                            .get_backup_export_job()
                            .group_id(GROUP)
                            .cluster_name("Cluster0")
                            .export_id(EXPORT)
                            .send()
                            .await,
                    )
                })
            },
        },
        Case {
            expected: read(
                "listBackupRestoreJobs",
                format!("{CLUSTER}/backup/restoreJobs"),
                Some("pretty=true"),
                ATLAS_V2,
            ),
            answer: page(
                vec![restore_job("download")],
                &format!("{CLUSTER}/backup/restoreJobs"),
            ),
            call: |client| {
                Box::pin(async move {
                    let page = client
                        .list_backup_restore_jobs()
                        .group_id(GROUP)
                        .cluster_name("Cluster0")
                        .pretty(true)
                        .send()
                        .await?;
                    assert_eq!(
                        page.results[0].delivery_type,
                        DiskBackupRestoreDeliveryType::Download
                    );
                    as_json(Ok(page))
                })
            },
        },
        Case {
            expected: write(
                "createBackupRestoreJob",
                "POST",
                format!("{CLUSTER}/backup/restoreJobs"),
                ATLAS_V2,
                Some(
                    r#"{"deliveryType":"pointInTime","oplogInc":3,"oplogTs":1764468000,"targetClusterName":"Staging0","targetGroupId":"32b6e34b3d91647abb20e7b8"}"#,
                ),
            ),
            answer: restore_job("pointInTime"),
            call: |client| {
                Box::pin(async move {
                    let job = client
                        .create_backup_restore_job()
                        .group_id(GROUP)
                        .cluster_name("Cluster0")
                        .body_map(|body| {
                            body.delivery_type(DiskBackupRestoreDeliveryType::PointInTime)
                                .oplog_ts(Some(1_764_468_000))
                                .oplog_inc(std::num::NonZeroU32::new(3))
                                .target_cluster_name(Some("Staging0".parse().unwrap()))
                                .target_group_id(Some(GROUP.parse().unwrap()))
                        })
                        .send()
                        .await?;
                    assert_eq!(
                        job.desired_timestamp.as_ref().and_then(|t| t.increment),
                        Some(1_199_145_601)
                    );
                    as_json(Ok(job))
                })
            },
        },
        Case {
            expected: read(
                "getBackupRestoreJob",
                format!("{CLUSTER}/backup/restoreJobs/{JOB}"),
                None,
                ATLAS_V2,
            ),
            answer: restore_job("automated"),
            call: |client| {
                Box::pin(async move {
                    as_json(
                        client
                            .get_backup_restore_job()
                            .group_id(GROUP)
                            .cluster_name("Cluster0")
                            .restore_job_id(JOB)
                            .send()
                            .await,
                    )
                })
            },
        },
        Case {
            expected: write(
                "cancelBackupRestoreJob",
                "DELETE",
                format!("{CLUSTER}/backup/restoreJobs/{JOB}"),
                ATLAS_V2,
                None,
            ),
            answer: Value::Null,
            call: |client| {
                Box::pin(async move {
                    as_json(
                        client
                            .cancel_backup_restore_job()
                            .group_id(GROUP)
                            .cluster_name("Cluster0")
                            .restore_job_id(JOB)
                            .send()
                            .await,
                    )
                })
            },
        },
        Case {
            expected: read(
                "getBackupSchedule",
                format!("{CLUSTER}/backup/schedule"),
                None,
                V2024_08,
            ),
            answer: schedule(),
            call: |client| {
                Box::pin(async move {
                    let schedule = client
                        .get_backup_schedule()
                        .group_id(GROUP)
                        .cluster_name("Cluster0")
                        .send()
                        .await?;
                    assert!(matches!(
                        schedule.copy_settings[0].copy_policy_items.as_slice(),
                        [DiskBackupCopyPolicyItem::Daily(daily), DiskBackupCopyPolicyItem::Ondemand(_)] if daily.retention_value == 7
                    ));
                    as_json(Ok(schedule))
                })
            },
        },
        Case {
            expected: write(
                "updateBackupSchedule",
                "PATCH",
                format!("{CLUSTER}/backup/schedule"),
                V2024_08,
                Some(r#"{"referenceHourOfDay":3,"updateSnapshots":true}"#),
            ),
            answer: schedule(),
            call: |client| {
                Box::pin(async move {
                    as_json(
                        client
                            .update_backup_schedule()
                            .group_id(GROUP)
                            .cluster_name("Cluster0")
                            .body_map(|body| {
                                body.reference_hour_of_day(Some(3))
                                    .update_snapshots(Some(true))
                            })
                            .send()
                            .await,
                    )
                })
            },
        },
        Case {
            expected: write(
                "deleteBackupSchedule",
                "DELETE",
                format!("{CLUSTER}/backup/schedule"),
                V2024_08,
                None,
            ),
            answer: schedule(),
            call: |client| {
                Box::pin(async move {
                    as_json(
                        client
                            .delete_backup_schedule()
                            .group_id(GROUP)
                            .cluster_name("Cluster0")
                            .send()
                            .await,
                    )
                })
            },
        },
        Case {
            expected: read(
                "listBackupSnapshots",
                format!("{CLUSTER}/backup/snapshots"),
                Some("itemsPerPage=500&pointInTimeUtcSeconds=1764468000"),
                ATLAS_V2,
            ),
            answer: page(
                vec![replica_set_snapshot()],
                &format!("{CLUSTER}/backup/snapshots"),
            ),
            call: |client| {
                Box::pin(async move {
                    let page = client
                        .list_backup_snapshots()
                        .group_id(GROUP)
                        .cluster_name("Cluster0")
                        .items_per_page(500)
                        .point_in_time_utc_seconds(1_764_468_000)
                        .send()
                        .await?;
                    assert_eq!(
                        page.results[0].status,
                        Some(CloudBackupSnapshotStatus::Completed)
                    );
                    as_json(Ok(page))
                })
            },
        },
        Case {
            expected: write(
                "takeBackupSnapshot",
                "POST",
                format!("{CLUSTER}/backup/snapshots"),
                ATLAS_V2,
                Some(r#"{"description":"before the migration","retentionInDays":7}"#),
            ),
            answer: {
                let mut snapshot = replica_set_snapshot();
                snapshot["type"] = json!("replicaSet");
                snapshot
            },
            call: |client| {
                Box::pin(async move {
                    let snapshot = client
                        .take_backup_snapshot()
                        .group_id(GROUP)
                        .cluster_name("Cluster0")
                        .body_map(|body| {
                            body.description(Some("before the migration".to_string()))
                                .retention_in_days(std::num::NonZeroU32::new(7))
                        })
                        .send()
                        .await?;
                    let DiskBackupSnapshot::ReplicaSet(replica_set) = &*snapshot else {
                        panic!("not a replica set snapshot: {snapshot:?}");
                    };
                    assert_eq!(
                        replica_set.replica_set_name.as_deref(),
                        Some("Cluster0-shard-0")
                    );
                    as_json(Ok(snapshot))
                })
            },
        },
        Case {
            expected: read(
                "getBackupSnapshot",
                format!("{CLUSTER}/backup/snapshots/{SNAPSHOT}"),
                None,
                ATLAS_V2,
            ),
            answer: replica_set_snapshot(),
            call: |client| {
                Box::pin(async move {
                    as_json(
                        client
                            .get_backup_snapshot()
                            .group_id(GROUP)
                            .cluster_name("Cluster0")
                            .snapshot_id(SNAPSHOT)
                            .send()
                            .await,
                    )
                })
            },
        },
        Case {
            expected: write(
                "updateBackupSnapshot",
                "PATCH",
                format!("{CLUSTER}/backup/snapshots/{SNAPSHOT}"),
                ATLAS_V2,
                Some(r#"{"retentionUnit":"WEEKS","retentionValue":4}"#),
            ),
            answer: replica_set_snapshot(),
            call: |client| {
                Box::pin(async move {
                    as_json(
                        client
                            .update_backup_snapshot()
                            .group_id(GROUP)
                            .cluster_name("Cluster0")
                            .snapshot_id(SNAPSHOT)
                            .body_map(|body| {
                                body.retention_unit(BackupSnapshotRetentionRetentionUnit::Weeks)
                                    .retention_value(4)
                            })
                            .send()
                            .await,
                    )
                })
            },
        },
        Case {
            expected: write(
                "deleteBackupSnapshot",
                "DELETE",
                format!("{CLUSTER}/backup/snapshots/{SNAPSHOT}"),
                ATLAS_V2,
                None,
            ),
            answer: Value::Null,
            call: |client| {
                Box::pin(async move {
                    as_json(
                        client
                            .delete_backup_snapshot()
                            .group_id(GROUP)
                            .cluster_name("Cluster0")
                            .snapshot_id(SNAPSHOT)
                            .send()
                            .await,
                    )
                })
            },
        },
        Case {
            expected: read(
                "listShardedClusterBackupSnapshots",
                format!("{CLUSTER}/backup/snapshots/shardedClusters"),
                None,
                ATLAS_V2,
            ),
            answer: page(
                vec![sharded_cluster_snapshot()],
                &format!("{CLUSTER}/backup/snapshots/shardedClusters"),
            ),
            call: |client| {
                Box::pin(async move {
                    as_json(
                        client
                            .list_sharded_cluster_backup_snapshots()
                            .group_id(GROUP)
                            .cluster_name("Cluster0")
                            .send()
                            .await,
                    )
                })
            },
        },
        Case {
            expected: read(
                "getShardedClusterBackupSnapshot",
                format!("{CLUSTER}/backup/snapshots/shardedCluster/{SNAPSHOT}"),
                None,
                ATLAS_V2,
            ),
            answer: sharded_cluster_snapshot(),
            call: |client| {
                Box::pin(async move {
                    let snapshot = client
                        .get_sharded_cluster_backup_snapshot()
                        .group_id(GROUP)
                        .cluster_name("Cluster0")
                        .snapshot_id(SNAPSHOT)
                        .send()
                        .await?;
                    assert_eq!(snapshot.members[0].replica_set_name, "shard-0");
                    assert_eq!(snapshot.status, Some(CloudBackupSnapshotStatus::InProgress));
                    as_json(Ok(snapshot))
                })
            },
        },
        Case {
            expected: write(
                "deleteShardedClusterBackupSnapshot",
                "DELETE",
                format!("{CLUSTER}/backup/snapshots/shardedCluster/{SNAPSHOT}"),
                ATLAS_V2,
                None,
            ),
            answer: Value::Null,
            call: |client| {
                Box::pin(async move {
                    as_json(
                        client
                            .delete_sharded_cluster_backup_snapshot()
                            .group_id(GROUP)
                            .cluster_name("Cluster0")
                            .snapshot_id(SNAPSHOT)
                            .send()
                            .await,
                    )
                })
            },
        },
        Case {
            expected: read(
                "listBackupSnapshotDatabases",
                format!("{CLUSTER}/backup/snapshots/{SNAPSHOT}/databases"),
                Some("includeCount=false"),
                V2025_03,
            ),
            answer: page(
                vec![json!({ "links": links("/databases/sales"), "name": "sales" })],
                "/databases",
            ),
            call: |client| {
                Box::pin(async move {
                    as_json(
                        client
                            .list_backup_snapshot_databases()
                            .group_id(GROUP)
                            .cluster_name("Cluster0")
                            .snapshot_id(SNAPSHOT)
                            .include_count(false)
                            .send()
                            .await,
                    )
                })
            },
        },
        Case {
            // A name with a space and a slash is one path segment.
            expected: read(
                "getBackupSnapshotDatabase",
                format!("{CLUSTER}/backup/snapshots/{SNAPSHOT}/databases/my%20db%2Fone"),
                None,
                V2025_03,
            ),
            answer: json!({ "links": links("/databases/sales"), "name": "my db/one" }),
            call: |client| {
                Box::pin(async move {
                    as_json(
                        client
                            .get_backup_snapshot_database()
                            .group_id(GROUP)
                            .cluster_name("Cluster0")
                            .snapshot_id(SNAPSHOT)
                            .database_name("my db/one")
                            .send()
                            .await,
                    )
                })
            },
        },
        Case {
            expected: read(
                "listBackupSnapshotCollections",
                format!("{CLUSTER}/backup/snapshots/{SNAPSHOT}/databases/sales/collections"),
                None,
                V2025_03,
            ),
            answer: page(
                vec![json!({ "links": links("/collections/orders"), "name": "orders" })],
                "/collections",
            ),
            call: |client| {
                Box::pin(async move {
                    as_json(
                        client
                            .list_backup_snapshot_collections()
                            .group_id(GROUP)
                            .cluster_name("Cluster0")
                            .snapshot_id(SNAPSHOT)
                            .database_name("sales")
                            .send()
                            .await,
                    )
                })
            },
        },
        Case {
            expected: read(
                "getBackupSnapshotCollection",
                format!("{CLUSTER}/backup/snapshots/{SNAPSHOT}/databases/sales/collections/orders"),
                None,
                V2025_03,
            ),
            answer: json!({ "links": links("/collections/orders"), "name": "orders" }),
            call: |client| {
                Box::pin(async move {
                    as_json(
                        client
                            .get_backup_snapshot_collection()
                            .group_id(GROUP)
                            .cluster_name("Cluster0")
                            .snapshot_id(SNAPSHOT)
                            .database_name("sales")
                            .collection_name("orders")
                            .send()
                            .await,
                    )
                })
            },
        },
        Case {
            expected: read(
                "listCollectionRestoreJobs",
                format!("{CLUSTER}/collectionRestoreJobs"),
                Some("pageNum=1"),
                V2025_03,
            ),
            answer: page(
                vec![collection_restore_job("FINALIZING")],
                &format!("{CLUSTER}/collectionRestoreJobs"),
            ),
            call: |client| {
                Box::pin(async move {
                    let page = client
                        .list_collection_restore_jobs()
                        .group_id(GROUP)
                        .cluster_name("Cluster0")
                        .page_num(1)
                        .send()
                        .await?;
                    assert_eq!(
                        page.results[0].state,
                        Some(CollectionRestoreJobState::Finalizing)
                    );
                    as_json(Ok(page))
                })
            },
        },
        Case {
            expected: write(
                "createCollectionRestoreJob",
                "POST",
                format!("{CLUSTER}/collectionRestoreJobs"),
                V2025_03,
                Some(
                    r#"{"collections":[{"sourceNamespace":"sales.orders","targetNamespace":"sales.orders_copy"}],"indexStrategy":"ALL_EXCEPT_TTL","snapshotId":"5cc310ace5dc7ce369814bc8","targetClusterName":"targetCluster","targetGroupId":"32b6e34b3d91647abb20e7b8","writeStrategy":"CREATE_NEW"}"#,
                ),
            ),
            answer: collection_restore_job("INITIALIZING"),
            call: |client| {
                Box::pin(async move {
                    let namespace = atlas_backup_snapshots::types::RestoreNamespace::builder()
                        .source_namespace("sales.orders")
                        .target_namespace(Some("sales.orders_copy".to_string()));
                    let job = client
                        .create_collection_restore_job()
                        .group_id(GROUP)
                        .cluster_name("Cluster0")
                        .body_map(|body| {
                            body.collections(vec![namespace.try_into().unwrap()])
                                .index_strategy(IndexStrategy::AllExceptTtl)
                                .snapshot_id(Some(SNAPSHOT.parse().unwrap()))
                                .target_cluster_name("targetCluster")
                                .target_group_id(GROUP)
                                .write_strategy(WriteStrategy::CreateNew)
                        })
                        .send()
                        .await?;
                    assert_eq!(job.state, Some(CollectionRestoreJobState::Initializing));
                    as_json(Ok(job))
                })
            },
        },
        Case {
            expected: read(
                "getCollectionRestoreJob",
                format!("{CLUSTER}/collectionRestoreJobs/{COLLECTION_JOB}"),
                None,
                V2025_03,
            ),
            answer: collection_restore_job("SUCCESSFUL"),
            call: |client| {
                Box::pin(async move {
                    as_json(
                        client
                            .get_collection_restore_job()
                            .group_id(GROUP)
                            .cluster_name("Cluster0")
                            .job_id(COLLECTION_JOB)
                            .send()
                            .await,
                    )
                })
            },
        },
        Case {
            expected: read(
                "listCollectionRestoreJobCollections",
                format!("{CLUSTER}/collectionRestoreJobs/{COLLECTION_JOB}/collections"),
                Some("sourceNamespace=sales.orders&state=INDEX_BUILD_FAILED"),
                V2025_03,
            ),
            answer: page(vec![collection_state()], "/collections"),
            call: |client| {
                Box::pin(async move {
                    let page = client
                        .list_collection_restore_job_collections()
                        .group_id(GROUP)
                        .cluster_name("Cluster0")
                        .job_id(COLLECTION_JOB)
                        .source_namespace("sales.orders")
                        .state(CollectionRestoreState::IndexBuildFailed)
                        .send()
                        .await?;
                    assert_eq!(
                        page.results[0].state,
                        Some(CollectionRestoreState::IndexBuildFailed)
                    );
                    as_json(Ok(page))
                })
            },
        },
        Case {
            expected: read(
                "listBackupPrivateEndpoints",
                ENDPOINTS.into(),
                Some("itemsPerPage=2&pageNum=1"),
                ATLAS_FLEX,
            ),
            answer: page(
                vec![private_endpoint("ACTIVE"), private_endpoint("DELETING")],
                ENDPOINTS,
            ),
            call: |client| {
                Box::pin(async move {
                    let page = client
                        .list_backup_private_endpoints()
                        .group_id(GROUP)
                        .cloud_provider(ObjectStorageCloudProvider::Aws)
                        .items_per_page(2)
                        .page_num(1)
                        .send()
                        .await?;
                    assert_eq!(
                        page.results[1].status,
                        Some(ObjectStoragePrivateEndpointResponseStatus::Deleting)
                    );
                    as_json(Ok(page))
                })
            },
        },
        Case {
            expected: write(
                "createBackupPrivateEndpoint",
                "POST",
                ENDPOINTS.into(),
                ATLAS_FLEX,
                Some(
                    r#"{"cloudProvider":"AWS","regionName":"US_EAST_1","vpcRegionName":"US_WEST_2"}"#,
                ),
            ),
            answer: private_endpoint("INITIATING"),
            call: |client| {
                Box::pin(async move {
                    let endpoint = client
                        .create_backup_private_endpoint()
                        .group_id(GROUP)
                        .cloud_provider("AWS")
                        .body_map(|body| {
                            body.cloud_provider(Some(ObjectStorageCloudProvider::Aws))
                                .region_name(Some(AwsRegion::UsEast1))
                                .vpc_region_name(Some(AwsRegion::UsWest2))
                        })
                        .send()
                        .await?;
                    assert_eq!(
                        endpoint.status,
                        Some(ObjectStoragePrivateEndpointResponseStatus::Initiating)
                    );
                    as_json(Ok(endpoint))
                })
            },
        },
        Case {
            expected: read(
                "getBackupPrivateEndpoint",
                format!("{ENDPOINTS}/{ENDPOINT}"),
                None,
                ATLAS_FLEX,
            ),
            answer: private_endpoint("ACTIVE"),
            call: |client| {
                Box::pin(async move {
                    as_json(
                        client
                            .get_backup_private_endpoint()
                            .group_id(GROUP)
                            .cloud_provider("AWS")
                            .endpoint_id(ENDPOINT)
                            .send()
                            .await,
                    )
                })
            },
        },
        Case {
            expected: write(
                "deleteBackupPrivateEndpoint",
                "DELETE",
                format!("{ENDPOINTS}/{ENDPOINT}"),
                ATLAS_FLEX,
                None,
            ),
            answer: Value::Null,
            call: |client| {
                Box::pin(async move {
                    as_json(
                        client
                            .delete_backup_private_endpoint()
                            .group_id(GROUP)
                            .cloud_provider("AWS")
                            .endpoint_id(ENDPOINT)
                            .send()
                            .await,
                    )
                })
            },
        },
        Case {
            expected: read("getCompliancePolicy", POLICY.into(), None, V2023_10),
            answer: compliance_policy("ACTIVE"),
            call: |client| {
                Box::pin(async move {
                    let policy = client
                        .get_compliance_policy()
                        .group_id(GROUP)
                        .send()
                        .await?;
                    assert_eq!(policy.state, Some(DataProtectionSettingsState::Active));
                    let intervals: Vec<i32> = policy
                        .scheduled_policy_items
                        .iter()
                        .map(|item| *item.frequency_interval)
                        .collect();
                    assert_eq!(intervals, [6, 40]);
                    as_json(Ok(policy))
                })
            },
        },
        Case {
            expected: Expected {
                operation_id: "updateCompliancePolicy",
                method: "PUT",
                path: POLICY.into(),
                query: Some("overwriteBackupPolicies=false"),
                accept: V2023_10,
                body: Some((
                    V2023_10,
                    r#"{"authorizedEmail":"owner@example.com","authorizedUserFirstName":"Ada","authorizedUserLastName":"Lovelace","onDemandPolicyItem":{"frequencyInterval":0,"frequencyType":"ondemand","retentionUnit":"days","retentionValue":3},"scheduledPolicyItems":[{"frequencyInterval":6,"frequencyType":"hourly","retentionUnit":"days","retentionValue":2}]}"#,
                )),
            },
            answer: compliance_policy("UPDATING"),
            call: |client| {
                Box::pin(async move {
                    let policy = client
                        .update_compliance_policy()
                        .group_id(GROUP)
                        .overwrite_backup_policies(false)
                        .body(compliance_policy_request())
                        .send()
                        .await?;
                    assert_eq!(policy.state, Some(DataProtectionSettingsState::Updating));
                    as_json(Ok(policy))
                })
            },
        },
        Case {
            expected: write(
                "disableCompliancePolicy",
                "DELETE",
                POLICY.into(),
                ATLAS_FLEX,
                None,
            ),
            answer: Value::Null,
            call: |client| {
                Box::pin(async move {
                    as_json(
                        client
                            .disable_compliance_policy()
                            .group_id(GROUP)
                            .send()
                            .await,
                    )
                })
            },
        },
        Case {
            expected: read(
                "getCollectionRestoreJobCollection",
                format!(
                    "{CLUSTER}/collectionRestoreJobs/{COLLECTION_JOB}/collections/sales.orders"
                ),
                None,
                V2025_03,
            ),
            answer: collection_state(),
            call: |client| {
                Box::pin(async move {
                    as_json(
                        client
                            .get_collection_restore_job_collection()
                            .group_id(GROUP)
                            .cluster_name("Cluster0")
                            .job_id(COLLECTION_JOB)
                            .source_namespace("sales.orders")
                            .send()
                            .await,
                    )
                })
            },
        },
    ]
}

#[tokio::test]
async fn each_cloud_backups_operation_sends_its_request_and_types_its_answers() {
    let cases = cloud_backup_cases();
    let mut tested: Vec<&str> = cases.iter().map(|c| c.expected.operation_id).collect();
    tested.sort();
    // The Cloud Backups operations of Atlas's Go SDK, from two excerpts of
    // its document: the 32 of dedicated clusters, and the Backup
    // Compliance Policy's and the private endpoints' 7.
    let dedicated = operations_from("atlas-v2-cloud-backups-2026-08-21.yaml");
    let policy_and_endpoints =
        operations_from("atlas-v2-compliance-policy-and-backup-private-endpoints-2026-08-21.yaml");
    assert_eq!((dedicated.len(), policy_and_endpoints.len()), (32, 7));
    let mut curated = [dedicated, policy_and_endpoints].concat();
    curated.sort();
    assert_eq!(tested, curated, "one case per operation");
    assert_eq!(curated.len(), 39);
    for case in cases {
        eprintln!("{}", case.expected.operation_id);
        let answer = case.expected.success(case.answer.clone(), case.call).await;
        assert_eq!(
            answer, case.answer,
            "{}: the typed answer written back",
            case.expected.operation_id
        );
        case.expected.errors(case.call).await;
        case.expected.gone(case.call, USE_NEWER_RELEASE).await;
    }
}

#[tokio::test]
async fn invalid_cloud_backups_input_is_refused_before_any_request() {
    assert_refused(
        async |client: Client| {
            client
                .get_export_bucket()
                .group_id(GROUP)
                .export_bucket_id("668C5F0ED436263134491592")
                .send()
                .await
        },
        r#"export_bucket_id is invalid: doesn't match pattern "^([a-f0-9]{24})$""#,
    )
    .await;

    assert_refused(
        async |client: Client| {
            client
                .get_collection_restore_job()
                .group_id(GROUP)
                .cluster_name("Cluster0")
                .job_id("6c5e8a2f")
                .send()
                .await
        },
        r#"job_id is invalid: doesn't match pattern "^([a-f0-9]{24})$""#,
    )
    .await;

    assert_refused(
        async |client: Client| {
            client
                .list_backup_snapshots()
                .group_id(GROUP)
                .cluster_name("Cluster0")
                .items_per_page(501)
                .send()
                .await
        },
        "items_per_page must be from 1 to 500, not 501",
    )
    .await;

    assert_refused(
        async |client: Client| {
            client
                .list_collection_restore_job_collections()
                .group_id(GROUP)
                .cluster_name("Cluster0")
                .job_id(COLLECTION_JOB)
                .items_per_page(0)
                .send()
                .await
        },
        "items_per_page must be from 1 to 500, not 0",
    )
    .await;

    // A restore job says how it delivers the snapshot.
    assert_refused(
        async |client: Client| {
            client
                .create_backup_restore_job()
                .group_id(GROUP)
                .cluster_name("Cluster0")
                .body_map(|body| body.snapshot_id(Some(SNAPSHOT.parse().unwrap())))
                .send()
                .await
        },
        "delivery_type is required and was not set",
    )
    .await;

    assert_refused(
        async |client: Client| client.create_export_bucket().group_id(GROUP).send().await,
        "body is required and was not set",
    )
    .await;
}

#[tokio::test]
async fn invalid_policy_and_endpoint_input_is_refused_before_any_request() {
    use atlas_backup_snapshots::types::{
        BackupComplianceOnDemandPolicyItem, BackupComplianceScheduledPolicyItem,
        DataProtectionSettings, DiskBackupSnapshotFrequencyType, RetentionUnit,
    };

    // A cloud provider the spec does not list.
    assert_refused(
        async |client: Client| {
            client
                .list_backup_private_endpoints()
                .group_id(GROUP)
                .cloud_provider("GCP")
                .send()
                .await
        },
        r#"cloud_provider must be AWS, not "GCP""#,
    )
    .await;

    assert_refused(
        async |client: Client| {
            client
                .delete_backup_private_endpoint()
                .group_id(GROUP)
                .cloud_provider("AWS")
                .endpoint_id("vpce-0a1b2c3d4e5f67890")
                .send()
                .await
        },
        r#"endpoint_id is invalid: doesn't match pattern "^([a-f0-9]{24})$""#,
    )
    .await;

    // A policy without the email of who authorized it.
    assert_refused(
        async |client: Client| {
            client
                .update_compliance_policy()
                .group_id(GROUP)
                .body_map(|body| {
                    body.authorized_user_first_name("Ada")
                        .authorized_user_last_name("Lovelace")
                })
                .send()
                .await
        },
        "authorized_email is required and was not set",
    )
    .await;

    // Intervals outside their lists, refused where the item is built,
    // naming the field and the values it takes: 0 is an on-demand item's
    // alone.
    let scheduled = BackupComplianceScheduledPolicyItem::builder()
        .frequency_interval(0)
        .frequency_type(DiskBackupSnapshotFrequencyType::Daily)
        .retention_unit(RetentionUnit::Days)
        .retention_value(7);
    assert_eq!(
        BackupComplianceScheduledPolicyItem::try_from(scheduled)
            .unwrap_err()
            .to_string(),
        "error converting supplied value for frequency_interval: must be 1 to 28 or 40, not 0"
    );
    let on_demand = BackupComplianceOnDemandPolicyItem::builder()
        .frequency_interval(41)
        .frequency_type("ondemand")
        .retention_unit(RetentionUnit::Days)
        .retention_value(3);
    assert_eq!(
        BackupComplianceOnDemandPolicyItem::try_from(on_demand)
            .unwrap_err()
            .to_string(),
        "error converting supplied value for frequency_interval: must be 0 to 28 or 40, not 41"
    );
    // An interval Atlas answers that the list does not hold decodes as
    // sent.
    let answered: DataProtectionSettings = serde_json::from_value(json!({
        "authorizedEmail": "owner@example.com",
        "authorizedUserFirstName": "Ada",
        "authorizedUserLastName": "Lovelace",
        "scheduledPolicyItems": [{ "frequencyInterval": 30, "frequencyType": "daily", "retentionUnit": "days", "retentionValue": 7 }],
    }))
    .unwrap();
    assert_eq!(*answered.scheduled_policy_items[0].frequency_interval, 30);
}

/// The bounds of a request body's fields: a value out of range is refused
/// when the body is built, naming the field and its rule.
#[test]
fn out_of_range_body_values_are_refused_where_they_are_built() {
    use atlas_backup_snapshots::types::{
        DiskBackupOnDemandSnapshotRequest, DiskBackupSnapshotAwsExportBucketRequest,
    };
    // `retentionInDays` has a minimum of 1: a zero retention is no value of
    // its type, and one decoded from JSON is refused.
    let zero: Result<DiskBackupOnDemandSnapshotRequest, _> =
        serde_json::from_value(json!({ "retentionInDays": 0 }));
    assert!(
        zero.unwrap_err()
            .to_string()
            .contains("invalid value: integer `0`, expected a nonzero u32"),
    );
    // A bucket name is 3 to 63 characters.
    let error = DiskBackupSnapshotAwsExportBucketRequest::builder()
        .bucket_name("ab")
        .iam_role_id(ROLE)
        .try_into()
        .map(|_: DiskBackupSnapshotAwsExportBucketRequest| ())
        .unwrap_err();
    assert_eq!(
        error.to_string(),
        "error converting supplied value for bucket_name: shorter than 3 characters"
    );
}
