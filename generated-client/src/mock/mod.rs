//! Typed mocks of every operation, for testing code that uses the client
//! (feature `mock`): one method per operation on an
//! [`httpmock`](https://docs.rs/httpmock) [`MockServer`], whose `when`
//! takes the operation's parameters and whose `then` takes its typed
//! answers.
//!
//! ```
//! use atlas_backup_snapshots::mock::{MockServer, MockServerExt};
//! use atlas_backup_snapshots::types::FlexBackupSnapshot;
//!
//! let server = MockServer::start();
//! let snapshot = FlexBackupSnapshot::builder().try_into().unwrap();
//! let mock = server.get_flex_backup_snapshot(|when, then| {
//!     when.cluster_name(&"flex0".parse().unwrap());
//!     then.ok(&snapshot);
//! });
//! // Point `Client::builder().base_url(server.base_url())` at it.
//! mock.assert_calls(0);
//! ```
//!
//! Besides the answers the spec lists (`ok`, `not_found`, …), each `then`
//! offers [`api_error`](operations::GetFlexBackupSnapshotThen::api_error)
//! for any status, [`rate_limited`](operations::GetFlexBackupSnapshotThen::rate_limited)
//! (429 with `Retry-After`) and [`gone`](operations::GetFlexBackupSnapshotThen::gone)
//! (410, past the sunset). A client with an API key needs a Digest
//! challenge first: [`digest_challenge`]. [`in_order`] plays a sequence of
//! answers to one operation, for code that waits for a resource to change.
//!
//! `generated.rs` is generated from the spec by `cargo xtask regen`.

pub(crate) mod answers;
mod sequence;
#[rustfmt::skip]
#[allow(clippy::all, missing_docs)]
mod generated;

pub use answers::{DIGEST_REALM, api_error, digest_challenge};
pub use generated::*;
/// The `httpmock` the mocks are built on, for expectations of your own
/// that match its version.
pub use httpmock;
pub use httpmock::{Mock, MockServer};
pub use sequence::{InOrder, in_order};
