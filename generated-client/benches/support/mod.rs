//! What the benchmarks share: a local HTTP/1.1 server that answers with
//! prebuilt responses, and snapshot bodies shaped like Atlas's.
//!
//! The server reads a request head, hands it to a function that returns the
//! whole response (status line, headers and body, built once up front), and
//! writes it back on the same kept-alive connection. It runs on its own
//! thread and runtime so that it never competes with the client for a poll.

// Each bench uses a part of this module.
#![allow(dead_code)]

pub mod callgrind;

use std::sync::Arc;

use bytes::Bytes;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};

pub const GROUP_ID: &str = "32b6e34b3d91647abb20e7b8";
pub const CLUSTER: &str = "serverless0";
pub const SNAPSHOT_ID: &str = "5cc310ace5dc7ce369814bc8";
pub const TOKEN: &str = "bench-bearer-token";

/// The media type of the versioned (`v2`) operations.
pub const ATLAS_V2_JSON: &str = "application/vnd.atlas.2023-01-01+json";

/// A runtime for the client side: one thread, like a small CLI.
pub fn runtime() -> tokio::runtime::Runtime {
    tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("a tokio runtime")
}

/// Starts a server on a free local port and returns its base URL.
/// `respond` gets each request head (without the blank line that ends it)
/// and returns the bytes to write back.
pub fn serve(respond: impl Fn(&str) -> Bytes + Send + Sync + 'static) -> String {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").expect("a local port");
    let address = listener.local_addr().expect("the local address");
    listener
        .set_nonblocking(true)
        .expect("a non-blocking socket");
    let respond = Arc::new(respond);
    std::thread::Builder::new()
        .name("bench-server".into())
        .spawn(move || {
            let runtime = tokio::runtime::Builder::new_current_thread()
                .enable_io()
                .build()
                .expect("a tokio runtime");
            runtime.block_on(async move {
                let listener = TcpListener::from_std(listener).expect("a tokio listener");
                loop {
                    let Ok((stream, _)) = listener.accept().await else {
                        continue;
                    };
                    let _ = stream.set_nodelay(true);
                    tokio::spawn(connection(stream, Arc::clone(&respond)));
                }
            });
        })
        .expect("the server thread");
    format!("http://{address}")
}

/// Answers every request of one connection until the client closes it.
/// Requests are GETs, so a head is a whole request.
async fn connection(mut stream: TcpStream, respond: Arc<impl Fn(&str) -> Bytes>) {
    let mut buffer = Vec::with_capacity(4096);
    loop {
        while let Some(end) = buffer.windows(4).position(|w| w == b"\r\n\r\n") {
            let response = respond(std::str::from_utf8(&buffer[..end]).unwrap_or_default());
            if stream.write_all(&response).await.is_err() {
                return;
            }
            buffer.drain(..end + 4);
        }
        match stream.read_buf(&mut buffer).await {
            Ok(0) | Err(_) => return,
            Ok(_) => {}
        }
    }
}

/// A whole `200 OK` response with `body`.
pub fn ok(content_type: &str, body: &[u8]) -> Bytes {
    let mut response = format!(
        "HTTP/1.1 200 OK\r\ncontent-type: {content_type}\r\ncontent-length: {}\r\n\r\n",
        body.len()
    )
    .into_bytes();
    response.extend_from_slice(body);
    response.into()
}

/// Snapshot `n` as Atlas writes it: compact JSON with every field set, so
/// that decoding does the most work a real answer can ask of it.
pub fn snapshot_json(n: usize) -> String {
    let (day, hour) = (1 + n / 24 % 28, n % 24);
    format!(
        concat!(
            r#"{{"createdAt":"2025-05-{day:02}T{hour:02}:42:00Z","#,
            r#""expiresAt":"2025-06-{day:02}T{hour:02}:42:00Z","#,
            r#""frequencyType":"hourly","id":"{id:024x}","#,
            r#""links":[{{"href":"https://cloud.mongodb.com/api/atlas/v1.0/groups/{group}/serverless/{cluster}/backup/snapshots/{id:024x}","rel":"self"}}],"#,
            r#""mongodVersion":"8.0.4","serverlessInstanceName":"{cluster}","#,
            r#""snapshotType":"scheduled","status":"completed","storageSizeBytes":{size}}}"#,
        ),
        day = day,
        hour = hour,
        id = 0x5cc3_10ac_0000_0000_0000_0000_u128 + n as u128,
        group = GROUP_ID,
        cluster = CLUSTER,
        size = 1_048_576 + n * 4096,
    )
}

/// A page of `PaginatedServerlessBackupSnapshots` holding snapshots
/// `first..first + len`, of `total` in all.
pub fn page_json(first: usize, len: usize, total: usize) -> String {
    let results: Vec<String> = (first..first + len).map(snapshot_json).collect();
    format!(
        concat!(
            r#"{{"links":[{{"href":"https://cloud.mongodb.com/api/atlas/v1.0/groups/{group}/serverless/{cluster}/backup/snapshots","rel":"self"}}],"#,
            r#""results":[{results}],"totalCount":{total}}}"#,
        ),
        group = GROUP_ID,
        cluster = CLUSTER,
        results = results.join(","),
        total = total,
    )
}
