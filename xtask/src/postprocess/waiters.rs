//! A `wait_until_…` method on the client for each waiter of the spec
//! (`x-waiters`, read by [`crate::waiters`]): a builder that wraps the
//! builder of the operation that reads the resource, forwards its
//! parameter setters, and hands the reads to the runtime's `wait::until`.

use anyhow::{Context, Result, bail};
use proc_macro2::TokenStream;
use quote::{format_ident, quote};
use serde_json::Value;
use syn::{FnArg, ImplItem, ImplItemFn, Item, Pat, ReturnType, parse_quote};

use super::syntax::{builder_impl, first_type_argument, impl_fn, module_items, type_name};
use crate::naming::rust_method_name;
use crate::waiters::{GONE_STATUS, Matcher, OperationWaiters, Waiter};

/// Adds the waiters of every operation in `waiters` to the client `file`.
pub fn add(file: &mut syn::File, waiters: &[OperationWaiters]) -> Result<()> {
    let mut methods: Vec<TokenStream> = Vec::new();
    let mut builders: Vec<Item> = Vec::new();
    for operation in waiters.iter().filter(|o| !o.waiters.is_empty()) {
        let read = rust_method_name(&operation.operation_id);
        let context = || format!("the waiters of operation {}", operation.operation_id);
        let request = builder_impl(file, &read).with_context(context)?;
        let builder = type_name(&request.self_ty)
            .context("the builder is not a named type")
            .with_context(context)?
            .clone();
        let answer = answer_type(request).with_context(context)?;
        let setters = setters(request);
        if setters.is_empty() {
            bail!(
                "{}: the builder `{builder}` has no parameter setters",
                context()
            );
        }
        for waiter in &operation.waiters {
            let (method, item) = waiter_items(waiter, &read, &builder, &answer, &setters)
                .with_context(|| format!("waiter {} of {}", waiter.name, operation.operation_id))?;
            methods.push(method);
            builders.extend(item);
        }
    }
    if methods.is_empty() {
        return Ok(());
    }
    module_items(file, "builder")?.extend(builders);
    file.items.push(parse_quote! {
        impl Client {
            #(#methods)*
        }
    });
    Ok(())
}

/// The body type of the builder's `send`: `T` in
/// `Result<ResponseValue<T>, crate::Error>`.
fn answer_type(request: &mut syn::ItemImpl) -> Result<syn::Type> {
    let send = impl_fn(request, "send").context("the builder has no `send`")?;
    let ReturnType::Type(_, output) = &send.sig.output else {
        bail!("`send` returns nothing");
    };
    let answer = first_type_argument(output)
        .and_then(first_type_argument)
        .context("`send` does not return a `Result<ResponseValue<T>, _>`")?;
    if type_name(answer).is_some_and(|name| name == "Option") {
        bail!("the operation may answer without a body, which a waiter cannot read");
    }
    Ok(answer.clone())
}

/// The builder's parameter setters: `fn name<V>(mut self, value: V) -> Self`.
fn setters(request: &syn::ItemImpl) -> Vec<ImplItemFn> {
    request
        .items
        .iter()
        .filter_map(|item| match item {
            ImplItem::Fn(f) => Some(f),
            _ => None,
        })
        .filter(|f| {
            matches!(f.vis, syn::Visibility::Public(_))
                && matches!(f.sig.inputs.first(), Some(FnArg::Receiver(r)) if r.reference.is_none())
                && matches!(&f.sig.output, ReturnType::Type(_, ty) if type_name(ty).is_some_and(|n| n == "Self"))
                && f.sig.asyncness.is_none()
        })
        .cloned()
        .collect()
}

/// The client's method and the builder of `waiter`.
fn waiter_items(
    waiter: &Waiter,
    read: &str,
    builder: &syn::Ident,
    answer: &syn::Type,
    setters: &[ImplItemFn],
) -> Result<(TokenStream, Vec<Item>)> {
    let method = format_ident!("{}", waiter.method());
    let wrapper = format_ident!("{}", waiter.builder());
    let resource = &waiter.resource;
    let (min, max, bound) = (waiter.min_delay, waiter.max_delay, waiter.max_wait);
    let success = matchers(waiter.success_matchers())?;
    let failure = matchers(&waiter.failure)?;
    // A deletion ends without an answer to return.
    let (ended, until, ends) = if waiter.is_gone() {
        (
            quote!(()),
            quote!(until_gone),
            format!("is gone (the read answers {GONE_STATUS}) or reaches a failure state"),
        )
    } else {
        (
            quote!(#answer),
            quote!(until),
            "reaches a final state".to_string(),
        )
    };
    let forwarded = setters.iter().map(forward).collect::<Result<Vec<_>>>()?;
    let description = waiter.description.trim();
    let method_doc = format!(
        "{description}\n\nReads the {resource} with [`Client::{read}`], first at once, then after delays from {min} s growing to {max} s, with jitter. See [`builder::{wrapper}`]."
    );
    let wrapper_doc = format!(
        "Builder for [`Client::{method}`]: the parameters of [`{builder}`], the delays, and [`wait`](Self::wait).\n\n[`Client::{method}`]: super::Client::{method}"
    );
    let wait_doc = format!(
        "Reads the {resource} until it {ends} or `bound` passes; the last read is at the bound at the latest.\n\n\
         # Errors\n\n\
         [`WaitError::Failed`](crate::WaitError::Failed) in a failure state, \
         [`WaitError::TimedOut`](crate::WaitError::TimedOut) when the bound passes, \
         [`WaitError::Request`](crate::WaitError::Request) when a read fails in a way that reading again will not mend. \
         A read that the client's retry policy retries (429, 503, a failed connection, a timeout) does not end the wait."
    );
    let min_doc = format!("The shortest delay between two reads; the spec's is {min} s.");
    let max_doc = format!(
        "The longest delay between two reads; the spec's is {max} s. A `Retry-After` may ask for longer."
    );
    let bound_doc = format!(
        "The spec's default bound, {bound} s, which the command line waits for unless told otherwise."
    );
    let method_tokens = quote! {
        #[doc = #method_doc]
        pub fn #method(&self) -> builder::#wrapper<'_> {
            builder::#wrapper::new(self)
        }
    };
    let items: Vec<Item> = vec![
        parse_quote! {
            #[doc = #wrapper_doc]
            #[derive(Debug, Clone)]
            pub struct #wrapper<'a> {
                request: #builder<'a>,
                delays: crate::wait::Delays,
            }
        },
        parse_quote! {
            impl<'a> #wrapper<'a> {
                const WAITER: crate::wait::Waiter = crate::wait::Waiter {
                    resource: #resource,
                    delays: crate::wait::Delays {
                        min: ::std::time::Duration::from_secs(#min),
                        max: ::std::time::Duration::from_secs(#max),
                    },
                    success: &[#(#success),*],
                    failure: &[#(#failure),*],
                };
                #[doc = #bound_doc]
                pub const DEFAULT_BOUND: ::std::time::Duration = ::std::time::Duration::from_secs(#bound);
                pub fn new(client: &'a super::Client) -> Self {
                    Self {
                        request: #builder::new(client),
                        delays: Self::WAITER.delays,
                    }
                }
                #(#forwarded)*
                #[doc = #min_doc]
                pub fn min_delay(mut self, delay: ::std::time::Duration) -> Self {
                    self.delays.min = delay;
                    self
                }
                #[doc = #max_doc]
                pub fn max_delay(mut self, delay: ::std::time::Duration) -> Self {
                    self.delays.max = delay;
                    self
                }
                #[doc = #wait_doc]
                pub async fn wait(
                    self,
                    bound: ::std::time::Duration,
                ) -> ::std::result::Result<#ended, crate::WaitError<#answer>> {
                    self.wait_reporting(bound, |_| {}).await
                }
                /// [`wait`](Self::wait), with `report` called after every
                /// read that does not end the wait, to show progress.
                pub async fn wait_reporting(
                    self,
                    bound: ::std::time::Duration,
                    report: impl FnMut(&crate::Progress<'_, #answer>),
                ) -> ::std::result::Result<#ended, crate::WaitError<#answer>> {
                    let target = self
                        .request
                        .clone()
                        .build_request()
                        .ok()
                        .map(|request| request.url().path().to_string());
                    let request = self.request;
                    crate::wait::#until(
                        &Self::WAITER,
                        self.delays,
                        bound,
                        target,
                        || {
                            let request = request.clone();
                            async move { request.send().await.map(ResponseValue::into_inner) }
                        },
                        report,
                    )
                    .await
                }
            }
        },
    ];
    Ok((method_tokens, items))
}

/// A setter of the wrapped builder, forwarded: same name, generics,
/// arguments and documentation.
fn forward(setter: &ImplItemFn) -> Result<TokenStream> {
    let name = &setter.sig.ident;
    let generics = &setter.sig.generics;
    let where_clause = &generics.where_clause;
    let attrs = setter
        .attrs
        .iter()
        .filter(|a| a.path().is_ident("doc") || a.path().is_ident("deprecated"));
    let arguments: Vec<&syn::PatType> = setter
        .sig
        .inputs
        .iter()
        .filter_map(|input| match input {
            FnArg::Typed(typed) => Some(typed),
            FnArg::Receiver(_) => None,
        })
        .collect();
    let names = arguments
        .iter()
        .map(|argument| match &*argument.pat {
            Pat::Ident(ident) => Ok(ident.ident.clone()),
            _ => bail!("setter `{name}` takes an argument that is not a plain name"),
        })
        .collect::<Result<Vec<_>>>()?;
    let types = arguments.iter().map(|argument| &argument.ty);
    Ok(quote! {
        #(#attrs)*
        pub fn #name #generics (mut self, #(#names: #types),*) -> Self #where_clause {
            self.request = self.request.#name(#(#names),*);
            self
        }
    })
}

fn matchers(matchers: &[Matcher]) -> Result<Vec<TokenStream>> {
    matchers
        .iter()
        .map(|matcher| {
            Ok(match matcher {
                Matcher::Equals { field, values } => {
                    let values = values.iter().map(wire).collect::<Result<Vec<_>>>()?;
                    quote!(crate::wait::Matcher::Equals { field: #field, values: &[#(#values),*] })
                }
                Matcher::Present { field, present } => {
                    quote!(crate::wait::Matcher::Present { field: #field, present: #present })
                }
            })
        })
        .collect()
}

fn wire(value: &Value) -> Result<TokenStream> {
    Ok(match value {
        Value::String(text) => quote!(crate::wait::Wire::Text(#text)),
        Value::Bool(flag) => quote!(crate::wait::Wire::Bool(#flag)),
        Value::Number(n) => {
            let n = n
                .as_i64()
                .with_context(|| format!("{n} is not a 64-bit integer"))?;
            quote!(crate::wait::Wire::Integer(#n))
        }
        other => bail!("{other} is not a string, a boolean or an integer"),
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::waiters::Success;

    fn waiters() -> Vec<OperationWaiters> {
        vec![OperationWaiters {
            operation_id: "getThing".into(),
            waiters: vec![Waiter {
                name: "thingDone".into(),
                description: "Waits.".into(),
                resource: "thing".into(),
                min_delay: 1,
                max_delay: 2,
                max_wait: 3,
                success: Success::Matches(vec![Matcher::Present {
                    field: "doneAt".into(),
                    present: true,
                }]),
                failure: Vec::new(),
            }],
        }]
    }

    #[test]
    fn a_missing_builder_fails_naming_what_was_looked_for() {
        let mut file: syn::File = parse_quote! {
            impl Client {}
            pub mod builder {}
        };
        let error = format!("{:#}", add(&mut file, &waiters()).unwrap_err());
        assert_eq!(
            error,
            "the waiters of operation getThing: `impl Client` has no method `get_thing`"
        );
    }

    #[test]
    fn a_builder_without_setters_fails() {
        let mut file: syn::File = parse_quote! {
            impl Client {
                pub fn get_thing(&self) -> builder::GetThing<'_> { builder::GetThing::new(self) }
            }
            pub mod builder {
                impl<'a> GetThing<'a> {
                    pub async fn send(self) -> Result<ResponseValue<types::Thing>, crate::Error> { todo!() }
                }
            }
        };
        let error = format!("{:#}", add(&mut file, &waiters()).unwrap_err());
        assert_eq!(
            error,
            "the waiters of operation getThing: the builder `GetThing` has no parameter setters"
        );
    }
}
