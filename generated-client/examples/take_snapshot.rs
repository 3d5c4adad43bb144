//! Takes an on-demand snapshot of a replica set and waits, for a bounded
//! time, until it is `completed`.
//!
//! Reads its settings from the environment:
//!
//! - `MONGODB_ATLAS_PUBLIC_API_KEY` and `MONGODB_ATLAS_PRIVATE_API_KEY`
//!   for an API key, or `MONGODB_ATLAS_CLIENT_ID` and
//!   `MONGODB_ATLAS_CLIENT_SECRET` for a service account, as Atlas's CLI
//!   reads them;
//! - `MONGODB_ATLAS_OPS_MANAGER_URL` (optional, default
//!   `https://cloud.mongodb.com`);
//! - `ATLAS_GROUP_ID` and `ATLAS_CLUSTER`: the project and its replica
//!   set (a dedicated cluster).
//!
//! ```sh
//! cargo run -p atlas-backup-snapshots --example take_snapshot
//! ```

use std::num::NonZeroU32;
use std::process::ExitCode;

use atlas_backup_snapshots::Client;
use atlas_backup_snapshots::types::{
    ClusterName, DiskBackupReplicaSet, DiskBackupSnapshot, GroupId,
};

#[path = "common/mod.rs"]
mod common;
pub use common::Polling;

/// The snapshot to take.
pub struct Snapshot {
    pub group_id: GroupId,
    pub cluster: ClusterName,
    pub description: String,
    pub retention_days: NonZeroU32,
}

#[tokio::main(flavor = "current_thread")]
async fn main() -> ExitCode {
    common::exit(run().await, |snapshot| {
        let id = snapshot.id.as_deref().map_or("?", String::as_str);
        format!("snapshot {id} completed")
    })
}

async fn run() -> Result<DiskBackupReplicaSet, Box<dyn std::error::Error>> {
    let settings = common::Settings {
        file: "examples/take_snapshot.rs",
    };
    let snapshot = Snapshot {
        group_id: settings.required("ATLAS_GROUP_ID")?,
        cluster: settings.required("ATLAS_CLUSTER")?,
        description: "taken by the take_snapshot example".to_string(),
        retention_days: NonZeroU32::new(7).ok_or("a retention of 0 days")?,
    };
    take_and_wait(&settings.client()?, &snapshot, &Polling::minutes(60)).await
}

/// Takes the snapshot, then waits until it is `completed` (returned) or
/// `failed` (an error), or `polling.at_most` has passed (an error naming
/// the snapshot, which Atlas goes on taking).
///
/// Taking a snapshot is a write: the client retries it only where Atlas
/// certainly did not act, so a failure never hides a second snapshot.
/// Atlas takes one on-demand snapshot of a cluster at a time.
pub async fn take_and_wait(
    client: &Client,
    snapshot: &Snapshot,
    polling: &Polling,
) -> Result<DiskBackupReplicaSet, Box<dyn std::error::Error>> {
    let taken = client
        .take_backup_snapshot()
        .group_id(snapshot.group_id.clone())
        .cluster_name(snapshot.cluster.clone())
        .body_map(|body| {
            body.description(Some(snapshot.description.clone()))
                .retention_in_days(Some(snapshot.retention_days))
        })
        .send()
        .await?
        .into_inner();
    let id = match taken {
        DiskBackupSnapshot::ReplicaSet(replica_set) => replica_set.id,
        DiskBackupSnapshot::ShardedCluster(_) => {
            return Err(format!(
                "{} is a sharded cluster, not a replica set",
                *snapshot.cluster
            )
            .into());
        }
        // A kind Atlas adds later, known to a later version of the crate
        // or kept whole in `Unrecognized`.
        other => {
            return Err(format!("Atlas took a snapshot of an unknown kind: {other:?}").into());
        }
    }
    .ok_or("Atlas took a snapshot without an id")?;

    // Reads the snapshot at once, then after growing delays, until it is
    // `completed` (returned) or `failed` (an error carrying the snapshot),
    // or the bound passes; a 429 or a 503 between reads does not end the
    // wait.
    let waiter = client
        .wait_until_snapshot_completed()
        .group_id(snapshot.group_id.clone())
        .cluster_name(snapshot.cluster.clone())
        .snapshot_id(id);
    let waiter = match polling.min_delay {
        Some(delay) => waiter.min_delay(delay).max_delay(delay),
        None => waiter,
    };
    Ok(waiter.wait(polling.at_most).await?)
}
