//! A typed client for the backup-snapshot operations of the MongoDB Atlas
//! Administration API.
//!
//! [`Client`] has one method per operation; each returns a builder whose
//! setters take anything convertible into the parameter's type, so an
//! invalid group id or cluster name makes `send` fail with
//! [`Error::InvalidRequest`] before a request leaves the process. Success
//! bodies are the structs of [`types`]; the error statuses the spec lists
//! come back as [`Error::ErrorResponse`] holding a [`types::ApiError`].
//!
//! ```no_run
//! # async fn demo() -> Result<(), atlas_backup_snapshots::Error<atlas_backup_snapshots::types::ApiError>> {
//! #![allow(deprecated)]
//! use atlas_backup_snapshots::Client;
//!
//! let client = Client::new("https://cloud.mongodb.com");
//! let page = client
//!     .list_serverless_snapshots_v1()
//!     .group_id("32b6e34b3d91647abb20e7b8")
//!     .cluster_name("serverless0")
//!     .items_per_page(100)
//!     .send()
//!     .await?;
//! for snapshot in &page.results {
//!     println!("{:?} {:?}", snapshot.id, snapshot.status);
//! }
//! # Ok(())
//! # }
//! ```
//!
//! Everything but this file is generated from `spec/atlas-backup-snapshots.yaml`
//! by `cargo xtask regen`.

// The generated code is formatted by prettyplease and linted upstream.
#[rustfmt::skip]
#[allow(clippy::all)]
mod generated;

pub use generated::*;

// Compiles the README's examples as doctests, so they cannot go stale.
#[cfg(doctest)]
#[doc = include_str!("../../README.md")]
struct ReadmeExamples;
