//! What a wait of the command line takes: the bound (`--timeout`) and the
//! delays between reads, as flags of a `watch-…` command or of a write's
//! `--watch`, and the field of a write's answer that the read after it
//! takes.

use std::time::Duration;

use clap::{Arg, ArgMatches};
use serde::Serialize;

use super::exit::ExitStatus;
use super::model::Watch;
use super::output::Failure;

/// How long to wait, and how often to read.
pub(super) struct Timing {
    pub(super) timeout: Duration,
    pub(super) min_delay: Option<Duration>,
    pub(super) max_delay: Option<Duration>,
}

impl Timing {
    /// The timing flags given; `--timeout` has its default.
    pub(super) fn from_matches(matches: &ArgMatches) -> Self {
        let duration = |name: &str| matches.get_one::<Duration>(name).copied();
        Self {
            timeout: duration("timeout").unwrap_or_default(),
            min_delay: duration("min-delay"),
            max_delay: duration("max-delay"),
        }
    }
}

/// The string field `field` of a write's answer, which the read that
/// follows the write takes.
pub(super) fn answered<T: Serialize>(answer: &T, field: &str) -> Result<String, Failure> {
    let answer = serde_json::to_value(answer).unwrap_or_default();
    match answer.get(field).and_then(serde_json::Value::as_str) {
        Some(value) => Ok(value.to_string()),
        None => Err(Failure::Wait {
            message: format!("cannot wait: the answer has no `{field}` to read the result with"),
            status: ExitStatus::Other,
        }),
    }
}

/// `--timeout` (the spec's bound by default), `--min-delay` and
/// `--max-delay` of the waiter of `watch`.
pub(super) fn timing(watch: &'static Watch) -> [Arg; 3] {
    [
        Arg::new("timeout")
            .long("timeout")
            .value_name("DURATION")
            .value_parser(parse_duration)
            .default_value(watch.default_timeout)
            .help("How long to wait at most: seconds, or a number with ms, s, m or h"),
        Arg::new("min-delay")
            .long("min-delay")
            .value_name("DURATION")
            .value_parser(parse_duration)
            .help(format!(
                "The shortest delay between two reads [default: {}s]",
                watch.min_delay
            )),
        Arg::new("max-delay")
            .long("max-delay")
            .value_name("DURATION")
            .value_parser(parse_duration)
            .help(format!(
                "The longest delay between two reads [default: {}s]",
                watch.max_delay
            )),
    ]
}

/// `90`, `90s`, `500ms`, `15m` or `2h`.
fn parse_duration(text: &str) -> Result<Duration, String> {
    let (number, unit) = match text.char_indices().find(|(_, c)| !c.is_ascii_digit()) {
        Some((at, _)) => text.split_at(at),
        None => (text, "s"),
    };
    let invalid =
        || format!("{text:?} is not a duration: write seconds, or a number with ms, s, m or h");
    let millis_per_unit: u64 = match unit {
        "ms" => 1,
        "s" => 1_000,
        "m" => 60_000,
        "h" => 3_600_000,
        _ => return Err(invalid()),
    };
    let number: u64 = number.parse().map_err(|_| invalid())?;
    Ok(Duration::from_millis(
        number.saturating_mul(millis_per_unit),
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn durations_are_seconds_minutes_or_hours() {
        assert_eq!(parse_duration("90"), Ok(Duration::from_secs(90)));
        assert_eq!(parse_duration("90s"), Ok(Duration::from_secs(90)));
        assert_eq!(parse_duration("15m"), Ok(Duration::from_secs(900)));
        assert_eq!(parse_duration("2h"), Ok(Duration::from_secs(7200)));
        assert_eq!(parse_duration("250ms"), Ok(Duration::from_millis(250)));
        assert_eq!(
            parse_duration("soon"),
            Err("\"soon\" is not a duration: write seconds, or a number with ms, s, m or h".into())
        );
        assert!(parse_duration("5d").is_err());
        assert!(parse_duration("").is_err());
    }
}
