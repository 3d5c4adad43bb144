//! Sending one request with credentials: a Digest challenge answered, a
//! service-account token fetched, or a bearer token attached.

mod challenge;
mod digest;
mod nonces;
mod oauth;

use std::future::Future;
use std::pin::Pin;
use std::sync::atomic::{AtomicU32, Ordering};

use futures_util::TryFutureExt;
use futures_util::future::Either;
use reqwest::header::{AUTHORIZATION, HeaderValue};
use reqwest::{Request, Response};
use secrecy::{ExposeSecret, SecretString};

use crate::credentials::{Credentials, Kind};
use crate::error::{AuthError, BuildError};

pub(crate) use digest::DigestAuth;
pub(crate) use oauth::ServiceAccount;

/// The credentials and what the client has learned using them.
#[derive(Debug)]
pub(crate) enum Authenticator {
    Anonymous,
    Digest(DigestAuth),
    ServiceAccount(ServiceAccount),
    Bearer(HeaderValue),
}

/// Why a request got no answer worth returning.
#[derive(Debug)]
pub(crate) enum Failure {
    Transport(reqwest::Error),
    Auth(AuthError),
}

impl From<reqwest::Error> for Failure {
    fn from(error: reqwest::Error) -> Self {
        Self::Transport(error)
    }
}

impl From<AuthError> for Failure {
    fn from(error: AuthError) -> Self {
        Self::Auth(error)
    }
}

/// The HTTP client of one call, counting the requests it sends, so that
/// [`Error::attempts`](crate::Error::attempts) counts challenges and token
/// requests too. Atomic, as a call's future must be `Send`.
pub(crate) struct CountedHttp<'a> {
    client: &'a reqwest::Client,
    sent: AtomicU32,
}

impl<'a> CountedHttp<'a> {
    pub(crate) fn new(client: &'a reqwest::Client) -> Self {
        Self {
            client,
            sent: AtomicU32::new(0),
        }
    }

    pub(crate) fn execute(
        &self,
        request: Request,
    ) -> impl Future<Output = reqwest::Result<Response>> + use<> {
        self.sent.fetch_add(1, Ordering::Relaxed);
        self.client.execute(request)
    }

    /// The client, to build a request with.
    pub(crate) fn client(&self) -> &reqwest::Client {
        self.client
    }

    /// How many requests were sent.
    pub(crate) fn sent(&self) -> u32 {
        self.sent.load(Ordering::Relaxed)
    }
}

impl Authenticator {
    /// `base_url` is where the token endpoint of a service account lives;
    /// `most_digest_nonces` is how many Digest nonces an API key may hold.
    pub(crate) fn new(
        credentials: Option<Credentials>,
        base_url: &str,
        most_digest_nonces: usize,
    ) -> Result<Self, BuildError> {
        Ok(match credentials.map(|c| c.0) {
            None => Self::Anonymous,
            Some(Kind::ApiKey {
                public_key,
                private_key,
            }) => Self::Digest(DigestAuth::new(public_key, private_key, most_digest_nonces)),
            Some(Kind::ServiceAccount {
                client_id,
                client_secret,
            }) => Self::ServiceAccount(ServiceAccount::new(client_id, client_secret, base_url)),
            Some(Kind::BearerToken(token)) => {
                Self::Bearer(bearer(&token).ok_or(BuildError::InvalidBearerToken)?)
            }
        })
    }

    /// Sends `request` with credentials and returns Atlas's answer.
    //
    // Not an `async fn`, which would hold the request beside the future it
    // is moved into: a bearer call's future is the HTTP client's own.
    pub(crate) fn send<'a>(
        &'a self,
        http: &'a CountedHttp<'_>,
        mut request: Request,
    ) -> impl Future<Output = Result<Response, Failure>> + Send + 'a {
        type Boxed<'a> = Pin<Box<dyn Future<Output = Result<Response, Failure>> + Send + 'a>>;
        match self {
            Self::Anonymous => Either::Left(http.execute(request).err_into()),
            Self::Bearer(value) => {
                request.headers_mut().insert(AUTHORIZATION, value.clone());
                Either::Left(http.execute(request).err_into())
            }
            // Boxed: their futures are large, and would otherwise make every
            // call's future, bearer and anonymous ones included, as large.
            Self::Digest(digest) => Either::Right(Box::pin(digest.send(http, request)) as Boxed),
            Self::ServiceAccount(account) => {
                Either::Right(Box::pin(account.send(http, request)) as Boxed)
            }
        }
    }
}

/// `Bearer {token}`, marked sensitive so that HTTP logging leaves it out.
fn bearer(token: &SecretString) -> Option<HeaderValue> {
    let mut value = HeaderValue::try_from(format!("Bearer {}", token.expose_secret())).ok()?;
    value.set_sensitive(true);
    Some(value)
}
