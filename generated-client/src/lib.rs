//! A typed client for the backup-snapshot operations of the MongoDB Atlas
//! Administration API: the snapshots, restore and export jobs, export
//! buckets and backup schedules of dedicated clusters (Cloud Backups), the
//! snapshots and restore jobs of flex clusters, and the older snapshot
//! operations that Atlas has sunset or deprecated.
//!
//! With an API key (HTTP Digest):
//!
//! ```no_run
//! # async fn demo() -> Result<(), Box<dyn std::error::Error>> {
//! use atlas_backup_snapshots::{Client, Credentials};
//!
//! let client = Client::builder()
//!     .credentials(Credentials::api_key("abcdefgh", "private-key-uuid"))
//!     .build()?;
//! let snapshot = client
//!     .get_flex_backup_snapshot()
//!     .group_id("32b6e34b3d91647abb20e7b8")
//!     .cluster_name("flex0")
//!     .snapshot_id("32b6e34b3d91647abb20e7b8")
//!     .send()
//!     .await?;
//! println!("{:?}", snapshot.status);
//! # Ok(())
//! # }
//! ```
//!
//! With a service account (OAuth 2.0 client credentials; the client asks
//! for a token and renews it before it expires):
//!
//! ```no_run
//! # async fn demo() -> Result<(), Box<dyn std::error::Error>> {
//! use atlas_backup_snapshots::{Client, Credentials};
//!
//! let client = Client::builder()
//!     .credentials(Credentials::service_account("mdb_sa_id_1234", "mdb_sa_sk_5678"))
//!     .build()?;
//! let jobs = client
//!     .list_flex_restore_jobs()
//!     .group_id("32b6e34b3d91647abb20e7b8")
//!     .cluster_name("flex0")
//!     .send()
//!     .await?;
//! println!("{} restore jobs", jobs.results.len());
//! # Ok(())
//! # }
//! ```
//!
//! Waiting until a snapshot is taken, for at most an hour:
//!
//! ```no_run
//! # async fn demo(client: atlas_backup_snapshots::Client) -> Result<(), Box<dyn std::error::Error>> {
//! use std::time::Duration;
//!
//! let snapshot = client
//!     .wait_until_flex_snapshot_completed()
//!     .group_id("32b6e34b3d91647abb20e7b8")
//!     .cluster_name("flex0")
//!     .snapshot_id("32b6e34b3d91647abb20e7b8")
//!     .wait(Duration::from_secs(3600))
//!     .await?;
//! println!("{:?}", snapshot.finish_time);
//! # Ok(())
//! # }
//! ```
//!
//! Build a [`Client`] with [`Client::builder`]: it authenticates with an
//! API key, a service account or a bearer token ([`Credentials`]), retries
//! what is safe to retry ([`RetryPolicy`]), and traces every request with
//! [`tracing`](https://docs.rs/tracing).
//!
//! [`Client`] has one method per operation; each returns a builder whose
//! setters take anything convertible into the parameter's type, so an
//! invalid group id or cluster name makes `send` fail with
//! [`ErrorKind::InvalidRequest`] before a request leaves the process.
//! Success bodies are the structs of [`types`]; every failure is an
//! [`Error`]. Paged operations also offer `stream()` and `pages()`
//! ([`paging`]). Writes (creating a restore job, requesting a download)
//! are retried only where Atlas certainly did not act ([`RetryPolicy`]).
//! Each waiter (`wait_until_…`) reads a resource until it reaches its
//! final state, and fails with a [`WaitError`] in a failure state or at
//! its bound.
//!
//! Forward compatibility: unknown fields are ignored, every enum keeps a
//! value it does not know in its `Unrecognized` variant (the enums of
//! discriminated objects, such as [`types::DiskBackupSnapshot`], keep the
//! whole object), and strings that Atlas sends are decoded as sent even
//! where the spec gives a pattern.
//!
//! `generated.rs` is generated from `spec/atlas-backup-snapshots.yaml` by
//! `cargo xtask regen`; the other modules are the hand-written runtime.

#![warn(missing_docs)]
// docs.rs (`--cfg docsrs`, nightly) marks what a feature adds; `doc_cfg`
// does it unasked since `doc_auto_cfg` was merged into it (Rust 1.92).
#![cfg_attr(docsrs, feature(doc_cfg))]

// The generated code is formatted by prettyplease and linted upstream; its
// documentation is what the spec gives.
#[rustfmt::skip]
#[allow(clippy::all, missing_docs)]
mod generated;

mod auth;
mod base_url;
mod body;
mod call;
mod classify;
#[cfg(feature = "cli")]
pub mod cli;
mod config;
mod credentials;
mod environment;
mod error;
#[cfg(feature = "mock")]
pub mod mock;
pub mod paging;
mod rate_limit;
mod retry;
mod runtime;
mod tagged;
mod tls;
mod wait;

pub use config::{ATLAS_BASE_URL, ClientBuilder};
pub use credentials::Credentials;
pub use error::{AuthError, BuildError, EnvError, Error, ErrorKind};
pub use generated::*;
pub use rate_limit::{RateLimit, RateLimitHeaders};
pub use retry::RetryPolicy;
pub use wait::{Progress, WaitError};

// Compiles the README's examples as doctests, so they cannot go stale.
#[cfg(doctest)]
#[doc = include_str!("../../README.md")]
struct ReadmeExamples;

// And those of the crate's own README, which crates.io shows.
#[cfg(doctest)]
#[doc = include_str!("../README.md")]
struct CrateReadmeExamples;

/// What callers cannot write, so that what Atlas adds (a property, an enum
/// value, a kind of a discriminated object) is a minor release: each
/// `compile_fail` example is the one after it with the one difference
/// that `#[non_exhaustive]` refuses.
///
/// A struct literal of a generated type:
///
/// ```compile_fail
/// use atlas_backup_snapshots::types::FlexBackupSnapshotDownloadCreate;
///
/// let _ = FlexBackupSnapshotDownloadCreate {
///     snapshot_id: "5cc310ace5dc7ce369814bc8".parse().unwrap(),
/// };
/// ```
///
/// ```
/// use atlas_backup_snapshots::types::FlexBackupSnapshotDownloadCreate;
///
/// let _: FlexBackupSnapshotDownloadCreate = FlexBackupSnapshotDownloadCreate::builder()
///     .snapshot_id("5cc310ace5dc7ce369814bc8")
///     .try_into()
///     .unwrap();
/// ```
///
/// A `match` without a wildcard arm on an enum with an `Unrecognized`
/// fallback:
///
/// ```compile_fail
/// use atlas_backup_snapshots::types::FlexBackupStatus;
///
/// fn finished(status: &FlexBackupStatus) -> bool {
///     match status {
///         FlexBackupStatus::Completed | FlexBackupStatus::Failed => true,
///         FlexBackupStatus::Pending | FlexBackupStatus::Queued | FlexBackupStatus::Running => false,
///         FlexBackupStatus::Unrecognized(_) => false,
///     }
/// }
/// ```
///
/// ```
/// use atlas_backup_snapshots::types::FlexBackupStatus;
///
/// fn finished(status: &FlexBackupStatus) -> bool {
///     match status {
///         FlexBackupStatus::Completed | FlexBackupStatus::Failed => true,
///         FlexBackupStatus::Pending | FlexBackupStatus::Queued | FlexBackupStatus::Running => false,
///         FlexBackupStatus::Unrecognized(_) => false,
///         _ => false,
///     }
/// }
/// ```
///
/// and on the enum of a discriminated schema:
///
/// ```compile_fail
/// use atlas_backup_snapshots::types::DiskBackupSnapshotExportBucketRequest as Bucket;
///
/// fn provider(bucket: &Bucket) -> &str {
///     match bucket {
///         Bucket::Aws(_) => "AWS",
///         Bucket::Azure(_) => "AZURE",
///         Bucket::Gcp(_) => "GCP",
///         Bucket::Unrecognized(_) => "?",
///     }
/// }
/// ```
///
/// ```
/// use atlas_backup_snapshots::types::DiskBackupSnapshotExportBucketRequest as Bucket;
///
/// fn provider(bucket: &Bucket) -> &str {
///     match bucket {
///         Bucket::Aws(_) => "AWS",
///         Bucket::Azure(_) => "AZURE",
///         Bucket::Gcp(_) => "GCP",
///         Bucket::Unrecognized(_) => "?",
///         _ => "?",
///     }
/// }
/// ```
#[cfg(doctest)]
struct NonExhaustiveTypes;
