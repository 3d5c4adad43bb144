//! Changes to progenitor's syntax tree that the spec calls for and
//! progenitor 0.15 does not make, one concern per module:
//!
//! - [`headers`]: the versioned `Accept` and `Content-Type` headers, and no
//!   `api-version` header;
//! - `#[deprecated]` on the methods of deprecated operations (here);
//! - [`irreversible`]: what cannot be undone said first in a method's
//!   documentation;
//! - [`refusals`]: invalid parameters refused with their rule;
//! - [`send`]: every call goes through the hand-written runtime;
//! - [`constructors`]: a client is made only by `Client::builder()`;
//! - [`paging`]: item and page streams for paged operations;
//! - [`optional_body`]: `Option` of the body for an answer that may have none;
//! - [`open_enums`]: enums that keep values they do not know;
//! - [`server_values`]: strings from Atlas decoded as sent;
//! - [`integer_enums`]: integers of a list refused with the list when
//!   built, and decoded as sent;
//! - [`unicode_patterns`]: patterns compiled with Unicode semantics;
//! - [`tagged_unions`]: an enum for each discriminated schema;
//! - [`non_exhaustive`]: every struct and enum of `types` `#[non_exhaustive]`,
//!   so that what Atlas adds is a minor release;
//! - [`examples`]: each method's example compiled, with values from the
//!   spec (for the client only, after [`waiters`]).
//!
//! Each changes what callers see, and each fails, naming what it looked
//! for, when progenitor's output no longer has it.
//!
//! [`mocks`] does the same for the typed mocks.

mod constructors;
pub mod examples;
mod headers;
mod integer_enums;
mod irreversible;
pub mod mocks;
pub mod non_exhaustive;
mod open_enums;
mod optional_body;
mod paging;
mod refusals;
mod send;
mod server_values;
pub(crate) mod syntax;
pub mod tagged_unions;
mod unicode_patterns;
pub mod waiters;

use anyhow::{Context, Result, bail};
use proc_macro2::TokenStream;
use syn::{Fields, Item, parse_quote};

use crate::facts::OperationFacts;
use crate::naming::rust_method_name;
use crate::tagged_unions::TaggedUnion;
use syntax::{builder_impl, client_method, impl_fn, module_items, type_name};

/// Which passes [`apply`] makes.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Passes {
    /// Every pass: the client as committed.
    All,
    /// Only the passes that change signatures and types, for code whose
    /// function bodies were left out ([`crate::generate::outline`]): the same
    /// public items, for less work.
    Signatures,
}

/// Parses progenitor's output, applies `facts` to it and adds the enums
/// of `unions`.
pub fn apply(
    tokens: TokenStream,
    facts: &[OperationFacts],
    unions: &[TaggedUnion],
    passes: Passes,
) -> Result<syn::File> {
    let mut file: syn::File =
        syn::parse2(tokens).context("progenitor produced code that does not parse")?;
    for fact in facts {
        operation(&mut file, fact, passes)
            .with_context(|| format!("operation {}", fact.operation_id))?;
    }
    // Only constructors, open_enums and the integer enums' `FromStr`, of
    // these, change what the public items show.
    constructors::builder_only(&mut file)?;
    let all = passes == Passes::All;
    if all {
        refusals::explain_missing(module_items(&mut file, "builder")?)?;
        refusals::explain_missing(module_items(&mut file, "types")?)?;
    }
    let types = module_items(&mut file, "types")?;
    open_enums::open(types)?;
    integer_enums::parse_from_text(types);
    if all {
        server_values::accept_as_sent(types)?;
        integer_enums::check_on_input_only(types)?;
        unicode_patterns::compile_in_unicode_mode(types)?;
    }
    tagged_unions::write(&mut file, unions)?;
    // Last, so that the enums written above are marked too.
    non_exhaustive::mark(module_items(&mut file, "types")?)?;
    Ok(file)
}

fn operation(file: &mut syn::File, fact: &OperationFacts, passes: Passes) -> Result<()> {
    let method = rust_method_name(&fact.operation_id);
    if let Some(note) = &fact.deprecation {
        client_method(file, &method)?
            .attrs
            .push(parse_quote!(#[deprecated(note = #note)]));
    }
    if let Some(note) = &fact.irreversible {
        irreversible::warn(client_method(file, &method)?, note);
    }
    let name = type_name(&builder_impl(file, &method)?.self_ty)
        .context("the builder is not a named type")?
        .clone();
    let fields = builder_fields(file, &name)?;
    let builder = builder_impl(file, &method)?;
    let body = match passes {
        Passes::All => send::Body::Whole,
        Passes::Signatures => send::Body::LeftOut,
    };
    if body == send::Body::Whole {
        let send = impl_fn(builder, "send").context("the builder has no `send`")?;
        headers::drop_api_version(send)?;
        if let Some(accept) = &fact.media_types.accept {
            headers::set_accept(send, accept).context("cannot set Accept")?;
        }
        if let Some(content_type) = &fact.media_types.content_type {
            headers::set_content_type(send, content_type).context("cannot set Content-Type")?;
        }
    }
    if !fact.bodiless_success.is_empty() {
        let whole = body == send::Body::Whole;
        let send = impl_fn(builder, "send").context("the builder has no `send`")?;
        let decodes = optional_body::none_for(send, &fact.bodiless_success)?;
        if whole && !decodes {
            bail!("the generated `send` has no `match` on the answer's status");
        }
    }
    refusals::explain(builder, &fact.bounds)?;
    let success = send::wrap(builder, fact, &fields, body)?;
    if let Some(paging) = &fact.paging {
        paging::add(file, &name, &success, paging)?;
    }
    Ok(())
}

/// The field names of the builder struct `name`.
fn builder_fields(file: &mut syn::File, name: &syn::Ident) -> Result<Vec<String>> {
    module_items(file, "builder")?
        .iter()
        .find_map(|item| match item {
            Item::Struct(s) if &s.ident == name => match &s.fields {
                Fields::Named(fields) => Some(
                    fields
                        .named
                        .iter()
                        .filter_map(|f| f.ident.as_ref().map(ToString::to_string))
                        .collect(),
                ),
                _ => None,
            },
            _ => None,
        })
        .with_context(|| format!("no builder struct `{name}`"))
}
