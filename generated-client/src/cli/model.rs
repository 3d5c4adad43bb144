//! The commands as data: what `operations.rs` declares for each operation
//! and waiter, and the `clap` command is built from.

/// The operations of one tag.
pub(super) struct Group {
    pub command: &'static str,
    /// The tag as Atlas's CLI writes it, accepted as well.
    pub alias: &'static str,
    pub about: &'static str,
    pub operations: &'static [Operation],
}

/// One operation.
pub(super) struct Operation {
    /// The operationId, accepted as the command's alias.
    pub id: &'static str,
    pub command: &'static str,
    pub summary: &'static str,
    pub description: &'static str,
    pub deprecation: Option<&'static str>,
    /// The command to use instead, when the deprecation note names one.
    pub successor: Option<&'static str>,
    /// What cannot be undone: the command asks to confirm on a terminal,
    /// and needs `--yes` elsewhere.
    pub irreversible: Option<&'static str>,
    pub parameters: &'static [Field],
    pub has_body: bool,
    /// The scalar fields of the request body, each with its own flag.
    pub body_fields: &'static [Field],
    /// The body comes whole from `--file`: it takes one of several shapes.
    pub body_file_only: bool,
    pub paged: bool,
    /// The watch command whose waiter `--watch` runs after the write.
    pub watch: Option<&'static str>,
}

/// A parameter or body field, as a flag.
pub(super) struct Field {
    /// The name in the spec, and the argument's id.
    pub name: &'static str,
    pub flag: &'static str,
    pub help: &'static str,
    pub required: bool,
    pub kind: Kind,
}

/// A waiter, as a `watch-…` command: the flags of the operation it reads,
/// and how long and how often it waits. Delays and bound in seconds.
pub(super) struct Watch {
    /// The command of the group it is in.
    pub group: &'static str,
    pub command: &'static str,
    /// The operationId of the operation it reads.
    pub operation: &'static str,
    pub about: &'static str,
    /// The spec's bound, as `--timeout` takes it: `14400s`.
    pub default_timeout: &'static str,
    pub min_delay: u64,
    pub max_delay: u64,
    /// The waiter waits until the resource is gone: its read answers 404.
    pub gone: bool,
}

/// How a flag's value is parsed.
#[derive(Clone, Copy)]
pub(super) enum Kind {
    Text,
    Integer,
    Boolean,
}
