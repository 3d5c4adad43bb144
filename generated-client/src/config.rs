//! Building a [`Client`]: where Atlas is, how to authenticate, how to
//! retry, and how long to wait.

use std::sync::Arc;
use std::time::Duration;

use crate::Client;
use crate::auth::Authenticator;
use crate::call::AuthAndRetry;
use crate::credentials::Credentials;
use crate::environment;
use crate::error::{BuildError, EnvError};
use crate::retry::RetryPolicy;

/// Where Atlas's Administration API lives.
pub const ATLAS_BASE_URL: &str = "https://cloud.mongodb.com";

/// The most Digest nonces an API key holds unless the builder says
/// otherwise: enough for the calls an application fans out over its
/// clusters, few enough that a burst on a fresh client costs at most 32
/// challenges.
const MAX_DIGEST_NONCES: usize = 32;

/// The `User-Agent` of every request: the crate and its version.
const USER_AGENT: &str = concat!(env!("CARGO_PKG_NAME"), "/", env!("CARGO_PKG_VERSION"));

/// Configures a [`Client`]; start from [`Client::builder`].
///
/// ```
/// use std::time::Duration;
/// use atlas_backup_snapshots::{Client, Credentials, RetryPolicy};
///
/// let client = Client::builder()
///     .credentials(Credentials::api_key("abcdefgh", "private-key-uuid"))
///     .retry(RetryPolicy::default().max_attempts(6))
///     .timeout(Duration::from_secs(60))
///     .build()?;
/// # Ok::<(), atlas_backup_snapshots::BuildError>(())
/// ```
#[derive(Clone, Debug)]
#[must_use]
pub struct ClientBuilder {
    base_url: String,
    credentials: Option<Credentials>,
    retry: RetryPolicy,
    connect_timeout: Duration,
    timeout: Duration,
    max_digest_nonces: usize,
}

impl Default for ClientBuilder {
    fn default() -> Self {
        Self {
            base_url: ATLAS_BASE_URL.to_string(),
            credentials: None,
            retry: RetryPolicy::default(),
            connect_timeout: Duration::from_secs(10),
            timeout: Duration::from_secs(30),
            max_digest_nonces: MAX_DIGEST_NONCES,
        }
    }
}

impl Client {
    /// A builder for a client of Atlas at [`ATLAS_BASE_URL`], without
    /// credentials, with the default [`RetryPolicy`], a 10 s connect timeout
    /// and a 30 s timeout per request.
    pub fn builder() -> ClientBuilder {
        ClientBuilder::default()
    }
}

impl ClientBuilder {
    /// Where to send requests instead of [`ATLAS_BASE_URL`], such as a
    /// proxy or a test server.
    pub fn base_url(mut self, url: impl Into<String>) -> Self {
        self.base_url = url.into();
        self
    }

    /// The credentials and, when `MONGODB_ATLAS_OPS_MANAGER_URL` is set,
    /// the base URL, from the variables Atlas's CLI reads; see
    /// [`Credentials::from_env`].
    ///
    /// ```no_run
    /// use atlas_backup_snapshots::Client;
    ///
    /// # fn main() -> Result<(), Box<dyn std::error::Error>> {
    /// let client = Client::builder().environment()?.build()?;
    /// # Ok(())
    /// # }
    /// ```
    ///
    /// # Errors
    ///
    /// [`EnvError`] naming the variable when no credentials are set, when
    /// one variable of a pair is set without the other, when both pairs
    /// are set, or when the base URL is invalid.
    pub fn environment(self) -> Result<Self, EnvError> {
        self.environment_from(&environment::process)
    }

    pub(crate) fn environment_from(
        mut self,
        lookup: environment::Lookup<'_>,
    ) -> Result<Self, EnvError> {
        self = self.credentials(environment::credentials(lookup)?);
        if let Some(url) = environment::base_url(lookup)? {
            self = self.base_url(url);
        }
        Ok(self)
    }

    /// How to authenticate. Without credentials, requests go out without
    /// an `Authorization` header.
    pub fn credentials(mut self, credentials: Credentials) -> Self {
        self.credentials = Some(credentials);
        self
    }

    /// When to retry; [`RetryPolicy::none`] turns retries off.
    pub fn retry(mut self, policy: RetryPolicy) -> Self {
        self.retry = policy;
        self
    }

    /// How long to wait for a connection.
    pub fn connect_timeout(mut self, timeout: Duration) -> Self {
        self.connect_timeout = timeout;
        self
    }

    /// How long one request may take, from sending to the end of the body.
    /// Each retry gets the full time again.
    pub fn timeout(mut self, timeout: Duration) -> Self {
        self.timeout = timeout;
        self
    }

    /// The most Digest nonces an API key holds, and so the most of its
    /// requests in flight at once: 32 unless set, at least 1.
    ///
    /// Each nonce carries one request at a time, so that a server that
    /// checks nonce counts accepts every call. The client starts with the
    /// nonce of the first challenge and, while calls wait and the server
    /// accepts the key, adds nonces, one challenge round trip each, up to
    /// this most; calls beyond it wait for a nonce to be free. When the
    /// server forgets nonces (`stale=true`), the pool shrinks and grows
    /// again slowly. Cap it for a server known to keep few nonces, so that
    /// no call pays for a forgotten one. A nonce unused for five minutes
    /// is dropped, the last one excepted. Other credentials are not
    /// limited.
    ///
    /// ```
    /// use atlas_backup_snapshots::{Client, Credentials};
    ///
    /// // One request at a time, one challenge in all.
    /// let client = Client::builder()
    ///     .credentials(Credentials::api_key("abcdefgh", "private-key-uuid"))
    ///     .max_digest_nonces(1)
    ///     .build()?;
    /// # Ok::<(), atlas_backup_snapshots::BuildError>(())
    /// ```
    pub fn max_digest_nonces(mut self, nonces: usize) -> Self {
        self.max_digest_nonces = nonces.max(1);
        self
    }

    /// Builds the client.
    ///
    /// # Errors
    ///
    /// [`BuildError`] when the base URL or a bearer token is malformed.
    pub fn build(self) -> Result<Client, BuildError> {
        let base_url = checked_base_url(&self.base_url)?;
        let auth = Authenticator::new(self.credentials, &base_url, self.max_digest_nonces)?;
        let http = reqwest::Client::builder()
            .user_agent(USER_AGENT)
            .connect_timeout(self.connect_timeout)
            .timeout(self.timeout)
            .build()?;
        let state = AuthAndRetry {
            auth: Arc::new(auth),
            retry: self.retry,
        };
        Ok(Client::new_with_client(&base_url, http, state))
    }
}

impl Client {
    /// This client with another retry policy, for the calls that need one,
    /// such as a write that is safe to repeat
    /// ([`RetryPolicy::retry_writes`]). It shares the connections and
    /// credentials of this client.
    pub fn with_retry(&self, policy: RetryPolicy) -> Client {
        let state = AuthAndRetry {
            auth: Arc::clone(&self.inner.auth),
            retry: policy,
        };
        Client::new_with_client(&self.baseurl, self.client.clone(), state)
    }
}

/// `url` without a trailing slash, once it is known to be usable as a base.
pub(crate) fn checked_base_url(url: &str) -> Result<String, BuildError> {
    let invalid = |reason: &str| BuildError::InvalidBaseUrl {
        url: url.to_string(),
        reason: reason.to_string(),
    };
    let parsed = reqwest::Url::parse(url).map_err(|e| invalid(&e.to_string()))?;
    if !matches!(parsed.scheme(), "http" | "https") {
        return Err(invalid("the scheme must be http or https"));
    }
    if parsed.query().is_some() || parsed.fragment().is_some() {
        return Err(invalid("a base URL has no query or fragment"));
    }
    Ok(url.trim_end_matches('/').to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn base_urls_are_checked_and_trimmed() {
        assert_eq!(
            checked_base_url("http://127.0.0.1:8080/").unwrap(),
            "http://127.0.0.1:8080"
        );
        for bad in [
            "cloud.mongodb.com",
            "ftp://x",
            "https://x/?a=1",
            "https://x/#top",
            "",
        ] {
            let error = checked_base_url(bad).unwrap_err();
            assert!(
                error.to_string().contains("invalid base URL"),
                "{bad}: {error}"
            );
        }
    }

    #[test]
    fn a_bearer_token_that_cannot_be_a_header_is_refused() {
        let error = Client::builder()
            .credentials(Credentials::bearer_token("line\nbreak"))
            .build()
            .unwrap_err();
        assert!(matches!(error, BuildError::InvalidBearerToken));
    }
}
