//! The pager of `listServerlessSnapshotsV1` against local servers: one
//! request per page as the stream is read, the right last page with or
//! without `totalCount`, and page settings refused before any request.
//! The two Flex lists and the eight Cloud Backups lists page the same way.

// Atlas deprecates or sunsets every operation these pages describe.
#![allow(deprecated)]

use atlas_backup_snapshots::types::ServerlessBackupSnapshot;
use atlas_backup_snapshots::{Client, Error, ErrorKind};
use futures_util::{StreamExt, TryStreamExt};
use httpmock::prelude::*;
use serde_json::json;
use tests::local_client;

const GROUP: &str = "32b6e34b3d91647abb20e7b8";
const PATH: &str =
    "/api/atlas/v1.0/groups/32b6e34b3d91647abb20e7b8/serverless/serverless0/backup/snapshots";

/// Snapshot ids `first..first + count`, as a page body.
fn page_body(first: usize, count: usize, total_count: Option<usize>) -> String {
    let results: Vec<_> = (first..first + count)
        .map(|n| json!({ "id": format!("{n:024x}"), "status": "completed", "snapshotType": "scheduled" }))
        .collect();
    let mut body = json!({ "links": [], "results": results });
    if let Some(total) = total_count {
        body["totalCount"] = json!(total);
    }
    body.to_string()
}

/// Serves page `number` of `size` items holding `count` of them.
async fn page<'a>(
    server: &'a MockServer,
    number: usize,
    size: usize,
    count: usize,
    total_count: Option<usize>,
) -> httpmock::Mock<'a> {
    page_at(server, PATH, number, size, count, total_count).await
}

/// [`page`] of the list at `path`.
async fn page_at<'a>(
    server: &'a MockServer,
    path: &str,
    number: usize,
    size: usize,
    count: usize,
    total_count: Option<usize>,
) -> httpmock::Mock<'a> {
    let body = page_body((number - 1) * size, count, total_count);
    server
        .mock_async(|when, then| {
            when.method(GET)
                .path(path)
                .query_param("pageNum", number.to_string())
                .query_param("itemsPerPage", size.to_string());
            then.status(200)
                .header("content-type", "application/json")
                .body(body);
        })
        .await
}

fn list(client: &Client) -> atlas_backup_snapshots::builder::ListServerlessSnapshotsV1<'_> {
    client
        .list_serverless_snapshots_v1()
        .group_id(GROUP)
        .cluster_name("serverless0")
}

fn ids(snapshots: &[ServerlessBackupSnapshot]) -> Vec<String> {
    snapshots
        .iter()
        .map(|s| s.id.as_ref().unwrap().to_string())
        .collect()
}

fn expected_ids(range: std::ops::Range<usize>) -> Vec<String> {
    range.map(|n| format!("{n:024x}")).collect()
}

#[tokio::test]
async fn items_stream_across_pages_and_stop_at_the_short_one() {
    let server = MockServer::start_async().await;
    let pages = [
        page(&server, 1, 2, 2, Some(5)).await,
        page(&server, 2, 2, 2, Some(5)).await,
        page(&server, 3, 2, 1, Some(5)).await,
    ];
    let beyond = page(&server, 4, 2, 0, Some(5)).await;
    let client = local_client(&server.base_url());
    let all: Vec<_> = list(&client)
        .items_per_page(2)
        .stream()
        .try_collect()
        .await
        .unwrap();
    assert_eq!(ids(&all), expected_ids(0..5));
    for mock in &pages {
        mock.assert_calls_async(1).await;
    }
    beyond.assert_calls_async(0).await;
}

#[tokio::test]
async fn without_total_count_an_empty_page_ends_an_exact_multiple() {
    let server = MockServer::start_async().await;
    let pages = [
        page(&server, 1, 2, 2, None).await,
        page(&server, 2, 2, 2, None).await,
        page(&server, 3, 2, 0, None).await,
    ];
    let client = local_client(&server.base_url());
    let all: Vec<_> = list(&client)
        .items_per_page(2)
        .include_count(false)
        .stream()
        .try_collect()
        .await
        .unwrap();
    assert_eq!(ids(&all), expected_ids(0..4));
    for mock in &pages {
        mock.assert_calls_async(1).await;
    }
}

#[tokio::test]
async fn an_estimated_total_count_does_not_cut_the_stream_short() {
    let server = MockServer::start_async().await;
    // Atlas estimated 3; there are 5.
    page(&server, 1, 2, 2, Some(3)).await;
    page(&server, 2, 2, 2, Some(3)).await;
    page(&server, 3, 2, 1, Some(3)).await;
    let client = local_client(&server.base_url());
    let all: Vec<_> = list(&client)
        .items_per_page(2)
        .stream()
        .try_collect()
        .await
        .unwrap();
    assert_eq!(all.len(), 5);
}

#[tokio::test]
async fn the_default_page_size_is_the_specs_and_paging_starts_where_asked() {
    let server = MockServer::start_async().await;
    let second = page(&server, 2, 100, 100, None).await;
    let third = page(&server, 3, 100, 7, None).await;
    let client = local_client(&server.base_url());
    let all: Vec<_> = list(&client)
        .page_num(2)
        .stream()
        .try_collect()
        .await
        .unwrap();
    assert_eq!(ids(&all), expected_ids(100..207));
    second.assert_calls_async(1).await;
    third.assert_calls_async(1).await;
}

#[tokio::test]
async fn pages_are_requested_only_as_the_stream_is_read() {
    let server = MockServer::start_async().await;
    let first = page(&server, 1, 2, 2, None).await;
    let second = page(&server, 2, 2, 2, None).await;
    let client = local_client(&server.base_url());
    let mut pages = std::pin::pin!(list(&client).items_per_page(2).pages());
    second.assert_calls_async(0).await;
    let one = pages.try_next().await.unwrap().unwrap();
    assert_eq!(one.results.len(), 2);
    first.assert_calls_async(1).await;
    second.assert_calls_async(0).await;
}

#[tokio::test]
async fn an_error_mid_stream_ends_it_after_the_items_before() {
    let server = MockServer::start_async().await;
    page(&server, 1, 2, 2, None).await;
    server
        .mock_async(|when, then| {
            when.method(GET).path(PATH).query_param("pageNum", "2");
            then.status(404)
                .header("content-type", "application/json")
                .body(r#"{"error":404,"errorCode":"CLUSTER_NOT_FOUND"}"#);
        })
        .await;
    let client = local_client(&server.base_url());
    let results: Vec<Result<_, Error>> = list(&client).items_per_page(2).stream().collect().await;
    assert_eq!(results.len(), 3);
    assert!(results[..2].iter().all(Result::is_ok));
    assert_eq!(
        results[2].as_ref().unwrap_err().error_code(),
        Some("CLUSTER_NOT_FOUND")
    );
}

/// The message of a stream that must fail before sending anything.
async fn refused(
    settings: impl FnOnce(
        atlas_backup_snapshots::builder::ListServerlessSnapshotsV1<'_>,
    ) -> atlas_backup_snapshots::builder::ListServerlessSnapshotsV1<'_>,
) -> String {
    let server = MockServer::start_async().await;
    let any = server
        .mock_async(|_, then| {
            then.status(200).body(page_body(0, 1, None));
        })
        .await;
    let client = local_client(&server.base_url());
    let results: Vec<_> = settings(list(&client)).stream().collect().await;
    any.assert_calls_async(0).await;
    match <[_; 1]>::try_from(results) {
        Ok([Err(e)]) => match e.into_kind() {
            ErrorKind::InvalidRequest(message) => message,
            other => panic!("expected a refusal, got {other:?}"),
        },
        other => panic!("expected exactly one error, got {other:?}"),
    }
}

#[tokio::test]
async fn page_settings_out_of_range_are_refused_before_any_request() {
    let message = refused(|list| list.items_per_page(501)).await;
    assert_eq!(message, "items_per_page must be from 1 to 500, not 501");
    let message = refused(|list| list.items_per_page(0)).await;
    assert_eq!(message, "items_per_page must be from 1 to 500, not 0");
    let message = refused(|list| list.page_num(0)).await;
    assert_eq!(message, "page_num must not be 0");

    // `send` refuses the same page size.
    let server = MockServer::start_async().await;
    let any = server
        .mock_async(|_, then| {
            then.status(200);
        })
        .await;
    let client = local_client(&server.base_url());
    let error = list(&client).items_per_page(501).send().await.unwrap_err();
    assert!(
        matches!(error.kind(), ErrorKind::InvalidRequest(_)),
        "{error:?}"
    );
    assert_eq!(error.attempts(), 0);
    any.assert_calls_async(0).await;
}

#[tokio::test]
async fn both_flex_lists_stream_every_item_a_page_at_a_time() {
    let flex = "/api/atlas/v2/groups/32b6e34b3d91647abb20e7b8/flexClusters/flex0/backup";
    let server = MockServer::start_async().await;
    let snapshots = format!("{flex}/snapshots");
    let snapshot_pages = [
        page_at(&server, &snapshots, 1, 2, 2, None).await,
        page_at(&server, &snapshots, 2, 2, 1, None).await,
    ];
    let jobs = format!("{flex}/restoreJobs");
    let job_pages = [
        page_at(&server, &jobs, 1, 2, 2, None).await,
        page_at(&server, &jobs, 2, 2, 0, None).await,
    ];
    let client = local_client(&server.base_url());
    let snapshot_ids: Vec<String> = client
        .list_flex_backup_snapshots()
        .group_id(GROUP)
        .cluster_name("flex0")
        .items_per_page(2)
        .stream()
        .map_ok(|s| s.id.unwrap().to_string())
        .try_collect()
        .await
        .unwrap();
    assert_eq!(snapshot_ids, [0, 1, 2].map(|n| format!("{n:024x}")));
    let job_ids: Vec<String> = client
        .list_flex_restore_jobs()
        .group_id(GROUP)
        .cluster_name("flex0")
        .items_per_page(2)
        .stream()
        .map_ok(|j| j.id.unwrap().to_string())
        .try_collect()
        .await
        .unwrap();
    assert_eq!(job_ids, [0, 1].map(|n| format!("{n:024x}")));
    for mock in snapshot_pages.iter().chain(&job_pages) {
        mock.assert_calls_async(1).await;
    }
}

/// Serves a list of `count` objects at `path` in pages of two, each object
/// with what every Cloud Backups item requires, and checks that each page
/// is asked for once.
async fn two_pages_at<'a>(
    server: &'a MockServer,
    path: &str,
    count: usize,
) -> Vec<httpmock::Mock<'a>> {
    let mut mocks = Vec::new();
    for (number, first) in [(1, 0), (2, 2)] {
        let results: Vec<_> = (first..count.min(first + 2))
            .map(|n| {
                json!({
                    "id": format!("{n:024x}"),
                    "name": format!("item{n}"),
                    "deliveryType": "download",
                    "exportBucketId": "668c5f0ed436263134491592",
                })
            })
            .collect();
        let body = json!({ "results": results }).to_string();
        let mock = server
            .mock_async(|when, then| {
                when.method(GET)
                    .path(path)
                    .query_param("pageNum", number.to_string())
                    .query_param("itemsPerPage", "2");
                then.status(200)
                    .header("content-type", "application/json")
                    .body(body);
            })
            .await;
        mocks.push(mock);
    }
    mocks
}

#[tokio::test]
async fn every_cloud_backups_list_streams_across_pages() {
    const GROUP_PATH: &str = "/api/atlas/v2/groups/32b6e34b3d91647abb20e7b8";
    let cluster = format!("{GROUP_PATH}/clusters/Cluster0");
    let snapshot = format!("{cluster}/backup/snapshots/5cc310ace5dc7ce369814bc8");
    let job = format!("{cluster}/collectionRestoreJobs/6c5e8a2f9b1d4e3a7f0c1b2d");
    let server = MockServer::start_async().await;
    let lists = [
        format!("{GROUP_PATH}/backup/exportBuckets"),
        format!("{cluster}/backup/exports"),
        format!("{cluster}/backup/restoreJobs"),
        format!("{cluster}/backup/snapshots"),
        format!("{snapshot}/databases"),
        format!("{snapshot}/databases/sales/collections"),
        format!("{cluster}/collectionRestoreJobs"),
        format!("{job}/collections"),
    ];
    let mut mocks = Vec::new();
    for path in &lists {
        mocks.extend(two_pages_at(&server, path, 3).await);
    }
    let client = local_client(&server.base_url());
    async fn count<T>(stream: impl futures_util::Stream<Item = Result<T, Error>>) -> usize {
        stream
            .map_ok(|_| 1)
            .try_fold(0, |n, one| async move { Ok(n + one) })
            .await
            .unwrap()
    }
    let (group, cluster_name) = (GROUP, "Cluster0");
    let snapshot_id = "5cc310ace5dc7ce369814bc8";
    let counts = [
        count(
            client
                .list_export_buckets()
                .group_id(group)
                .items_per_page(2)
                .stream(),
        )
        .await,
        count(
            client
                .list_backup_export_jobs()
                .group_id(group)
                .cluster_name(cluster_name)
                .items_per_page(2)
                .stream(),
        )
        .await,
        count(
            client
                .list_backup_restore_jobs()
                .group_id(group)
                .cluster_name(cluster_name)
                .items_per_page(2)
                .stream(),
        )
        .await,
        count(
            client
                .list_backup_snapshots()
                .group_id(group)
                .cluster_name(cluster_name)
                .items_per_page(2)
                .stream(),
        )
        .await,
        count(
            client
                .list_backup_snapshot_databases()
                .group_id(group)
                .cluster_name(cluster_name)
                .snapshot_id(snapshot_id)
                .items_per_page(2)
                .stream(),
        )
        .await,
        count(
            client
                .list_backup_snapshot_collections()
                .group_id(group)
                .cluster_name(cluster_name)
                .snapshot_id(snapshot_id)
                .database_name("sales")
                .items_per_page(2)
                .stream(),
        )
        .await,
        count(
            client
                .list_collection_restore_jobs()
                .group_id(group)
                .cluster_name(cluster_name)
                .items_per_page(2)
                .stream(),
        )
        .await,
        count(
            client
                .list_collection_restore_job_collections()
                .group_id(group)
                .cluster_name(cluster_name)
                .job_id("6c5e8a2f9b1d4e3a7f0c1b2d")
                .items_per_page(2)
                .stream(),
        )
        .await,
    ];
    assert_eq!(counts, [3; 8]);
    for mock in &mocks {
        mock.assert_calls_async(1).await;
    }
}
