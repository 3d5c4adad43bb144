//! Writing answers: JSON (pretty on a terminal), JSON lines for `--all`,
//! or a table; and the one-line message of a failure.

use std::io::{self, Write};

use clap::ArgMatches;
use futures_util::StreamExt;
use serde::Serialize;

use super::exit::{ExitStatus, exit_status};
use super::table::Table;
use crate::paging::{Page, PagedRequest, items};
use crate::{Error, Progress, WaitError};

/// How answers are written.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum Format {
    Json { pretty: bool },
    Table,
}

impl Format {
    /// `-o` as given; JSON is pretty when standard output is a terminal.
    pub(super) fn from_matches(matches: &ArgMatches, terminal: bool) -> Self {
        match matches.get_one::<String>("output").map(String::as_str) {
            Some("table") => Format::Table,
            _ => Format::Json { pretty: terminal },
        }
    }
}

/// Why the tool failed.
#[derive(Debug)]
pub(super) enum Failure {
    /// Bad input, found before anything was sent.
    Usage(String),
    /// The call failed.
    Call(Error),
    /// Standard output could not be written, or the runtime not started.
    Output(io::Error),
    /// A wait ended without success: its message and exit status.
    Wait { message: String, status: ExitStatus },
}

impl From<Error> for Failure {
    fn from(error: Error) -> Self {
        Failure::Call(error)
    }
}

impl Failure {
    /// Writes the failure as one line on standard error and returns its
    /// exit status.
    pub(super) fn report(self) -> ExitStatus {
        let (message, status) = match &self {
            // A reader that stopped reading, as `head` does, is no failure.
            Failure::Output(e) if e.kind() == io::ErrorKind::BrokenPipe => {
                return ExitStatus::Success;
            }
            Failure::Usage(message) => (message.clone(), ExitStatus::Usage),
            Failure::Call(error) => (with_causes(error), exit_status(error)),
            Failure::Output(e) => (format!("cannot write the answer: {e}"), ExitStatus::Other),
            Failure::Wait { message, status } => (message.clone(), *status),
        };
        eprintln!(
            "error: {}",
            message.split_whitespace().collect::<Vec<_>>().join(" ")
        );
        status
    }
}

/// The error's message followed by its causes, such as a refused
/// connection behind a transport error.
fn with_causes(error: &(dyn std::error::Error + 'static)) -> String {
    let mut message = error.to_string();
    let mut cause = std::error::Error::source(error);
    while let Some(e) = cause {
        message.push_str(": ");
        message.push_str(&e.to_string());
        cause = e.source();
    }
    message
}

/// Where answers go: standard output, and progress on standard error.
pub(super) struct Output {
    format: Format,
    progress: bool,
    table: Option<Table>,
}

impl Output {
    /// `progress`: whether to show progress on standard error, which is
    /// worth it only on a terminal.
    pub(super) fn new(format: Format, progress: bool) -> Self {
        Self {
            format,
            progress,
            table: None,
        }
    }

    /// Writes one answer.
    pub(super) fn value<T: Serialize>(&mut self, value: &T) -> Result<(), Failure> {
        let mut out = io::stdout().lock();
        match self.format {
            Format::Json { pretty: true } => serde_json::to_writer_pretty(&mut out, value),
            Format::Json { pretty: false } => serde_json::to_writer(&mut out, value),
            Format::Table => {
                let value = serde_json::to_value(value).map_err(|e| Failure::Output(e.into()))?;
                return self.table_rows(&mut out, &value);
            }
        }
        .map_err(io::Error::from)
        .and_then(|()| writeln!(out))
        .map_err(Failure::Output)
    }

    /// Writes every item of every page of `request` as it arrives: a JSON
    /// document a line, or a table row.
    pub(super) async fn every_item<R>(&mut self, request: R) -> Result<(), Failure>
    where
        R: PagedRequest,
        <R::Page as Page>::Item: Serialize + Send,
    {
        let mut stream = std::pin::pin!(items(request));
        let mut count = 0_u64;
        while let Some(item) = stream.next().await {
            let item = item?;
            let mut out = io::stdout().lock();
            match self.format {
                Format::Json { .. } => serde_json::to_writer(&mut out, &item)
                    .map_err(io::Error::from)
                    .and_then(|()| writeln!(out))
                    .map_err(Failure::Output)?,
                Format::Table => {
                    let value =
                        serde_json::to_value(&item).map_err(|e| Failure::Output(e.into()))?;
                    self.table_rows(&mut out, &value)?;
                }
            }
            count += 1;
            if self.progress {
                eprint!("\r{count} items");
            }
        }
        if self.progress {
            eprintln!("\r{count} items");
        }
        Ok(())
    }

    /// Shows one read of a wait on standard error, on a terminal only.
    pub(super) fn progress<T>(&mut self, progress: &Progress<'_, T>) {
        if self.progress {
            eprintln!(
                "{}: {} after {}s; next read in {}s",
                progress.resource,
                progress.state,
                progress.elapsed.as_secs(),
                progress.next_poll.as_secs()
            );
        }
    }

    /// Writes the answer that ended a wait: the final answer on success
    /// (`null` for a resource that is gone, as its deletion writes); after
    /// a failure state, or the bound, the last answer read too, before
    /// the failure.
    pub(super) fn waited<R: Serialize, T: Serialize + std::fmt::Debug + 'static>(
        &mut self,
        outcome: Result<R, WaitError<T>>,
    ) -> Result<(), Failure> {
        let error = match outcome {
            Ok(answer) => return self.value(&answer),
            Err(error) => error,
        };
        if let Some(last) = error.last() {
            self.value(last)?;
        }
        let message = with_causes(&error);
        let status = match &error {
            WaitError::Failed { .. } => ExitStatus::FailedState,
            WaitError::TimedOut { .. } => ExitStatus::TimedOut,
            WaitError::Request { error, .. } => exit_status(error),
        };
        Err(Failure::Wait { message, status })
    }

    fn table_rows(
        &mut self,
        out: &mut impl Write,
        value: &serde_json::Value,
    ) -> Result<(), Failure> {
        let table = self.table.get_or_insert_with(Table::default);
        table.write(out, value).map_err(Failure::Output)
    }
}
