//! The typed mocks of the client's `mock` feature, from progenitor's
//! `httpmock` extension: `ok` answers with the operation's versioned media
//! type, as Atlas does, and every operation's answer also offers the
//! failures a caller's error handling must meet: `api_error`,
//! `rate_limited` and `gone`, written once in `crate::mock::answers`.

use anyhow::{Context, Result};
use heck::ToUpperCamelCase;
use proc_macro2::TokenStream;
use syn::{ImplItem, Item, parse_quote};

use super::headers;
use super::syntax::{impl_fn, is_named, module_items};
use crate::adapt::OperationFacts;

/// Parses progenitor's mock extension and applies `facts` to it.
pub fn apply(tokens: TokenStream, facts: &[OperationFacts]) -> Result<syn::File> {
    let mut file: syn::File =
        syn::parse2(tokens).context("progenitor produced mocks that do not parse")?;
    let operations = module_items(&mut file, "operations")?;
    for fact in facts {
        let name = format!("{}Then", fact.operation_id.to_upper_camel_case());
        let then = operations
            .iter_mut()
            .find_map(|item| match item {
                Item::Impl(i) if i.trait_.is_none() && is_named(&i.self_ty, &name) => Some(i),
                _ => None,
            })
            .with_context(|| format!("the mocks have no `impl {name}`"))?;
        if let Some(accept) = &fact.accept {
            let ok = impl_fn(then, "ok").with_context(|| format!("`{name}` has no `ok`"))?;
            headers::set_accept(ok, accept)
                .with_context(|| format!("cannot set the media type of `{name}::ok`"))?;
        }
        then.items.extend(failure_answers());
    }
    Ok(file)
}

fn failure_answers() -> [ImplItem; 3] {
    [
        parse_quote! {
            /// Answers `status` with Atlas's error JSON `body`.
            pub fn api_error(self, status: u16, body: &types::ApiError) -> Self {
                Self(crate::mock::answers::status_error(self.0, status, body))
            }
        },
        parse_quote! {
            /// Answers 429 `RATE_LIMITED` with `Retry-After` in seconds, as
            /// Atlas does when a rate limit is reached.
            pub fn rate_limited(self, retry_after_seconds: u64) -> Self {
                Self(crate::mock::answers::rate_limited(self.0, retry_after_seconds))
            }
        },
        parse_quote! {
            /// Answers 410 `VERSION_GONE`, as Atlas does for an endpoint past
            /// its sunset.
            pub fn gone(self) -> Self {
                Self(crate::mock::answers::gone(self.0))
            }
        },
    ]
}
