//! Lists the snapshots of one flex cluster, one page at a time.
//!
//! Reads its settings from the environment:
//!
//! - `MONGODB_ATLAS_PUBLIC_API_KEY` and `MONGODB_ATLAS_PRIVATE_API_KEY`
//!   for an API key, or `MONGODB_ATLAS_CLIENT_ID` and
//!   `MONGODB_ATLAS_CLIENT_SECRET` for a service account, as Atlas's CLI
//!   reads them;
//! - `MONGODB_ATLAS_OPS_MANAGER_URL` (optional, default
//!   `https://cloud.mongodb.com`);
//! - `ATLAS_GROUP_ID` and `ATLAS_CLUSTER`, the project and the cluster.
//!
//! ```sh
//! cargo run -p atlas-backup-snapshots --example list_snapshots
//! ```

use std::env;
use std::process::ExitCode;

use atlas_backup_snapshots::Client;
use futures_util::TryStreamExt;

#[tokio::main(flavor = "current_thread")]
async fn main() -> ExitCode {
    match run().await {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("error: {e}");
            ExitCode::FAILURE
        }
    }
}

async fn run() -> Result<(), Box<dyn std::error::Error>> {
    let client = Client::builder().environment()?.build()?;
    let snapshots = client
        .list_flex_backup_snapshots()
        .group_id(required("ATLAS_GROUP_ID")?)
        .cluster_name(required("ATLAS_CLUSTER")?)
        .items_per_page(100)
        .stream();
    let mut snapshots = std::pin::pin!(snapshots);
    let mut count = 0;
    while let Some(snapshot) = snapshots.try_next().await? {
        count += 1;
        let id = snapshot.id.as_deref().map_or("?", String::as_str);
        let status = snapshot.status.as_ref().map_or("?", |s| s.as_str());
        println!("{id} {status}");
    }
    println!("{count} snapshots");
    Ok(())
}

fn required(name: &str) -> Result<String, String> {
    env::var(name).map_err(|_| format!("set {name} (see the top of examples/list_snapshots.rs)"))
}
