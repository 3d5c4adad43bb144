//! The one error type of every operation.

use std::fmt;
use std::time::Duration;

use bytes::Bytes;
use reqwest::StatusCode;
use reqwest::header::HeaderMap;

use crate::retry::{self, Outcome, UnknownOutcome};
use crate::types::ApiError;

/// Why an operation failed, with the operation's name and how many
/// requests it took.
///
/// [`Error::kind`] tells what happened; the helpers answer the common
/// questions directly:
///
/// ```
/// # async fn demo(client: &atlas_backup_snapshots::Client) {
/// # #![allow(deprecated)]
/// let result = client
///     .get_serverless_snapshot_v2()
///     .group_id("32b6e34b3d91647abb20e7b8")
///     .cluster_name("serverless0")
///     .snapshot_id("32b6e34b3d91647abb20e7b8")
///     .send()
///     .await;
/// match result {
///     Ok(snapshot) => println!("{:?}", snapshot.status),
///     Err(e) if e.is_not_found() => println!("no such snapshot"),
///     Err(e) if e.is_version_gone() => println!("time to move to the flex API: {e}"),
///     Err(e) => println!("{e} (Atlas error code {:?})", e.error_code()),
/// }
/// # }
/// ```
#[derive(Debug)]
pub struct Error(Box<Inner>);

/// Boxed, so that a `Result` stays small on the success path.
#[derive(Debug)]
struct Inner {
    operation: &'static str,
    deprecation: Option<&'static str>,
    attempts: u32,
    kind: ErrorKind,
    /// An earlier attempt of a DELETE that ended in 404, whose outcome is
    /// unknown.
    unknown_earlier: Option<UnknownOutcome>,
}

/// What went wrong.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum ErrorKind {
    /// A parameter is missing or invalid; nothing was sent.
    #[error("invalid request: {0}")]
    InvalidRequest(String),
    /// Atlas answered with an error status and its JSON error body.
    #[error("{status}: {}", describe(body))]
    Api {
        /// The answer's status.
        status: StatusCode,
        /// The answer's headers, such as `Retry-After`.
        headers: HeaderMap,
        /// The error body, with `errorCode`.
        body: Box<ApiError>,
    },
    /// An error status whose body is not Atlas's error JSON, such as an
    /// HTML page from a proxy. `body` holds its text, at most 64 KiB.
    #[error("{status} with a body that is not an Atlas error: {}", excerpt(body))]
    Http {
        /// The answer's status.
        status: StatusCode,
        /// The answer's headers.
        headers: HeaderMap,
        /// The body as text, invalid UTF-8 replaced.
        body: String,
    },
    /// A success status whose body does not decode into the expected type.
    #[error("{status} with a body that does not decode: {error}")]
    Decode {
        /// The answer's status.
        status: StatusCode,
        /// The body as received.
        body: Bytes,
        /// Where and why decoding failed.
        error: serde_json::Error,
    },
    /// Authentication failed before Atlas could answer the request.
    #[error("authentication failed: {0}")]
    Auth(AuthError),
    /// No answer: the connection failed, was reset or timed out.
    #[error("request failed: {0}")]
    Transport(reqwest::Error),
}

/// Why the client could not authenticate.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum AuthError {
    /// The server asked for HTTP Basic authentication. The client answers
    /// only Digest challenges, so the private key is never sent.
    #[error(
        "the server asked for Basic authentication; refusing to send the API key in a form other than a Digest response"
    )]
    BasicChallengeRefused,
    /// Atlas refused the API key: it answered a Digest response to a
    /// challenge it had just given with another 401. A client whose key
    /// was refused sends one request per later call, and fails the same
    /// way until Atlas accepts the key.
    #[error("the server refused the API key ({status}): check the public and private key")]
    CredentialsRejected {
        /// The refusing answer's status.
        status: StatusCode,
    },
    /// The server kept forgetting the Digest nonces it gave: it answered
    /// this call's answers with `stale=true` (or refused nonces it had
    /// accepted before) this many times. The key was not refused; the
    /// server keeps fewer nonces than the calls in flight need, and the
    /// client shrinks its pool each time.
    #[error(
        "the server kept forgetting the Digest nonces it gave ({times} stale answers to this call); \
         the API key was not refused: make fewer calls at once, or cap the nonces with \
         ClientBuilder::max_digest_nonces"
    )]
    NoncesForgotten {
        /// How many answers of the call met a forgotten nonce.
        times: u32,
    },
    /// A Digest challenge the client cannot parse or answer.
    #[error("cannot answer the server's Digest challenge: {0}")]
    InvalidChallenge(String),
    /// The token endpoint refused the service account's credentials.
    #[error("the token endpoint answered {status}: {}", excerpt(body))]
    TokenRejected {
        /// The token endpoint's status.
        status: StatusCode,
        /// Its body as text, at most 4 KiB.
        body: String,
    },
    /// The token endpoint's answer is not a bearer token.
    #[error("the token endpoint's answer is not a bearer token: {0}")]
    InvalidTokenResponse(String),
    /// The token endpoint could not be reached.
    #[error("cannot reach the token endpoint: {0}")]
    TokenTransport(reqwest::Error),
}

/// Why [`ClientBuilder::build`](crate::ClientBuilder::build) failed.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum BuildError {
    /// The base URL is not an absolute `http` or `https` URL without a
    /// query or fragment.
    #[error("invalid base URL `{url}`: {reason}")]
    InvalidBaseUrl {
        /// The URL as given.
        url: String,
        /// What is wrong with it.
        reason: String,
    },
    /// The bearer token contains characters a header cannot carry.
    #[error("the bearer token contains characters an HTTP header cannot carry")]
    InvalidBearerToken,
    /// The HTTP client could not be set up (its TLS backend failed).
    #[error("cannot set up the HTTP client: {0}")]
    Http(#[from] reqwest::Error),
    /// The TLS configuration of the `rustls-ring` feature could not be
    /// built, such as when the platform's certificate verifier fails.
    #[error("cannot set up TLS: {0}")]
    Tls(String),
}

/// Why settings could not be read from the environment
/// ([`Credentials::from_env`](crate::Credentials::from_env),
/// [`ClientBuilder::environment`](crate::ClientBuilder::environment)).
/// Messages name the variables, never their values.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum EnvError {
    /// Neither the API key pair nor the service-account pair is set.
    #[error(
        "no credentials: set MONGODB_ATLAS_PUBLIC_API_KEY and MONGODB_ATLAS_PRIVATE_API_KEY, \
         or MONGODB_ATLAS_CLIENT_ID and MONGODB_ATLAS_CLIENT_SECRET"
    )]
    NoCredentials,
    /// One variable of a pair is set, the other is not.
    #[error("{set} is set but {unset} is not")]
    HalfSet {
        /// The variable that is set.
        set: &'static str,
        /// The variable that is missing.
        unset: &'static str,
    },
    /// Both an API key and a service account are set: which to use is
    /// not guessed.
    #[error(
        "both an API key (MONGODB_ATLAS_PUBLIC_API_KEY) and a service account \
         (MONGODB_ATLAS_CLIENT_ID) are set; unset one"
    )]
    BothSet,
    /// A variable's value is not valid Unicode.
    #[error("{0} is not valid Unicode")]
    NotUnicode(&'static str),
    /// The base URL variable is set to something that cannot be a base URL.
    #[error("{variable} is an invalid base URL: {reason}")]
    InvalidBaseUrl {
        /// The variable.
        variable: &'static str,
        /// What is wrong with its value.
        reason: String,
    },
}

/// `errorCode` and the most telling text Atlas gave with it.
fn describe(body: &ApiError) -> String {
    match body.detail.as_ref().or(body.reason.as_ref()) {
        Some(text) => format!("{}: {text}", body.error_code),
        None => body.error_code.clone(),
    }
}

/// The start of a body, enough to recognise it in a message.
fn excerpt(body: &str) -> String {
    const SHOWN: usize = 200;
    let flat = body.split_whitespace().collect::<Vec<_>>().join(" ");
    match flat.char_indices().nth(SHOWN) {
        Some((end, _)) => format!("{}…", &flat[..end]),
        None => flat,
    }
}

/// How the `errorCode`s of a rate-limited request start.
const RATE_LIMITED: &str = "RATE_LIMITED";
/// The `errorCode` Atlas gives a call to an endpoint past its sunset.
const VERSION_GONE: &str = "VERSION_GONE";

impl Error {
    pub(crate) fn new(
        operation: &'static str,
        deprecation: Option<&'static str>,
        attempts: u32,
        kind: ErrorKind,
    ) -> Self {
        Self(Box::new(Inner {
            operation,
            deprecation,
            attempts,
            kind,
            unknown_earlier: None,
        }))
    }

    /// Notes that an earlier attempt of this call, whose outcome is
    /// unknown, may have done what the request asked.
    pub(crate) fn after_unknown_outcome(mut self, earlier: Option<UnknownOutcome>) -> Self {
        self.0.unknown_earlier = earlier;
        self
    }

    /// A DELETE that retried after an attempt whose outcome is unknown (a
    /// 502, a 504, a bare 503, no answer in time) and then met 404: the
    /// earlier attempt may have done the deletion, so the resource may
    /// have existed when the call began.
    pub fn earlier_attempt_may_have_deleted(&self) -> bool {
        self.0.unknown_earlier.is_some() && self.is_not_found()
    }

    /// The operationId of the operation that failed, as the spec names it.
    pub fn operation(&self) -> &'static str {
        self.0.operation
    }

    /// How many requests the call sent: every retry, Digest challenge and
    /// token request included; 0 when it was refused before sending.
    pub fn attempts(&self) -> u32 {
        self.0.attempts
    }

    /// What went wrong.
    pub fn kind(&self) -> &ErrorKind {
        &self.0.kind
    }

    /// What went wrong, taking ownership.
    pub fn into_kind(self) -> ErrorKind {
        self.0.kind
    }

    /// The HTTP status of the last answer, if there was one.
    pub fn status(&self) -> Option<StatusCode> {
        match &self.0.kind {
            ErrorKind::Api { status, .. }
            | ErrorKind::Http { status, .. }
            | ErrorKind::Decode { status, .. } => Some(*status),
            ErrorKind::Auth(
                AuthError::TokenRejected { status, .. } | AuthError::CredentialsRejected { status },
            ) => Some(*status),
            ErrorKind::Transport(e) => e.status(),
            _ => None,
        }
    }

    /// The error body Atlas sent, if it sent one.
    pub fn api_error(&self) -> Option<&ApiError> {
        match &self.0.kind {
            ErrorKind::Api { body, .. } => Some(body),
            _ => None,
        }
    }

    /// Atlas's `errorCode`, such as `SNAPSHOT_NOT_FOUND`.
    pub fn error_code(&self) -> Option<&str> {
        self.api_error().map(|e| e.error_code.as_str())
    }

    /// The headers of the last answer, if it was an error status.
    pub fn headers(&self) -> Option<&HeaderMap> {
        match &self.0.kind {
            ErrorKind::Api { headers, .. } | ErrorKind::Http { headers, .. } => Some(headers),
            _ => None,
        }
    }

    /// The resource does not exist (404).
    pub fn is_not_found(&self) -> bool {
        self.status() == Some(StatusCode::NOT_FOUND)
    }

    /// The credentials were refused or could not be used (401, or a failure
    /// to authenticate before Atlas answered).
    pub fn is_unauthorized(&self) -> bool {
        matches!(self.0.kind, ErrorKind::Auth(_)) || self.status() == Some(StatusCode::UNAUTHORIZED)
    }

    /// Atlas is rate-limiting the caller, and the retry budget ran out:
    /// any 429, whatever its `errorCode` (`RATE_LIMITED`,
    /// `RATE_LIMITED_TOKEN_BUCKET`), or a rate-limit `errorCode` with
    /// another status; see [`Error::retry_after`].
    pub fn is_rate_limited(&self) -> bool {
        self.status() == Some(StatusCode::TOO_MANY_REQUESTS)
            || self
                .error_code()
                .is_some_and(|code| code.starts_with(RATE_LIMITED))
    }

    /// The endpoint is past its sunset (410 `VERSION_GONE`): Atlas no longer
    /// serves it, and retrying will not help.
    pub fn is_version_gone(&self) -> bool {
        self.status() == Some(StatusCode::GONE) || self.error_code() == Some(VERSION_GONE)
    }

    /// How long Atlas asked the caller to wait, from `Retry-After`.
    pub fn retry_after(&self) -> Option<Duration> {
        retry::retry_after(self.headers()?)
    }

    /// How the last attempt ended, as the retry rules read it.
    pub(crate) fn outcome(&self) -> Outcome<'_> {
        match &self.0.kind {
            ErrorKind::Api {
                status, headers, ..
            }
            | ErrorKind::Http {
                status, headers, ..
            } => Outcome::Answered {
                status: *status,
                headers,
            },
            ErrorKind::Transport(e) => Outcome::NoAnswer(e),
            _ => Outcome::Final,
        }
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let message = format!("{}: {}", self.0.operation, self.0.kind);
        if self.is_version_gone() {
            // Whole sentences, so that Atlas's own detail keeps its period.
            write!(f, "{}", sentence(&message))?;
            f.write_str(" Atlas no longer serves this endpoint. ")?;
            match self.0.deprecation {
                Some(note) => f.write_str(&sentence(note))?,
                None => f.write_str(NEWER_RELEASE)?,
            }
        } else if let (Some(earlier), true) = (self.0.unknown_earlier, self.is_not_found()) {
            write!(
                f,
                "{} An earlier attempt of this call {earlier} and may have done the deletion.",
                sentence(&message)
            )?;
        } else {
            f.write_str(&message)?;
        }
        if self.0.attempts > 1 {
            write!(f, " ({} requests)", self.0.attempts)?;
        }
        Ok(())
    }
}

/// What to use instead of an operation that the spec does not deprecate
/// and Atlas no longer serves: a version it did not yet know of.
const NEWER_RELEASE: &str =
    "Use a newer release of atlas-backup-snapshots, which calls the version that replaced it.";

/// `text` ending in a full stop.
fn sentence(text: &str) -> String {
    let text = text.trim_end();
    if text.ends_with(['.', '!', '?']) {
        text.to_string()
    } else {
        format!("{text}.")
    }
}

impl std::error::Error for Error {
    // Every message above includes the message of the error it wraps, so
    // the chain goes on below that one: what a transport error was caused
    // by (a refused connection, a TLS failure).
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match &self.0.kind {
            ErrorKind::Transport(e) | ErrorKind::Auth(AuthError::TokenTransport(e)) => e.source(),
            _ => None,
        }
    }
}
