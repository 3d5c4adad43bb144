//! When to send a request again, and how long to wait first: what is
//! retried for reads and for writes, which outcomes leave unknown whether
//! Atlas acted, `Retry-After`, and the two delay schedules, the retries'
//! backoff and the waiters' growing delays.

use std::time::{Duration, SystemTime};

use reqwest::header::{HeaderMap, RETRY_AFTER};
use reqwest::{Method, StatusCode};

/// How the client retries requests that failed in a way that may pass.
///
/// Reads (GET, and the idempotent PUT and DELETE) are retried on 408, 429,
/// 502, 503 and 504 answers, on connection errors and on timeouts. Writes
/// (POST and PATCH, such as creating a restore job) are retried only when
/// Atlas certainly did not act: on 408 (the server did not receive the
/// whole request), on 429 (whatever its `errorCode`), on 503 with
/// `Retry-After`, and when the connection failed before the request was
/// sent. A 502, a 504 or a
/// timeout after sending may hide a write that went through, so repeating
/// it could start a second restore; such a write fails with the answer
/// instead. [`retry_writes`](Self::retry_writes) gives writes the same
/// retries as reads. Other statuses are never retried.
///
/// Waits grow exponentially from [`initial_backoff`](Self::initial_backoff)
/// with random jitter, capped at [`max_backoff`](Self::max_backoff); a
/// `Retry-After` header (seconds or an HTTP date) replaces the computed
/// wait. Retrying stops after [`max_attempts`](Self::max_attempts)
/// requests, or when the next wait would pass the
/// [`deadline`](Self::deadline), counted from the first request; the error
/// then carries the last answer.
///
/// ```
/// use std::time::Duration;
/// use atlas_backup_snapshots::RetryPolicy;
///
/// let patient = RetryPolicy::default()
///     .max_attempts(8)
///     .deadline(Duration::from_secs(300));
/// let never = RetryPolicy::none();
/// # let _ = (patient, never);
/// ```
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RetryPolicy {
    max_attempts: u32,
    initial_backoff: Duration,
    max_backoff: Duration,
    deadline: Duration,
    retry_writes: bool,
}

impl Default for RetryPolicy {
    /// Four attempts, waits from 500 ms up to 30 s, within one minute.
    fn default() -> Self {
        Self {
            max_attempts: 4,
            initial_backoff: Duration::from_millis(500),
            max_backoff: Duration::from_secs(30),
            deadline: Duration::from_secs(60),
            retry_writes: false,
        }
    }
}

/// What a request allows a retry to repeat.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Repeatable {
    /// Sending it twice has the effect of sending it once: any failure
    /// that may pass is retried.
    Always,
    /// A write: retried only where Atlas certainly did not act.
    IfNotActed,
}

impl RetryPolicy {
    /// Send every request once.
    pub fn none() -> Self {
        Self {
            max_attempts: 1,
            ..Self::default()
        }
    }

    /// Requests to send at most, the first included; 0 counts as 1.
    pub fn max_attempts(mut self, attempts: u32) -> Self {
        self.max_attempts = attempts.max(1);
        self
    }

    /// The wait before the first retry, before jitter.
    pub fn initial_backoff(mut self, wait: Duration) -> Self {
        self.initial_backoff = wait;
        self
    }

    /// The longest computed wait between two attempts.
    pub fn max_backoff(mut self, wait: Duration) -> Self {
        self.max_backoff = wait;
        self
    }

    /// How long after the first request the last retry may start.
    pub fn deadline(mut self, total: Duration) -> Self {
        self.deadline = total;
        self
    }

    /// Retry POST and PATCH requests as fully as reads, on 502, 504 and
    /// timeouts too, where Atlas may already have acted. Only for writes
    /// that are safe to repeat.
    ///
    /// ```
    /// # async fn demo(client: atlas_backup_snapshots::Client) -> Result<(), atlas_backup_snapshots::Error> {
    /// use atlas_backup_snapshots::RetryPolicy;
    ///
    /// // A second download job for the same snapshot does no harm.
    /// let job = client
    ///     .with_retry(RetryPolicy::default().retry_writes(true))
    ///     .download_flex_backup()
    ///     .group_id("32b6e34b3d91647abb20e7b8")
    ///     .cluster_name("flex0")
    ///     .body_map(|body| body.snapshot_id("5cc310ace5dc7ce369814bc8"))
    ///     .send()
    ///     .await?;
    /// # let _ = job;
    /// # Ok(())
    /// # }
    /// ```
    pub fn retry_writes(mut self, retry: bool) -> Self {
        self.retry_writes = retry;
        self
    }

    pub(crate) fn attempts(&self) -> u32 {
        self.max_attempts
    }

    /// What a request with `method` allows a retry to repeat under this
    /// policy.
    pub(crate) fn repeatable(&self, method: &Method) -> Repeatable {
        let idempotent = matches!(
            *method,
            Method::GET
                | Method::HEAD
                | Method::PUT
                | Method::DELETE
                | Method::OPTIONS
                | Method::TRACE
        );
        if idempotent || self.retry_writes {
            Repeatable::Always
        } else {
            Repeatable::IfNotActed
        }
    }

    /// The wait before attempt `attempt + 1`, `elapsed` after the first
    /// request, or `None` to stop: the one place that decides whether an
    /// attempt that ended in `outcome` is retried, whether its
    /// `Retry-After` sets the wait, and how long the wait is. `repeatable`
    /// is what the request allows a retry to repeat.
    pub(crate) fn wait_after(
        &self,
        outcome: &Outcome<'_>,
        repeatable: Repeatable,
        attempt: u32,
        elapsed: Duration,
    ) -> Option<Duration> {
        if attempt >= self.max_attempts {
            return None;
        }
        let asked = retried(*outcome, repeatable)?;
        let wait = asked.unwrap_or_else(|| self.backoff(attempt));
        (elapsed + wait <= self.deadline).then_some(wait)
    }

    /// Exponential backoff with "equal jitter": half the step is fixed, so
    /// waits still grow, and half is random, so clients that failed
    /// together do not retry together.
    fn backoff(&self, attempt: u32) -> Duration {
        let half = doubled(self.initial_backoff, attempt, self.max_backoff) / 2;
        half + up_to(half)
    }
}

/// How an attempt ended, as the rules of this module read it.
#[derive(Clone, Copy, Debug)]
pub(crate) enum Outcome<'a> {
    /// An answer, success or error.
    Answered {
        status: StatusCode,
        headers: &'a HeaderMap,
    },
    /// No answer: the connection failed, or no answer came in time.
    NoAnswer(&'a reqwest::Error),
    /// A failure that no retry mends, such as refused credentials.
    Final,
}

/// Whether an attempt that ended in `outcome` is retried, for a request
/// that allows `repeatable`, and if so the wait its `Retry-After` asks
/// for.
fn retried(outcome: Outcome<'_>, repeatable: Repeatable) -> Option<Option<Duration>> {
    match outcome {
        // A success is never asked for `Retry-After`.
        Outcome::Answered { status, .. } if status.is_success() => None,
        Outcome::Answered { status, headers } => {
            let asked = retry_after(headers);
            is_retryable_status(status, asked.is_some(), repeatable).then_some(asked)
        }
        Outcome::NoAnswer(error) => is_retryable_error(error, repeatable).then_some(None),
        Outcome::Final => None,
    }
}

/// Whether a read that ended in `outcome` is retried (a 408, 429, 502,
/// 503 or 504, a failed connection, a timeout), so that reading again
/// later may succeed: a wait goes on after one.
pub(crate) fn is_transient(outcome: Outcome<'_>) -> bool {
    retried(outcome, Repeatable::Always).is_some()
}

/// Statuses that say "try again later", for a request that allows
/// `repeatable`.
fn is_retryable_status(status: StatusCode, has_retry_after: bool, repeatable: Repeatable) -> bool {
    TryAgain::of_status(status, has_retry_after).allows(repeatable)
}

/// Failures to connect or to get an answer in time, for a request that
/// allows `repeatable`: a write only when it never left the process.
fn is_retryable_error(error: &reqwest::Error, repeatable: Repeatable) -> bool {
    TryAgain::of_error(error).allows(repeatable)
}

/// What a failed attempt says about sending the request again.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum TryAgain {
    /// Later, and Atlas certainly did not act: a 408 (the server did not
    /// receive the whole request), a 429, a 503 with `Retry-After`, a
    /// connection that failed before anything was sent.
    NotActed,
    /// Later, but Atlas may have acted: a 502, a 504 or a bare 503, which
    /// a proxy can give after Atlas acted, or no answer in time.
    MayHaveActed,
    /// Sending again would not help.
    No,
}

impl TryAgain {
    fn of_status(status: StatusCode, has_retry_after: bool) -> Self {
        match status {
            StatusCode::REQUEST_TIMEOUT | StatusCode::TOO_MANY_REQUESTS => Self::NotActed,
            StatusCode::SERVICE_UNAVAILABLE if has_retry_after => Self::NotActed,
            StatusCode::BAD_GATEWAY
            | StatusCode::SERVICE_UNAVAILABLE
            | StatusCode::GATEWAY_TIMEOUT => Self::MayHaveActed,
            _ => Self::No,
        }
    }

    fn of_error(error: &reqwest::Error) -> Self {
        if error.is_connect() {
            Self::NotActed
        } else if error.is_timeout() || error.is_request() {
            Self::MayHaveActed
        } else {
            Self::No
        }
    }

    /// Whether a request that allows `repeatable` is sent again.
    fn allows(self, repeatable: Repeatable) -> bool {
        match self {
            Self::NotActed => true,
            Self::MayHaveActed => repeatable == Repeatable::Always,
            Self::No => false,
        }
    }
}

/// An attempt whose outcome is unknown: the server may have acted on it
/// before the answer was lost.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum UnknownOutcome {
    /// A 502, a 504 or a 503 without `Retry-After`, which a proxy can give
    /// after Atlas acted.
    Status(StatusCode),
    /// No answer in time, or the connection lost, after the request left.
    NoAnswer,
}

impl UnknownOutcome {
    /// The unknown outcome of an attempt that ended in `outcome`, if it is
    /// one.
    pub(crate) fn of(outcome: Outcome<'_>) -> Option<Self> {
        match outcome {
            Outcome::Answered { status, headers } => {
                Self::of_status(status, retry_after(headers).is_some())
            }
            Outcome::NoAnswer(error) => Self::of_error(error),
            Outcome::Final => None,
        }
    }

    /// The unknown outcome of an attempt that got `status`, if it is one.
    fn of_status(status: StatusCode, has_retry_after: bool) -> Option<Self> {
        let unknown = TryAgain::of_status(status, has_retry_after) == TryAgain::MayHaveActed;
        unknown.then_some(Self::Status(status))
    }

    /// The unknown outcome of an attempt that failed with `error`: any
    /// failure but one to connect, after which nothing was sent.
    fn of_error(error: &reqwest::Error) -> Option<Self> {
        (!error.is_connect()).then_some(Self::NoAnswer)
    }
}

impl std::fmt::Display for UnknownOutcome {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Self::Status(status) => write!(f, "ended in {status}"),
            Self::NoAnswer => f.write_str("got no answer"),
        }
    }
}

/// The wait a `Retry-After` header asks for: delay-seconds or an HTTP
/// date, a date in the past meaning no wait.
pub(crate) fn retry_after(headers: &HeaderMap) -> Option<Duration> {
    let value = headers.get(RETRY_AFTER)?.to_str().ok()?.trim();
    if let Ok(seconds) = value.parse::<u64>() {
        return Some(Duration::from_secs(seconds));
    }
    let date = httpdate::parse_http_date(value).ok()?;
    Some(
        date.duration_since(SystemTime::now())
            .unwrap_or(Duration::ZERO),
    )
}

/// A waiter's delay after read `poll` (from 1): random between `min` and
/// a ceiling that doubles from `min` with each read, up to `max`, so that
/// clients waiting together do not read together. Unlike the retry
/// backoff, it is never shorter than `min`, the least time the spec sets
/// between two reads of a resource that changes slowly.
pub(crate) fn waiter_delay(min: Duration, max: Duration, poll: u32) -> Duration {
    let ceiling = doubled(min, poll, max.max(min));
    min + up_to(ceiling - min)
}

/// `first` doubled for each step after the first of `step`, up to `cap`.
fn doubled(first: Duration, step: u32, cap: Duration) -> Duration {
    first
        .saturating_mul(1 << step.saturating_sub(1).min(20))
        .min(cap)
}

/// A random duration from zero to `most`.
fn up_to(most: Duration) -> Duration {
    Duration::from_nanos(fastrand::u64(
        0..=u64::try_from(most.as_nanos()).unwrap_or(u64::MAX),
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn headers(retry_after: &str) -> HeaderMap {
        let mut headers = HeaderMap::new();
        headers.insert(RETRY_AFTER, retry_after.parse().unwrap());
        headers
    }

    #[test]
    fn retry_after_reads_seconds_and_dates() {
        assert_eq!(retry_after(&headers("7")), Some(Duration::from_secs(7)));
        let later = SystemTime::now() + Duration::from_secs(120);
        let wait = retry_after(&headers(&httpdate::fmt_http_date(later))).unwrap();
        assert!(wait > Duration::from_secs(110) && wait <= Duration::from_secs(120));
        let past = httpdate::fmt_http_date(SystemTime::UNIX_EPOCH);
        assert_eq!(retry_after(&headers(&past)), Some(Duration::ZERO));
        assert_eq!(retry_after(&headers("soon")), None);
        assert_eq!(retry_after(&HeaderMap::new()), None);
    }

    #[test]
    fn backoff_grows_with_jitter_up_to_the_cap() {
        let policy = RetryPolicy::default()
            .initial_backoff(Duration::from_millis(100))
            .max_backoff(Duration::from_millis(350));
        for _ in 0..100 {
            let first = policy.backoff(1);
            assert!(first >= Duration::from_millis(50) && first <= Duration::from_millis(100));
            let second = policy.backoff(2);
            assert!(second >= Duration::from_millis(100) && second <= Duration::from_millis(200));
            let capped = policy.backoff(10);
            assert!(capped >= Duration::from_millis(175) && capped <= Duration::from_millis(350));
        }
    }

    #[test]
    fn writes_are_retried_only_where_atlas_did_not_act() {
        let policy = RetryPolicy::default();
        assert_eq!(policy.repeatable(&Method::GET), Repeatable::Always);
        assert_eq!(policy.repeatable(&Method::PUT), Repeatable::Always);
        assert_eq!(policy.repeatable(&Method::DELETE), Repeatable::Always);
        assert_eq!(policy.repeatable(&Method::POST), Repeatable::IfNotActed);
        assert_eq!(policy.repeatable(&Method::PATCH), Repeatable::IfNotActed);
        let full = policy.retry_writes(true);
        assert_eq!(full.repeatable(&Method::POST), Repeatable::Always);

        let write = Repeatable::IfNotActed;
        for status in [StatusCode::REQUEST_TIMEOUT, StatusCode::TOO_MANY_REQUESTS] {
            assert!(is_retryable_status(status, false, write), "{status}");
        }
        assert!(is_retryable_status(
            StatusCode::SERVICE_UNAVAILABLE,
            true,
            write
        ));
        assert!(!is_retryable_status(
            StatusCode::SERVICE_UNAVAILABLE,
            false,
            write
        ));
        assert!(!is_retryable_status(StatusCode::BAD_GATEWAY, true, write));
        assert!(!is_retryable_status(
            StatusCode::GATEWAY_TIMEOUT,
            false,
            write
        ));
        let read = Repeatable::Always;
        for status in [408, 429, 502, 503, 504] {
            let status = StatusCode::from_u16(status).unwrap();
            assert!(is_retryable_status(status, false, read), "{status}");
        }
        assert!(!is_retryable_status(StatusCode::CONFLICT, true, read));
    }

    /// An answer with `status` and, if given, `Retry-After: retry_after`;
    /// its headers live as long as the test.
    fn answer(status: u16, retry_after: Option<&str>) -> Outcome<'static> {
        let status = StatusCode::from_u16(status).unwrap();
        let headers = match retry_after {
            Some(value) => headers(value),
            None => HeaderMap::new(),
        };
        Outcome::Answered {
            status,
            headers: Box::leak(Box::new(headers)),
        }
    }

    #[test]
    fn answers_a_proxy_can_give_after_atlas_acted_leave_the_outcome_unknown() {
        for status in [502, 504] {
            let status = StatusCode::from_u16(status).unwrap();
            assert_eq!(
                UnknownOutcome::of_status(status, true),
                Some(UnknownOutcome::Status(status))
            );
        }
        let unavailable = StatusCode::SERVICE_UNAVAILABLE;
        assert!(UnknownOutcome::of_status(unavailable, false).is_some());
        assert_eq!(UnknownOutcome::of_status(unavailable, true), None);
        for status in [StatusCode::TOO_MANY_REQUESTS, StatusCode::REQUEST_TIMEOUT] {
            assert_eq!(UnknownOutcome::of_status(status, false), None);
        }
    }

    #[test]
    fn retries_stop_at_the_attempt_limit_and_the_deadline() {
        let policy = RetryPolicy::default()
            .max_attempts(3)
            .deadline(Duration::from_secs(10));
        let asked = answer(429, Some("2"));
        let read = Repeatable::Always;
        let wait = |attempt, elapsed| policy.wait_after(&asked, read, attempt, elapsed);
        assert_eq!(wait(1, Duration::ZERO), Some(Duration::from_secs(2)));
        assert_eq!(wait(3, Duration::ZERO), None);
        assert_eq!(wait(1, Duration::from_secs(9)), None);
        assert_eq!(
            RetryPolicy::none().wait_after(&asked, read, 1, Duration::ZERO),
            None
        );
    }

    #[test]
    fn retry_after_sets_the_wait_of_a_retried_answer_only() {
        let policy = RetryPolicy::default()
            .initial_backoff(Duration::from_millis(100))
            .max_backoff(Duration::from_millis(100));
        let wait = |outcome, repeatable| policy.wait_after(&outcome, repeatable, 1, Duration::ZERO);
        let (read, write) = (Repeatable::Always, Repeatable::IfNotActed);
        assert_eq!(
            wait(answer(503, Some("3")), write),
            Some(Duration::from_secs(3))
        );
        let backoff = wait(answer(503, None), read).unwrap();
        assert!(backoff >= Duration::from_millis(50) && backoff <= Duration::from_millis(100));
        assert_eq!(
            wait(answer(503, None), write),
            None,
            "a bare 503 of a write"
        );
        assert_eq!(wait(answer(200, Some("3")), read), None, "a success");
        assert_eq!(
            wait(answer(404, Some("3")), read),
            None,
            "a status not retried"
        );
        // A refused credential, as the call reads it.
        let refused = Outcome::Final;
        assert_eq!(wait(refused, read), None, "a failure to authenticate");
    }
}
