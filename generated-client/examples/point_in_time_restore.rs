//! Restores a dedicated cluster as it was at a moment (point-in-time
//! delivery, which needs Continuous Cloud Backup) into a cluster, and
//! waits, for a bounded time, until the restore job has finished.
//!
//! Reads its settings from the environment:
//!
//! - `MONGODB_ATLAS_PUBLIC_API_KEY` and `MONGODB_ATLAS_PRIVATE_API_KEY`
//!   for an API key, or `MONGODB_ATLAS_CLIENT_ID` and
//!   `MONGODB_ATLAS_CLIENT_SECRET` for a service account, as Atlas's CLI
//!   reads them;
//! - `MONGODB_ATLAS_OPS_MANAGER_URL` (optional, default
//!   `https://cloud.mongodb.com`);
//! - `ATLAS_GROUP_ID` and `ATLAS_CLUSTER`: the project and the cluster;
//! - `ATLAS_RESTORE_TO`: the moment, as an RFC 3339 date and time
//!   (`2026-11-30T01:59:00Z`), within the cluster's restore window;
//! - `ATLAS_TARGET_GROUP_ID` and `ATLAS_TARGET_CLUSTER`: the cluster to
//!   restore into, whose data the restore replaces.
//!
//! ```sh
//! cargo run -p atlas-backup-snapshots --example point_in_time_restore
//! ```

use std::process::ExitCode;

use atlas_backup_snapshots::Client;
use atlas_backup_snapshots::types::{
    ClusterName, DiskBackupRestoreDeliveryType, DiskBackupSnapshotRestoreJob, GroupId,
};
use chrono::{DateTime, Utc};

#[path = "common/mod.rs"]
mod common;
#[path = "common/restore_jobs.rs"]
mod restore_jobs;
pub use common::Polling;

/// The moment to restore, and where.
pub struct PointInTime {
    pub group_id: GroupId,
    pub cluster: ClusterName,
    pub moment: DateTime<Utc>,
    pub target_group_id: GroupId,
    pub target_cluster: ClusterName,
}

#[tokio::main(flavor = "current_thread")]
async fn main() -> ExitCode {
    common::exit(run().await, |job| {
        let id = job.id.as_deref().map_or("?", String::as_str);
        format!("point-in-time restore job {id} finished")
    })
}

async fn run() -> Result<DiskBackupSnapshotRestoreJob, Box<dyn std::error::Error>> {
    let settings = common::Settings {
        file: "examples/point_in_time_restore.rs",
    };
    let restore = PointInTime {
        group_id: settings.required("ATLAS_GROUP_ID")?,
        cluster: settings.required("ATLAS_CLUSTER")?,
        moment: settings.required("ATLAS_RESTORE_TO")?,
        target_group_id: settings.required("ATLAS_TARGET_GROUP_ID")?,
        target_cluster: settings.required("ATLAS_TARGET_CLUSTER")?,
    };
    restore_and_wait(&settings.client()?, &restore, &Polling::minutes(120)).await
}

/// Creates the point-in-time restore job, then waits until it has
/// finished (returned), has failed, was cancelled or expired (an error),
/// or `polling.at_most` has passed (an error naming the job, which goes
/// on in Atlas).
pub async fn restore_and_wait(
    client: &Client,
    restore: &PointInTime,
    polling: &Polling,
) -> Result<DiskBackupSnapshotRestoreJob, Box<dyn std::error::Error>> {
    // Atlas counts the moment in whole seconds since the epoch, as an int32.
    let seconds = i32::try_from(restore.moment.timestamp())
        .map_err(|_| format!("{} is out of Atlas's range of moments", restore.moment))?;
    let job = client
        .create_backup_restore_job()
        .group_id(restore.group_id.clone())
        .cluster_name(restore.cluster.clone())
        .body_map(|body| {
            body.delivery_type(DiskBackupRestoreDeliveryType::PointInTime)
                .point_in_time_utc_seconds(Some(seconds))
                .target_group_id(Some(restore.target_group_id.clone()))
                .target_cluster_name(Some(restore.target_cluster.clone()))
        })
        .send()
        .await?
        .into_inner();
    let id = job.id.ok_or("Atlas created a restore job without an id")?;
    let cluster = (&restore.group_id, &restore.cluster);
    restore_jobs::wait_until_finished(client, cluster, &id, polling).await
}
