//! The request headers progenitor 0.15 gets wrong: it cannot send a
//! versioned `Accept` or `Content-Type`, and it sends an `api-version`
//! header, taken from `info.version`, that Atlas does not read.

use anyhow::{Result, bail};
use quote::quote;
use syn::visit_mut::VisitMut;
use syn::{ExprMethodCall, ImplItemFn, LitStr, Pat, Stmt, parse_quote};

use super::syntax::expr_contains_literal;

/// The media type progenitor asks for on every typed response.
const PLAIN_JSON: &str = "application/json";
/// The header progenitor adds to every request.
const API_VERSION: &str = "api-version";

/// Replaces the one `application/json` literal of `dispatch`, the value of
/// its `Accept` header, with `accept`.
pub fn set_accept(dispatch: &mut ImplItemFn, accept: &str) -> Result<()> {
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
    replace.visit_impl_item_fn_mut(dispatch);
    if replace.count != 1 {
        bail!(
            "expected one `{PLAIN_JSON}` Accept value in the generated request, found {}",
            replace.count
        );
    }
    Ok(())
}

/// Sets `Content-Type: content_type` before the one `.json(&body)` of
/// `dispatch`; reqwest's `json` keeps a content type already set.
pub fn set_content_type(dispatch: &mut ImplItemFn, content_type: &str) -> Result<()> {
    struct Insert<'a> {
        content_type: &'a str,
        count: usize,
    }
    impl VisitMut for Insert<'_> {
        fn visit_expr_method_call_mut(&mut self, call: &mut ExprMethodCall) {
            syn::visit_mut::visit_expr_method_call_mut(self, call);
            if call.method == "json" {
                let receiver = &call.receiver;
                let content_type = self.content_type;
                *call.receiver = parse_quote! {
                    #receiver.header(
                        ::reqwest::header::CONTENT_TYPE,
                        ::reqwest::header::HeaderValue::from_static(#content_type),
                    )
                };
                self.count += 1;
            }
        }
    }
    let mut insert = Insert {
        content_type,
        count: 0,
    };
    insert.visit_impl_item_fn_mut(dispatch);
    if insert.count != 1 {
        bail!(
            "expected one `.json(&body)` in the generated request, found {}",
            insert.count
        );
    }
    Ok(())
}

/// Removes the statement of `dispatch` that adds the `api-version` header,
/// and the `mut` of the header map when nothing else adds to it.
pub fn drop_api_version(dispatch: &mut ImplItemFn) -> Result<()> {
    let statements = &mut dispatch.block.stmts;
    let before = statements.len();
    statements.retain(
        |stmt| !matches!(stmt, Stmt::Expr(expr, _) if expr_contains_literal(expr, API_VERSION)),
    );
    if statements.len() + 1 != before {
        bail!("expected one statement that adds the `{API_VERSION}` header");
    }
    let appends = |stmt: &Stmt| quote!(#stmt).to_string().contains("header_map . append");
    if !statements.iter().any(appends) {
        for stmt in statements.iter_mut() {
            if let Stmt::Local(local) = stmt
                && let Pat::Ident(binding) = &mut local.pat
                && binding.ident == "header_map"
            {
                binding.mutability = None;
            }
        }
    }
    Ok(())
}
