//! Service accounts: OAuth 2.0 client credentials (RFC 6749 section 4.4)
//! against Atlas's token endpoint. One token is kept and shared; it is
//! replaced shortly before it expires, and concurrent calls that find it
//! stale wait for one shared refresh instead of each fetching their own.

use std::time::{Duration, Instant};

use reqwest::header::{ACCEPT, AUTHORIZATION, HeaderValue};
use reqwest::{Request, Response, StatusCode};
use secrecy::{ExposeSecret, SecretString};
use serde::Deserialize;
use tokio::sync::Mutex;

use super::{CountedHttp, Failure, bearer};
use crate::body::read_at_most;
use crate::error::AuthError;

/// Where Atlas issues tokens, below the base URL.
const TOKEN_PATH: &str = "/api/oauth/token";
/// A token is replaced when less than this much of its life is left
/// (or half its life, for short-lived tokens).
const REFRESH_MARGIN: Duration = Duration::from_secs(60);
/// The most of a token answer the client reads: a token is far smaller.
const TOKEN_BODY_LIMIT: usize = 64 * 1024;
/// How much of a refused token answer an error keeps.
const KEPT_TOKEN_ERROR: usize = 4096;

/// `Debug` shows no secret: the client secret is a `SecretString`, and
/// the token's header value is marked sensitive.
#[derive(Debug)]
pub(crate) struct ServiceAccount {
    client_id: String,
    client_secret: SecretString,
    token_url: String,
    token: Mutex<Option<Token>>,
}

#[derive(Debug)]
struct Token {
    header: HeaderValue,
    refresh_at: Instant,
}

/// The answer of the token endpoint.
#[derive(Deserialize)]
struct TokenResponse {
    access_token: SecretString,
    token_type: String,
    expires_in: u64,
}

impl ServiceAccount {
    pub(crate) fn new(client_id: String, client_secret: SecretString, base_url: &str) -> Self {
        Self {
            client_id,
            client_secret,
            token_url: format!("{base_url}{TOKEN_PATH}"),
            token: Mutex::new(None),
        }
    }

    pub(crate) async fn send(
        &self,
        http: &CountedHttp<'_>,
        mut request: Request,
    ) -> Result<Response, Failure> {
        let second_try = request.try_clone();
        let (header, fetched_now) = self.token(http).await?;
        request.headers_mut().insert(AUTHORIZATION, header.clone());
        let response = http.execute(request).await?;
        // A kept token can be revoked before it expires: fetch a new one
        // once. A token fetched for this very request is not retried.
        match (response.status(), fetched_now, second_try) {
            (StatusCode::UNAUTHORIZED, false, Some(mut request)) => {
                self.forget(&header).await;
                let (header, _) = self.token(http).await?;
                request.headers_mut().insert(AUTHORIZATION, header);
                Ok(http.execute(request).await?)
            }
            _ => Ok(response),
        }
    }

    /// The `Authorization` value of a live token, and whether it was fetched
    /// by this call.
    async fn token(&self, http: &CountedHttp<'_>) -> Result<(HeaderValue, bool), AuthError> {
        let mut kept = self.token.lock().await;
        if let Some(token) = kept.as_ref().filter(|t| Instant::now() < t.refresh_at) {
            return Ok((token.header.clone(), false));
        }
        let token = self.fetch(http).await?;
        let header = token.header.clone();
        *kept = Some(token);
        Ok((header, true))
    }

    /// Drops the kept token if it is still `header`.
    async fn forget(&self, header: &HeaderValue) {
        let mut kept = self.token.lock().await;
        if kept.as_ref().is_some_and(|t| t.header == header) {
            *kept = None;
        }
    }

    async fn fetch(&self, http: &CountedHttp<'_>) -> Result<Token, AuthError> {
        let requested = Instant::now();
        let request = http
            .client()
            .post(&self.token_url)
            .basic_auth(&self.client_id, Some(self.client_secret.expose_secret()))
            .header(ACCEPT, "application/json")
            .form(&[("grant_type", "client_credentials")])
            .build()
            .map_err(AuthError::TokenTransport)?;
        let response = http
            .execute(request)
            .await
            .map_err(AuthError::TokenTransport)?;
        let status = response.status();
        let body = read_at_most(response, TOKEN_BODY_LIMIT)
            .await
            .map_err(AuthError::TokenTransport)?;
        if !status.is_success() {
            let shown = &body[..body.len().min(KEPT_TOKEN_ERROR)];
            return Err(AuthError::TokenRejected {
                status,
                body: String::from_utf8_lossy(shown).into_owned(),
            });
        }
        let answer: TokenResponse = serde_json::from_slice(&body)
            .map_err(|e| AuthError::InvalidTokenResponse(e.to_string()))?;
        if !answer.token_type.eq_ignore_ascii_case("bearer") {
            return Err(AuthError::InvalidTokenResponse(format!(
                "token_type is `{}`, not `bearer`",
                answer.token_type
            )));
        }
        let header = bearer(&answer.access_token).ok_or_else(|| {
            AuthError::InvalidTokenResponse("access_token is not a valid header value".into())
        })?;
        let lifetime = Duration::from_secs(answer.expires_in);
        let margin = REFRESH_MARGIN.min(lifetime / 2);
        Ok(Token {
            header,
            refresh_at: requested + lifetime - margin,
        })
    }
}
