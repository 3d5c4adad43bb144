//! Waiting until a resource reaches a final state, or is gone: the loop
//! behind every generated `wait_until_…` method. It reads the resource,
//! compares the answer, as Atlas writes it, with the waiter's matchers
//! from the spec, and reads again after a jittered, growing delay until a
//! success or a failure state, a non-transient error, or the bound; a
//! waiter for a deletion ends in success when the read answers 404.

use std::fmt;
use std::future::Future;
use std::time::Duration;

use serde::Serialize;
use serde_json::Value;
use tokio::time::Instant;

use crate::Error;
use crate::retry;

/// A waiter as the spec declares it (`x-waiters`).
#[derive(Debug)]
pub(crate) struct Waiter {
    /// How errors and progress name what is waited for: `snapshot`.
    pub(crate) resource: &'static str,
    /// The spec's delays, which a caller may change for one wait.
    pub(crate) delays: Delays,
    /// Any one matching ends the wait in success; none for a waiter that
    /// waits until the resource is gone.
    pub(crate) success: &'static [Matcher],
    /// Any one matching ends the wait in failure; read before `success`.
    pub(crate) failure: &'static [Matcher],
}

/// What a waiter looks for in an answer. `field` is a property of the
/// answer as Atlas writes it, dotted for a nested one.
#[derive(Debug)]
pub(crate) enum Matcher {
    /// The field holds one of `values`.
    Equals {
        field: &'static str,
        values: &'static [Wire],
    },
    /// The field is there and not null (`present`), or is not.
    Present { field: &'static str, present: bool },
}

/// A value as Atlas writes it.
#[derive(Debug)]
pub(crate) enum Wire {
    Text(&'static str),
    Bool(bool),
    #[allow(
        dead_code,
        reason = "the spec's waiters may watch an integer; none does yet"
    )]
    Integer(i64),
}

/// The delays between two reads: from `min`, growing, up to `max`.
#[derive(Clone, Copy, Debug)]
pub(crate) struct Delays {
    pub(crate) min: Duration,
    pub(crate) max: Duration,
}

impl Delays {
    /// The delay after read `poll` (from 1), on the waiters' schedule
    /// ([`retry::waiter_delay`]).
    pub(crate) fn after(self, poll: u32) -> Duration {
        retry::waiter_delay(self.min, self.max, poll)
    }
}

/// Why a wait ended without the success state. Each variant names the
/// resource (the waiter's resource and the path it reads) and carries the
/// last answer read, if any.
#[derive(Debug)]
#[non_exhaustive]
pub enum WaitError<T> {
    /// The resource reached a failure state.
    Failed {
        /// `snapshot /api/atlas/v2/groups/…/snapshots/…`.
        resource: String,
        /// Which field said so: ``status` is "failed"`.
        reason: String,
        /// The answer in the failure state.
        last: T,
    },
    /// The bound passed before the resource reached a final state. The
    /// work goes on in Atlas.
    TimedOut {
        /// What was waited for.
        resource: String,
        /// The bound given to `wait`.
        bound: Duration,
        /// How long the wait took: the bound, and the last read's time.
        waited: Duration,
        /// How many times the resource was read.
        polls: u32,
        /// The last answer read, if a read succeeded.
        last: Option<T>,
        /// The error of the last read, if it failed transiently.
        last_error: Option<Error>,
    },
    /// A read failed in a way that reading again will not mend: a 404, a
    /// refused credential, an answer that does not decode.
    Request {
        /// What was waited for.
        resource: String,
        /// The read's error.
        error: Error,
        /// The last answer read before, if any.
        last: Option<T>,
    },
}

impl<T> WaitError<T> {
    /// What was waited for: the waiter's resource and the path it reads.
    pub fn resource(&self) -> &str {
        match self {
            Self::Failed { resource, .. }
            | Self::TimedOut { resource, .. }
            | Self::Request { resource, .. } => resource,
        }
    }

    /// The last answer read, if any.
    pub fn last(&self) -> Option<&T> {
        match self {
            Self::Failed { last, .. } => Some(last),
            Self::TimedOut { last, .. } | Self::Request { last, .. } => last.as_ref(),
        }
    }

    /// The last answer read, taking ownership.
    pub fn into_last(self) -> Option<T> {
        match self {
            Self::Failed { last, .. } => Some(last),
            Self::TimedOut { last, .. } | Self::Request { last, .. } => last,
        }
    }

    /// The error of the read that ended the wait, or of the last read
    /// before the bound passed.
    pub fn request_error(&self) -> Option<&Error> {
        match self {
            Self::Request { error, .. } => Some(error),
            Self::TimedOut { last_error, .. } => last_error.as_ref(),
            Self::Failed { .. } => None,
        }
    }
}

impl<T> fmt::Display for WaitError<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Failed {
                resource, reason, ..
            } => write!(f, "{resource} failed: {reason}"),
            Self::TimedOut {
                resource,
                bound,
                polls,
                last_error,
                ..
            } => {
                write!(
                    f,
                    "{resource} is not done within {bound:?}, after {polls} reads; it goes on in Atlas"
                )?;
                match last_error {
                    Some(error) => write!(f, "; the last read failed: {error}"),
                    None => Ok(()),
                }
            }
            Self::Request {
                resource, error, ..
            } => write!(f, "cannot read {resource}: {error}"),
        }
    }
}

impl<T: fmt::Debug> std::error::Error for WaitError<T> {
    // The message includes the request error's, so the chain goes on
    // below it, as `Error`'s does.
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        self.request_error().and_then(std::error::Error::source)
    }
}

/// One read of a wait, for a caller that shows progress.
#[derive(Debug)]
#[non_exhaustive]
pub struct Progress<'a, T> {
    /// What is waited for.
    pub resource: &'a str,
    /// Reads so far, this one included.
    pub polls: u32,
    /// Since the wait began.
    pub elapsed: Duration,
    /// This read's answer, or its transient error.
    pub answer: Result<&'a T, &'a Error>,
    /// The watched fields of the answer as Atlas writes them:
    /// `status: "inProgress"`.
    pub state: String,
    /// The delay before the next read.
    pub next_poll: Duration,
}

/// What an answer says to a waiter.
enum Verdict {
    Success,
    Failure(String),
    Pending,
}

impl Waiter {
    fn verdict(&self, answer: &Value) -> Verdict {
        if let Some(reason) = self.failure.iter().find_map(|m| m.matched(answer)) {
            return Verdict::Failure(reason);
        }
        if self.success.iter().any(|m| m.matched(answer).is_some()) {
            return Verdict::Success;
        }
        Verdict::Pending
    }

    /// The watched fields of `answer`: `status: "inProgress"`.
    fn state(&self, answer: &Value) -> String {
        let mut fields: Vec<&str> = Vec::new();
        for field in self.failure.iter().chain(self.success).map(Matcher::field) {
            if !fields.contains(&field) {
                fields.push(field);
            }
        }
        if fields.is_empty() {
            // A waiter for a deletion that watches no field.
            return "still there".to_string();
        }
        let shown: Vec<String> = fields
            .iter()
            .map(|field| match lookup(answer, field) {
                Some(value) => format!("{field}: {value}"),
                None => format!("{field}: -"),
            })
            .collect();
        shown.join(", ")
    }
}

impl Matcher {
    fn field(&self) -> &'static str {
        match self {
            Self::Equals { field, .. } | Self::Present { field, .. } => field,
        }
    }

    /// Why `answer` matches, or `None`.
    fn matched(&self, answer: &Value) -> Option<String> {
        let value = lookup(answer, self.field());
        match self {
            Self::Equals { field, values } => {
                let value = value?;
                values
                    .iter()
                    .any(|wire| wire.is(value))
                    .then(|| format!("`{field}` is {value}"))
            }
            Self::Present {
                field,
                present: true,
            } => value.map(|_| format!("`{field}` is set")),
            Self::Present {
                field,
                present: false,
            } => value.is_none().then(|| format!("`{field}` is not set")),
        }
    }
}

impl Wire {
    fn is(&self, value: &Value) -> bool {
        match self {
            Self::Text(text) => value.as_str() == Some(*text),
            Self::Bool(flag) => value.as_bool() == Some(*flag),
            Self::Integer(number) => value.as_i64() == Some(*number),
        }
    }
}

/// The value at the dotted `field` of `answer`, if it is there and not
/// null.
fn lookup<'a>(answer: &'a Value, field: &str) -> Option<&'a Value> {
    field
        .split('.')
        .try_fold(answer, |value, part| value.get(part))
        .filter(|value| !value.is_null())
}

/// Reads with `poll` until `waiter` sees a final state or `bound` passes,
/// and returns the answer in the success state. `target` is the path read,
/// which names the resource in errors; `report` sees every read that does
/// not end the wait.
///
/// The first read is at once; each later one after [`Delays::after`], or
/// as long as a `Retry-After` asked, never later than the bound: the last
/// read is at the bound at the latest. A read that fails in a way the
/// client's retry policy retries (a 429, a 503, a failed connection, a
/// timeout) does not end the wait.
pub(crate) async fn until<T, F, Fut>(
    waiter: &Waiter,
    delays: Delays,
    bound: Duration,
    target: Option<String>,
    poll: F,
    report: impl FnMut(&Progress<'_, T>),
) -> Result<T, WaitError<T>>
where
    T: Serialize,
    F: FnMut() -> Fut,
    Fut: Future<Output = Result<T, Error>>,
{
    reads(
        waiter,
        delays,
        bound,
        target,
        poll,
        report,
        |answer| answer,
        None,
    )
    .await
}

/// [`until`] for a waiter of a deletion: the wait ends in success when a
/// read answers 404, the resource gone, and in failure when an answer
/// matches a failure matcher (a deletion that failed).
pub(crate) async fn until_gone<T, F, Fut>(
    waiter: &Waiter,
    delays: Delays,
    bound: Duration,
    target: Option<String>,
    poll: F,
    report: impl FnMut(&Progress<'_, T>),
) -> Result<(), WaitError<T>>
where
    T: Serialize,
    F: FnMut() -> Fut,
    Fut: Future<Output = Result<T, Error>>,
{
    reads(
        waiter,
        delays,
        bound,
        target,
        poll,
        report,
        |_| (),
        Some(()),
    )
    .await
}

/// The reads of [`until`] and [`until_gone`]: `answered` makes the
/// outcome of an answer in a success state, and `gone`, if given, is the
/// outcome of a read that answers 404.
#[allow(
    clippy::too_many_arguments,
    reason = "the two waits differ only by their last two"
)]
async fn reads<T, R, F, Fut>(
    waiter: &Waiter,
    delays: Delays,
    bound: Duration,
    target: Option<String>,
    mut poll: F,
    mut report: impl FnMut(&Progress<'_, T>),
    answered: fn(T) -> R,
    gone: Option<R>,
) -> Result<R, WaitError<T>>
where
    T: Serialize,
    F: FnMut() -> Fut,
    Fut: Future<Output = Result<T, Error>>,
{
    let resource = match target {
        Some(path) => format!("{} {path}", waiter.resource),
        None => waiter.resource.to_string(),
    };
    let started = Instant::now();
    let mut last: Option<T> = None;
    let mut polls = 0;
    loop {
        polls += 1;
        let (outcome, state, asked) = match poll().await {
            Ok(answer) => {
                // An answer that does not serialize matches nothing.
                let wire = serde_json::to_value(&answer).unwrap_or(Value::Null);
                match waiter.verdict(&wire) {
                    Verdict::Success => return Ok(answered(answer)),
                    Verdict::Failure(reason) => {
                        return Err(WaitError::Failed {
                            resource,
                            reason,
                            last: answer,
                        });
                    }
                    Verdict::Pending => (Ok(answer), waiter.state(&wire), None),
                }
            }
            Err(error) if error.is_not_found() => {
                return match gone {
                    Some(gone) => Ok(gone),
                    None => Err(WaitError::Request {
                        resource,
                        error,
                        last,
                    }),
                };
            }
            Err(error) if retry::is_transient(error.outcome()) => {
                let (state, asked) = (error.to_string(), error.retry_after());
                (Err(error), state, asked)
            }
            Err(error) => {
                return Err(WaitError::Request {
                    resource,
                    error,
                    last,
                });
            }
        };
        let elapsed = started.elapsed();
        let Some(remaining) = bound.checked_sub(elapsed).filter(|r| !r.is_zero()) else {
            let (last, last_error) = match outcome {
                Ok(answer) => (Some(answer), None),
                Err(error) => (last, Some(error)),
            };
            return Err(WaitError::TimedOut {
                resource,
                bound,
                waited: elapsed,
                polls,
                last,
                last_error,
            });
        };
        let delay = delays
            .after(polls)
            .max(asked.unwrap_or_default())
            .min(remaining);
        report(&Progress {
            resource: &resource,
            polls,
            elapsed,
            answer: outcome.as_ref(),
            state,
            next_poll: delay,
        });
        if let Ok(answer) = outcome {
            last = Some(answer);
        }
        tokio::time::sleep(delay).await;
    }
}

#[cfg(test)]
mod tests {
    use std::collections::VecDeque;
    use std::sync::{Arc, Mutex};

    use reqwest::StatusCode;
    use reqwest::header::HeaderMap;
    use serde_json::json;

    use super::*;
    use crate::ErrorKind;

    const WAITER: Waiter = Waiter {
        resource: "thing",
        delays: Delays {
            min: Duration::from_secs(5),
            max: Duration::from_secs(60),
        },
        success: &[Matcher::Present {
            field: "finishedAt",
            present: true,
        }],
        failure: &[
            Matcher::Equals {
                field: "status",
                values: &[Wire::Text("FAILED"), Wire::Text("CANCELED")],
            },
            Matcher::Equals {
                field: "flags.expired",
                values: &[Wire::Bool(true)],
            },
        ],
    };

    fn delays() -> Delays {
        WAITER.delays
    }

    #[test]
    fn delays_grow_between_the_minimum_and_the_maximum() {
        for _ in 0..200 {
            let first = delays().after(1);
            assert_eq!(first, Duration::from_secs(5));
            let third = delays().after(3);
            assert!(third >= Duration::from_secs(5) && third <= Duration::from_secs(20));
            let late = delays().after(40);
            assert!(late >= Duration::from_secs(5) && late <= Duration::from_secs(60));
        }
        let inverted = Delays {
            min: Duration::from_secs(9),
            max: Duration::from_secs(1),
        };
        assert_eq!(inverted.after(5), Duration::from_secs(9));
    }

    #[test]
    fn failure_is_read_before_success_and_names_its_field() {
        let verdict = |answer: Value| match WAITER.verdict(&answer) {
            Verdict::Success => "success".to_string(),
            Verdict::Failure(reason) => reason,
            Verdict::Pending => "pending".to_string(),
        };
        assert_eq!(verdict(json!({ "status": "RUNNING" })), "pending");
        assert_eq!(verdict(json!({ "finishedAt": null })), "pending");
        assert_eq!(
            verdict(json!({ "finishedAt": "2026-01-01T00:00:00Z" })),
            "success"
        );
        assert_eq!(
            verdict(json!({ "status": "CANCELED", "finishedAt": "2026-01-01T00:00:00Z" })),
            "`status` is \"CANCELED\""
        );
        assert_eq!(
            verdict(json!({ "flags": { "expired": true } })),
            "`flags.expired` is true"
        );
        assert_eq!(
            WAITER.state(&json!({ "status": "RUNNING" })),
            "status: \"RUNNING\", flags.expired: -, finishedAt: -"
        );
    }

    fn http_error(status: u16, retry_after: Option<&str>) -> Error {
        let mut headers = HeaderMap::new();
        if let Some(seconds) = retry_after {
            headers.insert("retry-after", seconds.parse().unwrap());
        }
        Error::new(
            "getThing",
            None,
            1,
            ErrorKind::Http {
                status: StatusCode::from_u16(status).unwrap(),
                headers,
                body: String::new(),
            },
        )
    }

    /// A read that gives `answers` in turn, the last one again and again,
    /// and keeps the time of each read.
    struct Script {
        answers: Mutex<VecDeque<Result<Value, u16>>>,
        times: Mutex<Vec<Instant>>,
    }

    impl Script {
        fn new(answers: Vec<Result<Value, u16>>) -> Arc<Self> {
            Arc::new(Self {
                answers: Mutex::new(answers.into()),
                times: Mutex::new(Vec::new()),
            })
        }

        fn read(&self) -> Result<Value, Error> {
            self.times.lock().unwrap().push(Instant::now());
            let mut answers = self.answers.lock().unwrap();
            let answer = if answers.len() > 1 {
                answers.pop_front().unwrap()
            } else {
                answers.front().unwrap().clone()
            };
            answer.map_err(|status| match status {
                429 => http_error(429, Some("30")),
                status => http_error(status, None),
            })
        }

        /// The read a wait makes of the script, answered at once.
        fn reads(self: &Arc<Self>) -> impl FnMut() -> std::future::Ready<Result<Value, Error>> {
            let script = Arc::clone(self);
            move || std::future::ready(script.read())
        }

        fn gaps(&self) -> Vec<Duration> {
            let times = self.times.lock().unwrap();
            times.windows(2).map(|w| w[1] - w[0]).collect()
        }
    }

    async fn wait(script: &Arc<Script>, bound: Duration) -> Result<Value, WaitError<Value>> {
        until(
            &WAITER,
            delays(),
            bound,
            Some("/things/1".into()),
            script.reads(),
            |_| {},
        )
        .await
    }

    #[tokio::test(start_paused = true)]
    async fn transient_errors_do_not_end_the_wait_and_retry_after_is_heeded() {
        let script = Script::new(vec![
            Ok(json!({ "status": "RUNNING" })),
            Err(503),
            Err(429),
            Ok(json!({ "finishedAt": "2026-01-01T00:00:00Z" })),
        ]);
        let done = wait(&script, Duration::from_secs(3600)).await.unwrap();
        assert!(done.get("finishedAt").is_some());
        let gaps = script.gaps();
        assert_eq!(gaps.len(), 3);
        assert_eq!(gaps[0], Duration::from_secs(5));
        assert!(gaps[1] >= Duration::from_secs(5) && gaps[1] <= Duration::from_secs(10));
        assert_eq!(gaps[2], Duration::from_secs(30), "Retry-After: 30");
    }

    #[tokio::test(start_paused = true)]
    async fn the_last_read_is_at_the_bound() {
        let script = Script::new(vec![Ok(json!({ "status": "RUNNING" }))]);
        let started = Instant::now();
        let error = wait(&script, Duration::from_secs(100)).await.unwrap_err();
        assert_eq!(started.elapsed(), Duration::from_secs(100));
        let WaitError::TimedOut { polls, last, .. } = &error else {
            panic!("{error:?}");
        };
        assert_eq!(*polls as usize, script.gaps().len() + 1);
        assert_eq!(last.as_ref().unwrap()["status"], "RUNNING");
        let last_read = *script.times.lock().unwrap().last().unwrap();
        assert_eq!(last_read - started, Duration::from_secs(100));
        assert!(
            error
                .to_string()
                .starts_with("thing /things/1 is not done within 100s, after ")
        );
    }

    const GONE: Waiter = Waiter {
        resource: "thing",
        delays: Delays {
            min: Duration::from_secs(5),
            max: Duration::from_secs(60),
        },
        success: &[],
        failure: &[Matcher::Equals {
            field: "status",
            values: &[Wire::Text("FAILED")],
        }],
    };

    async fn wait_gone(script: &Arc<Script>, bound: Duration) -> Result<(), WaitError<Value>> {
        until_gone(
            &GONE,
            GONE.delays,
            bound,
            Some("/things/1".into()),
            script.reads(),
            |_| {},
        )
        .await
    }

    #[tokio::test(start_paused = true)]
    async fn a_deletion_ends_at_a_404_and_fails_in_a_failure_state() {
        let script = Script::new(vec![
            Ok(json!({ "status": "DELETING" })),
            Err(503),
            Ok(json!({ "status": "DELETING" })),
            Err(404),
        ]);
        wait_gone(&script, Duration::from_secs(3600)).await.unwrap();
        assert_eq!(script.gaps().len(), 3);

        let script = Script::new(vec![
            Ok(json!({ "status": "DELETING" })),
            Ok(json!({ "status": "FAILED" })),
        ]);
        let error = wait_gone(&script, Duration::from_secs(3600))
            .await
            .unwrap_err();
        assert!(matches!(error, WaitError::Failed { .. }), "{error:?}");
        assert_eq!(
            error.to_string(),
            "thing /things/1 failed: `status` is \"FAILED\""
        );

        let script = Script::new(vec![Ok(json!({}))]);
        let error = wait_gone(&script, Duration::from_secs(60))
            .await
            .unwrap_err();
        assert!(matches!(error, WaitError::TimedOut { .. }), "{error:?}");
        assert_eq!(GONE.state(&json!({})), "status: -");
    }

    #[tokio::test(start_paused = true)]
    async fn a_404_ends_a_wait_for_a_state_with_its_error() {
        let script = Script::new(vec![Ok(json!({ "status": "RUNNING" })), Err(404)]);
        let error = wait(&script, Duration::from_secs(3600)).await.unwrap_err();
        assert!(error.request_error().unwrap().is_not_found(), "{error:?}");
    }

    #[tokio::test(start_paused = true)]
    async fn a_non_transient_error_ends_the_wait_with_the_last_answer() {
        let script = Script::new(vec![Ok(json!({ "status": "RUNNING" })), Err(500)]);
        let error = wait(&script, Duration::from_secs(3600)).await.unwrap_err();
        let WaitError::Request {
            error: cause, last, ..
        } = &error
        else {
            panic!("{error:?}");
        };
        assert_eq!(cause.status(), Some(StatusCode::INTERNAL_SERVER_ERROR));
        assert_eq!(last.as_ref().unwrap()["status"], "RUNNING");
        assert!(
            error
                .to_string()
                .starts_with("cannot read thing /things/1: getThing: 500")
        );
    }
}
