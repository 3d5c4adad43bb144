//! An answer's JSON body decoded into its type.

use std::future::Future;

use futures_util::FutureExt;
use progenitor_client::{Error, ResponseValue};
use serde::de::DeserializeOwned;

/// Decodes `response` as progenitor's `ResponseValue::from_response` does,
/// with the same errors, but moves its headers into the value instead of
/// copying them: every answer a call decodes goes through here.
#[doc(hidden)]
#[allow(
    clippy::result_large_err,
    reason = "progenitor's error, which the generated code returns"
)]
pub fn decode<T: DeserializeOwned, E>(
    mut response: reqwest::Response,
) -> impl Future<Output = Result<ResponseValue<T>, Error<E>>> {
    let status = response.status();
    // Reading the body needs none of them.
    let headers = std::mem::take(response.headers_mut());
    response.bytes().map(move |body| {
        let body = body.map_err(Error::ResponseBodyError)?;
        let inner =
            serde_json::from_slice(&body).map_err(|e| Error::InvalidResponsePayload(body, e))?;
        Ok(ResponseValue::new(inner, status, headers))
    })
}

#[cfg(test)]
mod tests {
    use reqwest::StatusCode;
    use reqwest::header::{CONTENT_TYPE, HeaderValue};

    use super::*;

    fn answer(status: u16, body: &'static str) -> reqwest::Response {
        let mut answer = http::Response::new(body);
        *answer.status_mut() = StatusCode::from_u16(status).unwrap();
        answer
            .headers_mut()
            .insert(CONTENT_TYPE, HeaderValue::from_static("application/json"));
        reqwest::Response::from(answer)
    }

    #[tokio::test]
    async fn a_decoded_answer_keeps_its_status_and_headers() {
        let value = decode::<Vec<u8>, ()>(answer(202, "[1, 2]")).await.unwrap();
        assert_eq!(value.status(), StatusCode::ACCEPTED);
        assert_eq!(value.headers()[CONTENT_TYPE], "application/json");
        assert_eq!(value.into_inner(), [1, 2]);
    }

    #[tokio::test]
    async fn a_body_of_another_shape_is_an_invalid_payload_with_its_bytes() {
        match decode::<Vec<u8>, ()>(answer(200, "{\"a\": 1}")).await {
            Err(Error::InvalidResponsePayload(body, e)) => {
                assert_eq!(&body[..], b"{\"a\": 1}");
                assert!(e.to_string().contains("expected a sequence"), "{e}");
            }
            other => panic!("expected an invalid payload, got {other:?}"),
        }
    }
}
