//! The `clap` command: a group per tag, a subcommand per operation, a flag
//! per parameter and body field.

use clap::{Arg, ArgAction, Command, value_parser};

use super::environment::{BASE_URL_VARIABLE, CREDENTIAL_VARIABLES};
use super::model::{Field, Group, Kind, Operation};
use super::operations::GROUPS;

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
        .subcommands(super::watch::commands(group, parameter))
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
        command = super::watch::follow_flags(command, watch);
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
