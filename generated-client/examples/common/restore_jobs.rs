//! Waiting for a restore job of a dedicated cluster, for the restore
//! examples.

use atlas_backup_snapshots::Client;
use atlas_backup_snapshots::types::{
    ClusterName, DiskBackupSnapshotRestoreJob, GroupId, RestoreJobId,
};

use super::common::Polling;

/// Waits until the job `id` of `cluster` has finished (returned), has
/// failed, was cancelled or expired (an error carrying the job), or
/// `polling.at_most` has passed (an error naming the job, which goes on
/// in Atlas).
pub async fn wait_until_finished(
    client: &Client,
    (group_id, cluster): (&GroupId, &ClusterName),
    id: &RestoreJobId,
    polling: &Polling,
) -> Result<DiskBackupSnapshotRestoreJob, Box<dyn std::error::Error>> {
    let waiter = client
        .wait_until_restore_job_finished()
        .group_id(group_id.clone())
        .cluster_name(cluster.clone())
        .restore_job_id(id.clone());
    let waiter = match polling.min_delay {
        Some(delay) => waiter.min_delay(delay).max_delay(delay),
        None => waiter,
    };
    Ok(waiter.wait(polling.at_most).await?)
}
