//! The table of the client's command-line tool,
//! `generated-client/src/cli/operations.rs`, read from the adapted spec:
//! one subcommand per operation, grouped by tag as Atlas's CLI groups
//! them, with a flag per parameter and per scalar field of the request
//! body. [`emit`] writes them as the table and the dispatch that the
//! hand-written `cli` module of the client runs.

mod emit;
mod waiters;

use anyhow::{Context, Result, bail};
use heck::{ToKebabCase, ToLowerCamelCase};
use openapiv3::{
    Components, IntegerFormat, OpenAPI, Parameter, ReferenceOr, Schema, SchemaKind, StringFormat,
    StringType, Type, VariantOrUnknownOrEmpty,
};

use crate::facts::{self, OperationFacts};
use crate::lookup;
use crate::naming::{
    inline_body_type_name, inline_property_type_name, rust_method_name, rust_type_name,
};
use crate::operations::operations_mut;
use crate::waiters::OperationWaiters;
use crate::watches::Watch;

/// One command group: the operations of one tag.
#[derive(Debug)]
pub struct Group {
    /// The subcommand, the tag in kebab case: `flex-snapshots`.
    pub command: String,
    /// The tag as Atlas's CLI writes it: `flexSnapshots`.
    pub alias: String,
    pub about: String,
    pub operations: Vec<Command>,
}

/// One operation as a subcommand.
#[derive(Debug)]
pub struct Command {
    pub operation_id: String,
    /// The subcommand, the operationId in kebab case.
    pub command: String,
    pub summary: String,
    pub description: String,
    pub deprecation: Option<Deprecation>,
    /// What cannot be undone, which the command asks to confirm.
    pub irreversible: Option<String>,
    pub parameters: Vec<Flag>,
    /// The scalar fields of the request body, if the operation takes one.
    pub body: Option<Body>,
    pub paged: bool,
    /// The waiter that `--watch` runs after the write, if it has one.
    pub watch: Option<Follow>,
}

/// The wait that follows a write given `--watch` (`x-watch`).
#[derive(Debug)]
pub struct Follow {
    /// The waiter's command: `watch-private-endpoint-active`.
    pub command: String,
    /// The client's method: `wait_until_private_endpoint_active`.
    pub method: String,
    /// The write's flags whose names the waiter's read takes too.
    pub shared: Vec<Flag>,
    /// Each parameter of the read taken from the write's answer, with the
    /// answer's field that gives it.
    pub from_answer: Vec<(String, String)>,
}

/// Why an operation is deprecated, and what to use instead.
#[derive(Debug)]
pub struct Deprecation {
    pub note: String,
    /// The command of the operation the note names instead.
    pub successor: Option<String>,
}

/// The request body: its Rust type and the fields that get flags.
#[derive(Debug)]
pub struct Body {
    /// The body's Rust type: its component schema's name, or the name
    /// progenitor gives an inline schema (`CreateThingBody`).
    pub type_name: String,
    pub fields: Vec<BodyField>,
    /// A body of several shapes (a discriminated union) has no builder to
    /// set fields on: it comes whole from `--file`.
    pub file_only: bool,
}

/// A scalar field of the request body.
#[derive(Debug)]
pub struct BodyField {
    /// The property's name in the spec, which names its setter.
    pub property: String,
    pub flag: Flag,
    /// Its Rust type, as a path: `types::GroupId`, `i32`.
    pub rust_type: String,
}

/// A parameter or a body field, as a flag.
#[derive(Clone, Debug)]
pub struct Flag {
    /// The name in the spec, which is also the argument's id.
    pub name: String,
    /// `--group-id` for `groupId`.
    pub flag: String,
    pub help: String,
    pub required: bool,
    pub kind: Kind,
}

/// How a flag's value is parsed.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Kind {
    Text,
    /// Parsed as `i64`, then narrowed to `primitive`: the integer that the
    /// Rust type typify gives the parameter converts from (`u64` for a
    /// `NonZeroU64`), so that any width reaches its setter.
    Integer {
        primitive: &'static str,
    },
    Boolean,
}

/// The generated file for the adapted `openapi`, its `facts`, its
/// `waiters` and the writes that `watches` follow with a wait.
pub fn file(
    openapi: &OpenAPI,
    facts: &[OperationFacts],
    waiters: &[OperationWaiters],
    watches: &[Watch],
) -> Result<syn::File> {
    let mut groups = groups(openapi, facts)?;
    follow_writes(&mut groups, watches)?;
    let mut file = emit::file(&groups)?;
    waiters::append(&mut file, waiters, &groups)?;
    Ok(file)
}

/// The command groups of `openapi` in the order of its tags, then of its
/// operations.
pub fn groups(openapi: &OpenAPI, facts: &[OperationFacts]) -> Result<Vec<Group>> {
    let components = openapi.components.clone().unwrap_or_default();
    let mut groups: Vec<Group> = openapi
        .tags
        .iter()
        .map(|tag| Group {
            command: tag.name.to_kebab_case(),
            alias: tag.name.to_lower_camel_case(),
            about: one_line(tag.description.as_deref().unwrap_or(&tag.name)),
            operations: Vec::new(),
        })
        .collect();
    let mut paths = openapi.paths.clone();
    let mut facts = facts.iter();
    for (path, item) in paths.paths.iter_mut() {
        let ReferenceOr::Item(item) = item else {
            bail!("path {path} is a $ref");
        };
        let path_parameters = item.parameters.clone();
        for (method, operation) in operations_mut(item) {
            let place = format!("{} {path}", method.to_uppercase());
            let fact = facts.next().context("fewer facts than operations")?;
            let tag = operation
                .tags
                .first()
                .with_context(|| format!("{place}: a tag names its command group"))?;
            let group = groups
                .iter_mut()
                .find(|g| g.command == tag.to_kebab_case())
                .with_context(|| format!("{place}: its tag `{tag}` is not in the spec's tags"))?;
            let parameters = lookup::parameters(&components, &path_parameters, operation)
                .iter()
                .map(|p| parameter_flag(&components, p))
                .collect::<Result<Vec<_>>>()
                .with_context(|| place.clone())?;
            let mut body =
                body(&components, &fact.operation_id, operation).with_context(|| place.clone())?;
            if let Some(body) = &mut body {
                prefix_flags_parameters_take(&place, body, &parameters)?;
            }
            group.operations.push(Command {
                operation_id: fact.operation_id.clone(),
                command: fact.operation_id.to_kebab_case(),
                summary: one_line(operation.summary.as_deref().unwrap_or_default()),
                description: one_line(operation.description.as_deref().unwrap_or_default()),
                deprecation: fact.deprecation.clone().map(|note| Deprecation {
                    note,
                    successor: None,
                }),
                irreversible: fact.irreversible.clone(),
                parameters,
                body,
                paged: fact.paging.is_some(),
                watch: None,
            });
        }
    }
    groups.retain(|g| !g.operations.is_empty());
    name_successors(&mut groups);
    Ok(groups)
}

/// Gives each write of `watches` the wait that its `--watch` runs: the
/// waiter, and where each parameter of the waiter's read comes from.
fn follow_writes(groups: &mut [Group], watches: &[Watch]) -> Result<()> {
    for watch in watches {
        let read = groups
            .iter()
            .flat_map(|g| &g.operations)
            .find(|c| c.operation_id == watch.read)
            .with_context(|| format!("no command reads {}", watch.read))?;
        let read_parameters: Vec<String> = read.parameters.iter().map(|p| p.name.clone()).collect();
        let write = groups
            .iter_mut()
            .flat_map(|g| &mut g.operations)
            .find(|c| c.operation_id == watch.operation_id)
            .with_context(|| format!("no command for the write {}", watch.operation_id))?;
        let shared = write
            .parameters
            .iter()
            .filter(|p| read_parameters.contains(&p.name))
            .filter(|p| !watch.from_answer.iter().any(|(name, _)| *name == p.name))
            .cloned()
            .collect();
        write.watch = Some(Follow {
            command: watch.waiter.command(),
            method: watch.waiter.method(),
            shared,
            from_answer: watch.from_answer.clone(),
        });
    }
    Ok(())
}

/// Finds, in each deprecation note, the Rust method of another operation
/// written in backquotes, and records that operation's command.
fn name_successors(groups: &mut [Group]) {
    let commands: Vec<(String, String)> = groups
        .iter()
        .flat_map(|g| {
            g.operations.iter().map(|o| {
                let method = format!("`{}`", rust_method_name(&o.operation_id));
                (method, format!("{} {}", g.command, o.command))
            })
        })
        .collect();
    let deprecations = groups
        .iter_mut()
        .flat_map(|g| &mut g.operations)
        .filter_map(|operation| operation.deprecation.as_mut());
    for deprecation in deprecations {
        deprecation.successor = commands
            .iter()
            .find(|(method, _)| deprecation.note.contains(method.as_str()))
            .map(|(_, command)| command.clone());
    }
}

fn parameter_flag(components: &Components, parameter: &Parameter) -> Result<Flag> {
    let data = parameter.parameter_data_ref();
    let schema = lookup::parameter_schema(components, parameter)
        .with_context(|| format!("parameter {} has no schema", data.name))?;
    Ok(Flag {
        name: data.name.clone(),
        flag: data.name.to_kebab_case(),
        help: one_line(data.description.as_deref().unwrap_or_default()),
        required: data.required,
        kind: kind(schema).with_context(|| {
            format!(
                "parameter {} is not a string, integer or boolean",
                data.name
            )
        })?,
    })
}

/// The request body's Rust type and its scalar properties; other
/// properties are set with `--file` only.
fn body(
    components: &Components,
    operation_id: &str,
    operation: &openapiv3::Operation,
) -> Result<Option<Body>> {
    let Some(body) = &operation.request_body else {
        return Ok(None);
    };
    let body = match body {
        ReferenceOr::Item(body) => body,
        ReferenceOr::Reference { reference } => lookup::request_body(components, body)
            .with_context(|| format!("request body {reference} does not resolve"))?,
    };
    let schema = body
        .content
        .get(facts::PLAIN_JSON)
        .and_then(|media| media.schema.as_ref())
        .context("the request body has no JSON schema")?;
    let type_name = match schema {
        ReferenceOr::Reference { reference } => reference
            .strip_prefix("#/components/schemas/")
            .map(rust_type_name)
            .with_context(|| format!("{reference} is not a component schema"))?,
        // progenitor names an inline body after its operation.
        ReferenceOr::Item(_) => inline_body_type_name(operation_id),
    };
    let resolved = lookup::schema(components, schema);
    if resolved.is_some_and(|s| s.schema_data.discriminator.is_some()) {
        return Ok(Some(Body {
            type_name,
            fields: Vec::new(),
            file_only: true,
        }));
    }
    let Some(SchemaKind::Type(Type::Object(object))) = resolved.map(|s| &s.schema_kind) else {
        bail!("the request body {type_name} is not an object");
    };
    let fields = object
        .properties
        .iter()
        .filter_map(|(name, property)| {
            // A component is its own Rust type; an inline scalar has the
            // type typify gives it. Other properties are set with `--file`
            // only.
            let (property, rust_type) = match property {
                ReferenceOr::Reference { reference } => {
                    let type_name = reference.strip_prefix("#/components/schemas/")?;
                    let schema = lookup::component_schema(components, reference)?;
                    (schema, format!("types::{}", rust_type_name(type_name)))
                }
                ReferenceOr::Item(schema) => {
                    (schema.as_ref(), inline_rust_type(&type_name, name, schema)?)
                }
            };
            let flag = Flag {
                name: name.clone(),
                flag: name.to_kebab_case(),
                help: one_line(
                    property
                        .schema_data
                        .description
                        .as_deref()
                        .unwrap_or_default(),
                ),
                required: object.required.contains(name),
                kind: kind(property)?,
            };
            Some(BodyField {
                property: name.clone(),
                flag,
                rust_type,
            })
        })
        .collect();
    Ok(Some(Body {
        type_name,
        fields,
        file_only: false,
    }))
}

/// Gives a body field whose flag a parameter takes the flag
/// `--body-<field>` (Atlas repeats a path id in some bodies, as `orgId` in
/// its connected organization configurations); refuses a clash that
/// remains.
fn prefix_flags_parameters_take(place: &str, body: &mut Body, parameters: &[Flag]) -> Result<()> {
    let taken = |flag: &str| parameters.iter().any(|p| p.flag == flag);
    for field in &mut body.fields {
        if !taken(&field.flag.flag) {
            continue;
        }
        field.flag.name = format!("body.{}", field.property);
        field.flag.flag = format!("body-{}", field.flag.flag);
        if taken(&field.flag.flag) {
            bail!(
                "{place}: body field `{}` and parameters take both --{} and its `body-` form",
                field.property,
                field.flag.flag.trim_start_matches("body-")
            );
        }
    }
    Ok(())
}

/// The Rust type typify gives the inline scalar property `name` of the
/// body type `body`, where it can be told from the schema alone: a plain
/// string (or one of a format typify reads as text, `email`), a boolean, an integer of its format (`NonZero` from a minimum
/// of 1), and the type typify names after the body and the property for a
/// string with an `enum` or a `pattern` and an integer with an `enum`.
fn inline_rust_type(body: &str, name: &str, schema: &Schema) -> Option<String> {
    let named = || format!("types::{}", inline_property_type_name(body, name));
    match &schema.schema_kind {
        SchemaKind::Type(Type::String(s)) if typed_as_text(&s.format) => {
            if s.pattern.is_some() || !s.enumeration.is_empty() {
                Some(named())
            } else {
                Some("::std::string::String".into())
            }
        }
        SchemaKind::Type(Type::Boolean(_)) => Some("bool".into()),
        // typify names a newtype after the body and the property, which
        // parses its text and checks the list.
        SchemaKind::Type(Type::Integer(integer)) if !integer.enumeration.is_empty() => {
            Some(named())
        }
        SchemaKind::Type(Type::Integer(integer)) => {
            let (plain, non_zero, low, high) = match &integer.format {
                VariantOrUnknownOrEmpty::Item(IntegerFormat::Int32) => (
                    "i32",
                    "NonZeroU32",
                    i64::from(i32::MIN),
                    i64::from(i32::MAX),
                ),
                VariantOrUnknownOrEmpty::Item(IntegerFormat::Int64) => {
                    ("i64", "NonZeroU64", i64::MIN, i64::MAX)
                }
                _ => return None,
            };
            let (minimum, maximum) = facts::inclusive_bounds(integer);
            let fits = minimum.is_none_or(|m| m >= low) && maximum.is_none_or(|m| m <= high);
            match (fits, minimum) {
                (true, Some(1)) => Some(format!("::std::num::{non_zero}")),
                (true, _) => Some(plain.into()),
                (false, _) => None,
            }
        }
        _ => None,
    }
}

/// Whether typify types a string of `format` as text: without a format,
/// or with one it does not know (`email`), which it reads as plain text.
fn typed_as_text(format: &VariantOrUnknownOrEmpty<StringFormat>) -> bool {
    /// The formats typify gives a type of their own.
    const TYPED: [&str; 4] = ["uuid", "ip", "ipv4", "ipv6"];
    match format {
        VariantOrUnknownOrEmpty::Empty => true,
        VariantOrUnknownOrEmpty::Unknown(format) => !TYPED.contains(&format.as_str()),
        VariantOrUnknownOrEmpty::Item(_) => false,
    }
}

/// The primitive integer that typify's type for an integer converts from:
/// `u32` or `u64` behind a `NonZero` (a minimum of 1), else the signed
/// integer of its format.
fn integer_primitive(int32: bool, minimum: Option<i64>) -> &'static str {
    match (minimum, int32) {
        (Some(1), true) => "u32",
        (Some(1), false) => "u64",
        (_, true) => "i32",
        (_, false) => "i64",
    }
}

/// How a parameter's flag is parsed. A schema openapiv3 cannot type (an
/// integer with a `pattern`, as Atlas writes some timestamps) is read by
/// its `type`, as typify reads it.
fn kind(schema: &Schema) -> Option<Kind> {
    match &schema.schema_kind {
        SchemaKind::Type(Type::String(StringType { .. })) => Some(Kind::Text),
        SchemaKind::Type(Type::Integer(integer)) => Some(Kind::Integer {
            primitive: integer_primitive(
                matches!(
                    integer.format,
                    VariantOrUnknownOrEmpty::Item(IntegerFormat::Int32)
                ),
                facts::inclusive_bounds(integer).0,
            ),
        }),
        SchemaKind::Type(Type::Boolean(_)) => Some(Kind::Boolean),
        SchemaKind::Any(any) => match any.typ.as_deref()? {
            "string" => Some(Kind::Text),
            "integer" => Some(Kind::Integer {
                primitive: integer_primitive(
                    any.format.as_deref() == Some("int32"),
                    any.minimum
                        .filter(|_| any.exclusive_minimum != Some(true))
                        .map(|m| m as i64),
                ),
            }),
            "boolean" => Some(Kind::Boolean),
            _ => None,
        },
        _ => None,
    }
}

/// `text` with its line breaks and runs of spaces made single spaces.
fn one_line(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}
