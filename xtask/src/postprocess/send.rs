//! Routes every operation through the hand-written runtime: progenitor's
//! `send` becomes the private `dispatch`, and a new `send` checks parameter
//! bounds, then runs `dispatch` under the runtime, which authenticates,
//! retries and turns every failure into the crate's one error type.

use anyhow::{Context, Result, bail};
use heck::ToSnakeCase;
use proc_macro2::TokenStream;
use quote::{format_ident, quote};
use syn::{ImplItem, ItemImpl, Visibility, parse_quote};

use super::syntax::{first_type_argument, impl_fn};
use crate::adapt::{OperationFacts, ParameterBounds};

/// Wraps the `send` of `builder`, whose struct has `fields`, and returns
/// the type of the success body.
pub fn wrap(builder: &mut ItemImpl, fact: &OperationFacts, fields: &[String]) -> Result<syn::Type> {
    let dispatch = impl_fn(builder, "send").context("the builder has no `send`")?;
    dispatch.sig.ident = format_ident!("dispatch");
    dispatch.vis = Visibility::Inherited;
    dispatch.attrs.clear();
    let syn::ReturnType::Type(_, returned) = &dispatch.sig.output else {
        bail!("the generated `send` returns nothing");
    };
    let response = first_type_argument(returned)
        .context("the generated `send` does not return a `Result`")?
        .clone();
    let body = first_type_argument(&response)
        .context("the generated `send` does not return a `ResponseValue`")?
        .clone();

    let checks = fact
        .bounds
        .iter()
        .map(|bounds| bounds_check(bounds, fields))
        .collect::<Result<Vec<_>>>()?;
    let id = &fact.operation_id;
    let deprecation = match &fact.deprecation {
        Some(note) => quote!(::std::option::Option::Some(#note)),
        None => quote!(::std::option::Option::None),
    };
    let added: [ImplItem; 2] = [
        parse_quote! {
            const OPERATION: crate::runtime::Operation = crate::runtime::Operation {
                id: #id,
                deprecation: #deprecation,
            };
        },
        parse_quote! {
            /// Sends the request: authenticates, retries what is safe to
            /// retry, and decodes the answer.
            ///
            /// # Errors
            ///
            /// A [`crate::Error`]; a missing or invalid parameter fails
            /// before anything is sent.
            pub async fn send(self) -> ::std::result::Result<#response, crate::Error> {
                #(#checks)*
                Self::OPERATION.complete(self.dispatch()).await
            }
        },
    ];
    builder.items.splice(0..0, added);
    Ok(body)
}

fn bounds_check(bounds: &ParameterBounds, fields: &[String]) -> Result<TokenStream> {
    let field = bounds.name.to_snake_case();
    if !fields.contains(&field) {
        bail!(
            "parameter {} has bounds but the builder has no field `{field}`",
            bounds.name
        );
    }
    // The setter's name, as the other refusals of the builder say it.
    let name = field.clone();
    let field = format_ident!("{field}");
    let bound = |value: Option<i64>| match value {
        Some(v) => quote!(::std::option::Option::Some(#v)),
        None => quote!(::std::option::Option::None),
    };
    let (minimum, maximum) = (bound(bounds.minimum), bound(bounds.maximum));
    Ok(quote! {
        Self::OPERATION.check_bounds(#name, &self.#field, #minimum, #maximum)?;
    })
}
