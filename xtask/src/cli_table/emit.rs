//! The generated half of the command-line tool: `GROUPS`, the commands
//! as data for `clap`, and `send`, which calls each operation's builder
//! with the flags given. Parsing, output and exit codes are hand-written
//! in the client's `cli` module, once for all operations.

use anyhow::{Context, Result};
use proc_macro2::TokenStream;
use quote::{format_ident, quote};

use super::{Body, BodyField, Command, Flag, Follow, Group, Kind};
use crate::naming::{rust_field_name, rust_method_name};

pub fn file(groups: &[Group]) -> Result<syn::File> {
    let groups_table = groups.iter().map(group);
    let arms = groups
        .iter()
        .flat_map(|g| &g.operations)
        .map(arm)
        .collect::<Result<Vec<_>>>()?;
    let tokens = quote! {
        use super::args::Args;
        use super::model::{Field, Group, Kind, Operation};
        use super::output::{Failure, Output};
        use crate::{Client, types};

        /// Every operation, grouped as the tags of the spec group them.
        pub(super) const GROUPS: &[Group] = &[#(#groups_table),*];

        /// Sends `operation` with the flags in `args` and writes its answer.
        #[allow(deprecated)] // Deprecated operations stay callable.
        pub(super) async fn send(
            client: &Client,
            operation: &str,
            args: &Args<'_>,
            output: &mut Output,
        ) -> ::std::result::Result<(), Failure> {
            match operation {
                #(#arms)*
                other => Err(Failure::Usage(format!("unknown operation {other}"))),
            }
        }
    };
    Ok(syn::parse2(tokens)?)
}

fn group(group: &Group) -> TokenStream {
    let Group {
        command,
        alias,
        about,
        operations,
    } = group;
    let operations = operations.iter().map(operation);
    quote! {
        Group {
            command: #command,
            alias: #alias,
            about: #about,
            operations: &[#(#operations),*],
        }
    }
}

fn operation(command: &Command) -> TokenStream {
    let id = &command.operation_id;
    let name = &command.command;
    let summary = &command.summary;
    let description = &command.description;
    let deprecation = command.deprecation.as_ref();
    let successor = optional(deprecation.and_then(|d| d.successor.as_deref()));
    let deprecation = optional(deprecation.map(|d| d.note.as_str()));
    let irreversible = optional(command.irreversible.as_deref());
    let parameters = command.parameters.iter().map(field);
    let body = command
        .body
        .iter()
        .flat_map(|b| &b.fields)
        .map(|f| field(&f.flag));
    let has_body = command.body.is_some();
    let file_only = command.body.as_ref().is_some_and(|b| b.file_only);
    let paged = command.paged;
    let watch = optional(command.watch.as_ref().map(|w| w.command.as_str()));
    quote! {
        Operation {
            id: #id,
            command: #name,
            summary: #summary,
            description: #description,
            deprecation: #deprecation,
            successor: #successor,
            irreversible: #irreversible,
            parameters: &[#(#parameters),*],
            has_body: #has_body,
            body_fields: &[#(#body),*],
            body_file_only: #file_only,
            paged: #paged,
            watch: #watch,
        }
    }
}

fn field(flag: &Flag) -> TokenStream {
    let Flag {
        name,
        flag,
        help,
        required,
        kind,
    } = flag;
    let kind = match kind {
        Kind::Text => quote!(Kind::Text),
        Kind::Integer { .. } => quote!(Kind::Integer),
        Kind::Boolean => quote!(Kind::Boolean),
    };
    quote! {
        Field { name: #name, flag: #flag, help: #help, required: #required, kind: #kind }
    }
}

fn optional(text: Option<&str>) -> TokenStream {
    match text {
        Some(text) => quote!(::std::option::Option::Some(#text)),
        None => quote!(::std::option::Option::None),
    }
}

/// The `match` arm that sends `command`.
fn arm(command: &Command) -> Result<TokenStream> {
    let id = &command.operation_id;
    let method = format_ident!("{}", rust_method_name(&command.operation_id));
    let parameters = command.parameters.iter().map(set_parameter);
    let body = command.body.as_ref().map(body).transpose()?;
    let answer = if command.paged {
        quote! {
            if args.all() {
                output.every_item(request).await
            } else {
                output.value(&request.send().await?.into_inner())
            }
        }
    } else if let Some(follow) = &command.watch {
        followed(follow)
    } else {
        quote!(output.value(&request.send().await?.into_inner()))
    };
    let arm = quote! {
        #id => {
            let request = client.#method();
            #(#parameters)*
            #body
            #answer
        }
    };
    // Parsed here, so that a name the generator mirrors wrong is an error
    // naming its operation rather than one about the whole table.
    syn::parse2::<syn::Arm>(arm.clone())
        .with_context(|| format!("the command of {id} is not valid Rust"))?;
    Ok(arm)
}

/// Sends the write and, given `--watch`, waits with the waiter `follow`
/// names, its read's parameters set from the write's flags and answer.
fn followed(follow: &Follow) -> TokenStream {
    let shared = follow.shared.iter().map(set_parameter);
    let from_answer = follow.from_answer.iter().map(|(parameter, field)| {
        let setter = format_ident!("{}", rust_field_name(parameter));
        quote! {
            let request = request.#setter(super::watch::answered(&answer, #field)?);
        }
    });
    let waits = waits(&follow.method, shared.chain(from_answer).collect());
    quote! {
        let answer = request.send().await?.into_inner();
        match args.watch() {
            ::std::option::Option::None => output.value(&answer),
            ::std::option::Option::Some(timing) => {
                #waits
            }
        }
    }
}

/// Sets the request body from `--file` or from the field flags, each
/// parsed into its type first so that a bad value is named by its flag.
fn body(body: &Body) -> Result<TokenStream> {
    let type_name = format_ident!("{}", body.type_name);
    if body.file_only {
        return Ok(quote! {
            let request = match args.body_file::<types::#type_name>()? {
                ::std::option::Option::Some(body) => request.body(body),
                ::std::option::Option::None => {
                    return Err(Failure::Usage(
                        "--file is required: this body takes one of several shapes, so it has no flags".into(),
                    ));
                }
            };
        });
    }
    let parsed = body
        .fields
        .iter()
        .map(
            |BodyField {
                 property,
                 flag,
                 rust_type,
             }| {
                let local = format_ident!("{}", rust_field_name(property));
                let name = &flag.name;
                let rust_type: syn::Type = syn::parse_str(rust_type).with_context(|| {
                    format!("body field {name}: `{rust_type}` is not a Rust type")
                })?;
                Ok(quote!(let #local = args.parsed::<#rust_type>(#name)?;))
            },
        )
        .collect::<Result<Vec<_>>>()?;
    let set = body.fields.iter().map(|BodyField { property, flag, .. }| {
        let local = format_ident!("{}", rust_field_name(property));
        let value = if flag.required {
            quote!(value)
        } else {
            quote!(::std::option::Option::Some(value))
        };
        quote! {
            let body = match #local {
                ::std::option::Option::Some(value) => body.#local(#value),
                ::std::option::Option::None => body,
            };
        }
    });
    Ok(quote! {
        let request = match args.body_file::<types::#type_name>()? {
            ::std::option::Option::Some(body) => request.body(body),
            ::std::option::Option::None => {
                #(#parsed)*
                request.body_map(|body| {
                    #(#set)*
                    body
                })
            }
        };
    })
}

/// Sets the parameter `flag` when it was given.
pub(super) fn set_parameter(flag: &Flag) -> TokenStream {
    let setter = format_ident!("{}", rust_field_name(&flag.name));
    let name = &flag.name;
    let value = match flag.kind {
        Kind::Text => quote!(args.text(#name)),
        Kind::Integer { primitive } => {
            let primitive = format_ident!("{primitive}");
            quote!(args.integer::<#primitive>(#name)?)
        }
        Kind::Boolean => quote!(args.boolean(#name)),
    };
    quote! {
        let request = match #value {
            ::std::option::Option::Some(value) => request.#setter(value),
            ::std::option::Option::None => request,
        };
    }
}

/// Waits with the client's waiter `method`, its parameters set by
/// `parameters` and its timing from `timing`, and writes the answer that
/// ended the wait.
pub(super) fn waits(method: &str, parameters: Vec<TokenStream>) -> TokenStream {
    let method = format_ident!("{method}");
    quote! {
        let request = client.#method();
        #(#parameters)*
        let request = match timing.min_delay {
            ::std::option::Option::Some(delay) => request.min_delay(delay),
            ::std::option::Option::None => request,
        };
        let request = match timing.max_delay {
            ::std::option::Option::Some(delay) => request.max_delay(delay),
            ::std::option::Option::None => request,
        };
        let outcome = request
            .wait_reporting(timing.timeout, |progress| output.progress(progress))
            .await;
        output.waited(outcome)
    }
}
