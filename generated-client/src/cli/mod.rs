//! The command-line tool of the `cli` feature: every operation as a
//! subcommand of its tag's group, with credentials from the environment.
//!
//! `operations.rs` is generated from the spec: the commands as data and
//! the call of each operation's builder. The other modules are written
//! once for all operations: the `clap` command, reading the environment,
//! output, and exit codes.

mod args;
mod command;
mod confirm;
mod environment;
mod exit;
mod model;
#[rustfmt::skip]
#[allow(clippy::all)]
mod operations;
mod output;
mod table;
mod watch;

use std::ffi::OsString;
use std::future::Future;
use std::io::IsTerminal;
use std::process::ExitCode;

pub use environment::{BASE_URL_VARIABLE, CREDENTIAL_VARIABLES};
pub use exit::{ExitStatus, exit_status};

use args::Args;
use clap::ArgMatches;

use crate::Client;
use output::{Failure, Format, Output};

/// Runs the tool with the arguments and environment of this process.
pub fn main() -> ExitCode {
    run(std::env::args_os()).into()
}

/// Runs the tool with `args`, the program name first, and the environment
/// of this process; writes to standard output and standard error.
pub fn run(args: impl IntoIterator<Item = impl Into<OsString> + Clone>) -> ExitStatus {
    let matches = match command::command().try_get_matches_from(args) {
        Ok(matches) => matches,
        Err(e) => {
            let _ = e.print();
            // `--help` and `--version` are not failures.
            return if e.use_stderr() {
                ExitStatus::Usage
            } else {
                ExitStatus::Success
            };
        }
    };
    if let Some((watch, args)) = command::chosen_watch(&matches) {
        let timing = watch::Timing::from_matches(args);
        return finish(on_runtime(&matches, |client, mut output| async move {
            operations::watch(
                &client,
                watch.command,
                &Args::new(args),
                &timing,
                &mut output,
            )
            .await
        }));
    }
    let Some((operation, args)) = command::chosen(&matches) else {
        eprintln!("error: no operation chosen; see --help");
        return ExitStatus::Usage;
    };
    if let Some(note) = operation.irreversible
        && let Err(refused) = confirm::confirmed(operation.command, note, args)
    {
        return refused.report();
    }
    if let Some(note) = operation.deprecation {
        match operation.successor {
            Some(successor) => eprintln!(
                "warning: {} is deprecated: {note} (command: `{successor}`)",
                operation.id
            ),
            None => eprintln!("warning: {} is deprecated: {note}", operation.id),
        }
    }
    finish(on_runtime(&matches, |client, mut output| async move {
        operations::send(&client, operation.id, &Args::new(args), &mut output).await
    }))
}

/// Runs what `call` makes of the client from the environment and the
/// output the flags ask for, on a runtime of its own.
fn on_runtime<F>(
    matches: &ArgMatches,
    call: impl FnOnce(Client, Output) -> F,
) -> Result<(), Failure>
where
    F: Future<Output = Result<(), Failure>>,
{
    let client = environment::client()?;
    let format = Format::from_matches(matches, std::io::stdout().is_terminal());
    let output = Output::new(format, std::io::stderr().is_terminal());
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .map_err(Failure::Output)?;
    runtime.block_on(call(client, output))
}

fn finish(result: Result<(), Failure>) -> ExitStatus {
    match result {
        Ok(()) => ExitStatus::Success,
        Err(failure) => failure.report(),
    }
}
