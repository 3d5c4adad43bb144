//! Reading answer bodies with a bound, so that a hostile or broken server
//! cannot make the client hold more than it needs.

use bytes::{Bytes, BytesMut};
use reqwest::Response;

/// How much of an error body an [`Error`](crate::Error) keeps: enough for
/// any error Atlas or a proxy writes.
pub(crate) const KEPT_ERROR_BODY: usize = 64 * 1024;

/// The body of `response`, cut at `limit` bytes: what is left unread is
/// dropped with the connection.
pub(crate) async fn read_at_most(mut response: Response, limit: usize) -> reqwest::Result<Bytes> {
    let mut body = BytesMut::new();
    while let Some(chunk) = response.chunk().await? {
        let room = limit - body.len();
        body.extend_from_slice(&chunk[..chunk.len().min(room)]);
        if body.len() == limit {
            break;
        }
    }
    Ok(body.freeze())
}
