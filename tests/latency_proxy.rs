//! A local TCP proxy that delays every byte by a fixed time each way, as
//! a distant network would, without limiting how fast bytes flow: each
//! chunk is forwarded `latency` after it was read.

use std::time::Duration;

use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;
use tokio::net::tcp::{OwnedReadHalf, OwnedWriteHalf};
use tokio::sync::mpsc;
use tokio::time::Instant;

/// Starts a proxy to `upstream` (`host:port`) on a free local port, on a
/// thread of its own, and returns its address.
pub fn start(upstream: String, latency: Duration) -> String {
    crate::serve_locally(move |client| {
        let upstream = upstream.clone();
        async move {
            let Ok(server) = TcpStream::connect(&upstream).await else {
                return;
            };
            let _ = server.set_nodelay(true);
            let (client_read, client_write) = client.into_split();
            let (server_read, server_write) = server.into_split();
            tokio::spawn(delayed(client_read, server_write, latency));
            tokio::spawn(delayed(server_read, client_write, latency));
        }
    })
}

/// Copies `from` to `to`, each chunk `latency` after it arrived.
async fn delayed(mut from: OwnedReadHalf, mut to: OwnedWriteHalf, latency: Duration) {
    let (sender, mut receiver) = mpsc::unbounded_channel::<(Instant, Vec<u8>)>();
    let writer = tokio::spawn(async move {
        while let Some((due, chunk)) = receiver.recv().await {
            tokio::time::sleep_until(due).await;
            if to.write_all(&chunk).await.is_err() {
                return;
            }
        }
        let _ = to.shutdown().await;
    });
    let mut buffer = vec![0; 16 * 1024];
    while let Ok(read) = from.read(&mut buffer).await {
        if read == 0
            || sender
                .send((Instant::now() + latency, buffer[..read].to_vec()))
                .is_err()
        {
            break;
        }
    }
    drop(sender);
    let _ = writer.await;
}
