//! The `clap` command: a group per tag, a subcommand per operation, a flag
//! per parameter and body field, a `watch-…` command per waiter in the
//! group of the operation it reads, with that operation's flags, and
//! `--watch` on a write whose result a waiter reads; and which command
//! the command line chose.

use clap::{Arg, ArgAction, ArgMatches, Command, value_parser};

use super::environment::{BASE_URL_VARIABLE, CREDENTIAL_VARIABLES};
use super::model::{Field, Group, Kind, Operation, Watch};
use super::operations::{GROUPS, WATCHES};
use super::watch::timing;

/// The whole command line.
pub(super) fn command() -> Command {
    Command::new(env!("CARGO_PKG_NAME"))
        .version(env!("CARGO_PKG_VERSION"))
        .about("The backup-snapshot operations of the MongoDB Atlas Administration API.")
        .after_help(environment_help())
        .subcommand_required(true)
        .arg(
            Arg::new("output")
                .short('o')
                .long("output")
                .global(true)
                .value_parser(["json", "table"])
                .default_value("json")
                .help("JSON (pretty on a terminal), or a table of id, status, created and size"),
        )
        .subcommands(GROUPS.iter().map(group))
}

fn environment_help() -> String {
    let [public, private, id, secret] = CREDENTIAL_VARIABLES;
    format!(
        "Credentials come from the environment: {public} and {private} (an API key), or \
         {id} and {secret} (a service account). {BASE_URL_VARIABLE} replaces the base URL."
    )
}

fn group(group: &'static Group) -> Command {
    with_alias(Command::new(group.command), group.alias)
        .about(group.about)
        .subcommand_required(true)
        .subcommands(group.operations.iter().map(operation))
        .subcommands(watch_commands(group))
}

fn operation(operation: &'static Operation) -> Command {
    let mut about = String::new();
    if let Some(note) = operation.irreversible {
        about.push_str("Cannot be undone: ");
        about.push_str(note);
        about.push_str(" Asks to confirm on a terminal; --yes confirms.\n\n");
    }
    about.push_str(operation.description);
    if let Some(note) = operation.deprecation {
        about.push_str("\n\nDeprecated: ");
        about.push_str(note);
    }
    let mut command = with_alias(Command::new(operation.command), operation.id)
        .about(operation.summary)
        .long_about(about)
        .args(operation.parameters.iter().map(parameter));
    if operation.paged {
        command = command.arg(
            Arg::new("all")
                .long("all")
                .action(ArgAction::SetTrue)
                .help("Every item of every page, one JSON document a line"),
        );
    }
    if operation.irreversible.is_some() {
        command = command.arg(
            Arg::new("yes")
                .long("yes")
                .action(ArgAction::SetTrue)
                .help("Go on without asking: this cannot be undone"),
        );
    }
    if let Some(watch) = operation.watch {
        command = follow_flags(command, watch);
    }
    if operation.has_body {
        command = command
            .arg(
                Arg::new("file")
                    .long("file")
                    .value_name("PATH")
                    .required(operation.body_file_only)
                    .help(if operation.body_file_only {
                        "The request body as a JSON file"
                    } else {
                        "The request body as a JSON file, instead of the body's flags"
                    }),
            )
            .args(operation.body_fields.iter().map(body_field));
    }
    command
}

/// The watch commands of `group`, each with the flags of the operation
/// it reads.
fn watch_commands(group: &'static Group) -> Vec<Command> {
    WATCHES
        .iter()
        .filter(|watch| watch.group == group.command)
        .filter_map(|watch| {
            let operation = group.operations.iter().find(|o| o.id == watch.operation)?;
            Some(watch_command(watch).args(operation.parameters.iter().map(parameter)))
        })
        .collect()
}

/// `--watch`, and the timing flags that need it, on the command of a write
/// that the waiter of the watch command `name` follows.
fn follow_flags(command: Command, name: &'static str) -> Command {
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

/// The `watch-…` command of `watch`.
fn watch_command(watch: &'static Watch) -> Command {
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

/// `command` also answering to `alias`, unless that is its name: a
/// one-word tag or operationId is the same in kebab and camel case.
fn with_alias(command: Command, alias: &'static str) -> Command {
    if command.get_name() == alias {
        command
    } else {
        command.alias(alias)
    }
}

fn parameter(field: &'static Field) -> Arg {
    let arg = Arg::new(field.name)
        .long(field.flag)
        .help(field.help)
        .required(field.required);
    match field.kind {
        Kind::Text => arg,
        Kind::Integer => arg
            .value_parser(value_parser!(i64))
            .allow_negative_numbers(true),
        Kind::Boolean => arg.value_parser(value_parser!(bool)),
    }
}

/// A body field's value stays text: it is parsed into the field's type
/// when the body is built.
fn body_field(field: &'static Field) -> Arg {
    let arg = Arg::new(field.name)
        .long(field.flag)
        .help(field.help)
        .conflicts_with("file");
    if field.required {
        arg.required_unless_present("file")
    } else {
        arg
    }
}

/// The operation the command line chose, with its arguments.
pub(super) fn chosen(matches: &ArgMatches) -> Option<(&'static Operation, &ArgMatches)> {
    let (group, matches) = matches.subcommand()?;
    let (command, args) = matches.subcommand()?;
    let operation = GROUPS
        .iter()
        .find(|g| g.command == group)?
        .operations
        .iter()
        .find(|o| o.command == command)?;
    Some((operation, args))
}

/// The watch command the command line chose, with its arguments.
pub(super) fn chosen_watch(matches: &ArgMatches) -> Option<(&'static Watch, &ArgMatches)> {
    let (group, matches) = matches.subcommand()?;
    let (command, args) = matches.subcommand()?;
    let watch = WATCHES
        .iter()
        .find(|w| w.group == group && w.command == command)?;
    Some((watch, args))
}
