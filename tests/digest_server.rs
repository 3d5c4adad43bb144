//! A local HTTP server that checks Digest answers (RFC 7616, MD5,
//! `qop=auth`) as strictly as Apache's `mod_auth_digest` with
//! `AuthDigestNcCheck On`: each nonce's counts must arrive one after the
//! other, `00000001` first, and any other count is refused with a new
//! challenge that looks like a refused key (`stale=false`). Like Apache,
//! it keeps the state of a bounded number of nonces (Apache's
//! `AuthDigestShmemSize`): each challenge adds one, the least recently
//! used is forgotten when the table is full, even while a client still
//! uses it, and a correct answer to a forgotten nonce gets a new one with
//! `stale=true`. It counts what it answered, so tests and benchmarks can
//! bound the requests a client sends.

use std::collections::{BTreeMap, HashMap};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use md5::{Digest, Md5};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;

pub const PUBLIC_KEY: &str = "abcdefgh";
pub const PRIVATE_KEY: &str = "7a6f1c2e-0d7b-4f4e-9c1a-2b3c4d5e6f70";
pub const REALM: &str = "MMS Public API";

/// How many nonces the server keeps unless told: room for every nonce a
/// client opens, as a server with a large table has.
pub const DEFAULT_KEPT_NONCES: usize = 1_000;

/// How the server behaves beyond checking answers.
#[derive(Clone, Debug)]
pub struct Options {
    /// The most nonces whose state the server keeps; the least recently
    /// used is forgotten to make room for a new one.
    pub kept_nonces: usize,
    /// Accepted answers per nonce; the next answer to it is refused as
    /// stale (`stale=true`), as an expired nonce is.
    pub uses_per_nonce: Option<u32>,
    /// Give a `nextnonce` with every accepted answer, and take no more
    /// answers to the nonce it replaces.
    pub next_nonce: bool,
    /// Answer a correct answer to a forgotten nonce with a new challenge
    /// without `stale`, as Apache does for a client entry it collected,
    /// even one it gave a moment before.
    pub renew_forgotten_without_stale: bool,
    /// Also accept `Authorization: Bearer` with this token, to compare
    /// with Digest.
    pub bearer_token: Option<String>,
    /// How long the server takes over each answer, as a network would.
    pub latency: Duration,
    /// The body of every accepted request, sent as
    /// `application/vnd.atlas.2023-01-01+json`.
    pub body: String,
}

impl Default for Options {
    fn default() -> Self {
        Self {
            kept_nonces: DEFAULT_KEPT_NONCES,
            uses_per_nonce: None,
            next_nonce: false,
            renew_forgotten_without_stale: false,
            bearer_token: None,
            latency: Duration::ZERO,
            body: String::new(),
        }
    }
}

/// What the server answered, by kind.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Stats {
    /// Every request received.
    pub requests: u32,
    /// 401s to requests without `Authorization`.
    pub challenges: u32,
    /// 401s to answers that were wrong: the key, the digest, or the count.
    pub refused: u32,
    /// 401s to correct answers to a nonce that expired or was forgotten
    /// (`stale=true`, unless `renew_forgotten_without_stale`).
    pub stale: u32,
    /// Nonces forgotten to make room for new ones.
    pub forgotten: u32,
    /// Requests let through.
    pub accepted: u32,
}

impl std::ops::Sub for Stats {
    type Output = Stats;

    /// What the server answered between two readings.
    fn sub(self, earlier: Stats) -> Stats {
        Stats {
            requests: self.requests - earlier.requests,
            challenges: self.challenges - earlier.challenges,
            refused: self.refused - earlier.refused,
            stale: self.stale - earlier.stale,
            forgotten: self.forgotten - earlier.forgotten,
            accepted: self.accepted - earlier.accepted,
        }
    }
}

pub struct DigestServer {
    base_url: String,
    state: Arc<Mutex<State>>,
}

#[derive(Default)]
struct State {
    options: Options,
    stats: Stats,
    /// The key was revoked: every answer is refused.
    revoked: bool,
    /// The next count each kept nonce must carry, its uses so far, and
    /// when it was last used.
    nonces: HashMap<String, Nonce>,
    /// The kept nonces by when they were last used, the least recent first.
    by_use: BTreeMap<u64, String>,
    /// Counts issues and uses, to order them.
    clock: u64,
    issued: u32,
}

struct Nonce {
    next_nc: u32,
    uses: u32,
    last_used: u64,
}

impl DigestServer {
    /// Starts a server on a free local port, on a thread of its own.
    pub fn start(options: Options) -> Self {
        let state = Arc::new(Mutex::new(State {
            options,
            ..State::default()
        }));
        let shared = Arc::clone(&state);
        let address = crate::serve_locally(move |stream| connection(stream, Arc::clone(&shared)));
        let base_url = format!("http://{address}");
        Self { base_url, state }
    }

    pub fn base_url(&self) -> &str {
        &self.base_url
    }

    pub fn stats(&self) -> Stats {
        self.state.lock().unwrap().stats
    }

    /// Refuses every answer from now on, as a server does once the key
    /// is revoked, without `stale`.
    pub fn revoke_key(&self) {
        self.state.lock().unwrap().revoked = true;
    }
}

/// Answers every request of one connection until the client closes it.
async fn connection(mut stream: TcpStream, state: Arc<Mutex<State>>) {
    let mut buffer = Vec::with_capacity(4096);
    loop {
        while let Some(end) = buffer.windows(4).position(|w| w == b"\r\n\r\n") {
            let head = String::from_utf8_lossy(&buffer[..end]).into_owned();
            let body_length = header(&head, "content-length")
                .and_then(|v| v.parse::<usize>().ok())
                .unwrap_or(0);
            if buffer.len() < end + 4 + body_length {
                break;
            }
            buffer.drain(..end + 4 + body_length);
            let (response, latency) = {
                let mut state = state.lock().unwrap();
                (state.answer(&head), state.options.latency)
            };
            if !latency.is_zero() {
                tokio::time::sleep(latency).await;
            }
            if stream.write_all(response.as_bytes()).await.is_err() {
                return;
            }
        }
        match stream.read_buf(&mut buffer).await {
            Ok(0) | Err(_) => return,
            Ok(_) => {}
        }
    }
}

/// The value of header `name` in a request head.
fn header<'a>(head: &'a str, name: &str) -> Option<&'a str> {
    head.lines().skip(1).find_map(|line| {
        let (key, value) = line.split_once(':')?;
        key.trim().eq_ignore_ascii_case(name).then(|| value.trim())
    })
}

impl State {
    fn answer(&mut self, head: &str) -> String {
        self.stats.requests += 1;
        let mut request_line = head.lines().next().unwrap_or_default().split(' ');
        let method = request_line.next().unwrap_or_default();
        let uri = request_line.next().unwrap_or_default();
        let Some(authorization) = header(head, "authorization") else {
            self.stats.challenges += 1;
            return self.challenge(false);
        };
        if let Some(token) = authorization.strip_prefix("Bearer ") {
            if self.options.bearer_token.as_deref() == Some(token) {
                return self.accept(None);
            }
            self.stats.refused += 1;
            return self.challenge(false);
        }
        let Some(fields) = digest_fields(authorization) else {
            self.stats.refused += 1;
            return self.challenge(false);
        };
        let field = |name: &str| fields.get(name).map(String::as_str).unwrap_or_default();
        let expected = digest_response(method, uri, field("nonce"), field("nc"), field("cnonce"));
        let correct = !self.revoked
            && field("username") == PUBLIC_KEY
            && field("realm") == REALM
            && field("uri") == uri
            && field("qop") == "auth"
            && !field("cnonce").is_empty()
            && field("response") == expected;
        if !correct {
            self.stats.refused += 1;
            return self.challenge(false);
        }
        let uses_per_nonce = self.options.uses_per_nonce;
        let Some(nonce) = self.nonces.get_mut(field("nonce")) else {
            self.stats.stale += 1;
            return self.challenge(!self.options.renew_forgotten_without_stale);
        };
        if uses_per_nonce.is_some_and(|limit| nonce.uses >= limit) {
            self.forget(field("nonce"));
            self.stats.stale += 1;
            return self.challenge(true);
        }
        if u32::from_str_radix(field("nc"), 16).ok() != Some(nonce.next_nc) {
            self.stats.refused += 1;
            return self.challenge(false);
        }
        nonce.next_nc += 1;
        nonce.uses += 1;
        self.used(field("nonce"));
        let retired = self.options.next_nonce.then(|| field("nonce").to_string());
        self.accept(retired)
    }

    /// A 200 with the body; with `nextnonce` in place of `retired`, if given.
    fn accept(&mut self, retired: Option<String>) -> String {
        self.stats.accepted += 1;
        let info = match retired {
            Some(old) => {
                self.forget(&old);
                format!(
                    "Authentication-Info: qop=auth, nextnonce=\"{}\"\r\n",
                    self.issue()
                )
            }
            None => String::new(),
        };
        let body = &self.options.body;
        format!(
            "HTTP/1.1 200 OK\r\ncontent-type: application/vnd.atlas.2023-01-01+json\r\n{info}content-length: {}\r\n\r\n{body}",
            body.len()
        )
    }

    fn challenge(&mut self, stale: bool) -> String {
        let nonce = self.issue();
        let body = r#"{"error":401,"errorCode":"UNAUTHORIZED","detail":"refused"}"#;
        format!(
            "HTTP/1.1 401 Unauthorized\r\nwww-authenticate: {}\r\ncontent-type: application/json\r\ncontent-length: {}\r\n\r\n{body}",
            challenge(&nonce, stale),
            body.len()
        )
    }

    /// A new nonce, base64-like with `+`, `/` and `=` as Atlas's are.
    fn issue(&mut self) -> String {
        self.issued += 1;
        let nonce = format!(
            "n{}+/{:08x}==",
            self.issued,
            self.issued.wrapping_mul(2_654_435_761)
        );
        while self.nonces.len() >= self.options.kept_nonces.max(1) {
            let (_, oldest) = self.by_use.pop_first().expect("a kept nonce");
            self.nonces.remove(&oldest);
            self.stats.forgotten += 1;
        }
        self.clock += 1;
        self.by_use.insert(self.clock, nonce.clone());
        self.nonces.insert(
            nonce.clone(),
            Nonce {
                next_nc: 1,
                uses: 0,
                last_used: self.clock,
            },
        );
        nonce
    }

    /// Marks `nonce` as the most recently used.
    fn used(&mut self, nonce: &str) {
        self.clock += 1;
        if let Some(kept) = self.nonces.get_mut(nonce) {
            self.by_use.remove(&kept.last_used);
            kept.last_used = self.clock;
            self.by_use.insert(self.clock, nonce.to_string());
        }
    }

    fn forget(&mut self, nonce: &str) {
        if let Some(kept) = self.nonces.remove(nonce) {
            self.by_use.remove(&kept.last_used);
        }
    }
}

/// A `WWW-Authenticate` Digest challenge as Atlas words it.
pub fn challenge(nonce: &str, stale: bool) -> String {
    format!(
        r#"Digest realm="{REALM}", domain="", nonce="{nonce}", algorithm=MD5, qop="auth", stale={stale}"#
    )
}

/// The fields of a Digest `Authorization` header.
pub fn digest_fields(header: &str) -> Option<HashMap<String, String>> {
    let rest = header.strip_prefix("Digest ")?;
    let mut fields = HashMap::new();
    let mut chars = rest.chars().peekable();
    loop {
        let name: String = chars.by_ref().take_while(|&c| c != '=').collect();
        let name = name.trim().trim_start_matches(',').trim().to_string();
        if name.is_empty() {
            return Some(fields);
        }
        let value: String = if chars.peek() == Some(&'"') {
            chars.next();
            let value = chars.by_ref().take_while(|&c| c != '"').collect();
            chars.next_if_eq(&',');
            value
        } else {
            chars.by_ref().take_while(|&c| c != ',').collect()
        };
        fields.insert(name, value.trim().to_string());
    }
}

/// The RFC 7616 MD5 `response` of [`PUBLIC_KEY`] and [`PRIVATE_KEY`] with
/// `qop=auth`.
pub fn digest_response(method: &str, uri: &str, nonce: &str, nc: &str, cnonce: &str) -> String {
    let ha1 = md5_hex(&format!("{PUBLIC_KEY}:{REALM}:{PRIVATE_KEY}"));
    let ha2 = md5_hex(&format!("{method}:{uri}"));
    md5_hex(&format!("{ha1}:{nonce}:{nc}:{cnonce}:auth:{ha2}"))
}

fn md5_hex(text: &str) -> String {
    Md5::digest(text.as_bytes())
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}
