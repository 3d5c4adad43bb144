//! The answers every operation's mock can give besides those the spec
//! lists: an error of any status, a rate limit and a sunset, each with
//! the headers and body Atlas sends; and the Digest challenge that a
//! client with an API key needs before it authenticates.

use httpmock::{Mock, MockServer, Then};

use crate::types::ApiError;

/// The realm of the challenge [`digest_challenge`] sends, as Atlas's.
pub const DIGEST_REALM: &str = "MMS Public API";

/// Atlas's error body: `error` is the status, `error_code` the code a
/// caller matches on, `detail` the text for people.
pub fn api_error(status: u16, error_code: &str, detail: &str) -> ApiError {
    ApiError {
        bad_request_detail: None,
        detail: Some(detail.to_string()),
        error: i32::from(status),
        error_code: error_code.to_string(),
        parameters: Vec::new(),
        reason: None,
    }
}

/// Answers every request that carries no `Authorization` header with 401
/// and a Digest challenge, as Atlas does, so that a client with
/// [`Credentials::api_key`](crate::Credentials::api_key) answers it and
/// sends its request again, authenticated. The mock server serves the
/// first mock that matches, so create this one before the others.
pub fn digest_challenge(server: &MockServer) -> Mock<'_> {
    // A nonce as Atlas makes them, with `+`, `/` and `=`.
    let challenge = format!(
        r#"Digest realm="{DIGEST_REALM}", domain="", nonce="bW9jaw+c2VydmVy/bm9uY2U=", algorithm=MD5, qop="auth", stale=false"#
    );
    server.mock(|when, then| {
        when.header_missing("authorization");
        error(
            then.header("www-authenticate", challenge),
            &api_error(
                401,
                "UNAUTHORIZED",
                "You are not authorized for this resource.",
            ),
        );
    })
}

/// Answers `status` with `body` as JSON.
pub(crate) fn error(then: Then, body: &ApiError) -> Then {
    let status = u16::try_from(body.error).unwrap_or(500);
    then.status(status)
        .header("content-type", "application/json")
        .json_body_obj(body)
}

/// Answers `status` with `body`, whatever `body.error` says.
pub(crate) fn status_error(then: Then, status: u16, body: &ApiError) -> Then {
    then.status(status)
        .header("content-type", "application/json")
        .json_body_obj(body)
}

/// 429 `RATE_LIMITED` with `Retry-After` and the rate-limit headers.
pub(crate) fn rate_limited(then: Then, retry_after_seconds: u64) -> Then {
    let body = api_error(
        429,
        "RATE_LIMITED",
        "You have exceeded the rate limit. Try again later.",
    );
    error(
        then.header("retry-after", retry_after_seconds.to_string())
            .header("ratelimit-limit", "100")
            .header("ratelimit-remaining", "0"),
        &body,
    )
}

/// 410 `VERSION_GONE`, as for an endpoint past its sunset.
pub(crate) fn gone(then: Then) -> Then {
    let body = api_error(
        410,
        "VERSION_GONE",
        "This version of the endpoint is no longer available.",
    );
    error(then, &body)
}
