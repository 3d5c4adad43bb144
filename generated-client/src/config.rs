//! Building a [`Client`]: where Atlas is, how to authenticate, how to
//! retry, and how long to wait.

use std::sync::Arc;
use std::time::Duration;

use crate::Client;
use crate::auth::Authenticator;
use crate::base_url::checked_base_url;
use crate::call::AuthAndRetry;
use crate::credentials::Credentials;
use crate::environment;
use crate::error::{BuildError, EnvError};
use crate::retry::RetryPolicy;
use crate::tls;

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
    /// Whether `http://` may reach a host that is not loopback.
    insecure_http: bool,
    /// The variable the base URL came from, to name in an error.
    base_url_variable: Option<&'static str>,
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
            insecure_http: false,
            base_url_variable: None,
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
    /// proxy or a test server. An `http://` URL is refused unless its host
    /// is loopback (`localhost`, `127.0.0.1`, `[::1]`) or
    /// [`allow_insecure_http`](Self::allow_insecure_http) allows it: every
    /// request carries credentials.
    pub fn base_url(mut self, url: impl Into<String>) -> Self {
        self.base_url = url.into();
        self.base_url_variable = None;
        self
    }

    /// Lets an `http://` base URL reach a host that is not loopback, such
    /// as a test server on a network you trust. Insecure: a service
    /// account's secret, its tokens, bearer tokens and every answer then
    /// cross the network in clear text, and a Digest exchange can be
    /// replayed or attacked offline.
    pub fn allow_insecure_http(mut self, allow: bool) -> Self {
        self.insecure_http = allow;
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
            self.base_url_variable = Some(environment::BASE_URL_VARIABLE);
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
    /// [`BuildError`] when the base URL or a bearer token is malformed,
    /// and when the base URL is `http://` to a host that is not loopback
    /// without [`allow_insecure_http`](Self::allow_insecure_http).
    pub fn build(self) -> Result<Client, BuildError> {
        let base_url = checked_base_url(&self.base_url, self.insecure_http).map_err(|reason| {
            let url = match self.base_url_variable {
                Some(variable) => format!("{} (from {variable})", self.base_url),
                None => self.base_url.clone(),
            };
            BuildError::InvalidBaseUrl { url, reason }
        })?;
        let auth = Authenticator::new(self.credentials, &base_url, self.max_digest_nonces)?;
        let http = tls::configure(reqwest::Client::builder())?
            .user_agent(USER_AGENT)
            .connect_timeout(self.connect_timeout)
            .timeout(self.timeout)
            // Atlas's API does not redirect; a redirect followed would take
            // credentials, or a Digest answer, to a host they are not for.
            .redirect(reqwest::redirect::Policy::none())
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn base_urls_are_checked_and_trimmed() {
        assert_eq!(
            checked_base_url("http://127.0.0.1:8080/", false).unwrap(),
            "http://127.0.0.1:8080"
        );
        for bad in [
            "cloud.mongodb.com",
            "ftp://x",
            "https://x/?a=1",
            "https://x/#top",
            "",
        ] {
            let error = Client::builder().base_url(bad).build().unwrap_err();
            assert!(
                error.to_string().contains("invalid base URL"),
                "{bad}: {error}"
            );
        }
    }

    #[test]
    fn https_is_refused_only_by_a_build_without_tls() {
        use crate::base_url::NO_TLS;
        let checked = checked_base_url(ATLAS_BASE_URL, false);
        if tls::AVAILABLE {
            assert_eq!(checked.unwrap(), ATLAS_BASE_URL);
        } else {
            assert_eq!(checked.unwrap_err(), NO_TLS);
            assert!(checked_base_url("http://localhost:8080", false).is_ok());
        }
    }

    #[test]
    fn http_reaches_only_loopback_hosts_unless_insecure_http_is_allowed() {
        for loopback in [
            "http://localhost:8080",
            "http://LOCALHOST",
            "http://127.0.0.1:1",
            "http://127.5.6.7",
            "http://[::1]:80/",
        ] {
            assert!(checked_base_url(loopback, false).is_ok(), "{loopback}");
        }
        let error = Client::builder()
            .base_url("http://cloud.mongodb.com")
            .build()
            .unwrap_err();
        assert_eq!(
            error.to_string(),
            "invalid base URL `http://cloud.mongodb.com`: http:// would send the credentials \
             in clear text to cloud.mongodb.com; use https://, or \
             ClientBuilder::allow_insecure_http(true) for a network you trust"
        );
        for remote in [
            "http://10.0.0.5:8080",
            "http://[2001:db8::1]",
            "http://localhost.example",
        ] {
            assert!(checked_base_url(remote, false).is_err(), "{remote}");
        }
        let allowed = Client::builder()
            .base_url("http://10.0.0.5:8080")
            .allow_insecure_http(true)
            .build();
        assert!(allowed.is_ok());
        assert!(checked_base_url("https://cloud.mongodb.com", false).is_ok());
    }

    #[test]
    fn an_http_base_url_from_the_environment_is_refused_naming_the_variable() {
        let lookup = |name: &str| match name {
            "MONGODB_ATLAS_OPS_MANAGER_URL" => Some("http://cloud.mongodb.com".into()),
            "MONGODB_ATLAS_CLIENT_ID" => Some("mdb_sa_id".into()),
            "MONGODB_ATLAS_CLIENT_SECRET" => Some("mdb_sa_sk".into()),
            _ => None,
        };
        let builder = Client::builder().environment_from(&lookup).unwrap();
        let error = builder.clone().build().unwrap_err().to_string();
        assert!(
            error.starts_with(
                "invalid base URL `http://cloud.mongodb.com (from MONGODB_ATLAS_OPS_MANAGER_URL)`: \
                 http:// would send the credentials in clear text"
            ),
            "{error}"
        );
        assert!(!error.contains("mdb_sa_sk"), "{error}");
        assert!(builder.allow_insecure_http(true).build().is_ok());
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
