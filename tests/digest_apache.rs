//! HTTP Digest against the real thing: Apache 2.4's `mod_auth_digest`
//! with its default settings and `AuthDigestNcCheck On`, 10 ms away each
//! way. Its table of nonces is small (`AuthDigestShmemSize`, 1,000 bytes
//! by default), so concurrent calls meet nonces it forgot; every call must
//! still succeed, none failing as a refused key.
//!
//! Skipped, saying so, where Apache is not installed
//! (`apt-get install apache2`; `APACHE2` names another binary).

// The serverless operation is the one Apache serves.
#![allow(deprecated)]

use std::net::TcpStream;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use atlas_backup_snapshots::{Client, Credentials, RetryPolicy};
use futures_util::future::join_all;
use tests::digest_server::{PRIVATE_KEY, PUBLIC_KEY, REALM, Stats};
use tests::{fixture, get_serverless_snapshot, latency_proxy};

/// Where the GET that [`get_serverless_snapshot`] sends finds its file.
const SNAPSHOT_PATH: &str = "api/atlas/v2/groups/32b6e34b3d91647abb20e7b8/serverless/serverless0/backup/snapshots/5cc310ace5dc7ce369814bc8";
const MODULES: &str = "/usr/lib/apache2/modules";

/// An Apache server for one test, stopped when dropped.
struct Apache {
    process: Child,
    binary: PathBuf,
    config: PathBuf,
    root: tempfile::TempDir,
    address: String,
}

/// The Apache binary, if it is installed.
fn apache_binary() -> Option<PathBuf> {
    let binary = std::env::var_os("APACHE2")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from("/usr/sbin/apache2"));
    binary.exists().then_some(binary)
}

impl Apache {
    fn start(binary: PathBuf) -> Self {
        let root = tempfile::tempdir().expect("a temporary directory");
        let dir = root.path();
        let documents = dir.join("docs");
        let file = documents.join(SNAPSHOT_PATH);
        std::fs::create_dir_all(file.parent().unwrap()).unwrap();
        std::fs::write(&file, fixture("002_4c9947135e3c7d0e", 200)).unwrap();
        // Apache's workers run as www-data when it starts as root.
        readable_by_all(dir);
        let hash = md5_hex(&format!("{PUBLIC_KEY}:{REALM}:{PRIVATE_KEY}"));
        std::fs::write(dir.join("users"), format!("{PUBLIC_KEY}:{REALM}:{hash}\n")).unwrap();
        let port = std::net::TcpListener::bind("127.0.0.1:0")
            .and_then(|l| l.local_addr())
            .expect("a free port")
            .port();
        let address = format!("127.0.0.1:{port}");
        let config = dir.join("httpd.conf");
        let d = dir.display();
        std::fs::write(
            &config,
            format!(
                r#"ServerName localhost
ServerRoot {d}
DefaultRuntimeDir {d}
PidFile {d}/httpd.pid
Mutex file:{d}
LoadModule mpm_event_module {MODULES}/mod_mpm_event.so
LoadModule authn_core_module {MODULES}/mod_authn_core.so
LoadModule authn_file_module {MODULES}/mod_authn_file.so
LoadModule authz_core_module {MODULES}/mod_authz_core.so
LoadModule authz_user_module {MODULES}/mod_authz_user.so
LoadModule auth_digest_module {MODULES}/mod_auth_digest.so
User www-data
Group www-data
Listen {address}
ErrorLog {d}/error.log
LogLevel warn auth_digest:debug
LogFormat "%>s|%{{Authorization}}i" digest
CustomLog {d}/access.log digest
DocumentRoot {d}/docs
<Directory {d}/docs>
  ForceType application/vnd.atlas.2023-01-01+json
  AuthType Digest
  AuthName "{REALM}"
  AuthDigestProvider file
  AuthUserFile {d}/users
  AuthDigestNcCheck On
  Require valid-user
</Directory>
"#
            ),
        )
        .unwrap();
        let process = Command::new(&binary)
            .args(["-f".as_ref(), config.as_os_str(), "-DFOREGROUND".as_ref()])
            .stdout(Stdio::null())
            .stderr(Stdio::piped())
            .spawn()
            .expect("apache2 starts");
        let apache = Self {
            process,
            binary,
            config,
            root,
            address,
        };
        apache.wait_until_listening();
        apache
    }

    fn wait_until_listening(&self) {
        let deadline = Instant::now() + Duration::from_secs(20);
        while TcpStream::connect(&self.address).is_err() {
            assert!(
                Instant::now() < deadline,
                "Apache did not listen on {}: {}",
                self.address,
                std::fs::read_to_string(self.root.path().join("error.log")).unwrap_or_default()
            );
            std::thread::sleep(Duration::from_millis(50));
        }
    }

    /// What Apache answered so far, from its access log (it does not log
    /// what it forgot).
    fn answers(&self) -> Stats {
        let log = std::fs::read_to_string(self.root.path().join("access.log")).unwrap_or_default();
        let mut answers = Stats::default();
        for line in log.lines() {
            let (status, authorization) = line.split_once('|').unwrap_or((line, ""));
            answers.requests += 1;
            // Apache answers a nonce whose entry it collected with
            // `stale=true`, or, when it makes the client a new entry, with a
            // new challenge without `stale`: both are forgotten nonces, as
            // the key is right.
            match status {
                "200" => answers.accepted += 1,
                "401" if authorization == "-" => answers.challenges += 1,
                "401" => answers.stale += 1,
                // Anything else: counted apart, and none is expected.
                _ => answers.refused += 1,
            }
        }
        answers
    }

    /// How often Apache's log says it collected entries of its table, and
    /// answered a nonce whose entry was gone.
    fn forgetting(&self) -> (usize, usize) {
        let log = std::fs::read_to_string(self.root.path().join("error.log")).unwrap_or_default();
        (
            log.matches("AH01766").count(),
            // "client N not found", or in later releases "no longer known".
            log.matches("AH01765").count() + log.matches("AH10618").count(),
        )
    }
}

impl Drop for Apache {
    fn drop(&mut self) {
        let _ = Command::new(&self.binary)
            .args([
                "-f".as_ref(),
                self.config.as_os_str(),
                "-k".as_ref(),
                "stop".as_ref(),
            ])
            .status();
        let _ = self.process.wait();
    }
}

fn readable_by_all(path: &Path) {
    use std::os::unix::fs::PermissionsExt;
    for entry in walk(path) {
        let mode = if entry.is_dir() { 0o755 } else { 0o644 };
        std::fs::set_permissions(&entry, std::fs::Permissions::from_mode(mode)).unwrap();
    }
}

fn walk(path: &Path) -> Vec<PathBuf> {
    let mut paths = vec![path.to_path_buf()];
    if path.is_dir() {
        for entry in std::fs::read_dir(path).unwrap() {
            paths.extend(walk(&entry.unwrap().path()));
        }
    }
    paths
}

fn md5_hex(text: &str) -> String {
    use md5::{Digest, Md5};
    Md5::digest(text.as_bytes())
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

/// Sends `calls` calls at once and asserts that each succeeded; returns
/// what Apache answered meanwhile.
async fn burst(apache: &Apache, client: &Client, calls: usize, what: &str) -> Stats {
    let before = apache.answers();
    let outcomes = join_all((0..calls).map(|_| get_serverless_snapshot(client))).await;
    let answers = apache.answers() - before;
    let failed: Vec<String> = outcomes
        .into_iter()
        .filter_map(|outcome| outcome.err().map(|e| e.to_string()))
        .collect();
    assert!(
        failed.is_empty(),
        "{what}: {} of {calls} calls failed ({answers:?}), the first: {}",
        failed.len(),
        failed[0]
    );
    let calls = u32::try_from(calls).unwrap();
    assert_eq!(answers.refused, 0, "{what}: {answers:?}");
    assert!(
        answers.requests <= calls + answers.challenges + 2 * answers.stale,
        "{what}: {answers:?}"
    );
    eprintln!("{what}: {answers:?}");
    answers
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn concurrent_calls_all_succeed_against_apache_mod_auth_digest() {
    let Some(binary) = apache_binary() else {
        eprintln!(
            "skipped: Apache 2.4 is not installed (no /usr/sbin/apache2); \
             `apt-get install apache2` to run this test, or set APACHE2"
        );
        return;
    };
    let apache = Apache::start(binary);
    let proxy = latency_proxy::start(apache.address.clone(), Duration::from_millis(10));
    let client = || {
        Client::builder()
            .base_url(format!("http://{proxy}"))
            .credentials(Credentials::api_key(PUBLIC_KEY, PRIVATE_KEY))
            .retry(RetryPolicy::none())
            .build()
            .unwrap()
    };

    let fresh = client();
    burst(&apache, &fresh, 200, "200 calls, fresh client").await;
    burst(&apache, &fresh, 200, "200 calls, warm from a burst").await;

    let warm = client();
    for _ in 0..10 {
        get_serverless_snapshot(&warm).await.unwrap();
    }
    burst(&apache, &warm, 32, "32 calls, warm from 10 calls").await;
    burst(&apache, &warm, 200, "200 calls, warm from 10 calls and 32").await;

    let (collections, forgotten) = apache.forgetting();
    eprintln!(
        "Apache collected its table {collections} times and answered {forgotten} forgotten nonces"
    );
}
