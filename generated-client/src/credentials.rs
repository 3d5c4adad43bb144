//! The three ways to authenticate to Atlas.

use secrecy::SecretString;

/// How the client authenticates. Secrets are held as [`SecretString`]: they
/// never appear in `Debug` output or logs, and are wiped from memory when
/// dropped.
///
/// ```
/// use atlas_backup_snapshots::Credentials;
///
/// let key = Credentials::api_key("abcdefgh", "private-key-uuid");
/// assert!(!format!("{key:?}").contains("private-key-uuid"));
/// ```
#[derive(Clone, Debug)]
pub struct Credentials(pub(crate) Kind);

#[derive(Clone, Debug)]
pub(crate) enum Kind {
    ApiKey {
        public_key: String,
        private_key: SecretString,
    },
    ServiceAccount {
        client_id: String,
        client_secret: SecretString,
    },
    BearerToken(SecretString),
}

impl Credentials {
    /// A programmatic API key, answered with HTTP Digest (RFC 7616). The
    /// private key only ever leaves the process as a Digest response.
    pub fn api_key(public_key: impl Into<String>, private_key: impl Into<String>) -> Self {
        Self(Kind::ApiKey {
            public_key: public_key.into(),
            private_key: SecretString::from(private_key.into()),
        })
    }

    /// A service account: the client fetches an OAuth 2.0 access token with
    /// the client-credentials grant from `{base URL}/api/oauth/token`, keeps
    /// it, and fetches a new one shortly before it expires.
    pub fn service_account(client_id: impl Into<String>, client_secret: impl Into<String>) -> Self {
        Self(Kind::ServiceAccount {
            client_id: client_id.into(),
            client_secret: SecretString::from(client_secret.into()),
        })
    }

    /// An access token you obtain and renew yourself, sent as
    /// `Authorization: Bearer`.
    pub fn bearer_token(token: impl Into<String>) -> Self {
        Self(Kind::BearerToken(SecretString::from(token.into())))
    }
}
