//! The Digest nonces an API key holds. Each nonce is lent to one request
//! at a time and its count grows by one per request, so the counts of a
//! nonce reach the server in order: a server that checks them, by
//! demanding the next count (Apache's `AuthDigestNcCheck`) or a higher one,
//! accepts every request. More nonces let more requests be in flight at
//! once; each costs a challenge to obtain.

use std::sync::Mutex;

use digest_auth::WwwAuthenticateHeader;
use tokio::sync::{Semaphore, SemaphorePermit};

#[derive(Debug)]
pub(crate) struct NoncePool {
    /// One permit per nonce the pool may hold: a call waits for a permit,
    /// so the first challenge is fetched once while the others wait.
    permits: Semaphore,
    idle: Mutex<Vec<WwwAuthenticateHeader>>,
}

/// A nonce lent to one call, or the right to fetch one when the pool has
/// none to lend. Dropping it gives the nonce back, unless a request that
/// used it got no answer: the server may or may not have counted that
/// request, so the nonce's count is no longer known.
pub(crate) struct Lease<'a> {
    _permit: SemaphorePermit<'a>,
    idle: &'a Mutex<Vec<WwwAuthenticateHeader>>,
    challenge: Option<WwwAuthenticateHeader>,
    in_doubt: bool,
}

impl NoncePool {
    /// A pool of at most `size` nonces (at least one).
    pub(crate) fn new(size: usize) -> Self {
        Self {
            permits: Semaphore::new(size.clamp(1, Semaphore::MAX_PERMITS)),
            idle: Mutex::new(Vec::new()),
        }
    }

    /// Waits until a nonce, or the right to fetch one, is free.
    pub(crate) async fn lease(&self) -> Lease<'_> {
        let permit = self
            .permits
            .acquire()
            .await
            .expect("the pool never closes its semaphore");
        let challenge = lock(&self.idle).pop();
        Lease {
            _permit: permit,
            idle: &self.idle,
            challenge,
            in_doubt: false,
        }
    }
}

impl Lease<'_> {
    /// The challenge whose nonce this call answers, if it has one.
    pub(crate) fn challenge(&mut self) -> Option<&mut WwwAuthenticateHeader> {
        self.challenge.as_mut()
    }

    /// Answers `challenge` from now on: its count starts afresh, unless
    /// it repeats the nonce already held, whose counts were used.
    pub(crate) fn replace(&mut self, mut challenge: WwwAuthenticateHeader) {
        if let Some(held) = self
            .challenge
            .as_ref()
            .filter(|h| h.nonce == challenge.nonce)
        {
            challenge.nc = held.nc;
        }
        self.challenge = Some(challenge);
        self.in_doubt = false;
    }

    /// Marks a request with the current count as sent but not answered.
    pub(crate) fn sending(&mut self) {
        self.in_doubt = true;
    }

    /// Marks the request as answered.
    pub(crate) fn answered(&mut self) {
        self.in_doubt = false;
    }
}

impl Drop for Lease<'_> {
    fn drop(&mut self) {
        if let Some(challenge) = self.challenge.take().filter(|_| !self.in_doubt) {
            lock(self.idle).push(challenge);
        }
    }
}

/// The idle nonces, even after a panic elsewhere: a `Vec` push or pop
/// cannot leave them half-changed.
fn lock(
    idle: &Mutex<Vec<WwwAuthenticateHeader>>,
) -> std::sync::MutexGuard<'_, Vec<WwwAuthenticateHeader>> {
    idle.lock().unwrap_or_else(|e| e.into_inner())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn challenge(nonce: &str) -> WwwAuthenticateHeader {
        WwwAuthenticateHeader::parse(&format!(r#"Digest realm="r", nonce="{nonce}", qop="auth""#))
            .unwrap()
    }

    #[tokio::test]
    async fn a_nonce_is_lent_to_one_call_at_a_time_and_given_back() {
        let pool = NoncePool::new(1);
        let mut first = pool.lease().await;
        assert!(first.challenge().is_none(), "a new pool has no nonce");
        first.replace(challenge("a"));
        let waiting = pool.lease();
        tokio::pin!(waiting);
        assert!(
            futures_util::FutureExt::now_or_never(&mut waiting).is_none(),
            "a second call waits while the only nonce is lent"
        );
        drop(first);
        let mut second = waiting.await;
        assert_eq!(second.challenge().unwrap().nonce, "a");
    }

    #[tokio::test]
    async fn a_nonce_whose_request_got_no_answer_is_dropped() {
        let pool = NoncePool::new(1);
        let mut lease = pool.lease().await;
        lease.replace(challenge("a"));
        lease.sending();
        drop(lease);
        assert!(pool.lease().await.challenge().is_none());

        let mut lease = pool.lease().await;
        lease.replace(challenge("b"));
        lease.sending();
        lease.answered();
        drop(lease);
        assert_eq!(pool.lease().await.challenge().unwrap().nonce, "b");
    }

    #[tokio::test]
    async fn a_repeated_nonce_keeps_its_count_and_a_new_one_starts_afresh() {
        let pool = NoncePool::new(1);
        let mut lease = pool.lease().await;
        lease.replace(challenge("a"));
        lease.challenge().unwrap().nc = 7;
        lease.replace(challenge("a"));
        assert_eq!(lease.challenge().unwrap().nc, 7);
        lease.replace(challenge("b"));
        assert_eq!(lease.challenge().unwrap().nc, 0);
    }

    #[tokio::test]
    async fn a_larger_pool_lends_several_nonces_at_once() {
        let pool = NoncePool::new(2);
        let (mut a, mut b) = (pool.lease().await, pool.lease().await);
        a.replace(challenge("a"));
        b.replace(challenge("b"));
        drop((a, b));
        let (mut a, mut b) = (pool.lease().await, pool.lease().await);
        let mut nonces = [
            a.challenge().unwrap().nonce.clone(),
            b.challenge().unwrap().nonce.clone(),
        ];
        nonces.sort();
        assert_eq!(nonces, ["a", "b"]);
    }
}
