//! Answers in order: the first request an operation's mocks match gets
//! the first answer, the next the second, and the last answer every
//! request after, as a resource that moves from `queued` through
//! `inProgress` to `completed` answers code that waits for it.

use httpmock::{Mock, MockServer};

/// The mocks of [`in_order`], one per answer, in order.
pub struct InOrder<'a> {
    mocks: Vec<Mock<'a>>,
}

/// Serves `answers` in order to the requests that the mocks made by
/// `mock` match: `mock` makes one mock for one answer, with the
/// operation's typed method, so every operation's typed `when` and `then`
/// work. Each mock but the last serves one request (httpmock's
/// `up_to_n_times`), after which the server tries the next; the last
/// serves every request after. Make the sequence before the code under
/// test sends its first request.
///
/// ```
/// use atlas_backup_snapshots::mock::{MockServer, MockServerExt, in_order};
/// use atlas_backup_snapshots::types::{FlexBackupSnapshot, FlexBackupStatus};
///
/// let server = MockServer::start();
/// let statuses = [FlexBackupStatus::Queued, FlexBackupStatus::Running, FlexBackupStatus::Completed];
/// let reads = in_order(&server, statuses, |server, status| {
///     let snapshot: FlexBackupSnapshot =
///         FlexBackupSnapshot::builder().status(Some(status)).try_into().unwrap();
///     server.get_flex_backup_snapshot(|when, then| {
///         when.cluster_name(&"flex0".parse().unwrap());
///         then.ok(&snapshot);
///     })
/// });
/// // Point `Client::builder().base_url(server.base_url())` at it and wait.
/// assert_eq!(reads.calls(), 0);
/// ```
///
/// # Panics
///
/// With no answers, as a sequence of none answers nothing.
pub fn in_order<'a, A>(
    server: &'a MockServer,
    answers: impl IntoIterator<Item = A>,
    mut mock: impl FnMut(&'a MockServer, A) -> Mock<'a>,
) -> InOrder<'a> {
    let answers: Vec<A> = answers.into_iter().collect();
    assert!(!answers.is_empty(), "in_order needs at least one answer");
    let last = answers.len() - 1;
    let mocks = answers
        .into_iter()
        .enumerate()
        .map(|(i, answer)| {
            let made = mock(server, answer);
            if i < last {
                made.up_to_n_times(1);
            }
            made
        })
        .collect();
    InOrder { mocks }
}

impl<'a> InOrder<'a> {
    /// The requests the sequence answered, all answers together.
    pub fn calls(&self) -> usize {
        self.mocks.iter().map(Mock::calls).sum()
    }

    /// The requests each answer served, in order.
    pub fn calls_per_answer(&self) -> Vec<usize> {
        self.mocks.iter().map(Mock::calls).collect()
    }

    /// The mocks, one per answer, in order.
    pub fn mocks(&self) -> &[Mock<'a>] {
        &self.mocks
    }
}
