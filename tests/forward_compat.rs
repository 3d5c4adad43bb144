//! Atlas adds fields and enum values without a new API version: bodies
//! with values and fields the spec does not know decode through the
//! client, keep the unknown values, and serialize them back unchanged.

// Atlas deprecates or sunsets every operation these pages describe.
#![allow(deprecated)]

use atlas_backup_snapshots::types::{
    CloudBackupSnapshotStatus, FlexBackupRestoreJob, FlexBackupRestoreJobDeliveryType,
    FlexBackupSnapshot, FlexBackupStatus, LegacyBackupSnapshot,
    LegacyBackupSnapshotPartCompressionSetting, LegacyBackupSnapshotPartTypeName,
    PaginatedServerlessBackupSnapshots, ServerlessBackupSnapshot,
    ServerlessBackupSnapshotFrequencyType, ServerlessBackupSnapshotSnapshotType,
    SharedTierSnapshot, SharedTierSnapshotStatus,
};
use httpmock::prelude::*;
use serde::de::DeserializeOwned;
use serde_json::{Value, json};
use tests::{fixture, local_client};

const GROUP: &str = "32b6e34b3d91647abb20e7b8";
const SNAPSHOT: &str = "5cc310ace5dc7ce369814bc8";
const NEW: &str = "SOMETHING_NEW";

/// The page's example with every enum at `pointers` set to [`NEW`] and an
/// unknown field added beside each, and at the top.
fn with_new_values(page: &str, pointers: &[&str]) -> Value {
    let mut body: Value = serde_json::from_str(&fixture(page, 200)).unwrap();
    for pointer in pointers {
        *body.pointer_mut(pointer).unwrap() = json!(NEW);
        let (parent, _) = pointer.rsplit_once('/').unwrap();
        let parent = body.pointer_mut(parent).unwrap().as_object_mut().unwrap();
        parent.insert("fieldFromTheFuture".into(), json!({ "nested": [1, 2] }));
    }
    body["anotherNewField"] = json!(true);
    body
}

/// Serves `body` at `path` and returns what the client made of it.
async fn through_the_client<T>(
    path: &str,
    body: &Value,
    call: impl AsyncFnOnce(&atlas_backup_snapshots::Client) -> Result<T, atlas_backup_snapshots::Error>,
) -> T {
    let server = MockServer::start_async().await;
    let body = body.to_string();
    server
        .mock_async(|when, then| {
            when.method(GET).path(path);
            then.status(200)
                .header("content-type", "application/json")
                .body(body);
        })
        .await;
    call(&local_client(&server.base_url())).await.unwrap()
}

/// Serializing `value` gives back [`NEW`] at every pointer.
fn serializes_back<T: serde::Serialize>(value: &T, pointers: &[&str]) {
    let json = serde_json::to_value(value).unwrap();
    for pointer in pointers {
        assert_eq!(json.pointer(pointer), Some(&json!(NEW)), "{pointer}");
    }
}

fn unrecognized<T: ToString>(value: &Option<T>) -> String {
    value.as_ref().map(ToString::to_string).unwrap_or_default()
}

#[tokio::test]
async fn serverless_snapshot_enums_keep_new_values() {
    let pointers = ["/frequencyType", "/snapshotType", "/status"];
    let body = with_new_values("002_4c9947135e3c7d0e", &pointers);
    let path =
        format!("/api/atlas/v2/groups/{GROUP}/serverless/serverless0/backup/snapshots/{SNAPSHOT}");
    let snapshot: ServerlessBackupSnapshot = through_the_client(&path, &body, async |client| {
        let call = client
            .get_serverless_snapshot_v2()
            .group_id(GROUP)
            .cluster_name("serverless0");
        call.snapshot_id(SNAPSHOT)
            .send()
            .await
            .map(|r| r.into_inner())
    })
    .await;
    assert_eq!(
        snapshot.status,
        Some(CloudBackupSnapshotStatus::Unrecognized(NEW.into()))
    );
    assert_eq!(
        snapshot.frequency_type,
        Some(ServerlessBackupSnapshotFrequencyType::Unrecognized(
            NEW.into()
        ))
    );
    assert_eq!(
        snapshot.snapshot_type,
        Some(ServerlessBackupSnapshotSnapshotType::Unrecognized(
            NEW.into()
        ))
    );
    serializes_back(&snapshot, &pointers);
}

#[tokio::test]
async fn paged_snapshot_enums_keep_new_values() {
    let pointers = [
        "/results/0/frequencyType",
        "/results/0/snapshotType",
        "/results/0/status",
    ];
    let body = with_new_values("003_29d22861862584a8", &pointers);
    let path = format!("/api/atlas/v1.0/groups/{GROUP}/serverless/serverless0/backup/snapshots");
    let page: PaginatedServerlessBackupSnapshots =
        through_the_client(&path, &body, async |client| {
            let call = client.list_serverless_snapshots_v1().group_id(GROUP);
            call.cluster_name("serverless0")
                .send()
                .await
                .map(|r| r.into_inner())
        })
        .await;
    assert_eq!(unrecognized(&page.results[0].status), NEW);
    serializes_back(&page, &pointers);
}

#[tokio::test]
async fn shared_tier_snapshot_status_keeps_new_values() {
    let pointers = ["/status"];
    let body = with_new_values("001_0febfd8663e828a6", &pointers);
    let path =
        format!("/api/atlas/v1.0/groups/{GROUP}/clusters/M2AWS/backup/tenant/snapshots/{SNAPSHOT}");
    let snapshot: SharedTierSnapshot = through_the_client(&path, &body, async |client| {
        let call = client
            .get_shared_tier_snapshot_v1()
            .group_id(GROUP)
            .cluster_name("M2AWS");
        call.snapshot_id(SNAPSHOT)
            .send()
            .await
            .map(|r| r.into_inner())
    })
    .await;
    assert_eq!(
        snapshot.status,
        Some(SharedTierSnapshotStatus::Unrecognized(NEW.into()))
    );
    serializes_back(&snapshot, &pointers);
}

#[tokio::test]
async fn legacy_snapshot_part_enums_keep_new_values() {
    let pointers = ["/parts/0/compressionSetting", "/parts/0/typeName"];
    let mut body = with_new_values("004_5c5a46628cca301b", &pointers);
    // The page's uuid placeholder is not a uuid (a known page error).
    body["parts"][0]["masterKeyUUID"] = json!("6e1a4f3c-2b7d-4c8e-9f10-112233445566");
    let path = format!("/api/atlas/v2/groups/{GROUP}/clusters/Cluster0/snapshots/{SNAPSHOT}");
    let snapshot: LegacyBackupSnapshot = through_the_client(&path, &body, async |client| {
        let call = client
            .get_legacy_snapshot_v2()
            .group_id(GROUP)
            .cluster_name("Cluster0");
        call.snapshot_id(SNAPSHOT)
            .send()
            .await
            .map(|r| r.into_inner())
    })
    .await;
    let part = &snapshot.parts[0];
    assert_eq!(
        part.compression_setting,
        Some(LegacyBackupSnapshotPartCompressionSetting::Unrecognized(
            NEW.into()
        ))
    );
    assert_eq!(
        part.type_name,
        Some(LegacyBackupSnapshotPartTypeName::Unrecognized(NEW.into()))
    );
    serializes_back(&snapshot, &pointers);
}

fn decodes_empty<T: DeserializeOwned + Default + PartialEq + std::fmt::Debug>() {
    let value: T = serde_json::from_str("{}").unwrap();
    assert_eq!(value, T::default());
}

#[test]
fn every_optional_field_may_be_missing() {
    decodes_empty::<ServerlessBackupSnapshot>();
    decodes_empty::<PaginatedServerlessBackupSnapshots>();
    decodes_empty::<SharedTierSnapshot>();
    decodes_empty::<LegacyBackupSnapshot>();
    decodes_empty::<FlexBackupSnapshot>();
    decodes_empty::<FlexBackupRestoreJob>();
    decodes_empty::<atlas_backup_snapshots::types::DiskBackupReplicaSet>();
    decodes_empty::<atlas_backup_snapshots::types::DiskBackupShardedClusterSnapshot>();
    decodes_empty::<atlas_backup_snapshots::types::CollectionRestoreJobResponse>();
    decodes_empty::<atlas_backup_snapshots::types::CollectionRestoreCollectionStateResponse>();
}

#[tokio::test]
async fn flex_enums_keep_new_values() {
    let job = json!({
        "id": "6dd4a1b2c3d4e5f6a7b8c9d0",
        "deliveryType": NEW,
        "status": NEW,
        "fieldFromTheFuture": { "nested": [1, 2] },
    });
    let path = format!(
        "/api/atlas/v2/groups/{GROUP}/flexClusters/flex0/backup/restoreJobs/6dd4a1b2c3d4e5f6a7b8c9d0"
    );
    let job: FlexBackupRestoreJob = through_the_client(&path, &job, async |client| {
        client
            .get_flex_restore_job()
            .group_id(GROUP)
            .cluster_name("flex0")
            .restore_job_id("6dd4a1b2c3d4e5f6a7b8c9d0")
            .send()
            .await
            .map(|r| r.into_inner())
    })
    .await;
    assert_eq!(job.status, Some(FlexBackupStatus::Unrecognized(NEW.into())));
    assert_eq!(
        job.delivery_type,
        Some(FlexBackupRestoreJobDeliveryType::Unrecognized(NEW.into()))
    );
    serializes_back(&job, &["/deliveryType", "/status"]);

    let snapshot = json!({ "id": SNAPSHOT, "status": NEW, "anotherNewField": true });
    let path =
        format!("/api/atlas/v2/groups/{GROUP}/flexClusters/flex0/backup/snapshots/{SNAPSHOT}");
    let snapshot: FlexBackupSnapshot = through_the_client(&path, &snapshot, async |client| {
        client
            .get_flex_backup_snapshot()
            .group_id(GROUP)
            .cluster_name("flex0")
            .snapshot_id(SNAPSHOT)
            .send()
            .await
            .map(|r| r.into_inner())
    })
    .await;
    assert_eq!(unrecognized(&snapshot.status), NEW);
}

#[test]
fn known_values_stay_typed_and_round_trip() {
    for (wire, status) in [
        ("completed", CloudBackupSnapshotStatus::Completed),
        ("inProgress", CloudBackupSnapshotStatus::InProgress),
        // Values are case-sensitive: shared-tier snapshots say COMPLETED.
        (
            "COMPLETED",
            CloudBackupSnapshotStatus::Unrecognized("COMPLETED".into()),
        ),
        ("", CloudBackupSnapshotStatus::Unrecognized(String::new())),
    ] {
        let decoded: CloudBackupSnapshotStatus = serde_json::from_value(json!(wire)).unwrap();
        assert_eq!(decoded, status);
        assert_eq!(decoded.as_str(), wire);
        assert_eq!(decoded.to_string(), wire);
        assert_eq!(serde_json::to_value(&decoded).unwrap(), json!(wire));
        assert_eq!(wire.parse::<CloudBackupSnapshotStatus>(), Ok(status));
    }
}

/// A page of export buckets with a provider this version does not know:
/// the page decodes, the new bucket is kept whole and written back
/// unchanged, and the known ones keep their kinds.
#[tokio::test]
async fn an_unknown_kind_in_a_page_is_kept_whole() {
    use atlas_backup_snapshots::types::{
        DiskBackupSnapshotExportBucketResponse, PaginatedDiskBackupSnapshotExportBuckets,
    };
    let future = json!({
        "_id": "668c5f0ed436263134491593",
        "bucketName": "far-bucket",
        "cloudProvider": NEW,
        "fieldFromTheFuture": { "nested": [1, 2] },
    });
    let body = json!({
        "results": [
            { "_id": "668c5f0ed436263134491592", "bucketName": "export-bucket", "cloudProvider": "AWS", "iamRoleId": "668c5f0ed436263134491594" },
            future,
            { "_id": "668c5f0ed436263134491595", "bucketName": "no-provider" },
        ],
    });
    let path = format!("/api/atlas/v2/groups/{GROUP}/backup/exportBuckets");
    let page: PaginatedDiskBackupSnapshotExportBuckets =
        through_the_client(&path, &body, async |client| {
            client
                .list_export_buckets()
                .group_id(GROUP)
                .send()
                .await
                .map(|r| r.into_inner())
        })
        .await;
    let [
        DiskBackupSnapshotExportBucketResponse::Aws(aws),
        DiskBackupSnapshotExportBucketResponse::Unrecognized(new),
        DiskBackupSnapshotExportBucketResponse::Unrecognized(untagged),
    ] = page.results.as_slice()
    else {
        panic!("{:?}", page.results);
    };
    assert_eq!(aws.bucket_name.as_str(), "export-bucket");
    assert_eq!(new.get("cloudProvider"), Some(&json!(NEW)));
    assert_eq!(serde_json::to_value(&page.results[1]).unwrap(), future);
    assert_eq!(untagged.get("bucketName"), Some(&json!("no-provider")));
}

/// An object of a known kind that breaks its schema is an error naming
/// its kind, not an unknown kind.
#[test]
fn a_known_kind_that_does_not_decode_is_an_error() {
    use atlas_backup_snapshots::types::DiskBackupCopyPolicyItem;
    let error = serde_json::from_value::<DiskBackupCopyPolicyItem>(
        json!({ "frequencyType": "daily", "retentionValue": 7 }),
    )
    .unwrap_err();
    assert_eq!(
        error.to_string(),
        "frequencyType `daily`: missing field `retentionUnit`"
    );
    let kept: DiskBackupCopyPolicyItem =
        serde_json::from_value(json!({ "frequencyType": "fortnightly", "every": 2 })).unwrap();
    assert_eq!(
        serde_json::to_value(&kept).unwrap(),
        json!({ "frequencyType": "fortnightly", "every": 2 })
    );
}
