//! HTTP Digest (RFC 7616) for API keys. The digest arithmetic and header
//! syntax come from the `digest_auth` crate; this module keeps the
//! server's challenge between calls, so that after the first call each
//! call is one round trip, and decides when a new challenge is worth
//! answering.

use std::sync::Mutex;

use digest_auth::{AuthContext, HttpMethod, WwwAuthenticateHeader};
use reqwest::header::{AUTHORIZATION, HeaderMap, HeaderValue, WWW_AUTHENTICATE};
use reqwest::{Request, Response, StatusCode};
use secrecy::{ExposeSecret, SecretString};

use super::Failure;
use crate::error::AuthError;

/// `Debug` shows no secret: the password (the private key) is a
/// `SecretString`.
#[derive(Debug)]
pub(crate) struct DigestAuth {
    username: String,
    password: SecretString,
    /// The last challenge, whose `nc` counts the responses sent with its
    /// nonce.
    challenge: Mutex<Option<WwwAuthenticateHeader>>,
}

/// What a 401 answer calls for.
#[derive(Debug, PartialEq, Eq)]
enum Next {
    /// A challenge not yet answered: answer it once.
    Answer,
    /// The current challenge was answered and refused: the key is wrong.
    GiveUp,
}

impl DigestAuth {
    pub(crate) fn new(username: String, password: SecretString) -> Self {
        Self {
            username,
            password,
            challenge: Mutex::new(None),
        }
    }

    pub(crate) async fn send(
        &self,
        http: &reqwest::Client,
        mut request: Request,
    ) -> Result<Response, Failure> {
        let second_try = request.try_clone();
        let sent_nonce = self.authorize(&mut request)?;
        let response = http.execute(request).await?;
        if response.status() != StatusCode::UNAUTHORIZED {
            return Ok(response);
        }
        match (
            self.learn(response.headers(), sent_nonce.as_deref())?,
            second_try,
        ) {
            (Next::Answer, Some(mut request)) => {
                self.authorize(&mut request)?;
                Ok(http.execute(request).await?)
            }
            _ => Ok(response),
        }
    }

    /// Adds a Digest `Authorization` answering the kept challenge, if there
    /// is one, and returns the nonce it answered.
    fn authorize(&self, request: &mut Request) -> Result<Option<String>, AuthError> {
        let mut uri = request.url().path().to_string();
        if let Some(query) = request.url().query() {
            uri = format!("{uri}?{query}");
        }
        let mut kept = self.challenge.lock().unwrap_or_else(|e| e.into_inner());
        let Some(challenge) = kept.as_mut() else {
            return Ok(None);
        };
        let value = self.respond(challenge, request.method().as_str(), &uri, None)?;
        request.headers_mut().insert(AUTHORIZATION, value);
        Ok(Some(challenge.nonce.clone()))
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

    /// Reads the challenges of a 401 answer to a request that answered
    /// `sent_nonce` (none if it carried no `Authorization`).
    fn learn(&self, headers: &HeaderMap, sent_nonce: Option<&str>) -> Result<Next, AuthError> {
        let challenge = match digest_challenge(headers)? {
            Some(challenge) => challenge,
            None if offers_basic(headers) => return Err(AuthError::BasicChallengeRefused),
            // A 401 without a challenge: nothing to answer, the caller sees it.
            None => return Ok(Next::GiveUp),
        };
        let fresh = sent_nonce != Some(challenge.nonce.as_str());
        let next = if fresh || challenge.stale {
            Next::Answer
        } else {
            Next::GiveUp
        };
        if next == Next::Answer {
            *self.challenge.lock().unwrap_or_else(|e| e.into_inner()) = Some(challenge);
        }
        Ok(next)
    }
}

/// The scheme of a challenge: its first token.
fn scheme(value: &str) -> &str {
    value
        .trim_start()
        .split([' ', '\t'])
        .next()
        .unwrap_or_default()
}

fn challenges(headers: &HeaderMap) -> impl Iterator<Item = &str> {
    headers
        .get_all(WWW_AUTHENTICATE)
        .iter()
        .filter_map(|v| v.to_str().ok())
}

fn digest_challenge(headers: &HeaderMap) -> Result<Option<WwwAuthenticateHeader>, AuthError> {
    challenges(headers)
        .find(|c| scheme(c).eq_ignore_ascii_case("digest"))
        .map(|c| {
            WwwAuthenticateHeader::parse(c).map_err(|e| AuthError::InvalidChallenge(e.to_string()))
        })
        .transpose()
}

fn offers_basic(headers: &HeaderMap) -> bool {
    challenges(headers).any(|c| scheme(c).eq_ignore_ascii_case("basic"))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// RFC 7616 section 3.9.1: the challenge of the worked example.
    const RFC_CHALLENGE: &str = r#"Digest realm="http-auth@example.org", qop="auth, auth-int", algorithm=MD5, nonce="7ypf/xlj9XXwfDPEoM4URrv/xwf94BcCAzFZH4GiTo0v", opaque="FQhe/qaU925kfnzjCev0ciny7QMkPqMAFRtzCUYo5tdS""#;
    const RFC_CNONCE: &str = "f2/wE4q74E6zIJEtWaHKaf5wv/H5QzzpXusqGemxURZJ";

    fn mufasa() -> DigestAuth {
        DigestAuth::new("Mufasa".into(), SecretString::from("Circle of Life"))
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

    fn challenge_headers(values: &[&str]) -> HeaderMap {
        let mut headers = HeaderMap::new();
        for value in values {
            headers.append(WWW_AUTHENTICATE, value.parse().unwrap());
        }
        headers
    }

    const ATLAS: &str = r#"Digest realm="MMS Public API", domain="", nonce="ab+c/d=e/F+g==", algorithm=MD5, qop="auth", stale=false"#;

    #[test]
    fn atlas_challenges_with_base64_nonces_are_kept_whole() {
        let auth = mufasa();
        assert_eq!(
            auth.learn(&challenge_headers(&[ATLAS]), None).unwrap(),
            Next::Answer
        );
        let kept = auth.challenge.lock().unwrap();
        let kept = kept.as_ref().unwrap();
        assert_eq!(kept.nonce, "ab+c/d=e/F+g==");
        assert_eq!(kept.realm, "MMS Public API");
    }

    #[test]
    fn a_refused_answer_to_the_same_nonce_gives_up_unless_stale() {
        let auth = mufasa();
        let headers = challenge_headers(&[ATLAS]);
        auth.learn(&headers, None).unwrap();
        assert_eq!(
            auth.learn(&headers, Some("ab+c/d=e/F+g==")).unwrap(),
            Next::GiveUp
        );
        let stale = challenge_headers(&[&ATLAS.replace("stale=false", "stale=true")]);
        assert_eq!(
            auth.learn(&stale, Some("ab+c/d=e/F+g==")).unwrap(),
            Next::Answer
        );
        let fresh = challenge_headers(&[&ATLAS.replace("ab+c/d=e/F+g==", "other")]);
        assert_eq!(
            auth.learn(&fresh, Some("ab+c/d=e/F+g==")).unwrap(),
            Next::Answer
        );
    }

    #[test]
    fn basic_challenges_are_refused_and_digest_preferred() {
        let auth = mufasa();
        let basic = challenge_headers(&[r#"Basic realm="MMS Public API""#]);
        assert!(matches!(
            auth.learn(&basic, None),
            Err(AuthError::BasicChallengeRefused)
        ));
        let both = challenge_headers(&[r#"Basic realm="x""#, ATLAS]);
        assert_eq!(auth.learn(&both, None).unwrap(), Next::Answer);
    }

    #[test]
    fn malformed_challenges_are_errors() {
        let auth = mufasa();
        let broken = challenge_headers(&[r#"Digest realm="x", nonce="unterminated"#]);
        assert!(matches!(
            auth.learn(&broken, None),
            Err(AuthError::InvalidChallenge(_))
        ));
        let no_nonce = challenge_headers(&[r#"Digest realm="x""#]);
        assert!(matches!(
            auth.learn(&no_nonce, None),
            Err(AuthError::InvalidChallenge(_))
        ));
        let unanswerable = challenge_headers(&[]);
        assert_eq!(auth.learn(&unanswerable, None).unwrap(), Next::GiveUp);
    }
}
