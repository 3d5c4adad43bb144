//! The `watch-…` commands: each waiter of the spec as a command in the
//! group of the operation it reads, with that operation's flags, the
//! bound (`--timeout`) and the delays between reads; and `--watch` on a
//! write whose result a waiter reads, which waits after the write.

use std::time::Duration;

use clap::{Arg, ArgAction, ArgMatches, Command};
use serde::Serialize;

use super::exit::ExitStatus;
use super::model::{Group, Watch};
use super::operations::WATCHES;
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

/// The watch commands of `group`, each with the flags of the operation
/// it reads, made by `parameter`.
pub(super) fn commands(
    group: &'static Group,
    parameter: fn(&'static super::model::Field) -> Arg,
) -> Vec<Command> {
    WATCHES
        .iter()
        .filter(|watch| watch.group == group.command)
        .filter_map(|watch| {
            let operation = group.operations.iter().find(|o| o.id == watch.operation)?;
            Some(command(watch).args(operation.parameters.iter().map(parameter)))
        })
        .collect()
}

/// `--watch`, and the timing flags that need it, on the command of a write
/// that the waiter of the watch command `name` follows.
pub(super) fn follow_flags(command: Command, name: &'static str) -> Command {
    let Some(watch) = WATCHES.iter().find(|w| w.command == name) else {
        return command;
    };
    command
        .arg(
            Arg::new("watch")
                .long("watch")
                .action(ArgAction::SetTrue)
                .help(format!(
                    "Then wait as `{} {}` does, and exit as it does: 7 a failure state, 8 the timeout passed",
                    watch.group, watch.command
                )),
        )
        .args(timing(watch).map(|arg| arg.requires("watch")))
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
fn timing(watch: &'static Watch) -> [Arg; 3] {
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

fn command(watch: &'static Watch) -> Command {
    let until = if watch.gone {
        "until it is gone (the read answers 404) or --timeout passes"
    } else {
        "until it reaches a final state or --timeout passes, and prints the last answer"
    };
    let about = format!(
        "{}\n\nReads the resource with `{}` at once, then after delays from {} s growing to {} s, with jitter, \
         {until}. \
         Exit codes: 0 success, 7 a failure state, 8 the timeout passed; the others as for any command.",
        watch.about, watch.operation, watch.min_delay, watch.max_delay
    );
    Command::new(watch.command)
        .about(watch.about)
        .long_about(about)
        .args(timing(watch))
}

/// The watch command the command line chose, with its arguments.
pub(super) fn chosen(matches: &ArgMatches) -> Option<(&'static Watch, &ArgMatches)> {
    let (group, matches) = matches.subcommand()?;
    let (command, args) = matches.subcommand()?;
    let watch = WATCHES
        .iter()
        .find(|w| w.group == group && w.command == command)?;
    Some((watch, args))
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
