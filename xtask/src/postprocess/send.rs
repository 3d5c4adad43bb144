//! Routes every operation through the hand-written runtime: progenitor's
//! `send` becomes the private `dispatch`, which sends its request with
//! `runtime::exec`, and a new `send` checks parameter bounds, runs
//! `dispatch` with a record of the call, and hands both to the runtime,
//! which turns every failure into the crate's one error type.

use anyhow::{Context, Result, bail};
use heck::ToSnakeCase;
use proc_macro2::TokenStream;
use quote::{format_ident, quote};
use syn::{Expr, ImplItem, ImplItemFn, ItemImpl, Visibility, parse_quote};

use super::syntax::{first_type_argument, impl_fn, replace_exprs};
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
                let mut call = Self::OPERATION.record();
                let result = self.dispatch(&mut call).await;
                Self::OPERATION.complete(result, call).await
            }
        },
    ];
    builder.items.splice(0..0, added);
    Ok(body)
}

/// Sends the request of progenitor's `send` with `runtime::exec`, which
/// records the call in the `call` it is lent, instead of progenitor's
/// `client.exec` hook, which cannot.
pub fn exec_with_record(send: &mut ImplItemFn) -> Result<()> {
    send.sig
        .inputs
        .push(parse_quote!(call: &mut crate::runtime::CallRecord));
    let rewritten = replace_exprs(send, |expr| match expr {
        Expr::MethodCall(exec)
            if exec.method == "exec"
                && matches!(&*exec.receiver, Expr::Path(p) if p.path.is_ident("client")) =>
        {
            let request = exec.args.first()?;
            Some(parse_quote!(crate::runtime::exec(client, #request, call)))
        }
        _ => None,
    });
    if rewritten != 1 {
        bail!(
            "expected one `client.exec(request, &info)` in the generated request, found {rewritten}"
        );
    }
    Ok(())
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

#[cfg(test)]
mod tests {
    use quote::ToTokens;

    use super::*;

    #[test]
    fn the_request_is_sent_with_the_record_of_the_call() {
        let mut send: ImplItemFn = parse_quote! {
            pub async fn send(self) -> Result<ResponseValue<T>, Error<E>> {
                client.pre(&mut request, &info).await?;
                let result = client.exec(request, &info).await;
                client.post(&result, &info).await?;
                result
            }
        };
        exec_with_record(&mut send).unwrap();
        let code = send.to_token_stream().to_string();
        assert!(
            code.contains("send (self , call : & mut crate :: runtime :: CallRecord)"),
            "{code}"
        );
        assert!(
            code.contains(
                "let result = crate :: runtime :: exec (client , request , call) . await ;"
            ),
            "{code}"
        );
        assert!(!code.contains("client . exec"), "{code}");
    }

    #[test]
    fn a_request_sent_otherwise_is_refused() {
        let mut send: ImplItemFn = parse_quote! {
            pub async fn send(self) -> Result<ResponseValue<T>, Error<E>> {
                let result = client.client.execute(request).await;
                result
            }
        };
        let error = exec_with_record(&mut send).unwrap_err().to_string();
        assert_eq!(
            error,
            "expected one `client.exec(request, &info)` in the generated request, found 0"
        );
    }
}
