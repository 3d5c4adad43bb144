//! Helpers shared by the test suites in this folder.

use std::path::{Path, PathBuf};

use atlas_backup_snapshots::mock::httpmock::{Method, Mock, MockServer};

pub mod digest_server;
pub mod latency_proxy;

/// Listens on a free local port and hands each connection, with
/// `TCP_NODELAY` set, to `serve` on a thread of its own with its own
/// runtime, as a server apart from the client under test would. Returns
/// the address (`127.0.0.1:port`).
pub fn serve_locally<F, Fut>(serve: F) -> String
where
    F: Fn(tokio::net::TcpStream) -> Fut + Send + 'static,
    Fut: std::future::Future<Output = ()> + Send + 'static,
{
    let listener = std::net::TcpListener::bind("127.0.0.1:0").expect("a local port");
    let address = listener.local_addr().expect("an address").to_string();
    listener
        .set_nonblocking(true)
        .expect("a non-blocking socket");
    std::thread::spawn(move || {
        let runtime = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .expect("a tokio runtime");
        runtime.block_on(async move {
            let listener = tokio::net::TcpListener::from_std(listener).expect("a tokio listener");
            while let Ok((stream, _)) = listener.accept().await {
                let _ = stream.set_nodelay(true);
                tokio::spawn(serve(stream));
            }
        });
    });
    address
}

/// The page examples, one folder per page of `../shared/seeds` or document
/// of `../shared/sources`.
pub fn fixtures_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures")
}

/// The example body with HTTP `status` from the page `page` (a seed file
/// name without `.txt`).
pub fn fixture(page: &str, status: u16) -> String {
    let path = fixtures_dir().join(page).join(format!("{status}.json"));
    std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

/// The text of an Atlas reference page from `../shared/seeds`.
pub fn seed_page(page: &str) -> String {
    let path = xtask::workspace_root()
        .join("../shared/seeds")
        .join(format!("{page}.txt"));
    std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

/// An excerpt of Atlas's published OpenAPI document from
/// `../shared/sources`, by file name without `.yaml`, as JSON values.
pub fn source_document(name: &str) -> serde_json::Value {
    let path = xtask::workspace_root()
        .join("../shared/sources")
        .join(format!("{name}.yaml"));
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    serde_yaml::from_str(&text).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

/// How many findings of `rule` the JSON report of `report` lists.
pub fn json_findings(report: &xtask::diff::Report, rule: &str) -> usize {
    let format = xtask::diff::report::Format::Json;
    let json: serde_json::Value =
        serde_json::from_str(&xtask::diff::report::render(report, format)).unwrap();
    json["findings"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|finding| finding["rule"] == rule)
        .count()
}

/// A broken spec from `bad-specs/`.
pub fn bad_spec(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("bad-specs")
        .join(name)
}

/// Asserts that an error message contains each of `parts`.
pub fn assert_names(error: &str, parts: &[&str]) {
    for part in parts {
        assert!(
            error.contains(part),
            "error does not name {part:?}:\n{error}"
        );
    }
}

/// Retries with waits short enough for a test.
pub fn quick_retries(attempts: u32) -> atlas_backup_snapshots::RetryPolicy {
    atlas_backup_snapshots::RetryPolicy::default()
        .max_attempts(attempts)
        .initial_backoff(std::time::Duration::from_millis(10))
        .max_backoff(std::time::Duration::from_millis(20))
}

/// A mock answering `method` requests for `path` with `status`, `body` and
/// `headers`, serving at most `times` requests when set.
pub async fn stub<'a>(
    server: &'a MockServer,
    method: Method,
    path: &str,
    status: u16,
    body: &str,
    headers: &[(&str, &str)],
    times: Option<usize>,
) -> Mock<'a> {
    let mock = server
        .mock_async(|when, then| {
            when.method(method).path(path);
            let mut then = then.status(status).body(body);
            for (name, value) in headers {
                then = then.header(*name, *value);
            }
        })
        .await;
    if let Some(times) = times {
        mock.up_to_n_times_async(times).await;
    }
    mock
}

/// The base URL of a local port that was free a moment ago: nothing
/// listens there, so a connection to it fails.
pub fn nothing_listening() -> String {
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .expect("a local port")
        .local_addr()
        .expect("an address")
        .port();
    format!("http://127.0.0.1:{port}")
}

/// A client of the local server at `base_url`, without credentials or
/// retries, for tests about what one request looks like.
pub fn local_client(base_url: &str) -> atlas_backup_snapshots::Client {
    atlas_backup_snapshots::Client::builder()
        .base_url(base_url)
        .retry(atlas_backup_snapshots::RetryPolicy::none())
        .build()
        .expect("a local base URL is valid")
}

/// The path of `getServerlessSnapshotV2` for the group, instance and
/// snapshot that [`get_serverless_snapshot`] asks for.
pub const SERVERLESS_SNAPSHOT_PATH: &str = "/api/atlas/v2/groups/32b6e34b3d91647abb20e7b8/serverless/serverless0/backup/snapshots/5cc310ace5dc7ce369814bc8";

/// Calls `getServerlessSnapshotV2` at [`SERVERLESS_SNAPSHOT_PATH`], for
/// tests about how a call goes rather than what it returns.
#[allow(deprecated)] // Atlas has sunset the serverless operations.
pub async fn get_serverless_snapshot(
    client: &atlas_backup_snapshots::Client,
) -> Result<(), atlas_backup_snapshots::Error> {
    client
        .get_serverless_snapshot_v2()
        .group_id("32b6e34b3d91647abb20e7b8")
        .cluster_name("serverless0")
        .snapshot_id("5cc310ace5dc7ce369814bc8")
        .send()
        .await
        .map(drop)
}

/// Asserts that `error` is the refusal of an API key after `requests`
/// requests, with its whole message.
pub fn assert_key_refused(error: &atlas_backup_snapshots::Error, requests: u32) {
    use atlas_backup_snapshots::{AuthError, ErrorKind};
    assert!(
        matches!(
            error.kind(),
            ErrorKind::Auth(AuthError::CredentialsRejected { status }) if status.as_u16() == 401
        ),
        "{error:?}"
    );
    assert!(error.is_unauthorized());
    assert_eq!(error.attempts(), requests);
    let counted = if requests > 1 {
        format!(" ({requests} requests)")
    } else {
        String::new()
    };
    assert_eq!(
        error.to_string(),
        format!(
            "getServerlessSnapshotV2: authentication failed: the server refused the API key \
             (401 Unauthorized): check the public and private key{counted}"
        )
    );
}
