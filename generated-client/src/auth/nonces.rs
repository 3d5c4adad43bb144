//! The Digest nonces an API key holds. Each nonce is lent to one request
//! at a time and its count grows by one per request, so the counts of a
//! nonce reach the server in order: a server that checks them, by
//! demanding the next count (Apache's `AuthDigestNcCheck`) or a higher one,
//! accepts every request.
//!
//! The pool grows with demand. It starts empty: the first call fetches the
//! first challenge while the calls that come meanwhile wait for it. Once
//! the server has accepted an answer, so that the key is known to be good,
//! a call that finds every nonce lent adds one, with one challenge of its
//! own, until the pool holds its most. A nonce left idle longer than
//! [`IDLE_LIFETIME`] is dropped, but the pool keeps its last one, so a
//! caller that calls now and then pays no new challenge.

use std::pin::pin;
use std::sync::{Mutex, MutexGuard};
use std::time::Duration;

use digest_auth::WwwAuthenticateHeader;
use tokio::sync::Notify;
use tokio::time::Instant;

/// How long a nonce may stay unused before it is dropped: Apache's
/// default nonce lifetime, after which its server refuses the nonce as
/// stale anyway.
pub(crate) const IDLE_LIFETIME: Duration = Duration::from_secs(300);

#[derive(Debug)]
pub(crate) struct NoncePool {
    /// The most nonces the pool holds, and so requests in flight at once.
    most: usize,
    state: Mutex<State>,
    /// Woken when a nonce is given back, or when the pool may grow.
    changed: Notify,
}

#[derive(Debug, Default)]
struct State {
    /// Nonces not lent, the most recently used last.
    idle: Vec<Idle>,
    /// Every nonce the pool holds: idle, lent, or being fetched.
    held: usize,
    /// Whether the server accepted an answer since the key was last
    /// refused: only then is a nonce worth adding.
    accepted: bool,
}

#[derive(Debug)]
struct Idle {
    challenge: WwwAuthenticateHeader,
    since: Instant,
}

/// A nonce lent to one call, or the right to fetch one. Dropping it gives
/// the nonce back, unless a request that used it got no answer: the server
/// may or may not have counted that request, so the nonce's count is no
/// longer known, and the nonce is dropped.
pub(crate) struct Lease<'a> {
    pool: &'a NoncePool,
    challenge: Option<WwwAuthenticateHeader>,
    in_doubt: bool,
}

impl NoncePool {
    /// A pool of at most `most` nonces (at least one).
    pub(crate) fn new(most: usize) -> Self {
        Self {
            most: most.max(1),
            state: Mutex::new(State::default()),
            changed: Notify::new(),
        }
    }

    /// Waits until a nonce is free, or until this call may add one, as the
    /// first or because the pool may grow.
    pub(crate) async fn lease(&self) -> Lease<'_> {
        loop {
            // Registered before the state is read, so that a change made
            // between the two still wakes this call.
            let mut changed = pin!(self.changed.notified());
            changed.as_mut().enable();
            {
                let mut state = self.lock();
                state.expire(Instant::now());
                if let Some(idle) = state.idle.pop() {
                    return self.lent(Some(idle.challenge));
                }
                if state.held == 0 || (state.accepted && state.held < self.most) {
                    state.held += 1;
                    return self.lent(None);
                }
            }
            changed.await;
        }
    }

    fn lent(&self, challenge: Option<WwwAuthenticateHeader>) -> Lease<'_> {
        Lease {
            pool: self,
            challenge,
            in_doubt: false,
        }
    }

    /// The state, even after a panic elsewhere: each change leaves it whole.
    fn lock(&self) -> MutexGuard<'_, State> {
        self.state.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// How many nonces the pool holds.
    #[cfg(test)]
    fn held(&self) -> usize {
        self.lock().held
    }
}

impl State {
    /// Drops the nonces idle for longer than [`IDLE_LIFETIME`], the last
    /// one held excepted.
    fn expire(&mut self, now: Instant) {
        let stale = self
            .idle
            .iter()
            .take_while(|idle| now.duration_since(idle.since) > IDLE_LIFETIME)
            .count()
            .min(self.held.saturating_sub(1));
        self.idle.drain(..stale);
        self.held -= stale;
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

    /// The server accepted an answer: the key is good, and the pool may
    /// grow when calls wait.
    pub(crate) fn accepted(&self) {
        let grows = !std::mem::replace(&mut self.pool.lock().accepted, true);
        if grows {
            self.pool.changed.notify_waiters();
        }
    }

    /// The server refused the key: no nonce is added until it accepts one.
    pub(crate) fn refused(&self) {
        self.pool.lock().accepted = false;
    }
}

impl Drop for Lease<'_> {
    fn drop(&mut self) {
        let mut state = self.pool.lock();
        match self.challenge.take().filter(|_| !self.in_doubt) {
            Some(challenge) => {
                state.idle.push(Idle {
                    challenge,
                    since: Instant::now(),
                });
                drop(state);
                self.pool.changed.notify_one();
            }
            None => {
                // One fewer nonce: a waiting call may fetch one.
                state.held -= 1;
                drop(state);
                self.pool.changed.notify_waiters();
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use std::future::Future;

    use futures_util::FutureExt;

    use super::*;

    fn challenge(nonce: &str) -> WwwAuthenticateHeader {
        WwwAuthenticateHeader::parse(&format!(r#"Digest realm="r", nonce="{nonce}", qop="auth""#))
            .unwrap()
    }

    /// Whether `lease` is still waiting, after a turn for what it awaits.
    async fn waits<'a>(lease: &mut std::pin::Pin<&mut impl Future<Output = Lease<'a>>>) -> bool {
        tokio::task::yield_now().await;
        lease.as_mut().now_or_never().is_none()
    }

    #[tokio::test]
    async fn a_nonce_is_lent_to_one_call_at_a_time_and_given_back() {
        let pool = NoncePool::new(1);
        let mut first = pool.lease().await;
        assert!(first.challenge().is_none(), "a new pool has no nonce");
        first.replace(challenge("a"));
        first.accepted();
        let mut waiting = pin!(pool.lease());
        assert!(
            waits(&mut waiting).await,
            "a second call waits while the only nonce is lent"
        );
        drop(first);
        let mut second = waiting.await;
        assert_eq!(second.challenge().unwrap().nonce, "a");
    }

    #[tokio::test]
    async fn the_first_challenge_is_fetched_once_and_the_pool_grows_after_an_accepted_answer() {
        let pool = NoncePool::new(4);
        let mut first = pool.lease().await;
        assert!(first.challenge().is_none());
        let mut second = pin!(pool.lease());
        assert!(waits(&mut second).await, "the first challenge is shared");
        first.replace(challenge("a"));
        assert!(
            waits(&mut second).await,
            "no nonce is added before the key is known to be good"
        );
        first.accepted();
        let mut second = second.await;
        assert!(second.challenge().is_none(), "the second call adds a nonce");
        second.replace(challenge("b"));
        assert_eq!(pool.held(), 2);
        drop((first, second));
        let (mut a, mut b) = (pool.lease().await, pool.lease().await);
        let mut nonces = [
            a.challenge().unwrap().nonce.clone(),
            b.challenge().unwrap().nonce.clone(),
        ];
        nonces.sort();
        assert_eq!(
            nonces,
            ["a", "b"],
            "nonces are reused before more are added"
        );
    }

    /// One lease a nonce of `nonces`, each answered and accepted.
    async fn lend_accepted<'a>(pool: &'a NoncePool, nonces: &[&str]) -> Vec<Lease<'a>> {
        let mut leases = Vec::new();
        for nonce in nonces {
            let mut lease = pool.lease().await;
            lease.replace(challenge(nonce));
            lease.accepted();
            leases.push(lease);
        }
        leases
    }

    #[tokio::test]
    async fn the_pool_stops_growing_at_its_most() {
        let pool = NoncePool::new(3);
        let mut leases = lend_accepted(&pool, &["a", "b", "c"]).await;
        let mut fourth = pin!(pool.lease());
        assert!(waits(&mut fourth).await, "three nonces, all lent");
        assert_eq!(pool.held(), 3);
        drop(leases.pop());
        assert_eq!(fourth.await.challenge().unwrap().nonce, "c");
    }

    #[tokio::test]
    async fn a_refused_key_stops_the_pool_growing() {
        let pool = NoncePool::new(4);
        let mut first = pool.lease().await;
        first.replace(challenge("a"));
        first.accepted();
        first.refused();
        let mut second = pin!(pool.lease());
        assert!(waits(&mut second).await, "{} nonces", pool.held());
        drop(first);
        assert_eq!(second.await.challenge().unwrap().nonce, "a");
    }

    #[tokio::test]
    async fn a_nonce_whose_request_got_no_answer_is_dropped() {
        let pool = NoncePool::new(1);
        let mut lease = pool.lease().await;
        lease.replace(challenge("a"));
        lease.sending();
        drop(lease);
        assert_eq!(pool.held(), 0);
        assert!(pool.lease().await.challenge().is_none());

        let mut lease = pool.lease().await;
        lease.replace(challenge("b"));
        lease.sending();
        lease.answered();
        drop(lease);
        assert_eq!(pool.lease().await.challenge().unwrap().nonce, "b");
    }

    #[tokio::test]
    async fn a_failed_first_fetch_lets_a_waiting_call_fetch() {
        let pool = NoncePool::new(4);
        let first = pool.lease().await;
        let mut second = pin!(pool.lease());
        assert!(waits(&mut second).await);
        drop(first);
        assert!(second.await.challenge().is_none(), "the next call fetches");
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

    #[tokio::test(start_paused = true)]
    async fn idle_nonces_expire_but_the_last_is_kept() {
        let pool = NoncePool::new(3);
        let leases = lend_accepted(&pool, &["a", "b", "c"]).await;
        drop(leases);
        tokio::time::advance(IDLE_LIFETIME - Duration::from_secs(1)).await;
        // Used again, "c" is no longer idle since the burst.
        drop(pool.lease().await);
        assert_eq!(pool.held(), 3, "none idle past its lifetime yet");

        tokio::time::advance(Duration::from_secs(2)).await;
        let mut lease = pool.lease().await;
        assert_eq!(lease.challenge().unwrap().nonce, "c");
        assert_eq!(pool.held(), 1, "a and b expired");
        drop(lease);

        tokio::time::advance(IDLE_LIFETIME * 2).await;
        let mut lease = pool.lease().await;
        assert_eq!(
            lease.challenge().unwrap().nonce,
            "c",
            "the last nonce is kept"
        );
    }
}
