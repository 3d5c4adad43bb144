//! HTTP Digest (RFC 7616) for API keys. The digest arithmetic and header
//! syntax come from the `digest_auth` crate; this module answers the
//! server's challenges with the nonces of a [`NoncePool`], which grows
//! with the calls in flight as far as the server keeps nonces, so that
//! after the first call each call is one round trip, and tells a refused
//! key from a forgotten nonce.

use digest_auth::{AuthContext, HttpMethod, WwwAuthenticateHeader};
use reqwest::header::{AUTHORIZATION, HeaderMap, HeaderValue};
use reqwest::{Request, Response, StatusCode};
use secrecy::{ExposeSecret, SecretString};

use super::challenge::{digest_challenge, next_nonce};
use super::nonces::{Lease, NoncePool};
use super::{CountedHttp, Failure};
use crate::error::AuthError;

/// How many times one call meets a nonce the server forgot before it
/// gives up: the pool shrinks at each, so a server that keeps any nonce
/// at all is met long before.
const MOST_FORGOTTEN_PER_CALL: u32 = 8;

/// `Debug` shows no secret: the password (the private key) is a
/// `SecretString`.
#[derive(Debug)]
pub(crate) struct DigestAuth {
    username: String,
    password: SecretString,
    nonces: NoncePool,
}

/// What a 401 with a Digest challenge says of the answer it refused.
enum Refusal {
    /// The request carried no answer: the challenge is the first.
    Unanswered,
    /// The server forgot the nonce (`stale=true`, a refusal of a nonce it
    /// accepted before, or any refusal once it accepted the key): the key
    /// may well be right.
    Forgotten,
    /// The server refused an answer to a nonce it had just given, before
    /// it accepted the key, or the key was refused before: the key is
    /// wrong.
    Key,
}

impl DigestAuth {
    /// `most_nonces` is how many nonces, and so requests in flight, the
    /// key may have at once.
    pub(crate) fn new(username: String, password: SecretString, most_nonces: usize) -> Self {
        Self {
            username,
            password,
            nonces: NoncePool::new(most_nonces),
        }
    }

    /// Sends `request` answering a kept nonce, or without `Authorization`
    /// to be given one. The first challenge is answered; a forgotten nonce
    /// is answered with the new one the server gives, and if that is
    /// forgotten too, the call waits for a nonce the server still keeps;
    /// only a refused answer to a fresh nonce means the key is wrong.
    pub(crate) async fn send(
        &self,
        http: &CountedHttp<'_>,
        mut request: Request,
    ) -> Result<Response, Failure> {
        let mut lease = self.nonces.lease().await;
        let mut forgotten = 0;
        let mut just_forgotten = false;
        let mut stale_seen = false;
        let accepted_before = self.nonces.answers_accepted();
        loop {
            let spare = request.try_clone();
            let answered = self.authorize(&mut request, &mut lease)?;
            let was_accepted = lease.was_accepted();
            let response = send(http, &mut lease, request).await?;
            if response.status() != StatusCode::UNAUTHORIZED {
                accepted(&mut lease, response.headers());
                return Ok(response);
            }
            let Some(challenge) = digest_challenge(response.headers())? else {
                // A 401 without a challenge: nothing to answer, the caller sees it.
                return Ok(response);
            };
            stale_seen |= challenge.stale;
            let refusal = self.refusal(answered, was_accepted, &challenge);
            if let Refusal::Forgotten = refusal {
                lease.forgotten();
            }
            lease.replace(challenge);
            match refusal {
                Refusal::Key => {
                    lease.refused();
                    return Err(rejected(response.status()));
                }
                Refusal::Forgotten => {
                    forgotten += 1;
                    if forgotten >= MOST_FORGOTTEN_PER_CALL {
                        if !stale_seen && self.nonces.answers_accepted() == accepted_before {
                            // Never `stale`, and no call got through
                            // meanwhile: the key was revoked while in use.
                            lease.refused();
                            return Err(rejected(response.status()));
                        }
                        return Err(AuthError::NoncesForgotten { times: forgotten }.into());
                    }
                    if std::mem::replace(&mut just_forgotten, true) {
                        // The new nonce was forgotten too: wait for one the
                        // server keeps, rather than thrash its table.
                        lease.discard();
                        drop(lease);
                        lease = self.nonces.lease().await;
                        just_forgotten = false;
                    }
                }
                Refusal::Unanswered => {}
            }
            let Some(spare) = spare else {
                // A streaming body cannot be sent again.
                return match refusal {
                    Refusal::Forgotten => {
                        Err(AuthError::NoncesForgotten { times: forgotten }.into())
                    }
                    _ => Ok(response),
                };
            };
            request = spare;
        }
    }

    /// What a 401 with `challenge` says of an answer (`answered`) to a
    /// nonce the server had accepted before, or not (`was_accepted`).
    ///
    /// A server with a full table may forget a nonce between giving it and
    /// its answer, and Apache then gives a new one without `stale`. So once
    /// the server has accepted the key, every refusal is a forgotten nonce;
    /// a call that meets too many tells a key revoked while in use by the
    /// absence of `stale` and of any call getting through meanwhile.
    fn refusal(
        &self,
        answered: bool,
        was_accepted: bool,
        challenge: &WwwAuthenticateHeader,
    ) -> Refusal {
        if !answered {
            Refusal::Unanswered
        } else if challenge.stale
            || (was_accepted && !self.nonces.key_refused())
            || self.nonces.key_accepted()
        {
            Refusal::Forgotten
        } else {
            Refusal::Key
        }
    }

    /// Adds a Digest `Authorization` answering the leased nonce, if there is
    /// one, and says whether it did.
    fn authorize(&self, request: &mut Request, lease: &mut Lease<'_>) -> Result<bool, AuthError> {
        let Some(challenge) = lease.challenge() else {
            return Ok(false);
        };
        let mut uri = request.url().path().to_string();
        if let Some(query) = request.url().query() {
            uri = format!("{uri}?{query}");
        }
        let value = self.respond(challenge, request.method().as_str(), &uri, None)?;
        request.headers_mut().insert(AUTHORIZATION, value);
        Ok(true)
    }

    /// The `Authorization` value answering `challenge` for `method` and
    /// `uri`; counts one more use of its nonce.
    fn respond(
        &self,
        challenge: &mut WwwAuthenticateHeader,
        method: &str,
        uri: &str,
        cnonce: Option<&str>,
    ) -> Result<HeaderValue, AuthError> {
        let mut context = AuthContext::new_with_method(
            self.username.as_str(),
            self.password.expose_secret(),
            uri,
            None::<&[u8]>,
            HttpMethod::from(method),
        );
        if let Some(cnonce) = cnonce {
            context.set_custom_cnonce(cnonce);
        }
        let answer = challenge
            .respond(&context)
            .map_err(|e| AuthError::InvalidChallenge(e.to_string()))?;
        let mut value = HeaderValue::try_from(answer.to_header_string())
            .map_err(|e| AuthError::InvalidChallenge(e.to_string()))?;
        value.set_sensitive(true);
        Ok(value)
    }
}

/// The server took the answer: the key is good, and the next request
/// answers the `nextnonce` the server may have given.
fn accepted(lease: &mut Lease<'_>, headers: &HeaderMap) {
    lease.accepted();
    let next = next_nonce(headers);
    if let (Some(nonce), Some(challenge)) = (next, lease.challenge()) {
        let next = WwwAuthenticateHeader {
            nonce,
            nc: 0,
            ..challenge.clone()
        };
        lease.replace(next);
    }
}

fn rejected(status: StatusCode) -> Failure {
    Failure::Auth(AuthError::CredentialsRejected { status })
}

/// Sends `request`, which answers the leased nonce or none, and marks the
/// nonce in doubt until the answer comes.
async fn send(
    http: &CountedHttp<'_>,
    lease: &mut Lease<'_>,
    request: Request,
) -> reqwest::Result<Response> {
    lease.sending();
    let response = http.execute(request).await?;
    lease.answered();
    Ok(response)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// RFC 7616 section 3.9.1: the challenge of the worked example.
    const RFC_CHALLENGE: &str = r#"Digest realm="http-auth@example.org", qop="auth, auth-int", algorithm=MD5, nonce="7ypf/xlj9XXwfDPEoM4URrv/xwf94BcCAzFZH4GiTo0v", opaque="FQhe/qaU925kfnzjCev0ciny7QMkPqMAFRtzCUYo5tdS""#;
    const RFC_CNONCE: &str = "f2/wE4q74E6zIJEtWaHKaf5wv/H5QzzpXusqGemxURZJ";

    fn mufasa() -> DigestAuth {
        DigestAuth::new("Mufasa".into(), SecretString::from("Circle of Life"), 1)
    }

    fn fields(value: &HeaderValue) -> String {
        value.to_str().unwrap().to_string()
    }

    #[test]
    fn rfc_7616_md5_example() {
        let mut challenge = WwwAuthenticateHeader::parse(RFC_CHALLENGE).unwrap();
        let value = mufasa()
            .respond(&mut challenge, "GET", "/dir/index.html", Some(RFC_CNONCE))
            .unwrap();
        let value = fields(&value);
        assert!(
            value.contains(r#"response="8ca523f5e9506fed4657c9700eebdbec""#),
            "{value}"
        );
        assert!(value.contains("nc=00000001"), "{value}");
        assert!(
            value.contains("qop=auth,") || value.contains("qop=auth"),
            "{value}"
        );
        assert!(value.contains(r#"opaque="FQhe/qaU925kfnzjCev0ciny7QMkPqMAFRtzCUYo5tdS""#));
    }

    #[test]
    fn rfc_7616_sha_256_example() {
        let sha256 = RFC_CHALLENGE.replace("algorithm=MD5", "algorithm=SHA-256");
        let mut challenge = WwwAuthenticateHeader::parse(&sha256).unwrap();
        let value = mufasa()
            .respond(&mut challenge, "GET", "/dir/index.html", Some(RFC_CNONCE))
            .unwrap();
        assert!(
            fields(&value).contains(
                r#"response="753927fa0e85d155564e2e272a28d1802ca10daf4496794697cf8db5856cb6c1""#
            ),
            "{value:?}"
        );
    }

    #[test]
    fn nonce_count_grows_per_response_to_one_nonce() {
        let mut challenge = WwwAuthenticateHeader::parse(RFC_CHALLENGE).unwrap();
        let auth = mufasa();
        for expected in ["nc=00000001", "nc=00000002", "nc=00000003"] {
            let value = auth.respond(&mut challenge, "GET", "/", None).unwrap();
            assert!(fields(&value).contains(expected), "{value:?}");
            assert!(value.is_sensitive());
        }
    }
}
