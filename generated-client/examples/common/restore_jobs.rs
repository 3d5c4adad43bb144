//! Waiting for a restore job of a dedicated cluster, for the restore
//! examples.

use atlas_backup_snapshots::Client;
use atlas_backup_snapshots::types::{
    ClusterName, DiskBackupSnapshotRestoreJob, GroupId, RestoreJobId,
};

use super::common::Polling;

/// Reads the job `id` of `cluster` every `polling.every` until it has
/// finished (returned), has failed, was cancelled or expired (an error),
/// or `polling.at_most` has passed (an error naming the job, which goes
/// on in Atlas).
pub async fn wait_until_finished(
    client: &Client,
    (group_id, cluster): (&GroupId, &ClusterName),
    id: &RestoreJobId,
    polling: &Polling,
) -> Result<DiskBackupSnapshotRestoreJob, Box<dyn std::error::Error>> {
    let wait = async {
        loop {
            tokio::time::sleep(polling.every).await;
            let job = client
                .get_backup_restore_job()
                .group_id(group_id.clone())
                .cluster_name(cluster.clone())
                .restore_job_id(id.clone())
                .send()
                .await?
                .into_inner();
            let ended = [
                (job.failed, "failed"),
                (job.cancelled, "was cancelled"),
                (job.expired, "expired"),
            ];
            if let Some((_, how)) = ended.iter().find(|(flag, _)| *flag == Some(true)) {
                return Err(format!("restore job {} {how}", **id).into());
            }
            if job.finished_at.is_some() {
                return Ok(job);
            }
        }
    };
    tokio::time::timeout(polling.at_most, wait)
        .await
        .map_err(|_| {
            format!(
                "restore job {} is still running after {:?}; it goes on in Atlas",
                **id, polling.at_most
            )
        })?
}
