//! The tool's exit codes: one per way a call can fail that a script may
//! want to tell apart.

use std::process::ExitCode;

use crate::{Error, ErrorKind};

/// How the tool ended, as its process exit code. New ways to end may be
/// added in a minor release, so a `match` on it needs a wildcard arm.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[repr(u8)]
#[non_exhaustive]
pub enum ExitStatus {
    /// 0: the operation succeeded.
    Success = 0,
    /// 1: any other failure: a server error, a connection that failed, an
    /// answer that does not decode.
    Other = 1,
    /// 2: bad usage: an unknown flag, a missing or invalid value, a body
    /// file that cannot be read, missing credentials. Nothing was sent.
    Usage = 2,
    /// 3: Atlas answered 404.
    NotFound = 3,
    /// 4: the credentials were refused or could not be used.
    Unauthorized = 4,
    /// 5: Atlas kept answering 429 until the retries ran out.
    RateLimited = 5,
    /// 6: the endpoint is past its sunset (410); the message names its
    /// successor.
    Gone = 6,
    /// 7: a `watch-…` command saw its resource reach a failure state (a
    /// failed snapshot, a cancelled restore); the last answer is on
    /// standard output.
    FailedState = 7,
    /// 8: a `watch-…` command's `--timeout` passed before its resource
    /// reached a final state; the work goes on in Atlas.
    TimedOut = 8,
}

impl From<ExitStatus> for ExitCode {
    fn from(status: ExitStatus) -> Self {
        ExitCode::from(status as u8)
    }
}

/// The exit status for a failed call.
pub fn exit_status(error: &Error) -> ExitStatus {
    if error.is_version_gone() {
        ExitStatus::Gone
    } else if error.is_rate_limited() {
        ExitStatus::RateLimited
    } else if error.is_unauthorized() || matches!(error.kind(), ErrorKind::Auth(_)) {
        ExitStatus::Unauthorized
    } else if error.is_not_found() {
        ExitStatus::NotFound
    } else if matches!(error.kind(), ErrorKind::InvalidRequest(_)) {
        ExitStatus::Usage
    } else {
        ExitStatus::Other
    }
}

/// A new exit status is a minor release: a `match` on [`ExitStatus`]
/// needs a wildcard arm. The first example is the second without it.
///
/// ```compile_fail
/// use atlas_backup_snapshots::cli::ExitStatus;
///
/// fn failed(status: ExitStatus) -> bool {
///     match status {
///         ExitStatus::Success => false,
///         ExitStatus::Other
///         | ExitStatus::Usage
///         | ExitStatus::NotFound
///         | ExitStatus::Unauthorized
///         | ExitStatus::RateLimited
///         | ExitStatus::Gone
///         | ExitStatus::FailedState
///         | ExitStatus::TimedOut => true,
///     }
/// }
/// ```
///
/// ```
/// use atlas_backup_snapshots::cli::ExitStatus;
///
/// fn failed(status: ExitStatus) -> bool {
///     match status {
///         ExitStatus::Success => false,
///         ExitStatus::Other
///         | ExitStatus::Usage
///         | ExitStatus::NotFound
///         | ExitStatus::Unauthorized
///         | ExitStatus::RateLimited
///         | ExitStatus::Gone
///         | ExitStatus::FailedState
///         | ExitStatus::TimedOut => true,
///         _ => true,
///     }
/// }
/// ```
#[cfg(doctest)]
struct ExitStatusIsNonExhaustive;
