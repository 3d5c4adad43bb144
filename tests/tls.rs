//! The TLS backend the features choose (`rustls`, `rustls-ring`,
//! `native-tls`) builds a client and opens an `https://` connection with a
//! TLS handshake: CI runs this suite with each feature alone.

// Atlas deprecates or sunsets every operation these pages describe.
#![allow(deprecated)]

use atlas_backup_snapshots::{Client, ErrorKind, RetryPolicy};
use tests::get_serverless_snapshot;
use tokio::io::AsyncReadExt;
use tokio::net::TcpListener;

/// The first TLS record a client sends to a local server, read whole.
async fn first_tls_record(listener: TcpListener) -> Vec<u8> {
    let (mut socket, _) = listener.accept().await.unwrap();
    let mut header = [0u8; 5];
    socket.read_exact(&mut header).await.unwrap();
    let length = usize::from(u16::from_be_bytes([header[3], header[4]]));
    let mut record = header.to_vec();
    record.resize(5 + length, 0);
    socket.read_exact(&mut record[5..]).await.unwrap();
    record
}

fn contains(haystack: &[u8], needle: &[u8]) -> bool {
    haystack
        .windows(needle.len())
        .any(|window| window == needle)
}

#[tokio::test]
async fn an_https_call_opens_with_a_client_hello_for_the_host_offering_http2() {
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let port = listener.local_addr().unwrap().port();
    let server = tokio::spawn(first_tls_record(listener));
    let client = Client::builder()
        .base_url(format!("https://localhost:{port}"))
        .retry(RetryPolicy::none())
        .build()
        .expect("the TLS backend sets up without a process-wide provider");

    let error = get_serverless_snapshot(&client).await.unwrap_err();
    let record = server.await.unwrap();

    // A handshake record (22) holding a ClientHello (1).
    assert_eq!((record[0], record[5]), (22, 1), "{record:?}");
    // The server name, and ALPN's HTTP/2 and HTTP/1.1, length-prefixed.
    for field in [&b"localhost"[..], b"\x02h2", b"\x08http/1.1"] {
        assert!(
            contains(&record, field),
            "{:?} missing from {record:?}",
            String::from_utf8_lossy(field)
        );
    }
    // The server closed without answering: no answer, not an API error.
    assert!(matches!(error.kind(), ErrorKind::Transport(_)), "{error:?}");
}
