//! The Digest nonces an API key holds. Each nonce is lent to one request
//! at a time and its count grows by one per request, so the counts of a
//! nonce reach the server in order: a server that checks them, by
//! demanding the next count (Apache's `AuthDigestNcCheck`) or a higher one,
//! accepts every request.
//!
//! The pool learns how many nonces the server keeps. A server keeps some
//! state per nonce it gave, in a table of bounded size (Apache's
//! `AuthDigestShmemSize`); when the table is full it forgets the oldest
//! entries, even ones in use, and answers them with `stale=true`. So the
//! pool grows as TCP grows its window: it starts with the first
//! challenge's nonce; once the server accepts an answer while calls wait,
//! it may hold half its most, then four more nonces per accepted answer up
//! to its most. When the server forgets a nonce the pool held, the pool
//! shrinks to 70%, once per forgetting however many nonces it loses at
//! once, dropping nonces as they come back, and then grows by one only
//! after a long run of accepted answers (additive increase, multiplicative
//! decrease). A nonce left idle longer than
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

/// Until the server first forgets a nonce, each accepted answer while
/// calls wait lets the pool hold this many more. A new nonce costs a
/// challenge before its first answer, so one per answer, TCP's slow start,
/// would double the pool only every second round trip.
const NONCES_ADDED_PER_ANSWER: usize = 4;

/// The first answer the server accepts while calls wait opens the window
/// to this share of the pool's most at once, as TCP starts from ten
/// segments rather than one (RFC 6928): growing from one nonce would cost
/// the first batch of calls round trips, and a server that keeps fewer
/// nonces forgets some once, after which the pool holds what it keeps.
const FIRST_WINDOW_OF_MOST: (usize, usize) = (1, 2);

/// The share of its window the pool keeps when the server forgets a
/// nonce, as a fraction: TCP CUBIC's 0.7, which settles nearer the
/// server's bound than halving does.
const KEPT_AFTER_FORGETTING: (usize, usize) = (7, 10);

/// Once the server has forgotten a nonce, the pool grows by one nonce
/// only after this many accepted answers per nonce it may hold: a long
/// run, as a server that forgot once is near its bound, and each probe
/// past it costs stale answers.
const ANSWERS_PER_NONCE_TO_GROW: usize = 8;

#[derive(Debug)]
pub(crate) struct NoncePool {
    /// The most nonces the pool holds, and so requests in flight at once.
    most: usize,
    state: Mutex<State>,
    /// Woken when a nonce is given back, or when the pool may grow.
    changed: Notify,
}

#[derive(Debug)]
struct State {
    /// Nonces not lent, the most recently used last.
    idle: Vec<Idle>,
    /// Every nonce the pool holds: idle, lent, or being fetched.
    held: usize,
    /// What the server said of the key last.
    key: Key,
    /// How many nonces the pool may hold now: its window.
    window: usize,
    /// Below it the window grows by four per accepted answer; from it, by
    /// one per long run of them. Shrunk with the window when the server
    /// forgets a nonce.
    threshold: usize,
    /// Accepted answers since the window last grew, above the threshold.
    run: usize,
    /// Counts the shrinkings, so that nonces the server forgot at once
    /// shrink the window once: a forgetting seen on a nonce the server last
    /// gave or accepted before the last shrinking was answered by it.
    epoch: u64,
    /// Calls waiting for a nonce: the window grows only when they do.
    waiting: usize,
    /// Answers the server accepted, to tell whether the key still works.
    answers_accepted: u64,
}

/// What the server said of the key.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Key {
    /// Nothing yet: no answer was accepted or refused.
    Unknown,
    /// It accepted an answer: the key is good.
    Accepted,
    /// It refused an answer to a nonce it had just given, and has
    /// accepted none since.
    Refused,
}

#[derive(Debug)]
struct Idle {
    nonce: Nonce,
    since: Instant,
}

/// A nonce's challenge, and whether the server has accepted an answer to
/// it: a refusal of a nonce it accepted before may mean it forgot it.
#[derive(Debug)]
struct Nonce {
    challenge: WwwAuthenticateHeader,
    accepted: bool,
    /// The pool's epoch when the server last gave or accepted it.
    epoch: u64,
}

/// A nonce lent to one call, or the right to fetch one. Dropping it gives
/// the nonce back, unless a request that used it got no answer: the server
/// may or may not have counted that request, so the nonce's count is no
/// longer known, and the nonce is dropped. A nonce given back while the
/// pool holds more than its window is dropped too.
pub(crate) struct Lease<'a> {
    pool: &'a NoncePool,
    nonce: Option<Nonce>,
    in_doubt: bool,
}

impl NoncePool {
    /// A pool of at most `most` nonces (at least one).
    pub(crate) fn new(most: usize) -> Self {
        let most = most.max(1);
        Self {
            most,
            state: Mutex::new(State {
                idle: Vec::new(),
                held: 0,
                key: Key::Unknown,
                window: 1,
                threshold: most,
                run: 0,
                epoch: 0,
                waiting: 0,
                answers_accepted: 0,
            }),
            changed: Notify::new(),
        }
    }

    /// Waits until a nonce is free, or until this call may add one, as the
    /// first or because the window has room.
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
                    return self.lent(Some(idle.nonce));
                }
                if state.held == 0 || (state.key == Key::Accepted && state.held < state.window) {
                    state.held += 1;
                    return self.lent(None);
                }
                state.waiting += 1;
            }
            let waiting = Waiting(self);
            changed.await;
            drop(waiting);
        }
    }

    fn lent(&self, nonce: Option<Nonce>) -> Lease<'_> {
        Lease {
            pool: self,
            nonce,
            in_doubt: false,
        }
    }

    /// The state, even after a panic elsewhere: each change leaves it whole.
    fn lock(&self) -> MutexGuard<'_, State> {
        self.state.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// Whether the server refused the key and has accepted no answer since.
    pub(crate) fn key_refused(&self) -> bool {
        self.lock().key == Key::Refused
    }

    /// Whether the server accepted the key, and has not refused it since.
    pub(crate) fn key_accepted(&self) -> bool {
        self.lock().key == Key::Accepted
    }

    /// How many answers of any call the server has accepted.
    pub(crate) fn answers_accepted(&self) -> u64 {
        self.lock().answers_accepted
    }

    /// How many nonces the pool holds, and may hold now.
    #[cfg(test)]
    fn held(&self) -> (usize, usize) {
        let state = self.lock();
        (state.held, state.window)
    }
}

/// Counts a call waiting in [`NoncePool::lease`] until it wakes, or until
/// its future is dropped while it waits.
struct Waiting<'a>(&'a NoncePool);

impl Drop for Waiting<'_> {
    fn drop(&mut self) {
        self.0.lock().waiting -= 1;
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

    /// An accepted answer while calls wait grows the window: the first to
    /// its first window, then by four each below the threshold, by one per
    /// long run above it.
    fn grow(&mut self, most: usize, first: bool) -> bool {
        if self.waiting == 0 || self.held < self.window || self.window >= most {
            return false;
        }
        if self.window < self.threshold {
            let (share, of) = FIRST_WINDOW_OF_MOST;
            let opened = if first { most * share / of } else { 0 };
            self.window = (self.window + NONCES_ADDED_PER_ANSWER)
                .max(opened)
                .min(most);
            return true;
        }
        self.run += 1;
        if self.run < self.window * ANSWERS_PER_NONCE_TO_GROW {
            return false;
        }
        self.run = 0;
        self.window += 1;
        true
    }
}

impl Lease<'_> {
    /// The challenge whose nonce this call answers, if it has one.
    pub(crate) fn challenge(&mut self) -> Option<&mut WwwAuthenticateHeader> {
        self.nonce.as_mut().map(|n| &mut n.challenge)
    }

    /// Whether the server accepted an answer to this nonce before.
    pub(crate) fn was_accepted(&self) -> bool {
        self.nonce.as_ref().is_some_and(|n| n.accepted)
    }

    /// Answers `challenge` from now on: its count starts afresh, unless
    /// it repeats the nonce already held, whose counts were used.
    pub(crate) fn replace(&mut self, mut challenge: WwwAuthenticateHeader) {
        let held = self
            .nonce
            .take()
            .filter(|h| h.challenge.nonce == challenge.nonce);
        let accepted = held.as_ref().is_some_and(|h| h.accepted);
        if let Some(held) = held {
            challenge.nc = held.challenge.nc;
        }
        self.nonce = Some(Nonce {
            challenge,
            accepted,
            epoch: self.pool.lock().epoch,
        });
        self.in_doubt = false;
    }

    /// Drops the nonce: the pool holds one fewer.
    pub(crate) fn discard(&mut self) {
        self.nonce = None;
    }

    /// Marks a request with the current count as sent but not answered.
    pub(crate) fn sending(&mut self) {
        self.in_doubt = true;
    }

    /// Marks the request as answered.
    pub(crate) fn answered(&mut self) {
        self.in_doubt = false;
    }

    /// The server accepted an answer: the key is good, the nonce too, and
    /// the window grows if calls wait.
    pub(crate) fn accepted(&mut self) {
        let mut state = self.pool.lock();
        if let Some(nonce) = &mut self.nonce {
            nonce.accepted = true;
            nonce.epoch = state.epoch;
        }
        state.answers_accepted += 1;
        let first = std::mem::replace(&mut state.key, Key::Accepted) != Key::Accepted;
        let grew = state.grow(self.pool.most, first);
        drop(state);
        if first || grew {
            self.pool.changed.notify_waiters();
        }
    }

    /// The server forgot the nonce this call answered: the window shrinks,
    /// unless it shrank since the server last gave or accepted the nonce,
    /// which it may have forgotten as long ago, or the pool still holds
    /// more than its window, so that forgetting is expected.
    pub(crate) fn forgotten(&mut self) {
        let mut state = self.pool.lock();
        let recent = self.nonce.as_ref().is_some_and(|n| n.epoch == state.epoch);
        if recent && state.held <= state.window {
            state.epoch += 1;
            let (kept, of) = KEPT_AFTER_FORGETTING;
            state.window = (state.window * kept / of).max(1);
            state.threshold = state.window;
            state.run = 0;
        }
    }

    /// The server refused the key: no nonce is added until it accepts one.
    pub(crate) fn refused(&self) {
        self.pool.lock().key = Key::Refused;
    }
}

impl Drop for Lease<'_> {
    fn drop(&mut self) {
        let mut state = self.pool.lock();
        let kept = self
            .nonce
            .take()
            .filter(|_| !self.in_doubt && state.held <= state.window);
        match kept {
            Some(nonce) => {
                state.idle.push(Idle {
                    nonce,
                    since: Instant::now(),
                });
                drop(state);
                self.pool.changed.notify_one();
            }
            None => {
                // One fewer nonce: a waiting call may fetch one, once the
                // pool is back within its window.
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
        assert!(second.was_accepted());
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
        assert_eq!(pool.held().0, 2);
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

    #[tokio::test]
    async fn without_waiting_calls_the_window_does_not_grow() {
        let pool = NoncePool::new(8);
        for _ in 0..10 {
            let mut lease = pool.lease().await;
            if lease.challenge().is_none() {
                lease.replace(challenge("a"));
            }
            lease.accepted();
        }
        assert_eq!(
            pool.held(),
            (1, 1),
            "a sequential caller needs one nonce, and a burst after it starts from one"
        );
    }

    /// Leases `nonces` nonces, each fetched or reused, accepting an answer
    /// on each lent one whenever a call waits, so that the window grows.
    async fn grow_to<'a>(pool: &'a NoncePool, nonces: usize) -> Vec<Lease<'a>> {
        let mut leases: Vec<Lease<'a>> = Vec::new();
        let mut names = (0..).map(|n| format!("n{n}"));
        while leases.len() < nonces {
            let mut waiting = pin!(pool.lease());
            match waiting.as_mut().now_or_never() {
                Some(mut lease) => {
                    if lease.challenge().is_none() {
                        lease.replace(challenge(&names.next().unwrap()));
                    }
                    leases.push(lease);
                }
                None => {
                    // A call waits: an answer accepted on each lent nonce.
                    for lease in &mut leases {
                        lease.accepted();
                    }
                    let mut lease = waiting.await;
                    if lease.challenge().is_none() {
                        lease.replace(challenge(&names.next().unwrap()));
                    }
                    leases.push(lease);
                }
            }
        }
        leases
    }

    /// The window after the server forgets a nonce of a pool of `window`.
    fn shrunk(window: usize) -> usize {
        let (kept, of) = KEPT_AFTER_FORGETTING;
        (window * kept / of).max(1)
    }

    /// Leases `count` nonces that the pool lets its callers fetch at once.
    async fn fetch<'a>(pool: &'a NoncePool, count: usize) -> Vec<Lease<'a>> {
        let mut leases = Vec::new();
        for _ in 0..count {
            let lease = pool.lease().await;
            assert!(lease.nonce.is_none(), "each fetches a nonce");
            leases.push(lease);
        }
        leases
    }

    #[tokio::test]
    async fn the_first_accepted_answer_while_calls_wait_opens_half_the_most() {
        let pool = NoncePool::new(32);
        let mut first = pool.lease().await;
        first.replace(challenge("a"));
        let mut waiting = pin!(pool.lease());
        assert!(waits(&mut waiting).await);
        first.accepted();
        assert_eq!(pool.held(), (1, 16));
        let mut lent = vec![waiting.await];
        lent.extend(fetch(&pool, 14).await);
        let mut next = pin!(pool.lease());
        assert!(waits(&mut next).await, "16 nonces held, none idle");
        first.accepted();
        assert_eq!(
            pool.held(),
            (16, 16 + NONCES_ADDED_PER_ANSWER),
            "then four more per accepted answer"
        );
    }

    #[tokio::test]
    async fn the_window_grows_per_accepted_answer_up_to_its_most() {
        let step = NONCES_ADDED_PER_ANSWER;
        let most = 1 + 2 * step - 1;
        let pool = NoncePool::new(most);
        let mut first = pool.lease().await;
        first.replace(challenge("a"));
        let mut waiting = pin!(pool.lease());
        assert!(waits(&mut waiting).await);
        first.accepted();
        assert_eq!(
            pool.held(),
            (1, 1 + step),
            "an answer accepted while a call waits"
        );
        let mut lent = vec![waiting.await];
        lent.extend(fetch(&pool, step - 1).await);
        let mut next = pin!(pool.lease());
        assert!(waits(&mut next).await, "every nonce lent");
        first.accepted();
        assert_eq!(pool.held(), (1 + step, most), "no more than the most");
        lent.push(next.await);
        lent.extend(fetch(&pool, most - 2 - step).await);
        let mut beyond = pin!(pool.lease());
        assert!(waits(&mut beyond).await);
        first.accepted();
        assert!(waits(&mut beyond).await, "the pool holds its most");
        assert_eq!(pool.held(), (most, most));
    }

    #[tokio::test]
    async fn a_forgotten_nonce_shrinks_the_window_once_and_nonces_are_dropped_as_they_return() {
        let pool = NoncePool::new(32);
        let mut leases = grow_to(&pool, 16).await;
        let (held, window) = pool.held();
        assert_eq!((held, window), (16, 16), "the first window, all held");
        // The server forgot three of them at once: one shrinking.
        for lease in &mut leases[..3] {
            lease.forgotten();
        }
        let window = shrunk(window);
        assert_eq!(pool.held(), (16, window));
        drop(leases.drain(..16 - window + 1));
        assert_eq!(
            pool.held(),
            (window, window),
            "nonces given back past the window are dropped"
        );
        drop(leases);
        assert_eq!(pool.held(), (window, window), "those within it are kept");

        // A nonce the server accepted after the shrinking, then forgot,
        // shrinks the window again.
        let mut lease = pool.lease().await;
        lease.forgotten();
        assert_eq!(
            pool.held(),
            (window, window),
            "forgotten before the shrinking"
        );
        lease.accepted();
        lease.forgotten();
        assert_eq!(pool.held(), (window, shrunk(window)));
    }

    #[tokio::test]
    async fn while_the_pool_holds_more_than_its_window_forgetting_does_not_shrink_it_again() {
        let pool = NoncePool::new(32);
        let mut leases = grow_to(&pool, 16).await;
        leases[0].forgotten();
        let window = pool.held().1;
        // A nonce the server gave since, forgotten while the pool still
        // holds more than its window: the forgetting was expected.
        leases[1].replace(challenge("new"));
        leases[1].forgotten();
        assert_eq!(pool.held(), (16, window));
    }

    #[tokio::test]
    async fn after_shrinking_the_window_grows_only_after_a_long_run_of_accepted_answers() {
        let pool = NoncePool::new(32);
        let mut leases = grow_to(&pool, 16).await;
        leases[0].forgotten();
        let window = pool.held().1;
        drop(leases.drain(window..));
        assert_eq!(pool.held(), (window, window));

        let mut next = pin!(pool.lease());
        assert!(waits(&mut next).await);
        let run = window * ANSWERS_PER_NONCE_TO_GROW;
        for answer in 1..run {
            leases[answer % window].accepted();
            assert!(waits(&mut next).await, "after {answer} accepted answers");
        }
        leases[0].accepted();
        let mut next = next.await;
        assert!(next.challenge().is_none(), "the window grew by one");
        assert_eq!(pool.held(), (window + 1, window + 1));
    }

    #[tokio::test]
    async fn a_refused_key_stops_the_pool_growing() {
        let pool = NoncePool::new(4);
        let mut first = pool.lease().await;
        first.replace(challenge("a"));
        first.accepted();
        first.refused();
        assert!(pool.key_refused());
        let mut second = pin!(pool.lease());
        assert!(waits(&mut second).await, "{:?} nonces", pool.held());
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
        assert_eq!(pool.held().0, 0);
        assert!(pool.lease().await.challenge().is_none());

        let mut lease = pool.lease().await;
        lease.replace(challenge("b"));
        lease.sending();
        lease.answered();
        drop(lease);
        assert_eq!(pool.lease().await.challenge().unwrap().nonce, "b");
    }

    #[tokio::test]
    async fn a_discarded_nonce_lets_a_waiting_call_fetch() {
        let pool = NoncePool::new(4);
        let mut first = pool.lease().await;
        first.replace(challenge("a"));
        let mut second = pin!(pool.lease());
        assert!(waits(&mut second).await);
        first.discard();
        drop(first);
        assert!(second.await.challenge().is_none(), "the next call fetches");
    }

    #[tokio::test]
    async fn a_call_that_stops_waiting_is_no_longer_counted() {
        let pool = NoncePool::new(4);
        let mut first = pool.lease().await;
        first.replace(challenge("a"));
        first.accepted();
        {
            let mut gone = pin!(pool.lease());
            assert!(waits(&mut gone).await);
        }
        assert_eq!(pool.lock().waiting, 0);
        first.accepted();
        assert_eq!(pool.held(), (1, 1), "nobody waits: no growth");
    }

    #[tokio::test]
    async fn a_repeated_nonce_keeps_its_count_and_a_new_one_starts_afresh() {
        let pool = NoncePool::new(1);
        let mut lease = pool.lease().await;
        lease.replace(challenge("a"));
        lease.challenge().unwrap().nc = 7;
        lease.accepted();
        lease.replace(challenge("a"));
        assert_eq!(lease.challenge().unwrap().nc, 7);
        assert!(lease.was_accepted());
        lease.replace(challenge("b"));
        assert_eq!(lease.challenge().unwrap().nc, 0);
        assert!(!lease.was_accepted(), "a new nonce is not yet accepted");
    }

    #[tokio::test(start_paused = true)]
    async fn idle_nonces_expire_but_the_last_is_kept() {
        let pool = NoncePool::new(3);
        let leases = grow_to(&pool, 3).await;
        drop(leases);
        tokio::time::advance(IDLE_LIFETIME - Duration::from_secs(1)).await;
        // Used again, "n2" is no longer idle since the burst.
        drop(pool.lease().await);
        assert_eq!(pool.held().0, 3, "none idle past its lifetime yet");

        tokio::time::advance(Duration::from_secs(2)).await;
        let mut lease = pool.lease().await;
        assert_eq!(lease.challenge().unwrap().nonce, "n2");
        assert_eq!(pool.held().0, 1, "n0 and n1 expired");
        drop(lease);

        tokio::time::advance(IDLE_LIFETIME * 2).await;
        let mut lease = pool.lease().await;
        assert_eq!(
            lease.challenge().unwrap().nonce,
            "n2",
            "the last nonce is kept"
        );
    }
}
