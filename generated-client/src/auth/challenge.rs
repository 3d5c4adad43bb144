//! Reading what a server says about Digest authentication: the challenges
//! of a 401 (`WWW-Authenticate`) and the next nonce of an accepted answer
//! (`Authentication-Info`). The challenge syntax is parsed by the
//! `digest_auth` crate.

use digest_auth::WwwAuthenticateHeader;
use reqwest::header::{HeaderMap, HeaderName, WWW_AUTHENTICATE};

use crate::error::AuthError;

/// RFC 7615's header, which `http` does not name.
const AUTHENTICATION_INFO: HeaderName = HeaderName::from_static("authentication-info");

/// The Digest challenge of a 401 answer, if it gives one.
///
/// # Errors
///
/// [`AuthError::BasicChallengeRefused`] when the server offers only Basic,
/// and [`AuthError::InvalidChallenge`] for a Digest challenge that does not
/// parse.
pub(crate) fn digest_challenge(
    headers: &HeaderMap,
) -> Result<Option<WwwAuthenticateHeader>, AuthError> {
    let digest = challenges(headers).find(|c| scheme(c).eq_ignore_ascii_case("digest"));
    match digest {
        Some(value) => WwwAuthenticateHeader::parse(value)
            .map(Some)
            .map_err(|e| AuthError::InvalidChallenge(e.to_string())),
        None if challenges(headers).any(|c| scheme(c).eq_ignore_ascii_case("basic")) => {
            Err(AuthError::BasicChallengeRefused)
        }
        None => Ok(None),
    }
}

/// The `nextnonce` of an `Authentication-Info` header: the nonce the
/// server wants the next request to answer.
pub(crate) fn next_nonce(headers: &HeaderMap) -> Option<String> {
    let info = headers.get(AUTHENTICATION_INFO)?.to_str().ok()?;
    auth_params(info)
        .find(|(name, _)| name.eq_ignore_ascii_case("nextnonce"))
        .map(|(_, value)| value)
        .filter(|nonce| !nonce.is_empty())
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

/// The `name=value` pairs of an RFC 9110 auth-param list, with quoted
/// values unquoted. Parsing stops at the first malformed pair.
fn auth_params(mut rest: &str) -> impl Iterator<Item = (&str, String)> {
    std::iter::from_fn(move || {
        rest = rest.trim_start_matches([' ', '\t', ',']);
        let (name, after) = rest.split_once('=')?;
        let after = after.trim_start();
        let (value, remainder) = match after.strip_prefix('"') {
            Some(quoted) => unquote(quoted)?,
            None => {
                let end = after.find([',', ' ', '\t']).unwrap_or(after.len());
                (after[..end].to_string(), &after[end..])
            }
        };
        rest = remainder;
        Some((name.trim(), value))
    })
}

/// A quoted string's value, up to its closing quote, and what follows it.
fn unquote(quoted: &str) -> Option<(String, &str)> {
    let mut value = String::new();
    let mut chars = quoted.char_indices();
    while let Some((at, c)) = chars.next() {
        match c {
            '"' => return Some((value, &quoted[at + 1..])),
            '\\' => value.push(chars.next()?.1),
            c => value.push(c),
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    fn headers(name: HeaderName, values: &[&str]) -> HeaderMap {
        let mut headers = HeaderMap::new();
        for value in values {
            headers.append(&name, value.parse().unwrap());
        }
        headers
    }

    const ATLAS: &str = r#"Digest realm="MMS Public API", domain="", nonce="ab+c/d=e/F+g==", algorithm=MD5, qop="auth", stale=false"#;

    #[test]
    fn atlas_challenges_with_base64_nonces_are_read_whole() {
        let challenge = digest_challenge(&headers(WWW_AUTHENTICATE, &[ATLAS]))
            .unwrap()
            .unwrap();
        assert_eq!(challenge.nonce, "ab+c/d=e/F+g==");
        assert_eq!(challenge.realm, "MMS Public API");
        assert!(!challenge.stale);
    }

    #[test]
    fn basic_alone_is_refused_and_digest_preferred() {
        let basic = headers(WWW_AUTHENTICATE, &[r#"Basic realm="MMS Public API""#]);
        assert!(matches!(
            digest_challenge(&basic),
            Err(AuthError::BasicChallengeRefused)
        ));
        let both = headers(WWW_AUTHENTICATE, &[r#"Basic realm="x""#, ATLAS]);
        assert_eq!(
            digest_challenge(&both).unwrap().unwrap().realm,
            "MMS Public API"
        );
    }

    #[test]
    fn malformed_challenges_are_errors_and_none_is_nothing() {
        for broken in [
            r#"Digest realm="x", nonce="unterminated"#,
            r#"Digest realm="x""#,
        ] {
            let error = digest_challenge(&headers(WWW_AUTHENTICATE, &[broken])).unwrap_err();
            assert!(matches!(error, AuthError::InvalidChallenge(_)), "{broken}");
        }
        assert!(digest_challenge(&HeaderMap::new()).unwrap().is_none());
    }

    #[test]
    fn next_nonces_are_read_quoted_or_bare_among_other_fields() {
        let info = |value: &str| next_nonce(&headers(AUTHENTICATION_INFO, &[value]));
        assert_eq!(
            info(r#"qop=auth, rspauth="d9\"f", cnonce="x,y", nc=00000001, nextnonce="n+1/=""#),
            Some("n+1/=".into())
        );
        assert_eq!(info("nextnonce=bare, qop=auth"), Some("bare".into()));
        assert_eq!(info(r#"rspauth="abc""#), None);
        assert_eq!(info(r#"nextnonce="unterminated"#), None);
        assert_eq!(info(r#"nextnonce="""#), None);
        assert_eq!(next_nonce(&HeaderMap::new()), None);
    }
}
