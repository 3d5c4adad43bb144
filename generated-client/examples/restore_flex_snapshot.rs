//! Restores one snapshot of a flex cluster and waits, for a bounded time,
//! until the restore job reaches a final status.
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
//!   project, the flex cluster and its snapshot;
//! - `ATLAS_TARGET_CLUSTER`: the cluster to restore into (overwritten).
//!
//! ```sh
//! cargo run -p atlas-backup-snapshots --example restore_flex_snapshot
//! ```

use std::env;
use std::process::ExitCode;
use std::time::Duration;

use atlas_backup_snapshots::Client;
use atlas_backup_snapshots::types::FlexBackupRestoreJob;

/// What to restore, and where.
pub struct Restore {
    pub group_id: String,
    pub cluster: String,
    pub snapshot_id: String,
    pub target_cluster: String,
}

/// How long to wait for the job at most, and the delay between two
/// reads when not the spec's (tests shorten it).
pub struct Polling {
    pub at_most: Duration,
    pub min_delay: Option<Duration>,
}

#[tokio::main(flavor = "current_thread")]
async fn main() -> ExitCode {
    match run().await {
        Ok(job) => {
            let id = job.id.as_deref().map_or("?", String::as_str);
            println!("restore job {id} completed");
            ExitCode::SUCCESS
        }
        Err(e) => {
            eprintln!("error: {e}");
            ExitCode::FAILURE
        }
    }
}

async fn run() -> Result<FlexBackupRestoreJob, Box<dyn std::error::Error>> {
    let client = Client::builder().environment()?.build()?;
    let restore = Restore {
        group_id: required("ATLAS_GROUP_ID")?,
        cluster: required("ATLAS_CLUSTER")?,
        snapshot_id: required("ATLAS_SNAPSHOT_ID")?,
        target_cluster: required("ATLAS_TARGET_CLUSTER")?,
    };
    let polling = Polling {
        at_most: Duration::from_secs(30 * 60),
        min_delay: None,
    };
    restore_and_wait(&client, &restore, &polling).await
}

/// Creates the restore job, then waits until it is `COMPLETED` (returned)
/// or `FAILED` (an error), or `polling.at_most` has passed (an error
/// naming the job, which goes on in Atlas).
///
/// Creating the job is a write: the client retries it only where Atlas
/// certainly did not act (429, 503 with `Retry-After`, no connection), so
/// a failure here never hides a second restore. After an unclear failure
/// (a 502, a timeout), look at `list_flex_restore_jobs` before trying
/// again. Reading the job is retried as any read, and the wait goes on
/// after a read that failed in a way a retry may mend.
pub async fn restore_and_wait(
    client: &Client,
    restore: &Restore,
    polling: &Polling,
) -> Result<FlexBackupRestoreJob, Box<dyn std::error::Error>> {
    let job = client
        .create_flex_restore_job()
        .group_id(restore.group_id.as_str())
        .cluster_name(restore.cluster.as_str())
        .body_map(|body| {
            body.snapshot_id(restore.snapshot_id.as_str())
                .target_deployment_item_name(restore.target_cluster.as_str())
        })
        .send()
        .await?
        .into_inner();
    let id = job.id.ok_or("Atlas created a restore job without an id")?;

    // Reads the job at once, then after growing delays, until it is
    // `COMPLETED` (returned) or `FAILED` (an error carrying the job), or
    // the bound passes; a 429 or a 503 between reads does not end the wait.
    let waiter = client
        .wait_until_flex_restore_job_completed()
        .group_id(restore.group_id.as_str())
        .cluster_name(restore.cluster.as_str())
        .restore_job_id(id);
    let waiter = match polling.min_delay {
        Some(delay) => waiter.min_delay(delay).max_delay(delay),
        None => waiter,
    };
    Ok(waiter.wait(polling.at_most).await?)
}

fn required(name: &str) -> Result<String, String> {
    env::var(name)
        .map_err(|_| format!("set {name} (see the top of examples/restore_flex_snapshot.rs)"))
}
