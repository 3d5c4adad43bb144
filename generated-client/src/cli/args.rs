//! The values of one operation's flags, as `operations.rs` reads them.

use std::str::FromStr;

use clap::ArgMatches;
use serde::de::DeserializeOwned;

use super::output::Failure;
use super::watch::Timing;

/// The flags given to one operation.
pub(super) struct Args<'a>(&'a ArgMatches);

impl<'a> Args<'a> {
    pub(super) fn new(matches: &'a ArgMatches) -> Self {
        Self(matches)
    }

    pub(super) fn text(&self, name: &str) -> Option<&'a str> {
        self.value::<String>(name).map(String::as_str)
    }

    /// The integer flag `name` as `T`, the integer its parameter's type
    /// converts from; out of `T`'s range is a usage error.
    pub(super) fn integer<T: TryFrom<i64>>(&self, name: &str) -> Result<Option<T>, Failure> {
        let Some(&value) = self.value::<i64>(name) else {
            return Ok(None);
        };
        T::try_from(value).map(Some).map_err(|_| {
            Failure::Usage(format!(
                "invalid value {value} for {name}: it must fit a {}",
                std::any::type_name::<T>()
            ))
        })
    }

    pub(super) fn boolean(&self, name: &str) -> Option<bool> {
        self.value::<bool>(name).copied()
    }

    /// `--all`: every item of a paged operation.
    pub(super) fn all(&self) -> bool {
        self.0.try_get_one::<bool>("all").ok().flatten() == Some(&true)
    }

    /// `--watch`: wait after the write, as long as `--timeout` and as
    /// often as the delays say.
    pub(super) fn watch(&self) -> Option<Timing> {
        let watch = self.0.try_get_one::<bool>("watch").ok().flatten() == Some(&true);
        watch.then(|| Timing::from_matches(self.0))
    }

    /// The body field flag `name` parsed into its type, if given.
    pub(super) fn parsed<T>(&self, name: &str) -> Result<Option<T>, Failure>
    where
        T: FromStr,
        T::Err: std::fmt::Display,
    {
        let Some(text) = self.text(name) else {
            return Ok(None);
        };
        text.parse().map(Some).map_err(|e| {
            Failure::Usage(format!(
                "invalid value {text:?} for the body field {name}: {e}"
            ))
        })
    }

    /// The request body from `--file`, if given.
    pub(super) fn body_file<T: DeserializeOwned>(&self) -> Result<Option<T>, Failure> {
        let Some(path) = self.text("file") else {
            return Ok(None);
        };
        let text = std::fs::read_to_string(path)
            .map_err(|e| Failure::Usage(format!("cannot read the body file {path}: {e}")))?;
        serde_json::from_str(&text)
            .map(Some)
            .map_err(|e| Failure::Usage(format!("the body file {path} is not a valid body: {e}")))
    }

    /// A flag's value; `None` when it was not given or the operation has
    /// no such flag.
    fn value<T: Clone + Send + Sync + 'static>(&self, name: &str) -> Option<&'a T> {
        self.0.try_get_one::<T>(name).ok().flatten()
    }
}
