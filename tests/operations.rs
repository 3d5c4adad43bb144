//! Each operation against a local server: the exact path, query string and
//! `Accept` header it sends, its typed success body, a typed `ApiError` for
//! every error status the spec lists, and no request at all for an invalid
//! parameter.

// Atlas deprecates or sunsets every operation these pages describe.
#![allow(deprecated)]

use std::fmt::Debug;
use std::future::Future;

use atlas_backup_snapshots::types::{
    LegacyBackupSnapshotPartTypeName, ServerlessBackupSnapshotFrequencyType,
    ServerlessBackupSnapshotStatus, SharedTierSnapshotStatus,
};
use atlas_backup_snapshots::{Client, Error, ErrorKind, ResponseValue};
use httpmock::prelude::*;
use serde_json::{Value, json};
use tests::{fixture, local_client};

const GROUP: &str = "32b6e34b3d91647abb20e7b8";
const SNAPSHOT: &str = "5cc310ace5dc7ce369814bc8";
const PLAIN_JSON: &str = "application/json";
const ATLAS_V2: &str = "application/vnd.atlas.2023-01-01+json";

type Outcome<T> = Result<ResponseValue<T>, Error>;

/// The request an operation must send.
struct Expected {
    operation_id: &'static str,
    path: String,
    query: Option<&'static str>,
    accept: &'static str,
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
                when.method(GET)
                    .path(self.path.clone())
                    .header("accept", self.accept)
                    .is_true(move |request| request.uri().query() == query);
                then.status(status)
                    .header("content-type", content_type)
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
    Expected {
        operation_id: "getServerlessSnapshotV1",
        path: format!(
            "/api/atlas/v1.0/groups/{GROUP}/serverless/serverless0/backup/snapshots/{SNAPSHOT}"
        ),
        query: Some("pretty=true"),
        accept: PLAIN_JSON,
    }
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
    assert_eq!(
        snapshot.status,
        Some(ServerlessBackupSnapshotStatus::Completed)
    );
    assert_eq!(snapshot.storage_size_bytes, Some(1024));
    expected.errors(call_get_serverless_snapshot_v1).await;
}

fn get_shared_tier_snapshot_v1() -> Expected {
    Expected {
        operation_id: "getSharedTierSnapshotV1",
        path: format!(
            "/api/atlas/v1.0/groups/{GROUP}/clusters/M2AWS/backup/tenant/snapshots/{SNAPSHOT}"
        ),
        query: None,
        accept: PLAIN_JSON,
    }
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
}

fn get_serverless_snapshot_v2() -> Expected {
    Expected {
        operation_id: "getServerlessSnapshotV2",
        path: format!(
            "/api/atlas/v2/groups/{GROUP}/serverless/serverless0/backup/snapshots/{SNAPSHOT}"
        ),
        query: None,
        accept: ATLAS_V2,
    }
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
}

fn list_serverless_snapshots_v1() -> Expected {
    Expected {
        operation_id: "listServerlessSnapshotsV1",
        path: format!("/api/atlas/v1.0/groups/{GROUP}/serverless/serverless0/backup/snapshots"),
        query: Some("includeCount=false&itemsPerPage=2&pageNum=3"),
        accept: PLAIN_JSON,
    }
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
}

fn get_legacy_snapshot_v2() -> Expected {
    Expected {
        operation_id: "getLegacySnapshotV2",
        path: format!("/api/atlas/v2/groups/{GROUP}/clusters/Cluster0/snapshots/{SNAPSHOT}"),
        query: Some("pretty=false"),
        accept: ATLAS_V2,
    }
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
    assert!(message.contains("group_id"), "{message}");

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
    assert!(message.contains("cluster_name"), "{message}");

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
    assert!(message.contains("snapshot_id"), "{message}");

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
    assert!(message.contains("instance_name"), "{message}");

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
    assert!(message.contains("page_num"), "{message}");
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
    assert!(message.contains("cluster_name"), "{message}");
}
