//! Restores one snapshot of a dedicated cluster into another cluster
//! (automated delivery) and waits, for a bounded time, until the restore
//! job has finished.
//!
//! Reads its settings from the environment:
//!
//! - `MONGODB_ATLAS_PUBLIC_API_KEY` and `MONGODB_ATLAS_PRIVATE_API_KEY`
//!   for an API key, or `MONGODB_ATLAS_CLIENT_ID` and
//!   `MONGODB_ATLAS_CLIENT_SECRET` for a service account, as Atlas's CLI
//!   reads them;
//! - `MONGODB_ATLAS_OPS_MANAGER_URL` (optional, default
//!   `https://cloud.mongodb.com`);
//! - `ATLAS_GROUP_ID`, `ATLAS_CLUSTER` and `ATLAS_SNAPSHOT_ID`: the
//!   project, the cluster and its snapshot;
//! - `ATLAS_TARGET_GROUP_ID` and `ATLAS_TARGET_CLUSTER`: the cluster to
//!   restore into, whose data the restore replaces.
//!
//! ```sh
//! cargo run -p atlas-backup-snapshots --example restore_snapshot
//! ```

use std::process::ExitCode;

use atlas_backup_snapshots::Client;
use atlas_backup_snapshots::types::{
    ClusterName, DiskBackupRestoreDeliveryType, DiskBackupSnapshotRestoreJob, GroupId, SnapshotId,
};

#[path = "common/mod.rs"]
mod common;
#[path = "common/restore_jobs.rs"]
mod restore_jobs;
pub use common::Polling;

/// What to restore, and where.
pub struct Restore {
    pub group_id: GroupId,
    pub cluster: ClusterName,
    pub snapshot_id: SnapshotId,
    pub target_group_id: GroupId,
    pub target_cluster: ClusterName,
}

#[tokio::main(flavor = "current_thread")]
async fn main() -> ExitCode {
    common::exit(run().await, |job| {
        let id = job.id.as_deref().map_or("?", String::as_str);
        format!("restore job {id} finished")
    })
}

async fn run() -> Result<DiskBackupSnapshotRestoreJob, Box<dyn std::error::Error>> {
    let settings = common::Settings {
        file: "examples/restore_snapshot.rs",
    };
    let restore = Restore {
        group_id: settings.required("ATLAS_GROUP_ID")?,
        cluster: settings.required("ATLAS_CLUSTER")?,
        snapshot_id: settings.required("ATLAS_SNAPSHOT_ID")?,
        target_group_id: settings.required("ATLAS_TARGET_GROUP_ID")?,
        target_cluster: settings.required("ATLAS_TARGET_CLUSTER")?,
    };
    restore_and_wait(&settings.client()?, &restore, &Polling::minutes(60)).await
}

/// Creates the restore job, then waits until it has finished (returned),
/// has failed, was cancelled or expired (an error), or `polling.at_most`
/// has passed (an error naming the job, which goes on in Atlas).
///
/// Creating the job is a write: the client retries it only where Atlas
/// certainly did not act, so a failure here never hides a second restore.
/// After an unclear failure (a 502, a timeout), look at
/// `list_backup_restore_jobs` before trying again.
pub async fn restore_and_wait(
    client: &Client,
    restore: &Restore,
    polling: &Polling,
) -> Result<DiskBackupSnapshotRestoreJob, Box<dyn std::error::Error>> {
    let job = client
        .create_backup_restore_job()
        .group_id(restore.group_id.clone())
        .cluster_name(restore.cluster.clone())
        .body_map(|body| {
            body.delivery_type(DiskBackupRestoreDeliveryType::Automated)
                .snapshot_id(Some(restore.snapshot_id.clone()))
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
