//! Changes to progenitor's syntax tree that the spec calls for and
//! progenitor 0.15 does not make: the versioned `Accept` header and
//! `#[deprecated]` on deprecated operations.

use anyhow::{Context, Result, bail};
use heck::ToSnakeCase;
use proc_macro2::TokenStream;
use syn::visit::Visit;
use syn::visit_mut::VisitMut;
use syn::{ImplItem, ImplItemFn, Item, ItemImpl, LitStr, parse_quote};

use crate::adapt::OperationFacts;

/// The media type progenitor asks for on every typed response.
const PLAIN_JSON: &str = "application/json";

/// Parses progenitor's output and applies `facts` to it.
pub fn apply(tokens: TokenStream, facts: &[OperationFacts]) -> Result<syn::File> {
    let mut file: syn::File =
        syn::parse2(tokens).context("progenitor produced code that does not parse")?;
    for fact in facts {
        let method = rust_method_name(&fact.operation_id);
        if let Some(accept) = &fact.accept {
            let send = builder_send_fn(&mut file, &method)?;
            set_accept(send, accept)
                .with_context(|| format!("operation {}: cannot set Accept", fact.operation_id))?;
        }
        if let Some(note) = &fact.deprecation {
            let client_method = client_method(&mut file, &method)?;
            client_method
                .attrs
                .push(parse_quote!(#[deprecated(note = #note)]));
        }
    }
    Ok(file)
}

/// The Rust name progenitor gives an operation: its operationId in snake
/// case, with characters that cannot appear in an identifier dropped.
fn rust_method_name(operation_id: &str) -> String {
    operation_id
        .replace('\'', "")
        .replace(|c: char| !(c.is_alphanumeric() || c == '_'), "-")
        .to_snake_case()
}

/// The `send` function of the builder whose `OperationInfo` names `method`.
fn builder_send_fn<'a>(file: &'a mut syn::File, method: &str) -> Result<&'a mut ImplItemFn> {
    let builder = file
        .items
        .iter_mut()
        .find_map(|item| match item {
            Item::Mod(m) if m.ident == "builder" => m.content.as_mut(),
            _ => None,
        })
        .context("progenitor's output has no `builder` module")?;
    builder
        .1
        .iter_mut()
        .filter_map(|item| match item {
            Item::Impl(i) => Some(i),
            _ => None,
        })
        .flat_map(impl_fns)
        .find(|f| f.sig.ident == "send" && contains_literal(f, method))
        .with_context(|| format!("no generated builder sends operation `{method}`"))
}

/// The method of `impl Client` named `method`.
fn client_method<'a>(file: &'a mut syn::File, method: &str) -> Result<&'a mut ImplItemFn> {
    file.items
        .iter_mut()
        .filter_map(|item| match item {
            Item::Impl(i) if i.trait_.is_none() && is_client(i) => Some(i),
            _ => None,
        })
        .flat_map(impl_fns)
        .find(|f| f.sig.ident == method)
        .with_context(|| format!("`impl Client` has no method `{method}`"))
}

fn is_client(item: &ItemImpl) -> bool {
    matches!(&*item.self_ty, syn::Type::Path(p) if p.path.is_ident("Client"))
}

fn impl_fns(item: &mut ItemImpl) -> impl Iterator<Item = &mut ImplItemFn> {
    item.items.iter_mut().filter_map(|i| match i {
        ImplItem::Fn(f) => Some(f),
        _ => None,
    })
}

fn contains_literal(function: &ImplItemFn, value: &str) -> bool {
    struct Finder<'v> {
        value: &'v str,
        found: bool,
    }
    impl<'ast> Visit<'ast> for Finder<'_> {
        fn visit_lit_str(&mut self, lit: &'ast LitStr) {
            self.found |= lit.value() == self.value;
        }
    }
    let mut finder = Finder {
        value,
        found: false,
    };
    finder.visit_impl_item_fn(function);
    finder.found
}

/// Replaces the one `application/json` literal of `send`, the value of its
/// `Accept` header, with `accept`.
fn set_accept(send: &mut ImplItemFn, accept: &str) -> Result<()> {
    struct Replace<'a> {
        accept: &'a str,
        count: usize,
    }
    impl VisitMut for Replace<'_> {
        fn visit_lit_str_mut(&mut self, lit: &mut LitStr) {
            if lit.value() == PLAIN_JSON {
                *lit = LitStr::new(self.accept, lit.span());
                self.count += 1;
            }
        }
    }
    let mut replace = Replace { accept, count: 0 };
    replace.visit_impl_item_fn_mut(send);
    if replace.count != 1 {
        bail!(
            "expected one `{PLAIN_JSON}` Accept value in the generated `send`, found {}",
            replace.count
        );
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::rust_method_name;

    #[test]
    fn method_names_follow_progenitor() {
        assert_eq!(
            rust_method_name("getServerlessSnapshotV1"),
            "get_serverless_snapshot_v1"
        );
        assert_eq!(
            rust_method_name("listServerlessSnapshotsV1"),
            "list_serverless_snapshots_v1"
        );
        assert_eq!(
            rust_method_name("get-legacy.snapshot"),
            "get_legacy_snapshot"
        );
    }
}
