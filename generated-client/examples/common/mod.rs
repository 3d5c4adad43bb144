//! What the Cloud Backups examples share: the client and the settings they
//! read from the environment, and how often and how long they wait.

use std::env;
use std::process::ExitCode;
use std::time::Duration;

use atlas_backup_snapshots::Client;

/// The settings of one example, read from the environment; `file` names
/// the example in messages, whose top lists what to set.
pub struct Settings {
    pub file: &'static str,
}

impl Settings {
    /// A client with the credentials and base URL that Atlas's CLI reads
    /// from the environment (`ClientBuilder::environment`).
    pub fn client(&self) -> Result<Client, Box<dyn std::error::Error>> {
        Ok(Client::builder().environment()?.build()?)
    }

    /// The variable `name`, parsed into `T`; an error names the variable.
    pub fn required<T>(&self, name: &str) -> Result<T, String>
    where
        T: std::str::FromStr,
        T::Err: std::fmt::Display,
    {
        let value =
            env::var(name).map_err(|_| format!("set {name} (see the top of {})", self.file))?;
        value.parse().map_err(|e| format!("{name}: {e}"))
    }
}

/// How long an example waits at most, and the delay between two reads
/// when not the spec's (tests shorten it). What it waits for goes on in
/// Atlas after it stops waiting.
pub struct Polling {
    pub at_most: Duration,
    pub min_delay: Option<Duration>,
}

impl Polling {
    /// The spec's delays, for at most `minutes`.
    pub fn minutes(minutes: u64) -> Self {
        Self {
            at_most: Duration::from_secs(minutes * 60),
            min_delay: None,
        }
    }
}

/// The example's exit: `done`'s line on standard output after a success,
/// the error on standard error after a failure.
pub fn exit<T>(outcome: Result<T, Box<dyn std::error::Error>>, done: fn(&T) -> String) -> ExitCode {
    match outcome {
        Ok(value) => {
            println!("{}", done(&value));
            ExitCode::SUCCESS
        }
        Err(e) => {
            eprintln!("error: {e}");
            ExitCode::FAILURE
        }
    }
}
